/**
 * The ways a command ends other than success, as tagged errors, and the exit code of each:
 *
 *   0    success
 *   1    a failure that is not the user's input: a file that could not be written, a worker that died
 *   2    bad input: a scenario, a flag, an event log, a shard; an output that would overwrite an input
 *   130  stopped by SIGINT (Ctrl-C); 143 stopped by SIGTERM
 *
 * Each command turns the errors of the modules it calls into these (with `Effect.catchTags`), so the
 * top of the command line (`cli.ts`) handles exactly this set.
 */
import * as Schema from "effect/Schema"

/** A flag whose value makes no sense, or flags that do not fit the scenario. Exit 2. */
export class BadFlag extends Schema.TaggedError<BadFlag>()("BadFlag", { detail: Schema.String }) {
  override get message(): string {
    return this.detail
  }
}

/** An input file that is wrong: a scenario, an event log, a shard, a pair that cannot be compared. Exit 2. */
export class BadInput extends Schema.TaggedError<BadInput>()("BadInput", { detail: Schema.String }) {
  override get message(): string {
    return this.detail
  }
}

/** An output that would overwrite one of the command's inputs. Exit 2. */
export class OutputIsInput extends Schema.TaggedError<OutputIsInput>()("OutputIsInput", {
  /** The flag that names the output, e.g. "--events". */
  flag: Schema.String,
  output: Schema.String,
  input: Schema.String,
  /** What the input is, e.g. "the scenario", "a base scenario it extends", "the event log being replayed". */
  role: Schema.String
}) {
  override get message(): string {
    return (
      `${this.flag}: ${this.output} would overwrite ${this.role}, ${this.input}; ` +
      "caseflow never writes over its inputs"
    )
  }
}

/** An output file or folder that could not be written. Exit 1. */
export class WriteFailed extends Schema.TaggedError<WriteFailed>()("WriteFailed", {
  file: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `${this.file}: ${this.detail}; no results written`
  }
}

/** A worker thread that could not start or died. Exit 1. */
export class WorkerDied extends Schema.TaggedError<WorkerDied>()("WorkerDied", { detail: Schema.String }) {
  override get message(): string {
    return this.detail
  }
}

export const StopSignal = Schema.Literal("SIGINT", "SIGTERM")
export type StopSignal = typeof StopSignal.Type

/** The process was asked to stop. Exit 128 + the signal's number. */
export class Interrupted extends Schema.TaggedError<Interrupted>()("Interrupted", { signal: StopSignal }) {
  override get message(): string {
    return `interrupted (${this.signal}); no results written`
  }
}

export const EXIT = { ok: 0, failed: 1, badInput: 2, SIGINT: 130, SIGTERM: 143 } as const
