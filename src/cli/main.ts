/**
 * The `caseflow` command line.
 *
 *   caseflow run <scenario> [--seed N] [--years N] [--out DIR] [--events FILE]
 *   caseflow validate <scenario>
 *   caseflow replay <events file> [--out DIR]
 *   caseflow montecarlo <scenario> [--runs N] [--workers auto|K] [--seed S] [--years N] [--budget ...]
 *                       [--tolerance 0.05] [--precision 0.005] [--out DIR] [--shard i/n]
 *   caseflow merge <shard files...> [--out DIR]
 *   caseflow compare <baseline> <variant> [--runs N] [--seed S] [--years N] [--workers auto|K] [--out DIR]
 *                    [--optimism-bias 0.1] [--deadweight 0]
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
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Cause from "effect/Cause"
import * as fs from "node:fs"
import * as os from "node:os"
import { ndjsonEventLog } from "../log/EventLogFile.js"
import { makeHeader } from "../log/Header.js"
import { replayEventLog } from "../log/Replay.js"
import { resultFiles } from "../report/Tables.js"
import { summaryText } from "../report/Summary.js"
import { runModel } from "../run/Run.js"
import { EventLog, EventLogError, RandomStreams } from "../run/Services.js"
import { loadScenario } from "../scenario/Load.js"
import { ScenarioError } from "../scenario/Problems.js"
import { centralData } from "../scenario/uncertain/Parameters.js"
import { compileModel } from "../model/Model.js"
import { VERSION } from "../version.js"
import { OutputError, writeFilesAtomically } from "./output.js"
import { type BudgetFlag, parseBudgetFlag, resolveBudgets } from "../montecarlo/Budget.js"
import { runShard } from "../montecarlo/MonteCarlo.js"
import { MergeError, mergeShards, readShard, shardFileName, shardText } from "../montecarlo/Partial.js"
import { makePlan, runLayout, shardRange } from "../montecarlo/Plan.js"
import { terminalProgress } from "../replication/Progress.js"
import { ReplicationError } from "../replication/Replication.js"
import { Replicator, WorkerFailed } from "../replication/Pool.js"
import { reportFiles, reportText } from "../montecarlo/Report.js"
import { CompareError, compareJob, makeComparePlan, runComparison } from "../compare/Compare.js"
import { compareFiles, reportText as compareReportText } from "../compare/Report.js"

/** A flag with a value that parses but makes no sense (e.g. --years 0). */
export class UsageError extends Schema.TaggedError<UsageError>()("UsageError", { detail: Schema.String }) {
  override get message(): string {
    return this.detail
  }
}

