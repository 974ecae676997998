/**
 * Levels of need, placement types and the moves between them.
 *
 * A child known to children's services is at exactly one level at any time. `universal` means the case is
 * closed (the child is known and may be re-referred); `exited` means the child has left the model for good
 * (adopted, special guardianship, turned 18 outside care, care-leaver support ended).
 */
import * as Schema from "effect/Schema"

/** Levels of need, in escalating order, then the two post-care states. */
export const LEVELS = [
  "universal",
  "early_help",
  "intensive_family_support",
  "child_in_need",
  "child_protection",
  "looked_after",
  "care_leaver"
] as const
export const LevelOfNeed = Schema.Literal(...LEVELS)
export type LevelOfNeed = typeof LevelOfNeed.Type

/** Where a child can be: a level of need, or gone from the model. */
export const STATES = [...LEVELS, "exited"] as const
export const ChildState = Schema.Literal(...STATES)
export type ChildState = typeof ChildState.Type

/** Levels below care at which a case can be open ("help and protection"). */
export const HELP_LEVELS = [
  "early_help",
  "intensive_family_support",
  "child_in_need",
  "child_protection"
] as const satisfies ReadonlyArray<LevelOfNeed>
export type HelpLevel = (typeof HELP_LEVELS)[number]
export const HelpLevel = Schema.Literal(...HELP_LEVELS)

/** Levels a case is open at (everything but universal and exited). */
export const OPEN_LEVELS = [...HELP_LEVELS, "looked_after", "care_leaver"] as const satisfies ReadonlyArray<LevelOfNeed>
export type OpenLevel = (typeof OPEN_LEVELS)[number]
export const OpenLevel = Schema.Literal(...OPEN_LEVELS)

/**
 * Levels an episode is spent at: a stay whose length is drawn from the level's duration, ended by a
 * choice from its outcomes table (the help levels, and care).
 */
export const EPISODE_LEVELS = [...HELP_LEVELS, "looked_after"] as const satisfies ReadonlyArray<LevelOfNeed>
export type EpisodeLevel = (typeof EPISODE_LEVELS)[number]
export const EpisodeLevel = Schema.Literal(...EPISODE_LEVELS)

/** Where a case below care is: closed (universal, known and liable to be re-referred) or at a help level. */
export const BELOW_CARE = ["universal", ...HELP_LEVELS] as const satisfies ReadonlyArray<LevelOfNeed>
export type BelowCare = (typeof BELOW_CARE)[number]
export const BelowCare = Schema.Literal(...BELOW_CARE)

/**
 * Where a decision on a case is taken by an outcomes table: the front door (universal) and the end of an
 * episode at each episode level.
 */
export const DECIDING_STATES = ["universal", ...EPISODE_LEVELS] as const satisfies ReadonlyArray<LevelOfNeed>
export type DecidingState = (typeof DECIDING_STATES)[number]
export const DecidingState = Schema.Literal(...DECIDING_STATES)

/** Where a case below care goes when it closes: back to universal, or out of the model (at 18). */
export const CLOSED_STATES = ["universal", "exited"] as const satisfies ReadonlyArray<ChildState>
export type ClosedState = (typeof CLOSED_STATES)[number]
export const ClosedState = Schema.Literal(...CLOSED_STATES)

/** Where a child can go when a care episode ends: home (closed or with a plan), on to care-leaver support, or out. */
export const AFTER_CARE = [...BELOW_CARE, "care_leaver", "exited"] as const satisfies ReadonlyArray<ChildState>
export type AfterCare = (typeof AFTER_CARE)[number]
export const AfterCare = Schema.Literal(...AFTER_CARE)

/** Placement types of a looked-after child (SSDA903 codes in comments). */
export const PLACEMENTS = [
  "in_house_foster", // U4-U6 with PR1 provider
  "ifa_foster", // U4-U6 with PR4/PR5 provider
  "kinship", // U1-U3 foster with relatives or friends
  "in_house_residential", // K2/R1 own provision
  "external_residential", // K2/R1/S1 private or voluntary
  "supported_16_plus", // H5, P2, K3
  "placed_with_parents", // P1
  "secure", // K1
  "placed_for_adoption" // A3-A6
] as const
export const Placement = Schema.Literal(...PLACEMENTS)
export type Placement = typeof Placement.Type

