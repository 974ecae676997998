/**
 * Unaccompanied asylum-seeking children (UASC): arrivals of their own, a Poisson process of
 * `uasc.perYear` with its dated changes (e.g. transfers under the National Transfer Scheme), drawn by
 * thinning as new referrals are (src/engine/Referrals.ts) from the run's own "uasc" stream. Each arrival is
 * a new child, of an age drawn from `uasc.ageAtArrival`, referred and taken into care at once by the UASC
 * route (`uasc.via`); the child is a UASC child for the rest of the run: their placement on entry, time in
 * care and ways out are UASC's own (src/engine/LifeCycle.ts, Interventions.ts). No intervention intercepts
 * an arrival. A scenario without `uasc` makes none of this, and draws nothing from the stream.
 */
import { stateIndex } from "../domain/Level.js"
import { ageInDays, type UascModel } from "../model/Model.js"
import { choose } from "../model/Tables.js"
import type { Uniform } from "../random/Streams.js"
import { Action, Priority } from "./Actions.js"
import { ArrivalClock } from "./Arrivals.js"
import type { Children } from "./Children.js"
import type { EventQueue } from "./EventQueue.js"
import type { LifeCycle } from "./LifeCycle.js"
import type { Output } from "./Output.js"

const UNIVERSAL = stateIndex.universal

export class UascArrivals {
  /** New arrivals, drawn from the process's own stream. */
  private readonly clock: ArrivalClock

  constructor(
    private readonly model: UascModel,
    arrivals: Uniform,
    private readonly children: Children,
    private readonly queue: EventQueue,
    private readonly out: Output,
    private readonly life: LifeCycle
  ) {
    this.clock = new ArrivalClock(model.arrivals, arrivals)
  }

  /** Schedules the next arrival after `from` (none when the run has no more). */
  scheduleNext(from: number): void {
    const t = this.clock.next(from)
    if (t < Infinity) this.queue.push(t, Priority.Referral, Action.UascArrival, -1, 0)
  }

  /** A child arrives at t: aged from the arrivals' profile, referred and taken into care. */
  arrive(t: number): void {
    const ch = this.children
    const c = ch.add()
    ch.setUasc(c)
    const rng = ch.rng(c)
    const band = choose(this.model.age, rng())
    const dob = Math.floor(t - ageInDays(band.ages, rng, band.within))
    ch.setBirth(c, dob)
    this.out.referred(t, c, dob, false)
    this.life.moveTo(c, t, UNIVERSAL, this.model.intoCare, null, false)
    this.scheduleNext(t)
  }

  /** An upper bound on the arrivals of the run. */
  static expected(model: UascModel): number {
    const a = model.arrivals
    let n = 0
    for (let s = 0; s < a.segmentStart.length; s++) n += a.segmentBound[s] * (a.segmentEnd[s] - a.segmentStart[s])
    return n
  }
}
