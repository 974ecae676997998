/**
 * An independent replay of services, waiting lists and intervention places from the event log, for the
 * property tests: it follows each child's state and placement from the events (test/support/replay.ts's
 * `moveOf`), counts the children holding each service's places, keeps each waiting list as a plain array,
 * and reports every rule the log breaks. The only things it takes from the compiled model are the inputs:
 * each service's places over time (a step function of the scenario), what it serves, its priority ranks.
 *
 * Rules checked, event by event:
 *  - A child enters a level service (a LevelChanged or ChildLeftCare to its level), a placement service (a
 *    ChildBecameLookedAfter or PlacementChanged into its placement) or an intervention's places (an
 *    InterventionStarted holding a place) only when fewer children hold places than it has. Children in
 *    the starting caseload are exempt (the start may exceed the places), and a child keeps a place when
 *    the places fall below the number taken: so the rule is that nobody ENTERS a full service, and hence
 *    the number holding places never rises above the places.
 *  - An intervention starts only while it runs (it has places, or no limit, at that time).
 *  - A child joins a waiting list only when the service is full, at the state they are in, and is never
 *    on two lists of the same kind (level services; interventions) at once.
 *  - Every WaitingListLeft follows a WaitingListJoined of the same child for the same service, at most
 *    once; a child given a place is, of those waiting, the first in the highest-priority lane (fifo: the
 *    longest waiting), and enters the service (or starts the intervention) at the same instant.
 *  - An InterventionEnded only for a child holding one of that intervention's places.
 *  - A placement overflows only when its service is full, to the service's alternative.
 *  - Moves follow the level graph (ALLOWED_MOVES).
 *  - No service event for a child who has exited, but for letting go of places and lists at the instant
 *    of exit (InterventionEnded / WaitingListLeft, case_closed or turned_18); no intervention start or list
 *    joined by a child at universal (a referral waiting at the front door) at 18 or older: the referral
 *    has lapsed.
 *
 * At an instant when places change, the engine takes every other action before the change (the CAPACITY
 * class comes last), then admits from the list under the new number: an event at that instant may see
 * either number, so "full" and "free" are judged against the more lenient of the two.
 */
import { birthday } from "../../src/domain/Calendar.js"
import type { CaseEvent } from "../../src/domain/Event.js"
import {
  isAllowedMove,
  PLACEMENTS,
  STATES,
  stateIndex,
  type ChildState,
  type Placement
} from "../../src/domain/Level.js"
import { placesAt, type ServiceModel } from "../../src/model/Policy.js"
import type { Model } from "../../src/model/Model.js"
import { moveOf } from "./replay.js"

interface Entry {
  readonly child: number
  readonly lane: number
  readonly seq: number
  readonly at: ChildState
  gone: boolean
}

/** A waiting list as lanes of entries in joining order; entries that leave are marked, skipped at the front. */
class Lanes {
  private readonly lanes = new Map<number, { entries: Array<Entry>; head: number }>()
  readonly byChild = new Map<number, Entry>()
  push(e: Entry): void {
    let l = this.lanes.get(e.lane)
    if (l === undefined) this.lanes.set(e.lane, (l = { entries: [], head: 0 }))
    l.entries.push(e)
    this.byChild.set(e.child, e)
  }
  remove(e: Entry): void {
    e.gone = true
    this.byChild.delete(e.child)
  }
  /** The entry first in line: lowest lane, then earliest joined. */
  first(): Entry | undefined {
    let best: Entry | undefined
    for (const l of this.lanes.values()) {
      while (l.head < l.entries.length && l.entries[l.head].gone) l.head++
      const e = l.entries[l.head]
      if (e !== undefined && (best === undefined || e.lane < best.lane)) best = e
    }
    return best
  }
  get size(): number {
    return this.byChild.size
  }
}

export interface ServiceReplay {
  readonly violations: ReadonlyArray<string>
  /** Counts of what was checked, so a property can tell it saw something. */
  readonly seen: {
    entries: number
    joins: number
    admissions: number
    overflows: number
    started: number
    ended: number
    fullAt: number
  }
  /** Children still on each list at the end, by service name. */
  readonly stillWaiting: ReadonlyMap<string, number>
}

