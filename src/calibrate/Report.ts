/**
 * The calibration's outputs: the calibration table and the dirty-data problems as CSV files, and the text
 * printed about them (what was read, the problems by rule with their handling, the table).
 *
 * Values from the input files (a child's identifier, a value found) are written to the problems CSV as
 * found, except that one beginning with `=`, `+`, `-` or `@` is prefixed with `'`, so a spreadsheet does not
 * run it as a formula.
 */
import { isoOfEpochDay } from "../domain/Calendar.js"
import { grouped } from "../domain/Show.js"
import { csv, decimal, MISSING, percent } from "../report/Format.js"
import { paragraph, table } from "../report/Table.js"

/** Lines of prose, each wrapped to the printed width. */
const paragraphs = (lines: ReadonlyArray<string>): string => lines.map((l) => paragraph(l)).join("\n")
import type { Histories } from "../ssda903/Clean.js"
import type { Returns } from "../ssda903/Read.js"
import { type Problem, RULES, summaryByRule } from "../ssda903/Rules.js"
import type { ChildInCare, Estimate, Window } from "./Estimates.js"

export const TABLE_COLUMNS = [
  "measure",
  "breakdown",
  "value",
  "lower_95",
  "upper_95",
  "observations",
  "unit",
  "method",
  "source"
] as const

export const PROBLEM_COLUMNS = ["file", "line", "child", "rule", "field", "value", "handling", "rule_title"] as const

export const CHILDREN_COLUMNS = [
  "child",
  "date_of_birth",
  "age",
  "sex",
  "uasc",
  "placement",
  "legal_status",
  "period_start",
  "period_start_known",
  "days_in_care",
  "episode_start"
] as const

/** A number for a CSV: ten significant digits at most, no exponent for ordinary sizes. */
const number = (x: number | null): string => (x === null ? "" : String(Number(x.toPrecision(10))))

/** A value from an input file, safe to open in a spreadsheet. */
export const cellText = (v: string): string => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v)

export const tableCsv = (estimates: ReadonlyArray<Estimate>): string =>
  csv(
    TABLE_COLUMNS,
    estimates.map((e) => [
      e.measure,
      e.breakdown,
      number(e.value),
      number(e.lower),
      number(e.upper),
      e.observations,
      e.unit,
      e.method,
      e.source
    ])
  )

export const problemsCsv = (problems: ReadonlyArray<Problem>): string =>
  csv(
    PROBLEM_COLUMNS,
    problems.map((p) => [
      cellText(p.file),
      p.line,
      cellText(p.child),
      p.rule,
      p.field,
      cellText(p.value),
      RULES[p.rule].handling,
      RULES[p.rule].title
    ])
  )

/**
 * The children in care on a day, one row each: the individual children a run from the next day starts with.
 * `period_start_known` is false where the period began before the data with an episode other than its first
 * (its start is then the earliest episode seen, and the time in care at least `days_in_care`).
 */
export const childrenCsv = (kids: ReadonlyArray<ChildInCare>): string =>
  csv(
    CHILDREN_COLUMNS,
    kids.map((k) => [
      cellText(k.child),
      k.dob === null ? "" : isoOfEpochDay(k.dob),
      k.age === null ? "" : k.age,
      k.sex,
      k.uasc ? "yes" : "no",
      k.placement,
      k.legalStatus,
      isoOfEpochDay(k.periodStart),
      k.startKnown ? "yes" : "no",
      k.daysInCare,
      isoOfEpochDay(k.episodeStart)
    ])
  )

/** How a value is printed, by its unit. */
const shown = (x: number | null, unit: string): string => {
  if (x === null) return MISSING
  if (unit === "share") return percent(x, 1)
  if (unit === "days" || unit === "children") return grouped(Math.round(x))
  if (unit.startsWith("ratio") || unit === "shape") return decimal(Math.round(x * 1000) / 1000, 3)
  return decimal(Math.round(x * 100) / 100, 2)
}

/** What was read: files, shape, years, children, periods, the window. */
export const readText = (returns: Pick<Returns, "shape" | "years">, h: Histories, w: Window): string => {
  const periods = h.children.reduce((n, c) => n + c.periods.length, 0)
  const rows = h.rowsRead.reduce((n, r) => n + r.rows, 0)
  return paragraphs([
    `Read ${grouped(h.rowsRead.length)} files (${grouped(rows)} rows), ` +
      `${returns.shape === "raw" ? "raw yearly returns" : "the multi-LA shape"}, collection years ` +
      `${returns.years[0]} to ${returns.years[returns.years.length - 1]} (years ending 31 March).`,
    `${grouped(h.children.length)} children, ${grouped(periods)} periods of care` +
      (h.shortBreakPeriods > 0
        ? `; ${grouped(h.shortBreakPeriods)} periods of short breaks only (V3/V4) left out, as DfE counts`
        : "") +
      `. Estimates over ${isoOfEpochDay(w.from)} to ${isoOfEpochDay(w.to - 1)}.`
  ])
}

/** The problems counted by rule, each with its handling. */
export const problemsText = (problems: ReadonlyArray<Problem>): string => {
  if (problems.length === 0) return "Dirty data: none found."
  // The rule, its text and its handling in the one label column, which the printer wraps to fit 120 columns.
  const rows = summaryByRule(problems).map((s) => [
    `${s.rule.code.padEnd(5)} ${s.rule.title}: ${s.rule.handling}`,
    grouped(s.count)
  ])
  return [
    `Dirty data: ${grouped(problems.length)} problems (each row, file and line in --problems FILE.csv)`,
    table({ header: ["rule, what it found: its handling", "rows"], rows, labels: 1 })
  ].join("\n")
}

/** The calibration table as printed. */
export const estimatesText = (estimates: ReadonlyArray<Estimate>): string => {
  const rows: Array<ReadonlyArray<string> | { heading: string }> = []
  let measure = ""
  for (const e of estimates) {
    if (e.measure !== measure) {
      const unit = e.unit.startsWith("per child-year") ? "per child-year at risk" : e.unit
      rows.push({ heading: `${e.measure} (${unit})` })
      measure = e.measure
    }
    rows.push([
      e.breakdown,
      shown(e.value, e.unit),
      e.lower === e.value && e.upper === e.value ? "" : `${shown(e.lower, e.unit)} to ${shown(e.upper, e.unit)}`,
      grouped(e.observations)
    ])
  }
  return [
    "Calibration table",
    table({ header: ["breakdown", "value", "95% interval", "observations"], rows, labels: 1 }),
    paragraph(
      "Methods, units and the rows each estimate came from are in the --table CSV; --out scenario.yaml with " +
        "--template writes a scenario from them."
    )
  ].join("\n")
}
