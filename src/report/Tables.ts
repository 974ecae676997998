/**
 * Tidy tables (one row per observation) of a run's results, and their CSV text.
 *
 * stocks.csv     children at each level at the start and at each month end (31 March rows marked); the
 *                opening caseload (month "opening") is the stock on the day before the start, labelled with
 *                the financial year that day falls in: 31 March 2025 closes 2024/25, as DfE counts it
 * placements.csv looked-after children by placement type, likewise
 * flows.csv      referrals, starts and ends by level, reasons, placement moves, per month and financial
 *                year (rows with zero children are left out)
 * costs.csv      spend by budget line and cost line, per month and financial year, with the quantity
 *                behind it (child-days, times incurred, days for fixed costs, FTE-days for staff)
 * workforce.csv  per workforce team, per month and financial year: children (average and at the period's
 *                last month end), FTE needed at the target caseload, permanent and agency FTE, caseload
 *                per worker and per permanent worker, permanent and agency staff cost
 *
 * services.csv   per service (and intervention) and month: places, places used, utilisation, waiting list
 *                (at month end, average, joins and leaves by outcome, mean wait), starts, overflows
 * legal_status.csv  looked-after children by legal status (SSDA903 code) at the start and each month end,
 *                written only for a scenario that models legal status (whose flows.csv then also has
 *                legal_status_entry, legal_status_change and left_care_by_legal_status rows)
 * uasc.csv       unaccompanied asylum-seeking children apart, per month: in care and care leavers at the
 *                month end, starts of care, leaving care, becoming care leavers (a scenario with UASC only)
 * quotas.csv     per quota (an intervention's count target) and month, and financial year: target, children
 *                eligible, reviewed, by outcome (ended, shortened, unchanged, no place), short of target
 *
 * The text is a pure function of the ledger, so a replayed log gives byte-identical files.
 */
import {
  CLOSURE_REASONS,
  LEFT_CARE_REASONS,
  LEGAL_STATUSES,
  OPEN_LEVELS,
  PLACEMENTS,
  STATES,
  STAYING_PUT_END_REASONS,
  SUPPORT_END_REASONS,
  CELL_COUNT,
  levelCount,
  placementCell,
  stateIndex
} from "../domain/Level.js"
import type { LedgerTotals } from "../projections/Ledger.js"
import type { Spend } from "../projections/Spend.js"
import { teamYears, workforceOf } from "../projections/Workforce.js"
import { financialYearOf } from "./Budget.js"
import { csv, pounds } from "./Format.js"
import { quotasCsv } from "./Quotas.js"
import { servicesCsv } from "./Services.js"

const S = STATES.length
const P = PLACEMENTS.length
const LS = LEGAL_STATUSES.length

interface Snapshot {
  readonly date: string
  readonly month: string
  readonly fy: string
  readonly yearEnd: boolean
  readonly offset: number
  readonly cells: ArrayLike<number>
}

const snapshots = (l: LedgerTotals): Array<Snapshot> => {
  const cal = l.calendar
  const opening: Snapshot = {
    date: cal.dateOf(-1),
    month: "opening",
    fy: financialYearOf(cal.dateOf(-1)),
    yearEnd: false,
    offset: 0,
    cells: l.openingStock
  }
  return [
    opening,
    ...cal.months.map((m, i) => ({
      date: m.endDate,
      month: m.label,
      fy: cal.financialYears[m.fy].label,
      yearEnd: m.calendarMonth === 2 && m.endDate.endsWith("-03-31"),
      offset: i * CELL_COUNT,
      cells: l.monthEndStock
    }))
  ]
}

export const stocksCsv = (l: LedgerTotals): string =>
  csv(
    ["date", "month", "financial_year", "year_end", "level", "children"],
    snapshots(l).flatMap((s) =>
      OPEN_LEVELS.map((level) => [
        s.date,
        s.month,
        s.fy,
        String(s.yearEnd),
        level,
        levelCount(s.cells, s.offset, level)
      ])
    )
  )

export const placementsCsv = (l: LedgerTotals): string =>
  csv(
    ["date", "month", "financial_year", "year_end", "placement", "children"],
    snapshots(l).flatMap((s) =>
      PLACEMENTS.map((p, i) => [s.date, s.month, s.fy, String(s.yearEnd), p, s.cells[s.offset + placementCell(i)]])
    )
  )

