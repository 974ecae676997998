/**
 * A Monte Carlo run as an Effect: the replications of one shard (by default, all of them) run where the
 * `Replicator` says, and their outcomes are folded into one `MonteCarloSummary` as they arrive, in
 * whatever order they finish (the summary is order-free), so memory stays flat in the number of
 * replications. Interrupting the run (Ctrl-C) interrupts the replications, closes the worker pool and
 * writes nothing.
 */
import * as Effect from "effect/Effect"
import { replicate, type Replicator, type WorkerFailed } from "../replication/Pool.js"
import { noProgress, type Progress } from "../replication/Progress.js"
import type { ReplicationError } from "../replication/Replication.js"
import { type MonteCarloPlan, shardRange, summaryShape } from "./Plan.js"
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
    const summary = new MonteCarloSummary(summaryShape(plan))
    const { from, to } = shardRange(plan.runs, shard.index, shard.count)
    yield* replicate(from, to, (o) => summary.add({ replication: o.replication, ...o.arms[0] }), progress)
    return { plan, shard: { ...shard, from, to }, summary }
  })
