/**
 * The Monte Carlo report: figures computed from a plan and a summary, as tidy CSV text and a printed table.
 * A pure function of (plan, summary), so a merged set of shards reports exactly what one run does.
 *
 * montecarlo_spend.csv        financial year x budget line (and Total): budget (the whole year's, pro-rated by
 *                             days in a part year), its basis (full_year | pro_rata_<days>_of_<n>) and the
 *                             whole year's figure, mean with its 95% confidence interval and Monte Carlo
 *                             standard error, sd, P2.5 ... P97.5, probability of spend over budget and over
 *                             budget by more than the tolerance, expected overspend (all for the days the run
 *                             covers), runs needed for the stated precision
 * montecarlo_stocks.csv       opening and each month end x level / placement: mean, P5 ... P95 (fan chart);
 *                             the opening caseload is labelled with the financial year its date closes or
 *                             falls in (31 March 2025: 2024/25), as in stocks.csv and compare_stocks.csv
 * montecarlo_sensitivity.csv  period (each financial year and all years) x factor: PRCC, Spearman, SRC,
 *                             R², spend at the factor's P10 and P90 (tornado chart)
 * montecarlo_draws.csv        replication: each uncertain parameter's draw and total spend by year
 *
 * The last two are written only when the scenario has uncertain parameters.
 */
import { LEVEL_LABEL, PLACEMENT_LABEL, type ChildState, type Placement } from "../domain/Level.js"
import { budgetBasis, budgetBasisText, financialYearOf, isPartYear, proRataNote } from "../report/Budget.js"
import { escapeControl } from "../domain/Show.js"
import { count, csv, decimal, money as printedMoney, percent, pounds } from "../report/Format.js"
import { paragraph, type Row, table } from "../report/Table.js"
import type { MonteCarloPlan } from "./Plan.js"
import { STOCK_ROWS } from "../replication/Replication.js"
import { ranked, sensitivity, type SensitivityResult } from "./Sensitivity.js"
import type { MonteCarloSummary } from "./Summary.js"

/** z for a two-sided 95% interval (normal approximation). */
const Z95 = 1.959963984540054
/** The precision `runs_for_probability` aims at: ±1 percentage point (95%). */
const PROBABILITY_PRECISION = 0.01

export const SPEND_QUANTILES = [0.025, 0.05, 0.1, 0.5, 0.8, 0.9, 0.95, 0.975] as const
const SPEND_Q_NAMES = ["p2_5", "p5", "p10", "p50", "p80", "p90", "p95", "p97_5"]
export const STOCK_QUANTILES = [0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95] as const
const STOCK_Q_NAMES = ["p5", "p10", "p25", "p50", "p75", "p90", "p95"]

export interface SpendFigures {
  readonly financialYear: string
  readonly partYear: boolean
  readonly budgetLine: string
  readonly isTotal: boolean
  /** The budget compared with, in pounds (null: no budget): the whole year's, pro-rated in a part year. */
  readonly budget: number | null
  /** `full_year` or `pro_rata_<days>_of_<n>` (null: no budget). */
  readonly budgetBasis: string | null
  /** The whole year's budget, in pounds (null: no budget). */
  readonly fullYearBudget: number | null
  readonly mean: number
  readonly sd: number
  readonly standardError: number
  /** In pounds, at SPEND_QUANTILES. */
  readonly quantiles: ReadonlyArray<number>
  readonly probOver: number | null
  readonly probOverSe: number | null
  readonly probOverTolerance: number | null
  readonly expectedOverspend: number | null
  readonly runsForPrecision: number | null
  readonly runsForProbability: number | null
}

const bigRatio = (num: bigint, den: bigint): number => {
  // Exact integer part, then the remainder as a fraction: precise well beyond 2^53.
  const q = num / den
  const r = num - q * den
  return Number(q) + Number(r) / Number(den)
}

