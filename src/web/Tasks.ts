/**
 * What the page runs, made of the command line's own parts: a single run (what `caseflow run` computes and
 * writes, without an event log), a Monte Carlo run (`caseflow montecarlo` with `--report`) and a comparison
 * (`caseflow compare`), each ending in the same CSVs, the same HTML report and the same workbook. Only
 * where the replications run differs: the caller says how to make the `Replicator` for a job (Web Workers in the page,
 * this thread in the tests), and the fold of their outcomes is the command line's, whatever order they
 * come back in.
 *
 * Nothing here touches a file or the DOM: the page hands the results to the analyst as downloads.
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import { compareJob, makeComparePlan, runComparison } from "../compare/Compare.js"
import { compareDocument, compareWorkbook } from "../compare/Document.js"
import { compareFiles, reportText as compareText } from "../compare/Report.js"
import { compileModel } from "../model/Model.js"
import { parseBudgetFlag, resolveBudgets } from "../montecarlo/Budget.js"
import {
  montecarloDocument,
  montecarloWorkbook,
  SPEND_PERCENTILES_FILE,
  spendPercentilesCsv
} from "../montecarlo/Document.js"
import { runShard } from "../montecarlo/MonteCarlo.js"
import { makePlan, runLayout } from "../montecarlo/Plan.js"
import { reportFiles, reportText as montecarloText } from "../montecarlo/Report.js"
import { makeStreams } from "../random/Streams.js"
import type { Replicator, WorkerFailed } from "../replication/Pool.js"
import { noProgress, type Progress } from "../replication/Progress.js"
import type { Job } from "../replication/Replication.js"
import { scenarioParameters, type Parameter, type ScenarioText } from "../report/Assumptions.js"
import { DfeFold, dfeFiles } from "../report/Dfe.js"
import type { ReportDocument } from "../report/Document.js"
import { percent } from "../report/Format.js"
import { runDocument, runReportInput, runWorkbook } from "../report/RunReport.js"
import { scenarioFact } from "../report/Reporting.js"
import { oneDrawNote, summaryText } from "../report/Summary.js"
import { resultFiles } from "../report/Tables.js"
import { wideFiles } from "../report/Wide.js"
import type { Workbook } from "../report/Workbook.js"
import { simulateOrRefused } from "../run/Run.js"
import type { ScenarioSource } from "../scenario/Load.js"
import { formatWarnings } from "../scenario/Problems.js"
import { checkRunSize } from "../scenario/Size.js"
import { scenarioWarnings } from "../scenario/Warnings.js"
import { VERSION } from "../version.js"
import type { Files } from "./MemoryFiles.js"

/** A task that cannot run (bad budgets, two scenarios that cannot be compared, a replication's bad draw, ...). */
export class TaskFailed extends Schema.TaggedError<TaskFailed>()("TaskFailed", { detail: Schema.String }) {
  override get message(): string {
    return this.detail
  }
}

/** Where a job's replications run: Web Workers in the page, this thread in the tests. */
export type Replicators = (job: Job) => Layer.Layer<Replicator, WorkerFailed>

/** One result file: a CSV (text), the report (text) or the workbook (bytes). */
export interface Output {
  readonly name: string
  readonly data: string | Uint8Array
}

export interface TaskResult {
  /** What the command line prints. */
  readonly summary: string
  /** The CSVs, named and in the order the command line writes them. */
  readonly csv: ReadonlyArray<Output>
  /** The `--report` page. */
  readonly html: string
  /** The `--xlsx` workbook. */
  readonly xlsx: Uint8Array
  /** Vega's warnings while rendering (none expected). */
  readonly renderWarnings: ReadonlyArray<string>
}

/** The scenario's parameters with the comments that source them, from its files' texts (see report/Assumptions.ts). */
export const parametersFrom = (files: Files, source: ScenarioSource): Array<Parameter> => {
  const texts: Array<ScenarioText> = []
  for (const file of source.files) {
    const text = files.get(file)
    if (text !== undefined) texts.push({ file, text })
  }
  if (texts.length === 0) texts.push({ file: source.file, text: JSON.stringify(source.raw) })
  return scenarioParameters(texts, source.raw)
}

