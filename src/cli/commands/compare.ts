/**
 * `caseflow compare <baseline> <variant>`: paired replications on common random numbers; the differences
 * with 95% intervals and the cost-benefit case.
 */
import * as Command from "@effect/cli/Command"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as path from "node:path"
import { compareJob, makeComparePlan, runComparison } from "../../compare/Compare.js"
import { compareDocument, compareWorkbook } from "../../compare/Document.js"
import { compareFiles, reportText, COMPARE_FILES } from "../../compare/Report.js"
import { Replicator } from "../../replication/Pool.js"
import { BadInput } from "../errors.js"
import { scenarioFact } from "../../report/Reporting.js"
import { VERSION } from "../../version.js"
import * as Flags from "../flags.js"
import { Io, note, say } from "../io.js"
import { checkOutputs, commit, probeFolder } from "../output.js"
import { parametersOf, renderReports, reportTargets, wantsReport } from "../reports.js"
import {
  grouped,
  inputsOf,
  load,
  readyToRun,
  replicationFailures,
  scenarioArg,
  threads,
  writtenLines
} from "./shared.js"

const flags = Flags.flagSet({
  runs: Flags.integerWithDefault("runs", 1, 100_000, 100, "number of paired replications"),
  workers: Flags.workers,
  seed: Flags.seed("random seed of both arms (default: the baseline's seed)"),
  years: Flags.years("years to simulate, both arms (default: the scenarios', which must agree)"),
  optimismBias: Flags.optionalShare(
    "optimism-bias",
    "optimism bias applied to benefits (default: the largest of the variant's interventions)"
  ),
  deadweight: Flags.optionalShare(
    "deadweight",
    "deadweight deducted from benefits (default: the largest of the variant's interventions)"
  ),
  out: Flags.out("folder for the CSV results"),
  report: Flags.report,
  xlsx: Flags.xlsx
})

export const checks = flags.checks
export const names = flags.names

export const command = Command.make(
  "compare",
  {
    baseline: scenarioArg("baseline", "the baseline scenario file"),
    variant: scenarioArg("variant", "the variant scenario file (e.g. with an intervention)"),
    ...flags.options
  },
  (f) =>
    Effect.gen(function* () {
      const io = yield* Io
      const baseline = yield* load(f.baseline)
      const variant = yield* load(f.variant)
      const made = makeComparePlan(baseline, variant, {
        runs: f.runs,
        seed: Option.getOrNull(f.seed),
        years: Option.getOrNull(f.years),
        optimismBias: Option.getOrNull(f.optimismBias),
        deadweight: Option.getOrNull(f.deadweight)
      })
      if (Either.isLeft(made)) return yield* Effect.fail(new BadInput({ detail: made.left.message }))
      const plan = made.right
      yield* readyToRun(baseline, plan.years)
      yield* readyToRun(variant, plan.years)
      const reports = { report: f.report, xlsx: f.xlsx }
      yield* checkOutputs(
        [...COMPARE_FILES.map((name) => ({ file: path.join(f.out, name), flag: "--out" })), ...reportTargets(reports)],
        [...inputsOf(baseline, "the baseline scenario"), ...inputsOf(variant, "the variant scenario")]
      )
      yield* probeFolder(f.out, "--out")
      const workers = Flags.workerCount(f.workers, io.cores, f.runs)
      if (workers.note !== null) yield* note(workers.note)
      const job = compareJob(plan, baseline, variant)
      const runner = workers.count === 0 ? Replicator.inThisThread(job) : Replicator.workerThreads(job, workers.count)
      const started = performance.now()
      const comparison = yield* runComparison(plan, io.progress(f.runs)).pipe(Effect.provide(runner))
      const elapsed = (performance.now() - started) / 1000
      // The variant's parameters, then those of the baseline that the variant does not share.
      const parameters = wantsReport(reports)
        ? yield* Effect.gen(function* () {
            const v = yield* parametersOf(variant)
            const same = new Set(v.map((p) => `${p.path}\u0000${p.value}`))
            const b = (yield* parametersOf(baseline)).filter((p) => !same.has(`${p.path}\u0000${p.value}`))
            return [...v, ...b]
          })
        : []
      const input = {
        facts: {
          kind: "compare" as const,
          scenarios: [scenarioFact("Baseline", baseline), scenarioFact("Variant", variant)],
          seed: plan.seed,
          runs: plan.runs,
          years: plan.years,
          start: plan.layout.startDate,
          end: plan.layout.endDate,
          version: VERSION
        },
        comparison,
        baseline: baseline.central,
        variant: variant.central,
        parameters
      }
      const extra = yield* renderReports(
        reports,
        () => compareDocument(input),
        () => compareWorkbook(input)
      )
      const written = yield* commit({
        dir: f.out,
        flag: "--out",
        names: COMPARE_FILES,
        files: compareFiles(comparison),
        extra
      })
      yield* say(reportText(comparison))
      yield* say("")
      for (const line of writtenLines(written, extra)) yield* say(line)
      yield* note(
        `${grouped(f.runs)} paired replications in ${elapsed.toFixed(1)} s ` +
          `(${((2 * f.runs) / Math.max(elapsed, 1e-9)).toFixed(1)} runs a second) ${threads(workers.count)}`
      )
    }).pipe(replicationFailures)
).pipe(
  Command.withDescription(
    "paired comparison of two scenarios on common random numbers: differences with 95% intervals, and a " +
      "cost-benefit analysis (NPV at 3.5%, ROI, payback)"
  )
)
