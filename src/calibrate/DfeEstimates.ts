/**
 * Estimates for one council from DfE's yearly tables (see DfeTables.ts), as of the year ending 31 March
 * `to`: what the tables say about the levels without child-level data. Pure.
 *
 * Stocks are the 31 March figures of `to`. Flows and the shares and durations worked out from them are
 * pooled over the last `POOL` years up to `to` (a ratio of sums, so a small council's noisy year weighs what
 * its counts weigh; a suppressed count, 1 to 5, is taken as 3 and its bounds widen the interval). With
 * `trend: "linear"` a rate also gets a yearly trend: the least-squares line through
 * the last `TREND_YEARS` years up to `to`, as a share of the line's value at `to`; with `trend: "none"`,
 * none (the pooled level carried on).
 *
 *   referral rate          referrals / 0-17 population x 10,000 (DfE's denominator: the year ending 31
 *                          March Y uses the mid-(Y-1) estimate); new referrals = referrals - re-referrals
 *   front-door shares      no further action and assessed not in need, as shares of referrals (C1); the rest
 *                          are children in need
 *   mean durations         Little's law, stock = entries x mean time: CP plans = CP at 31 March / plans
 *                          started (D5, D3); CIN episodes = CIN at 31 March / CIN episodes started (B1); care
 *                          = looked after at 31 March / children starting (CLA), where the tables give it
 *   CP duration shape      a gamma law with the Little's-law mean whose shape makes the plans open at 31
 *                          March last as long as D5 says: under a steady state the time a plan in progress has
 *                          lasted has the equilibrium law G(x) = E[min(D, x)] / E[D]; the shape is the one
 *                          whose G best fits D5's five bands (least squares)
 *   repeat plans           second or subsequent plans / plans started (D3)
 *
 * 95% intervals: a count is Poisson (a rate's interval is its count's, scaled); a share is Wilson's; a
 * Little's-law mean is the ratio of two Poisson counts (log scale: var = 1/stock + 1/entries); a trend is the
 * least-squares slope's t interval. Observations: the counts the estimate is made of.
 */
import gammaCdf from "@stdlib/stats-base-dists-gamma-cdf"
import tQuantile from "@stdlib/stats-base-dists-t-quantile"
import { lacMargins, type MixMargin } from "./DfeMix.js"
import {
  countIn,
  type CouncilTables,
  SUPPRESSED_COUNT,
  TABLE_INFO,
  type TableKind,
  valueIn,
  yearsOf
} from "./DfeTables.js"
import type { Estimate } from "./Estimates.js"

export type Trend = "none" | "linear"

/** Years pooled for flows and ratios. */
export const POOL = 3
/** Years a linear trend is fitted over. */
export const TREND_YEARS = 5
/** The largest yearly trend used in a scenario (a few noisy years can suggest more). */
export const MAX_TREND = 0.15

const Z = 1.959963984540054
const YEAR = 365.25
/** D5's band edges in days (3 months = 365.25 / 4 days, as DfE and caseflow's dfe_cp_d5.csv count). */
export const D5_EDGES = [YEAR / 4, YEAR / 2, YEAR, 2 * YEAR]
const D5_SERIES = ["d5.upTo3m", "d5.upTo6m", "d5.upTo1y", "d5.upTo2y", "d5.over2y"]

/** One estimated figure: its value, interval, observations and where it came from. */
export interface Figure {
  readonly value: number
  readonly lower: number | null
  readonly upper: number | null
  readonly observations: number
  /** The table, columns and years, and the method: what a scenario's comment says. */
  readonly source: string
}

