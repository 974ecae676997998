/**
 * Count targets against what was achieved (src/projections/Reviews.ts): quotas.csv, one row per quota and
 * month and one per quota and financial year, and the summary's table of each financial year. The month's
 * `eligible` is the children eligible at its first round; a financial year's is left empty (children
 * eligible in different months are not a count to add up).
 */
import { REVIEW_OUTCOMES } from "../domain/Level.js"
import { escapeControl } from "../domain/Show.js"
import type { LedgerTotals } from "../projections/Ledger.js"
import type { QuotaMonthly } from "../projections/Reviews.js"
import { count, csv } from "./Format.js"
import { heading, type Row, table } from "./Table.js"

const R = REVIEW_OUTCOMES.length
const ENDED = REVIEW_OUTCOMES.indexOf("ended")
const SHORTENED = REVIEW_OUTCOMES.indexOf("shortened")
const NO_PLACE = REVIEW_OUTCOMES.indexOf("no_place")

interface Period {
  readonly target: number
  /** By outcome. */
  readonly outcomes: ReadonlyArray<number>
}

const period = (q: QuotaMonthly, months: ReadonlyArray<number>): Period => {
  let target = 0
  const outcomes = new Array<number>(R).fill(0)
  for (const m of months) {
    target += q.target[m]
    for (let o = 0; o < R; o++) outcomes[o] += q.reviews[m * R + o]
  }
  return { target, outcomes }
}

/** Children reviewed: every outcome but `no_place` (chosen, but no place free). */
const reviewed = (p: Period): number => p.outcomes.reduce((s, n, o) => (o === NO_PLACE ? s : s + n), 0)

export const quotasCsv = (l: LedgerTotals): string => {
  const cal = l.calendar
  const rows: Array<Array<string | number>> = []
  const row = (type: string, label: string, fy: string, q: QuotaMonthly, p: Period, eligible: number | "") =>
    rows.push([type, label, fy, q.name, p.target, eligible, reviewed(p), ...p.outcomes, p.target - reviewed(p)])
  for (const q of l.reviews?.quotas ?? []) {
    cal.months.forEach((month, m) =>
      row("month", month.label, cal.financialYears[month.fy].label, q, period(q, [m]), q.eligible[m])
    )
    cal.financialYears.forEach((fy, f) => {
      const months = cal.months.flatMap((month, m) => (month.fy === f ? [m] : []))
      row("financial_year", fy.label, fy.label, q, period(q, months), "")
    })
  }
  return csv(
    [
      "period_type",
      "period",
      "financial_year",
      "intervention",
      "target",
      "eligible",
      "reviewed",
      ...REVIEW_OUTCOMES,
      "short_of_target"
    ],
    rows
  )
}

/** The summary's table: each quota's target and what was achieved, by financial year. Empty without quotas. */
export const quotasText = (l: LedgerTotals): string => {
  const quotas = l.reviews?.quotas ?? []
  if (quotas.length === 0) return ""
  const cal = l.calendar
  const fys = cal.financialYears
  const rows: Array<Row> = []
  for (const q of quotas) {
    const years = fys.map((_, f) =>
      period(
        q,
        cal.months.flatMap((month, m) => (month.fy === f ? [m] : []))
      )
    )
    rows.push(heading(escapeControl(q.name)))
    rows.push(["  target", ...years.map((p) => count(p.target))])
    rows.push(["  reviewed", ...years.map((p) => count(reviewed(p)))])
    rows.push(["    stay ended", ...years.map((p) => count(p.outcomes[ENDED]))])
    rows.push(["    stay shortened", ...years.map((p) => count(p.outcomes[SHORTENED]))])
    if (years.some((p) => p.outcomes[NO_PLACE] > 0))
      rows.push(["  chosen, no place free", ...years.map((p) => count(p.outcomes[NO_PLACE]))])
  }
  return [
    "Count targets (quotas) against what was achieved, by financial year",
    table({ header: ["", ...fys.map((fy) => fy.label)], rows })
  ].join("\n")
}
