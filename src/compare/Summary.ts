/**
 * What a comparison reports, computed from its plan and the paired outcomes (sorted by replication, so the
 * figures do not depend on how many workers ran them or in which order they finished).
 *
 * Every difference is a paired one: the mean over replications of (variant - baseline) in the same
 * replication, with a 95% confidence interval of that mean from the t distribution with n - 1 degrees of
 * freedom, mean ± t(0.975, n - 1) x sd / sqrt(n). Money is in pennies here (the report shows pounds), so
 * sums of whole pennies are exact: a difference that is 0 in every replication has mean, interval and
 * standard error exactly 0.
 */
import tQuantile from "@stdlib/stats-base-dists-t-quantile"
import type { OpenLevel } from "../domain/Level.js"
import { type Adjustments, costBenefit, type CostBenefit } from "./CostBenefit.js"
import { type CompareLayout, type PairOutcome, type Snapshot, STOCK_LEVELS } from "./Paired.js"

/** An intervention as the report describes it. */
export interface InterventionInfo {
  readonly arm: "baseline" | "variant"
  readonly name: string
  readonly start: string
  readonly end: string | null
  readonly confidence: number
  readonly optimismBias: number
  readonly deadweight: number
  readonly evidence: string | null
}

export interface ComparePlan {
  readonly baseline: { readonly file: string; readonly name: string }
  readonly variant: { readonly file: string; readonly name: string; readonly seed: number }
  readonly seed: number
  readonly years: number
  readonly runs: number
  readonly layout: CompareLayout
  readonly interventions: ReadonlyArray<InterventionInfo>
  /** --optimism-bias / --deadweight (null: from the variant's interventions, replication by replication). */
  readonly overrides: { readonly optimismBias: number | null; readonly deadweight: number | null }
  readonly discountRate: number
}

/** A mean over replications with its 95% confidence interval (t, n - 1 df) and standard error. */
export interface Estimate {
  readonly mean: number
  readonly lo: number
  readonly hi: number
  readonly se: number
  readonly n: number
}

/** Mean, sd / sqrt(n) and the t interval of the mean; the interval and SE are NaN below 2 values. */
export const estimate = (xs: ReadonlyArray<number>): Estimate => {
  const n = xs.length
  if (n === 0) return { mean: NaN, lo: NaN, hi: NaN, se: NaN, n }
  let sum = 0
  for (const x of xs) sum += x
  const mean = sum / n
  if (n < 2) return { mean, lo: NaN, hi: NaN, se: NaN, n }
  let ss = 0
  for (const x of xs) ss += (x - mean) * (x - mean)
  const se = Math.sqrt(ss / (n - 1) / n)
  const half = se === 0 ? 0 : tQuantile(0.975, n - 1) * se
  return { mean, lo: mean - half, hi: mean + half, se, n }
}

const mean = (xs: ReadonlyArray<number>): number => xs.reduce((a, b) => a + b, 0) / xs.length

/** An arm-by-arm figure: each arm's mean and the paired difference (variant - baseline). */
export interface PairedFigure {
  readonly baseline: number
  readonly variant: number
  readonly difference: Estimate
}

const paired = (
  outcomes: ReadonlyArray<PairOutcome>,
  get: (o: PairOutcome, arm: "baseline" | "variant") => number
): PairedFigure => ({
  baseline: mean(outcomes.map((o) => get(o, "baseline"))),
  variant: mean(outcomes.map((o) => get(o, "variant"))),
  difference: estimate(outcomes.map((o) => get(o, "variant") - get(o, "baseline")))
})

export interface StockFigure extends PairedFigure {
  readonly level: OpenLevel
  readonly snapshot: Snapshot
}

export const stockFigures = (plan: ComparePlan, outcomes: ReadonlyArray<PairOutcome>): Array<StockFigure> => {
  const L = STOCK_LEVELS.length
  return plan.layout.snapshots.flatMap((snapshot, s) =>
    STOCK_LEVELS.map((level, l) => ({ level, snapshot, ...paired(outcomes, (o, arm) => o[arm].stocks[s * L + l]) }))
  )
}