export interface DfeCalibration {
  readonly council: { readonly name: string; readonly newCode: string; readonly oldCode: string }
  readonly to: number
  readonly trend: Trend
  /** 0-17 population at the start (1 April after `to`). */
  readonly population: Figure
  readonly populationGrowth: Figure | null
  /** Referrals of children not currently known, per 10,000 a year (all referrals less re-referrals). */
  readonly newReferralRate: Figure | null
  readonly referralRate: Figure | null
  readonly referralTrend: Figure | null
  readonly reReferralShare: Figure | null
  readonly nfaShare: Figure | null
  readonly notInNeedShare: Figure | null
  /** 31 March stocks of `to`. */
  readonly cinAt31: Figure | null
  readonly cpAt31: Figure | null
  readonly lacAt31: Figure | null
  readonly cinStarts: Figure | null
  readonly cpStarts: Figure | null
  readonly lacStarts: Figure | null
  readonly lacCeased: Figure | null
  /** Mean durations in days (Little's law). */
  readonly cinMeanDays: Figure | null
  readonly cpMeanDays: Figure | null
  readonly lacMeanDays: Figure | null
  /** The gamma shape of CP plan durations fitted to D5 (null: no D5 figures). */
  readonly cpShape: Figure | null
  readonly repeatPlanShare: Figure | null
  /** D5 shares of the plans open at 31 March of `to`, by band. */
  readonly d5Shares: ReadonlyArray<number> | null
  /** The looked-after children's placement, age, UASC and legal-status margins on 31 March of `to` (DfeMix.ts). */
  readonly lacMix: ReadonlyArray<MixMargin>
  readonly tables: ReadonlyMap<TableKind, string>
}

const round = (x: number, digits: number): number => Number(x.toFixed(digits))

const yearsText = (years: ReadonlyArray<number>): string =>
  years.length === 0
    ? "no year"
    : years.length === 1
      ? `${years[0]}`
      : years.every((y, i) => i === 0 || y === years[i - 1] + 1)
        ? `${years[0]}-${years[years.length - 1]}`
        : years.join(", ")

const tableName = (t: CouncilTables, kind: TableKind): string => {
  const file = t.files.get(kind)
  return file === undefined ? TABLE_INFO[kind].title : `${TABLE_INFO[kind].title}, ${basename(file)}`
}
const basename = (f: string): string => f.replace(/^.*[\\/]/, "")

/** Poisson interval of a count, exact enough (Wilson-Hilferty for the chi-square). */
export const poissonInterval = (n: number): readonly [number, number] => {
  if (n <= 0) return [0, 3.689]
  const lo = n * (1 - 1 / (9 * n) - Z / (3 * Math.sqrt(n))) ** 3
  const m = n + 1
  const hi = m * (1 - 1 / (9 * m) + Z / (3 * Math.sqrt(m))) ** 3
  return [Math.max(0, lo), hi]
}

/** Wilson's interval of a share k / n. */
export const wilsonInterval = (k: number, n: number): readonly [number, number] => {
  if (n <= 0) return [0, 1]
  const p = k / n
  const d = 1 + (Z * Z) / n
  const c = (p + (Z * Z) / (2 * n)) / d
  const h = (Z * Math.sqrt((p * (1 - p)) / n + (Z * Z) / (4 * n * n))) / d
  return [Math.max(0, c - h), Math.min(1, c + h)]
}

/** The least-squares line through (x, y): its value at `at`, slope and the slope's 95% half-width. */
export const linearFit = (
  xs: ReadonlyArray<number>,
  ys: ReadonlyArray<number>,
  at: number
): { readonly value: number; readonly slope: number; readonly halfWidth: number | null } => {
  const n = xs.length
  const mx = xs.reduce((a, b) => a + b, 0) / n
  const my = ys.reduce((a, b) => a + b, 0) / n
  let sxx = 0
  let sxy = 0
  for (let i = 0; i < n; i++) {
    sxx += (xs[i] - mx) ** 2
    sxy += (xs[i] - mx) * (ys[i] - my)
  }
  const slope = sxx === 0 ? 0 : sxy / sxx
  if (n < 3 || sxx === 0) return { value: my + slope * (at - mx), slope, halfWidth: null }
  let sse = 0
  for (let i = 0; i < n; i++) sse += (ys[i] - my - slope * (xs[i] - mx)) ** 2
  const se = Math.sqrt(sse / (n - 2) / sxx)
  return { value: my + slope * (at - mx), slope, halfWidth: tQuantile(0.975, n - 2) * se }
}

