/**
 * The workforce projection (src/projections/Workforce.ts), on hand-made ledgers whose child-days and
 * month-end stocks are chosen so every figure can be worked out by hand: FTE needed = children / target
 * caseload; agency only for the gap above the permanent staff in post; permanent staff paid whatever the
 * caseload; an establishment change mid-month counted pro rata; prices uprated by financial year; the
 * staff lines in spend by budget line; then a short simulated run, the CSV and summary, validation, and a
 * property test of the staffing rule.
 */
import * as fc from "fast-check"
import * as Schema from "effect/Schema"
import { describe, expect, it } from "vitest"
import { makeCalendar } from "../../src/domain/Calendar.js"
import {
  CELL_COUNT,
  CLOSURE_REASONS,
  LEFT_CARE_REASONS,
  PLACEMENTS,
  STATES,
  SUPPORT_END_REASONS,
  placementCell,
  placementIndex,
  stateIndex
} from "../../src/domain/Level.js"
import type { LedgerTotals } from "../../src/projections/Ledger.js"
import { spendOf } from "../../src/projections/Spend.js"
import { staffing, teamYears, workforceOf } from "../../src/projections/Workforce.js"
import { validateWorkforce } from "../../src/scenario/Validate.js"
import { summaryText } from "../../src/report/Summary.js"
import { resultFiles, workforceCsv } from "../../src/report/Tables.js"
import { compileCosts } from "../../src/model/Costs.js"
import { compileModel } from "../../src/model/Model.js"
import { Scenario, type ScenarioEncoded } from "../../src/scenario/Scenario.js"
import { runWithLedger } from "../support/run.js"
import { tinyEncoded, type TinyOverrides } from "../support/tiny.js"

type TeamEncoded = NonNullable<ScenarioEncoded["workforce"]>[number]

const SW: TeamEncoded = {
  name: "Social workers",
  budgetLine: "Social work",
  levels: ["child_in_need", "child_protection"],
  targetCaseload: 18,
  establishment: 10,
  vacancyRate: 0.2, // 8 FTE in post
  permanentPerWeek: 874,
  agencyPerWeek: 1088
}

const scenarioWith = (workforce: ReadonlyArray<TeamEncoded>, o: TinyOverrides = {}): Scenario =>
  Schema.decodeUnknownSync(Scenario)({ ...tinyEncoded(o), workforce })

const CIN = stateIndex.child_in_need
const CP = stateIndex.child_protection
const CL = stateIndex.care_leaver

/**
 * A ledger with chosen children: `children(m)` gives, per cell, the children present all month (so
 * child-days = children x days) and at the month end.
 */
const syntheticLedger = (
  s: Scenario,
  children: (m: number) => Partial<Record<number, number>>,
  atEnd?: (m: number) => Partial<Record<number, number>>
): LedgerTotals => {
  const calendar = makeCalendar(s.start, s.years)
  const costs = compileCosts(s, calendar)
  const n = calendar.months.length
  const S = STATES.length
  const P = PLACEMENTS.length
  const childDays = new Float64Array(n * CELL_COUNT)
  const monthEndStock = new Int32Array(n * CELL_COUNT)
  calendar.months.forEach((m, i) => {
    const days = m.end - m.start
    for (const [c, k] of Object.entries(children(i))) childDays[i * CELL_COUNT + Number(c)] = (k ?? 0) * days
    for (const [c, k] of Object.entries((atEnd ?? children)(i))) monthEndStock[i * CELL_COUNT + Number(c)] = k ?? 0
  })
  return {
    calendar,
    costs,
    events: 0,
    openingStock: new Int32Array(CELL_COUNT),
    monthEndStock,
    childDays,
    starts: new Int32Array(n * S * S),
    ends: new Int32Array(n * S * S),
    referrals: new Int32Array(n * 2),
    contacts: new Int32Array(n * 2),
    leftCare: new Int32Array(n * LEFT_CARE_REASONS.length),
    closed: new Int32Array(n * S * CLOSURE_REASONS.length),
    supportEnded: new Int32Array(n * SUPPORT_END_REASONS.length),
    placementChanges: new Int32Array(n * P * P),
    oneOffAmount: new Float64Array(0),
    oneOffCount: new Int32Array(0),
    services: { services: [] },
    legal: null,
    uasc: null,
    reviews: null,
    stayingPut: {
      atMonthEnd: new Int32Array(n),
      days: new Float64Array(n),
      began: new Int32Array(n * P),
      ended: new Int32Array(n * 3)
    },
    families: { groups: 0, monthEndExtra: new Int32Array(0), extraDays: new Float64Array(0) },
    familyTeams: new Int32Array(costs.teams.length).fill(-1),
    familyServices: new Int32Array(0)
  }
}

