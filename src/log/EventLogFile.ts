/**
 * Writing the event log (format caseflow-events/4): NDJSON, one JSON object per line. The first line is
 * the header (`Header.ts`); each further line is one `CaseEvent`, in the order it happened, with a
 * checkpoint after the header and after every `checkpointEvery` events, and a trailer as the last line
 * (`Integrity.ts`).
 *
 * `append` (called from the engine's inner loop) encodes the event into the block's buffer of bytes (or,
 * given the model's names, the engine's record itself, with no event object made); every
 * `checkpointEvery` events the block becomes bytes of its own, hashed, with their checkpoint (no file work).
 * `flush` (called by the run between chunks of events) writes the bytes made so far through the platform
 * `FileSystem`, in one write; `finish` writes the rest and the trailer, closes the file, and
 * hands it back staged. Every failed write is an `EventLogError` naming the file, and once a write has
 * failed nothing more is written (no trailer: the log cannot pass for whole).
 *
 * Cost, measured on the default scenario over 10 years (113,521 events, 117 bytes a line; CPU time on a
 * 2-core AMD EPYC, the records of a run encoded on their own): the lines about 120 ns an event, the
 * SHA-256 chain about 70 ns (1.7 GB/s with the CPU's SHA instructions); within a run, where the engine's
 * own data compete for the caches, two to three times that, and the writes besides (README, "Benchmark").
 *
 * The file is not synced to disk before it is renamed (an fsync of a national run's log takes longer than
 * the hashing of it): a log cut short by a crash of the machine lacks its trailer, and replay refuses it.
 *
 * Writing goes to `<file>.partial`; the command renames it into place together with its other outputs
 * only when the whole command succeeded. A partial file still there when the layer's scope closes (a
 * failure, an interruption, or never committed) is removed.
 */
import * as FileSystem from "@effect/platform/FileSystem"
import type { PlatformError } from "@effect/platform/Error"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Scope from "effect/Scope"
import { type CaseEvent, type EventRecord, Names, type RecordSink } from "../domain/Event.js"
import { excerpt } from "../domain/Show.js"
import { EventLog, EventLogError, type StagedFile } from "../run/Services.js"
import { NdjsonLines } from "./encode.js"
import type { LogHeader } from "./Header.js"
import { Chain, integrityText } from "./Integrity.js"

/** What went wrong with a write, in a few words (the operating system's own, e.g. "ENOSPC: no space left"). */
export const platformReason = (e: PlatformError): string =>
  excerpt(e._tag === "SystemError" ? (e.description ?? e.reason) : e.message, 160)

/**
 * The log's bytes, as the writer makes them. The header, every event's line (written as bytes straight
 * into one buffer: `NdjsonLines`) and the checkpoints and trailer all go into the same buffer, and the
 * SHA-256 chain runs over it as it fills (at each checkpoint, and before the bytes are handed over).
 * `takeBytes` hands over the buffer made since the last (the lines of an incomplete block too: the hash runs
 * on, and the block's checkpoint comes when it is complete) and, with `end`, the trailer; the encoder
 * starts a new buffer, so what was handed over can be written while the run goes on. Nothing is copied.
 * Pure (no file): the writer, the benchmark and the tests share it.
 */
export class LogEncoder implements RecordSink {
  private readonly chain = new Chain()
  /** The bytes made since the last `takeBytes`, and how many of them the chain has taken. */
  private readonly lines = new NdjsonLines(1 << 22)
  private hashed = 0
  /** Events since the last checkpoint; lines written in all (header, events, checkpoints); events in all. */
  private sinceCheckpoint = 0
  private written = 0
  private events = 0
  /** Buffers handed over and written out since, to write into again (no new memory for each flush). */
  private readonly spare: Array<Uint8Array> = []

  constructor(
    header: LogHeader,
    private readonly every: number,
    /** The names the engine's records are numbered by (the model's), for `take`. */
    private readonly names: Names = new Names()
  ) {
    this.lines.addText(JSON.stringify(header))
    this.written = 1
    this.mark("checkpoint")
  }

  /** One event's line. */
  readonly append = (e: CaseEvent): void => {
    this.lines.add(e)
    this.counted()
  }

