/**
 * Where replications run: in this thread, or in a pool of worker threads; and running a range of them.
 * Monte Carlo and paired comparisons both use it (a job of one arm, or of two).
 *
 * The pool is the Effect platform's serialised worker pool (`@effect/platform` `Worker.makePoolSerialized`
 * over `@effect/platform-node` `NodeWorker`): requests and answers are Schema-typed messages, each worker
 * is started with an initial message (the job) and kept for the whole run, and the pool belongs to a
 * scope, so when the run ends, fails or is interrupted (Ctrl-C), every worker is told to close and is
 * terminated if it has not. The per-event loop stays plain TypeScript inside each worker; Effect only
 * moves whole replications.
 *
 * Either way a replication's outcome is the same function of (job, replication), so anything folded from
 * the outcomes does not depend on where they ran or in which order they came back.
 */
import * as Worker from "@effect/platform/Worker"
import type { WorkerError } from "@effect/platform/WorkerError"
import * as NodeWorker from "@effect/platform-node/NodeWorker"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as fs from "node:fs"
import * as WorkerThreads from "node:worker_threads"
import { noProgress, type Progress } from "./Progress.js"
import { unpack } from "./Packed.js"
import { InitialMessage, RunReplications, type WorkerRequest } from "./protocol.js"
import { type Job, makeInterruptibleReplicator, type ReplicationError, type ReplicationOutcome } from "./Replication.js"

/** A worker thread that could not start or died. */
export class WorkerFailed extends Schema.TaggedError<WorkerFailed>()("WorkerFailed", { detail: Schema.String }) {
  override get message(): string {
    return `a worker thread failed: ${this.detail}`
  }
}

export class Replicator extends Context.Tag("caseflow/replication/Replicator")<
  Replicator,
  {
    /** Runs replication r of every arm. */
    readonly run: (replication: number) => Effect.Effect<ReplicationOutcome, ReplicationError | WorkerFailed>
    /**
     * Runs replications [from, to) of every arm, in order, as one request (a worker's round trip costs the
     * main thread about as much as folding a replication, so workers are sent blocks); `run` if absent.
     */
    readonly runBlock?: (
      from: number,
      to: number
    ) => Effect.Effect<ReadonlyArray<ReplicationOutcome>, ReplicationError | WorkerFailed>
    /** How many replications or blocks can usefully run at once. */
    readonly parallelism: number
  }
>() {
  /** Replications in this thread, one at a time (`--workers 0`, and tests), interruptible as they run. */
  static readonly inThisThread = (job: Job): Layer.Layer<Replicator> =>
    Layer.sync(Replicator, () => ({ run: makeInterruptibleReplicator(job), parallelism: 1 }))

  /** A pool of `size` worker threads, each running one replication at a time. */
  static readonly workerThreads = (job: Job, size: number): Layer.Layer<Replicator, WorkerFailed> =>
    Layer.scoped(
      Replicator,
      Effect.gen(function* () {
        const pool = yield* Worker.makePoolSerialized<WorkerRequest>({
          size,
          concurrency: 1,
          initialMessage: () =>
            new InitialMessage({
              arms: job.arms.map((a) => ({ label: a.label, raw: a.raw })),
              years: job.years,
              seed: job.seed
            })
        })
        const runBlock = (from: number, to: number) =>
          pool.executeEffect(new RunReplications({ from, to })).pipe(
            Effect.flatMap((packed) =>
              Effect.try({
                try: () => unpack(packed),
                catch: (e) => new WorkerFailed({ detail: `an answer did not unpack: ${String(e)}` })
              })
            ),
            answerOf
          )
        return {
          run: (r: number) => Effect.map(runBlock(r, r + 1), (outcomes) => outcomes[0]),
          runBlock,
          parallelism: size
        }
      }).pipe(
        Effect.catchTag("WorkerError", (e) => Effect.fail(new WorkerFailed({ detail: e.message }))),
        Effect.provide(NodeWorker.layer(() => new WorkerThreads.Worker(workerEntry(), { execArgv: [] })))
      )
    )
}

/** The worker script this thread's pools start instead of their own (`setWorkerScript`), if any. */
let workerScript: URL | null = null

/**
 * Starts the workers of this thread's pools from `script`, a bundle of src/replication/worker.ts (null:
 * from their own entry point again). For the tests: a worker started from the source boots tsx in its
 * thread, seconds of CPU each, so test/setup.ts points them at one bundle of the current source, built
 * once per test run (test/globalSetup.ts).
 */
