/**
 * Where replications run: in this thread, or in a pool of worker threads.
 *
 * The pool is the Effect platform's serialised worker pool (`@effect/platform` `Worker.makePoolSerialized`
 * over `@effect/platform-node` `NodeWorker`): requests and answers are Schema-typed messages, each worker
 * is started with an initial message (the scenario) and kept for the whole run, and the pool belongs to a
 * scope, so when the run ends, fails or is interrupted (Ctrl-C), every worker is told to close and is
 * terminated if it has not within 5 seconds. The per-event loop stays plain TypeScript inside each worker;
 * Effect only moves whole replications.
 *
 * Either way a replication's outcome is the same function of (scenario, years, seed, replication), so the
 * summary folded from the outcomes does not depend on where they ran or in which order they came back.
 */
import * as Worker from "@effect/platform/Worker"
import type { WorkerError } from "@effect/platform/WorkerError"
import type * as ParseResult from "effect/ParseResult"
import * as NodeWorker from "@effect/platform-node/NodeWorker"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import * as WorkerThreads from "node:worker_threads"
import type { ScenarioSource } from "../uncertainty/UncertainScenario.js"
import { InitialMessage, RunReplication, type WorkerRequest } from "./protocol.js"
import { makeReplicator, type ReplicationError, type ReplicationOutcome } from "./Replication.js"

/** A worker's answer, with the pool's own failures (a dead worker, an answer that does not decode) as WorkerFailed. */
export const answerOf = <A>(
  e: Effect.Effect<A, ReplicationError | WorkerError | ParseResult.ParseError>
): Effect.Effect<A, ReplicationError | WorkerFailed> =>
  e.pipe(
    Effect.catchTags({
      WorkerError: (x) => Effect.fail(new WorkerFailed({ detail: x.message })),
      ParseError: (x) => Effect.fail(new WorkerFailed({ detail: `an answer did not decode: ${x.message}` }))
    })
  )

/** A worker thread that could not start or died. */
export class WorkerFailed extends Schema.TaggedError<WorkerFailed>()("WorkerFailed", { detail: Schema.String }) {
  override get message(): string {
    return `a worker thread failed: ${this.detail}`
  }
}

export interface ReplicatorSettings {
  readonly source: ScenarioSource
  readonly years: number
  readonly seed: number
}

export class Replicator extends Context.Tag("caseflow/montecarlo/Replicator")<
  Replicator,
  {
    /** Runs replication r. */
    readonly run: (replication: number) => Effect.Effect<ReplicationOutcome, ReplicationError | WorkerFailed>
    /** How many replications can usefully run at once. */
    readonly parallelism: number
  }
>() {
  /** Replications in this thread, one at a time (used for `--workers 0` and in tests). */
  static readonly inThisThread = (settings: ReplicatorSettings): Layer.Layer<Replicator> =>
    Layer.sync(Replicator, () => {
      const replicate = makeReplicator(settings.source, settings.years, settings.seed)
      return {
        run: (r) =>
          Effect.suspend(() => {
            const result = replicate(r)
            return Either.isRight(result) ? Effect.succeed(result.right.outcome) : Effect.fail(result.left)
          }),
        parallelism: 1
      }
    })

  /** A pool of `size` worker threads, each running one replication at a time. */
  static readonly workerThreads = (settings: ReplicatorSettings, size: number): Layer.Layer<Replicator, WorkerFailed> =>
    Layer.scoped(
      Replicator,
      Effect.gen(function* () {
        const pool = yield* Worker.makePoolSerialized<WorkerRequest>({
          size,
          concurrency: 1,
          initialMessage: () =>
            new InitialMessage({
              file: settings.source.file,
              text: settings.source.text,
              years: settings.years,
              seed: settings.seed
            })
        })
        return {
          run: (r: number) => pool.executeEffect(new RunReplication({ replication: r })).pipe(answerOf),
          parallelism: size
        }
      }).pipe(
        Effect.catchTag("WorkerError", (e) => Effect.fail(new WorkerFailed({ detail: e.message }))),
        Effect.provide(
          NodeWorker.layer(
            () =>
              // execArgv: [] so the worker does not inherit a parent's loader flags; worker-boot.mjs registers
              // the TypeScript loader itself, the same way whether caseflow was started by npx, tsx or vitest.
              new WorkerThreads.Worker(new URL("./worker-boot.mjs", import.meta.url), { execArgv: [] })
          )
        )
      )
    )
}
