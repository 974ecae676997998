/**
 * A child's life cycle through the levels: the front door's decision, episodes at the help levels and in
 * care, placement moves, leaving care, care-leaver support, closure and re-referral, the age limits, and
 * what a child does when the next level is a full service (waits, escalates, or takes the alternative).
 *
 * Every draw for a child comes from the child's own stream (`Children.rng`), in a fixed order, so a run
 * is reproducible from its seed and a child no intervention takes draws the same numbers under any policy.
 * Each method that moves a child emits the move's event first and then schedules what follows.
 */
import {
  ALLOWED_MOVES,
  CLOSURE_REASONS,
  LEFT_CARE_REASONS,
  STATES,
  STAYING_PUT_END_REASONS,
  SUPPORT_END_REASONS,
  WAITING_LIST_OUTCOMES,
  stateIndex
} from "../domain/Level.js"
import type { Model, StayingPutModel } from "../model/Model.js"
import { ALTERNATIVE, ESCALATE, type ServiceModel } from "../model/Policy.js"
import { choose, type ByAge, type Choice, type Destination, type ReReferralModel } from "../model/Tables.js"
import { equilibriumAge, type Distribution } from "../random/Distribution.js"
import { Action, Priority } from "./Actions.js"
import type { Children } from "./Children.js"
import type { EventQueue } from "./EventQueue.js"
import type { Families } from "./Families.js"
import type { Histories } from "./History.js"
import type { Interventions } from "./Interventions.js"
import type { LegalStatuses } from "./LegalStatus.js"
import type { Output } from "./Output.js"
import type { Places } from "./Places.js"

const S = STATES.length
const UNIVERSAL = stateIndex.universal
const LOOKED_AFTER = stateIndex.looked_after
const CARE_LEAVER = stateIndex.care_leaver
const EXITED = stateIndex.exited
const CLOSED_TURNED_18 = CLOSURE_REASONS.indexOf("turned_18")
const CLOSED_OTHER = CLOSURE_REASONS.indexOf("other")
const LEFT_CARE_TURNED_18 = LEFT_CARE_REASONS.indexOf("turned_18")
const LEFT_CARE_OTHER = LEFT_CARE_REASONS.indexOf("other")
const SUPPORT_AGE_LIMIT = SUPPORT_END_REASONS.indexOf("age_limit")
const SUPPORT_ENDED_EARLY = SUPPORT_END_REASONS.indexOf("ended_early")
const LIST_PLACE = WAITING_LIST_OUTCOMES.indexOf("place")
const LIST_ESCALATED = WAITING_LIST_OUTCOMES.indexOf("escalated")
const LIST_TURNED_18 = WAITING_LIST_OUTCOMES.indexOf("turned_18")
const STAYING_PUT_AGE_LIMIT = STAYING_PUT_END_REASONS.indexOf("age_limit")
const STAYING_PUT_EARLY = STAYING_PUT_END_REASONS.indexOf("ended_early")
const STAYING_PUT_SUPPORT_ENDED = STAYING_PUT_END_REASONS.indexOf("support_ended")
/** ALLOWED_MOVES by state index: allowed[from * S + to]. */
const ALLOWED = Uint8Array.from({ length: S * S }, (_, k) =>
  ALLOWED_MOVES[STATES[Math.floor(k / S)]].includes(STATES[k % S]) ? 1 : 0
)

export class LifeCycle {
  /** Unborn children a decision has taken into care, and where to (see `intoCareAtBirth`). */
  private readonly atBirth = new Map<number, Destination>()

  constructor(
    private readonly model: Model,
    private readonly children: Children,
    private readonly queue: EventQueue,
    private readonly out: Output,
    private readonly places: Places,
    private readonly interventions: Interventions,
    private readonly horizon: number,
    /** Legal statuses of looked-after children; null when the model has none. */
    readonly legal: LegalStatuses | null = null,
    /** Sibling groups, whose decisions siblings share (src/engine/Families.ts); null when the model has none. */
    readonly families: Families | null = null,
    /** Children's previous plans and care episodes; null when the model gives none. */
    readonly history: Histories | null = null
  ) {}

