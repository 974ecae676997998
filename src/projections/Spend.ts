/**
 * Spend by cost line and budget line, per month and financial year, derived from the ledger:
 * weekly lines = child-days in their cells x daily unit cost of the month's financial year (UASC's own lines
 * and grants: UASC child-days in care or as care leavers, a grant as a negative amount); one-off lines
 * as incurred; fixed lines pro rata to the days of each month within its (whole) financial year; each
 * workforce team's permanent and agency staff (see `Workforce.ts`) as two "staff" lines on its budget line.
 */
import type { LedgerTotals } from "./Ledger.js"
import type { Calendar } from "../domain/Calendar.js"
import { CELL_COUNT } from "../domain/Level.js"
import { grouped } from "../domain/Show.js"
import { staffLineNames } from "../scenario/Scenario.js"
import { workforceOf } from "./Workforce.js"

export type CostKind = "weekly" | "one_off" | "fixed" | "intervention" | "staff"

export interface CostLineSpend {
  readonly name: string
  readonly kind: CostKind
  readonly budgetLine: number
  /** The intervention the line belongs to (the investment in a comparison), or null. */
  readonly intervention: string | null
  /** By month: child-days (weekly), times incurred (one-off), days (fixed) or FTE-days (staff). */
  readonly quantity: Float64Array
  /** By month, in pounds. */
  readonly amount: Float64Array
}

export interface Spend {
  readonly lines: ReadonlyArray<CostLineSpend>
  readonly budgetLines: ReadonlyArray<string>
  /** [month * budgetLines + b] */
  readonly byBudgetLineMonth: Float64Array
  /** [fy * budgetLines + b]: the sum of the budget line's cost lines, each line's year rounded to the penny
   * first, so that a year's cost lines, budget lines and total add up to the penny in every output. */
  readonly byBudgetLineFy: Float64Array
}

/** Pounds to whole pennies, half away from zero. */
export const toPennies = (pounds: number): number => {
  const p = Math.round(Math.abs(pounds) * 100)
  return p === 0 ? 0 : pounds < 0 ? -p : p
}

export const spendOf = (l: LedgerTotals): Spend => {
  const months = l.calendar.months
  const n = months.length
  const lines: Array<CostLineSpend> = []
  for (const w of l.costs.weekly) {
    const quantity = new Float64Array(n)
    const amount = new Float64Array(n)
    for (let m = 0; m < n; m++) {
      let days = 0
      for (const c of w.cells) days += l.childDays[m * CELL_COUNT + c]
      if (w.statuses !== null && l.legal !== null)
        for (let s = 0; s < w.statuses.length; s++)
          if (w.statuses[s] === 1) days += l.legal.days[m * w.statuses.length + s]
      quantity[m] = days
      amount[m] = days * w.dailyByFy[months[m].fy]
      // A dated price change (changes: price) multiplies the month's price.
      if (w.monthFactor) amount[m] *= w.monthFactor[m]
    }
    lines.push({ name: w.name, kind: "weekly", budgetLine: w.budgetLine, intervention: null, quantity, amount })
  }
  // UASC's own weekly costs and grants (income: negative amounts), on UASC child-days.
  for (const u of l.costs.uasc) {
    const days = u.inCare ? l.uasc!.daysInCare : l.uasc!.daysAsCareLeavers
    const quantity = Float64Array.from(days)
    const amount = Float64Array.from(days, (d, m) => d * u.dailyByFy[months[m].fy])
    const kind = "weekly"
    lines.push({ name: u.name, kind, budgetLine: u.budgetLine, intervention: null, quantity, amount })
  }
  // Staying-put arrangements' weekly costs, on their days.
  for (const w of l.costs.stayingPut) {
    const quantity = Float64Array.from(l.stayingPut.days)
    const amount = Float64Array.from(quantity, (d, m) => d * w.dailyByFy[months[m].fy])
    lines.push({ name: w.name, kind: "weekly", budgetLine: w.budgetLine, intervention: null, quantity, amount })
  }
  const k = l.costs.oneOff.length
  l.costs.oneOff.forEach((o, i) => {
    const quantity = new Float64Array(n)
    const amount = new Float64Array(n)
    for (let m = 0; m < n; m++) {
      quantity[m] = l.oneOffCount[m * k + i]
      amount[m] = l.oneOffAmount[m * k + i]
    }
    lines.push({
      name: o.name,
      kind: o.intervention === null ? "one_off" : "intervention",
      budgetLine: o.budgetLine,
      intervention: o.intervention,
      quantity,
      amount
    })
  })
  for (const f of l.costs.fixed) {
    const quantity = new Float64Array(n)
    const amount = new Float64Array(n)
    for (let m = 0; m < n; m++) {
      const days = months[m].end - months[m].start
      quantity[m] = days
      amount[m] = (f.perYearByFy[months[m].fy] * days) / l.costs.fyFullDays[months[m].fy]
    }
    lines.push({ name: f.name, kind: "fixed", budgetLine: f.budgetLine, intervention: null, quantity, amount })
  }
  for (const s of l.costs.scheduled) {
    const quantity = Float64Array.from(months, (m) => m.end - m.start)
    lines.push({
      name: s.name,
      kind: "intervention",
      budgetLine: s.budgetLine,
      intervention: s.intervention,
      quantity,
      amount: s.amountByMonth
    })
  }
  for (const p of workforceOf(l)) {
    const names = staffLineNames(p.team.name)
    const fteDays = (fte: Float64Array) => Float64Array.from(months, (m, i) => fte[i] * (m.end - m.start))
    lines.push({
      name: names.permanent,
      kind: "staff",
      budgetLine: p.team.budgetLine,
      intervention: null,
      quantity: fteDays(p.permanentFte),
      amount: p.permanentCost
    })
    lines.push({
      name: names.agency,
      kind: "staff",
      budgetLine: p.team.budgetLine,
      intervention: null,
      quantity: fteDays(p.agencyFte),
      amount: p.agencyCost
    })
  }
  const b = l.costs.budgetLines.length
  const fyCount = l.calendar.financialYears.length
  const byBudgetLineMonth = new Float64Array(n * b)
  const pennies = new Float64Array(fyCount * b)
  const lineFy = new Float64Array(fyCount)
  for (const line of lines) {
    lineFy.fill(0)
    for (let m = 0; m < n; m++) {
      byBudgetLineMonth[m * b + line.budgetLine] += line.amount[m]
      lineFy[months[m].fy] += line.amount[m]
    }
    for (let f = 0; f < fyCount; f++) pennies[f * b + line.budgetLine] += toPennies(lineFy[f])
  }
  const byBudgetLineFy = pennies.map((p) => p / 100)
  return { lines, budgetLines: l.costs.budgetLines, byBudgetLineMonth, byBudgetLineFy }
}