export const setWorkerScript = (script: URL | null): void => {
  workerScript = script
}

/**
 * The worker's entry point: the built worker beside this module when caseflow runs from its build
 * (`dist/`), else `worker-boot.mjs`, which registers the TypeScript loader first (a worker does not
 * inherit the loader of the thread that started it). `execArgv: []`: a worker does not inherit a parent's
 * loader flags either way.
 */
const workerEntry = (): URL => {
  if (workerScript !== null) return workerScript
  const built = new URL("./worker.js", import.meta.url)
  return fs.existsSync(built) ? built : new URL("./worker-boot.mjs", import.meta.url)
}

/** A worker's answer, with the pool's own failures (a dead worker, an answer that does not decode) as WorkerFailed. */
const answerOf = <A>(
  e: Effect.Effect<A, ReplicationError | WorkerFailed | WorkerError | ParseResult.ParseError>
): Effect.Effect<A, ReplicationError | WorkerFailed> =>
  e.pipe(
    Effect.catchTags({
      WorkerError: (x) => Effect.fail(new WorkerFailed({ detail: x.message })),
      ParseError: (x) => Effect.fail(new WorkerFailed({ detail: `an answer did not decode: ${x.message}` }))
    })
  )

/**
 * The most replications in one block. The last blocks are smaller (see `blocks`), so the workers finish
 * together whatever it is; it sets how often the pool's round trip is paid, and a round trip (the platform's
 * request and answer, their schemas, the fibers around them) costs the main thread far more CPU than folding
 * the block's outcomes (README, "Monte Carlo budget risk", "Benchmark").
 */
export const MAX_BLOCK = 32

/**
 * [from, to) cut into consecutive blocks for `parallelism` workers: each block a quarter of what is left
 * per worker, at most MAX_BLOCK, so the blocks shrink to single replications at the end and no worker is
 * left running a long block while the others wait.
 */
export const blocks = (from: number, to: number, parallelism: number): Array<readonly [number, number]> => {
  const out: Array<readonly [number, number]> = []
  for (let r = from; r < to;) {
    const size = Math.max(1, Math.min(MAX_BLOCK, Math.floor((to - r) / (4 * parallelism))))
    out.push([r, r + size])
    r += size
  }
  return out
}

/**
 * Runs replications [from, to) where the `Replicator` says and hands each outcome to `take`, in the order
 * they finish: at most 2 x parallelism requests (replications, or blocks of them) in flight, so memory
 * stays flat in the number of replications. Interrupting it interrupts the replications in flight (and,
 * through the layer's scope, the pool).
 *
 * A replication that cannot run fails it with the LOWEST such replication, whatever the number of workers
 * and the order answers come back in: after a failure no later replication is started, and those before it
 * (all started already, in order) are waited for, so one of them that fails too is the one reported.
 */
export const replicate = (
  from: number,
  to: number,
  take: (outcome: ReplicationOutcome) => void,
  progress: Progress = noProgress
): Effect.Effect<void, ReplicationError | WorkerFailed, Replicator> =>
  Effect.gen(function* () {
    const replicator = yield* Replicator
    if (to <= from) return
    const concurrency = { concurrency: replicator.parallelism * 2, unordered: true } as const
    let failed: ReplicationError | null = null
    const before = (r: number) => failed === null || r < failed.replication
    const handOn = (outcome: ReplicationOutcome) => {
      take(outcome)
      progress.tick()
    }
    const settle = <A>(answer: Effect.Effect<A, ReplicationError | WorkerFailed>) =>
      Effect.catchTag(answer, "ReplicationError", (e) =>
        Effect.sync(() => {
          if (before(e.replication)) failed = e
          return null
        })
      )
    const runBlock = replicator.runBlock
    if (runBlock === undefined)
      yield* Stream.range(from, to - 1).pipe(
        Stream.takeWhile(before),
        Stream.mapEffect((r) => settle(replicator.run(r)), concurrency),
        Stream.runForEach((outcome) =>
          Effect.sync(() => {
            if (outcome !== null) handOn(outcome)
          })
        )
      )
    else
      yield* Stream.fromIterable(blocks(from, to, replicator.parallelism)).pipe(
        Stream.takeWhile(([a]) => before(a)),
        Stream.mapEffect(([a, b]) => settle(runBlock(a, b)), concurrency),
        Stream.runForEach((outcomes) => Effect.sync(() => outcomes?.forEach(handOn)))
      )
    if (failed !== null) return yield* Effect.fail(failed)
  }).pipe(Effect.ensuring(Effect.sync(() => progress.clear())))
