/**
 * The comparison report: tidy CSV text and a printed table, pure functions of (plan, outcomes).
 *
 * compare_stocks.csv  level x snapshot (opening caseload, each 31 March, the last month end): children
 *                     in each arm (mean), the paired difference variant - baseline, its 95% interval and SE
 * compare_spend.csv   financial year x budget line (and Total): spend in each arm (mean), the paired
 *                     difference variant - baseline, its 95% interval and SE
 * compare_cba.csv     cost-benefit measure x financial year (and "all years"): the measure's mean, 95%
 *                     interval and SE in the difference_* columns (savings and benefits are baseline -
 *                     variant, investment is variant - baseline); baseline_mean / variant_mean are each
 *                     arm's spend where the measure is one (gross_saving: the lines of no intervention;
 *                     investment: the intervention lines), empty otherwise
 */
import { LEVEL_LABEL, type OpenLevel } from "../domain/Level.js"
import { count, csv, decimal, MISSING, money, pounds, poundsPer } from "../report/Format.js"
import { paragraph, table } from "../report/Table.js"
import type { Comparison } from "./Compare.js"
import {
  type CbaFigures,
  type CbaYearMeasure,
  CBA_YEAR_MEASURES,
  cbaFigures,
  discountRateLabel,
  estimate,
  type Estimate,
  spendFigures,
  stockFigures
} from "./Summary.js"
import type { PairOutcome } from "./Paired.js"

/** A number to `digits` decimals ("" when missing); never "-0.00". */
const fixed = (x: number | null, digits: number): string => {
  if (x === null || !Number.isFinite(x)) return ""
  const t = x.toFixed(digits)
  return /^-0(\.0+)?$/.test(t) ? t.slice(1) : t
}
/** Pennies as pounds to the penny ("" when missing). */
const penny = (p: number | null): string => (p === null || !Number.isFinite(p) ? "" : pounds(p / 100))

const COLUMNS = [
  "baseline_mean",
  "variant_mean",
  "difference_mean",
  "difference_lo95",
  "difference_hi95",
  "difference_se",
  "runs"
]

const estimateCells = (e: Estimate, format: (x: number) => string): Array<string | number> => [
  format(e.mean),
  format(e.lo),
  format(e.hi),
  format(e.se),
  e.n
]

const QUOTA_MEASURES = ["target", "reviewed", "stays ended", "stays shortened"] as const

/** Each quota of either arm (by name), over the run: each arm's mean and the paired difference. */
const quotaFigures = (outcomes: ReadonlyArray<PairOutcome>) => {
  const names = [...new Set(outcomes.flatMap((o) => [...o.baseline.quotas, ...o.variant.quotas].map((q) => q.name)))]
  const total = (arm: PairOutcome["baseline"], name: string, k: number): number => {
    const q = arm.quotas.find((x) => x.name === name)
    return q === undefined ? 0 : q.byFy.reduce((s, v, j) => (j % QUOTA_MEASURES.length === k ? s + v : s), 0)
  }
  return names.flatMap((name) =>
    QUOTA_MEASURES.map((measure, k) => {
      const b = outcomes.map((o) => total(o.baseline, name, k))
      const v = outcomes.map((o) => total(o.variant, name, k))
      return {
        name,
        measure,
        baseline: estimate(b).mean,
        variant: estimate(v).mean,
        difference: estimate(v.map((x, r) => x - b[r]))
      }
    })
  )
}

export const stocksCsv = (c: Comparison): string => {
  const figures = stockFigures(c.plan, c.outcomes)
  const order = [...new Set(figures.map((f) => f.level))]
  const two = (x: number) => fixed(x, 2)
  return csv(
    ["measure", "date", "snapshot", "financial_year", ...COLUMNS],
    order.flatMap((level) =>
      figures
        .filter((f) => f.level === level)
        .map((f) => [
          level,
          f.snapshot.date,
          f.snapshot.kind,
          f.snapshot.financialYear,
          two(f.baseline),
          two(f.variant),
          ...estimateCells(f.difference, two)
        ])
    )
  )
}

