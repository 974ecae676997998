/**
 * `caseflow run <scenario>`: one simulation; prints the summary and writes the result CSVs (and, with
 * `--events`, the event log), all together once everything has succeeded.
 */
import * as Command from "@effect/cli/Command"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { epochDay } from "../../domain/Calendar.js"
import { eventOf, type EventRecord, type RecordSink } from "../../domain/Event.js"
import * as path from "node:path"
import { expectedChildren } from "../../engine/Simulation.js"
import { ndjsonEventLog } from "../../log/EventLogFile.js"
import { makeHeader } from "../../log/Header.js"
import { compileModel } from "../../model/Model.js"
import { DFE_FILES, DfeFold, dfeFiles } from "../../report/Dfe.js"
import { runDocument, runReportInput, runWorkbook } from "../../report/RunReport.js"
import { resultFiles, RESULT_FILES } from "../../report/Tables.js"
import { oneDrawNote, summaryText } from "../../report/Summary.js"
import { WIDE_FILES, wideFiles } from "../../report/Wide.js"
import { runModel } from "../../run/Run.js"
import { EventLog, RandomStreams } from "../../run/Services.js"
import { centralData } from "../../scenario/uncertain/Parameters.js"
import { VERSION } from "../../version.js"
import { Ssda903Fold } from "../../ssda903/Write.js"
import { BadInput, WriteFailed } from "../errors.js"
import * as Flags from "../flags.js"
import { note, say } from "../io.js"
import { checkOutputs, commit, folderInScope, probeFolder, type Target } from "../output.js"
import { parametersOf, renderReports, reportTargets } from "../reports.js"
import { grouped, inputsOf, load, printable, readyToRun, resultsLine, scenarioArg, seconds } from "./shared.js"
import { ownReturnFiles, returnExtras, returnTargets } from "../returns.js"

const flags = Flags.flagSet({
  seed: Flags.seed("random seed (default: the scenario's seed)"),
  years: Flags.years("years to simulate (default: the scenario's)"),
  out: Flags.out("folder for the CSV results"),
  events: Flags.events,
  report: Flags.report,
  xlsx: Flags.xlsx,
  ssda903: Flags.ssda903
})

/** Every file `run` writes in `--out`. */
export const RUN_FILES: ReadonlyArray<string> = [...RESULT_FILES, ...WIDE_FILES, ...DFE_FILES]

export const checks = flags.checks
export const names = flags.names

