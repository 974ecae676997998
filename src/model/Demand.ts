/**
 * Demand at the front door, compiled: the population by single year of age and its projection, the
 * referral-weighted population index that scales the arrival rate, and contacts (the share of them that
 * become referrals, changing over time).
 *
 * The population of each age 0-17 is known at the start (`population.byAge`, or only the total) and at the
 * projection's points (ONS-style projected counts: by age, a total or a multiple of the start's); between
 * two points it changes linearly, and after the last it stays. Referrals by age follow it: the rate per
 * child of each referral age band is what the start's rate and age shares give (share x rate / the band's
 * children), so the rate of band b at t is share_b x rate x P_b(t) / P_b(0) and the whole rate is the start's
 * times the index I(t) = sum over b of share_b P_b(t) / P_b(0). A referral's age is drawn from the bands so
 * weighted, then (in a band without its own `within` law) the year of age in proportion to that year's
 * children, then the day uniformly within the year. I(t) is linear between points, so monotone within each
 * of the arrival process's segments once they are cut at the points.
 */
import type { Calendar } from "../domain/Calendar.js"
import type { Contacts, Population, PopulationByAge, PopulationPoint, Scenario } from "../scenario/Scenario.js"
import * as D from "../random/Distribution.js"
import { compileDistribution } from "./Tables.js"

/** Ages a population is given for: 0 to 17. */
export const POPULATION_AGES = 18

/** A function of time, linear between its points and constant before the first and after the last. */
export interface PiecewiseLinear {
  readonly times: Float64Array
  readonly values: Float64Array
}

/** The value of f at t. */
export const linearAt = (f: PiecewiseLinear, t: number): number => {
  const ts = f.times
  const n = ts.length
  if (t <= ts[0]) return f.values[0]
  if (t >= ts[n - 1]) return f.values[n - 1]
  let lo = 0
  let hi = n - 1
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1
    if (ts[mid] <= t) lo = mid
    else hi = mid
  }
  const w = (t - ts[lo]) / (ts[hi] - ts[lo])
  return f.values[lo] + (f.values[hi] - f.values[lo]) * w
}

/** Children of each age 0-17 from a `byAge` field: single years, or bands spread evenly over their years. */
export const childrenByAge = (b: PopulationByAge): Float64Array => {
  const out = new Float64Array(POPULATION_AGES)
  for (let i = 0; i < b.length; i++) {
    const x = b[i]
    if (typeof x === "number") out[i] = x
    else {
      const lo = Math.max(0, x.ages[0])
      const hi = Math.min(POPULATION_AGES - 1, x.ages[1])
      for (let a = lo; a <= hi; a++) out[a] = x.children / (hi - lo + 1)
    }
  }
  return out
}

/** The date a projection point stands for: its `date`, or 30 June of its `year` (ONS's mid-year). */
export const pointDate = (p: PopulationPoint): string => p.date ?? `${String(p.year ?? 0).padStart(4, "0")}-06-30`

/** The population over the run, by age where the scenario gives ages. */
export interface PopulationModel {
  /** Times (simulation days) of the start (0) and of the projection's points after it, increasing. */
  readonly times: Float64Array
  /** [point * 18 + age]: children of each age at each point; null when the scenario gives no ages. */
  readonly byAge: Float64Array | null
  /** Children in all at each point. */
  readonly totals: Float64Array
}

/** The population's points in time: the start, then each projection point dated after it. */
export const compilePopulation = (p: Population, cal: Calendar): PopulationModel => {
  const start = p.byAge === undefined ? null : childrenByAge(p.byAge)
  const points = [...(p.projection ?? [])]
    .map((x) => ({ t: cal.dayOf(pointDate(x)), x }))
    .filter((x) => x.t > 0)
    .sort((a, b) => a.t - b.t)
  const n = points.length + 1
  const times = Float64Array.from([0, ...points.map((x) => x.t)])
  const totals = new Float64Array(n)
  totals[0] = p.children
  const byAge = start === null ? null : new Float64Array(n * POPULATION_AGES)
  if (byAge !== null && start !== null) byAge.set(start, 0)
  points.forEach(({ x }, i) => {
    const k = i + 1
    const scale = x.multiplier ?? (x.children !== undefined && p.children > 0 ? x.children / p.children : 1)
    if (byAge !== null && start !== null) {
      const ages = x.byAge !== undefined ? childrenByAge(x.byAge) : start.map((c) => c * scale)
      byAge.set(ages, k * POPULATION_AGES)
      totals[k] = ages.reduce((a, b) => a + b, 0)
    } else totals[k] = x.children ?? p.children * scale
  })
  return { times, byAge, totals }
}

