/**
 * EES-shaped DfE tables for tests, made here (the shared DfE downloads are never needed for coverage):
 * `eesTable` writes one table (EES's geography block, then the table's own columns) for any councils and
 * years, with a National row as EES has; `tablesFromRun` makes the tables caseflow does not write itself
 * (referrals C1, CP plans started D3, ONS population) from a run's flows.csv, beside the run's own
 * dfe_cin_b1.csv, dfe_cp_d5.csv and dfe_cla.csv.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import type { TableKind } from "../../src/calibrate/DfeTables.js"
import { EES_GEOGRAPHY } from "../../src/report/Dfe.js"
import { csvRows as readCsv } from "./csv.js"

export type Kind = TableKind

export const COLUMNS: Readonly<Record<Kind, ReadonlyArray<string>>> = {
  b1: [
    "category",
    "Anypoint_episodes",
    "Anypoint_child",
    "Started_episodes",
    "Started_child",
    "Ended_episodes",
    "Ended_child",
    "At31_episodes",
    "awaiting_assessment"
  ],
  c1: [
    "category",
    "referral_count",
    "rereferral_count",
    "rereferral_percent",
    "no_further_action_count",
    "no_further_action_percent",
    "not_in_need_count",
    "not_in_need_percent"
  ],
  d3: ["category", "CPP_start", "CPP_subsequent", "CPP_subsequent_percent"],
  d5: [
    "category",
    "CPP_At31",
    "3_months_or_less",
    "3_months_or_less_percent",
    "more_than_3_months_6_months",
    "more_than_3_months_6_months_percent",
    "more_than_6_months_less_than_1_year",
    "more_than_6_months_less_than_1_year_percent",
    "1_year_less_than_2_years",
    "1_year_less_than_2_years_percent",
    "2_years_or_more",
    "2_years_or_more_percent"
  ],
  cla: ["population_type", "population_estimate", "children_count", "rate_per_10000"],
  cla31: ["cla_group", "characteristic", "cla_31_march_number", "percentage"],
  ons: ["age_group", "population_estimate"]
}

export interface Council {
  readonly name: string
  readonly newCode: string
  readonly oldCode: string
}

export interface TableRow {
  readonly year: number
  readonly council: Council | null
  /** The table's own columns (others empty). */
  readonly values: Readonly<Record<string, string | number>>
}

const quote = (v: string): string => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)

/** One EES table as CSV text. `council: null` is the National row. */
export const eesTable = (kind: Kind, rows: ReadonlyArray<TableRow>): string => {
  const header = [...EES_GEOGRAPHY, ...COLUMNS[kind]]
  const lines = rows.map((r) => {
    const geo = [
      String(r.year),
      "Reporting year",
      r.council === null ? "National" : "Local authority",
      "E92000001",
      "England",
      r.council === null ? "" : "E12000002",
      r.council === null ? "" : "North West",
      r.council?.oldCode ?? "",
      r.council?.newCode ?? "",
      r.council?.name ?? ""
    ]
    return [...geo, ...COLUMNS[kind].map((c) => String(r.values[c] ?? ""))].map(quote).join(",")
  })
  return [header.join(","), ...lines].join("\n") + "\n"
}

/**
 * Writes into `dir` the run's own DfE-shaped files (from `runDir`) and C1, D3 and ONS tables made from its
 * flows.csv, for `name` (the scenario's name, its la_name) and a constant `population`.
 */
