/**
 * `caseflow backtest --dfe DIR --la X --cutoffs 2017,2019 [--runs 200] [--costs T] [--trend none|linear]
 * [--workers auto|K] [--out DIR] [--report F.html] [--xlsx F.xlsx]`: for each cut-off, the council's scenario
 * calibrated on the DfE tables up to it (as `calibrate --dfe` writes it), simulated forward with Monte Carlo,
 * against the 31 March figures the council published after it, and against two naive forecasts. Writes
 * backtest.csv, backtest_summary.csv and each cut-off's scenario (scenario_<cutoff>.yaml) to --out, all or
 * nothing.
 */
import * as Command from "@effect/cli/Command"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Options from "@effect/cli/Options"
import * as ValidationError from "@effect/cli/ValidationError"
import * as Effect from "effect/Effect"
import * as path from "node:path"
import { actualsOf, backtestCutoff, type CutoffResult, lastActualYear, MEASURES } from "../../backtest/Backtest.js"
import { summaryRows } from "../../backtest/Metrics.js"
import {
  BACKTEST_FILES,
  backtestCsv,
  backtestDocument,
  backtestText,
  backtestWorkbook,
  SUMMARY_FILE,
  BACKTEST_FILE,
  summaryCsv
} from "../../backtest/Report.js"
import { show } from "../../domain/Show.js"
import { paragraph } from "../../report/Table.js"
import { Replicator } from "../../replication/Pool.js"
import { BadFlag } from "../errors.js"
import * as Flags from "../flags.js"
import type { RawCheck } from "../flags.js"
import { Io, note, say } from "../io.js"
import { checkOutputs, commit, probeFolder } from "../output.js"
import { renderReports, reportTargets } from "../reports.js"
import { councilTables, dfeFiles, template, yearProblem } from "./dfe.js"
import { inputsOf, replicationFailures, threads, writtenLines } from "./shared.js"

export const MAX_BACKTEST_RUNS = 100_000

const cutoffsProblem = (raw: string): string | null => {
  const parts = raw.split(",").map((p) => p.trim())
  if (parts.length === 0 || parts.some((p) => !/^\d{4}$/.test(p)))
    return `--cutoffs: expected years ending 31 March separated by commas (such as 2017,2019), found ${show(raw)}`
  if (new Set(parts).size !== parts.length) return `--cutoffs: a year is given twice in ${show(raw)}`
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
  dfe: Options.directory("dfe").pipe(Options.withDescription("a folder of DfE (EES) CSV files")),
  la: Options.text("la").pipe(Options.withDescription("the council: its name, or its new or old LA code")),
  cutoffs: Options.text("cutoffs").pipe(
    Options.withPseudoName("YEAR,YEAR"),
    Options.withDescription("the cut-offs, years ending 31 March (e.g. 2017,2019): fit up to each, forecast after"),
    Options.mapEffect((raw) => {
      const p = cutoffsProblem(raw)
      return p === null
        ? Effect.succeed(
            raw
              .split(",")
              .map((x) => Number(x.trim()))
              .sort((a, b) => a - b)
          )
        : Effect.fail(ValidationError.invalidValue(HelpDoc.p(p)))
    })
  ),
  costs: Options.file("costs").pipe(
    Options.withDescription("the template scenario for unit costs and what the tables do not give"),
    Options.withDefault("scenarios/default.yaml")
  ),
  trend: Options.choice("trend", ["none", "linear"]).pipe(
    Options.withDescription("the trend of the years before each cut-off in rates (default none)"),
    Options.withDefault("none" as const)
  ),
  uncertainty: Options.choice("uncertainty", ["rates", "none"]).pipe(
    Options.withDescription(
      "rates (the default): draw each rate's year-to-year variation before the cut-off in every replication; " +
        "none: process noise only"
    ),
    Options.withDefault("rates" as const)
  ),
  ...flags.options
}

export const checks: ReadonlyArray<RawCheck> = [
  ...flags.checks,
  { name: "cutoffs", check: cutoffsProblem },
  ...["dfe", "la", "costs"].map((name) => ({
    name,
    check: (raw: string) => (raw.trim() === "" ? `--${name}: expected a value, found ""` : null)
  }))
]
export const names: ReadonlyArray<string> = ["dfe", "la", "cutoffs", "costs", "trend", "uncertainty", ...flags.names]

export const command = Command.make("backtest", options, (f) =>
  Effect.gen(function* () {
    const io = yield* Io
    const files = yield* dfeFiles(f.dfe)
    const tmpl = yield* template(f.costs)
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
      const p = yearProblem(tables, "--cutoffs", c)
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
    const pc = (x: number | null) => (x === null ? "none (under 3 years)" : `${(x * 100).toFixed(1)}%`)
    for (const r of results)
      if (r.variation !== null)
        yield* say(
          paragraph(
            `Cut-off ${r.cutoff}: year-to-year variation drawn (coefficient of variation): new referrals ` +
              `${pc(r.variation.referralRate)}, CP plans started ${pc(r.variation.cpStarts)}, CP plan length ` +
              `${pc(r.variation.cpLength)}, CIN time ${pc(r.variation.cinTime)}.` +
              (r.pilot === null ? "" : ` Calibration: ${r.pilot}.`)
          )
        )
    yield* say("")
    for (const line of writtenLines(written, extra)) yield* say(line)
    yield* note(
      `${f.cutoffs.length} cut-off${f.cutoffs.length === 1 ? "" : "s"} x ${f.runs} replications in ` +
        `${elapsed.toFixed(1)} s ${threads(workers.count)}`
    )
  }).pipe(replicationFailures)
).pipe(
  Command.withDescription(
    "back-test: calibrate on DfE tables up to each cut-off, forecast with Monte Carlo, compare with what was " +
      "published after it and with naive forecasts"
  )
)
