/**
 * Wide tables for people (a board paper, a spreadsheet), beside the tidy CSVs for machines:
 *
 * summary_children.csv  one row per level (and, under looked after, per placement type), one column per
 *                       snapshot: the start (the day before the run), each 31 March, and the run's last
 *                       month end when that is not a 31 March
 * summary_spend.csv     one row per budget line, then Total, and, where the scenario gives budgets, Budget
 *                       (pro-rated by days in a part year), Budget basis and Variance (spend - budget); one
 *                       column per financial year; pounds to the penny
 * rolling_12_months.csv one row per month end: (contacts,) referrals, re-referrals, child protection plans started
 *                       and ended, entries to and exits from care in the 12 months to it, as councils'
 *                       scrutiny reports count them (the first 11 rows hold fewer months: `months` says
 *                       how many)
 *
 * The same figures as `stocks.csv`, `placements.csv` and `costs.csv` (and the printed summary), pivoted.
 */
import {
  CELL_COUNT,
  STATES,
  stateIndex,
  LEVEL_LABEL,
  levelCount,
  OPEN_LEVELS,
  PLACEMENT_LABEL,
  PLACEMENTS,
  placementCell,
  type OpenLevel,
  type Placement
} from "../domain/Level.js"
import type { LedgerTotals } from "../projections/Ledger.js"
import type { Spend } from "../projections/Spend.js"
import type { Scenario } from "../scenario/Scenario.js"
import { budgetBasis, isPartYear } from "./Budget.js"
import { csv, pounds } from "./Format.js"
import { spendAgainstBudget, type YearAgainstBudget } from "./Summary.js"

export const WIDE_FILES: ReadonlyArray<string> = ["summary_children.csv", "summary_spend.csv", "rolling_12_months.csv"]

/** A snapshot of the caseload: the start, each 31 March, the last month end. */
export interface Snapshot {
  /** "start", or the date (e.g. 2026-03-31). */
  readonly label: string
  readonly date: string
  readonly yearEnd: boolean
  readonly cells: ArrayLike<number>
  readonly offset: number
}

export const snapshots = (totals: LedgerTotals): Array<Snapshot> => {
  const cal = totals.calendar
  const out: Array<Snapshot> = [
    { label: "start", date: cal.dateOf(-1), yearEnd: false, cells: totals.openingStock, offset: 0 }
  ]
  cal.months.forEach((m, i) => {
    const yearEnd = m.endDate.endsWith("-03-31")
    if (yearEnd || i === cal.months.length - 1)
      out.push({ label: m.endDate, date: m.endDate, yearEnd, cells: totals.monthEndStock, offset: i * CELL_COUNT })
  })
  return out
}

/** A row of the children table: a level, or a placement type under looked after. */
export interface ChildrenRow {
  readonly level: OpenLevel
  readonly placement: Placement | null
  readonly label: string
  readonly counts: ReadonlyArray<number>
}

/** Children at each snapshot by level (placement types under looked after, those ever non-zero). */
export const childrenRows = (totals: LedgerTotals, at: ReadonlyArray<Snapshot> = snapshots(totals)) => {
  const rows: Array<ChildrenRow> = []
  for (const level of OPEN_LEVELS) {
    rows.push({
      level,
      placement: null,
      label: LEVEL_LABEL[level],
      counts: at.map((s) => levelCount(s.cells, s.offset, level))
    })
    if (level === "looked_after")
      PLACEMENTS.forEach((p, i) => {
        const counts = at.map((s) => s.cells[s.offset + placementCell(i)])
        if (counts.some((c) => c !== 0)) rows.push({ level, placement: p, label: PLACEMENT_LABEL[p], counts })
      })
  }
  return rows
}

export const summaryChildrenCsv = (totals: LedgerTotals): string => {
  const at = snapshots(totals)
  return csv(
    ["level", "placement", ...at.map((s) => (s.label === "start" ? `start_${s.date}` : s.date))],
    childrenRows(totals, at).map((r) => [r.level, r.placement ?? "", ...r.counts])
  )
}

