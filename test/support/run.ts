/**
 * Running a compiled model in tests: the event log as an array, optionally folded live into a Ledger.
 */
import type { CaseEvent } from "../../src/domain/Event.js"
import { Simulation, type SimulationStats } from "../../src/engine/Simulation.js"
import { Ledger, type LedgerTotals } from "../../src/projections/Ledger.js"
import { makeStreams } from "../../src/random/Streams.js"
import type { Model } from "../../src/model/Model.js"

export interface Run {
  readonly events: ReadonlyArray<CaseEvent>
  readonly stats: SimulationStats
}

/** Runs the model to its horizon and returns every event, in the order the sink received them. */
export const runEvents = (model: Model, seed: number, replication = 0): Run => {
  const events: Array<CaseEvent> = []
  const stats = new Simulation(model, makeStreams(seed, replication), (e) => events.push(e)).run()
  return { events, stats }
}

export interface LedgerRun extends Run {
  readonly totals: LedgerTotals
}

/** Runs the model with a Ledger as the live sink, collecting the events as well. */
export const runWithLedger = (model: Model, seed: number, replication = 0): LedgerRun => {
  const events: Array<CaseEvent> = []
  const ledger = new Ledger(model.calendar, model.costs)
  const stats = new Simulation(model, makeStreams(seed, replication), (e) => {
    events.push(e)
    ledger.evolve(e)
  }).run()
  return { events, stats, totals: ledger.finish() }
}

/** Folds a log into a fresh Ledger. */
export const foldLedger = (model: Model, events: Iterable<CaseEvent>): LedgerTotals => {
  const ledger = new Ledger(model.calendar, model.costs)
  for (const e of events) ledger.evolve(e)
  return ledger.finish()
}