/** Looked-after children by legal status at the start and each month end (a scenario that models it). */
export const legalStatusCsv = (l: LedgerTotals): string => {
  const legal = l.legal!
  return csv(
    ["date", "month", "financial_year", "year_end", "legal_status", "children"],
    snapshots(l).flatMap((s, k) =>
      LEGAL_STATUSES.map((code, i) => [
        s.date,
        s.month,
        s.fy,
        String(s.yearEnd),
        code,
        k === 0 ? legal.openingStock[i] : legal.monthEndStock[(k - 1) * LS + i]
      ])
    )
  )
}

/** Unaccompanied asylum-seeking children apart, by month (a scenario with UASC). */
export const uascCsv = (l: LedgerTotals): string => {
  const u = l.uasc!
  const cal = l.calendar
  return csv(
    [
      "date",
      "month",
      "financial_year",
      "year_end",
      "looked_after",
      "care_leavers",
      "started_care",
      "left_care",
      "became_care_leavers"
    ],
    cal.months.map((m, i) => [
      m.endDate,
      m.label,
      cal.financialYears[m.fy].label,
      String(m.calendarMonth === 2 && m.endDate.endsWith("-03-31")),
      u.inCare[i],
      u.careLeavers[i],
      u.started[i],
      u.leftCare[i],
      u.becameCareLeavers[i]
    ])
  )
}

/** Periods: each month, then each financial year as the sum of its months. */
const periods = (
  l: LedgerTotals
): Array<{ type: "month" | "financial_year"; label: string; months: Array<number> }> => {
  const cal = l.calendar
  return [
    ...cal.months.map((m, i) => ({ type: "month" as const, label: m.label, months: [i] })),
    ...cal.financialYears.map((fy, f) => ({
      type: "financial_year" as const,
      label: fy.label,
      months: cal.months.flatMap((m, i) => (m.fy === f ? [i] : []))
    }))
  ]
}

const sumOver = (a: ArrayLike<number>, months: ReadonlyArray<number>, stride: number, index: number): number => {
  let s = 0
  for (const m of months) s += a[m * stride + index]
  return s
}

export const flowsCsv = (l: LedgerTotals): string => {
  const rows: Array<Array<string | number>> = []
  const C = CLOSURE_REASONS.length
  for (const p of periods(l)) {
    const push = (flow: string, level: string, detail: string, n: number) => {
      if (n !== 0) rows.push([p.type, p.label, flow, level, detail, n])
    }
    push("contact", "", "referred", sumOver(l.contacts, p.months, 2, 1))
    push("contact", "", "not_referred", sumOver(l.contacts, p.months, 2, 0))
    push("referral", "", "new", sumOver(l.referrals, p.months, 2, 0))
    push("referral", "", "re_referral", sumOver(l.referrals, p.months, 2, 1))
    for (const level of OPEN_LEVELS) {
      const to = stateIndex[level]
      for (let from = 0; from < S; from++)
        push("start", level, STATES[from], sumOver(l.starts, p.months, S * S, to * S + from))
    }
    for (const level of OPEN_LEVELS) {
      const from = stateIndex[level]
      for (let to = 0; to < S; to++) push("end", level, STATES[to], sumOver(l.ends, p.months, S * S, from * S + to))
    }
    LEFT_CARE_REASONS.forEach((r, i) =>
      push("left_care", "looked_after", r, sumOver(l.leftCare, p.months, LEFT_CARE_REASONS.length, i))
    )
    for (let from = 0; from < S; from++)
      CLOSURE_REASONS.forEach((r, i) =>
        push("case_closed", STATES[from], r, sumOver(l.closed, p.months, S * C, from * C + i))
      )
    SUPPORT_END_REASONS.forEach((r, i) =>
      push("support_ended", "care_leaver", r, sumOver(l.supportEnded, p.months, SUPPORT_END_REASONS.length, i))
    )
    for (let a = 0; a < P; a++)
      for (let b = 0; b < P; b++)
        push(
          "placement_change",
          "looked_after",
          `${PLACEMENTS[a]}>${PLACEMENTS[b]}`,
          sumOver(l.placementChanges, p.months, P * P, a * P + b)
        )
    const sp = l.stayingPut
    PLACEMENTS.forEach((pl, i) => push("staying_put_began", "care_leaver", pl, sumOver(sp.began, p.months, P, i)))
    STAYING_PUT_END_REASONS.forEach((r, i) =>
      push("staying_put_ended", "care_leaver", r, sumOver(sp.ended, p.months, STAYING_PUT_END_REASONS.length, i))
    )
    const legal = l.legal
    if (legal === null) continue
    const LC = LEFT_CARE_REASONS.length
    LEGAL_STATUSES.forEach((code, i) =>
      push("legal_status_entry", "looked_after", code, sumOver(legal.entries, p.months, LS, i))
    )
    for (let a = 0; a < LS; a++)
      for (let b = 0; b < LS; b++)
        push(
          "legal_status_change",
          "looked_after",
          `${LEGAL_STATUSES[a]}>${LEGAL_STATUSES[b]}`,
          sumOver(legal.changes, p.months, LS * LS, a * LS + b)
        )
    for (let a = 0; a < LS; a++)
      LEFT_CARE_REASONS.forEach((r, i) =>
        push(
          "left_care_by_legal_status",
          "looked_after",
          `${LEGAL_STATUSES[a]}:${r}`,
          sumOver(legal.leftCare, p.months, LS * LC, a * LC + i)
        )
      )
  }
  return csv(["period_type", "period", "flow", "level", "detail", "children"], rows)
}

