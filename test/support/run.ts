/**
 * Running a compiled model in tests, through `simulate` (src/run/Run.ts: the one place the engine and
 * the ledger are wired): the event log as an array, with the ledger's totals; and folding a log into a
 * fresh ledger as a replay does.
 */
import type { CaseEvent } from "../../src/domain/Event.js"
import type { SimulationStats } from "../../src/engine/Simulation.js"
import type { Model } from "../../src/model/Model.js"
import { Ledger, type LedgerTotals } from "../../src/projections/Ledger.js"
import { makeStreams } from "../../src/random/Streams.js"
import { simulate } from "../../src/run/Run.js"

export interface Run {
  readonly events: ReadonlyArray<CaseEvent>
  readonly stats: SimulationStats
}

export interface LedgerRun extends Run {
  readonly totals: LedgerTotals
}

/** Runs the model to its horizon and returns every event in order, with the ledger folded live. */
export const runWithLedger = (model: Model, seed: number, replication = 0): LedgerRun => {
  const events: Array<CaseEvent> = []
  const { stats, totals } = simulate(model, makeStreams(seed, replication), (e) => events.push(e))
  return { events, stats, totals }
}

/** Adds `value` to `key`'s list in `m` (made when the key is new): grouping in linear time. */
export const pushTo = <K, V>(m: Map<K, Array<V>>, key: K, value: V): void => {
  const l = m.get(key)
  if (l === undefined) m.set(key, [value])
  else l.push(value)
}

/** Each child's events, in order (contacts, which name child -1, together). */
export const byChild = (events: ReadonlyArray<CaseEvent>): Map<number, Array<CaseEvent>> => {
  const m = new Map<number, Array<CaseEvent>>()
  for (const e of events) pushTo(m, e.child, e)
  return m
}

/** Runs the model to its horizon and returns every event, in the order the sink received them. */
export const runEvents = (model: Model, seed: number, replication = 0): Run => runWithLedger(model, seed, replication)

/** Folds a log into a fresh Ledger, as a replay does (names numbered as the events come). */
export const foldLedger = (model: Model, events: Iterable<CaseEvent>): LedgerTotals => {
  const ledger = new Ledger(
    model.calendar,
    model.costs,
    model.policy.services,
    undefined,
    model.legal !== null,
    model.scenario.uasc?.via ?? null,
    model.policy.quotas
  )
  for (const e of events) ledger.evolve(e)
  return ledger.finish()
}