export const tablesFromRun = (runDir: string, dir: string, name: string, population: number): void => {
  fs.mkdirSync(dir, { recursive: true })
  for (const f of ["dfe_cin_b1.csv", "dfe_cp_d5.csv", "dfe_cla.csv"])
    fs.copyFileSync(path.join(runDir, f), path.join(dir, `run_${f}`))
  const flows = readCsv(path.join(runDir, "flows.csv")).filter((r) => r.period_type === "financial_year")
  const years = new Map<number, Record<string, number>>()
  for (const r of flows) {
    const y = Number(r.period.slice(0, 4)) + 1
    const v = years.get(y) ?? { referrals: 0, re: 0, nfa: 0, nin: 0, cp: 0 }
    const n = Number(r.children)
    if (r.flow === "referral") {
      v.referrals += n
      if (r.detail === "re_referral") v.re += n
    }
    if (r.flow === "case_closed" && r.level === "universal" && r.detail === "no_further_action") v.nfa += n
    if (r.flow === "case_closed" && r.level === "universal" && r.detail === "not_in_need") v.nin += n
    if (r.flow === "start" && r.level === "child_protection") v.cp += n
    years.set(y, v)
  }
  const council: Council = { name, newCode: "", oldCode: "" }
  const c1: Array<TableRow> = []
  const d3: Array<TableRow> = []
  for (const [year, v] of [...years].sort((a, b) => a[0] - b[0])) {
    c1.push({
      year,
      council,
      values: {
        category: "Referrals and Re-referrals",
        referral_count: v.referrals,
        rereferral_count: v.re,
        no_further_action_count: v.nfa,
        not_in_need_count: v.nin
      }
    })
    d3.push({ year, council, values: { category: "CPP", CPP_start: v.cp, CPP_subsequent: "x" } })
  }
  const ys = [...years.keys()]
  const ons = [Math.min(...ys) - 2, ...ys].map((year) => ({
    year,
    council,
    values: { age_group: "Children aged 0 to 17 years", population_estimate: population }
  }))
  fs.writeFileSync(path.join(dir, "referrals.csv"), eesTable("c1", c1))
  fs.writeFileSync(path.join(dir, "plans.csv"), eesTable("d3", d3))
  fs.writeFileSync(path.join(dir, "population.csv"), eesTable("ons", ons))
}

/**
 * A council's tables for `years` (B1, C1, D3, D5, ONS; no CLA) written into `dir` under names that say
 * nothing of what they hold, with figures that grow by `growth` a year from a council of 20,000 children.
 */
export const syntheticTables = (dir: string, council: Council, years: ReadonlyArray<number>, growth = 0.03): void => {
  fs.mkdirSync(dir, { recursive: true })
  const g = (y: number) => (1 + growth) ** (y - years[0])
  const rows = (f: (y: number) => Record<string, string | number>): Array<TableRow> =>
    years.flatMap((year) => [
      { year, council: null, values: f(year) },
      { year, council, values: f(year) }
    ])
  const r = Math.round
  fs.writeFileSync(
    path.join(dir, "a.csv"),
    eesTable(
      "b1",
      rows((y) => ({ At31_episodes: r(700 * g(y)), Started_episodes: r(900 * g(y)) }))
    )
  )
  fs.writeFileSync(
    path.join(dir, "b.csv"),
    eesTable(
      "c1",
      rows((y) => ({
        referral_count: r(1100 * g(y)),
        rereferral_count: r(240 * g(y)),
        no_further_action_count: r(80 * g(y)),
        not_in_need_count: y === years[1] ? "c" : r(330 * g(y))
      }))
    )
  )
  fs.writeFileSync(
    path.join(dir, "c.csv"),
    eesTable(
      "d3",
      rows((y) => ({ CPP_start: r(160 * g(y)), CPP_subsequent: r(30 * g(y)) }))
    )
  )
  fs.writeFileSync(
    path.join(dir, "d.csv"),
    eesTable(
      "d5",
      rows((y) => ({
        CPP_At31: r(120 * g(y)),
        "3_months_or_less": r(36 * g(y)),
        more_than_3_months_6_months: r(30 * g(y)),
        more_than_6_months_less_than_1_year: r(32 * g(y)),
        "1_year_less_than_2_years": r(19 * g(y)),
        "2_years_or_more": r(3 * g(y))
      }))
    )
  )
  fs.writeFileSync(
    path.join(dir, "e.csv"),
    eesTable(
      "ons",
      [years[0] - 1, ...years].map((year) => ({
        year,
        council,
        values: { age_group: "Children aged 0 to 17 years", population_estimate: 20000 }
      }))
    )
  )
}