describe("workforce projection", () => {
  it("needs children / target caseload FTE, counting every level of the team", () => {
    // April: 100 CIN + 80 CP = 180 children all month -> 10 FTE at 18; month end 175.
    const s = scenarioWith([SW])
    const l = syntheticLedger(
      s,
      () => ({ [CIN]: 100, [CP]: 80 }),
      () => ({ [CIN]: 99, [CP]: 76 })
    )
    const [t] = workforceOf(l)
    expect(t.children[0]).toBe(180)
    expect(t.fteNeeded[0]).toBe(10)
    expect(t.monthEndChildren[0]).toBe(175)
    expect(t.permanentFte[0]).toBeCloseTo(8, 12) // 10 x (1 - 0.2)
  })

  it("counts every placement for looked_after, and only the team's levels", () => {
    const s = scenarioWith([{ ...SW, name: "LAC", levels: ["looked_after"] }])
    const foster = placementCell(placementIndex.in_house_foster)
    const home = placementCell(placementIndex.external_residential)
    const l = syntheticLedger(s, () => ({ [foster]: 30, [home]: 6, [CIN]: 500, [CL]: 40 }))
    const [t] = workforceOf(l)
    expect(t.children[0]).toBe(36)
    expect(t.fteNeeded[0]).toBe(2)
    expect(t.monthEndChildren[0]).toBe(36)
  })

  it("uses agency staff only for the gap above permanent staff in post, paid whatever the caseload", () => {
    // 8 FTE in post. April (30 days): 126 children -> 7 FTE needed, no agency, 8 permanent still paid.
    // May (31 days): 216 children -> 12 FTE needed, 4 agency at £1,088 on top of 8 permanent at £874.
    const s = scenarioWith([SW])
    const l = syntheticLedger(s, (m) => ({ [CIN]: m === 0 ? 126 : 216 }))
    const [t] = workforceOf(l)
    expect(t.fteNeeded[0]).toBe(7)
    expect(t.agencyFte[0]).toBe(0)
    expect(t.permanentCost[0]).toBeCloseTo((8 * 874 * 30) / 7, 6) // £29,965.71
    expect(t.agencyCost[0]).toBe(0)
    expect(t.caseloadPerWorker[0]).toBeCloseTo(126 / 8, 12) // under target: workers are paid, caseloads fall
    expect(t.fteNeeded[1]).toBe(12)
    expect(t.agencyFte[1]).toBeCloseTo(4, 12)
    expect(t.permanentCost[1]).toBeCloseTo((8 * 874 * 31) / 7, 6) // £30,964.57
    expect(t.agencyCost[1]).toBeCloseTo((4 * 1088 * 31) / 7, 6) // £19,273.14
    expect(t.caseloadPerWorker[1]).toBeCloseTo(18, 12)
    expect(t.caseloadPerPermanentWorker[1]).toBeCloseTo(27, 12)
    // The gap costs the agency premium: 4 x (1,088 - 874) x 31 / 7 more than a full permanent team.
    const full = workforceOf(
      syntheticLedger(scenarioWith([{ ...SW, establishment: 15 }]), (m) => ({ [CIN]: m === 0 ? 126 : 216 }))
    )[0]
    expect(full.agencyFte[1]).toBe(0)
    expect(full.permanentCost[1]).toBeCloseTo((12 * 874 * 31) / 7, 6)
    expect(t.permanentCost[1] + t.agencyCost[1] - full.permanentCost[1]).toBeCloseTo((4 * (1088 - 874) * 31) / 7, 6)
  })

  it("counts an establishment change mid-month pro rata by days", () => {
    // 10 FTE until 15 April, 16 from 16 April: April = (15 x 10 + 15 x 16) / 30 = 13; May = 16; from
    // 1 June back to 12.
    const s = scenarioWith([
      {
        ...SW,
        vacancyRate: 0,
        establishmentChanges: [
          { from: "2025-04-16", fte: 16 },
          { from: "2025-06-01", fte: 12 }
        ]
      }
    ])
    const l = syntheticLedger(s, () => ({ [CIN]: 180 }))
    const [t] = workforceOf(l)
    expect(t.permanentFte[0]).toBeCloseTo(13, 12)
    expect(t.permanentFte[1]).toBe(16)
    expect(t.permanentFte[2]).toBe(12)
    expect(t.permanentCost[0]).toBeCloseTo((13 * 874 * 30) / 7, 6)
    expect(t.agencyFte[0]).toBe(0) // 10 needed
    // A change dated before the run applies from its first day.
    const early = workforceOf(
      syntheticLedger(
        scenarioWith([{ ...SW, vacancyRate: 0, establishmentChanges: [{ from: "2020-01-01", fte: 3 }] }]),
        () => ({ [CIN]: 180 })
      )
    )[0]
    expect(early.permanentFte[0]).toBe(3)
    expect(early.agencyFte[0]).toBe(7)
  })

  it("prices staff by financial year from the price base, like every other cost line", () => {
    // Default inflation 3% from 2025/26: April 2026 costs 1.03 x April 2025. A team's own rate wins.
    const s = scenarioWith([SW, { ...SW, name: "Flat", inflation: 0 }], { years: 2, costs: { inflation: 0.03 } })
    const l = syntheticLedger(s, () => ({ [CIN]: 216 }))
    const [t, flat] = workforceOf(l)
    expect(l.calendar.months[12].label).toBe("2026-04")
    expect(t.permanentCost[12]).toBeCloseTo((8 * 874 * 1.03 * 30) / 7, 6)
    expect(t.agencyCost[12]).toBeCloseTo((4 * 1088 * 1.03 * 30) / 7, 6)
    expect(flat.permanentCost[12]).toBeCloseTo(flat.permanentCost[0], 9)
    // priceBase 2026/27: the first year is deflated.
    const based = scenarioWith([SW], { years: 2, costs: { inflation: 0.03, priceBase: "2026/27" } })
    const b = workforceOf(syntheticLedger(based, () => ({ [CIN]: 216 })))[0]
    expect(b.permanentCost[0]).toBeCloseTo((8 * 874 * 30) / 7 / 1.03, 6)
    expect(b.permanentCost[12]).toBeCloseTo((8 * 874 * 30) / 7, 6)
  })

  it("adds the staff lines to spend on the team's budget line (registered like other lines)", () => {
    const s = scenarioWith(
      [
        SW,
        {
          ...SW,
          name: "PAs",
          budgetLine: "Leaving care",
          levels: ["care_leaver"],
          targetCaseload: 20,
          establishment: 2,
          vacancyRate: 0,
          permanentPerWeek: 700,
          agencyPerWeek: 871
        }
      ],
      {
        budgetLines: [{ name: "Leaving care" }, { name: "Placements" }],
        costs: {
          weekly: [{ name: "Foster care", budgetLine: "Placements", perWeek: 650, placement: "in_house_foster" }]
        }
      }
    )
    const l = syntheticLedger(s, (m) => ({ [CIN]: m === 0 ? 126 : 216, [CL]: 50 }))
    const spend = spendOf(l)
    // Declared lines first, then lines first named by a cost, then by a team.
    expect(spend.budgetLines).toEqual(["Leaving care", "Placements", "Social work"])
    const staff = spend.lines.filter((x) => x.kind === "staff")
    expect(staff.map((x) => x.name)).toEqual([
      "Social workers: permanent staff",
      "Social workers: agency staff",
      "PAs: permanent staff",
      "PAs: agency staff"
    ])
    expect(staff.every((x) => x.intervention === null)).toBe(true)
    const [sw, pa] = workforceOf(l)
    const b = spend.budgetLines.length
    const sw0 = spend.budgetLines.indexOf("Social work")
    const lc0 = spend.budgetLines.indexOf("Leaving care")
    for (let m = 0; m < l.calendar.months.length; m++) {
      expect(spend.byBudgetLineMonth[m * b + sw0]).toBeCloseTo(sw.permanentCost[m] + sw.agencyCost[m], 6)
      expect(spend.byBudgetLineMonth[m * b + lc0]).toBeCloseTo(pa.permanentCost[m] + pa.agencyCost[m], 6)
    }
    // PAs: 50 care leavers need 2.5 FTE, 2 in post, 0.5 agency; the year's cost on the line, each staff line's
    // rounded to the penny.
    const days = l.calendar.horizon
    const penny = (x: number) => Math.round(x * 100) / 100
    expect(spend.byBudgetLineFy[lc0]).toBeCloseTo(penny((2 * 700 * days) / 7) + penny((0.5 * 871 * days) / 7), 9)
    // Quantity: FTE-days.
    expect(staff[2].quantity[0]).toBeCloseTo(2 * 30, 9)
    expect(staff[3].quantity[0]).toBeCloseTo(0.5 * 30, 9)
  })

  it("summarises each financial year: day-weighted averages, summed costs, children at its last month end", () => {
    const s = scenarioWith([SW])
    const l = syntheticLedger(
      s,
      (m) => ({ [CIN]: m < 6 ? 126 : 216 }),
      (m) => ({ [CIN]: m === 11 ? 200 : 0 })
    )
    const [t] = workforceOf(l)
    const [y] = teamYears(l, t)
    const months = l.calendar.months
    const firstHalf = months.slice(0, 6).reduce((a, m) => a + m.end - m.start, 0) // Apr-Sep: 183 days
    expect(firstHalf).toBe(183)
    expect(y.days).toBe(365)
    expect(y.children).toBeCloseTo((126 * 183 + 216 * 182) / 365, 9)
    expect(y.agencyFte).toBeCloseTo((4 * 182) / 365, 9)
    expect(y.permanentFte).toBeCloseTo(8, 9)
    expect(y.yearEndChildren).toBe(200)
    expect(y.permanentCost).toBeCloseTo((8 * 874 * 365) / 7, 4)
    expect(y.agencyCost).toBeCloseTo((4 * 1088 * 182) / 7, 4)
  })

  it("follows a simulated caseload: 36 children on a plan for 100 days need 2 FTE, then none", () => {
    // Opening caseload: 36 CIN children, each closing after exactly 100 days (day 100 = 10 July 2025).
    const s = scenarioWith([{ ...SW, establishment: 1, vacancyRate: 0 }], {
      startingCaseload: [{ level: "child_in_need", count: 36, ages: [5, 9], elapsed: { type: "fixed", value: 0 } }]
    })
    const model = compileModel(s)
    const { totals } = runWithLedger(model, 1)
    const [t] = workforceOf(totals)
    expect(t.children[0]).toBeCloseTo(36, 9)
    expect(t.fteNeeded[0]).toBeCloseTo(2, 9)
    expect(t.agencyFte[0]).toBeCloseTo(1, 9)
    // July: open 1-9 July (days 91-99), so 36 x 9 / 31 children on average.
    expect(t.children[3]).toBeCloseTo((36 * 9) / 31, 9)
    expect(t.monthEndChildren[3]).toBe(0)
    expect(t.fteNeeded[4]).toBe(0)
    expect(t.agencyFte[4]).toBe(0)
    expect(t.permanentCost[4]).toBeCloseTo((874 * 31) / 7, 6) // still paid
  })

  it("writes workforce.csv with every result file and a workforce table in the summary", () => {
    const s = scenarioWith([SW])
    const l = syntheticLedger(s, (m) => ({ [CIN]: m === 0 ? 126 : 216 }))
    const text = workforceCsv(l)
    const lines = text.trimEnd().split("\n")
    expect(lines[0]).toBe(
      "period_type,period,team,budget_line,children,month_end_children,fte_needed,permanent_fte,agency_fte," +
        "caseload_per_worker,caseload_per_permanent_worker,permanent_cost,agency_cost"
    )
    expect(lines[1]).toBe(
      "month,2025-04,Social workers,Social work,126.0000,126,7.0000,8.0000,0.0000,15.7500,15.7500,29965.71,0.00"
    )
    expect(lines[2]).toBe(
      "month,2025-05,Social workers,Social work,216.0000,216,12.0000,8.0000,4.0000,18.0000,27.0000,30964.57,19273.14"
    )
    expect(lines).toHaveLength(1 + 12 + 1)
    expect(lines[13].startsWith("financial_year,2025/26,Social workers,Social work,")).toBe(true)
    expect(resultFiles(l, spendOf(l)).map(([name]) => name)).toContain("workforce.csv")
    const summary = summaryText(s, l, spendOf(l), 1)
    expect(summary).toContain("Workforce at each year end")
    expect(summary).toMatch(/agency FTE\s+4\.0/)
    // No teams, no workforce table (and a header-only CSV).
    const none = syntheticLedger(scenarioWith([]), () => ({}))
    expect(summaryText(scenarioWith([]), none, spendOf(none), 1)).not.toContain("Workforce")
    expect(workforceCsv(none).trimEnd().split("\n")).toHaveLength(1)
  })

  it("reports no caseload per worker when there are no workers", () => {
    const s = scenarioWith([{ ...SW, establishment: 0 }])
    const [t] = workforceOf(syntheticLedger(s, () => ({})))
    expect(t.fteNeeded[0]).toBe(0)
    expect(Number.isNaN(t.caseloadPerWorker[0])).toBe(true)
    expect(Number.isNaN(t.caseloadPerPermanentWorker[0])).toBe(true)
    expect(t.permanentCost[0] + t.agencyCost[0]).toBe(0)
  })
})

