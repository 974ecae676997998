/**
 * The report and the workbook of one run (`caseflow run --report FILE.html --xlsx FILE.xlsx`, and
 * `replay`): children by level over time (month ends, 31 March marked), looked-after children by placement
 * type, entries and exits per financial year, spend by budget line per financial year against the budget,
 * workforce (FTE needed against in post, agency share), services (utilisation, waiting lists), the DfE-shaped
 * year-end tables, the assumptions and the model description. Every chart's figures are in a CSV of the run.
 */
import {
  CELL_COUNT,
  LEFT_CARE_REASONS,
  LEVEL_LABEL,
  levelCount,
  OPEN_LEVELS,
  PLACEMENT_LABEL,
  PLACEMENTS,
  placementCell,
  STATES,
  stateIndex
} from "../domain/Level.js"
import type { Calendar } from "../domain/Calendar.js"
import { escapeControl } from "../domain/Show.js"
import type { LedgerTotals } from "../projections/Ledger.js"
import type { Spend } from "../projections/Spend.js"
import { teamYears, workforceOf } from "../projections/Workforce.js"
import type { ScenarioSource } from "../scenario/Load.js"
import type { Scenario } from "../scenario/Scenario.js"
import type { Parameter } from "./Assumptions.js"
import { groupedBars, linesOverTime, spendAgainstBudget, stackedOverTime, teamLines } from "./Charts.js"
import { paragraph, type Block, type ReportDocument, type Section } from "./Document.js"
import { dfeBlocks, dfeSheets, type DfeTables } from "./Dfe.js"
import { count, decimal, MISSING, money, percent } from "./Format.js"
import {
  assumptionsSection,
  assumptionsSheet,
  modelSection,
  runSheet,
  scenarioFact,
  type ReportFacts
} from "./Reporting.js"
import { servicePeriod } from "./Services.js"
import { childrenRows, snapshots, spendTable } from "./Wide.js"
import { workbook, type Sheet, type Workbook } from "./Workbook.js"
import { VERSION } from "../version.js"

export interface RunReportInput {
  readonly facts: ReportFacts
  readonly scenario: Scenario
  readonly totals: LedgerTotals
  readonly spend: Spend
  readonly parameters: ReadonlyArray<Parameter>
  readonly dfe: DfeTables | null
}

/** The report of `source` run once with `seed` over `years`: its facts and results (the CLI's and the page's). */
export const runReportInput = (o: {
  readonly source: ScenarioSource
  readonly seed: number
  readonly years: number
  readonly calendar: Calendar
  readonly result: { readonly totals: LedgerTotals; readonly spend: Spend }
  readonly parameters: ReadonlyArray<Parameter>
  readonly dfe: DfeTables | null
}): RunReportInput => ({
  facts: {
    kind: "run",
    scenarios: [scenarioFact("Scenario", o.source)],
    seed: o.seed,
    runs: 1,
    years: o.years,
    start: o.calendar.startDate,
    end: o.calendar.dateOf(o.calendar.horizon - 1),
    version: VERSION
  },
  scenario: o.source.central,
  totals: o.result.totals,
  spend: o.result.spend,
  parameters: o.parameters,
  dfe: o.dfe
})

const S = STATES.length

/** Entries into care and exits from care (by reason), per financial year. */
const careFlows = (l: LedgerTotals) => {
  const la = stateIndex.looked_after
  const cal = l.calendar
  return cal.financialYears.map((fy, f) => {
    let started = 0
    const left = new Array<number>(LEFT_CARE_REASONS.length).fill(0)
    let referrals = 0
    let contacts = 0
    cal.months.forEach((m, i) => {
      if (m.fy !== f) return
      for (let from = 0; from < S; from++) if (from !== la) started += l.starts[i * S * S + la * S + from]
      LEFT_CARE_REASONS.forEach((_, r) => (left[r] += l.leftCare[i * LEFT_CARE_REASONS.length + r]))
      referrals += l.referrals[i * 2] + l.referrals[i * 2 + 1]
      contacts += l.contacts[i * 2] + l.contacts[i * 2 + 1]
    })
    return { year: fy.label, started, left, referrals, contacts, ceased: left.reduce((a, b) => a + b, 0) }
  })
}

