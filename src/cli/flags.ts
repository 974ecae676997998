/**
 * The flags the commands share, typed for @effect/cli (so `--help` says integer, file, folder, choice)
 * and checked here with messages that name the flag, say what was expected and show what was found.
 *
 * Each flag comes with a check of its raw text, the same rule its parser applies: @effect/cli's own
 * message for a value that is not even a number ("'abc' is not a integer") names no flag, so `usage.ts`
 * finds the flag by running these checks over the command line.
 */
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Options from "@effect/cli/Options"
import * as ValidationError from "@effect/cli/ValidationError"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as Option from "effect/Option"
import { MAX_RUN_YEARS } from "../domain/Calendar.js"
import { grouped, show, wholeNumberProblem } from "../domain/Show.js"
import { type BudgetFlag, parseBudgetFlag } from "../montecarlo/Budget.js"
import { MAX_SHARDS } from "../montecarlo/Partial.js"
import { SEED_MAX, SEED_MIN } from "../random/Streams.js"

/** A check of a flag's raw text: a message if the text is not a valid value, else null. */
export interface RawCheck {
  /** The flag's name, without the dashes. */
  readonly name: string
  readonly check: (raw: string) => string | null
  /** Checked before @effect/cli parses the value (a whole number: its parser also reads 0x10 and 1e3). */
  readonly first?: boolean
}

/** `--trend` (calibrate, backtest): how referral rates go on after the data. */
export const TRENDS = ["none", "linear"] as const

/** The raw check of an `Options.choice` flag: @effect/cli's own message names neither the flag nor the value. */
export const choiceCheck = (name: string, choices: ReadonlyArray<string>): RawCheck => ({
  name,
  check: (raw) => (choices.includes(raw) ? null : `--${name}: expected ${choices.join(" or ")}, found ${show(raw)}`)
})

/** A typed option, its name (without the dashes) and the checks of its raw values. */
export interface Flag<A> {
  readonly name: string
  readonly options: Options.Options<A>
  readonly checks: ReadonlyArray<RawCheck>
}

/** Options for `Command.make`, every flag's name and every check, from a record of flags. */
export const flagSet = <const F extends Record<string, Flag<unknown>>>(
  flags: F
): {
  readonly options: { readonly [K in keyof F]: F[K]["options"] }
  readonly names: ReadonlyArray<string>
  readonly checks: ReadonlyArray<RawCheck>
} => ({
  options: Object.fromEntries(Object.entries(flags).map(([k, f]) => [k, f.options])) as {
    readonly [K in keyof F]: F[K]["options"]
  },
  names: Object.values(flags).map((f) => f.name),
  checks: Object.values(flags).flatMap((f) => f.checks)
})

const invalid = (message: string) => ValidationError.invalidValue(HelpDoc.p(message))

/** A parse result as an option's value or its validation error. */
const validated = <A>(e: Either.Either<A, string>): Effect.Effect<A, ValidationError.ValidationError> =>
  Either.match(e, { onLeft: (m) => Effect.fail(invalid(m)), onRight: Effect.succeed })

// ---------------------------------------------------------------------------------------------------------
// Whole numbers

/** A whole number from `min` to `max`: what `--name` takes. `found` is the text as typed. */
export const wholeNumber =
  (name: string, min: number, max: number) =>
  (found: string, n: number): Either.Either<number, string> => {
    const problem = wholeNumberProblem(found, n, min, max)
    return problem === null ? Either.right(n) : Either.left(`--${name}: ${problem}`)
  }

/** As @effect/cli reads an integer (`Number` of the text), then `wholeNumber`. */
const wholeNumberCheck = (name: string, min: number, max: number): RawCheck => ({
  name,
  first: true,
  check: (raw) => {
    // Decimal digits only: Number also reads 0x10, 0b11 and 1e3, which no one means as a count or a seed.
    const n = /^\s*[+-]?\d+(\.\d*)?\s*$/.test(raw) ? Number(raw) : NaN
    return Either.match(wholeNumber(name, min, max)(raw, n), { onLeft: (m) => m, onRight: () => null })
  }
})

