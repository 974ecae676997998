/**
 * `caseflow calibrate --episodes F... --header F... [--uasc F...] [--from D] [--to D] [--la X] --out S
 * --template T` in the page: the same reading (ssda903/Read.ts), cleaning (ssda903/Clean.ts), estimates
 * (calibrate/Estimates.ts) and scenario (calibrate/Scenario903.ts) as the command line, on files dropped on
 * the page (their bytes in memory) instead of files named by flags. Only one thing is the page's own: a
 * dropped file has no flag, so its role is told from its columns (DECOM: episodes; DUC: UASC; DOB: header),
 * and the files are taken in name order within each role, as a shell's glob gives them to the command line.
 *
 * A file that cannot be read fails with the command line's message (file, line, rule), and a window outside
 * the data with its `--from`/`--to` message; nothing is kept. Pure: no file, no DOM, no clock.
 */
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { careEntriesMeasure } from "../calibrate/Entries.js"
import { calibrationTable, type Window, windowDay, windowWithin } from "../calibrate/Estimates.js"
import { estimatesText, problemsCsv, problemsText, readText, tableCsv } from "../calibrate/Report.js"
import { scenarioFrom903, type Template } from "../calibrate/Scenario903.js"
import { excerpt } from "../domain/Show.js"
import { cleanReturns } from "../ssda903/Clean.js"
import { parseCsv } from "../ssda903/Csv.js"
import {
  combineReturns,
  MAX_FILE_BYTES,
  type ReadFile,
  readFileBytes,
  type Role,
  Ssda903FileError,
  Values
} from "../ssda903/Read.js"

/** Calibration that cannot go ahead: the command line's message, and the councils of a multi-LA extract read. */
export class CalibrateFailed extends Schema.TaggedError<CalibrateFailed>()("CalibrateFailed", {
  detail: Schema.String,
  councils: Schema.Array(Schema.String)
}) {
  override get message(): string {
    return this.detail
  }
}

/** A file dropped on the page: its name and bytes. */
export interface DroppedFile {
  readonly name: string
  readonly bytes: Uint8Array
}

export interface CalibrateOptions {
  /** `--from`, `--to` as typed (YYYY-MM-DD, or a year alone for its 31 March); null: the data's own. */
  readonly from: string | null
  readonly to: string | null
  /** `--la`: the council's rows of a multi-LA extract. */
  readonly la: string | null
  /** `--template`: the scenario the levels below care, costs, services and staff come from. */
  readonly template: Template
}

export interface Calibrated {
  /** What `caseflow calibrate` prints (what was read, the dirty data by rule, the table, the notes). */
  readonly summary: string
  /** The dirty-data summary by rule, and the first rows of the problems (the `--problems` CSV's). */
  readonly problems: string
  readonly firstProblems: ReadonlyArray<string>
  readonly problemsCsv: string
  /** The scenario `--out` writes, and the calibration table (`--table`, or `<name>-calibration.csv`). */
  readonly scenario: string
  readonly table: string
  /** The files by role, in the order they were read. */
  readonly roles: ReadonlyArray<{ readonly name: string; readonly role: Role }>
  /** The councils of a multi-LA extract (for the page's choice of `--la`); empty for raw returns. */
  readonly councils: ReadonlyArray<string>
}

/** How many problem rows the page shows under the summary (all of them are in the CSV). */
export const FIRST_PROBLEMS = 10

const ROLES: ReadonlyArray<Role> = ["episodes", "header", "uasc"]

/** A dropped file's role, from the columns of its first line (a file with none of them is read as episodes). */
export const roleOf = (bytes: Uint8Array): Role => {
  // The first lines (Excel's "sep=," line and blank lines may come before the header).
  const lines = new TextDecoder().decode(bytes.subarray(0, 64 * 1024)).split(/\r?\n/)
  const parsed = parseCsv(lines.slice(0, Math.min(lines.length, 4)).join("\n"))
  const columns = new Set(Either.isRight(parsed) ? parsed.right.header.map((h) => h.trim().toUpperCase()) : [])
  return columns.has("DECOM") ? "episodes" : columns.has("DUC") ? "uasc" : columns.has("DOB") ? "header" : "episodes"
}

