/**
 * One paired replication: both arms of replication r (run by `replication/` on the same streams,
 * `makeStreams(seed, r)`: common random numbers) and what the comparison keeps of them.
 *
 * Per arm, small and fixed in size (plain numbers, so it crosses a worker boundary as it is):
 * - children at each snapshot (the opening caseload, each 31 March, and the last month end if the run does
 *   not end on a 31 March), by open level (looked after = the sum of the placement cells);
 * - spend in whole pennies by financial year and budget line (the union of both arms' budget lines, the
 *   baseline's first) and the total;
 * - the intervention-tagged and the other spend by financial year, in pennies.
 * And for the pair, line by line: the gross saving (baseline - variant over the cost lines that belong to
 * no intervention) and the investment (variant - baseline over intervention lines), by financial year.
 *
 * Every cost line's spend in a financial year is rounded to the penny once, and everything else is an
 * integer sum of those: so the comparison's sums are exact, a line identical in both arms contributes
 * exactly 0, and the change in total spend is exactly investment - gross saving.
 */
import * as Schema from "effect/Schema"
import { OPEN_LEVELS, type OpenLevel } from "../domain/Level.js"
import type { Model } from "../model/Model.js"
import { financialYearOf, isPartYear, yearCoverage } from "../report/Budget.js"
import { type ArmOutcome, type LineSpend, type ReplicationOutcome, STOCK_ROWS } from "../replication/Replication.js"
import { adjustmentsOf } from "./CostBenefit.js"

/** The levels compared at each snapshot (the report leads with looked after and child protection). */
export const STOCK_LEVELS: ReadonlyArray<OpenLevel> = OPEN_LEVELS

export interface Snapshot {
  readonly date: string
  /** Month index in the run; -1 is the opening caseload. */
  readonly month: number
  /** The opening caseload (the day before the start), a 31 March in the run, or the run's last month end. */
  readonly kind: "opening" | "year_end" | "end_of_run"
  /** The financial year the date falls in (the opening caseload's: the year before the run's first). */
  readonly financialYear: string
}

/** The shape shared by both arms: calendar, snapshots and budget lines. */
export interface CompareLayout {
  readonly startDate: string
  /** Last day simulated. */
  readonly endDate: string
  /** Each financial year, with the days of it the run covers of the whole year's. */
  readonly financialYears: ReadonlyArray<{
    readonly label: string
    readonly partYear: boolean
    readonly days: number
    readonly yearDays: number
  }>
  readonly snapshots: ReadonlyArray<Snapshot>
  /** Both arms' budget lines, the baseline's first, then any only the variant has. */
  readonly budgetLines: ReadonlyArray<string>
}

export const compareLayout = (baseline: Model, variant: Model): CompareLayout => {
  const cal = baseline.calendar
  const opening = cal.dateOf(-1)
  const snapshots: Array<Snapshot> = [
    { date: opening, month: -1, kind: "opening", financialYear: financialYearOf(opening) }
  ]
  cal.months.forEach((m, i) => {
    const yearEnd = m.endDate.endsWith("-03-31")
    if (yearEnd || i === cal.months.length - 1)
      snapshots.push({
        date: m.endDate,
        month: i,
        kind: yearEnd ? "year_end" : "end_of_run",
        financialYear: cal.financialYears[m.fy].label
      })
  })
  const budgetLines = [...baseline.costs.budgetLines]
  for (const b of variant.costs.budgetLines) if (!budgetLines.includes(b)) budgetLines.push(b)
  return {
    startDate: cal.startDate,
    endDate: cal.dateOf(cal.horizon - 1),
    financialYears: yearCoverage(cal).map((c) => ({
      label: c.label,
      partYear: isPartYear(c),
      days: c.days,
      yearDays: c.yearDays
    })),
    snapshots,
    budgetLines
  }
}

/** Lines by key (lines with the same key, if any, added together). */
const byKey = (
  lines: ReadonlyArray<LineSpend>,
  F: number,
  keep: (l: LineSpend) => boolean
): Map<string, Array<number>> => {
  const out = new Map<string, Array<number>>()
  for (const l of lines) {
    if (!keep(l)) continue
    const acc = out.get(l.key) ?? new Array<number>(F).fill(0)
    l.byFy.forEach((p, y) => (acc[y] += p))
    out.set(l.key, acc)
  }
  return out
}

/**
 * Gross saving by financial year: over the cost lines of either arm that belong to no intervention,
 * line by line, baseline - variant (a line only one arm has counts 0 in the other).
 */
export const grossSaving = (
  baseline: ReadonlyArray<LineSpend>,
  variant: ReadonlyArray<LineSpend>,
  F: number
): Array<number> => {
  const b = byKey(baseline, F, (l) => l.intervention === null)
  const v = byKey(variant, F, (l) => l.intervention === null)
  const out = new Array<number>(F).fill(0)
  const zero = new Array<number>(F).fill(0)
  for (const key of new Set([...b.keys(), ...v.keys()])) {
    const x = b.get(key) ?? zero
    const z = v.get(key) ?? zero
    for (let y = 0; y < F; y++) out[y] += x[y] - z[y]
  }
  return out
}