/** Spend figures for every cell, in plan order (year by year, lines then Total). */
export const spendFigures = (plan: MonteCarloPlan, s: MonteCarloSummary): Array<SpendFigures> => {
  const n = s.replications
  const N = BigInt(n)
  const B = plan.budgetLines.length
  const out: Array<SpendFigures> = []
  plan.financialYears.forEach((fy, f) => {
    for (let b = 0; b <= B; b++) {
      const i = f * (B + 1) + b
      const c = s.spendCell(i)
      const meanP = bigRatio(c.sum, N)
      // Unbiased variance from exact integer sums: (n Σx² - (Σx)²) / (n (n - 1)).
      const varP = n > 1 ? bigRatio(N * c.sumSq - c.sum * c.sum, N * (N - 1n)) : NaN
      const sdP = Math.sqrt(Math.max(0, varP))
      const se = sdP / Math.sqrt(n)
      const budget = plan.budgets[i]
      const fullYear = plan.fullYearBudgets[i]
      const pOver = budget === null ? null : c.over / n
      const target = plan.precision * Math.abs(meanP)
      out.push({
        financialYear: fy.label,
        partYear: fy.partYear,
        budgetLine: b === B ? "Total" : plan.budgetLines[b],
        isTotal: b === B,
        budget: budget === null ? null : budget / 100,
        budgetBasis: budget === null ? null : budgetBasis(fy),
        fullYearBudget: fullYear === null ? null : fullYear / 100,
        mean: meanP / 100,
        sd: sdP / 100,
        standardError: se / 100,
        quantiles: c.sketch.quantiles(SPEND_QUANTILES).map((q) => q / 100),
        probOver: pOver,
        probOverSe: pOver === null ? null : Math.sqrt((pOver * (1 - pOver)) / n),
        probOverTolerance: budget === null ? null : c.overTolerance / n,
        expectedOverspend: budget === null ? null : bigRatio(c.overspend, N) / 100,
        runsForPrecision: n > 1 && target > 0 ? runsFor(((Z95 * sdP) / target) ** 2) : null,
        // Not estimable from a sample in which every run fell on the same side (see the rule of three).
        runsForProbability:
          pOver === null || pOver === 0 || pOver === 1
            ? null
            : Math.ceil((Z95 * Z95 * pOver * (1 - pOver)) / PROBABILITY_PRECISION ** 2)
      })
    }
  })
  return out
}

/** A number to `digits` decimals ("" when missing); never "-0.00". */
const fixed = (x: number | null, digits: number): string => {
  if (x === null || !Number.isFinite(x)) return ""
  const t = x.toFixed(digits)
  return /^-0(\.0+)?$/.test(t) ? t.slice(1) : t
}
const money = (x: number | null): string => (x === null || !Number.isFinite(x) ? "" : pounds(x))
const integer = (x: number | null): string => (x === null ? "" : String(x))

/** A number of runs, rounded up; none past 2^53 (a mean near zero asks for more than can be counted, let alone
 * run). */
const runsFor = (x: number): number | null => {
  const runs = Math.ceil(x)
  return Number.isSafeInteger(runs) ? runs : null
}

export const spendCsv = (plan: MonteCarloPlan, s: MonteCarloSummary): string =>
  csv(
    [
      "financial_year",
      "part_year",
      "budget_line",
      "runs",
      "budget",
      "budget_basis",
      "budget_full_year",
      "mean",
      "mean_ci95_low",
      "mean_ci95_high",
      "sd",
      "mc_standard_error",
      ...SPEND_Q_NAMES,
      "prob_over_budget",
      "prob_over_budget_se",
      "prob_over_tolerance",
      "expected_overspend",
      "runs_for_precision",
      "runs_for_probability"
    ],
    spendFigures(plan, s).map((r) => [
      r.financialYear,
      String(r.partYear),
      r.budgetLine,
      s.replications,
      money(r.budget),
      r.budgetBasis ?? "",
      money(r.fullYearBudget),
      money(r.mean),
      money(r.mean - Z95 * r.standardError),
      money(r.mean + Z95 * r.standardError),
      money(r.sd),
      money(r.standardError),
      ...r.quantiles.map(money),
      fixed(r.probOver, 4),
      fixed(r.probOverSe, 4),
      fixed(r.probOverTolerance, 4),
      money(r.expectedOverspend),
      integer(r.runsForPrecision),
      integer(r.runsForProbability)
    ])
  )

