/** Shared set-up for the Monte Carlo tests: a prepared scenario, a plan, and a run in this thread or in workers. */
import * as fs from "node:fs"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { type BudgetFlag, resolveBudgets } from "../../src/montecarlo/Budget.js"
import { runShard, type Shard, type ShardResult } from "../../src/montecarlo/MonteCarlo.js"
import { makePlan, type MonteCarloPlan, runLayout } from "../../src/montecarlo/Plan.js"
import { Replicator } from "../../src/replication/Pool.js"
import { scenarioFromPlainText, type ScenarioSource } from "../../src/scenario/Load.js"

export const source = (file: string): ScenarioSource =>
  Either.getOrThrow(scenarioFromPlainText(file, fs.readFileSync(file, "utf8")))

export interface PlanArgs {
  readonly runs: number
  readonly seed?: number
  readonly years?: number
  readonly budgets?: ReadonlyArray<BudgetFlag>
  readonly tolerance?: number
}

export const plan = (src: ScenarioSource, a: PlanArgs): MonteCarloPlan => {
  const years = a.years ?? src.central.years
  const layout = runLayout(src, years)
  const budgets = Either.getOrThrow(resolveBudgets({ ...layout, scenario: src.central.budgetLines }, a.budgets ?? []))
  return makePlan(src, {
    seed: a.seed ?? src.central.seed,
    years,
    runs: a.runs,
    budgets,
    tolerance: a.tolerance ?? 0.05,
    precision: 0.005
  })
}

/** Runs a plan (or one shard of it) in this thread (workers = 0) or on worker threads. */
export const run = (src: ScenarioSource, p: MonteCarloPlan, workers = 0, shard?: Shard): Promise<ShardResult> => {
  const job = { arms: [src], years: p.years, seed: p.seed }
  const layer = workers === 0 ? Replicator.inThisThread(job) : Replicator.workerThreads(job, workers)
  return Effect.runPromise(runShard(p, shard).pipe(Effect.provide(layer)))
}

/** A budget flag for a total (line null) or a line. */
export const budget = (financialYear: string, pounds: number, line: string | null = null): BudgetFlag => ({
  text: `${financialYear}=${pounds}`,
  financialYear,
  line,
  pounds
})
