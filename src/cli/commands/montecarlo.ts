/**
 * `caseflow montecarlo <scenario>`: many replications with parameter uncertainty; percentiles, the chance
 * of overspending, fan charts and sensitivity. With `--shard i/n`, only shard i, written for `merge`.
 */
import * as Command from "@effect/cli/Command"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as path from "node:path"
import { resolveBudgets } from "../../montecarlo/Budget.js"
import { runShard } from "../../montecarlo/MonteCarlo.js"
import { makePlan, runLayout, shardRange } from "../../montecarlo/Plan.js"
import { MAX_RUNS, shardFileName, shardText } from "../../montecarlo/Partial.js"
import {
  montecarloDocument,
  montecarloWorkbook,
  SPEND_PERCENTILES_FILE,
  spendPercentilesCsv
} from "../../montecarlo/Document.js"
import { reportFiles, reportText, MONTECARLO_FILES } from "../../montecarlo/Report.js"
import { percent } from "../../report/Format.js"
import { Replicator } from "../../replication/Pool.js"
import { scenarioFact } from "../../report/Reporting.js"
import { VERSION } from "../../version.js"
import { BadFlag } from "../errors.js"
import * as Flags from "../flags.js"
import { Io, note, say } from "../io.js"
import { checkOutputs, commit, probeFolder } from "../output.js"
import { parametersOf, renderReports, reportTargets, wantsReport } from "../reports.js"
import {
  grouped,
  inputsOf,
  load,
  printable,
  readyToRun,
  replicationFailures,
  scenarioArg,
  threads,
  writtenLines
} from "./shared.js"

const flags = Flags.flagSet({
  runs: Flags.integerWithDefault("runs", 1, MAX_RUNS, 1000, "number of replications"),
  workers: Flags.workers,
  seed: Flags.seed("random seed (default: the scenario's seed)"),
  years: Flags.years("years to simulate (default: the scenario's)"),
  budget: Flags.budget,
  tolerance: Flags.shareWithDefault("tolerance", 0.05, "overspend tolerance, a share of the budget"),
  precision: Flags.shareWithDefault(
    "precision",
    0.005,
    "target half-width of the 95% interval of a mean, relative to the mean: sets runs_for_precision",
    { atLeast: { share: 0.0001, why: "a narrower interval needs more runs than any Monte Carlo makes" } }
  ),
  out: Flags.out("folder for the CSV results (or the shard file)"),
  shard: Flags.shard,
  report: Flags.report,
  xlsx: Flags.xlsx
})

export const checks = flags.checks
export const names = flags.names

export const command = Command.make(
  "montecarlo",
  { scenario: scenarioArg("scenario", "scenario file, usually with uncertain parameters"), ...flags.options },
  (f) =>
    Effect.gen(function* () {
      const io = yield* Io
      const source = yield* load(f.scenario)
      const years = Option.getOrElse(f.years, () => source.central.years)
      yield* readyToRun(source, years)
      const seed = Option.getOrElse(f.seed, () => source.central.seed)
      const shard = Option.getOrNull(f.shard)
      const budgets = resolveBudgets({ ...runLayout(source, years), scenario: source.central.budgetLines }, f.budget)
      if (Either.isLeft(budgets)) return yield* Effect.fail(new BadFlag({ detail: budgets.left }))
      const shardName = shard === null ? null : shardFileName(shard.index, shard.count)
      const reports = { report: f.report, xlsx: f.xlsx }
      if (shard !== null && wantsReport(reports))
        return yield* Effect.fail(
          new BadFlag({
            detail:
              `${reportTargets(reports)[0].flag}: a shard writes only its shard file; ` +
              "the report is of the whole run"
          })
        )
      // A shard writes only its own file (the other shards may share the folder); a whole run, its CSVs.
      // With --report, also the percentiles its spend charts are drawn from.
      const names = shardName === null ? [...MONTECARLO_FILES, SPEND_PERCENTILES_FILE] : [shardName]
      yield* checkOutputs(
        [...names.map((name) => ({ file: path.join(f.out, name), flag: "--out" })), ...reportTargets(reports)],
        inputsOf(source, "the scenario")
      )
      yield* probeFolder(f.out, "--out")

      const plan = makePlan(source, {
        seed,
        years,
        runs: f.runs,
        budgets: budgets.right,
        tolerance: f.tolerance,
        precision: f.precision
      })
      const range = shard === null ? { from: 0, to: f.runs } : shardRange(f.runs, shard.index, shard.count)
      const mine = range.to - range.from
      const workers = Flags.workerCount(f.workers, io.cores, mine)
      if (workers.note !== null) yield* note(workers.note)
      const job = { arms: [source], years, seed }
      const replicator =
        workers.count === 0 ? Replicator.inThisThread(job) : Replicator.workerThreads(job, workers.count)
      const started = performance.now()
      const result = yield* runShard(plan, shard ?? undefined, io.progress(mine)).pipe(Effect.provide(replicator))
      const elapsed = (performance.now() - started) / 1000

      if (shard !== null && shardName !== null) {
        const written = yield* commit({
          dir: f.out,
          flag: "--out",
          names,
          files: [[shardName, shardText(result, VERSION)]]
        })
        yield* say(
          `${printable(plan.scenario.name)}: shard ${shard.index}/${shard.count}, ` +
            `replications ${range.from}-${range.to - 1} of ${grouped(f.runs)} (seed ${seed})`
        )
        yield* say(`Shard result: ${written.join(", ")}  (combine all ${shard.count} with caseflow merge)`)
      } else {
        const input = {
          facts: {
            kind: "montecarlo" as const,
            scenarios: [scenarioFact("Scenario", source)],
            seed,
            runs: f.runs,
            years,
            start: plan.startDate,
            end: plan.endDate,
            version: VERSION,
            more: [["Overspend tolerance", percent(f.tolerance, 1)] as const]
          },
          scenario: source.central,
          plan,
          summary: result.summary,
          parameters: wantsReport(reports) ? yield* parametersOf(source) : []
        }
        const extra = yield* renderReports(
          reports,
          () => montecarloDocument(input),
          () => montecarloWorkbook(input)
        )
        const written = yield* commit({
          dir: f.out,
          flag: "--out",
          names,
          files: [
            ...reportFiles(plan, result.summary),
            ...(Option.isSome(f.report)
              ? [[SPEND_PERCENTILES_FILE, spendPercentilesCsv(plan, result.summary)] as const]
              : [])
          ],
          extra
        })
        yield* say(reportText(plan, result.summary))
        yield* say("")
        for (const line of writtenLines(written, extra)) yield* say(line)
      }
      yield* note(
        `${grouped(mine)} replications in ${elapsed.toFixed(1)} s ` +
          `(${(mine / Math.max(elapsed, 1e-9)).toFixed(1)} a second) ${threads(workers.count)}`
      )
    }).pipe(replicationFailures)
).pipe(
  Command.withDescription(
    "Monte Carlo budget risk: replications with parameter uncertainty; percentiles, overspend probability, " +
      "fan charts, sensitivity"
  )
)
