/**
 * Reading the files of SSDA903 returns into rows: each file's shape (the raw yearly return, dates
 * dd/mm/yyyy; or the multi-LA extract, ISO dates with LA and YEAR columns), its collection year, its
 * columns by name, and each row's fields. A file caseflow cannot read (not CSV, not UTF-8, a workbook,
 * missing columns, two date formats, shapes mixed) fails with a `Ssda903FileError` naming the file, and the
 * line and column where there is one. Problems in the data itself are not failures: `Clean.ts` reports them
 * row by row.
 *
 * The collection year of a raw episodes file is the year (ending 31 March) holding its latest start (DECOM); a
 * header or UASC file has no such dates, so its year comes from the year in its name (`2017-header.csv`)
 * read the way the episodes files' names are (the public sample labels each file with the year the return
 * begins in). A single header or UASC file needs no year: it is the latest.
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as path from "node:path"
import { daysFromCivil, isoOfEpochDay } from "../domain/Calendar.js"
import { escapeControl, excerpt, grouped } from "../domain/Show.js"
import { readInputBytes } from "../io/InputFile.js"
import { type CsvHeader, type CsvVisitor, decodeCsvBytes, scanCsv } from "./Csv.js"

/** A file of SSDA903 data that cannot be read at all. */
export class Ssda903FileError extends Schema.TaggedError<Ssda903FileError>()("Ssda903FileError", {
  file: Schema.String,
  line: Schema.NullOr(Schema.Number),
  detail: Schema.String
}) {
  override get message(): string {
    return `${excerpt(this.file, 200)}${this.line === null ? "" : `, line ${grouped(this.line)}`}: ${escapeControl(
      this.detail
    )}`
  }
}

export type Role = "episodes" | "header" | "uasc"

/** The columns each file must have (others, such as HOME_POST or ETHNIC, are allowed and not read). */
export const REQUIRED: Readonly<Record<Role, ReadonlyArray<string>>> = {
  episodes: ["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC"],
  header: ["CHILD", "SEX", "DOB"],
  uasc: ["CHILD", "SEX", "DOB", "DUC"]
}

const DATE_COLUMNS: Readonly<Record<Role, ReadonlyArray<string>>> = {
  episodes: ["DECOM", "DEC"],
  header: ["DOB"],
  uasc: ["DOB", "DUC"]
}

/** The most bytes one file may hold (a national extract of all councils' episodes is under 200 MiB). */
export const MAX_FILE_BYTES = 512 * 2 ** 20
/**
 * The most distinct values (children, dates, codes) the files read together may hold: a national extract has
 * a few million (its children); 8 million stays well inside what one JavaScript Map can hold (16.7 million).
 */
export const MAX_DISTINCT_VALUES = 8_000_000
/** The most councils a multi-LA file may name (England has 153). */
export const MAX_COUNCILS = 10_000

export type Shape = "raw" | "iso"

/** A date as found: the day (days since 1970-01-01), blank, or text that is not a date. */
export type DateValue = number | "blank" | "invalid"

