/**
 * A back-test's results: backtest.csv (cut-off x measure x horizon), backtest_summary.csv (measure x
 * horizon, then all horizons), the printed table, and the report document (a table and, per measure, a chart
 * of the actual series with each cut-off's median and 90% band).
 */
import type { Block, Json, ReportDocument } from "../report/Document.js"
import { csv } from "../report/Format.js"
import { paragraph, table } from "../report/Table.js"
import type { Workbook } from "../report/Workbook.js"
import { isoOfEpochDay } from "../domain/Calendar.js"
import { ape, bias, type ForecastRow, inside, type SummaryRow } from "./Metrics.js"

export const BACKTEST_FILE = "backtest.csv"
export const SUMMARY_FILE = "backtest_summary.csv"
export const BACKTEST_FILES = [BACKTEST_FILE, SUMMARY_FILE] as const

const num = (x: number, digits: number): string => String(Number(x.toFixed(digits)))
const pct = (x: number | null): string => (x === null ? "" : `${(x * 100).toFixed(1)}%`)

/**
 * How a back-test's periods read: yearly (the DfE tables: cut-offs and periods are years ending 31 March) or
 * monthly (SSDA903 returns: a cut-off is a day, a period a month, `monthKey`).
 */
export interface Resolution {
  readonly unit: "year" | "month"
  /** The column of the period forecast in backtest.csv. */
  readonly periodColumn: string
  readonly cutoff: (c: number) => string
  /** A cut-off as printed ("31 March 2017"). */
  readonly cutoffText: (c: number) => string
  readonly period: (k: number) => string
  readonly axis: string
  /** What the actuals are, for the printed note and the report. */
  readonly actuals: string
  /** Where the actuals and the calibration come from. */
  readonly source: string
  /** The printed table's legend: what the errors, bands and naive forecasts are. */
  readonly legend: string
}

export const YEARLY: Resolution = {
  unit: "year",
  periodColumn: "year",
  cutoff: String,
  cutoffText: (c) => `31 March ${c}`,
  period: String,
  axis: "year ending 31 March",
  actuals: "the published 31 March figure",
  source: "the DfE tables",
  legend:
    "MAPE: mean absolute percentage error of the median forecast against the published 31 March figure; " +
    "bias: mean signed error (above 0: forecast too high). Bands: how often the actual fell inside the 50% " +
    "and 90% Monte Carlo bands (process noise and, with --uncertainty rates, each rate's year-to-year " +
    "variation before the cut-off). Skill: 1 - MAPE / MAPE of the naive forecast (last value carried " +
    "forward; the least-squares line through the last 5 years to the cut-off), above 0 when caseflow did " +
    "better."
}

/** A month as a number: year * 12 + month - 1. */
export const monthKey = (year: number, month: number): number => year * 12 + month - 1

/** "2019-04" of a month key. */
export const monthLabel = (k: number): string =>
  `${Math.floor(k / 12)}-${String((((k % 12) + 12) % 12) + 1).padStart(2, "0")}`

export const MONTHLY: Resolution = {
  unit: "month",
  periodColumn: "month",
  cutoff: isoOfEpochDay,
  cutoffText: isoOfEpochDay,
  period: monthLabel,
  axis: "month",
  actuals: "the returns' figure for the month (children in care at its end, or periods of care begun or ended in it)",
  source: "the SSDA903 returns",
  legend:
    "MAPE: mean absolute percentage error of the median forecast against the returns' figure for the month " +
    "(children in care at its end; periods of care begun or ended in it), over the months of each band of " +
    "horizons; bias: mean signed error (above 0: forecast too high). Bands: how often the actual fell " +
    "inside the 50% and 90% Monte Carlo bands (process noise only). Skill: 1 - MAPE / MAPE of the naive " +
    "forecast (last value carried forward: the last month end, or for a flow the mean month of the last " +
    "12; the least-squares line through the last 60 months to the cut-off), above 0 when caseflow did " +
    "better. backtest_summary.csv has every horizon."
}

