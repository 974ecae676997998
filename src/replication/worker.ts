/**
 * The replication worker thread: prepares the job's arms once (from the initial message), then runs the
 * replications it is asked for. Started through `worker-boot.mjs` when running from source.
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as NodeWorkerRunner from "@effect/platform-node/NodeWorkerRunner"
import * as Runner from "@effect/platform/WorkerRunner"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import { scenarioFromData } from "../scenario/Load.js"
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
  RunReplication: ({ replication }) => Effect.flatMap(Replicate, (run) => Effect.suspend(() => run(replication)))
})

NodeRuntime.runMain(Runner.launch(Layer.provide(handlers, NodeWorkerRunner.layer)), { disableErrorReporting: true })