export const stocksCsv = (plan: MonteCarloPlan, s: MonteCarloSummary): string => {
  const n = s.replications
  const K = STOCK_ROWS.length
  const rows: Array<Array<string | number>> = []
  const snapshots = [
    { date: plan.openingDate, month: "opening", fy: financialYearOf(plan.openingDate), yearEnd: false },
    ...plan.months.map((m) => ({ date: m.endDate, month: m.label, fy: m.financialYear, yearEnd: m.yearEnd }))
  ]
  snapshots.forEach((snap, r) =>
    STOCK_ROWS.forEach((row, k) => {
      const c = s.stockCell(r * K + k)
      rows.push([
        snap.date,
        snap.month,
        snap.fy,
        String(snap.yearEnd),
        row.kind,
        row.name,
        fixed(c.sum / n, 2),
        ...c.sketch.quantiles(STOCK_QUANTILES).map((q) => String(Math.round(q)))
      ])
    })
  )
  return csv(["date", "month", "financial_year", "year_end", "kind", "name", "mean", ...STOCK_Q_NAMES], rows)
}

interface PeriodSensitivity {
  readonly period: string
  readonly result: SensitivityResult
}

/** Sensitivity of total spend in each financial year and over all years. */
export const sensitivityFigures = (plan: MonteCarloPlan, s: MonteCarloSummary): Array<PeriodSensitivity> => {
  if (plan.factors.length === 0) return []
  const records = s.sortedRecords()
  const firstMember = plan.factors.map((f) => plan.parameters.findIndex((p) => p.path === f.parameters[0]))
  const x = firstMember.map((p) => records.map((r) => r.draws[p]))
  const periods = plan.financialYears.map((fy, f) => ({ period: fy.label, y: records.map((r) => r.totals[f] / 100) }))
  periods.push({ period: "all years", y: records.map((r) => r.totals.reduce((a, b) => a + b, 0) / 100) })
  return periods.map((p) => ({ period: p.period, result: sensitivity(x, p.y) }))
}

export const sensitivityCsv = (plan: MonteCarloPlan, figures: ReadonlyArray<PeriodSensitivity>): string =>
  csv(
    [
      "period",
      "rank",
      "factor",
      "parameters",
      "prcc",
      "spearman",
      "src",
      "r_squared",
      "spend_at_p10",
      "spend_at_p90",
      "swing"
    ],
    figures.flatMap(({ period, result }) =>
      ranked(result.rows).map((row, i) => [
        period,
        i + 1,
        plan.factors[row.factor].label,
        plan.factors[row.factor].parameters.join("; "),
        fixed(row.prcc, 4),
        fixed(row.spearman, 4),
        fixed(row.src, 4),
        fixed(result.rSquared, 4),
        money(row.atP10),
        money(row.atP90),
        money(row.atP90 - row.atP10)
      ])
    )
  )

export const drawsCsv = (plan: MonteCarloPlan, s: MonteCarloSummary): string =>
  csv(
    [
      "replication",
      ...plan.parameters.map((p) => p.path),
      ...plan.financialYears.map((f) => `total_${f.label}`),
      "total_all_years"
    ],
    s
      .sortedRecords()
      .map((r) => [
        r.replication,
        ...r.draws.map((d) => String(d)),
        ...r.totals.map((t) => pounds(t / 100)),
        pounds(r.totals.reduce((a, b) => a + b, 0) / 100)
      ])
  )

/** Every output file, by name. */
/** Every file `reportFiles` can write (the last two only for a scenario with uncertain parameters). */
export const MONTECARLO_FILES: ReadonlyArray<string> = [
  "montecarlo_spend.csv",
  "montecarlo_stocks.csv",
  "montecarlo_sensitivity.csv",
  "montecarlo_draws.csv"
]

