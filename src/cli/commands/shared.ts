/**
 * What several commands share: reading a scenario (its errors as bad input), the inputs it was read from,
 * the names of the files each kind of result is written to, and the lines printed about them.
 */
import * as Args from "@effect/cli/Args"
import type * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as path from "node:path"
import { escapeControl, excerpt } from "../../domain/Show.js"
import { TABLE_WIDTH } from "../../report/Table.js"
import { loadScenario, type ScenarioSource } from "../../scenario/Load.js"
import { formatWarnings } from "../../scenario/Problems.js"
import { checkRunSize } from "../../scenario/Size.js"
import { scenarioWarnings } from "../../scenario/Warnings.js"
import { ReplicationError } from "../../replication/Replication.js"
import type { GivenFile, Role } from "../../ssda903/Read.js"
import { WorkerFailed } from "../../replication/Pool.js"
import { BadFlag, BadInput, WorkerDied } from "../errors.js"
import { Io, note } from "../io.js"
import type { ExtraFile, Input } from "../output.js"

/** A positional scenario file. */
export const scenarioArg = (name: string, description: string): Args.Args<string> =>
  Args.file({ name }).pipe(Args.withDescription(description))

/**
 * The scenario loader, its problems as bad input (exit 2). Loading writes nothing, so a signal meanwhile
 * ends the process at once (a large file parses in one long synchronous step).
 */
export const load = (file: string): Effect.Effect<ScenarioSource, BadInput, FileSystem.FileSystem | Io> =>
  Effect.flatMap(Io, (io) =>
    io.unguarded(
      loadScenario(file).pipe(Effect.catchTag("ScenarioError", (e) => Effect.fail(new BadInput({ detail: e.message }))))
    )
  )

/**
 * Before a scenario is simulated for `years`: a run too large to finish is refused with its estimate (bad
 * input), and dated values outside the run are printed as warnings on stderr (the run goes ahead).
 */
export const readyToRun = (source: ScenarioSource, years: number): Effect.Effect<void, BadInput, Io> =>
  Effect.gen(function* () {
    const size = checkRunSize(source, years)
    if (Either.isLeft(size)) return yield* Effect.fail(new BadInput({ detail: size.left.message }))
    const warnings = [...source.warnings, ...scenarioWarnings(source.central, years, source.locate)]
    if (warnings.length > 0) yield* note(formatWarnings(source.label, warnings))
  })

/** A name from a scenario file, safe to print (control characters escaped). */
export const printable = (name: string): string => escapeControl(name)

/** The files a scenario was read from, for the output-is-input check: the file, then each base it extends. */
export const inputsOf = (source: ScenarioSource, what: string): ReadonlyArray<Input> =>
  source.files.map((file, i) => ({ file, role: i === 0 ? what : `a base scenario ${what} extends` }))

/** The files a command wrote, for stdout: wrapped at the printed width, a file never split across lines. */
export const resultsLine = (written: ReadonlyArray<string>): string => {
  const lines: Array<string> = []
  let line = "Results:"
  for (const [i, file] of written.entries()) {
    const item = ` ${file}${i < written.length - 1 ? "," : ""}`
    if (line.length + item.length > TABLE_WIDTH && line.trim() !== "Results:") {
      lines.push(line)
      line = `  ${item.trimStart()}`
    } else line += item
  }
  lines.push(line)
  return lines.join("\n")
}

/** What a command wrote, for stdout: its results, then its report and workbook (the last of `written`). */
export const writtenLines = (written: ReadonlyArray<string>, extra: ReadonlyArray<ExtraFile>): Array<string> => [
  resultsLine(written.slice(0, written.length - extra.length)),
  ...extra.map((x) => `${x.flag === "--report" ? "Report" : "Workbook"}: ${x.file}`)
]

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`

export const threads = (workers: number): string =>
  workers === 0 ? "in this thread" : `on ${workers} worker thread${workers === 1 ? "" : "s"}`

export { grouped } from "../../domain/Show.js"

/** A replication's bad input (exit 2) and a worker thread that died (exit 1) as the command line's errors,
 * the same for every command that runs replications. */
export const replicationFailures = <A, E, R>(
  self: Effect.Effect<A, E | ReplicationError | WorkerFailed, R>
): Effect.Effect<A, Exclude<Exclude<E, ReplicationError>, WorkerFailed> | BadInput | WorkerDied, R> =>
  self.pipe(
    Effect.catchIf(
      (e): e is ReplicationError => e instanceof ReplicationError,
      (e) => Effect.fail(new BadInput({ detail: e.message }))
    ),
    Effect.catchIf(
      (e): e is WorkerFailed => e instanceof WorkerFailed,
      (e) => Effect.fail(new WorkerDied({ detail: e.message }))
    )
  )

/** What a returns file given is, as an input an output must not overwrite ("an episodes file being read"). */
export const returnsInputs = (given: ReadonlyArray<GivenFile>): Array<Input> =>
  given.map((g) => ({ file: g.file, role: `${g.role === "episodes" ? "an" : "a"} ${g.role} file being read` }))

/** SSDA903 returns given on the command line (--episodes, --header, --uasc), each file once: a file given
 * twice, under one flag or two, is refused naming both. */
export const returnsGiven = (files: {
  readonly episodes: ReadonlyArray<string>
  readonly header: ReadonlyArray<string>
  readonly uasc: ReadonlyArray<string>
}): Effect.Effect<Array<GivenFile>, BadFlag> => {
  const given: Array<GivenFile> = [
    ...files.episodes.map((file) => ({ file, role: "episodes" as Role })),
    ...files.header.map((file) => ({ file, role: "header" as Role })),
    ...files.uasc.map((file) => ({ file, role: "uasc" as Role }))
  ]
  const seen = new Map<string, string>()
  for (const g of given) {
    const before = seen.get(path.resolve(g.file))
    if (before !== undefined)
      return Effect.fail(new BadFlag({ detail: `--${g.role} ${excerpt(g.file)}: already given with --${before}` }))
    seen.set(path.resolve(g.file), g.role)
  }
  return Effect.succeed(given)
}
