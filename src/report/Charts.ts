/**
 * Vega-Lite (v6) specifications of the charts in caseflow's reports, as plain data (`Document.ts`): each
 * takes its figures as rows of inline values. Time axes are UTC scales over ISO dates, so a rendered chart
 * is the same in every time zone; money is in pounds, with axis labels in £m.
 */
import type { Json } from "./Document.js"

type Spec = { readonly [key: string]: Json }
type Rows = ReadonlyArray<{ readonly [key: string]: string | number | null }>

const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
const WIDTH = 760

/** A date axis over month ends: UTC, labelled by month and year. */
const dateAxis = (field: string, title: string): Spec => ({
  field,
  type: "temporal",
  title,
  scale: { type: "utc" },
  axis: { format: "%b %Y", labelAngle: 0, tickCount: 8 }
})

/** Money on an axis, in £m. */
const moneyAxis = (field: string, title: string): Spec => ({
  field,
  type: "quantitative",
  title,
  axis: { labelExpr: "'£' + format(datum.value / 1e6, ',.1f') + 'm'" }
})

const values = (rows: Rows): Json => rows as unknown as Json

/** Lines by series over month ends, with a dashed rule at each 31 March. */
export const linesOverTime = (o: {
  readonly rows: Rows
  readonly date: string
  readonly value: string
  readonly series: string
  readonly valueTitle: string
  readonly yearEnds: ReadonlyArray<string>
  readonly sort?: ReadonlyArray<string>
  readonly height?: number
  /** Values are shares, shown as percentages. */
  readonly percent?: boolean
}): Spec => ({
  $schema: SCHEMA,
  width: WIDTH,
  height: o.height ?? 260,
  layer: [
    {
      data: { values: values(o.yearEnds.map((d) => ({ d }))) },
      mark: { type: "rule", strokeDash: [3, 3], color: "#999" },
      encoding: { x: { ...dateAxis("d", "") } }
    },
    {
      data: { values: values(o.rows) },
      mark: { type: "line", point: false, strokeWidth: 2 },
      encoding: {
        x: dateAxis(o.date, "month end (dashed: 31 March)"),
        y: {
          field: o.value,
          type: "quantitative",
          title: o.valueTitle,
          ...(o.percent === true ? { axis: { format: ".0%" } } : {})
        },
        color: { field: o.series, type: "nominal", title: null, sort: o.sort === undefined ? null : [...o.sort] }
      }
    }
  ]
})

/** Stacked areas by series over month ends. */
export const stackedOverTime = (o: {
  readonly rows: Rows
  readonly date: string
  readonly value: string
  readonly series: string
  readonly valueTitle: string
  readonly sort: ReadonlyArray<string>
}): Spec => ({
  $schema: SCHEMA,
  width: WIDTH,
  height: 260,
  data: { values: values(o.rows) },
  mark: { type: "area", interpolate: "step-after" },
  encoding: {
    x: dateAxis(o.date, "month end"),
    y: { field: o.value, type: "quantitative", title: o.valueTitle, stack: "zero" },
    color: { field: o.series, type: "nominal", title: null, sort: [...o.sort] },
    order: { field: "order", type: "quantitative" }
  }
})

/** Bars grouped by a category (a financial year), one bar per series side by side. */
export const groupedBars = (o: {
  readonly rows: Rows
  readonly category: string
  readonly value: string
  readonly series: string
  readonly valueTitle: string
  readonly sort: ReadonlyArray<string>
  readonly money?: boolean
}): Spec => ({
  $schema: SCHEMA,
  width: WIDTH,
  height: 240,
  data: { values: values(o.rows) },
  mark: { type: "bar" },
  encoding: {
    x: { field: o.category, type: "ordinal", title: null, axis: { labelAngle: 0 } },
    xOffset: { field: o.series, type: "nominal", sort: [...o.sort] },
    y:
      o.money === true
        ? moneyAxis(o.value, o.valueTitle)
        : { field: o.value, type: "quantitative", title: o.valueTitle },
    color: { field: o.series, type: "nominal", title: null, sort: [...o.sort] }
  }
})

/**
 * Spend stacked by budget line for each financial year (a negative line below zero), with the year's total
 * (net of any negative line) as a black diamond and its budget as a red tick.
 */
export const spendAgainstBudget = (o: {
  readonly rows: Rows
  readonly totals: Rows
  readonly budgets: Rows
  readonly lines: ReadonlyArray<string>
}): Spec => ({
  $schema: SCHEMA,
  width: WIDTH,
  height: 300,
  layer: [
    {
      data: { values: values(o.rows) },
      mark: { type: "bar" },
      encoding: {
        x: { field: "year", type: "ordinal", title: null, axis: { labelAngle: 0 } },
        y: { ...moneyAxis("amount", "spend"), stack: "zero" },
        color: {
          field: "line",
          type: "nominal",
          title: "budget line",
          sort: [...o.lines],
          legend: { orient: "bottom", columns: 2 }
        },
        order: { field: "order", type: "quantitative" }
      }
    },
    // (No layer for the budget without one: an empty layer leaves the scale an infinite extent.)
    ...(o.budgets.length === 0
      ? []
      : [
          {
            data: { values: values(o.budgets) },
            mark: { type: "tick", color: "#d62020", thickness: 4, size: 70 },
            encoding: {
              x: { field: "year", type: "ordinal" },
              y: { field: "budget", type: "quantitative" }
            }
          }
        ]),
    {
      data: { values: values(o.totals) },
      mark: { type: "point", shape: "diamond", filled: true, color: "#111", size: 90 },
      encoding: {
        x: { field: "year", type: "ordinal" },
        y: { field: "total", type: "quantitative" }
      }
    }
  ]
})

