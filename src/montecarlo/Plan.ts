/**
 * What defines a Monte Carlo run and its report: the scenario (by name and the SHA-256 of its text), seed,
 * run length, number of replications, the calendar (with the days of each financial year the run covers),
 * budget lines and budgets (whole-year, and pro-rated by days for a part year), tolerance, precision, the
 * uncertain parameters, and the quantile sketch's error bound. Shards of one run carry identical plans
 * (`caseflow merge` checks it), and the report is a function of the plan and the summary alone, so merged
 * shards print and write exactly what one unsharded run does.
 */
import * as Schema from "effect/Schema"
import { compileModel } from "../model/Model.js"
import { SEED_MAX, SEED_MIN } from "../random/Streams.js"
import { isPartYear, proRataPennies, yearCoverage } from "../report/Budget.js"
import type { ScenarioSource } from "../scenario/Load.js"
import { SKETCH_ALPHA } from "./QuantileSketch.js"
import { STOCK_ROWS } from "../replication/Replication.js"
import type { SummaryShape } from "./Summary.js"

export const MonteCarloPlan = Schema.Struct({
  scenario: Schema.Struct({ name: Schema.String, sha256: Schema.String }),
  seed: Schema.Number.pipe(Schema.int(), Schema.between(SEED_MIN, SEED_MAX)),
  years: Schema.Number,
  runs: Schema.Number,
  startDate: Schema.String,
  /** Last day simulated. */
  endDate: Schema.String,
  /** Each financial year: days of it the run covers, of the whole year's (a part year covers fewer). */
  financialYears: Schema.Array(
    Schema.Struct({
      label: Schema.String,
      partYear: Schema.Boolean,
      from: Schema.String,
      to: Schema.String,
      days: Schema.Number,
      yearDays: Schema.Number
    })
  ),
  months: Schema.Array(
    Schema.Struct({
      label: Schema.String,
      endDate: Schema.String,
      financialYear: Schema.String,
      yearEnd: Schema.Boolean
    })
  ),
  openingDate: Schema.String,
  budgetLines: Schema.Array(Schema.String),
  /**
   * The budgets spend is compared with, in pennies, [fy * (budgetLines + 1) + line] (the last line of each
   * year is the total): the whole year's budget, pro-rated by days in a part year (see report/Budget.ts).
   */
  budgets: Schema.Array(Schema.NullOr(Schema.Number)),
  /** The whole years' budgets they come from, likewise. */
  fullYearBudgets: Schema.Array(Schema.NullOr(Schema.Number)),
  tolerance: Schema.Number,
  /** Relative half-width of the 95% interval of a mean that `runs_for_precision` aims at. */
  precision: Schema.Number,
  sketchAlpha: Schema.Number,
  parameters: Schema.Array(
    Schema.Struct({
      path: Schema.String,
      type: Schema.String,
      share: Schema.NullOr(Schema.String),
      central: Schema.Number
    })
  ),
  factors: Schema.Array(Schema.Struct({ label: Schema.String, parameters: Schema.Array(Schema.String) }))
})
export type MonteCarloPlan = typeof MonteCarloPlan.Type

export interface PlanOptions {
  readonly seed: number
  readonly years: number
  readonly runs: number
  /** Whole-year budgets in pennies by cell (from `resolveBudgets`); pro-rated here for part years. */
  readonly budgets: ReadonlyArray<number | null>
  readonly tolerance: number
  readonly precision: number
}

/** The budget lines and financial years of a run of `years` (what budgets are resolved against). */
export const runLayout = (
  source: ScenarioSource,
  years: number
): { readonly financialYears: ReadonlyArray<string>; readonly budgetLines: ReadonlyArray<string> } => {
  const model = compileModel(source.central, years)
  return { financialYears: model.calendar.financialYears.map((f) => f.label), budgetLines: model.costs.budgetLines }
}

export const makePlan = (source: ScenarioSource, o: PlanOptions): MonteCarloPlan => {
  const model = compileModel(source.central, o.years)
  const cal = model.calendar
  const u = source.uncertainty
  const coverage = yearCoverage(cal)
  const B = model.costs.budgetLines.length
  return {
    scenario: { name: source.central.name, sha256: source.id },
    seed: o.seed,
    years: o.years,
    runs: o.runs,
    startDate: cal.startDate,
    endDate: cal.dateOf(cal.horizon - 1),
    financialYears: coverage.map((c) => ({
      label: c.label,
      partYear: isPartYear(c),
      from: c.from,
      to: c.to,
      days: c.days,
      yearDays: c.yearDays
    })),
    months: cal.months.map((m) => ({
      label: m.label,
      endDate: m.endDate,
      financialYear: cal.financialYears[m.fy].label,
      yearEnd: m.calendarMonth === 2 && m.endDate.endsWith("-03-31")
    })),
    openingDate: cal.dateOf(-1),
    budgetLines: model.costs.budgetLines,
    budgets: o.budgets.map((p, i) => (p === null ? null : proRataPennies(p, coverage[Math.floor(i / (B + 1))]))),
    fullYearBudgets: [...o.budgets],
    tolerance: o.tolerance,
    precision: o.precision,
    sketchAlpha: SKETCH_ALPHA,
    parameters:
      u === null
        ? []
        : u.parameters.map((p) => ({
            path: p.label,
            type: p.spec.type,
            share: p.spec.share ?? null,
            central: p.distribution.central
          })),
    factors:
      u === null
        ? []
        : u.factors.map((f) => ({ label: f.label, parameters: f.members.map((m) => u.parameters[m].label) }))
  }
}

export const summaryShape = (plan: MonteCarloPlan): SummaryShape => ({
  financialYears: plan.financialYears.length,
  budgetLines: plan.budgetLines.length,
  stockCells: (plan.months.length + 1) * STOCK_ROWS.length,
  budgets: plan.budgets,
  tolerance: plan.tolerance,
  parameters: plan.parameters.length
})

/** Shard i of n (from 0) runs replications [from, to): contiguous blocks, sizes differing by at most 1. */
export const shardRange = (
  runs: number,
  index: number,
  count: number
): { readonly from: number; readonly to: number } => ({
  from: Math.floor((index * runs) / count),
  to: Math.floor(((index + 1) * runs) / count)
})
