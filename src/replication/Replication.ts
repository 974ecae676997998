/**
 * One replication: plain, synchronous code that any thread can run, shared by Monte Carlo (one arm) and
 * paired comparisons (two arms, a baseline and a variant).
 *
 * Replication r uses the streams `makeStreams(seed, r)`: the referral process and every child draw from
 * exactly the streams `caseflow run --seed <seed>` uses when r = 0, so replication 0 of a scenario without
 * uncertain parameters *is* that run. Uncertain parameters are drawn first, from their own streams
 * (`parameters:<factor>`), which the engine never reads, so they do not disturb the process noise. In a
 * comparison both arms use the same streams (common random numbers): they see the same referrals, each
 * child draws from their own stream, and a parameter both arms share is drawn alike.
 *
 * What an arm hands back is small and fixed in size (plain numbers, so it crosses a worker boundary as it
 * is): month-end stocks by level and placement, spend in whole pennies by financial year, by budget line
 * and by cost line, the parameter values drawn, and what each intervention did. Each figure is rounded to
 * the penny once and everything else is an exact integer sum, so sums over replications are exact.
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import {
  CELL_COUNT,
  LEFT_CARE_REASONS,
  levelCount,
  OPEN_LEVELS,
  PLACEMENTS,
  placementCell,
  REVIEW_OUTCOMES
} from "../domain/Level.js"
import { compileModel, type Model } from "../model/Model.js"
import { priceFactors } from "../model/Prices.js"
import { makeStreams } from "../random/Streams.js"
import { toPennies } from "../projections/Spend.js"
import { simulateInterruptibly, simulateOrRefused, type RunResult } from "../run/Run.js"
import type { ScenarioSource } from "../scenario/Load.js"
import { drawQuantiles, parameterValues, scenarioWith } from "../scenario/uncertain/Parameters.js"

/** A replication that could not run: the parameters drawn for it make the scenario invalid, or its run was
 * refused (it would never end, or its spend is beyond exact pennies: `RunRefused`). */
export class ReplicationError extends Schema.TaggedError<ReplicationError>()("ReplicationError", {
  replication: Schema.Number,
  detail: Schema.String
}) {
  override get message(): string {
    return `replication ${this.replication}: ${this.detail}`
  }
}

/** The stock rows kept per month: each open level, then each placement type (looked-after children). */
export const STOCK_ROWS: ReadonlyArray<{ readonly kind: "level" | "placement"; readonly name: string }> = [
  ...OPEN_LEVELS.map((name) => ({ kind: "level" as const, name })),
  ...PLACEMENTS.map((name) => ({ kind: "placement" as const, name }))
]
const K = STOCK_ROWS.length

const LineSpendSchema = Schema.Struct({
  /** Identifies the line across arms: kind, intervention, budget line and name. */
  key: Schema.String,
  name: Schema.String,
  budgetLine: Schema.String,
  intervention: Schema.NullOr(Schema.String),
  /** Pennies by financial year. */
  byFy: Schema.Array(Schema.Number)
})
export type LineSpend = typeof LineSpendSchema.Type

const ENDED = REVIEW_OUTCOMES.indexOf("ended")
const SHORTENED = REVIEW_OUTCOMES.indexOf("shortened")
const UNCHANGED = REVIEW_OUTCOMES.indexOf("unchanged")

export const ArmOutcome = Schema.Struct({
  /** Children, [row * STOCK_ROWS + k]; row 0 is the opening caseload, row m + 1 the end of month m. */
  stocks: Schema.Array(Schema.Number),
  /** Children who left care in each month, by any route (for back-tests of flows out of care). */
  leftCare: Schema.optionalWith(Schema.Array(Schema.Number), { default: () => [] }),
  /** Referrals (new and re-referrals) in each month (for back-tests against DfE's referrals a year). */
  referrals: Schema.optionalWith(Schema.Array(Schema.Number), { default: () => [] }),
  /** Pennies, [fy * (budgetLines + 1) + line], in the arm's budget-line order; the last of each year is the total. */
  spend: Schema.Array(Schema.Number),
  /** Every cost line's spend by financial year. */
  lines: Schema.Array(LineSpendSchema),
  /** The general price index by financial year, 1 in the first: (1 + costs.inflation) ^ years, as drawn
   * (a comparison deflates its cash amounts by it to discount them in real terms). Empty: not kept. */
  priceIndex: Schema.optionalWith(Schema.Array(Schema.Number), { default: () => [] }),
  /** Each uncertain parameter's value as drawn (before lists are rescaled to add up to 1). */
  draws: Schema.Array(Schema.Number),
  /** The arm's interventions in the scenario's order: children who started each, and its adjustments as drawn. */
  interventions: Schema.Array(
    Schema.Struct({
      name: Schema.String,
      started: Schema.Number,
      optimismBias: Schema.Number,
      deadweight: Schema.Number,
      /** For an intervention with a quota, by financial year: [fy * 4 + k], k: target, reviewed, stays ended,
       * stays shortened. Empty otherwise. */
      reviews: Schema.optionalWith(Schema.Array(Schema.Number), { default: () => [] })
    })
  )
})
export type ArmOutcome = typeof ArmOutcome.Type

