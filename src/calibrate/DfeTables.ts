/**
 * DfE's published local-authority tables (Explore Education Statistics CSVs, as downloaded), read into one
 * council's yearly series. Pure: it is handed each file's name and text.
 *
 * Files are recognised by their columns, never by their names (a download is called what its user saved it
 * as): every table has EES's geography block (`time_period`, `geographic_level`, `la_name`, `old_la_code`,
 * `new_la_code`) and its own columns:
 *
 *   b1   children in need          At31_episodes, Started_episodes (Ended_episodes, Anypoint_episodes)
 *   c1   referrals                 referral_count, rereferral_count, no_further_action_count, not_in_need_count
 *   d3   CP plans started          CPP_start, CPP_subsequent
 *   d5   CP plans at 31 March      CPP_At31 and its five duration columns (3_months_or_less ... 2_years_or_more)
 *   cla  children looked after     population_type, children_count (the 31 March stock, starters, ceased; a
 *                                  file with `characteristic` and `breakdown`, such as caseflow's own
 *                                  dfe_cla.csv, gives its "Total" rows)
 *   cla31 looked after at 31 March cla_group, characteristic, cla_31_march_number (the dashboard's
 *                                  combined_cla_31_march_data: the stock by placement, age group, legal
 *                                  status, UASC; its rows repeat once per population type: the first is read)
 *   ons  population 0-17           age_group, population_estimate (mid-year estimates)
 *
 * Where several files are the same table (the dashboard's `repeat_cpp` copies d3), the one with the fewest
 * columns (EES's own download) is used, then the first by name; the others are listed as not used.
 *
 * Cells: a number, or one of EES's symbols, each read as "no figure" for that council and year and counted:
 * `c` (suppressed: a small number that could identify a child), `x` (not available), `z` (not applicable),
 * `k` (fewer than 0.5, rounded to 0), `low`, `u` (low reliability), `.` and `:` (not available, older
 * releases). An estimate then uses the years that do give the figure, except that a count pooled over years
 * takes a suppressed `c` as the 1 to 5 it is (`countIn`). Anything else is an error naming the
 * file, line and column.
 *
 * The council (`--la`) is matched by its new (ONS, E06000008) or old (DfE, 357) code, or by its name,
 * ignoring case, spaces and punctuation; an unknown council is refused with the nearest names.
 */
import { excerpt, grouped, show } from "../domain/Show.js"
import { headingKey, readCsv, type CsvRow } from "../forecast/Csv.js"
import { closest } from "../scenario/Problems.js"
import { FIRST_YEAR, LAST_YEAR } from "../scenario/Scenario.js"

export type TableKind = "b1" | "c1" | "d3" | "d5" | "cla" | "cla31" | "ons"

export const TABLE_KINDS: ReadonlyArray<TableKind> = ["b1", "c1", "d3", "d5", "cla", "cla31", "ons"]

/** Each table's name in messages and its recognising columns. */
export const TABLE_INFO: Readonly<
  Record<TableKind, { readonly title: string; readonly columns: ReadonlyArray<string> }>
> = {
  b1: { title: "children in need (CIN census table B1)", columns: ["At31_episodes", "Started_episodes"] },
  c1: {
    title: "referrals and re-referrals (CIN census table C1)",
    columns: ["referral_count", "rereferral_count", "no_further_action_count", "not_in_need_count"]
  },
  d3: { title: "child protection plans started (CIN census table D3)", columns: ["CPP_start", "CPP_subsequent"] },
  d5: {
    title: "child protection plans at 31 March by length (CIN census table D5)",
    columns: [
      "CPP_At31",
      "3_months_or_less",
      "more_than_3_months_6_months",
      "more_than_6_months_less_than_1_year",
      "1_year_less_than_2_years",
      "2_years_or_more"
    ]
  },
  cla: {
    title: "children looked after (number and rate per 10,000)",
    columns: ["population_type", "children_count"]
  },
  cla31: {
    title: "children looked after at 31 March by characteristic",
    columns: ["cla_group", "characteristic", "cla_31_march_number"]
  },
  ons: { title: "ONS mid-year population estimates, 0-17", columns: ["age_group", "population_estimate"] }
}

