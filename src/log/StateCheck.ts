/**
 * Checking each event of a replayed log against the state the events before it built up: the events of
 * a run only ever say true things about the children they name, so a line that says otherwise is an edit
 * (or a bug) and replay refuses it, naming the line.
 *
 * For each child: where they are (level and placement), their date of birth, the waiting list they are
 * on (one for a level, one for an intervention) and the intervention place they hold. An event must be
 *   - in time order, inside the run; the opening caseload (CaseOpenAtStart, CaseClosedBeforeStart) first,
 *     at time 0;
 *   - of a known child, except the first line of a child: children are numbered 0, 1, 2, ... in the order
 *     they first appear (the opening caseload, then each new referral), so a new child's number is the
 *     next one;
 *   - true to the child's state: a move from where the child is (level, and placement in care) to
 *     somewhere else the level graph allows (`ALLOWED_MOVES`), by the event that makes such a move (a
 *     looked-after child leaves care with ChildLeftCare); a move from universal only to decide a referral
 *     (one decision for each); a re-referral of a closed case (universal, no referral pending) with the
 *     child's date of birth; an intervention or waiting list the scenario has, joined at the child's
 *     level, left by a child on it; an intervention place ended by the child who holds it.
 * The state is kept in typed arrays indexed by child (a few bytes a child), so the check costs a few
 * array reads per event.
 */
import type { CaseEvent, SiblingReferred } from "../domain/Event.js"
import {
  isAllowedMove,
  LEGAL_STATUSES,
  legalStatusIndex,
  PLACEMENTS,
  placementIndex,
  STATES,
  stateIndex,
  type ChildState
} from "../domain/Level.js"
import { show } from "../domain/Show.js"
import { MAX_DAYS_BEFORE_BIRTH, type Model } from "../model/Model.js"

const UNIVERSAL = stateIndex.universal
const LOOKED_AFTER = stateIndex.looked_after
const CARE_LEAVER = stateIndex.care_leaver
const EXITED = stateIndex.exited
const NONE = -1

/** Outcomes of leaving a level service's waiting list, and an intervention's. */
const LEVEL_LIST_OUTCOMES: ReadonlySet<string> = new Set(["place", "escalated", "turned_18"])
const INTERVENTION_LIST_OUTCOMES: ReadonlySet<string> = new Set(["place", "service_ended", "case_closed"])

const day = (t: number): string => `day ${t}`

/** A child is referred before 18 and known to the opening caseload at most 25 (a care leaver's support ends by
 * 25): in days, with a couple of days to spare for the calendar's leap years. */
const REFERRED_BEFORE = 18 * 365.25 + 2
const OLDEST_AT_START = 26 * 365.25

class Children {
  count = 0
  state = new Uint8Array(1024)
  placement = new Int8Array(1024)
  dob = new Float64Array(1024)
  /** The level service whose waiting list the child is on, or -1. */
  levelList = new Int16Array(1024)
  /** The intervention whose waiting list the child is on, or -1. */
  interventionList = new Int16Array(1024)
  /** The intervention whose place the child holds, or -1. */
  holding = new Int16Array(1024)
  /** 1 while the child's referral waits for the front door's decision (a move from universal). */
  referred = new Uint8Array(1024)
  /** A looked-after child's legal status (index in LEGAL_STATUSES), or -1 (none yet, or not in care). */
  status = new Int8Array(1024)
  /** 1 while a care leaver stays put with their foster carers. */
  stayingPut = new Uint8Array(1024)
  /** The family's eldest (a SiblingReferred's `family`), or -1: a family of the child's own. */
  family = new Int32Array(1024)
  /** The time of the child's first referral (NaN for the opening caseload). */
  referredOn = new Float64Array(1024)

