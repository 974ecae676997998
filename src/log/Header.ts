/**
 * The first line of an event log: the format, the caseflow version, the scenario (its name and identity,
 * the SHA-256 of its canonical JSON), the seed, the replication and the run length, and the scenario itself,
 * so that `caseflow replay` can rebuild every projection from the log alone.
 */
import * as Schema from "effect/Schema"
import { scenarioId } from "../scenario/Identity.js"

export const LOG_FORMAT = "caseflow-events/1"

export const LogHeader = Schema.Struct({
  format: Schema.Literal(LOG_FORMAT),
  caseflow: Schema.String,
  scenario: Schema.Struct({ name: Schema.String, sha256: Schema.String }),
  seed: Schema.Number,
  replication: Schema.Number,
  years: Schema.Number.pipe(Schema.int(), Schema.between(1, 50)),
  /** The scenario run, resolved (no `extends`), as data: `caseflow replay` needs nothing else. */
  definition: Schema.Unknown
})
export type LogHeader = typeof LogHeader.Type

/** The header of the log of a run of `definition` (resolved scenario data, see `scenario/Load.ts`). */
export const makeHeader = (
  name: string,
  definition: unknown,
  seed: number,
  replication: number,
  years: number,
  version: string
): LogHeader => ({
  format: LOG_FORMAT,
  caseflow: version,
  scenario: { name, sha256: scenarioId(definition) },
  seed,
  replication,
  years,
  definition
})