export const spendCsv = (c: Comparison): string =>
  csv(
    ["financial_year", "part_year", "budget_line", ...COLUMNS],
    spendFigures(c.plan, c.outcomes).map((f) => [
      f.financialYear,
      String(f.partYear),
      f.budgetLine,
      penny(f.baseline),
      penny(f.variant),
      ...estimateCells(f.difference, penny)
    ])
  )

export const cbaCsv = (c: Comparison, figures: CbaFigures = cbaFigures(c.plan, c.outcomes)): string => {
  const fys = c.plan.layout.financialYears
  const rows: Array<Array<string | number>> = []
  for (const m of CBA_YEAR_MEASURES) {
    const cells = [
      ...figures.years.map((y, i) => ({ label: fys[i].label, f: y[m] })),
      { label: "all years", f: figures.total[m] }
    ]
    for (const { label, f } of cells)
      rows.push([m, label, penny(f.baseline), penny(f.variant), ...estimateCells(f.value, penny)])
  }
  const all = (measure: string, e: Estimate, format: (x: number) => string) =>
    rows.push([measure, "all years", "", "", ...estimateCells(e, format)])
  all("npv", figures.npv, penny)
  all("pv_adjusted_benefit", figures.presentBenefit, penny)
  all("pv_investment", figures.presentInvestment, penny)
  all("roi", figures.roi, (x) => fixed(x, 4))
  const n = c.outcomes.length
  rows.push(["payback_share", "all years", "", "", fixed(figures.paybackShare, 4), "", "", "", n])
  const py = figures.medianPaybackYear
  rows.push([
    "payback_year_median",
    py === null ? "not within the run" : fys[py].label,
    "",
    "",
    py === null ? "" : String(py + 1),
    "",
    "",
    "",
    n
  ])
  rows.push(["optimism_bias", "all years", "", "", fixed(figures.optimismBias, 4), "", "", "", n])
  rows.push(["deadweight", "all years", "", "", fixed(figures.deadweight, 4), "", "", "", n])
  rows.push(["discount_rate", "all years", "", "", fixed(c.plan.discountRate, 4), "", "", "", n])
  return csv(["measure", "financial_year", ...COLUMNS], rows)
}

/** Every output file, by name. */
/** Every file `compareFiles` writes. */
export const COMPARE_FILES: ReadonlyArray<string> = ["compare_stocks.csv", "compare_spend.csv", "compare_cba.csv"]

export const compareFiles = (c: Comparison): ReadonlyArray<readonly [string, string]> => [
  ["compare_stocks.csv", stocksCsv(c)],
  ["compare_spend.csv", spendCsv(c)],
  ["compare_cba.csv", cbaCsv(c)]
]

// ---------------------------------------------------------------------------------------------------------
// The printed report

/** Pennies as money for people (£k / £m / £bn); "-" when missing. */
const m = (p: number | null): string => (p === null || !Number.isFinite(p) ? MISSING : money(p / 100))
const one = (x: number): string => decimal(x, 1)
/** A share as a percentage, with a decimal only when it needs one: 15%, 12.5%. */
const pct = (x: number): string => {
  const t = decimal(x * 100, 1)
  return t === MISSING ? t : `${t.endsWith(".0") ? t.slice(0, -2) : t}%`
}
const interval = (e: Estimate, f: (x: number) => string): string =>
  Number.isFinite(e.lo) ? `[${f(e.lo)}, ${f(e.hi)}]` : MISSING

/** The levels the printed table shows (compare_stocks.csv has every open level). */
const PRINTED_LEVELS: ReadonlyArray<OpenLevel> = ["looked_after", "child_protection"]

const CBA_LABEL: Readonly<Record<CbaYearMeasure, string>> = {
  gross_saving: "Gross saving (baseline - variant)",
  deadweight_deduction: "less deadweight",
  optimism_bias_deduction: "less optimism bias",
  adjusted_benefit: "Adjusted benefit",
  investment: "Investment (intervention costs)",
  net_benefit: "Net benefit (benefit - investment)",
  discounted_net: "Discounted net benefit",
  cumulative_net: "Cumulative net (undiscounted)"
}

