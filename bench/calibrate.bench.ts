/**
 * `npm run bench:calibrate`: `caseflow calibrate` on synthetic SSDA903 returns of about 100,000 episode rows
 * (the target: under 10 s), run in this process as the command line runs it (reading and checking the
 * files, the dirty-data rules, every estimate, the printed text and both CSVs written), and each phase
 * timed on its own. Median of `--repeat` runs (default 3); the whole command's CPU time too, which a busy
 * machine changes less than the time it takes; the machine's load is printed with the figures.
 *
 * Options: --entries N (entries to care per year and council; default 6,000: about 103,000 rows over five
 * returns; 2,000 gives about 34,000)  --repeat N
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as Either from "effect/Either"
import { calibrationTable } from "../src/calibrate/Estimates.js"
import { runCli } from "../src/cli/cli.js"
import { capturedIo } from "../src/cli/io.js"
import { cleanReturns } from "../src/ssda903/Clean.js"
import { combineReturns, readFileBytes, type Role, Values } from "../src/ssda903/Read.js"
import { DEFAULT_TRUTH, synthetic } from "../test/support/ssda903.js"

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback
}
const entries = Number(arg("entries", "6000"))
const repeat = Number(arg("repeat", "3"))

const data = synthetic({ ...DEFAULT_TRUTH, entriesPerYear: entries, seed: "bench" })
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "caseflow-calibrate-bench-"))
for (const [name, text] of data.files) fs.writeFileSync(path.join(dir, name), text)
const episodeRows = data.files
  .filter(([n]) => n.includes("episodes"))
  .reduce((n, [, t]) => n + t.split("\n").length - 2, 0)
const median = (xs: Array<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")

console.log(`${episodeRows.toLocaleString("en-GB")} episode rows in ${data.files.length} files; load ${load()}`)
const roleOf = (n: string): Role => (n.includes("episodes") ? "episodes" : n.includes("header") ? "header" : "uasc")
const phases: Record<string, Array<number>> = { read: [], clean: [], estimate: [], command: [] }
const commandCpu: Array<number> = []
for (let r = 0; r < repeat; r++) {
  let t = performance.now()
  // As the command line reads them: a value in several files kept once.
  const values = new Values()
  const files = data.files.map(([n]) => {
    const f = readFileBytes(n, roleOf(n), fs.readFileSync(path.join(dir, n)), { values })
    if (Either.isLeft(f)) throw new Error(f.left.message)
    return f.right
  })
  const c = combineReturns(files, null)
  if (Either.isLeft(c)) throw new Error(c.left.message)
  phases.read.push(performance.now() - t)
  t = performance.now()
  const h = cleanReturns(c.right)
  phases.clean.push(performance.now() - t)
  t = performance.now()
  calibrationTable(h, { from: h.from, to: h.to })
  phases.estimate.push(performance.now() - t)
  t = performance.now()
  const cpu = process.cpuUsage()
  const pick = (role: string) => data.files.filter(([n]) => n.includes(role)).map(([n]) => path.join(dir, n))
  const code = await runCli(
    [
      "calibrate",
      "--episodes",
      ...pick("episodes"),
      "--header",
      ...pick("header"),
      "--uasc",
      ...pick("uasc"),
      "--table",
      path.join(dir, "out", "table.csv"),
      "--problems",
      path.join(dir, "out", "problems.csv")
    ],
    capturedIo()
  )
  if (code !== 0) throw new Error(`calibrate ended with ${code}`)
  phases.command.push(performance.now() - t)
  const used = process.cpuUsage(cpu)
  commandCpu.push((used.user + used.system) / 1000)
}
for (const [phase, ms] of Object.entries(phases))
  console.log(`${phase.padEnd(9)} ${(median(ms) / 1000).toFixed(2)} s (median of ${ms.length})`)
console.log(`command CPU time ${(median(commandCpu) / 1000).toFixed(2)} s (median; user + system, all threads)`)
console.log(`load after: ${load()}; ${os.cpus().length} cores`)
fs.rmSync(dir, { recursive: true, force: true })