export const command = Command.make(
  "run",
  { scenario: scenarioArg("scenario", "scenario file (.yaml, .yml or .json)"), ...flags.options },
  ({ scenario: file, seed, years, out, events, report, xlsx, ssda903 }) =>
    Effect.gen(function* () {
      const source = yield* load(file)
      const scenario = source.central
      if (source.uncertainty !== null)
        yield* note(
          `${printable(source.label)}: ${source.uncertainty.parameters.length} uncertain parameters at their ` +
            "central values (caseflow montecarlo draws them)"
        )
      const runYears = Option.getOrElse(years, () => scenario.years)
      yield* readyToRun(source, runYears)
      const runSeed = Option.getOrElse(seed, () => scenario.seed)
      const log = Option.getOrNull(events)
      const targets: Array<Target> = RUN_FILES.map((name) => ({ file: path.join(out, name), flag: "--out" }))
      if (log !== null) targets.push({ file: log, flag: "--events" }, { file: `${log}.partial`, flag: "--events" })
      targets.push(...reportTargets({ report, xlsx }))
      const model = compileModel(scenario, runYears)
      const uascVia = scenario.uasc?.via
      const uascRoute = uascVia === undefined ? -1 : model.names.id(uascVia)
      const dfe = new DfeFold(model.calendar, scenario.name, uascRoute, expectedChildren(model))
      const returnsDir = Option.getOrNull(ssda903)
      const returns =
        returnsDir === null
          ? null
          : new Ssda903Fold(epochDay(model.calendar.startDate), model.calendar.horizon, uascRoute)
      if (returnsDir !== null && returns !== null)
        targets.push(...returnTargets(returnsDir, returns.years()).map((f) => ({ file: f, flag: "--ssda903" })))
      yield* checkOutputs(targets, inputsOf(source, "the scenario"))
      yield* probeFolder(out, "--out")
      if (returnsDir !== null) yield* probeFolder(returnsDir, "--ssda903")
      const stale903 = returnsDir === null ? [] : yield* ownReturnFiles(returnsDir)
      // An earlier return file this run would remove is never one of its inputs.
      yield* checkOutputs(
        stale903.map((file) => ({ file, flag: "--ssda903" })),
        inputsOf(source, "the scenario")
      )

      const { took, result, written, returnCount } = yield* Effect.scoped(
        Effect.gen(function* () {
          const logLayer =
            log === null
              ? EventLog.discard
              : ndjsonEventLog(
                  log,
                  makeHeader(
                    scenario.name,
                    source.uncertainty === null ? source.raw : centralData(source.uncertainty),
                    runSeed,
                    0,
                    runYears,
                    VERSION
                  ),
                  model.names
                )
          if (log !== null) yield* folderInScope(path.dirname(log), "--events")
          // The DfE tables are folded from the same records as the ledger, beside the event log.
          const withDfe = Layer.effect(
            EventLog,
            Effect.map(EventLog, (inner) => {
              const next = inner.records ?? null
              const append = inner.append
              const fold: RecordSink = returns === null ? dfe : { take: (r) => (dfe.take(r), returns.take(r)) }
              const take =
                next !== null
                  ? (r: EventRecord) => (fold.take(r), next.take(r))
                  : append !== null
                    ? (r: EventRecord) => (fold.take(r), append(eventOf(r, model.names)))
                    : (r: EventRecord) => fold.take(r)
              // The DfE fold keeps a row per child: it is told the children whose events come next.
              return { ...inner, append: null, records: { take, ahead: (c, n) => dfe.ahead(c, n) } }
            })
          ).pipe(Layer.provide(logLayer))
          // The log layer wraps the run and the commit: its staged file is moved in with the CSVs, or removed.
          return yield* Effect.gen(function* () {
            // Timed by Effect's Clock, for the timing line only (simulated time comes from the event queue).
            const [took, result] = yield* Effect.timed(runModel(model))
            const staged = yield* Effect.flatMap(EventLog, (l) => l.finish)
            const tables = dfe.finish()
            const input = runReportInput({
              source,
              seed: runSeed,
              years: runYears,
              calendar: model.calendar,
              result,
              parameters: Option.isSome(report) || Option.isSome(xlsx) ? yield* parametersOf(source) : [],
              dfe: tables
            })
            const extra = yield* renderReports(
              { report, xlsx },
              () => runDocument(input),
              () => runWorkbook(input)
            )
            const returnFiles =
              returnsDir === null || returns === null ? [] : returnExtras(returnsDir, returns.finish())
            const written = yield* commit({
              dir: out,
              flag: "--out",
              names: RUN_FILES,
              files: [
                ...resultFiles(result.totals, result.spend),
                ...wideFiles(scenario, result.totals, result.spend),
                ...dfeFiles(tables)
              ],
              staged: staged === null ? [] : [staged],
              extra: [...returnFiles, ...extra],
              staleElsewhere: stale903.filter((f) => !returnFiles.some((x) => path.resolve(x.file) === path.resolve(f)))
            })
            return { took, result, written, returnCount: returnFiles.length }
          }).pipe(Effect.provide(Layer.merge(RandomStreams.seeded(runSeed), withDfe)))
        })
      )
      yield* say(summaryText(scenario, result.totals, result.spend, runSeed))
      yield* say("")
      yield* say(oneDrawNote(runSeed))
      yield* say("")
      const extras = reportTargets({ report, xlsx }).length
      const files = written.slice(0, written.length - extras - returnCount)
      yield* say(resultsLine(log === null ? files : files.slice(0, -1)))
      if (log !== null) yield* say(`Event log: ${log}`)
      if (returnsDir !== null)
        yield* say(
          returnCount === 0
            ? `SSDA903 returns: none (the run holds no whole collection year, 1 April to 31 March)`
            : `SSDA903 returns: ${returnCount} files in ${returnsDir}`
        )
      if (Option.isSome(report)) yield* say(`Report: ${report.value}`)
      if (Option.isSome(xlsx)) yield* say(`Workbook: ${xlsx.value}`)
      const ms = Duration.toMillis(took)
      yield* note(
        `${grouped(result.stats.events)} events, ${grouped(result.stats.children)} children in ${seconds(ms)} ` +
          `(${grouped(Math.round((result.stats.events / Math.max(ms, 1e-9)) * 1000))} events/s)`
      )
    }).pipe(
      // The event log is an output here: a log that cannot be written is a failed write.
      Effect.catchTags({
        EventLogError: (e) => Effect.fail(new WriteFailed({ file: e.file, detail: e.detail })),
        RunRefused: (e) => Effect.fail(new BadInput({ detail: `${printable(file)}: ${e.detail}; no results written` }))
      })
    )
).pipe(Command.withDescription("simulate a scenario: print a summary, write CSVs (and optionally the event log)"))
