/**
 * `caseflow backtest --episodes ... --header ... --dfe DIR --la X`: the back-test from the two sources
 * together, as `calibrate` combines them (calibrate/Combined.ts): care from the council's SSDA903 returns, the
 * front door, children in need, child protection and the population from DfE's published tables.
 *
 * For each cut-off (a 31 March: the tables are yearly) nothing after it is read: the tables are cut to the
 * years ending on or before it (`tablesUpTo`), the returns to the cut-off (Backtest903.ts: later returns left
 * out, ends after it read as open). The scenario is the one `calibrate --episodes ... --dfe DIR --la X --to
 * <cut-off> --out --template TEMPLATE` writes, run for the years forecast; `runs` Monte Carlo replications go
 * forward from the next day (with `uncertainty: "rates"`, each also draws the tables' rates' year-to-year
 * variation before the cut-off, as the DfE back-test does: the care part keeps its process noise only). The
 * forecast is scored against both: each month the returns cover (children in care at its end, periods of
 * care begun and ended, the 31 March stocks; Backtest903.ts) and each later 31 March the tables give (children
 * in need, B1, which counts CP plans and looked after; CP plans, D5; referrals in the year, C1), against the
 * naive forecasts made from each source as it stood on the cut-off. Horizons are months (12 a year for the
 * tables' figures), as in the monthly back-test.
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type { Layer } from "effect/Layer"
import * as YAML from "yaml"
import { combinedTemplate } from "../calibrate/Combined.js"
import type { Trend } from "../calibrate/DfeEstimates.js"
import { type CouncilTables, tablesUpTo, yearsOf } from "../calibrate/DfeTables.js"
import { isoOfEpochDay } from "../domain/Calendar.js"
import type { Replicator, WorkerFailed } from "../replication/Pool.js"
import { type Job, ReplicationError } from "../replication/Replication.js"
import { scenarioFromData, scenarioFromPlainText } from "../scenario/Load.js"
import type { Histories } from "../ssda903/Clean.js"
import { collectionYearOf, type Returns } from "../ssda903/Read.js"
import {
  careRows,
  type Cutoff903Result,
  type MonthlyValues,
  monthlyActuals,
  MONTHLY_MEASURE_NAMES,
  MONTHLY_MEASURES,
  monthOf,
  scenarioAt,
  simulateMonths
} from "./Backtest903.js"
import { forecastAt, type ForecastRow, naiveLast, naiveTrend, NAIVE_TREND_YEARS } from "./Metrics.js"
import { monthKey } from "./Report.js"
import { type Variation, variationOf, withVariation } from "./Uncertainty.js"

/** The tables' measures of the combined back-test, as named in its files, with the series each is scored on. */
export const TABLE_MEASURES: ReadonlyArray<{
  readonly name: string
  readonly series: string
  readonly simulated: (v: MonthlyValues, h: number) => ReadonlyArray<number> | null
}> = [
  { name: "children in need at 31 March", series: "b1.at31", simulated: (v, h) => v.childrenInNeed[h - 1] },
  { name: "child protection plans at 31 March", series: "d5.at31", simulated: (v, h) => v.protection[h - 1] },
  {
    name: "referrals in the year to 31 March",
    series: "c1.referrals",
    // The year's twelve months (the run starts on 1 April, so month h - 11 to h is a year ending 31 March).
    simulated: (v, h) =>
      h < 12
        ? null
        : v.referrals[h - 1].map((_, r) => {
            let n = 0
            for (let m = h - 12; m < h; m++) n += v.referrals[m][r]
            return n
          })
  }
]

/** Every measure of the combined back-test: the returns', then the tables'. */
export const COMBINED_MEASURE_NAMES: ReadonlyArray<string> = [
  ...MONTHLY_MEASURE_NAMES,
  ...TABLE_MEASURES.map((m) => m.name)
]

/** A table's series by month key (its 31 March: `monthKey(year, 3)`). */
export const tableActuals = (t: CouncilTables, series: string): Map<number, number> => {
  const out = new Map<number, number>()
  for (const y of yearsOf(t, series)) {
    const v = t.series.get(series)?.get(y)?.value
    if (v !== null && v !== undefined) out.set(monthKey(y, 3), v)
  }
  return out
}

/** The last 31 March the tables give any of the measures for (null: none). */
export const lastTableYear = (t: CouncilTables): number | null => {
  const ys = TABLE_MEASURES.flatMap((m) => yearsOf(t, m.series))
  return ys.length === 0 ? null : Math.max(...ys)
}