  /** The front door's decision on a referral (new, or a closed case's): closed again, or opened at a level. */
  frontDoor(c: number, t: number): void {
    const ch = this.children
    const iv = this.interventions
    const rng = ch.rng(c)
    const table = ch.valueAt(iv.outcomeTable(c, t, UNIVERSAL), c, t)
    const dest = this.decide(c, table, this.families === null ? rng() : this.families.decide(c, t, UNIVERSAL))
    this.moveTo(c, t, UNIVERSAL, iv.intercept(c, t, UNIVERSAL, dest), null, false)
  }

  /** A decision among a table's outcomes, with one uniform (weighted by the child's history, if any). */
  private decide(c: number, table: Choice<Destination>, u: number): Destination {
    return this.history === null ? choose(table, u) : this.history.choose(c, table, u)
  }

  /**
   * A child leaving `from` (a help level, or universal at the front door) for `dest`; `closedBy`: the
   * re-referral rule if the move closes the case (null: the default); `placed`: the child has been given
   * a place in the service `dest` is full for (from its waiting list).
   */
  moveTo(c: number, t: number, from: number, dest: Destination, closedBy: ReReferralModel | null, placed: boolean) {
    const ch = this.children
    const places = this.places
    const to = dest.to
    const svc = places.serviceOfLevel[to]
    if (svc >= 0 && !placed && !places.hasRoomFor(c, svc)) {
      this.serviceFull(c, t, from, dest, closedBy, places.services[svc])
      return
    }
    const rng = ch.rng(c)
    if (to === UNIVERSAL || to === EXITED) {
      this.out.caseClosed(t, c, from, dest.closure, to, dest.via)
      if (to === UNIVERSAL) this.closeCase(c, t, closedBy ?? this.model.defaultReReferral)
      else this.exit(c, t)
    } else if (to === LOOKED_AFTER) {
      if (t < ch.dob(c)) {
        this.intoCareAtBirth(c, dest)
        return
      }
      const mix = ch.uasc(c) === 1 ? this.model.uasc!.onEntry : this.interventions.entryMix(c, t)
      const u = this.families === null ? rng() : this.families.placement(c, t)
      const placement = places.placeIn(c, t, choose(ch.valueAt(mix, c, t), u))
      this.out.becameLookedAfter(t, c, from, placement, dest.via)
      ch.setCareSince(c, t)
      if (this.history !== null) this.history.entered(c, LOOKED_AFTER)
      if (this.legal !== null) this.legal.enter(c, t, from, dest.via)
      this.enterCare(c, t, placement, -1, false)
    } else {
      this.out.levelChanged(t, c, from, to, dest.via)
      if (this.history !== null && to !== from) this.history.entered(c, to)
      this.enterHelpLevel(c, t, to, dest.stay)
    }
  }

  /**
   * An unborn child (a pre-birth referral) whom a decision takes into care comes into care at birth: until
   * then the child stays where they are (awaiting the front door's decision, or on a plan), and their other
   * pending actions lapse.
   */
  private intoCareAtBirth(c: number, dest: Destination): void {
    const ch = this.children
    this.atBirth.set(c, dest)
    const born = ch.dob(c)
    ch.setDueAt(c, born)
    this.queue.push(born, Priority.EpisodeEnd, Action.Birth, c, ch.bumpEpoch(c))
  }

  /** An unborn child whom a decision took into care is born: they come into care now. */
  born(c: number, t: number): void {
    const dest = this.atBirth.get(c)!
    this.atBirth.delete(c)
    const ch = this.children
    const state = ch.state(c)
    const level = this.model.levels[state]
    this.moveTo(c, t, state, dest, level === null ? null : level.reReferral, false)
  }

  /** Moves a child to a cell, keeping the places taken in services up to date. */
  private setCell(c: number, state: number, placement: number): void {
    const ch = this.children
    if (this.places.any) this.places.moved(c, ch.state(c), ch.placement(c), state, placement)
    ch.setCell(c, state, placement)
  }

  /** Schedules the child's next level action: the episode's end or the age limit, whichever is first. */
  private scheduleLevelAction(c: number, endAt: number, limitAt: number): void {
    const ch = this.children
    if (limitAt <= endAt) {
      ch.setDueAt(c, limitAt)
      this.queue.push(limitAt, Priority.AgeLimit, Action.AgeLimit, c, ch.epoch(c))
    } else {
      ch.setDueAt(c, endAt)
      this.queue.push(endAt, Priority.EpisodeEnd, Action.EpisodeEnd, c, ch.epoch(c))
    }
  }

