/**
 * Referrals: the arrival of new children at the front door, and closed cases coming back.
 *
 * New referrals are a non-homogeneous Poisson process (the model's `ArrivalProcess`: seasonality, trend,
 * population growth, step changes), drawn by thinning within segments over which the rate is monotone,
 * from the run's own "referrals" stream. Only the next arrival is ever scheduled (kept beside the queue's
 * heap). With contacts, each arrival is a contact, and a share of them become referrals. A new child's age
 * is drawn from the referral age bands, re-weighted by the population's ages if it gives them (from the
 * child's own stream), then the front door decides.
 */
import { stateIndex } from "../domain/Level.js"
import type { Model } from "../model/Model.js"
import { MAX_DAYS_BEFORE_BIRTH } from "../model/Model.js"
import type { Uniform } from "../random/Streams.js"
import { Action, Priority } from "./Actions.js"
import { ArrivalClock, FrontDoorContacts, ReferralAge } from "./Arrivals.js"
import type { Children } from "./Children.js"
import type { EventQueue } from "./EventQueue.js"
import type { Families } from "./Families.js"
import type { LifeCycle } from "./LifeCycle.js"
import type { Output } from "./Output.js"

export class Referrals {
  /** New arrivals, drawn from the process's own stream. */
  private readonly clock: ArrivalClock
  /** With contacts: the process's arrivals are contacts, of which a share become referrals; else null. */
  private readonly contacts: FrontDoorContacts | null
  private readonly age: ReferralAge
  /** With sibling groups whose rate counts children: the chance an arrival of the process is a family's
   * (thinning the process to the families' rate, the rate / the mean children a referral brings); else 1. */
  private readonly familyShare: number
  /** With pre-birth referrals: the chance their law gives a birth within 40 weeks (the same every time, and
   * a gamma's cdf costs a microsecond). */
  private readonly preBirthWithin: number

  constructor(
    private readonly model: Model,
    private readonly arrivals: Uniform,
    private readonly children: Children,
    private readonly queue: EventQueue,
    private readonly out: Output,
    private readonly life: LifeCycle,
    private readonly families: Families | null = null
  ) {
    this.clock = new ArrivalClock(model.arrivals, arrivals)
    this.contacts = model.contacts === null ? null : new FrontDoorContacts(model.contacts, arrivals, out)
    this.age = new ReferralAge(model)
    // With contacts, a contact is about a family (what `rateCounts` says is the referral rate's, not theirs).
    const f = model.families
    this.familyShare = f !== null && f.rateCountsChildren && model.contacts === null ? 1 / f.meanChildren : 1
    this.preBirthWithin = model.preBirth === null ? 0 : model.preBirth.before.cdf(MAX_DAYS_BEFORE_BIRTH)
  }

  /** Schedules the next arrival of the process after `from` (none when the run has no more). */
  scheduleNext(from: number): void {
    let t = this.clock.next(from)
    if (this.familyShare < 1) while (t < Infinity && !(this.arrivals() < this.familyShare)) t = this.clock.next(t)
    if (t < Infinity) this.queue.pushAside(t, Priority.Referral, Action.Referral, -1, 0)
  }

  /** Arrivals taken so far, contacts included (one that is not referred adds no child: see Runaway.ts). */
  arrivalsTaken = 0

  /** A new child is referred at t: their age is drawn, the front door decides, the next arrival is drawn. */
  referNewChild(t: number): void {
    this.arrivalsTaken++
    // With contacts, the arrival is a contact: only a share of them become referrals.
    if (this.contacts !== null && !this.contacts.referred(t)) return this.scheduleNext(t)
    const ch = this.children
    const c = ch.add()
    const rng = ch.rng(c)
    const pre = this.model.preBirth
    let dob: number
    if (pre !== null && rng() < pre.share) {
      // An unborn child: born `before` after the referral, on a whole day after it and at most
      // 40 weeks after it (rounding up to the day must not carry a birth past the 40 weeks).
      const before = pre.before.quantile(rng() * this.preBirthWithin)
      dob = Math.min(Math.ceil(t + Math.max(before, 0)), Math.floor(t + MAX_DAYS_BEFORE_BIRTH))
    } else {
      dob = Math.floor(t - this.age.draw(t, rng))
    }
    ch.setBirth(c, dob)
    this.out.referred(t, c, dob, false)
    const history = this.life.history
    if (history !== null && history.model.newReferrals !== null)
      history.begin(c, t, history.model.newReferrals, stateIndex.universal, false)
    // A family's younger siblings are referred with the eldest, and each comes to the front door after them.
    const siblings = this.families === null ? 0 : this.families.referSiblings(c, t, dob)
    for (let k = 0; k <= siblings; k++) this.life.frontDoor(c + k, t)
    this.scheduleNext(t)
  }

  /** A closed case comes back to the front door. */
  reRefer(c: number, t: number): void {
    this.out.referred(t, c, this.children.dob(c), true)
    this.life.frontDoor(c, t)
  }

  /** An upper bound on the new referrals of the run (the segments' bounds times their lengths), in children. */
  static expected(model: Model): number {
    const a = model.arrivals
    let n = 0
    for (let s = 0; s < a.segmentStart.length; s++) n += a.segmentBound[s] * (a.segmentEnd[s] - a.segmentStart[s])
    const referrals = model.contacts === null ? n : n * Math.max(...model.contacts.share)
    // With sibling groups whose rate counts families, each referral brings the mean family's children.
    const f = model.families
    if (f === null || (f.rateCountsChildren && model.contacts === null)) return referrals
    return referrals * f.meanChildren
  }
}
