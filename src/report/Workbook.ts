/**
 * A workbook for a finance team, as data: what `--xlsx FILE.xlsx` writes (by `xlsx/Write.ts`, loaded only
 * when a workbook is asked for). One sheet per table; every figure is a number stored as a number with its
 * format (money in pounds, a percentage, a count, a decimal); the header row is frozen; a "Run" sheet
 * describes the run (scenario, seed, runs, version, hash). Financial years are columns where finance
 * expects them (spend by budget line x year, with budget and variance rows where a budget is given).
 */

export type CellKind = "text" | "money" | "count" | "decimal" | "percent" | "date"

export interface SheetColumn {
  readonly header: string
  readonly kind: CellKind
  /** Width in characters (default: from the header and the cells). */
  readonly width?: number
}

/** A cell: text, a number (formatted by its column's kind), or empty. */
export type Cell = string | number | null

export interface Sheet {
  /** At most 31 characters, none of []:*?/\ (Excel's rules; `sheetName` makes one safe). */
  readonly name: string
  readonly columns: ReadonlyArray<SheetColumn>
  readonly rows: ReadonlyArray<ReadonlyArray<Cell>>
}

export interface Workbook {
  readonly sheets: ReadonlyArray<Sheet>
}

/** Excel's number formats for each kind of cell. */
export const CELL_FORMAT: Readonly<Record<CellKind, string | null>> = {
  text: null,
  money: '"£"#,##0.00;[Red]-"£"#,##0.00',
  count: "#,##0",
  decimal: "#,##0.0",
  percent: "0.0%",
  date: null
}

/** A sheet name Excel accepts: forbidden characters replaced, cut to 31, unique among `taken`. */
export const sheetName = (name: string, taken: ReadonlySet<string> = new Set()): string => {
  const clean = name.replace(/[[\]:*?/\\]/g, "-").replace(/^'+|'+$/g, "") || "Sheet"
  let candidate = clean.slice(0, 31)
  for (let i = 2; taken.has(candidate.toLowerCase()); i++) {
    const suffix = ` (${i})`
    candidate = clean.slice(0, 31 - suffix.length) + suffix
  }
  return candidate
}

/** Sheets with their names made safe and unique, in order. */
export const workbook = (sheets: ReadonlyArray<Sheet>): Workbook => {
  const taken = new Set<string>()
  return {
    sheets: sheets.map((s) => {
      const name = sheetName(s.name, taken)
      taken.add(name.toLowerCase())
      return { ...s, name }
    })
  }
}
