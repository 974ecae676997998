/**
 * Budgets compared like with like.
 *
 * A council's budget is set for a whole financial year (1 April - 31 March). A run that starts on any other
 * day (1 October, say) covers only part of its first financial year, and, because it lasts whole calendar
 * years, part of its last. Spend in a part year is never compared with the whole year's budget: the
 * budget is pro-rated by days, budget x (days covered / days in the year), which is what finance teams do
 * for a part year when they have nothing better (no monthly phasing of the budget), and every table and CSV
 * that compares says so: its basis is `full_year` or `pro_rata_<days>_of_<n>` (e.g. pro_rata_182_of_365).
 * Probabilities of overspending, and expected overspend, are then for the days the run covers.
 *
 * Which budget applies: a budget line's budget for a year is the scenario's `budgetLines[].budget` figure
 * (or a `--budget` flag's); a year's total budget is the flag `--budget YEAR=...` if given, otherwise the
 * sum of the line budgets when every budget line has one for that year (otherwise there is no total
 * budget: spend on lines without a budget would be compared with nothing).
 */
import { type Calendar, daysFromCivil } from "../domain/Calendar.js"

/** The UK financial year (1 April - 31 March) of an ISO date, as "2025/26". */
export const financialYearOf = (iso: string): string => {
  const y = Number(iso.slice(0, 4))
  const first = Number(iso.slice(5, 7)) >= 4 ? y : y - 1
  return `${first}/${String((first + 1) % 100).padStart(2, "0")}`
}

/** Days in a whole financial year, from its label: 366 when it holds a 29 February, else 365. */
export const financialYearDays = (label: string): number => {
  const first = Number(label.slice(0, 4))
  return daysFromCivil(first + 1, 4, 1) - daysFromCivil(first, 4, 1)
}

/** How much of a financial year a run covers. */
export interface YearCoverage {
  readonly label: string
  /** Days of the year inside the run. */
  readonly days: number
  /** Days in the whole year (365 or 366). */
  readonly yearDays: number
  /** First and last day of the year inside the run. */
  readonly from: string
  readonly to: string
}

/** Each financial year of a run, with the days of it the run covers. */
export const yearCoverage = (cal: Calendar): Array<YearCoverage> =>
  cal.financialYears.map((fy) => ({
    label: fy.label,
    days: fy.end - fy.start,
    yearDays: financialYearDays(fy.label),
    from: cal.dateOf(fy.start),
    to: cal.dateOf(fy.end - 1)
  }))

export const isPartYear = (c: Pick<YearCoverage, "days" | "yearDays">): boolean => c.days < c.yearDays

/** The basis of a budget compared with a year's spend: `full_year` or `pro_rata_<days>_of_<n>`. */
export const budgetBasis = (c: Pick<YearCoverage, "days" | "yearDays">): string =>
  isPartYear(c) ? `pro_rata_${c.days}_of_${c.yearDays}` : "full_year"

/** The same for a printed table: "full year" or "182/365 days". */
export const budgetBasisText = (c: Pick<YearCoverage, "days" | "yearDays">): string =>
  isPartYear(c) ? `${c.days}/${c.yearDays} days` : "full year"

/** A whole year's budget in pennies, pro-rated by days to the part of the year the run covers (to the penny). */
export const proRataPennies = (pennies: number, c: Pick<YearCoverage, "days" | "yearDays">): number =>
  isPartYear(c) ? Math.round((pennies * c.days) / c.yearDays) : pennies

/** The sentence a table with a pro-rated budget ends with. */
export const proRataNote = (c: YearCoverage, fullYear: string, proRated: string): string =>
  `${c.label}: the run covers ${c.from} to ${c.to}, ${c.days} of the year's ${c.yearDays} days; its budget ` +
  `(${fullYear} for the whole year) is pro-rated by days to ${proRated}, and spend, variance and ` +
  `overspend figures are for those ${c.days} days`

export interface BudgetContext {
  readonly financialYears: ReadonlyArray<string>
  readonly budgetLines: ReadonlyArray<string>
  /** The scenario's budgets: line name -> financial year -> pounds. */
  readonly scenario: ReadonlyArray<{
    readonly name: string
    readonly budget?: { readonly [fy: string]: number } | undefined
  }>
}

/**
 * Whole-year budgets in pennies for each spend cell, [fy * (lines + 1) + line] (line = lines: the total;
 * null: no budget), from the scenario's line budgets with `given` (cell -> pounds, from flags) replacing
 * them. A total is given, or the sum of the line budgets when every line has one.
 */
export const budgetCells = (
  ctx: BudgetContext,
  given: ReadonlyMap<number, number> = new Map()
): Array<number | null> => {
  const F = ctx.financialYears.length
  const B = ctx.budgetLines.length
  const pounds: Array<number | null> = new Array<number | null>(F * (B + 1)).fill(null)
  ctx.financialYears.forEach((fy, f) =>
    ctx.budgetLines.forEach((line, b) => {
      const v = ctx.scenario.find((l) => l.name === line)?.budget?.[fy]
      if (v !== undefined) pounds[f * (B + 1) + b] = v
    })
  )
  for (const [cell, v] of given) pounds[cell] = v
  const pennies = pounds.map((p) => (p === null ? null : Math.round(p * 100)))
  for (let f = 0; f < F; f++) {
    const total = f * (B + 1) + B
    if (given.has(total)) continue
    let sum = 0
    let all = B > 0
    for (let b = 0; b < B; b++) {
      const v = pennies[f * (B + 1) + b]
      if (v === null) all = false
      else sum += v
    }
    pennies[total] = all ? sum : null
  }
  return pennies
}
