/**
 * What `calibrate --dfe` and `backtest` share: reading a folder of DfE (Explore Education Statistics) CSVs
 * (every regular `.csv` file in it, in name order, each at most 256 MiB of UTF-8), taking out one council's
 * tables, and reading the `--costs` template; every problem as bad input (exit 2).
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as path from "node:path"
import { calibratedScenario } from "../../calibrate/Dfe.js"
import { dfeCalibration, dfeEstimates, type Trend } from "../../calibrate/DfeEstimates.js"
import {
  DfeError,
  NEAR_MISS,
  NOT_A_TABLE,
  type CouncilTables,
  readDfeTables,
  yearsOf
} from "../../calibrate/DfeTables.js"
import type { Estimate } from "../../calibrate/Estimates.js"
import { tableCsv } from "../../calibrate/Report.js"
import { excerpt, grouped, show } from "../../domain/Show.js"
import { paragraph, table } from "../../report/Table.js"
import { scenarioFromPlainText } from "../../scenario/Load.js"
import { checkOutputs, commit, probeFolder } from "../output.js"
import { readInputText } from "../../io/InputFile.js"
import type { ScenarioSource } from "../../scenario/Load.js"
import { BadFlag, BadInput } from "../errors.js"
import { Io, say } from "../io.js"
import { inputsOf, load, resultsLine } from "./shared.js"

export const MAX_DFE_FILE_BYTES = 256 * 2 ** 20
/** The most the folder's files may come to in all (reading them all at once costs several times this). */
export const MAX_DFE_FOLDER_BYTES = 256 * 2 ** 20

/** The `.csv` files of a folder, in name order. */
export const dfeFiles = (dir: string): Effect.Effect<Array<string>, BadFlag, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const info = yield* fs
      .stat(dir)
      .pipe(Effect.mapError(() => new BadFlag({ detail: `--dfe ${excerpt(dir)}: no such folder` })))
    if (info.type !== "Directory")
      return yield* Effect.fail(new BadFlag({ detail: `--dfe ${excerpt(dir)}: expected a folder of EES CSV files` }))
    const names = yield* fs
      .readDirectory(dir)
      .pipe(Effect.mapError((e) => new BadFlag({ detail: `--dfe ${excerpt(dir)}: cannot read it (${e.message})` })))
    const csvs = names.filter((n) => n.toLowerCase().endsWith(".csv")).sort()
    if (csvs.length === 0)
      return yield* Effect.fail(new BadFlag({ detail: `--dfe ${excerpt(dir)}: no .csv files in the folder` }))
    return csvs.map((n) => path.join(dir, n))
  })

/** One council's tables from the folder, or the first problem as bad input. */
export const councilTables = (
  dir: string,
  la: string
): Effect.Effect<CouncilTables, BadFlag | BadInput, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const files = yield* dfeFiles(dir)
    const given: Array<{ file: string; text: string }> = []
    let total = 0
    for (const file of files) {
      // What is left of the folder's allowance (a council's tables are a few MiB; the shipped ones 15 MiB).
      const text = yield* readInputText(file, Math.min(MAX_DFE_FILE_BYTES, MAX_DFE_FOLDER_BYTES - total)).pipe(
        Effect.mapError(
          (e) =>
            new BadInput({
              detail:
                e.overLimit && total > 0 && MAX_DFE_FOLDER_BYTES - total < MAX_DFE_FILE_BYTES
                  ? `--dfe ${excerpt(dir)}: its .csv files come to more than ${MAX_DFE_FOLDER_BYTES / 2 ** 20} MiB ` +
                    `in all (at ${excerpt(path.basename(file), 100)}); a calibration reads a few MiB of tables`
                  : e.message
            })
        )
      )
      total += text.length
      given.push({ file, text })
    }
    const t = readDfeTables(given, la)
    if (t instanceof DfeError)
      return yield* Effect.fail(
        t.message.startsWith("--la") ? new BadFlag({ detail: t.message }) : new BadInput({ detail: t.message })
      )
    return t
  })

/** The template scenario (`--costs`). */
export const template = (file: string): Effect.Effect<ScenarioSource, BadInput, FileSystem.FileSystem | Io> =>
  load(file)

/** The latest 31 March the tables give children in need (B1) or CP plans (D5) for, or why there is none. */
export const latestYear = (t: CouncilTables): Either.Either<number, string> => {
  const years = [...yearsOf(t, "b1.at31"), ...yearsOf(t, "d5.at31")]
  if (years.length > 0) return Either.right(Math.max(...years))
  const files = [t.files.get("b1"), t.files.get("d5")].filter((f) => f !== undefined)
  return Either.left(
    `--la ${show(excerpt(t.name, 80))}: the tables give ${excerpt(t.name, 80)} no figure of children in need ` +
      "(B1) or CP plans (D5) at " +
      `31 March in any year (` +
      (files.length > 0
        ? `${files.map((f) => excerpt(f, 200)).join(" and ")} ${files.length === 1 ? "has" : "have"} only cells ` +
          "without a figure for it"
        : "no file in the folder is table B1 or D5") +
      ")" +
      unusedText(t)
  )
}

