/**
 * The report and the workbook of a Monte Carlo run (`caseflow montecarlo --report FILE.html --xlsx
 * FILE.xlsx`, and `merge`): fan charts (50% and 90% bands) of children in care and of spend, the
 * distribution of each year's spend with the budget and the tolerance marked, the chance of overspending in
 * words, the tornado chart of the sensitivity, the assumptions and the model description. The figures are
 * those of montecarlo_spend.csv, montecarlo_stocks.csv and montecarlo_sensitivity.csv.
 */
import { escapeControl } from "../domain/Show.js"
import { STOCK_ROWS } from "../replication/Replication.js"
import type { Parameter } from "../report/Assumptions.js"
import { fanChart, spendDistribution, tornado } from "../report/Charts.js"
import { chanceText, paragraph, type Block, type ReportDocument, type Section } from "../report/Document.js"
import { count, csv, money, percent, pounds } from "../report/Format.js"
import { assumptionsSection, assumptionsSheet, modelSection, runSheet, type ReportFacts } from "../report/Reporting.js"
import { workbook, type Sheet, type Workbook } from "../report/Workbook.js"
import type { Scenario } from "../scenario/Scenario.js"
import type { MonteCarloPlan } from "./Plan.js"
import { sensitivityFigures, spendFigures, STOCK_QUANTILES, type SpendFigures } from "./Report.js"
import { ranked } from "./Sensitivity.js"
import type { MonteCarloSummary } from "./Summary.js"

export interface MonteCarloReportInput {
  readonly facts: ReportFacts
  readonly scenario: Scenario
  readonly plan: MonteCarloPlan
  readonly summary: MonteCarloSummary
  readonly parameters: ReadonlyArray<Parameter>
}

/** The percentiles behind the spend charts, 1% to 99%: the fan's bands and each year's distribution. */
const PERCENTILES = Array.from({ length: 99 }, (_, i) => (i + 1) / 100)

/** Each year's total spend at PERCENTILES, in pounds, from the run's quantile sketch. */
const spendPercentiles = (plan: MonteCarloPlan, s: MonteCarloSummary): Array<Array<number>> => {
  const B = plan.budgetLines.length
  return plan.financialYears.map((_, f) =>
    s
      .spendCell(f * (B + 1) + B)
      .sketch.quantiles(PERCENTILES)
      .map((q) => q / 100)
  )
}

/** The file the report's spend charts are drawn from (written with `--report`). */
export const SPEND_PERCENTILES_FILE = "montecarlo_spend_percentiles.csv"

/** montecarlo_spend_percentiles.csv: financial year x percentile (1 to 99) of total spend, in pounds. */
export const spendPercentilesCsv = (plan: MonteCarloPlan, s: MonteCarloSummary): string => {
  const at = spendPercentiles(plan, s)
  return csv(
    ["financial_year", "part_year", "percentile", "total_spend"],
    plan.financialYears.flatMap((fy, f) =>
      PERCENTILES.map((p, k) => [fy.label, String(fy.partYear), String(Math.round(p * 100)), pounds(at[f][k])])
    )
  )
}

const fanOf = (i: MonteCarloReportInput, row: number) => {
  const K = STOCK_ROWS.length
  const q = (k: number, quantiles: ReadonlyArray<number>) => ({
    p05: quantiles[STOCK_QUANTILES.indexOf(0.05)],
    p25: quantiles[STOCK_QUANTILES.indexOf(0.25)],
    p50: quantiles[STOCK_QUANTILES.indexOf(0.5)],
    p75: quantiles[STOCK_QUANTILES.indexOf(0.75)],
    p95: quantiles[STOCK_QUANTILES.indexOf(0.95)],
    k
  })
  const dates = [i.plan.openingDate, ...i.plan.months.map((m) => m.endDate)]
  return dates.map((date, r) => {
    const cell = i.summary.stockCell(r * K + row)
    const x = q(r, cell.sketch.quantiles(STOCK_QUANTILES))
    return { date, p05: x.p05, p25: x.p25, p50: x.p50, p75: x.p75, p95: x.p95 }
  })
}

