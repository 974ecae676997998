/**
 * The messages between the main thread and a replication worker, as Effect Schema tagged requests (the
 * Effect platform's serialised worker protocol): one `InitialMessage` when a worker starts (the name the
 * platform looks for), carrying the job (each arm's resolved scenario data, already checked by the main
 * thread; the run length and seed), then one `RunReplication` per replication, answered with every arm's
 * outcome or a `ReplicationError`.
 */
import * as Schema from "effect/Schema"
import { ReplicationError, ReplicationOutcome } from "./Replication.js"

/** One arm: its name in messages and its resolved scenario (passed by structured clone, YAML anchors kept). */
const Arm = Schema.Struct({ label: Schema.String, raw: Schema.Unknown })

export class InitialMessage extends Schema.TaggedRequest<InitialMessage>()("InitialMessage", {
  failure: Schema.Never,
  success: Schema.Void,
  payload: { arms: Schema.Array(Arm), years: Schema.Number, seed: Schema.Number }
}) {}

export class RunReplication extends Schema.TaggedRequest<RunReplication>()("RunReplication", {
  failure: ReplicationError,
  success: ReplicationOutcome,
  payload: { replication: Schema.Number }
}) {}

export const WorkerRequest = Schema.Union(InitialMessage, RunReplication)
export type WorkerRequest = typeof WorkerRequest.Type
