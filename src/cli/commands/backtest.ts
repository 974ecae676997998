/**
 * `caseflow backtest --dfe DIR --la X --cutoffs 2017,2019 [--runs 200] [--costs T] [--trend none|linear]
 * [--workers auto|K] [--out DIR] [--report F.html] [--xlsx F.xlsx]`: for each cut-off, the council's scenario
 * calibrated on the DfE tables up to it (as `calibrate --dfe` writes it), simulated forward with Monte Carlo,
 * against the 31 March figures the council published after it, and against two naive forecasts. Writes
 * backtest.csv, backtest_summary.csv and each cut-off's scenario (scenario_<cutoff>.yaml) to --out, all or
 * nothing.
 *
 * `caseflow backtest --episodes F... --header F... [--uasc F...] [--la X] --cutoffs DATE,DATE ...`: the same
 * from a council's SSDA903 returns, by month (`backtest/Backtest903.ts`): each cut-off a month's last day.
 * With `--dfe DIR --la X` as well, the two sources together (`backtest/BacktestCombined.ts`): each cut-off a
 * 31 March, calibrated as `calibrate --episodes ... --dfe` does, scored on both.
 */
import * as Command from "@effect/cli/Command"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Options from "@effect/cli/Options"
import * as ValidationError from "@effect/cli/ValidationError"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as path from "node:path"
import { actualsOf, backtestCutoff, type CutoffResult, lastActualYear, MEASURES } from "../../backtest/Backtest.js"
import {
  backtest903Cutoff,
  type Cutoff903Result,
  isMonthEnd,
  monthEnd,
  monthlyActuals,
  monthOf,
  MONTHLY_MEASURE_NAMES
} from "../../backtest/Backtest903.js"
import {
  backtestCombinedCutoff,
  COMBINED_MEASURE_NAMES,
  type CombinedResult,
  TABLE_MEASURES,
  tableActuals
} from "../../backtest/BacktestCombined.js"
import { bandedSummaryRows, summaryRows } from "../../backtest/Metrics.js"
import type { Variation } from "../../backtest/Uncertainty.js"
import { NO_CLA_FIGURE, NO_CP_FIGURE } from "../../calibrate/DfeScenario.js"
import { councilNames } from "../../calibrate/Combined.js"
import type { Job } from "../../replication/Replication.js"
import {
  BACKTEST_FILES,
  backtestCsv,
  backtestDocument,
  backtestText,
  backtestWorkbook,
  SUMMARY_FILE,
  BACKTEST_FILE,
  COMBINED,
  MONTHLY,
  summaryCsv
} from "../../backtest/Report.js"
import { addYears, calendarDateProblem, epochDay, isoOfEpochDay } from "../../domain/Calendar.js"
import { grouped, show } from "../../domain/Show.js"
import { cleanReturns } from "../../ssda903/Clean.js"
import { readReturns } from "../../ssda903/Read.js"
import { paragraph } from "../../report/Table.js"
import { Replicator } from "../../replication/Pool.js"
import { BadFlag, BadInput } from "../errors.js"
import * as Flags from "../flags.js"
import type { RawCheck } from "../flags.js"
import { Io, note, say } from "../io.js"
import { checkOutputs, commit, probeFolder } from "../output.js"
import { renderReports, reportTargets } from "../reports.js"
import { shippedScenario } from "../shipped.js"
import { calibrationProblem, councilTables, dfeFiles, template } from "./dfe.js"
import { inputsOf, replicationFailures, returnsGiven, returnsInputs, threads, writtenLines } from "./shared.js"

export const MAX_BACKTEST_RUNS = 100_000

const UNCERTAINTIES = ["rates", "none"] as const

/** A back-test calibrates as the council could have at each cut-off: from ONS's estimate of that time. */
const NO_POPULATION = "a back-test needs the estimate of the cut-off's time (choose a later cut-off)"

/** A cut-off as given: a year ending 31 March, or (for SSDA903 returns) a date. */
const cutoffDay = (part: string): number => epochDay(/^\d{4}$/.test(part) ? `${part}-03-31` : part)

const cutoffsProblem = (raw: string): string | null => {
  const parts = raw.split(",").map((p) => p.trim())
  if (parts.length === 0 || parts.some((p) => !/^\d{4}$/.test(p) && calendarDateProblem(p) !== null))
    return (
      "--cutoffs: expected years ending 31 March (such as 2017,2019) or, for SSDA903 returns, dates " +
      `YYYY-MM-DD, separated by commas, found ${show(raw)}`
    )
  if (new Set(parts.map(cutoffDay)).size !== parts.length) return `--cutoffs: a cut-off is given twice in ${show(raw)}`
  return null
}

