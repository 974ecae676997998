/**
 * `caseflow replay <events> [--out DIR] [--ssda903 DIR]`: rebuilds a run's result CSVs (and its SSDA903
 * returns) from its event log alone (byte-identical to the run's) and prints the same summary. A log written by
 * another caseflow version (in this version's log format) is replayed with a note that says so.
 */
import { expectedChildren } from "../../engine/Simulation.js"
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as path from "node:path"
import { replayEventLog } from "../../log/Replay.js"
import { epochDay } from "../../domain/Calendar.js"
import { Names, recordOf, EventRecord } from "../../domain/Event.js"
import { Ssda903Fold } from "../../ssda903/Write.js"
import { DfeFold, dfeFiles } from "../../report/Dfe.js"
import { resultFiles } from "../../report/Tables.js"
import { oneDrawNote, summaryText } from "../../report/Summary.js"
import { wideFiles } from "../../report/Wide.js"
import { BadInput } from "../errors.js"
import * as Flags from "../flags.js"
import { note, say } from "../io.js"
import { checkOutputs, commit, probeFolder } from "../output.js"
import { ownReturnFiles, returnExtras, returnTargets } from "../returns.js"
import { RUN_FILES } from "./run.js"
import { printable, resultsLine } from "./shared.js"
import { VERSION } from "../../version.js"

const flags = Flags.flagSet({ out: Flags.out("folder for the CSV results"), ssda903: Flags.ssda903 })

export const checks = flags.checks
export const names = flags.names

export const command = Command.make(
  "replay",
  {
    events: Args.file({ name: "events" }).pipe(Args.withDescription("event log written by caseflow run --events")),
    ...flags.options
  },
  ({ events, out, ssda903 }) =>
    Effect.gen(function* () {
      yield* checkOutputs(
        RUN_FILES.map((name) => ({ file: path.join(out, name), flag: "--out" })),
        [{ file: events, role: "the event log being replayed" }]
      )
      yield* probeFolder(out, "--out")
      const returnsDir = Option.getOrNull(ssda903)
      if (returnsDir !== null) yield* probeFolder(returnsDir, "--ssda903")
      // The DfE tables and SSDA903 returns are folded from the replayed events, as a run folds them from its
      // records.
      let dfe: DfeFold | null = null
      const returns: { fold: Ssda903Fold | null } = { fold: null }
      const r = yield* replayEventLog(events, (model) => {
        const names = new Names()
        const uascVia = model.scenario.uasc?.via
        const uascRoute = uascVia === undefined ? -1 : names.id(uascVia)
        const fold = new DfeFold(model.calendar, model.scenario.name, uascRoute, expectedChildren(model))
        dfe = fold
        const cal = model.calendar
        const r903 =
          returnsDir === null ? null : new Ssda903Fold(epochDay(cal.startDate), cal.horizon, names.id(uascVia ?? null))
        returns.fold = r903
        const record = new EventRecord()
        return (e) => {
          const rec = recordOf(e, names, record)
          fold.take(rec)
          if (r903 !== null) r903.take(rec)
        }
      })
      const folded = returns.fold
      const returnFiles = returnsDir === null || folded === null ? [] : returnExtras(returnsDir, folded.finish())
      if (returnsDir !== null && folded !== null)
        yield* checkOutputs(
          returnTargets(returnsDir, folded.years()).map((file) => ({ file, flag: "--ssda903" })),
          [{ file: events, role: "the event log being replayed" }]
        )
      const stale903 = returnsDir === null ? [] : yield* ownReturnFiles(returnsDir)
      // An earlier return file this replay would remove is never the log it replays.
      yield* checkOutputs(
        stale903.map((file) => ({ file, flag: "--ssda903" })),
        [{ file: events, role: "the event log being replayed" }]
      )
      const scenario = r.model.scenario
      const written = yield* commit({
        dir: out,
        flag: "--out",
        names: RUN_FILES,
        files: [
          ...resultFiles(r.totals, r.spend),
          ...wideFiles(scenario, r.totals, r.spend),
          ...dfeFiles((dfe ?? new DfeFold(r.model.calendar, scenario.name)).finish())
        ],
        extra: returnFiles,
        staleElsewhere: stale903.filter((f) => !returnFiles.some((x) => path.resolve(x.file) === path.resolve(f)))
      })
      // Another version's log is read (its format is this one's), but its figures are this version's folds of
      // its events: said, as they may differ from what the run printed.
      if (r.header.caseflow !== VERSION)
        yield* note(
          `caseflow: note: ${printable(events)} was written by caseflow ${r.header.caseflow}; these figures ` +
            `are caseflow ${VERSION}'s, folded from its events, and may differ from what that version printed`
        )
      yield* say(summaryText(scenario, r.totals, r.spend, r.header.seed))
      yield* say("")
      yield* say(oneDrawNote(r.header.seed))
      yield* say("")
      yield* say(resultsLine(written.slice(0, written.length - returnFiles.length)))
      if (returnsDir !== null) yield* say(`SSDA903 returns: ${returnFiles.length} files in ${returnsDir}`)
    }).pipe(
      // The event log is the input here: a log that cannot be read or trusted is bad input.
      Effect.catchTag("EventLogError", (e) => Effect.fail(new BadInput({ detail: e.message })))
    )
).pipe(Command.withDescription("rebuild the CSV results of a run from its event log alone"))