/** Parses a flag's whole-number value, with a message that names the flag. */
const wholeNumber = (
  flag: string,
  value: Option.Option<string>,
  min: number,
  max: number
): Effect.Effect<Option.Option<number>, UsageError> =>
  Option.match(value, {
    onNone: () => Effect.succeed(Option.none()),
    onSome: (text) => {
      const n = /^-?\d+$/.test(text.trim()) ? Number(text) : NaN
      return Number.isInteger(n) && n >= min && n <= max
        ? Effect.succeed(Option.some(n))
        : Effect.fail(
            new UsageError({ detail: `${flag}: expected a whole number from ${min} to ${max}, found "${text}"` })
          )
    }
  })

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`

// ---------------------------------------------------------------------------------------------------------

const scenarioArg = Args.text({ name: "scenario" }).pipe(Args.withDescription("scenario file (.yaml, .yml or .json)"))
const seedOption = Options.text("seed").pipe(
  Options.withDescription("random seed (default: the scenario's seed)"),
  Options.optional
)
const yearsOption = Options.text("years").pipe(
  Options.withDescription("years to simulate (default: the scenario's)"),
  Options.optional
)
const outOption = Options.text("out").pipe(
  Options.withDescription("folder for the CSV results"),
  Options.withDefault("out")
)
const eventsOption = Options.text("events").pipe(
  Options.withDescription("write the event log (NDJSON) to this file"),
  Options.optional
)

const runCommand = Command.make(
  "run",
  { scenario: scenarioArg, seed: seedOption, years: yearsOption, out: outOption, events: eventsOption },
  ({ scenario: file, seed, years, out, events }) =>
    Effect.gen(function* () {
      const yearsFlag = yield* wholeNumber("--years", years, 1, 50)
      const seedFlag = yield* wholeNumber("--seed", seed, -(2 ** 31), 2 ** 31 - 1)
      const source = yield* loadScenario(file)
      const scenario = source.central
      if (source.uncertainty !== null)
        yield* Console.error(
          `${source.label}: ${source.uncertainty.parameters.length} uncertain parameters at their central values (caseflow montecarlo draws them)`
        )
      const runYears = Option.getOrElse(yearsFlag, () => scenario.years)
      const runSeed = Option.getOrElse(seedFlag, () => scenario.seed)
      const model = compileModel(scenario, runYears)
      const log = Option.match(events, {
        onNone: () => EventLog.discard,
        onSome: (f) =>
          ndjsonEventLog(
            f,
            makeHeader(
              scenario.name,
              source.uncertainty === null ? source.raw : centralData(source.uncertainty),
              runSeed,
              0,
              runYears,
              VERSION
            )
          )
      })
      // The log layer wraps the whole run and the CSV writing: it is committed only if both succeed.
      yield* Effect.gen(function* () {
        // Timed by Effect's Clock service: the only clock here, for the timing line (simulated time comes
        // from the event queue, never from a clock).
        const [took, result] = yield* Effect.timed(runModel(model))
        const elapsed = Duration.toMillis(took)
        const staged = yield* Effect.flatMap(EventLog, (l) => l.finish)
        const written = yield* writeFilesAtomically(out, resultFiles(result.totals, result.spend))
        if (staged !== null)
          yield* Effect.try({
            try: () => fs.renameSync(staged.partial, staged.target),
            catch: (e) =>
              new EventLogError({ file: staged.target, detail: `cannot write the event log: ${(e as Error).message}` })
          })
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
    const s = (yield* loadScenario(file)).central
    const opening = s.startingCaseload.reduce((n, g) => (g.level === "universal" ? n : n + g.count), 0)
    yield* Console.log(
      `${file}: valid. "${s.name}": ${s.population.children.toLocaleString("en-GB")} children, ${opening.toLocaleString("en-GB")} open cases at ${s.start}, ${s.years} years, ${s.costs.weekly.length + s.costs.oneOff.length + s.costs.fixed.length} cost lines.`
    )
  })
).pipe(Command.withDescription("check a scenario file and report any problems"))

const replayCommand = Command.make(
  "replay",
  {
    events: Args.text({ name: "events" }).pipe(Args.withDescription("event log written by `caseflow run --events`")),
    out: outOption
  },
  ({ events, out }) =>
    Effect.gen(function* () {
      const r = yield* replayEventLog(events)
      const written = yield* writeFilesAtomically(out, resultFiles(r.totals, r.spend))
      yield* Console.log(summaryText(r.model.scenario, r.totals, r.spend, r.header.seed))
      yield* Console.log("")
      yield* Console.log(`Results: ${written.join(", ")}`)
    })
).pipe(Command.withDescription("rebuild the CSV results from an event log alone"))

// ---------------------------------------------------------------------------------------------------------
// Monte Carlo

/** A fraction from "0.05" or "5%", within [min, max]. */
const fraction = (
  flag: string,
  text: string,
  min: number,
  max: number,
  what: string
): Effect.Effect<number, UsageError> => {
  const t = text.trim()
  const m = /^(\d+(?:\.\d+)?|\.\d+)(%?)$/.exec(t)
  const x = m === null ? NaN : Number(m[1]) / (m[2] === "%" ? 100 : 1)
  return Number.isFinite(x) && x >= min && x <= max
    ? Effect.succeed(x)
    : Effect.fail(new UsageError({ detail: `${flag}: expected ${what}, found "${text}"` }))
}

const parseWorkers = (text: string): Effect.Effect<number | "auto", UsageError> => {
  const t = text.trim()
  if (t === "auto") return Effect.succeed("auto")
  const n = /^\d+$/.test(t) ? Number(t) : NaN
  return Number.isInteger(n) && n >= 0 && n <= 256
    ? Effect.succeed(n)
    : Effect.fail(
        new UsageError({
          detail: `--workers: expected auto or a whole number of worker threads from 0 (this thread) to 256, found "${text}"`
        })
      )
}

const parseShard = (value: Option.Option<string>): Effect.Effect<{ index: number; count: number } | null, UsageError> =>
  Option.match(value, {
    onNone: () => Effect.succeed(null),
    onSome: (text) => {
      const m = /^(\d+)\/(\d+)$/.exec(text.trim())
      const index = m === null ? NaN : Number(m[1])
      const count = m === null ? NaN : Number(m[2])
      return Number.isInteger(index) && Number.isInteger(count) && count >= 1 && count <= 100_000 && index < count
        ? Effect.succeed({ index, count })
        : Effect.fail(
            new UsageError({
              detail: `--shard: expected i/n with 0 <= i < n (shards are numbered from 0, like Kubernetes' JOB_COMPLETION_INDEX), found "${text}"`
            })
          )
    }
  })

