/**
 * The tables the engine reads in its inner loop: values by age band, competing destinations chosen with
 * one uniform draw, and distributions compiled to days. Shared by the compiled model and its policy
 * (services and interventions).
 */
import * as D from "../random/Distribution.js"
import type { AgeBand, DistributionSpec, TimeUnit } from "../scenario/Scenario.js"

const DAYS: Record<TimeUnit, number> = { days: 1, weeks: 7, months: 365.25 / 12, years: 365.25 }

/** A distribution spec in days. */
export const compileDistribution = (d: DistributionSpec): D.Distribution => {
  const k = DAYS[d.unit ?? "days"]
  switch (d.type) {
    case "exponential":
      return D.exponential(d.mean * k)
    case "gamma":
      return D.gamma(d.shape, d.mean * k)
    case "weibull":
      return D.weibull(d.shape, d.scale * k)
    case "lognormal":
      return D.lognormal(d.mean * k, d.sd * k)
    case "fixed":
      return D.fixed(d.value * k)
    case "empirical":
      return D.empirical(
        (d.from ?? 0) * k,
        d.bins.map((b) => ({ upTo: b.upTo * k, share: b.share }))
      )
  }
}

/** A value looked up by age band (inclusive whole years). A single value covers every age. */
export interface ByAge<T> {
  readonly banded: boolean
  readonly lo: Int32Array
  readonly hi: Int32Array
  readonly values: ReadonlyArray<T>
}
export const single = <T>(value: T): ByAge<T> => ({
  banded: false,
  lo: Int32Array.of(0),
  hi: Int32Array.of(200),
  values: [value]
})
export const banded = <T>(bands: ReadonlyArray<{ readonly ages: AgeBand; readonly value: T }>): ByAge<T> => ({
  banded: true,
  lo: Int32Array.from(bands.map((b) => b.ages[0])),
  hi: Int32Array.from(bands.map((b) => b.ages[1])),
  values: bands.map((b) => b.value)
})
/** The value for a child of `age`; ages outside every band take the nearest band (validation prevents gaps). */
export const atAge = <T>(t: ByAge<T>, age: number): T => {
  if (!t.banded) return t.values[0]
  const n = t.values.length
  for (let i = 0; i < n; i++) if (age >= t.lo[i] && age <= t.hi[i]) return t.values[i]
  let best = 0
  for (let i = 1; i < n; i++) if (Math.abs(age - t.lo[i]) < Math.abs(age - t.lo[best])) best = i
  return t.values[best]
}

/** One possible destination of a move, in the numbers the engine writes into its event records. */
export interface Destination {
  /** The state moved to (`stateIndex`). */
  readonly to: number
  /** The route (e.g. "assessment"), as its number in the model's `Names`; -1: none. */
  readonly via: number
  /** Why the case closes, when `to` is universal or exited (index in `CLOSURE_REASONS`). */
  readonly closure: number
  /** Why the care episode ends, when the move leaves care (index in `LEFT_CARE_REASONS`). */
  readonly leftCare: number
  /**
   * Days the child stays at `to` when fixed in advance (a move redirected onto an intervention's course
   * lasts as long as the child holds its place); -1: drawn from the level's duration on arrival.
   */
  readonly stay: number
}
/** Competing destinations, chosen with one uniform draw. */
export interface Choice<T> {
  readonly cum: Float64Array
  readonly items: ReadonlyArray<T>
}
export const makeChoice = <T>(items: ReadonlyArray<T>, weights: ReadonlyArray<number>): Choice<T> => {
  const total = weights.reduce((a, b) => a + b, 0)
  const cum = new Float64Array(items.length)
  let acc = 0
  for (let i = 0; i < items.length; i++) {
    acc += weights[i] / total
    cum[i] = acc
  }
  cum[items.length - 1] = 1
  return { cum, items }
}
export const choose = <T>(c: Choice<T>, u: number): T => {
  const cum = c.cum
  let i = 0
  while (i < cum.length - 1 && u >= cum[i]) i++
  return c.items[i]
}

export interface ReReferralModel {
  readonly probability: number
  readonly after: D.Distribution
}
export interface LevelModel {
  readonly duration: ByAge<D.Distribution>
  readonly outcomes: ByAge<Choice<Destination>>
  readonly reReferral: ReReferralModel
}
