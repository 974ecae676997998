/**
 * Children's histories: the child protection plans and care episodes each child has had, before the run
 * (drawn for the starting caseload and for new referrals from the scenario's shares of none, one, two or
 * more) and during it (counted as they begin), and what a previous plan or episode changes: the relative
 * risk of a move into child protection (or into care) at each decision, and of a re-referral when a case
 * closes. Kept in two bytes a child (`Children.cpPlans`, `careEpisodes`); a scenario without histories has
 * none of this, and runs as before.
 */
import { stateIndex } from "../domain/Level.js"
import type { HistoryModel, PreviousModel } from "../model/Model.js"
import { choose, type Choice, type Destination } from "../model/Tables.js"
import type { Children } from "./Children.js"
import type { Output } from "./Output.js"

const CHILD_PROTECTION = stateIndex.child_protection
const LOOKED_AFTER = stateIndex.looked_after

/**
 * A destination drawn with one uniform from `c`, with the weights of moves into child protection multiplied
 * by `cpRisk` and into care by `careRisk`, then renormalised (with both 1: `choose`).
 */
export const chooseWithRisk = (c: Choice<Destination>, u: number, cpRisk: number, careRisk: number): Destination => {
  const cum = c.cum
  const items = c.items
  const n = cum.length
  let total = 0
  for (let i = 0; i < n; i++) {
    const to = items[i].to
    const w = cum[i] - (i === 0 ? 0 : cum[i - 1])
    total += w * (to === CHILD_PROTECTION ? cpRisk : to === LOOKED_AFTER ? careRisk : 1)
  }
  if (!(total > 0)) return choose(c, u)
  const target = u * total
  let acc = 0
  // The last row with a weight above 0: what a target that rounding carries past the sum gets (never a row
  // the table or the risks rule out, however small the weights).
  let last = -1
  for (let i = 0; i < n; i++) {
    const to = items[i].to
    const w =
      (cum[i] - (i === 0 ? 0 : cum[i - 1])) * (to === CHILD_PROTECTION ? cpRisk : to === LOOKED_AFTER ? careRisk : 1)
    if (!(w > 0)) continue
    acc += w
    last = i
    if (target < acc) return items[i]
  }
  return items[last]
}

export class Histories {
  constructor(
    readonly model: HistoryModel,
    private readonly children: Children,
    private readonly out: Output
  ) {}

  /**
   * A child's first appearance at t, at `level` (a starting child's plan or care episode in progress counts
   * as one they have had): their history before is drawn from `p` (null: none), and logged when there is one
   * (or the child is a UASC child of the starting caseload).
   */
  begin(c: number, t: number, p: PreviousModel | null, level: number, uasc: boolean): void {
    const ch = this.children
    let cp = 0
    let care = 0
    if (p !== null) {
      const rng = ch.rng(c)
      if (p.cpPlans !== null) cp = choose(p.cpPlans, rng())
      if (p.careEpisodes !== null) care = choose(p.careEpisodes, rng())
    }
    ch.setCpPlans(c, cp + (level === CHILD_PROTECTION ? 1 : 0))
    ch.setCareEpisodes(c, care + (level === LOOKED_AFTER ? 1 : 0))
    if (cp > 0 || care > 0 || uasc) this.out.historyBeforeRun(t, c, cp, care, uasc)
  }

  /** A child moves to `to` from another level: a plan or a care episode begins. */
  entered(c: number, to: number): void {
    const ch = this.children
    if (to === CHILD_PROTECTION) {
      const n = ch.cpPlans(c)
      if (n < 255) ch.setCpPlans(c, n + 1)
    } else if (to === LOOKED_AFTER) {
      const n = ch.careEpisodes(c)
      if (n < 255) ch.setCareEpisodes(c, n + 1)
    }
  }

  /** The decision among `table`'s outcomes for child c, with one uniform. */
  choose(c: number, table: Choice<Destination>, u: number): Destination {
    const ch = this.children
    const cp = ch.cpPlans(c) > 0 ? this.model.cpRisk : 1
    const care = ch.careEpisodes(c) > 0 ? this.model.careRisk : 1
    return cp === 1 && care === 1 ? choose(table, u) : chooseWithRisk(table, u, cp, care)
  }

  /** The chance that child c's closed case is re-referred, given the rule's `p`. */
  reReferral(c: number, p: number): number {
    const ch = this.children
    const cp = ch.cpPlans(c) > 0 ? this.model.cpReReferral : 1
    const care = ch.careEpisodes(c) > 0 ? this.model.careReReferral : 1
    return Math.min(1, p * cp * care)
  }
}