/** An ONS age group of children 0-17 ("Children aged 0 to 17 years", "0-17"). */
const ONS_CHILDREN = /(^|\D)0\s*(to|-|–)\s*17(\D|$)/i

const GEOGRAPHY = ["time_period", "geographic_level", "la_name", "old_la_code", "new_la_code"]

/** EES's symbols for a cell without a figure, with what each means (README "A council from DfE's published tables"). */
export const SUPPRESSION: Readonly<Record<string, string>> = {
  c: "suppressed (a small number)",
  x: "not available",
  z: "not applicable",
  k: "fewer than 0.5, rounded to 0",
  low: "low",
  u: "low reliability",
  ".": "not available",
  ":": "not available"
}

export const POPULATION_TYPES = {
  stock: "Children looked after on 31 March each year",
  starting: "Children starting to be looked after each year",
  ceasing: "Children ceasing to be looked after each year"
} as const

/** A file as given: its name (for messages) and its text. */
export interface DfeFile {
  readonly file: string
  readonly text: string
}

/** One figure of one year: its value (null: a symbol) and where it was read. */
export interface Cell {
  readonly value: number | null
  /** The symbol when there is no figure. */
  readonly symbol: string | null
  readonly file: string
  readonly line: number
}

/** A council's figures by year (the year ending 31 March; ONS: the mid-year of the estimate). */
export type Series = ReadonlyMap<number, Cell>

export interface CouncilTables {
  readonly name: string
  readonly newCode: string
  readonly oldCode: string
  /** Series by "table.column", e.g. "b1.At31_episodes", "cla.stock", "ons.population". */
  readonly series: ReadonlyMap<string, Series>
  /** The file each table was read from. */
  readonly files: ReadonlyMap<TableKind, string>
  /** Every pair of codes the council's rows give, with the first and last year of each (a council recoded,
   * such as a county made unitary, or one whose area changed under the same name, has several). */
  readonly codes: ReadonlyArray<{
    readonly newCode: string
    readonly oldCode: string
    readonly from: number
    readonly to: number
  }>
  /** Names other than `name` on rows read by the council's code. */
  readonly otherNames: ReadonlyArray<string>
  /** Files given that were not used (another file is the same table, or no table at all). */
  readonly unused: ReadonlyArray<{ readonly file: string; readonly why: string }>
  /** Cells without a figure, by symbol. */
  readonly symbols: ReadonlyMap<string, number>
}

/** Bad input: one message naming the file, line and column where there is one. */
export class DfeError {
  readonly _tag = "DfeError"
  constructor(readonly message: string) {}
}

const norm = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, "")

interface Parsed {
  readonly file: string
  readonly kind: TableKind | null
  readonly columns: number
  readonly rows: ReadonlyArray<CsvRow>
  /** The latest year its rows give (-Infinity: none); for a file that is no table, why not. */
  readonly latest: number
  readonly why: string
}

const headerOf = (text: string): ReadonlyArray<string> => {
  const first = text.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0] ?? ""
  return first.split(",").map((h) => h.trim().replace(/^"|"$/g, ""))
}

/** Headings as they are matched (any case; spaces, underscores and hyphens alike: as `readCsv` reads them). */
const keysOf = (header: ReadonlyArray<string>): ReadonlySet<string> => new Set(header.map(headingKey))

const kindOf = (header: ReadonlyArray<string>): TableKind | null => {
  const has = keysOf(header)
  if (!GEOGRAPHY.every((c) => has.has(headingKey(c)))) return null
  for (const k of TABLE_KINDS) if (TABLE_INFO[k].columns.every((c) => has.has(headingKey(c)))) return k
  return null
}

