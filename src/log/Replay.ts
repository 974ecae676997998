/**
 * Replaying an event log: the projections of a run rebuilt from its log alone, byte-identical to the
 * run's, from a log that is checked line by line before anything is taken from it.
 *
 * The log (a regular file only, streamed from disk) is read as bytes and split into lines; the running
 * SHA-256 of the bytes is checked at every checkpoint and at the trailer (`Integrity.ts`). The header
 * (line 1) must be a caseflow-events/4 header and match the checkpoint on line 2; its scenario is then
 * decoded and checked by the scenario loader, like a file. The events of each block between two
 * checkpoints are taken only once the block's checksum matches: each is decoded, checked against the
 * state the events before it built (`StateCheck.ts`) and folded by the same ledger a live run uses.
 *
 * What replay refuses, each naming a line of the log: a header of another format (older logs carry no
 * checksums), an edited header, a block whose checksum, event count or line number does not match (a line
 * changed, removed, added or moved: the first line of the block that is inconsistent by itself is named
 * when there is one, else the block's first line), a log cut short (in a line, or between lines: no
 * trailer), anything after the trailer, a line that is not an event or says what cannot be (a child
 * who is not known, a move from where the child is not, a move the level graph does not allow, ...).
 * Messages quote at most a short escaped excerpt of a line.
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { CaseEvent, EVENT_TAGS } from "../domain/Event.js"
import { CELL_COUNT } from "../domain/Level.js"
import { excerpt, show, grouped } from "../domain/Show.js"
import { checkInputFile } from "../io/InputFile.js"
import { jsonContainers } from "../io/Json.js"
import { compileModel, type Model } from "../model/Model.js"
import { Ledger, type LedgerTotals } from "../projections/Ledger.js"
import { spendOf, spendProblem, type Spend } from "../projections/Spend.js"
import { EventLogError } from "../run/Services.js"
import { scenarioFromData } from "../scenario/Load.js"
import { EXTENDS, MAX_SCENARIO_BYTES } from "../scenario/Overlay.js"
import { MAX_VALUES } from "../scenario/Limits.js"
import { formatPath, schemaProblems } from "../scenario/Problems.js"
import { LOG_FORMAT, LogHeader, OLD_LOG_FORMAT_LACKS, OLD_LOG_FORMATS } from "./Header.js"
import { Chain, markOf, parseIntegrity, type IntegrityLine } from "./Integrity.js"
import { StateCheck } from "./StateCheck.js"

/** The largest log replay reads (a 50-year run of all England is a few GiB). */
export const MAX_LOG_BYTES = 64 * 2 ** 30
/** The longest header line: the scenario as JSON. */
export const MAX_HEADER_BYTES = 2 * MAX_SCENARIO_BYTES
/** The longest event (or checkpoint) line. */
export const MAX_LINE_BYTES = 2 ** 20
/** The most bytes between two checkpoints (a block is held in memory until its checksum is checked). */
export const MAX_BLOCK_BYTES = 256 * 2 ** 20

export interface ReplayResult {
  readonly header: LogHeader
  readonly model: Model
  readonly totals: LedgerTotals
  readonly spend: Spend
  /** What the trailer says, checked: the number of events and lines, and the SHA-256 of the log before it. */
  readonly trailer: IntegrityLine
}

const EMPTY = new Uint8Array(0)

/**
 * Splits bytes into lines ("\n"-terminated) as they arrive, chunk by chunk, keeping the SHA-256 of every
 * byte before the current line (`digestBefore`) without copying: the hash is fed whole ranges of each
 * chunk, and a line cut by a chunk boundary is carried over (and hashed) on its own.
 */
export class LineSplitter {
  private readonly chain = new Chain()
  private carry: Array<Uint8Array> = []
  private carryBytes = 0
  private chunk: Uint8Array = EMPTY
  private hashFrom = 0
  private lineStart = 0
  private carried = false
  /** The number of the line being handed over (from 1); after the end, of the last complete line. */
  line = 0
  /** Set when a line is longer than its limit: its number. */
  tooLong: number | null = null