/** The years up to `to` (the last `count`) in which every named series gives a figure. */
const commonYears = (t: CouncilTables, names: ReadonlyArray<string>, to: number, count: number): Array<number> => {
  const sets = names.map((n) => new Set(yearsOf(t, n)))
  const all = yearsOf(t, names[0]).filter((y) => y <= to && sets.every((s) => s.has(y)))
  return all.slice(-count)
}

/** The years up to `to` (the last `count`) in which every named series gives a count, a suppressed one too. */
const poolYears = (t: CouncilTables, names: ReadonlyArray<string>, to: number, count: number): Array<number> => {
  const years = [...(t.series.get(names[0])?.keys() ?? [])].sort((a, b) => a - b)
  return years.filter((y) => y <= to && names.every((n) => countIn(t, n, y) !== null)).slice(-count)
}

/**
 * A count summed over years: a suppressed year's count is taken as 3 (`mid`), and 1 and 5 bound the sum
 * (`low`, `high`). Leaving such a year out, as before, left out exactly the years whose count was small, and
 * raised a small council's shares and means (its no-further-action share most).
 */
interface Pooled {
  readonly low: number
  readonly mid: number
  readonly high: number
  /** Years whose count was suppressed. */
  readonly suppressed: number
}

const pooled = (t: CouncilTables, name: string, years: ReadonlyArray<number>): Pooled => {
  let low = 0
  let mid = 0
  let high = 0
  let suppressed = 0
  for (const y of years) {
    const c = countIn(t, name, y)
    if (c === null) continue
    low += c.low
    mid += c.mid
    high += c.high
    if (c.suppressed) suppressed++
  }
  return { low, mid, high, suppressed }
}

/** `a - b` of two pooled counts, its bounds the widest the two allow. */
const minus = (a: Pooled, b: Pooled): Pooled => ({
  low: a.low - b.high,
  mid: a.mid - b.mid,
  high: a.high - b.low,
  suppressed: a.suppressed + b.suppressed
})

/** What a figure's source says of the suppressed counts in it. */
const suppressedNote = (...counts: ReadonlyArray<Pooled>): string => {
  const n = counts.reduce((a, c) => a + c.suppressed, 0)
  const { low, mid, high } = SUPPRESSED_COUNT
  return n === 0
    ? ""
    : `; ${n} suppressed count${n === 1 ? "" : "s"} (c: ${low} to ${high}) taken as ${mid}, the interval ` +
        `allowing ${low} to ${high}`
}

/** The population DfE divides year Y's figures by: the mid-(Y-1) estimate, else the nearest earlier one. */
const onsDenominator = (t: CouncilTables, year: number): number | null => {
  for (let y = year - 1; y >= year - 4; y--) {
    const v = valueIn(t, "ons.population", y)
    if (v !== null && v > 0) return v
  }
  return null
}

/** The equilibrium law of the time a gamma(shape, mean) episode in progress has lasted: G(x) = E[min(D, x)] / mean. */
export const gammaEquilibriumCdf = (shape: number, mean: number, x: number): number => {
  const rate = shape / mean
  return (x * (1 - gammaCdf(x, shape, rate))) / mean + gammaCdf(x, shape + 1, rate)
}

/** The gamma shape (0.2 to 8, to two decimals) whose equilibrium law best fits D5's band shares. */
export const fitCpShape = (mean: number, shares: ReadonlyArray<number>): { shape: number; sse: number } => {
  let best = { shape: 1, sse: Infinity }
  const err = (k: number): number => {
    let prev = 0
    let sse = 0
    for (let b = 0; b < shares.length; b++) {
      const here = b < D5_EDGES.length ? gammaEquilibriumCdf(k, mean, D5_EDGES[b]) : 1
      sse += (here - prev - shares[b]) ** 2
      prev = here
    }
    return sse
  }
  for (let k = 0.2; k <= 8.0001; k += 0.05) {
    const e = err(k)
    if (e < best.sse) best = { shape: k, sse: e }
  }
  // Refine to two decimals around the grid's best.
  const centre = best.shape
  for (let k = Math.max(0.2, centre - 0.05); k <= Math.min(8, centre + 0.05) + 1e-9; k += 0.01) {
    const e = err(k)
    if (e < best.sse) best = { shape: round(k, 2), sse: e }
  }
  return { shape: round(best.shape, 2), sse: best.sse }
}

