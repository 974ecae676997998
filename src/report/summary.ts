/**
 * The readable summary printed by `caseflow run` and `caseflow replay`: children at each 31 March (and
 * at the start), and spend by budget line for each financial year, against budget where the scenario
 * gives one.
 */
import { LEVEL_LABEL, OPEN_LEVELS, PLACEMENTS, PLACEMENT_LABEL, CELL_COUNT, placementCell } from "../domain/Level.js"
import type { LedgerTotals } from "../projections/Ledger.js"
import type { Spend } from "../projections/Spend.js"
import type { Scenario } from "../scenario/Scenario.js"
import { levelCount } from "./tables.js"

const int = (n: number): string => Math.round(n).toLocaleString("en-GB")
const money = (x: number): string => {
  const m = (Math.abs(x) / 1e6).toFixed(2)
  return x < 0 && m !== "0.00" ? `-£${m}m` : `£${m}m`
}

const table = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): string => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  const line = (cells: ReadonlyArray<string>) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ").trimEnd()
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n")
}

export const summaryText = (scenario: Scenario, totals: LedgerTotals, spend: Spend, seed: number): string => {
  const cal = totals.calendar
  const out: Array<string> = []
  out.push(`${scenario.name}`)
  out.push(`seed ${seed}; ${cal.startDate} to ${cal.dateOf(cal.horizon - 1)}; ${int(totals.events)} events`)
  out.push("")

  // Stocks: opening and each month end that is a 31 March (or the last month end of the run).
  const cols: Array<{ label: string; cells: ArrayLike<number>; offset: number }> = [
    { label: `start`, cells: totals.openingStock, offset: 0 }
  ]
  cal.months.forEach((m, i) => {
    const isYearEnd = m.endDate.endsWith("-03-31")
    const isLast = i === cal.months.length - 1
    if (isYearEnd || isLast) cols.push({ label: isYearEnd ? m.endDate.slice(0, 4) + "-03-31" : m.endDate, cells: totals.monthEndStock, offset: i * CELL_COUNT })
  })
  const stockRows: Array<Array<string>> = []
  for (const level of OPEN_LEVELS) {
    stockRows.push([LEVEL_LABEL[level], ...cols.map((c) => int(levelCount(c.cells, c.offset, level)))])
    if (level === "looked_after") {
      PLACEMENTS.forEach((p, i) => {
        const values = cols.map((c) => c.cells[c.offset + placementCell(i)])
        if (values.some((v) => v !== 0)) stockRows.push([`  ${PLACEMENT_LABEL[p]}`, ...values.map(int)])
      })
    }
  }
  out.push("Children open to services")
  out.push(table(["", ...cols.map((c) => c.label)], stockRows))
  out.push("")

  // Spend by budget line and financial year.
  const fys = cal.financialYears
  const b = spend.budgetLines.length
  const partial = fys.map((fy) => fy.end - fy.start < 365)
  const spendRows: Array<Array<string>> = spend.budgetLines.map((name, i) => [name, ...fys.map((_, f) => money(spend.byBudgetLineFy[f * b + i]))])
  const total = fys.map((_, f) => {
    let s = 0
    for (let i = 0; i < b; i++) s += spend.byBudgetLineFy[f * b + i]
    return s
  })
  spendRows.push(["Total", ...total.map(money)])
  const budgets = fys.map((fy) => {
    let sum = 0
    let any = false
    for (const line of scenario.budgetLines) {
      const v = line.budget?.[fy.label]
      if (v !== undefined) {
        sum += v
        any = true
      }
    }
    return any ? sum : null
  })
  if (budgets.some((x) => x !== null)) {
    spendRows.push(["Budget", ...budgets.map((x) => (x === null ? "-" : money(x)))])
    spendRows.push(["Variance (spend - budget)", ...budgets.map((x, f) => (x === null ? "-" : money(total[f] - x)))])
  }
  out.push("Spend by budget line and financial year" + (partial.some((p) => p) ? " (* part year)" : ""))
  out.push(table(["", ...fys.map((fy, f) => fy.label + (partial[f] ? "*" : ""))], spendRows))
  return out.join("\n")
}