const integer = (name: string, min: number, max: number, description: string): Options.Options<number> =>
  Options.integer(name).pipe(
    Options.withDescription(description),
    Options.mapEffect((n) => validated(wholeNumber(name, min, max)(String(n), n)))
  )

/** An optional whole number. */
export const optionalInteger = (
  name: string,
  min: number,
  max: number,
  description: string
): Flag<Option.Option<number>> => ({
  name,
  options: Options.optional(integer(name, min, max, description)),
  checks: [wholeNumberCheck(name, min, max)]
})

/** A whole number with a default. */
export const integerWithDefault = (
  name: string,
  min: number,
  max: number,
  fallback: number,
  description: string
): Flag<number> => ({
  name,
  options: Options.withDefault(integer(name, min, max, `${description} (default ${grouped(fallback)})`), fallback),
  checks: [wholeNumberCheck(name, min, max)]
})

export const seed = (description: string): Flag<Option.Option<number>> =>
  optionalInteger("seed", SEED_MIN, SEED_MAX, description)

export const years = (description: string): Flag<Option.Option<number>> =>
  optionalInteger("years", 1, MAX_RUN_YEARS, description)

// ---------------------------------------------------------------------------------------------------------
// Worker threads

/** `auto` (one per core) or a number of worker threads (0: the main thread). */
export type Workers = "auto" | number

const workersMessage = (found: string) =>
  `--workers: expected auto or a whole number of worker threads (0: in this thread), found ${show(found)}`

export const parseWorkers = (raw: string): Either.Either<Workers, string> => {
  if (raw.trim() === "auto") return Either.right("auto")
  const n = raw.trim() === "" ? NaN : Number(raw)
  return Number.isInteger(n) && n >= 0 ? Either.right(n) : Either.left(workersMessage(raw))
}

export const workers: Flag<Workers> = {
  name: "workers",
  options: Options.choice("workers", ["auto"]).pipe(
    Options.orElse(Options.integer("workers")),
    Options.withDescription(
      "worker threads: auto (one per core, the default), or a number, at most the machine's cores (0: this thread)"
    ),
    Options.mapEffect((w) => validated(parseWorkers(String(w)))),
    Options.withDefault<Workers>("auto")
  ),
  checks: [
    { name: "workers", check: (raw) => Either.match(parseWorkers(raw), { onLeft: (m) => m, onRight: () => null }) }
  ]
}

/**
 * The worker threads to start: `auto` is one per core; a number is capped at the cores (with a note);
 * never more than there are replications to run.
 */
export const workerCount = (
  w: Workers,
  cores: number,
  replications: number
): { readonly count: number; readonly note: string | null } => {
  const wanted = w === "auto" ? cores : w
  const capped = Math.min(wanted, cores)
  const s = cores === 1 ? "" : "s"
  const note =
    w !== "auto" && w > cores
      ? `--workers ${w}: this machine has ${cores} core${s}, so ${cores} worker thread${s}`
      : null
  return { count: Math.max(0, Math.min(capped, replications)), note }
}

// ---------------------------------------------------------------------------------------------------------
// Shares: 5% or 0.05

// Matched against the trimmed text: spaces at either end are the trim's, so the pattern has a single run of
// `\s*` (two runs either side of an optional "%" backtrack quadratically: "5", 100,000 spaces and "x" took 30 s).
const SHARE = /^(\d+(?:\.\d*)?|\.\d+)\s*(%?)$/

/**
 * A share of something, written as a percentage (`5%`) or a fraction below 1 (`0.05`). A bare number of
 * 1 or more is refused: `--tolerance 5` is almost certainly 5%, never 500%.
 */
/** A floor on a share beyond 0 (with the reason the floor is there). */
export interface ShareLimits {
  readonly atLeast?: { readonly share: number; readonly why: string }
}

