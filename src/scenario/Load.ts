/**
 * The scenario loader: the one way every command, worker and replay gets a scenario.
 *
 *   file -> text -> parsed (YAML / JSON) -> `extends` chain resolved and merged -> uncertain parameters
 *   found and checked -> decoded and validated at their central values -> `ScenarioSource`
 *
 * Every way a file can be wrong ends in one `ScenarioError` that names the file and lists each problem as
 * `path: expected ..., found ...`, with the file and line the offending value was written in, so an
 * analyst can fix the file without reading a stack trace.
 *
 * The later steps work on data, not files: a worker thread is handed the resolved data of a scenario the
 * main thread has already checked, and `caseflow replay` the data in an event log's header; both go
 * through `scenarioFromData`, the same decoding and validation as a file.
 */
import type * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { noLines } from "./Decode.js"
import { scenarioId } from "./Identity.js"
import { EXTENDS, type ResolvedScenario, resolveScenarioFile, resolveScenarioText } from "./Overlay.js"
import { checkDataLimits, parseScenarioText } from "./Parse.js"
import { formatPath, type Locate, ScenarioError, type ScenarioProblem } from "./Problems.js"
import { overlayWarnings, resolvePer10k } from "./Rebase.js"
import { resolveRelativeDates } from "./RelativeDates.js"
import type { Scenario } from "./Scenario.js"
import { analyseScenario, type Uncertainty } from "./uncertain/Parameters.js"

/** A loaded scenario: what it is (its resolved data and identity), and the scenario at its central values. */
export interface ScenarioSource {
  /** The file asked for (or what the data came from, e.g. an event log). */
  readonly file: string
  /** Every file read for it: the file, then each base it extends (none for data). */
  readonly files: ReadonlyArray<string>
  /** The name in messages: the file, and for an overlay what it extends. */
  readonly label: string
  /** The scenario as written, with its `extends` chain merged in (and no `extends`): what workers are sent. */
  readonly raw: unknown
  /** SHA-256 of the canonical JSON of `raw` (see `Identity.ts`). */
  readonly id: string
  /** The scenario with every uncertain parameter at its central value (the scenario itself if none). */
  readonly central: Scenario
  /** Its uncertain parameters (null: none). */
  readonly uncertainty: Uncertainty | null
  /** Where the value at a path was written (for an overlay, in the overlay or a base). */
  readonly locate: Locate
  /** What an overlay left behind (see Rebase.ts): counts that do not scale with its population, dates that do
   * not move with its start. Printed, not refused. */
  readonly warnings: ReadonlyArray<ScenarioProblem>
}

export interface LoadOptions {
  /** Check the scenario at each uncertain factor's extremes (default true; data already checked skips it). */
  readonly checkExtremes?: boolean
}

/** Problems that an overlay replacing a value whole may explain (a field missing or unknown, shares short of 1). */
const EXPLAINED_BY_OVERLAY = /which has no |found nothing \(this field is required\)|unknown field|add up to 1/

const source = (
  file: string,
  files: ReadonlyArray<string>,
  label: string,
  written: unknown,
  locate: Locate,
  options: LoadOptions,
  note: (path: string) => string | undefined = () => undefined
): Either.Either<ScenarioSource, ScenarioError> => {
  // Figures per 10,000 children and dates relative to the start become figures and dates: what is checked,
  // hashed and sent to workers.
  const warnings = overlayWarnings(written, files, locate)
  const rank = (path: ReadonlyArray<string | number>): number => {
    const f = locate(path).file
    const i = f === undefined ? -1 : files.indexOf(f)
    return i < 0 ? 0 : i
  }
  const rebased = resolvePer10k(written, rank)
  const dated = resolveRelativeDates(rebased.raw)
  const problems = [...rebased.problems, ...dated.problems]
  if (problems.length > 0)
    return Either.left(
      new ScenarioError({
        file: label,
        problems: problems.map((p) => ({ path: formatPath(p.path), message: p.message, ...locate(p.path) }))
      })
    )
  const raw = dated.raw
  return Either.mapBoth(analyseScenario(label, raw, locate, options), {
    onLeft: (e) =>
      new ScenarioError({
        file: e.file,
        problems: e.problems.map((p) => {
          const n = EXPLAINED_BY_OVERLAY.test(p.message) ? note(p.path) : undefined
          return n === undefined ? p : { ...p, message: `${p.message} ${n}` }
        })
      }),
    onRight: (a) => ({
      file,
      files,
      label,
      raw,
      id: scenarioId(raw),
      central: a.central,
      uncertainty: a.uncertainty,
      locate,
      warnings
    })
  })
}

