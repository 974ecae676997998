/**
 * Writing the event log (format caseflow-events/2): NDJSON, one JSON object per line. The first line is
 * the header (`Header.ts`); each further line is one `CaseEvent`, in the order it happened, with a
 * checkpoint after the header and after every `checkpointEvery` events, and a trailer as the last line
 * (`Integrity.ts`).
 *
 * `append` only encodes the event and keeps the line in memory (it is called from the engine's inner
 * loop); `flush` (called by the run between chunks of events) hashes what was kept, block by block, adds
 * the checkpoints and writes it through the platform `FileSystem`; `finish` writes the rest and the
 * trailer, syncs and closes the file, and hands it back staged. Every failed write is an `EventLogError`
 * naming the file, and once a write has failed nothing more is written (no trailer: the log cannot pass
 * for whole).
 *
 * Writing goes to `<file>.partial`; the command renames it into place together with its other outputs
 * only when the whole command succeeded. A partial file still there when the layer's scope closes (a
 * failure, an interruption, or never committed) is removed.
 */
import * as FileSystem from "@effect/platform/FileSystem"
import type { PlatformError } from "@effect/platform/Error"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Scope from "effect/Scope"
import type { CaseEvent } from "../domain/Event.js"
import { excerpt } from "../domain/Show.js"
import { EventLog, EventLogError, type StagedFile } from "../run/Services.js"
import { encodeEvent } from "./encode.js"
import type { LogHeader } from "./Header.js"
import { Chain, integrityText } from "./Integrity.js"

/** Where a checkpoint goes among the kept lines (no event line is empty). */
const CHECKPOINT = ""

/** What went wrong with a write, in a few words (the operating system's own, e.g. "ENOSPC: no space left"). */
export const platformReason = (e: PlatformError): string =>
  excerpt(e._tag === "SystemError" ? (e.description ?? e.reason) : e.message, 160)

/**
 * The log's bytes, as the writer makes them: lines kept by `append`, turned into hashed blocks with
 * their checkpoints by `take`. Pure (no file): the writer and the tests share it.
 */
export class LogEncoder {
  private readonly chain = new Chain()
  private kept: Array<string> = []
  private sinceCheckpoint = 0
  private appended = 0
  private lines = 0
  private checkpoints = 0

  constructor(
    header: LogHeader,
    private readonly every: number
  ) {
    this.kept.push(JSON.stringify(header), CHECKPOINT)
  }

  /** Keeps one event's line. */
  readonly append = (e: CaseEvent): void => {
    this.kept.push(encodeEvent(e))
    this.appended++
    if (++this.sinceCheckpoint === this.every) {
      this.kept.push(CHECKPOINT)
      this.sinceCheckpoint = 0
    }
  }

  /** Everything kept so far as bytes (hashed, with its checkpoints filled in); `end`: add the trailer. */
  take(end: boolean): Array<Uint8Array> {
    const kept = this.kept
    this.kept = []
    const out: Array<Uint8Array> = []
    const push = (text: string) => {
      const bytes = Buffer.from(text)
      this.chain.update(bytes)
      out.push(bytes)
    }
    const mark = (mark: "checkpoint" | "trailer", events: number) => {
      this.lines++
      push(integrityText({ mark, line: this.lines, events, sha256: this.chain.digest() }) + "\n")
    }
    let from = 0
    for (let i = 0; i <= kept.length; i++) {
      if (i < kept.length && kept[i] !== CHECKPOINT) continue
      if (i > from) {
        push(kept.slice(from, i).join("\n") + "\n")
        this.lines += i - from
      }
      // The first checkpoint follows the header (no events yet); each later one, `every` more events.
      if (i < kept.length) mark("checkpoint", this.every * this.checkpoints++)
      from = i + 1
    }
    if (end) mark("trailer", this.appended)
    return out
  }
}

/**
 * An `EventLog` that writes the log of a run to `file` through the platform `FileSystem`, committed only
 * if the program using it succeeds (see the module comment).
 */
export const ndjsonEventLog = (
  file: string,
  header: LogHeader
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
      const encoder = new LogEncoder(header, header.checkpointEvery)
      let failed: EventLogError | null = null
      let finished: StagedFile | null = null
      const write = (end: boolean): Effect.Effect<void, EventLogError> =>
        Effect.suspend(() => {
          if (failed !== null) return Effect.fail(failed)
          return Effect.forEach(encoder.take(end), (bytes) => handle.writeAll(bytes), { discard: true }).pipe(
            Effect.mapError(fail("write")),
            Effect.tapError((e) => Effect.sync(() => (failed = e)))
          )
        })
      return {
        append: encoder.append,
        flush: write(false),
        finish: Effect.suspend(() => {
          if (finished !== null) return Effect.succeed(finished)
          return write(true).pipe(
            Effect.zipRight(handle.sync.pipe(Effect.mapError(fail("sync")))),
            Effect.zipRight(Scope.close(fileScope, Exit.void)),
            Effect.tapError((e) => Effect.sync(() => (failed = e))),
            Effect.map(() => (finished = { partial, target: file }))
          )
        })
      }
    })
  )