/** How the reason for a file that nearly is a table begins. */
export const NEAR_MISS = "it looks like"

/** Not one of the tables read (the reason given for a file that is no near miss). */
export const NOT_A_TABLE = "not one of the tables read (its columns match none)"

/**
 * Why a file is no table: for one with EES's geography and some of a table's columns (a table whose columns
 * were renamed, say), the table it looks like and the columns it lacks; else NOT_A_TABLE.
 */
const notATable = (header: ReadonlyArray<string>): string => {
  const has = keysOf(header)
  if (!GEOGRAPHY.every((c) => has.has(headingKey(c)))) return NOT_A_TABLE
  const near = TABLE_KINDS.map((k) => ({
    k,
    found: TABLE_INFO[k].columns.filter((c) => has.has(headingKey(c))).length,
    missing: TABLE_INFO[k].columns.filter((c) => !has.has(headingKey(c)))
  }))
    .filter((n) => n.found > 0)
    .sort((a, b) => b.found - a.found)[0]
  if (near === undefined) return NOT_A_TABLE
  return `${NEAR_MISS} ${TABLE_INFO[near.k].title} but has no column ${near.missing.join(", ")}`
}

/** The columns each table's rows are read with. */
const columnsOf = (kind: TableKind, header: ReadonlyArray<string>) => {
  const has = keysOf(header)
  const extra =
    kind === "b1"
      ? ["Ended_episodes", "Anypoint_episodes"]
      : kind === "cla"
        ? ["characteristic", "breakdown"]
        : kind === "c1"
          ? ["rereferral_percent", "no_further_action_percent", "not_in_need_percent"]
          : []
  return [
    ...GEOGRAPHY.map((name) => ({ name, required: true })),
    ...TABLE_INFO[kind].columns.map((name) => ({ name, required: true })),
    ...extra.filter((e) => has.has(headingKey(e))).map((name) => ({ name, required: false }))
  ]
}

const parseFile = (f: DfeFile): Parsed | DfeError => {
  if (f.text.includes("\u0000"))
    return new DfeError(`${excerpt(f.file, 200)}: not a CSV file (it holds NUL bytes: a workbook or a binary file?)`)
  const header = headerOf(f.text)
  const kind = kindOf(header)
  if (kind === null)
    return { file: f.file, kind: null, columns: header.length, rows: [], latest: -Infinity, why: notATable(header) }
  const columns = columnsOf(kind, header)
  const read = readCsv(f.text, columns)
  if (read.problems.length > 0) {
    const p = read.problems[0]
    return new DfeError(`${excerpt(f.file, 200)}${p.line === null ? "" : `, line ${p.line}`}: ${p.message}`)
  }
  let latest = -Infinity
  for (const r of read.rows) {
    // A row shorter than the header (a field lost in an edit or an export) would read as no figure.
    const short = columns.find((c) => r.get(c.name) === undefined)
    if (short !== undefined)
      return new DfeError(
        `${excerpt(f.file, 200)}, line ${r.line}: expected a value in every column of the header, found none ` +
          `for ${short.name} (the row has fewer fields than the header)`
      )
    const yearText = r.get("time_period") ?? ""
    const year = yearOf(yearText)
    if (isLocalAuthority(r) && Number.isFinite(year) && (year < FIRST_YEAR || year > LAST_YEAR))
      return new DfeError(
        `${excerpt(f.file, 200)}, line ${r.line}, column time_period: expected a year from ${FIRST_YEAR} to ` +
          `${LAST_YEAR}, found ${show(excerpt(yearText.trim(), 20))}`
      )
    // How late a release is, is how late its councils' rows are (not a National or regional row's year).
    if (isLocalAuthority(r) && year > latest) latest = year
  }
  return { file: f.file, kind, columns: header.length, rows: read.rows, latest, why: "" }
}

