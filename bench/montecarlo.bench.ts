/**
 * `npm run bench:montecarlo`: Monte Carlo replications per second on a shipped scenario (default:
 * scenarios/default.yaml over 5 years) with 1 and 2 worker threads, each in its own child process, the
 * way `caseflow montecarlo` runs them: workers started from the build (dist/worker.js, when it is there and
 * not older than src/; else from the source through tsx, which is said), every replication, the fold into
 * the summary and the report text (not the file writing). The target is 1,000 replications in 15 seconds
 * on a 2-core machine, with memory flat in the number of replications.
 *
 * The steady state is measured between the 10th and the 90th percent of replications done: its rate, its
 * CPU time per replication (all threads) and the main thread's share of it (Linux: /proc). Start-up is
 * what the whole run took beyond its replications at that rate: starting the workers (loading the code,
 * decoding the scenario, compiling the model), their first replications while the code is compiled and
 * optimised, and the report at the end. Workers answer blocks of replications, so "until each worker has
 * answered" cannot be seen from the main thread.
 *
 * Options: --scenario FILE  --years N  --runs N  --workers 1,2
 * If the scenario file does not exist, test/fixtures/small.yaml with its population and starting
 * caseload scaled up 5 times stands in for it.
 */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { resolveBudgets } from "../src/montecarlo/Budget.js"
import { runShard } from "../src/montecarlo/MonteCarlo.js"
import { makePlan, runLayout } from "../src/montecarlo/Plan.js"
import { Replicator, setWorkerScript } from "../src/replication/Pool.js"
import type { Progress } from "../src/replication/Progress.js"
import { reportFiles, reportText } from "../src/montecarlo/Report.js"
import { scenarioFromPlainText } from "../src/scenario/Load.js"

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback
}
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const scenarioArg = arg("scenario", "scenarios/default.yaml")
const years = Number(arg("years", "5"))
const runs = Number(arg("runs", "1000"))
const workerCounts = arg("workers", "1,2").split(",").map(Number)
const mode = arg("mode", "")

/** The scenario's text, or the scaled-up small fixture when the file is missing. */
const scenarioText = (): { file: string; text: string } => {
  const file = path.resolve(root, scenarioArg)
  if (fs.existsSync(file)) return { file, text: fs.readFileSync(file, "utf8") }
  const small = path.join(root, "test/fixtures/small.yaml")
  const text = fs
    .readFileSync(small, "utf8")
    .replace(/children: (\d+)/, (_, n: string) => `children: ${Number(n) * 5}`)
    .replace(/count: (\d+)/g, (_, n: string) => `count: ${Number(n) * 5}`)
  return { file: `${small} (x5)`, text }
}

interface Measurement {
  readonly workers: number
  readonly runs: number
  /** Where the workers were started from. */
  readonly workerScript: string
  readonly seconds: number
  readonly perSecond: number
  readonly peakRssMiB: number
  /** CPU time of all threads of the process, per replication (robust to other load on the machine). */
  readonly cpuMsPerRun: number
  /** The whole run's time beyond its replications at the steady rate: start-up, the last few, the report. */
  readonly startUpSeconds: number
  /** From 10% to 90% of replications done: replications per second, CPU time per replication (all threads,
   * and the main thread's, null where /proc is not there). */
  readonly steadyPerSecond: number
  readonly steadyCpuMsPerRun: number
  readonly steadyMainCpuMsPerRun: number | null
}

/** The built worker, if it is there and not older than the source it was built from. */
const builtWorker = (): URL | null => {
  const built = path.join(root, "dist", "worker.js")
  if (!fs.existsSync(built)) return null
  const at = fs.statSync(built).mtimeMs
  const src = path.join(root, "src")
  const stale = fs
    .readdirSync(src, { recursive: true, encoding: "utf8" })
    .some((f) => fs.statSync(path.join(src, f)).mtimeMs > at)
  return stale ? null : new URL(`file://${built}`)
}

/** This thread's CPU time in ms (Linux: the main thread's line in /proc), or null. */
const mainThreadCpuMs = (): number | null => {
  try {
    const stat = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8")
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
    // utime and stime, fields 14 and 15 of the line (12 and 13 after the name), in clock ticks of 10 ms.
    return (Number(fields[11]) + Number(fields[12])) * 10
  } catch {
    return null
  }
}