/** The two sources together: months for the returns' measures, each later 31 March for the tables'. */
export const COMBINED: Resolution = {
  ...MONTHLY,
  actuals:
    "the returns' figure for the month (children in care, periods of care begun or ended) and the tables' " +
    "for each later 31 March (children in need, CP plans, referrals in the year)",
  source: "the SSDA903 returns and DfE's tables",
  legend:
    "Care (the first four measures) against the SSDA903 returns, by month; children in need (B1, with CP " +
    "plans and looked after), CP plans (D5) and referrals in the year (C1) against DfE's tables at each later " +
    "31 March (horizon 12 months a year). MAPE: mean absolute percentage error of the median forecast; bias: " +
    "mean signed error (above 0: forecast too high). Bands: how often the actual fell inside the 50% and 90% " +
    "Monte Carlo bands (process noise and, with --uncertainty rates, the tables' rates' year-to-year " +
    "variation before the cut-off). Skill: 1 - MAPE / MAPE of the naive forecast, each made from its source " +
    "as it stood on the cut-off (last value carried forward: the last month end, a flow's mean month of the " +
    "last 12, or the last published figure; the least-squares line through the last 60 months or 5 years), " +
    "above 0 when caseflow did better. backtest_summary.csv has every horizon."
}

export const backtestColumns = (res: Resolution = YEARLY): ReadonlyArray<string> => [
  "cutoff",
  "measure",
  "horizon",
  res.periodColumn,
  "actual",
  "median",
  "p05",
  "p25",
  "p75",
  "p95",
  "in_50",
  "in_90",
  "naive_last",
  "naive_trend",
  "ape",
  "ape_naive_last",
  "ape_naive_trend",
  "bias"
]

/** A share to 4 decimals, or nothing (an error of an actual of 0, a naive forecast there is none of). */
const optional = (x: number | null): string => (x === null ? "" : num(x, 4))

export const backtestCsv = (rows: ReadonlyArray<ForecastRow>, res: Resolution = YEARLY): string =>
  csv(
    backtestColumns(res),
    rows.map((r) => [
      res.cutoff(r.cutoff),
      r.measure,
      r.horizon,
      res.period(r.year),
      r.actual,
      num(r.median, 1),
      num(r.p05, 1),
      num(r.p25, 1),
      num(r.p75, 1),
      num(r.p95, 1),
      inside(r.actual, r.p25, r.p75) ? 1 : 0,
      inside(r.actual, r.p05, r.p95) ? 1 : 0,
      r.naiveLast === null ? "" : num(r.naiveLast, 1),
      r.naiveTrend === null ? "" : num(r.naiveTrend, 1),
      optional(ape(r.median, r.actual)),
      r.naiveLast === null ? "" : optional(ape(r.naiveLast, r.actual)),
      r.naiveTrend === null ? "" : optional(ape(r.naiveTrend, r.actual)),
      optional(bias(r.median, r.actual))
    ])
  )

export const SUMMARY_COLUMNS = [
  "measure",
  "horizon",
  "forecasts",
  "forecasts_actual_zero",
  "mape",
  "mape_naive_last",
  "mape_naive_trend",
  "bias",
  "coverage_50",
  "coverage_90",
  "skill_vs_naive_last",
  "skill_vs_naive_trend"
] as const

/** A summary row's horizon in a file: "all", "3", or a band "4-6". */
const horizonKey = (s: SummaryRow): string =>
  s.horizon === null ? "all" : s.through === null ? String(s.horizon) : `${s.horizon}-${s.through}`

const horizonText = (s: SummaryRow, unit: Resolution["unit"]): string =>
  s.horizon === null ? "all" : `${horizonKey(s)} ${unit}${s.through === null && s.horizon === 1 ? "" : "s"}`

export const summaryCsv = (rows: ReadonlyArray<SummaryRow>): string =>
  csv(
    SUMMARY_COLUMNS,
    rows.map((s) => [
      s.measure,
      horizonKey(s),
      s.forecasts,
      s.actualZero,
      optional(s.mapeModel),
      optional(s.mapeLast),
      optional(s.mapeTrend),
      optional(s.biasModel),
      num(s.coverage50, 4),
      num(s.coverage90, 4),
      optional(s.skillLast),
      optional(s.skillTrend)
    ])
  )

