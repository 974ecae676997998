/**
 * The one table printer of caseflow's printed output (`run`, `replay`, `montecarlo`, `merge`, `compare`).
 *
 * A table has label columns first (left-aligned: a budget line, a level, a year) and value columns after
 * them (right-aligned figures). It is fitted into a width (120 characters unless told otherwise), trying in
 * turn:
 *   1. every column at its natural width (the widest of its header and cells) on one line;
 *   2. value headers wrapped onto two lines ("mean wait (days)" over "mean wait" / "(days)"), those it
 *      narrows most first, until the table fits;
 *   3. the value columns split into parts printed one below the other, each repeating the label columns
 *      (a ten-year table becomes two of five years), as few parts as fit and as even as possible.
 * A label too long for the room left (a budget line of 200 characters) is wrapped at spaces onto
 * continuation lines indented two more spaces, and a word too long for a line is cut with "...". Heading
 * rows (a team's name above its figures) span the table and are cut with "..." at the width.
 *
 * Every header, cell and heading has its control characters escaped (`escapeControl`): names come from
 * scenario files and must not reach a terminal raw.
 */
import { escapeControl } from "../domain/Show.js"

/** The width printed tables fit in, in characters. */
export const TABLE_WIDTH = 120

/** A row spanning the table: a group's name above its rows. */
export interface Heading {
  readonly heading: string
}
export type Row = ReadonlyArray<string> | Heading

export const heading = (text: string): Heading => ({ heading: text })

export interface TableSpec {
  readonly header: ReadonlyArray<string>
  readonly rows: ReadonlyArray<Row>
  /** How many leading columns are labels (left-aligned, repeated in every part); default 1. */
  readonly labels?: number
  /** The widest a printed line may be; default TABLE_WIDTH. */
  readonly width?: number
}

const SEP = "  "
const MIN_LABEL = 12

const isHeading = (r: Row): r is Heading => !Array.isArray(r)

/** `text` cut to `width` characters, ending "..." when cut. */
const cut = (text: string, width: number): string =>
  text.length <= width ? text : width <= 3 ? text.slice(0, width) : `${text.slice(0, width - 3)}...`

/**
 * `text` wrapped at spaces into lines of at most `width` characters. Its leading spaces are kept, and
 * continuation lines are indented two spaces more; a word longer than a line is cut with "...".
 */
export const wrap = (text: string, width: number): Array<string> => {
  if (text.length <= width) return [text]
  const indent = /^ */.exec(text)![0]
  const words = text
    .slice(indent.length)
    .split(/ +/)
    .filter((w) => w !== "")
  const lines: Array<string> = []
  let lead = indent
  let line = ""
  for (const word of words) {
    const room = Math.max(1, width - lead.length)
    if (line === "") line = cut(word, room)
    else if (line.length + 1 + word.length <= room) line += ` ${word}`
    else {
      lines.push(lead + line)
      lead = `${indent}  `
      line = cut(word, Math.max(1, width - lead.length))
    }
  }
  lines.push(lead + line)
  return lines.map((l) => cut(l, width))
}

/**
 * A line of prose for the terminal: control characters escaped, wrapped at spaces to `width` (continuation
 * lines indented two spaces more than the first).
 */
export const paragraph = (text: string, width: number = TABLE_WIDTH): string =>
  wrap(escapeControl(text), width).join("\n")

/** The narrowest width >= `floor` at which a header takes at most two lines. */
const twoLineWidth = (header: string, floor: number): number => {
  const words = header.split(/ +/)
  const longest = Math.max(0, ...words.map((w) => w.length))
  for (let w = Math.max(floor, longest); w < header.length; w++) if (wrap(header, w).length <= 2) return w
  return Math.max(floor, header.length)
}

/** Sizes of `n` items in `k` parts, as even as possible (larger parts first). */
const evenParts = (n: number, k: number): Array<number> =>
  Array.from({ length: k }, (_, i) => Math.floor(n / k) + (i < n % k ? 1 : 0))

