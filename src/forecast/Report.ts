/**
 * What `caseflow forecast` prints and writes:
 *
 *   forecast.csv           financial year x budget line (and Total): budget, actual to date, simulated rest
 *                          of the year, outturn mean, sd and percentiles, variance, P(over budget),
 *                          P(over budget by more than the tolerance)
 *   forecast_history.csv   one row per as-of date x financial year x budget line: the earlier forecasts of
 *                          `--history` (a forecast_history.csv written by an earlier forecast) with this one
 *                          added (a forecast at the same as-of date replaces the earlier one)
 *
 * and prints the outturn table of each year and, for the first year's total, how the forecast moved.
 */
import { pounds, csv, money, percent, count } from "../report/Format.js"
import { paragraph, table } from "../report/Table.js"
import { escapeControl, show } from "../domain/Show.js"
import { calendarDateProblem, MONTH_NAMES } from "../domain/Calendar.js"
import { SEED_MAX, SEED_MIN } from "../random/Streams.js"
import { type CsvProblem, readCsv, stopReading } from "./Csv.js"
import { type CellFigures, FORECAST_QUANTILES, type ForecastPlan } from "./Forecast.js"
import type { Caseload } from "./Caseload.js"

export const FORECAST_FILES = ["forecast.csv", "forecast_history.csv"] as const

const share = (x: number | null): string => (x === null ? "" : String(x))
const opt = (x: number | null): string => (x === null ? "" : pounds(x))

export const forecastCsv = (plan: ForecastPlan, figures: ReadonlyArray<CellFigures>): string =>
  csv(
    [
      "as_of",
      "financial_year",
      "simulated_from",
      "actual_months",
      "budget_line",
      "budget",
      "budget_basis",
      "actual_to_date",
      "simulated_rest_mean",
      "outturn_mean",
      "outturn_sd",
      ...FORECAST_QUANTILES.map(([name]) => `outturn_${name}`),
      "variance",
      "prob_over_budget",
      "prob_over_tolerance",
      "tolerance",
      "runs",
      "seed"
    ],
    figures.map((f) => {
      const y = plan.years.find((x) => x.label === f.financialYear)!
      return [
        plan.asOf,
        f.financialYear,
        y.simulatedFrom,
        y.actualMonths.length,
        f.budgetLine,
        opt(f.budget),
        "full_year",
        pounds(f.actualToDate),
        pounds(f.remainderMean),
        pounds(f.mean),
        pounds(f.sd),
        ...f.quantiles.map(pounds),
        opt(f.variance),
        share(f.probOverBudget),
        share(f.probOverTolerance),
        String(plan.tolerance),
        plan.runs,
        plan.seed
      ]
    })
  )

// ---------------------------------------------------------------------------------------------------------
// History

export interface HistoryRow {
  readonly asOf: string
  readonly financialYear: string
  readonly budgetLine: string
  readonly budget: number | null
  readonly actualToDate: number
  readonly mean: number
  readonly p5: number
  readonly p95: number
  readonly variance: number | null
  readonly probOverBudget: number | null
  readonly probOverTolerance: number | null
  readonly runs: number
  readonly seed: number
  readonly scenario: string
}

const HISTORY_HEADER = [
  "as_of",
  "financial_year",
  "budget_line",
  "budget",
  "actual_to_date",
  "outturn_mean",
  "outturn_p5",
  "outturn_p95",
  "variance",
  "prob_over_budget",
  "prob_over_tolerance",
  "runs",
  "seed",
  "scenario_sha256"
]

export const historyRows = (plan: ForecastPlan, figures: ReadonlyArray<CellFigures>): Array<HistoryRow> =>
  figures.map((f) => ({
    asOf: plan.asOf,
    financialYear: f.financialYear,
    budgetLine: f.budgetLine,
    budget: f.budget,
    actualToDate: f.actualToDate,
    mean: f.mean,
    p5: f.quantiles[0],
    p95: f.quantiles[FORECAST_QUANTILES.length - 1],
    variance: f.variance,
    probOverBudget: f.probOverBudget,
    probOverTolerance: f.probOverTolerance,
    runs: plan.runs,
    seed: plan.seed,
    scenario: plan.scenario.sha256
  }))