export interface Row {
  readonly file: string
  readonly line: number
  /** The collection year (ending 31 March) of the return the row is from. */
  readonly year: number
  /** The council (the LA column of the multi-LA shape; "" in a raw return). */
  readonly la: string
  /** A column read (the role's `REQUIRED` ones, LA and YEAR) by name (upper case), trimmed; "" for another. */
  readonly get: (column: string) => string
  /** A date column. */
  readonly date: (column: string) => DateValue
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** A string of `text`'s characters of its own (`text` is decoded UTF-8, so it has no lone surrogate). */
const copyOf = (text: string): string => decoder.decode(encoder.encode(text))

/**
 * The distinct values of the files read, each kept once and known by its number: dates, codes and children
 * repeat row after row, and file after file (a child is in each year's return). Each is a string of its own:
 * a slice of a file's text (as the CSV reader's fields are) kept the whole text in memory in V8.
 */
export class Values {
  private readonly numbers = new Map<string, number>()
  /** The values by number (the rows read keep this array, not the numbers by value). */
  readonly texts: Array<string> = []
  constructor(
    /** The most distinct values kept (tests set it lower). */
    readonly limit: number = MAX_DISTINCT_VALUES
  ) {}
  /** The value's number, or -1 when it is new and `limit` values are known already. */
  numberOf(text: string): number {
    let n = this.numbers.get(text)
    if (n === undefined) {
      if (this.texts.length >= this.limit) return -1
      n = this.texts.length
      const own = copyOf(text)
      this.texts.push(own)
      this.numbers.set(own, n)
    }
    return n
  }
}

/** Whole numbers added one by one, in a typed array grown as needed (4 bytes each, outside the JS heap). */
class Int32List {
  private data = new Int32Array(1024)
  private size = 0
  push(n: number): void {
    if (this.size === this.data.length) {
      const more = new Int32Array(this.data.length * 2)
      more.set(this.data)
      this.data = more
    }
    this.data[this.size++] = n
  }
  /** The numbers added, in an array of their own length. */
  done(): Int32Array {
    return this.data.slice(0, this.size)
  }
}

/**
 * The rows of one file as kept: the numbers (`Values`) of the values of the columns read, trimmed, a row's after
 * the row before's, and each row's line and collection year. Rows kept as objects (each an array of every field,
 * each field a string) took about ten times the file's size in memory.
 */
class FileTable {
  constructor(
    readonly file: string,
    readonly shape: Shape,
    /** The columns read (upper case) by their place among a row's values. */
    readonly columns: ReadonlyMap<string, number>,
    readonly texts: ReadonlyArray<string>,
    readonly values: Int32Array,
    readonly lines: Int32Array,
    /** Each row's collection year (the YEAR column of the multi-LA shape); null in a raw return. */
    readonly years: Int32Array | null
  ) {}
}

/** A row of a file: its place in the file's table, and its collection year. */
class CsvRow implements Row {
  constructor(
    private readonly table: FileTable,
    private readonly place: number,
    readonly year: number
  ) {}
  get file(): string {
    return this.table.file
  }
  get line(): number {
    return this.table.lines[this.place]
  }
  get la(): string {
    return this.get("LA")
  }
  get(column: string): string {
    const { columns, texts, values } = this.table
    const k = columns.get(column)
    return k === undefined ? "" : texts[values[this.place * columns.size + k]]
  }
  date(column: string): DateValue {
    return parseDate(this.get(column), this.table.shape)
  }
}

/**
 * A file's rows, all or those kept (`filter`), each of its own collection year or of one for all (`withYear`).
 * Each `Row` is made when it is read, from the file's table.
 */
export class Rows implements Iterable<Row> {
  constructor(
    private readonly table: FileTable,
    /** The rows' places in the table; null: every row in order. */
    private readonly places: Int32Array | null,
    /** The rows' collection year; null: each row's own. */
    private readonly year: number | null
  ) {}
  get length(): number {
    return this.places === null ? this.table.lines.length : this.places.length
  }
  at(i: number): Row {
    const place = this.places === null ? i : this.places[i]
    return new CsvRow(this.table, place, this.year ?? this.table.years?.[place] ?? 0)
  }
  *[Symbol.iterator](): Iterator<Row> {
    for (let i = 0; i < this.length; i++) yield this.at(i)
  }
  filter(keep: (row: Row) => boolean): Rows {
    const places = new Int32List()
    for (let i = 0; i < this.length; i++) if (keep(this.at(i))) places.push(this.places === null ? i : this.places[i])
    return new Rows(this.table, places.done(), this.year)
  }
  find(test: (row: Row) => boolean): Row | undefined {
    for (const row of this) if (test(row)) return row
    return undefined
  }
  some(test: (row: Row) => boolean): boolean {
    return this.find(test) !== undefined
  }
  /** The same rows, of collection year `year`. */
  withYear(year: number): Rows {
    return new Rows(this.table, this.places, year)
  }
}

export interface ReadFile {
  readonly file: string
  readonly role: Role
  readonly shape: Shape
  /** The collection years of its rows (one for a raw return). */
  readonly years: ReadonlyArray<number>
  /** The latest episode start (DECOM) in the file; null for a header or UASC file or none. */
  readonly latestStart: number | null
  /** The values of its LA column, each once, in the order first found (in every row, kept or not); none in a
   * raw return. */
  readonly councils: ReadonlyArray<string>
  readonly rows: Rows
}

// dd/mm/yyyy (one-digit day or month allowed, as Excel writes them) or yyyy-mm-dd; a time of midnight after
// either (Excel's "01/04/2020 00:00", pandas' "2020-04-01 00:00:00") is allowed.
const DMY = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ T]00:00(?::00)?)?$/
const YMD = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$/

