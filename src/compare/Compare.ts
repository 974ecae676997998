/**
 * A paired comparison as an Effect: the plan (both arms checked against each other), then the paired
 * replications run where the `Replicator` says (a job of two arms, see `replication/`), collected and
 * sorted by replication before anything is computed from them, so the results are byte-identical
 * whatever the number of workers. A pair's outcome is a few
 * hundred numbers, so keeping every one (for medians and paired intervals) costs little. Interrupting the
 * comparison (Ctrl-C) interrupts the stream and closes the worker pool; nothing is written.
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { replicate, type Replicator, type WorkerFailed } from "../replication/Pool.js"
import { noProgress, type Progress } from "../replication/Progress.js"
import type { Job, ReplicationError } from "../replication/Replication.js"
import { summariseIntervention } from "../model/Policy.js"
import { compileModel } from "../model/Model.js"
import type { Scenario } from "../scenario/Scenario.js"
import type { ScenarioSource } from "../scenario/Load.js"
import { GREEN_BOOK_RATE } from "./CostBenefit.js"
import { compareLayout, pairOf, type PairOutcome } from "./Paired.js"
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
        detail:
          `the baseline ${baseline.file} starts on ${b.start} but the variant ${variant.file} starts on ` +
          `${v.start}: a paired comparison needs both to start on the same day`
      })
    )
  if (o.years === null && b.years !== v.years)
    return Either.left(
      new CompareError({
        detail:
          `the baseline ${baseline.file} runs ${b.years} years but the variant ${variant.file} runs ` +
          `${v.years}: give --years to run both for the same length`
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

/** The job both arms run: the baseline and the variant, on the same streams. */
export const compareJob = (plan: ComparePlan, baseline: ScenarioSource, variant: ScenarioSource): Job => ({
  arms: [baseline, variant],
  years: plan.years,
  seed: plan.seed
})

export interface Comparison {
  readonly plan: ComparePlan
  /** Sorted by replication. */
  readonly outcomes: ReadonlyArray<PairOutcome>
}

/** Runs the pairs where the `Replicator` says (a job of both arms, see `compareJob`). */
export const runComparison = (
  plan: ComparePlan,
  progress: Progress = noProgress
): Effect.Effect<Comparison, ReplicationError | WorkerFailed, Replicator> =>
  Effect.gen(function* () {
    const outcomes: Array<PairOutcome> = []
    yield* replicate(0, plan.runs, (o) => outcomes.push(pairOf(plan.layout, o)), progress)
    outcomes.sort((a, b) => a.replication - b.replication)
    return { plan, outcomes }
  })