/** Earlier rows (other as-of dates) and this forecast's, by as-of date, then in each forecast's own order. */
export const mergeHistory = (earlier: ReadonlyArray<HistoryRow>, now: ReadonlyArray<HistoryRow>): Array<HistoryRow> => {
  const asOf = now[0]?.asOf
  const kept = earlier.filter((r) => r.asOf !== asOf)
  return [...kept, ...now]
    .map((r, i) => ({ r, i }))
    .sort((a, b) => (a.r.asOf < b.r.asOf ? -1 : a.r.asOf > b.r.asOf ? 1 : a.i - b.i))
    .map((x) => x.r)
}

export const historyCsv = (rows: ReadonlyArray<HistoryRow>): string =>
  csv(
    HISTORY_HEADER,
    rows.map((r) => [
      r.asOf,
      r.financialYear,
      r.budgetLine,
      opt(r.budget),
      pounds(r.actualToDate),
      pounds(r.mean),
      pounds(r.p5),
      pounds(r.p95),
      opt(r.variance),
      share(r.probOverBudget),
      share(r.probOverTolerance),
      r.runs,
      r.seed,
      r.scenario
    ])
  )

const MONEY = /^-?\d+(\.\d{1,2})?$/

/** Reads a forecast_history.csv written by an earlier forecast; returns its rows or every problem. */
export const readHistory = (
  text: string
): { readonly rows: ReadonlyArray<HistoryRow>; readonly problems: ReadonlyArray<CsvProblem> } => {
  const parsed = readCsv(
    text,
    HISTORY_HEADER.map((name) => ({ name, required: true }))
  )
  if (parsed.problems.length > 0) return { rows: [], problems: parsed.problems }
  const problems: Array<CsvProblem> = []
  const rows: Array<HistoryRow> = []
  const lines: Array<number> = []
  for (const row of parsed.rows) {
    if (stopReading(problems, row.line)) break
    const at = (column: string, message: string) => problems.push({ line: row.line, column, message })
    const get = (c: string) => (row.get(c) ?? "").trim()
    const before = problems.length
    const asOf = get("as_of")
    if (!/^\d{4}-\d{2}-01$/.test(asOf) || calendarDateProblem(asOf) !== null)
      at("as_of", `expected the first day of a month (YYYY-MM-01), found ${show(asOf)}`)
    const fy = get("financial_year")
    if (!/^\d{4}\/\d{2}$/.test(fy) || (Number(fy.slice(0, 4)) + 1) % 100 !== Number(fy.slice(5)))
      at("financial_year", `expected a financial year such as 2023/24, found ${show(fy)}`)
    else if (problems.length === before) {
      // A forecast of a year is made as at a month of it: 1 April to 1 March.
      const first = `${fy.slice(0, 4)}-04-01`
      const last = `${Number(fy.slice(0, 4)) + 1}-03-01`
      if (asOf < first || asOf > last)
        at("as_of", `expected a month of ${fy} (${first} to ${last}) for a forecast of ${fy}, found ${show(asOf)}`)
    }
    const line = row.get("budget_line") ?? ""
    if (line.trim() === "" || line.length > 200 || escapeControl(line) !== line)
      at(
        "budget_line",
        `expected a budget line's name (at most 200 characters, no control characters), found ${show(line)}`
      )
    const amount = (c: string, optional: boolean): number | null => {
      const v = get(c)
      if (optional && v === "") return null
      if (!MONEY.test(v) || Math.abs(Number(v)) > 1e12) {
        at(c, `expected pounds to the penny (such as 85114000.00)${optional ? " or nothing" : ""}, found ${show(v)}`)
        return null
      }
      return Number(v)
    }
    const prob = (c: string): number | null => {
      const v = get(c)
      if (v === "") return null
      const x = Number(v)
      if (!/^[0-9.e-]+$/.test(v) || !Number.isFinite(x) || x < 0 || x > 1) {
        at(c, `expected a probability from 0 to 1 or nothing, found ${show(v)}`)
        return null
      }
      return x
    }
    const whole = (c: string, min: number, max: number): number => {
      const v = get(c)
      const x = Number(v)
      if (!/^-?\d+$/.test(v) || x < min || x > max)
        at(c, `expected a whole number from ${min} to ${max}, found ${show(v)}`)
      return x
    }
    const budget = amount("budget", true)
    const actualToDate = amount("actual_to_date", false)
    const mean = amount("outturn_mean", false)
    const p5 = amount("outturn_p5", false)
    const p95 = amount("outturn_p95", false)
    const variance = amount("variance", true)
    const probOverBudget = prob("prob_over_budget")
    const probOverTolerance = prob("prob_over_tolerance")
    const runs = whole("runs", 1, 10_000_000)
    const seed = whole("seed", SEED_MIN, SEED_MAX)
    const scenario = get("scenario_sha256")
    if (!/^[0-9a-f]{64}$/.test(scenario)) at("scenario_sha256", `expected a SHA-256 in hex, found ${show(scenario)}`)
    if (problems.length === before) lines.push(row.line)
    if (problems.length === before)
      rows.push({
        asOf,
        financialYear: fy,
        budgetLine: line,
        budget,
        actualToDate: actualToDate!,
        mean: mean!,
        p5: p5!,
        p95: p95!,
        variance,
        probOverBudget,
        probOverTolerance,
        runs,
        seed,
        scenario
      })
  }
  const seen = new Map<string, number>()
  for (const [i, r] of rows.entries()) {
    const k = `${r.asOf}\u0000${r.financialYear}\u0000${r.budgetLine}`
    if (seen.has(k))
      problems.push({
        line: lines[i],
        column: null,
        message: `the forecast as at ${r.asOf} for ${r.financialYear}, ${show(r.budgetLine)} is given twice`
      })
    seen.set(k, i)
  }
  return { rows, problems }
}