const dayOf = (name: "from" | "to", raw: string | null): Either.Either<number | null, CalibrateFailed> =>
  raw === null || raw.trim() === "" ? Either.right(null) : Either.mapLeft(windowDay(name, raw), failure)

/** The window from `--from` and `--to`, within the data's years (the command line's messages). */
const windowOf = (data: Window, from: number | null, to: number | null): Either.Either<Window, CalibrateFailed> =>
  Either.mapLeft(windowWithin(data, from, to), failure)

const failure = (detail: string) => new CalibrateFailed({ detail, councils: [] })

const fileFailed = (e: Ssda903FileError, councils: ReadonlyArray<string> = []) =>
  new CalibrateFailed({ detail: e.message, councils })

/** The files in the order the command line would be given them: episodes, header, UASC, each by name. */
export const orderFiles = (files: ReadonlyArray<DroppedFile>): Array<DroppedFile & { readonly role: Role }> => {
  const withRole = files.map((f) => ({ ...f, role: roleOf(f.bytes) }))
  const byName = (a: { readonly name: string }, b: { readonly name: string }) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0
  return ROLES.flatMap((role) => withRole.filter((f) => f.role === role).sort(byName))
}

/** `caseflow calibrate` of the dropped files with `--out` and `--template`: the same scenario and table. */
export const calibrate = (
  dropped: ReadonlyArray<DroppedFile>,
  o: CalibrateOptions
): Either.Either<Calibrated, CalibrateFailed> =>
  Either.gen(function* () {
    const files = orderFiles(dropped)
    if (!files.some((f) => f.role === "episodes"))
      return yield* Either.left(failure("--episodes: give the SSDA903 episodes files"))
    if (!files.some((f) => f.role === "header"))
      return yield* Either.left(failure("--header: give the SSDA903 header files"))
    const seen = new Map<string, Role>()
    const read: Array<ReadFile> = []
    // A value in several files (a child in each year's) is kept once, as the command line keeps it.
    const values = new Values()
    for (const f of files) {
      const before = seen.get(f.name)
      if (before !== undefined)
        return yield* Either.left(failure(`--${f.role} ${excerpt(f.name)}: already given with --${before}`))
      seen.set(f.name, f.role)
      if (f.bytes.length > MAX_FILE_BYTES)
        return yield* Either.left(
          fileFailed(
            new Ssda903FileError({ file: f.name, line: null, detail: "the file is over the limit of 512.0 MiB" })
          )
        )
      read.push(yield* Either.mapLeft(readFileBytes(f.name, f.role, f.bytes, { values }), (e) => fileFailed(e)))
    }
    const councils = [...new Set(read.flatMap((f) => f.councils))].filter((la) => la !== "").sort()
    const returns = yield* Either.mapLeft(combineReturns(read, o.la), (e) => fileFailed(e, councils))
    const histories = cleanReturns(returns)
    const w = yield* windowOf(histories, yield* dayOf("from", o.from), yield* dayOf("to", o.to))
    const estimates = calibrationTable(histories, w)
    const measure = careEntriesMeasure()
    const made = scenarioFrom903(
      { histories, window: w, estimates },
      {
        template: o.template,
        population: null,
        trend: false,
        name: null,
        careEntries: measure.careEntries
      }
    )
    const failed = measure.failed()
    if (failed !== null)
      return yield* Either.left(failure(`the scenario written from the returns and ${o.template.label}: ${failed}`))
    const problems = problemsText(histories.problems)
    const csv = problemsCsv(histories.problems)
    const summary = [
      readText(returns, histories, w),
      problems,
      estimatesText(estimates),
      [`Scenario: from the returns and ${o.template.label}`, ...made.notes.map((n) => `  note: ${n}`)].join("\n")
    ].join("\n\n")
    return {
      summary,
      problems,
      firstProblems: csv
        .split("\n")
        .slice(0, FIRST_PROBLEMS + 1)
        .filter((l) => l !== ""),
      problemsCsv: csv,
      scenario: made.document.toString({ lineWidth: 0 }),
      table: tableCsv(estimates),
      roles: files.map((f) => ({ name: f.name, role: f.role })),
      councils
    }
  })
