/**
 * The actions the engine schedules, and the priority classes that order actions due at the same instant.
 *
 * The queue orders actions by (time, priority class, sequence): at one instant, a lower class goes first,
 * and within a class the action scheduled first is taken first. Times are never nudged to break ties.
 *
 *   Priority.AgeLimit       an 18th (or 21st / 25th) birthday ends the status first, whatever else is due;
 *   Priority.EpisodeEnd     a duration at a level runs out and the child moves on (also: a child's place on
 *                           an intervention ends; a child waiting for a place steps up instead);
 *   Priority.PlacementMove  a looked-after child changes placement;
 *   Priority.LegalStatus    a looked-after child's legal status changes (e.g. interim to full care order);
 *   Priority.ReReferral     a closed case comes back to the front door;
 *   Priority.Referral       a new child is referred;
 *   Priority.Capacity       a service's number of places changes, after everything else at that instant.
 *
 * A child has at most one pending level action (the earlier of the episode's end and the age limit), one
 * pending placement move and one pending change of legal status. Each change of level bumps the child's
 * epoch, and an action scheduled under
 * an older epoch is dropped when it is popped (an intervention's end has an epoch of its own, since the
 * child's level can change while the place is held). A place freed by one action is offered to the
 * waiting lists before the next action is taken.
 */

/** Priority classes, lowest first: the order of actions due at the same instant. */
export const Priority = {
  AgeLimit: 0,
  EpisodeEnd: 1,
  PlacementMove: 2,
  LegalStatus: 3,
  ReReferral: 4,
  Referral: 5,
  Capacity: 6
} as const

/** What a scheduled action does (a number below 16: the queue keeps it in four bits), each scheduled in the
 * class of the same name unless said. */
export const Action = {
  /** The child reaches an age limit (18 below care and in care; the care-leaver support limit). */
  AgeLimit: 0,
  /** The child's episode at their level ends. */
  EpisodeEnd: 1,
  /** A looked-after child's placement changes. */
  PlacementMove: 2,
  /** A closed case is re-referred. */
  ReReferral: 3,
  /** The next new child is referred (the action's child is -1). */
  Referral: 4,
  /** A service's places change (the action's child is the service's index). */
  Capacity: 5,
  /** A child's place on an intervention ends (in class EpisodeEnd; the action's epoch is the child's hold
   * epoch). */
  InterventionEnd: 6,
  /** A child waiting for a place in a full service steps up instead (in class EpisodeEnd). */
  Escalate: 7,
  /** A looked-after child's legal status changes (scheduled only by scenarios that model legal status). */
  LegalStatus: 8,
  /** An unborn child a decision took into care is born, and comes into care (in class EpisodeEnd). */
  Birth: 9,
  /** The next unaccompanied asylum-seeking child arrives (in class Referral; the action's child is -1). */
  UascArrival: 10,
  /** A looked-after child's birthday with a placement move at that age (in class PlacementMove). */
  AgeMove: 11,
  /** A care leaver's staying-put arrangement reaches its end (in class EpisodeEnd). */
  StayingPutEnd: 12,
  /** A quota's round of reviews (in class Capacity; the action's child is the intervention's index, its epoch
   * the round's number). */
  Review: 13
} as const