const reasonLabel = (r: string): string => r.replace(/_/g, " ")

const summaryOf = (i: RunReportInput): string => {
  const at = snapshots(i.totals)
  const first = at[0]
  const last = at[at.length - 1]
  const n = (level: (typeof OPEN_LEVELS)[number], s: (typeof at)[number]) => levelCount(s.cells, s.offset, level)
  const t = spendTable(i.scenario, i.totals, i.spend)
  const y0 = t.totals[0]
  const yN = t.totals[t.totals.length - 1]
  const budget =
    y0.budget === null
      ? ""
      : ` against a budget of ${money(y0.budget)} (${money(Math.abs(y0.variance ?? 0))} ${
          (y0.variance ?? 0) > 0 ? "over" : "under"
        })`
  return (
    `This is one simulated run of ${escapeControl(i.scenario.name)}: one random draw (seed ${i.facts.seed}) of ` +
    `what may happen over ${i.facts.years} year${i.facts.years === 1 ? "" : "s"} from ${i.facts.start}, not a ` +
    `forecast with a range. Children looked after go from ${count(n("looked_after", first))} at the start to ` +
    `${count(n("looked_after", last))} on ${last.date}, and children on child protection plans from ` +
    `${count(n("child_protection", first))} to ${count(n("child_protection", last))}. Spend is ` +
    `${money(y0.spend)} in ${y0.coverage.label}${budget}` +
    (t.totals.length > 1 ? ` and ${money(yN.spend)} in ${yN.coverage.label}. ` : ". ") +
    "For intervals over many runs, and the chance of overspending, run caseflow montecarlo on the same scenario."
  )
}

const childrenSection = (l: LedgerTotals): Section => {
  const cal = l.calendar
  const rows: Array<{ date: string; level: string; children: number }> = []
  const lac: Array<{ date: string; placement: string; children: number; order: number }> = []
  const opening = cal.dateOf(-1)
  const push = (date: string, cells: ArrayLike<number>, offset: number) => {
    for (const level of OPEN_LEVELS)
      rows.push({ date, level: LEVEL_LABEL[level], children: levelCount(cells, offset, level) })
    PLACEMENTS.forEach((p, k) =>
      lac.push({ date, placement: PLACEMENT_LABEL[p], children: cells[offset + placementCell(k)], order: k })
    )
  }
  push(opening, l.openingStock, 0)
  cal.months.forEach((m, i) => push(m.endDate, l.monthEndStock, i * CELL_COUNT))
  const used = new Set(lac.filter((r) => r.children !== 0).map((r) => r.placement))
  const at = snapshots(l)
  const yearEnds = at.filter((s) => s.yearEnd).map((s) => s.date)
  const table: Block = {
    kind: "table",
    caption: "Children at the start and at each 31 March",
    columns: [{ header: "" }, ...at.map((s) => ({ header: s.label, numeric: true }))],
    rows: childrenRows(l, at).map((r) => [r.placement === null ? r.label : `  ${r.label}`, ...r.counts.map(count)])
  }
  return {
    title: "Children",
    blocks: [
      {
        kind: "chart",
        title: "Children by level of need",
        caption: "Children open at each level at each month end; the dashed lines are 31 March, DfE's snapshot date.",
        source: "stocks.csv",
        spec: linesOverTime({
          rows,
          date: "date",
          value: "children",
          series: "level",
          valueTitle: "children",
          yearEnds,
          sort: OPEN_LEVELS.map((lv) => LEVEL_LABEL[lv])
        })
      },
      table,
      {
        kind: "chart",
        title: "Looked-after children by placement type",
        caption: "Children looked after at each month end, stacked by placement type.",
        source: "placements.csv",
        spec: stackedOverTime({
          rows: lac.filter((r) => used.has(r.placement)),
          date: "date",
          value: "children",
          series: "placement",
          valueTitle: "children looked after",
          sort: PLACEMENTS.map((p) => PLACEMENT_LABEL[p]).filter((p) => used.has(p))
        })
      }
    ]
  }
}

