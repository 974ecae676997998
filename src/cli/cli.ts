/**
 * The `caseflow` command line: the commands (one module each, in `commands/`), and `runCli`, which runs
 * it on an argument list with a given `CliIo` and returns the exit code. `main.ts` calls it with the
 * real process; tests call it in their own process with captured output.
 *
 *   caseflow run <scenario> [--seed N] [--years N] [--out DIR] [--events FILE]
 *   caseflow validate <scenario>
 *   caseflow replay <events file> [--out DIR]
 *   caseflow montecarlo <scenario> [--runs N] [--workers auto|K] [--seed S] [--years N] [--budget ...]...
 *                       [--tolerance 5%] [--precision 0.5%] [--out DIR] [--shard i/n]
 *   caseflow merge <shard files...> [--out DIR]
 *   caseflow compare <baseline> <variant> [--runs N] [--seed S] [--years N] [--workers auto|K] [--out DIR]
 *                    [--optimism-bias 10%] [--deadweight 0%]
 *   caseflow forecast <scenario> --as-of DATE [--actuals FILE] [--caseload FILE] [--history FILE] [--runs N]
 *                     [--workers auto|K] [--seed S] [--years N] [--budget ...]... [--tolerance 5%] [--out DIR]
 *   caseflow calibrate --episodes F... --header F... [--uasc F...] [--from DATE] [--to DATE] [--la X]
 *                      --table FILE.csv [--problems FILE.csv] [--children FILE.csv]
 *
 * Every way a command can end is a tagged error (`errors.ts`) handled here with `Effect.catchTags`: a
 * one-line message on stderr (no stack trace) and the exit code. A signal (`CliIo.stop`) interrupts the
 * command, whose scopes then remove anything staged, and ends with 130 or 143.
 */
import * as CliConfig from "@effect/cli/CliConfig"
import * as Command from "@effect/cli/Command"
import type * as ValidationError from "@effect/cli/ValidationError"
import * as FileSystem from "@effect/platform/FileSystem"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import * as NodeTerminal from "@effect/platform-node/NodeTerminal"
import * as Cause from "effect/Cause"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Ref from "effect/Ref"
import * as Scheduler from "effect/Scheduler"
import { format } from "node:util"
import { escapeControl, grouped } from "../domain/Show.js"
import { VERSION } from "../version.js"
import * as backtest from "./commands/backtest.js"
import * as calibrate from "./commands/calibrate.js"
import * as compare from "./commands/compare.js"
import * as forecast from "./commands/forecast.js"
import * as merge from "./commands/merge.js"
import * as montecarlo from "./commands/montecarlo.js"
import * as replay from "./commands/replay.js"
import * as run from "./commands/run.js"
import * as validate from "./commands/validate.js"
import { EXIT } from "./errors.js"
import { type CliIo, Io } from "./io.js"
import { ANSI } from "./usage.js"
import { Written } from "./output.js"
import { type CommandFlags, missingValue, usageMessage } from "./usage.js"

const commands = { run, validate, replay, montecarlo, merge, compare, forecast, calibrate, backtest } as const

const caseflow = Command.make("caseflow").pipe(
  Command.withDescription(
    "simulate children's social care demand and cost; caseflow <command> --help shows a command's flags"
  ),
  Command.withSubcommands([
    run.command,
    validate.command,
    replay.command,
    montecarlo.command,
    merge.command,
    compare.command,
    forecast.command,
    calibrate.command,
    backtest.command
  ])
)

const app = Command.run(caseflow, { name: "caseflow", version: VERSION })

/** The command `name` names, for messages about its flags (null: not a command). */
const commandOf = (name: string | undefined): CommandFlags | null =>
  name !== undefined && Object.hasOwn(commands, name) ? { name, ...commands[name as keyof typeof commands] } : null

/** The longest message printed, in characters: a hostile input never makes a huge one. */
const MESSAGE_LIMIT = 8000

/** A message as printed: control characters escaped line by line, at most MESSAGE_LIMIT characters. */
export const printable = (message: string): string => {
  const lines = message.split("\n").map((l) => escapeControl(l))
  const text = lines.join("\n")
  return text.length <= MESSAGE_LIMIT
    ? text
    : `${text.slice(0, MESSAGE_LIMIT)}\n... (${grouped(text.length - MESSAGE_LIMIT)} more characters)`
}