const stock = (t: CouncilTables, name: string, kind: TableKind, column: string, to: number): Figure | null => {
  const v = countIn(t, name, to)
  if (v === null) return null
  const { low, mid, high } = SUPPRESSED_COUNT
  return {
    value: v.mid,
    lower: poissonInterval(v.low)[0],
    upper: poissonInterval(v.high)[1],
    observations: v.mid,
    source:
      `${tableName(t, kind)}: ${column}, ${to}` +
      (v.suppressed ? ` (suppressed, c: ${low} to ${high}; taken as ${mid})` : "")
  }
}

const flow = (t: CouncilTables, name: string, kind: TableKind, column: string, to: number): Figure | null => {
  const years = poolYears(t, [name], to, POOL)
  if (years.length === 0) return null
  const total = pooled(t, name, years)
  const n = years.length
  return {
    value: total.mid / n,
    lower: poissonInterval(total.low)[0] / n,
    upper: poissonInterval(total.high)[1] / n,
    observations: total.mid,
    source: `${tableName(t, kind)}: ${column}, mean of ${yearsText(years)}${suppressedNote(total)}`
  }
}

const share = (
  t: CouncilTables,
  part: string,
  whole: string,
  kind: TableKind,
  what: string,
  to: number
): Figure | null => {
  const years = poolYears(t, [part, whole], to, POOL)
  const n = pooled(t, whole, years)
  if (years.length === 0 || n.mid <= 0) return null
  const k = pooled(t, part, years)
  return {
    value: k.mid / n.mid,
    lower: wilsonInterval(k.low, n.high)[0],
    upper: wilsonInterval(Math.min(k.high, n.low), n.low)[1],
    observations: n.mid,
    source: `${tableName(t, kind)}: ${what}, ${yearsText(years)}${suppressedNote(k, n)}`
  }
}

const little = (
  t: CouncilTables,
  stockName: string,
  entries: string,
  kinds: string,
  what: string,
  to: number,
  less: ReadonlyArray<string> = []
): Figure | null => {
  const years = poolYears(t, [stockName, entries, ...less], to, POOL)
  if (years.length === 0) return null
  const lessCounts = less.map((l) => pooled(t, l, years))
  const s = lessCounts.reduce(minus, pooled(t, stockName, years))
  const e = pooled(t, entries, years)
  if (s.mid <= 0 || e.mid <= 0) return null
  const mean = (s.mid / e.mid) * YEAR
  const h = Z * Math.sqrt(1 / s.mid + 1 / e.mid)
  return {
    value: mean,
    lower: (Math.max(0, s.low) / e.high) * YEAR * Math.exp(-h),
    upper: e.low > 0 ? (s.high / e.low) * YEAR * Math.exp(h) : null,
    observations: e.mid,
    source:
      `${kinds}: ${what}, ${yearsText(years)}; Little's law, mean time = stock / entries a year` + suppressedNote(s, e)
  }
}

/**
 * D5's five bands summed over `years`. A band's `c` there is often not a small count but secondary suppression
 * (Suffolk, 31 March 2021: two bands of 77 plans between them), and the bands add up to CPP_At31: a year's
 * suppressed bands hold the rest of its total, split between them as the other years of the window split
 * those bands (evenly where none shows them). A total itself suppressed is taken as 3 (1 to 5).
 */
const d5Bands = (
  t: CouncilTables,
  years: ReadonlyArray<number>
): { readonly counts: ReadonlyArray<number>; readonly note: string } => {
  const counts = D5_SERIES.map(() => 0)
  const shown = D5_SERIES.map(() => 0) // each band's plans in the years that show it
  for (const y of years) D5_SERIES.forEach((s, b) => (shown[b] += valueIn(t, s, y) ?? 0))
  let filled = 0
  for (const y of years) {
    const total = countIn(t, "d5.at31", y)?.mid ?? 0
    const hidden = D5_SERIES.map((s, b) => (valueIn(t, s, y) === null ? b : -1)).filter((b) => b >= 0)
    const known = D5_SERIES.reduce((a, s) => a + (valueIn(t, s, y) ?? 0), 0)
    D5_SERIES.forEach((s, b) => (counts[b] += valueIn(t, s, y) ?? 0))
    if (hidden.length === 0) continue
    filled += hidden.length
    const rest = Math.max(0, total - known)
    const weight = hidden.reduce((a, b) => a + shown[b], 0)
    for (const b of hidden) counts[b] += weight > 0 ? (rest * shown[b]) / weight : rest / hidden.length
  }
  const note =
    filled === 0
      ? ""
      : `; ${filled} suppressed band${filled === 1 ? "" : "s"} (c) given the rest of their year's CPP_At31, split ` +
        "as the window's other years split them"
  return { counts, note }
}

