/**
 * One simulation run as an Effect: the engine driven in chunks (so a run can be interrupted between
 * them), every event folded by the ledger and appended to the event log.
 */
import * as Effect from "effect/Effect"
import { Simulation, type SimulationStats } from "../engine/Simulation.js"
import { Ledger, type LedgerTotals } from "../projections/Ledger.js"
import { spendOf, type Spend } from "../projections/Spend.js"
import type { Model } from "../scenario/Model.js"
import { EventLog, RandomStreams } from "./services.js"

export interface RunResult {
  readonly model: Model
  readonly totals: LedgerTotals
  readonly spend: Spend
  readonly stats: SimulationStats
}

/** Events simulated between two yields to the Effect runtime. */
const CHUNK = 200_000

export const runModel = (model: Model): Effect.Effect<RunResult, never, RandomStreams | EventLog> =>
  Effect.gen(function* () {
    const { streams } = yield* RandomStreams
    const { append } = yield* EventLog
    const ledger = new Ledger(model.calendar, model.costs, model.policy.services)
    const sink =
      append === null
        ? ledger.evolve
        : (e: Parameters<typeof ledger.evolve>[0]) => {
            ledger.evolve(e)
            append(e)
          }
    const sim = new Simulation(model, streams, sink)
    while (!(yield* Effect.sync(() => sim.advance(CHUNK)))) yield* Effect.yieldNow()
    const totals = ledger.finish()
    return { model, totals, spend: spendOf(totals), stats: sim.stats }
  })