  add(state: number, placement: number, dob: number): void {
    if (this.count === this.state.length) {
      const n = this.count * 2
      const grow = <T extends Uint8Array | Int8Array | Int16Array | Int32Array | Float64Array>(a: T, b: T): T => {
        b.set(a)
        return b
      }
      this.state = grow(this.state, new Uint8Array(n))
      this.placement = grow(this.placement, new Int8Array(n))
      this.dob = grow(this.dob, new Float64Array(n))
      this.levelList = grow(this.levelList, new Int16Array(n))
      this.interventionList = grow(this.interventionList, new Int16Array(n))
      this.holding = grow(this.holding, new Int16Array(n))
      this.referred = grow(this.referred, new Uint8Array(n))
      this.status = grow(this.status, new Int8Array(n))
      this.stayingPut = grow(this.stayingPut, new Uint8Array(n))
      this.family = grow(this.family, new Int32Array(n))
      this.referredOn = grow(this.referredOn, new Float64Array(n))
    }
    const c = this.count++
    this.state[c] = state
    this.placement[c] = placement
    this.dob[c] = dob
    this.levelList[c] = NONE
    this.interventionList[c] = NONE
    this.holding[c] = NONE
    this.referred[c] = 0
    this.status[c] = NONE
    this.stayingPut[c] = 0
    this.family[c] = NONE
    this.referredOn[c] = Number.NaN
  }
}

/** Where a child is, in words: "child_in_need", "looked_after (kinship)". */
const where = (state: number, placement: number): string =>
  placement >= 0 ? `${STATES[state]} (${PLACEMENTS[placement]})` : STATES[state]

export class StateCheck {
  private readonly children = new Children()
  private readonly horizon: number
  private last = 0
  private opened = false
  /** The child whose first line (opening case or new referral) the last event was, or -1. */
  private firstLineOf = NONE
  /** Level services by name (the index of their waiting list). */
  private readonly levelServices = new Map<string, number>()
  /** Placement services by name, with their placement. */
  private readonly placementServices = new Map<string, number>()
  /** Interventions by name, and whether each holds a place for a duration. */
  private readonly interventions = new Map<string, number>()
  private readonly holdsPlace: Array<boolean> = []
  /** Whether the scenario models legal status (then every looked-after child has one, set on entry). */
  private readonly legal: boolean
  /** Whether the scenario refers unborn children (a new referral's date of birth may then be after it). */
  private readonly preBirth: boolean
  /** Whether new referrals come from contacts (`referrals.contacts`), and the time of a contact that became a
   * referral whose ChildReferred is still to come (-1: none). */
  private readonly contacts: boolean
  private contactReferred = -1
  /** Whether the scenario refers sibling groups (SiblingReferred events). */
  private readonly families: boolean
  /** The child whose new ChildReferred is the event just checked, or -1. */
  private justReferred = NONE

  constructor(model: Model) {
    this.horizon = model.calendar.horizon
    this.legal = model.legal !== null
    this.preBirth = model.preBirth !== null
    this.contacts = model.contacts !== null
    this.families = model.families !== null
    for (const s of model.policy.services) {
      if (s.level >= 0) this.levelServices.set(s.name, s.index)
      else if (s.placement >= 0) this.placementServices.set(s.name, s.placement)
    }
    for (const iv of model.policy.interventions) {
      this.interventions.set(iv.name, iv.index)
      this.holdsPlace[iv.index] = iv.duration !== null
    }
  }

  /** Children seen so far. */
  get childCount(): number {
    return this.children.count
  }