/** Set when a Monte Carlo run is interrupted (Ctrl-C), so the process exits 130 as a shell expects. */
let interruptedExitCode: number | null = null

const mcOut = Options.text("out").pipe(
  Options.withDescription("folder for the CSV results (or the shard file)"),
  Options.withDefault("out")
)

const montecarloCommand = Command.make(
  "montecarlo",
  {
    scenario: scenarioArg,
    runs: Options.text("runs").pipe(Options.withDescription("number of replications"), Options.withDefault("1000")),
    workers: Options.text("workers").pipe(
      Options.withDescription("worker threads: auto (one per core), or a number (0: this thread)"),
      Options.withDefault("auto")
    ),
    seed: seedOption,
    years: yearsOption,
    budget: Options.text("budget").pipe(
      Options.withDescription(
        'budget to compare with: YEAR=AMOUNT (total) or "YEAR:BUDGET LINE=AMOUNT", e.g. 2025/26=80.081m; repeatable'
      ),
      Options.repeated
    ),
    tolerance: Options.text("tolerance").pipe(
      Options.withDescription("overspend tolerance, as a fraction or a percentage (default 0.05)"),
      Options.withDefault("0.05")
    ),
    precision: Options.text("precision").pipe(
      Options.withDescription(
        "target half-width of the 95% interval of a mean, relative (default 0.005): sets runs_for_precision"
      ),
      Options.withDefault("0.005")
    ),
    out: mcOut,
    shard: Options.text("shard").pipe(
      Options.withDescription("run only shard i of n (from 0) and write a partial result for caseflow merge"),
      Options.optional
    )
  },
  (flags) =>
    Effect.gen(function* () {
      const runs = Option.getOrThrow(yield* wholeNumber("--runs", Option.some(flags.runs), 1, 10_000_000))
      const workersFlag = yield* parseWorkers(flags.workers)
      const yearsFlag = yield* wholeNumber("--years", flags.years, 1, 50)
      const seedFlag = yield* wholeNumber("--seed", flags.seed, -(2 ** 31), 2 ** 31 - 1)
      const tolerance = yield* fraction("--tolerance", flags.tolerance, 0, 10, "a tolerance such as 0.05 or 5%")
      const precision = yield* fraction(
        "--precision",
        flags.precision,
        1e-6,
        1,
        "a relative precision above 0 such as 0.005 or 0.5%"
      )
      const shard = yield* parseShard(flags.shard)
      const budgetFlags: Array<BudgetFlag> = []
      for (const text of flags.budget) {
        const parsed = parseBudgetFlag(text)
        if (Either.isLeft(parsed)) return yield* Effect.fail(new UsageError({ detail: parsed.left }))
        budgetFlags.push(parsed.right)
      }
      const source = yield* loadScenario(flags.scenario)
      const years = Option.getOrElse(yearsFlag, () => source.central.years)
      const seed = Option.getOrElse(seedFlag, () => source.central.seed)
      const layout = runLayout(source, years)
      const budgets = resolveBudgets({ ...layout, scenario: source.central.budgetLines }, budgetFlags)
      if (Either.isLeft(budgets)) return yield* Effect.fail(new UsageError({ detail: budgets.left }))
      const plan = makePlan(source, { seed, years, runs, budgets: budgets.right, tolerance, precision })
      const range = shard === null ? { from: 0, to: runs } : shardRange(runs, shard.index, shard.count)
      const mine = range.to - range.from
      // auto: one worker thread per core, no more than there are replications (none for an empty shard).
      const workers = workersFlag === "auto" ? Math.min(os.availableParallelism(), mine) : workersFlag
      const replicator =
        workers === 0
          ? Replicator.inThisThread({ arms: [source], years, seed })
          : Replicator.workerThreads({ arms: [source], years, seed }, workers)
      const started = performance.now()
      const result = yield* runShard(plan, shard ?? undefined, terminalProgress(mine)).pipe(
        Effect.provide(replicator),
        Effect.onInterrupt(() =>
          Effect.sync(() => {
            interruptedExitCode = 130
            process.stderr.write("caseflow: interrupted; no results written\n")
          })
        )
      )
      const elapsed = (performance.now() - started) / 1000
      const where = workers === 0 ? "in this thread" : `on ${workers} worker thread${workers === 1 ? "" : "s"}`
      if (shard !== null) {
        const name = shardFileName(shard.index, shard.count)
        const written = yield* writeFilesAtomically(flags.out, [[name, shardText(result, VERSION)]])
        yield* Console.log(
          `${plan.scenario.name}: shard ${shard.index}/${shard.count}, replications ${range.from}-${range.to - 1} of ${runs.toLocaleString("en-GB")} (seed ${seed})`
        )
        yield* Console.log(`Shard result: ${written.join(", ")}  (combine all ${shard.count} with caseflow merge)`)
      } else {
        const written = yield* writeFilesAtomically(flags.out, reportFiles(plan, result.summary))
        yield* Console.log(reportText(plan, result.summary))
        yield* Console.log("")
        yield* Console.log(`Results: ${written.join(", ")}`)
      }
      yield* Console.error(
        `${mine.toLocaleString("en-GB")} replications in ${elapsed.toFixed(1)} s (${(mine / Math.max(elapsed, 1e-9)).toFixed(1)} a second) ${where}`
      )
    })
).pipe(
  Command.withDescription(
    "Monte Carlo budget risk: replications with parameter uncertainty; percentiles, overspend probability, fan charts, sensitivity"
  )
)

