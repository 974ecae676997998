/**
 * The ledger fold: given a hand-made log, then these month-end stocks, child-days and flows; and, on random
 * scenarios, the stock identities (stock = initial + entries - exits, never negative, child-days = the time
 * children spent there).
 */
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { CaseEvent } from "../../src/domain/Event.js"
import {
  CELL_COUNT,
  LEFT_CARE_REASONS,
  PLACEMENTS,
  STATES,
  cellOf,
  placementIndex,
  stateIndex,
  type ChildState,
  type Placement
} from "../../src/domain/Level.js"
import { spendOf } from "../../src/projections/Spend.js"
import { generatedCase } from "../support/arbitraries.js"
import { moveOf, replay } from "../support/replay.js"
import { foldLedger, runWithLedger } from "../support/run.js"
import { tinyModel } from "../support/tiny.js"

const S = STATES.length
const P = PLACEMENTS.length
const cell = (state: ChildState, placement: Placement | null = null) =>
  cellOf(stateIndex[state], placement === null ? -1 : placementIndex[placement])

describe("Ledger: given a hand-made log", () => {
  // 2025-04-01 start: April is days [0, 30), May [30, 61), June [61, 91).
  const model = tinyModel({
    budgetLines: [{ name: "Social work" }, { name: "Placements" }, { name: "Overheads" }],
    costs: {
      weekly: [
        { name: "CIN", budgetLine: "Social work", perWeek: 70, level: "child_in_need" },
        { name: "IFA", budgetLine: "Placements", perWeek: 700, placement: "ifa_foster" }
      ],
      oneOff: [{ name: "Assessment", budgetLine: "Social work", amount: 400, on: { via: "assessment" } }],
      fixed: [{ name: "Management", budgetLine: "Overheads", perYear: 365_000 }]
    }
  })
  const given: ReadonlyArray<CaseEvent> = [
    { _tag: "CaseOpenAtStart", time: 0, child: 0, dateOfBirth: -2000, level: "early_help", placement: null, since: -5 },
    {
      _tag: "CaseOpenAtStart",
      time: 0,
      child: 1,
      dateOfBirth: -3000,
      level: "looked_after",
      placement: "in_house_foster",
      since: -50
    },
    { _tag: "ChildReferred", time: 10.5, child: 2, dateOfBirth: -1000, reReferral: false },
    {
      _tag: "CaseClosed",
      time: 10.5,
      child: 2,
      from: "universal",
      reason: "not_in_need",
      to: "universal",
      via: "assessment"
    },
    // Exactly on 1 May: after the April month end.
    { _tag: "LevelChanged", time: 30, child: 0, from: "early_help", to: "child_in_need", via: "assessment" },
    { _tag: "PlacementChanged", time: 45, child: 1, from: "in_house_foster", to: "ifa_foster" },
    {
      _tag: "ChildLeftCare",
      time: 70,
      child: 1,
      placement: "ifa_foster",
      reason: "returned_home",
      to: "universal",
      via: null
    }
  ]
  const totals = foldLedger(model, given)
  const stock = (m: number, c: number) => totals.monthEndStock[m * CELL_COUNT + c]
  const days = (m: number, c: number) => totals.childDays[m * CELL_COUNT + c]

  it("then the opening stock is the starting caseload", () => {
    expect(totals.openingStock[cell("early_help")]).toBe(1)
    expect(totals.openingStock[cell("looked_after", "in_house_foster")]).toBe(1)
    expect(totals.openingStock.reduce((a, b) => a + b, 0)).toBe(2)
  })

  it("then each month-end stock counts the events strictly before the next month's first day", () => {
    expect([stock(0, cell("early_help")), stock(0, cell("child_in_need")), stock(0, cell("universal"))]).toEqual([
      1, 0, 1
    ])
    expect([
      stock(1, cell("early_help")),
      stock(1, cell("child_in_need")),
      stock(1, cell("looked_after", "ifa_foster"))
    ]).toEqual([0, 1, 1])
    expect([
      stock(2, cell("looked_after", "ifa_foster")),
      stock(2, cell("universal")),
      stock(2, cell("child_in_need"))
    ]).toEqual([0, 2, 1])
    // A looked-after child is counted in their placement's cell, never in the looked_after state cell.
    for (let m = 0; m < 12; m++) expect(stock(m, cell("looked_after"))).toBe(0)
  })

  it("then child-days integrate the stock over each month", () => {
    expect(days(0, cell("early_help"))).toBe(30)
    expect(days(0, cell("looked_after", "in_house_foster"))).toBe(30)
    expect(days(0, cell("universal"))).toBe(19.5)
    expect(days(1, cell("child_in_need"))).toBe(31)
    expect(days(1, cell("looked_after", "in_house_foster"))).toBe(15)
    expect(days(1, cell("looked_after", "ifa_foster"))).toBe(16)
    expect(days(2, cell("looked_after", "ifa_foster"))).toBe(9)
    expect(days(2, cell("universal"))).toBe(30 + 21)
    // The rest of the year: one child in need and two closed cases, every day.
    const total = (c: number) => totals.childDays.filter((_, i) => i % CELL_COUNT === c).reduce((a, b) => a + b, 0)
    expect(total(cell("child_in_need"))).toBe(365 - 30)
    expect(total(cell("universal"))).toBe(365 - 10.5 + 365 - 70)
  })

  it("then flows count referrals, starts and ends, reasons and placement moves in their month", () => {
    expect(Array.from(totals.referrals.slice(0, 6))).toEqual([1, 0, 0, 0, 0, 0])
    const u = stateIndex.universal
    const eh = stateIndex.early_help
    const cin = stateIndex.child_in_need
    const la = stateIndex.looked_after
    expect(totals.starts[0 * S * S + u * S + u]).toBe(1) // the front door closed the referral
    expect(totals.starts[1 * S * S + cin * S + eh]).toBe(1)
    expect(totals.ends[1 * S * S + eh * S + cin]).toBe(1)
    expect(totals.ends[2 * S * S + la * S + u]).toBe(1)
    expect(totals.placementChanges[1 * P * P + placementIndex.in_house_foster * P + placementIndex.ifa_foster]).toBe(1)
    expect(totals.leftCare[2 * LEFT_CARE_REASONS.length + LEFT_CARE_REASONS.indexOf("returned_home")]).toBe(1)
    expect(totals.events).toBe(given.length)
  })

  it("then spend is child-days x daily cost, one-off costs as incurred, fixed costs pro rata", () => {
    const spend = spendOf(totals)
    const b = spend.budgetLines.length
    expect(spend.budgetLines).toEqual(["Social work", "Placements", "Overheads"])
    // April: one assessment (£400); May: another, and 31 CIN days at £10; IFA 16 days at £100 in May, 9 in
    // June; management £1,000 a day.
    expect(spend.byBudgetLineMonth[0 * b + 0]).toBeCloseTo(400, 9)
    expect(spend.byBudgetLineMonth[1 * b + 0]).toBeCloseTo(400 + 310, 9)
    expect(spend.byBudgetLineMonth[1 * b + 1]).toBeCloseTo(1600, 9)
    expect(spend.byBudgetLineMonth[2 * b + 1]).toBeCloseTo(900, 9)
    expect(spend.byBudgetLineMonth[0 * b + 2]).toBeCloseTo(30_000, 6)
    expect(spend.byBudgetLineFy[0 * b + 2]).toBeCloseTo(365_000, 6)
    expect(spend.byBudgetLineFy[0 * b + 0]).toBeCloseTo(800 + 3350, 6)
  })
})

