/**
 * Actual spend to date, as a finance team exports it from the ledger: one row per budget line and month
 * (several rows for one line and month, e.g. by cost centre, are added up), other columns ignored.
 *
 *   budget_line,month,amount
 *   Looked After Children (External Placements),2023-04,"2,417,300.12"
 *   Looked After Children (External Placements),Apr-23,(1250.00)        <- a credit: parentheses or a minus
 *
 * Headings in any order and case ("Budget line", "budget_line"; also "service" for the line, "period" for
 * the month, "actual" or "spend" for the amount). A month is `2023-04`, a date in it (`2023-04-30`), or
 * `Apr 2023` / `Apr-23` / `April 2023`. An amount is pounds, with an optional £, thousands commas, a
 * minus or parentheses for a credit, and `-` for nothing; it is kept to the penny.
 *
 * Every row is checked: its budget line must be one of the scenario's (an unknown one is named with the
 * closest), its month within the financial year being forecast and before the as-of date, every month from
 * 1 April to the as-of date must have at least one row (a line with no spend in a month may be left out),
 * and every problem names the line, the column, what was expected and what was found.
 */
import { daysFromCivil, financialYearLabel } from "../domain/Calendar.js"
import { excerpt, show } from "../domain/Show.js"
import { closest } from "../scenario/Problems.js"
import { type CsvProblem, readCsv, stopReading } from "./Csv.js"

export interface ActualsContext {
  /** The scenario's budget lines, in its order. */
  readonly budgetLines: ReadonlyArray<string>
  /** The as-of date: the first day simulated (the first day of a month). */
  readonly asOf: string
}

export interface Actuals {
  /** Months with actuals, `YYYY-MM`, from 1 April of the as-of date's financial year to the month before it. */
  readonly months: ReadonlyArray<string>
  /** Pennies by budget line (in the context's order) and month: [line][month]. */
  readonly byLineMonth: ReadonlyArray<ReadonlyArray<number>>
  /** Pennies by budget line, then the total: [line], [lines]. */
  readonly toDate: ReadonlyArray<number>
  /** Data rows read (blank rows aside). */
  readonly rows: number
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
const MONTH_NAMES = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december"
]

/** The month `text` names as [year, month 1-12], or null. */
export const parseMonth = (text: string): readonly [number, number] | null => {
  const t = text.trim()
  let m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(t)
  if (m !== null) {
    const y = Number(m[1])
    const mo = Number(m[2])
    if (mo < 1 || mo > 12 || y < 1900 || y > 2199) return null
    if (m[3] !== undefined) {
      const d = Number(m[3])
      const last = new Date(Date.UTC(y, mo, 0)).getUTCDate()
      if (d < 1 || d > last) return null
    }
    return [y, mo]
  }
  m = /^([A-Za-z]+)[\s-]+(\d{2}|\d{4})$/.exec(t)
  if (m === null) return null
  const name = m[1].toLowerCase()
  const i = name.length === 3 ? MONTHS.indexOf(name) : MONTH_NAMES.indexOf(name)
  if (i < 0) return null
  const y = m[2].length === 2 ? 2000 + Number(m[2]) : Number(m[2])
  return y < 1900 || y > 2199 ? null : [y, i + 1]
}

