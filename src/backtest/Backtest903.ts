/**
 * `caseflow backtest --episodes ... --header ...`: the back-test from a council's SSDA903 returns, by month.
 *
 * For each cut-off (a month's last day), the returns are cut at it: the returns of later collection years are
 * left out before they are read together (so no later correction or repeat of an episode reaches the fit),
 * and in the cut-off's own year every episode that began after it is dropped and every end after it is read
 * as open on the cut-off (`censorAt`). caseflow calibrates on that exactly as `calibrate --to <cut-off>
 * --out` does (`scenarioFrom903`: the children in care on the cut-off as the starting caseload, one each;
 * entries, time in care, exits, placements and legal status from the returns up to it; the rest from the
 * template), runs `runs` Monte Carlo replications forward from the next day, and compares each month after
 * it that the returns cover with what they recorded (`monthlyActuals`, from the whole returns): the children
 * in care at the month's end, the periods of care begun and ended in it, and the 31 March stocks apart.
 *
 * The metrics, naive forecasts, files and report are the DfE back-test's (Metrics.ts, Report.ts): one core,
 * two sources. Replications are kept by number, so the result does not depend on the number of workers.
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type { Layer } from "effect/Layer"
import { careEntriesMeasure } from "../calibrate/Entries.js"
import { calibrationTable, type Window } from "../calibrate/Estimates.js"
import { scenarioFrom903, type Template } from "../calibrate/Scenario903.js"
import { daysFromCivil, isoOfEpochDay } from "../domain/Calendar.js"
import { OPEN_LEVELS } from "../domain/Level.js"
import { replicate, type Replicator, type WorkerFailed } from "../replication/Pool.js"
import { type Job, ReplicationError, STOCK_ROWS } from "../replication/Replication.js"
import { type ScenarioSource, scenarioFromPlainText } from "../scenario/Load.js"
import { cleanReturns, type ChildHistory, type Histories, type Period } from "../ssda903/Clean.js"
import { collectionYearOf, type ReadFile, type Returns } from "../ssda903/Read.js"
import { forecastAt, type ForecastRow, naiveLast, naiveTrend } from "./Metrics.js"
import { monthKey } from "./Report.js"

/** The measures of a monthly back-test, as named in its files. */
export const MONTHLY_MEASURES = {
  stock: "looked after at month end",
  starts: "started to be looked after",
  ceased: "ceased to be looked after",
  march: "looked after at 31 March"
} as const
export const MONTHLY_MEASURE_NAMES: ReadonlyArray<string> = Object.values(MONTHLY_MEASURES)

/** Months of history the naive trend is fitted to (five years, as the yearly back-test's). */
export const NAIVE_TREND_MONTHS = 60
/** Months a flow's "last value" averages: the last year carried forward, as a month. */
export const NAIVE_FLOW_MONTHS = 12

// ---------------------------------------------------------------------------------------------------------
// Days and months

const civil = (day: number): { readonly y: number; readonly m: number; readonly d: number } => {
  const iso = isoOfEpochDay(day)
  return { y: Number(iso.slice(0, 4)), m: Number(iso.slice(5, 7)), d: Number(iso.slice(8, 10)) }
}

/** The month key of a day. */
export const monthOf = (day: number): number => {
  const c = civil(day)
  return monthKey(c.y, c.m)
}

/** The first day of a month key. */
export const monthStart = (k: number): number => daysFromCivil(Math.floor(k / 12), (k % 12) + 1, 1)

/** The last day of a month key. */
export const monthEnd = (k: number): number => monthStart(k + 1) - 1

/** Whether a day is its month's last. */
export const isMonthEnd = (day: number): boolean => monthEnd(monthOf(day)) === day

// ---------------------------------------------------------------------------------------------------------
// The returns as they stood on the cut-off

/**
 * The returns of collection years up to `year` only: later years' episodes, headers and UASC rows are left
 * out (a header or UASC file whose rows all come from later years is kept whole: one file given for all
 * years is read as the last year's).
 */
