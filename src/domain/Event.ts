/**
 * The case-flow events: what happened to a child, in the past tense. The event log is the truth; every
 * caseload, flow and cost figure is a fold over it (see `src/projections`).
 *
 * Every event has `time` (simulation days since the run's start date), `child` (a whole number unique
 * within the run; -1 for ContactReceived, a contact about no child the run follows) and what changed.
 * Dates of birth are simulation days too (negative: before the start).
 * `via` names the route a move took (e.g. "assessment", "s47_enquiry", "care_proceedings"), which is what
 * one-off costs attach to.
 */
import * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"
import {
  AfterCare,
  BelowCare,
  CLOSURE_REASONS,
  ChildState,
  ClosedState,
  ClosureReason,
  DecidingState,
  HelpLevel,
  INTERVENTION_END_REASONS,
  InterventionEndReason,
  LEFT_CARE_REASONS,
  LEGAL_STATUSES,
  LeftCareReason,
  LegalStatus,
  LevelOfNeed,
  OpenLevel,
  PLACEMENTS,
  Placement,
  REFERRAL_KINDS,
  REVIEW_OUTCOMES,
  ReviewOutcome,
  STATES,
  STAYING_PUT_END_REASONS,
  SUPPORT_END_REASONS,
  StayingPutEndReason,
  SupportEndReason,
  WAITING_LIST_OUTCOMES,
  WaitingListOutcome,
  stateIndex
} from "./Level.js"

const Time = Schema.Number.pipe(Schema.finite(), Schema.nonNegative())
const ChildId = Schema.Number.pipe(Schema.int(), Schema.nonNegative())
const Via = Schema.NullOr(Schema.String)
const NullablePlacement = Schema.NullOr(Placement)

/** A child already open to services when the run starts, with the day their current episode began. */
export const CaseOpenAtStart = Schema.TaggedStruct("CaseOpenAtStart", {
  time: Time,
  child: ChildId,
  dateOfBirth: Schema.Number,
  level: OpenLevel,
  placement: NullablePlacement,
  since: Schema.Number
})

/**
 * A case closed before the run started (`closedOn`, a day before 0): known to services and liable to be
 * re-referred, so re-referrals do not start from nothing on day one.
 */
export const CaseClosedBeforeStart = Schema.TaggedStruct("CaseClosedBeforeStart", {
  time: Time,
  child: ChildId,
  dateOfBirth: Schema.Number,
  closedOn: Schema.Number
})

/** A referral reached the front door: a new child, or a re-referral of a closed case. */
export const ChildReferred = Schema.TaggedStruct("ChildReferred", {
  time: Time,
  child: ChildId,
  dateOfBirth: Schema.Number,
  reReferral: Schema.Boolean
})

/** A case opened at, or moved between, the help and protection levels (stepped up or down). */
export const LevelChanged = Schema.TaggedStruct("LevelChanged", {
  time: Time,
  child: ChildId,
  from: DecidingState,
  to: HelpLevel,
  via: Via
})

/** A child became looked after, in a first placement. */
export const ChildBecameLookedAfter = Schema.TaggedStruct("ChildBecameLookedAfter", {
  time: Time,
  child: ChildId,
  from: BelowCare,
  placement: Placement,
  via: Via
})

/** A looked-after child moved placement. */
export const PlacementChanged = Schema.TaggedStruct("PlacementChanged", {
  time: Time,
  child: ChildId,
  from: Placement,
  to: Placement
})

/** A care episode ended. `to` is where the child went: a care leaver, home (closed or with a plan), or out. */
export const ChildLeftCare = Schema.TaggedStruct("ChildLeftCare", {
  time: Time,
  child: ChildId,
  placement: Placement,
  reason: LeftCareReason,
  to: AfterCare,
  via: Via
})

/** A case below care closed: to universal (may be re-referred) or out of the model at 18. */
export const CaseClosed = Schema.TaggedStruct("CaseClosed", {
  time: Time,
  child: ChildId,
  from: LevelOfNeed,
  reason: ClosureReason,
  to: ClosedState,
  via: Via
})