export const table = (spec: TableSpec): string => {
  const width = spec.width ?? TABLE_WIDTH
  const header = spec.header.map(escapeControl)
  const n = header.length
  const L = Math.min(Math.max(spec.labels ?? 1, 0), n)
  const rows: Array<Row> = spec.rows.map((r) =>
    isHeading(r) ? heading(escapeControl(r.heading)) : Array.from({ length: n }, (_, i) => escapeControl(r[i] ?? ""))
  )
  const cells = rows.filter((r): r is ReadonlyArray<string> => !isHeading(r))
  const valueWidth = header.map((_, i) => Math.max(0, ...cells.map((r) => r[i].length)))
  const natural = header.map((h, i) => Math.max(h.length, valueWidth[i]))
  const compact = header.map((h, i) => (i < L ? natural[i] : twoLineWidth(h, valueWidth[i])))
  const block = (ws: ReadonlyArray<number>, from: number, to: number): number => {
    let s = 0
    for (let i = from; i < to; i++) s += ws[i] + (i > from ? SEP.length : 0)
    return s
  }
  const values = Array.from({ length: n - L }, (_, j) => L + j)

  // The label columns: as wide as they need, unless that leaves no room for the widest value column.
  const labelWidths = natural.slice(0, L)
  if (L > 0) {
    const widestValue = Math.max(0, ...values.map((i) => compact[i]))
    const room = Math.max(Math.floor(width / 2), width - (values.length > 0 ? widestValue + SEP.length : 0))
    const excess = block(labelWidths, 0, L) - room
    if (excess > 0) labelWidths[0] = Math.max(MIN_LABEL, labelWidths[0] - excess)
  }
  const labelBlock = L > 0 ? block(labelWidths, 0, L) + (values.length > 0 ? SEP.length : 0) : 0
  const fits = (ws: ReadonlyArray<number>, cols: ReadonlyArray<number>): boolean =>
    labelBlock +
      block(
        cols.map((i) => ws[i]),
        0,
        cols.length
      ) <=
    width

  // The value columns: on one line at their natural widths, else with two-line headers, else in parts.
  let parts: Array<ReadonlyArray<number>>
  if (values.length === 0 || fits(compact, values)) parts = [values]
  else {
    const greedy: Array<Array<number>> = [[]]
    for (const i of values) {
      const last = greedy[greedy.length - 1]
      if (last.length > 0 && !fits(compact, [...last, i])) greedy.push([i])
      else last.push(i)
    }
    let start = 0
    const even = evenParts(values.length, greedy.length).map((size) => values.slice(start, (start += size)))
    parts = even.every((p) => fits(compact, p)) ? even : greedy
  }

  const render = (cols: ReadonlyArray<number>): Array<string> => {
    // Natural widths, then two-line headers for the columns they narrow most, until the part fits.
    const ws = [...natural]
    const bySaving = [...cols].sort((a, b) => natural[b] - compact[b] - (natural[a] - compact[a]) || a - b)
    for (const i of bySaving) {
      if (fits(ws, cols)) break
      ws[i] = compact[i]
    }
    const shown = [...Array.from({ length: L }, (_, i) => i), ...cols]
    const colWidth = (i: number) => (i < L ? labelWidths[i] : ws[i])
    const line = (texts: ReadonlyArray<string>) =>
      texts
        .map((t, k) => (shown[k] < L ? t.padEnd(colWidth(shown[k])) : t.padStart(colWidth(shown[k]))))
        .join(SEP)
        .trimEnd()
    const headerLines = shown.map((i) => (header[i] === "" ? [] : wrap(header[i], colWidth(i))))
    const depth = Math.max(1, ...headerLines.map((h) => h.length))
    const out: Array<string> = []
    for (let d = 0; d < depth; d++) out.push(line(headerLines.map((h) => h[d - (depth - h.length)] ?? "")))
    out.push(line(shown.map((i) => "-".repeat(colWidth(i)))))
    for (const r of rows) {
      if (isHeading(r)) {
        out.push(cut(r.heading, width))
        continue
      }
      const labelLines = shown.slice(0, L).map((i) => wrap(r[i], colWidth(i)))
      const extra = Math.max(1, ...labelLines.map((l) => l.length))
      for (let d = 0; d < extra; d++)
        out.push(line(shown.map((i, k) => (k < L ? (labelLines[k][d] ?? "") : d === 0 ? r[i] : ""))))
    }
    return out
  }
  return parts.map((p) => render(p).join("\n")).join("\n\n")
}