export const reportText = (c: Comparison): string => {
  const { plan, outcomes } = c
  const n = outcomes.length
  const out: Array<string> = []
  const L = plan.layout
  out.push("Paired comparison: differences are variant - baseline, savings baseline - variant")
  out.push(paragraph(`  baseline  ${plan.baseline.file}  (${plan.baseline.name})`))
  out.push(paragraph(`  variant   ${plan.variant.file}  (${plan.variant.name})`))
  out.push(`${count(n)} paired replication${n === 1 ? "" : "s"}, seed ${plan.seed}; ${L.startDate} to ${L.endDate}`)
  out.push("common random numbers: replication r of both arms uses the same random streams")
  if (plan.variant.seed !== plan.seed)
    out.push(`(the variant file's own seed, ${plan.variant.seed}, is not used: both arms use seed ${plan.seed})`)
  out.push("")

  // Interventions.
  const cba = cbaFigures(plan, outcomes)
  if (plan.interventions.length === 0) out.push("Interventions: none in either arm")
  else {
    out.push("Interventions")
    out.push(
      table({
        header: ["", "arm", "start", "end", "grade", "optimism bias", "deadweight", "children started (mean)"],
        rows: plan.interventions.map((i) => {
          // The k-th intervention of its arm is the k-th entry of that arm's `started`.
          const k = plan.interventions.filter((j) => j.arm === i.arm).indexOf(i)
          const mean =
            outcomes.reduce((s, o) => s + (i.arm === "baseline" ? o.baseline : o.variant).started[k], 0) /
            Math.max(1, outcomes.length)
          return [
            i.name,
            i.arm,
            i.start,
            i.end ?? "end of run",
            String(i.confidence),
            pct(i.optimismBias),
            pct(i.deadweight),
            count(mean)
          ]
        }),
        labels: 2
      })
    )
    for (const i of plan.interventions) if (i.evidence !== null) out.push(paragraph(`  ${i.name}: ${i.evidence}`))
  }
  const quotas = quotaFigures(outcomes)
  if (quotas.length > 0) {
    out.push("")
    out.push("Count targets (quotas) over the run: mean of each arm, and the paired difference with its 95% interval")
    out.push(
      table({
        header: ["", "", "baseline", "variant", "difference", "95% interval"],
        rows: quotas.map((f, i) => [
          i % QUOTA_MEASURES.length === 0 ? f.name : "",
          f.measure,
          one(f.baseline),
          one(f.variant),
          one(f.difference.mean),
          interval(f.difference, one)
        ]),
        labels: 2
      })
    )
  }
  const variantHas = plan.interventions.some((i) => i.arm === "variant")
  const scenarioSource = variantHas ? "the largest of the variant's interventions" : "the variant has no interventions"
  const { optimismBias: obFlag, deadweight: dwFlag } = plan.overrides
  const ob = `optimism bias ${pct(cba.optimismBias)}`
  const dw = `deadweight ${pct(cba.deadweight)}`
  out.push(
    paragraph(
      "Benefits are adjusted for " +
        (obFlag === null && dwFlag === null
          ? `${ob} and ${dw} (${variantHas ? "each the largest of the variant's interventions" : scenarioSource})`
          : `${ob} (${obFlag === null ? scenarioSource : "--optimism-bias"}) and ` +
            `${dw} (${dwFlag === null ? scenarioSource : "--deadweight"})`) +
        (cba.adjustmentsVary ? "; they are uncertain, so these are means over replications" : "")
    )
  )
  out.push("")

  // Children at each 31 March.
  const stocks = stockFigures(plan, outcomes).filter((f) => PRINTED_LEVELS.includes(f.level))
  out.push(
    "Children at 31 March: mean of each arm, and the paired difference (variant - baseline) with its 95% interval"
  )
  out.push(
    table({
      header: ["", "", "baseline", "variant", "difference", "95% interval"],
      rows: PRINTED_LEVELS.flatMap((level) =>
        stocks
          .filter((f) => f.level === level)
          .map((f, i) => [
            i === 0 ? LEVEL_LABEL[level] : "",
            f.snapshot.date + (f.snapshot.kind === "opening" ? " (start)" : ""),
            count(f.baseline),
            count(f.variant),
            one(f.difference.mean),
            interval(f.difference, one)
          ])
      ),
      labels: 2
    })
  )
  out.push("(every level is in compare_stocks.csv)")
  out.push("")

  // Spend by budget line and financial year.
  const spend = spendFigures(plan, outcomes)
  for (const fy of L.financialYears) {
    const part = fy.partYear ? ` (part year: ${fy.days} of ${fy.yearDays} days)` : ""
    out.push(`Spend by budget line, ${fy.label}${part}: mean of each arm, paired difference with its 95% interval`)
    out.push(
      table({
        header: ["", "baseline", "variant", "difference", "95% interval"],
        rows: spend
          .filter((f) => f.financialYear === fy.label)
          .map((f) => [f.budgetLine, m(f.baseline), m(f.variant), m(f.difference.mean), interval(f.difference, m)])
      })
    )
    out.push("")
  }

  // Cost-benefit.
  const rate = discountRateLabel(plan.discountRate)
  const label = (k: CbaYearMeasure) =>
    k === "deadweight_deduction"
      ? `${CBA_LABEL[k]} (${pct(cba.deadweight)})`
      : k === "optimism_bias_deduction"
        ? `${CBA_LABEL[k]} (${pct(cba.optimismBias)})`
        : k === "discounted_net"
          ? `${CBA_LABEL[k]} (${rate})`
          : CBA_LABEL[k]
  const withInterval: ReadonlyArray<CbaYearMeasure> = ["gross_saving", "investment", "net_benefit"]
  const rows: Array<Array<string>> = []
  for (const k of CBA_YEAR_MEASURES) {
    if (k === "discounted_net") rows.push([`Discount factor (${rate})`, ...cba.discount.map((d) => decimal(d, 3)), ""])
    rows.push([
      label(k),
      ...cba.years.map((y) => m(y[k].value.mean)),
      k === "cumulative_net" ? "" : m(cba.total[k].value.mean)
    ])
    if (withInterval.includes(k))
      rows.push(["  95% interval", ...cba.years.map((y) => interval(y[k].value, m)), interval(cba.total[k].value, m)])
  }
  const part = L.financialYears.some((f) => f.partYear) ? "; * part year" : ""
  out.push(
    "Cost-benefit by financial year (means over replications; the last column sums the years, undiscounted; " +
      `discounted: NPV${part})`
  )
  out.push(
    table({
      header: ["", ...L.financialYears.map((f) => f.label + (f.partYear ? "*" : "")), "all years"],
      rows
    })
  )
  out.push("")
  out.push(
    `Net present value at ${rate}, in ${L.financialYears[0].label} prices: ${m(cba.npv.mean)}, ` +
      `95% interval ${interval(cba.npv, m)}, ` +
      `standard error ${m(cba.npv.se)}`
  )
  out.push(
    `  present value of the adjusted benefit ${m(cba.presentBenefit.mean)}, ` +
      `of the investment ${m(cba.presentInvestment.mean)}`
  )
  out.push(
    paragraph(
      cba.roi.n === 0
        ? "Return on investment: none (no investment: the variant spends no more on interventions than the baseline, " +
            "on average over the replications)"
        : `Return on investment: ${poundsPer(cba.roi.mean)} of adjusted benefit per £1 invested (present values), ` +
            `95% interval ${interval(cba.roi, poundsPer)}` +
            (cba.roi.n < n ? ` (over the ${cba.roi.n} replications with investment)` : "")
    )
  )
  out.push(
    cba.invested === 0
      ? "Payback: none (no investment)"
      : "Payback: " +
          (cba.medianPaybackYear === null
            ? "not within the run (median)"
            : `median year ${L.financialYears[cba.medianPaybackYear].label}`) +
          `; paid back within the run in ${cba.paidBack} of ${n} replications (${pct(cba.paybackShare)})`
  )
  // A reader adds the waterfall's rows: say why the shown ones may be a unit off.
  out.push(
    paragraph(
      "Money is shown to three significant figures (or more), so the rows shown may not add up exactly; " +
        "compare_spend.csv and compare_cba.csv hold each mean to the penny, each rounded on its own."
    )
  )
  return out.join("\n")
}
