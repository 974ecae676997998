/**
 * A Monte Carlo run as an Effect: the replications of one shard (by default, all of them) run where the
 * `Replicator` says, and their outcomes are streamed into one `MonteCarloSummary` as they arrive.
 *
 * `Stream.range` -> `Stream.mapEffect(run, { concurrency, unordered: true })` -> a fold into the summary:
 * at most `2 x workers` replications are in flight, outcomes are folded in completion order (the summary
 * is order-free), and memory stays flat in the number of replications. Interrupting the run (Ctrl-C)
 * interrupts the stream, closes the worker pool and writes nothing.
 */
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { type MonteCarloPlan, shardRange, summaryShape } from "./Plan.js"
import { noProgress, type Progress } from "./Progress.js"
import type { ReplicationError } from "./Replication.js"
import { Replicator, type WorkerFailed } from "./Replicator.js"
import { MonteCarloSummary } from "./Summary.js"

export interface Shard {
  /** From 0. */
  readonly index: number
  readonly count: number
}

export interface ShardResult {
  readonly plan: MonteCarloPlan
  readonly shard: Shard & { readonly from: number; readonly to: number }
  readonly summary: MonteCarloSummary
}

export const runShard = (
  plan: MonteCarloPlan,
  shard: Shard = { index: 0, count: 1 },
  progress: Progress = noProgress
): Effect.Effect<ShardResult, ReplicationError | WorkerFailed, Replicator> =>
  Effect.gen(function* () {
    const replicator = yield* Replicator
    const summary = new MonteCarloSummary(summaryShape(plan))
    const { from, to } = shardRange(plan.runs, shard.index, shard.count)
    if (to > from)
      yield* Stream.range(from, to - 1).pipe(
        Stream.mapEffect(replicator.run, { concurrency: replicator.parallelism * 2, unordered: true }),
        Stream.runForEach((outcome) =>
          Effect.sync(() => {
            summary.add(outcome)
            progress.tick()
          })
        )
      )
    return { plan, shard: { ...shard, from, to }, summary }
  }).pipe(Effect.ensuring(Effect.sync(() => progress.clear())))
