// `npm run test:cpu [-- files...]`: the CPU seconds each test file costs, heaviest first, to keep `npm test`
// inside its time on a shared machine (CPU seconds vary far less with the machine's load than wall time).
// The files run one after another in one process (vitest.cpu.config.ts), so a file's figure is its import,
// tests and hooks, not what it spawns (smoke tests, browsers: time the whole command for those, e.g. with
// `/usr/bin/time -f %U+%S`). The first file also pays for loading what the files share (Effect, the engine).
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
const out = path.join(root, "test-artifacts", "test-cpu.tsv")
fs.mkdirSync(path.dirname(out), { recursive: true })
fs.rmSync(out, { force: true })

const code = await new Promise((resolve) => {
  const child = spawn(
    path.join(root, "node_modules", ".bin", "vitest"),
    ["run", "--config", "vitest.cpu.config.ts", "--reporter", "dot", ...process.argv.slice(2)],
    { cwd: root, stdio: "inherit", env: { ...process.env, CASEFLOW_CPU_PROBE: out } }
  )
  child.on("close", (c) => resolve(c ?? 1))
})
const rows = fs.existsSync(out)
  ? fs
      .readFileSync(out, "utf8")
      .trimEnd()
      .split("\n")
      .map((l) => l.split("\t"))
      .map(([cpu, wall, file]) => ({ cpu: Number(cpu), wall: Number(wall), file: path.relative(root, file) }))
      .sort((a, b) => b.cpu - a.cpu)
  : []
const sum = rows.reduce((s, r) => s + r.cpu, 0)
process.stdout.write(`\n  CPU s   wall s  file\n`)
for (const r of rows)
  process.stdout.write(`${r.cpu.toFixed(2).padStart(7)}  ${r.wall.toFixed(2).padStart(7)}  ${r.file}\n`)
process.stdout.write(
  `${sum.toFixed(1).padStart(7)}           in the ${rows.length} files (see ${path.relative(root, out)})\n`
)
process.exit(code)
