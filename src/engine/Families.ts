/**
 * Sibling groups: referrals that arrive as families, and the decisions siblings share with their eldest.
 *
 * A family's eldest is drawn as any new referral is (src/engine/Referrals.ts); the family's size is then
 * drawn from the eldest's stream (a pre-birth referral is a family of one), and each younger sibling is born
 * a spacing after the one before, the spacing cut so that no sibling is born after the referral (a spacing
 * past it puts the birth on the referral's day). Every sibling is a child of their own (their own stream,
 * their own ChildReferred), logged as the eldest's family by a SiblingReferred event right after it.
 *
 * Shared decisions: at each decision (the front door's, the end of an episode below care, the end of a care
 * episode), a sibling deciding at the same instant and from the same state as their eldest's own latest
 * decision follows it with the scenario's chance for that state (`FamiliesModel.follow`): they choose with
 * the eldest's uniform instead of one of their own, so with the same table they go to the same destination,
 * and they take the eldest's stay there (the same time to the next decision) when their law of it is the
 * eldest's. A sibling who comes into care with their eldest is placed with the eldest's placement uniform
 * with the scenario's `placedTogether` chance; a case closed with the eldest's comes back (or not) with the
 * eldest's uniform, after the eldest's delay. Otherwise a sibling draws their own.
 *
 * Each child's own law is unchanged: the eldest's uniform and stay are fresh draws of the same law, taken
 * independently of the sibling's past, whichever way the sibling's coin falls. So means (of entries to care,
 * caseloads, spend) are those of independent children; only the spread widens. A sibling follows the eldest
 * only: once out of step with the eldest (their own draw, an age limit, a full service) they go their own
 * way until the next decision they share by chance. Siblings decide after their eldest at an instant because
 * the eldest's actions are scheduled first (the queue serves ties first scheduled, first served).
 */
import type { FamiliesModel } from "../model/Model.js"
import { choose } from "../model/Tables.js"
import * as D from "../random/Distribution.js"
import type { Children, FamilyState } from "./Children.js"
import type { Output } from "./Output.js"

export class Families {
  private readonly state: FamilyState
  /** Re-referral delays' laws by number (an eldest's closure keeps its law's number, see `reReferral`). */
  private readonly laws = new Map<D.Distribution, number>()
  /** floor(max(spacing.quantile(u * spacing.cdf(room)), 0)), tabulated by whole days (same values). */
  private readonly spacingWithin: (room: number, u: number) => number

  constructor(
    readonly model: FamiliesModel,
    private readonly children: Children,
    private readonly out: Output
  ) {
    this.state = children.families!
    this.spacingWithin = D.wholeDaysWithin(model.spacing)
  }

  /**
   * The younger siblings of `eldest`, referred at t with them (born on `dob`): drawn, added as children and
   * logged. Returns how many (they are children eldest + 1 ... eldest + n).
   */
  referSiblings(eldest: number, t: number, dob: number): number {
    if (dob > t) return 0
    const ch = this.children
    const m = this.model
    const rng = ch.rng(eldest)
    const n = choose(m.size, rng()) - 1
    const last = Math.floor(t)
    let prev = dob
    for (let k = 0; k < n; k++) {
      const room = last - prev
      const born = Math.min(prev + (room > 0 ? this.spacingWithin(room, rng()) : 0), last)
      const c = ch.add()
      ch.setBirth(c, born)
      this.state.family[c] = eldest
      this.out.referred(t, c, born, false)
      this.out.siblingReferred(t, c, eldest)
      prev = born
    }
    return n
  }

  /** The uniform child c chooses a decision at t from `from` with: the eldest's, or the child's own. */
  decide(c: number, t: number, from: number): number {
    const f = this.state
    const ch = this.children
    const rng = ch.rng(c)
    const e = f.family[c]
    if (e === c) {
      const u = rng()
      f.decidedAt[c] = t
      f.decidedFrom[c] = from
      f.decidedU[c] = u
      return u
    }
    if (f.decidedAt[e] === t && f.decidedFrom[e] === from && rng() < this.model.follow[from]) {
      f.followedAt[c] = t
      return f.decidedU[e]
    }
    f.followedAt[c] = -1
    return rng()
  }

  /** The eldest child c follows into a stay at `level` drawn at t, or -1 (then c draws their own). */
  leadOfStay(c: number, t: number, level: number): number {
    const f = this.state
    const e = f.family[c]
    return e !== c && f.followedAt[c] === t && f.stayAt[e] === t && f.stayLevel[e] === level ? e : -1
  }

  /** The stay drawn by an eldest (see `leadOfStay`). */
  stayOf(e: number): number {
    return this.state.stay[e]
  }

  /**
   * Child c's stay at `level` from t (before any intervention's effect), from `law`: the eldest's own stay
   * when c follows them there and `leadLaw` (the eldest's law of it, null: none) is c's; otherwise drawn.
   */
  stay(c: number, t: number, level: number, law: D.Distribution, leadLaw: D.Distribution | null): number {
    const f = this.state
    const e = f.family[c]
    if (e === c) {
      const d = law.sample(this.children.rng(c))
      f.stayAt[c] = t
      f.stayLevel[c] = level
      f.stay[c] = d
      return d
    }
    if (leadLaw === law && this.leadOfStay(c, t, level) >= 0) return f.stay[e]
    return law.sample(this.children.rng(c))
  }

  /** The uniform child c's placement on entering care at t is chosen with (placed with the eldest, or not). */
  placement(c: number, t: number): number {
    const f = this.state
    const rng = this.children.rng(c)
    const e = f.family[c]
    if (e === c) {
      const u = rng()
      f.placedAt[c] = t
      f.placedU[c] = u
      return u
    }
    if (f.followedAt[c] === t && f.placedAt[e] === t && rng() < this.model.placedTogether) return f.placedU[e]
    return rng()
  }

  /** Whether a case closed at t comes back (with chance p), and when (`after`): -1 if it does not. */
  reReferral(c: number, t: number, p: number, after: D.Distribution): number {
    const f = this.state
    const rng = this.children.rng(c)
    const e = f.family[c]
    if (e === c) {
      const u = rng()
      const back = u < p
      const delay = back ? after.sample(rng) : -1
      if (!back) after.skip(rng)
      f.closedAt[c] = t
      f.backU[c] = u
      f.backAfter[c] = delay
      f.backLaw[c] = this.lawNumber(after)
      return delay
    }
    if (f.followedAt[c] === t && f.closedAt[e] === t) {
      const back = f.backU[e] < p
      if (!back) return -1
      return f.backAfter[e] >= 0 && f.backLaw[e] === this.lawNumber(after) ? f.backAfter[e] : after.sample(rng)
    }
    const back = rng() < p
    if (!back) {
      after.skip(rng)
      return -1
    }
    return after.sample(rng)
  }

  private lawNumber(d: D.Distribution): number {
    let k = this.laws.get(d)
    if (k === undefined) {
      k = this.laws.size
      this.laws.set(d, k)
    }
    return k
  }

  /** The family (its eldest's child number) of child c. */
  familyOf(c: number): number {
    return this.state.family[c]
  }
}
