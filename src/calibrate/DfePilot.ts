/**
 * A pilot run of a calibrated scenario: how many child protection plans and entries to care it starts a
 * year, to set the share of moves into them (see DfeScenario.ts, `adjust`). One run of `years` years from the
 * scenario's own seed (replication 0): the same every time.
 */
import * as Either from "effect/Either"
import { STATES, stateIndex } from "../domain/Level.js"
import { compileModel } from "../model/Model.js"
import { makeStreams } from "../random/Streams.js"
import { simulateOrRefused } from "../run/Run.js"
import { scenarioFromData } from "../scenario/Load.js"

export interface PilotRates {
  readonly years: number
  /** Child protection plans started a year (entries into child_protection from any level). */
  readonly cpStarts: number
  /** Entries into care a year. */
  readonly lacStarts: number
}

/** The pilot's rates, or the scenario's problems (a calibrated scenario that does not validate). */
export const pilotRates = (label: string, data: unknown, years: number): Either.Either<PilotRates, string> => {
  const source = scenarioFromData(label, data, { checkExtremes: false })
  if (Either.isLeft(source)) return Either.left(source.left.message)
  const scenario = source.right.central
  const model = compileModel(scenario, years)
  const ran = simulateOrRefused(model, makeStreams(scenario.seed, 0))
  if (Either.isLeft(ran)) return Either.left(`${label}: ${ran.left.detail}`)
  const run = ran.right
  const S = STATES.length
  const months = run.totals.calendar.months.length
  const into = (state: number): number => {
    let n = 0
    for (let m = 0; m < months; m++)
      for (let from = 0; from < S; from++) if (from !== state) n += run.totals.starts[m * S * S + state * S + from]
    return n
  }
  const y = months / 12
  return Either.right({
    years: y,
    cpStarts: into(stateIndex.child_protection) / y,
    lacStarts: into(stateIndex.looked_after) / y
  })
}