describe("validateWorkforce", () => {
  it("accepts the example teams, including a level held by two teams", () => {
    const s = scenarioWith([SW, { ...SW, name: "IFS key workers", levels: ["child_in_need"] }], {
      budgetLines: [{ name: "Social work" }]
    })
    expect(validateWorkforce(s)).toEqual([])
  })

  it("names duplicate teams, undeclared budget lines, repeated levels and changes out of date order", () => {
    const s = scenarioWith(
      [
        SW,
        {
          ...SW,
          budgetLine: "Nowhere",
          levels: ["child_in_need", "child_in_need"],
          establishmentChanges: [
            { from: "2025-09-01", fte: 12 },
            { from: "2025-06-01", fte: 11 }
          ]
        }
      ],
      { budgetLines: [{ name: "Social work" }] }
    )
    const problems = validateWorkforce(s).map((p) => `${p.path.join(".")}: ${p.message}`)
    expect(problems).toEqual([
      'workforce.1.name: expected a unique team name; "Social workers" is also workforce[0]',
      'workforce.1.budgetLine: expected one of the budget lines declared in budgetLines (Social work), found "Nowhere"',
      "workforce.1.levels.1: expected each level once in a team; child_in_need is listed twice",
      "workforce.1.establishmentChanges.1.from: expected establishment changes in date order, one per date; " +
        "found 2025-06-01 after 2025-09-01"
    ])
  })

  it("rejects a team whose staff line would take another cost line's name", () => {
    const s = scenarioWith([SW], {
      costs: { fixed: [{ name: "Social workers: agency staff", budgetLine: "Social work", perYear: 1 }] }
    })
    expect(validateWorkforce(s).map((p) => p.path.join("."))).toEqual(["workforce.0.name"])
  })
})