export const returnsUpTo = (r: Returns, year: number): Returns => {
  const keep = (files: ReadonlyArray<ReadFile>, whole: boolean): Array<ReadFile> =>
    files
      .map((f) =>
        whole ? f : { ...f, rows: f.rows.filter((x) => x.year <= year), years: f.years.filter((y) => y <= year) }
      )
      .filter((f) => whole || f.rows.length > 0)
  const early = (files: ReadonlyArray<ReadFile>) => files.some((f) => f.rows.some((x) => x.year <= year))
  return {
    shape: r.shape,
    episodes: keep(r.episodes, false),
    header: keep(r.header, !early(r.header)),
    uasc: keep(r.uasc, !early(r.uasc)),
    years: r.years.filter((y) => y <= year)
  }
}

/** A period as known on `cutoff`: its episodes begun by then, an end after it read as open on the next day. */
const periodAt = (p: Period, cutoff: number): Period | null => {
  if (p.start > cutoff) return null
  const episodes = p.episodes
    .filter((e) => e.start <= cutoff)
    .map((e) => (e.end !== null && e.end > cutoff ? { ...e, end: null, rec: "" } : e))
  if (episodes.length === 0) return null
  const open = p.end.day > cutoff
  return {
    start: p.start,
    startKnown: p.startKnown,
    end: open ? { _tag: "Open", day: cutoff + 1 } : p.end,
    episodes
  }
}

/**
 * The histories as the returns stood on `cutoff`: nothing after it. Periods begun after it are dropped,
 * episodes begun after it too, and an end after it (a period's or an episode's, or UASC status ceasing)
 * is read as still open: observation stops at the end of the cut-off day. The data then end there.
 */
export const censorAt = (h: Histories, cutoff: number): Histories => {
  const children: Array<ChildHistory> = []
  for (const child of h.children) {
    const periods = child.periods.map((p) => periodAt(p, cutoff)).filter((p): p is Period => p !== null)
    if (periods.length === 0 && child.periods.length > 0) continue
    children.push({
      ...child,
      uascCeased: child.uascCeased !== null && child.uascCeased > cutoff ? null : child.uascCeased,
      periods
    })
  }
  return {
    ...h,
    children,
    to: Math.min(h.to, cutoff + 1),
    years: h.years.filter((y) => y <= collectionYearOf(cutoff)),
    problems: h.problems
  }
}

// ---------------------------------------------------------------------------------------------------------
// What the returns recorded, by month

/** The returns' monthly series, by measure name: month key -> value, for every whole month of the data. */
export const monthlyActuals = (h: Histories): Map<string, Map<number, number>> => {
  const first = monthOf(h.from)
  const last = monthOf(h.to - 1)
  const n = last - first + 1
  const stock = new Array<number>(n).fill(0)
  const starts = new Array<number>(n).fill(0)
  const ceased = new Array<number>(n).fill(0)
  const ends = Array.from({ length: n }, (_, i) => monthEnd(first + i))
  for (const child of h.children)
    for (const p of child.periods) {
      // In care at a month end: begun by then and not ended (an open period's end is where observation stopped).
      for (let i = 0; i < n; i++) if (p.start <= ends[i] && p.end.day > ends[i]) stock[i]++
      const s = monthOf(p.start) - first
      if (p.startKnown && s >= 0 && s < n) starts[s]++
      if (p.end._tag === "Ceased") {
        const e = monthOf(p.end.day) - first
        if (e >= 0 && e < n) ceased[e]++
      }
    }
  const series = (xs: ReadonlyArray<number>) => new Map(xs.map((x, i) => [first + i, x] as const))
  const march = new Map([...series(stock)].filter(([k]) => k % 12 === 2))
  // Only whole months of data: the data run from 1 April to 31 March, so every month is whole.
  return new Map([
    [MONTHLY_MEASURES.stock, series(stock)],
    [MONTHLY_MEASURES.starts, series(starts)],
    [MONTHLY_MEASURES.ceased, series(ceased)],
    [MONTHLY_MEASURES.march, march]
  ])
}

/** The naive forecasts of a measure from a cut-off month: last value (a flow: the last 12 months' mean) and trend. */
export const naiveMonthly = (
  measure: string,
  actuals: ReadonlyMap<number, number>,
  cutoffMonth: number,
  month: number
): { readonly last: number | null; readonly trend: number | null } => {
  const isFlow = measure === MONTHLY_MEASURES.starts || measure === MONTHLY_MEASURES.ceased
  let last = naiveLast(actuals, cutoffMonth)
  if (isFlow) {
    const xs = [...actuals].filter(([k]) => k <= cutoffMonth && k > cutoffMonth - NAIVE_FLOW_MONTHS).map(([, v]) => v)
    last = xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length
  }
  const points = measure === MONTHLY_MEASURES.march ? NAIVE_TREND_MONTHS / 12 : NAIVE_TREND_MONTHS
  return { last, trend: naiveTrend(actuals, cutoffMonth, month, points) }
}

