/**
 * Renders a report and a workbook in this thread, with the command line's renderers (report/render/:
 * Vega to SVG, write-excel-file). The page calls it inside a Web Worker (its bundle maps the xlsx writer
 * to the library's browser build); the tests call it directly.
 */
import * as Effect from "effect/Effect"
import { renderHtml, xlsxBytes } from "../report/render/index.js"
import { type Render, TaskFailed } from "./Tasks.js"

export const renderHere: Render = (doc, book) =>
  Effect.tryPromise({
    try: async () => {
      const html = await renderHtml(doc)
      return { html: html.html, renderWarnings: html.warnings, xlsx: await xlsxBytes(book) }
    },
    catch: (e) => new TaskFailed({ detail: `cannot render the report: ${e instanceof Error ? e.message : String(e)}` })
  })