/**
 * Legal statuses of a looked-after child: the SSDA903 codes (DfE, Children looked after return guidance),
 * in the return's order. A status holds from a date until the next change or the end of the episode.
 */
export const LEGAL_STATUSES = [
  "C1", // interim care order
  "C2", // full care order
  "D1", // freeing order granted
  "E1", // placement order granted
  "J1", // remanded to local authority accommodation or to youth detention accommodation
  "J2", // placed in local authority accommodation under the Police and Criminal Evidence Act 1984
  "J3", // sentenced to a youth rehabilitation order with a residence or fostering requirement
  "L1", // under police protection and in local authority accommodation
  "L2", // emergency protection order
  "L3", // under a child assessment order and in local authority accommodation
  "V2", // single period of accommodation under section 20 (Children Act 1989)
  "V3", // accommodated under an agreed series of short-term breaks (individual episodes recorded)
  "V4" // accommodated under an agreed series of short-term breaks (the agreement recorded)
] as const
export const LegalStatus = Schema.Literal(...LEGAL_STATUSES)
export type LegalStatus = typeof LegalStatus.Type
export const legalStatusIndex: Readonly<Record<LegalStatus, number>> = Object.fromEntries(
  LEGAL_STATUSES.map((s, i) => [s, i])
) as Record<LegalStatus, number>
export const LEGAL_STATUS_LABEL: Readonly<Record<LegalStatus, string>> = {
  C1: "Interim care order",
  C2: "Full care order",
  D1: "Freeing order",
  E1: "Placement order",
  J1: "Remanded (youth justice)",
  J2: "Placed under PACE",
  J3: "Youth rehabilitation order with residence",
  L1: "Police protection",
  L2: "Emergency protection order",
  L3: "Child assessment order",
  V2: "Section 20, single period",
  V3: "Short breaks (episodes recorded)",
  V4: "Short breaks (agreement recorded)"
}

/** Why a looked-after child's care episode ended (DfE reason-episode-ceased groups). */
export const LEFT_CARE_REASONS = [
  "returned_home",
  "adopted",
  "special_guardianship",
  "turned_18",
  "independent_living",
  "other"
] as const
export const LeftCareReason = Schema.Literal(...LEFT_CARE_REASONS)
export type LeftCareReason = typeof LeftCareReason.Type

/** Why a case below care was closed. */
export const CLOSURE_REASONS = ["stepped_down", "no_further_action", "not_in_need", "turned_18", "other"] as const
export const ClosureReason = Schema.Literal(...CLOSURE_REASONS)
export type ClosureReason = typeof ClosureReason.Type

/** Why care-leaver support ended. */
export const SUPPORT_END_REASONS = ["age_limit", "ended_early"] as const
export const SupportEndReason = Schema.Literal(...SUPPORT_END_REASONS)
export type SupportEndReason = typeof SupportEndReason.Type

/** Why a care leaver's staying-put arrangement (staying on with their foster carers after 18) ended. */
export const STAYING_PUT_END_REASONS = ["age_limit", "ended_early", "support_ended"] as const
export const StayingPutEndReason = Schema.Literal(...STAYING_PUT_END_REASONS)
export type StayingPutEndReason = typeof StayingPutEndReason.Type

/** What a referral is: a child new to services, or a closed case coming back. */
export const REFERRAL_KINDS = ["new", "re_referral"] as const

/** Why a child's place on an intervention ended: its course finished, or the case closed first. */
export const INTERVENTION_END_REASONS = ["completed", "case_closed"] as const
export const InterventionEndReason = Schema.Literal(...INTERVENTION_END_REASONS)
export type InterventionEndReason = typeof InterventionEndReason.Type

/**
 * How a child left a waiting list: given a place, stepped up while waiting, turned 18, the service ended, or
 * the case closed.
 */