/** The council's estimates as of the year ending 31 March `to`. */
export const dfeCalibration = (
  t: CouncilTables,
  to: number,
  trend: Trend,
  /** The 0-17 population given (`--population`): the start's, and the denominator of a year ONS gives none. */
  given: number | null = null
): DfeCalibration => {
  // Population at the start: the mid-`to` estimate (three months after 31 March), else the latest before.
  const popYears = yearsOf(t, "ons.population").filter((y) => y <= to)
  const popYear = popYears.length > 0 ? popYears[popYears.length - 1] : null
  const popValue = popYear === null ? null : valueIn(t, "ons.population", popYear)
  const denominator = (tables: CouncilTables, y: number): number | null => onsDenominator(tables, y) ?? given
  const population: Figure =
    given !== null
      ? { value: given, lower: null, upper: null, observations: 1, source: "--population (children aged 0-17)" }
      : popValue === null
        ? { value: 0, lower: null, upper: null, observations: 0, source: "no population table" }
        : {
            value: popValue,
            lower: null,
            upper: null,
            observations: 1,
            source: `${tableName(t, "ons")}: population_estimate, mid-${popYear}`
          }
  const growthYears = popYears.slice(-TREND_YEARS)
  let populationGrowth: Figure | null = null
  if (trend === "linear" && growthYears.length >= 2) {
    const fit = linearFit(
      growthYears,
      growthYears.map((y) => valueIn(t, "ons.population", y) ?? 0),
      growthYears[growthYears.length - 1]
    )
    const g = fit.slope / fit.value
    populationGrowth = {
      value: g,
      lower: fit.halfWidth === null ? null : (fit.slope - fit.halfWidth) / fit.value,
      upper: fit.halfWidth === null ? null : (fit.slope + fit.halfWidth) / fit.value,
      observations: growthYears.length,
      source: `${tableName(t, "ons")}: population_estimate, mid-${yearsText(growthYears)}; least-squares line`
    }
  }

  // Referral rates per 10,000, by year, with DfE's denominator.
  const refYears = poolYears(t, ["c1.referrals"], to, POOL).filter((y) => denominator(t, y) !== null)
  const rate = (count: number, years: ReadonlyArray<number>): number =>
    (count / years.reduce((a, y) => a + (denominator(t, y) ?? 0), 0)) * 10000
  let referralRate: Figure | null = null
  let newReferralRate: Figure | null = null
  if (refYears.length > 0) {
    const all = pooled(t, "c1.referrals", refYears)
    referralRate = {
      value: rate(all.mid, refYears),
      lower: rate(poissonInterval(all.low)[0], refYears),
      upper: rate(poissonInterval(all.high)[1], refYears),
      observations: all.mid,
      source:
        `${tableName(t, "c1")}: referral_count, ${yearsText(refYears)}, per 10,000 of the ONS 0-17 population` +
        suppressedNote(all)
    }
    const reYears = refYears.filter((y) => countIn(t, "c1.rereferrals", y) !== null)
    if (reYears.length > 0) {
      const n = minus(pooled(t, "c1.referrals", reYears), pooled(t, "c1.rereferrals", reYears))
      newReferralRate = {
        value: rate(n.mid, reYears),
        lower: rate(poissonInterval(Math.max(0, n.low))[0], reYears),
        upper: rate(poissonInterval(n.high)[1], reYears),
        observations: n.mid,
        source:
          `${tableName(t, "c1")}: referral_count - rereferral_count, ${yearsText(reYears)}, ` +
          "per 10,000 of the ONS 0-17 population (re-referrals come from the model's own closed cases)" +
          suppressedNote(n)
      }
    }
  }
  let referralTrend: Figure | null = null
  if (trend === "linear") {
    const ys = commonYears(t, ["c1.referrals"], to, TREND_YEARS).filter((y) => denominator(t, y) !== null)
    if (ys.length >= 3) {
      const rates = ys.map((y) => ((valueIn(t, "c1.referrals", y) ?? 0) / (denominator(t, y) ?? 1)) * 10000)
      const fit = linearFit(ys, rates, to)
      referralTrend = {
        value: fit.slope / fit.value,
        lower: fit.halfWidth === null ? null : (fit.slope - fit.halfWidth) / fit.value,
        upper: fit.halfWidth === null ? null : (fit.slope + fit.halfWidth) / fit.value,
        observations: ys.length,
        source:
          `${tableName(t, "c1")}: referrals per 10,000, ${yearsText(ys)}; ` +
          `least-squares line, slope / value at ${to}`
      }
    }
  }

  const d5Years = poolYears(t, ["d5.at31", ...D5_SERIES], to, POOL)
  const cpMeanDays = little(t, "d5.at31", "d3.started", "D5 and D3", "CPP_At31 / CPP_start", to)
  let cpShape: Figure | null = null
  let d5Shares: Array<number> | null = null
  if (d5Years.length > 0) {
    const bands = d5Bands(t, d5Years)
    const counts = bands.counts
    const total = counts.reduce((a, b) => a + b, 0)
    if (total > 0) {
      d5Shares = counts.map((c) => c / total)
      if (cpMeanDays !== null) {
        const fit = fitCpShape(cpMeanDays.value, d5Shares)
        cpShape = {
          value: fit.shape,
          lower: null,
          upper: null,
          observations: total,
          source:
            `${tableName(t, "d5")}: the five duration bands, ${yearsText(d5Years)}; gamma shape whose equilibrium ` +
            `law of time on the plan so far fits them best (least squares, residual ${fit.sse.toFixed(4)})` +
            bands.note
        }
      }
    }
  }
  const lacAt31 = stock(t, "cla.stock", "cla", `children_count (${"Children looked after on 31 March"})`, to)
  const cinLess = lacAt31 === null ? ["d5.at31"] : ["d5.at31", "cla.stock"]
  return {
    council: { name: t.name, newCode: t.newCode, oldCode: t.oldCode },
    to,
    trend,
    population,
    populationGrowth,
    newReferralRate,
    referralRate,
    referralTrend,
    reReferralShare: share(t, "c1.rereferrals", "c1.referrals", "c1", "rereferral_count / referral_count", to),
    nfaShare: share(t, "c1.nfa", "c1.referrals", "c1", "no_further_action_count / referral_count", to),
    notInNeedShare: share(t, "c1.not_in_need", "c1.referrals", "c1", "not_in_need_count / referral_count", to),
    cinAt31: stock(t, "b1.at31", "b1", "At31_episodes", to),
    cpAt31: stock(t, "d5.at31", "d5", "CPP_At31", to),
    lacAt31,
    cinStarts: flow(t, "b1.started", "b1", "Started_episodes", to),
    cpStarts: flow(t, "d3.started", "d3", "CPP_start", to),
    lacStarts: flow(t, "cla.starting", "cla", "children starting to be looked after", to),
    lacCeased: flow(t, "cla.ceasing", "cla", "children ceasing to be looked after", to),
    cinMeanDays: little(
      t,
      "b1.at31",
      "b1.started",
      "B1 and D5" + (lacAt31 === null ? "" : " and CLA"),
      `(At31_episodes - CPP_At31${lacAt31 === null ? "" : " - looked after"}) / Started_episodes (children in need ` +
        (lacAt31 === null
          ? "not on a plan, looked-after children included (no CLA figure)"
          : "neither on a plan nor looked after") +
        "; plans ending taken to step down about as often as plans start at the front door)",
      to,
      cinLess
    ),
    cpMeanDays,
    lacMeanDays: little(t, "cla.stock", "cla.starting", "CLA", "looked after on 31 March / starting", to),
    cpShape,
    repeatPlanShare: share(t, "d3.subsequent", "d3.started", "d3", "CPP_subsequent / CPP_start", to),
    d5Shares,
    lacMix: lacMargins(t, to, tableName(t, "cla31")),
    tables: t.files
  }
}

