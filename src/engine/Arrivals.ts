/**
 * The next arrival of a non-homogeneous Poisson process (the model's `ArrivalProcess`), drawn by thinning
 * within its segments, over each of which the rate is monotone and bounded by the segment's bound. New
 * referrals (Referrals.ts) and UASC arrivals (Uasc.ts) each draw theirs with one of these, from their own
 * stream; only the next arrival is ever scheduled.
 */
import type { ArrivalProcess } from "../model/Model.js"
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
