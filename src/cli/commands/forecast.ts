/**
 * `caseflow forecast <scenario> --as-of DATE [--actuals FILE] [--caseload FILE] [--history FILE] ...`: the
 * in-year forecast outturn, actual spend to date + the simulated rest of the year (Monte Carlo), against
 * the whole year's budget. See src/forecast/.
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as ValidationError from "@effect/cli/ValidationError"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as path from "node:path"
import { calendarDateProblem, epochDay } from "../../domain/Calendar.js"
import { show } from "../../domain/Show.js"
import { asOfProblem, monthsToDate, readActuals } from "../../forecast/Actuals.js"
import { readCaseload } from "../../forecast/Caseload.js"
import { forecastDocument, forecastWorkbook } from "../../forecast/Document.js"
import { renderCsvProblems } from "../../forecast/Csv.js"
import {
  deriveScenario,
  forecastFigures,
  forecastYears,
  MAX_FORECAST_RUNS,
  runForecast,
  type ForecastPlan
} from "../../forecast/Forecast.js"
import {
  FORECAST_FILES,
  forecastCsv,
  forecastText,
  historyCsv,
  historyRows,
  type HistoryRow,
  mergeHistory,
  readHistory
} from "../../forecast/Report.js"
import { resolveBudgets } from "../../montecarlo/Budget.js"
import { readInputText } from "../../io/InputFile.js"
import { percent } from "../../report/Format.js"
import { scenarioFact } from "../../report/Reporting.js"
import { VERSION } from "../../version.js"
import { Replicator } from "../../replication/Pool.js"
import { formatWarnings } from "../../scenario/Problems.js"
import { checkRunSize } from "../../scenario/Size.js"
import { BadFlag, BadInput } from "../errors.js"
import * as Flags from "../flags.js"
import { Io, note, say } from "../io.js"
import { checkOutputs, commit, type Input, probeFolder } from "../output.js"
import { parametersOf, renderReports, reportTargets, wantsReport } from "../reports.js"
import { grouped, inputsOf, load, replicationFailures, scenarioArg, threads, writtenLines } from "./shared.js"

/** Actuals, caseload and history files: at most this size. */
const CSV_MAX_BYTES = 64 * 2 ** 20

const parseAsOf = (raw: string): Either.Either<string, string> => {
  const t = raw.trim()
  if (!/^\d{4}-\d{2}-\d{2}$/.test(t))
    return Either.left(`--as-of: expected a date as YYYY-MM-DD (the first day of a month), found ${show(raw)}`)
  const p = calendarDateProblem(t) ?? asOfProblem(t)
  return p === null ? Either.right(t) : Either.left(`--as-of: ${p.endsWith(show(t)) ? p : `${p}, found ${show(t)}`}`)
}

const asOf: Flags.Flag<string> = {
  name: "as-of",
  options: Options.text("as-of").pipe(
    Options.withPseudoName("DATE"),
    Options.withDescription(
      "the first day forecast (the first of a month): actuals run to the day before, the simulation from it"
    ),
    Options.mapEffect((raw) =>
      Either.match(parseAsOf(raw), {
        onLeft: (m) => Effect.fail(ValidationError.invalidValue(HelpDoc.p(m))),
        onRight: Effect.succeed
      })
    )
  ),
  checks: [{ name: "as-of", check: (raw) => Either.match(parseAsOf(raw), { onLeft: (m) => m, onRight: () => null }) }]
}

const inputFile = (name: string, description: string): Flags.Flag<Option.Option<string>> => ({
  name,
  options: Options.file(name).pipe(Options.withDescription(description), Options.optional),
  checks: []
})

const flags = Flags.flagSet({
  asOf,
  actuals: inputFile(
    "actuals",
    "CSV of actual spend to date: budget_line, month, amount (required unless --as-of is 1 April)"
  ),
  caseload: inputFile(
    "caseload",
    "CSV of the children open on the as-of date: level, placement, date_of_birth, start_date[, legal_status]"
  ),
  history: inputFile("history", "an earlier forecast_history.csv, to show how the forecast moved"),
  runs: Flags.integerWithDefault("runs", 1, MAX_FORECAST_RUNS, 1000, "number of replications"),
  workers: Flags.workers,
  seed: Flags.seed("random seed (default: the scenario's seed)"),
  years: Flags.optionalInteger("years", 1, 10, "financial years to forecast: this one and the next (default 1)"),
  budget: Flags.budget,
  tolerance: Flags.shareWithDefault("tolerance", 0.05, "overspend tolerance, a share of the budget"),
  out: Flags.out("folder for forecast.csv and forecast_history.csv"),
  report: Flags.report,
  xlsx: Flags.xlsx
})

