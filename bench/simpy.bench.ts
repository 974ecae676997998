/**
 * `npm run bench:simpy`: a single run of a small model as a whole process, caseflow against SimPy 2.
 *
 * The model is the small test authority (test/fixtures/small.yaml; about 23,000 events over 10 years),
 * written for SimPy 2 in bench/simpy/small_authority.py. caseflow runs from its build (`node
 * bin/caseflow.js run ... --out <temporary folder>`: start-up, loading and checking the scenario, the
 * simulation, the summary and six CSVs); SimPy runs its model with Debian's Python 3 and python3-simpy
 * (`apt-get install python3-simpy`; the benchmark says so and stops if it is missing). Each command is run
 * alternately, `--repeat` times after two warm-up runs each (the operating system's file cache), and the
 * median wall time of each is reported, with the ratio.
 *
 * Options: --years N (10)  --repeat N (15)
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
const repeat = Number(arg("repeat", "15"))
const python = "/usr/bin/python3"

const hasSimPy = (): boolean =>
  fs.existsSync(python) &&
  spawnSync(python, ["-c", "import sys; sys.path.insert(0, '/usr/lib/python3/dist-packages'); import SimPy"]).status ===
    0
if (!hasSimPy()) {
  console.log("SimPy 2 is not installed (Debian: apt-get install python3-simpy); nothing to compare with.")
  process.exit(0)
}
if (!fs.existsSync(path.join(root, "dist/caseflow.js"))) execFileSync("npm", ["run", "build"], { cwd: root })

const out = fs.mkdtempSync(path.join(os.tmpdir(), "caseflow-simpy-"))
const commands = {
  caseflow: [
    process.execPath,
    path.join(root, "bin/caseflow.js"),
    "run",
    path.join(root, "test/fixtures/small.yaml"),
    "--years",
    years,
    "--out",
    out
  ],
  simpy: [python, path.join(root, "bench/simpy/small_authority.py"), years, "1"]
} as const

/** Wall time of one run of a command, in milliseconds, and what it printed last on stdout and stderr. */
const time = (argv: ReadonlyArray<string>): { ms: number; said: string } => {
  const t0 = performance.now()
  const r = spawnSync(argv[0], argv.slice(1), { encoding: "utf8" })
  const ms = performance.now() - t0
  if (r.status !== 0) throw new Error(`${argv.join(" ")} failed: ${r.stderr}`)
  return { ms, said: `${r.stdout.trim().split("\n").pop()} ${r.stderr.trim().split("\n").pop()}`.trim() }
}

const times: Record<keyof typeof commands, Array<number>> = { caseflow: [], simpy: [] }
const said: Record<string, string> = {}
for (let round = 0; round < repeat + 2; round++)
  for (const name of round % 2 === 0 ? (["caseflow", "simpy"] as const) : (["simpy", "caseflow"] as const)) {
    const r = time(commands[name])
    said[name] = r.said
    if (round >= 2) times[name].push(r.ms)
  }
fs.rmSync(out, { recursive: true, force: true })

const median = (xs: ReadonlyArray<number>): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const load = os
  .loadavg()
  .map((x) => x.toFixed(2))
  .join(" ")
console.log(`a single run of test/fixtures/small.yaml over ${years} years, as a whole process; median of ${repeat}`)
console.log(
  `machine: ${os.cpus()[0]?.model ?? "unknown CPU"}, ${os.cpus().length} cores, Node ${process.version}; load ${load}`
)
for (const name of ["caseflow", "simpy"] as const)
  console.log(`  ${name.padEnd(9)} ${median(times[name]).toFixed(0).padStart(5)} ms  (${said[name]})`)
console.log(`  SimPy / caseflow: ${(median(times.simpy) / median(times.caseflow)).toFixed(2)}x`)
