/**
 * The event log on disk: NDJSON, one JSON object per line. The first line is a header naming the format,
 * the caseflow version, the scenario (name and SHA-256 of its canonical JSON), the seed, the replication
 * and the run length, and carrying the scenario itself, so that `caseflow replay` can rebuild every
 * projection from the log alone. Each further line is one `CaseEvent`, in the order it happened.
 *
 * Writing goes to `<file>.partial` and is renamed into place only when the whole run succeeded; on a
 * failure or an interruption the partial file is removed.
 */
import * as FileSystem from "@effect/platform/FileSystem"
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { CaseEvent } from "../domain/Event.js"
import { CELL_COUNT } from "../domain/Level.js"
import { Ledger, type LedgerTotals } from "../projections/Ledger.js"
import { spendOf, type Spend } from "../projections/Spend.js"
import { compileModel, type Model } from "../scenario/Model.js"
import { Scenario } from "../scenario/Scenario.js"
import { schemaProblems } from "../scenario/load.js"
import { formatPath, validateScenario } from "../scenario/validate.js"
import { EventLog } from "../run/services.js"
import { encodeEvent } from "./encode.js"

export const LOG_FORMAT = "caseflow-events/1"

export const LogHeader = Schema.Struct({
  format: Schema.Literal(LOG_FORMAT),
  caseflow: Schema.String,
  scenario: Schema.Struct({ name: Schema.String, sha256: Schema.String }),
  seed: Schema.Number,
  replication: Schema.Number,
  years: Schema.Number.pipe(Schema.int(), Schema.between(1, 50)),
  definition: Schema.encodedSchema(Scenario)
})
export type LogHeader = typeof LogHeader.Type

/** A log file that cannot be written, read or trusted. */
export class EventLogError extends Schema.TaggedError<EventLogError>()("EventLogError", {
  file: Schema.String,
  line: Schema.optional(Schema.Number),
  detail: Schema.String
}) {
  override get message(): string {
    return `${this.file}${this.line !== undefined ? `:${this.line}` : ""}: ${this.detail}`
  }
}

/** JSON with object keys sorted, so equal scenarios hash equally whatever the key order in the file. */
const canonical = (v: unknown): string => {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(",")}}`
  }
  return JSON.stringify(v)
}

/** SHA-256 of a scenario's canonical JSON (after decoding, so defaults are filled in). */
export const scenarioHash = (s: Scenario): string =>
  createHash("sha256")
    .update(canonical(Schema.encodeSync(Scenario)(s)))
    .digest("hex")

export const makeHeader = (
  s: Scenario,
  seed: number,
  replication: number,
  years: number,
  version: string
): LogHeader => ({
  format: LOG_FORMAT,
  caseflow: version,
  scenario: { name: s.name, sha256: scenarioHash(s) },
  seed,
  replication,
  years,
  definition: Schema.encodeSync(Scenario)(s)
})

const BUFFER_CHARS = 1 << 20

/** An `EventLog` that writes NDJSON to `file`, committed only if the program using it succeeds. */
export const ndjsonEventLog = (file: string, header: LogHeader): Layer.Layer<EventLog, EventLogError> =>
  Layer.scoped(
    EventLog,
    Effect.acquireRelease(
      Effect.try({
        try: () => {
          const partial = `${file}.partial`
          const fd = fs.openSync(partial, "w")
          const state = { fd, partial, parts: [JSON.stringify(header)] as Array<string>, chars: 0 }
          return state
        },
        catch: (e) => new EventLogError({ file, detail: `cannot write the event log: ${(e as Error).message}` })
      }),
      (state, exit) =>
        Effect.sync(() => {
          try {
            if (Exit.isSuccess(exit)) {
              state.parts.push("")
              fs.writeSync(state.fd, state.parts.join("\n"))
              fs.closeSync(state.fd)
              fs.renameSync(state.partial, file)
            } else {
              fs.closeSync(state.fd)
              fs.rmSync(state.partial, { force: true })
            }
          } catch {
            fs.rmSync(state.partial, { force: true })
          }
        })
    ).pipe(
      Effect.map((state) => ({
        append: (e: CaseEvent) => {
          const line = encodeEvent(e)
          state.parts.push(line)
          state.chars += line.length
          if (state.chars > BUFFER_CHARS) {
            state.parts.push("")
            fs.writeSync(state.fd, state.parts.join("\n"))
            state.parts = []
            state.chars = 0
          }
        }
      }))
    )
  )

export interface ReplayResult {
  readonly header: LogHeader
  readonly model: Model
  readonly totals: LedgerTotals
  readonly spend: Spend
}

const decodeEvent = Schema.decodeUnknownEither(CaseEvent, { onExcessProperty: "error" })
const decodeHeader = Schema.decodeUnknownEither(LogHeader)
const decodeScenario = Schema.decodeUnknownEither(Scenario, { onExcessProperty: "error" })

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
        const s = decodeScenario(h.right.definition)
        if (Either.isLeft(s))
          return fail(lineNo, `the header's scenario does not decode: ${problemText(h.right.definition, s.left)}`)
        const problems = validateScenario(s.right)
        if (problems.length > 0)
          return fail(
            lineNo,
            `the header's scenario is not valid: ${problems.map((p) => `${formatPath(p.path)}: ${p.message}`).join("; ")}`
          )
        if (scenarioHash(s.right) !== h.right.scenario.sha256)
          return fail(lineNo, "the header's scenario does not match its sha256: the log has been edited")
        header = h.right
        model = compileModel(s.right, h.right.years)
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