  /**
   * What is wrong with `e`, given the events before it (null: nothing, and `e` has been applied to the
   * state). After a problem the state is not to be trusted: stop there.
   */
  check(e: CaseEvent): string | null {
    const t = e.time
    if (t < this.last)
      return `events must be in time order: this one is at ${day(t)}, the one before at ${day(this.last)}`
    if (t >= this.horizon) return `${day(t)} is past the end of the run (it ends at day ${this.horizon})`
    this.last = t
    const ch = this.children
    const c = e.child
    const justReferred = this.justReferred
    this.justReferred = NONE
    const firstLineOf = this.firstLineOf
    this.firstLineOf = NONE
    // A contact that became a referral is followed at once by its new child's referral (a new child may also
    // be referred otherwise: an unaccompanied asylum-seeking child's arrival).
    if (this.contactReferred >= 0) {
      if (!(e._tag === "ChildReferred" && !e.reReferral) || t !== this.contactReferred)
        return "a contact that became a referral is followed at once by the new child's ChildReferred, at its time"
      this.contactReferred = -1
    }
    if (e._tag === "ContactReceived") {
      if (!this.contacts) return "the scenario has no contacts (referrals.contacts): it logs no ContactReceived"
      this.opened = true
      if (e.referred) this.contactReferred = t
      return null
    }
    if (e._tag === "CaseOpenAtStart" || e._tag === "CaseClosedBeforeStart") {
      const problem = this.opening(e)
      if (problem === null) this.firstLineOf = c
      return problem
    }
    // A looked-after child's legal status comes with their case, in the opening caseload too, and so do a
    // child's history before the run and a sibling's family (logged right after the sibling's opening).
    const siblingAtStart = e._tag === "SiblingReferred" && justReferred === NONE && firstLineOf === c
    if (e._tag !== "LegalStatusChanged" && e._tag !== "HistoryBeforeRun" && !siblingAtStart) this.opened = true
    if (e._tag === "ChildReferred" && !e.reReferral) {
      if (c !== ch.count) return this.notNew(c)
      if (!(e.dateOfBirth <= t) && !(this.preBirth && e.dateOfBirth <= t + MAX_DAYS_BEFORE_BIRTH))
        return this.preBirth
          ? `child ${c} is referred on ${day(t)}, more than ${MAX_DAYS_BEFORE_BIRTH} days before birth ` +
              `(${day(e.dateOfBirth)})`
          : `child ${c} is referred on ${day(t)} but born on ${day(e.dateOfBirth)} (the scenario has no pre-birth ` +
              "referrals)"
      if (!(e.dateOfBirth > t - REFERRED_BEFORE))
        return `child ${c} is referred on ${day(t)} but born on ${day(e.dateOfBirth)}: 18 or over`
      ch.add(UNIVERSAL, NONE, e.dateOfBirth)
      ch.referred[c] = 1
      ch.referredOn[c] = t
      this.justReferred = c
      this.firstLineOf = c
      return null
    }
    if (c >= ch.count) return `child ${c} is not known: no opening case or referral of this child comes before`
    if (e._tag === "SiblingReferred") return siblingAtStart ? this.siblingAtStart(e) : this.sibling(e, justReferred)
    if (e._tag === "HistoryBeforeRun") {
      if (c !== firstLineOf) return `child ${c}'s history before the run comes right after the child's first line, once`
      if (e.previousCpPlans === 0 && e.previousCareEpisodes === 0 && !e.uasc)
        return `child ${c}'s history before the run is empty`
      if (e.uasc && (this.opened || (ch.state[c] !== LOOKED_AFTER && ch.state[c] !== CARE_LEAVER)))
        return `child ${c} is UASC from the start, but not looked after or a care leaver in the opening caseload`
      return null
    }
    const state = ch.state[c]
    const placement = ch.placement[c]
    const at = `child ${c} is ${where(state, placement)}`
    switch (e._tag) {
      case "ChildReferred":
        if (state !== UNIVERSAL) return `${at}, not a closed case: only a closed case is re-referred`
        if (ch.referred[c] === 1) return `child ${c} is re-referred while a referral of theirs awaits a decision`
        if (e.dateOfBirth !== ch.dob[c])
          return `child ${c} was born on ${day(ch.dob[c])}, not ${day(e.dateOfBirth)} as this re-referral says`
        ch.referred[c] = 1
        return null
      case "LevelChanged": {
        if (e.from === "looked_after") return "a looked-after child leaves care with ChildLeftCare, not LevelChanged"
        return this.move(c, e.from, e.to, NONE) ?? this.moveBy(c, stateIndex[e.to], NONE)
      }
      case "ChildBecameLookedAfter":
        if (t < ch.dob[c]) return `child ${c} comes into care on ${day(t)}, before birth (${day(ch.dob[c])})`
        return this.move(c, e.from, "looked_after", NONE) ?? this.moveBy(c, LOOKED_AFTER, placementIndex[e.placement])
      case "PlacementChanged":
        if (state !== LOOKED_AFTER || PLACEMENTS[placement] !== e.from)
          return `${at}, not looked_after (${e.from}): the placement move is from where the child is not`
        if (this.legal && ch.status[c] === NONE) return this.noStatus(c)
        ch.placement[c] = placementIndex[e.to]
        return null
      case "ChildLeftCare":
        if (state !== LOOKED_AFTER || PLACEMENTS[placement] !== e.placement)
          return `${at}, not looked_after (${e.placement}): leaving care from where the child is not`
        if (this.legal && ch.status[c] === NONE) return this.noStatus(c)
        ch.status[c] = NONE
        return this.move(c, "looked_after", e.to, placementIndex[e.placement]) ?? this.moveBy(c, stateIndex[e.to], NONE)
      case "LegalStatusChanged": {
        if (!this.legal)
          return "a legal status is logged, but the scenario models none (levels.looked_after.legalStatus)"
        if (state !== LOOKED_AFTER) return `${at}, not looked_after: only a looked-after child has a legal status`
        const now = ch.status[c]
        if ((now === NONE ? null : LEGAL_STATUSES[now]) !== e.from)
          return now === NONE
            ? `child ${c} has no legal status yet: the first of a care episode is from null, not ${e.from}`
            : `child ${c} is ${LEGAL_STATUSES[now]}, not ${e.from ?? "without a status"}: ` +
                "the change is from where the child is not"
        if (e.from === e.to) return `a legal status change from ${e.to} to itself`
        ch.status[c] = legalStatusIndex[e.to]
        return null
      }
      case "CaseClosed":
        if (e.from === "looked_after") return "a looked-after child leaves care with ChildLeftCare, not CaseClosed"
        if (e.from === "care_leaver") return "care-leaver support ends with CareLeaverSupportEnded, not CaseClosed"
        // A referral closed at the front door (no further action) goes from universal to universal.
        if (e.from === "universal" && e.to === "universal") {
          if (state !== UNIVERSAL || ch.referred[c] === 0)
            return `${at}, with no referral awaiting a decision: no referral to close`
          ch.referred[c] = 0
          return null
        }
        return this.move(c, e.from, e.to, NONE) ?? this.moveBy(c, stateIndex[e.to], NONE)
      case "StayingPutBegan":
        if (state !== CARE_LEAVER) return `${at}, not care_leaver: only a care leaver stays put`
        if (ch.stayingPut[c] === 1) return `child ${c} already stays put`
        ch.stayingPut[c] = 1
        return null
      case "StayingPutEnded":
        if (ch.stayingPut[c] === 0) return `child ${c} does not stay put: no arrangement to end`
        ch.stayingPut[c] = 0
        return null
      case "CareLeaverSupportEnded":
        if (state !== CARE_LEAVER) return `${at}, not care_leaver: care-leaver support ends for a child without it`
        if (ch.stayingPut[c] === 1) return `child ${c} still stays put: the arrangement ends before support does`
        ch.state[c] = EXITED
        return null
      case "InterventionStarted": {
        const iv = this.interventions.get(e.intervention)
        if (iv === undefined) return `the scenario has no intervention named ${show(e.intervention)}`
        if (state === EXITED || STATES[state] !== e.at) return `${at}, not ${e.at} as the intervention's start says`
        if (ch.holding[c] !== NONE || ch.interventionList[c] !== NONE)
          return `child ${c} already holds a place on an intervention, or waits for one`
        if (e.heldPlace !== this.holdsPlace[iv])
          return (
            `${show(e.intervention)} ${this.holdsPlace[iv] ? "holds" : "holds no"} place for a duration,` +
            ` but heldPlace is ${e.heldPlace}`
          )
        if (e.heldPlace) ch.holding[c] = iv
        return null
      }
      case "ChildReviewed": {
        if (this.interventions.get(e.intervention) === undefined)
          return `the scenario has no intervention named ${show(e.intervention)}`
        if (state === EXITED || STATES[state] !== e.at) return `${at}, not ${e.at} as the review says`
        return null
      }
      case "InterventionEnded": {
        const iv = this.interventions.get(e.intervention)
        if (iv === undefined) return `the scenario has no intervention named ${show(e.intervention)}`
        if (ch.holding[c] !== iv) return `child ${c} holds no place on ${show(e.intervention)} to end`
        ch.holding[c] = NONE
        return null
      }
      case "WaitingListJoined": {
        if (state === EXITED || STATES[state] !== e.at) return `${at}, not ${e.at} as the waiting list entry says`
        const svc = this.levelServices.get(e.service)
        if (svc !== undefined) {
          if (ch.levelList[c] !== NONE) return `child ${c} is already on a waiting list for a level`
          ch.levelList[c] = svc
          return null
        }
        const iv = this.interventions.get(e.service)
        if (iv === undefined) return `the scenario has no level service or intervention named ${show(e.service)}`
        if (ch.holding[c] !== NONE || ch.interventionList[c] !== NONE)
          return `child ${c} already holds a place on an intervention, or waits for one`
        ch.interventionList[c] = iv
        return null
      }
      case "WaitingListLeft": {
        const svc = this.levelServices.get(e.service)
        if (svc !== undefined) {
          if (ch.levelList[c] !== svc) return `child ${c} is not on the waiting list of ${show(e.service)}`
          if (!LEVEL_LIST_OUTCOMES.has(e.outcome)) return `a level's waiting list is not left with ${e.outcome}`
          ch.levelList[c] = NONE
          return null
        }
        const iv = this.interventions.get(e.service)
        if (iv === undefined) return `the scenario has no level service or intervention named ${show(e.service)}`
        if (ch.interventionList[c] !== iv) return `child ${c} is not on the waiting list of ${show(e.service)}`
        if (!INTERVENTION_LIST_OUTCOMES.has(e.outcome))
          return `an intervention's waiting list is not left with ${e.outcome}`
        ch.interventionList[c] = NONE
        return null
      }
      case "PlacementOverflowed": {
        const p = this.placementServices.get(e.service)
        if (p === undefined) return `the scenario has no placement service named ${show(e.service)}`
        if (PLACEMENTS[p] !== e.wanted) return `${show(e.service)} is a service of ${PLACEMENTS[p]}, not ${e.wanted}`
        if (e.placedIn === e.wanted) return `a placement overflows from ${e.wanted} to itself`
        if (state === EXITED) return `${at}: no placement is sought for a child who has left`
        return null
      }
    }
  }