const totalsOf = (figures: ReadonlyArray<SpendFigures>) => figures.filter((f) => f.isTotal)

const summaryOf = (i: MonteCarloReportInput, totals: ReadonlyArray<SpendFigures>): string => {
  const la = STOCK_ROWS.findIndex((r) => r.kind === "level" && r.name === "looked_after")
  const fan = fanOf(i, la)
  const last = fan[fan.length - 1]
  const withBudget = totals.filter((t) => t.probOver !== null)
  const budgetText =
    withBudget.length === 0
      ? "No budget was given, so there is no chance of overspending to state."
      : withBudget
          .map(
            (t) =>
              `in ${t.financialYear} the chance of spending more than the budget of ${money(t.budget)} is ` +
              chanceText(t.probOver!)
          )
          .join("; ")
          .replace(/^in/, "In") + "."
  const first = totals[0]
  return (
    `Over ${count(i.summary.replications)} simulated runs of ${escapeControl(i.scenario.name)} (seed ` +
    `${i.plan.seed}), the number of children looked after on ${last.date} is ${count(last.p50)} in the middle ` +
    `run, and between ${count(last.p05)} and ${count(last.p95)} in 9 runs out of 10. Total spend in ` +
    `${first.financialYear} is ${money(first.quantiles[3])} in the middle run (90% of runs between ` +
    `${money(first.quantiles[1])} and ${money(first.quantiles[6])}). ${budgetText} ` +
    (i.plan.parameters.length === 0
      ? "The scenario has no uncertain parameters: the spread is the process's own randomness only."
      : `The runs draw ${i.plan.parameters.length} uncertain parameters, so the spread includes what is not known ` +
        "about them as well as chance.")
  )
}

const childrenSection = (i: MonteCarloReportInput): Section => {
  const la = STOCK_ROWS.findIndex((r) => r.kind === "level" && r.name === "looked_after")
  const cp = STOCK_ROWS.findIndex((r) => r.kind === "level" && r.name === "child_protection")
  const yearEnds = i.plan.months.filter((m) => m.yearEnd).map((m) => m.endDate)
  const chart = (title: string, row: number, what: string): Block => ({
    kind: "chart",
    title,
    caption:
      `${what} at each month end: the line is the median run, the dark band holds the middle 50% of runs ` +
      "and the light band 90%.",
    source: "montecarlo_stocks.csv",
    spec: fanChart({ rows: fanOf(i, row), valueTitle: "children" })
  })
  const fan = fanOf(i, la)
  const months = [i.plan.openingDate, ...i.plan.months.map((m) => m.endDate)]
  const at = months.map((d, k) => ({ d, k })).filter(({ d }) => d === i.plan.openingDate || yearEnds.includes(d))
  return {
    title: "Children in care",
    blocks: [
      chart("Children looked after: fan chart", la, "Children looked after"),
      {
        kind: "table",
        caption: "Children looked after at the start and each 31 March (percentiles over the runs)",
        columns: [
          { header: "date" },
          { header: "P5", numeric: true },
          { header: "P25", numeric: true },
          { header: "median", numeric: true },
          { header: "P75", numeric: true },
          { header: "P95", numeric: true }
        ],
        rows: at.map(({ d, k }) => [
          d === i.plan.openingDate ? `${d} (start)` : d,
          count(fan[k].p05),
          count(fan[k].p25),
          count(fan[k].p50),
          count(fan[k].p75),
          count(fan[k].p95)
        ])
      },
      chart("Children on child protection plans: fan chart", cp, "Children on child protection plans")
    ]
  }
}