/** The Console @effect/cli prints help and its errors with: help to stdout, errors kept for `usageMessage`. */
const cliConsole = (io: CliIo): Console.Console => {
  const toStdout = (...args: ReadonlyArray<unknown>) => {
    const text = format(...args)
    io.stdout(`${(io.color ? text : text.replace(ANSI, "")).replace(/\s+$/, "")}\n`)
  }
  // Its own rendering of a parse error is replaced by caseflow's (see `usageMessage`).
  const dropped = () => {}
  const unsafe: Console.UnsafeConsole = {
    assert: dropped,
    clear: dropped,
    count: dropped,
    countReset: dropped,
    debug: dropped,
    dir: dropped,
    dirxml: dropped,
    error: dropped,
    group: dropped,
    groupCollapsed: dropped,
    groupEnd: dropped,
    info: toStdout,
    log: toStdout,
    table: dropped,
    time: dropped,
    timeEnd: dropped,
    timeLog: dropped,
    trace: dropped,
    warn: dropped
  }
  const lift =
    (f: (...args: ReadonlyArray<unknown>) => void) =>
    (...args: ReadonlyArray<unknown>) =>
      Effect.sync(() => f(...args))
  return {
    [Console.TypeId]: Console.TypeId,
    assert: () => Effect.void,
    clear: Effect.void,
    count: () => Effect.void,
    countReset: () => Effect.void,
    debug: () => Effect.void,
    dir: () => Effect.void,
    dirxml: () => Effect.void,
    error: () => Effect.void,
    group: () => Effect.void,
    groupEnd: Effect.void,
    info: lift(toStdout),
    log: lift(toStdout),
    table: () => Effect.void,
    time: () => Effect.void,
    timeEnd: () => Effect.void,
    timeLog: () => Effect.void,
    trace: () => Effect.void,
    warn: () => Effect.void,
    unsafe
  }
}

/**
 * Effect's default scheduler yields to the event loop only every 2,048 yields (microtasks in between), so a
 * run that yields between chunks of events would not see a signal for minutes. This one yields to the
 * event loop each time, which costs microseconds per yield.
 */
const eventLoopScheduler = (): Scheduler.Scheduler => Scheduler.makeBatched((runBatch) => void setImmediate(runBatch))

/**
 * The platform's file system, except that `exists` says false for a path that cannot be reached (e.g.
 * below a file: ENOTDIR) rather than failing: @effect/cli checks `--out` and file arguments with it and
 * turns a failure into a defect. Such a path is then refused by the command itself, with its flag.
 */
const fileSystem = Layer.effect(
  FileSystem.FileSystem,
  Effect.map(FileSystem.FileSystem, (fs) =>
    FileSystem.FileSystem.of({ ...fs, exists: (p: string) => fs.exists(p).pipe(Effect.orElseSucceed(() => false)) })
  )
).pipe(Layer.provide(NodeFileSystem.layer))

const platform = Layer.mergeAll(
  fileSystem,
  NodePath.layer,
  NodeTerminal.layer,
  CliConfig.layer({ showBuiltIns: false })
)

/** Runs the command line on `argv` (without `node` and the script) and returns the exit code. */
export const runCli = (given: ReadonlyArray<string>, io: CliIo): Promise<number> => {
  // calibrate and backtest take several files after one flag (a shell glob): one flag per file for @effect/cli.
  const argv = given[0] === "calibrate" || given[0] === "backtest" ? calibrate.spreadFiles(given) : given
  const command = commandOf(argv[0])
  const missing = command === null ? null : missingValue(argv.slice(1), command.checks)
  if (missing !== null) {
    io.stderr(`caseflow: ${printable(missing)}\n`)
    return Promise.resolve(EXIT.badInput)
  }
  const fail = (message: string, code: number) =>
    Effect.sync(() => {
      io.stderr(`caseflow: ${printable(message)}\n`)
      return code
    })
  const written = Ref.unsafeMake(0)
  const usage = (e: ValidationError.ValidationError) =>
    Effect.flatMap(usageMessage(e, argv, command), (m) => fail(m, EXIT.badInput))
  const program = Effect.raceFirst(app(["node", "caseflow", ...argv]), io.stop).pipe(
    Effect.as<number>(EXIT.ok),
    Effect.catchTags({
      BadFlag: (e) => fail(e.message, EXIT.badInput),
      BadInput: (e) => fail(e.message, EXIT.badInput),
      OutputIsInput: (e) => fail(e.message, EXIT.badInput),
      WriteFailed: (e) => fail(e.message, EXIT.failed),
      WorkerDied: (e) => fail(e.message, EXIT.failed),
      Interrupted: (e) =>
        Effect.flatMap(Ref.get(written), (n) =>
          n === 0
            ? fail(e.message, EXIT[e.signal])
            : fail(`interrupted (${e.signal}) as it finished; its results were written`, EXIT[e.signal])
        ),
      HelpRequested: () => Effect.succeed(EXIT.ok),
      CommandMismatch: usage,
      CorrectedFlag: usage,
      InvalidArgument: usage,
      InvalidValue: usage,
      MissingFlag: usage,
      MissingValue: usage,
      MissingSubcommand: usage,
      MultipleValuesDetected: usage,
      NoBuiltInMatch: usage,
      UnclusteredFlag: usage
    }),
    Effect.catchAllCause((cause) =>
      Cause.isInterruptedOnly(cause)
        ? fail("interrupted; no results written", EXIT.SIGINT)
        : fail(`internal error (please report it): ${Cause.pretty(cause)}`, EXIT.failed)
    ),
    Effect.withConsole(cliConsole(io)),
    Effect.provideService(Io, io),
    Effect.provide(platform),
    Effect.provideService(Written, written),
    Effect.withScheduler(eventLoopScheduler())
  )
  return Effect.runPromise(program)
}
