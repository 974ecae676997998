/**
 * Services, waiting lists and interventions, folded from the event log by month: who joined and left each
 * waiting list (and how), the number waiting at each month end, waiting child-days (the integral of the list
 * length, for Little's law), the time each child waited, intervention starts and ends and the places they
 * held, placement overflows. Services are keyed by the name the events carry (its number in the run's
 * `Names`), so the fold needs nothing but the calendar and serves a live run and a replayed log alike.
 *
 * Places taken in level and placement services are the stocks of those cells, read from the ledger's
 * child-days; utilisation = place-days used / place-days available (see `servicePeriod` in src/report/services.ts).
 */
import type { Calendar } from "../domain/Calendar.js"
import { EVENT_TAG_INDEX, type CaseEventTag, type EventRecord, type Names } from "../domain/Event.js"
import { WAITING_LIST_OUTCOMES } from "../domain/Level.js"
import type { ServiceModel } from "../model/Policy.js"

/** How children leave a waiting list (the `left` counts are by these, in this order). */
export const LEFT_OUTCOMES = WAITING_LIST_OUTCOMES

/** The event types this fold reads. */
export const SERVICE_EVENT_TAGS: ReadonlyArray<CaseEventTag> = [
  "InterventionStarted",
  "InterventionEnded",
  "WaitingListJoined",
  "WaitingListLeft",
  "PlacementOverflowed"
]
const T = EVENT_TAG_INDEX

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
  /** When the days were last added up to (NaN until `track` sets it: a double, as the times it takes). */
  last = NaN
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
  /** Tracks by name number. */
  private readonly tracks: Array<Track | undefined> = []
  private readonly order: Array<Track> = []
  private readonly monthEnd: Float64Array
  private m = 0

  constructor(
    private readonly calendar: Calendar,
    private readonly models: ReadonlyArray<ServiceModel> = [],
    private readonly names: Names
  ) {
    this.monthEnd = Float64Array.from(calendar.months, (m) => m.end)
    // Every service the scenario defines is reported, in the scenario's order, even if no event names it.
    for (const s of models) this.track(names.id(s.name), 0)
  }

  private track(name: number, t: number): Track {
    let tr = this.tracks[name]
    if (tr === undefined) {
      const label = this.names.name(name)!
      tr = new Track(label, this.models.find((s) => s.name === label) ?? null, this.monthEnd.length)
      tr.last = t
      while (this.tracks.length <= name) this.tracks.push(undefined)
      this.tracks[name] = tr
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

  /** Folds one event's record (the ledger hands it every record of the types in `SERVICE_EVENT_TAGS`). */
  take(r: EventRecord): void {
    const t = r.time
    this.advanceTo(t)
    const tr = this.track(r.name, t)
    switch (r.tag) {
      case T.WaitingListJoined: {
        this.touch(tr, t)
        tr.waiting++
        tr.joined[this.m]++
        tr.joinedAt.set(r.child, t)
        return
      }
      case T.WaitingListLeft: {
        this.touch(tr, t)
        tr.waiting--
        tr.left[this.m * LEFT_OUTCOMES.length + r.reason]++
        const since = tr.joinedAt.get(r.child)
        if (since !== undefined) tr.waitedDays[this.m] += t - since
        tr.joinedAt.delete(r.child)
        return
      }
      case T.InterventionStarted: {
        this.touch(tr, t)
        tr.started[this.m]++
        if (r.heldPlace === 1) tr.held++
        return
      }
      case T.InterventionEnded: {
        this.touch(tr, t)
        tr.ended[this.m]++
        tr.held--
        return
      }
      case T.PlacementOverflowed: {
        tr.overflowed[this.m]++
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