/** Care-leaver support ended (at the age limit, or earlier). */
export const CareLeaverSupportEnded = Schema.TaggedStruct("CareLeaverSupportEnded", {
  time: Time,
  child: ChildId,
  reason: SupportEndReason
})

/**
 * A child started an intervention (e.g. a family group conference, an IFS worker), taking one of its places
 * when it has a capacity. `redirectedTo`: the level the intercepted move went to instead, if any.
 */
export const InterventionStarted = Schema.TaggedStruct("InterventionStarted", {
  time: Time,
  child: ChildId,
  intervention: Schema.String,
  at: ChildState,
  redirectedTo: Schema.NullOr(HelpLevel),
  /** Whether the child holds one of its places until an `InterventionEnded`. */
  heldPlace: Schema.Boolean
})

/** The child's place on an intervention ended (its course finished, or the case closed first). */
export const InterventionEnded = Schema.TaggedStruct("InterventionEnded", {
  time: Time,
  child: ChildId,
  intervention: Schema.String,
  reason: InterventionEndReason
})

/** A child needing a place in a full service joined its waiting list, waiting at `at` meanwhile. */
export const WaitingListJoined = Schema.TaggedStruct("WaitingListJoined", {
  time: Time,
  child: ChildId,
  service: Schema.String,
  at: ChildState
})

/** A child left a waiting list: given a place, stepped up while waiting, turned 18, or the service closed. */
export const WaitingListLeft = Schema.TaggedStruct("WaitingListLeft", {
  time: Time,
  child: ChildId,
  service: Schema.String,
  outcome: WaitingListOutcome
})

/** A placement service (e.g. in-house foster care) was full: the child is placed in `placedIn` instead. */
export const PlacementOverflowed = Schema.TaggedStruct("PlacementOverflowed", {
  time: Time,
  child: ChildId,
  service: Schema.String,
  wanted: Placement,
  placedIn: Placement
})

/**
 * A looked-after child's legal status (SSDA903 code) was set or changed: `from` null when the care episode
 * begins (right after ChildBecameLookedAfter, or CaseOpenAtStart for a child in care at the start). A
 * status lasts until the next change or the end of the episode. Logged only by scenarios that model
 * legal status (`levels.looked_after.legalStatus`).
 */
export const LegalStatusChanged = Schema.TaggedStruct("LegalStatusChanged", {
  time: Time,
  child: ChildId,
  from: Schema.NullOr(LegalStatus),
  to: LegalStatus
})

/** A care leaver stays on with the foster carers they were placed with at 18 ("staying put"). */
export const StayingPutBegan = Schema.TaggedStruct("StayingPutBegan", {
  time: Time,
  child: ChildId,
  placement: Placement
})

/** A staying-put arrangement ended: at its age limit, earlier, or because care-leaver support ended. */
export const StayingPutEnded = Schema.TaggedStruct("StayingPutEnded", {
  time: Time,
  child: ChildId,
  reason: StayingPutEndReason
})

/**
 * A contact reached the front door about a child not currently known (a scenario with `referrals.contacts`):
 * `referred` if it became a referral (that child's ChildReferred, a new child, follows at the same time).
 * The one event that names no child (`child` is -1): a contact that goes no further is no child the run
 * follows, and one that becomes a referral names its child in the ChildReferred that follows.
 */
export const ContactReceived = Schema.TaggedStruct("ContactReceived", {
  time: Time,
  child: Schema.Literal(-1),
  referred: Schema.Boolean
})

/**
 * A quota's review of an open case (src/engine/Reviews.ts): the child at `at`, chosen by the quota's rule
 * among `eligible` children in the round; what it did (`outcome`). A stay it ends is ended by the event
 * that follows (ChildLeftCare, LevelChanged or CaseClosed, via the intervention's name).
 */
export const ChildReviewed = Schema.TaggedStruct("ChildReviewed", {
  time: Time,
  child: ChildId,
  intervention: Schema.String,
  at: ChildState,
  outcome: ReviewOutcome,
  /** The children eligible in the review's round (this one included). */
  eligible: Schema.Number.pipe(Schema.int(), Schema.positive())
})

