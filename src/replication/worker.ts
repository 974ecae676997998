/**
 * The replication worker thread: prepares the job's arms once (from the initial message), then runs the
 * replications it is asked for, a block at a time, and answers each block packed (Packed.ts). Started
 * through `worker-boot.mjs` when running from source.
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as NodeWorkerRunner from "@effect/platform-node/NodeWorkerRunner"
import * as Runner from "@effect/platform/WorkerRunner"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import { scenarioFromData } from "../scenario/Load.js"
import { pack } from "./Packed.js"
import { WorkerRequest } from "./protocol.js"
import { makeReplicator, type ReplicationError, type ReplicationOutcome } from "./Replication.js"

class Replicate extends Context.Tag("caseflow/replication/worker/Replicate")<
  Replicate,
  (r: number) => Either.Either<ReplicationOutcome, ReplicationError>
>() {}

const handlers = Runner.layerSerialized(WorkerRequest, {
  InitialMessage: ({ arms, years, seed }) =>
    Layer.sync(Replicate, () =>
      makeReplicator({
        // The main thread has already checked every arm; a failure here is a broken invariant.
        arms: arms.map((a) => Either.getOrThrow(scenarioFromData(a.label, a.raw, { checkExtremes: false }))),
        years,
        seed
      })
    ),
  RunReplications: ({ from, to }) =>
    Effect.flatMap(Replicate, (run) =>
      Effect.suspend(() => {
        const outcomes: Array<ReplicationOutcome> = []
        for (let r = from; r < to; r++) {
          const outcome = run(r)
          if (Either.isLeft(outcome)) return Effect.fail(outcome.left)
          outcomes.push(outcome.right)
        }
        return Effect.succeed(pack(outcomes))
      })
    )
})

NodeRuntime.runMain(Runner.launch(Layer.provide(handlers, NodeWorkerRunner.layer)), { disableErrorReporting: true })
