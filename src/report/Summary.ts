/**
 * The readable summary printed by `caseflow run` and `caseflow replay`: children at each 31 March (and
 * at the start), spend by budget line for each financial year, against budget where the scenario
 * gives one (a whole year's budget pro-rated by days for a part year, and said so: see Budget.ts), and,
 * when the scenario has a workforce, each team's caseload and staff at each 31 March with its staff cost
 * in the financial year. Names from the scenario are printed with their control characters escaped.
 */
import { LEVEL_LABEL, OPEN_LEVELS, PLACEMENTS, PLACEMENT_LABEL, CELL_COUNT, placementCell } from "../domain/Level.js"
import { escapeControl } from "../domain/Show.js"
import type { LedgerTotals } from "../projections/Ledger.js"
import type { Spend } from "../projections/Spend.js"
import type { Scenario } from "../scenario/Scenario.js"
import { teamYears, workforceOf } from "../projections/Workforce.js"
import {
  budgetBasis,
  budgetBasisText,
  budgetCells,
  isPartYear,
  proRataNote,
  proRataPennies,
  type YearCoverage,
  yearCoverage
} from "./Budget.js"
import { count, decimal, MISSING, money } from "./Format.js"
import { quotasText } from "./Quotas.js"
import { servicesText } from "./Services.js"
import { heading, paragraph, type Row, table } from "./Table.js"
import { levelCount } from "../domain/Level.js"

export const summaryText = (scenario: Scenario, totals: LedgerTotals, spend: Spend, seed: number): string => {
  const cal = totals.calendar
  const out: Array<string> = []
  out.push(escapeControl(scenario.name))
  out.push(`seed ${seed}; ${cal.startDate} to ${cal.dateOf(cal.horizon - 1)}; ${count(totals.events)} events`)
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
    stockRows.push([LEVEL_LABEL[level], ...cols.map((c) => count(levelCount(c.cells, c.offset, level)))])
    if (level === "looked_after") {
      PLACEMENTS.forEach((p, i) => {
        const values = cols.map((c) => c.cells[c.offset + placementCell(i)])
        if (values.some((v) => v !== 0)) stockRows.push([`  ${PLACEMENT_LABEL[p]}`, ...values.map(count)])
      })
    }
  }
  out.push("Children open to services")
  out.push(table({ header: ["", ...cols.map((c) => c.label)], rows: stockRows }))
  out.push("")

  // Spend by budget line and financial year, against each year's budget (pro-rated by days in a part year).
  const fys = cal.financialYears
  const b = spend.budgetLines.length
  const years = spendAgainstBudget(scenario, totals, spend)
  const partial = years.map((y) => isPartYear(y.coverage))
  const spendRows: Array<Array<string>> = spend.budgetLines.map((name, i) => [
    name,
    ...fys.map((_, f) => money(spend.byBudgetLineFy[f * b + i]))
  ])
  spendRows.push(["Total", ...years.map((y) => money(y.spend))])
  const notes: Array<string> = []
  if (years.some((y) => y.budget !== null)) {
    spendRows.push(["Budget", ...years.map((y) => money(y.budget))])
    if (years.some((y, f) => y.budget !== null && partial[f]))
      spendRows.push(["Budget basis", ...years.map((y) => (y.budget === null ? MISSING : budgetBasisText(y.coverage)))])
    spendRows.push(["Variance (spend - budget)", ...years.map((y) => money(y.variance))])
    for (const y of years)
      if (y.budget !== null && isPartYear(y.coverage))
        notes.push(proRataNote(y.coverage, money(y.fullYearBudget), money(y.budget)))
  }
  // A year with budgets on some lines only has no total budget: say why rather than compare with part of one.
  for (const y of years) {
    const n = y.linesWithBudget
    if (y.budget === null && n > 0)
      notes.push(
        `${y.coverage.label}: ${n} of the ${b} budget lines ${n === 1 ? "has" : "have"} a budget, so there is no ` +
          `total budget to compare the total with`
      )
  }
  out.push("Spend by budget line and financial year" + (partial.some((p) => p) ? " (* part year)" : ""))
  out.push(table({ header: ["", ...fys.map((fy, f) => fy.label + (partial[f] ? "*" : ""))], rows: spendRows }))
  for (const note of notes) out.push(paragraph(note))
  const workforce = workforceText(totals)
  if (workforce !== "") out.push("", workforce)
  const services = servicesText(totals)
  if (services !== "") out.push("", services)
  const quotas = quotasText(totals)
  if (quotas !== "") out.push("", quotas)
  return out.join("\n")
}

/**
 * Under a one-run summary: these figures are one random draw, and how to get intervals instead.
 */
export const oneDrawNote = (seed: number): string =>
  paragraph(
    `These figures are one random draw (seed ${seed}): another seed gives others. For intervals over many runs, ` +
      "and the chance of overspending: caseflow montecarlo <scenario> --runs 1000"
  )

/** A financial year's total spend against its total budget, in pounds. */
export interface YearAgainstBudget {
  readonly coverage: YearCoverage
  readonly spend: number
  /** The whole year's total budget (null: none, e.g. when some budget lines have no budget that year). */
  readonly fullYearBudget: number | null
  /** The budget compared with: the whole year's, pro-rated by days in a part year. */
  readonly budget: number | null
  /** `full_year` or `pro_rata_<days>_of_<n>`; null without a budget. */
  readonly basis: string | null
  /** spend - budget. */
  readonly variance: number | null
  /** How many budget lines have a budget this year. */
  readonly linesWithBudget: number
}

/**
 * Each financial year's total spend against the scenario's total budget for it (see Budget.ts: the sum of
 * the line budgets when every line has one, pro-rated by days for a part year).
 */
export const spendAgainstBudget = (
  scenario: Scenario,
  totals: LedgerTotals,
  spend: Spend
): Array<YearAgainstBudget> => {
  const cal = totals.calendar
  const b = spend.budgetLines.length
  const cells = budgetCells({
    financialYears: cal.financialYears.map((fy) => fy.label),
    budgetLines: spend.budgetLines,
    scenario: scenario.budgetLines
  })
  return yearCoverage(cal).map((coverage, f) => {
    let total = 0
    for (let i = 0; i < b; i++) total += spend.byBudgetLineFy[f * b + i]
    const full = cells[f * (b + 1) + b]
    const budget = full === null ? null : proRataPennies(full, coverage) / 100
    let lines = 0
    for (let i = 0; i < b; i++) if (cells[f * (b + 1) + i] !== null) lines++
    return {
      coverage,
      spend: total,
      fullYearBudget: full === null ? null : full / 100,
      budget,
      basis: budget === null ? null : budgetBasis(coverage),
      variance: budget === null ? null : total - budget,
      linesWithBudget: lines
    }
  })
}

const one = (x: number): string => decimal(x, 1)

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
  const rows: Array<Row> = []
  for (const t of teams) {
    const years = teamYears(totals, t)
    const at = (a: Float64Array, f: (x: number) => string) => lastMonth.map((i) => (i < 0 ? MISSING : f(a[i])))
    rows.push(heading(`${t.team.name} (target ${one(t.team.targetCaseload)} per worker)`))
    rows.push(["  children at month end", ...at(t.monthEndChildren, count)])
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
    table({ header: ["", ...fys.map((_, f) => label(f))], rows })
  ].join("\n")
}