export interface SpendFigure extends PairedFigure {
  readonly financialYear: string
  readonly partYear: boolean
  /** A budget line, or "Total". */
  readonly budgetLine: string
  readonly isTotal: boolean
}

/** Spend by financial year and budget line (then the total), in pennies. */
export const spendFigures = (plan: ComparePlan, outcomes: ReadonlyArray<PairOutcome>): Array<SpendFigure> => {
  const B = plan.layout.budgetLines.length
  return plan.layout.financialYears.flatMap((fy, y) =>
    [...plan.layout.budgetLines, "Total"].map((budgetLine, b) => ({
      financialYear: fy.label,
      partYear: fy.partYear,
      budgetLine,
      isTotal: b === B,
      ...paired(outcomes, (o, arm) => o[arm].spend[y * (B + 1) + b])
    }))
  )
}

/** The adjustments used in one replication: the flags, else the variant's interventions as drawn. */
export const adjustmentsFor = (plan: ComparePlan, o: PairOutcome): Adjustments => ({
  optimismBias: plan.overrides.optimismBias ?? o.optimismBias,
  deadweight: plan.overrides.deadweight ?? o.deadweight
})

/** Each replication's cost-benefit figures (pennies), in replication order. */
export const replicationCostBenefits = (plan: ComparePlan, outcomes: ReadonlyArray<PairOutcome>): Array<CostBenefit> =>
  outcomes.map((o) => costBenefit(o.gross, o.investment, adjustmentsFor(plan, o), o.priceIndex))

/** A cost-benefit measure: its estimate, and each arm's mean where it has one (spend in each arm). */
export interface CbaFigure {
  readonly baseline: number | null
  readonly variant: number | null
  readonly value: Estimate
}

export const CBA_YEAR_MEASURES = [
  "gross_saving",
  "deadweight_deduction",
  "optimism_bias_deduction",
  "adjusted_benefit",
  "investment",
  "net_benefit",
  "discounted_net",
  "cumulative_net"
] as const
export type CbaYearMeasure = (typeof CBA_YEAR_MEASURES)[number]

export interface CbaFigures {
  /** [financial year][measure]. */
  readonly years: ReadonlyArray<Readonly<Record<CbaYearMeasure, CbaFigure>>>
  /** Undiscounted sums over the run (cumulative_net and discounted_net: over all years, so net and NPV). */
  readonly total: Readonly<Record<CbaYearMeasure, CbaFigure>>
  /** Each year's discount factor of cash amounts (the mean over replications, which differ only when the
   * general inflation is uncertain). */
  readonly discount: ReadonlyArray<number>
  readonly npv: Estimate
  readonly presentBenefit: Estimate
  readonly presentInvestment: Estimate
  /** Over the replications with investment (n says how many). */
  readonly roi: Estimate
  /** Replications that pay back within the run, and their share. */
  readonly paidBack: number
  readonly paybackShare: number
  /**
   * The median payback year (index; for an even number of replications the later of the two middle ones),
   * counting a replication that does not pay back as later than the run; null: not within the run, or
   * no replication has any investment.
   */
  readonly medianPaybackYear: number | null
  /** Replications with investment (positive present value of investment); 0 where the mean present value of
   * the investment is not positive (no investment on average: no return or payback is given). */
  readonly invested: number
  /** The adjustments applied, averaged over replications (constant unless they are uncertain). */
  readonly optimismBias: number
  readonly deadweight: number
  readonly adjustmentsVary: boolean
}

const field = (y: CostBenefit["years"][number], m: CbaYearMeasure): number => {
  switch (m) {
    case "gross_saving":
      return y.gross
    case "deadweight_deduction":
      return y.deadweight
    case "optimism_bias_deduction":
      return y.optimismBias
    case "adjusted_benefit":
      return y.benefit
    case "investment":
      return y.investment
    case "net_benefit":
      return y.net
    case "discounted_net":
      return y.presentNet
    case "cumulative_net":
      return y.cumulativeNet
  }
}

