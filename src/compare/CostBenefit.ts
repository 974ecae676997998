/**
 * The cost-benefit maths of a paired comparison, as pure functions of one replication's figures by
 * financial year (y = 0 is the run's first financial year). Amounts are in any one unit (the comparison
 * uses pennies, so that sums of whole amounts are exact).
 *
 * Following the HM Treasury Green Book and the GMCA (New Economy) cost-benefit method:
 *   investment        I[y] = the variant's intervention spend - the baseline's
 *   gross saving      G[y] = sum over the other cost lines of (baseline - variant), line by line
 *   deadweight        G[y] x DW                       (what would have happened anyway)
 *   optimism bias     G[y] x (1 - DW) x OB            (by the confidence grade of the evidence)
 *   adjusted benefit  B[y] = G[y] x (1 - DW) x (1 - OB)
 *   net               N[y] = B[y] - I[y]
 *   discount factor   d[y] = D[y] / P[y]: the Green Book's real rates (3.5% a year to year 30, 3.0% to 75,
 *                     2.5% after: D[y]) applied to amounts in real terms, i.e. deflated to year 0's prices
 *                     by the general price index P[y] (the scenario's general inflation, 1 in year 0). The
 *                     amounts stay in cash (each year's prices), as budgets are; only their present value
 *                     is in real terms.
 *   NPV               sum N[y] d[y]
 *   ROI               sum B[y] d[y] / sum I[y] d[y]   (adjusted benefit per pound invested; none without
 *                                                      investment)
 *   payback year      the first y, from the first year with investment, whose cumulative undiscounted net
 *                     sum_{k <= y} N[k] is >= 0 (none: not within the run)
 */

/** The Green Book's discount rate (real, a year) for the first 30 years. */
export const GREEN_BOOK_RATE = 0.035

/**
 * The Green Book's schedule of real discount rates, each with the last year it applies to (the step into
 * year k is discounted at the rate of k): HM Treasury, The Green Book (2022): 3.5% for years 1-30, 3.0% for
 * 31-75, 2.5% for 76-125 (and, here, after).
 */
const SCHEDULE: ReadonlyArray<{ readonly rate: number; readonly through: number }> = [
  { rate: GREEN_BOOK_RATE, through: 30 },
  { rate: 0.03, through: 75 },
  { rate: 0.025, through: Infinity }
]

/** The Green Book's real discount factor of year y (y = 0, the run's first financial year: 1). */
export const discountFactor = (year: number): number => {
  let d = 1
  let from = 0
  for (const { rate, through } of SCHEDULE) {
    d *= Math.pow(1 + rate, -Math.max(0, Math.min(year, through) - from))
    from = through
  }
  return d
}

/** The factor a year's cash amount is discounted by: the real discount factor over the price index. */
export const cashDiscountFactor = (year: number, priceIndex: ArrayLike<number>): number =>
  discountFactor(year) / (year < priceIndex.length ? priceIndex[year] : 1)

/** The optimism-bias and deadweight shares applied to the gross saving. */
export interface Adjustments {
  readonly optimismBias: number
  readonly deadweight: number
}

/**
 * The adjustments for a variant's interventions: the largest optimism bias and the largest deadweight of
 * any of them (the cautious choice when several are combined); none: 0. A flag overrides either.
 */
export const adjustmentsOf = (
  interventions: ReadonlyArray<Adjustments>,
  overrides: { readonly optimismBias?: number | null; readonly deadweight?: number | null } = {}
): Adjustments => ({
  optimismBias: overrides.optimismBias ?? interventions.reduce((m, i) => Math.max(m, i.optimismBias), 0),
  deadweight: overrides.deadweight ?? interventions.reduce((m, i) => Math.max(m, i.deadweight), 0)
})

export interface CostBenefitYear {
  readonly gross: number
  /** Deducted from the gross saving for deadweight: G x DW. */
  readonly deadweight: number
  /** Deducted for optimism bias, after deadweight: G x (1 - DW) x OB. */
  readonly optimismBias: number
  /** G x (1 - DW) x (1 - OB). */
  readonly benefit: number
  readonly investment: number
  /** benefit - investment. */
  readonly net: number
  readonly discount: number
  /** net x discount. */
  readonly presentNet: number
  /** Undiscounted net of this and every earlier year. */
  readonly cumulativeNet: number
}

export interface CostBenefit {
  readonly years: ReadonlyArray<CostBenefitYear>
  /** Undiscounted sums over the years. */
  readonly total: {
    readonly gross: number
    readonly deadweight: number
    readonly optimismBias: number
    readonly benefit: number
    readonly investment: number
    readonly net: number
  }
  /** Present values at the discount rate. */
  readonly presentBenefit: number
  readonly presentInvestment: number
  /** Net present value: presentBenefit - presentInvestment (summed year by year). */
  readonly npv: number
  /** presentBenefit / presentInvestment; null when there is no (positive) investment. */
  readonly roi: number | null
  /** Index of the payback year; null: no investment, or not paid back within the run. */
  readonly paybackYear: number | null
}

/**
 * The first year y, from the first with positive investment, whose cumulative net (from year 0) is >= 0;
 * null if investment never starts or the cumulative net stays negative to the end.
 */
export const paybackYear = (net: ArrayLike<number>, investment: ArrayLike<number>): number | null => {
  let cumulative = 0
  let started = false
  for (let y = 0; y < net.length; y++) {
    cumulative += net[y]
    if (investment[y] > 0) started = true
    if (started && cumulative >= 0) return y
  }
  return null
}

export const costBenefit = (
  gross: ArrayLike<number>,
  investment: ArrayLike<number>,
  adj: Adjustments,
  /** The general price index by year, 1 in year 0 (empty: amounts already in real terms). */
  priceIndex: ArrayLike<number> = []
): CostBenefit => {
  if (gross.length !== investment.length)
    throw new Error("costBenefit: gross saving and investment cover different years")
  const keep = (1 - adj.deadweight) * (1 - adj.optimismBias)
  const years: Array<CostBenefitYear> = []
  const total = { gross: 0, deadweight: 0, optimismBias: 0, benefit: 0, investment: 0, net: 0 }
  let presentBenefit = 0
  let presentInvestment = 0
  let npv = 0
  let cumulativeNet = 0
  for (let y = 0; y < gross.length; y++) {
    const g = gross[y]
    const i = investment[y]
    const benefit = g * keep
    const net = benefit - i
    const d = cashDiscountFactor(y, priceIndex)
    cumulativeNet += net
    const row: CostBenefitYear = {
      gross: g,
      deadweight: g * adj.deadweight,
      optimismBias: g * (1 - adj.deadweight) * adj.optimismBias,
      benefit,
      investment: i,
      net,
      discount: d,
      presentNet: net * d,
      cumulativeNet
    }
    years.push(row)
    total.gross += g
    total.deadweight += row.deadweight
    total.optimismBias += row.optimismBias
    total.benefit += benefit
    total.investment += i
    total.net += net
    presentBenefit += benefit * d
    presentInvestment += i * d
    npv += row.presentNet
  }
  return {
    years,
    total,
    presentBenefit,
    presentInvestment,
    npv,
    roi: presentInvestment > 0 ? presentBenefit / presentInvestment : null,
    paybackYear: paybackYear(
      years.map((r) => r.net),
      investment
    )
  }
}