  /** The opening caseload: new children, numbered from 0, at time 0, before anything else happens. */
  private opening(e: CaseEvent & { _tag: "CaseOpenAtStart" | "CaseClosedBeforeStart" }): string | null {
    if (this.opened || e.time !== 0)
      return "the opening caseload (CaseOpenAtStart, CaseClosedBeforeStart) comes first, at time 0"
    const ch = this.children
    if (e.child !== ch.count) return this.notNew(e.child)
    if (!(e.dateOfBirth <= 0)) return `a child open at the start is born on ${day(e.dateOfBirth)}, after the start`
    if (!(e.dateOfBirth > -OLDEST_AT_START))
      return `a child open at the start is born on ${day(e.dateOfBirth)}, more than 26 years before it`
    if (e._tag === "CaseClosedBeforeStart") {
      if (!(e.closedOn <= 0 && e.closedOn >= e.dateOfBirth))
        return `a case closed before the start is closed on ${day(e.closedOn)}: after the start or before birth`
      ch.add(UNIVERSAL, NONE, e.dateOfBirth)
      return null
    }
    if ((e.level === "looked_after") !== (e.placement !== null))
      return "a placement is given for a looked-after child, and only for one"
    if (!(e.since <= 0 && e.since >= e.dateOfBirth))
      return `a case open at the start began on ${day(e.since)}: after the start or before birth`
    ch.add(stateIndex[e.level], e.placement === null ? NONE : placementIndex[e.placement], e.dateOfBirth)
    return null
  }