const SUMMARY_HEADER = [
  "measure, horizon",
  "n",
  "MAPE",
  "MAPE last",
  "MAPE trend",
  "bias",
  "in 50%",
  "in 90%",
  "skill last",
  "skill trend"
]

const summaryCells = (s: SummaryRow, unit: Resolution["unit"] = "year"): Array<string> => [
  `${s.measure}, ${horizonText(s, unit)}`,
  String(s.forecasts),
  pct(s.mapeModel),
  pct(s.mapeLast),
  pct(s.mapeTrend),
  pct(s.biasModel),
  pct(s.coverage50),
  pct(s.coverage90),
  pct(s.skillLast),
  pct(s.skillTrend)
]

/** The printed summary. */
export const backtestText = (
  council: string,
  cutoffs: ReadonlyArray<number>,
  runs: number,
  summary: ReadonlyArray<SummaryRow>,
  res: Resolution = YEARLY
): string =>
  [
    `Back-test of ${council}: cut-offs ${cutoffs.map(res.cutoffText).join(", ")}; ` + `${runs} Monte Carlo runs each`,
    table({ header: SUMMARY_HEADER, rows: summary.map((s) => summaryCells(s, res.unit)), labels: 1 }),
    paragraph(res.legend),
    ...[zeroNote(summary)].flatMap((n) => (n === null ? [] : [paragraph(n)]))
  ].join("\n")

/** What the summary says of forecasts whose actual was 0, if any (null: none). */
export const zeroNote = (summary: ReadonlyArray<SummaryRow>): string | null => {
  const all = summary.filter((s) => s.horizon === null)
  const zero = all.reduce((n, s) => n + s.actualZero, 0)
  if (zero === 0) return null
  const which = all.filter((s) => s.actualZero > 0).map((s) => `${s.measure} ${s.actualZero} of ${s.forecasts}`)
  return (
    `Forecasts whose actual was 0 (${which.join(", ")}) count in n and in the bands but have no percentage ` +
    "error: MAPE, bias and skill are over the others."
  )
}

const layers = (res: Resolution): ReadonlyArray<Json> => [
  {
    mark: { type: "area", opacity: 0.15 },
    transform: [{ filter: "datum.kind != 'published'" }],
    encoding: {
      x: { field: "year", type: "ordinal", title: res.axis },
      y: { field: "lo", type: "quantitative", title: "children" },
      y2: { field: "hi" },
      color: { field: "kind", type: "nominal", title: null }
    }
  },
  {
    mark: { type: "line", point: true },
    encoding: {
      x: { field: "year", type: "ordinal" },
      y: { field: "value", type: "quantitative" },
      color: { field: "kind", type: "nominal", title: null }
    }
  }
]

