/**
 * Reading a CSV file that people export from other systems (a finance ledger, a case management system):
 * parsed by `csv-parse` (RFC 4180: quoted fields, doubled quotes, newlines inside quotes), with each record's
 * physical line, its header matched to the columns a reader expects (in any order and case, spaces or
 * underscores alike, other columns ignored), and every problem as "line N, column C: expected ..., found ...".
 */
import { type Options, parse } from "csv-parse/sync"
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

/** At most this many rows of another number of fields than the header's: csv-parse makes a deep-copied Error
 * of each (40 microseconds apiece; 2,000,000 such rows ran the process out of memory). */
export const MAX_CSV_ODD_ROWS = 10_000

/**
 * One pass over the text before csv-parse reads it, honouring quotes (a record may go on over line breaks
 * inside them): the first record of more than `maxChars` characters, the line where the rows of another
 * number of fields than the header's pass `maxOdd`, or where the rows pass `maxRecords` (`problem`, else
 * null); and the physical line each record starts on (`starts`; blank lines are no record, as csv-parse's
 * `skip_empty_lines` has it), so that csv-parse need not keep each record's raw text to say where it was. A
 * few milliseconds a megabyte.
 */
export const shapeProblem = (
  text: string,
  maxChars: number,
  maxOdd: number,
  maxRecords = MAX_CSV_RECORDS
): { readonly problem: CsvProblem | null; readonly starts: ReadonlyArray<number> } => {
  const starts: Array<number> = []
  const found = (problem: CsvProblem) => ({ problem, starts })
  let records = 0
  let line = 1
  let recordLine = 1
  let start = 0
  let quoted = false
  let fields = 1
  let headerFields = -1
  let odd = 0
  let blank = true
  const endRecord = (): CsvProblem | null => {
    if (!blank) {
      starts.push(recordLine)
      if (++records > maxRecords + 1)
        return { line: recordLine, column: null, message: `expected at most ${grouped(maxRecords)} rows, found more` }
      if (headerFields < 0) headerFields = fields
      else if (fields !== headerFields && ++odd > maxOdd)
        return {
          line: recordLine,
          column: null,
          message:
            `expected rows of ${grouped(headerFields)} fields as the header has, found more than ` +
            `${grouped(maxOdd)} rows of another number (this one has ${grouped(fields)})`
        }
    }
    fields = 1
    blank = true
    return null
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 34) {
      quoted = !quoted // a doubled quote inside quotes toggles twice
      blank = false
    } else if (c === 10) {
      line++
      if (!quoted) {
        const p = endRecord()
        if (p !== null) return found(p)
        start = i + 1
        recordLine = line
      }
    } else {
      if (c === 44 && !quoted) fields++
      if (c !== 13) blank = false
      if (i - start >= maxChars)
        return found({
          line: recordLine,
          column: null,
          message: `expected a row of at most ${grouped(maxChars)} characters, found a longer one`
        })
    }
  }
  return { problem: endRecord(), starts }
}

/**
 * Readers stop at this many problems (`stopReading` says so): a file of a million bad rows held every message
 * (4 GB) to print 50 of them.
 */
export const MAX_CSV_PROBLEMS = 1000

/** Whether a reader has found enough problems to stop; if so, the last one says that it stopped, and where. */
export const stopReading = (problems: Array<CsvProblem>, line: number): boolean => {
  if (problems.length < MAX_CSV_PROBLEMS) return false
  problems.push({ line, column: null, message: `reading stopped here, after ${grouped(MAX_CSV_PROBLEMS)} problems` })
  return true
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

/** Records with the physical line each starts on, as csv-parse counts them (its `info` and `raw`). */
const linedRecords = (text: string, options: Options): Array<{ record: Array<string>; line: number }> =>
  (parse(text, { ...options, info: true, raw: true }) as unknown as Array<CsvRecordInfo>).map((r) => {
    const inner = r.raw.replace(/^\n+/, "").replace(/\n$/, "")
    return { record: r.record, line: r.info.lines - (inner.match(/\n/g)?.length ?? 0) }
  })
type CsvRecordInfo = { record: Array<string>; info: { lines: number }; raw: string }

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
  const shape = shapeProblem(lf, MAX_CSV_RECORD_CHARS, MAX_CSV_ODD_ROWS)
  if (shape.problem !== null) return { rows: [], problems: [shape.problem] }
  let records: Array<{ record: Array<string>; line: number }>
  // csv-parse makes an Error for every row of another length than the header's, even when it lets the row
  // through: without their stack traces, 200,000 short rows take 1.3 s, not 13 s.
  const stackTraceLimit = Error.stackTraceLimit
  Error.stackTraceLimit = 0
  try {
    const options = { bom: true, relax_column_count: true, skip_empty_lines: true, to: MAX_CSV_RECORDS + 1 }
    // The records alone, their lines from the pass above (csv-parse's own `info` and `raw` halve its speed);
    // should the two ever count records differently, csv-parse's lines are taken instead.
    const plain = parse(lf, options) as Array<Array<string>>
    records =
      plain.length === shape.starts.length
        ? plain.map((record, k) => ({ record, line: shape.starts[k] }))
        : linedRecords(lf, options)
  } catch (e) {
    const err = e as { message?: unknown; lines?: unknown }
    const message = typeof err.message === "string" ? err.message.replace(/^[A-Za-z ]+: /, "") : "not valid CSV"
    const line = typeof err.lines === "number" ? err.lines : null
    return { rows: [], problems: [{ line, column: null, message: `not valid CSV: ${excerpt(message, 160)}` }] }
  } finally {
    Error.stackTraceLimit = stackTraceLimit
  }
  if (records.length === 0)
    return { rows: [], problems: [{ line: null, column: null, message: "expected a header row, found an empty file" }] }
  if (records.length > MAX_CSV_RECORDS)
    return {
      rows: [],
      problems: [{ line: null, column: null, message: `expected at most ${MAX_CSV_RECORDS} rows, found more` }]
    }
  const header = records[0]
  const headerLine = header.line
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
  // A row longer than its header (an unquoted comma in an amount: 160,670.44) would shift or cut its figures.
  for (const r of records.slice(1)) {
    if (r.record.length <= header.record.length) continue
    const at = r.line
    problems.push({
      line: at,
      column: null,
      message:
        `expected ${header.record.length} fields as the header has, found ${r.record.length} ` +
        "(a comma in a figure or a name must be inside quotes)"
    })
    if (stopReading(problems, at)) break
  }
  if (problems.length > 0) return { rows: [], problems }
  const rows = records.slice(1).map((r) => ({
    line: r.line,
    get: (column: string) => {
      const i = index.get(column)
      return i === undefined ? undefined : r.record[i]
    }
  }))
  return { rows, problems: [] }
}
