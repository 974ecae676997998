/**
 * Referrals: the arrival of new children at the front door, and closed cases coming back.
 *
 * New referrals are a non-homogeneous Poisson process (the model's `ArrivalProcess`: seasonality, trend,
 * population growth, step changes), drawn by thinning within segments over which the rate is monotone,
 * from the run's own "referrals" stream. Only the next arrival is ever scheduled (kept beside the queue's
 * heap). A new child's age is drawn from the referral age bands (from the child's own stream), then the
 * front door decides.
 */
import { stateIndex } from "../domain/Level.js"
import type { Model } from "../model/Model.js"
import { ageInDays, MAX_DAYS_BEFORE_BIRTH } from "../model/Model.js"
import { choose } from "../model/Tables.js"
import type { Uniform } from "../random/Streams.js"
import { Action, Priority } from "./Actions.js"
import { ArrivalClock } from "./Arrivals.js"
import type { Children } from "./Children.js"
import type { EventQueue } from "./EventQueue.js"
import type { LifeCycle } from "./LifeCycle.js"
import type { Output } from "./Output.js"

export class Referrals {
  /** New arrivals, drawn from the process's own stream. */
  private readonly clock: ArrivalClock

  constructor(
    private readonly model: Model,
    arrivals: Uniform,
    private readonly children: Children,
    private readonly queue: EventQueue,
    private readonly out: Output,
    private readonly life: LifeCycle
  ) {
    this.clock = new ArrivalClock(model.arrivals, arrivals)
  }

  /** Schedules the next arrival of the process after `from` (none when the run has no more). */
  scheduleNext(from: number): void {
    const t = this.clock.next(from)
    if (t < Infinity) this.queue.pushAside(t, Priority.Referral, Action.Referral, -1, 0)
  }

  /** A new child is referred at t: their age is drawn, the front door decides, the next arrival is drawn. */
  referNewChild(t: number): void {
    const ch = this.children
    const c = ch.add()
    const rng = ch.rng(c)
    const pre = this.model.preBirth
    let dob: number
    if (pre !== null && rng() < pre.share) {
      // An unborn child: born `before` after the referral, on a whole day after it and at most
      // 40 weeks after it (rounding up to the day must not carry a birth past the 40 weeks).
      const before = pre.before.quantile(rng() * pre.before.cdf(MAX_DAYS_BEFORE_BIRTH))
      dob = Math.min(Math.ceil(t + Math.max(before, 0)), Math.floor(t + MAX_DAYS_BEFORE_BIRTH))
    } else {
      const band = choose(this.model.referralAge, rng())
      dob = Math.floor(t - ageInDays(band.ages, rng, band.within))
    }
    ch.setBirth(c, dob)
    this.out.referred(t, c, dob, false)
    const history = this.life.history
    if (history !== null && history.model.newReferrals !== null)
      history.begin(c, t, history.model.newReferrals, stateIndex.universal, false)
    this.life.frontDoor(c, t)
    this.scheduleNext(t)
  }

  /** A closed case comes back to the front door. */
  reRefer(c: number, t: number): void {
    this.out.referred(t, c, this.children.dob(c), true)
    this.life.frontDoor(c, t)
  }

  /** An upper bound on the new referrals of the run (the segments' bounds times their lengths). */
  static expected(model: Model): number {
    const a = model.arrivals
    let n = 0
    for (let s = 0; s < a.segmentStart.length; s++) n += a.segmentBound[s] * (a.segmentEnd[s] - a.segmentStart[s])
    return n
  }
}