// ---------------------------------------------------------------------------------------------------------
// Printed report

const longDate = (iso: string): string =>
  `${Number(iso.slice(8, 10))} ${MONTH_NAMES[Number(iso.slice(5, 7)) - 1]} ${iso.slice(0, 4)}`
const monthText = (ym: string): string => `${MONTH_NAMES[Number(ym.slice(5, 7)) - 1]} ${ym.slice(0, 4)}`

export interface ReportContext {
  /** The actuals file, or null (none: the forecast starts on 1 April). */
  readonly actualsFile: string | null
  /** Today's caseload file and what it holds, or null (the scenario's opening caseload). */
  readonly caseload: { readonly file: string; readonly caseload: Caseload } | null
  /** The scenario's own start date. */
  readonly scenarioStart: string
}

export const forecastText = (
  plan: ForecastPlan,
  figures: ReadonlyArray<CellFigures>,
  history: ReadonlyArray<HistoryRow>,
  ctx: ReportContext
): string => {
  const out: Array<string> = []
  const tol = percent(plan.tolerance, plan.tolerance * 100 === Math.round(plan.tolerance * 100) ? 0 : 1)
  const first = plan.years[0]
  out.push(
    `${escapeControl(plan.scenario.name)}: forecast outturn as at ${longDate(plan.asOf)} ` +
      `(${count(plan.runs)} runs, seed ${plan.seed})`
  )
  out.push(
    paragraph(
      first.actualMonths.length === 0
        ? `  No actuals: the whole of ${first.label} is simulated, from ${longDate(first.simulatedFrom)}.`
        : `  Actuals ${monthText(first.actualMonths[0])} to ` +
            `${monthText(first.actualMonths[first.actualMonths.length - 1])} ` +
            `(${first.actualMonths.length} months, from ${escapeControl(ctx.actualsFile ?? "")}); simulated ` +
            `${longDate(first.simulatedFrom)} to ${longDate(first.to)}.`
    )
  )
  const c = ctx.caseload
  out.push(
    paragraph(
      c === null
        ? `  Caseload on ${longDate(plan.asOf)}: the scenario's opening caseload` +
            (ctx.scenarioStart === plan.asOf ? "." : ` (written for its start, ${longDate(ctx.scenarioStart)}).`)
        : `  Caseload on ${longDate(plan.asOf)}: ${count(c.caseload.children)} children from ` +
            `${escapeControl(c.file)}` +
            (c.caseload.legalStatus.size > 0
              ? `; looked after by legal status: ${[...c.caseload.legalStatus.entries()]
                  .sort(([a], [b]) => (a < b ? -1 : 1))
                  .map(([k, n]) => `${k} ${count(n)}`)
                  .join(", ")}`
              : "") +
            "."
    )
  )
  out.push("")
  for (const y of plan.years) {
    const rows = figures.filter((f) => f.financialYear === y.label)
    out.push(
      `Forecast outturn, ${y.label}` +
        (y.actualMonths.length > 0
          ? ` (actual to ${monthText(y.actualMonths[y.actualMonths.length - 1])} + simulated rest of year)`
          : "")
    )
    out.push(
      table({
        header: [
          "",
          "budget",
          "actual to date",
          "rest of year",
          "outturn",
          "P5",
          "P95",
          "variance",
          "P(over)",
          `P(over ${tol})`
        ],
        rows: rows.map((r) => [
          r.budgetLine,
          money(r.budget),
          money(r.actualToDate),
          money(r.remainderMean),
          money(r.mean),
          money(r.quantiles[0]),
          money(r.quantiles[FORECAST_QUANTILES.length - 1]),
          money(r.variance),
          percent(r.probOverBudget),
          percent(r.probOverTolerance)
        ])
      })
    )
    out.push("")
  }
  const total = figures.find((f) => f.financialYear === first.label && f.budgetLine === "Total")!
  if (total.budget !== null)
    out.push(
      paragraph(
        `${first.label}: forecast outturn ${money(total.mean)} against a budget of ${money(total.budget)}, ` +
          `a variance ` +
          `of ${money(total.variance)} (${percent(total.variance! / Math.abs(total.budget))}); 90% of runs between ` +
          `${money(total.quantiles[0])} and ${money(total.quantiles[FORECAST_QUANTILES.length - 1])}; ` +
          `P(over budget) ${percent(total.probOverBudget)}, P(over by more than ${tol}, ` +
          `${money(total.budget + Math.abs(total.budget) * plan.tolerance)}) ${percent(total.probOverTolerance)}.`
      )
    )
  else out.push(paragraph(`${first.label}: no total budget to compare with (not every budget line has one).`))
  out.push(
    paragraph(
      "Outturn = actual spend to date + the simulated rest of the year, so it covers the whole year and is compared " +
        "with the whole year's budget. P5 and P95 are the spread of outcomes across the runs."
    )
  )
  const moved = history.filter((r) => r.financialYear === first.label && r.budgetLine === "Total")
  if (moved.length > 1) {
    out.push("")
    out.push(`How the forecast moved, ${first.label} total`)
    out.push(
      table({
        header: ["as at", "actual to date", "outturn", "change", "P5", "P95", "variance", "P(over)", `P(over ${tol})`],
        rows: moved.map((r, i) => [
          r.asOf,
          money(r.actualToDate),
          money(r.mean),
          i === 0 ? "-" : money(r.mean - moved[i - 1].mean),
          money(r.p5),
          money(r.p95),
          money(r.variance),
          percent(r.probOverBudget),
          percent(r.probOverTolerance)
        ])
      })
    )
  }
  return out.join("\n")
}