const filesOf = (file: string, r: ResolvedScenario): ReadonlyArray<string> =>
  r.layers.length > 0 ? r.layers.map((l) => l.file) : [file]

/** Reads a scenario file, resolves its `extends` chain, and decodes and checks the result. */
export const loadScenario = (
  file: string,
  options: LoadOptions = {}
): Effect.Effect<ScenarioSource, ScenarioError, FileSystem.FileSystem> =>
  Effect.flatMap(resolveScenarioFile(file), (r) =>
    source(file, filesOf(file, r), r.label, r.raw, r.locate, options, r.note)
  )

/** Scenario text as if read from `file` (its `extends`, if any, is read relative to `file`'s folder). */
export const scenarioFromText = (
  file: string,
  text: string,
  options: LoadOptions = {}
): Effect.Effect<ScenarioSource, ScenarioError, FileSystem.FileSystem> =>
  Effect.flatMap(resolveScenarioText(file, text), (r) =>
    source(file, filesOf(file, r), r.label, r.raw, r.locate, options, r.note)
  )

/**
 * Scenario text that extends nothing, without the file system (tests, the browser). A text with `extends`
 * is refused: its base must be read, with `scenarioFromText`.
 */
export const scenarioFromPlainText = (
  file: string,
  text: string,
  options: LoadOptions = {}
): Either.Either<ScenarioSource, ScenarioError> =>
  Either.flatMap(parseScenarioText(file, text), ({ raw, locate }) => {
    if (raw !== null && typeof raw === "object" && Object.hasOwn(raw, EXTENDS))
      return Either.left(
        new ScenarioError({
          file,
          problems: [
            {
              path: EXTENDS,
              message: "a scenario that extends another must be read from its file",
              ...locate([EXTENDS])
            }
          ]
        })
      )
    return source(file, [file], file, raw, locate, options)
  })

/** Resolved scenario data (no `extends`): a worker's message, an event log's header. */
export const scenarioFromData = (
  label: string,
  raw: unknown,
  options: LoadOptions = {}
): Either.Either<ScenarioSource, ScenarioError> =>
  Either.flatMap(checkDataLimits(label, raw, noLines), () => source(label, [], label, raw, noLines, options))

/**
 * What loading checked, for `validate` to say: for an uncertain scenario, that it was checked at its
 * central values and at each draw's extremes (set `extremes: false` for a source loaded without them).
 */
export const checkedDescription = (source: ScenarioSource, options: { readonly extremes?: boolean } = {}): string => {
  const u = source.uncertainty
  const base = "every field's type and range, and the checks across fields"
  if (u === null) return `checked ${base}`
  const n = u.parameters.length
  const f = u.factors.length
  const params =
    `${n} uncertain ` +
    `parameter${n === 1 ? "" : "s"}${f !== n ? ` (${f} independent draw${f === 1 ? "" : "s"})` : ""}`
  if (options.extremes === false) return `checked ${base}, with its ${params} at their central values`
  return (
    `checked ${base}, with its ${params} at their central values, then with each draw at its lowest and ` +
    `highest possible value (quantiles 1.2e-10 and 1 - 1.2e-10, the others central)` +
    (f > 1 ? ", then with all at their lowest and all at their highest" : "")
  )
}
