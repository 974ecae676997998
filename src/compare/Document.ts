/**
 * The report and the workbook of a comparison (`caseflow compare --report FILE.html --xlsx FILE.xlsx`): the
 * savings waterfall (gross saving, less deadweight, less optimism bias, less investment, net), the
 * cost-benefit table (NPV at the Green Book's 3.5%, ROI, payback), the paired differences in children with
 * their 95% intervals, spend by budget line, the assumptions of both scenarios and the model description.
 * The figures are those of compare_stocks.csv, compare_spend.csv and compare_cba.csv.
 */
import { LEVEL_LABEL } from "../domain/Level.js"
import { escapeControl } from "../domain/Show.js"
import type { Parameter } from "../report/Assumptions.js"
import { intervals, waterfall } from "../report/Charts.js"
import { paragraph, type ReportDocument, type Section } from "../report/Document.js"
import { count, decimal, money, percent, poundsPer } from "../report/Format.js"
import { assumptionsSection, assumptionsSheet, modelSection, runSheet, type ReportFacts } from "../report/Reporting.js"
import { workbook, type Sheet, type Workbook } from "../report/Workbook.js"
import type { Scenario } from "../scenario/Scenario.js"
import type { Comparison } from "./Compare.js"
import { cbaFigures, discountRateLabel, spendFigures, stockFigures, type CbaFigures, type Estimate } from "./Summary.js"

export interface CompareReportInput {
  readonly facts: ReportFacts
  readonly comparison: Comparison
  readonly baseline: Scenario
  readonly variant: Scenario
  readonly parameters: ReadonlyArray<Parameter>
}

/** Pennies to pounds. */
const pounds = (p: number): number => p / 100
const pm = (p: number | null): string => (p === null ? "-" : money(pounds(p)))
const interval = (e: Estimate, f: (x: number) => string): string =>
  Number.isFinite(e.lo) ? `${f(e.mean)} [${f(e.lo)}, ${f(e.hi)}]` : f(e.mean)
const signed = (x: number): string => (x > 0 ? `+${decimal(x, 1)}` : decimal(x, 1))

const paybackText = (c: CompareReportInput, cba: CbaFigures): string => {
  const fys = c.comparison.plan.layout.financialYears
  if (cba.invested === 0) return "no investment"
  return cba.medianPaybackYear === null
    ? `not within the run (${count(cba.paidBack)} of ${count(c.comparison.outcomes.length)} pairs pay back)`
    : `${fys[cba.medianPaybackYear].label} (median; ${count(cba.paidBack)} of ${count(c.comparison.outcomes.length)} ` +
        "pairs pay back within the run)"
}

const summaryOf = (c: CompareReportInput, cba: CbaFigures): string => {
  const plan = c.comparison.plan
  const stocks = stockFigures(plan, c.comparison.outcomes)
  const lastLa = stocks.filter((s) => s.level === "looked_after").at(-1)
  const lastCp = stocks.filter((s) => s.level === "child_protection").at(-1)
  const change = (s: (typeof stocks)[number] | undefined, what: string) =>
    s === undefined
      ? ""
      : `${decimal(Math.abs(s.difference.mean), 0)} ${s.difference.mean <= 0 ? "fewer" : "more"} ${what} on ` +
        `${s.snapshot.date} (95% interval ${signed(s.difference.lo)} to ${signed(s.difference.hi)})`
  return (
    `Comparing ${escapeControl(plan.variant.name)} with ${escapeControl(plan.baseline.name)} over ` +
    `${count(plan.runs)} paired runs (same random numbers in both), the variant has ` +
    `${change(lastLa, "children looked after")} and ${change(lastCp, "children on child protection plans")}. ` +
    `Over the run it saves ${pm(cba.total.gross_saving.value.mean)} gross, ` +
    `${pm(cba.total.adjusted_benefit.value.mean)} ` +
    `after deadweight and optimism bias, against an investment of ${pm(cba.total.investment.value.mean)}: a net ` +
    `present value of ${interval(cba.npv, pm)} at ${discountRateLabel(plan.discountRate)}` +
    (cba.invested > 0 && Number.isFinite(cba.roi.mean) ? `, ${poundsPer(cba.roi.mean)} back per £1 invested` : "") +
    `; payback ${paybackText(c, cba)}.`
  )
}

const waterfallRows = (cba: CbaFigures) => {
  const t = cba.total
  const g = pounds(t.gross_saving.value.mean)
  const dw = pounds(t.deadweight_deduction.value.mean)
  const ob = pounds(t.optimism_bias_deduction.value.mean)
  const inv = pounds(t.investment.value.mean)
  const net = pounds(t.net_benefit.value.mean)
  const afterDw = g - dw
  const afterOb = afterDw - ob
  const step = (name: string, from: number, to: number, kind: string, shown: number) => ({
    step: name,
    from,
    to,
    top: Math.max(from, to),
    kind,
    label: money(shown)
  })
  return [
    step("gross saving", 0, g, "total", g),
    step("less deadweight", g, afterDw, "deduction", -dw),
    step("less optimism bias", afterDw, afterOb, "deduction", -ob),
    step("less investment", afterOb, afterOb - inv, "deduction", -inv),
    step("net benefit", 0, net, "net", net)
  ]
}

