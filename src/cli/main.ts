/**
 * The `caseflow` command line.
 *
 *   caseflow run <scenario> [--seed N] [--years N] [--out DIR] [--events FILE]
 *   caseflow validate <scenario>
 *   caseflow replay <events file> [--out DIR]
 *
 * Bad input (a scenario, a flag, an event log) ends with a message naming the file, the field and what was
 * expected, exit code 2 and no output files. Results go to stdout and the output folder; timings go to
 * stderr, so stdout is the same for the same scenario and seed.
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as ValidationError from "@effect/cli/ValidationError"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { EventLogError, makeHeader, ndjsonEventLog, replayEventLog } from "../log/EventLogFile.js"
import { resultFiles } from "../report/tables.js"
import { summaryText } from "../report/summary.js"
import { runModel } from "../run/Run.js"
import { EventLog, RandomStreams } from "../run/services.js"
import { loadScenario, ScenarioError } from "../scenario/load.js"
import { compileModel } from "../scenario/Model.js"
import { VERSION } from "../version.js"
import { OutputError, writeFilesAtomically } from "./output.js"

/** A flag with a value that parses but makes no sense (e.g. --years 0). */
export class UsageError extends Schema.TaggedError<UsageError>()("UsageError", { detail: Schema.String }) {
  override get message(): string {
    return this.detail
  }
}

/** Parses a flag's whole-number value, with a message that names the flag. */
const wholeNumber = (flag: string, value: Option.Option<string>, min: number, max: number): Effect.Effect<Option.Option<number>, UsageError> =>
  Option.match(value, {
    onNone: () => Effect.succeed(Option.none()),
    onSome: (text) => {
      const n = /^-?\d+$/.test(text.trim()) ? Number(text) : NaN
      return Number.isInteger(n) && n >= min && n <= max
        ? Effect.succeed(Option.some(n))
        : Effect.fail(new UsageError({ detail: `${flag}: expected a whole number from ${min} to ${max}, found "${text}"` }))
    }
  })

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`

// ---------------------------------------------------------------------------------------------------------

const scenarioArg = Args.text({ name: "scenario" }).pipe(Args.withDescription("scenario file (.yaml, .yml or .json)"))
const seedOption = Options.text("seed").pipe(Options.withDescription("random seed (default: the scenario's seed)"), Options.optional)
const yearsOption = Options.text("years").pipe(Options.withDescription("years to simulate (default: the scenario's)"), Options.optional)
const outOption = Options.text("out").pipe(Options.withDescription("folder for the CSV results"), Options.withDefault("out"))
const eventsOption = Options.text("events").pipe(Options.withDescription("write the event log (NDJSON) to this file"), Options.optional)

const runCommand = Command.make(
  "run",
  { scenario: scenarioArg, seed: seedOption, years: yearsOption, out: outOption, events: eventsOption },
  ({ scenario: file, seed, years, out, events }) =>
    Effect.gen(function* () {
      const yearsFlag = yield* wholeNumber("--years", years, 1, 50)
      const seedFlag = yield* wholeNumber("--seed", seed, -(2 ** 31), 2 ** 31 - 1)
      const scenario = yield* loadScenario(file)
      const runYears = Option.getOrElse(yearsFlag, () => scenario.years)
      const runSeed = Option.getOrElse(seedFlag, () => scenario.seed)
      const model = compileModel(scenario, runYears)
      const log = Option.match(events, {
        onNone: () => EventLog.discard,
        onSome: (f) => ndjsonEventLog(f, makeHeader(scenario, runSeed, 0, runYears, VERSION))
      })
      const started = performance.now()
      // The log layer wraps the whole run and the CSV writing: it is committed only if both succeed.
      yield* Effect.gen(function* () {
        const result = yield* runModel(model)
        const elapsed = performance.now() - started
        const written = yield* writeFilesAtomically(out, resultFiles(result.totals, result.spend))
        yield* Console.log(summaryText(scenario, result.totals, result.spend, runSeed))
        yield* Console.log("")
        yield* Console.log(`Results: ${written.join(", ")}`)
        yield* Console.error(
          `${result.stats.events.toLocaleString("en-GB")} events, ${result.stats.children.toLocaleString("en-GB")} children in ${seconds(elapsed)} (${Math.round((result.stats.events / elapsed) * 1000).toLocaleString("en-GB")} events/s)`
        )
      }).pipe(Effect.provide(Layer.merge(RandomStreams.seeded(runSeed), log)))
      if (Option.isSome(events)) yield* Console.log(`Event log: ${events.value}`)
    })
).pipe(Command.withDescription("simulate a scenario: print a summary, write CSVs (and optionally the event log)"))

const validateCommand = Command.make("validate", { scenario: scenarioArg }, ({ scenario: file }) =>
  Effect.gen(function* () {
    const s = yield* loadScenario(file)
    const opening = s.startingCaseload.reduce((n, g) => n + g.count, 0)
    yield* Console.log(
      `${file}: valid. "${s.name}": ${s.population.children.toLocaleString("en-GB")} children, ${opening.toLocaleString("en-GB")} open cases at ${s.start}, ${s.years} years, ${s.costs.weekly.length + s.costs.oneOff.length + s.costs.fixed.length} cost lines.`
    )
  })
).pipe(Command.withDescription("check a scenario file and report any problems"))

const replayCommand = Command.make(
  "replay",
  { events: Args.text({ name: "events" }).pipe(Args.withDescription("event log written by `caseflow run --events`")), out: outOption },
  ({ events, out }) =>
    Effect.gen(function* () {
      const r = yield* replayEventLog(events)
      const written = yield* writeFilesAtomically(out, resultFiles(r.totals, r.spend))
      yield* Console.log(summaryText(r.model.scenario, r.totals, r.spend, r.header.seed))
      yield* Console.log("")
      yield* Console.log(`Results: ${written.join(", ")}`)
    })
).pipe(Command.withDescription("rebuild the CSV results from an event log alone"))

const caseflow = Command.make("caseflow").pipe(
  Command.withDescription("simulate children's social care demand and cost"),
  Command.withSubcommands([runCommand, validateCommand, replayCommand])
)

const cli = Command.run(caseflow, { name: "caseflow", version: VERSION })

/** Expected failures become a message on stderr and exit code 2; help output stays as @effect/cli prints it. */
const program = Effect.suspend(() => cli(process.argv)).pipe(
  Effect.catchIf(
    (e): e is ScenarioError | EventLogError | OutputError | UsageError =>
      e instanceof ScenarioError || e instanceof EventLogError || e instanceof OutputError || e instanceof UsageError,
    (e) =>
      Effect.sync(() => {
        process.stderr.write(`caseflow: ${e.message}\n`)
        process.exitCode = 2
      })
  ),
  Effect.catchIf(ValidationError.isValidationError, (e) =>
    Effect.sync(() => {
      // @effect/cli has already printed the problem; help requests are not errors.
      if (!ValidationError.isHelpRequested(e)) process.exitCode = 2
    })
  ),
  Effect.provide(NodeContext.layer)
)

NodeRuntime.runMain(program, { disableErrorReporting: true })
