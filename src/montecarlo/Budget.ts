/**
 * Budgets to compare spend with, by financial year and budget line, from the scenario
 * (`budgetLines[].budget`) and the command line.
 *
 * On the command line, `--budget` is repeatable:
 *
 *   --budget 2025/26=80.081m                                              the total of all lines
 *   --budget "2025/26:Looked After Children (External Placements)=28.0m"  one budget line
 *
 * An amount is pounds, with an optional £, thousands commas and a k / m / bn suffix: `80.081m`,
 * `£80,081,000`, `500k`; a minus sign makes it net income (`-6.4m`). A flag replaces the scenario's figure
 * for that year and line. A year's total budget is the `--budget YEAR=...` figure if given, otherwise the
 * sum of the line budgets when every budget line has one for that year; otherwise that year has no total
 * budget (and no overspend figures). A budget is a whole year's: for a year the run covers in part it is
 * pro-rated by days (report/Budget.ts).
 */
import * as Either from "effect/Either"
import { excerpt } from "../domain/Show.js"
import { type BudgetContext, budgetCells } from "../report/Budget.js"
import { MAX_POUNDS } from "../scenario/Scenario.js"

export interface BudgetFlag {
  readonly text: string
  readonly financialYear: string
  /** null: the total of all lines. */
  readonly line: string | null
  readonly pounds: number
}

/**
 * Pounds from `80.081m`, `£80,081,000`, `500k`, `1.2bn`; null if not an amount. A minus sign before or after
 * the £ (`-6.4m`, `-£6.4m`, `£-6.4m`) is a budget of net income, as a scenario's line budget may be (a grant
 * line's).
 */
export const parseAmount = (text: string): number | null => {
  const m = /^(-?)\s*£?\s*(-?)\s*(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*(k|m|bn)?$/i.exec(text.trim())
  if (m === null || (m[1] !== "" && m[2] !== "")) return null
  const base = Number(`${m[3].replace(/,/g, "")}${m[4] ?? ""}`)
  const scale = m[5] === undefined ? 1 : { k: 1e3, m: 1e6, bn: 1e9 }[m[5].toLowerCase() as "k" | "m" | "bn"]
  const pounds = Math.round(base * scale * 100) / 100
  if (!Number.isFinite(pounds)) return null
  return m[1] === "" && m[2] === "" ? pounds : 0 - pounds || 0 // never -0
}

const SYNTAX = `expected YEAR=AMOUNT or "YEAR:BUDGET LINE=AMOUNT", e.g. 2025/26=80.081m or "2025/26:Early Help=4.7m"`

/** Parses one `--budget` value (the year and line are checked against the run in `resolveBudgets`). */
export const parseBudgetFlag = (text: string): Either.Either<BudgetFlag, string> => {
  const eq = text.lastIndexOf("=")
  if (eq < 0) return Either.left(`--budget: ${SYNTAX}, found "${excerpt(text)}"`)
  const target = text.slice(0, eq).trim()
  const amountText = text.slice(eq + 1)
  const t = /^(\d{4}\/\d{2})(?:\s*:\s*(.+))?$/.exec(target)
  if (t === null) return Either.left(`--budget: ${SYNTAX}, found "${excerpt(text)}"`)
  const pounds = parseAmount(amountText)
  if (pounds === null)
    return Either.left(
      `--budget "${excerpt(text)}": expected an amount in pounds such as 80.081m, £80,081,000 or 500k, ` +
        `found "${excerpt(amountText)}"`
    )
  if (Math.abs(pounds) > MAX_POUNDS)
    return Either.left(
      `--budget "${excerpt(text)}": expected an amount from -£1,000bn to £1,000bn (as a scenario's budgets), ` +
        `found "${excerpt(amountText)}"`
    )
  return Either.right({ text, financialYear: t[1], line: t[2] === undefined ? null : t[2].trim(), pounds })
}

export type { BudgetContext }

const names = (lines: ReadonlyArray<string>): string => lines.map((l) => excerpt(l)).join("; ")

/**
 * Whole-year budgets in pennies for each spend cell, [fy * (lines + 1) + line] (line = lines: the total),
 * or a message naming the flag that does not fit the run. A flag for a year the run does not cover at all
 * is refused (there is no spend to compare it with); a flag for a year the run covers in part is taken as
 * that year's whole budget and pro-rated by days like the scenario's (see report/Budget.ts).
 */
export const resolveBudgets = (
  ctx: BudgetContext,
  flags: ReadonlyArray<BudgetFlag>
): Either.Either<Array<number | null>, string> => {
  const F = ctx.financialYears.length
  const B = ctx.budgetLines.length
  const given = new Map<number, number>()
  const givenBy = new Map<number, string>()
  for (const flag of flags) {
    const f = ctx.financialYears.indexOf(flag.financialYear)
    if (f < 0)
      return Either.left(
        `--budget "${excerpt(flag.text)}": ${flag.financialYear} is not a financial year of this run ` +
          `(${ctx.financialYears[0]} to ${ctx.financialYears[F - 1]}): the run has no spend in it to compare ` +
          `with a budget`
      )
    let b = B
    if (flag.line !== null) {
      const name = flag.line
      b = ctx.budgetLines.indexOf(name)
      if (b < 0) {
        const folded = ctx.budgetLines.flatMap((l, i) => (l.toLowerCase() === name.toLowerCase() ? [i] : []))
        if (folded.length === 1) b = folded[0]
        else
          return Either.left(
            `--budget "${excerpt(flag.text)}": expected one of the budget lines (${names(ctx.budgetLines)}), ` +
              `found "${excerpt(name)}"`
          )
      }
    }
    const cell = f * (B + 1) + b
    const prior = givenBy.get(cell)
    if (prior !== undefined)
      return Either.left(
        `--budget "${excerpt(flag.text)}": the same year and line is also given by --budget "${excerpt(prior)}"`
      )
    givenBy.set(cell, flag.text)
    given.set(cell, flag.pounds)
  }
  return Either.right(budgetCells(ctx, given))
}