const cbaSection = (c: CompareReportInput, cba: CbaFigures): Section => {
  const plan = c.comparison.plan
  const fys = plan.layout.financialYears
  const measures: ReadonlyArray<readonly [keyof CbaFigures["total"], string]> = [
    ["gross_saving", "Gross saving"],
    ["deadweight_deduction", "less deadweight"],
    ["optimism_bias_deduction", "less optimism bias"],
    ["adjusted_benefit", "Adjusted benefit"],
    ["investment", "Investment"],
    ["net_benefit", "Net benefit"],
    ["discounted_net", `Discounted net (${discountRateLabel(plan.discountRate)})`],
    ["cumulative_net", "Cumulative net"]
  ]
  return {
    title: "Savings and the investment case",
    blocks: [
      {
        kind: "chart",
        title: "Savings waterfall over the run",
        caption:
          "Undiscounted totals over the run, means over the pairs: the gross saving, less deadweight (what would " +
          "have happened anyway), less optimism bias, less the investment, leaves the net benefit.",
        source: "compare_cba.csv",
        spec: waterfall({ rows: waterfallRows(cba) })
      },
      {
        kind: "table",
        caption: "Cost-benefit by financial year (means over the pairs)",
        columns: [
          { header: "" },
          ...fys.map((fy) => ({ header: fy.label + (fy.partYear ? "*" : ""), numeric: true })),
          { header: "all years", numeric: true }
        ],
        rows: measures.map(([m, label]) => [
          label,
          ...cba.years.map((y) => pm(y[m].value.mean)),
          m === "cumulative_net" ? pm(cba.total.net_benefit.value.mean) : pm(cba.total[m].value.mean)
        ]),
        totals: [5]
      },
      {
        kind: "definitions",
        items: [
          ["Net present value", interval(cba.npv, pm)],
          ["Present value of the adjusted benefit", interval(cba.presentBenefit, pm)],
          ["Present value of the investment", interval(cba.presentInvestment, pm)],
          [
            "Return on investment",
            cba.invested === 0 ? "no investment" : `${interval(cba.roi, poundsPer)} of adjusted benefit per £1 invested`
          ],
          ["Payback", paybackText(c, cba)],
          ["Optimism bias applied", percent(cba.optimismBias, 0) + (cba.adjustmentsVary ? " (mean of the draws)" : "")],
          ["Deadweight applied", percent(cba.deadweight, 0) + (cba.adjustmentsVary ? " (mean of the draws)" : "")],
          [
            "Discount rate",
            `${discountRateLabel(plan.discountRate)} a year (3.0% after year 30; HM Treasury, The Green Book), ` +
              "on amounts deflated to the first year's prices by the baseline's general inflation (both arms alike)"
          ]
        ]
      },
      paragraph(
        "Intervals are 95% confidence intervals of the mean over the pairs (Monte Carlo precision, not the spread " +
          "of outcomes). Savings are in budget terms: whether they are cashable depends on the cost lines."
      )
    ]
  }
}

const childrenSection = (c: CompareReportInput): Section => {
  const figures = stockFigures(c.comparison.plan, c.comparison.outcomes).filter(
    (f) => f.snapshot.kind !== "opening" && (f.level === "looked_after" || f.level === "child_protection")
  )
  const rows = figures.map((f) => ({
    measure: LEVEL_LABEL[f.level],
    date: f.snapshot.kind === "year_end" ? f.snapshot.date.slice(0, 4) : f.snapshot.date,
    mean: f.difference.mean,
    lo: Number.isFinite(f.difference.lo) ? f.difference.lo : f.difference.mean,
    hi: Number.isFinite(f.difference.hi) ? f.difference.hi : f.difference.mean
  }))
  return {
    title: "Children: paired differences",
    blocks: [
      {
        kind: "chart",
        title: "Difference in children (variant - baseline)",
        caption:
          "The mean paired difference at each 31 March with its 95% interval; below zero, the variant has fewer " +
          "children at that level.",
        source: "compare_stocks.csv",
        spec: intervals({ rows, valueTitle: "difference in children" })
      },
      {
        kind: "table",
        caption: "Children at each 31 March: each arm's mean and the paired difference [95% interval]",
        columns: [
          { header: "level" },
          { header: "date" },
          { header: "baseline", numeric: true },
          { header: "variant", numeric: true },
          { header: "difference [95% interval]", numeric: true }
        ],
        rows: figures.map((f) => [
          LEVEL_LABEL[f.level],
          f.snapshot.date,
          decimal(f.baseline, 1),
          decimal(f.variant, 1),
          interval(f.difference, signed)
        ])
      }
    ]
  }
}

