/**
 * `caseflow calibrate --episodes F... --header F... [--uasc F...] [--from DATE] [--to DATE] [--la X]
 * [--table FILE.csv] [--problems FILE.csv] [--children FILE.csv] [--out scenario.yaml --template FILE
 * [--population N] [--trend none|linear]]` (or `--dfe DIR --la X ... --costs FILE --out F`, in ./dfe.ts): reads
 * SSDA903 returns, reports their dirty data (a summary by rule printed; every problem by file, line and rule
 * with `--problems`), writes and prints the calibration table, with
 * `--children` writes the children in care on the last day, one row each, and with `--out` writes a scenario
 * (`calibrate/Scenario903.ts`): care from the returns, the rest from the template. Without `--table`, the
 * table is written beside the scenario (`<name>-calibration.csv`). With `--dfe DIR --la X` as well, the
 * template is the scenario `calibrate --dfe` writes for the council to the year of `--to` (a 31 March) on
 * `--template`: care from the returns, the front door, levels below care and population from DfE's tables.
 *
 * Bad files (not CSV, a workbook, not UTF-8, missing columns, mixed date formats or shapes) and bad flags end
 * with exit 2 and nothing written; the outputs are written together, or none of them.
 */
import * as Command from "@effect/cli/Command"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Options from "@effect/cli/Options"
import * as ValidationError from "@effect/cli/ValidationError"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as path from "node:path"
import { careEntriesMeasure } from "../../calibrate/Entries.js"
import { combinedTemplate, councilNames } from "../../calibrate/Combined.js"
import type { CouncilTables } from "../../calibrate/DfeTables.js"
import {
  calibrationTable,
  childrenInCareOn,
  type Estimate,
  type Window,
  windowDay,
  windowWithin
} from "../../calibrate/Estimates.js"
import { scenarioFrom903, type Template } from "../../calibrate/Scenario903.js"
import { childrenCsv, estimatesText, problemsCsv, problemsText, readText, tableCsv } from "../../calibrate/Report.js"
import { isoOfEpochDay } from "../../domain/Calendar.js"
import { show } from "../../domain/Show.js"
import { cleanReturns } from "../../ssda903/Clean.js"
import { readReturns } from "../../ssda903/Read.js"
import { BadFlag, BadInput, WriteFailed } from "../errors.js"
import * as Flags from "../flags.js"
import type { RawCheck } from "../flags.js"
import { Io, say } from "../io.js"
import { checkOutputs, commit, failureOf, folderInScope, probeFolder, type Target } from "../output.js"
import { calibrateDfe, calibrationProblem, councilTables, dfeEstimatesText, dfeFiles, tablesNotes } from "./dfe.js"
import { inputsOf, load, resultsLine, returnsGiven, returnsInputs } from "./shared.js"

/** Flags that take several files after one name: `--episodes a.csv b.csv` as a shell glob writes it. */
const MULTI = ["--episodes", "--header", "--uasc"]

/**
 * The command line with each of several files after `--episodes`, `--header` or `--uasc` given its own
 * flag (`--episodes a b` becomes `--episodes a --episodes b`), as @effect/cli reads repeated flags.
 */
export const spreadFiles = (argv: ReadonlyArray<string>): Array<string> => {
  const out: Array<string> = []
  let flag: string | null = null
  for (const t of argv) {
    if (t.startsWith("--")) {
      const name = t.includes("=") ? t.slice(0, t.indexOf("=")) : t
      flag = MULTI.includes(name) && !t.includes("=") ? name : null
      out.push(t)
      if (flag !== null) out.push("\u0000first")
      continue
    }
    if (flag !== null) {
      if (out[out.length - 1] === "\u0000first") out[out.length - 1] = t
      else out.push(flag, t)
      continue
    }
    out.push(t)
  }
  // A multi-file flag given no file keeps its emptiness for @effect/cli to refuse.
  return out.filter((t) => t !== "\u0000first")
}

const dateProblem = (name: "from" | "to", raw: string): string | null =>
  Either.match(windowDay(name, raw), { onLeft: (p) => p, onRight: () => null })