export const ReplicationOutcome = Schema.Struct({
  replication: Schema.Number,
  /** One per arm, in the order the arms were given. */
  arms: Schema.Array(ArmOutcome)
})
export type ReplicationOutcome = typeof ReplicationOutcome.Type

/** Pennies, rounded half away from zero (so -0.5p and 0.5p round alike in size). */
export { toPennies } from "../projections/Spend.js"

/** What one arm of a replication keeps of its run. */
export const armOutcome = (run: RunResult, draws: ArrayLike<number>): ArmOutcome => {
  const { totals, spend, model } = run
  const cal = totals.calendar
  const F = cal.financialYears.length
  const lines: Array<LineSpend> = spend.lines.map((line) => {
    const pounds = new Array<number>(F).fill(0)
    cal.months.forEach((m, i) => (pounds[m.fy] += line.amount[i]))
    const budgetLine = spend.budgetLines[line.budgetLine]
    return {
      key: `${line.kind}|${line.intervention ?? ""}|${budgetLine}|${line.name}`,
      name: line.name,
      budgetLine,
      intervention: line.intervention,
      byFy: pounds.map(toPennies)
    }
  })
  // A budget line's spend in a year is rounded once (so replication 0 is `caseflow run` to the penny); the
  // total is the sum of those pennies.
  const B = spend.budgetLines.length
  const pennies = new Array<number>(F * (B + 1)).fill(0)
  for (let f = 0; f < F; f++)
    for (let b = 0; b < B; b++) {
      const p = toPennies(spend.byBudgetLineFy[f * B + b])
      pennies[f * (B + 1) + b] = p
      pennies[f * (B + 1) + B] += p
    }
  const months = cal.months.length
  const stocks = new Array<number>((months + 1) * K)
  const row = (r: number, cells: ArrayLike<number>, offset: number) => {
    OPEN_LEVELS.forEach((level, k) => (stocks[r * K + k] = levelCount(cells, offset, level)))
    PLACEMENTS.forEach((_, p) => (stocks[r * K + OPEN_LEVELS.length + p] = cells[offset + placementCell(p)]))
  }
  row(0, totals.openingStock, 0)
  for (let m = 0; m < months; m++) row(m + 1, totals.monthEndStock, m * CELL_COUNT)
  const LC = LEFT_CARE_REASONS.length
  const leftCare = new Array<number>(months).fill(0)
  for (let m = 0; m < months; m++) for (let k = 0; k < LC; k++) leftCare[m] += totals.leftCare[m * LC + k]
  const referrals = new Array<number>(months)
  for (let m = 0; m < months; m++) referrals[m] = totals.referrals[m * 2] + totals.referrals[m * 2 + 1]
  const started = totals.services.services
    .filter((s) => s.model !== null && s.model.intervention >= 0)
    .map((s) => s.started.reduce((a, b) => a + b, 0))
  const reviews = (name: string): Array<number> => {
    const q = totals.reviews?.quotas.find((x) => x.name === name)
    if (q === undefined) return []
    const out = new Array<number>(F * 4).fill(0)
    cal.months.forEach((month, m) => {
      const k = month.fy * 4
      out[k] += q.target[m]
      const r = m * REVIEW_OUTCOMES.length
      out[k + 1] += q.reviews[r + ENDED] + q.reviews[r + SHORTENED] + q.reviews[r + UNCHANGED]
      out[k + 2] += q.reviews[r + ENDED]
      out[k + 3] += q.reviews[r + SHORTENED]
    })
    return out
  }
  const interventions = model.interventions.map((iv, i) => ({
    name: iv.name,
    started: started[i] ?? 0,
    optimismBias: iv.optimismBias,
    deadweight: iv.deadweight,
    reviews: reviews(iv.name)
  }))
  const general = priceFactors(model.scenario, cal)(undefined)
  const priceIndex = Array.from(general, (f) => f / general[0])
  return { stocks, leftCare, referrals, spend: pennies, lines, priceIndex, draws: Array.from(draws), interventions }
}