/**
 * A child referred with their older sibling(s): `family` is the child number of the family's eldest, whose
 * own ChildReferred came first, at the same time; logged right after the child's ChildReferred, only by
 * scenarios with sibling groups (`referrals.families`). A child with no such event is a family of their own.
 */
export const SiblingReferred = Schema.TaggedStruct("SiblingReferred", {
  time: Time,
  child: ChildId,
  family: ChildId
})

/** How many times before: 0, 1, or 2 for two or more. */
const PreviousCount = Schema.Number.pipe(Schema.int(), Schema.between(0, 2))

/**
 * What a child's record held before the run (or, for a new referral, before this referral): how many child
 * protection plans and care episodes they had had before (2: two or more), not counting the one a starting
 * child is in now, and whether a child of the starting caseload is an unaccompanied asylum-seeking child (a
 * child arriving during the run is one by their route into care). Right after the child's first line
 * (CaseOpenAtStart, CaseClosedBeforeStart or a new ChildReferred); logged only for a child with some
 * history, by scenarios that give one (`history`, `startingCaseload[].history` or `.uasc`). Plans and
 * episodes begun during the run are counted from the events.
 */
export const HistoryBeforeRun = Schema.TaggedStruct("HistoryBeforeRun", {
  time: Time,
  child: ChildId,
  previousCpPlans: PreviousCount,
  previousCareEpisodes: PreviousCount,
  uasc: Schema.Boolean
})

export const CaseEvent = Schema.Union(
  CaseOpenAtStart,
  CaseClosedBeforeStart,
  ChildReferred,
  LevelChanged,
  ChildBecameLookedAfter,
  PlacementChanged,
  ChildLeftCare,
  CaseClosed,
  CareLeaverSupportEnded,
  InterventionStarted,
  InterventionEnded,
  WaitingListJoined,
  WaitingListLeft,
  PlacementOverflowed,
  LegalStatusChanged,
  StayingPutBegan,
  StayingPutEnded,
  ContactReceived,
  ChildReviewed,
  SiblingReferred,
  HistoryBeforeRun
)
export type CaseEvent = typeof CaseEvent.Type
export type CaseEventTag = CaseEvent["_tag"]

export type CaseOpenAtStart = typeof CaseOpenAtStart.Type
export type CaseClosedBeforeStart = typeof CaseClosedBeforeStart.Type
export type ChildReferred = typeof ChildReferred.Type
export type LevelChanged = typeof LevelChanged.Type
export type ChildBecameLookedAfter = typeof ChildBecameLookedAfter.Type
export type PlacementChanged = typeof PlacementChanged.Type
export type ChildLeftCare = typeof ChildLeftCare.Type
export type CaseClosed = typeof CaseClosed.Type
export type CareLeaverSupportEnded = typeof CareLeaverSupportEnded.Type
export type InterventionStarted = typeof InterventionStarted.Type
export type InterventionEnded = typeof InterventionEnded.Type
export type WaitingListJoined = typeof WaitingListJoined.Type
export type WaitingListLeft = typeof WaitingListLeft.Type
export type PlacementOverflowed = typeof PlacementOverflowed.Type
export type LegalStatusChanged = typeof LegalStatusChanged.Type
export type StayingPutBegan = typeof StayingPutBegan.Type
export type StayingPutEnded = typeof StayingPutEnded.Type
export type ContactReceived = typeof ContactReceived.Type

/** What became of a contact: a ContactReceived record's `reason`. */
export const CONTACT_OUTCOMES = ["not_referred", "referred"] as const

export type ChildReviewed = typeof ChildReviewed.Type

export type SiblingReferred = typeof SiblingReferred.Type

export type HistoryBeforeRun = typeof HistoryBeforeRun.Type

type TagsOf<M extends ReadonlyArray<Schema.Schema.Any>> = {
  readonly [K in keyof M]: Schema.Schema.Type<M[K]> extends { readonly _tag: infer T } ? T : never
}
const tagOf = (member: Schema.Schema.Any): string => {
  const tag = AST.getPropertySignatures(member.ast).find((p) => p.name === "_tag")
  if (tag === undefined || !AST.isLiteral(tag.type)) throw new Error("every case event is a tagged struct")
  return String(tag.type.literal)
}