const flowsSection = (l: LedgerTotals, withContacts: boolean): Section => {
  const flows = careFlows(l)
  const series = ["started care", "left care"]
  const rows = flows.flatMap((f) => [
    { year: f.year, flow: "started care", children: f.started },
    { year: f.year, flow: "left care", children: f.ceased }
  ])
  return {
    title: "Entries to and exits from care",
    blocks: [
      {
        kind: "chart",
        title: "Children starting and leaving care per financial year",
        caption: "Care episodes started and ended in each financial year (a part year only for its days).",
        source: "flows.csv",
        spec: groupedBars({
          rows,
          category: "year",
          value: "children",
          series: "flow",
          valueTitle: "children",
          sort: series
        })
      },
      {
        kind: "table",
        caption: "Referrals and care episodes per financial year",
        columns: [{ header: "" }, ...flows.map((f) => ({ header: f.year, numeric: true }))],
        rows: [
          ...(withContacts ? [["Contacts (about children not known)", ...flows.map((f) => count(f.contacts))]] : []),
          ["Referrals (new and re-referrals)", ...flows.map((f) => count(f.referrals))],
          ["Started care", ...flows.map((f) => count(f.started))],
          ["Left care", ...flows.map((f) => count(f.ceased))],
          ...LEFT_CARE_REASONS.map((r, k) => [`  ${reasonLabel(r)}`, ...flows.map((f) => count(f.left[k]))])
        ]
      }
    ]
  }
}

const spendSection = (i: RunReportInput): Section => {
  const t = spendTable(i.scenario, i.totals, i.spend)
  const rows = t.lines.flatMap((line, k) =>
    t.years.map((year, f) => ({ year, line: line.name, amount: line.amounts[f], order: k }))
  )
  const budgets = t.totals.flatMap((y) => (y.budget === null ? [] : [{ year: y.coverage.label, budget: y.budget }]))
  const tableRows: Array<Array<string>> = t.lines.map((l) => [l.name, ...l.amounts.map(money)])
  tableRows.push(["Total", ...t.totals.map((y) => money(y.spend))])
  const totals = [tableRows.length - 1]
  if (t.hasBudget) {
    tableRows.push(["Budget", ...t.totals.map((y) => money(y.budget))])
    tableRows.push(["Variance (spend - budget)", ...t.totals.map((y) => money(y.variance))])
  }
  const partNote = t.partYear.some((p) => p)
    ? [paragraph("* A part year: its budget is pro-rated by the days the run covers.")]
    : []
  return {
    title: "Spend by budget line",
    blocks: [
      {
        kind: "chart",
        title: "Spend by budget line and financial year, against the budget",
        caption:
          "Spend stacked by budget line (a negative line, such as income or a recharge, stacks below zero)" +
          "; the black diamond is the year's total spend" +
          (budgets.length > 0 ? " and the red tick its budget." : " (the scenario gives no budget)."),
        source: "costs.csv and summary_spend.csv",
        spec: spendAgainstBudget({
          rows,
          totals: t.totals.map((y) => ({ year: y.coverage.label, total: y.spend })),
          budgets,
          lines: t.lines.map((l) => l.name)
        })
      },
      {
        kind: "table",
        caption: "Spend by budget line and financial year",
        columns: [
          { header: "budget line" },
          ...t.years.map((y, f) => ({ header: y + (t.partYear[f] ? "*" : ""), numeric: true }))
        ],
        rows: tableRows,
        totals
      },
      ...partNote
    ]
  }
}