const flags = Flags.flagSet({
  runs: Flags.integerWithDefault("runs", 1, MAX_BACKTEST_RUNS, 200, "Monte Carlo replications for each cut-off"),
  workers: Flags.workers,
  out: Flags.out("folder for backtest.csv, backtest_summary.csv and each cut-off's scenario"),
  report: Flags.report,
  xlsx: Flags.xlsx
})

const options = {
  dfe: Options.directory("dfe").pipe(
    Options.withDescription("a folder of DfE (EES) CSV files: alone, or with the returns for all but care"),
    Options.optional
  ),
  ...Flags.returns,
  la: Options.text("la").pipe(
    Options.withDescription(
      "the council: its name or LA code (--dfe, also picking its rows of a multi-LA 903 file), or its LA column's " +
        "value (a multi-LA 903 file alone)"
    ),
    Options.optional
  ),
  cutoffs: Options.text("cutoffs").pipe(
    Options.withPseudoName("YEAR,YEAR"),
    Options.withDescription(
      "the cut-offs: years ending 31 March (e.g. 2017,2019), or with SSDA903 returns month ends (2019-09-30): " +
        "fit up to each, forecast after"
    ),
    Options.mapEffect((raw) => {
      const p = cutoffsProblem(raw)
      return p === null
        ? Effect.succeed(raw.split(",").map((x) => x.trim()))
        : Effect.fail(ValidationError.invalidValue(HelpDoc.p(p)))
    })
  ),
  costs: Options.file("costs").pipe(
    Options.withDescription(
      "the template scenario for unit costs and what the tables do not give (default: the shipped " +
        "scenarios/default.yaml, wherever the command is run from)"
    ),
    Options.optional
  ),
  trend: Options.choice("trend", Flags.TRENDS).pipe(
    Options.withDescription("with --dfe: the trend of the years before each cut-off in rates (default none)"),
    Options.optional
  ),
  uncertainty: Options.choice("uncertainty", UNCERTAINTIES).pipe(
    Options.withDescription(
      "with --dfe: rates (the default): draw each rate's year-to-year variation before the cut-off in every " +
        "replication; none: process noise only"
    ),
    Options.optional
  ),
  ...flags.options
}

export const checks: ReadonlyArray<RawCheck> = [
  ...flags.checks,
  { name: "cutoffs", check: cutoffsProblem },
  Flags.choiceCheck("trend", Flags.TRENDS),
  Flags.choiceCheck("uncertainty", UNCERTAINTIES),
  ...["dfe", "la", "costs", "episodes", "header", "uasc"].map((name) => ({
    name,
    check: (raw: string) => (raw.trim() === "" ? `--${name}: expected a value, found ""` : null)
  }))
]
export const names: ReadonlyArray<string> = [
  "dfe",
  "episodes",
  "header",
  "uasc",
  "la",
  "cutoffs",
  "costs",
  "trend",
  "uncertainty",
  ...flags.names
]

/** The flags, with --costs as the template's label (as printed) and the file read for it. */
type Flags = Omit<Command.Command.ParseConfig<typeof options>, "costs"> & {
  readonly costs: string
  readonly costsFile: string
}

/** Without --costs, the shipped default borough, named as in the repository and read from the package. */
const DEFAULT_COSTS = "scenarios/default.yaml"

export const command = Command.make("backtest", options, (given) =>
  Effect.gen(function* () {
    const f: Flags = {
      ...given,
      costs: Option.getOrElse(given.costs, () => DEFAULT_COSTS),
      costsFile: Option.getOrElse(given.costs, () => shippedScenario(DEFAULT_COSTS))
    }
    // With the returns, --dfe adds DfE's tables: the two sources combined, as calibrate combines them.
    if (Option.isNone(f.dfe) || f.episodes.length > 0 || f.header.length > 0 || f.uasc.length > 0)
      return yield* backtest903(f)
    if (Option.isNone(f.la))
      return yield* Effect.fail(new BadFlag({ detail: "--la: give the council (its name or LA code) with --dfe" }))
    const date = f.cutoffs.find((c) => !/^\d{4}$/.test(c))
    if (date !== undefined)
      return yield* Effect.fail(
        new BadFlag({ detail: `--cutoffs ${date}: with --dfe, give years ending 31 March (such as 2017,2019)` })
      )
    yield* backtestDfe({
      ...f,
      dfe: f.dfe.value,
      la: f.la.value,
      cutoffs: f.cutoffs.map(Number).sort((a, b) => a - b),
      trend: Option.getOrElse(f.trend, () => "none" as const),
      uncertainty: Option.getOrElse(f.uncertainty, () => "rates" as const)
    })
  }).pipe(replicationFailures)
).pipe(
  Command.withDescription(
    "back-test: calibrate on DfE tables or SSDA903 returns up to each cut-off, forecast with Monte Carlo, compare " +
      "with what came after it and with naive forecasts"
  )
)

