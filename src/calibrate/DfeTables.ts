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
 * releases). An estimate then uses the years that do give the figure. Anything else is an error naming the
 * file, line and column.
 *
 * The council (`--la`) is matched by its new (ONS, E06000008) or old (DfE, 357) code, or by its name,
 * ignoring case, spaces and punctuation; an unknown council is refused with the nearest names.
 */
import { excerpt, show } from "../domain/Show.js"
import { readCsv, type CsvRow } from "../forecast/Csv.js"
import { closest } from "../scenario/Problems.js"

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
}

const headerOf = (text: string): ReadonlyArray<string> => {
  const first = text.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0] ?? ""
  return first.split(",").map((h) => h.trim().replace(/^"|"$/g, ""))
}

const kindOf = (header: ReadonlyArray<string>): TableKind | null => {
  const has = new Set(header)
  if (!GEOGRAPHY.every((c) => has.has(c))) return null
  for (const k of TABLE_KINDS) if (TABLE_INFO[k].columns.every((c) => has.has(c))) return k
  return null
}

/** The columns each table's rows are read with. */
const columnsOf = (kind: TableKind, header: ReadonlyArray<string>) => {
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
    ...extra.filter((e) => header.includes(e)).map((name) => ({ name, required: false }))
  ]
}

const parseFile = (f: DfeFile): Parsed | DfeError => {
  if (f.text.includes("\u0000"))
    return new DfeError(`${excerpt(f.file, 200)}: not a CSV file (it holds NUL bytes: a workbook or a binary file?)`)
  const header = headerOf(f.text)
  const kind = kindOf(header)
  if (kind === null) return { file: f.file, kind: null, columns: header.length, rows: [] }
  const read = readCsv(f.text, columnsOf(kind, header))
  if (read.problems.length > 0) {
    const p = read.problems[0]
    return new DfeError(`${excerpt(f.file, 200)}${p.line === null ? "" : `, line ${p.line}`}: ${p.message}`)
  }
  return { file: f.file, kind, columns: header.length, rows: read.rows }
}

/** A cell's figure: a number, a symbol (null), or an error. */
const cellOf = (file: string, row: CsvRow, column: string): Cell | DfeError => {
  const raw = (row.get(column) ?? "").trim()
  if (raw === "") return { value: null, symbol: "", file, line: row.line }
  if (Object.hasOwn(SUPPRESSION, raw.toLowerCase()))
    return { value: null, symbol: raw.toLowerCase(), file, line: row.line }
  const value = Number(raw.replace(/,/g, ""))
  if (!Number.isFinite(value) || value < 0)
    return new DfeError(
      `${excerpt(file, 200)}, line ${row.line}, column ${column}: expected a number or one of EES's symbols ` +
        `(${Object.keys(SUPPRESSION).join(", ")}), found ${show(raw)}`
    )
  return { value, symbol: null, file, line: row.line }
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

/** The councils in the tables, for the near-match suggestion. */
const councilsIn = (files: ReadonlyArray<Parsed>): Map<string, { name: string; newCode: string; oldCode: string }> => {
  const out = new Map<string, { name: string; newCode: string; oldCode: string }>()
  for (const f of files)
    for (const r of f.rows) {
      if ((r.get("geographic_level") ?? "").trim() !== "Local authority") continue
      const name = (r.get("la_name") ?? "").trim()
      if (name !== "" && !out.has(norm(name)))
        out.set(norm(name), {
          name,
          newCode: (r.get("new_la_code") ?? "").trim(),
          oldCode: (r.get("old_la_code") ?? "").trim()
        })
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
  const ordered = [...parsed].sort((a, b) => a.columns - b.columns || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
  for (const p of ordered) {
    if (p.kind === null) {
      unused.push({ file: p.file, why: "not one of the tables read (its columns match none)" })
      continue
    }
    const before = files.get(p.kind)
    if (before !== undefined) {
      unused.push({ file: p.file, why: `the same table as ${before.file} (${TABLE_INFO[p.kind].title})` })
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
  const match = [...councils.values()].find(
    (c) => norm(c.name) === key || c.newCode.toLowerCase() === wanted.toLowerCase() || c.oldCode === wanted
  )
  if (match === undefined) {
    const names = [...councils.values()].map((c) => c.name)
    const near = nearNames(wanted, names)
    return new DfeError(
      `--la ${show(wanted)}: no such local authority in the tables (${councils.size} councils)` +
        (near.length > 0 ? `; did you mean ${near.map((n) => show(n)).join(", ")}?` : "")
    )
  }
  const series = new Map<string, Map<number, Cell>>()
  const symbols = new Map<string, number>()
  const put = (name: string, year: number, cell: Cell) => {
    let s = series.get(name)
    if (s === undefined) series.set(name, (s = new Map()))
    if (!s.has(year)) s.set(year, cell)
    if (cell.symbol !== null && cell.symbol !== "") symbols.set(cell.symbol, (symbols.get(cell.symbol) ?? 0) + 1)
  }
  for (const [kind, p] of files) {
    for (const r of p.rows) {
      if ((r.get("geographic_level") ?? "").trim() !== "Local authority") continue
      const name = (r.get("la_name") ?? "").trim()
      const code = (r.get("new_la_code") ?? "").trim()
      if (norm(name) !== norm(match.name) && (code === "" || code !== match.newCode)) continue
      const yearText = (r.get("time_period") ?? "").trim()
      const year = /^\d{4}$/.test(yearText)
        ? Number(yearText)
        : /^\d{6}$/.test(yearText)
          ? Number(yearText.slice(0, 4)) + 1
          : NaN
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
        put(target[1], year, cell)
        continue
      }
      if (kind === "cla31") {
        const group = (r.get("cla_group") ?? "").trim()
        const characteristic = (r.get("characteristic") ?? "").trim()
        if (group === "" || characteristic === "") continue
        const cell = cellOf(p.file, r, "cla_31_march_number")
        if (cell instanceof DfeError) return cell
        put(cla31Series(group, characteristic), year, cell)
        continue
      }
      for (const [column, target] of SERIES[kind]) {
        if (r.get(column) === undefined) continue
        const cell = cellOf(p.file, r, column)
        if (cell instanceof DfeError) return cell
        put(target, year, cell)
      }
    }
  }
  return {
    name: match.name,
    newCode: match.newCode,
    oldCode: match.oldCode,
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