  /** An episode at a help level begins; `stay` >= 0: its length, fixed in advance; < 0: drawn now. */
  enterHelpLevel(c: number, t: number, level: number, stay: number): void {
    const ch = this.children
    this.setCell(c, level, -1)
    ch.bumpEpoch(c)
    if (ch.services !== null) ch.services.levelSince[c] = t
    const d =
      stay >= 0
        ? stay
        : this.drawStay(c, t, level, this.model.levels[level]!.duration) *
          this.interventions.durationEffect(c, t, level)
    this.scheduleLevelAction(c, t + d, ch.birthday(c, 18))
  }

  /** A stay at `level` from t, by the table (a sibling following the eldest there takes the eldest's). */
  private drawStay(c: number, t: number, level: number, table: ByAge<Distribution>): number {
    const ch = this.children
    const law = ch.valueAt(table, c, t)
    const fam = this.families
    if (fam === null) return law.sample(ch.rng(c))
    const e = fam.leadOfStay(c, t, level)
    const leadLaw = e < 0 ? null : ch.valueAt(level === LOOKED_AFTER ? this.careDuration(e) : table, e, t)
    return fam.stay(c, t, level, law, leadLaw)
  }

  /** The law of child c's time in care: UASC's own, or by the legal status, or the level's. */
  private careDuration(c: number): ByAge<Distribution> {
    const ch = this.children
    const usual = ch.uasc(c) === 1 ? this.model.uasc!.duration : this.model.lookedAfter.duration
    return this.legal === null ? usual : this.legal.duration(c, usual)
  }

  /** A care episode begins (or goes on) in `placement`; `remaining` as `stay` above; `atStart`: in the
   * starting caseload, in this placement for an unknown while already. */
  enterCare(c: number, t: number, placement: number, remaining: number, atStart: boolean): void {
    const ch = this.children
    this.setCell(c, LOOKED_AFTER, placement)
    ch.bumpEpoch(c)
    const legal = this.legal
    const d =
      remaining >= 0
        ? remaining
        : this.drawStay(c, t, LOOKED_AFTER, this.careDuration(c)) *
          this.interventions.durationEffect(c, t, LOOKED_AFTER)
    this.scheduleLevelAction(c, t + d, ch.birthday(c, 18))
    this.scheduleMove(c, t, placement, atStart)
    if (legal !== null) legal.schedule(c)
    if (this.model.lookedAfter.atAge.length > 0) this.scheduleAgeMove(c, t)
  }

  /** Schedules the child's next birthday with a placement move (after t, before the episode ends). */
  private scheduleAgeMove(c: number, t: number): void {
    const ch = this.children
    for (const rule of this.model.lookedAfter.atAge) {
      const at = ch.birthday(c, rule.age)
      if (at <= t) continue
      if (at < ch.dueAt(c)) this.queue.push(at, Priority.PlacementMove, Action.AgeMove, c, ch.epoch(c))
      return
    }
  }

  /**
   * A looked-after child's birthday with a placement move (e.g. to supported accommodation at 16): a child
   * in one of the rule's placements moves with its chance. A move replaces the pending placement move by the
   * new placement's; the child's other pending actions are scheduled again.
   */
  moveAtAge(c: number, t: number): void {
    const ch = this.children
    const rng = ch.rng(c)
    const rule = this.model.lookedAfter.atAge.find((r) => ch.birthday(c, r.age) === t)!
    const current = ch.placement(c)
    const moves = rule.from[current] === 1 && rng() < rule.probability
    const wanted = moves ? choose(rule.to, rng()) : current
    if (wanted === current) {
      this.scheduleAgeMove(c, t)
      return
    }
    const placed = this.places.placeIn(c, t, wanted)
    this.out.placementChanged(t, c, current, placed)
    this.setCell(c, LOOKED_AFTER, placed)
    ch.bumpEpoch(c)
    this.scheduleLevelAction(c, ch.dueAt(c), ch.birthday(c, 18))
    this.scheduleMove(c, t, placed, false)
    if (this.legal !== null) this.legal.schedule(c)
    this.scheduleAgeMove(c, t)
  }

