/**
 * The case-flow events: what happened to a child, in the past tense. The event log is the truth; every
 * caseload, flow and cost figure is a fold over it (see `src/projections`).
 *
 * Every event has `time` (simulation days since the run's start date), `child` (a whole number unique
 * within the run) and what changed. Dates of birth are simulation days too (negative: before the start).
 * `via` names the route a move took (e.g. "assessment", "s47_enquiry", "care_proceedings"), which is what
 * one-off costs attach to.
 */
import * as Schema from "effect/Schema"
import {
  ChildState,
  ClosureReason,
  HelpLevel,
  LeftCareReason,
  LevelOfNeed,
  OpenLevel,
  Placement,
  SupportEndReason
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
  from: Schema.Literal(
    "universal",
    "early_help",
    "intensive_family_support",
    "child_in_need",
    "child_protection",
    "looked_after"
  ),
  to: HelpLevel,
  via: Via
})

/** A child became looked after, in a first placement. */
export const ChildBecameLookedAfter = Schema.TaggedStruct("ChildBecameLookedAfter", {
  time: Time,
  child: ChildId,
  from: Schema.Literal("universal", "early_help", "intensive_family_support", "child_in_need", "child_protection"),
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
  to: Schema.Literal(
    "universal",
    "early_help",
    "intensive_family_support",
    "child_in_need",
    "child_protection",
    "care_leaver",
    "exited"
  ),
  via: Via
})

/** A case below care closed: to universal (may be re-referred) or out of the model at 18. */
export const CaseClosed = Schema.TaggedStruct("CaseClosed", {
  time: Time,
  child: ChildId,
  from: LevelOfNeed,
  reason: ClosureReason,
  to: Schema.Literal("universal", "exited"),
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
  reason: Schema.Literal("completed", "case_closed")
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
  outcome: Schema.Literal("place", "escalated", "turned_18", "service_ended", "case_closed")
})

/** A placement service (e.g. in-house foster care) was full: the child is placed in `placedIn` instead. */
export const PlacementOverflowed = Schema.TaggedStruct("PlacementOverflowed", {
  time: Time,
  child: ChildId,
  service: Schema.String,
  wanted: Placement,
  placedIn: Placement
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
  PlacementOverflowed
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

/** Every event type, in the order of the union. */
export const EVENT_TAGS = [
  "CaseOpenAtStart",
  "CaseClosedBeforeStart",
  "ChildReferred",
  "LevelChanged",
  "ChildBecameLookedAfter",
  "PlacementChanged",
  "ChildLeftCare",
  "CaseClosed",
  "CareLeaverSupportEnded",
  "InterventionStarted",
  "InterventionEnded",
  "WaitingListJoined",
  "WaitingListLeft",
  "PlacementOverflowed"
] as const satisfies ReadonlyArray<CaseEventTag>