const workforceSection = (l: LedgerTotals): Section | null => {
  const teams = workforceOf(l)
  if (teams.length === 0) return null
  const cal = l.calendar
  const rows = teams.flatMap((t) =>
    cal.months.flatMap((m, i) => [
      { date: m.endDate, team: t.team.name, series: "FTE needed", fte: t.fteNeeded[i] },
      { date: m.endDate, team: t.team.name, series: "permanent FTE in post", fte: t.permanentFte[i] }
    ])
  )
  const yearEnds = snapshots(l)
    .filter((s) => s.yearEnd)
    .map((s) => s.date)
  const tableRows = teams.flatMap((t) =>
    teamYears(l, t).map((y) => {
      const cost = y.permanentCost + y.agencyCost
      return [
        t.team.name,
        y.fy,
        decimal(y.fteNeeded, 1),
        decimal(y.permanentFte, 1),
        decimal(y.agencyFte, 1),
        percent(y.fteNeeded > 0 ? y.agencyFte / y.fteNeeded : null, 0),
        money(cost),
        percent(cost > 0 ? y.agencyCost / cost : null, 0)
      ]
    })
  )
  return {
    title: "Workforce",
    blocks: [
      {
        kind: "chart",
        title: "FTE needed against permanent staff in post",
        caption:
          "For each team, the FTE its caseload needs at the target caseload, and the permanent FTE in post; " +
          "agency staff cover the gap.",
        source: "workforce.csv",
        spec: teamLines({ rows, yearEnds })
      },
      {
        kind: "table",
        caption: "Workforce per financial year (FTE: averages over the year)",
        columns: [
          { header: "team" },
          { header: "year" },
          { header: "FTE needed", numeric: true },
          { header: "permanent", numeric: true },
          { header: "agency", numeric: true },
          { header: "agency share", numeric: true },
          { header: "staff cost", numeric: true },
          { header: "agency share of cost", numeric: true }
        ],
        rows: tableRows
      }
    ]
  }
}

const servicesSection = (l: LedgerTotals): Section | null => {
  const services = l.services.services.filter((s) => s.model !== null)
  if (services.length === 0) return null
  const cal = l.calendar
  const rows = services.flatMap((s) =>
    cal.months.map((m, i) => {
      const p = servicePeriod(l, s, i, i + 1)
      return { date: m.endDate, service: s.name, utilisation: p.placeDays > 0 ? p.usedDays / p.placeDays : 0 }
    })
  )
  const yearEnds = snapshots(l)
    .filter((s) => s.yearEnd)
    .map((s) => s.date)
  const tableRows = services.flatMap((s) =>
    cal.financialYears.map((fy, f) => {
      const months = cal.months.flatMap((m, i) => (m.fy === f ? [i] : []))
      const p = servicePeriod(l, s, months[0], months[months.length - 1] + 1)
      return [
        s.name,
        fy.label,
        decimal(p.placeDays / p.days, 1),
        decimal(p.usedDays / p.days, 1),
        percent(p.placeDays > 0 ? p.usedDays / p.placeDays : null, 0),
        count(p.joined),
        count(p.waitingAtEnd),
        p.left.reduce((a, b) => a + b, 0) > 0 ? decimal(p.waitedDays / p.left.reduce((a, b) => a + b, 0), 1) : MISSING,
        count(p.overflowed)
      ]
    })
  )
  return {
    title: "Services and waiting lists",
    blocks: [
      {
        kind: "chart",
        title: "Utilisation of each service",
        caption: "Place-days used as a share of place-days available, by month (over 100%: more children than places).",
        source: "services.csv",
        spec: linesOverTime({
          rows,
          date: "date",
          value: "utilisation",
          series: "service",
          valueTitle: "utilisation",
          yearEnds,
          percent: true
        })
      },
      {
        kind: "table",
        caption: "Services per financial year (places and children: averages over the year)",
        columns: [
          { header: "service" },
          { header: "year" },
          { header: "places", numeric: true },
          { header: "used", numeric: true },
          { header: "utilisation", numeric: true },
          { header: "joined waiting list", numeric: true },
          { header: "waiting at year end", numeric: true },
          { header: "mean wait (days)", numeric: true },
          { header: "overflows", numeric: true }
        ],
        rows: tableRows
      }
    ]
  }
}

/** The HTML report's document. */
export const runDocument = (i: RunReportInput): ReportDocument => {
  const sections: Array<Section> = [
    childrenSection(i.totals),
    flowsSection(i.totals, i.scenario.referrals.contacts !== undefined),
    spendSection(i)
  ]
  const workforce = workforceSection(i.totals)
  if (workforce !== null) sections.push(workforce)
  const services = servicesSection(i.totals)
  if (services !== null) sections.push(services)
  if (i.dfe !== null) sections.push({ title: "DfE-shaped year-end tables", blocks: dfeBlocks(i.dfe) })
  sections.push(assumptionsSection(i.facts, i.parameters), modelSection(i.facts, i.scenario))
  return {
    title: `${escapeControl(i.scenario.name)}: one run`,
    subtitle: `${i.facts.start} to ${i.facts.end}; seed ${i.facts.seed}; one random draw; caseflow ${i.facts.version}`,
    summary: summaryOf(i),
    sections
  }
}