/** The year ending 31 March of a time_period (2021, or 202021 for 2020-21); NaN: neither. */
const yearOf = (text: string): number => {
  const t = text.trim()
  return /^\d{4}$/.test(t) ? Number(t) : /^\d{6}$/.test(t) ? Number(t.slice(0, 4)) + 1 : NaN
}

/** Every figure read is a count of children, episodes, plans or referrals: above England's 12 million children
 * is a slip (a figure pasted twice, an edit), said at its cell rather than as the calibrated scenario's. */
const MAX_FIGURE = 20_000_000

/** A cell's figure: a number, a symbol (null), or an error. */
const cellOf = (file: string, row: CsvRow, column: string): Cell | DfeError => {
  const raw = (row.get(column) ?? "").trim()
  if (raw === "") return { value: null, symbol: "", file, line: row.line }
  if (Object.hasOwn(SUPPRESSION, raw.toLowerCase()))
    return { value: null, symbol: raw.toLowerCase(), file, line: row.line }
  const digits = raw.replace(/,/g, "")
  // Figures as EES writes them (12,345 or 2706.0): not hexadecimal, binary or an exponent, which Number reads.
  const value = /^\d+(\.\d+)?$/.test(digits) ? Number(digits) : NaN
  if (!Number.isFinite(value) || value < 0)
    return new DfeError(
      `${excerpt(file, 200)}, line ${row.line}, column ${column}: expected a number or one of EES's symbols ` +
        `(${Object.keys(SUPPRESSION).join(", ")}), found ${show(raw)}`
    )
  if (value > MAX_FIGURE)
    return new DfeError(
      `${excerpt(file, 200)}, line ${row.line}, column ${column}: expected a count of at most ` +
        `${grouped(MAX_FIGURE)} (England has about 12 million children), found ${show(excerpt(raw, 30))}`
    )
  return { value, symbol: null, file, line: row.line }
}

/** Counts of a row that are parts of another of its counts: re-referrals are referrals, subsequent plans plans. */
const PARTS: Partial<Record<TableKind, { readonly whole: string; readonly parts: ReadonlyArray<string> }>> = {
  c1: { whole: "referral_count", parts: ["rereferral_count", "no_further_action_count", "not_in_need_count"] },
  d3: { whole: "CPP_start", parts: ["CPP_subsequent"] }
}

/** A part above its whole in a council's row (an edit, a column shifted), said at its cell; else null.
 * `figures`: the row's figures read, by column. */
const partOverWhole = (
  file: string,
  line: number,
  kind: TableKind,
  figures: ReadonlyMap<string, number>
): DfeError | null => {
  const shape = PARTS[kind]
  const whole = shape === undefined ? undefined : figures.get(shape.whole)
  if (shape === undefined || whole === undefined) return null
  for (const column of shape.parts) {
    const part = figures.get(column)
    if (part !== undefined && part > whole)
      return new DfeError(
        `${excerpt(file, 200)}, line ${line}, column ${column}: expected at most the row's ${shape.whole} ` +
          `(${grouped(whole)}), of which it is a part, found ${grouped(part)}`
      )
  }
  return null
}

/** The series each table gives, by its name in `CouncilTables.series`. */
const SERIES: Readonly<Record<TableKind, ReadonlyArray<readonly [string, string]>>> = {
  b1: [
    ["At31_episodes", "b1.at31"],
    ["Started_episodes", "b1.started"],
    ["Ended_episodes", "b1.ended"],
    ["Anypoint_episodes", "b1.anypoint"]
  ],
  c1: [
    ["referral_count", "c1.referrals"],
    ["rereferral_count", "c1.rereferrals"],
    ["no_further_action_count", "c1.nfa"],
    ["not_in_need_count", "c1.not_in_need"]
  ],
  d3: [
    ["CPP_start", "d3.started"],
    ["CPP_subsequent", "d3.subsequent"]
  ],
  d5: [
    ["CPP_At31", "d5.at31"],
    ["3_months_or_less", "d5.upTo3m"],
    ["more_than_3_months_6_months", "d5.upTo6m"],
    ["more_than_6_months_less_than_1_year", "d5.upTo1y"],
    ["1_year_less_than_2_years", "d5.upTo2y"],
    ["2_years_or_more", "d5.over2y"]
  ],
  cla: [],
  cla31: [],
  ons: [["population_estimate", "ons.population"]]
}

