/**
 * The readable summary printed by `caseflow run` and `caseflow replay`: children at each 31 March (and
 * at the start), spend by budget line for each financial year, against budget where the scenario
 * gives one, and, when the scenario has a workforce, each team's caseload and staff at each 31 March with
 * its staff cost in the financial year.
 */
import { LEVEL_LABEL, OPEN_LEVELS, PLACEMENTS, PLACEMENT_LABEL, CELL_COUNT, placementCell } from "../domain/Level.js"
import type { LedgerTotals } from "../projections/Ledger.js"
import type { Spend } from "../projections/Spend.js"
import type { Scenario } from "../scenario/Scenario.js"
import { teamYears, workforceOf } from "../projections/Workforce.js"
import { servicesText } from "./Services.js"
import { levelCount } from "../domain/Level.js"

const int = (n: number): string => Math.round(n).toLocaleString("en-GB")
const money = (x: number): string => {
  const m = (Math.abs(x) / 1e6).toFixed(2)
  return x < 0 && m !== "0.00" ? `-£${m}m` : `£${m}m`
}

const table = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): string => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  const line = (cells: ReadonlyArray<string>) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join("  ")
      .trimEnd()
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
    if (isYearEnd || isLast)
      cols.push({
        label: isYearEnd ? m.endDate.slice(0, 4) + "-03-31" : m.endDate,
        cells: totals.monthEndStock,
        offset: i * CELL_COUNT
      })
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
  const spendRows: Array<Array<string>> = spend.budgetLines.map((name, i) => [
    name,
    ...fys.map((_, f) => money(spend.byBudgetLineFy[f * b + i]))
  ])
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
  const workforce = workforceText(totals)
  if (workforce !== "") out.push("", workforce)
  const services = servicesText(totals)
  if (services !== "") out.push("", services)
  return out.join("\n")
}

const one = (x: number): string =>
  Number.isNaN(x) ? "-" : x.toLocaleString("en-GB", { minimumFractionDigits: 1, maximumFractionDigits: 1 })

/**
 * Each team at the last month end of each financial year (31 March in a whole year): children then, and
 * for that month FTE needed, permanent and agency FTE in post and children per worker and per permanent
 * worker (from the month's average caseload); staff cost over the financial year. Empty when the scenario
 * has no workforce.
 */
export const workforceText = (totals: LedgerTotals): string => {
  const teams = workforceOf(totals)
  if (teams.length === 0) return ""
  const cal = totals.calendar
  const fys = cal.financialYears
  const lastMonth = fys.map((_, f) => cal.months.reduce((last, m, i) => (m.fy === f ? i : last), -1))
  const rows: Array<Array<string>> = []
  for (const t of teams) {
    const years = teamYears(totals, t)
    const at = (a: Float64Array, f: (x: number) => string) => lastMonth.map((i) => (i < 0 ? "-" : f(a[i])))
    rows.push([`${t.team.name} (target ${one(t.team.targetCaseload)} per worker)`, ...fys.map(() => "")])
    rows.push(["  children at month end", ...at(t.monthEndChildren, int)])
    rows.push(["  FTE needed", ...at(t.fteNeeded, one)])
    rows.push(["  permanent FTE in post", ...at(t.permanentFte, one)])
    rows.push(["  agency FTE", ...at(t.agencyFte, one)])
    rows.push(["  children per worker", ...at(t.caseloadPerWorker, one)])
    rows.push(["  children per permanent worker", ...at(t.caseloadPerPermanentWorker, one)])
    rows.push(["  staff cost in the year", ...years.map((y) => money(y.permanentCost + y.agencyCost))])
    rows.push(["    of which agency", ...years.map((y) => money(y.agencyCost))])
  }
  const label = (f: number) => (lastMonth[f] < 0 ? fys[f].label : cal.months[lastMonth[f]].endDate)
  return [
    "Workforce at each year end (FTE and children per worker for that month; cost for the financial year)",
    table(["", ...fys.map((_, f) => label(f))], rows)
  ].join("\n")
}
