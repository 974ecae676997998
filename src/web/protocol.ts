/**
 * The messages between the page and its Web Workers: the command line's replication protocol
 * (replication/protocol.ts: an `InitialMessage` with the job, then one `RunReplication` per replication),
 * plus `SingleRun`, a whole `caseflow run` of the job's one arm, answered with its summary, its CSVs and its
 * report's parts (shown at once, the report rendered after), and `Render`, a
 * report document and a workbook (plain data: sections, tables, Vega-Lite specifications, typed cells)
 * rendered to the HTML page and the .xlsx bytes, so Vega runs in a worker, not in the page's thread; and
 * `Calibrate`, `caseflow calibrate` of SSDA903 files dropped on the page (Calibrate.ts), answered with the
 * scenario, the calibration table and the dirty data, or the command line's message.
 */
import * as Schema from "effect/Schema"
import { InitialMessage, RunReplication } from "../replication/protocol.js"
import { CalibrateFailed } from "./Calibrate.js"
import { TaskFailed } from "./Tasks.js"

const Output = Schema.Struct({ name: Schema.String, data: Schema.Union(Schema.String, Schema.Uint8ArrayFromSelf) })

export const SingleRunResult = Schema.Struct({
  summary: Schema.String,
  csv: Schema.Array(Output),
  events: Schema.Number,
  /** The simulation itself, and all the worker did (milliseconds). */
  simulatedMs: Schema.Number,
  workerMs: Schema.Number,
  /** The report's ReportDocument and Workbook, for the page to have rendered (by `Render`, in another worker). */
  doc: Schema.Unknown,
  book: Schema.Unknown
})
export type SingleRunResult = typeof SingleRunResult.Type

export class SingleRun extends Schema.TaggedRequest<SingleRun>()("SingleRun", {
  failure: TaskFailed,
  success: SingleRunResult,
  /** The scenario's texts, for the comments that source each parameter in the report. */
  payload: { texts: Schema.Array(Schema.Struct({ file: Schema.String, text: Schema.String })) }
}) {}

export const RenderResult = Schema.Struct({
  html: Schema.String,
  renderWarnings: Schema.Array(Schema.String),
  xlsx: Schema.Uint8ArrayFromSelf
})

export class Render extends Schema.TaggedRequest<Render>()("Render", {
  failure: TaskFailed,
  success: RenderResult,
  /** A ReportDocument and a Workbook (report/Document.ts, report/Workbook.ts), passed by structured clone. */
  payload: { doc: Schema.Unknown, book: Schema.Unknown }
}) {}

export const CalibrateResult = Schema.Struct({
  summary: Schema.String,
  problems: Schema.String,
  firstProblems: Schema.Array(Schema.String),
  problemsCsv: Schema.String,
  scenario: Schema.String,
  table: Schema.String,
  roles: Schema.Array(Schema.Struct({ name: Schema.String, role: Schema.Literal("episodes", "header", "uasc") })),
  councils: Schema.Array(Schema.String)
})
export type CalibrateResult = typeof CalibrateResult.Type

export class Calibrate extends Schema.TaggedRequest<Calibrate>()("Calibrate", {
  failure: CalibrateFailed,
  success: CalibrateResult,
  payload: {
    /** The dropped files' names and bytes. */
    files: Schema.Array(Schema.Struct({ name: Schema.String, bytes: Schema.Uint8ArrayFromSelf })),
    from: Schema.NullOr(Schema.String),
    to: Schema.NullOr(Schema.String),
    la: Schema.NullOr(Schema.String),
    /** The template scenario as loaded (its label and data: the page has already checked it). */
    template: Schema.Struct({ label: Schema.String, raw: Schema.Unknown })
  }
}) {}

export const WebRequest = Schema.Union(InitialMessage, RunReplication, SingleRun, Render, Calibrate)
export type WebRequest = typeof WebRequest.Type
