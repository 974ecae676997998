/**
 * `caseflow replay <events>`: rebuilds a run's result CSVs from its event log alone (byte-identical to the
 * run's) and prints the same summary.
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Effect from "effect/Effect"
import * as path from "node:path"
import { replayEventLog } from "../../log/Replay.js"
import { Names, recordOf, EventRecord } from "../../domain/Event.js"
import { DfeFold, dfeFiles } from "../../report/Dfe.js"
import { resultFiles } from "../../report/Tables.js"
import { oneDrawNote, summaryText } from "../../report/Summary.js"
import { wideFiles } from "../../report/Wide.js"
import { BadInput } from "../errors.js"
import * as Flags from "../flags.js"
import { say } from "../io.js"
import { checkOutputs, commit, probeFolder } from "../output.js"
import { RUN_FILES } from "./run.js"
import { resultsLine } from "./shared.js"

const flags = Flags.flagSet({ out: Flags.out("folder for the CSV results") })

export const checks = flags.checks
export const names = flags.names

export const command = Command.make(
  "replay",
  {
    events: Args.file({ name: "events" }).pipe(Args.withDescription("event log written by caseflow run --events")),
    ...flags.options
  },
  ({ events, out }) =>
    Effect.gen(function* () {
      yield* checkOutputs(
        RUN_FILES.map((name) => ({ file: path.join(out, name), flag: "--out" })),
        [{ file: events, role: "the event log being replayed" }]
      )
      yield* probeFolder(out, "--out")
      // The DfE tables are folded from the replayed events, as a run folds them from its records.
      let dfe: DfeFold | null = null
      const r = yield* replayEventLog(events, (model) => {
        const names = new Names()
        const uascVia = model.scenario.uasc?.via
        const fold = new DfeFold(model.calendar, model.scenario.name, uascVia === undefined ? -1 : names.id(uascVia))
        dfe = fold
        const record = new EventRecord()
        return (e) => fold.take(recordOf(e, names, record))
      })
      const scenario = r.model.scenario
      const written = yield* commit({
        dir: out,
        flag: "--out",
        names: RUN_FILES,
        files: [
          ...resultFiles(r.totals, r.spend),
          ...wideFiles(scenario, r.totals, r.spend),
          ...dfeFiles((dfe ?? new DfeFold(r.model.calendar, scenario.name)).finish())
        ]
      })
      yield* say(summaryText(scenario, r.totals, r.spend, r.header.seed))
      yield* say("")
      yield* say(oneDrawNote(r.header.seed))
      yield* say("")
      yield* say(resultsLine(written))
    }).pipe(
      // The event log is the input here: a log that cannot be read or trusted is bad input.
      Effect.catchTag("EventLogError", (e) => Effect.fail(new BadInput({ detail: e.message })))
    )
).pipe(Command.withDescription("rebuild the CSV results of a run from its event log alone"))