export interface CombinedSettings {
  /** The returns as read (all years) and their clean histories (for the actuals). */
  readonly returns: Returns
  readonly histories: Histories
  /** The council's tables, all years (for the actuals; each cut-off's calibration reads its own cut). */
  readonly tables: CouncilTables
  /** The template for costs, services and staff (`--costs`): its resolved data and label. */
  readonly costs: { readonly raw: unknown; readonly label: string }
  readonly dfeLabel: string
  readonly trend: Trend
  readonly uncertainty: "rates" | "none"
  readonly runs: number
  readonly replicator: (job: Job) => Layer<Replicator, WorkerFailed>
}

export interface CombinedResult extends Cutoff903Result {
  /** The tables' variation drawn (null: --uncertainty none). */
  readonly variation: Variation | null
}

/** The scenario of a cut-off (a 31 March) from both sources as they stood on it: calibrate's combined path. */
export const combinedScenarioAt = (
  s: Pick<CombinedSettings, "returns" | "tables" | "costs" | "dfeLabel" | "trend">,
  cutoff: number,
  years: number
): Either.Either<
  { readonly text: string; readonly notes: ReadonlyArray<string>; readonly histories: Histories },
  string
> => {
  const year = collectionYearOf(cutoff)
  const made = combinedTemplate({
    tables: tablesUpTo(s.tables, year),
    year,
    trend: s.trend,
    population: null,
    costs: s.costs,
    dfeLabel: s.dfeLabel
  })
  if (Either.isLeft(made)) return Either.left(made.left)
  const scenario = scenarioAt({ returns: s.returns, template: made.right.template, population: null }, cutoff, years)
  if (Either.isLeft(scenario)) return Either.left(scenario.left)
  return Either.right({
    text: scenario.right.text,
    notes: [...made.right.notes, ...scenario.right.notes],
    histories: scenario.right.histories
  })
}

/** One cut-off: calibrate on both sources up to it, simulate, compare with both after it. */
export const backtestCombinedCutoff = (
  s: CombinedSettings,
  cutoff: number
): Effect.Effect<CombinedResult, ReplicationError | WorkerFailed> =>
  Effect.gen(function* () {
    const iso = isoOfEpochDay(cutoff)
    const year = collectionYearOf(cutoff)
    const cutoffMonth = monthOf(cutoff)
    const lastYear = lastTableYear(s.tables) ?? year
    const months = Math.max(monthOf(s.histories.to - 1), monthKey(lastYear, 3)) - cutoffMonth
    const years = Math.ceil(months / 12)
    const fail = (detail: string) =>
      Effect.fail(new ReplicationError({ replication: 0, detail: `cut-off ${iso}: ${detail}` }))
    const made = combinedScenarioAt(s, cutoff, years)
    if (Either.isLeft(made)) return yield* fail(made.left)
    const label = `the scenario calibrated to ${iso}`
    const variation = s.uncertainty === "rates" ? variationOf(tablesUpTo(s.tables, year), year) : null
    const source =
      variation === null
        ? scenarioFromPlainText(label, made.right.text)
        : scenarioFromData(label, withVariation(YAML.parse(made.right.text), variation), { checkExtremes: false })
    if (Either.isLeft(source)) return yield* fail(source.left.message)
    const values = yield* simulateMonths(source.right, months, years, s.runs, s.replicator)
    const actuals = monthlyActuals(s.histories)
    const known = monthlyActuals(made.right.histories)
    const rows: Array<ForecastRow> = careRows(cutoff, months, values, actuals, known)
    const cut = tablesUpTo(s.tables, year)
    for (const m of TABLE_MEASURES) {
      const all = tableActuals(s.tables, m.series)
      const before = tableActuals(cut, m.series)
      for (let h = 12; h <= months; h += 12) {
        const simulated = m.simulated(values, h)
        if (simulated === null) continue
        const month = cutoffMonth + h
        const r = forecastAt({
          cutoff,
          measure: m.name,
          horizon: h,
          year: month,
          simulated,
          actuals: all,
          last: naiveLast(before, cutoffMonth),
          trend: naiveTrend(before, cutoffMonth, month, NAIVE_TREND_YEARS)
        })
        if (r !== null) rows.push(r)
      }
    }
    return {
      cutoff,
      months,
      rows,
      scenarioText: made.right.text,
      notes: made.right.notes,
      inCare: values.inCare,
      inCareKnown: known.get(MONTHLY_MEASURES.stock)!.get(cutoffMonth) ?? 0,
      inCareLater: actuals.get(MONTHLY_MEASURES.stock)!.get(cutoffMonth) ?? 0,
      variation
    }
  })