  private scheduleMove(c: number, t: number, placement: number, atStart: boolean): void {
    const move = this.model.lookedAfter.moves[placement]
    const ch = this.children
    if (move === null) {
      if (this.legal !== null) ch.setMoveAt(c, Infinity)
      if (ch.services !== null) ch.services.moveAt[c] = Infinity
      return
    }
    const rng = ch.rng(c)
    // A child already in placement at the start has been there an unknown while: use the forward
    // recurrence time, which has the same law as the equilibrium age.
    const after = atStart ? equilibriumAge(move.after).sample(rng) : move.after.sample(rng)
    const at = t + after
    if (this.legal !== null) ch.setMoveAt(c, at)
    if (ch.services !== null) ch.services.moveAt[c] = at
    if (at < ch.dueAt(c)) this.queue.push(at, Priority.PlacementMove, Action.PlacementMove, c, ch.epoch(c))
  }

  /**
   * A review ends child c's stay under way now, by `dest` (src/engine/Reviews.ts): leaving care, a step down
   * or a case closed. Not delivered (false) when `dest` is a full service: the child carries on as they were.
   */
  endStayByReview(c: number, t: number, dest: Destination): void {
    const state = this.children.state(c)
    if (state === LOOKED_AFTER) this.leaveCare(c, t, dest, false)
    else this.moveTo(c, t, state, dest, this.model.levels[state]!.reReferral, false)
  }

  /** Whether a review can end child c's stay by `dest` now: not into a full service. */
  canEndStay(c: number, t: number, dest: Destination): boolean {
    let to = dest.to
    if (this.children.state(c) === LOOKED_AFTER && to === CARE_LEAVER && !this.eligibleCareLeaver(c, t)) to = EXITED
    const svc = this.places.serviceOfLevel[to]
    return !(svc >= 0 && !this.places.hasRoom(svc))
  }

  /**
   * A review scales what remains of child c's stay under way by `factor` (at most 1: the stay ends no later).
   * Nothing is drawn: the child's pending actions are scheduled again under a new epoch, the episode's end
   * (or the 18th birthday, when it comes first) at the new time.
   */
  shortenStay(c: number, t: number, factor: number): void {
    const ch = this.children
    const end = t + (ch.dueAt(c) - t) * factor
    ch.bumpEpoch(c)
    this.scheduleLevelAction(c, end, ch.birthday(c, 18))
    if (ch.state(c) !== LOOKED_AFTER) return
    const at = ch.services!.moveAt[c]
    if (at >= t && at < ch.dueAt(c)) this.queue.push(at, Priority.PlacementMove, Action.PlacementMove, c, ch.epoch(c))
    if (this.legal !== null) this.legal.schedule(c)
    if (this.model.lookedAfter.atAge.length > 0) this.scheduleAgeMove(c, t)
  }

  /**
   * A looked-after child's legal status changes (src/engine/LegalStatus.ts): to a status drawn from the
   * change's table, whose own change is then drawn; a status with a placement move (a placement order:
   * placed for adoption) moves the child with its chance; a status with its own time in care starts the
   * rest of the episode afresh (the time from the order to leaving care), unless the child is waiting for a
   * place to leave care to. The child's pending actions are then scheduled again.
   */
  changeLegalStatus(c: number, t: number): void {
    const legal = this.legal!
    const ch = this.children
    const from = legal.status(c)
    const to = legal.nextStatus(c)
    legal.set(c, t, from, to, false)
    const rng = ch.rng(c)
    const model = legal.model
    const move = model.placement[to]
    let moved = -1
    if (move !== null && rng() < move.probability) {
      const wanted = choose(move.to, rng())
      const current = ch.placement(c)
      if (wanted !== current) {
        moved = this.places.placeIn(c, t, wanted)
        this.out.placementChanged(t, c, current, moved)
        this.setCell(c, LOOKED_AFTER, moved)
      }
    }
    const own = model.duration[to]
    const waiting = ch.services !== null && ch.services.waitingFor[c] >= 0
    let endAt = ch.dueAt(c)
    if (own !== null && !waiting)
      endAt = t + ch.valueAt(own, c, t).sample(rng) * this.interventions.durationEffect(c, t, LOOKED_AFTER)
    else if (moved < 0) {
      // Nothing else changes: the pending actions stand, and the new status's change is scheduled.
      legal.schedule(c)
      return
    }
    ch.bumpEpoch(c)
    this.scheduleLevelAction(c, endAt, ch.birthday(c, 18))
    if (moved >= 0) this.scheduleMove(c, t, moved, false)
    else {
      const at = ch.moveAt(c)
      if (at >= t && at < ch.dueAt(c)) this.queue.push(at, Priority.PlacementMove, Action.PlacementMove, c, ch.epoch(c))
    }
    legal.schedule(c)
    if (this.model.lookedAfter.atAge.length > 0) this.scheduleAgeMove(c, t)
  }

