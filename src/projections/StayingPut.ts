/**
 * Staying put (care leavers living on with their former foster carers after 18): arrangements at each month
 * end, begun (by the foster placement) and ended (by reason) in each month, and their days, which the
 * staying-put cost lines are paid on. Part of the ledger's fold (src/projections/Ledger.ts); the events say
 * when each arrangement begins and ends, so no per-child state is kept.
 */
import { EVENT_TAG_INDEX, type EventRecord } from "../domain/Event.js"
import { PLACEMENTS, STAYING_PUT_END_REASONS } from "../domain/Level.js"

const BEGAN = EVENT_TAG_INDEX.StayingPutBegan
const ENDED = EVENT_TAG_INDEX.StayingPutEnded
const P = PLACEMENTS.length
const R = STAYING_PUT_END_REASONS.length

export interface StayingPutTotals {
  /** By month: arrangements at the month end, and their days in the month. */
  readonly atMonthEnd: Int32Array
  readonly days: Float64Array
  /** [month * PLACEMENTS + placement]: begun, by the foster placement the care leaver stays in. */
  readonly began: Int32Array
  /** [month * STAYING_PUT_END_REASONS + reason] */
  readonly ended: Int32Array
}

export class StayingPutFold {
  private count = 0
  /** When child-days were last added up to (-0: a double from the start, as the times it takes). */
  private last = -0
  private readonly totals: StayingPutTotals

  constructor(
    months: number,
    private readonly monthEnd: Float64Array
  ) {
    this.totals = {
      atMonthEnd: new Int32Array(months),
      days: new Float64Array(months),
      began: new Int32Array(months * P),
      ended: new Int32Array(months * R)
    }
  }

  private integrate(m: number, t: number): void {
    this.totals.days[m] += this.count * (t - this.last)
    this.last = t
  }

  /** Folds a record of month m (StayingPutBegan or StayingPutEnded). */
  take(r: EventRecord, m: number): void {
    this.integrate(m, r.time)
    if (r.tag === BEGAN) {
      this.count++
      this.totals.began[m * P + r.fromPlacement]++
    } else if (r.tag === ENDED) {
      this.count--
      this.totals.ended[m * R + r.reason]++
    }
  }

  /** Month m has ended. */
  monthEndOf(m: number): void {
    this.integrate(m, this.monthEnd[m])
    this.totals.atMonthEnd[m] = this.count
  }

  finish(): StayingPutTotals {
    return this.totals
  }
}