const CLA_SERIES: ReadonlyArray<readonly [string, string]> = [
  [POPULATION_TYPES.stock, "cla.stock"],
  [POPULATION_TYPES.starting, "cla.starting"],
  [POPULATION_TYPES.ceasing, "cla.ceasing"]
]

/** The series name of one 31 March stock by characteristic, e.g. ("Placement", "Foster placements"). */
export const cla31Series = (group: string, characteristic: string): string => `cla31.${group}|${characteristic}`

/** A council in the tables: its name, and every pair of codes its rows give, with the years of each. */
interface Council {
  readonly name: string
  readonly codes: Map<string, { newCode: string; oldCode: string; from: number; to: number }>
}

const isLocalAuthority = (r: CsvRow): boolean =>
  (r.get("geographic_level") ?? "").trim().toLowerCase() === "local authority"

/** The councils in the tables by their normalised name (a council recoded, e.g. made unitary, is one). */
const councilsIn = (files: ReadonlyArray<Parsed>): Map<string, Council> => {
  const out = new Map<string, Council>()
  for (const f of files)
    for (const r of f.rows) {
      if (!isLocalAuthority(r)) continue
      const name = (r.get("la_name") ?? "").trim()
      if (name === "") continue
      let c = out.get(norm(name))
      if (c === undefined) out.set(norm(name), (c = { name, codes: new Map() }))
      const newCode = (r.get("new_la_code") ?? "").trim()
      const oldCode = (r.get("old_la_code") ?? "").trim()
      const year = yearOf(r.get("time_period") ?? "")
      const key = `${newCode}|${oldCode}`
      const k = c.codes.get(key)
      if (k === undefined) c.codes.set(key, { newCode, oldCode, from: year, to: year })
      else if (Number.isFinite(year)) {
        if (!(k.from <= year)) k.from = year
        if (!(k.to >= year)) k.to = year
      }
    }
  return out
}

/**
 * Reads the tables given and takes out one council's series. Fails on a file that is not CSV, a column that
 * holds something other than a number or a symbol, a council not in the tables, or no usable table at all.
 */