// ---------------------------------------------------------------------------------------------------------
// One cut-off

export interface Backtest903Settings {
  /** The returns as read (all years) and their clean histories (for the actuals). */
  readonly returns: Returns
  readonly histories: Histories
  readonly template: Template
  /** The council's children aged 0-17 (null: the template's). */
  readonly population: number | null
  readonly runs: number
  readonly replicator: (job: Job) => Layer<Replicator, WorkerFailed>
}

export interface Cutoff903Result {
  readonly cutoff: number
  /** Months forecast (to the end of the returns). */
  readonly months: number
  readonly rows: ReadonlyArray<ForecastRow>
  readonly scenarioText: string
  readonly notes: ReadonlyArray<string>
  /** Children in the scenario's starting caseload in care (those on the cut-off the model can take). */
  readonly inCare: number
  /** Children in care on the cut-off by the returns up to it, and by all the returns (later ones may add some). */
  readonly inCareKnown: number
  readonly inCareLater: number
}

/** The scenario of the returns as they stood on `cutoff`, as `calibrate --to <cut-off> --out` writes it. */
export const scenarioAt = (
  s: Pick<Backtest903Settings, "returns" | "template" | "population">,
  cutoff: number,
  years: number
): Either.Either<
  {
    readonly text: string
    readonly notes: ReadonlyArray<string>
    readonly window: Window
    /** The histories as they stood on the cut-off (`censorAt`). */
    readonly histories: Histories
  },
  string
> => {
  const histories = censorAt(cleanReturns(returnsUpTo(s.returns, collectionYearOf(cutoff))), cutoff)
  const window = { from: histories.from, to: cutoff + 1 }
  const estimates = calibrationTable(histories, window)
  const measure = careEntriesMeasure()
  const made = scenarioFrom903(
    { histories, window, estimates },
    {
      template: s.template,
      population: s.population,
      trend: false,
      name: null,
      years: {
        years,
        why: `the back-test's horizon: ${years} year${years === 1 ? "" : "s"} forecast from the cut-off`
      },
      careEntries: measure.careEntries
    }
  )
  const failed = measure.failed()
  if (failed !== null) return Either.left(failed)
  return Either.right({ text: made.document.toString({ lineWidth: 0 }), notes: made.notes, window, histories })
}

const LA = OPEN_LEVELS.indexOf("looked_after")
const CIN_LEVELS = (["child_in_need", "child_protection", "looked_after"] as const).map((l) => OPEN_LEVELS.indexOf(l))
const CP = OPEN_LEVELS.indexOf("child_protection")

/** The replications' figures for each month after the cut-off: [month - 1][replication]. */
export interface MonthlyValues {
  /** Children in care in the starting caseload (the opening stock). */
  readonly inCare: number
  /** Looked after at the month's end, periods of care begun and ended in it. */
  readonly stock: ReadonlyArray<ReadonlyArray<number>>
  readonly starts: ReadonlyArray<ReadonlyArray<number>>
  readonly ceased: ReadonlyArray<ReadonlyArray<number>>
  /** Children in need at the month's end as DfE counts them (B1: with CP plans and looked after), CP plans. */
  readonly childrenInNeed: ReadonlyArray<ReadonlyArray<number>>
  readonly protection: ReadonlyArray<ReadonlyArray<number>>
  /** Referrals in the month (new and re-referrals). */
  readonly referrals: ReadonlyArray<ReadonlyArray<number>>
}

