/**
 * Counting families instead of children: for each group of cells that counts families (a team whose
 * `counts` is families, src/model/Teams.ts), the children at the month end and the child-days in each month
 * that are a sibling's beyond the first of their family in the group. A family with one or more children in
 * the group's cells counts once: families = children - extra, family-days = child-days - extra days.
 *
 * Part of the ledger's fold (src/projections/Ledger.ts). The SiblingReferred events say who is whose sibling
 * (the state check makes each come right after the sibling's referral, while the whole family waits at the
 * front door, or right after the sibling's opening at the start, at the eldest's level); from then on every
 * event that moves a member of a family says from which cell to which, so the fold keeps only the family's
 * members in each group, for children in families of more than one.
 */
import { EVENT_TAG_INDEX, type EventRecord } from "../domain/Event.js"
import { CELL_COUNT, cellOf, stateIndex } from "../domain/Level.js"

const SIBLING = EVENT_TAG_INDEX.SiblingReferred
const OPEN_AT_START = EVENT_TAG_INDEX.CaseOpenAtStart
const UNIVERSAL = stateIndex.universal

export interface FamilyTotals {
  /** Groups folded (in the order given), and by [month * groups + group]: the extra children at the month end
   * and the extra child-days in the month. */
  readonly groups: number
  readonly monthEndExtra: Int32Array
  readonly extraDays: Float64Array
}

export class FamilyFold {
  private readonly g: number
  /** [cell * groups + group]: 1 if the cell is in the group. */
  private readonly inGroup: Uint8Array
  /** The family (its eldest) of each child in a family of more than one, -1 for the others. */
  private family = new Int32Array(0)
  /** [eldest * groups + group]: the family's children in the group's cells. */
  private members = new Uint8Array(0)
  private readonly extra: Int32Array
  private readonly last: Float64Array
  /** The child last opened at the start, and their cell: a sibling opened at the start is logged right after. */
  private openedChild = -1
  private openedCell = -1
  private readonly totals: FamilyTotals

  constructor(
    months: number,
    private readonly monthEnd: Float64Array,
    groups: ReadonlyArray<ReadonlyArray<number>>
  ) {
    const g = groups.length
    this.g = g
    this.inGroup = new Uint8Array(CELL_COUNT * g)
    groups.forEach((cells, k) => {
      for (const c of cells) this.inGroup[c * g + k] = 1
    })
    this.extra = new Int32Array(g)
    this.last = new Float64Array(g)
    this.totals = { groups: g, monthEndExtra: new Int32Array(months * g), extraDays: new Float64Array(months * g) }
  }

  /** Whether the fold has anything to count (some group counts families). */
  get any(): boolean {
    return this.g > 0
  }

  private room(c: number): void {
    if (c < this.family.length) return
    const n = Math.max(1024, c * 2)
    const family = new Int32Array(n).fill(-1)
    family.set(this.family)
    this.family = family
    const members = new Uint8Array(n * this.g)
    members.set(this.members)
    this.members = members
  }

  private integrate(m: number, k: number, t: number): void {
    this.totals.extraDays[m * this.g + k] += this.extra[k] * (t - this.last[k])
    this.last[k] = t
  }

  /** The family's members in `cell`'s groups change by `by` (1: one joins, -1: one leaves). */
  private add(m: number, t: number, f: number, cell: number, by: number, except: number): void {
    const g = this.g
    for (let k = 0; k < g; k++) {
      if (this.inGroup[cell * g + k] === 0 || (except >= 0 && this.inGroup[except * g + k] === 1)) continue
      const i = f * g + k
      const before = this.members[i]
      this.members[i] = before + by
      // Only the members beyond the family's first count as extra.
      if (by > 0 ? before >= 1 : before >= 2) {
        this.integrate(m, k, t)
        this.extra[k] += by
      }
    }
  }

  /** Folds a record of month m. */
  take(r: EventRecord, m: number): void {
    if (this.g === 0) return
    const c = r.child
    const t = r.time
    if (r.tag === OPEN_AT_START) {
      this.openedChild = c
      this.openedCell = cellOf(r.to, r.toPlacement)
      return
    }
    if (r.tag === SIBLING) {
      const f = r.family
      // A referred family waits at the front door; a family open at the start is where its sibling opened
      // (the state check makes the eldest's level and placement the sibling's).
      const cell = c === this.openedChild ? this.openedCell : UNIVERSAL
      this.room(Math.max(c, f))
      if (this.family[f] < 0) {
        this.family[f] = f
        this.add(m, t, f, cell, 1, -1)
      }
      this.family[c] = f
      this.add(m, t, f, cell, 1, -1)
      return
    }
    if (r.to < 0 || r.from < 0 || c >= this.family.length) return
    const f = this.family[c]
    if (f < 0) return
    const from = cellOf(r.from, r.fromPlacement)
    const to = cellOf(r.to, r.toPlacement)
    if (from === to) return
    this.add(m, t, f, from, -1, to)
    this.add(m, t, f, to, 1, from)
  }

  /** Month m has ended. */
  monthEndOf(m: number): void {
    for (let k = 0; k < this.g; k++) {
      this.integrate(m, k, this.monthEnd[m])
      this.totals.monthEndExtra[m * this.g + k] = this.extra[k]
    }
  }

  finish(): FamilyTotals {
    return this.totals
  }
}