/** Every event type, in the order of the union (read off the union, so it cannot drift from it). */
export const EVENT_TAGS = CaseEvent.members.map(tagOf) as unknown as TagsOf<typeof CaseEvent.members>

/** Each event type's number: its place in `EVENT_TAGS`. */
export const EVENT_TAG_INDEX: Readonly<Record<CaseEventTag, number>> = Object.fromEntries(
  EVENT_TAGS.map((t, i) => [t, i])
) as Record<CaseEventTag, number>

/**
 * The reasons an event type gives (its `reason`, or for a referral whether it is a re-referral, for a
 * waiting list left its `outcome`), by event type; empty for types that give none. A record's `reason`
 * indexes into its type's list.
 */
export const REASONS: Readonly<Record<CaseEventTag, ReadonlyArray<string>>> = {
  CaseOpenAtStart: [],
  CaseClosedBeforeStart: [],
  ChildReferred: REFERRAL_KINDS,
  LevelChanged: [],
  ChildBecameLookedAfter: [],
  PlacementChanged: [],
  ChildLeftCare: LEFT_CARE_REASONS,
  CaseClosed: CLOSURE_REASONS,
  CareLeaverSupportEnded: SUPPORT_END_REASONS,
  InterventionStarted: [],
  InterventionEnded: INTERVENTION_END_REASONS,
  WaitingListJoined: [],
  WaitingListLeft: WAITING_LIST_OUTCOMES,
  PlacementOverflowed: [],
  LegalStatusChanged: [],
  StayingPutBegan: [],
  StayingPutEnded: STAYING_PUT_END_REASONS,
  ContactReceived: CONTACT_OUTCOMES,
  ChildReviewed: REVIEW_OUTCOMES,
  SiblingReferred: [],
  HistoryBeforeRun: []
}

/**
 * The names events carry (routes, services, interventions) as small whole numbers: a name's number is
 * given the first time it is asked for, so two tables agree on a name's number only if one was copied
 * from the other. A run's engine and projections share one table (the compiled model's, copied); a replay
 * builds its own as it reads the log.
 */
export class Names {
  private readonly list: Array<string>
  private readonly ids: Map<string, number>

  constructor(names: Iterable<string> = []) {
    this.list = []
    this.ids = new Map()
    for (const n of names) this.id(n)
  }

  /** The name's number (given now if the name is new); -1 for null. */
  id(name: string | null): number {
    if (name === null) return -1
    let i = this.ids.get(name)
    if (i === undefined) {
      i = this.list.length
      this.list.push(name)
      this.ids.set(name, i)
    }
    return i
  }

  /** The name numbered `id`; null for -1. */
  name(id: number): string | null {
    return id < 0 ? null : this.list[id]
  }

  get size(): number {
    return this.list.length
  }

  /** A table that starts as this one and grows on its own. */
  copy(): Names {
    return new Names(this.list)
  }
}