describe("staffing rule (property)", () => {
  it("permanent + agency covers the FTE needed, with agency 0 whenever the permanent staff suffice", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 5000, noNaN: true }),
        fc.double({ min: 0.5, max: 40, noNaN: true }),
        fc.double({ min: 0, max: 300, noNaN: true }),
        (children, target, permanent) => {
          const s = staffing(children, target, permanent)
          expect(s.fteNeeded).toBe(children / target)
          expect(s.agencyFte).toBeGreaterThanOrEqual(0)
          expect(permanent + s.agencyFte).toBeGreaterThanOrEqual(s.fteNeeded * (1 - 1e-12))
          if (s.fteNeeded <= permanent) expect(s.agencyFte).toBe(0)
          else expect(s.agencyFte).toBeCloseTo(s.fteNeeded - permanent, 9)
        }
      )
    )
  })

  it("holds month by month on generated ledgers, establishments and vacancy rates", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 12, maxLength: 12 }),
        fc.double({ min: 0, max: 200, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 364 }), fc.double({ min: 0, max: 200, noNaN: true })), {
          maxLength: 4
        }),
        (children, establishment, vacancyRate, changes) => {
          const dated = [...new Map(changes.map(([d, fte]) => [d, fte])).entries()]
            .sort((a, b) => a[0] - b[0])
            .map(([d, fte]) => ({ from: new Date(Date.UTC(2025, 3, 1 + d)).toISOString().slice(0, 10), fte }))
          const s = scenarioWith([{ ...SW, establishment, vacancyRate, establishmentChanges: dated }])
          expect(validateWorkforce(s)).toEqual([])
          const l = syntheticLedger(s, (m) => ({ [CP]: children[m] }))
          const [t] = workforceOf(l)
          const months = l.calendar.months
          for (let m = 0; m < months.length; m++) {
            const days = months[m].end - months[m].start
            expect(t.fteNeeded[m]).toBeCloseTo(children[m] / 18, 9)
            expect(t.permanentFte[m] + t.agencyFte[m]).toBeGreaterThanOrEqual(t.fteNeeded[m] * (1 - 1e-12) - 1e-12)
            if (t.fteNeeded[m] <= t.permanentFte[m]) expect(t.agencyFte[m]).toBe(0)
            expect(t.permanentCost[m]).toBeCloseTo((t.permanentFte[m] * 874 * days) / 7, 6)
            expect(t.agencyCost[m]).toBeCloseTo((t.agencyFte[m] * 1088 * days) / 7, 6)
          }
        }
      ),
      { numRuns: 100 }
    )
  })
})