const spendSection = (c: CompareReportInput): Section => {
  const figures = spendFigures(c.comparison.plan, c.comparison.outcomes)
  return {
    title: "Spend by budget line",
    blocks: [
      {
        kind: "table",
        caption: "Spend: each arm's mean and the paired difference (variant - baseline) [95% interval]",
        columns: [
          { header: "year" },
          { header: "budget line" },
          { header: "baseline", numeric: true },
          { header: "variant", numeric: true },
          { header: "difference [95% interval]", numeric: true }
        ],
        rows: figures.map((f) => [
          f.financialYear + (f.partYear ? "*" : ""),
          f.budgetLine,
          pm(f.baseline),
          pm(f.variant),
          interval(f.difference, pm)
        ]),
        totals: figures.flatMap((f, k) => (f.isTotal ? [k] : []))
      }
    ]
  }
}

export const compareDocument = (c: CompareReportInput): ReportDocument => {
  const plan = c.comparison.plan
  const cba = cbaFigures(plan, c.comparison.outcomes)
  const interventions = plan.interventions
  const sections: Array<Section> = [cbaSection(c, cba), childrenSection(c), spendSection(c)]
  if (interventions.length > 0)
    sections.push({
      title: "Interventions",
      blocks: [
        {
          kind: "table",
          caption: "Interventions in either arm",
          columns: [
            { header: "arm" },
            { header: "intervention" },
            { header: "from" },
            { header: "to" },
            { header: "evidence grade", numeric: true },
            { header: "optimism bias", numeric: true },
            { header: "evidence" }
          ],
          rows: interventions.map((iv) => [
            iv.arm,
            iv.name,
            iv.start,
            iv.end ?? "-",
            String(iv.confidence),
            percent(iv.optimismBias, 0),
            iv.evidence ?? ""
          ])
        }
      ]
    })
  sections.push(assumptionsSection(c.facts, c.parameters), modelSection(c.facts, c.variant))
  return {
    title: `${escapeControl(plan.variant.name)} against ${escapeControl(plan.baseline.name)}`,
    subtitle:
      `${plan.layout.startDate} to ${plan.layout.endDate}; ${count(plan.runs)} paired runs from seed ${plan.seed}; ` +
      `caseflow ${c.facts.version}`,
    summary: summaryOf(c, cba),
    sections
  }
}

export const compareWorkbook = (c: CompareReportInput): Workbook => {
  const plan = c.comparison.plan
  const cba = cbaFigures(plan, c.comparison.outcomes)
  const fys = plan.layout.financialYears
  const sheets: Array<Sheet> = [runSheet(c.facts)]
  const measures = Object.keys(cba.total) as Array<keyof CbaFigures["total"]>
  sheets.push({
    name: "Cost-benefit",
    columns: [
      { header: "measure", kind: "text", width: 28 },
      ...fys.map((fy) => ({ header: fy.label, kind: "money" as const })),
      { header: "all years", kind: "money" }
    ],
    rows: [
      ...measures.map((m) => [
        m,
        ...cba.years.map((y) => pounds(y[m].value.mean)),
        pounds(m === "cumulative_net" ? cba.total.net_benefit.value.mean : cba.total[m].value.mean)
      ]),
      ["npv", ...fys.map(() => null), pounds(cba.npv.mean)],
      ["npv_lo95", ...fys.map(() => null), Number.isFinite(cba.npv.lo) ? pounds(cba.npv.lo) : null],
      ["npv_hi95", ...fys.map(() => null), Number.isFinite(cba.npv.hi) ? pounds(cba.npv.hi) : null]
    ]
  })
  const spend = spendFigures(plan, c.comparison.outcomes)
  sheets.push({
    name: "Spend difference",
    columns: [
      { header: "budget line", kind: "text", width: 56 },
      ...fys.map((fy) => ({ header: fy.label, kind: "money" as const }))
    ],
    rows: [...new Set(spend.map((s) => s.budgetLine))].map((line) => [
      line,
      ...fys.map((fy) => {
        const f = spend.find((s) => s.budgetLine === line && s.financialYear === fy.label)
        return f === undefined ? null : pounds(f.difference.mean)
      })
    ])
  })
  sheets.push({
    name: "Children difference",
    columns: [
      { header: "level", kind: "text", width: 26 },
      { header: "date", kind: "text" },
      { header: "baseline", kind: "decimal" },
      { header: "variant", kind: "decimal" },
      { header: "difference", kind: "decimal" },
      { header: "lo95", kind: "decimal" },
      { header: "hi95", kind: "decimal" }
    ],
    rows: stockFigures(plan, c.comparison.outcomes).map((f) => [
      LEVEL_LABEL[f.level],
      f.snapshot.date,
      f.baseline,
      f.variant,
      f.difference.mean,
      Number.isFinite(f.difference.lo) ? f.difference.lo : null,
      Number.isFinite(f.difference.hi) ? f.difference.hi : null
    ])
  })
  sheets.push(assumptionsSheet(c.parameters))
  return workbook(sheets)
}