/** A referral age band with what the population says of it. */
export interface PopulationBand {
  readonly ages: readonly [number, number]
  /** Its share of referrals at the start. */
  readonly share: number
  /** Days past the band's youngest birthday; null: the year by the population, the day uniformly. */
  readonly within: D.Distribution | null
  /** Children of the band's ages at the start (0: the band has no referrals). */
  readonly children0: number
}

/** Referral ages by the population: null for a scenario without `population.byAge` (the bands as given). */
export interface ReferralAgeModel {
  readonly population: PopulationModel
  readonly byAge: Float64Array
  readonly bands: ReadonlyArray<PopulationBand>
}

/** Children of a band's ages at point k of a population by age. */
export const bandChildren = (byAge: ArrayLike<number>, k: number, ages: readonly [number, number]): number => {
  let n = 0
  for (let a = ages[0]; a <= Math.min(ages[1], POPULATION_AGES - 1); a++) n += byAge[k * POPULATION_AGES + a]
  return n
}

/**
 * The index the population puts on the referral rate (1 at the start), and referral ages by the population;
 * index null when the population has no projection (the rate then grows by `growthPerYear` alone), ages null
 * without `population.byAge`.
 */
export const compileReferralDemand = (
  s: Scenario,
  cal: Calendar
): { readonly index: PiecewiseLinear | null; readonly ages: ReferralAgeModel | null } => {
  const p = s.population
  if (p.byAge === undefined && p.projection === undefined) return { index: null, ages: null }
  const pop = compilePopulation(p, cal)
  const byAge = pop.byAge
  const bands = s.referrals.ageAtReferral.map((b) => ({
    ages: b.ages,
    share: b.share,
    within: b.within === undefined ? null : compileDistribution(b.within),
    children0: byAge === null ? 0 : bandChildren(byAge, 0, b.ages)
  }))
  const shareTotal = bands.reduce((a, b) => a + b.share, 0)
  const n = pop.times.length
  const values = new Float64Array(n)
  for (let k = 0; k < n; k++) {
    if (byAge === null) values[k] = pop.totals[0] > 0 ? pop.totals[k] / pop.totals[0] : 1
    else {
      let v = 0
      for (const b of bands)
        if (b.children0 > 0) v += (b.share / shareTotal) * (bandChildren(byAge, k, b.ages) / b.children0)
      values[k] = v
    }
  }
  return {
    index: p.projection === undefined ? null : { times: pop.times, values },
    ages: byAge === null ? null : { population: pop, byAge, bands }
  }
}

/** Contacts at the front door, compiled: the share that become referrals, a step function of time. */
export interface ContactModel {
  /** From each day (increasing; the first is -Infinity) the share of contacts that become referrals. */
  readonly from: Float64Array
  readonly share: Float64Array
}

export const compileContacts = (c: Contacts, cal: Calendar): ContactModel => {
  const changes = [...c.toReferralChanges].map((x) => ({ t: cal.dayOf(x.from), share: x.share }))
  changes.sort((a, b) => a.t - b.t)
  return {
    from: Float64Array.from([-Infinity, ...changes.map((x) => x.t)]),
    share: Float64Array.from([c.toReferral, ...changes.map((x) => x.share)])
  }
}

/** The share of contacts at t that become referrals. */
export const referralShareAt = (c: ContactModel, t: number): number => {
  let i = c.from.length - 1
  while (t < c.from[i]) i--
  return c.share[i]
}