const date = (name: "from" | "to", description: string) =>
  Options.text(name).pipe(
    Options.withPseudoName("YYYY-MM-DD"),
    Options.withDescription(description),
    Options.mapEffect((raw) =>
      Either.match(windowDay(name, raw), {
        onLeft: (p) => Effect.fail(ValidationError.invalidValue(HelpDoc.p(p))),
        onRight: (day) => Effect.succeed(day)
      })
    ),
    Options.optional
  )

const populationProblem = (raw: string): string =>
  `--population: expected a whole number of children aged 0-17 from 1 to 100,000,000, found ${show(raw)}`

const valueCheck = (name: string, what: string): RawCheck => ({
  name,
  check: (raw) => (raw.trim() === "" ? `--${name}: expected ${what}, found ""` : null)
})

export const checks: ReadonlyArray<RawCheck> = [
  { name: "from", check: (raw) => dateProblem("from", raw) },
  { name: "to", check: (raw) => dateProblem("to", raw) },
  ...["episodes", "header", "uasc", "table", "problems", "children", "costs", "out", "template"].map((n) =>
    valueCheck(n, "a file")
  ),
  valueCheck("dfe", "a folder"),
  Flags.choiceCheck("trend", Flags.TRENDS),
  valueCheck("la", "the council's value of the LA column"),
  {
    name: "population",
    first: true,
    check: (raw) =>
      /^\d+$/.test(raw.trim()) && Number(raw.trim()) >= 1 && Number(raw.trim()) <= 100_000_000
        ? null
        : populationProblem(raw)
  }
]
export const names: ReadonlyArray<string> = [
  "episodes",
  "header",
  "uasc",
  "from",
  "to",
  "la",
  "table",
  "problems",
  "children",
  "dfe",
  "costs",
  "out",
  "template",
  "population",
  "trend"
]

const options = {
  ...Flags.returns,
  from: date("from", "first day of the estimates' window (default: the first collection year's 1 April)"),
  to: date("to", "last day of the window, the day the children in care are counted (default: the last 31 March)"),
  la: Options.text("la").pipe(
    Options.withDescription("the council's rows of a multi-LA extract (its LA column's value)"),
    Options.optional
  ),
  table: Options.file("table").pipe(
    Options.withDescription("write the calibration table to this CSV file (default with --out: beside the scenario)"),
    Options.optional
  ),
  dfe: Options.directory("dfe").pipe(
    Options.withDescription(
      "DfE's published tables (a folder of EES CSV files): alone, or with the returns for all but care"
    ),
    Options.optional
  ),
  costs: Options.file("costs").pipe(
    Options.withDescription("with --dfe: the template scenario for unit costs, services and staffing (= --template)"),
    Options.optional
  ),
  problems: Options.file("problems").pipe(
    Options.withDescription("also write every dirty-data problem (file, line, child, rule, handling) to this CSV"),
    Options.optional
  ),
  children: Options.file("children").pipe(
    Options.withDescription(
      "also write the children in care on --to, one row each (age, placement, legal status, time in care)"
    ),
    Options.optional
  ),
  out: Options.file("out").pipe(
    Options.withDescription(
      "write a scenario: children in care from the returns (or all levels from --dfe), the rest from --template"
    ),
    Options.optional
  ),
  template: Options.file("template").pipe(
    Options.withDescription(
      "with --out: the scenario the levels below care, costs, services and staff come from (= --costs)"
    ),
    Options.optional
  ),
  population: Options.integer("population").pipe(
    Options.withDescription("with --out: the council's children aged 0-17 (default: the template's); re-bases it"),
    Options.mapEffect((n) =>
      n >= 1 && n <= 100_000_000
        ? Effect.succeed(n)
        : Effect.fail(ValidationError.invalidValue(HelpDoc.p(populationProblem(String(n)))))
    ),
    Options.optional
  ),
  trend: Options.choice("trend", Flags.TRENDS).pipe(
    Options.withDescription(
      "with --out: none, or linear: apply the fitted yearly trend (of entries to care, or with --dfe of rates)"
    ),
    Options.withDefault("none" as const)
  )
}

