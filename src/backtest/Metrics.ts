/**
 * How good a forecast was: the measures of a back-test, pure and small enough to check by hand.
 *
 * For each cut-off, measure and horizon (the year ending 31 March `cutoff + h`): the actual figure, the
 * Monte Carlo forecast (its median and its 50% and 90% bands, from the replications' values: quantiles by
 * linear interpolation between order statistics, R's type 7), and two naive forecasts made from the actual
 * figures up to the cut-off only: the last value carried forward, and the least-squares line through the
 * last `NAIVE_TREND_YEARS` years extrapolated (the last value if fewer than two years). Errors are relative
 * to the actual: APE = |forecast - actual| / actual, bias = (forecast - actual) / actual. A summary over
 * cut-offs: MAPE (the mean APE), mean bias, the share of actuals inside each band, and skill = 1 - MAPE of
 * caseflow / MAPE of the naive forecast (above 0: caseflow did better).
 */

export const NAIVE_TREND_YEARS = 5

/** Quantile p of sorted values (type 7). */
export const quantileOf = (sorted: ReadonlyArray<number>, p: number): number => {
  const n = sorted.length
  if (n === 0) return NaN
  const h = (n - 1) * p
  const lo = Math.floor(h)
  const hi = Math.min(n - 1, lo + 1)
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo])
}

/** The last actual value up to the cut-off (null: none). */
export const naiveLast = (actuals: ReadonlyMap<number, number>, cutoff: number): number | null => {
  let best: number | null = null
  let year = -Infinity
  for (const [y, v] of actuals) if (y <= cutoff && y > year) [year, best] = [y, v]
  return best
}

/**
 * The least-squares line through the last `points` actuals up to the cut-off (default NAIVE_TREND_YEARS: a
 * yearly series; a monthly one gives 12 a year), at `year` (a period of the series: a year, or a month).
 * Null with fewer than two actuals: one point makes no trend (it would be the last value scored twice).
 */
export const naiveTrend = (
  actuals: ReadonlyMap<number, number>,
  cutoff: number,
  year: number,
  points: number = NAIVE_TREND_YEARS
): number | null => {
  const pts = [...actuals]
    .filter(([y]) => y <= cutoff)
    .sort((a, b) => a[0] - b[0])
    .slice(-points)
  if (pts.length < 2) return null
  const n = pts.length
  const mx = pts.reduce((a, p) => a + p[0], 0) / n
  const my = pts.reduce((a, p) => a + p[1], 0) / n
  let sxx = 0
  let sxy = 0
  for (const [x, y] of pts) {
    sxx += (x - mx) ** 2
    sxy += (x - mx) * (y - my)
  }
  return Math.max(0, my + (sxx === 0 ? 0 : sxy / sxx) * (year - mx))
}

export interface ForecastRow {
  /** The cut-off: a year ending 31 March (DfE tables), or a day (SSDA903 returns: days since 1970-01-01). */
  readonly cutoff: number
  readonly measure: string
  /** Periods after the cut-off: years (DfE tables) or months (SSDA903 returns). */
  readonly horizon: number
  /** The period forecast: a year ending 31 March, or a month (year * 12 + month - 1, `monthKey`). */
  readonly year: number
  readonly actual: number
  readonly median: number
  readonly p05: number
  readonly p25: number
  readonly p75: number
  readonly p95: number
  /** Null: no published figure up to the cut-off (then no naive forecast either). */
  readonly naiveLast: number | null
  readonly naiveTrend: number | null
}

/** One row from the replications' values (any order) and the actual series (yearly: period = cut-off + horizon). */
export const forecastRow = (
  cutoff: number,
  measure: string,
  horizon: number,
  simulated: ReadonlyArray<number>,
  actuals: ReadonlyMap<number, number>
): ForecastRow | null =>
  forecastAt({
    cutoff,
    measure,
    horizon,
    year: cutoff + horizon,
    simulated,
    actuals,
    last: naiveLast(actuals, cutoff),
    trend: naiveTrend(actuals, cutoff, cutoff + horizon)
  })

/**
 * One row of any series: the period forecast (`year`), the replications' values, the actual series, and the
 * naive forecasts as made from the actuals up to the cut-off. Null: no actual for the period. An actual of 0
 * (a month with no entries to care in a small council) is a forecast like any other, in the bands; it has no
 * percentage error, so MAPE and bias are over the others (`SummaryRow.actualZero` counts it).
 */
export const forecastAt = (o: {
  readonly cutoff: number
  readonly measure: string
  readonly horizon: number
  readonly year: number
  readonly simulated: ReadonlyArray<number>
  readonly actuals: ReadonlyMap<number, number>
  readonly last: number | null
  readonly trend: number | null
}): ForecastRow | null => {
  const { cutoff, measure, horizon, year, simulated, last, trend } = o
  const actual = o.actuals.get(year)
  if (actual === undefined || !(actual >= 0) || simulated.length === 0) return null
  const s = [...simulated].sort((a, b) => a - b)
  return {
    cutoff,
    measure,
    horizon,
    year,
    actual,
    median: quantileOf(s, 0.5),
    p05: quantileOf(s, 0.05),
    p25: quantileOf(s, 0.25),
    p75: quantileOf(s, 0.75),
    p95: quantileOf(s, 0.95),
    naiveLast: last,
    naiveTrend: trend
  }
}

/** The absolute percentage error (as a share); null for an actual of 0, which has none. */
export const ape = (forecast: number, actual: number): number | null =>
  actual > 0 ? Math.abs(forecast - actual) / actual : null
