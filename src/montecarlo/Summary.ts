/**
 * The running summary of a set of replications: what a Monte Carlo run keeps instead of its replications.
 *
 * For each financial year x budget line (and the total): the count, the exact sum and sum of squares of
 * spend in pennies (BigInt: a sum of squares of £80m in pennies passes 2^53 after one replication), the
 * number of replications over budget and over budget by more than the tolerance, the exact sum of
 * overspend, and a quantile sketch. For each month x level or placement: the exact sum of children and a
 * quantile sketch. Every part merges by addition, so the summary of a set of replications is the same
 * however they were split between workers or shards and in whatever order they finished.
 *
 * When the scenario has uncertain parameters, each replication's parameter values and total spend by
 * financial year are also kept (a few numbers per replication, sorted by replication when read), for the
 * sensitivity analysis. Everything else is flat in the number of replications.
 *
 * Mutable inside (it is a fold), read through `toData` and the accessors.
 */
import * as Schema from "effect/Schema"
import { QuantileSketch } from "./QuantileSketch.js"
import type { ArmOutcome } from "../replication/Replication.js"

/** One replication of the scenario, as the summary reads it. */
export type Replicate = Pick<ArmOutcome, "spend" | "stocks" | "draws"> & { readonly replication: number }

/** The shape of a summary: sizes and the budgets spend is compared against. */
export interface SummaryShape {
  readonly financialYears: number
  readonly budgetLines: number
  /** Stock rows x columns: (months + 1) x stock rows. */
  readonly stockCells: number
  /** Budget in pennies for each spend cell, [fy * (budgetLines + 1) + line]; null where there is none. */
  readonly budgets: ReadonlyArray<number | null>
  readonly tolerance: number
  readonly parameters: number
}

export interface ReplicationRecord {
  readonly replication: number
  readonly draws: ReadonlyArray<number>
  /** Total spend in pennies by financial year. */
  readonly totals: ReadonlyArray<number>
}

class SpendCell {
  sum = 0n
  sumSq = 0n
  over = 0
  overTolerance = 0
  overspend = 0n
  readonly sketch = new QuantileSketch()
}
class StockCell {
  sum = 0
  readonly sketch = new QuantileSketch()
}

const SketchData = Schema.Struct({
  min: Schema.NullOr(Schema.Number),
  max: Schema.NullOr(Schema.Number),
  zero: Schema.Number,
  positive: Schema.Array(Schema.Tuple(Schema.Number, Schema.Number)),
  negative: Schema.Array(Schema.Tuple(Schema.Number, Schema.Number))
})
const BigIntText = Schema.String.pipe(Schema.pattern(/^-?\d+$/))

/** A summary as JSON data (BigInts as decimal strings, sketch buckets sorted). */
export const SummaryData = Schema.Struct({
  replications: Schema.Number,
  spend: Schema.Array(
    Schema.Struct({
      sum: BigIntText,
      sumSq: BigIntText,
      over: Schema.Number,
      overTolerance: Schema.Number,
      overspend: BigIntText,
      sketch: SketchData
    })
  ),
  stocks: Schema.Array(Schema.Struct({ sum: Schema.Number, sketch: SketchData })),
  records: Schema.Array(
    Schema.Struct({
      replication: Schema.Number,
      draws: Schema.Array(Schema.Number),
      totals: Schema.Array(Schema.Number)
    })
  )
})
export type SummaryData = typeof SummaryData.Type

export class MonteCarloSummary {
  private n = 0
  private readonly spend: Array<SpendCell>
  private readonly stocks: Array<StockCell>
  private readonly records: Array<ReplicationRecord> = []
  private readonly thresholds: Array<number | null>

  constructor(readonly shape: SummaryShape) {
    const cells = shape.financialYears * (shape.budgetLines + 1)
    this.spend = Array.from({ length: cells }, () => new SpendCell())
    this.stocks = Array.from({ length: shape.stockCells }, () => new StockCell())
    // Over budget by more than the tolerance: above budget + |budget| x tolerance.
    this.thresholds = shape.budgets.map((b) => (b === null ? null : b + Math.abs(b) * shape.tolerance))
  }

