/**
 * `npm run bench:montecarlo`: Monte Carlo replications per second on a shipped scenario (default:
 * scenarios/default.yaml over 5 years) with 1 and 2 worker threads, each in its own child process, the
 * way `caseflow montecarlo` runs them: worker start-up, every replication, the fold into the summary and
 * the report text (not the file writing). The target is 1,000 replications in 15 seconds on a 2-core
 * machine, with memory flat in the number of replications.
 *
 * Worker start-up (the time until each worker has returned its first replication: loading the code,
 * decoding the scenario, compiling the model) is reported apart from the steady state after it, whose
 * rate and CPU time per replication are what the replications themselves cost.
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
import { Replicator } from "../src/replication/Pool.js"
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
  readonly seconds: number
  readonly perSecond: number
  readonly peakRssMiB: number
  /** CPU time of all threads of the process, per replication (robust to other load on the machine). */
  readonly cpuMsPerRun: number
  /** Until every worker has returned a replication. */
  readonly startUpSeconds: number
  /** After start-up: replications per second, and CPU time per replication. */
  readonly steadyPerSecond: number
  readonly steadyCpuMsPerRun: number
}

const measure = async (workers: number): Promise<Measurement> => {
  const { file, text } = scenarioText()
  const source = Either.getOrThrow(scenarioFromPlainText(file, text))
  const layout = runLayout(source, years)
  const budgets = Either.getOrThrow(resolveBudgets({ ...layout, scenario: source.central.budgetLines }, []))
  const plan = makePlan(source, { seed: source.central.seed, years, runs, budgets, tolerance: 0.05, precision: 0.005 })
  const started = performance.now()
  const cpu = process.cpuUsage()
  let done = 0
  let warm = { at: started, cpu, done: 0 }
  const progress: Progress = {
    tick: () => {
      done++
      if (done === workers) warm = { at: performance.now(), cpu: process.cpuUsage(), done }
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
  const steady = process.cpuUsage(warm.cpu)
  const steadyRuns = Math.max(1, runs - warm.done)
  return {
    workers,
    runs,
    seconds,
    perSecond: runs / seconds,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    cpuMsPerRun: (used.user + used.system) / 1000 / runs,
    startUpSeconds: (warm.at - started) / 1000,
    steadyPerSecond: steadyRuns / ((ended - warm.at) / 1000),
    steadyCpuMsPerRun: (steady.user + steady.system) / 1000 / steadyRuns
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
  console.log(
    `            start-up ${m.startUpSeconds.toFixed(1)} s, then ${m.steadyPerSecond.toFixed(1)} replications/s ` +
      `at ${m.steadyCpuMsPerRun.toFixed(1)} ms CPU each: 1,000 take ` +
      `${(1000 / m.steadyPerSecond).toFixed(1)} s after start-up`
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