/** The workbook: children at each 31 March, spend by budget line x year with budget and variance, and more. */
export const runWorkbook = (i: RunReportInput): Workbook => {
  const l = i.totals
  const at = snapshots(l)
  const t = spendTable(i.scenario, l, i.spend)
  const sheets: Array<Sheet> = [runSheet(i.facts)]
  sheets.push({
    name: "Children at 31 March",
    columns: [
      { header: "level", kind: "text", width: 34 },
      ...at.map((s) => ({ header: s.label === "start" ? `start (${s.date})` : s.date, kind: "count" as const }))
    ],
    rows: childrenRows(l, at).map((r) => [r.placement === null ? r.label : `  ${r.label}`, ...r.counts])
  })
  const spendRows: Array<Array<string | number | null>> = t.lines.map((line) => [line.name, ...line.amounts])
  spendRows.push(["Total", ...t.totals.map((y) => y.spend)])
  if (t.hasBudget) {
    spendRows.push(["Budget", ...t.totals.map((y) => y.budget)])
    spendRows.push(["Variance (spend - budget)", ...t.totals.map((y) => y.variance)])
  }
  sheets.push({
    name: "Spend by budget line",
    columns: [
      { header: "budget line", kind: "text", width: 56 },
      ...t.years.map((y, f) => ({ header: y + (t.partYear[f] ? " (part year)" : ""), kind: "money" as const }))
    ],
    rows: spendRows
  })
  if (t.hasBudget) {
    sheets.push({
      name: "Variance",
      columns: [
        { header: "financial year", kind: "text" },
        { header: "spend", kind: "money" },
        { header: "budget", kind: "money" },
        { header: "variance", kind: "money" },
        { header: "variance %", kind: "percent" },
        { header: "budget basis", kind: "text" }
      ],
      rows: t.totals.map((y) => [
        y.coverage.label,
        y.spend,
        y.budget,
        y.variance,
        y.budget === null || y.budget === 0 || y.variance === null ? null : y.variance / y.budget,
        y.basis
      ])
    })
  }
  const flows = careFlows(l)
  sheets.push({
    name: "Care entries and exits",
    columns: [
      { header: "", kind: "text", width: 34 },
      ...flows.map((f) => ({ header: f.year, kind: "count" as const }))
    ],
    rows: [
      ...(i.scenario.referrals.contacts !== undefined ? [["Contacts", ...flows.map((f) => f.contacts)]] : []),
      ["Referrals", ...flows.map((f) => f.referrals)],
      ["Started care", ...flows.map((f) => f.started)],
      ["Left care", ...flows.map((f) => f.ceased)],
      ...LEFT_CARE_REASONS.map((r, k) => [`  ${reasonLabel(r)}`, ...flows.map((f) => f.left[k])])
    ]
  })
  const teams = workforceOf(l)
  if (teams.length > 0)
    sheets.push({
      name: "Workforce",
      columns: [
        { header: "team", kind: "text", width: 44 },
        { header: "financial year", kind: "text" },
        { header: "FTE needed", kind: "decimal" },
        { header: "permanent FTE", kind: "decimal" },
        { header: "agency FTE", kind: "decimal" },
        { header: "agency share", kind: "percent" },
        { header: "permanent cost", kind: "money" },
        { header: "agency cost", kind: "money" }
      ],
      rows: teams.flatMap((tm) =>
        teamYears(l, tm).map((y) => [
          tm.team.name,
          y.fy,
          y.fteNeeded,
          y.permanentFte,
          y.agencyFte,
          y.fteNeeded > 0 ? y.agencyFte / y.fteNeeded : null,
          y.permanentCost,
          y.agencyCost
        ])
      )
    })
  if (i.dfe !== null) sheets.push(...dfeSheets(i.dfe))
  sheets.push(assumptionsSheet(i.parameters))
  return workbook(sheets)
}
