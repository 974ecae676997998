/**
 * Writes a `ReportDocument` as one self-contained HTML file: every chart compiled from its Vega-Lite
 * specification and rendered by Vega to SVG when the report is written (headless: `renderer: "none"`, no
 * DOM, no canvas), inlined with the tables and text. The page loads nothing: a Content-Security-Policy
 * forbids every fetch (`default-src 'none'`), and it has no script. Its bytes are a function of the
 * document alone: no write time, UTC time scales, and the SVGs' element ids numbered per chart.
 *
 * Chart expressions run on Vega's interpreter (vega-interpreter), never through the Function constructor.
 *
 * Vega and Vega-Lite report through a logger: what they say at warning level or above is returned with the
 * page (the CLI prints it as a note; the tests fail on any). Loaded only when a report is asked for.
 */
import * as vega from "vega"
import { expressionInterpreter } from "vega-interpreter"
import { compile, type TopLevelSpec } from "vega-lite"
import { escapeControl } from "../../domain/Show.js"
import { chartsOf, type Block, type ReportDocument } from "../Document.js"

/** What the page allows: inline styles and nothing else (no script, no fetch, no frame, no form). */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

/** Vega-Lite configuration shared by every chart: fonts, sizes, and no label cut short. */
const CONFIG = {
  font: "DejaVu Sans, Verdana, Arial, sans-serif",
  view: { stroke: null },
  axis: { labelLimit: 0, titleFontWeight: "normal", labelFontSize: 11, titleFontSize: 11 },
  legend: { labelLimit: 0, titleLimit: 0, labelFontSize: 11, titleFontSize: 11, orient: "right" },
  header: { labelLimit: 0 },
  title: { anchor: "start", fontSize: 13, fontWeight: "normal" },
  range: {
    category: ["#1f5a96", "#d9822b", "#3a8f52", "#b8403a", "#7b5aa6", "#8c6d31", "#c2549d", "#6b6b6b", "#1c9aa8"]
  }
} as const

export interface RenderedHtml {
  readonly html: string
  /** What Vega-Lite and Vega warned of while compiling and rendering (empty when all is well). */
  readonly warnings: ReadonlyArray<string>
}

/** Text for HTML: control characters escaped as in messages (`\u001b`), then the HTML specials. */
const escapeHtml = (text: string): string =>
  escapeControl(text.replace(/[\n\r\t]/g, " ")).replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c
  )

/** Renumbers the SVG's element ids (and their references) with the chart's own prefix. */
const ownIds = (svg: string, chart: number): string => {
  const ids = new Map<string, string>()
  for (const m of svg.matchAll(/\bid="([^"]+)"/g)) if (!ids.has(m[1])) ids.set(m[1], `c${chart}-${ids.size}`)
  if (ids.size === 0) return svg
  return svg
    .replace(/\bid="([^"]+)"/g, (_, id: string) => `id="${ids.get(id) ?? id}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${ids.get(id) ?? id})`)
    .replace(/href="#([^"]+)"/g, (_, id: string) => `href="#${ids.get(id) ?? id}"`)
}

/** A chart's SVG, and what Vega-Lite and Vega said at warning level or above. */
export const renderChart = async (
  spec: { readonly [key: string]: unknown },
  index = 0
): Promise<{ svg: string; warnings: Array<string> }> => {
  const warnings: Array<string> = []
  const logger = vega.logger(vega.Warn, undefined, (method, _level, args) => {
    if (method !== "log") warnings.push(args.map(String).join(" "))
  })
  const compiled = compile({ ...spec, config: CONFIG } as unknown as TopLevelSpec, { logger }).spec
  // Vega's expressions are interpreted from their syntax trees (vega-interpreter), not compiled with the
  // Function constructor: the browser page's Content-Security-Policy has no 'unsafe-eval', and the command
  // line renders the same way, so both give the same SVG.
  const view = new vega.View(vega.parse(compiled, undefined, { ast: true }), {
    renderer: "none",
    logger,
    expr: expressionInterpreter
  })
  try {
    const svg = await view.toSVG()
    return { svg: ownIds(svg, index), warnings }
  } finally {
    view.finalize()
  }
}

const STYLE = `
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; font-size: 14px; line-height: 1.45; color: #1b1b1b;
  max-width: 1100px; margin: 2rem auto; padding: 0 1.5rem; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.2rem; margin-top: 2.2rem; border-bottom: 1px solid #ccc; padding-bottom: 0.2rem; }
