/**
 * The comparison worker thread: prepares both arms once (from the initial message), then runs the paired
 * replications it is asked for. Started through `worker-boot.mjs`, which registers the TypeScript loader.
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as NodeWorkerRunner from "@effect/platform-node/NodeWorkerRunner"
import * as Runner from "@effect/platform/WorkerRunner"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import type { ReplicationError } from "../montecarlo/Replication.js"
import { prepareScenarioSource } from "../uncertainty/UncertainScenario.js"
import { pairReplicator, type PairOutcome } from "./Paired.js"
import { CompareRequest } from "./protocol.js"

class RunPairs extends Context.Tag("caseflow/compare/worker/RunPairs")<
  RunPairs,
  (r: number) => Either.Either<PairOutcome, ReplicationError>
>() {}

const handlers = Runner.layerSerialized(CompareRequest, {
  InitialMessage: ({ baseline, variant, years, seed }) =>
    Layer.sync(RunPairs, () =>
      // The main thread has already checked both texts; a failure here is a broken invariant.
      pairReplicator({
        baseline: Either.getOrThrow(prepareScenarioSource(baseline.file, baseline.text, { checkExtremes: false })),
        variant: Either.getOrThrow(prepareScenarioSource(variant.file, variant.text, { checkExtremes: false })),
        years,
        seed
      })
    ),
  RunPair: ({ replication }) => Effect.flatMap(RunPairs, (run) => Effect.suspend(() => run(replication)))
})

NodeRuntime.runMain(Runner.launch(Layer.provide(handlers, NodeWorkerRunner.layer)), { disableErrorReporting: true })