/**
 * A forecast outturn by budget line: actual spend to date and the simulated rest of the year (mean) as a
 * stacked bar, the outturn's 90% interval as an error bar and the budget as a red tick.
 */
export const outturnByLine = (o: {
  readonly parts: Rows
  readonly outturns: Rows
  readonly budgets: Rows
  readonly lines: ReadonlyArray<string>
}): Spec => ({
  $schema: SCHEMA,
  width: WIDTH,
  height: Math.max(120, 34 * o.lines.length),
  layer: [
    {
      data: { values: values(o.parts) },
      mark: { type: "bar" },
      encoding: {
        y: { field: "line", type: "nominal", title: null, sort: [...o.lines], axis: { labelLimit: 0 } },
        x: { ...moneyAxis("amount", "outturn"), stack: "zero" },
        color: {
          field: "part",
          type: "nominal",
          title: null,
          sort: ["actual to date", "simulated rest of the year (mean)"],
          scale: { range: ["#1f5a96", "#9cc3e6"] },
          legend: { orient: "bottom" }
        },
        order: { field: "order", type: "quantitative" }
      }
    },
    {
      data: { values: values(o.outturns) },
      mark: { type: "errorbar", ticks: true, color: "#111" },
      encoding: {
        y: { field: "line", type: "nominal", sort: [...o.lines] },
        x: {
          field: "p5",
          type: "quantitative",
          title: "outturn (bar: actual + mean of the rest; whisker: 90% of runs)"
        },
        x2: { field: "p95" }
      }
    },
    ...(o.budgets.length === 0
      ? []
      : [
          {
            data: { values: values(o.budgets) },
            mark: { type: "tick", color: "#d62020", thickness: 3 },
            encoding: {
              y: { field: "line", type: "nominal", sort: [...o.lines] },
              x: { field: "budget", type: "quantitative", title: null }
            }
          }
        ])
  ]
})

/** How a forecast moved: the outturn's mean and 90% interval at each as-of date, with the budget. */
export const forecastMoves = (o: { readonly rows: Rows; readonly budget: number | null }): Spec => ({
  $schema: SCHEMA,
  width: WIDTH,
  height: 240,
  layer: [
    {
      data: { values: values(o.rows) },
      mark: { type: "area", opacity: 0.3, color: "#1f5a96" },
      encoding: {
        x: { ...dateAxis("asOf", "forecast as at"), axis: { format: "%d %b %Y", labelAngle: 0 } },
        y: { ...moneyAxis("p5", "forecast outturn"), scale: { zero: false } },
        y2: { field: "p95" }
      }
    },
    {
      data: { values: values(o.rows) },
      mark: { type: "line", point: true, color: "#1f5a96", strokeWidth: 2 },
      encoding: {
        x: { field: "asOf", type: "temporal", scale: { type: "utc" } },
        y: { field: "mean", type: "quantitative" }
      }
    },
    ...(o.budget === null
      ? []
      : [
          {
            data: { values: values([{ budget: o.budget }]) },
            mark: { type: "rule", color: "#d62020", strokeWidth: 2 },
            encoding: { y: { field: "budget", type: "quantitative" } }
          }
        ])
  ]
})

/** A fan chart: the median line, 50% and 90% bands, over month ends (or any dates). */
export const fanChart = (o: { readonly rows: Rows; readonly valueTitle: string; readonly money?: boolean }): Spec => {
  const y = (field: string): Spec =>
    o.money === true ? moneyAxis(field, o.valueTitle) : { field, type: "quantitative", title: o.valueTitle }
  return {
    $schema: SCHEMA,
    width: WIDTH,
    height: 260,
    data: { values: values(o.rows) },
    layer: [
      {
        mark: { type: "area", opacity: 0.25, color: "#1f5a96" },
        encoding: { x: dateAxis("date", "date"), y: y("p05"), y2: { field: "p95" } }
      },
      {
        mark: { type: "area", opacity: 0.45, color: "#1f5a96" },
        encoding: { x: dateAxis("date", "date"), y: y("p25"), y2: { field: "p75" } }
      },
      {
        mark: { type: "line", color: "#0b2f55", strokeWidth: 2 },
        encoding: { x: dateAxis("date", "date"), y: y("p50") }
      }
    ]
  }
}