const spendSection = (i: MonteCarloReportInput, totals: ReadonlyArray<SpendFigures>): Section => {
  const B = i.plan.budgetLines.length
  const at = spendPercentiles(i.plan, i.summary)
  const p = (f: number, percentile: number) => at[f][percentile - 1]
  const fan = i.plan.financialYears.map((fy, f) => ({
    date: fy.to,
    year: fy.label,
    p05: p(f, 5),
    p25: p(f, 25),
    p50: p(f, 50),
    p75: p(f, 75),
    p95: p(f, 95)
  }))
  const tol = i.plan.tolerance
  const years = i.plan.financialYears.map((fy, f) => {
    const budget = i.plan.budgets[f * (B + 1) + B]
    return {
      year: fy.label + (fy.partYear ? "*" : ""),
      runs: at[f].map((x) => x / 1e6),
      budget: budget === null ? null : budget / 100 / 1e6,
      limit: budget === null ? null : (budget + Math.abs(budget) * tol) / 100 / 1e6
    }
  })
  const tolText = percent(tol, 0)
  return {
    title: "Spend and the budget",
    blocks: [
      {
        kind: "chart",
        title: "Total spend per financial year: fan chart",
        caption:
          "Total spend in each financial year (plotted at the year's last day): the median run, the middle 50% " +
          "and 90% of runs.",
        source: SPEND_PERCENTILES_FILE,
        spec: fanChart({ rows: fan, valueTitle: "total spend", money: true })
      },
      {
        kind: "chart",
        title: "The distribution of each year's spend",
        caption:
          `Each bar counts the share of runs whose total spend falls in it (from the 99 percentiles); the solid ` +
          `line is the budget and the dashed line the budget plus the ${tolText} tolerance.`,
        source: SPEND_PERCENTILES_FILE,
        spec: spendDistribution({ years })
      },
      {
        kind: "table",
        caption: `Total spend by financial year against the budget (tolerance ${tolText})`,
        columns: [
          { header: "year" },
          { header: "budget", numeric: true },
          { header: "P5", numeric: true },
          { header: "median", numeric: true },
          { header: "P80", numeric: true },
          { header: "P95", numeric: true },
          { header: "chance of overspending" },
          { header: `chance of overspending by more than ${tolText}` },
          { header: "expected overspend", numeric: true }
        ],
        rows: totals.map((t) => [
          t.financialYear + (t.partYear ? "*" : ""),
          money(t.budget),
          money(t.quantiles[1]),
          money(t.quantiles[3]),
          money(t.quantiles[4]),
          money(t.quantiles[6]),
          t.probOver === null ? "no budget" : chanceText(t.probOver),
          t.probOverTolerance === null ? "no budget" : chanceText(t.probOverTolerance),
          money(t.expectedOverspend)
        ])
      },
      paragraph(
        'P80 is the budget that would be enough in 4 years out of 5. A chance in words is rounded: "about 3 in ' +
          '10" is 25% to 35% of the runs.' +
          (totals.some((t) => t.partYear) ? " * A part year: its budget is pro-rated by days." : "")
      )
    ]
  }
}

const sensitivitySection = (i: MonteCarloReportInput): Section | null => {
  const figures = sensitivityFigures(i.plan, i.summary)
  const all = figures.find((f) => f.period === "all years")
  if (all === undefined) return null
  const rows = ranked(all.result.rows).map((r) => ({
    factor: i.plan.factors[r.factor].label,
    low: Math.min(r.atP10, r.atP90),
    high: Math.max(r.atP10, r.atP90),
    atP10: r.atP10,
    atP90: r.atP90,
    prcc: r.prcc
  }))
  const finite = rows.filter((r) => Number.isFinite(r.low) && Number.isFinite(r.high))
  const blocks: Array<Block> = [
    paragraph(
      "What drives total spend over all years: for each uncertain factor, the total spend predicted with the " +
        "factor at its 10th and at its 90th percentile, the others at their means (a rank regression over the " +
        "runs). The longer the bar, the more the factor matters."
    )
  ]
  if (finite.length > 0)
    blocks.push({
      kind: "chart",
      title: "Tornado chart: total spend over all years",
      caption: "Each bar runs from the total spend with the factor at its P10 to that at its P90.",
      source: "montecarlo_sensitivity.csv",
      spec: tornado({ rows: finite })
    })
  else blocks.push(paragraph("Too few runs for the regression (more runs than factors + 2 are needed)."))
  blocks.push({
    kind: "table",
    caption: "Sensitivity of total spend over all years",
    columns: [
      { header: "factor" },
      { header: "partial rank correlation", numeric: true },
      { header: "spend at P10", numeric: true },
      { header: "spend at P90", numeric: true }
    ],
    rows: rows.map((r) => [r.factor, Number.isFinite(r.prcc) ? r.prcc.toFixed(2) : "-", money(r.atP10), money(r.atP90)])
  })
  return { title: "Sensitivity", blocks }
}