.subtitle { color: #555; margin-top: 0; }
.summary { font-size: 1.05rem; background: #f3f6fa; border-left: 4px solid #1f5a96; padding: 0.8rem 1rem; }
table { border-collapse: collapse; margin: 0.8rem 0 1.4rem; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: bold; padding-bottom: 0.3rem; }
th, td { overflow-wrap: anywhere; padding: 0.2rem 0.6rem; border-bottom: 1px solid #e3e3e3; vertical-align: top; }
th { text-align: left; border-bottom: 2px solid #999; font-weight: 600; }
td.n, th.n { text-align: right; white-space: nowrap; }
td.i1 { padding-left: 1.6rem; } td.i2 { padding-left: 2.6rem; } td.i3 { padding-left: 3.6rem; }
tr.total td { font-weight: bold; border-top: 2px solid #999; }
figure { margin: 1rem 0 1.8rem; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: #444; font-size: 0.9rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; }
dt { font-weight: 600; }
dd { margin: 0; }
code { font-size: 0.92em; }
`

/** A cell; leading spaces (a row under another, as in the printed tables) become an indent. */
const cellHtml = (cell: string, cls: string): string => {
  const depth = Math.min(3, Math.floor((/^ */.exec(cell)?.[0].length ?? 0) / 2))
  const text = escapeHtml(cell.trimStart())
  return depth === 0 || cls !== "" ? `<td${cls}>${escapeHtml(cell)}</td>` : `<td class="i${depth}">${text}</td>`
}

const block = async (b: Block, next: () => number, warnings: Array<string>): Promise<string> => {
  switch (b.kind) {
    case "paragraph":
      return `<p>${escapeHtml(b.text)}</p>`
    case "list":
      return `<ul>${b.items.map((i) => `<li>${escapeHtml(i)}</li>`).join("")}</ul>`
    case "definitions":
      return `<dl>${b.items.map(([t, d]) => `<dt>${escapeHtml(t)}</dt><dd>${escapeHtml(d)}</dd>`).join("")}</dl>`
    case "table": {
      const totals = new Set(b.totals ?? [])
      const cls = (i: number) => (b.columns[i]?.numeric === true ? ' class="n"' : "")
      const head = b.columns.map((c, i) => `<th scope="col"${cls(i)}>${escapeHtml(c.header)}</th>`).join("")
      const body = b.rows
        .map(
          (r, k) =>
            `<tr${totals.has(k) ? ' class="total"' : ""}>` +
            r.map((cell, i) => cellHtml(cell, cls(i))).join("") +
            "</tr>"
        )
        .join("\n")
      return (
        `<table><caption>${escapeHtml(b.caption)}</caption>` +
        `<thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`
      )
    }
    case "chart": {
      const index = next()
      const { svg, warnings: w } = await renderChart(b.spec, index)
      for (const text of w) warnings.push(`${b.title}: ${text}`)
      const labelled = svg.replace(/^<svg /, `<svg role="img" aria-label="${escapeHtml(b.caption)}" `)
      return (
        `<figure class="chart" data-chart="${index}">${labelled}` +
        `<figcaption><strong>${escapeHtml(b.title)}.</strong> ${escapeHtml(b.caption)} ` +
        `The figures are in <code>${escapeHtml(b.source)}</code>.</figcaption></figure>`
      )
    }
  }
}

/** The document as one HTML page. */
export const renderHtml = async (doc: ReportDocument): Promise<RenderedHtml> => {
  const warnings: Array<string> = []
  let charts = 0
  const next = () => charts++
  const sections: Array<string> = []
  for (const s of doc.sections) {
    const blocks: Array<string> = []
    for (const b of s.blocks) blocks.push(await block(b, next, warnings))
    sections.push(`<section>\n<h2>${escapeHtml(s.title)}</h2>\n${blocks.join("\n")}\n</section>`)
  }
  if (charts !== chartsOf(doc).length) throw new Error("renderHtml: a chart was not rendered")
  const html = [
    "<!DOCTYPE html>",
    '<html lang="en-GB">',
    "<head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(doc.title)}</title>`,
    `<style>${STYLE}</style>`,
    "</head>",
    "<body>",
    `<h1>${escapeHtml(doc.title)}</h1>`,
    `<p class="subtitle">${escapeHtml(doc.subtitle)}</p>`,
    `<p class="summary">${escapeHtml(doc.summary)}</p>`,
    ...sections,
    "</body>",
    "</html>",
    ""
  ].join("\n")
  return { html, warnings }
}
