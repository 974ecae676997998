/**
 * Replaying an event log: the header gives the scenario (decoded and checked by the scenario loader, like
 * a file), seed and run length; the events are streamed from disk and folded by the same ledger a live
 * run uses, so the projections are byte-identical to the run's.
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { CaseEvent } from "../domain/Event.js"
import { CELL_COUNT } from "../domain/Level.js"
import { compileModel, type Model } from "../model/Model.js"
import { Ledger, type LedgerTotals } from "../projections/Ledger.js"
import { spendOf, type Spend } from "../projections/Spend.js"
import { scenarioFromData } from "../scenario/Load.js"
import { formatPath, schemaProblems } from "../scenario/Problems.js"
import { EventLogError } from "../run/Services.js"
import { LOG_FORMAT, LogHeader } from "./Header.js"

export interface ReplayResult {
  readonly header: LogHeader
  readonly model: Model
  readonly totals: LedgerTotals
  readonly spend: Spend
}

const decodeEvent = Schema.decodeUnknownEither(CaseEvent, { onExcessProperty: "error" })
const decodeHeader = Schema.decodeUnknownEither(LogHeader)

const problemText = (raw: unknown, e: ParseResult.ParseError): string =>
  schemaProblems(raw, e)
    .map((p) => `${formatPath(p.path) || "(event)"}: ${p.message}`)
    .join("; ")

/**
 * Rebuilds a run's projections from its event log alone: the header gives the scenario, seed and run
 * length; the events are streamed from disk and folded by the same ledger a live run uses.
 */
export const replayEventLog = (file: string): Effect.Effect<ReplayResult, EventLogError, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const fsys = yield* FileSystem.FileSystem
    const fail = (line: number | undefined, detail: string) => new EventLogError({ file, line, detail })
    yield* fsys.access(file).pipe(Effect.mapError(() => fail(undefined, "cannot read the event log: no such file")))
    let lineNo = 0
    let header: LogHeader | null = null
    let model: Model | null = null
    let ledger: Ledger | null = null
    let lastTime = 0
    const take = (line: string): EventLogError | null => {
      lineNo++
      if (line.length === 0) return null
      let raw: unknown
      try {
        raw = JSON.parse(line)
      } catch {
        return fail(lineNo, "expected a JSON object on each line, found text that is not JSON")
      }
      if (header === null || ledger === null || model === null) {
        const h = decodeHeader(raw)
        if (Either.isLeft(h))
          return fail(
            lineNo,
            `expected a caseflow event-log header (format ${LOG_FORMAT}); ${problemText(raw, h.left)}`
          )
        const s = scenarioFromData(`${file} (the header's scenario)`, h.right.definition)
        if (Either.isLeft(s))
          return fail(
            lineNo,
            `the header's scenario is not valid: ${s.left.problems.map((p) => `${p.path}: ${p.message}`).join("; ")}`
          )
        if (s.right.uncertainty !== null)
          return fail(lineNo, "the header's scenario has uncertain parameters: a logged run has none")
        if (s.right.id !== h.right.scenario.sha256)
          return fail(lineNo, "the header's scenario does not match its sha256: the log has been edited")
        header = h.right
        model = compileModel(s.right.central, h.right.years)
        ledger = new Ledger(model.calendar, model.costs, model.policy.services)
        return null
      }
      const ev = decodeEvent(raw)
      if (Either.isLeft(ev)) return fail(lineNo, `not a caseflow event: ${problemText(raw, ev.left)}`)
      const e = ev.right
      if (e.time < lastTime) return fail(lineNo, `events must be in time order: time ${e.time} comes after ${lastTime}`)
      if (e.time >= model.calendar.horizon)
        return fail(lineNo, `time ${e.time} is past the end of the run (day ${model.calendar.horizon})`)
      lastTime = e.time
      ledger.evolve(e)
      return null
    }
    yield* fsys.stream(file).pipe(
      Stream.mapError((e) => fail(undefined, `cannot read the event log: ${e.message}`)),
      Stream.decodeText(),
      Stream.splitLines,
      Stream.runForEachChunk((chunk) =>
        Effect.suspend(() => {
          for (const line of Chunk.toReadonlyArray(chunk)) {
            const err = take(line)
            if (err !== null) return Effect.fail(err)
          }
          return Effect.void
        })
      )
    )
    if (header === null || ledger === null || model === null)
      return yield* Effect.fail(fail(undefined, "the event log is empty: expected a header line"))
    const totals = (ledger as Ledger).finish()
    for (let i = 0; i < totals.monthEndStock.length; i++) {
      if (totals.monthEndStock[i] < 0)
        return yield* Effect.fail(
          fail(
            undefined,
            `the events are inconsistent: a stock goes below zero (month ${Math.floor(i / CELL_COUNT) + 1})`
          )
        )
    }
    return { header, model, totals, spend: spendOf(totals) }
  })