export const parseShare = (name: string, raw: string, o: ShareLimits = {}): Either.Either<number, string> => {
  const expected = `--${name}: expected a share as a percentage (such as 5%) or a fraction below 1 (such as 0.05)`
  const m = SHARE.exec(raw.trim())
  if (m === null) return Either.left(`${expected}, found ${show(raw)}`)
  const v = Number(m[1])
  const percent = m[2] === "%"
  if (!percent && v >= 1)
    return Either.left(
      `${expected}, found ${show(raw)}: write ${v}%${v === 1 ? " or 100%" : ""} if that is what you mean`
    )
  if (percent && v > 100) return Either.left(`--${name}: expected a share of at most 100%, found ${show(raw)}`)
  const x = percent ? v / 100 : v
  if (o.atLeast !== undefined && x < o.atLeast.share)
    return Either.left(
      `--${name}: expected a share of at least ${+(o.atLeast.share * 100).toFixed(6)}% (${o.atLeast.why}), ` +
        `found ${show(raw)}`
    )
  return Either.right(x)
}

const shareOption = (name: string, description: string, limits: ShareLimits): Options.Options<number> =>
  Options.text(name).pipe(
    Options.withPseudoName("SHARE"),
    Options.withDescription(`${description}; a percentage (5%) or a fraction below 1 (0.05)`),
    Options.mapEffect((raw) => validated(parseShare(name, raw, limits)))
  )

const shareCheck = (name: string, limits: ShareLimits): RawCheck => ({
  name,
  check: (raw) => Either.match(parseShare(name, raw, limits), { onLeft: (m) => m, onRight: () => null })
})

/** A share with a default, e.g. `--tolerance` (default 5%). */
export const shareWithDefault = (
  name: string,
  fallback: number,
  description: string,
  limits: ShareLimits = {}
): Flag<number> => ({
  name,
  options: Options.withDefault(
    shareOption(name, `${description} (default ${+(fallback * 100).toFixed(6)}%)`, limits),
    fallback
  ),
  checks: [shareCheck(name, limits)]
})

/** An optional share, e.g. `--deadweight` (default: from the scenario). */
export const optionalShare = (name: string, description: string): Flag<Option.Option<number>> => ({
  name,
  options: Options.optional(shareOption(name, description, {})),
  checks: [shareCheck(name, {})]
})

// ---------------------------------------------------------------------------------------------------------
// Monte Carlo: shards and budgets

export interface ShardFlag {
  /** From 0. */
  readonly index: number
  readonly count: number
}

export const parseShard = (raw: string): Either.Either<ShardFlag, string> => {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(raw)
  const index = m === null ? NaN : Number(m[1])
  const count = m === null ? NaN : Number(m[2])
  return Number.isSafeInteger(index) &&
    Number.isSafeInteger(count) &&
    count >= 1 &&
    count <= MAX_SHARDS &&
    index < count
    ? Either.right({ index, count })
    : Either.left(
        `--shard: expected i/n with 0 <= i < n <= ${grouped(MAX_SHARDS)} (shards are numbered from 0, like ` +
          `Kubernetes' JOB_COMPLETION_INDEX), found ${show(raw)}`
      )
}

export const shard: Flag<Option.Option<ShardFlag>> = {
  name: "shard",
  options: Options.text("shard").pipe(
    Options.withPseudoName("I/N"),
    Options.withDescription("run only shard i of n (from 0) and write a partial result for caseflow merge"),
    Options.mapEffect((raw) => validated(parseShard(raw))),
    Options.optional
  ),
  checks: [{ name: "shard", check: (raw) => Either.match(parseShard(raw), { onLeft: (m) => m, onRight: () => null }) }]
}

/** One `--budget` value; a value too long or with control characters is shown as an excerpt. */
export const parseBudget = (raw: string): Either.Either<BudgetFlag, string> =>
  Either.mapLeft(parseBudgetFlag(raw), (m) =>
    show(raw) === JSON.stringify(raw)
      ? m
      : `--budget: expected YEAR=AMOUNT or "YEAR:BUDGET LINE=AMOUNT" (e.g. 2025/26=80.081m), found ${show(raw)}`
  )