/**
 * The distribution of each year's spend, one small chart per year: the run's percentiles (`runs`, spend in
 * £m, so each stands for 1% of the runs) binned into bars, with the budget (solid) and the budget plus
 * tolerance (dashed) as rules where the year has a budget.
 */
export const spendDistribution = (o: {
  readonly years: ReadonlyArray<{
    readonly year: string
    readonly runs: ReadonlyArray<number>
    readonly budget: number | null
    readonly limit: number | null
  }>
}): Spec => ({
  $schema: SCHEMA,
  columns: 3,
  concat: o.years.map((y): Spec => ({
    title: { text: y.year, anchor: "middle", fontSize: 11 },
    width: 220,
    height: 140,
    layer: [
      {
        data: { values: values(y.runs.map((x) => ({ x }))) },
        mark: { type: "bar", color: "#1f5a96" },
        encoding: {
          x: { field: "x", type: "quantitative", bin: { maxbins: 20 }, title: "total spend (£m)" },
          y: { aggregate: "count", type: "quantitative", title: "% of runs" }
        }
      },
      ...(y.budget === null || y.limit === null
        ? []
        : [
            {
              data: { values: values([{ x: y.budget }]) },
              mark: { type: "rule", color: "#d62020", strokeWidth: 2 },
              encoding: { x: { field: "x", type: "quantitative" } }
            },
            {
              data: { values: values([{ x: y.limit }]) },
              mark: { type: "rule", color: "#d62020", strokeWidth: 2, strokeDash: [4, 3] },
              encoding: { x: { field: "x", type: "quantitative" } }
            }
          ])
    ]
  }))
})

/** A tornado chart: for each factor, a bar from `low` to `high` (pounds), widest first. */
export const tornado = (o: { readonly rows: Rows }): Spec => ({
  $schema: SCHEMA,
  width: 560,
  height: { step: 24 },
  data: { values: values(o.rows) },
  mark: { type: "bar", color: "#1f5a96" },
  encoding: {
    y: { field: "factor", type: "nominal", title: null, sort: null },
    x: { ...moneyAxis("low", "total spend over all years"), scale: { zero: false } },
    x2: { field: "high" }
  }
})

/** A waterfall: bars from each step's start to its end, the total steps from 0. */
export const waterfall = (o: { readonly rows: Rows }): Spec => ({
  $schema: SCHEMA,
  width: 620,
  height: 280,
  data: { values: values(o.rows) },
  layer: [
    {
      mark: { type: "bar", size: 46 },
      encoding: {
        x: { field: "step", type: "ordinal", sort: null, title: null, axis: { labelAngle: 0 } },
        y: moneyAxis("from", "pounds over the run (undiscounted)"),
        y2: { field: "to" },
        color: {
          field: "kind",
          type: "nominal",
          title: null,
          scale: { domain: ["total", "deduction", "net"], range: ["#1f5a96", "#b8403a", "#3a8f52"] }
        }
      }
    },
    {
      mark: { type: "text", dy: -8 },
      encoding: {
        x: { field: "step", type: "ordinal", sort: null },
        y: { field: "top", type: "quantitative" },
        text: { field: "label", type: "nominal" }
      }
    }
  ]
})

/** Points with error bars: a paired difference and its 95% interval by date, one panel per measure. */
export const intervals = (o: { readonly rows: Rows; readonly valueTitle: string }): Spec => ({
  $schema: SCHEMA,
  data: { values: values(o.rows) },
  facet: { field: "measure", type: "nominal", title: null, sort: null },
  columns: 2,
  spec: {
    width: 340,
    height: 200,
    layer: [
      { mark: { type: "rule", color: "#999" }, encoding: { y: { datum: 0 } } },
      {
        mark: { type: "errorbar", ticks: true },
        encoding: {
          x: { field: "date", type: "ordinal", title: "31 March of", sort: null, axis: { labelAngle: 0 } },
          y: { field: "lo", type: "quantitative", title: o.valueTitle },
          y2: { field: "hi" }
        }
      },
      {
        mark: { type: "point", filled: true, color: "#1f5a96", size: 50 },
        encoding: { x: { field: "date", type: "ordinal", sort: null }, y: { field: "mean", type: "quantitative" } }
      }
    ]
  },
  resolve: { scale: { y: "independent" } }
})

/** FTE needed and permanent FTE in post over month ends, one small panel per team. */
export const teamLines = (o: { readonly rows: Rows; readonly yearEnds: ReadonlyArray<string> }): Spec => ({
  $schema: SCHEMA,
  data: { values: values(o.rows) },
  facet: {
    field: "team",
    type: "nominal",
    title: null,
    sort: null,
    header: { labelFontSize: 12, labelAnchor: "start" }
  },
  columns: 2,
  spec: {
    width: 360,
    height: 150,
    mark: { type: "line", strokeWidth: 2, interpolate: "step-after" },
    encoding: {
      x: dateAxis("date", ""),
      y: { field: "fte", type: "quantitative", title: "FTE" },
      color: { field: "series", type: "nominal", title: null, sort: ["FTE needed", "permanent FTE in post"] }
    }
  },
  resolve: { scale: { y: "independent" } }
})