  constructor(
    private readonly maxBytes: (line: number) => number,
    private readonly onLine: (bytes: Uint8Array) => boolean
  ) {}

  /** The SHA-256 (hex) of every byte before the line being handed over (call it from `onLine`). */
  digestBefore(): string {
    if (!this.carried) {
      this.chain.update(this.chunk.subarray(this.hashFrom, this.lineStart))
      this.hashFrom = this.lineStart
    }
    return this.chain.digest()
  }

  /** Takes the next chunk; false when `onLine` asked to stop or a line is too long. */
  feed(chunk: Uint8Array): boolean {
    this.chunk = chunk
    this.hashFrom = 0
    let start = 0
    for (;;) {
      const nl = chunk.indexOf(10, start)
      if (nl < 0) break
      this.line++
      let bytes: Uint8Array
      this.carried = this.carry.length > 0
      if (this.carried) {
        bytes = new Uint8Array(this.carryBytes + nl)
        let at = 0
        for (const p of this.carry) {
          bytes.set(p, at)
          at += p.length
        }
        bytes.set(chunk.subarray(0, nl), at)
        this.lineStart = 0
      } else {
        bytes = chunk.subarray(start, nl)
        this.lineStart = start
      }
      if (bytes.length > this.maxBytes(this.line)) {
        this.tooLong = this.line
        return false
      }
      const go = this.onLine(bytes)
      if (this.carried) {
        for (const p of this.carry) this.chain.update(p)
        this.carry = []
        this.carryBytes = 0
        this.hashFrom = 0
        this.carried = false
      }
      if (!go) return false
      start = nl + 1
    }
    this.chain.update(chunk.subarray(this.hashFrom, start))
    if (start < chunk.length) {
      const piece = chunk.slice(start)
      this.carryBytes += piece.length
      if (this.carryBytes > this.maxBytes(this.line + 1)) {
        this.tooLong = this.line + 1
        return false
      }
      this.carry.push(piece)
    }
    return true
  }

  /** At the end of the input: the number of a last line without its "\n" (cut short), or null. */
  get cut(): number | null {
    return this.carryBytes > 0 ? this.line + 1 : null
  }
}

const decodeEvent = Schema.decodeUnknownEither(CaseEvent, { onExcessProperty: "error" })
const decodeHeader = Schema.decodeUnknownEither(LogHeader, { onExcessProperty: "error" })
const utf8 = new TextDecoder("utf-8", { fatal: true })

const problemText = (raw: unknown, e: ParseResult.ParseError, what: string): string => {
  const all = schemaProblems(raw, e)
  const shown = all.slice(0, 3).map((p) => `${formatPath(p.path) || what}: ${p.message}`)
  return shown.join("; ") + (all.length > 3 ? `; and ${all.length - 3} more` : "")
}

const n = (x: number): string => grouped(x)

/** A line as text (null: not UTF-8). */
const textOf = (bytes: Uint8Array): string | null => {
  try {
    return utf8.decode(bytes)
  } catch {
    return null
  }
}

/** What kind of JSON value a value that is not an object is. */
const jsonKind = (v: unknown): string =>
  v === null ? "null" : Array.isArray(v) ? "a list" : typeof v === "string" ? "a string" : `a ${typeof v}`

/** What is wrong with a line as an event, or the event. */
const eventOf = (text: string | null): { readonly problem: string } | { readonly event: CaseEvent } => {
  if (text === null) return { problem: "the line is not UTF-8 text" }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    return { problem: `expected a JSON object on each line, found text that is not JSON: ${excerpt(text, 60)}` }
  }
  // An event is an object with a known _tag: anything else is said in a line, not as the union's every member.
  if (raw === null || typeof raw !== "object" || Array.isArray(raw))
    return { problem: `not a caseflow event: expected a JSON object (an event), found ${jsonKind(raw)}` }
  const tag: unknown = (raw as { readonly _tag?: unknown })._tag
  if (typeof tag !== "string" || !(EVENT_TAGS as ReadonlyArray<string>).includes(tag))
    return {
      problem:
        `not a caseflow event: expected _tag, the event's kind (one of ${EVENT_TAGS.join(", ")}), found ` +
        (tag === undefined ? "none" : excerpt(JSON.stringify(tag), 60))
    }
  const ev = decodeEvent(raw)
  if (Either.isLeft(ev)) return { problem: `not a caseflow event: ${problemText(raw, ev.left, "(event)")}` }
  return { event: ev.right }
}