export const montecarloDocument = (i: MonteCarloReportInput): ReportDocument => {
  const totals = totalsOf(spendFigures(i.plan, i.summary))
  const sections: Array<Section> = [childrenSection(i), spendSection(i, totals)]
  const sens = sensitivitySection(i)
  if (sens !== null) sections.push(sens)
  sections.push(assumptionsSection(i.facts, i.parameters), modelSection(i.facts, i.scenario))
  return {
    title: `${escapeControl(i.scenario.name)}: Monte Carlo budget risk`,
    subtitle:
      `${i.plan.startDate} to ${i.plan.endDate}; ${count(i.summary.replications)} runs from seed ${i.plan.seed}; ` +
      `caseflow ${i.facts.version}`,
    summary: summaryOf(i, totals),
    sections
  }
}

export const montecarloWorkbook = (i: MonteCarloReportInput): Workbook => {
  const figures = spendFigures(i.plan, i.summary)
  const sheets: Array<Sheet> = [runSheet(i.facts)]
  sheets.push({
    name: "Spend risk",
    columns: [
      { header: "financial year", kind: "text" },
      { header: "budget line", kind: "text", width: 50 },
      { header: "budget", kind: "money" },
      { header: "mean", kind: "money" },
      { header: "P5", kind: "money" },
      { header: "P50", kind: "money" },
      { header: "P80", kind: "money" },
      { header: "P95", kind: "money" },
      { header: "P(over budget)", kind: "percent" },
      { header: "P(over budget + tolerance)", kind: "percent" },
      { header: "expected overspend", kind: "money" }
    ],
    rows: figures.map((f) => [
      f.financialYear,
      f.budgetLine,
      f.budget,
      f.mean,
      f.quantiles[1],
      f.quantiles[3],
      f.quantiles[4],
      f.quantiles[6],
      f.probOver,
      f.probOverTolerance,
      f.expectedOverspend
    ])
  })
  const years = i.plan.financialYears.map((fy) => fy.label)
  const B = i.plan.budgetLines.length
  sheets.push({
    name: "Median spend by line",
    columns: [
      { header: "budget line", kind: "text", width: 56 },
      ...years.map((y) => ({ header: y, kind: "money" as const }))
    ],
    rows: [...i.plan.budgetLines, "Total"].map((line, b) => [
      line,
      ...years.map((_, f) => figures[f * (B + 1) + b].quantiles[3])
    ])
  })
  const la = STOCK_ROWS.findIndex((r) => r.kind === "level" && r.name === "looked_after")
  sheets.push({
    name: "Children looked after",
    columns: [
      { header: "date", kind: "text" },
      { header: "P5", kind: "count" },
      { header: "P25", kind: "count" },
      { header: "median", kind: "count" },
      { header: "P75", kind: "count" },
      { header: "P95", kind: "count" }
    ],
    rows: fanOf(i, la).map((r) => [r.date, r.p05, r.p25, r.p50, r.p75, r.p95])
  })
  const sens = sensitivityFigures(i.plan, i.summary)
  if (sens.length > 0)
    sheets.push({
      name: "Sensitivity",
      columns: [
        { header: "period", kind: "text" },
        { header: "factor", kind: "text", width: 50 },
        { header: "PRCC", kind: "decimal" },
        { header: "spend at P10", kind: "money" },
        { header: "spend at P90", kind: "money" }
      ],
      rows: sens.flatMap((p) =>
        ranked(p.result.rows).map((r) => [
          p.period,
          i.plan.factors[r.factor].label,
          Number.isFinite(r.prcc) ? r.prcc : null,
          Number.isFinite(r.atP10) ? r.atP10 : null,
          Number.isFinite(r.atP90) ? r.atP90 : null
        ])
      )
    })
  sheets.push(assumptionsSheet(i.parameters))
  return workbook(sheets)
}