  /** A sibling: right after their own first referral, with an eldest referred at the same time before them. */
  private sibling(e: SiblingReferred, justReferred: number): string | null {
    const ch = this.children
    const c = e.child
    const f = e.family
    if (!this.families) return "a sibling group is logged, but the scenario has none (referrals.families)"
    if (c !== justReferred)
      return `child ${c}'s SiblingReferred does not come right after their own first referral or opening`
    if (!(f < c)) return `child ${c}'s family is child ${f}: a family's eldest is referred before the siblings`
    if (ch.family[f] !== NONE) return `child ${f} is a sibling in child ${ch.family[f]}'s family, not a family's eldest`
    if (ch.referredOn[f] !== e.time)
      return `child ${c} is referred with child ${f}'s family on ${day(e.time)}, but child ${f} was not referred then`
    if (ch.referred[f] !== 1)
      return `child ${c} is referred with child ${f}'s family, but child ${f}'s referral has already been decided`
    if (ch.dob[c] < ch.dob[f])
      return (
        `child ${c} (born ${day(ch.dob[c])}) is older than their family's eldest, child ${f} ` +
        `(born ${day(ch.dob[f])})`
      )
    ch.family[c] = f
    return null
  }

  /** A sibling open at the start: right after their own opening, in the family of a child opened before them at
   * the same level and placement. */
  private siblingAtStart(e: SiblingReferred): string | null {
    const ch = this.children
    const c = e.child
    const f = e.family
    if (!this.families) return "a sibling group is logged, but the scenario has none (referrals.families)"
    if (this.opened || e.time !== 0)
      return `child ${c}'s SiblingReferred does not come right after their own first line`
    // The line leaves room for the child's history (firstLineOf), which would otherwise let it come again.
    if (ch.family[c] !== NONE) return `child ${c}'s family (child ${ch.family[c]}'s) is already given`
    if (!(f < c)) return `child ${c}'s family is child ${f}: a family's eldest is opened before the siblings`
    if (ch.family[f] !== NONE) return `child ${f} is a sibling in child ${ch.family[f]}'s family, not a family's eldest`
    if (ch.state[c] === UNIVERSAL || ch.state[f] !== ch.state[c] || ch.placement[f] !== ch.placement[c])
      return `child ${c} opens at the start in child ${f}'s family, but not at child ${f}'s level and placement`
    if (ch.dob[c] < ch.dob[f])
      return (
        `child ${c} (born ${day(ch.dob[c])}) is older than their family's eldest, child ${f} ` +
        `(born ${day(ch.dob[f])})`
      )
    ch.family[c] = f
    // The child's history before the run may follow.
    this.firstLineOf = c
    return null
  }