/** The signed error relative to the actual; null for an actual of 0. */
export const bias = (forecast: number, actual: number): number | null =>
  actual > 0 ? (forecast - actual) / actual : null
export const inside = (x: number, lo: number, hi: number): boolean => x >= lo && x <= hi

export interface SummaryRow {
  readonly measure: string
  /** A horizon in years (or months), or null: all horizons. */
  readonly horizon: number | null
  /** With `horizon`, the last horizon of a band of them (horizon to through); null: the one horizon. */
  readonly through: number | null
  readonly forecasts: number
  /** Of `forecasts`, those whose actual was 0: in the bands, not in MAPE, bias or skill (no percentage error). */
  readonly actualZero: number
  /** Over the forecasts with an actual above 0 (null: none has one); so are bias and the naive MAPEs. */
  readonly mapeModel: number | null
  /** Over the forecasts with a naive forecast (null: none has one). */
  readonly mapeLast: number | null
  readonly mapeTrend: number | null
  readonly biasModel: number | null
  readonly coverage50: number
  readonly coverage90: number
  /**
   * 1 - MAPE / MAPE of the naive forecast, both over the forecasts that have a naive forecast (null: none
   * has one, or the naive forecast was exact).
   */
  readonly skillLast: number | null
  readonly skillTrend: number | null
}

const mean = (xs: ReadonlyArray<number>): number => xs.reduce((a, b) => a + b, 0) / xs.length
/** The mean of the errors that exist (null: none does). */
const meanOf = (xs: ReadonlyArray<number | null>): number | null => {
  const present = xs.filter((x): x is number => x !== null)
  return present.length === 0 ? null : mean(present)
}

export const summarise = (
  rows: ReadonlyArray<ForecastRow>,
  measure: string,
  horizon: number | null,
  through: number | null = null
): SummaryRow | null => {
  const last = through ?? horizon
  const rs = rows.filter(
    (r) => r.measure === measure && (horizon === null || (r.horizon >= horizon && r.horizon <= (last ?? horizon)))
  )
  if (rs.length === 0) return null
  const scored = rs.filter((r) => r.actual > 0)
  const mapeModel = meanOf(scored.map((r) => ape(r.median, r.actual)))
  const naive = (of: (r: ForecastRow) => number | null) => {
    const with_ = scored.filter((r) => of(r) !== null)
    if (with_.length === 0) return { mape: null, skill: null }
    const mape = meanOf(with_.map((r) => ape(of(r)!, r.actual)))
    const model = meanOf(with_.map((r) => ape(r.median, r.actual)))
    if (mape === null || model === null) return { mape: null, skill: null }
    return { mape, skill: mape === 0 ? null : 1 - model / mape }
  }
  const lastValue = naive((r) => r.naiveLast)
  const trend = naive((r) => r.naiveTrend)
  return {
    measure,
    horizon,
    through: horizon === null || through === horizon ? null : through,
    forecasts: rs.length,
    actualZero: rs.length - scored.length,
    mapeModel,
    mapeLast: lastValue.mape,
    mapeTrend: trend.mape,
    biasModel: meanOf(scored.map((r) => bias(r.median, r.actual))),
    coverage50: rs.filter((r) => inside(r.actual, r.p25, r.p75)).length / rs.length,
    coverage90: rs.filter((r) => inside(r.actual, r.p05, r.p95)).length / rs.length,
    skillLast: lastValue.skill,
    skillTrend: trend.skill
  }
}

/** The summary rows: each measure by horizon, then over all horizons. */
export const summaryRows = (rows: ReadonlyArray<ForecastRow>, measures: ReadonlyArray<string>): Array<SummaryRow> => {
  const out: Array<SummaryRow> = []
  for (const m of measures) {
    const hs = [...new Set(rows.filter((r) => r.measure === m).map((r) => r.horizon))].sort((a, b) => a - b)
    for (const h of hs) {
      const s = summarise(rows, m, h)
      if (s !== null) out.push(s)
    }
    const all = summarise(rows, m, null)
    if (all !== null && hs.length > 1) out.push(all)
  }
  return out
}

/** Bands of monthly horizons for a printed summary: 1-3, 4-6, 7-12, 13-24, 25-36 months, then by years. */
export const monthBands = (horizons: ReadonlyArray<number>): Array<readonly [number, number]> => {
  const top = Math.max(0, ...horizons)
  const out: Array<readonly [number, number]> = []
  const edges = [0, 3, 6, 12, 24, 36]
  for (let i = 1; i < edges.length && edges[i - 1] < top; i++) out.push([edges[i - 1] + 1, edges[i]])
  for (let lo = 36; lo < top; lo += 12) out.push([lo + 1, lo + 12])
  return out
}

/** The summary rows over bands of horizons (`monthBands`), then over all horizons. */
export const bandedSummaryRows = (
  rows: ReadonlyArray<ForecastRow>,
  measures: ReadonlyArray<string>
): Array<SummaryRow> => {
  const out: Array<SummaryRow> = []
  for (const m of measures) {
    const hs = rows.filter((r) => r.measure === m).map((r) => r.horizon)
    for (const [lo, hi] of monthBands(hs)) {
      const s = summarise(rows, m, lo, hi)
      if (s !== null) out.push(s)
    }
    const all = summarise(rows, m, null)
    if (all !== null) out.push(all)
  }
  return out
}
