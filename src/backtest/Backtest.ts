/**
 * `caseflow backtest`: for each cut-off (a year ending 31 March), calibrate the council's scenario on the
 * DfE tables up to it (nothing later is read: every estimate uses years <= the cut-off), simulate it forward
 * with Monte Carlo from its stocks at the cut-off, and compare each later 31 March with what the council
 * published (Metrics.ts). Rolling origin: several cut-offs in one command.
 *
 * The replications run where the `Replicator` says (worker threads or this thread), and each cut-off's values
 * are kept by replication, so the result does not depend on the number of workers or the order replications
 * finish in.
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type { Layer } from "effect/Layer"
import { OPEN_LEVELS } from "../domain/Level.js"
import { calibratedScenario } from "../calibrate/Dfe.js"
import { dfeCalibration, type Trend } from "../calibrate/DfeEstimates.js"
import { type CouncilTables, yearsOf, valueIn } from "../calibrate/DfeTables.js"
import { replicate, type Replicator, type WorkerFailed } from "../replication/Pool.js"
import { type Job, ReplicationError, STOCK_ROWS } from "../replication/Replication.js"
import { scenarioFromData } from "../scenario/Load.js"
import { type ForecastRow, forecastRow } from "./Metrics.js"
import { type Variation, variationOf, withVariation } from "./Uncertainty.js"

/** The measures back-tested: the published 31 March series and the model's levels that make it. */
export const MEASURES: ReadonlyArray<{
  readonly name: string
  readonly series: string
  readonly levels: ReadonlyArray<(typeof OPEN_LEVELS)[number]>
}> = [
  {
    name: "children in need",
    series: "b1.at31",
    levels: ["child_in_need", "child_protection", "looked_after"]
  },
  { name: "child protection plans", series: "d5.at31", levels: ["child_protection"] },
  { name: "looked after", series: "cla.stock", levels: ["looked_after"] }
]

/** A council's published 31 March figures for a measure, by year. */
export const actualsOf = (t: CouncilTables, series: string): Map<number, number> =>
  new Map(yearsOf(t, series).map((y) => [y, valueIn(t, series, y) ?? 0]))

export interface CutoffResult {
  readonly cutoff: number
  readonly years: number
  readonly rows: ReadonlyArray<ForecastRow>
  readonly scenarioText: string
  readonly pilot: string | null
  readonly notes: ReadonlyArray<string>
  /** The year-to-year variation drawn as uncertain parameters (null: --uncertainty none). */
  readonly variation: Variation | null
}

export interface BacktestSettings {
  readonly tables: CouncilTables
  readonly template: { readonly raw: unknown; readonly label: string }
  readonly trend: Trend
  readonly runs: number
  /** Draw the council's year-to-year variation of its rates as uncertain parameters (Uncertainty.ts). */
  readonly uncertainty: "rates" | "none"
  readonly command: string
  /** The Replicator for a job (a pool of workers, or this thread). */
  readonly replicator: (job: Job) => Layer<Replicator, WorkerFailed>
}

/** The last year any back-tested measure has a published figure. */
export const lastActualYear = (t: CouncilTables): number =>
  Math.max(...MEASURES.flatMap((m) => yearsOf(t, m.series)), -Infinity)

/** One cut-off: calibrate, simulate `runs` replications forward to the last published year, compare. */
export const backtestCutoff = (
  s: BacktestSettings,
  cutoff: number
): Effect.Effect<CutoffResult, ReplicationError | WorkerFailed> =>
  Effect.gen(function* () {
    const years = lastActualYear(s.tables) - cutoff
    const calibration = dfeCalibration(s.tables, cutoff, s.trend)
    const scenario = calibratedScenario({
      calibration,
      template: s.template.raw,
      templateLabel: s.template.label,
      command: s.command
    })
    if (Either.isLeft(scenario))
      return yield* Effect.fail(new ReplicationError({ replication: 0, detail: `cut-off ${cutoff}: ${scenario.left}` }))
    const variation = s.uncertainty === "rates" ? variationOf(s.tables, cutoff) : null
    const data = variation === null ? scenario.right.data : withVariation(scenario.right.data, variation)
    const source = scenarioFromData(`the scenario calibrated to ${cutoff}`, data, {
      checkExtremes: false
    })
    if (Either.isLeft(source))
      return yield* Effect.fail(
        new ReplicationError({ replication: 0, detail: `cut-off ${cutoff}: ${source.left.message}` })
      )
    const seed = source.right.central.seed
    const K = STOCK_ROWS.length
    const index = MEASURES.map((m) => m.levels.map((l) => OPEN_LEVELS.indexOf(l)))
    // values[measure][horizon - 1][replication]
    const values = MEASURES.map(() => Array.from({ length: years }, () => new Array<number>(s.runs).fill(0)))
    const job: Job = { arms: [source.right], years, seed }
    yield* replicate(0, s.runs, (o) => {
      const stocks = o.arms[0].stocks
      for (let m = 0; m < MEASURES.length; m++)
        for (let h = 1; h <= years; h++) {
          const row = 12 * h
          let n = 0
          for (const k of index[m]) n += stocks[row * K + k]
          values[m][h - 1][o.replication] = n
        }
    }).pipe(Effect.provide(s.replicator(job)))
    const rows: Array<ForecastRow> = []
    MEASURES.forEach((m, i) => {
      const actuals = actualsOf(s.tables, m.series)
      for (let h = 1; h <= years; h++) {
        const r = forecastRow(cutoff, m.name, h, values[i][h - 1], actuals)
        if (r !== null) rows.push(r)
      }
    })
    return {
      cutoff,
      years,
      rows,
      scenarioText: scenario.right.text,
      pilot: scenario.right.pilot,
      notes: scenario.right.notes,
      variation
    }
  })