export const replayServices = (model: Model, events: ReadonlyArray<CaseEvent>): ServiceReplay => {
  const services = model.policy.services
  const byName = new Map(services.map((s) => [s.name, s]))
  const levelService = new Map<ChildState, ServiceModel>()
  const placementService = new Map<Placement, ServiceModel>()
  for (const s of services) {
    if (s.level >= 0) levelService.set(STATES[s.level], s)
    if (s.placement >= 0) placementService.set(PLACEMENTS[s.placement], s)
  }
  const occupied = new Map<string, number>(services.map((s) => [s.name, 0]))
  const lists = new Map<string, Lanes>(services.map((s) => [s.name, new Lanes()]))
  const state = new Map<number, { s: ChildState; p: Placement | null }>()
  const adultAt = new Map<number, number>()
  const exitedAt = new Map<number, number>()
  const onLevelList = new Map<number, string>()
  const onInterventionList = new Map<number, string>()
  const holding = new Map<number, Set<string>>()
  /** A child just given a place: the service, and the time they must enter it. */
  const admitted = new Map<number, { service: ServiceModel; time: number }>()
  const violations: Array<string> = []
  const seen = { entries: 0, joins: 0, admissions: 0, overflows: 0, started: 0, ended: 0, fullAt: 0 }
  let seq = 0
  const bad = (e: CaseEvent, why: string) => {
    if (violations.length < 10) violations.push(`${why}: ${JSON.stringify(e)}`)
  }
  // The places in force at t, as the most and the least an action at t may see.
  const most = (s: ServiceModel, t: number) => Math.max(placesAt(s, t), placesAt(s, t - 1e-7))
  const least = (s: ServiceModel, t: number) => Math.min(placesAt(s, t), placesAt(s, t - 1e-7))
  const take = (s: ServiceModel, e: CaseEvent) => {
    const n = occupied.get(s.name)!
    seen.entries++
    if (!(n < most(s, e.time))) bad(e, `enters ${s.name} with ${n} of ${most(s, e.time)} places taken`)
    if (n + 1 >= least(s, e.time)) seen.fullAt++
    occupied.set(s.name, n + 1)
  }
  const release = (s: ServiceModel) => occupied.set(s.name, occupied.get(s.name)! - 1)
  const isIntervention = (s: ServiceModel) => s.intervention >= 0

  for (const e of events) {
    if (e._tag === "CaseOpenAtStart" || e._tag === "CaseClosedBeforeStart" || e._tag === "ChildReferred")
      adultAt.set(e.child, birthday(model.calendar, e.dateOfBirth, 18))
    const pending = admitted.get(e.child)
    if (pending !== undefined) {
      // The event right after an admission must be the child's entry into the service.
      const s = pending.service
      const enters = isIntervention(s)
        ? e._tag === "InterventionStarted" && e.intervention === s.name
        : (e._tag === "LevelChanged" || e._tag === "ChildLeftCare") && e.to === STATES[s.level]
      if (!enters || e.time !== pending.time)
        bad(e, `given a place in ${s.name} at ${pending.time}, the child's next event is not entering it`)
      admitted.delete(e.child)
    }
    const move = moveOf(e)
    if (move !== null) {
      const before = state.get(e.child)
      if (move.from !== null && e._tag !== "PlacementChanged" && !isAllowedMove(move.from, move.to))
        bad(e, `${move.from} -> ${move.to} is not an allowed move`)
      const oldLevel = before === undefined ? undefined : levelService.get(before.s)
      const newLevel = levelService.get(move.to)
      const oldPlacement = before?.p ? placementService.get(before.p) : undefined
      const newPlacement = move.toPlacement ? placementService.get(move.toPlacement) : undefined
      const start = e._tag === "CaseOpenAtStart"
      if (oldLevel !== newLevel) {
        if (oldLevel) release(oldLevel)
        if (newLevel) {
          if (start) occupied.set(newLevel.name, occupied.get(newLevel.name)! + 1)
          else take(newLevel, e)
        }
      }
      if (oldPlacement !== newPlacement) {
        if (oldPlacement) release(oldPlacement)
        if (newPlacement) {
          if (start) occupied.set(newPlacement.name, occupied.get(newPlacement.name)! + 1)
          else take(newPlacement, e)
        }
      }
      state.set(e.child, { s: move.to, p: move.toPlacement })
      if (move.to === "exited") exitedAt.set(e.child, e.time)
      continue
    }
    const now = state.get(e.child)?.s
    const lettingGo =
      (e._tag === "InterventionEnded" && e.reason === "case_closed") ||
      (e._tag === "WaitingListLeft" && (e.outcome === "case_closed" || e.outcome === "turned_18"))
    if (now === "exited" && !(lettingGo && e.time === exitedAt.get(e.child)))
      bad(e, "a service event for a child who has exited")
    if (
      (e._tag === "InterventionStarted" || e._tag === "WaitingListJoined") &&
      now === "universal" &&
      e.time >= adultAt.get(e.child)!
    )
      bad(e, "a referral at the front door goes on after the child's 18th birthday")
    switch (e._tag) {
      case "WaitingListJoined": {
        seen.joins++
        const s = byName.get(e.service)
        if (s === undefined) {
          bad(e, "a waiting list for no service")
          break
        }
        const current = state.get(e.child)?.s
        if (current !== e.at) bad(e, `joins at ${e.at} but the child is ${current}`)
        const n = occupied.get(s.name)!
        if (n < least(s, e.time))
          bad(e, `joins the list of ${s.name} with only ${n} of ${least(s, e.time)} places taken`)
        const kind = isIntervention(s) ? onInterventionList : onLevelList
        if (kind.has(e.child)) bad(e, `joins ${s.name} while on the list of ${kind.get(e.child)}`)
        kind.set(e.child, s.name)
        const lane = s.priorityQueue ? s.rank[stateIndex[e.at]] : 0
        lists.get(s.name)!.push({ child: e.child, lane, seq: seq++, at: e.at, gone: false })
        break
      }
      case "WaitingListLeft": {
        const s = byName.get(e.service)
        const list = s === undefined ? undefined : lists.get(s.name)
        const me = list?.byChild.get(e.child)
        if (s === undefined || list === undefined || me === undefined) {
          bad(e, "leaves a list the child is not on")
          break
        }
        if (e.outcome === "place") {
          seen.admissions++
          const ahead = list.first()
          if (ahead !== me && ahead !== undefined)
            bad(
              e,
              `given a place ahead of child ${ahead.child} (lane ${ahead.lane} vs ${me.lane}, ` +
                `joined at ${ahead.at}, earlier)`
            )
          admitted.set(e.child, { service: s, time: e.time })
        }
        list.remove(me)
        ;(isIntervention(s) ? onInterventionList : onLevelList).delete(e.child)
        break
      }
      case "InterventionStarted": {
        seen.started++
        const s = byName.get(e.intervention)
        if (s === undefined || !isIntervention(s)) {
          bad(e, "an unknown intervention")
          break
        }
        if (!(most(s, e.time) > 0)) bad(e, `starts while ${s.name} has no places (not running)`)
        if (e.heldPlace) {
          take(s, e)
          const h = holding.get(e.child) ?? new Set<string>()
          if (h.has(s.name)) bad(e, "starts an intervention whose place the child already holds")
          h.add(s.name)
          holding.set(e.child, h)
        }
        break
      }
      case "InterventionEnded": {
        seen.ended++
        const s = byName.get(e.intervention)
        const h = holding.get(e.child)
        if (s === undefined || h === undefined || !h.has(s.name)) {
          bad(e, "ends an intervention whose place the child does not hold")
          break
        }
        h.delete(s.name)
        release(s)
        break
      }
      case "PlacementOverflowed": {
        seen.overflows++
        const s = placementService.get(e.wanted)
        if (s === undefined || s.name !== e.service) {
          bad(e, "overflows from a placement with no service")
          break
        }
        const n = occupied.get(s.name)!
        if (n < least(s, e.time)) bad(e, `overflows with only ${n} of ${least(s, e.time)} places taken`)
        if (PLACEMENTS[s.to] !== e.placedIn)
          bad(e, `overflows to ${e.placedIn}, not to the service's alternative ${PLACEMENTS[s.to]}`)
        break
      }
      default:
        break
    }
  }
  for (const [child, p] of admitted)
    violations.push(`child ${child} was given a place in ${p.service.name} at ${p.time} and never entered it`)
  return { violations, seen, stillWaiting: new Map([...lists].map(([name, l]) => [name, l.size])) }
}