const dayOf = (y: number, m: number, d: number): number | "invalid" => {
  if (m < 1 || m > 12 || d < 1) return "invalid"
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0
  const days = m === 2 ? (leap ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31
  return d > days ? "invalid" : daysFromCivil(y, m, d)
}

/** A date in `shape`'s format; text in neither format is "invalid" (a dirty-data rule, not a file error). */
export const parseDate = (text: string, shape: Shape): DateValue => {
  if (text === "") return "blank"
  const m = (shape === "raw" ? DMY : YMD).exec(text)
  if (m === null) return "invalid"
  return shape === "raw"
    ? dayOf(Number(m[3]), Number(m[2]), Number(m[1]))
    : dayOf(Number(m[1]), Number(m[2]), Number(m[3]))
}

/** The collection year (ending 31 March) a day falls in. */
export const collectionYearOf = (day: number): number => {
  // An estimate from the day's count, then corrected against the calendar (pure arithmetic, no Date).
  let y = Math.floor(1970 + (day - 90) / 365.2425) + 1
  while (day < daysFromCivil(y - 1, 4, 1)) y--
  while (day >= daysFromCivil(y, 4, 1)) y++
  return y
}

/** The first day of collection year `year` (1 April of the year before). */
export const yearStart = (year: number): number => daysFromCivil(year - 1, 4, 1)

/** The day after collection year `year` ends (1 April). */
export const yearEnd = (year: number): number => daysFromCivil(year, 4, 1)

/** The year in a file's name (the last 19xx or 20xx standing alone), or null. */
export const yearInName = (file: string): number | null => {
  const found = [...path.basename(file).matchAll(/(?<!\d)(19|20)(\d\d)(?!\d)/g)]
  return found.length === 0 ? null : Number(found[found.length - 1][1] + found[found.length - 1][2])
}

/** A YEAR value of the multi-LA shape: 2021, "2020-21" or "2020/21" all mean the year ending 31 March 2021. */
const parseYear = (text: string): number | null => {
  let m = /^(\d{4})$/.exec(text)
  if (m !== null) return Number(m[1])
  m = /^(\d{4})\s*[-/]\s*(\d{2}|\d{4})$/.exec(text)
  if (m === null) return null
  const first = Number(m[1])
  const second = m[2].length === 2 ? Math.floor(first / 100) * 100 + Number(m[2]) : Number(m[2])
  return second === first + 1 || (m[2].length === 2 && (first + 1) % 100 === Number(m[2])) ? first + 1 : null
}

const fail = (file: string, line: number | null, detail: string) => new Ssda903FileError({ file, line, detail })

/** Why a header is not an SSDA903 `role` file's: columns missing, or LA without YEAR or YEAR without LA. */
const notOfRole = (file: string, role: Role, head: CsvHeader): Ssda903FileError | null => {
  const names = new Set(head.header.map((h) => h.toUpperCase()))
  const missing = REQUIRED[role].filter((c) => !names.has(c))
  if (missing.length > 0) {
    const found = head.header.slice(0, 12).map((h) => excerpt(h, 30))
    return fail(
      file,
      head.headerLine,
      `not an SSDA903 ${role} file: missing column${missing.length === 1 ? "" : "s"} ${missing.join(", ")} ` +
        `(found ${found.join(", ")}${head.header.length > 12 ? ", ..." : ""})` +
        (head.header.length === 1 && /[;\t]/.test(head.header[0])
          ? ": semicolons or tabs between the fields? caseflow reads comma-separated files"
          : "")
    )
  }
  const hasLa = names.has("LA")
  const hasYear = names.has("YEAR")
  if (hasLa !== hasYear)
    return fail(
      file,
      head.headerLine,
      `the multi-LA shape has both LA and YEAR columns; this file has only ${hasLa ? "LA" : "YEAR"}`
    )
  return null
}

/**
 * Which councils' rows of a multi-LA extract are kept as it is read (`--la`): the others' rows are checked
 * as every row is, and their councils listed (`ReadFile.councils`), but not kept. `keys` are `laKey`s.
 */
export interface CouncilsKept {
  readonly keys: ReadonlySet<string>
  /** The rows of each file's first council too: an extract of one council is taken whole under `--dfe` names
   * (`combineReturns`), whatever its LA column says. */
  readonly firstOfFile: boolean
}

/** The rows `combineReturns` may keep of a multi-LA extract for `la`, to keep only those while reading. */
export const councilsKept = (la: string | CouncilNames | null): CouncilsKept | null =>
  la === null
    ? null
    : typeof la === "string"
      ? { keys: new Set([laKey(la)]), firstOfFile: false }
      : { keys: new Set(la.names.filter((n) => n.trim() !== "").map(laKey)), firstOfFile: true }

/**
 * One file read row by row (`scanCsv`): each row checked as it comes (its date format, its YEAR, its start
 * within its year), and of the rows kept, only the columns read stored. The problems found are named once
 * the whole file is read, in the order checking the whole file after reading it named them: the columns,
 * then two date formats, then the shape's date format, then the first row with a problem.
 */
class FileReading implements CsvVisitor {
  private notOfRole: Ssda903FileError | null = null
  /** The columns read, upper case, by their place among a row's values; their places in a record. */
  private readonly columns = new Map<string, number>()
  private read: ReadonlyArray<number> = []
  /** The places in a record of the role's date columns, DECOM, LA and YEAR (-1: none). */
  private dateColumns: ReadonlyArray<number> = []
  private decom = -1
  private la = -1
  private year = -1
  /** The first lines with a dd/mm/yyyy date and with a yyyy-mm-dd date, and the problem when there are both. */
  private dmyLine: number | null = null
  private isoLine: number | null = null
  private mixed: Ssda903FileError | null = null
  /** The first row's problem: a YEAR that is not a year, or a start after the end of its year. */
  private rowProblem: Ssda903FileError | null = null
  private latest = -Infinity
  /** The first non-blank start (DECOM), for the message when none is a date. */
  private firstStart: { readonly line: number; readonly text: string } | null = null
  private readonly years = new Set<number>()
  private readonly councils = new Set<string>()
  private readonly keepCouncil = new Map<string, boolean>()
  private readonly values = new Int32List()
  private readonly lines = new Int32List()
  private readonly rowYears = new Int32List()

  constructor(
    private readonly file: string,
    private readonly role: Role,
    private readonly kept: CouncilsKept | null,
    private readonly known: Values
  ) {}

  header(head: CsvHeader): void {
    this.notOfRole = notOfRole(this.file, this.role, head)
    if (this.notOfRole !== null) return
    const index = new Map(head.header.map((h, i) => [h.toUpperCase(), i] as const))
    const place = (column: string) => index.get(column) ?? -1
    const names = [...REQUIRED[this.role], ...(index.has("LA") ? ["LA", "YEAR"] : [])]
    names.forEach((n, k) => this.columns.set(n, k))
    this.read = names.map(place)
    this.dateColumns = DATE_COLUMNS[this.role].map(place)
    this.decom = place("DECOM")
    this.la = place("LA")
    this.year = place("YEAR")
  }

  record(fields: ReadonlyArray<string>, line: number): void {
    if (this.notOfRole !== null || this.mixed !== null) return
    for (const c of this.dateColumns) {
      const v = fields[c].trim()
      if (v === "") continue
      if (this.dmyLine === null && DMY.test(v)) this.dmyLine = line
      else if (this.isoLine === null && YMD.test(v)) this.isoLine = line
    }
    if (this.dmyLine !== null && this.isoLine !== null) {
      this.mixed = fail(
        this.file,
        Math.max(this.dmyLine, this.isoLine),
        `the file mixes date formats: dd/mm/yyyy on line ${grouped(this.dmyLine)}, yyyy-mm-dd on line ` +
          grouped(this.isoLine)
      )
      return
    }
    if (this.rowProblem !== null) return
    let year = 0
    if (this.year >= 0) {
      const y = parseYear(fields[this.year].trim())
      if (y === null) {
        this.rowProblem = fail(
          this.file,
          line,
          `column YEAR: expected the collection year (2021, or 2020-21), found ${JSON.stringify(
            excerpt(fields[this.year], 40)
          )}`
        )
        return
      }
      year = y
      this.years.add(y)
    }
    if (this.role === "episodes") {
      const text = fields[this.decom].trim()
      if (this.firstStart === null && text !== "") this.firstStart = { line, text }
      // The multi-LA shape's dates are yyyy-mm-dd, a raw return's dd/mm/yyyy: a row of the other format is one
      // of the problems named first.
      const d = parseDate(text, this.la >= 0 ? "iso" : "raw")
      if (typeof d === "number") {
        if (d > this.latest) this.latest = d
        if (this.year >= 0 && d >= yearEnd(year)) {
          this.rowProblem = fail(
            this.file,
            line,
            `column DECOM: ${isoOfEpochDay(d)} is after the end of collection year ${year} (31 March ${year}); ` +
              "caseflow reads YEAR as the year the return ends in"
          )
          return
        }
      }
    }
    if (this.la >= 0) {
      const la = fields[this.la].trim()
      if (!this.councils.has(la) && this.councils.size >= MAX_COUNCILS) {
        this.rowProblem = fail(this.file, line, `column LA: more than ${grouped(MAX_COUNCILS)} councils`)
        return
      }
      this.councils.add(la)
      if (!this.keeps(la)) return
    }
    for (const c of this.read) {
      const n = this.known.numberOf(fields[c].trim())
      if (n < 0) {
        this.rowProblem = fail(
          this.file,
          line,
          `more than ${grouped(this.known.limit)} distinct values (children, dates, codes) in the files read; ` +
            "a national extract of every council's returns has a few million"
        )
        return
      }
      this.values.push(n)
    }
    this.lines.push(line)
    if (this.year >= 0) this.rowYears.push(year)
  }

  private keeps(la: string): boolean {
    if (this.kept === null) return true
    let keep = this.keepCouncil.get(la)
    if (keep === undefined) {
      // Decided when the council is first seen: then its first council is the only one the file has shown.
      keep = this.kept.keys.has(laKey(la)) || (this.kept.firstOfFile && this.councils.size === 1)
      this.keepCouncil.set(la, keep)
    }
    return keep
  }

  /** The file as read, or its first problem (`scanCsv` has read it all). */
  result(head: CsvHeader): Either.Either<ReadFile, Ssda903FileError> {
    const { file, role } = this
    if (this.notOfRole !== null) return Either.left(this.notOfRole)
    if (this.mixed !== null) return Either.left(this.mixed)
    const hasLa = this.la >= 0
    if (hasLa && this.dmyLine !== null)
      return Either.left(
        fail(
          file,
          head.headerLine,
          "LA and YEAR columns (the multi-LA shape) with dd/mm/yyyy dates: expected yyyy-mm-dd"
        )
      )
    if (!hasLa && this.isoLine !== null)
      return Either.left(
        fail(
          file,
          head.headerLine,
          "yyyy-mm-dd dates without LA and YEAR columns: a raw return has dd/mm/yyyy dates, the multi-LA shape " +
            "has LA and YEAR columns"
        )
      )
    if (this.rowProblem !== null) return Either.left(this.rowProblem)
    let years = [...this.years].sort((a, b) => a - b)
    // A raw return's year: that of its latest start (a raw header or UASC file's is set by `combineReturns`).
    let fileYear = 0
    if (this.year < 0 && role === "episodes") {
      if (this.latest === -Infinity)
        return Either.left(
          fail(
            file,
            this.firstStart?.line ?? null,
            "no episode has a valid start date (DECOM), so the collection year cannot be told" +
              (this.firstStart === null
                ? ""
                : `: expected a date as DD/MM/YYYY, found ${JSON.stringify(excerpt(this.firstStart.text, 40))}`)
          )
        )
      fileYear = collectionYearOf(this.latest)
      years = [fileYear]
    }
    const table = new FileTable(
      file,
      this.isoLine !== null ? "iso" : "raw",
      this.columns,
      this.known.texts,
      this.values.done(),
      this.lines.done(),
      this.year < 0 ? null : this.rowYears.done()
    )
    return Either.right({
      file,
      role,
      shape: table.shape,
      years,
      rows: new Rows(table, null, this.year < 0 ? fileYear : null),
      latestStart: this.latest === -Infinity ? null : this.latest,
      councils: [...this.councils]
    })
  }
}

/** How files are read together: the councils whose rows are kept (all: null), and the values known so far. */
export interface ReadOptions {
  readonly kept?: CouncilsKept | null
  readonly values?: Values
}

/**
 * One file's rows, from its bytes. `file` is its name as given (for messages). The collection year
 * of a raw header or UASC file is left as 0: `readReturns` sets it from the episodes files' names. With
 * `kept`, only those councils' rows of a multi-LA extract are kept (each row is checked all the same).
 */
export const readFileBytes = (
  file: string,
  role: Role,
  bytes: Uint8Array,
  options: ReadOptions = {}
): Either.Either<ReadFile, Ssda903FileError> =>
  Either.gen(function* () {
    const text = yield* Either.mapLeft(decodeCsvBytes(bytes), (p) => fail(file, p.line, p.detail))
    const reading = new FileReading(file, role, options.kept ?? null, options.values ?? new Values())
    const head = yield* Either.mapLeft(scanCsv(text, reading), (p) => fail(file, p.line, p.detail))
    return yield* reading.result(head)
  })

/** The files of one or more returns, as read. */
export interface Returns {
  readonly shape: Shape
  readonly episodes: ReadonlyArray<ReadFile>
  readonly header: ReadonlyArray<ReadFile>
  readonly uasc: ReadonlyArray<ReadFile>
  /** Every collection year with episodes, in order (contiguous). */
  readonly years: ReadonlyArray<number>
}

const withYear = (f: ReadFile, year: number): ReadFile => ({ ...f, years: [year], rows: f.rows.withYear(year) })

/**
 * A council named in DfE's tables (`--dfe DIR --la X`): its name and codes, any of which the LA column of a
 * multi-LA extract may hold (case, spaces and punctuation ignored). Raw returns are the council's alone.
 */
export interface CouncilNames {
  readonly names: ReadonlyArray<string>
}

const laKey = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, "")

