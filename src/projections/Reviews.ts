/**
 * Count targets against what was achieved: for each quota (an intervention's reviews of open cases,
 * src/engine/Reviews.ts), by month, the target the scenario sets, the children eligible at the month's
 * first round, and the reviews by outcome (ended, shortened, unchanged, no place free). Part of the ledger's
 * fold (src/projections/Ledger.ts). The target is the model's; everything else is read off ChildReviewed
 * events, so a replayed log gives the same figures: a round with anyone eligible logs a review (or a
 * `no_place`) for each child it chooses, so a month with a target and no review had nobody eligible.
 */
import type { EventRecord, Names } from "../domain/Event.js"
import { REVIEW_OUTCOMES } from "../domain/Level.js"
import type { QuotaModel } from "../model/Policy.js"

const R = REVIEW_OUTCOMES.length

export interface QuotaMonthly {
  readonly name: string
  /** By month: the quota's target, and the children eligible at the month's first round (0: none). */
  readonly target: Int32Array
  readonly eligible: Int32Array
  /** [month * REVIEW_OUTCOMES + outcome] */
  readonly reviews: Int32Array
}

export interface ReviewTotals {
  readonly quotas: ReadonlyArray<QuotaMonthly>
}

export class ReviewFold {
  private readonly byName = new Map<number, number>()
  private readonly totals: ReviewTotals
  /** Whether the month's first round has been seen, by quota and month. */
  private readonly seen: ReadonlyArray<Uint8Array>

  constructor(months: number, quotas: ReadonlyArray<QuotaModel>, names: Names) {
    quotas.forEach((q, i) => this.byName.set(names.id(q.name), i))
    this.totals = {
      quotas: quotas.map((q) => ({
        name: q.name,
        target: Int32Array.from(q.monthTarget),
        eligible: new Int32Array(months),
        reviews: new Int32Array(months * R)
      }))
    }
    this.seen = quotas.map(() => new Uint8Array(months))
  }

  /** Folds a ChildReviewed record of month m. */
  take(r: EventRecord, m: number): void {
    const i = this.byName.get(r.name)
    if (i === undefined) return
    const q = this.totals.quotas[i]
    if (this.seen[i][m] === 0) {
      this.seen[i][m] = 1
      q.eligible[m] = r.since
    }
    q.reviews[m * R + r.reason]++
  }

  finish(): ReviewTotals {
    return this.totals
  }
}
