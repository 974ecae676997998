/**
 * One Monte Carlo replication: plain, synchronous code that any thread can run.
 *
 * Replication r uses the streams `makeStreams(seed, r)`: the referral process and every child draw from
 * exactly the streams `caseflow run --seed <seed>` uses when r = 0, so replication 0 of a scenario without
 * uncertain parameters *is* that run. Uncertain parameters are drawn first, from their own streams
 * (`parameters:<factor>`), which the engine never reads, so they do not disturb the process noise.
 *
 * What a replication hands back is small and fixed in size: spend in pennies by financial year and budget
 * line, month-end stocks by level and placement, and the parameter values drawn.
 */
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { OPEN_LEVELS, PLACEMENTS, placementCell, CELL_COUNT } from "../domain/Level.js"
import { Simulation } from "../engine/Simulation.js"
import { Ledger, type LedgerTotals } from "../projections/Ledger.js"
import { spendOf, type Spend } from "../projections/Spend.js"
import { makeStreams } from "../random/Streams.js"
import { levelCount } from "../report/tables.js"
import { compileModel, type Model } from "../scenario/Model.js"
import { drawQuantiles, parameterValues, scenarioWith, type ScenarioSource } from "../uncertainty/UncertainScenario.js"

/** A replication that could not run: the parameters drawn for it make the scenario invalid. */
export class ReplicationError extends Schema.TaggedError<ReplicationError>()("ReplicationError", {
  replication: Schema.Number,
  detail: Schema.String
}) {
  override get message(): string {
    return `replication ${this.replication}: ${this.detail}`
  }
}

/** The stock rows of the fan chart: each open level, then each placement type (looked-after children). */
export const STOCK_ROWS: ReadonlyArray<{ readonly kind: "level" | "placement"; readonly name: string }> = [
  ...OPEN_LEVELS.map((name) => ({ kind: "level" as const, name })),
  ...PLACEMENTS.map((name) => ({ kind: "placement" as const, name }))
]
const K = STOCK_ROWS.length

export interface ReplicationOutcome {
  readonly replication: number
  /** Spend in whole pennies, [fy * (budgetLines + 1) + line]; line = budgetLines is the total of all lines. */
  readonly spend: ReadonlyArray<number>
  /** Children, [row * STOCK_ROWS + k]; row 0 is the opening caseload, row m + 1 the end of month m. */
  readonly stocks: ReadonlyArray<number>
  /** Each uncertain parameter's value as drawn (before lists are rescaled to add up to 1). */
  readonly draws: ReadonlyArray<number>
}

export const ReplicationOutcomeSchema = Schema.Struct({
  replication: Schema.Number,
  spend: Schema.Array(Schema.Number),
  stocks: Schema.Array(Schema.Number),
  draws: Schema.Array(Schema.Number)
})

/** A replication's full result (for tests and for comparing with `caseflow run`). */
export interface ReplicationRun {
  readonly outcome: ReplicationOutcome
  readonly model: Model
  readonly totals: LedgerTotals
  readonly spend: Spend
}

/** Pennies, rounded half away from zero (so -0.5p and 0.5p round alike in size). */
export const toPennies = (pounds: number): number => {
  const p = Math.round(Math.abs(pounds) * 100)
  return pounds < 0 ? -p : p
}

const outcomeOf = (
  replication: number,
  totals: LedgerTotals,
  spend: Spend,
  draws: ArrayLike<number>
): ReplicationOutcome => {
  const b = spend.budgetLines.length
  const fys = totals.calendar.financialYears.length
  const pennies: Array<number> = new Array<number>(fys * (b + 1))
  for (let f = 0; f < fys; f++) {
    let total = 0
    for (let i = 0; i < b; i++) {
      const p = toPennies(spend.byBudgetLineFy[f * b + i])
      pennies[f * (b + 1) + i] = p
      total += p
    }
    pennies[f * (b + 1) + b] = total
  }
  const months = totals.calendar.months.length
  const stocks: Array<number> = new Array<number>((months + 1) * K)
  const row = (r: number, cells: ArrayLike<number>, offset: number) => {
    OPEN_LEVELS.forEach((level, k) => (stocks[r * K + k] = levelCount(cells, offset, level)))
    PLACEMENTS.forEach((_, p) => (stocks[r * K + OPEN_LEVELS.length + p] = cells[offset + placementCell(p)]))
  }
  row(0, totals.openingStock, 0)
  for (let m = 0; m < months; m++) row(m + 1, totals.monthEndStock, m * CELL_COUNT)
  return { replication, spend: pennies, stocks, draws: Array.from(draws) }
}

/**
 * Prepares a scenario for replications of `years` years with `seed`, and returns the function that runs
 * replication r. A scenario without uncertainty is compiled once; otherwise each replication compiles its
 * own scenario.
 */
export const makeReplicator = (
  source: ScenarioSource,
  years: number,
  seed: number
): ((r: number) => Either.Either<ReplicationRun, ReplicationError>) => {
  const fixed = source.uncertainty === null ? compileModel(source.central, years) : null
  return (r) => {
    const streams = makeStreams(seed, r)
    let model: Model
    let draws: ArrayLike<number> = []
    const u = source.uncertainty
    if (fixed !== null || u === null) model = fixed ?? compileModel(source.central, years)
    else {
      const values = parameterValues(u, drawQuantiles(u, streams))
      draws = values
      const scenario = scenarioWith(source, values)
      if (Either.isLeft(scenario)) {
        const drawn = u.parameters.map((p, i) => `${p.label} = ${values[i]}`).join(", ")
        const problems = scenario.left.problems
          .map((p) => (p.path === "" ? p.message : `${p.path}: ${p.message}`))
          .join("; ")
        return Either.left(
          new ReplicationError({
            replication: r,
            detail: `the parameters drawn for it (${drawn}) make the scenario invalid: ${problems}`
          })
        )
      }
      model = compileModel(scenario.right, years)
    }
    const ledger = new Ledger(model.calendar, model.costs, model.policy.services)
    new Simulation(model, streams, ledger.evolve).run()
    const totals = ledger.finish()
    const spend = spendOf(totals)
    return Either.right({ outcome: outcomeOf(r, totals, spend, draws), model, totals, spend })
  }
}