  /** Care-leaver support begins; `mustBeExtended`: the child is already past the usual age limit. */
  enterCareLeaver(c: number, t: number, remaining: number, mustBeExtended: boolean): void {
    const ch = this.children
    const cl = this.model.careLeaver
    this.setCell(c, CARE_LEAVER, -1)
    ch.bumpEpoch(c)
    const rng = ch.rng(c)
    const extended = rng() < cl.extendedShare || mustBeExtended
    const limitAt = ch.birthday(c, extended ? cl.extendedTo : cl.supportEndsAt)
    const d = remaining >= 0 ? remaining : cl.endsEarly ? cl.endsEarly.sample(rng) : Infinity
    this.scheduleLevelAction(c, t + d, limitAt)
  }

  /** The case is closed: the child may be re-referred before turning 18. */
  private closeCase(c: number, t: number, reReferral: ReReferralModel): void {
    const ch = this.children
    this.setCell(c, UNIVERSAL, -1)
    this.interventions.caseEnded(c, t)
    ch.bumpEpoch(c)
    const rng = ch.rng(c)
    const p = this.history === null ? reReferral.probability : this.history.reReferral(c, reReferral.probability)
    let at: number
    if (this.families !== null) {
      // A sibling closed with the eldest comes back (or not) with them.
      const after = this.families.reReferral(c, t, p, reReferral.after)
      if (after < 0) return
      at = t + after
    } else {
      const back = rng() < p
      // The delay is drawn whether or not the case comes back (so the child's later draws do not depend on
      // it), but only worked out if it does.
      if (!back) {
        reReferral.after.skip(rng)
        return
      }
      at = t + reReferral.after.sample(rng)
    }
    if (at < ch.birthday(c, 18) && at < this.horizon)
      this.queue.push(at, Priority.ReReferral, Action.ReReferral, c, ch.epoch(c))
  }

  private exit(c: number, t: number): void {
    this.setCell(c, EXITED, -1)
    this.interventions.caseEnded(c, t)
    this.children.bumpEpoch(c)
  }

  /** The child's episode at their level has run its course: the outcomes table decides what follows. */
  endEpisode(c: number, t: number): void {
    const ch = this.children
    const iv = this.interventions
    const state = ch.state(c)
    const rng = ch.rng(c)
    if (state === CARE_LEAVER) {
      this.stayingPutEnds(c, t)
      this.out.supportEnded(t, c, SUPPORT_ENDED_EARLY)
      this.exit(c, t)
      return
    }
    const level = this.model.levels[state]!
    const table = ch.valueAt(iv.outcomeTable(c, t, state), c, t)
    const u = this.families === null ? rng() : this.families.decide(c, t, state)
    const dest = iv.intercept(c, t, state, this.decide(c, table, u))
    if (state === LOOKED_AFTER) this.leaveCare(c, t, dest, false)
    else this.moveTo(c, t, state, dest, level.reReferral, false)
  }

  private leaveCare(c: number, t: number, dest: Destination, placed: boolean): void {
    const ch = this.children
    const places = this.places
    const placement = ch.placement(c)
    let to = dest.to
    if (to === CARE_LEAVER && !this.eligibleCareLeaver(c, t)) to = EXITED
    const svc = places.serviceOfLevel[to]
    if (svc >= 0 && !placed && !places.hasRoomFor(c, svc)) {
      this.serviceFull(c, t, LOOKED_AFTER, dest, this.model.lookedAfter.reReferral, places.services[svc])
      return
    }
    this.out.leftCare(t, c, placement, dest.leftCare, to, dest.via)
    this.afterCare(c, t, to)
  }