export const costsCsv = (l: LedgerTotals, spend: Spend): string => {
  const rows: Array<Array<string | number>> = []
  for (const p of periods(l)) {
    for (const line of spend.lines) {
      const q = sumOver(line.quantity, p.months, 1, 0)
      const a = sumOver(line.amount, p.months, 1, 0)
      rows.push([
        p.type,
        p.label,
        spend.budgetLines[line.budgetLine],
        line.name,
        line.kind,
        line.kind === "weekly" || line.kind === "staff" ? q.toFixed(4) : String(q),
        pounds(a)
      ])
    }
  }
  return csv(["period_type", "period", "budget_line", "cost_line", "kind", "quantity", "amount"], rows)
}

/** Four decimals; empty for NaN (a caseload with no worker to divide by). */
const dec = (x: number): string => (Number.isNaN(x) ? "" : x.toFixed(4))

export const workforceCsv = (l: LedgerTotals): string => {
  const rows: Array<Array<string | number>> = []
  const teams = workforceOf(l)
  const line = (t: (typeof teams)[number]) => l.costs.budgetLines[t.team.budgetLine]
  l.calendar.months.forEach((m, i) => {
    for (const t of teams)
      rows.push([
        "month",
        m.label,
        t.team.name,
        line(t),
        dec(t.children[i]),
        t.monthEndChildren[i],
        dec(t.fteNeeded[i]),
        dec(t.permanentFte[i]),
        dec(t.agencyFte[i]),
        dec(t.caseloadPerWorker[i]),
        dec(t.caseloadPerPermanentWorker[i]),
        pounds(t.permanentCost[i]),
        pounds(t.agencyCost[i])
      ])
  })
  const years = teams.map((t) => teamYears(l, t))
  l.calendar.financialYears.forEach((_, f) => {
    teams.forEach((t, k) => {
      const y = years[k][f]
      rows.push([
        "financial_year",
        y.fy,
        t.team.name,
        line(t),
        dec(y.children),
        y.yearEndChildren,
        dec(y.fteNeeded),
        dec(y.permanentFte),
        dec(y.agencyFte),
        dec(y.caseloadPerWorker),
        dec(y.caseloadPerPermanentWorker),
        pounds(y.permanentCost),
        pounds(y.agencyCost)
      ])
    })
  })
  return csv(
    [
      "period_type",
      "period",
      "team",
      "budget_line",
      "children",
      "month_end_children",
      "fte_needed",
      "permanent_fte",
      "agency_fte",
      "caseload_per_worker",
      "caseload_per_permanent_worker",
      "permanent_cost",
      "agency_cost"
    ],
    rows
  )
}

/** Every file `resultFiles` writes: a command removes any of them left in its folder from an earlier run. */
export const RESULT_FILES: ReadonlyArray<string> = [
  "stocks.csv",
  "placements.csv",
  "flows.csv",
  "costs.csv",
  "workforce.csv",
  "services.csv",
  "legal_status.csv",
  "uasc.csv",
  "quotas.csv"
]

/** The result files written only for a scenario that has what they count (legal statuses, UASC). */
export const OPTIONAL_RESULT_FILES: ReadonlyArray<string> = ["legal_status.csv", "uasc.csv", "quotas.csv"]

export const resultFiles = (l: LedgerTotals, spend: Spend): ReadonlyArray<readonly [string, string]> => [
  ["stocks.csv", stocksCsv(l)],
  ["placements.csv", placementsCsv(l)],
  ["flows.csv", flowsCsv(l)],
  ["costs.csv", costsCsv(l, spend)],
  ["workforce.csv", workforceCsv(l)],
  ["services.csv", servicesCsv(l)],
  ...(l.legal === null ? [] : [["legal_status.csv", legalStatusCsv(l)] as const]),
  ...(l.uasc === null ? [] : [["uasc.csv", uascCsv(l)] as const]),
  ...(l.reviews === null ? [] : [["quotas.csv", quotasCsv(l)] as const])
]
