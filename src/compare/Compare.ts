/**
 * A paired comparison as an Effect: the plan (both arms checked against each other), then the paired
 * replications run where the `PairRunner` says, collected and sorted by replication.
 *
 * `Stream.range` -> `Stream.mapEffect(run, { concurrency, unordered: true })` -> collected: at most
 * `2 x workers` pairs are in flight; the outcomes are sorted by replication before anything is computed
 * from them, so the results are byte-identical whatever the number of workers. A pair's outcome is a few
 * hundred numbers, so keeping every one (for medians and paired intervals) costs little. Interrupting the
 * comparison (Ctrl-C) interrupts the stream and closes the worker pool; nothing is written.
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { noProgress, type Progress } from "../montecarlo/Progress.js"
import type { ReplicationError } from "../montecarlo/Replication.js"
import type { WorkerFailed } from "../montecarlo/Replicator.js"
import { summariseIntervention } from "../scenario/interventions.js"
import { compileModel } from "../scenario/Model.js"
import type { Scenario } from "../scenario/Scenario.js"
import type { ScenarioSource } from "../uncertainty/UncertainScenario.js"
import { GREEN_BOOK_RATE } from "./CostBenefit.js"
import { compareLayout, type PairOutcome, type PairSettings } from "./Paired.js"
import { PairRunner } from "./Pool.js"
import type { ComparePlan, InterventionInfo } from "./Summary.js"

/** Two scenarios that cannot be compared (different start dates or run lengths). */
export class CompareError extends Schema.TaggedError<CompareError>()("CompareError", { detail: Schema.String }) {
  override get message(): string {
    return this.detail
  }
}

export interface CompareOptions {
  readonly runs: number
  /** null: the baseline's seed. */
  readonly seed: number | null
  /** null: the scenarios' (which must agree). */
  readonly years: number | null
  /** Overrides of the variant's optimism bias and deadweight (null: from its interventions). */
  readonly optimismBias: number | null
  readonly deadweight: number | null
}

const interventionsOf = (arm: InterventionInfo["arm"], s: Scenario): Array<InterventionInfo> =>
  s.interventions.map((i) => {
    const summary = summariseIntervention(i)
    return {
      arm,
      name: i.name,
      start: i.start,
      end: i.end ?? null,
      confidence: summary.confidence,
      optimismBias: summary.optimismBias,
      deadweight: summary.deadweight,
      evidence: summary.evidence
    }
  })

/** Checks that the two arms can be paired and fixes what the comparison runs. */
export const makeComparePlan = (
  baseline: ScenarioSource,
  variant: ScenarioSource,
  o: CompareOptions
): Either.Either<ComparePlan, CompareError> => {
  const b = baseline.central
  const v = variant.central
  if (b.start !== v.start)
    return Either.left(
      new CompareError({
        detail: `the baseline ${baseline.file} starts on ${b.start} but the variant ${variant.file} starts on ${v.start}: a paired comparison needs both to start on the same day`
      })
    )
  if (o.years === null && b.years !== v.years)
    return Either.left(
      new CompareError({
        detail: `the baseline ${baseline.file} runs ${b.years} years but the variant ${variant.file} runs ${v.years}: give --years to run both for the same length`
      })
    )
  const years = o.years ?? b.years
  const layout = compareLayout(compileModel(b, years), compileModel(v, years))
  return Either.right({
    baseline: { file: baseline.file, name: b.name },
    variant: { file: variant.file, name: v.name, seed: v.seed },
    seed: o.seed ?? b.seed,
    years,
    runs: o.runs,
    layout,
    interventions: [...interventionsOf("baseline", b), ...interventionsOf("variant", v)],
    overrides: { optimismBias: o.optimismBias, deadweight: o.deadweight },
    discountRate: GREEN_BOOK_RATE
  })
}

/** What the pair runner needs to know. */
export const pairSettings = (plan: ComparePlan, baseline: ScenarioSource, variant: ScenarioSource): PairSettings => ({
  baseline,
  variant,
  years: plan.years,
  seed: plan.seed
})

export interface Comparison {
  readonly plan: ComparePlan
  /** Sorted by replication. */
  readonly outcomes: ReadonlyArray<PairOutcome>
}

export const runComparison = (
  plan: ComparePlan,
  progress: Progress = noProgress
): Effect.Effect<Comparison, ReplicationError | WorkerFailed, PairRunner> =>
  Effect.gen(function* () {
    const runner = yield* PairRunner
    const outcomes: Array<PairOutcome> = []
    if (plan.runs > 0)
      yield* Stream.range(0, plan.runs - 1).pipe(
        Stream.mapEffect(runner.run, { concurrency: runner.parallelism * 2, unordered: true }),
        Stream.runForEach((o) =>
          Effect.sync(() => {
            outcomes.push(o)
            progress.tick()
          })
        )
      )
    outcomes.sort((a, b) => a.replication - b.replication)
    return { plan, outcomes }
  }).pipe(Effect.ensuring(Effect.sync(() => progress.clear())))
