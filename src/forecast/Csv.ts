/**
 * Reading a CSV file that people export from other systems (a finance ledger, a case management system):
 * parsed by `csv-parse` (RFC 4180: quoted fields, doubled quotes, newlines inside quotes), with each record's
 * physical line, its header matched to the columns a reader expects (in any order and case, spaces or
 * underscores alike, other columns ignored), and every problem as "line N, column C: expected ..., found ...".
 */
import { parse } from "csv-parse/sync"
import { excerpt, grouped, show } from "../domain/Show.js"
import { closest } from "../scenario/Problems.js"

/** One problem in a CSV file: the physical line (1 = the header) and column, or the whole file. */
export interface CsvProblem {
  readonly line: number | null
  readonly column: string | null
  readonly message: string
}

/** A record, its physical line (where it starts), and its fields by the reader's column names. */
export interface CsvRow {
  readonly line: number
  readonly get: (column: string) => string | undefined
  /** How many fields the record has, and the header (the reader's relaxed about rows of another length). */
  readonly width: number
  readonly headerWidth: number
}

export interface CsvColumn {
  readonly name: string
  readonly required: boolean
  /** Other headings that mean the same (e.g. "cost centre" for "budget line"). */
  readonly aliases?: ReadonlyArray<string>
}

/** At most this many records (a year of monthly actuals by line, or a council's open cases, are far fewer). */
export const MAX_CSV_RECORDS = 2_000_000

/**
 * At most this many characters in one record (a row of a published table or a ledger export is a few hundred):
 * a longer one is refused before it is parsed; a row of a hundred million commas took csv-parse two minutes
 * and 6.7 GB to be found too wide.
 */
export const MAX_CSV_RECORD_CHARS = 1 << 20

/**
 * The physical line (from 1) where the first record of more than `max` characters starts, or null: one pass
 * over the text, honouring quotes (a record may go on over line breaks inside them). A few milliseconds a
 * megabyte, against csv-parse's few hundred.
 */
export const longRecordLine = (text: string, max: number): number | null => {
  let line = 1
  let recordLine = 1
  let start = 0
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 34) quoted = !quoted // a doubled quote inside quotes toggles twice
    else if (c === 10) {
      line++
      if (!quoted) {
        start = i + 1
        recordLine = line
      }
    } else if (i - start >= max) return recordLine
  }
  return null
}

/** A heading as it is matched: any case, spaces, underscores and hyphens alike. */
export const headingKey = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, " ")

/** The problems of a CSV file in one message: `file: N problems ...` and one line each (at most 50). */
export const renderCsvProblems = (file: string, what: string, problems: ReadonlyArray<CsvProblem>): string => {
  const shown = problems.slice(0, 50).map((p) => {
    const where = [p.line === null ? null : `line ${p.line}`, p.column === null ? null : `column ${p.column}`]
      .filter((x) => x !== null)
      .join(", ")
    return `  ${where === "" ? "" : `${where}: `}${p.message}`
  })
  const more = problems.length > 50 ? [`  ... and ${problems.length - 50} more problems`] : []
  const n = problems.length
  return [`${excerpt(file, 200)}: ${n} problem${n === 1 ? "" : "s"} in ${what}`, ...shown, ...more].join("\n")
}

/**
 * Parses `text` as CSV with a header row naming `columns`. Returns the rows, or the problems (a syntax error
 * ends the reading; a missing required column is a problem of the header).
 */
export const readCsv = (
  text: string,
  columns: ReadonlyArray<CsvColumn>
): { readonly rows: ReadonlyArray<CsvRow>; readonly problems: ReadonlyArray<CsvProblem> } => {
  // One line ending: csv-parse counts a CR and an LF as a line each.
  const lf = text.replace(/\r\n?/g, "\n")
  const long = longRecordLine(lf, MAX_CSV_RECORD_CHARS)
  if (long !== null) {
    const message = `expected a row of at most ${grouped(MAX_CSV_RECORD_CHARS)} characters, found a longer one`
    return { rows: [], problems: [{ line: long, column: null, message }] }
  }
  let records: Array<{ record: Array<string>; info: { lines: number }; raw: string }>
  try {
    records = parse(lf, {
      bom: true,
      info: true,
      raw: true,
      relax_column_count: true,
      skip_empty_lines: true,
      to: MAX_CSV_RECORDS + 1
    }) as unknown as Array<{ record: Array<string>; info: { lines: number }; raw: string }>
  } catch (e) {
    const err = e as { message?: unknown; lines?: unknown }
    const message = typeof err.message === "string" ? err.message.replace(/^[A-Za-z ]+: /, "") : "not valid CSV"
    const line = typeof err.lines === "number" ? err.lines : null
    return { rows: [], problems: [{ line, column: null, message: `not valid CSV: ${excerpt(message, 160)}` }] }
  }
  if (records.length === 0)
    return { rows: [], problems: [{ line: null, column: null, message: "expected a header row, found an empty file" }] }
  if (records.length > MAX_CSV_RECORDS)
    return {
      rows: [],
      problems: [{ line: null, column: null, message: `expected at most ${MAX_CSV_RECORDS} rows, found more` }]
    }
  const startLine = (r: { info: { lines: number }; raw: string }): number => {
    const inner = r.raw.replace(/^\n+/, "").replace(/\n$/, "")
    return r.info.lines - (inner.match(/\n/g)?.length ?? 0)
  }
  const header = records[0]
  const headerLine = startLine(header)
  const problems: Array<CsvProblem> = []
  const index = new Map<string, number>()
  const headings = header.record.map(headingKey)
  const wanted = new Map<string, string>()
  for (const c of columns) for (const k of [c.name, ...(c.aliases ?? [])]) wanted.set(headingKey(k), c.name)
  headings.forEach((h, i) => {
    const name = wanted.get(h)
    if (name === undefined) return
    if (index.has(name))
      problems.push({
        line: headerLine,
        column: show(header.record[i]),
        message: `the column ${name} is given twice (also column ${index.get(name)! + 1})`
      })
    else index.set(name, i)
  })
  for (const c of columns)
    if (c.required && !index.has(c.name)) {
      const unused = header.record.filter((_, i) => wanted.get(headings[i]) === undefined)
      const near = closest(
        headingKey(c.name),
        unused.map((u) => headingKey(u))
      )
      problems.push({
        line: headerLine,
        column: null,
        message:
          `expected a column named ${c.name}, found none (the header is ${show(header.record.join(","))})` +
          (near !== undefined ? `; is ${show(near)} meant to be ${c.name}?` : "")
      })
    }
  if (problems.length > 0) return { rows: [], problems }
  const rows = records.slice(1).map((r) => ({
    line: startLine(r),
    width: r.record.length,
    headerWidth: header.record.length,
    get: (column: string) => {
      const i = index.get(column)
      return i === undefined ? undefined : r.record[i]
    }
  }))
  return { rows, problems: [] }
}