const mergeCommand = Command.make(
  "merge",
  {
    shards: Args.text({ name: "shard files" }).pipe(
      Args.withDescription("the montecarlo_shard_<i>_of_<n>.json files of one run"),
      Args.atLeast(1)
    ),
    out: Options.text("out").pipe(Options.withDescription("folder for the CSV results"), Options.withDefault("out"))
  },
  ({ shards, out }) =>
    Effect.gen(function* () {
      const read = yield* Effect.forEach(shards, (file) => Effect.map(readShard(file), (shard) => ({ file, shard })))
      const merged = yield* mergeShards(read)
      const written = yield* writeFilesAtomically(out, reportFiles(merged.plan, merged.summary))
      yield* Console.log(reportText(merged.plan, merged.summary))
      yield* Console.log("")
      yield* Console.log(`Results: ${written.join(", ")}`)
    })
).pipe(Command.withDescription("combine the shard files of a Monte Carlo run into the result of the whole run"))

// ---------------------------------------------------------------------------------------------------------
// Paired comparison and cost-benefit

const compareCommand = Command.make(
  "compare",
  {
    baseline: Args.text({ name: "baseline" }).pipe(Args.withDescription("the baseline scenario file")),
    variant: Args.text({ name: "variant" }).pipe(
      Args.withDescription("the variant scenario file (e.g. with an intervention)")
    ),
    runs: Options.text("runs").pipe(
      Options.withDescription("number of paired replications"),
      Options.withDefault("100")
    ),
    workers: Options.text("workers").pipe(
      Options.withDescription("worker threads: auto (one per core), or a number (0: this thread)"),
      Options.withDefault("auto")
    ),
    seed: Options.text("seed").pipe(
      Options.withDescription("random seed of both arms (default: the baseline's seed)"),
      Options.optional
    ),
    years: Options.text("years").pipe(
      Options.withDescription("years to simulate, both arms (default: the scenarios', which must agree)"),
      Options.optional
    ),
    optimismBias: Options.text("optimism-bias").pipe(
      Options.withDescription(
        "optimism bias applied to benefits, as a fraction or a percentage (default: the largest of the variant's interventions)"
      ),
      Options.optional
    ),
    deadweight: Options.text("deadweight").pipe(
      Options.withDescription(
        "deadweight deducted from benefits, as a fraction or a percentage (default: the largest of the variant's interventions)"
      ),
      Options.optional
    ),
    out: Options.text("out").pipe(Options.withDescription("folder for the CSV results"), Options.withDefault("out"))
  },
  (flags) =>
    Effect.gen(function* () {
      const runs = Option.getOrThrow(yield* wholeNumber("--runs", Option.some(flags.runs), 1, 100_000))
      const workersFlag = yield* parseWorkers(flags.workers)
      const yearsFlag = yield* wholeNumber("--years", flags.years, 1, 50)
      const seedFlag = yield* wholeNumber("--seed", flags.seed, -(2 ** 31), 2 ** 31 - 1)
      const share = (flag: string, value: Option.Option<string>) =>
        Option.match(value, {
          onNone: () => Effect.succeed(null),
          onSome: (text) => fraction(flag, text, 0, 1, "a share from 0 to 1, such as 0.1 or 10%")
        })
      const optimismBias = yield* share("--optimism-bias", flags.optimismBias)
      const deadweight = yield* share("--deadweight", flags.deadweight)
      const baseline = yield* loadScenario(flags.baseline)
      const variant = yield* loadScenario(flags.variant)
      const plan = yield* makeComparePlan(baseline, variant, {
        runs,
        seed: Option.getOrNull(seedFlag),
        years: Option.getOrNull(yearsFlag),
        optimismBias,
        deadweight
      })
      const workers = workersFlag === "auto" ? Math.min(os.availableParallelism(), runs) : workersFlag
      const job = compareJob(plan, baseline, variant)
      const runner = workers === 0 ? Replicator.inThisThread(job) : Replicator.workerThreads(job, workers)
      const started = performance.now()
      const comparison = yield* runComparison(plan, terminalProgress(runs)).pipe(
        Effect.provide(runner),
        Effect.onInterrupt(() =>
          Effect.sync(() => {
            interruptedExitCode = 130
            process.stderr.write("caseflow: interrupted; no results written\n")
          })
        )
      )
      const elapsed = (performance.now() - started) / 1000
      const written = yield* writeFilesAtomically(flags.out, compareFiles(comparison))
      yield* Console.log(compareReportText(comparison))
      yield* Console.log("")
      yield* Console.log(`Results: ${written.join(", ")}`)
      const where = workers === 0 ? "in this thread" : `on ${workers} worker thread${workers === 1 ? "" : "s"}`
      yield* Console.error(
        `${runs.toLocaleString("en-GB")} paired replications in ${elapsed.toFixed(1)} s (${((2 * runs) / Math.max(elapsed, 1e-9)).toFixed(1)} runs a second) ${where}`
      )
    })
).pipe(
  Command.withDescription(
    "paired comparison of two scenarios on common random numbers: differences with 95% intervals, and a cost-benefit analysis (NPV at 3.5%, ROI, payback)"
  )
)