/**
 * The most a run may spend, in pounds, counting every cost line's every year as a positive amount: ten
 * trillion pounds, 10^15 pennies, well inside the 2^53 (about 9 x 10^15) up to which whole pennies add up
 * exactly in floating point. A council spends about 10^8 a year and England about 10^10, so only a scenario
 * with absurd prices or inflation reaches it; past it the year's lines, budget lines and total would no
 * longer add up to the penny.
 */
export const MAX_EXACT_SPEND = 10_000_000_000_000

/** What each kind of cost line's amount is written as in a scenario. */
const AMOUNT_FIELD: Record<CostKind, string> = {
  weekly: "its perWeek",
  one_off: "its amount",
  fixed: "its perYear",
  intervention: "the intervention's costs",
  staff: "the team's salaries"
}

/** An amount for a message: whole pounds with separators, or three figures and a power of ten when huge. */
const amountText = (x: number): string => {
  const a = Math.abs(x)
  const text = a < 1e15 ? grouped(Math.round(a)) : a.toPrecision(3).replace("e+", "e")
  return x < 0 ? `-£${text}` : `£${text}`
}

/**
 * Null, or why the run's spend cannot be given to the penny: its cost lines' years add up (as positive
 * amounts) beyond `MAX_EXACT_SPEND`. The message names the largest line and year, and the fields to check.
 */
export const spendProblem = (spend: Spend, calendar: Calendar): string | null => {
  const months = calendar.months
  const years = calendar.financialYears
  const lineFy = new Float64Array(years.length)
  let all = 0
  let top = { line: -1, fy: 0, size: 0, amount: 0 }
  spend.lines.forEach((line, i) => {
    lineFy.fill(0)
    for (let m = 0; m < months.length; m++) lineFy[months[m].fy] += line.amount[m]
    for (let f = 0; f < years.length; f++) {
      const a = Math.abs(lineFy[f])
      all += a // a NaN (infinity times zero) makes `all` NaN: beyond the limit
      if (top.line < 0 || a > top.size) top = { line: i, fy: f, size: a, amount: lineFy[f] }
    }
  })
  if (all <= MAX_EXACT_SPEND) return null
  const line = spend.lines[top.line]
  const text = (x: number) => (Number.isFinite(x) ? amountText(x) : "beyond any number")
  return (
    `the run's spend would be ${text(all)} in all, over the ${amountText(MAX_EXACT_SPEND)} up to which caseflow ` +
    `adds pennies exactly; the largest is the cost line "${line.name}" (${line.kind.replace("_", "-")}), ` +
    `${text(top.amount)} in ${years[top.fy].label}: check ${AMOUNT_FIELD[line.kind]}, the costs' inflation ` +
    "and their dated changes"
  )
}
