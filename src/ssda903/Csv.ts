/**
 * Reading a CSV file of an SSDA903 return: the bytes checked for what they are (an Excel workbook, UTF-16,
 * another encoding, binary data are refused with what was found), then RFC 4180 fields with the physical
 * line of each record, so every problem can name its file and line.
 *
 * Accepted as CSV files are written in practice: a UTF-8 byte-order mark (Excel's "CSV UTF-8"), CRLF or
 * LF line endings (mixed too), a last line with or without its line ending, quoted fields (with `""` for a
 * quote, and line breaks inside), blank lines (skipped), and Excel's `sep=,` first line (skipped). Refused:
 * a record with more or fewer fields than the header, an unterminated quote, a quote inside an unquoted
 * field, a header with an empty or repeated column name.
 */
import * as Either from "effect/Either"
import { excerpt, grouped } from "../domain/Show.js"

/** Why a file is not a CSV file caseflow can read; `line` is the physical line (from 1), when there is one. */
export interface CsvProblem {
  readonly line: number | null
  readonly detail: string
}

/** One record: its fields and the physical line it starts on (from 1). */
export interface CsvRecord {
  readonly line: number
  readonly fields: ReadonlyArray<string>
}

export interface CsvTable {
  /** The column names as written (trimmed). */
  readonly header: ReadonlyArray<string>
  /** The line of the header row. */
  readonly headerLine: number
  readonly records: ReadonlyArray<CsvRecord>
}

/**
 * What the bytes are, when they are plainly not UTF-8 CSV text: an Excel workbook, UTF-16 text, binary
 * data. Null: they may be CSV (decoding and parsing decide).
 */
export const sniffBytes = (b: Uint8Array): string | null => {
  if (b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04)
    return "an Excel workbook (.xlsx) or another zip file, not CSV: save it from Excel as CSV UTF-8 (comma delimited)"
  if (b.length >= 4 && b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0)
    return "an Excel 97-2003 workbook (.xls), not CSV: save it from Excel as CSV UTF-8 (comma delimited)"
  if (b.length >= 2 && ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff)))
    return "UTF-16 text (Excel's 'Unicode Text'), not UTF-8: save it as CSV UTF-8 (comma delimited)"
  const n = Math.min(b.length, 4096)
  for (let i = 0; i < n; i++)
    if (b[i] === 0)
      return `binary data (a zero byte at offset ${grouped(i)}), not CSV text: perhaps UTF-16 or a spreadsheet`
  return null
}

/** The line (from 1) of byte `offset` in `b`. */
const lineOfByte = (b: Uint8Array, offset: number): number => {
  let line = 1
  for (let i = 0; i < offset && i < b.length; i++) if (b[i] === 0x0a) line++
  return line
}

/** The offset of the first byte that does not begin or continue a well-formed UTF-8 sequence. */
const firstInvalidUtf8 = (b: Uint8Array): number => {
  let i = 0
  while (i < b.length) {
    const x = b[i]
    const n = x < 0x80 ? 0 : x >= 0xc2 && x <= 0xdf ? 1 : x >= 0xe0 && x <= 0xef ? 2 : x >= 0xf0 && x <= 0xf4 ? 3 : -1
    if (n < 0) return i
    for (let k = 1; k <= n; k++) if (i + k >= b.length || (b[i + k] & 0xc0) !== 0x80) return i
    i += n + 1
  }
  return i
}

/** The text of CSV bytes (UTF-8, a byte-order mark removed), or why they are not UTF-8 CSV text. */
export const decodeCsvBytes = (b: Uint8Array): Either.Either<string, CsvProblem> => {
  const sniffed = sniffBytes(b)
  if (sniffed !== null) return Either.left({ line: null, detail: sniffed })
  let text: string
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(b)
  } catch {
    const at = firstInvalidUtf8(b)
    return Either.left({
      line: lineOfByte(b, at),
      detail:
        `not UTF-8 text: byte 0x${b[at].toString(16).padStart(2, "0")} at offset ${grouped(at)} ` +
        "(perhaps Windows-1252 from an older Excel: save it as CSV UTF-8)"
    })
  }
  return Either.right(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text)
}

/** At most this many fields in a record (an SSDA903 file has a few dozen columns): a row of a hundred million
 * commas ran the process out of memory before its width could be compared with the header's. */
export const MAX_FIELDS = 4096

/** At most this many characters in a record (an SSDA903 row is a few hundred): a longer field would be kept,
 * and copied into the problems file, whole. */
export const MAX_RECORD_CHARS = 1 << 20

const QUOTE = 34
const COMMA = 44
const CR = 13
const LF = 10

/**
 * Every record of CSV `text` given to `onRecord` as it is read, with its physical line; blank lines skipped.
 * Fails on an unterminated quote or a quote in the middle of an unquoted field (the records before it given).
 */
