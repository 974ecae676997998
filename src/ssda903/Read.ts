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
import { type CsvTable, decodeCsvBytes, parseCsv } from "./Csv.js"

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
  /** Every read column by name (upper case), trimmed. */
  readonly get: (column: string) => string
  /** A date column. */
  readonly date: (column: string) => DateValue
  /** The same row, of collection year `year`. */
  readonly withYear: (year: number) => Row
}

/** A row of a file: its fields by column name, and its dates in the file's format. */
class CsvRow implements Row {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly year: number,
    readonly la: string,
    private readonly fields: ReadonlyArray<string>,
    private readonly index: ReadonlyMap<string, number>,
    private readonly shape: Shape
  ) {}
  get(column: string): string {
    const i = this.index.get(column)
    return i === undefined ? "" : this.fields[i].trim()
  }
  date(column: string): DateValue {
    return parseDate(this.get(column), this.shape)
  }
  withYear(year: number): CsvRow {
    return new CsvRow(this.file, this.line, year, this.la, this.fields, this.index, this.shape)
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
  readonly rows: ReadonlyArray<Row>
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

/** Decides the date format of a file from its date columns, refusing a file that mixes the two. */
const dateShape = (
  file: string,
  table: CsvTable,
  columns: ReadonlyArray<number>
): Either.Either<Shape, Ssda903FileError> => {
  let raw: number | null = null
  let iso: number | null = null
  for (const r of table.records) {
    for (const c of columns) {
      const v = r.fields[c].trim()
      if (v === "") continue
      if (raw === null && DMY.test(v)) raw = r.line
      else if (iso === null && YMD.test(v)) iso = r.line
    }
    if (raw !== null && iso !== null)
      return Either.left(
        fail(
          file,
          Math.max(raw, iso),
          `the file mixes date formats: dd/mm/yyyy on line ${grouped(raw)}, yyyy-mm-dd on line ${grouped(iso)}`
        )
      )
  }
  return Either.right(iso !== null ? "iso" : "raw")
}

/**
 * One file's rows, from its bytes. `label` is the file's name as given (for messages). The collection year
 * of a raw header or UASC file is left as 0: `readReturns` sets it from the episodes files' names.
 */
export const readFileBytes = (file: string, role: Role, bytes: Uint8Array): Either.Either<ReadFile, Ssda903FileError> =>
  Either.gen(function* () {
    const text = yield* Either.mapLeft(decodeCsvBytes(bytes), (p) => fail(file, p.line, p.detail))
    const table = yield* Either.mapLeft(parseCsv(text), (p) => fail(file, p.line, p.detail))
    const index = new Map<string, number>()
    table.header.forEach((h, i) => index.set(h.toUpperCase(), i))
    const missing = REQUIRED[role].filter((c) => !index.has(c))
    if (missing.length > 0) {
      const found = table.header.slice(0, 12).map((h) => excerpt(h, 30))
      return yield* Either.left(
        fail(
          file,
          table.headerLine,
          `not an SSDA903 ${role} file: missing column${missing.length === 1 ? "" : "s"} ${missing.join(", ")} ` +
            `(found ${found.join(", ")}${table.header.length > 12 ? ", ..." : ""})` +
            (table.header.length === 1 && /[;\t]/.test(table.header[0])
              ? ": semicolons or tabs between the fields? caseflow reads comma-separated files"
              : "")
        )
      )
    }
    const hasLa = index.has("LA")
    const hasYear = index.has("YEAR")
    if (hasLa !== hasYear)
      return yield* Either.left(
        fail(
          file,
          table.headerLine,
          `the multi-LA shape has both LA and YEAR columns; this file has only ${hasLa ? "LA" : "YEAR"}`
        )
      )
    const dateColumns = DATE_COLUMNS[role].map((c) => index.get(c) ?? -1)
    const shape = yield* dateShape(file, table, dateColumns)
    if (hasLa && shape === "raw" && table.records.some((r) => dateColumns.some((c) => DMY.test(r.fields[c].trim()))))
      return yield* Either.left(
        fail(
          file,
          table.headerLine,
          "LA and YEAR columns (the multi-LA shape) with dd/mm/yyyy dates: expected yyyy-mm-dd"
        )
      )
    if (!hasLa && shape === "iso")
      return yield* Either.left(
        fail(
          file,
          table.headerLine,
          "yyyy-mm-dd dates without LA and YEAR columns: a raw return has dd/mm/yyyy dates, the multi-LA shape " +
            "has LA and YEAR columns"
        )
      )
    const la = index.get("LA") ?? -1
    const yearColumn = index.get("YEAR") ?? -1
    const rows: Array<CsvRow> = []
    const years = new Set<number>()
    let latest = -Infinity
    for (const r of table.records) {
      let year = 0
      if (hasYear) {
        const y = parseYear(r.fields[yearColumn].trim())
        if (y === null)
          return yield* Either.left(
            fail(
              file,
              r.line,
              `column YEAR: expected the collection year (2021, or 2020-21), found ${JSON.stringify(
                excerpt(r.fields[yearColumn], 40)
              )}`
            )
          )
        year = y
        years.add(y)
      }
      const fields = r.fields
      const row = new CsvRow(file, r.line, year, la < 0 ? "" : fields[la].trim(), fields, index, shape)
      if (role === "episodes")
        for (const c of ["DECOM", "DEC"]) {
          const d = row.date(c)
          if (typeof d === "number") {
            if (c === "DECOM" && d > latest) latest = d
            if (hasYear && c === "DECOM" && d >= yearEnd(year))
              return yield* Either.left(
                fail(
                  file,
                  r.line,
                  `column ${c}: ${isoOfEpochDay(d)} is after the end of collection year ${year} (31 March ${year}); ` +
                    "caseflow reads YEAR as the year the return ends in"
                )
              )
          }
        }
      rows.push(row)
    }
    if (!hasYear && role === "episodes") {
      if (latest === -Infinity) {
        const first = rows.find((x) => x.get("DECOM").trim() !== "")
        return yield* Either.left(
          fail(
            file,
            first?.line ?? null,
            "no episode has a valid start date (DECOM), so the collection year cannot be told" +
              (first === undefined
                ? ""
                : `: expected a date as DD/MM/YYYY, found ${JSON.stringify(excerpt(first.get("DECOM"), 40))}`)
          )
        )
      }
      const year = collectionYearOf(latest)
      years.add(year)
      for (let i = 0; i < rows.length; i++) rows[i] = rows[i].withYear(year)
    }
    return {
      file,
      role,
      shape,
      years: [...years].sort((a, b) => a - b),
      rows,
      latestStart: latest === -Infinity ? null : latest
    }
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

const withYear = (f: ReadFile, year: number): ReadFile => ({
  ...f,
  years: [year],
  rows: f.rows.map((r) => r.withYear(year))
})

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
      const las = new Set(files.flatMap((f) => f.rows.map((r) => r.la)))
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
      for (const f of files) for (const r of f.rows) if (!las.has(laKey(r.la))) las.set(laKey(r.la), r.la)
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
    const years = [...new Set(chosenEpisodes.flatMap((f) => f.rows.map((r) => r.year)))].sort((a, b) => a - b)
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
    for (const g of given) {
      const bytes = yield* readInputBytes(g.file, MAX_FILE_BYTES).pipe(
        Effect.mapError((e) => fail(g.file, null, e.detail))
      )
      files.push(yield* readFileBytes(g.file, g.role, bytes))
    }
    return yield* combineReturns(files, la)
  })
