/**
 * The messages between the main thread and a replication worker, as Effect Schema tagged requests (the
 * Effect platform's serialised worker protocol): one `InitialMessage` when a worker starts (the name the
 * platform looks for), carrying the job (each arm's resolved scenario data, already checked by the main
 * thread; the run length and seed), then one `RunReplications` per block of consecutive replications,
 * answered with every arm's outcome of each, packed (Packed.ts), or a `ReplicationError`. `RunReplication`
 * (one replication, its outcome as plain data) is what the page's Web Workers answer.
 */
import * as Transferable from "@effect/platform/Transferable"
import * as Schema from "effect/Schema"
import type { PackedOutcomes as Packed } from "./Packed.js"
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

/** The numbers of packed outcomes, moved to the receiving thread rather than copied. */
const Numbers = Transferable.schema(
  Schema.declare((u): u is Float64Array => u instanceof Float64Array, { identifier: "Float64Array" }),
  (a) => [a.buffer]
)

const PackedOutcomes: Schema.Schema<Packed> = Schema.Struct({ numbers: Numbers, strings: Schema.Array(Schema.String) })

/** Replications [from, to), run in order; a failure stops the block. */
export class RunReplications extends Schema.TaggedRequest<RunReplications>()("RunReplications", {
  failure: ReplicationError,
  success: PackedOutcomes,
  payload: { from: Schema.Number, to: Schema.Number }
}) {}

/** A worker thread's requests (the page's Web Workers answer `RunReplication` instead: src/web/protocol.ts). */
export const WorkerRequest = Schema.Union(InitialMessage, RunReplications)
export type WorkerRequest = typeof WorkerRequest.Type
