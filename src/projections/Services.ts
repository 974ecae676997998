/**
 * Services, waiting lists and interventions, folded from the event log by month: who joined and left each
 * waiting list (and how), the number waiting at each month end, waiting child-days (the integral of the list
 * length, for Little's law), the time each child waited, intervention starts and ends and the places they
 * held, placement overflows. Services are keyed by the name the events carry, so the fold needs nothing but
 * the calendar and serves a live run and a replayed log alike.
 *
 * Places taken in level and placement services are the stocks of those cells, read from the ledger's
 * child-days; utilisation = place-days used / place-days available (see `servicePeriod` in src/report/services.ts).
 */
import type { Calendar } from "../domain/Calendar.js"
import type { CaseEvent } from "../domain/Event.js"
import type { ServiceModel } from "../model/Policy.js"

export const LEFT_OUTCOMES = ["place", "escalated", "turned_18", "service_ended", "case_closed"] as const

export interface ServiceMonthly {
  readonly name: string
  /** The service as the scenario defines it (places over time), when the fold was given the model. */
  readonly model: ServiceModel | null
  /** By month. */
  readonly joined: Int32Array
  /** [month * LEFT_OUTCOMES.length + outcome] */
  readonly left: Int32Array
  readonly waitingAtMonthEnd: Int32Array
  /** Integral of the waiting-list length over each month (child-days). */
  readonly waitingDays: Float64Array
  /** Total days waited by the children who left the list in the month. */
  readonly waitedDays: Float64Array
  /** Intervention starts, ends, and place-days held (interventions whose places are held for a duration). */
  readonly started: Int32Array
  readonly ended: Int32Array
  readonly heldDays: Float64Array
  readonly overflowed: Int32Array
}

export interface ServiceTotals {
  readonly services: ReadonlyArray<ServiceMonthly>
}

class Track implements ServiceMonthly {
  readonly joined: Int32Array
  readonly left: Int32Array
  readonly waitingAtMonthEnd: Int32Array
  readonly waitingDays: Float64Array
  readonly waitedDays: Float64Array
  readonly started: Int32Array
  readonly ended: Int32Array
  readonly heldDays: Float64Array
  readonly overflowed: Int32Array
  waiting = 0
  held = 0
  last = 0
  readonly joinedAt = new Map<number, number>()
  constructor(
    readonly name: string,
    readonly model: ServiceModel | null,
    n: number
  ) {
    this.joined = new Int32Array(n)
    this.left = new Int32Array(n * LEFT_OUTCOMES.length)
    this.waitingAtMonthEnd = new Int32Array(n)
    this.waitingDays = new Float64Array(n)
    this.waitedDays = new Float64Array(n)
    this.started = new Int32Array(n)
    this.ended = new Int32Array(n)
    this.heldDays = new Float64Array(n)
    this.overflowed = new Int32Array(n)
  }
}

export class ServiceFold {
  private readonly tracks = new Map<string, Track>()
  private readonly order: Array<Track> = []
  private readonly monthEnd: Float64Array
  private m = 0

  constructor(
    private readonly calendar: Calendar,
    private readonly models: ReadonlyArray<ServiceModel> = []
  ) {
    this.monthEnd = Float64Array.from(calendar.months, (m) => m.end)
    // Every service the scenario defines is reported, in the scenario's order, even if no event names it.
    for (const s of models) this.track(s.name, 0)
  }

  private track(name: string, t: number): Track {
    let tr = this.tracks.get(name)
    if (tr === undefined) {
      tr = new Track(name, this.models.find((s) => s.name === name) ?? null, this.monthEnd.length)
      tr.last = t
      this.tracks.set(name, tr)
      this.order.push(tr)
    }
    return tr
  }

  /** Integrates a track's lists up to t (within the current month). */
  private touch(tr: Track, t: number): void {
    tr.waitingDays[this.m] += tr.waiting * (t - tr.last)
    tr.heldDays[this.m] += tr.held * (t - tr.last)
    tr.last = t
  }

  /** Closes every month that ends at or before t. */
  advanceTo(t: number): void {
    while (this.m < this.monthEnd.length && t >= this.monthEnd[this.m]) {
      const end = this.monthEnd[this.m]
      for (const tr of this.order) {
        this.touch(tr, end)
        tr.waitingAtMonthEnd[this.m] = tr.waiting
      }
      this.m++
    }
  }

  /** Folds one event (the ledger calls this for every event, in log order). */
  evolve(e: CaseEvent): void {
    switch (e._tag) {
      case "WaitingListJoined": {
        this.advanceTo(e.time)
        const tr = this.track(e.service, e.time)
        this.touch(tr, e.time)
        tr.waiting++
        tr.joined[this.m]++
        tr.joinedAt.set(e.child, e.time)
        return
      }
      case "WaitingListLeft": {
        this.advanceTo(e.time)
        const tr = this.track(e.service, e.time)
        this.touch(tr, e.time)
        tr.waiting--
        tr.left[this.m * LEFT_OUTCOMES.length + LEFT_OUTCOMES.indexOf(e.outcome)]++
        const since = tr.joinedAt.get(e.child)
        if (since !== undefined) tr.waitedDays[this.m] += e.time - since
        tr.joinedAt.delete(e.child)
        return
      }
      case "InterventionStarted": {
        this.advanceTo(e.time)
        const tr = this.track(e.intervention, e.time)
        this.touch(tr, e.time)
        tr.started[this.m]++
        if (e.heldPlace) tr.held++
        return
      }
      case "InterventionEnded": {
        this.advanceTo(e.time)
        const tr = this.track(e.intervention, e.time)
        this.touch(tr, e.time)
        tr.ended[this.m]++
        tr.held--
        return
      }
      case "PlacementOverflowed": {
        this.advanceTo(e.time)
        this.track(e.service, e.time).overflowed[this.m]++
        return
      }
      default:
        return
    }
  }

  finish(): ServiceTotals {
    this.advanceTo(this.calendar.horizon)
    return { services: this.order }
  }
}