/**
 * An event as plain numbers: what the engine writes for each event and what the projections fold, with
 * no object made per event. `recordOf` and `eventOf` turn an event into its record and back; replaying a
 * log turns each decoded event into its record and folds it through the same code as a live run.
 *
 * The record says, once for every event type, which state change the event makes to its child: where the
 * child was (`from`, `fromPlacement`) and where the child is afterwards (`to`, `toPlacement`), as state
 * and placement indices (`stateIndex`, `placementIndex`). `from` is -1 for a child new to the run (the
 * starting caseload, a first referral), who appears at `to`; `to` is -1 for an event that changes neither
 * state nor placement (a re-referral, an intervention or waiting-list event, a placement overflow). By type:
 *
 *   CaseOpenAtStart         -1 -> level (placement in care)      dateOfBirth, since
 *   CaseClosedBeforeStart   -1 -> universal                      dateOfBirth, since = closedOn
 *   ChildReferred           -1 -> universal (a new child); none for a re-referral: reason new | re_referral
 *   LevelChanged            from -> to                           name = via
 *   ChildBecameLookedAfter  from -> looked_after (placement)     name = via
 *   PlacementChanged        looked_after (from) -> looked_after (to)
 *   ChildLeftCare           looked_after (placement) -> to       reason, name = via
 *   CaseClosed              from -> to (universal -> universal: a front-door decision to close)  reason, via
 *   CareLeaverSupportEnded  care_leaver -> exited                reason
 *   InterventionStarted     none: at, redirectedTo, heldPlace    name = intervention
 *   InterventionEnded       none                                 reason, name = intervention
 *   WaitingListJoined       none: at                             name = service
 *   WaitingListLeft         none                                 reason = outcome, name = service
 *   PlacementOverflowed     none: fromPlacement = wanted, toPlacement = placedIn   name = service
 *   LegalStatusChanged      none: at = looked_after          fromStatus (-1: entry), status (`legalStatusIndex`)
 *   StayingPutBegan         none: at = care_leaver           fromPlacement = the foster placement
 *   StayingPutEnded         none: at = care_leaver           reason
 *   ContactReceived         none, and no child (child = -1)  reason = not_referred | referred
 *   ChildReviewed           none: at                        reason = outcome, name = intervention, since = eligible
 *   SiblingReferred         none                             family (the eldest's child number)
 *   HistoryBeforeRun        none                             previousCpPlans, previousCareEpisodes (0, 1, 2+), uasc
 *
 * Fields an event type does not use hold -1 (indices) or 0 (numbers), so a record is the same whoever wrote it.
 */
export class EventRecord {
  /** Index in `EVENT_TAGS`. */
  tag = 0
  // -0, not 0, here and for `since`: V8 gives a field the representation of the first value stored in it,
  // and a whole 0 first then a fraction of a day changes the record's shape mid-run (and every function
  // compiled against it is thrown away). reset() stores 0.
  time = -0
  child = 0
  from = -1
  fromPlacement = -1
  to = -1
  toPlacement = -1
  /** The state the child is at, for events that change none (`at` of an intervention or a waiting list). */
  at = -1
  redirectedTo = -1
  /** Index in `REASONS[tag]`. */
  reason = -1
  /** The route, service or intervention: a number in the run's `Names`. */
  name = -1
  dateOfBirth = 0
  since = -0
  /** 1 if the child holds one of an intervention's places. */
  heldPlace = 0
  /** A legal status set (index in `LEGAL_STATUSES`), and the one it replaced (-1: the episode's first). */
  status = -1
  fromStatus = -1
  /** The family's eldest (a SiblingReferred event's `family`), -1 for other events. */
  family = -1
  /** Child protection plans and care episodes before the run (HistoryBeforeRun): 0, 1 or 2 (two or more). */
  previousCpPlans = 0
  previousCareEpisodes = 0
  /** 1: an unaccompanied asylum-seeking child of the starting caseload (HistoryBeforeRun). */
  uasc = 0

  /** Sets every field to its unused value and the three every event has. */
  reset(tag: number, time: number, child: number): this {
    this.tag = tag
    this.time = time
    this.child = child
    this.from = -1
    this.fromPlacement = -1
    this.to = -1
    this.toPlacement = -1
    this.at = -1
    this.redirectedTo = -1
    this.reason = -1
    this.name = -1
    this.dateOfBirth = 0
    this.since = 0
    this.heldPlace = 0
    this.status = -1
    this.fromStatus = -1
    this.family = -1
    this.previousCpPlans = 0
    this.previousCareEpisodes = 0
    this.uasc = 0
    return this
  }
}

/** Where records go (the engine's output, a fold's input): a record is valid only during the call. */
export interface RecordSink {
  take(r: EventRecord): void
  /**
   * Optional: the children whose actions the engine takes next (the first `size` of `children`, -1 for none;
   * valid only during the call), so that a sink keeping a row per child can bring those rows into the cache
   * together. Nothing may depend on it: it changes no figure.
   */
  ahead?(children: Int32Array, size: number): void
}