/** The calibration as rows of the calibration table (the same columns as the SSDA903 calibration's). */
export const dfeEstimates = (c: DfeCalibration): ReadonlyArray<Estimate> => {
  const rows: Array<Estimate> = []
  const add = (measure: string, breakdown: string, unit: string, f: Figure | null, method: string) => {
    if (f === null) return
    rows.push({
      measure,
      breakdown,
      value: f.value,
      lower: f.lower,
      upper: f.upper,
      observations: f.observations,
      unit,
      method,
      source: f.source
    })
  }
  const to = `31 March ${c.to}`
  add("population", "children aged 0-17", "children", c.population, "ONS mid-year estimate")
  add("population", "growth a year", "share a year", c.populationGrowth, "least-squares line")
  add("referrals", "all referrals", "per 10,000 a year", c.referralRate, "count / population, pooled")
  add("referrals", "new referrals (not re-referrals)", "per 10,000 a year", c.newReferralRate, "pooled")
  add("referrals", "trend a year", "share a year", c.referralTrend, "least-squares line")
  add("front door", "re-referrals", "share of referrals", c.reReferralShare, "pooled share, Wilson interval")
  add("front door", "no further action", "share of referrals", c.nfaShare, "pooled share, Wilson interval")
  add("front door", "assessed not in need", "share of referrals", c.notInNeedShare, "pooled share, Wilson")
  add("children in need", `at ${to}`, "children", c.cinAt31, "as published (incl. CP and looked after)")
  add("children in need", "episodes started a year", "episodes a year", c.cinStarts, "pooled mean")
  const cinWhat =
    c.lacAt31 === null ? "mean time (not on a plan; looked after included)" : "mean time (not CP, not looked after)"
  add("children in need", cinWhat, "days", c.cinMeanDays, "Little's law")
  add("child protection", `plans at ${to}`, "children", c.cpAt31, "as published")
  add("child protection", "plans started a year", "plans a year", c.cpStarts, "pooled mean")
  add("child protection", "mean plan length", "days", c.cpMeanDays, "Little's law")
  add("child protection", "plan length: gamma shape", "shape", c.cpShape, "fitted to D5")
  add("child protection", "second or subsequent plans", "share of plans", c.repeatPlanShare, "pooled, Wilson")
  add("looked after", `at ${to}`, "children", c.lacAt31, "as published")
  add("looked after", "children starting a year", "children a year", c.lacStarts, "pooled mean")
  add("looked after", "children ceasing a year", "children a year", c.lacCeased, "pooled mean")
  add("looked after", "mean time in care", "days", c.lacMeanDays, "Little's law")
  for (const m of c.lacMix) {
    if (m.shares === null) continue
    const n = [...m.counts.values()].reduce((a, b) => a + b, 0)
    for (const [category, share] of m.shares) {
      const [lower, upper] = wilsonInterval(m.counts.get(category) ?? 0, n)
      rows.push({
        measure: "looked after",
        breakdown: `${m.dimension} at ${to}: ${category}`,
        value: round(share, 4),
        lower: round(lower, 4),
        upper: round(upper, 4),
        observations: n,
        unit: "share of children",
        method:
          "as published, over the model's categories; Wilson interval; " +
          (m.dimension === "legal status"
            ? "the starting groups' legal-status shares fitted to it"
            : "the starting groups raked to it"),
        source: m.note
      })
    }
    const uasc = m.dimension === "UASC" ? m.counts.get("UASC") : undefined
    if (uasc !== undefined) {
      const [lower, upper] = poissonInterval(uasc)
      rows.push({
        measure: "looked after",
        breakdown: `UASC at ${to}`,
        value: uasc,
        lower: round(lower, 1),
        upper: round(upper, 1),
        observations: uasc,
        unit: "children",
        method: "as published; Poisson interval; the UASC starting groups take it",
        source: m.note
      })
    }
  }
  return rows
}