/** The tables' year-to-year variation drawn, as printed. */
const variationText = (v: Variation): string => {
  const pc = (x: number | null) => (x === null ? "none (under 3 years)" : `${(x * 100).toFixed(1)}%`)
  return (
    `year-to-year variation drawn (coefficient of variation): new referrals ${pc(v.referralRate)}, CP plans ` +
    `started ${pc(v.cpStarts)}, CP plan length ${pc(v.cpLength)}, CIN time ${pc(v.cinTime)}.`
  )
}

const backtestDfe = (
  f: Omit<Flags, "dfe" | "la" | "cutoffs" | "trend" | "uncertainty"> & {
    readonly dfe: string
    readonly la: string
    readonly cutoffs: ReadonlyArray<number>
    readonly trend: "none" | "linear"
    readonly uncertainty: "rates" | "none"
  }
) =>
  Effect.gen(function* () {
    const io = yield* Io
    const files = yield* dfeFiles(f.dfe)
    const tmpl = yield* template(f.costsFile)
    const scenarioNames = f.cutoffs.map((c) => `scenario_${c}.yaml`)
    const reports = { report: f.report, xlsx: f.xlsx }
    yield* checkOutputs(
      [
        ...[...BACKTEST_FILES, ...scenarioNames].map((n) => ({ file: path.join(f.out, n), flag: "--out" })),
        ...reportTargets(reports)
      ],
      [...files.map((file) => ({ file, role: "a DfE table being read" })), ...inputsOf(tmpl, "the --costs template")]
    )
    yield* probeFolder(f.out, "--out")
    const tables = yield* io.unguarded(councilTables(f.dfe, f.la))
    const last = lastActualYear(tables)
    for (const c of f.cutoffs) {
      const p = calibrationProblem(tables, "--cutoffs", c, null, NO_POPULATION)
      if (p !== null) return yield* Effect.fail(new BadFlag({ detail: p }))
      if (c >= last)
        return yield* Effect.fail(
          new BadFlag({
            detail: `--cutoffs ${c}: the tables give ${tables.name} no 31 March figure after it (the last is ${last})`
          })
        )
    }
    const workers = Flags.workerCount(f.workers, io.cores, f.runs)
    if (workers.note !== null) yield* note(workers.note)
    const started = performance.now()
    const results: Array<CutoffResult> = []
    for (const cutoff of f.cutoffs) {
      const r = yield* backtestCutoff(
        {
          tables,
          template: { raw: tmpl.raw, label: f.costs },
          trend: f.trend,
          runs: f.runs,
          uncertainty: f.uncertainty,
          command: `caseflow backtest (cut-off ${cutoff}, trend ${f.trend}, template ${f.costs})`,
          replicator: (job) =>
            workers.count === 0 ? Replicator.inThisThread(job) : Replicator.workerThreads(job, workers.count)
        },
        cutoff
      )
      results.push(r)
    }
    const elapsed = (performance.now() - started) / 1000
    const rows = results.flatMap((r) => r.rows)
    const summary = summaryRows(
      rows,
      MEASURES.map((m) => m.name)
    )
    const actuals = MEASURES.map((m) => ({ measure: m.name, series: actualsOf(tables, m.series) }))
    const extra = yield* renderReports(
      reports,
      () => backtestDocument({ council: tables.name, cutoffs: f.cutoffs, runs: f.runs, rows, summary, actuals }),
      () => backtestWorkbook(rows, summary)
    )
    const outputs: Array<readonly [string, string]> = [
      [BACKTEST_FILE, backtestCsv(rows)],
      [SUMMARY_FILE, summaryCsv(summary)],
      ...results.map((r, i) => [scenarioNames[i], r.scenarioText] as const)
    ]
    const written = yield* commit({
      dir: f.out,
      flag: "--out",
      names: [...BACKTEST_FILES, ...scenarioNames],
      files: outputs,
      extra
    })
    yield* say(backtestText(tables.name, f.cutoffs, f.runs, summary))
    for (const r of results)
      if (r.variation !== null)
        yield* say(
          paragraph(
            `Cut-off ${r.cutoff}: ${variationText(r.variation)}` + (r.pilot === null ? "" : ` Calibration: ${r.pilot}.`)
          )
        )
    // A starting stock the tables did not give is the template's guess: the measure's errors test the guess.
    for (const r of results) {
      const guessed = [
        r.notes.some((n) => n.startsWith(NO_CLA_FIGURE)) ? "looked after (no CLA figure)" : null,
        r.notes.some((n) => n.startsWith(NO_CP_FIGURE)) ? "CP plans (D5's figure suppressed)" : null
      ].filter((g) => g !== null)
      if (guessed.length > 0)
        yield* say(
          paragraph(
            `Cut-off ${r.cutoff}: the starting ${guessed.join(" and ")} ${guessed.length === 1 ? "is" : "are"} the ` +
              "template's share of B1's children in need, not a published figure: the errors of " +
              `${guessed.length === 1 ? "that measure" : "those measures"} test the guess as much as the model.`
          )
        )
    }
    yield* say("")
    for (const line of writtenLines(written, extra)) yield* say(line)
    yield* note(
      `${f.cutoffs.length} cut-off${f.cutoffs.length === 1 ? "" : "s"} x ${f.runs} replications in ` +
        `${elapsed.toFixed(1)} s ${threads(workers.count)}`
    )
  })

