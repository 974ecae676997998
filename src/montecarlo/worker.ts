/**
 * The replication worker thread: prepares the scenario once (from the initial message), then runs the
 * replications it is asked for. Started through `worker-boot.mjs`, which registers the TypeScript loader.
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as NodeWorkerRunner from "@effect/platform-node/NodeWorkerRunner"
import * as Runner from "@effect/platform/WorkerRunner"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import { prepareScenarioSource } from "../uncertainty/UncertainScenario.js"
import { WorkerRequest } from "./protocol.js"
import { makeReplicator, type ReplicationOutcome, ReplicationError } from "./Replication.js"

class Replicate extends Context.Tag("caseflow/worker/Replicate")<
  Replicate,
  (r: number) => Either.Either<ReplicationOutcome, ReplicationError>
>() {}

const handlers = Runner.layerSerialized(WorkerRequest, {
  InitialMessage: ({ file, text, years, seed }) =>
    Layer.sync(Replicate, () => {
      // The main thread has already checked this text; a failure here is a broken invariant.
      const source = Either.getOrThrow(prepareScenarioSource(file, text, { checkExtremes: false }))
      const replicate = makeReplicator(source, years, seed)
      return (r: number) => Either.map(replicate(r), (run) => run.outcome)
    }),
  RunReplication: ({ replication }) =>
    Effect.flatMap(Replicate, (replicate) => Effect.suspend(() => replicate(replication)))
})

NodeRuntime.runMain(Runner.launch(Layer.provide(handlers, NodeWorkerRunner.layer)), { disableErrorReporting: true })