  private afterCare(c: number, t: number, to: number): void {
    // The episode's slot (its start, legal status, pending change and move) is given back.
    this.children.leftCare(c)
    if (to === CARE_LEAVER) this.enterCareLeaver(c, t, -1, false)
    else if (to === EXITED) this.exit(c, t)
    else if (to === UNIVERSAL) this.closeCase(c, t, this.model.lookedAfter.reReferral)
    else this.enterHelpLevel(c, t, to, -1)
  }

  /** Care-leaver support needs 16 or over and at least the scenario's minimum time in care (13 weeks). */
  private eligibleCareLeaver(c: number, t: number): boolean {
    const ch = this.children
    return t - ch.careSince(c) >= this.model.careLeaver.minDaysInCare && ch.birthday(c, 16) <= t
  }

  /** An age limit: 18 below care and in care, the end of care-leaver support. */
  reachAgeLimit(c: number, t: number): void {
    const ch = this.children
    const state = ch.state(c)
    if (ch.services !== null && ch.services.waitingFor[c] >= 0) this.places.leaveList(c, t, LIST_TURNED_18)
    if (state === UNIVERSAL) {
      // Waiting, unopened, for a place: the referral lapses at 18 (the case was never opened), and with it
      // any intervention place or waiting list the referral led to.
      this.interventions.caseEnded(c, t)
      ch.bumpEpoch(c)
      return
    }
    if (state === LOOKED_AFTER) {
      const to = this.eligibleCareLeaver(c, t) ? CARE_LEAVER : EXITED
      const placement = ch.placement(c)
      this.out.leftCare(t, c, placement, LEFT_CARE_TURNED_18, to, -1)
      this.afterCare(c, t, to)
      const sp = this.model.careLeaver.stayingPut
      if (to === CARE_LEAVER && sp !== null && sp.from[placement] === 1) this.mayStayPut(c, t, placement, sp)
    } else if (state === CARE_LEAVER) {
      this.stayingPutEnds(c, t)
      this.out.supportEnded(t, c, SUPPORT_AGE_LIMIT)
      this.exit(c, t)
    } else {
      this.out.caseClosed(t, c, state, CLOSED_TURNED_18, EXITED, -1)
      this.exit(c, t)
    }
  }

  /**
   * A care leaver who has just turned 18 in a foster placement stays put with their carers with the
   * scenario's chance, until the arrangement's age limit, an earlier end, or the end of their support.
   */
  private mayStayPut(c: number, t: number, placement: number, sp: StayingPutModel): void {
    const ch = this.children
    const rng = ch.rng(c)
    if (!(rng() < sp.share)) {
      if (sp.endsEarly !== null) sp.endsEarly.skip(rng)
      return
    }
    this.out.stayingPutBegan(t, c, placement)
    ch.setStayingPut(c, 1)
    const early = sp.endsEarly === null ? Infinity : t + sp.endsEarly.sample(rng)
    const at = Math.min(ch.birthday(c, sp.untilAge), early)
    if (at < ch.dueAt(c)) this.queue.push(at, Priority.EpisodeEnd, Action.StayingPutEnd, c, ch.epoch(c))
  }

  /** A staying-put arrangement reaches its age limit or ends early. */
  endStayingPut(c: number, t: number): void {
    const ch = this.children
    if (ch.stayingPut(c) === 0) return
    ch.setStayingPut(c, 0)
    const sp = this.model.careLeaver.stayingPut!
    this.out.stayingPutEnded(t, c, t === ch.birthday(c, sp.untilAge) ? STAYING_PUT_AGE_LIMIT : STAYING_PUT_EARLY)
  }

  /** Care-leaver support ends: so does staying put. */
  private stayingPutEnds(c: number, t: number): void {
    const ch = this.children
    if (ch.stayingPut(c) === 0) return
    ch.setStayingPut(c, 0)
    this.out.stayingPutEnded(t, c, STAYING_PUT_SUPPORT_ENDED)
  }

