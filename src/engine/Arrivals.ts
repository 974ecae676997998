/**
 * The next arrival of a non-homogeneous Poisson process (the model's `ArrivalProcess`), drawn by thinning
 * within its segments, over each of which the rate is monotone and bounded by the segment's bound. New
 * referrals (Referrals.ts) and UASC arrivals (Uasc.ts) each draw theirs with one of these, from their own
 * stream; only the next arrival is ever scheduled. With contacts, the referral process's arrivals are contacts,
 * a share of which become referrals (`FrontDoorContacts`). A new referral's age is drawn by `ReferralAge`.
 */
import { linearAt, POPULATION_AGES, referralShareAt, type ContactModel } from "../model/Demand.js"
import { ageInDays, type ArrivalProcess, type Model } from "../model/Model.js"
import { choose } from "../model/Tables.js"
import type { Output } from "./Output.js"
import type { Uniform } from "../random/Streams.js"
import { rateFactorAt } from "../scenario/RateChanges.js"

export class ArrivalClock {
  /** The segment the next arrival is drawn in. */
  private segment = 0

  constructor(
    private readonly process: ArrivalProcess,
    private readonly u: Uniform
  ) {}

  /** The time of the next arrival after `from`; Infinity when the process has none left in the run. */
  next(from: number): number {
    const a = this.process
    const u = this.u
    const n = a.segmentStart.length
    let s = this.segment
    let t = from
    while (s < n) {
      if (t < a.segmentStart[s]) t = a.segmentStart[s]
      const bound = a.segmentBound[s]
      if (bound > 0) {
        t += -Math.log(1 - u()) / bound
        if (t < a.segmentEnd[s]) {
          let rate = a.segmentFactor[s] * a.base * Math.exp(a.growthPerDay * t)
          if (a.decaying !== null) rate *= rateFactorAt(a.decaying, t)
          if (a.index !== null) rate *= linearAt(a.index, t)
          if (u() * bound <= rate) {
            this.segment = s
            return t
          }
          continue
        }
        // Past the segment's end: restart the (memoryless) clock there, not at the overshoot, or the
        // time between the next segment's start and the overshoot would get no arrivals.
        t = a.segmentEnd[s]
      }
      s++
    }
    this.segment = n
    return Infinity
  }
}

/**
 * A new referral's age at t, in days: a referral age band, then an age within it. Without the population's
 * ages (`model.referralAges` null) the bands are drawn by their shares, the age within one uniformly or by
 * its `within` law, with the same two draws as ever. With them, each band's share is re-weighted by its
 * children at t against the start (P_b(t) / P_b(0): the rate per child of each band stays the start's),
 * then, in a band without a `within` law, the year of age is drawn in proportion to that year's children
 * at t and the day uniformly within it.
 */
export class ReferralAge {
  private readonly weights: Float64Array
  private readonly ageWeights = new Float64Array(POPULATION_AGES)
  private readonly atT = new Float64Array(POPULATION_AGES)
  /** The population point at or before the last time asked for (times only increase). */
  private k = 0

  constructor(private readonly model: Model) {
    this.weights = new Float64Array(model.scenario.referrals.ageAtReferral.length)
  }

  draw(t: number, rng: Uniform): number {
    const ages = this.model.referralAges
    if (ages === null) {
      const band = choose(this.model.referralAge, rng())
      return ageInDays(band.ages, rng, band.within)
    }
    const pop = this.populationAt(ages, t)
    const bands = ages.bands
    const w = this.weights
    let total = 0
    for (let b = 0; b < bands.length; b++) {
      const band = bands[b]
      let n = 0
      if (band.children0 > 0)
        for (let a = band.ages[0]; a <= Math.min(band.ages[1], POPULATION_AGES - 1); a++) n += pop[a]
      total += band.children0 > 0 ? (band.share * n) / band.children0 : 0
      w[b] = total
    }
    const u = rng() * total
    let b = 0
    while (b < bands.length - 1 && u >= w[b]) b++
    const band = bands[b]
    if (band.within !== null) return ageInDays(band.ages, rng, band.within)
    const hi = Math.min(band.ages[1], POPULATION_AGES - 1)
    const aw = this.ageWeights
    let sum = 0
    for (let a = band.ages[0]; a <= hi; a++) {
      sum += pop[a]
      aw[a] = sum
    }
    const v = rng() * sum
    let a = band.ages[0]
    while (a < hi && v >= aw[a]) a++
    return ageInDays([a, a], rng)
  }

  /** Children of each age at t: linear between the population's points, constant after the last. */
  private populationAt(ages: NonNullable<Model["referralAges"]>, t: number): Float64Array {
    const times = ages.population.times
    const n = times.length
    while (this.k + 1 < n && times[this.k + 1] <= t) this.k++
    const k = this.k
    const out = this.atT
    const at = ages.byAge
    if (k + 1 >= n) {
      for (let a = 0; a < POPULATION_AGES; a++) out[a] = at[k * POPULATION_AGES + a]
      return out
    }
    const f = (t - times[k]) / (times[k + 1] - times[k])
    for (let a = 0; a < POPULATION_AGES; a++) {
      const x = at[k * POPULATION_AGES + a]
      out[a] = x + (at[(k + 1) * POPULATION_AGES + a] - x) * f
    }
    return out
  }
}

/**
 * Contacts at the front door (a scenario with `referrals.contacts`): each arrival of the process is a
 * contact, which becomes a referral with the share at its time (drawn from the arrivals' own stream) and is
 * logged either way (ContactReceived).
 */
export class FrontDoorContacts {
  constructor(
    private readonly contacts: ContactModel,
    private readonly u: Uniform,
    private readonly out: Output
  ) {}

  /** A contact at t: whether it becomes a referral. */
  referred(t: number): boolean {
    const yes = this.u() < referralShareAt(this.contacts, t)
    this.out.contact(t, yes)
    return yes
  }
}