/**
 * Before a scenario is run for `years`: a run too large is refused (as the command line refuses it); the
 * warnings the command line prints on stderr (dated values outside the run, figures an overlay did not
 * re-base) are returned for the page to show.
 */
export const preflight = (source: ScenarioSource, years: number): Either.Either<string | null, TaskFailed> => {
  const size = checkRunSize(source, years)
  if (Either.isLeft(size)) return Either.left(new TaskFailed({ detail: size.left.message }))
  const warnings = [...source.warnings, ...scenarioWarnings(source.central, years, source.locate)]
  return Either.right(warnings.length === 0 ? null : formatWarnings(source.label, warnings))
}

/** The report and the workbook, rendered (Render.ts: here; in the page, in a Web Worker). */
export interface Rendered {
  readonly html: string
  readonly renderWarnings: ReadonlyArray<string>
  readonly xlsx: Uint8Array
}
export type Render = (doc: ReportDocument, book: Workbook) => Effect.Effect<Rendered, TaskFailed>

/** Where a task's replications run and its report is rendered. */
export interface Env {
  readonly replicators: Replicators
  readonly render: Render
}

const render = (env: Pick<Env, "render">, doc: () => ReportDocument, book: () => Workbook) =>
  Effect.suspend(() => env.render(doc(), book()))

const csvOf = (files: ReadonlyArray<readonly [string, string]>): Array<Output> =>
  files.map(([name, data]) => ({ name, data }))

/** A single run's results before its report is drawn: what `caseflow run` prints and writes, and the report's parts. */
export interface RunResults {
  readonly summary: string
  readonly csv: ReadonlyArray<Output>
  readonly events: number
  /** The simulation itself (milliseconds). */
  readonly simulatedMs: number
  /** The `--report` document and the `--xlsx` workbook, to render (Render). */
  readonly doc: ReportDocument
  readonly book: Workbook
}

/**
 * `caseflow run` of `source` with `seed` and `years`: its summary and CSVs, and the report's document and
 * workbook, not yet rendered (the page shows the results first, then renders the report in another worker).
 * A run that would never end fails, naming the scenario and the fields to check.
 */
export const runResults = (
  source: ScenarioSource,
  parameters: ReadonlyArray<Parameter>,
  seed: number,
  years: number
): Either.Either<RunResults, TaskFailed> => {
  const scenario = source.central
  const model = compileModel(scenario, years)
  const uascVia = scenario.uasc?.via
  const dfe = new DfeFold(model.calendar, scenario.name, uascVia === undefined ? -1 : model.names.id(uascVia))
  // Timed for the page's status line only (as the command line's timing line): nothing in the model reads it.
  const t0 = performance.now()
  const ran = simulateOrRefused(model, makeStreams(seed, 0), { take: (r) => dfe.take(r) })
  if (Either.isLeft(ran)) return Either.left(new TaskFailed({ detail: `${source.label}: ${ran.left.detail}` }))
  const result = ran.right
  const simulatedMs = performance.now() - t0
  const tables = dfe.finish()
  const input = runReportInput({ source, seed, years, calendar: model.calendar, result, parameters, dfe: tables })
  return Either.right({
    summary: `${summaryText(scenario, result.totals, result.spend, seed)}\n\n${oneDrawNote(seed)}`,
    csv: csvOf([
      ...resultFiles(result.totals, result.spend),
      ...wideFiles(scenario, result.totals, result.spend),
      ...dfeFiles(tables)
    ]),
    events: result.stats.events,
    simulatedMs,
    doc: runDocument(input),
    book: runWorkbook(input)
  })
}

/** `caseflow run` of `source` with `seed` and `years` (and `--report`, `--xlsx`): the same files. */
export const singleRun = (
  source: ScenarioSource,
  parameters: ReadonlyArray<Parameter>,
  seed: number,
  years: number,
  env: Pick<Env, "render">
): Effect.Effect<TaskResult & { readonly events: number; readonly simulatedMs: number }, TaskFailed> =>
  Effect.flatMap(
    Effect.suspend(() => runResults(source, parameters, seed, years)),
    ({ doc, book, ...results }) => Effect.map(env.render(doc, book), (rendered) => ({ ...results, ...rendered }))
  )

export interface MonteCarloOptions {
  readonly seed: number
  readonly years: number
  readonly runs: number
  /** `--budget` values (YEAR=AMOUNT or YEAR:LINE=AMOUNT). */
  readonly budgets: ReadonlyArray<string>
  readonly tolerance?: number
}