/** The report: the summary table, one chart per measure and the forecasts in full. */
export const backtestDocument = (o: {
  readonly council: string
  readonly cutoffs: ReadonlyArray<number>
  readonly runs: number
  readonly rows: ReadonlyArray<ForecastRow>
  readonly summary: ReadonlyArray<SummaryRow>
  readonly actuals: ReadonlyArray<{ readonly measure: string; readonly series: ReadonlyMap<number, number> }>
  readonly resolution?: Resolution
}): ReportDocument => {
  const res = o.resolution ?? YEARLY
  const yearly = res.unit === "year"
  const charts: Array<Block> = o.actuals
    .filter((a) => o.rows.some((r) => r.measure === a.measure))
    .map((a) => {
      const values: ReadonlyArray<Json> = [
        ...[...a.series].map(([year, v]) => ({
          year: res.period(year),
          kind: yearly ? "published" : "actual",
          value: v,
          lo: v,
          hi: v
        })),
        ...o.rows
          .filter((r) => r.measure === a.measure)
          .map((r) => ({
            year: res.period(r.year),
            kind: `forecast from ${res.cutoff(r.cutoff)}`,
            value: r.median,
            lo: r.p05,
            hi: r.p95
          }))
      ]
      return {
        kind: "chart" as const,
        title: yearly ? `${a.measure} at 31 March: published and forecast` : `${a.measure}: actual and forecast`,
        source: BACKTEST_FILE,
        caption: yearly
          ? `${a.measure} at 31 March as published (DfE) and caseflow's median forecast from each cut-off, ` +
            "with its 90% band"
          : `${a.measure} by month from ${res.source} and caseflow's median forecast from each cut-off, ` +
            "with its 90% band",
        spec: {
          $schema: "https://vega.github.io/schema/vega-lite/v6.json",
          width: 640,
          height: 260,
          data: { values },
          layer: layers(res)
        }
      }
    })
  return {
    title: `${o.council}: back-test`,
    subtitle: `cut-offs ${o.cutoffs.map(res.cutoff).join(", ")}; ${o.runs} Monte Carlo runs each`,
    summary:
      `How far caseflow's forecasts, calibrated only on ${res.source} up to each cut-off, were from what the ` +
      `council ${yearly ? "then published" : "recorded after it"}, against two naive forecasts (the last value ` +
      "carried forward and a straight-line trend).",
    sections: [
      {
        title: "Summary",
        blocks: [
          {
            kind: "table",
            caption: "Errors by measure and horizon",
            columns: SUMMARY_HEADER.map((header, i) => ({ header, numeric: i > 0 })),
            rows: o.summary.map((s) => summaryCells(s, res.unit))
          },
          ...[zeroNote(o.summary)].flatMap((n) => (n === null ? [] : [{ kind: "paragraph" as const, text: n }]))
        ]
      },
      { title: "Forecasts and actuals", blocks: charts },
      {
        title: "Every forecast",
        blocks: [
          {
            kind: "table",
            caption: `Each cut-off, measure and ${res.unit}`,
            columns: ["cut-off", "measure", res.unit, "actual", "median", "90% band", "last value", "trend"].map(
              (header, i) => ({ header, numeric: i > 1 })
            ),
            rows: o.rows.map((r) => [
              res.cutoff(r.cutoff),
              r.measure,
              res.period(r.year),
              String(r.actual),
              r.median.toFixed(0),
              `${r.p05.toFixed(0)} to ${r.p95.toFixed(0)}`,
              r.naiveLast === null ? "-" : r.naiveLast.toFixed(0),
              r.naiveTrend === null ? "-" : r.naiveTrend.toFixed(0)
            ])
          }
        ]
      }
    ]
  }
}

/** The workbook (for --xlsx): the forecasts and the summary. */
export const backtestWorkbook = (
  rows: ReadonlyArray<ForecastRow>,
  summary: ReadonlyArray<SummaryRow>,
  res: Resolution = YEARLY
): Workbook => ({
  sheets: [
    {
      name: "Summary",
      columns: SUMMARY_COLUMNS.map((header, i) => ({ header, kind: i < 2 ? ("text" as const) : ("decimal" as const) })),
      rows: summary.map((s) => [
        s.measure,
        horizonKey(s),
        s.forecasts,
        s.actualZero,
        s.mapeModel,
        s.mapeLast,
        s.mapeTrend,
        s.biasModel,
        s.coverage50,
        s.coverage90,
        s.skillLast,
        s.skillTrend
      ])
    },
    {
      name: "Forecasts",
      columns: [
        "cutoff",
        "measure",
        res.periodColumn,
        "actual",
        "median",
        "p05",
        "p95",
        "naive_last",
        "naive_trend"
      ].map((header, i) => ({
        header,
        kind: i === 1 || (res.unit === "month" && i < 3) ? ("text" as const) : ("decimal" as const)
      })),
      rows: rows.map((r) => [
        res.unit === "year" ? r.cutoff : res.cutoff(r.cutoff),
        r.measure,
        res.unit === "year" ? r.year : res.period(r.year),
        r.actual,
        r.median,
        r.p05,
        r.p95,
        r.naiveLast,
        r.naiveTrend
      ])
    }
  ]
})