/** The calibration table's file beside a scenario `out`: `<name>-calibration.csv`. */
export const tableBeside = (out: string): string =>
  path.join(path.dirname(out), `${path.basename(out, path.extname(out))}-calibration.csv`)

/** The window from the flags, within the data's years. */
const windowOf = (data: Window, from: number | null, to: number | null): Either.Either<Window, BadFlag> =>
  Either.mapLeft(windowWithin(data, from, to), (detail) => new BadFlag({ detail }))

export const command = Command.make(
  "calibrate",
  options,
  ({
    episodes,
    header,
    uasc,
    from,
    to,
    la,
    table: tableFlag,
    problems,
    children,
    dfe,
    costs,
    out,
    template,
    population,
    trend
  }) =>
    Effect.gen(function* () {
      if (Option.isSome(costs) && Option.isSome(template))
        return yield* Effect.fail(new BadFlag({ detail: "--costs: give either --costs or --template (the same)" }))
      const templateFlag = Option.orElse(template, () => costs)
      // --dfe with --episodes: the DfE-table scenario is the template the returns fill (care from the returns).
      const combined = Option.isSome(dfe) && (episodes.length > 0 || header.length > 0)
      if (Option.isSome(dfe) && !combined) {
        // The flags of the SSDA903 calibration only: refused here rather than dropped without a word.
        for (const [flag, given] of [
          ["--uasc", uasc.length > 0],
          ["--from", Option.isSome(from)],
          ["--problems", Option.isSome(problems)],
          ["--children", Option.isSome(children)]
        ] as const)
          if (given)
            return yield* Effect.fail(
              new BadFlag({
                detail: `${flag}: applies to SSDA903 returns (--episodes, --header), not to --dfe alone`
              })
            )
        const toDay = Option.getOrNull(to)
        const toIso = toDay === null ? null : isoOfEpochDay(toDay)
        if (toIso !== null && !toIso.endsWith("-03-31"))
          return yield* Effect.fail(
            new BadFlag({ detail: `--to ${toIso}: with --dfe, give a year ending 31 March (e.g. --to 2019)` })
          )
        return yield* calibrateDfe({
          dfe: dfe.value,
          la: Option.getOrNull(la),
          to: toIso === null ? null : Number(toIso.slice(0, 4)),
          costs: Option.getOrNull(templateFlag),
          out: Option.getOrNull(out),
          table: Option.getOrNull(tableFlag),
          trend,
          population: Option.getOrNull(population)
        })
      }
      if (episodes.length === 0)
        return yield* Effect.fail(new BadFlag({ detail: "--episodes: give the SSDA903 episodes files" }))
      if (header.length === 0)
        return yield* Effect.fail(new BadFlag({ detail: "--header: give the SSDA903 header files" }))
      const outFile = Option.getOrNull(out)
      const templateFile = Option.getOrNull(templateFlag)
      const dfeDir = Option.getOrNull(dfe)
      if (dfeDir !== null) {
        if (Option.isNone(la))
          return yield* Effect.fail(new BadFlag({ detail: "--la: with --dfe, name the council (its name or LA code)" }))
        if (outFile === null)
          return yield* Effect.fail(new BadFlag({ detail: "--out: with --dfe, give the scenario file to write" }))
        if (templateFile === null)
          return yield* Effect.fail(
            new BadFlag({
              detail: "--template: with --dfe, give the template scenario for unit costs (e.g. scenarios/default.yaml)"
            })
          )
      }
      if (outFile === null && Option.isNone(tableFlag))
        return yield* Effect.fail(new BadFlag({ detail: "--table: give a file for the calibration table (or --out)" }))
      if (outFile !== null && templateFile === null)
        return yield* Effect.fail(
          new BadFlag({
            detail:
              "--template: give the scenario the parts below care come from (SSDA903 covers only children in " +
              "care), e.g. --template scenarios/default.yaml"
          })
        )
      for (const [flag, given] of [
        ["--template", templateFile],
        ["--population", Option.getOrNull(population)],
        ["--trend", trend === "linear" ? true : null]
      ] as const)
        if (outFile === null && given !== null)
          return yield* Effect.fail(new BadFlag({ detail: `${flag}: applies only with --out (writing a scenario)` }))
      const table = Option.getOrElse(tableFlag, () => tableBeside(outFile!))
      const given = yield* returnsGiven({ episodes, header, uasc })
      // The outputs: the table, and those asked for. One beside the table is written in its folder; one
      // elsewhere is staged beside its own file and moved in with the table's, all or nothing.
      const wanted: Array<{ flag: string; file: string }> = [{ flag: "--table", file: table }]
      const problemsFile = Option.getOrNull(problems)
      if (problemsFile !== null) wanted.push({ flag: "--problems", file: problemsFile })
      const childrenFile = Option.getOrNull(children)
      if (childrenFile !== null) wanted.push({ flag: "--children", file: childrenFile })
      if (outFile !== null) wanted.push({ flag: "--out", file: outFile })
      const templateSource = templateFile === null ? null : yield* load(templateFile)
      const tableDir = path.resolve(path.dirname(table))
      const partialOf = (file: string) => (path.resolve(path.dirname(file)) === tableDir ? null : `${file}.partial`)
      const targets: Array<Target> = wanted.flatMap((o) => {
        const partial = partialOf(o.file)
        return [{ file: o.file, flag: o.flag }, ...(partial === null ? [] : [{ file: partial, flag: o.flag }])]
      })
      const dfeInputs = dfeDir === null ? [] : yield* dfeFiles(dfeDir)
      yield* checkOutputs(targets, [
        ...returnsInputs(given),
        ...dfeInputs.map((file) => ({ file, role: "a DfE table being read" })),
        ...(templateSource === null ? [] : inputsOf(templateSource, "the template scenario"))
      ])
      for (const o of wanted) yield* probeFolder(path.dirname(o.file), o.flag)

      // Reading writes nothing: a signal meanwhile ends the process at once.
      const io = yield* Io
      // With --dfe, --la names the council in DfE's tables, and in a multi-LA extract's LA column by its name
      // or either code; raw returns are that council's alone.
      const dfeTables =
        dfeDir !== null && Option.isSome(la) ? yield* io.unguarded(councilTables(dfeDir, la.value)) : null
      // The returns are cleaned as they are read, unguarded too: their rows are let go, only the histories kept.
      const { read, histories } = yield* io.unguarded(
        readReturns(
          given,
          dfeTables === null
            ? Option.getOrNull(la)
            : councilNames(
                dfeTables,
                Option.getOrElse(la, () => "")
              )
        ).pipe(
          Effect.map((returns) => ({
            read: { shape: returns.shape, years: returns.years },
            histories: cleanReturns(returns)
          }))
        )
      )
      // Estimating, the scenario (and its pilot runs) and the files' text: seconds of synchronous work before
      // anything is written, unguarded so that Ctrl-C ends it at once (`CliIo.unguarded`).
      const made = yield* io.unguarded(
        Effect.gen(function* () {
          const w = yield* windowOf(histories, Option.getOrNull(from), Option.getOrNull(to))
          const careEstimates = calibrationTable(histories, w)
          let estimates: ReadonlyArray<Estimate> = careEstimates
          let dfePart: {
            readonly tables: CouncilTables
            readonly year: number
            readonly rows: ReadonlyArray<Estimate>
          } | null = null
          let scenarioText = ""
          const notes: Array<string> = []
          let tpl: Template | null =
            templateSource === null
              ? null
              : { label: templateSource.label, raw: templateSource.raw, scenario: templateSource.central }
          if (dfeDir !== null && dfeTables !== null && templateSource !== null) {
            const lastIso = isoOfEpochDay(w.to - 1)
            if (!lastIso.endsWith("-03-31"))
              return yield* Effect.fail(
                new BadFlag({ detail: `--to ${lastIso}: with --dfe, give a year ending 31 March (e.g. --to 2021)` })
              )
            const year = Number(lastIso.slice(0, 4))
            const tables = dfeTables
            const problem = calibrationProblem(tables, "--to", year, Option.getOrNull(population))
            if (problem !== null) return yield* Effect.fail(new BadFlag({ detail: problem }))
            notes.push(...tablesNotes(tables).map((n) => `DfE tables: ${n}`))
            const made = combinedTemplate({
              tables,
              year,
              trend,
              population: Option.getOrNull(population),
              costs: { raw: templateSource.raw, label: templateSource.label },
              dfeLabel: dfeDir
            })
            if (Either.isLeft(made)) return yield* Effect.fail(new BadInput({ detail: made.left }))
            tpl = made.right.template
            notes.push(...made.right.notes)
            const rows = made.right.rows
            dfePart = { tables, year, rows }
            estimates = [...careEstimates, ...rows]
          }
          if (tpl !== null) {
            const measure = careEntriesMeasure()
            const made = scenarioFrom903(
              { histories, window: w, estimates: careEstimates },
              {
                template: tpl,
                population: Option.getOrNull(population),
                // With --dfe the trend is the tables' (of referrals and plans), applied in the DfE-table scenario.
                trend: trend === "linear" && dfeDir === null,
                name: null,
                careEntries: measure.careEntries
              }
            )
            const failed = measure.failed()
            if (failed !== null)
              return yield* Effect.fail(
                new BadInput({ detail: `the scenario written from the returns and ${tpl.label}: ${failed}` })
              )
            scenarioText = made.document.toString({ lineWidth: 0 })
            notes.push(...made.notes)
          }
          const text = (flag: string): string =>
            flag === "--table"
              ? tableCsv(estimates)
              : flag === "--problems"
                ? problemsCsv(histories.problems)
                : flag === "--out"
                  ? scenarioText
                  : childrenCsv(childrenInCareOn(histories, w.to - 1))
          const texts = new Map(wanted.map((o) => [o.flag, text(o.flag)] as const))
          return { w, careEstimates, dfePart, notes, tpl, texts }
        })
      )
      const { w, careEstimates, dfePart, notes, tpl, texts } = made
      const text = (flag: string): string => texts.get(flag) ?? ""
      const written = yield* Effect.scoped(
        Effect.gen(function* () {
          const fs = yield* FileSystem.FileSystem
          const staged: Array<{ partial: string; target: string }> = []
          const files: Array<readonly [string, string]> = []
          for (const o of wanted) {
            const partial = partialOf(o.file)
            if (partial === null) {
              files.push([path.basename(o.file), text(o.flag)])
              continue
            }
            yield* folderInScope(path.dirname(o.file), o.flag)
            yield* Effect.acquireRelease(
              fs
                .writeFileString(partial, text(o.flag))
                .pipe(
                  Effect.mapError((e) => new WriteFailed({ file: o.file, detail: `cannot write it: ${failureOf(e)}` }))
                ),
              () => Effect.ignore(fs.remove(partial))
            )
            staged.push({ partial, target: o.file })
          }
          return yield* commit({
            dir: path.dirname(table),
            flag: "--table",
            names: files.map(([n]) => n),
            files,
            staged
          })
        })
      )
      yield* say(readText(read, histories, w))
      yield* say("")
      yield* say(problemsText(histories.problems))
      yield* say("")
      yield* say(estimatesText(careEstimates))
      yield* say("")
      if (dfePart !== null) {
        const t = dfePart.tables
        yield* say(
          `${t.name} (${[t.newCode, t.oldCode].filter((x) => x !== "").join(", ")}), to 31 March ${dfePart.year}, ` +
            `trend ${trend}: tables ${[...t.files.keys()].join(", ")}`
        )
        yield* say(dfeEstimatesText(dfePart.rows))
        yield* say("")
      }
      if (outFile !== null) {
        yield* say(`Scenario: ${outFile} (from the returns and ${tpl?.label ?? ""})`)
        for (const n of notes) yield* say(`  note: ${n}`)
        yield* say("")
      }
      yield* say(resultsLine(written))
    }).pipe(Effect.catchTag("Ssda903FileError", (e) => Effect.fail(new BadInput({ detail: e.message }))))
).pipe(
  Command.withDescription(
    "estimate entries, time in care, exit routes, moves and the children in care from SSDA903 returns; " +
      "writes the calibration table and, with --out, a scenario (care from the returns, the rest from --template)"
  )
)
