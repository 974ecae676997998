/**
 * `--report FILE.html` and `--xlsx FILE.xlsx`, shared by the commands that take them: the outputs to
 * check against the inputs, the scenario texts whose comments source the assumptions, and the rendering
 * (the renderers are loaded only here, and only when one of the two flags is given). The rendered files
 * are handed to `commit` as extra files, so they are written all or nothing with the command's others.
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { scenarioParameters, type Parameter, type ScenarioText } from "../report/Assumptions.js"
import type { ReportDocument } from "../report/Document.js"
import { loadRenderers } from "../report/Renderer.js"
import type { Workbook } from "../report/Workbook.js"
import type { ScenarioSource } from "../scenario/Load.js"
import { WriteFailed } from "./errors.js"
import { note, type Io } from "./io.js"
import type { ExtraFile, Target } from "./output.js"

export interface ReportFlags {
  readonly report: Option.Option<string>
  readonly xlsx: Option.Option<string>
}

export const wantsReport = (f: ReportFlags): boolean => Option.isSome(f.report) || Option.isSome(f.xlsx)

/** The report files as outputs (to check against the inputs and each other). */
export const reportTargets = (f: ReportFlags): Array<Target> => [
  ...Option.toArray(f.report).map((file) => ({ file, flag: "--report" })),
  ...Option.toArray(f.xlsx).map((file) => ({ file, flag: "--xlsx" }))
]

/**
 * Every parameter of the scenario with the comment that sources it: read from the scenario file and the
 * bases it extends (their texts as they are now); for a scenario that came from data (an event log's
 * header), or a file that can no longer be read, from the data itself, without comments.
 */
export const parametersOf = (source: ScenarioSource): Effect.Effect<Array<Parameter>, never, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const texts: Array<ScenarioText> = []
    for (const file of source.files) {
      const text = yield* Effect.option(fs.readFileString(file))
      if (Option.isSome(text)) texts.push({ file, text: text.value })
    }
    if (texts.length === 0) texts.push({ file: source.file, text: JSON.stringify(source.raw) })
    return scenarioParameters(texts, source.raw)
  })

/** Renders what was asked for; Vega's warnings (if any) are printed on stderr. */
export const renderReports = (
  f: ReportFlags,
  doc: () => ReportDocument,
  book: () => Workbook
): Effect.Effect<Array<ExtraFile>, WriteFailed, Io> =>
  Effect.gen(function* () {
    if (!wantsReport(f)) return []
    const failed = (file: string) => (e: unknown) =>
      new WriteFailed({ file, detail: `cannot render it: ${e instanceof Error ? e.message : String(e)}` })
    const first = Option.getOrElse(f.report, () => Option.getOrElse(f.xlsx, () => ""))
    const r = yield* Effect.tryPromise({ try: () => loadRenderers(), catch: failed(first) })
    const out: Array<ExtraFile> = []
    if (Option.isSome(f.report)) {
      const file = f.report.value
      const rendered = yield* Effect.tryPromise({ try: () => r.renderHtml(doc()), catch: failed(file) })
      for (const w of rendered.warnings) yield* note(`caseflow: note: ${file}: ${w}`)
      out.push({ file, flag: "--report", data: rendered.html })
    }
    if (Option.isSome(f.xlsx)) {
      const file = f.xlsx.value
      const bytes = yield* Effect.tryPromise({ try: () => r.xlsxBytes(book()), catch: failed(file) })
      out.push({ file, flag: "--xlsx", data: bytes })
    }
    return out
  })