/** `runs` replications of a cut-off's scenario, `months` forecast (of `years` simulated), kept by replication. */
export const simulateMonths = (
  source: ScenarioSource,
  months: number,
  years: number,
  runs: number,
  replicator: (job: Job) => Layer<Replicator, WorkerFailed>
): Effect.Effect<MonthlyValues, ReplicationError | WorkerFailed> =>
  Effect.gen(function* () {
    const K = STOCK_ROWS.length
    const grid = () => Array.from({ length: months }, () => new Array<number>(runs).fill(0))
    const [stock, starts, ceased, childrenInNeed, protection, referrals] = [
      grid(),
      grid(),
      grid(),
      grid(),
      grid(),
      grid()
    ]
    let inCare = 0
    const job: Job = { arms: [source], years, seed: source.central.seed }
    yield* replicate(0, runs, (o) => {
      const arm = o.arms[0]
      const r = o.replication
      inCare = arm.stocks[LA]
      for (let h = 1; h <= months; h++) {
        const row = h * K
        const left = arm.leftCare[h - 1]
        stock[h - 1][r] = arm.stocks[row + LA]
        starts[h - 1][r] = arm.stocks[row + LA] - arm.stocks[(h - 1) * K + LA] + left
        ceased[h - 1][r] = left
        childrenInNeed[h - 1][r] = CIN_LEVELS.reduce((a, k) => a + arm.stocks[row + k], 0)
        protection[h - 1][r] = arm.stocks[row + CP]
        referrals[h - 1][r] = arm.referrals[h - 1] ?? 0
      }
    }).pipe(Effect.provide(replicator(job)))
    return { inCare, stock, starts, ceased, childrenInNeed, protection, referrals }
  })

/**
 * The rows of the returns' measures: each month after the cut-off against what all the returns recorded
 * (`actuals`), the naive forecasts from the returns as they stood on the cut-off (`known`).
 */
export const careRows = (
  cutoff: number,
  months: number,
  values: MonthlyValues,
  actuals: ReadonlyMap<string, ReadonlyMap<number, number>>,
  known: ReadonlyMap<string, ReadonlyMap<number, number>>
): Array<ForecastRow> => {
  const cutoffMonth = monthOf(cutoff)
  const rows: Array<ForecastRow> = []
  const add = (measure: string, h: number, simulated: ReadonlyArray<number>) => {
    const series = actuals.get(measure)!
    const month = cutoffMonth + h
    const naive = naiveMonthly(measure, known.get(measure)!, cutoffMonth, month)
    const r = forecastAt({ cutoff, measure, horizon: h, year: month, simulated, actuals: series, ...naive })
    if (r !== null) rows.push(r)
  }
  const order = [
    [MONTHLY_MEASURES.stock, values.stock],
    [MONTHLY_MEASURES.starts, values.starts],
    [MONTHLY_MEASURES.ceased, values.ceased]
  ] as const
  for (const [m, v] of order) for (let h = 1; h <= months; h++) add(m, h, v[h - 1])
  for (let h = 1; h <= months; h++)
    if ((cutoffMonth + h) % 12 === 2) add(MONTHLY_MEASURES.march, h, values.stock[h - 1])
  return rows
}

/** One cut-off (a month's last day inside the returns, with a month after it): calibrate, simulate, compare. */
export const backtest903Cutoff = (
  s: Backtest903Settings,
  cutoff: number
): Effect.Effect<Cutoff903Result, ReplicationError | WorkerFailed> =>
  Effect.gen(function* () {
    const iso = isoOfEpochDay(cutoff)
    const cutoffMonth = monthOf(cutoff)
    const months = monthOf(s.histories.to - 1) - cutoffMonth
    const years = Math.ceil(months / 12)
    const made = scenarioAt(s, cutoff, years)
    if (Either.isLeft(made))
      return yield* Effect.fail(new ReplicationError({ replication: 0, detail: `cut-off ${iso}: ${made.left}` }))
    const source = scenarioFromPlainText(`the scenario calibrated to ${iso}`, made.right.text)
    if (Either.isLeft(source))
      return yield* Effect.fail(
        new ReplicationError({ replication: 0, detail: `cut-off ${iso}: ${source.left.message}` })
      )
    const values = yield* simulateMonths(source.right, months, years, s.runs, s.replicator)
    // The actuals from all the returns; the naive forecasts from the returns as they stood on the cut-off.
    const actuals = monthlyActuals(s.histories)
    const known = monthlyActuals(made.right.histories)
    return {
      cutoff,
      months,
      rows: careRows(cutoff, months, values, actuals, known),
      scenarioText: made.right.text,
      notes: made.right.notes,
      inCare: values.inCare,
      inCareKnown: known.get(MONTHLY_MEASURES.stock)!.get(cutoffMonth) ?? 0,
      inCareLater: actuals.get(MONTHLY_MEASURES.stock)!.get(cutoffMonth) ?? 0
    }
  })
