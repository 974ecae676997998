/**
 * How figures are written in CSV files: fields quoted only when they must be, money to the penny.
 */

/** A CSV field: quoted when it holds a comma, quote or newline. */
const field = (v: string | number): string => {
  const s = String(v)
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}
export const csv = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string | number>>): string =>
  [header, ...rows].map((r) => r.map(field).join(",")).join("\n") + "\n"

/** Money to the penny; avoids "-0.00". */
export const pounds = (x: number): string => {
  const s = x.toFixed(2)
  return s === "-0.00" ? "0.00" : s
}
