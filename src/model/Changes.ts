/**
 * Dated changes (the scenario's top-level `changes`), compiled for the engine: the run cut into segments at
 * every change's start and end, and in each segment the product of the changes in force: a multiplier on
 * the length of stays that begin at each level, multipliers on the chance of moves (the other outcomes
 * share the rest, as an intervention's `moves` do: `reweight`), and multipliers on the shares of first
 * placements. Prices are compiled with the cost lines (src/model/Costs.ts `priceFactorsByMonth`).
 *
 * A scenario without changes compiles to null, and the engine then does exactly what it did before.
 */
import type { Calendar } from "../domain/Calendar.js"
import { PLACEMENTS, type Placement, STATES, stateIndex } from "../domain/Level.js"
import type { DatedChange, Scenario } from "../scenario/Scenario.js"
import type { InterventionEffect } from "./Policy.js"
import { type ByAge, type Choice, makeChoice } from "./Tables.js"

export interface DatedModel {
  /** Segment k covers [at[k], at[k + 1]) (the last to the end of the run); at[0] = 0. */
  readonly at: Float64Array
  /** [k * STATES + state]: the multiplier on stays that begin at `state` in segment k. */
  readonly duration: Float64Array
  /** Moves whose chance is multiplied in segment k (empty: none). */
  readonly moves: ReadonlyArray<ReadonlyArray<InterventionEffect>>
  /** Multipliers on first placements' shares in segment k (null: none). */
  readonly mix: ReadonlyArray<Partial<Record<Placement, number>> | null>
}

/** The simulation days a change is in force: [from, until + 1 day), within the run. */
export const changeWindow = (c: DatedChange, cal: Calendar): readonly [number, number] => [
  Math.max(0, cal.dayOf(c.from)),
  c.until === undefined ? cal.horizon : Math.min(cal.horizon, cal.dayOf(c.until) + 1)
]

export const compileChanges = (s: Scenario, cal: Calendar): DatedModel | null => {
  const engine = s.changes.filter((c) => c.price === undefined)
  if (engine.length === 0) return null
  const windows = engine.map((c) => changeWindow(c, cal))
  const at = [...new Set([0, ...windows.flat().filter((t) => t > 0 && t < cal.horizon)])].sort((a, b) => a - b)
  const S = STATES.length
  const duration = new Float64Array(at.length * S).fill(1)
  const moves: Array<Array<InterventionEffect>> = []
  const mix: Array<Partial<Record<Placement, number>> | null> = []
  at.forEach((a, k) => {
    const on = engine.filter((_, i) => windows[i][0] <= a && a < windows[i][1])
    const ms: Array<InterventionEffect> = []
    let m: Partial<Record<Placement, number>> | null = null
    for (const c of on) {
      if (c.duration !== undefined) duration[k * S + stateIndex[c.duration.level]] *= c.multiplier ?? 1
      if (c.outcome !== undefined) {
        const from = stateIndex[c.outcome.level]
        const to = stateIndex[c.outcome.to]
        const same = ms.findIndex((e) => e.from === from && e.to === to)
        const x = c.multiplier ?? 1
        if (same >= 0) ms[same] = { from, to, multiplier: ms[same].multiplier * x }
        else ms.push({ from, to, multiplier: x })
      }
      if (c.placementMix !== undefined) {
        const next: Partial<Record<Placement, number>> = { ...(m ?? {}) }
        for (const p of PLACEMENTS) {
          const x = c.placementMix[p]
          if (x !== undefined) next[p] = (next[p] ?? 1) * x
        }
        m = next
      }
    }
    moves.push(ms)
    mix.push(m)
  })
  return { at: Float64Array.from(at), duration, moves, mix }
}

/** The segment day t falls in. */
export const segmentOf = (d: DatedModel, t: number): number => {
  const at = d.at
  let k = 0
  while (k + 1 < at.length && at[k + 1] <= t) k++
  return k
}

/** A placement mix with each share multiplied (the table as it was when every share would be 0). */
export const mixWith = (c: Choice<number>, mult: Partial<Record<Placement, number>>): Choice<number> => {
  const w = c.items.map((pl, i) => (c.cum[i] - (i > 0 ? c.cum[i - 1] : 0)) * (mult[PLACEMENTS[pl]] ?? 1))
  return w.reduce((a, b) => a + b, 0) > 0 ? makeChoice(c.items, w) : c
}

export const mapByAge = <A, B>(t: ByAge<A>, f: (a: A) => B): ByAge<B> => ({ ...t, values: t.values.map(f) })
