/**
 * Places and waiting lists: the capacity-limited services (a level, a placement type, an intervention)
 * and the children holding and waiting for their places.
 *
 * A child at a level or in a placement that a service serves holds one of its places (kept up to date by
 * `moved` on every change of cell); a child on an intervention holds one of its places while their course
 * lasts. A child who needs a place in a full service waits on its list, first come first served within
 * each priority lane. A place coming free sets `dirty`, and the loop offers the free places to the lists
 * before taking its next action. What a child then does (waits, escalates, takes the alternative route) is
 * decided by the life cycle (src/engine/LifeCycle.ts); this module keeps the books.
 */
import { PLACEMENTS } from "../domain/Level.js"
import { placesAt, type CompiledPolicy, type ServiceModel } from "../model/Policy.js"
import type { Destination, ReReferralModel } from "../model/Tables.js"
import { Action, Priority } from "./Actions.js"
import type { Children, ServiceState } from "./Children.js"
import type { EventQueue } from "./EventQueue.js"
import type { Output } from "./Output.js"
import { WaitingList } from "./WaitingList.js"

export class Places {
  readonly services: ReadonlyArray<ServiceModel>
  /** Whether the model has any service at all (if not, nothing here is ever asked). */
  readonly any: boolean
  /** Service index by state index (-1 none) and by placement index. */
  readonly serviceOfLevel: Int32Array
  readonly serviceOfPlacement: Int32Array
  /** By service: places taken, places there are now, children waiting. */
  readonly occupied: Float64Array
  readonly places: Float64Array
  readonly waiting: Int32Array
  readonly lists: ReadonlyArray<WaitingList>
  /** Where each child waiting for a level service is going once given a place, and the re-referral rule
   * if that closes the case. */
  readonly waitDest = new Map<number, { readonly dest: Destination; readonly closedBy: ReReferralModel | null }>()
  /** Set when a place may have come free for someone waiting. */
  dirty = false

  constructor(
    policy: CompiledPolicy,
    private readonly children: Children,
    private readonly queue: EventQueue,
    private readonly out: Output
  ) {
    this.services = policy.services
    this.any = policy.services.length > 0
    this.serviceOfLevel = policy.serviceOfLevel
    this.serviceOfPlacement = policy.serviceOfPlacement
    const n = this.services.length
    this.occupied = new Float64Array(n)
    this.places = new Float64Array(n)
    this.waiting = new Int32Array(n)
    this.lists = this.services.map(() => new WaitingList(this.serviceOfLevel.length + 1))
  }

  private get state(): ServiceState {
    return this.children.services!
  }

  /** The places at the start, and the actions that change them during the run. */
  open(horizon: number): void {
    for (const svc of this.services) {
      this.places[svc.index] = placesAt(svc, 0)
      for (const at of svc.capAt)
        if (at > 0 && at < horizon) this.queue.push(at, Priority.Capacity, Action.Capacity, svc.index, 0)
    }
  }

  /** Whether service `svc` has a place free. */
  hasRoom(svc: number): boolean {
    return this.occupied[svc] < this.places[svc]
  }

  /** A child moves between cells: the places taken in level and placement services follow. */
  moved(oldState: number, oldPlacement: number, state: number, placement: number): void {
    const oldLevel = this.serviceOfLevel[oldState]
    const newLevel = this.serviceOfLevel[state]
    if (oldLevel !== newLevel) {
      if (oldLevel >= 0) this.vacate(oldLevel)
      if (newLevel >= 0) this.occupied[newLevel]++
    }
    const oldPlace = oldPlacement >= 0 ? this.serviceOfPlacement[oldPlacement] : -1
    const newPlace = placement >= 0 ? this.serviceOfPlacement[placement] : -1
    if (oldPlace !== newPlace) {
      if (oldPlace >= 0) this.vacate(oldPlace)
      if (newPlace >= 0) this.occupied[newPlace]++
    }
  }

  /** A place in `svc` comes free. */
  vacate(svc: number): void {
    this.occupied[svc]--
    if (this.waiting[svc] > 0) this.dirty = true
  }

  /** The placement a child gets: the one chosen, or where a full placement service overflows to. */
  placeIn(c: number, t: number, wanted: number): number {
    let p = wanted
    // Validation rules out overflow cycles; the bound is a guard, not a rule.
    for (let k = 0; k < PLACEMENTS.length; k++) {
      const svc = this.serviceOfPlacement[p]
      if (svc < 0 || this.occupied[svc] < this.places[svc]) return p
      const next = this.services[svc].to
      this.out.placementOverflowed(t, c, this.services[svc].nameId, p, next)
      p = next
    }
    return p
  }

  /** A child joins a level service's waiting list, waiting at `at` for `dest`. */
  joinList(c: number, t: number, svc: ServiceModel, at: number, dest: Destination, closedBy: ReReferralModel | null) {
    const st = this.state
    this.out.waitingListJoined(t, c, svc.nameId, at)
    this.waiting[svc.index]++
    st.waitingFor[c] = svc.index
    st.ticket[c]++
    this.lists[svc.index].push(svc.priorityQueue ? svc.rank[at] : 0, c, st.ticket[c])
    this.waitDest.set(c, { dest, closedBy })
  }

  /** A child leaves the level service's waiting list they are on (`outcome`: index in WAITING_LIST_OUTCOMES). */
  leaveList(c: number, t: number, outcome: number): void {
    const st = this.state
    const svc = st.waitingFor[c]
    this.out.waitingListLeft(t, c, this.services[svc].nameId, outcome)
    this.waiting[svc]--
    st.waitingFor[c] = -1
    st.ticket[c]++
    this.waitDest.delete(c)
  }

  /** A child joins an intervention's waiting list, waiting at `at`. */
  joinInterventionList(c: number, t: number, svc: number, at: number): void {
    const st = this.state
    this.out.waitingListJoined(t, c, this.services[svc].nameId, at)
    this.waiting[svc]++
    st.waitingForIntervention[c] = svc
    st.ivTicket[c]++
    this.lists[svc].push(0, c, st.ivTicket[c])
  }

  /** A child leaves the intervention's waiting list they are on. */
  leaveInterventionList(c: number, t: number, outcome: number): void {
    const st = this.state
    const svc = st.waitingForIntervention[c]
    this.out.waitingListLeft(t, c, this.services[svc].nameId, outcome)
    this.waiting[svc]--
    st.waitingForIntervention[c] = -1
    st.ivTicket[c]++
  }

  /** The first child still validly waiting for `svc`, taken off its list; -1 if none. */
  nextWaiting(svc: number, intervention: boolean): number {
    const st = this.state
    return this.lists[svc].pop((c, k) =>
      intervention
        ? st.waitingForIntervention[c] === svc && st.ivTicket[c] === k
        : st.waitingFor[c] === svc && st.ticket[c] === k
    )
  }
}