/** The files that nearly are tables (a column renamed, say), for a message ("" when there are none). */
const unusedText = (t: CouncilTables): string => {
  const near = t.unused.filter((u) => u.why.startsWith(NEAR_MISS))
  return near.length === 0
    ? ""
    : `; not read: ${near
        .slice(0, 3)
        .map((u) => `${excerpt(path.basename(u.file), 100)} (${u.why})`)
        .join("; ")}${near.length > 3 ? `; and ${near.length - 3} more` : ""}`
}

/**
 * A calibration needs the 0-17 population at the start (ONS's, or `--population`): referral rates and the
 * levels scaled from the template are per child. A message when there is none (null: fine).
 */
const noPopulation = (
  t: CouncilTables,
  flag: string,
  year: number,
  given: number | null,
  remedy = "give the council's children aged 0-17 with --population N"
): string | null => {
  if (given !== null || yearsOf(t, "ons.population").some((y) => y <= year)) return null
  const file = t.files.get("ons")
  return (
    `${flag} ${year}: the tables give ${excerpt(t.name, 80)} no ONS 0-17 population estimate at or before ` +
    `mid-${year} ` +
    (file === undefined
      ? "(no file in the folder is the ONS mid-year estimates)"
      : `(${excerpt(file, 200)} has only cells without a figure for it)`) +
    `: ${remedy}`
  )
}

/** What the output says of the tables read, beyond the figures: files not used, a council under several codes. */
export const tablesNotes = (t: CouncilTables): Array<string> => {
  const name = (f: string) => excerpt(path.basename(f), 200)
  const none = t.unused.filter((u) => u.why === NOT_A_TABLE).map((u) => name(u.file))
  return [
    ...(none.length === 0
      ? []
      : [`not used, being none of the tables read: ${none.slice(0, 20).join(", ")}${none.length > 20 ? ", ..." : ""}`]),
    ...t.unused.filter((u) => u.why !== NOT_A_TABLE).map((u) => `not used: ${name(u.file)}: ${u.why}`),
    ...(t.otherNames.length > 0
      ? [
          `rows named ${t.otherNames
            .slice(0, 3)
            .map((n) => show(excerpt(n, 80)))
            .join(", ")}${t.otherNames.length > 3 ? ", ..." : ""} were read as ${excerpt(t.name, 80)}'s, by its ` +
            "code: check that they are the same council"
        ]
      : []),
    ...(t.codes.length > 1
      ? [
          `the tables give ${excerpt(t.name, 80)} under ${t.codes.length} codes, read as one council: ` +
            t.codes
              .map((k) => `${[k.newCode, k.oldCode].filter((x) => x !== "").join("/")} (${k.from}-${k.to})`)
              .join(", ") +
            "; if its area changed with its code, figures either side of the change are of different areas"
        ]
      : [])
  ]
}

/** The years a table needs for a cut-off, as a message (null: fine). */
const yearProblem = (t: CouncilTables, flag: string, year: number): string | null => {
  const cin = t.series.get("b1.at31")
  const cp = t.series.get("d5.at31")
  if ((cin === undefined || cin.get(year)?.value == null) && (cp === undefined || cp.get(year)?.value == null)) {
    const years = [...new Set([...(cin?.keys() ?? []), ...(cp?.keys() ?? [])])].sort((a, b) => a - b)
    return (
      `${flag} ${year}: the tables give ${excerpt(t.name, 80)} no children in need (B1) or CP plans (D5) at ` +
      `31 March ${year}` +
      (years.length > 0 ? ` (they cover ${years[0]} to ${years[years.length - 1]})` : "")
    )
  }
  return null
}

/**
 * What stops a calibration to 31 March `year` (`flag`'s): no children in need or CP plans that year, or no
 * population at the start (ONS's, or `given`); null: nothing. `remedy`: what to do about a missing population.
 */
export const calibrationProblem = (
  t: CouncilTables,
  flag: string,
  year: number,
  given: number | null,
  remedy?: string
): string | null => yearProblem(t, flag, year) ?? noPopulation(t, flag, year, given, remedy)

/** The calibration table as printed (the SSDA903 calibration's columns). */
export const dfeEstimatesText = (rows: ReadonlyArray<Estimate>): string => {
  const out: Array<ReadonlyArray<string> | { heading: string }> = []
  let measure = ""
  const shown = (x: number | null, unit: string): string =>
    x === null
      ? "-"
      : unit.startsWith("share")
        ? `${(x * 100).toFixed(1)}%`
        : x >= 100
          ? grouped(Math.round(x))
          : x.toFixed(2)
  for (const e of rows) {
    if (e.measure !== measure) {
      out.push({ heading: e.measure })
      measure = e.measure
    }
    out.push([
      `${e.breakdown} (${e.unit})`,
      shown(e.value, e.unit),
      e.lower === null || e.upper === null ? "" : `${shown(e.lower, e.unit)} to ${shown(e.upper, e.unit)}`,
      grouped(e.observations)
    ])
  }
  return [
    "Calibration table (from DfE tables)",
    table({ header: ["estimate", "value", "95% interval", "observations"], rows: out, labels: 1 }),
    paragraph(
      "Each estimate's table, columns, years and method are in --table FILE.csv and in the scenario's comments."
    )
  ].join("\n")
}

