/**
 * A report for people, as data: what `--report FILE.html` shows, built by each command from its results
 * (run here in `RunReport.ts`; Monte Carlo and comparisons in their own layers) and written out by the
 * renderer (`html/Render.ts`, loaded only when a report is asked for: it brings Vega and Vega-Lite).
 *
 * A document is a title, a one-paragraph summary and sections of blocks: prose, tables, definition lists
 * and charts. A chart is a Vega-Lite specification whose data are inline values, each with the name of the
 * CSV (written by the same command) that holds the same figures. Nothing here depends on the renderer.
 */
import { percent } from "./Format.js"

/** JSON, as a Vega-Lite specification is written. */
export type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [key: string]: Json }

/** A table column: text (left-aligned) or a figure (right-aligned, already formatted for people). */
export interface DocColumn {
  readonly header: string
  readonly numeric?: boolean
}

export type Block =
  | { readonly kind: "paragraph"; readonly text: string }
  | { readonly kind: "list"; readonly items: ReadonlyArray<string> }
  | { readonly kind: "definitions"; readonly items: ReadonlyArray<readonly [string, string]> }
  | {
      readonly kind: "table"
      readonly caption: string
      readonly columns: ReadonlyArray<DocColumn>
      readonly rows: ReadonlyArray<ReadonlyArray<string>>
      /** Rows drawn as totals (bold, ruled above), by index. */
      readonly totals?: ReadonlyArray<number>
    }
  | {
      readonly kind: "chart"
      readonly title: string
      /** A Vega-Lite (v6) specification with inline data. */
      readonly spec: { readonly [key: string]: Json }
      /** Where the same figures are, for machines (e.g. "stocks.csv"). */
      readonly source: string
      /** What the chart shows, in words (the figure's caption, and its text for screen readers). */
      readonly caption: string
    }

export interface Section {
  readonly title: string
  readonly blocks: ReadonlyArray<Block>
}

export interface ReportDocument {
  /** The page title: the scenario and the kind of result. */
  readonly title: string
  /** A line under the title: dates, seed, runs. */
  readonly subtitle: string
  /** The one-paragraph plain-English summary at the top. */
  readonly summary: string
  readonly sections: ReadonlyArray<Section>
}

export const paragraph = (text: string): Block => ({ kind: "paragraph", text })
export const list = (items: ReadonlyArray<string>): Block => ({ kind: "list", items })
export const definitions = (items: ReadonlyArray<readonly [string, string]>): Block => ({ kind: "definitions", items })

/** Every chart of a document, in order. */
export const chartsOf = (doc: ReportDocument): Array<Extract<Block, { kind: "chart" }>> =>
  doc.sections.flatMap((s) => s.blocks.filter((b): b is Extract<Block, { kind: "chart" }> => b.kind === "chart"))

/** A share in words, as a reader says it: 0.31 -> "about 3 in 10"; 0.004 -> "less than 1 in 100". */
export const chanceInWords = (p: number): string => {
  if (!Number.isFinite(p)) return "unknown"
  if (p <= 0) return "none of the runs"
  if (p >= 1) return "every run"
  if (p < 0.01) return "less than 1 in 100"
  if (p < 0.095) return `about ${Math.round(p * 100)} in 100`
  if (p > 0.99) return "more than 99 in 100"
  if (p > 0.905) return `about ${Math.round(p * 100)} in 100`
  return `about ${Math.round(p * 10)} in 10`
}

/** A chance in words and as a whole percentage: 0.31 -> "about 3 in 10 (31%)". */
export const chanceText = (p: number): string => `${chanceInWords(p)} (${percent(p, 0)})`
