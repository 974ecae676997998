/**
 * The messages between the main thread and a replication worker, as Effect Schema tagged requests (the
 * Effect platform's serialised worker protocol): one `InitialMessage` when a worker starts (the scenario
 * text, run length and seed: each worker prepares the scenario itself), then one `RunReplication` per
 * replication, answered with that replication's outcome or a `ReplicationError`.
 */
import * as Schema from "effect/Schema"
import { ReplicationError, ReplicationOutcomeSchema } from "./Replication.js"

export class InitialMessage extends Schema.TaggedRequest<InitialMessage>()("InitialMessage", {
  failure: Schema.Never,
  success: Schema.Void,
  payload: { file: Schema.String, text: Schema.String, years: Schema.Number, seed: Schema.Number }
}) {}

export class RunReplication extends Schema.TaggedRequest<RunReplication>()("RunReplication", {
  failure: ReplicationError,
  success: ReplicationOutcomeSchema,
  payload: { replication: Schema.Number }
}) {}

export const WorkerRequest = Schema.Union(InitialMessage, RunReplication)
export type WorkerRequest = typeof WorkerRequest.Type
