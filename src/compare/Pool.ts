/**
 * Where paired replications run: in this thread, or in a pool of worker threads (the Effect platform's
 * serialised worker pool, as `src/montecarlo/Replicator.ts` uses for Monte Carlo: each worker prepares
 * both arms once, the pool belongs to a scope, and interrupting the comparison closes every worker).
 *
 * A pair's outcome is the same function of (both scenarios, years, seed, replication) wherever it runs.
 */
import * as Worker from "@effect/platform/Worker"
import * as NodeWorker from "@effect/platform-node/NodeWorker"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as WorkerThreads from "node:worker_threads"
import type { ReplicationError } from "../montecarlo/Replication.js"
import { answerOf, WorkerFailed } from "../montecarlo/Replicator.js"
import { pairReplicator, type PairOutcome, type PairSettings } from "./Paired.js"
import { InitialMessage, type CompareRequest, RunPair } from "./protocol.js"

export class PairRunner extends Context.Tag("caseflow/compare/PairRunner")<
  PairRunner,
  {
    /** Runs paired replication r. */
    readonly run: (replication: number) => Effect.Effect<PairOutcome, ReplicationError | WorkerFailed>
    /** How many pairs can usefully run at once. */
    readonly parallelism: number
  }
>() {
  /** Pairs in this thread, one at a time (`--workers 0`, and tests). */
  static readonly inThisThread = (settings: PairSettings): Layer.Layer<PairRunner> =>
    Layer.sync(PairRunner, () => {
      const run = pairReplicator(settings)
      return {
        run: (r) =>
          Effect.suspend(() => {
            const result = run(r)
            return Either.isRight(result) ? Effect.succeed(result.right) : Effect.fail(result.left)
          }),
        parallelism: 1
      }
    })

  /** A pool of `size` worker threads, each running one pair at a time. */
  static readonly workerThreads = (settings: PairSettings, size: number): Layer.Layer<PairRunner, WorkerFailed> =>
    Layer.scoped(
      PairRunner,
      Effect.gen(function* () {
        const pool = yield* Worker.makePoolSerialized<CompareRequest>({
          size,
          concurrency: 1,
          initialMessage: () =>
            new InitialMessage({
              baseline: { file: settings.baseline.file, text: settings.baseline.text },
              variant: { file: settings.variant.file, text: settings.variant.text },
              years: settings.years,
              seed: settings.seed
            })
        })
        return {
          run: (r: number) => pool.executeEffect(new RunPair({ replication: r })).pipe(answerOf),
          parallelism: size
        }
      }).pipe(
        Effect.catchTag("WorkerError", (e) => Effect.fail(new WorkerFailed({ detail: e.message }))),
        Effect.provide(
          NodeWorker.layer(
            // execArgv: [] so the worker does not inherit a parent's loader flags; worker-boot.mjs registers
            // the TypeScript loader itself.
            () => new WorkerThreads.Worker(new URL("./worker-boot.mjs", import.meta.url), { execArgv: [] })
          )
        )
      )
    )
}
