/**
 * Writing the event log: NDJSON, one JSON object per line. The first line is the header (`Header.ts`);
 * each further line is one `CaseEvent`, in the order it happened.
 *
 * Writing goes to `<file>.partial`; `finish` ends it and hands it back staged, for the command to rename
 * into place together with its other outputs only when the whole command succeeded. A partial file still
 * there when the layer's scope closes (a failure, an interruption, or never committed) is removed.
 */
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as fs from "node:fs"
import type { CaseEvent } from "../domain/Event.js"
import { EventLog, EventLogError } from "../run/Services.js"
import { encodeEvent } from "./encode.js"
import type { LogHeader } from "./Header.js"

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
          const state = { fd, partial, open: true, parts: [JSON.stringify(header)] as Array<string>, chars: 0 }
          return state
        },
        catch: (e) => new EventLogError({ file, detail: `cannot write the event log: ${(e as Error).message}` })
      }),
      (state) =>
        Effect.sync(() => {
          if (state.open) fs.closeSync(state.fd)
          fs.rmSync(state.partial, { force: true })
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
        },
        flush: Effect.void,
        finish: Effect.try({
          try: () => {
            state.parts.push("")
            fs.writeSync(state.fd, state.parts.join("\n"))
            state.parts = []
            fs.closeSync(state.fd)
            state.open = false
            return { partial: state.partial, target: file }
          },
          catch: (e) => new EventLogError({ file, detail: `cannot write the event log: ${(e as Error).message}` })
        })
      }))
    )
  )
