/**
 * The first line of an event log: the format, the caseflow version, the scenario (its name and identity,
 * the SHA-256 of its canonical JSON), the seed, the replication and the run length, how many events come
 * between two checkpoints (`Integrity.ts`), and the scenario itself, so that `caseflow replay` can
 * rebuild every projection from the log alone. The checkpoint on line 2 covers the header's bytes, so
 * none of these can be edited unseen.
 */
import * as Schema from "effect/Schema"
import { MAX_RUN_YEARS } from "../domain/Calendar.js"
import { SEED_MAX, SEED_MIN } from "../random/Streams.js"
import { scenarioId } from "../scenario/Identity.js"
import { CHECKPOINT_EVERY, MAX_CHECKPOINT_EVERY } from "./Integrity.js"

export const LOG_FORMAT = "caseflow-events/4"

/** Formats of event logs this caseflow recognises but no longer reads, and what they lack. */
export const OLD_LOG_FORMATS: ReadonlyArray<string> = ["caseflow-events/1", "caseflow-events/2", "caseflow-events/3"]
export const OLD_LOG_FORMAT_LACKS: Readonly<Record<string, string>> = {
  "caseflow-events/1": "which carries no checksums",
  "caseflow-events/2": "written before legal statuses were logged",
  "caseflow-events/3": "written before contacts, reviews, sibling groups and histories were logged"
}

const Int = Schema.Number.pipe(Schema.int())

export const LogHeader = Schema.Struct({
  format: Schema.Literal(LOG_FORMAT),
  caseflow: Schema.String.pipe(Schema.pattern(/^\d+\.\d+\.\d+[0-9A-Za-z.+-]{0,40}$/)),
  scenario: Schema.Struct({
    name: Schema.String,
    sha256: Schema.String.pipe(Schema.pattern(/^[0-9a-f]{64}$/))
  }),
  seed: Int.pipe(Schema.between(SEED_MIN, SEED_MAX)).annotations({
    message: () => ({ message: "expected a whole number (at most 2^53 - 1 either side of 0)", override: true })
  }),
  replication: Int.pipe(Schema.between(0, 2 ** 31 - 1)),
  years: Int.pipe(Schema.between(1, MAX_RUN_YEARS)),
  checkpointEvery: Int.pipe(Schema.between(1, MAX_CHECKPOINT_EVERY)),
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
  version: string,
  checkpointEvery: number = CHECKPOINT_EVERY
): LogHeader => ({
  format: LOG_FORMAT,
  caseflow: version,
  scenario: { name, sha256: scenarioId(definition) },
  seed,
  replication,
  years,
  checkpointEvery,
  definition
})
