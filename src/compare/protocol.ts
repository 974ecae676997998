/**
 * The messages between the main thread and a comparison worker (the Effect platform's serialised worker
 * protocol, as for Monte Carlo): one `InitialMessage` when a worker starts (the name the platform looks for) (both scenario texts, run
 * length and seed: each worker prepares both arms itself), then one `RunPair` per paired replication,
 * answered with the pair's outcome or a `ReplicationError`.
 */
import * as Schema from "effect/Schema"
import { ReplicationError } from "../montecarlo/Replication.js"
import { PairOutcomeSchema } from "./Paired.js"

const ScenarioText = Schema.Struct({ file: Schema.String, text: Schema.String })

export class InitialMessage extends Schema.TaggedRequest<InitialMessage>()("InitialMessage", {
  failure: Schema.Never,
  success: Schema.Void,
  payload: { baseline: ScenarioText, variant: ScenarioText, years: Schema.Number, seed: Schema.Number }
}) {}

export class RunPair extends Schema.TaggedRequest<RunPair>()("RunPair", {
  failure: ReplicationError,
  success: PairOutcomeSchema,
  payload: { replication: Schema.Number }
}) {}

export const CompareRequest = Schema.Union(InitialMessage, RunPair)
export type CompareRequest = typeof CompareRequest.Type