/** Spend by budget line and financial year, with each year's total against its budget. */
export interface SpendTable {
  readonly years: ReadonlyArray<string>
  readonly partYear: ReadonlyArray<boolean>
  readonly lines: ReadonlyArray<{ readonly name: string; readonly amounts: ReadonlyArray<number> }>
  readonly totals: ReadonlyArray<YearAgainstBudget>
  /** Whether any year has a total budget to compare with. */
  readonly hasBudget: boolean
}

export const spendTable = (scenario: Scenario, totals: LedgerTotals, spend: Spend): SpendTable => {
  const fys = totals.calendar.financialYears
  const b = spend.budgetLines.length
  const years = spendAgainstBudget(scenario, totals, spend)
  return {
    years: fys.map((fy) => fy.label),
    partYear: years.map((y) => isPartYear(y.coverage)),
    lines: spend.budgetLines.map((name, i) => ({ name, amounts: fys.map((_, f) => spend.byBudgetLineFy[f * b + i]) })),
    totals: years,
    hasBudget: years.some((y) => y.budget !== null)
  }
}

export const summarySpendCsv = (scenario: Scenario, totals: LedgerTotals, spend: Spend): string => {
  const t = spendTable(scenario, totals, spend)
  const rows: Array<Array<string>> = t.lines.map((l) => [l.name, ...l.amounts.map(pounds)])
  rows.push(["Total", ...t.totals.map((y) => pounds(y.spend))])
  if (t.hasBudget) {
    const orEmpty = (x: number | null) => (x === null ? "" : pounds(x))
    rows.push(["Budget", ...t.totals.map((y) => orEmpty(y.budget))])
    rows.push(["Budget basis", ...t.totals.map((y) => (y.budget === null ? "" : budgetBasis(y.coverage)))])
    rows.push(["Variance (spend - budget)", ...t.totals.map((y) => orEmpty(y.variance))])
  }
  return csv(["budget_line", ...t.years], rows)
}

const S = STATES.length
const CP = stateIndex.child_protection
const LA = stateIndex.looked_after

/** rolling_12_months.csv: the flows of the 12 months to each month end (fewer at the start of the run); with
 * `contacts` (a scenario with `referrals.contacts`), contacts at the front door first. */
export const rolling12MonthsCsv = (totals: LedgerTotals, contacts = false): string => {
  const months = totals.calendar.months
  /** Entries into `level` (from elsewhere) in month m, and exits from it. */
  const into = (m: number, level: number) => {
    let n = 0
    for (let from = 0; from < S; from++) if (from !== level) n += totals.starts[m * S * S + level * S + from]
    return n
  }
  const outOf = (m: number, level: number) => {
    let n = 0
    for (let to = 0; to < S; to++) if (to !== level) n += totals.ends[m * S * S + level * S + to]
    return n
  }
  const perMonth = months.map((_, m) => [
    ...(contacts ? [totals.contacts[m * 2] + totals.contacts[m * 2 + 1]] : []),
    totals.referrals[m * 2],
    totals.referrals[m * 2 + 1],
    into(m, CP),
    outOf(m, CP),
    into(m, LA),
    outOf(m, LA)
  ])
  const rows = months.map((month, i) => {
    const from = Math.max(0, i - 11)
    const sums = perMonth[i].map((_, k) => perMonth.slice(from, i + 1).reduce((a, r) => a + r[k], 0))
    return [month.endDate, i - from + 1, ...sums]
  })
  return csv(
    [
      "month_end",
      "months",
      ...(contacts ? ["contacts"] : []),
      "referrals",
      "re_referrals",
      "cp_plans_started",
      "cp_plans_ended",
      "entries_to_care",
      "exits_from_care"
    ],
    rows
  )
}

export const wideFiles = (
  scenario: Scenario,
  totals: LedgerTotals,
  spend: Spend
): ReadonlyArray<readonly [string, string]> => [
  ["summary_children.csv", summaryChildrenCsv(totals)],
  ["summary_spend.csv", summarySpendCsv(scenario, totals, spend)],
  ["rolling_12_months.csv", rolling12MonthsCsv(totals, scenario.referrals.contacts !== undefined)]
]