/**
 * The back-test from SSDA903 returns, by month (backtest/Backtest903.ts), and with --dfe DIR --la X the two
 * sources together (backtest/BacktestCombined.ts): care from the returns, the rest from the tables.
 */
const backtest903 = (f: Flags) =>
  Effect.gen(function* () {
    if (f.episodes.length === 0)
      return yield* Effect.fail(
        new BadFlag({ detail: "--episodes: give the SSDA903 episodes files (or --dfe and the DfE tables)" })
      )
    if (f.header.length === 0)
      return yield* Effect.fail(new BadFlag({ detail: "--header: give the SSDA903 header files" }))
    const dfe = Option.getOrNull(f.dfe)
    if (dfe === null)
      for (const [flag, given] of [
        ["--trend", f.trend],
        ["--uncertainty", f.uncertainty]
      ] as const)
        if (Option.isSome(given))
          return yield* Effect.fail(
            new BadFlag({
              detail: `${flag}: applies only with --dfe (the SSDA903 back-test's bands are the process noise's)`
            })
          )
    if (dfe !== null && Option.isNone(f.la))
      return yield* Effect.fail(
        new BadFlag({
          detail: "--la: with --dfe and the returns, name the council in the tables (its name or LA code)"
        })
      )
    const days = f.cutoffs.map(cutoffDay).sort((a, b) => a - b)
    if (dfe !== null) {
      const notMarch = days.find((d) => !isoOfEpochDay(d).endsWith("-03-31"))
      if (notMarch !== undefined)
        return yield* Effect.fail(
          new BadFlag({
            detail:
              `--cutoffs ${isoOfEpochDay(notMarch)}: with --dfe and the returns, a cut-off is a 31 March (the ` +
              "tables are yearly), such as 2019 or 2019-03-31"
          })
        )
    }
    const given = yield* returnsGiven(f)
    const io = yield* Io
    const tmpl = yield* template(f.costsFile)
    const scenarioNames = days.map((d) => `scenario_${isoOfEpochDay(d)}.yaml`)
    const reports = { report: f.report, xlsx: f.xlsx }
    const dfeInputs = dfe === null ? [] : yield* dfeFiles(dfe)
    yield* checkOutputs(
      [
        ...[...BACKTEST_FILES, ...scenarioNames].map((n) => ({ file: path.join(f.out, n), flag: "--out" })),
        ...reportTargets(reports)
      ],
      [
        ...returnsInputs(given),
        ...dfeInputs.map((file) => ({ file, role: "a DfE table being read" })),
        ...inputsOf(tmpl, "the --costs template")
      ]
    )
    yield* probeFolder(f.out, "--out")
    // Reading writes nothing: a signal meanwhile ends the process at once. With --dfe, --la names the council
    // in the tables, and in a multi-LA extract's LA column by its name or either code.
    const tables =
      dfe === null
        ? null
        : yield* io.unguarded(
            councilTables(
              dfe,
              Option.getOrElse(f.la, () => "")
            )
          )
    const returns = yield* io
      .unguarded(
        readReturns(
          given,
          tables === null
            ? Option.getOrNull(f.la)
            : councilNames(
                tables,
                Option.getOrElse(f.la, () => "")
              )
        )
      )
      .pipe(Effect.catchTag("Ssda903FileError", (e) => Effect.fail(new BadInput({ detail: e.message }))))
    const histories = cleanReturns(returns)
    const first = isoOfEpochDay(histories.from)
    const last = isoOfEpochDay(histories.to - 1)
    for (const d of days) {
      const iso = isoOfEpochDay(d)
      if (!isMonthEnd(d))
        return yield* Effect.fail(
          new BadFlag({
            detail:
              `--cutoffs ${iso}: a cut-off of SSDA903 returns is a month's last day ` +
              `(such as ${isoOfEpochDay(monthEnd(monthOf(d)))})`
          })
        )
      if (d < addYears(histories.from, 1) - 1 || monthOf(d) >= monthOf(histories.to - 1))
        return yield* Effect.fail(
          new BadFlag({
            detail:
              `--cutoffs ${iso}: the returns cover ${first} to ${last}; a cut-off needs a year of them up to it ` +
              "and a month after it"
          })
        )
      if (tables !== null) {
        const year = Number(iso.slice(0, 4))
        const p = calibrationProblem(tables, "--cutoffs", year, null, NO_POPULATION)
        if (p !== null) return yield* Effect.fail(new BadFlag({ detail: p }))
      }
    }
    const workers = Flags.workerCount(f.workers, io.cores, f.runs)
    if (workers.note !== null) yield* note(workers.note)
    const replicator = (job: Job) =>
      workers.count === 0 ? Replicator.inThisThread(job) : Replicator.workerThreads(job, workers.count)
    const started = performance.now()
    const results: Array<CombinedResult | Cutoff903Result> = []
    for (const cutoff of days)
      results.push(
        tables === null
          ? yield* backtest903Cutoff(
              {
                returns,
                histories,
                template: { label: f.costs, raw: tmpl.raw, scenario: tmpl.central },
                population: null,
                runs: f.runs,
                replicator
              },
              cutoff
            )
          : yield* backtestCombinedCutoff(
              {
                returns,
                histories,
                tables,
                costs: { raw: tmpl.raw, label: f.costs },
                dfeLabel: dfe ?? "",
                trend: Option.getOrElse(f.trend, () => "none" as const),
                uncertainty: Option.getOrElse(f.uncertainty, () => "rates" as const),
                runs: f.runs,
                replicator
              },
              cutoff
            )
      )
    const elapsed = (performance.now() - started) / 1000
    const rows = results.flatMap((r) => r.rows)
    const measures = tables === null ? MONTHLY_MEASURE_NAMES : COMBINED_MEASURE_NAMES
    const resolution = tables === null ? MONTHLY : COMBINED
    const summary = summaryRows(rows, measures)
    const banded = bandedSummaryRows(rows, measures)
    const council = tables !== null ? tables.name : Option.isSome(f.la) ? f.la.value : "the council"
    const series = monthlyActuals(histories)
    const actuals = [
      ...MONTHLY_MEASURE_NAMES.map((m) => ({ measure: m, series: series.get(m)! })),
      ...(tables === null
        ? []
        : TABLE_MEASURES.map((m) => ({ measure: m.name, series: tableActuals(tables, m.series) })))
    ]
    const extra = yield* renderReports(
      reports,
      () => backtestDocument({ council, cutoffs: days, runs: f.runs, rows, summary: banded, actuals, resolution }),
      () => backtestWorkbook(rows, summary, resolution)
    )
    const written = yield* commit({
      dir: f.out,
      flag: "--out",
      names: [...BACKTEST_FILES, ...scenarioNames],
      files: [
        [BACKTEST_FILE, backtestCsv(rows, resolution)],
        [SUMMARY_FILE, summaryCsv(summary)],
        ...results.map((r, i) => [scenarioNames[i], r.scenarioText] as const)
      ],
      extra
    })
    yield* say(backtestText(council, days, f.runs, banded, resolution))
    for (const r of results)
      yield* say(
        paragraph(
          `Cut-off ${isoOfEpochDay(r.cutoff)}: ${grouped(r.inCareKnown)} children in care on it by the returns ` +
            `up to it (${grouped(r.inCare)} in the starting caseload)` +
            (r.inCareLater === r.inCareKnown ? "" : `, ${grouped(r.inCareLater)} by all the returns`) +
            `; ${r.months} month${r.months === 1 ? "" : "s"} forecast.` +
            ("variation" in r && r.variation !== null ? ` The tables' ${variationText(r.variation)}` : "") +
            (r.notes.length === 0 ? "" : ` Notes: ${r.notes.join("; ")}.`)
        )
      )
    yield* say("")
    for (const line of writtenLines(written, extra)) yield* say(line)
    yield* note(
      `${days.length} cut-off${days.length === 1 ? "" : "s"} x ${f.runs} replications in ` +
        `${elapsed.toFixed(1)} s ${threads(workers.count)}`
    )
  })
