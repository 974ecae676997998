/**
 * Writes a `Workbook` as an .xlsx file with write-excel-file: one sheet per table, numbers as numbers
 * with their formats, the header row bold and frozen. Loaded only when `--xlsx` is given (see index.ts).
 * The zip inside carries its own write time, so two workbooks of one run differ in bytes, never in cells.
 */
import writeXlsxFile, { type Cell as XlsxCell, type Sheet as XlsxSheet } from "write-excel-file/node"
import { CELL_FORMAT, type Cell, type SheetColumn, type Workbook } from "../Workbook.js"

const cellOf = (value: Cell, column: SheetColumn): XlsxCell => {
  if (value === null) return null
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return null
    const format = CELL_FORMAT[column.kind]
    return format === null ? { value, type: Number } : { value, type: Number, format }
  }
  return { value, type: String }
}

const widthOf = (column: SheetColumn, rows: ReadonlyArray<ReadonlyArray<Cell>>, i: number): number => {
  if (column.width !== undefined) return column.width
  let w = column.header.length
  for (const r of rows) {
    const v = r[i]
    const n = typeof v === "string" ? v.length : typeof v === "number" ? (column.kind === "money" ? 14 : 10) : 0
    if (n > w) w = n
  }
  return Math.min(60, Math.max(8, w + 2))
}

/** The workbook's bytes. */
export const xlsxBytes = async (book: Workbook): Promise<Uint8Array> => {
  const sheets: Array<XlsxSheet<Buffer>> = book.sheets.map((s) => ({
    sheet: s.name,
    stickyRowsCount: 1,
    columns: s.columns.map((c, i) => ({ width: widthOf(c, s.rows, i) })),
    data: [
      s.columns.map((c): XlsxCell => ({ value: c.header, type: String, fontWeight: "bold" })),
      ...s.rows.map((r) => s.columns.map((c, i) => cellOf(r[i] ?? null, c)))
    ]
  }))
  const buffer = await writeXlsxFile(sheets).toBuffer()
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
}
