/**
 * The England calibration check: scenarios/england.yaml, run at full national scale (11.8 million children,
 * ~2 million referrals, ~6 million events) from 1 April 2018, must reproduce the DfE 31 March stocks of
 * 2019, 2020 and 2021 (DfE, Characteristics of children in need; Children looked after in England including
 * adoptions) within 10%, and the main in-year flows (referrals, CP plans started, CLA started) within 10%.
 * The printed table is the documented check (copied into scenarios/england.md).
 *
 * DfE's "children in need at 31 March" includes children on CP plans and looked-after children; the
 * model's levels are exclusive, so CIN is compared as child_in_need + child_protection + looked_after.
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as Effect from "effect/Effect"
import { fileURLToPath } from "node:url"
import { beforeAll, describe, expect, it } from "vitest"
import { CELL_COUNT, STATES, stateIndex } from "../../src/domain/Level.js"
import type { SimulationStats } from "../../src/engine/Simulation.js"
import type { LedgerTotals } from "../../src/projections/Ledger.js"
import { makeStreams } from "../../src/random/Streams.js"
import { levelCount } from "../../src/domain/Level.js"
import { loadScenario } from "../../src/scenario/Load.js"
import { compileModel } from "../../src/model/Model.js"
import { simulate } from "../../src/run/Run.js"
import { expectedChildren } from "../../src/engine/Simulation.js"
import { DfeFold, type DfeTables } from "../../src/report/Dfe.js"
import { summaryText } from "../../src/report/Summary.js"
import { CARE_LEAVERS_2021, careLeaversOn31March2021, shapes } from "./englandShape.js"

const FILE = fileURLToPath(new URL("../../scenarios/england.yaml", import.meta.url))
const TOLERANCE = 0.1
/** The shape figures: within 20% of the national 2021 figure. */
const SHAPE_TOLERANCE = 0.2

/** DfE national figures, years ending 31 March 2019, 2020, 2021. */
const PUBLISHED_STOCKS = {
  "CIN (all)": [399_510, 389_260, 388_490],
  "CP plans": [52_260, 51_510, 50_010],
  "Looked after": [78_150, 80_080, 80_780]
} as const
const PUBLISHED_FLOWS = {
  Referrals: [650_930, 642_980, 597_760],
  "CP plans started": [66_680, 66_380, 63_830],
  "CLA started": [31_680, 30_970, 28_470]
} as const
/** Flows printed for information only (not asserted). */
const PUBLISHED_OTHER = {
  "CIN episodes started": [408_880, 408_310, 380_020],
  "s47 enquiries": [201_170, 201_000, 198_790],
  "CLA ceased": [29_460, 29_590, 28_120]
} as const

interface Row {
  readonly measure: string
  readonly year: string
  readonly simulated: number
  readonly published: number
}