  get replications(): number {
    return this.n
  }

  /** Folds one replication in. */
  add(o: Replicate): void {
    const s = this.shape
    if (
      o.spend.length !== this.spend.length ||
      o.stocks.length !== this.stocks.length ||
      o.draws.length !== s.parameters
    )
      throw new Error(`replication ${o.replication} does not have the shape of this run`)
    this.n++
    for (let i = 0; i < this.spend.length; i++) {
      const x = o.spend[i]
      const c = this.spend[i]
      const big = BigInt(x)
      c.sum += big
      c.sumSq += big * big
      c.sketch.add(x)
      const budget = s.budgets[i]
      if (budget !== null) {
        if (x > budget) {
          c.over++
          c.overspend += big - BigInt(budget)
        }
        if (x > this.thresholds[i]!) c.overTolerance++
      }
    }
    for (let i = 0; i < this.stocks.length; i++) {
      const c = this.stocks[i]
      c.sum += o.stocks[i]
      c.sketch.add(o.stocks[i])
    }
    if (s.parameters > 0) {
      const b = s.budgetLines
      const totals: Array<number> = []
      for (let f = 0; f < s.financialYears; f++) totals.push(o.spend[f * (b + 1) + b])
      this.records.push({ replication: o.replication, draws: o.draws, totals })
    }
  }

  /** Adds another summary of the same shape (other replications) into this one. */
  merge(other: MonteCarloSummary): void {
    this.n += other.n
    other.spend.forEach((o, i) => {
      const c = this.spend[i]
      c.sum += o.sum
      c.sumSq += o.sumSq
      c.over += o.over
      c.overTolerance += o.overTolerance
      c.overspend += o.overspend
      c.sketch.merge(o.sketch)
    })
    other.stocks.forEach((o, i) => {
      this.stocks[i].sum += o.sum
      this.stocks[i].sketch.merge(o.sketch)
    })
    this.records.push(...other.records)
  }

  // -------------------------------------------------------------------------------------------------------
  // Reading

  spendCell(i: number): {
    readonly sum: bigint
    readonly sumSq: bigint
    readonly over: number
    readonly overTolerance: number
    readonly overspend: bigint
    readonly sketch: QuantileSketch
  } {
    return this.spend[i]
  }

  stockCell(i: number): { readonly sum: number; readonly sketch: QuantileSketch } {
    return this.stocks[i]
  }

  /** The kept per-replication records, sorted by replication. */
  sortedRecords(): ReadonlyArray<ReplicationRecord> {
    return [...this.records].sort((a, b) => a.replication - b.replication)
  }

  toData(): SummaryData {
    return {
      replications: this.n,
      spend: this.spend.map((c) => ({
        sum: c.sum.toString(),
        sumSq: c.sumSq.toString(),
        over: c.over,
        overTolerance: c.overTolerance,
        overspend: c.overspend.toString(),
        sketch: c.sketch.toData()
      })),
      stocks: this.stocks.map((c) => ({ sum: c.sum, sketch: c.sketch.toData() })),
      records: this.sortedRecords()
    }
  }

  static fromData(shape: SummaryShape, d: SummaryData): MonteCarloSummary {
    const s = new MonteCarloSummary(shape)
    if (d.spend.length !== s.spend.length || d.stocks.length !== s.stocks.length)
      throw new Error("summary data does not have the shape of this run")
    s.n = d.replications
    d.spend.forEach((x, i) => {
      const c = s.spend[i]
      c.sum = BigInt(x.sum)
      c.sumSq = BigInt(x.sumSq)
      c.over = x.over
      c.overTolerance = x.overTolerance
      c.overspend = BigInt(x.overspend)
      c.sketch.merge(QuantileSketch.fromData(x.sketch))
    })
    d.stocks.forEach((x, i) => {
      s.stocks[i].sum = x.sum
      s.stocks[i].sketch.merge(QuantileSketch.fromData(x.sketch))
    })
    s.records.push(...d.records)
    return s
  }
}