  private noStatus(c: number): string {
    return `child ${c} is looked after with no legal status: the scenario models legal status, set on entry to care`
  }

  private notNew(c: number): string {
    return c < this.children.count
      ? `child ${c} is already known: a new child has a new number`
      : `child ${c} is new, but the next new child is ${this.children.count}` +
          " (children are numbered in the order they appear)"
  }

  /** A move of child c from `from` to `to`, checked against where c is and the level graph. */
  private move(c: number, from: ChildState, to: ChildState, fromPlacement: number): string | null {
    const ch = this.children
    const state = ch.state[c]
    if (STATES[state] !== from || (fromPlacement !== NONE && ch.placement[c] !== fromPlacement))
      return `child ${c} is ${where(state, ch.placement[c])}, not ${from}: the move is from where the child is not`
    if (from === to) return `a move from ${from} to itself`
    if (!isAllowedMove(from, to)) return `a move from ${from} to ${to} is not one the level graph allows`
    if (state === UNIVERSAL) {
      if (ch.referred[c] === 0) return `child ${c} is a closed case with no referral: a move from universal needs one`
      ch.referred[c] = 0
    }
    return null
  }

  private moveBy(c: number, state: number, placement: number): null {
    this.children.state[c] = state
    this.children.placement[c] = placement
    return null
  }
}