/** Intervention-tagged spend by financial year. */
export const interventionSpend = (lines: ReadonlyArray<LineSpend>, F: number): Array<number> => {
  const out = new Array<number>(F).fill(0)
  for (const l of lines) if (l.intervention !== null) l.byFy.forEach((p, y) => (out[y] += p))
  return out
}

/** Investment by financial year: the variant's intervention spend - the baseline's. */
export const investment = (
  baseline: ReadonlyArray<LineSpend>,
  variant: ReadonlyArray<LineSpend>,
  F: number
): Array<number> => {
  const b = interventionSpend(baseline, F)
  const v = interventionSpend(variant, F)
  return v.map((x, y) => x - b[y])
}

export interface ArmMetrics {
  /** Children, [snapshot * STOCK_LEVELS + level]. */
  readonly stocks: ReadonlyArray<number>
  /** Pennies, [fy * (budgetLines + 1) + line]; line = budgetLines is the total. */
  readonly spend: ReadonlyArray<number>
  /** Intervention-tagged spend by financial year, pennies. */
  readonly intervention: ReadonlyArray<number>
  /** All other spend by financial year, pennies. */
  readonly other: ReadonlyArray<number>
  /** Children who started each of the arm's interventions over the run, in the scenario's order. */
  readonly started: ReadonlyArray<number>
  /** The arm's quotas by intervention name: by financial year, [fy * 4 + k] (target, reviewed, ended, shortened). */
  readonly quotas: ReadonlyArray<{ readonly name: string; readonly byFy: ReadonlyArray<number> }>
}

export const armMetrics = (layout: CompareLayout, arm: ArmOutcome): ArmMetrics => {
  const F = layout.financialYears.length
  const B = layout.budgetLines.length
  const stocks: Array<number> = []
  // The arm's stock rows: the opening caseload, then each month end; the open levels come first.
  for (const s of layout.snapshots)
    for (let k = 0; k < STOCK_LEVELS.length; k++) stocks.push(arm.stocks[(s.month + 1) * STOCK_ROWS.length + k])
  const spend = new Array<number>(F * (B + 1)).fill(0)
  const other = new Array<number>(F).fill(0)
  for (const l of arm.lines) {
    const b = layout.budgetLines.indexOf(l.budgetLine)
    l.byFy.forEach((p, y) => {
      spend[y * (B + 1) + b] += p
      spend[y * (B + 1) + B] += p
      if (l.intervention === null) other[y] += p
    })
  }
  const started = arm.interventions.map((i) => i.started)
  const quotas = arm.interventions.flatMap((i) => (i.reviews.length > 0 ? [{ name: i.name, byFy: i.reviews }] : []))
  return { stocks, spend, intervention: interventionSpend(arm.lines, F), other, started, quotas }
}

/** What one paired replication hands back. */
export interface PairOutcome {
  readonly replication: number
  readonly baseline: ArmMetrics
  readonly variant: ArmMetrics
  /** Pennies by financial year, line by line (see `grossSaving`). */
  readonly gross: ReadonlyArray<number>
  /** Pennies by financial year (see `investment`). */
  readonly investment: ReadonlyArray<number>
  /** The baseline's general price index by financial year (1 in the first; empty: none kept). */
  readonly priceIndex: ReadonlyArray<number>
  /** The variant's adjustments as drawn for this replication (they can be uncertain parameters). */
  readonly optimismBias: number
  readonly deadweight: number
}

const ArmMetricsSchema = Schema.Struct({
  stocks: Schema.Array(Schema.Number),
  spend: Schema.Array(Schema.Number),
  intervention: Schema.Array(Schema.Number),
  other: Schema.Array(Schema.Number),
  started: Schema.Array(Schema.Number),
  quotas: Schema.optionalWith(Schema.Array(Schema.Struct({ name: Schema.String, byFy: Schema.Array(Schema.Number) })), {
    default: () => []
  })
})

export const PairOutcomeSchema = Schema.Struct({
  replication: Schema.Number,
  baseline: ArmMetricsSchema,
  variant: ArmMetricsSchema,
  gross: Schema.Array(Schema.Number),
  investment: Schema.Array(Schema.Number),
  priceIndex: Schema.optionalWith(Schema.Array(Schema.Number), { default: () => [] }),
  optimismBias: Schema.Number,
  deadweight: Schema.Number
})

/** Metrics of both arms of a pair from their outcomes. */
export const pairOf = (layout: CompareLayout, outcome: ReplicationOutcome): PairOutcome => {
  const F = layout.financialYears.length
  const [baseline, variant] = outcome.arms
  const adj = adjustmentsOf(variant.interventions)
  return {
    replication: outcome.replication,
    baseline: armMetrics(layout, baseline),
    variant: armMetrics(layout, variant),
    gross: grossSaving(baseline.lines, variant.lines, F),
    investment: investment(baseline.lines, variant.lines, F),
    priceIndex: baseline.priceIndex,
    optimismBias: adj.optimismBias,
    deadweight: adj.deadweight
  }
}
