/**
 * Looked-after children by legal status (SSDA903 codes): the stock in each status at the start and at each
 * month end, the statuses children come into care with, the changes between statuses, and the status
 * children leave care in, by reason. Part of the ledger's fold (src/projections/Ledger.ts), for runs of
 * scenarios that model legal status.
 *
 * LegalStatusChanged events say the status a child goes from and to; a child leaving care (ChildLeftCare)
 * leaves the status they were in, which this fold keeps per child (one byte a child).
 */
import { EVENT_TAG_INDEX, type EventRecord } from "../domain/Event.js"
import { LEFT_CARE_REASONS, LEGAL_STATUSES } from "../domain/Level.js"

const LS = LEGAL_STATUSES.length
const LC = LEFT_CARE_REASONS.length
const STATUS_CHANGED = EVENT_TAG_INDEX.LegalStatusChanged
const LEFT_CARE = EVENT_TAG_INDEX.ChildLeftCare

export interface LegalStatusTotals {
  /** [status]: looked-after children in each status at the start. */
  readonly openingStock: Int32Array
  /** [month * LS + status] */
  readonly monthEndStock: Int32Array
  /** [month * LS + status]: children coming into care with each status (the starting caseload not counted). */
  readonly entries: Int32Array
  /** [month * LS * LS + from * LS + to] */
  readonly changes: Int32Array
  /** [month * LS * LEFT_CARE_REASONS + status * LEFT_CARE_REASONS + reason]: leaving care, by the status held. */
  readonly leftCare: Int32Array
  /** [month * LS + status]: child-days in each status (what weekly costs by legal status are paid on). */
  readonly days: Float64Array
}

export class LegalStatusFold {
  private status = new Int8Array(1024).fill(-1)
  private readonly count = new Int32Array(LS)
  private readonly openingStock = new Int32Array(LS)
  private readonly monthEndStock: Int32Array
  private readonly entries: Int32Array
  private readonly changes: Int32Array
  private readonly leftCare: Int32Array
  private readonly days: Float64Array
  /** When each status's child-days were last added up to. */
  private readonly last = new Float64Array(LS)

  constructor(months: number) {
    this.days = new Float64Array(months * LS)
    this.monthEndStock = new Int32Array(months * LS)
    this.entries = new Int32Array(months * LS)
    this.changes = new Int32Array(months * LS * LS)
    this.leftCare = new Int32Array(months * LS * LC)
  }

  /** Folds a record in month m (`opened`: the opening caseload is complete). */
  take(r: EventRecord, m: number, opened: boolean): void {
    const c = r.child
    if (r.tag === STATUS_CHANGED) {
      if (c >= this.status.length) {
        const grown = new Int8Array(Math.max(c + 1, this.status.length * 2)).fill(-1)
        grown.set(this.status)
        this.status = grown
      }
      const from = r.fromStatus
      const to = r.status
      if (from >= 0) this.integrate(from, m, r.time)
      this.integrate(to, m, r.time)
      if (from >= 0) {
        this.count[from]--
        this.changes[m * LS * LS + from * LS + to]++
      } else if (opened) this.entries[m * LS + to]++
      this.count[to]++
      this.status[c] = to
    } else if (r.tag === LEFT_CARE && c < this.status.length) {
      const s = this.status[c]
      if (s < 0) return
      this.integrate(s, m, r.time)
      this.count[s]--
      this.status[c] = -1
      this.leftCare[m * LS * LC + s * LC + r.reason]++
    }
  }

  /** Child-days in status s up to t, in month m. */
  private integrate(s: number, m: number, t: number): void {
    this.days[m * LS + s] += this.count[s] * (t - this.last[s])
    this.last[s] = t
  }

  /** The opening caseload is complete. */
  open(): void {
    this.openingStock.set(this.count)
  }

  /** Month m has ended. */
  monthEnd(m: number, end: number): void {
    for (let s = 0; s < LS; s++) this.integrate(s, m, end)
    this.monthEndStock.set(this.count, m * LS)
  }

  finish(): LegalStatusTotals {
    return {
      openingStock: this.openingStock,
      monthEndStock: this.monthEndStock,
      entries: this.entries,
      changes: this.changes,
      leftCare: this.leftCare,
      days: this.days
    }
  }
}