const measure = async (workers: number): Promise<Measurement> => {
  const { file, text } = scenarioText()
  const worker = builtWorker()
  setWorkerScript(worker)
  const started = performance.now()
  const cpu = process.cpuUsage()
  const source = Either.getOrThrow(scenarioFromPlainText(file, text))
  const layout = runLayout(source, years)
  const budgets = Either.getOrThrow(resolveBudgets({ ...layout, scenario: source.central.budgetLines }, []))
  const plan = makePlan(source, { seed: source.central.seed, years, runs, budgets, tolerance: 0.05, precision: 0.005 })
  let done = 0
  const mark = () => ({ at: performance.now(), cpu: process.cpuUsage(), main: mainThreadCpuMs(), done })
  let low = mark()
  let high = low
  const progress: Progress = {
    tick: () => {
      done++
      if (done === Math.ceil(runs * 0.1)) low = mark()
      if (done === Math.floor(runs * 0.9)) high = mark()
    },
    clear: () => {}
  }
  const result = await Effect.runPromise(
    runShard(plan, { index: 0, count: 1 }, progress).pipe(
      Effect.provide(Replicator.workerThreads({ arms: [source], years, seed: plan.seed }, workers))
    )
  )
  reportText(plan, result.summary)
  reportFiles(plan, result.summary)
  const ended = performance.now()
  const seconds = (ended - started) / 1000
  const used = process.cpuUsage(cpu)
  const steadyRuns = Math.max(1, high.done - low.done)
  const steadyCpu = (high.cpu.user - low.cpu.user + high.cpu.system - low.cpu.system) / 1000
  const steadyPerSecond = steadyRuns / Math.max(1e-9, (high.at - low.at) / 1000)
  return {
    workers,
    runs,
    workerScript: worker === null ? "source (tsx)" : "dist/worker.js",
    seconds,
    perSecond: runs / seconds,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    cpuMsPerRun: (used.user + used.system) / 1000 / runs,
    startUpSeconds: seconds - runs / steadyPerSecond,
    steadyPerSecond,
    steadyCpuMsPerRun: steadyCpu / steadyRuns,
    steadyMainCpuMsPerRun: high.main === null || low.main === null ? null : (high.main - low.main) / steadyRuns
  }
}

if (mode === "one") {
  const m = await measure(Number(arg("count", "1")))
  process.stdout.write(JSON.stringify(m) + "\n")
  process.exit(0)
}

const { file } = scenarioText()
const loadAverage = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")
console.log(
  `Monte Carlo benchmark: ${path.relative(root, file) || file}, ${years} years, ` +
    `${runs.toLocaleString("en-GB")} replications`
)
console.log(
  `${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "unknown"}), Node ${process.version}, ` +
    `load average ${loadAverage()}`
)
console.log("")
const rows: Array<Measurement> = []
for (const w of workerCounts) {
  const out = execFileSync(
    process.execPath,
    [
      "--import",
      "tsx",
      fileURLToPath(import.meta.url),
      "--mode",
      "one",
      "--count",
      String(w),
      "--scenario",
      scenarioArg,
      "--years",
      String(years),
      "--runs",
      String(runs)
    ],
    { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }
  )
  const m = JSON.parse(out.trim().split("\n").pop()!) as Measurement
  rows.push(m)
  console.log(
    `${String(m.workers).padStart(2)} worker${m.workers === 1 ? " " : "s"}  ` +
      `${m.seconds.toFixed(1).padStart(6)} s in all ` +
      `(${m.perSecond.toFixed(1)} replications/s, CPU ${m.cpuMsPerRun.toFixed(1)} ms/replication, ` +
      `peak RSS ${m.peakRssMiB.toFixed(0)} MiB)`
  )
  const main = m.steadyMainCpuMsPerRun === null ? "" : ` (main thread ${m.steadyMainCpuMsPerRun.toFixed(1)} ms)`
  console.log(
    `            steady ${m.steadyPerSecond.toFixed(1)} replications/s at ${m.steadyCpuMsPerRun.toFixed(1)} ms CPU ` +
      `each${main}; start-up, last replications and report ${m.startUpSeconds.toFixed(1)} s; ` +
      `workers from ${m.workerScript}`
  )
}
/** 1,000 replications: start-up, then the steady rate. */
const thousand = (m: Measurement) => m.startUpSeconds + 1000 / m.steadyPerSecond
const best = rows.reduce((a, b) => (thousand(b) < thousand(a) ? b : a))
console.log("")
console.log(
  `Target: 1,000 replications in 15 s. Best: ${thousand(best).toFixed(1)} s with ${best.workers} ` +
    `worker${best.workers === 1 ? "" : "s"}, start-up included (${thousand(best) <= 15 ? "met" : "not met"}).`
)
console.log(
  `Load average now ${loadAverage()}: wall times include whatever else the machine was running; ` +
    "CPU ms per replication do not."
)