const caseflow = Command.make("caseflow").pipe(
  Command.withDescription("simulate children's social care demand and cost"),
  Command.withSubcommands([runCommand, validateCommand, replayCommand, montecarloCommand, mergeCommand, compareCommand])
)

const cli = Command.run(caseflow, { name: "caseflow", version: VERSION })

/** Expected failures become a message on stderr and exit code 2; help output stays as @effect/cli prints it. */
const program = Effect.suspend(() => cli(process.argv)).pipe(
  Effect.catchIf(
    (e): e is ScenarioError | EventLogError | OutputError | UsageError | ReplicationError | MergeError | CompareError =>
      e instanceof ScenarioError ||
      e instanceof EventLogError ||
      e instanceof OutputError ||
      e instanceof UsageError ||
      e instanceof ReplicationError ||
      e instanceof MergeError ||
      e instanceof CompareError,
    (e) =>
      Effect.sync(() => {
        process.stderr.write(`caseflow: ${e.message}\n`)
        process.exitCode = 2
      })
  ),
  Effect.catchIf(
    (e): e is WorkerFailed => e instanceof WorkerFailed,
    (e) =>
      Effect.sync(() => {
        process.stderr.write(`caseflow: ${e.message}\n`)
        process.exitCode = 1
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

NodeRuntime.runMain(program, {
  disableErrorReporting: true,
  // An interrupted Monte Carlo run exits 130 (128 + SIGINT); every other exit is Effect's default.
  teardown: (exit, onExit) =>
    onExit(
      interruptedExitCode !== null && Exit.isFailure(exit) && Cause.isInterruptedOnly(exit.cause)
        ? interruptedExitCode
        : Exit.isFailure(exit) && !Cause.isInterruptedOnly(exit.cause)
          ? 1
          : 0
    )
})
