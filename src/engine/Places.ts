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
 *
 * A service that counts families (`countsFamilies`, with sibling groups) has a place taken by each family
 * with one or more children in it: a sibling joining a family that holds a place needs no other, and the
 * place comes free when the family's last child there leaves. (Its waiting list is offered free places
 * only: a waiting sibling of a family already in the service waits like anyone else.)
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
  /** By service: 1 if a family takes one place (see the module comment); and whether any service does. */
  private readonly byFamily: Uint8Array
  private readonly anyByFamily: boolean
  /** [family * services + service]: the family's children in a service that counts families. */
  private members = new Uint16Array(0)

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
    this.byFamily = Uint8Array.from(this.services, (s) => (s.countsFamilies ? 1 : 0))
    this.anyByFamily = this.byFamily.includes(1) && children.families !== null
  }

  /** The family of child c (its eldest), with room kept for its counts. */
  private familyOf(c: number): number {
    const f = this.children.families!.family[c]
    const n = this.services.length
    if ((f + 1) * n > this.members.length) {
      const grown = new Uint16Array(Math.max(1024 * n, (f + 1) * n * 2))
      grown.set(this.members)
      this.members = grown
    }
    return f
  }

  /** Whether service `svc` has room for child c: a place free, or one their family holds already. */
  hasRoomFor(c: number, svc: number): boolean {
    if (this.occupied[svc] < this.places[svc]) return true
    return (
      this.anyByFamily && this.byFamily[svc] === 1 && this.members[this.familyOf(c) * this.services.length + svc] > 0
    )
  }

  /** Child c takes a place in `svc` (their family's, in a service that counts families). */
  private take(c: number, svc: number): void {
    if (
      this.anyByFamily &&
      this.byFamily[svc] === 1 &&
      this.members[this.familyOf(c) * this.services.length + svc]++ > 0
    )
      return
    this.occupied[svc]++
  }

  /** Child c leaves their place in `svc` (their family's: free once the last of them there leaves). */
  private leave(c: number, svc: number): void {
    if (
      this.anyByFamily &&
      this.byFamily[svc] === 1 &&
      --this.members[this.familyOf(c) * this.services.length + svc] > 0
    )
      return
    this.vacate(svc)
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

  /** Child c moves between cells: the places taken in level and placement services follow. */
  moved(c: number, oldState: number, oldPlacement: number, state: number, placement: number): void {
    const oldLevel = this.serviceOfLevel[oldState]
    const newLevel = this.serviceOfLevel[state]
    if (oldLevel !== newLevel) {
      if (oldLevel >= 0) this.leave(c, oldLevel)
      if (newLevel >= 0) this.take(c, newLevel)
    }
    const oldPlace = oldPlacement >= 0 ? this.serviceOfPlacement[oldPlacement] : -1
    const newPlace = placement >= 0 ? this.serviceOfPlacement[placement] : -1
    if (oldPlace !== newPlace) {
      if (oldPlace >= 0) this.leave(c, oldPlace)
      if (newPlace >= 0) this.take(c, newPlace)
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
      if (svc < 0 || this.hasRoomFor(c, svc)) return p
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

  /**
   * The first child waiting for level service `svc` whom it can admit now, taken off its list; -1 if none: with
   * a place free, the first in line; in a full service that counts families, the first in line if their
   * family holds a place there already (a sibling joining them).
   */
  nextAdmissible(svc: number): number {
    if (this.hasRoom(svc)) return this.nextWaiting(svc, false)
    if (!this.anyByFamily || this.byFamily[svc] === 0) return -1
    const st = this.state
    const c = this.lists[svc].peek((x, k) => st.waitingFor[x] === svc && st.ticket[x] === k)
    return c >= 0 && this.hasRoomFor(c, svc) ? this.nextWaiting(svc, false) : -1
  }

  /** Whether a full level service may still admit someone waiting (it counts families). */
  admitsFamilies(svc: number): boolean {
    return this.anyByFamily && this.byFamily[svc] === 1
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