export const checks = flags.checks
export const names = flags.names

const readCsvFile = (file: string) =>
  readInputText(file, CSV_MAX_BYTES).pipe(
    Effect.catchTag("InputFileError", (e) => Effect.fail(new BadInput({ detail: e.message })))
  )

export const command = Command.make(
  "forecast",
  { scenario: scenarioArg("scenario", "scenario file of the council"), ...flags.options },
  (f) =>
    Effect.gen(function* () {
      const io = yield* Io
      const source = yield* load(f.scenario)
      if (source.warnings.length > 0) yield* note(formatWarnings(source.label, source.warnings))
      const s = source.central
      const years = Option.getOrElse(f.years, () => 1)
      const seed = Option.getOrElse(f.seed, () => s.seed)
      const { financialYear, months } = monthsToDate(f.asOf)
      const actualsFile = Option.getOrNull(f.actuals)
      const caseloadFile = Option.getOrNull(f.caseload)
      const historyFile = Option.getOrNull(f.history)
      if (actualsFile === null && months.length > 0)
        return yield* Effect.fail(
          new BadFlag({
            detail:
              `--actuals: expected a file of actual spend from ${months[0]} to ${months[months.length - 1]} ` +
              `(a forecast as at ${f.asOf} adds them to the simulated rest of ${financialYear}), found none`
          })
        )
      if (caseloadFile === null && epochDay(f.asOf) < epochDay(s.start))
        return yield* Effect.fail(
          new BadFlag({
            detail:
              `--as-of ${f.asOf}: before the scenario's start (${s.start}), whose opening caseload is of that ` +
              `date: give today's caseload with --caseload`
          })
        )

      // Today's caseload, then the scenario as the forecast runs it. The CSV files are read unguarded, as the
      // scenario is (`CliIo.unguarded`): a signal during a long parse ends the process at once (nothing is
      // written yet).
      let caseload = null
      if (caseloadFile !== null) {
        const read = yield* io.unguarded(
          Effect.map(readCsvFile(caseloadFile), (text) =>
            readCaseload(text, {
              asOf: f.asOf,
              careLeaverUpTo: s.levels.care_leaver.extendedTo,
              legalStatus: s.levels.looked_after.legalStatus !== undefined
            })
          )
        )
        if (read.problems.length > 0)
          return yield* Effect.fail(
            new BadInput({ detail: renderCsvProblems(caseloadFile, "the caseload", read.problems) })
          )
        if (read.caseload.children === 0)
          return yield* Effect.fail(
            new BadInput({ detail: `${caseloadFile}: expected a row for each child open on ${f.asOf}, found none` })
          )
        caseload = read.caseload
      }
      const derived = deriveScenario(source, { asOf: f.asOf, years, caseload: caseload?.groups ?? null })
      if (Either.isLeft(derived)) return yield* Effect.fail(new BadInput({ detail: derived.left.message }))
      const size = checkRunSize(derived.right, years)
      if (Either.isLeft(size)) return yield* Effect.fail(new BadInput({ detail: size.left.message }))
      const layout = forecastYears(derived.right, years, months)
      const labels = layout.years.map((y) => y.label)
      for (const b of f.budget)
        if (!labels.includes(b.financialYear))
          return yield* Effect.fail(
            new BadFlag({
              detail:
                `--budget "${b.text}": ${b.financialYear} is not a financial year of this forecast ` +
                `(${labels[0]}${labels.length > 1 ? ` to ${labels[labels.length - 1]}` : ""}; --years sets how many)`
            })
          )
      const budgets = resolveBudgets(
        { financialYears: labels, budgetLines: layout.budgetLines, scenario: s.budgetLines },
        f.budget
      )
      if (Either.isLeft(budgets)) return yield* Effect.fail(new BadFlag({ detail: budgets.left }))

      // Actuals to date, and earlier forecasts.
      const B = layout.budgetLines.length
      const actuals = new Array<number>(years * (B + 1)).fill(0)
      if (actualsFile !== null) {
        const read = yield* io.unguarded(
          Effect.map(readCsvFile(actualsFile), (text) =>
            readActuals(text, { budgetLines: layout.budgetLines, asOf: f.asOf })
          )
        )
        if (read.problems.length > 0)
          return yield* Effect.fail(
            new BadInput({
              detail: renderCsvProblems(actualsFile, `the actuals (as at ${f.asOf})`, read.problems)
            })
          )
        read.actuals.toDate.forEach((p, i) => (actuals[i] = p))
      }
      let earlier: ReadonlyArray<HistoryRow> = []
      if (historyFile !== null) {
        const read = yield* io.unguarded(Effect.map(readCsvFile(historyFile), readHistory))
        if (read.problems.length > 0)
          return yield* Effect.fail(
            new BadInput({ detail: renderCsvProblems(historyFile, "the forecast history", read.problems) })
          )
        earlier = read.rows
      }

      const inputs: Array<Input> = [...inputsOf(source, "the scenario")]
      if (actualsFile !== null) inputs.push({ file: actualsFile, role: "the actuals" })
      if (caseloadFile !== null) inputs.push({ file: caseloadFile, role: "the caseload" })
      if (historyFile !== null) inputs.push({ file: historyFile, role: "the forecast history" })
      const reports = { report: f.report, xlsx: f.xlsx }
      yield* checkOutputs(
        [...FORECAST_FILES.map((name) => ({ file: path.join(f.out, name), flag: "--out" })), ...reportTargets(reports)],
        inputs
      )
      yield* probeFolder(f.out, "--out")

      const plan: ForecastPlan = {
        scenario: { name: s.name, sha256: source.id },
        asOf: f.asOf,
        seed,
        runs: f.runs,
        years: layout.years,
        budgetLines: layout.budgetLines,
        budgets: budgets.right,
        actuals,
        tolerance: f.tolerance
      }
      if (caseload === null && f.asOf !== s.start)
        yield* note(
          `no --caseload: the scenario's opening caseload (written for its start, ${s.start}) is taken as the ` +
            `caseload on ${f.asOf}`
        )
      const workers = Flags.workerCount(f.workers, io.cores, f.runs)
      if (workers.note !== null) yield* note(workers.note)
      const job = { arms: [derived.right], years, seed }
      const replicator =
        workers.count === 0 ? Replicator.inThisThread(job) : Replicator.workerThreads(job, workers.count)
      const started = performance.now()
      const runs = yield* runForecast(plan, io.progress(f.runs)).pipe(Effect.provide(replicator))
      const elapsed = (performance.now() - started) / 1000
      const figures = forecastFigures(plan, runs)
      const history = mergeHistory(earlier, historyRows(plan, figures))
      const input = {
        facts: {
          kind: "forecast" as const,
          scenarios: [scenarioFact("Scenario", source)],
          seed,
          runs: f.runs,
          years,
          start: f.asOf,
          end: layout.years[layout.years.length - 1].to,
          version: VERSION,
          more: [
            ["Forecast as at", f.asOf] as const,
            ["Actual spend to date", actualsFile ?? "none (a forecast from 1 April)"] as const,
            ["Caseload on the as-of date", caseloadFile ?? "the scenario's opening caseload"] as const,
            ["Overspend tolerance", percent(f.tolerance, 1)] as const
          ]
        },
        scenario: s,
        plan,
        figures,
        history,
        parameters: wantsReport(reports) ? yield* parametersOf(source) : []
      }
      const extra = yield* renderReports(
        reports,
        () => forecastDocument(input),
        () => forecastWorkbook(input)
      )
      const written = yield* commit({
        dir: f.out,
        flag: "--out",
        names: FORECAST_FILES,
        files: [
          ["forecast.csv", forecastCsv(plan, figures)],
          ["forecast_history.csv", historyCsv(history)]
        ],
        extra
      })
      yield* say(
        forecastText(plan, figures, history, {
          actualsFile,
          caseload: caseload === null || caseloadFile === null ? null : { file: caseloadFile, caseload },
          scenarioStart: s.start
        })
      )
      yield* say("")
      for (const line of writtenLines(written, extra)) yield* say(line)
      yield* note(
        `${grouped(f.runs)} replications in ${elapsed.toFixed(1)} s ` +
          `(${(f.runs / Math.max(elapsed, 1e-9)).toFixed(1)} a second) ${threads(workers.count)}`
      )
    }).pipe(replicationFailures)
).pipe(
  Command.withDescription(
    "in-year forecast outturn: actual spend to date + the simulated rest of the year, against the budget"
  )
)
