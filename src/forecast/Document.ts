/**
 * The report and the workbook of an in-year forecast (`caseflow forecast --report FILE.html --xlsx
 * FILE.xlsx`): the forecast outturn of each year by budget line (actual to date + the simulated rest of the
 * year) against the budget, with its interval and the chances of overspending in words, how the forecast
 * moved from one as-of date to the next (with `--history`), the assumptions and the model description. The
 * figures are those of forecast.csv and forecast_history.csv.
 */
import { escapeControl } from "../domain/Show.js"
import type { Parameter } from "../report/Assumptions.js"
import { forecastMoves, outturnByLine } from "../report/Charts.js"
import { chanceText, paragraph, type Block, type ReportDocument, type Section } from "../report/Document.js"
import { count, money, percent } from "../report/Format.js"
import { assumptionsSection, assumptionsSheet, modelSection, runSheet, type ReportFacts } from "../report/Reporting.js"
import { workbook, type Sheet, type Workbook } from "../report/Workbook.js"
import type { Scenario } from "../scenario/Scenario.js"
import { type CellFigures, FORECAST_QUANTILES, type ForecastPlan } from "./Forecast.js"
import type { HistoryRow } from "./Report.js"

export interface ForecastReportInput {
  readonly facts: ReportFacts
  readonly scenario: Scenario
  readonly plan: ForecastPlan
  readonly figures: ReadonlyArray<CellFigures>
  /** Every forecast of forecast_history.csv, this one included. */
  readonly history: ReadonlyArray<HistoryRow>
  readonly parameters: ReadonlyArray<Parameter>
}

const TOTAL = "Total"
const P5 = FORECAST_QUANTILES.findIndex(([name]) => name === "p5")
const P95 = FORECAST_QUANTILES.findIndex(([name]) => name === "p95")
const P50 = FORECAST_QUANTILES.findIndex(([name]) => name === "p50")

/** A chance in words and figures; "-" for a line without a budget. */
const chance = (p: number | null): string => (p === null ? "-" : chanceText(p))

const yearFigures = (i: ForecastReportInput, year: string) => i.figures.filter((f) => f.financialYear === year)

const summaryOf = (i: ForecastReportInput): string => {
  const first = i.plan.years[0]
  const total = yearFigures(i, first.label).find((f) => f.budgetLine === TOTAL)!
  const months = first.actualMonths.length
  const basis =
    months === 0
      ? "with no actual spend given"
      : `from actual spend in ${months} month${months === 1 ? "" : "s"} (${money(total.actualToDate)}) and the ` +
        "simulated rest of the year"
  const budget =
    total.budget === null
      ? "No budget was given, so there is no variance or chance of overspending to state."
      : `Against the budget of ${money(total.budget)} that is a variance of ${money(total.variance)}; the chance of ` +
        `overspending is ${chance(total.probOverBudget)}, and of overspending by more than the ` +
        `${percent(i.plan.tolerance, 0)} tolerance ${chance(total.probOverTolerance)}.`
  return (
    `As at ${i.plan.asOf}, the forecast outturn of ${escapeControl(i.scenario.name)} for ${first.label} is ` +
    `${money(total.mean)} (the mean of ${count(i.plan.runs)} runs; 90% of runs between ` +
    `${money(total.quantiles[P5])} and ${money(total.quantiles[P95])}), ${basis}. ${budget}`
  )
}

const outturnSection = (i: ForecastReportInput, year: ForecastPlan["years"][number]): Section => {
  const figures = yearFigures(i, year.label)
  const lines = figures.filter((f) => f.budgetLine !== TOTAL)
  const names = lines.map((f) => f.budgetLine)
  const blocks: Array<Block> = [
    {
      kind: "chart",
      title: `Forecast outturn by budget line, ${year.label}`,
      caption:
        "Each bar is the actual spend to date (dark) and the mean simulated spend for the rest of the year " +
        "(light); the black bar spans 90% of runs' outturns and the red tick is the line's budget.",
      source: "forecast.csv",
      spec: outturnByLine({
        lines: names,
        parts: lines.flatMap((f) => [
          { line: f.budgetLine, part: "actual to date", amount: f.actualToDate, order: 0 },
          { line: f.budgetLine, part: "simulated rest of the year (mean)", amount: f.remainderMean, order: 1 }
        ]),
        outturns: lines.map((f) => ({ line: f.budgetLine, p5: f.quantiles[P5], p95: f.quantiles[P95] })),
        budgets: lines.filter((f) => f.budget !== null).map((f) => ({ line: f.budgetLine, budget: f.budget }))
      })
    },
    {
      kind: "table",
      caption:
        `Forecast outturn, ${year.label} (simulated from ${year.simulatedFrom}` +
        `${year.actualMonths.length > 0 ? `; actuals for ${year.actualMonths.length} months` : ""})`,
      columns: [
        { header: "budget line" },
        { header: "budget", numeric: true },
        { header: "actual to date", numeric: true },
        { header: "simulated rest", numeric: true },
        { header: "outturn", numeric: true },
        { header: "P5", numeric: true },
        { header: "P95", numeric: true },
        { header: "variance", numeric: true },
        { header: "chance over budget" },
        { header: `chance over budget + ${percent(i.plan.tolerance, 0)}` }
      ],
      rows: figures.map((f) => [
        f.budgetLine,
        money(f.budget),
        money(f.actualToDate),
        money(f.remainderMean),
        money(f.mean),
        money(f.quantiles[P5]),
        money(f.quantiles[P95]),
        money(f.variance),
        chance(f.probOverBudget),
        chance(f.probOverTolerance)
      ]),
      totals: [figures.length - 1]
    },
    paragraph(
      "The outturn is the mean over the runs; the variance is outturn minus budget (positive: an overspend). " +
        'A chance in words is rounded: "about 3 in 10" is 25% to 35% of the runs. A year\'s budget is compared ' +
        "with the whole year's spend (actual to date + simulated), never with a part of it."
    )
  ]
  return { title: `Outturn ${year.label}`, blocks }
}