describe("Ledger invariants", () => {
  it("stock at each month end = initial + entries - exits, per level and placement", () => {
    fc.assert(
      fc.property(generatedCase, (g) => {
        const { events, totals } = runWithLedger(g.model, g.seed)
        const cal = g.model.calendar
        const months = cal.months.length
        // Independent count: the opening caseload, then each event's entry and exit in its month.
        const opening = new Map<string, number>()
        const delta = Array.from({ length: months }, () => new Map<string, number>())
        const key = (s: ChildState, p: Placement | null) => (s === "looked_after" ? `looked_after/${p}` : s)
        const bump = (m: Map<string, number>, k: string, by: number) => m.set(k, (m.get(k) ?? 0) + by)
        for (const e of events) {
          const mv = moveOf(e)
          if (mv === null) continue
          if (e._tag === "CaseOpenAtStart" || e._tag === "CaseClosedBeforeStart") {
            bump(opening, key(mv.to, mv.toPlacement), 1)
            continue
          }
          const m = cal.months.findIndex((x) => e.time >= x.start && e.time < x.end)
          if (mv.from !== null) bump(delta[m], key(mv.from, mv.fromPlacement), -1)
          bump(delta[m], key(mv.to, mv.toPlacement), 1)
        }
        const keys: Array<[string, number]> = [
          ...STATES.filter((s) => s !== "looked_after").map((s): [string, number] => [s, cell(s)]),
          ...PLACEMENTS.map((p): [string, number] => [`looked_after/${p}`, cell("looked_after", p)])
        ]
        const running = new Map(opening)
        const expected: Array<number> = []
        const actual: Array<number> = []
        for (const [k, c] of keys) {
          expected.push(opening.get(k) ?? 0)
          actual.push(totals.openingStock[c])
        }
        for (let m = 0; m < months; m++) {
          for (const [k, by] of delta[m]) bump(running, k, by)
          for (const [k, c] of keys) {
            expected.push(running.get(k) ?? 0)
            actual.push(totals.monthEndStock[m * CELL_COUNT + c])
          }
        }
        expect(actual).toEqual(expected)
        // Nothing is left over in cells the independent count does not know.
        expect(
          totals.monthEndStock.filter((_, i) => i % CELL_COUNT === cell("looked_after")).every((x) => x === 0)
        ).toBe(true)
      })
    )
  })

  it("no stock is ever negative", () => {
    fc.assert(
      fc.property(generatedCase, (g) => {
        const { events, totals } = runWithLedger(g.model, g.seed)
        // After every single event, not only at month ends.
        const count = new Map<string, number>()
        let negative: CaseEvent | null = null
        for (const e of events) {
          const mv = moveOf(e)
          if (mv === null) continue
          const k = (s: ChildState, p: Placement | null) => `${s}/${p}`
          if (mv.from !== null) {
            const n = (count.get(k(mv.from, mv.fromPlacement)) ?? 0) - 1
            count.set(k(mv.from, mv.fromPlacement), n)
            if (n < 0 && negative === null) negative = e
          }
          count.set(k(mv.to, mv.toPlacement), (count.get(k(mv.to, mv.toPlacement)) ?? 0) + 1)
        }
        expect(negative).toBeNull()
        expect(Math.min(...totals.openingStock, ...totals.monthEndStock)).toBeGreaterThanOrEqual(0)
        expect(Math.min(...totals.childDays)).toBeGreaterThanOrEqual(0)
      })
    )
  })

  it("child-days in each month and cell equal the time children spent there", () => {
    fc.assert(
      fc.property(generatedCase, (g) => {
        const { events, totals } = runWithLedger(g.model, g.seed)
        const cal = g.model.calendar
        const expected = new Float64Array(totals.childDays.length)
        for (const child of replay(events, cal.horizon).children.values())
          for (const s of child.spells) {
            const c = cell(s.state, s.placement)
            cal.months.forEach((m, i) => {
              const overlap = Math.min(s.to, m.end) - Math.max(s.from, m.start)
              if (overlap > 0) expected[i * CELL_COUNT + c] += overlap
            })
          }
        const worst = Math.max(...expected.map((x, i) => Math.abs(x - totals.childDays[i]) / Math.max(1, x)))
        expect(worst).toBeLessThan(1e-9)
      })
    )
  })
})