  /** A looked-after child moves placement (to the one chosen, or where a full placement overflows to). */
  movePlacement(c: number, t: number): void {
    const ch = this.children
    const from = ch.placement(c)
    const move = this.model.lookedAfter.moves[from]!
    const to = choose(move.to, ch.rng(c)())
    const placed = to === from ? to : this.places.placeIn(c, t, to)
    this.out.placementChanged(t, c, from, placed)
    this.setCell(c, LOOKED_AFTER, placed)
    this.scheduleMove(c, t, placed, false)
  }

  /**
   * A child whose next level is a full service: the alternative route, or the waiting list (staying
   * where they are, `at`, meanwhile; escalating after a while if the service says so).
   */
  private serviceFull(
    c: number,
    t: number,
    at: number,
    dest: Destination,
    closedBy: ReReferralModel | null,
    svc: ServiceModel
  ): void {
    const ch = this.children
    if (svc.whenFull === ALTERNATIVE) {
      const alt: Destination = { ...dest, to: svc.to }
      if (svc.to === at && at !== UNIVERSAL) {
        // The alternative is to stay: another episode at the same level.
        if (at === LOOKED_AFTER) this.enterCare(c, t, ch.placement(c), -1, false)
        else this.enterHelpLevel(c, t, at, -1)
      } else if (at === LOOKED_AFTER) this.leaveCare(c, t, alt, false)
      else this.moveTo(c, t, at, alt, closedBy, false)
      return
    }
    this.places.joinList(c, t, svc, at, dest, closedBy)
    // The action that brought the child here has been used: while waiting, only the 18th birthday (and an
    // escalation) can move them. A child in care keeps their placement and its pending move.
    if (at !== LOOKED_AFTER) ch.bumpEpoch(c)
    const limit = ch.birthday(c, 18)
    ch.setDueAt(c, limit)
    if (limit < this.horizon) this.queue.push(limit, Priority.AgeLimit, Action.AgeLimit, c, ch.epoch(c))
    if (svc.whenFull === ESCALATE && at !== LOOKED_AFTER) {
      const after = svc.escalateAfter!.sample(ch.rng(c))
      if (t + after < limit) this.queue.push(t + after, Priority.EpisodeEnd, Action.Escalate, c, ch.epoch(c))
    }
  }

  /** A waiting child steps up (e.g. to child protection) before a place comes free. */
  escalate(c: number, t: number): void {
    const ch = this.children
    const svc = ch.services!.waitingFor[c]
    if (svc < 0) return
    const to = this.places.services[svc].to
    const at = ch.state(c)
    const closedBy = this.places.waitDest.get(c)?.closedBy ?? null
    if (to === at || ALLOWED[at * S + to] === 0) return
    this.places.leaveList(c, t, LIST_ESCALATED)
    this.moveTo(c, t, at, { to, via: -1, closure: CLOSED_OTHER, leftCare: LEFT_CARE_OTHER, stay: -1 }, closedBy, false)
  }

  /** Offers free places to waiting children, first in line first, until no service can admit anyone. */
  admitWaiting(t: number): void {
    const places = this.places
    const ch = this.children
    places.dirty = false
    let admitted = true
    while (admitted) {
      admitted = false
      for (const svc of places.services) {
        const s = svc.index
        while (places.waiting[s] > 0 && (places.hasRoom(s) || places.admitsFamilies(s))) {
          const isIntervention = svc.intervention >= 0
          const c = isIntervention ? places.nextWaiting(s, true) : places.nextAdmissible(s)
          if (c < 0) break
          admitted = true
          if (isIntervention) {
            places.leaveInterventionList(c, t, LIST_PLACE)
            // From the waiting list: the move that made the child eligible has been made, not redirected.
            this.interventions.start(c, t, this.interventions.list[svc.intervention], ch.state(c), false)
            continue
          }
          const { dest, closedBy } = places.waitDest.get(c)!
          places.leaveList(c, t, LIST_PLACE)
          if (ch.state(c) === LOOKED_AFTER) this.leaveCare(c, t, dest, true)
          else this.moveTo(c, t, ch.state(c), dest, closedBy, true)
        }
      }
    }
    places.dirty = false
  }
}