const eachRecord = (text: string, onRecord: (fields: Array<string>, line: number) => void): CsvProblem | null => {
  const n = text.length
  let i = 0
  let line = 1
  while (i < n) {
    const startLine = line
    const startAt = i
    const fields: Array<string> = []
    // One record.
    for (;;) {
      let value: string
      if (i < n && text.charCodeAt(i) === QUOTE) {
        const quoteLine = line
        i++
        let parts = ""
        let from = i
        for (;;) {
          const q = text.indexOf('"', i)
          if (q < 0) return { line: quoteLine, detail: "a quoted field is never closed" }
          for (let k = i; k < q; k++) if (text.charCodeAt(k) === LF) line++
          if (q + 1 < n && text.charCodeAt(q + 1) === QUOTE) {
            parts += text.slice(from, q + 1)
            i = q + 2
            from = i
            continue
          }
          parts += text.slice(from, q)
          i = q + 1
          break
        }
        value = parts
        const c = i < n ? text.charCodeAt(i) : -1
        if (c !== COMMA && c !== CR && c !== LF && c !== -1)
          return { line, detail: "text after the closing quote of a quoted field" }
      } else {
        const from = i
        while (i < n) {
          const c = text.charCodeAt(i)
          if (c === COMMA || c === LF || c === CR) break
          if (c === QUOTE) return { line, detail: "a quote inside an unquoted field" }
          i++
        }
        value = text.slice(from, i)
      }
      fields.push(value)
      if (i - startAt > MAX_RECORD_CHARS)
        return {
          line: startLine,
          detail: `expected a row of at most ${grouped(MAX_RECORD_CHARS)} characters, found a longer one`
        }
      if (fields.length > MAX_FIELDS)
        return { line: startLine, detail: `expected at most ${grouped(MAX_FIELDS)} fields in a row, found more` }
      if (i < n && text.charCodeAt(i) === COMMA) {
        i++
        continue
      }
      break
    }
    // The record's end: CRLF, LF, a lone CR, or the end of the text.
    if (i < n && text.charCodeAt(i) === CR) i++
    if (i < n && text.charCodeAt(i) === LF) i++
    line++
    if (!(fields.length === 1 && fields[0].trim() === "")) onRecord(fields, startLine)
  }
  return null
}

/** The header of a CSV file: its column names as written (trimmed), and its line. */
export interface CsvHeader {
  readonly header: ReadonlyArray<string>
  readonly headerLine: number
}

/** What a reader does with a CSV file's rows as `scanCsv` reads them. */
export interface CsvVisitor {
  /** The header, once, before any record. */
  readonly header: (head: CsvHeader) => void
  /** Each record after the header (with as many fields as the header has), until a problem is found. */
  readonly record: (fields: ReadonlyArray<string>, line: number) => void
}

/** Why a header row is not one: a column with no name, or a name twice (case ignored). */
const headerProblem = (header: ReadonlyArray<string>, line: number): CsvProblem | null => {
  const seen = new Set<string>()
  for (let c = 0; c < header.length; c++) {
    const name = header[c]
    if (name === "") return { line, detail: `column ${c + 1} of the header has no name` }
    const key = name.toUpperCase()
    if (seen.has(key)) return { line, detail: `column ${excerpt(name)} appears twice` }
    seen.add(key)
  }
  return null
}

/**
 * Reads CSV `text` record by record, giving `visit` the header (the first non-blank record, after an Excel
 * `sep=,` line) and each record after it, and keeping none: a reader keeps what it needs of each. Fails with
 * the problem a reading of the whole file first would name: a broken record anywhere, else Excel's line of
 * another separator, an empty file, a bad header, or the first record of another width than the header's.
 */
export const scanCsv = (text: string, visit: CsvVisitor): Either.Either<CsvHeader, CsvProblem> => {
  // The first problem other than a broken record: the rest of the file is still read for one of those.
  let problem = null as CsvProblem | null
  let head = null as CsvHeader | null
  let first = true
  const broken = eachRecord(text, (fields, line) => {
    if (problem !== null) return
    if (first) {
      first = false
      // Excel's first line naming the separator: "sep=," reads as the fields "sep=" and "".
      if (fields.length === 2 && /^sep=$/i.test(fields[0].trim()) && fields[1] === "") return
      if (fields.length === 1 && /^sep=.$/i.test(fields[0].trim())) {
        problem = { line, detail: `Excel's ${excerpt(fields[0])} line: the file is not comma separated` }
        return
      }
    }
    if (head === null) {
      const header = fields.map((f) => f.trim())
      problem = headerProblem(header, line)
      if (problem !== null) return
      head = { header, headerLine: line }
      visit.header(head)
      return
    }
    const width = head.header.length
    if (fields.length !== width) {
      problem = {
        line,
        detail:
          `${grouped(fields.length)} field${fields.length === 1 ? "" : "s"} where the header has ${grouped(width)}` +
          (fields.length === 1 && width > 1 && /[;\t]/.test(fields[0])
            ? " (semicolons or tabs between the fields? caseflow reads comma-separated files)"
            : "")
      }
      return
    }
    visit.record(fields, line)
  })
  if (broken !== null) return Either.left(broken)
  if (problem !== null) return Either.left(problem)
  if (head === null) return Either.left({ line: null, detail: "the file is empty: expected a header row" })
  return Either.right(head)
}

/** A CSV table: the header (the first non-blank record, after an Excel `sep=,` line) and its records. */
export const parseCsv = (text: string): Either.Either<CsvTable, CsvProblem> => {
  const records: Array<CsvRecord> = []
  return Either.map(
    scanCsv(text, { header: () => {}, record: (fields, line) => records.push({ line, fields }) }),
    (head) => ({ ...head, records })
  )
}