/** One arm's replication in full (tests compare it with `caseflow run`). */
export interface ArmRun extends RunResult {
  readonly outcome: ArmOutcome
}

/** What replication r of an arm runs: its model (with its parameters drawn) and its streams. */
interface Prepared {
  readonly model: Model
  readonly streams: ReturnType<typeof makeStreams>
  readonly draws: ArrayLike<number>
}

/**
 * Prepares a scenario for replications of `years` years with `seed` and returns the function that sets
 * up replication r of it. A scenario without uncertainty is compiled once; otherwise each replication
 * compiles its own, with its parameters drawn.
 */
const preparer = (
  source: ScenarioSource,
  years: number,
  seed: number
): ((r: number) => Either.Either<Prepared, ReplicationError>) => {
  const fixed: Model | null = source.uncertainty === null ? compileModel(source.central, years) : null
  return (r) => {
    const streams = makeStreams(seed, r)
    const u = source.uncertainty
    if (fixed !== null || u === null)
      return Either.right({ model: fixed ?? compileModel(source.central, years), streams, draws: [] })
    const values = parameterValues(u, drawQuantiles(u, streams))
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
    return Either.right({ model: compileModel(scenario.right, years), streams, draws: values })
  }
}

/** The function that runs replication r of one arm, in full (tests compare it with `caseflow run`). */
export const makeArm = (
  source: ScenarioSource,
  years: number,
  seed: number
): ((r: number) => Either.Either<ArmRun, ReplicationError>) => {
  const prepare = preparer(source, years, seed)
  return (r) =>
    Either.flatMap(prepare(r), ({ model, streams, draws }) =>
      Either.mapBoth(simulateOrRefused(model, streams), {
        onLeft: (e) => new ReplicationError({ replication: r, detail: e.detail }),
        onRight: (run) => ({ ...run, outcome: armOutcome(run, draws) })
      })
    )
}

/** What a pool of replications runs: one or more arms, for the same years and seed. */
export interface Job {
  readonly arms: ReadonlyArray<ScenarioSource>
  readonly years: number
  readonly seed: number
}

/** A replication's error, naming the scenario (the arm) it is of. */
const armError = (label: string, r: number, detail: string): ReplicationError =>
  new ReplicationError({ replication: r, detail: `${label}: ${detail}` })

/** The function that runs replication r of every arm of a job. */
export const makeReplicator = (job: Job): ((r: number) => Either.Either<ReplicationOutcome, ReplicationError>) => {
  const arms = job.arms.map((source) => ({ source, run: makeArm(source, job.years, job.seed) }))
  return (r) => {
    const out: Array<ArmOutcome> = []
    for (const arm of arms) {
      const result = arm.run(r)
      if (Either.isLeft(result)) return Either.left(armError(arm.source.label, r, result.left.detail))
      out.push(result.right.outcome)
    }
    return Either.right({ replication: r, arms: out })
  }
}

/**
 * The same as `makeReplicator`, as an Effect that the runtime can interrupt between chunks of events: for
 * replications in the main thread (`--workers 0`), so that a signal is not kept waiting by a long one.
 */
export const makeInterruptibleReplicator = (
  job: Job
): ((r: number) => Effect.Effect<ReplicationOutcome, ReplicationError>) => {
  const arms = job.arms.map((source) => ({ source, prepare: preparer(source, job.years, job.seed) }))
  return (r) =>
    Effect.gen(function* () {
      const out: Array<ArmOutcome> = []
      for (const arm of arms) {
        const prepared = arm.prepare(r)
        if (Either.isLeft(prepared)) return yield* Effect.fail(armError(arm.source.label, r, prepared.left.detail))
        const { model, streams, draws } = prepared.right
        const run = yield* Effect.mapError(simulateInterruptibly(model, streams), (e) =>
          armError(arm.source.label, r, e.detail)
        )
        out.push(armOutcome(run, draws))
      }
      return { replication: r, arms: out }
    })
}