  /** The line of the event whose record this is (the engine's own record: no event object made). */
  take(r: EventRecord): void {
    this.lines.addRecord(r, this.names)
    this.counted()
  }

  private counted(): void {
    this.written++
    this.events++
    if (++this.sinceCheckpoint === this.every) {
      this.mark("checkpoint")
      this.sinceCheckpoint = 0
    }
  }

  /** The bytes made so far; `end`: the log ends here, with its trailer. */
  takeBytes(end: boolean): Array<Uint8Array> {
    if (end) this.mark("trailer")
    else this.hash()
    this.hashed = 0
    return [this.lines.take(this.spare.pop())]
  }

  /** A buffer `takeBytes` handed over has been written out: it can be written into again. */
  recycle(bytes: Uint8Array): void {
    this.spare.push(bytes)
  }

  /** The chain takes the bytes it has not yet taken. */
  private hash(): void {
    const bytes = this.lines.bytes
    this.chain.update(bytes.subarray(this.hashed))
    this.hashed = bytes.length
  }

  /** A checkpoint or the trailer: the count so far and the hash of every byte before it. */
  private mark(mark: "checkpoint" | "trailer"): void {
    this.hash()
    this.written++
    this.lines.addText(integrityText({ mark, line: this.written, events: this.events, sha256: this.chain.digest() }))
  }
}

/**
 * An `EventLog` that writes the log of a run to `file` through the platform `FileSystem`, committed only
 * if the program using it succeeds (see the module comment).
 */
export const ndjsonEventLog = (
  file: string,
  header: LogHeader,
  names?: Names
): Layer.Layer<EventLog, EventLogError, FileSystem.FileSystem> =>
  Layer.scoped(
    EventLog,
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const partial = `${file}.partial`
      const fail = (what: string) => (e: PlatformError) =>
        new EventLogError({ file, detail: `cannot write the event log (${what}): ${platformReason(e)}` })
      // Registered first, so it runs last: after the file is closed, remove it unless it was moved.
      yield* Effect.addFinalizer(() => fs.remove(partial).pipe(Effect.ignore))
      const fileScope = yield* Scope.make()
      yield* Effect.addFinalizer(() => Scope.close(fileScope, Exit.void))
      const handle = yield* fs.open(partial, { flag: "w" }).pipe(Scope.extend(fileScope), Effect.mapError(fail("open")))
      const encoder = new LogEncoder(header, header.checkpointEvery, names)
      let failed: EventLogError | null = null
      let finished: StagedFile | null = null
      const write = (end: boolean): Effect.Effect<void, EventLogError> =>
        Effect.suspend(() => {
          if (failed !== null) return Effect.fail(failed)
          // Everything made since the last write, in one buffer of its own (nothing is copied).
          const [bytes] = encoder.takeBytes(end)
          return (bytes.length > 0 ? handle.writeAll(bytes) : Effect.void).pipe(
            Effect.tap(() => Effect.sync(() => encoder.recycle(bytes))),
            Effect.mapError(fail("write")),
            Effect.tapError((e) => Effect.sync(() => (failed = e)))
          )
        })
      // A flush hands its bytes to a write of their own and returns: the operating system writes them
      // (on libuv's threads) while the run simulates its next chunk. The next flush, or `finish`, waits for
      // it first, so writes stay in order and a failed one is never missed.
      let inFlight: Fiber.RuntimeFiber<void, EventLogError> | null = null
      const settle: Effect.Effect<void, EventLogError> = Effect.suspend(() => {
        const f = inFlight
        inFlight = null
        return f === null ? Effect.void : Fiber.join(f)
      })
      const flush: Effect.Effect<void, EventLogError> = Effect.gen(function* () {
        yield* settle
        inFlight = yield* Effect.forkIn(write(false), fileScope)
      })
      return {
        append: encoder.append,
        // The engine's records straight to bytes, when they are numbered by the names given here.
        records: names === undefined ? null : encoder,
        flush,
        finish: Effect.suspend(() => {
          if (finished !== null) return Effect.succeed(finished)
          return settle.pipe(
            Effect.zipRight(write(true)),
            Effect.zipRight(Scope.close(fileScope, Exit.void)),
            Effect.tapError((e) => Effect.sync(() => (failed = e))),
            Effect.map(() => (finished = { partial, target: file }))
          )
        })
      }
    })
  )
