/**
 * What a command may touch of the process it runs in, as one service: where its text goes (stdout for
 * results, stderr for messages, timings and progress), whether to colour help, how many cores there are,
 * and the signal that asks it to stop. `main.ts` makes the real one from the process; tests make one that
 * captures the text, so the whole command line runs in the test's own process.
 *
 * Nothing here is module-level state: each invocation gets its own `CliIo`.
 */
import * as Context from "effect/Context"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as FiberId from "effect/FiberId"
import * as os from "node:os"
import { noProgress, type Progress, terminalProgress } from "../replication/Progress.js"
import { Interrupted, type StopSignal } from "./errors.js"

export interface CliIo {
  /** Writes to stdout (results). Once stdout is closed (`caseflow ... | head -1`), writes are dropped. */
  readonly stdout: (text: string) => void
  /** Writes to stderr (messages, timings). */
  readonly stderr: (text: string) => void
  /** Whether help may use ANSI colours. */
  readonly color: boolean
  /** A progress bar for `total` replications (drawn on stderr if it is a terminal, else nothing). */
  readonly progress: (total: number) => Progress
  /** The machine's cores: the most worker threads a command starts. */
  readonly cores: number
  /** Fails with `Interrupted` when the process is asked to stop (SIGINT, SIGTERM); never succeeds. */
  readonly stop: Effect.Effect<never, Interrupted>
  /**
   * Runs work that writes nothing (reading and checking the inputs) with the process's default answer to
   * SIGINT and SIGTERM, which ends it at once, even in the middle of a long synchronous step such as parsing a
   * large scenario file (a signal handler would only run after it). There is nothing to clean up then.
   */
  readonly unguarded: <A, E, R>(work: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
}

export class Io extends Context.Tag("caseflow/cli/Io")<Io, CliIo>() {}

/** Writes a line to stdout. */
export const say = (text: string): Effect.Effect<void, never, Io> => Effect.map(Io, (io) => io.stdout(`${text}\n`))

/** Writes a line to stderr. */
export const note = (text: string): Effect.Effect<void, never, Io> => Effect.map(Io, (io) => io.stderr(`${text}\n`))

/** The outputs and signals of a test: text captured in memory, and a `stop` the test can trigger. */
export interface CapturedIo extends CliIo {
  readonly out: () => string
  readonly err: () => string
  /** Asks the command to stop, as the signal would. */
  readonly signal: (signal: StopSignal) => void
}

/** A `CliIo` that captures stdout and stderr (no terminal, no colour); `cores` defaults to this machine's. */
export const capturedIo = (options: { readonly cores?: number } = {}): CapturedIo => {
  const out: Array<string> = []
  const err: Array<string> = []
  const stopped = Deferred.unsafeMake<never, Interrupted>(FiberId.none)
  return {
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    color: false,
    progress: () => noProgress,
    cores: options.cores ?? os.availableParallelism(),
    stop: Deferred.await(stopped),
    unguarded: (work) => work,
    out: () => out.join(""),
    err: () => err.join(""),
    signal: (signal) => void Deferred.unsafeDone(stopped, Effect.fail(new Interrupted({ signal })))
  }
}

/** Pauses and resumes the process's own handling of SIGINT and SIGTERM (see `CliIo.unguarded`). */
export interface SignalGuard {
  readonly pause: () => void
  readonly resume: () => void
}

/** The real process: its stdout and stderr (a closed pipe ends output quietly), its cores and signals. */
export const processIo = (stop: Effect.Effect<never, Interrupted>, guard: SignalGuard): CliIo => {
  // A write to a closed pipe fails asynchronously with EPIPE: from then on that stream's output is dropped,
  // quietly (the reader has gone; the command's files are unaffected).
  const writer = (stream: NodeJS.WriteStream) => {
    let open = true
    stream.on("error", () => {
      open = false
    })
    return (text: string) => {
      if (open && !stream.destroyed) stream.write(text)
    }
  }
  const stderr = process.stderr
  return {
    stdout: writer(process.stdout),
    stderr: writer(stderr),
    color: process.stdout.isTTY === true && process.env.NO_COLOR === undefined,
    progress: (total) => terminalProgress(total, stderr),
    cores: os.availableParallelism(),
    stop,
    unguarded: (work) =>
      Effect.acquireUseRelease(
        // A signal caught while the handlers are in place waits for the event loop's next poll; removing
        // them first would drop it, and the command would run on to exit 0. Pausing from the loop's check
        // phase, just after that poll, hands any such signal to the handlers first.
        Effect.async<void>((resume) => {
          setImmediate(() => {
            guard.pause()
            resume(Effect.void)
          })
        }),
        () => work,
        () => Effect.sync(guard.resume)
      )
  }
}