const historySection = (i: ForecastReportInput): Section | null => {
  const year = i.plan.years[0].label
  const rows = i.history
    .filter((r) => r.financialYear === year && r.budgetLine === TOTAL)
    .map((r) => ({ asOf: r.asOf, mean: r.mean, p5: r.p5, p95: r.p95, budget: r.budget }))
  if (rows.length < 2) return null
  const budget = rows[rows.length - 1].budget
  return {
    title: "How the forecast moved",
    blocks: [
      {
        kind: "chart",
        title: `Forecast outturn for ${year} at each as-of date`,
        caption: "The line is the mean outturn forecast at each as-of date, the band 90% of runs; red: the budget.",
        source: "forecast_history.csv",
        spec: forecastMoves({ rows, budget })
      },
      {
        kind: "table",
        caption: `Total forecast outturn for ${year} by as-of date`,
        columns: [
          { header: "as at" },
          { header: "outturn", numeric: true },
          { header: "P5", numeric: true },
          { header: "P95", numeric: true },
          { header: "budget", numeric: true },
          { header: "variance", numeric: true }
        ],
        rows: rows.map((r) => [
          r.asOf,
          money(r.mean),
          money(r.p5),
          money(r.p95),
          money(r.budget),
          money(r.budget === null ? null : r.mean - r.budget)
        ])
      }
    ]
  }
}

export const forecastDocument = (i: ForecastReportInput): ReportDocument => {
  const sections: Array<Section> = i.plan.years.map((y) => outturnSection(i, y))
  const moved = historySection(i)
  if (moved !== null) sections.push(moved)
  sections.push(assumptionsSection(i.facts, i.parameters), modelSection(i.facts, i.scenario))
  return {
    title: `${escapeControl(i.scenario.name)}: forecast outturn as at ${i.plan.asOf}`,
    subtitle:
      `${i.plan.years[0].label}${i.plan.years.length > 1 ? ` to ${i.plan.years[i.plan.years.length - 1].label}` : ""}` +
      `; ${count(i.plan.runs)} runs from seed ${i.plan.seed}; caseflow ${i.facts.version}`,
    summary: summaryOf(i),
    sections
  }
}

export const forecastWorkbook = (i: ForecastReportInput): Workbook => {
  const sheets: Array<Sheet> = [runSheet(i.facts)]
  sheets.push({
    name: "Forecast outturn",
    columns: [
      { header: "financial year", kind: "text" },
      { header: "budget line", kind: "text", width: 50 },
      { header: "budget", kind: "money" },
      { header: "actual to date", kind: "money" },
      { header: "simulated rest (mean)", kind: "money" },
      { header: "outturn (mean)", kind: "money" },
      { header: "P5", kind: "money" },
      { header: "P50", kind: "money" },
      { header: "P95", kind: "money" },
      { header: "variance", kind: "money" },
      { header: "P(over budget)", kind: "percent" },
      { header: "P(over budget + tolerance)", kind: "percent" }
    ],
    rows: i.figures.map((f) => [
      f.financialYear,
      f.budgetLine,
      f.budget,
      f.actualToDate,
      f.remainderMean,
      f.mean,
      f.quantiles[P5],
      f.quantiles[P50],
      f.quantiles[P95],
      f.variance,
      f.probOverBudget,
      f.probOverTolerance
    ])
  })
  sheets.push({
    name: "Forecast history",
    columns: [
      { header: "as at", kind: "text" },
      { header: "financial year", kind: "text" },
      { header: "budget line", kind: "text", width: 50 },
      { header: "budget", kind: "money" },
      { header: "actual to date", kind: "money" },
      { header: "outturn (mean)", kind: "money" },
      { header: "P5", kind: "money" },
      { header: "P95", kind: "money" },
      { header: "variance", kind: "money" },
      { header: "P(over budget)", kind: "percent" }
    ],
    rows: i.history.map((r) => [
      r.asOf,
      r.financialYear,
      r.budgetLine,
      r.budget,
      r.actualToDate,
      r.mean,
      r.p5,
      r.p95,
      r.variance,
      r.probOverBudget
    ])
  })
  sheets.push(assumptionsSheet(i.parameters))
  return workbook(sheets)
}