export const budget: Flag<ReadonlyArray<BudgetFlag>> = {
  name: "budget",
  options: Options.text("budget").pipe(
    Options.withPseudoName("YEAR[:LINE]=AMOUNT"),
    Options.withDescription(
      'a budget to compare with: YEAR=AMOUNT (all lines) or "YEAR:BUDGET LINE=AMOUNT", e.g. 2025/26=80.081m'
    ),
    Options.repeated,
    Options.mapEffect((raws) => Effect.forEach(raws, (raw) => validated(parseBudget(raw)))),
    Options.withDefault<ReadonlyArray<BudgetFlag>>([])
  ),
  checks: [
    { name: "budget", check: (raw) => Either.match(parseBudget(raw), { onLeft: (m) => m, onRight: () => null }) }
  ]
}

// ---------------------------------------------------------------------------------------------------------
// Files and folders

/** `--out`: the output folder (created if missing). */
export const out = (description: string): Flag<string> => ({
  name: "out",
  options: Options.directory("out").pipe(
    Options.withDescription(`${description} (default out, created if missing)`),
    Options.withDefault("out")
  ),
  checks: []
})

/** `--events`: the event log file. */
export const events: Flag<Option.Option<string>> = {
  name: "events",
  options: Options.file("events").pipe(
    Options.withDescription("also write the event log (NDJSON) to this file"),
    Options.optional
  ),
  checks: []
}

/** A file named by its extension: the check a `--report` or `--xlsx` value must pass. */
const fileWithExtension = (name: string, extensions: ReadonlyArray<string>) => (raw: string) =>
  extensions.some((e) => raw.toLowerCase().endsWith(e)) && raw.length > Math.min(...extensions.map((e) => e.length))
    ? null
    : `--${name}: expected a file name ending ${extensions.join(" or ")}, found ${show(raw)}`

const optionalFile = (name: string, extensions: ReadonlyArray<string>, description: string) => {
  const check = fileWithExtension(name, extensions)
  return {
    name,
    options: Options.file(name).pipe(
      Options.withDescription(description),
      Options.mapEffect((f) => {
        const problem = check(f)
        return problem === null ? Effect.succeed(f) : Effect.fail(invalid(problem))
      }),
      Options.optional
    ),
    checks: [{ name, check }]
  } satisfies Flag<Option.Option<string>>
}

/** `--report FILE.html`: a self-contained HTML report of the results. */
export const report: Flag<Option.Option<string>> = optionalFile(
  "report",
  [".html", ".htm"],
  "also write a self-contained HTML report (charts, tables, assumptions) to this file"
)

/** `--xlsx FILE.xlsx`: the results as an Excel workbook. */
export const xlsx: Flag<Option.Option<string>> = optionalFile(
  "xlsx",
  [".xlsx"],
  "also write the results as an Excel workbook (one sheet per table) to this file"
)

/** `--scenario FILE` (merge): the scenario the shards were run from, for a report's assumptions. */
export const scenarioFile: Flag<Option.Option<string>> = {
  name: "scenario",
  options: Options.file("scenario").pipe(
    Options.withDescription("the scenario file the shards were run from (needed for --report and --xlsx)"),
    Options.optional
  ),
  checks: []
}

/** `--ssda903 DIR` (run, replay): the simulated children's SSDA903 returns, one file per collection year. */
export const ssda903: Flag<Option.Option<string>> = {
  name: "ssda903",
  options: Options.directory("ssda903").pipe(
    Options.withDescription(
      "also write the looked-after children's SSDA903 episodes, header and UASC files, one per whole collection year"
    ),
    Options.optional
  ),
  checks: []
}

const repeatedFiles = (name: string, description: string) =>
  Options.file(name).pipe(Options.withDescription(description), Options.repeated)

/** `--episodes`, `--header`, `--uasc`: a council's SSDA903 returns, each flag repeatable (calibrate, backtest). */
export const returns = {
  episodes: repeatedFiles("episodes", "SSDA903 episodes files, one per collection year (or the multi-LA extract)"),
  header: repeatedFiles("header", "SSDA903 header files (CHILD, SEX, DOB), one per collection year"),
  // Optional (shown so in --help): without them the returns have no UASC stream.
  uasc: repeatedFiles("uasc", "SSDA903 UASC files (optional), one per collection year").pipe(
    Options.withDefault<ReadonlyArray<string>>([])
  )
}
