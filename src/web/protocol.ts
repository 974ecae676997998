/**
 * The messages between the page and its Web Workers: the command line's replication protocol
 * (replication/protocol.ts: an `InitialMessage` with the job, then one `RunReplication` per replication),
 * plus `SingleRun`, a whole `caseflow run` of the job's one arm, answered with its summary, its CSVs and its
 * report's parts (shown at once, the report rendered after), and `Render`, a
 * report document and a workbook (plain data: sections, tables, Vega-Lite specifications, typed cells)
 * rendered to the HTML page and the .xlsx bytes, so Vega runs in a worker, not in the page's thread.
 */
import * as Schema from "effect/Schema"
import { InitialMessage, RunReplication } from "../replication/protocol.js"
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

export const WebRequest = Schema.Union(InitialMessage, RunReplication, SingleRun, Render)
export type WebRequest = typeof WebRequest.Type