export const WAITING_LIST_OUTCOMES = ["place", "escalated", "turned_18", "service_ended", "case_closed"] as const
export const WaitingListOutcome = Schema.Literal(...WAITING_LIST_OUTCOMES)
export type WaitingListOutcome = typeof WaitingListOutcome.Type

/**
 * What a quota's review of an open case did: ended the stay under way, shortened it, left it as it was, or
 * nothing for want of a place (the child was chosen but the intervention had no place free).
 */
export const REVIEW_OUTCOMES = ["ended", "shortened", "unchanged", "no_place"] as const
export const ReviewOutcome = Schema.Literal(...REVIEW_OUTCOMES)
export type ReviewOutcome = typeof ReviewOutcome.Type

/** Help and protection levels step up and down among themselves, into care, or close (to universal, or out at 18). */
function helpLevelMoves(level: HelpLevel): ReadonlyArray<ChildState> {
  return [...BELOW_CARE.filter((s) => s !== level), "looked_after", "exited"]
}

/**
 * The moves the level graph allows, from -> to. Anything else is a modelling error: scenario validation
 * rejects outcomes outside this graph and the property tests check every logged move against it.
 */
export const ALLOWED_MOVES: Readonly<Record<ChildState, ReadonlyArray<ChildState>>> = {
  // A referral's front-door decision: closed again (NFA / not in need) or opened at any level.
  universal: [...BELOW_CARE, "looked_after"],
  early_help: helpLevelMoves("early_help"),
  intensive_family_support: helpLevelMoves("intensive_family_support"),
  child_in_need: helpLevelMoves("child_in_need"),
  child_protection: helpLevelMoves("child_protection"),
  // Leaving care: home (closed or with a plan), adoption / SGO (exited), or on to care-leaver support.
  looked_after: AFTER_CARE,
  care_leaver: ["exited"],
  exited: []
}

export const isAllowedMove = (from: ChildState, to: ChildState): boolean => ALLOWED_MOVES[from].includes(to)

/** Dense indices, so the engine and the folds can use typed arrays. */
export const stateIndex: Readonly<Record<ChildState, number>> = Object.fromEntries(
  STATES.map((s, i) => [s, i])
) as Record<ChildState, number>
export const placementIndex: Readonly<Record<Placement, number>> = Object.fromEntries(
  PLACEMENTS.map((p, i) => [p, i])
) as Record<Placement, number>

/** Readable labels for reports. */
export const LEVEL_LABEL: Readonly<Record<ChildState, string>> = {
  universal: "Universal (closed)",
  early_help: "Early help",
  intensive_family_support: "Intensive family support",
  child_in_need: "Child in need",
  child_protection: "Child protection",
  looked_after: "Looked after",
  care_leaver: "Care leaver",
  exited: "Left the model"
}
export const PLACEMENT_LABEL: Readonly<Record<Placement, string>> = {
  in_house_foster: "In-house foster care",
  ifa_foster: "Independent fostering agency",
  kinship: "Kinship / connected carers",
  in_house_residential: "In-house residential",
  external_residential: "External residential",
  supported_16_plus: "Supported accommodation 16+",
  placed_with_parents: "Placed with parents",
  secure: "Secure",
  placed_for_adoption: "Placed for adoption"
}

/**
 * Cost and caseload cells: one per state outside care, one per placement type in care. A looked-after
 * child is counted in the cell of their placement; the looked_after state cell itself stays empty.
 */
export const CELL_COUNT = STATES.length + PLACEMENTS.length
export const placementCell = (placement: number): number => STATES.length + placement
export const cellOf = (state: number, placement: number): number => (placement >= 0 ? STATES.length + placement : state)

/** Children in a level within one cell-array snapshot (looked after: the sum over placements). */
export const levelCount = (cells: ArrayLike<number>, offset: number, level: OpenLevel): number => {
  if (level === "looked_after") {
    let n = 0
    for (let p = 0; p < PLACEMENTS.length; p++) n += cells[offset + placementCell(p)]
    return n
  }
  return cells[offset + stateIndex[level]]
}
