/**
 * The services a run needs, as Effect tags with their layers. The engine itself is plain code; these are
 * how the Effect shell hands it its random streams and where its events go.
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import type { CaseEvent, RecordSink } from "../domain/Event.js"
import { makeStreams, type StreamFactory } from "../random/Streams.js"

/** The random streams of one replication. */
export class RandomStreams extends Context.Tag("caseflow/RandomStreams")<
  RandomStreams,
  { readonly seed: number; readonly replication: number; readonly streams: StreamFactory }
>() {
  static readonly seeded = (seed: number, replication = 0): Layer.Layer<RandomStreams> =>
    Layer.succeed(RandomStreams, { seed, replication, streams: makeStreams(seed, replication) })
}

/** An event log that cannot be written, read or trusted (`line`: the line of the log at fault). */
export class EventLogError extends Schema.TaggedError<EventLogError>()("EventLogError", {
  file: Schema.String,
  line: Schema.optional(Schema.Number),
  detail: Schema.String
}) {
  override get message(): string {
    return `${this.file}${this.line !== undefined ? `:${this.line}` : ""}: ${this.detail}`
  }
}

/** A finished output file written under a temporary name, to be renamed into place with the command's others. */
export interface StagedFile {
  readonly partial: string
  readonly target: string
}

/** Where a run's events go besides the in-run projections: nowhere, memory, or an NDJSON file. */
export class EventLog extends Context.Tag("caseflow/EventLog")<
  EventLog,
  {
    /** Appends one event. Called from the engine's inner loop: must be synchronous and cheap. */
    readonly append: ((event: CaseEvent) => void) | null
    /**
     * Or takes the engine's records themselves (numbered by the names of the model being run), which spares
     * making an event object per event; a run uses it in preference to `append` when it is given.
     */
    readonly records?: RecordSink | null
    /** Writes out what `append` has buffered; the run calls it between chunks of events. */
    readonly flush: Effect.Effect<void, EventLogError>
    /**
     * Ends the log after the last event (the rest written and closed) and returns its file, staged under a
     * temporary name for the caller to move into place together with its other outputs (null: no file).
     * A staged file the caller does not move is removed when the layer's scope closes.
     */
    readonly finish: Effect.Effect<StagedFile | null, EventLogError>
  }
>() {
  /** Keep no log (the projections still see every event). */
  static readonly discard: Layer.Layer<EventLog> = Layer.succeed(EventLog, {
    append: null,
    flush: Effect.void,
    finish: Effect.succeed(null)
  })

  /** Collect the log in an array (tests, small runs). */
  static readonly memory = (into: Array<CaseEvent>): Layer.Layer<EventLog> =>
    Layer.succeed(EventLog, { append: (e) => into.push(e), flush: Effect.void, finish: Effect.succeed(null) })
}