export const reportFiles = (plan: MonteCarloPlan, s: MonteCarloSummary): ReadonlyArray<readonly [string, string]> => {
  const files: Array<readonly [string, string]> = [
    ["montecarlo_spend.csv", spendCsv(plan, s)],
    ["montecarlo_stocks.csv", stocksCsv(plan, s)]
  ]
  if (plan.factors.length > 0) {
    files.push(["montecarlo_sensitivity.csv", sensitivityCsv(plan, sensitivityFigures(plan, s))])
    files.push(["montecarlo_draws.csv", drawsCsv(plan, s)])
  }
  return files
}

// ---------------------------------------------------------------------------------------------------------
// The printed report

const m = printedMoney
const pct = (x: number | null): string => percent(x, 1)

/** Stock rows in reading order: each level, with the placement types (if any child is in one) after looked after. */
const printedStockRows = (keep: (k: number) => boolean): Array<number> => {
  const rows: Array<number> = []
  STOCK_ROWS.forEach((row, k) => {
    if (row.kind !== "level") return
    rows.push(k)
    if (row.name === "looked_after")
      STOCK_ROWS.forEach((p, j) => {
        if (p.kind === "placement" && keep(j)) rows.push(j)
      })
  })
  return rows
}

export const reportText = (plan: MonteCarloPlan, s: MonteCarloSummary): string => {
  const n = s.replications
  const out: Array<string> = []
  const tol = percent(plan.tolerance, plan.tolerance * 100 === Math.round(plan.tolerance * 100) ? 0 : 1)
  out.push(`${escapeControl(plan.scenario.name)}: Monte Carlo budget risk`)
  const u = plan.parameters.length
  const F = plan.factors.length
  out.push(
    `${count(n)} replications, seed ${plan.seed}; ${plan.startDate} to ${plan.endDate}; ` +
      (u === 0
        ? "no uncertain parameters (process noise only)"
        : `${u} uncertain parameter${u === 1 ? "" : "s"} in ${F} independent draw${F === 1 ? "" : "s"}`)
  )
  out.push("")
  const figures = spendFigures(plan, s)
  const totals = figures.filter((r) => r.isTotal)
  const fyOf = (label: string) => plan.financialYears.find((f) => f.label === label)!
  const part = totals.some((r) => r.partYear) ? " (* part year)" : ""
  // A basis column only when some year's budget is pro-rated.
  const proRated = totals.filter((r) => r.budget !== null && r.partYear)
  out.push(`Total spend by financial year; tolerance ${tol}${part}`)
  out.push(
    table({
      header: [
        "",
        "budget",
        ...(proRated.length > 0 ? ["budget basis"] : []),
        "mean",
        "P5",
        "P50",
        "P80",
        "P95",
        "P(over)",
        `P(over ${tol})`,
        "exp. overspend"
      ],
      rows: totals.map((r) => [
        r.financialYear + (r.partYear ? "*" : ""),
        m(r.budget),
        ...(proRated.length > 0 ? [r.budget === null ? "-" : budgetBasisText(fyOf(r.financialYear))] : []),
        m(r.mean),
        m(r.quantiles[1]),
        m(r.quantiles[3]),
        m(r.quantiles[4]),
        m(r.quantiles[6]),
        pct(r.probOver),
        pct(r.probOverTolerance),
        m(r.expectedOverspend)
      ])
    })
  )
  for (const r of proRated) out.push(paragraph(proRataNote(fyOf(r.financialYear), m(r.fullYearBudget), m(r.budget))))
  out.push("P80 is the budget that would be enough in 4 years out of 5.")
  out.push("")
  for (const fy of plan.financialYears) {
    const rows = figures.filter((r) => r.financialYear === fy.label && !r.isTotal)
    const budgeted = rows.some((r) => r.budget !== null)
    const partText = isPartYear(fy)
      ? ` (part year: ${fy.days} of ${fy.yearDays} days${budgeted ? "; budgets pro-rated by days" : ""})`
      : ""
    out.push(`Spend by budget line, ${fy.label}${partText}`)
    out.push(
      table({
        header: ["", "budget", "mean", "P10", "P50", "P90", "P(over)", `P(over ${tol})`],
        rows: rows.map((r) => [
          r.budgetLine,
          m(r.budget),
          m(r.mean),
          m(r.quantiles[2]),
          m(r.quantiles[3]),
          m(r.quantiles[5]),
          pct(r.probOver),
          pct(r.probOverTolerance)
        ])
      })
    )
    out.push("")
  }
  // Precision of the first year's total.
  const first = totals[0]
  out.push(`Monte Carlo precision (${first.financialYear} total)`)
  out.push(
    `  mean ${m(first.mean)}, 95% confidence interval of the mean ±${m(Z95 * first.standardError)} ` +
      `(standard error ${m(first.standardError)}); ±${+(plan.precision * 100).toPrecision(3)}% ` +
      (first.runsForPrecision === null
        ? "cannot be estimated from these runs"
        : `needs ${count(first.runsForPrecision)} runs`)
  )
  if (first.probOver === 0 || first.probOver === 1) {
    const none = first.probOver === 0
    const bound = none ? Math.min(1, 3 / n) : Math.max(0, 1 - 3 / n)
    out.push(
      `  P(over budget) ${pct(first.probOver)}: ${none ? "no" : "every"} replication ${none ? "went" : "was"} ` +
        `over budget; the true chance is ${none ? "below" : "above"} ${pct(bound)} (95%, rule of three)`
    )
  } else if (first.probOver !== null)
    out.push(
      `  P(over budget) ${pct(first.probOver)}, 95% confidence interval ` +
        `±${decimal(Z95 * (first.probOverSe ?? 0) * 100, 1)} percentage points; ±1 point needs ` +
        `${count(first.runsForProbability ?? 0)} runs`
    )
  out.push(
    `  percentiles are read from a quantile sketch within ${decimal(plan.sketchAlpha * 100, 2)}% of the exact ` +
      `order statistic`
  )
  out.push("")
  // Stocks at each 31 March.
  const K = STOCK_ROWS.length
  const cols = [
    { label: "start", row: 0 },
    ...plan.months.flatMap((mo, i) =>
      mo.yearEnd || i === plan.months.length - 1 ? [{ label: mo.endDate, row: i + 1 }] : []
    )
  ]
  const sketches = (k: number) => cols.map((c) => s.stockCell(c.row * K + k).sketch)
  out.push("Children open to services: median [P10 - P90]")
  out.push(
    table({
      header: ["", ...cols.map((c) => c.label)],
      rows: printedStockRows((k) => sketches(k).some((sk) => sk.quantile(1) !== 0)).map((k): Row => {
        const row = STOCK_ROWS[k]
        const label =
          row.kind === "level" ? LEVEL_LABEL[row.name as ChildState] : `  ${PLACEMENT_LABEL[row.name as Placement]}`
        return [
          label,
          ...sketches(k).map(
            (sk) => `${count(sk.quantile(0.5))} [${count(sk.quantile(0.1))}-${count(sk.quantile(0.9))}]`
          )
        ]
      })
    })
  )
  // Sensitivity over all years.
  const sens = sensitivityFigures(plan, s)
  if (sens.length > 0) {
    const all = sens[sens.length - 1]
    out.push("")
    out.push(
      `What drives total spend over all years (partial rank correlation; spend with the factor at its P10 / P90)`
    )
    out.push(
      table({
        header: ["", "PRCC", "at P10", "at P90"],
        rows: ranked(all.result.rows)
          .slice(0, 10)
          .map((r) => [plan.factors[r.factor].label, fixed(r.prcc, 2) || "-", m(r.atP10), m(r.atP90)])
      })
    )
    out.push(`Linear model R² ${fixed(all.result.rSquared, 2) || "-"} (the rest is process noise and non-linearity)`)
  }
  return out.join("\n")
}