const S = STATES.length
const ratio = (r: Row) => r.simulated / r.published - 1
const pct = (x: number) => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)}%`
const table = (title: string, rows: ReadonlyArray<Row>): string =>
  [
    title,
    `| measure | year | simulated | published | difference |`,
    `|---|---|---:|---:|---:|`,
    ...rows.map(
      (r) =>
        `| ${r.measure} | ${r.year} | ${r.simulated.toLocaleString("en-GB")} | ` +
        `${r.published.toLocaleString("en-GB")} | ${pct(ratio(r))} |`
    )
  ].join("\n")

/** 31 March stocks: the month ends of each March in the run. */
const stockRows = (t: LedgerTotals): Array<Row> => {
  const cal = t.calendar
  const marches = cal.months.flatMap((m, i) => (m.calendarMonth === 2 ? [{ i, date: m.endDate }] : []))
  const rows: Array<Row> = []
  marches.forEach(({ i, date }, y) => {
    const o = i * CELL_COUNT
    const cin = levelCount(t.monthEndStock, o, "child_in_need")
    const cp = levelCount(t.monthEndStock, o, "child_protection")
    const la = levelCount(t.monthEndStock, o, "looked_after")
    const sim = { "CIN (all)": cin + cp + la, "CP plans": cp, "Looked after": la }
    for (const measure of Object.keys(PUBLISHED_STOCKS) as Array<keyof typeof PUBLISHED_STOCKS>)
      rows.push({ measure, year: date, simulated: sim[measure], published: PUBLISHED_STOCKS[measure][y] })
  })
  return rows
}

/** Flows by financial year, from the ledger's monthly counts. */
const flowRows = (t: LedgerTotals): { asserted: Array<Row>; other: Array<Row> } => {
  const cal = t.calendar
  const nFy = cal.financialYears.length
  const zero = () => new Array<number>(nFy).fill(0)
  const f = {
    referrals: zero(),
    cpStarted: zero(),
    claStarted: zero(),
    claCeased: zero(),
    cinStarted: zero(),
    s47: zero()
  }
  const s47Line = t.costs.oneOff.findIndex((l) => l.name === "s47 enquiry")
  const nOneOff = t.costs.oneOff.length
  const U = stateIndex.universal
  const CIN = stateIndex.child_in_need
  const CP = stateIndex.child_protection
  const LA = stateIndex.looked_after
  cal.months.forEach((m, i) => {
    const fy = m.fy
    f.referrals[fy] += t.referrals[i * 2] + t.referrals[i * 2 + 1]
    const base = i * S * S
    for (let from = 0; from < S; from++) {
      f.cpStarted[fy] += t.starts[base + CP * S + from]
      f.claStarted[fy] += t.starts[base + LA * S + from]
      f.claCeased[fy] += t.ends[base + LA * S + from]
    }
    // A CIN episode (DfE sense) starts when the front door opens a case at CIN, CP or in care.
    f.cinStarted[fy] += t.starts[base + CIN * S + U] + t.starts[base + CP * S + U] + t.starts[base + LA * S + U]
    if (s47Line >= 0) f.s47[fy] += t.oneOffCount[i * nOneOff + s47Line]
  })
  const years = cal.financialYears.map((y) => y.label)
  const rows = (measure: string, sim: ReadonlyArray<number>, pub: ReadonlyArray<number>) =>
    years.map((year, y) => ({ measure, year, simulated: sim[y], published: pub[y] }))
  return {
    asserted: [
      ...rows("Referrals", f.referrals, PUBLISHED_FLOWS.Referrals),
      ...rows("CP plans started", f.cpStarted, PUBLISHED_FLOWS["CP plans started"]),
      ...rows("CLA started", f.claStarted, PUBLISHED_FLOWS["CLA started"])
    ],
    other: [
      ...rows("CIN episodes started", f.cinStarted, PUBLISHED_OTHER["CIN episodes started"]),
      ...rows("s47 enquiries", f.s47, PUBLISHED_OTHER["s47 enquiries"]),
      ...rows("CLA ceased", f.claCeased, PUBLISHED_OTHER["CLA ceased"])
    ]
  }
}

describe("England national calibration (scenarios/england.yaml, full scale)", () => {
  let totals: LedgerTotals
  let dfe: DfeTables
  let stats: SimulationStats
  let summary = ""
  let seconds = 0
  let seed = 0

  beforeAll(async () => {
    const scenario = (await Effect.runPromise(loadScenario(FILE).pipe(Effect.provide(NodeContext.layer)))).central
    const model = compileModel(scenario)
    seed = scenario.seed
    const t0 = performance.now()
    const uasc = scenario.uasc === undefined ? -1 : model.names.id(scenario.uasc.via)
    const fold = new DfeFold(model.calendar, scenario.name, uasc, expectedChildren(model))
    const run = simulate(model, makeStreams(seed), fold)
    dfe = fold.finish()
    seconds = (performance.now() - t0) / 1000
    stats = run.stats
    totals = run.totals
    summary = summaryText(scenario, run.totals, run.spend, seed)
  }, 300_000)

  it("reproduces the published 31 March stocks 2019-2021 within 10%", () => {
    const rows = stockRows(totals)
    console.log(
      `England, seed ${seed}: ${stats.events.toLocaleString("en-GB")} events, ` +
        `${stats.children.toLocaleString("en-GB")} children, ${seconds.toFixed(1)} s\n` +
        table("31 March stocks (DfE) vs simulated", rows)
    )
    expect(rows).toHaveLength(9)
    for (const r of rows)
      expect(Math.abs(ratio(r)), `${r.measure} ${r.year}: ${r.simulated} vs ${r.published}`).toBeLessThan(TOLERANCE)
  })

  it("has care leavers on 31 March 2021 within 10% of DfE's (aged 17-21, less the 21-year-olds)", () => {
    const simulated = careLeaversOn31March2021(totals)
    console.log(`Care leavers, 31 March 2021: ${simulated.toLocaleString("en-GB")} vs ${CARE_LEAVERS_2021}`)
    expect(Math.abs(simulated / CARE_LEAVERS_2021 - 1)).toBeLessThan(TOLERANCE)
  })

  it("has the shape of England's children in care and plans in 2021, each within 20%", () => {
    const rows = shapes(dfe)
    console.log(
      [
        "Shape, year ending 31 March 2021: simulated vs DfE",
        "| measure | simulated | DfE | difference |",
        "|---|---:|---:|---:|",
        ...rows.map(
          (r) =>
            `| ${r.measure} | ${(r.simulated * 100).toFixed(1)}% | ${(r.published * 100).toFixed(1)}% | ` +
            `${pct(r.simulated / r.published - 1)} |`
        )
      ].join("\n")
    )
    expect(rows).toHaveLength(7)
    for (const r of rows)
      expect(Math.abs(r.simulated / r.published - 1), `${r.measure}: ${r.simulated} vs ${r.published}`).toBeLessThan(
        SHAPE_TOLERANCE
      )
  })

  it("reproduces referrals, CP plans started and CLA started by year within 10%", () => {
    const { asserted, other } = flowRows(totals)
    console.log(
      table("Flows by financial year (DfE) vs simulated", asserted) + "\n" + table("Other flows (not asserted)", other)
    )
    expect(asserted).toHaveLength(9)
    for (const r of asserted)
      expect(Math.abs(ratio(r)), `${r.measure} ${r.year}: ${r.simulated} vs ${r.published}`).toBeLessThan(TOLERANCE)
  })

  it("prints a summary that fits 120 columns, with billions as £bn", () => {
    // The one table printer (test/report/Table.test.ts) at England's scale: its names and sums, three years.
    expect(Math.max(...summary.split("\n").map((l) => l.length))).toBeLessThanOrEqual(120)
    expect(summary).toMatch(/^CP and CIN +£1\.\d\dbn(?: +£\d\.\d\dbn){2}$/m)
    expect(summary).not.toMatch(/£\d{4,}\.\d\dm/)
    expect(summary).toMatch(/^Child in need +275,500(?: +\d{3},\d{3}){3}$/m)
  })
})
