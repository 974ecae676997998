/**
 * `npm run bench:simpy`: a single run of a small model as a whole process, caseflow against SimPy 2.
 *
 * The model is the small test authority (test/fixtures/small.yaml; about 23,000 events over 10 years),
 * written for SimPy 2 in bench/simpy/small_authority.py, at its own size and scaled up (`--scales`: the
 * population and every starting group multiplied alike in both). caseflow runs from its build (`node
 * bin/caseflow.js run ... --out <temporary folder>`: start-up, loading and checking the scenario, the
 * simulation, the summary and six CSVs); SimPy runs its model with Debian's Python 3 and python3-simpy
 * (`apt-get install python3-simpy`; the benchmark says so and stops if it is missing). The two commands are
 * run alternately, `--repeat` times after two warm-up runs each (the operating system's file cache), and the
 * median wall time of each is reported, with the ratio.
 *
 * Options: --years N (10)  --repeat N (11)  --scales 1,10
 */
import { execFileSync, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback
}
const years = arg("years", "10")
const repeat = Number(arg("repeat", "11"))
const scales = arg("scales", "1,10").split(",").map(Number)
const python = "/usr/bin/python3"

const hasSimPy = (): boolean =>
  fs.existsSync(python) &&
  spawnSync(python, ["-c", "import sys; sys.path.insert(0, '/usr/lib/python3/dist-packages'); import SimPy"]).status ===
    0
if (!hasSimPy()) {
  console.log("SimPy 2 is not installed (Debian: apt-get install python3-simpy); nothing to compare with.")
  process.exit(0)
}
if (!fs.existsSync(path.join(root, "dist/caseflow.cjs"))) execFileSync("npm", ["run", "build"], { cwd: root })

const out = fs.mkdtempSync(path.join(os.tmpdir(), "caseflow-simpy-"))
const small = fs.readFileSync(path.join(root, "test/fixtures/small.yaml"), "utf8")

/** The small authority with its population and starting groups multiplied by `scale`. */
const scaled = (scale: number): string => {
  const file = path.join(out, `small-x${scale}.yaml`)
  fs.writeFileSync(
    file,
    small
      .replace(/children: (\d+)/, (_, n: string) => `children: ${Number(n) * scale}`)
      .replace(/count: (\d+)/g, (_, n: string) => `count: ${Number(n) * scale}`)
  )
  return file
}

/**
 * Wall time of one run of a command, in milliseconds, and what it said of its run: caseflow's line of
 * events and children (on stderr), or else the last line of its output.
 */
const time = (argv: ReadonlyArray<string>): { ms: number; said: string } => {
  const t0 = performance.now()
  const r = spawnSync(argv[0], argv.slice(1), { encoding: "utf8" })
  const ms = performance.now() - t0
  if (r.status !== 0) throw new Error(`${argv.join(" ")} failed: ${r.stderr}`)
  const lines = `${r.stdout}\n${r.stderr}`.trim().split("\n")
  return { ms, said: (lines.find((l) => /events, [\d,]+ children in/.test(l)) ?? lines.at(-1) ?? "").trim() }
}

const median = (xs: ReadonlyArray<number>): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

const rows: Array<string> = []
for (const scale of scales) {
  const commands = {
    caseflow: [process.execPath, path.join(root, "bin/caseflow.js"), "run", scaled(scale), "--years", years],
    simpy: [python, path.join(root, "bench/simpy/small_authority.py"), years, "1", String(scale)]
  } as const
  const times: Record<keyof typeof commands, Array<number>> = { caseflow: [], simpy: [] }
  const said: Record<string, string> = {}
  for (let round = 0; round < repeat + 2; round++)
    for (const name of round % 2 === 0 ? (["caseflow", "simpy"] as const) : (["simpy", "caseflow"] as const)) {
      const r = time(name === "caseflow" ? [...commands.caseflow, "--out", path.join(out, "o")] : commands.simpy)
      said[name] = r.said
      if (round >= 2) times[name].push(r.ms)
    }
  const c = median(times.caseflow)
  const p = median(times.simpy)
  rows.push(
    `  x${String(scale).padEnd(3)} caseflow ${c.toFixed(0).padStart(5)} ms (${said.caseflow})\n` +
      `       SimPy    ${p.toFixed(0).padStart(5)} ms (${said.simpy})\n` +
      `       SimPy / caseflow: ${(p / c).toFixed(2)}x`
  )
}
fs.rmSync(out, { recursive: true, force: true })

const load = os
  .loadavg()
  .map((x) => x.toFixed(2))
  .join(" ")
console.log(
  `a single run of test/fixtures/small.yaml over ${years} years (scaled by population), as a whole process; ` +
    `median of ${repeat}`
)
console.log(
  `machine: ${os.cpus()[0]?.model ?? "unknown CPU"}, ${os.cpus().length} cores, Node ${process.version}; load ${load}`
)
for (const r of rows) console.log(r)