export interface CalibrateDfeFlags {
  readonly dfe: string
  readonly la: string | null
  readonly to: number | null
  readonly costs: string | null
  readonly out: string | null
  readonly table: string | null
  readonly trend: Trend
  /** `--population`: the 0-17 population, when ONS's estimate is missing or not wanted. */
  readonly population: number | null
}

/**
 * `calibrate --dfe DIR --la X [--to YEAR] --costs TEMPLATE --out scenario.yaml [--table F.csv]
 * [--trend none|linear]`.
 */
export const calibrateDfe = (f: CalibrateDfeFlags) =>
  Effect.gen(function* () {
    if (f.la === null)
      return yield* Effect.fail(new BadFlag({ detail: "--la: with --dfe, name the council (its name or LA code)" }))
    if (f.costs === null)
      return yield* Effect.fail(
        new BadFlag({
          detail: "--costs: with --dfe, give the template scenario for unit costs (e.g. scenarios/default.yaml)"
        })
      )
    if (f.out === null)
      return yield* Effect.fail(new BadFlag({ detail: "--out: with --dfe, give the scenario file to write" }))
    if (f.table !== null && path.resolve(path.dirname(f.table)) !== path.resolve(path.dirname(f.out)))
      return yield* Effect.fail(new BadFlag({ detail: "--table: with --dfe, write it in the same folder as --out" }))
    const files = yield* dfeFiles(f.dfe)
    const targets = [{ file: f.out, flag: "--out" }, ...(f.table === null ? [] : [{ file: f.table, flag: "--table" }])]
    const io = yield* Io
    const tmpl = yield* template(f.costs)
    yield* checkOutputs(targets, [
      ...files.map((file) => ({ file, role: "a DfE table being read" })),
      ...inputsOf(tmpl, "the --costs template")
    ])
    yield* probeFolder(path.dirname(f.out), "--out")
    const tables = yield* io.unguarded(councilTables(f.dfe, f.la))
    const latest = latestYear(tables)
    if (f.to === null && Either.isLeft(latest)) return yield* Effect.fail(new BadInput({ detail: latest.left }))
    const year = f.to ?? Either.getOrThrow(latest)
    const problem = calibrationProblem(tables, "--to", year, f.population)
    if (problem !== null) return yield* Effect.fail(new BadFlag({ detail: problem }))
    const command =
      `caseflow calibrate --dfe ${f.dfe} --la "${tables.name}" --to ${year} --costs ${f.costs} --trend ${f.trend} ` +
      (f.population === null ? "" : `--population ${f.population} `) +
      `--out ${f.out}`
    // Seconds of synchronous work (the estimates, the pilot runs, the check of the scenario) before anything
    // is written: unguarded, so that Ctrl-C ends it at once (`CliIo.unguarded`).
    const [out, costs] = [f.out, f.costs]
    const { written, estimates } = yield* io.unguarded(
      Effect.gen(function* () {
        const calibration = dfeCalibration(tables, year, f.trend, f.population)
        const written = calibratedScenario({ calibration, template: tmpl.raw, templateLabel: costs, command })
        if (Either.isLeft(written)) return yield* Effect.fail(new BadInput({ detail: written.left }))
        const check = scenarioFromPlainText(out, written.right.text)
        if (Either.isLeft(check))
          return yield* Effect.fail(
            new BadInput({ detail: `the calibrated scenario does not load: ${check.left.message}` })
          )
        return { written: written.right, estimates: dfeEstimates(calibration) }
      })
    )
    const outputs: Array<readonly [string, string]> = [[path.basename(f.out), written.text]]
    if (f.table !== null) outputs.push([path.basename(f.table), tableCsv(estimates)])
    const done = yield* commit({
      dir: path.dirname(f.out),
      flag: "--out",
      names: outputs.map(([n]) => n),
      files: outputs
    })
    yield* say(
      `${tables.name} (${[tables.newCode, tables.oldCode].filter((x) => x !== "").join(", ")}), to 31 March ${year}, ` +
        `trend ${f.trend}: tables ${[...tables.files.keys()].join(", ")}` +
        ([...tables.symbols].length > 0
          ? `; cells without a figure: ${[...tables.symbols].map(([s, n]) => `${n} "${s}"`).join(", ")}`
          : "")
    )
    yield* say("")
    yield* say(dfeEstimatesText(estimates))
    yield* say("")
    if (written.pilot !== null) yield* say(paragraph(`Calibrated scenario: ${written.pilot}.`))
    for (const n of [...tablesNotes(tables), ...written.notes]) yield* say(paragraph(`Note: ${n}.`))
    yield* say(resultsLine(done))
  })