/** Pennies from `2,417,300.12`, `£1250`, `-1250.5`, `(1,250.00)` or `-` (nothing); null if not an amount. */
export const parsePennies = (text: string): number | null => {
  const t = text.trim()
  if (t === "-") return 0
  const m = /^(\()?\s*(-)?\s*£?\s*(-)?\s*(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*(\))?$/.exec(t)
  if (m === null) return null
  const paren = m[1] !== undefined
  if (paren !== (m[6] !== undefined)) return null
  const minus = m[2] !== undefined || m[3] !== undefined
  if (m[2] !== undefined && m[3] !== undefined) return null
  const pounds = Number(`${m[4].replace(/,/g, "")}${m[5] ?? ""}`)
  if (!Number.isFinite(pounds) || pounds > 1e12) return null
  const p = Math.round(pounds * 100)
  return paren || minus ? (p === 0 ? 0 : -p) : p
}

const monthLabel = (y: number, mo: number): string => `${y}-${String(mo).padStart(2, "0")}`
const monthName = (y: number, mo: number): string =>
  `${MONTH_NAMES[mo - 1][0].toUpperCase()}${MONTH_NAMES[mo - 1].slice(1)} ${y}`

/** The as-of date's problem as a flag value (it must be the first day of a month), or null. */
export const asOfProblem = (asOf: string): string | null =>
  /^\d{4}-\d{2}-01$/.test(asOf)
    ? null
    : `expected the first day of a month (actuals are monthly: 2023-11-01 forecasts from 1 November with ` +
      `actuals to 31 October), found ${show(asOf)}`

/** The financial year of a date `YYYY-MM-DD`, and its months from 1 April up to (not including) the date's. */
export const monthsToDate = (asOf: string): { readonly financialYear: string; readonly months: Array<string> } => {
  const y = Number(asOf.slice(0, 4))
  const mo = Number(asOf.slice(5, 7))
  const fyStart = mo >= 4 ? y : y - 1
  const months: Array<string> = []
  for (let k = 0; ; k++) {
    const cy = fyStart + Math.floor((3 + k) / 12)
    const cm = ((3 + k) % 12) + 1
    if (daysFromCivil(cy, cm, 1) >= daysFromCivil(y, mo, 1)) break
    months.push(monthLabel(cy, cm))
  }
  return { financialYear: financialYearLabel(fyStart), months }
}

const fold = (s: string): string => s.trim().replace(/\s+/g, " ").toLowerCase()

/** Reads an actuals CSV; returns the actuals or every problem found. */
export const readActuals = (
  text: string,
  ctx: ActualsContext
): { readonly actuals: Actuals; readonly problems: ReadonlyArray<CsvProblem> } => {
  const B = ctx.budgetLines.length
  const { financialYear, months } = monthsToDate(ctx.asOf)
  const byLineMonth = ctx.budgetLines.map(() => months.map(() => 0))
  const seen = months.map(() => false)
  const empty = { months, byLineMonth, toDate: new Array<number>(B + 1).fill(0), rows: 0 }
  const csv = readCsv(text, [
    { name: "budget_line", required: true, aliases: ["budget line", "service", "line"] },
    { name: "month", required: true, aliases: ["period"] },
    { name: "amount", required: true, aliases: ["actual", "actuals", "spend"] }
  ])
  if (csv.problems.length > 0) return { actuals: empty, problems: csv.problems }
  const problems: Array<CsvProblem> = []
  const byName = new Map(ctx.budgetLines.map((l, i) => [l, i]))
  const byFolded = new Map<string, number>()
  ctx.budgetLines.forEach((l, i) => byFolded.set(fold(l), byFolded.has(fold(l)) ? -1 : i))
  const lines = ctx.budgetLines.map((l) => excerpt(l)).join("; ")
  const firstMonth = months[0] ?? null
  let rows = 0
  for (const row of csv.rows) {
    if (stopReading(problems, row.line)) break
    const line = row.get("budget_line") ?? ""
    const month = row.get("month") ?? ""
    const amount = row.get("amount") ?? ""
    if (line.trim() === "" && month.trim() === "" && amount.trim() === "") continue
    rows++
    const at = (column: string, message: string) => problems.push({ line: row.line, column, message })
    let b = byName.get(line) ?? byFolded.get(fold(line)) ?? -1
    if (b < 0) {
      const near = closest(line, ctx.budgetLines)
      at(
        "budget_line",
        `expected one of the scenario's budget lines (${lines}), found ${show(line)}` +
          (near !== undefined ? ` (did you mean ${show(near)}?)` : "")
      )
      b = -1
    }
    const ym = parseMonth(month)
    let mi = -1
    if (ym === null)
      at("month", `expected a month such as 2023-04, 2023-04-30, Apr 2023 or Apr-23, found ${show(month)}`)
    else {
      const label = monthLabel(ym[0], ym[1])
      mi = months.indexOf(label)
      if (mi < 0) {
        const after =
          daysFromCivil(ym[0], ym[1], 1) >= daysFromCivil(Number(ctx.asOf.slice(0, 4)), Number(ctx.asOf.slice(5, 7)), 1)
        at(
          "month",
          after
            ? `expected a month before the as-of date ${ctx.asOf} (actuals to date; the rest is forecast), ` +
                `found ${show(month)} (${monthName(ym[0], ym[1])})`
            : `expected a month of the financial year ${financialYear} being forecast` +
                (firstMonth === null ? "" : ` (${firstMonth} to ${months[months.length - 1]})`) +
                `, found ${show(month)} (${monthName(ym[0], ym[1])})`
        )
      }
    }
    const p = parsePennies(amount)
    if (p === null)
      at(
        "amount",
        `expected an amount in pounds such as 2417300.12, "£2,417,300.12", -1250 or (1,250.00), found ${show(amount)}`
      )
    if (b >= 0 && mi >= 0 && p !== null) {
      byLineMonth[b][mi] += p
      seen[mi] = true
    }
  }
  if (problems.length === 0) {
    const missing = months.filter((_, i) => !seen[i])
    if (missing.length > 0)
      problems.push({
        line: null,
        column: null,
        message:
          `expected actuals for every month from ${months[0]} to the as-of date ${ctx.asOf}, found none for ` +
          `${missing.join(", ")} (a month with no spend on a line may leave that line out, not the whole month)`
      })
  }
  const toDate = byLineMonth.map((ms) => ms.reduce((a, x) => a + x, 0))
  toDate.push(toDate.reduce((a, x) => a + x, 0))
  // Pennies stay exact integers below 2^53; a trillion pounds to date is not a council's.
  if (problems.length === 0 && byLineMonth.some((ms) => ms.some((x) => Math.abs(x) > 1e14)))
    problems.push({
      line: null,
      column: null,
      message: "expected at most £1,000,000,000,000 on a line in a month, found more"
    })
  return { actuals: { months, byLineMonth, toDate, rows }, problems }
}
