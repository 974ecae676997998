/**
 * Unaccompanied asylum-seeking children (UASC) apart, as DfE shows them: children in care and care leavers
 * at each month end, starts of care, leaving care and becoming care leavers, and child-days in care and as
 * care leavers (what UASC's own cost lines and grants are paid on). Part of the ledger's fold
 * (src/projections/Ledger.ts) for a scenario with UASC.
 *
 * A child is a UASC child from their entry into care by the UASC route (`uasc.via`) for the rest of the run,
 * or from the start for a starting group of UASC (`startingCaseload[].uasc`, logged by HistoryBeforeRun);
 * this fold keeps that per child (one byte a child), and where each UASC child is.
 */
import { EVENT_TAG_INDEX, type EventRecord } from "../domain/Event.js"
import { stateIndex } from "../domain/Level.js"

const BECAME_LOOKED_AFTER = EVENT_TAG_INDEX.ChildBecameLookedAfter
const LEFT_CARE = EVENT_TAG_INDEX.ChildLeftCare
const SUPPORT_ENDED = EVENT_TAG_INDEX.CareLeaverSupportEnded
const OPEN_AT_START = EVENT_TAG_INDEX.CaseOpenAtStart
const HISTORY = EVENT_TAG_INDEX.HistoryBeforeRun
const LOOKED_AFTER = stateIndex.looked_after
const CARE_LEAVER = stateIndex.care_leaver
/** What the fold keeps per child: not UASC, or UASC in care, as a care leaver, elsewhere. */
const NOT = 0
const IN_CARE = 1
const LEAVER = 2
const ELSEWHERE = 3

export interface UascTotals {
  /** By month: UASC in care and care leavers at the month end. */
  readonly inCare: Int32Array
  readonly careLeavers: Int32Array
  /** By month: starts of care, episodes ended, and care leavers' support begun. */
  readonly started: Int32Array
  readonly leftCare: Int32Array
  readonly becameCareLeavers: Int32Array
  /** By month: child-days in care and as care leavers. */
  readonly daysInCare: Float64Array
  readonly daysAsCareLeavers: Float64Array
}

export class UascFold {
  private where = new Uint8Array(1024)
  private readonly count = [0, 0, 0]
  private readonly last = new Float64Array(3)
  private readonly totals: UascTotals
  /** The last child of the opening caseload, and their level (a UASC flag follows the child's first line). */
  private openedChild = -1
  private openedLevel = -1

  /** `route`: the UASC route's number in the ledger's names. */
  constructor(
    months: number,
    private readonly route: number,
    private readonly monthEnd: Float64Array
  ) {
    this.totals = {
      inCare: new Int32Array(months),
      careLeavers: new Int32Array(months),
      started: new Int32Array(months),
      leftCare: new Int32Array(months),
      becameCareLeavers: new Int32Array(months),
      daysInCare: new Float64Array(months),
      daysAsCareLeavers: new Float64Array(months)
    }
  }

  /** Child-days up to t in month m, for the children at k (in care, a care leaver). */
  private integrate(k: number, m: number, t: number): void {
    const days = k === IN_CARE ? this.totals.daysInCare : this.totals.daysAsCareLeavers
    days[m] += this.count[k] * (t - this.last[k])
    this.last[k] = t
  }

  private moveTo(c: number, k: number, m: number, t: number): void {
    const from = this.where[c]
    if (from === IN_CARE || from === LEAVER) {
      this.integrate(from, m, t)
      this.count[from]--
    }
    if (k === IN_CARE || k === LEAVER) {
      this.integrate(k, m, t)
      this.count[k]++
    }
    this.where[c] = k
  }

  /** Folds a record in month m. */
  take(r: EventRecord, m: number): void {
    const c = r.child
    const tag = r.tag
    if (tag === OPEN_AT_START) {
      this.openedChild = c
      this.openedLevel = r.to
      return
    }
    if (tag === BECAME_LOOKED_AFTER || tag === HISTORY) {
      if (c >= this.where.length) {
        const grown = new Uint8Array(Math.max(c + 1, this.where.length * 2))
        grown.set(this.where)
        this.where = grown
      }
      if (tag === HISTORY) {
        // A UASC child of the starting caseload: in care or a care leaver from the start (not a start of care).
        const level = this.openedLevel
        if (r.uasc === 1 && c === this.openedChild && (level === LOOKED_AFTER || level === CARE_LEAVER))
          this.moveTo(c, level === LOOKED_AFTER ? IN_CARE : LEAVER, m, r.time)
        return
      }
      if (this.where[c] === NOT && r.name !== this.route) return
      this.moveTo(c, IN_CARE, m, r.time)
      this.totals.started[m]++
      return
    }
    if (c >= this.where.length || this.where[c] === NOT) return
    if (tag === LEFT_CARE) {
      this.totals.leftCare[m]++
      if (r.to === CARE_LEAVER) this.totals.becameCareLeavers[m]++
      this.moveTo(c, r.to === CARE_LEAVER ? LEAVER : ELSEWHERE, m, r.time)
    } else if (tag === SUPPORT_ENDED) this.moveTo(c, ELSEWHERE, m, r.time)
  }

  /** Month m has ended. */
  monthEndOf(m: number): void {
    const end = this.monthEnd[m]
    this.integrate(IN_CARE, m, end)
    this.integrate(LEAVER, m, end)
    this.totals.inCare[m] = this.count[IN_CARE]
    this.totals.careLeavers[m] = this.count[LEAVER]
  }

  finish(): UascTotals {
    return this.totals
  }
}
