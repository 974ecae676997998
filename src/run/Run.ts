/**
 * One simulation run: the engine with its projections, wired in this one place. Every event the engine
 * emits is folded by the ledger (stocks, flows, child-days, one-off costs) as its record, and, if asked,
 * handed on as a `CaseEvent` (to the event log, a test); spend is derived from the ledger at the end. The
 * engine and the ledger number the events' names with the model's table, so no event object is made
 * unless something beyond the ledger wants it.
 *
 * `simulate` is the plain synchronous run that replications, tests and the benchmark call; `runModel` is
 * the same run as an Effect, driven in chunks so that it can be interrupted between them (Ctrl-C), with
 * its random streams and event log provided as services.
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { eventOf, type CaseEvent, type EventRecord, type Names, type RecordSink } from "../domain/Event.js"
import { RunRefused } from "../domain/RunRefused.js"
import { Simulation, type SimulationStats } from "../engine/Simulation.js"
import type { Model } from "../model/Model.js"
import { Ledger, type LedgerTotals } from "../projections/Ledger.js"
import { spendOf, spendProblem, type Spend } from "../projections/Spend.js"
import type { StreamFactory } from "../random/Streams.js"
import { EventLog, type EventLogError, RandomStreams } from "./Services.js"

export interface RunResult {
  readonly model: Model
  readonly totals: LedgerTotals
  readonly spend: Spend
  readonly stats: SimulationStats
}

/**
 * What else sees a run's events, after the ledger: a function of each `CaseEvent` (the event log, a test),
 * or a sink of the engine's records themselves (names numbered in the model's `names`), which is quicker
 * when nothing needs the event objects (e.g. an encoder: `NdjsonLines.addRecord`).
 */
export type Also = ((e: CaseEvent) => void) | RecordSink

/** The ledger, then `also` with each record made an event. */
class EventTee implements RecordSink {
  constructor(
    private readonly ledger: Ledger,
    private readonly also: (e: CaseEvent) => void,
    private readonly names: Names
  ) {}
  take(r: EventRecord): void {
    this.ledger.take(r)
    this.also(eventOf(r, this.names))
  }
}

/** The ledger, then another sink of the records. */
class RecordTee implements RecordSink {
  constructor(
    private readonly ledger: Ledger,
    private readonly also: RecordSink
  ) {}
  take(r: EventRecord): void {
    this.ledger.take(r)
    this.also.take(r)
  }
  ahead(children: Int32Array, size: number): void {
    if (this.also.ahead !== undefined) this.also.ahead(children, size)
  }
}

/** The engine and the ledger for one run; `also` sees every event after the ledger. */
const wire = (model: Model, streams: StreamFactory, also: Also | null) => {
  const ledger = new Ledger(
    model.calendar,
    model.costs,
    model.policy.services,
    model.names,
    model.legal !== null,
    model.scenario.uasc?.via ?? null,
    model.policy.quotas
  )
  const sink =
    also === null
      ? ledger
      : typeof also === "function"
        ? new EventTee(ledger, also, model.names)
        : new RecordTee(ledger, also)
  const sim = new Simulation(model, streams, sink)
  const finish = (): RunResult => {
    const totals = ledger.finish()
    const spend = spendOf(totals)
    const problem = spendProblem(spend, model.calendar)
    if (problem !== null) throw new RunRefused(problem)
    return { model, totals, spend, stats: sim.stats }
  }
  return { sim, finish }
}

/** Runs `model` to its horizon on `streams`; `also` (if given) sees every event in order. Throws `RunRefused`
 * for a run that would never end (src/engine/Runaway.ts) or whose spend is beyond exact pennies
 * (src/projections/Spend.ts, `spendProblem`). */
export const simulate = (model: Model, streams: StreamFactory, also: Also | null = null): RunResult => {
  const { sim, finish } = wire(model, streams, also)
  sim.run()
  return finish()
}

/** `f()`, or the `RunRefused` it threw as a Left (anything else thrown is a defect and goes on up). */
const refusedOr = <A>(f: () => A): Either.Either<A, RunRefused> => {
  try {
    return Either.right(f())
  } catch (e) {
    if (e instanceof RunRefused) return Either.left(e)
    throw e
  }
}

/** `simulate`, with a refused run (`RunRefused`) as a Left: the calls that report it as a scenario's problem. */
export const simulateOrRefused = (
  model: Model,
  streams: StreamFactory,
  also: Also | null = null
): Either.Either<RunResult, RunRefused> => refusedOr(() => simulate(model, streams, also))

/** Events simulated between two yields to the Effect runtime: a chunk takes a few milliseconds, so an
 * interruption is seen promptly and an event log's writes overlap the simulation. */
const CHUNK = 20_000

/** One chunk of a run; a run that would never end fails with `RunRefused`. */
const chunk = (run: ReturnType<typeof wire>): Effect.Effect<boolean, RunRefused> =>
  Effect.suspend(() => refusedOr(() => run.sim.advance(CHUNK)))

/** Drives a run in chunks, `between` after each: the Effect runtime (and an interruption) gets a turn. */
const drive = <E, R>(
  run: ReturnType<typeof wire>,
  between: Effect.Effect<void, E, R>
): Effect.Effect<RunResult, E | RunRefused, R> =>
  Effect.gen(function* () {
    for (;;) {
      const done = yield* chunk(run)
      yield* between
      if (done) break
      yield* Effect.yieldNow()
    }
    return yield* Effect.suspend(() => refusedOr(run.finish))
  })

/** `simulate` as an Effect, interruptible between chunks of events (a replication in the main thread). */
export const simulateInterruptibly = (model: Model, streams: StreamFactory): Effect.Effect<RunResult, RunRefused> =>
  Effect.suspend(() => drive(wire(model, streams, null), Effect.void))

/** `simulate` as an Effect: streams from `RandomStreams`, events also to the `EventLog`; interruptible. */
export const runModel = (
  model: Model
): Effect.Effect<RunResult, EventLogError | RunRefused, RandomStreams | EventLog> =>
  Effect.gen(function* () {
    const { streams } = yield* RandomStreams
    const log = yield* EventLog
    return yield* drive(wire(model, streams, log.records ?? log.append), log.flush)
  })