/**
 * The files of the returns together: one shape for all, the years of raw header and UASC files told, the
 * years contiguous. `la` keeps only that council's rows of the multi-LA shape (and is refused for raw files);
 * a council's names (`CouncilNames`) keep the rows whose LA is one of them, in a multi-LA extract of several
 * councils (a raw return, or an extract of one council, is taken whole).
 */
export const combineReturns = (
  files: ReadonlyArray<ReadFile>,
  laGiven: string | CouncilNames | null
): Either.Either<Returns, Ssda903FileError> =>
  Either.gen(function* () {
    const episodes = files.filter((f) => f.role === "episodes")
    const first = files[0]
    const other = files.find((f) => f.shape !== first.shape)
    if (other !== undefined)
      return yield* Either.left(
        fail(
          other.file,
          null,
          `a ${other.shape === "raw" ? "raw return (dd/mm/yyyy dates)" : "multi-LA extract (LA, YEAR, ISO dates)"}, ` +
            `but ${first.file} is a ${first.shape === "raw" ? "raw return" : "multi-LA extract"}: ` +
            "give files of one shape"
        )
      )
    const shape = first.shape
    let la = typeof laGiven === "string" ? laGiven : null
    if (shape === "iso" && laGiven !== null && typeof laGiven !== "string") {
      const las = new Set(files.flatMap((f) => f.councils))
      const keys = new Set(laGiven.names.filter((n) => n.trim() !== "").map(laKey))
      const match = [...las].find((x) => keys.has(laKey(x)))
      if (match !== undefined && las.size > 1) la = match
      else if (las.size > 1)
        return yield* Either.left(
          fail(
            first.file,
            null,
            `rows of ${grouped(las.size)} councils (${[...las].slice(0, 5).join(", ")}` +
              `${las.size > 5 ? ", ..." : ""}), none of them ` +
              laGiven.names.map((n) => JSON.stringify(n)).join(", ") +
              " (--la with --dfe names the council in the tables and in the LA column)"
          )
        )
    }
    if (shape === "raw" && la !== null)
      return yield* Either.left(
        fail(first.file, null, "--la picks a council in the multi-LA shape (LA and YEAR columns); this is a raw return")
      )
    let chosen = files
    if (shape === "iso") {
      // Councils by their LA value in any case and spacing (" tameside" and "TAMESIDE" are one council).
      const las = new Map<string, string>()
      for (const f of files) for (const x of f.councils) if (!las.has(laKey(x))) las.set(laKey(x), x)
      const names = [...las.values()]
      if (la === null && las.size > 1)
        return yield* Either.left(
          fail(
            first.file,
            null,
            `rows of ${grouped(las.size)} councils (${names.slice(0, 5).join(", ")}` +
              `${las.size > 5 ? ", ..." : ""}): choose one with --la`
          )
        )
      if (la !== null) {
        const key = laKey(la)
        if (!las.has(key))
          return yield* Either.left(
            fail(
              first.file,
              null,
              `no rows for --la ${JSON.stringify(excerpt(la, 40))} (found ${names.slice(0, 8).join(", ")})`
            )
          )
        chosen = files.map((f) => ({ ...f, rows: f.rows.filter((r) => laKey(r.la) === key) }))
      }
    }
    let chosenEpisodes = chosen.filter((f) => f.role === "episodes")
    // A raw return's year: the year in the names, read as the year a return begins or ends in, whichever
    // puts every file's latest start inside its year (a return may have no start late in its year); else
    // the year of each file's latest start.
    let offset: number | null = null
    if (shape === "raw") {
      const labels = chosenEpisodes.map((f) => yearInName(f.file))
      if (labels.every((l) => l !== null) && new Set(labels).size === labels.length) {
        const fits = (o: number) =>
          chosenEpisodes.every((f, i) => f.latestStart === null || f.latestStart < yearEnd((labels[i] ?? 0) + o))
        const tight = (o: number) =>
          chosenEpisodes.filter(
            (f, i) => f.latestStart !== null && collectionYearOf(f.latestStart) === (labels[i] ?? 0) + o
          ).length
        const candidates = [1, 0].filter(fits)
        if (candidates.length === 0) {
          // A start after the later of the two years its name can mean (a typo such as 31/12/9999): the return
          // is not of a year of its own, and taking the start's year would read the whole file as that year's.
          const i = chosenEpisodes.findIndex(
            (f, k) => f.latestStart !== null && f.latestStart >= yearEnd(labels[k]! + 1)
          )
          const f = chosenEpisodes[i]
          const label = labels[i]!
          const row = f.rows.find((r) => r.date("DECOM") === f.latestStart)
          return yield* Either.left(
            fail(
              f.file,
              row?.line ?? null,
              `column DECOM: ${isoOfEpochDay(f.latestStart!)} is after 31 March ${label + 1}, the end of the latest ` +
                `collection year the name's ${label} can mean (the year the return begins or ends in): a return ` +
                "holds no episode starting after its year"
            )
          )
        }
        offset = candidates.reduce((a, b) => (tight(b) > tight(a) ? b : a))
        chosenEpisodes = chosenEpisodes.map((f, i) => withYear(f, (labels[i] ?? 0) + (offset ?? 0)))
      }
    }
    const years = [...new Set(chosenEpisodes.flatMap((f) => Array.from(f.rows, (r) => r.year)))].sort((a, b) => a - b)
    if (years.length === 0) return yield* Either.left(fail(episodes[0].file, null, "no episodes to read"))
    // Two raw files of the same collection year would be one return twice (or two councils' returns).
    if (shape === "raw") {
      const byYear = new Map<number, string>()
      for (const f of chosenEpisodes) {
        const before = byYear.get(f.years[0])
        if (before !== undefined)
          return yield* Either.left(
            fail(f.file, null, `another episodes file of collection year ${f.years[0]}: ${before}`)
          )
        byYear.set(f.years[0], f.file)
      }
    }
    for (let i = 1; i < years.length; i++)
      if (years[i] !== years[i - 1] + 1)
        return yield* Either.left(
          fail(
            chosenEpisodes[0].file,
            null,
            `no episodes for collection year ${years[i - 1] + 1} (${years[i - 1]} and ${years[i]} are given): ` +
              "the years must follow on, or entries and exits in the missing year would be lost"
          )
        )
    let header = chosen.filter((f) => f.role === "header")
    let uasc = chosen.filter((f) => f.role === "uasc")
    if (shape === "raw") {
      // How the episodes files' names relate to their years (the public sample names the year a return begins).
      if (offset === null) {
        const offsets = new Set<number>()
        for (const f of chosenEpisodes) {
          const label = yearInName(f.file)
          if (label !== null) offsets.add(f.years[0] - label)
        }
        offset = offsets.size === 1 ? [...offsets][0] : null
      }
      const told = (group: ReadonlyArray<ReadFile>, role: Role): Either.Either<Array<ReadFile>, Ssda903FileError> =>
        Either.gen(function* () {
          // One file alone is the latest year's where its name gives no year, or the episodes' names give none
          // to read it by.
          if (group.length === 1 && (yearInName(group[0].file) === null || offset === null))
            return [withYear(group[0], years[years.length - 1])]
          const out: Array<ReadFile> = []
          for (const f of group) {
            const label = yearInName(f.file)
            if (label === null || offset === null)
              return yield* Either.left(
                fail(
                  f.file,
                  null,
                  `several ${role} files: caseflow tells their collection years from the years in their names, ` +
                    (label === null
                      ? "and this name has none (name them as the episodes files are, e.g. 2021-header.csv)"
                      : "but the episodes files' names do not give their years consistently")
                )
              )
            out.push(withYear(f, label + offset))
          }
          return out
        })
      header = yield* told(header, "header")
      uasc = yield* told(uasc, "uasc")
    }
    return { shape, episodes: chosenEpisodes, header, uasc, years }
  })

/** One file given on the command line, and what it holds. */
export interface GivenFile {
  readonly file: string
  readonly role: Role
}

/** Reads and combines the files of SSDA903 returns (see `combineReturns`). */
export const readReturns = (
  given: ReadonlyArray<GivenFile>,
  la: string | CouncilNames | null
): Effect.Effect<Returns, Ssda903FileError, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const files: Array<ReadFile> = []
    // Other councils' rows of a multi-LA extract are left as each file is read, not kept to the end of it all;
    // a value in several files (a child in each year's) is kept once.
    const options = { kept: councilsKept(la), values: new Values() }
    for (const g of given) {
      const bytes = yield* readInputBytes(g.file, MAX_FILE_BYTES).pipe(
        Effect.mapError((e) => fail(g.file, null, e.detail))
      )
      files.push(yield* readFileBytes(g.file, g.role, bytes, options))
    }
    return yield* combineReturns(files, la)
  })
