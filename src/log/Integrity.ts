/**
 * The integrity lines of an event log (format caseflow-events/4): checkpoints and the trailer.
 *
 * A running SHA-256 is taken over every byte of the log, line by line with each line's "\n". A
 * checkpoint line follows the header and then every `checkpointEvery` events (the header says how many,
 * 1,000 by default); the trailer is the last line. Both carry their own line number, the number of events
 * before them and the SHA-256 of every byte of the log before them (the hash is chained: each covers the
 * header, every event and every checkpoint before it):
 *
 *   {"checkpoint":{"line":2,"events":0,"sha256":"<64 hex digits>"}}
 *   {"trailer":{"line":48924,"events":48917,"sha256":"<64 hex digits>"}}
 *
 * So a log that is cut (anywhere, even between two lines), edited, reordered, or missing or gaining lines
 * fails at the first checkpoint after the change, or at the trailer; the checkpoints bound the search to
 * one block of lines, which the replay's state checks then narrow down to a line where they can.
 *
 * This detects damage and edits; it is not a signature: anyone can recompute the hashes of an edited log.
 * The trailer's hash identifies a log's whole content.
 *
 * The cost is in hashing bytes (SHA-256 through io/Sha256.ts: native code in Node, once per block of lines)
 * and one digest per checkpoint: about 70 ns an event (see `EventLogFile.ts`); nothing is done per event
 * beyond counting.
 */
import { createSha256 } from "../io/Sha256.js"

/** Events between two checkpoints, unless the header says otherwise. */
export const CHECKPOINT_EVERY = 1000

/** The largest `checkpointEvery` a header may give (a larger block could not be narrowed down usefully). */
export const MAX_CHECKPOINT_EVERY = 1_000_000

export type Mark = "checkpoint" | "trailer"

/** A checkpoint or the trailer, as written. */
export interface IntegrityLine {
  readonly mark: Mark
  readonly line: number
  readonly events: number
  readonly sha256: string
}

/** The text of a checkpoint or trailer line (without its "\n"). */
export const integrityText = (m: IntegrityLine): string =>
  `{"${m.mark}":{"line":${m.line},"events":${m.events},"sha256":"${m.sha256}"}}`

const CHECKPOINT_PREFIX = '{"checkpoint":'
const TRAILER_PREFIX = '{"trailer":'

/** Whether a line claims to be a checkpoint or the trailer (by its first characters), and which. */
export const markOf = (line: string): Mark | null =>
  line.startsWith(CHECKPOINT_PREFIX) ? "checkpoint" : line.startsWith(TRAILER_PREFIX) ? "trailer" : null

const isCount = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0

/** A checkpoint or trailer line read back, or null if it is not exactly one (a damaged line). */
export const parseIntegrity = (line: string): IntegrityLine | null => {
  const mark = markOf(line)
  if (mark === null) return null
  let raw: unknown
  try {
    raw = JSON.parse(line)
  } catch {
    return null
  }
  if (raw === null || typeof raw !== "object" || Object.keys(raw).length !== 1) return null
  const body = (raw as Record<string, unknown>)[mark]
  if (body === null || typeof body !== "object") return null
  const b = body as Record<string, unknown>
  if (Object.keys(b).length !== 3 || !isCount(b.line) || !isCount(b.events)) return null
  if (typeof b.sha256 !== "string" || !/^[0-9a-f]{64}$/.test(b.sha256)) return null
  const m: IntegrityLine = { mark, line: b.line, events: b.events, sha256: b.sha256 }
  // Written by `integrityText` and nothing else: any other spelling of the same values is an edit.
  return integrityText(m) === line ? m : null
}

/** The running hash of a log's bytes. */
export class Chain {
  private readonly hash = createSha256()

  update(bytes: Uint8Array): void {
    if (bytes.length > 0) this.hash.update(bytes)
  }

  /** The SHA-256 (hex) of every byte given so far; the chain carries on. */
  digest(): string {
    return this.hash.hex()
  }
}