export const readDfeTables = (given: ReadonlyArray<DfeFile>, la: string): CouncilTables | DfeError => {
  const parsed: Array<Parsed> = []
  for (const g of given) {
    const p = parseFile(g)
    if (p instanceof DfeError) return p
    parsed.push(p)
  }
  const unused: Array<{ file: string; why: string }> = []
  const files = new Map<TableKind, Parsed>()
  // Of several files of one table: the release that reaches the latest year, then the one with the fewest
  // columns (EES's own download, not a dashboard's copy), then the first by name.
  const ordered = [...parsed].sort(
    (a, b) => b.latest - a.latest || a.columns - b.columns || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)
  )
  for (const p of ordered) {
    if (p.kind === null) {
      unused.push({ file: p.file, why: p.why })
      continue
    }
    const before = files.get(p.kind)
    if (before !== undefined) {
      const older = !Number.isFinite(p.latest)
        ? ", with no council's rows"
        : p.latest < before.latest
          ? `, to ${p.latest} where it reaches ${before.latest}`
          : ""
      unused.push({ file: p.file, why: `the same table as ${before.file} (${TABLE_INFO[p.kind].title}${older})` })
      continue
    }
    files.set(p.kind, p)
  }
  if (files.size === 0)
    return new DfeError(
      `no DfE table found among ${given.length} file${given.length === 1 ? "" : "s"}: expected EES CSVs with the ` +
        `columns ${GEOGRAPHY.join(", ")} and those of a table (e.g. At31_episodes for children in need)`
    )
  const used = [...files.values()]
  const councils = councilsIn(used)
  const wanted = la.trim()
  const key = norm(wanted)
  const byCode = (c: Council) =>
    [...c.codes.values()].some((k) => k.newCode.toLowerCase() === wanted.toLowerCase() || k.oldCode === wanted)
  const match = [...councils.values()].find((c) => norm(c.name) === key) ?? [...councils.values()].find(byCode)
  if (match === undefined) {
    const names = [...councils.values()].map((c) => c.name)
    const near = nearNames(wanted, names)
    return new DfeError(
      `--la ${show(wanted)}: no such local authority in the tables (${councils.size} councils)` +
        (near.length > 0 ? `; did you mean ${near.map((n) => show(n)).join(", ")}?` : "")
    )
  }
  const codes = [...match.codes.values()].sort((a, b) => a.from - b.from)
  /** Names other than the council's on rows read by its code (a council renamed; or two councils, one code). */
  const otherNames = new Set<string>()
  const newCodes = new Set(codes.map((k) => k.newCode).filter((c) => c !== ""))
  const series = new Map<string, Map<number, Cell>>()
  const symbols = new Map<string, number>()
  /** Adds a cell; a second, different figure for the same year is an error (the first is kept when alike). */
  const put = (name: string, year: number, cell: Cell, column: string, repeats: boolean): DfeError | null => {
    let s = series.get(name)
    if (s === undefined) series.set(name, (s = new Map()))
    const before = s.get(year)
    if (before !== undefined) {
      if (repeats || (before.value === cell.value && before.symbol === cell.symbol)) return null
      const shown = (c: Cell) => (c.value === null ? show(c.symbol ?? "") : String(c.value))
      return new DfeError(
        `${excerpt(cell.file, 200)}, line ${cell.line}, column ${column}: expected one figure for ${match.name} in ` +
          `${year}, found ${shown(cell)} here and ${shown(before)} at line ${before.line}` +
          (before.file === cell.file ? "" : ` of ${excerpt(before.file, 200)}`)
      )
    }
    s.set(year, cell)
    if (cell.symbol !== null && cell.symbol !== "") symbols.set(cell.symbol, (symbols.get(cell.symbol) ?? 0) + 1)
    return null
  }
  for (const [kind, p] of files) {
    for (const r of p.rows) {
      if (!isLocalAuthority(r)) continue
      const name = (r.get("la_name") ?? "").trim()
      const code = (r.get("new_la_code") ?? "").trim()
      if (norm(name) !== norm(match.name) && !newCodes.has(code)) continue
      if (norm(name) !== norm(match.name)) otherNames.add(name)
      // ONS's table may give other age groups too: only the 0-17 population is read (a blank group: the whole).
      const group = (r.get("age_group") ?? "").trim()
      if (kind === "ons" && group !== "" && !ONS_CHILDREN.test(group)) continue
      const yearText = (r.get("time_period") ?? "").trim()
      const year = yearOf(yearText)
      if (!Number.isInteger(year))
        return new DfeError(
          `${excerpt(p.file, 200)}, line ${r.line}, column time_period: ` +
            `expected a year such as 2021, found ${show(yearText)}`
        )
      if (kind === "cla") {
        // A file by characteristic (caseflow's dfe_cla.csv) gives each total once per characteristic: the first.
        if ((r.get("breakdown") ?? "Total").trim() !== "Total") continue
        const type = (r.get("population_type") ?? "").trim()
        const target = CLA_SERIES.find(([t]) => t === type)
        if (target === undefined) continue
        const cell = cellOf(p.file, r, "children_count")
        if (cell instanceof DfeError) return cell
        const twice = put(target[1], year, cell, "children_count", false)
        if (twice !== null) return twice
        continue
      }
      if (kind === "cla31") {
        const group = (r.get("cla_group") ?? "").trim()
        const characteristic = (r.get("characteristic") ?? "").trim()
        if (group === "" || characteristic === "") continue
        const cell = cellOf(p.file, r, "cla_31_march_number")
        if (cell instanceof DfeError) return cell
        // The dashboard's rows repeat once per population type: the first is read.
        put(cla31Series(group, characteristic), year, cell, "cla_31_march_number", true)
        continue
      }
      const figures = new Map<string, number>()
      for (const [column, target] of SERIES[kind]) {
        // An optional column the file does not have.
        if (r.get(column) === undefined) continue
        const cell = cellOf(p.file, r, column)
        if (cell instanceof DfeError) return cell
        if (cell.value !== null) figures.set(column, cell.value)
        const twice = put(target, year, cell, column, false)
        if (twice !== null) return twice
      }
      const over = partOverWhole(p.file, r.line, kind, figures)
      if (over !== null) return over
    }
  }
  // The council's codes as of its latest rows (a council recoded reads under both).
  const current = codes.reduce((a, k) => (k.to > a.to ? k : a))
  return {
    name: match.name,
    newCode: current.newCode,
    oldCode: current.oldCode,
    codes: codes.map((k) => ({ newCode: k.newCode, oldCode: k.oldCode, from: k.from, to: k.to })),
    otherNames: [...otherNames].sort(),
    series,
    files: new Map([...files].map(([k, p]) => [k, p.file])),
    unused,
    symbols
  }
}