const totalField = (c: CostBenefit, m: CbaYearMeasure): number => {
  switch (m) {
    case "gross_saving":
      return c.total.gross
    case "deadweight_deduction":
      return c.total.deadweight
    case "optimism_bias_deduction":
      return c.total.optimismBias
    case "adjusted_benefit":
      return c.total.benefit
    case "investment":
      return c.total.investment
    case "net_benefit":
    case "cumulative_net":
      return c.total.net
    case "discounted_net":
      return c.npv
  }
}

const sumOf = (xs: ReadonlyArray<number>): number => xs.reduce((a, b) => a + b, 0)

export const cbaFigures = (plan: ComparePlan, outcomes: ReadonlyArray<PairOutcome>): CbaFigures => {
  const cbs = replicationCostBenefits(plan, outcomes)
  const n = outcomes.length
  // Each arm's spend where the measure is one: non-intervention spend (gross saving) and intervention spend
  // (investment).
  const arms = (
    m: CbaYearMeasure,
    get: (o: PairOutcome, arm: "baseline" | "variant") => number
  ): Pick<CbaFigure, "baseline" | "variant"> =>
    m === "gross_saving" || m === "investment"
      ? {
          baseline: mean(outcomes.map((o) => get(o, "baseline"))),
          variant: mean(outcomes.map((o) => get(o, "variant")))
        }
      : { baseline: null, variant: null }
  const armValue = (m: CbaYearMeasure, o: PairOutcome, arm: "baseline" | "variant", y: number | null): number => {
    const series = m === "gross_saving" ? o[arm].other : o[arm].intervention
    return y === null ? sumOf(series) : series[y]
  }
  const years = plan.layout.financialYears.map((_, y) => {
    const r = {} as Record<CbaYearMeasure, CbaFigure>
    for (const m of CBA_YEAR_MEASURES)
      r[m] = { ...arms(m, (o, arm) => armValue(m, o, arm, y)), value: estimate(cbs.map((c) => field(c.years[y], m))) }
    return r
  })
  const total = {} as Record<CbaYearMeasure, CbaFigure>
  for (const m of CBA_YEAR_MEASURES)
    total[m] = { ...arms(m, (o, arm) => armValue(m, o, arm, null)), value: estimate(cbs.map((c) => totalField(c, m))) }
  const F = plan.layout.financialYears.length
  const paybacks = cbs.map((c) => c.paybackYear ?? F).sort((a, b) => a - b)
  // A return and a payback need an investment on average: where the variant spends no more on interventions
  // than the baseline over the replications, the few replications that spend more would give a ratio of
  // small sums (a present investment of -£384 printed a return of £16,721 per £1).
  const investsOnAverage = n > 0 && mean(cbs.map((c) => c.presentInvestment)) > 0
  const invested = investsOnAverage ? cbs.filter((c) => c.presentInvestment > 0).length : 0
  const paidBack = cbs.filter((c) => c.paybackYear !== null).length
  const median = n === 0 ? F : paybacks[Math.floor(n / 2)]
  const adj = outcomes.map((o) => adjustmentsFor(plan, o))
  return {
    years,
    total,
    discount: plan.layout.financialYears.map((_, y) => mean(cbs.map((c) => c.years[y].discount))),
    npv: estimate(cbs.map((c) => c.npv)),
    presentBenefit: estimate(cbs.map((c) => c.presentBenefit)),
    presentInvestment: estimate(cbs.map((c) => c.presentInvestment)),
    roi: estimate(investsOnAverage ? cbs.flatMap((c) => (c.roi === null ? [] : [c.roi])) : []),
    paidBack,
    paybackShare: n === 0 ? NaN : paidBack / n,
    medianPaybackYear: invested === 0 || median >= F ? null : median,
    invested,
    optimismBias: mean(adj.map((a) => a.optimismBias)),
    deadweight: mean(adj.map((a) => a.deadweight)),
    adjustmentsVary: adj.some((a) => a.optimismBias !== adj[0].optimismBias || a.deadweight !== adj[0].deadweight)
  }
}

export const discountRateLabel = (rate: number): string => `${(rate * 100).toFixed(1)}% real`
