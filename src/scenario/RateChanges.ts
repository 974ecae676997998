/**
 * Changes of the referral rate over time (`referrals.changes`): from its date each change multiplies the
 * rate, for good (a step), until an end date (`until`), or with an excess over 1 that halves every
 * `halfLifeMonths` (a shock that wears off: 1 + (multiplier - 1) x 2^(-months since / half-life)). Changes
 * compound. The compiled model's arrival process and the run-size estimate both read the rate this way.
 */
import type { Scenario } from "./Scenario.js"

/** Days in a month, on average (as distributions' `unit: months`). */
const MONTH = 365.25 / 12

/** The changes in simulation days. */
export interface RateChanges {
  /** When each change starts and stops applying (Infinity: never), and its multiplier. */
  readonly from: Float64Array
  readonly until: Float64Array
  readonly multiplier: Float64Array
  /** The excess's decay per day (ln 2 / half-life; 0: none). */
  readonly decayPerDay: Float64Array
  /** Whether any change decays (then the rate varies within a segment by more than growth). */
  readonly decays: boolean
}

export const compileRateChanges = (
  changes: Scenario["referrals"]["changes"],
  dayOf: (iso: string) => number
): RateChanges => {
  const sorted = [...changes].sort((a, b) => dayOf(a.from) - dayOf(b.from))
  return {
    from: Float64Array.from(sorted, (c) => dayOf(c.from)),
    until: Float64Array.from(sorted, (c) => (c.until === undefined ? Infinity : dayOf(c.until))),
    multiplier: Float64Array.from(sorted, (c) => c.multiplier),
    decayPerDay: Float64Array.from(sorted, (c) =>
      c.halfLifeMonths === undefined ? 0 : Math.LN2 / (c.halfLifeMonths * MONTH)
    ),
    decays: sorted.some((c) => c.halfLifeMonths !== undefined)
  }
}

/** The factor the changes put on the rate at t. */
export const rateFactorAt = (c: RateChanges, t: number): number => {
  let f = 1
  for (let i = 0; i < c.from.length; i++) {
    if (t < c.from[i] || t >= c.until[i]) continue
    const m = c.multiplier[i]
    const k = c.decayPerDay[i]
    f *= k === 0 ? m : 1 + (m - 1) * Math.exp(-k * (t - c.from[i]))
  }
  return f
}

/** The dates at which the factor jumps (every start and end date). */
export const rateChangeCuts = (c: RateChanges): Array<number> => [
  ...c.from,
  ...Array.from(c.until).filter((t) => Number.isFinite(t))
]