const T = EVENT_TAG_INDEX
const UNIVERSAL = stateIndex.universal
const LOOKED_AFTER = stateIndex.looked_after
/** Each event type's reasons by name. */
const REASON_NUMBER = Object.fromEntries(
  EVENT_TAGS.map((t) => [t, new Map<string, number>(REASONS[t].map((r, i) => [r, i]))])
) as Record<CaseEventTag, Map<string, number>>
const reasonOf = (tag: CaseEventTag, reason: string): number => REASON_NUMBER[tag].get(reason) ?? -1
/** States and placements by name (a Map: quicker than an object's keys for names that vary). */
const STATE_NUMBER = new Map<string, number>(STATES.map((s, i) => [s, i]))
const PLACEMENT_NUMBER = new Map<string, number>(PLACEMENTS.map((p, i) => [p, i]))
const placementOf = (p: Placement | null): number => (p === null ? -1 : PLACEMENT_NUMBER.get(p)!)
const STATUS_NUMBER = new Map<string, number>(LEGAL_STATUSES.map((s, i) => [s, i]))

/** The record of an event, written into `into` (names new to `names` are numbered there). */
export const recordOf = (e: CaseEvent, names: Names, into: EventRecord = new EventRecord()): EventRecord => {
  const r = into.reset(0, e.time, e.child)
  switch (e._tag) {
    case "CaseOpenAtStart":
      r.tag = T.CaseOpenAtStart
      r.to = STATE_NUMBER.get(e.level)!
      r.toPlacement = placementOf(e.placement)
      r.dateOfBirth = e.dateOfBirth
      r.since = e.since
      return r
    case "CaseClosedBeforeStart":
      r.tag = T.CaseClosedBeforeStart
      r.to = UNIVERSAL
      r.dateOfBirth = e.dateOfBirth
      r.since = e.closedOn
      return r
    case "ChildReferred":
      r.tag = T.ChildReferred
      if (!e.reReferral) r.to = UNIVERSAL
      r.reason = e.reReferral ? 1 : 0
      r.dateOfBirth = e.dateOfBirth
      return r
    case "LevelChanged":
      r.tag = T.LevelChanged
      r.from = STATE_NUMBER.get(e.from)!
      r.to = STATE_NUMBER.get(e.to)!
      r.name = names.id(e.via)
      return r
    case "ChildBecameLookedAfter":
      r.tag = T.ChildBecameLookedAfter
      r.from = STATE_NUMBER.get(e.from)!
      r.to = LOOKED_AFTER
      r.toPlacement = PLACEMENT_NUMBER.get(e.placement)!
      r.name = names.id(e.via)
      return r
    case "PlacementChanged":
      r.tag = T.PlacementChanged
      r.from = LOOKED_AFTER
      r.fromPlacement = PLACEMENT_NUMBER.get(e.from)!
      r.to = LOOKED_AFTER
      r.toPlacement = PLACEMENT_NUMBER.get(e.to)!
      return r
    case "ChildLeftCare":
      r.tag = T.ChildLeftCare
      r.from = LOOKED_AFTER
      r.fromPlacement = PLACEMENT_NUMBER.get(e.placement)!
      r.to = STATE_NUMBER.get(e.to)!
      r.reason = reasonOf(e._tag, e.reason)
      r.name = names.id(e.via)
      return r
    case "CaseClosed":
      r.tag = T.CaseClosed
      r.from = STATE_NUMBER.get(e.from)!
      r.to = STATE_NUMBER.get(e.to)!
      r.reason = reasonOf(e._tag, e.reason)
      r.name = names.id(e.via)
      return r
    case "CareLeaverSupportEnded":
      r.tag = T.CareLeaverSupportEnded
      r.from = stateIndex.care_leaver
      r.to = stateIndex.exited
      r.reason = reasonOf(e._tag, e.reason)
      return r
    case "InterventionStarted":
      r.tag = T.InterventionStarted
      r.at = STATE_NUMBER.get(e.at)!
      r.redirectedTo = e.redirectedTo === null ? -1 : STATE_NUMBER.get(e.redirectedTo)!
      r.heldPlace = e.heldPlace ? 1 : 0
      r.name = names.id(e.intervention)
      return r
    case "InterventionEnded":
      r.tag = T.InterventionEnded
      r.reason = reasonOf(e._tag, e.reason)
      r.name = names.id(e.intervention)
      return r
    case "WaitingListJoined":
      r.tag = T.WaitingListJoined
      r.at = STATE_NUMBER.get(e.at)!
      r.name = names.id(e.service)
      return r
    case "WaitingListLeft":
      r.tag = T.WaitingListLeft
      r.reason = reasonOf(e._tag, e.outcome)
      r.name = names.id(e.service)
      return r
    case "PlacementOverflowed":
      r.tag = T.PlacementOverflowed
      r.fromPlacement = PLACEMENT_NUMBER.get(e.wanted)!
      r.toPlacement = PLACEMENT_NUMBER.get(e.placedIn)!
      r.name = names.id(e.service)
      return r
    case "LegalStatusChanged":
      r.tag = T.LegalStatusChanged
      r.at = LOOKED_AFTER
      r.fromStatus = e.from === null ? -1 : STATUS_NUMBER.get(e.from)!
      r.status = STATUS_NUMBER.get(e.to)!
      return r
    case "StayingPutBegan":
      r.tag = T.StayingPutBegan
      r.at = stateIndex.care_leaver
      r.fromPlacement = PLACEMENT_NUMBER.get(e.placement)!
      return r
    case "StayingPutEnded":
      r.tag = T.StayingPutEnded
      r.at = stateIndex.care_leaver
      r.reason = reasonOf(e._tag, e.reason)
      return r
    case "ContactReceived":
      r.tag = T.ContactReceived
      r.reason = e.referred ? 1 : 0
      return r
    case "ChildReviewed":
      r.tag = T.ChildReviewed
      r.at = STATE_NUMBER.get(e.at)!
      r.reason = reasonOf(e._tag, e.outcome)
      r.name = names.id(e.intervention)
      r.since = e.eligible
      return r
    case "SiblingReferred":
      r.tag = T.SiblingReferred
      r.family = e.family
      return r
    case "HistoryBeforeRun":
      r.tag = T.HistoryBeforeRun
      r.previousCpPlans = e.previousCpPlans
      r.previousCareEpisodes = e.previousCareEpisodes
      r.uasc = e.uasc ? 1 : 0
      return r
  }
}