/**
 * Rebuilds a run's projections from its event log alone, checking it first (see the module comment). The
 * error names the log and the first bad line.
 */
export const replayEventLog = (
  file: string,
  /** What else sees each event, after the ledger (made once the header gives the model), e.g. the DfE tables. */
  also: ((model: Model) => (e: CaseEvent) => void) | null = null
): Effect.Effect<ReplayResult, EventLogError, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const fsys = yield* FileSystem.FileSystem
    yield* checkInputFile(file, MAX_LOG_BYTES).pipe(
      Effect.mapError((e) => new EventLogError({ file, detail: `cannot read the event log: ${e.detail}` }))
    )
    let error: EventLogError | null = null
    const fail = (line: number | undefined, detail: string): false => {
      error = new EventLogError({ file, line, detail })
      return false
    }

    // Line 1
    let headerRaw: unknown = undefined
    let header: LogHeader | null = null
    // From line 2
    let model: Model | null = null
    let ledger: Ledger | null = null
    let also_: ((e: CaseEvent) => void) | null = null
    let check: StateCheck | null = null
    // The block of lines since the last checkpoint, held until its checksum is checked.
    let block: Array<string | null> = []
    let blockBytes = 0
    let blockFirst = 3
    let events = 0
    let trailer: IntegrityLine | null = null

    const firstLine = (bytes: Uint8Array): boolean => {
      const text = textOf(bytes)
      // A header holds a scenario, of at most MAX_VALUES values: a line opening far more mappings and lists
      // is refused before it is parsed (128 MiB of empty lists would take gigabytes and half a minute).
      if (text !== null && jsonContainers(text) > MAX_VALUES + 100)
        return fail(
          1,
          `a damaged log header: more mappings and lists than a scenario may have (${grouped(MAX_VALUES)} values)`
        )
      let raw: unknown
      try {
        raw = text === null ? undefined : JSON.parse(text)
      } catch {
        raw = undefined
      }
      // Nothing of a line that is not a log header is quoted: the file may be anything.
      const format = raw !== null && typeof raw === "object" ? (raw as { format?: unknown }).format : undefined
      if (typeof format !== "string" || !format.startsWith("caseflow-events/"))
        return fail(1, `not a caseflow event log: the first line is not a log header (${LOG_FORMAT})`)
      if (OLD_LOG_FORMATS.includes(format))
        return fail(
          1,
          `a log in the older format ${format}, ${OLD_LOG_FORMAT_LACKS[format]}: this caseflow replays ${LOG_FORMAT}` +
            " logs only (run the scenario again with --events to write one)"
        )
      if (format !== LOG_FORMAT)
        return fail(1, `a log in format ${show(format)}, which this caseflow does not read (it reads ${LOG_FORMAT})`)
      headerRaw = raw
      return true
    }

    const headerCheckpoint = (bytes: Uint8Array, digest: string): boolean => {
      const text = textOf(bytes)
      const m = text === null ? null : parseIntegrity(text)
      if (m === null || m.mark !== "checkpoint" || m.line !== 2 || m.events !== 0)
        return fail(2, "expected the checkpoint of the header on line 2: the log has been edited or damaged")
      if (m.sha256 !== digest)
        return fail(1, "the header does not match its checksum on line 2: the header has been edited")
      const raw = headerRaw
      const h = decodeHeader(raw)
      if (Either.isLeft(h)) return fail(1, `a damaged log header: ${problemText(raw, h.left, "(header)")}`)
      const def = h.right.definition
      if (def === null || typeof def !== "object" || Array.isArray(def))
        return fail(1, "the header's definition is not a scenario (expected a mapping)")
      if (Object.hasOwn(def, EXTENDS))
        return fail(1, "the header's scenario has `extends`: a logged scenario is resolved and extends nothing")
      const s = scenarioFromData(`${file} (the header's scenario)`, def, { checkExtremes: false })
      if (Either.isLeft(s)) {
        const ps = s.left.problems
        const shown = ps.slice(0, 3).map((p) => `${p.path}: ${p.message}`)
        return fail(
          1,
          `the header's scenario is not valid: ${shown.join("; ")}${ps.length > 3 ? `; and ${ps.length - 3} more` : ""}`
        )
      }
      if (s.right.uncertainty !== null)
        return fail(1, "the header's scenario has uncertain parameters: a logged run has none")
      if (s.right.id !== h.right.scenario.sha256)
        return fail(1, "the header's scenario does not match its sha256: the log has been edited")
      if (s.right.central.name !== h.right.scenario.name)
        return fail(1, "the header's scenario name is not the name in its definition: the log has been edited")
      header = h.right
      model = compileModel(s.right.central, h.right.years)
      ledger = new Ledger(
        model.calendar,
        model.costs,
        model.policy.services,
        undefined,
        model.legal !== null,
        model.scenario.uasc?.via ?? null,
        model.policy.quotas
      )
      also_ = also === null ? null : also(model)
      check = new StateCheck(model)
      return true
    }

    /** Folds the block's events, now that its checksum has been checked. */
    const foldBlock = (): boolean => {
      for (let i = 0; i < block.length; i++) {
        const r = eventOf(block[i])
        const problem = "problem" in r ? r.problem : check!.check(r.event)
        if (problem !== null) return fail(blockFirst + i, problem)
        const event = (r as { event: CaseEvent }).event
        ledger!.evolve(event)
        if (also_ !== null) also_(event)
      }
      events += block.length
      block = []
      blockBytes = 0
      return true
    }

    /**
     * The block fails its check at line `at` (`why`). Named: the block's first line that is inconsistent
     * by itself (decoding and checking its lines against the state so far), if any; else line `at` when
     * the check line itself is at fault (`atFault`), else the block's first line (a changed, removed,
     * added or moved line somewhere in the block: the checksum cannot say which).
     */
    const failBlock = (at: number, why: string, lineAtFault: boolean): false => {
      // With no lines since the last check, only the check line itself can be at fault.
      const atFault = lineAtFault || block.length === 0
      const range = at > blockFirst ? `lines ${n(blockFirst)} to ${n(at - 1)}` : `the lines before line ${n(at)}`
      const damage = `${range} do not pass the check at line ${n(at)} (${why})`
      for (let i = 0; i < block.length; i++) {
        const r = eventOf(block[i])
        const problem = "problem" in r ? r.problem : check!.check(r.event)
        if (problem !== null)
          return fail(
            blockFirst + i,
            `${problem}; ${atFault ? `and line ${n(at)}: ${why}` : damage}: the log has been edited or damaged`
          )
      }
      if (atFault) return fail(at, `${why}: the log has been edited or damaged`)
      return fail(blockFirst, `${damage}: a line there was changed, removed, added or moved`)
    }

    const every = (): number => header!.checkpointEvery

    const eventLine = (bytes: Uint8Array, line: number, digest: () => string): boolean => {
      const text = textOf(bytes)
      const mark = text === null ? null : markOf(text)
      if (mark === null) {
        if (block.length === every())
          return failBlock(line, `expected a checkpoint after ${n(every())} events, found another line`, true)
        blockBytes += bytes.length + 1
        if (blockBytes > MAX_BLOCK_BYTES)
          return fail(blockFirst, `more than ${MAX_BLOCK_BYTES / 2 ** 20} MiB of lines without a checkpoint`)
        block.push(text)
        return true
      }
      const m = parseIntegrity(text!)
      if (m === null) return failBlock(line, `a damaged ${mark} line`, true)
      if (m.mark === "checkpoint" && block.length !== every())
        return failBlock(line, `a checkpoint after ${n(block.length)} events; they come every ${n(every())}`, false)
      if (m.mark === "trailer" && block.length === every())
        return failBlock(line, `expected a checkpoint after ${n(every())} events, found the trailer`, true)
      const matches = m.sha256 === digest()
      const count = events + block.length
      if (m.line !== line || m.events !== count)
        return failBlock(
          line,
          `the ${mark} says line ${n(m.line)} after ${n(m.events)} events; it is line ${n(line)} after ${n(count)}`,
          matches
        )
      if (!matches) return failBlock(line, "the checksum does not match", false)
      if (!foldBlock()) return false
      blockFirst = line + 1
      if (m.mark === "trailer") trailer = m
      return true
    }

    const splitter: LineSplitter = new LineSplitter(
      (line) => (line === 1 ? MAX_HEADER_BYTES : MAX_LINE_BYTES),
      (bytes) => {
        const line = splitter.line
        // No line of a log has a raw carriage return (JSON escapes it in strings).
        if (bytes.length > 0 && bytes[bytes.length - 1] === 13)
          return fail(line, "the line ends with a carriage return: the log's line endings were changed (by an editor?)")
        if (line === 1) return firstLine(bytes)
        if (line === 2) return headerCheckpoint(bytes, splitter.digestBefore())
        if (trailer !== null)
          return fail(line, `text after the trailer (line ${n(trailer.line)}): the log ends at its trailer`)
        return eventLine(bytes, line, () => splitter.digestBefore())
      }
    )

    yield* fsys.stream(file, { chunkSize: FileSystem.MiB(1) }).pipe(
      Stream.mapError((e) => new EventLogError({ file, detail: `cannot read the event log: ${e.message}` })),
      Stream.runForEach((chunk) =>
        Effect.suspend(() => {
          if (splitter.feed(chunk)) return Effect.void
          const long = splitter.tooLong
          if (long !== null) {
            const limit = (long === 1 ? MAX_HEADER_BYTES : MAX_LINE_BYTES) / 2 ** 20
            fail(long, `the line is longer than ${limit} MiB: not a line of an event log`)
          }
          return Effect.fail(error!)
        })
      )
    )
    const cut = splitter.cut
    if (cut !== null && trailer !== null)
      return yield* Effect.fail(
        failAt(
          file,
          cut,
          `text after the trailer (line ${n((trailer as IntegrityLine).line)}): the log ends at its trailer`
        )
      )
    if (cut !== null)
      return yield* Effect.fail(failAt(file, cut, "the line is cut short: the log ends in the middle of it"))
    if (splitter.line === 0) return yield* Effect.fail(failAt(file, undefined, "the event log is empty"))
    const done = trailer as IntegrityLine | null
    if (done === null || header === null || ledger === null || model === null)
      return yield* Effect.fail(
        failAt(
          file,
          splitter.line + 1,
          `the log ends after line ${n(splitter.line)} without its trailer: it is incomplete (cut short)`
        )
      )
    const totals = (ledger as Ledger).finish()
    for (let i = 0; i < totals.monthEndStock.length; i++) {
      if (totals.monthEndStock[i] < 0)
        return yield* Effect.fail(
          failAt(
            file,
            undefined,
            `the events are inconsistent: a stock goes below zero (month ${Math.floor(i / CELL_COUNT) + 1})`
          )
        )
    }
    const spend = spendOf(totals)
    const tooMuch = spendProblem(spend, (model as Model).calendar)
    // Only a forged header can get here (a run that spends so much is refused before its log is written).
    if (tooMuch !== null) return yield* Effect.fail(failAt(file, 1, `the scenario in the header: ${tooMuch}`))
    return { header: header as LogHeader, model: model as Model, totals, spend, trailer: done }
  })

const failAt = (file: string, line: number | undefined, detail: string): EventLogError =>
  new EventLogError({ file, line, detail })