/** Up to three names near `wanted`: the closest by edit distance, then those that contain it or share a word. */
export const nearNames = (wanted: string, names: ReadonlyArray<string>): ReadonlyArray<string> => {
  const out: Array<string> = []
  const c = closest(wanted, names)
  if (c !== undefined) out.push(c)
  const w = norm(wanted)
  const words = wanted
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((x) => x.length >= 4)
  for (const n of [...names].sort()) {
    if (out.length >= 3) break
    if (out.includes(n)) continue
    const nn = norm(n)
    if ((w.length >= 3 && nn.includes(w)) || words.some((x) => n.toLowerCase().includes(x))) out.push(n)
  }
  return out
}

/** The figure of a series in a year (null: none, or a symbol). */
export const valueIn = (t: CouncilTables, name: string, year: number): number | null =>
  t.series.get(name)?.get(year)?.value ?? null

/**
 * A suppressed count (EES's `c`) is 1 to 5: the tables show 0 and 6 upward (checked on CIN census tables
 * C1, D3 and B1 to 2021, where every council's counts skip 1 to 5).
 */
export const SUPPRESSED_COUNT = { low: 1, mid: 3, high: 5 } as const

/** A count of one year, as the range it may be: a figure is itself; a suppressed one is 1 to 5. */
export const countIn = (
  t: CouncilTables,
  name: string,
  year: number
): { readonly low: number; readonly mid: number; readonly high: number; readonly suppressed: boolean } | null => {
  const cell = t.series.get(name)?.get(year)
  if (cell === undefined) return null
  if (cell.value !== null) return { low: cell.value, mid: cell.value, high: cell.value, suppressed: false }
  return cell.symbol === "c" ? { ...SUPPRESSED_COUNT, suppressed: true } : null
}

/** The years a series gives a figure for, ascending. */
export const yearsOf = (t: CouncilTables, name: string): ReadonlyArray<number> =>
  [...(t.series.get(name) ?? new Map<number, Cell>())]
    .filter(([, c]) => c.value !== null)
    .map(([y]) => y)
    .sort((a, b) => a - b)

/**
 * The tables as they stood after the year ending 31 March `year` was published: every figure of a later year
 * left out (the back-test's cut-off: nothing after it can reach the calibration, whatever reads the tables).
 */
export const tablesUpTo = (t: CouncilTables, year: number): CouncilTables => ({
  ...t,
  series: new Map([...t.series].map(([name, s]) => [name, new Map([...s].filter(([y]) => y <= year))] as const))
})