/** `caseflow montecarlo` of `source` with `--report` and `--xlsx`: the same files. */
export const monteCarlo = (
  source: ScenarioSource,
  parameters: ReadonlyArray<Parameter>,
  o: MonteCarloOptions,
  env: Env,
  progress: Progress = noProgress
): Effect.Effect<TaskResult, TaskFailed> =>
  Effect.gen(function* () {
    const flags = []
    for (const text of o.budgets) {
      const f = parseBudgetFlag(text)
      if (Either.isLeft(f)) return yield* Effect.fail(new TaskFailed({ detail: f.left }))
      flags.push(f.right)
    }
    const budgets = resolveBudgets({ ...runLayout(source, o.years), scenario: source.central.budgetLines }, flags)
    if (Either.isLeft(budgets)) return yield* Effect.fail(new TaskFailed({ detail: budgets.left }))
    const tolerance = o.tolerance ?? 0.05
    const plan = makePlan(source, {
      seed: o.seed,
      years: o.years,
      runs: o.runs,
      budgets: budgets.right,
      tolerance,
      precision: 0.005
    })
    const { summary } = yield* runShard(plan, undefined, progress).pipe(
      Effect.provide(env.replicators({ arms: [source], years: o.years, seed: o.seed })),
      Effect.catchTags({
        ReplicationError: (e) => Effect.fail(new TaskFailed({ detail: e.message })),
        WorkerFailed: (e) => Effect.fail(new TaskFailed({ detail: e.message }))
      })
    )
    const input = {
      facts: {
        kind: "montecarlo" as const,
        scenarios: [scenarioFact("Scenario", source)],
        seed: o.seed,
        runs: o.runs,
        years: o.years,
        start: plan.startDate,
        end: plan.endDate,
        version: VERSION,
        more: [["Overspend tolerance", percent(tolerance, 1)] as const]
      },
      scenario: source.central,
      plan,
      summary,
      parameters
    }
    const rendered = yield* render(
      env,
      () => montecarloDocument(input),
      () => montecarloWorkbook(input)
    )
    return {
      summary: montecarloText(plan, summary),
      csv: csvOf([...reportFiles(plan, summary), [SPEND_PERCENTILES_FILE, spendPercentilesCsv(plan, summary)]]),
      ...rendered
    }
  })

export interface CompareOptions {
  readonly seed: number | null
  readonly years: number | null
  readonly runs: number
}

/** `caseflow compare baseline variant` with `--report` and `--xlsx`: the same files. */
export const comparison = (
  baseline: ScenarioSource,
  variant: ScenarioSource,
  parameters: { readonly baseline: ReadonlyArray<Parameter>; readonly variant: ReadonlyArray<Parameter> },
  o: CompareOptions,
  env: Env,
  progress: Progress = noProgress
): Effect.Effect<TaskResult, TaskFailed> =>
  Effect.gen(function* () {
    const made = makeComparePlan(baseline, variant, {
      runs: o.runs,
      seed: o.seed,
      years: o.years,
      optimismBias: null,
      deadweight: null
    })
    if (Either.isLeft(made)) return yield* Effect.fail(new TaskFailed({ detail: made.left.message }))
    const plan = made.right
    const result = yield* runComparison(plan, progress).pipe(
      Effect.provide(env.replicators(compareJob(plan, baseline, variant))),
      Effect.catchTags({
        ReplicationError: (e) => Effect.fail(new TaskFailed({ detail: e.message })),
        WorkerFailed: (e) => Effect.fail(new TaskFailed({ detail: e.message }))
      })
    )
    // As `caseflow compare` lists them: the variant's parameters, then the baseline's that differ.
    const same = new Set(parameters.variant.map((p) => `${p.path}\u0000${p.value}`))
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
      comparison: result,
      baseline: baseline.central,
      variant: variant.central,
      parameters: [...parameters.variant, ...parameters.baseline.filter((p) => !same.has(`${p.path}\u0000${p.value}`))]
    }
    const rendered = yield* render(
      env,
      () => compareDocument(input),
      () => compareWorkbook(input)
    )
    return { summary: compareText(result), csv: csvOf(compareFiles(result)), ...rendered }
  })