/** The event a record stands for (the inverse of `recordOf`). */
export const eventOf = (r: EventRecord, names: Names): CaseEvent => {
  const time = r.time
  const child = r.child
  switch (EVENT_TAGS[r.tag]) {
    case "CaseOpenAtStart":
      return {
        _tag: "CaseOpenAtStart",
        time,
        child,
        dateOfBirth: r.dateOfBirth,
        level: STATES[r.to] as OpenLevel,
        placement: r.toPlacement < 0 ? null : PLACEMENTS[r.toPlacement],
        since: r.since
      }
    case "CaseClosedBeforeStart":
      return { _tag: "CaseClosedBeforeStart", time, child, dateOfBirth: r.dateOfBirth, closedOn: r.since }
    case "ChildReferred":
      return { _tag: "ChildReferred", time, child, dateOfBirth: r.dateOfBirth, reReferral: r.reason === 1 }
    case "LevelChanged":
      return {
        _tag: "LevelChanged",
        time,
        child,
        from: STATES[r.from] as DecidingState,
        to: STATES[r.to] as HelpLevel,
        via: names.name(r.name)
      }
    case "ChildBecameLookedAfter":
      return {
        _tag: "ChildBecameLookedAfter",
        time,
        child,
        from: STATES[r.from] as BelowCare,
        placement: PLACEMENTS[r.toPlacement],
        via: names.name(r.name)
      }
    case "PlacementChanged":
      return {
        _tag: "PlacementChanged",
        time,
        child,
        from: PLACEMENTS[r.fromPlacement],
        to: PLACEMENTS[r.toPlacement]
      }
    case "ChildLeftCare":
      return {
        _tag: "ChildLeftCare",
        time,
        child,
        placement: PLACEMENTS[r.fromPlacement],
        reason: LEFT_CARE_REASONS[r.reason],
        to: STATES[r.to] as AfterCare,
        via: names.name(r.name)
      }
    case "CaseClosed":
      return {
        _tag: "CaseClosed",
        time,
        child,
        from: STATES[r.from] as LevelOfNeed,
        reason: CLOSURE_REASONS[r.reason],
        to: STATES[r.to] as ClosedState,
        via: names.name(r.name)
      }
    case "CareLeaverSupportEnded":
      return { _tag: "CareLeaverSupportEnded", time, child, reason: SUPPORT_END_REASONS[r.reason] }
    case "InterventionStarted":
      return {
        _tag: "InterventionStarted",
        time,
        child,
        intervention: names.name(r.name)!,
        at: STATES[r.at],
        redirectedTo: r.redirectedTo < 0 ? null : (STATES[r.redirectedTo] as HelpLevel),
        heldPlace: r.heldPlace === 1
      }
    case "InterventionEnded":
      return {
        _tag: "InterventionEnded",
        time,
        child,
        intervention: names.name(r.name)!,
        reason: INTERVENTION_END_REASONS[r.reason]
      }
    case "WaitingListJoined":
      return { _tag: "WaitingListJoined", time, child, service: names.name(r.name)!, at: STATES[r.at] }
    case "WaitingListLeft":
      return {
        _tag: "WaitingListLeft",
        time,
        child,
        service: names.name(r.name)!,
        outcome: WAITING_LIST_OUTCOMES[r.reason]
      }
    case "PlacementOverflowed":
      return {
        _tag: "PlacementOverflowed",
        time,
        child,
        service: names.name(r.name)!,
        wanted: PLACEMENTS[r.fromPlacement],
        placedIn: PLACEMENTS[r.toPlacement]
      }
    case "LegalStatusChanged":
      return {
        _tag: "LegalStatusChanged",
        time,
        child,
        from: r.fromStatus < 0 ? null : LEGAL_STATUSES[r.fromStatus],
        to: LEGAL_STATUSES[r.status]
      }
    case "StayingPutBegan":
      return { _tag: "StayingPutBegan", time, child, placement: PLACEMENTS[r.fromPlacement] }
    case "StayingPutEnded":
      return { _tag: "StayingPutEnded", time, child, reason: STAYING_PUT_END_REASONS[r.reason] }
    case "ContactReceived":
      return { _tag: "ContactReceived", time, child: -1, referred: r.reason === 1 }
    case "ChildReviewed":
      return {
        _tag: "ChildReviewed",
        time,
        child,
        intervention: names.name(r.name)!,
        at: STATES[r.at],
        outcome: REVIEW_OUTCOMES[r.reason],
        eligible: r.since
      }
    case "SiblingReferred":
      return { _tag: "SiblingReferred", time, child, family: r.family }
    case "HistoryBeforeRun":
      return {
        _tag: "HistoryBeforeRun",
        time,
        child,
        previousCpPlans: r.previousCpPlans,
        previousCareEpisodes: r.previousCareEpisodes,
        uasc: r.uasc === 1
      }
  }
}

/** The state change an event makes to its child (see `EventRecord`), by name; null when it makes none. */
export interface Transition {
  /** Null: the child is new to the run. */
  readonly from: ChildState | null
  readonly fromPlacement: Placement | null
  readonly to: ChildState
  readonly toPlacement: Placement | null
}

/** The state change an event makes, read off its record. */
export const transitionOf = (e: CaseEvent): Transition | null => {
  const r = recordOf(e, new Names())
  if (r.to < 0) return null
  return {
    from: r.from < 0 ? null : STATES[r.from],
    fromPlacement: r.fromPlacement < 0 ? null : PLACEMENTS[r.fromPlacement],
    to: STATES[r.to],
    toPlacement: r.toPlacement < 0 ? null : PLACEMENTS[r.toPlacement]
  }
}
