/**
 * The services a run needs, as Effect tags with their layers. The engine itself is plain code; these are
 * how the Effect shell hands it its random streams and where its events go.
 */
import * as Context from "effect/Context"
import * as Layer from "effect/Layer"
import type { CaseEvent } from "../domain/Event.js"
import { makeStreams, type StreamFactory } from "../random/Streams.js"

/** The random streams of one replication. */
export class RandomStreams extends Context.Tag("caseflow/RandomStreams")<
  RandomStreams,
  { readonly seed: number; readonly replication: number; readonly streams: StreamFactory }
>() {
  static readonly seeded = (seed: number, replication = 0): Layer.Layer<RandomStreams> =>
    Layer.succeed(RandomStreams, { seed, replication, streams: makeStreams(seed, replication) })
}

/** Where a run's events go besides the in-run projections: nowhere, memory, or an NDJSON file. */
export class EventLog extends Context.Tag("caseflow/EventLog")<
  EventLog,
  {
    /** Appends one event. Called from the engine's inner loop: must be synchronous and cheap. */
    readonly append: ((event: CaseEvent) => void) | null
  }
>() {
  /** Keep no log (the projections still see every event). */
  static readonly discard: Layer.Layer<EventLog> = Layer.succeed(EventLog, { append: null })

  /** Collect the log in an array (tests, small runs). */
  static readonly memory = (into: Array<CaseEvent>): Layer.Layer<EventLog> =>
    Layer.succeed(EventLog, { append: (e) => into.push(e) })
}
