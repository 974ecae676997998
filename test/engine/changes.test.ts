/**
 * Dated changes (the scenario's top-level `changes`; src/model/Changes.ts, the prices in src/model/Costs.ts):
 * a price multiplied from the first of a month changes that line's spend in those months by exactly the
 * multiplier and nothing else; a duration multiplier applies to stays that begin in its window; an outcome's
 * chance and the placement mix change for decisions in their window; and the messages for bad changes.
 */
import * as Either from "effect/Either"
import { describe, expect, it } from "vitest"
import type { CaseEvent } from "../../src/domain/Event.js"
import { compileModel, type Model } from "../../src/model/Model.js"
import { decodeScenario } from "../../src/scenario/Decode.js"
import type { ScenarioEncoded } from "../../src/scenario/Scenario.js"
import { decodeValid } from "../support/arbitraries.js"
import { runEvents, runWithLedger } from "../support/run.js"
import { tinyEncoded, type TinyOverrides } from "../support/tiny.js"
import { spendOf } from "../../src/projections/Spend.js"

const SEED = 20250401
const fixed = (value: number) => ({ type: "fixed" as const, value })
type Changes = NonNullable<ScenarioEncoded["changes"]>
const modelOf = (o: TinyOverrides, changes?: Changes): Model =>
  compileModel(decodeValid({ ...tinyEncoded(o), ...(changes === undefined ? {} : { changes }) }))
const events = (o: TinyOverrides, changes?: Changes): ReadonlyArray<CaseEvent> =>
  runEvents(modelOf(o, changes), SEED).events

const inCare = [
  { level: "looked_after" as const, placement: "in_house_foster" as const, count: 20, ages: [5, 9] as const },
  { level: "child_in_need" as const, count: 20, ages: [5, 9] as const }
]
const costs = {
  weekly: [
    { name: "In-house foster care", budgetLine: "LAC", perWeek: 700, placement: "in_house_foster" as const },
    { name: "Child in need", budgetLine: "CIN", perWeek: 100, level: "child_in_need" as const }
  ],
  oneOff: [{ name: "Closure", budgetLine: "CIN", amount: 50, on: { event: "CaseClosed" as const } }]
}

describe("dated changes", () => {
  it("a price from the first of a month: that line's spend x the multiplier in those months, nothing else", () => {
    const o: TinyOverrides = { startingCaseload: inCare, costs }
    const base = runWithLedger(modelOf(o), SEED)
    const changed = runWithLedger(
      modelOf(o, [
        { from: "2025-06-01", until: "2025-11-30", price: { placement: "in_house_foster" }, multiplier: 1.5 },
        { from: "2025-05-01", price: { line: "Closure" }, multiplier: 2 }
      ]),
      SEED
    )
    expect(changed.events).toEqual(base.events)
    const b = spendOf(base.totals)
    const c = spendOf(changed.totals)
    const line = (s: typeof b, name: string) => s.lines.find((l) => l.name === name)!.amount
    const months = base.totals.calendar.months
    months.forEach((m, i) => {
      const foster = m.label >= "2025-06" && m.label <= "2025-11" ? 1.5 : 1
      expect(line(c, "In-house foster care")[i], m.label).toBeCloseTo(line(b, "In-house foster care")[i] * foster, 6)
      expect(line(c, "Child in need")[i]).toBe(line(b, "Child in need")[i])
      expect(line(c, "Closure")[i]).toBe(line(b, "Closure")[i] * (m.label >= "2025-05" ? 2 : 1))
    })
    expect(line(b, "In-house foster care")[3]).toBeGreaterThan(0)
    expect(line(b, "Closure").some((x, i) => x > 0 && i >= 1)).toBe(true)
  })

  it("a duration multiplier applies to stays that begin in its window", () => {
    // Early help (fixed 100 days) then child in need (fixed 100): the child enters CIN on day 100, inside
    // the window from 1 June (day 61), so the CIN stay is 50 days; without the change, 100.
    const o: TinyOverrides = {
      startingCaseload: [{ level: "early_help", count: 1, ages: [5, 5], elapsed: fixed(0) }],
      levels: { early_help: { duration: fixed(100), outcomes: [{ to: "child_in_need", probability: 1 }] } }
    }
    const closed = (es: ReadonlyArray<CaseEvent>) => es.find((e) => e._tag === "CaseClosed")?.time
    expect(closed(events(o))).toBe(200)
    expect(closed(events(o, [{ from: "2025-06-01", duration: { level: "child_in_need" }, multiplier: 0.5 }]))).toBe(150)
    // A window that has ended by day 100 changes nothing.
    expect(
      closed(
        events(o, [{ from: "2025-04-01", until: "2025-06-30", duration: { level: "child_in_need" }, multiplier: 0.5 }])
      )
    ).toBe(200)
  })

  it("an outcome's chance and the placement mix change for decisions in their window", () => {
    const o: TinyOverrides = {
      startingCaseload: [{ level: "child_protection", count: 400, ages: [5, 9] }],
      levels: {
        child_protection: {
          duration: { type: "exponential", mean: 100 },
          outcomes: [
            { to: "looked_after", probability: 0.5, via: "care_proceedings" },
            { to: "universal", probability: 0.5 }
          ]
        },
        looked_after: { placements: { onEntry: { in_house_foster: 0.5, ifa_foster: 0.5 } } }
      }
    }
    const from = 91 // 2025-07-01
    const entries = (es: ReadonlyArray<CaseEvent>) =>
      es.flatMap((e) => (e._tag === "ChildBecameLookedAfter" ? [[e.time, e.placement] as const] : []))
    const base = entries(events(o))
    expect(base.filter(([t]) => t >= from).length).toBeGreaterThan(20)
    const changed = entries(
      events(o, [
        { from: "2025-07-01", outcome: { level: "child_protection", to: "looked_after" }, multiplier: 0 },
        { from: "2025-04-01", until: "2025-06-30", placementMix: { ifa_foster: 0 } }
      ])
    )
    expect(changed.filter(([t]) => t >= from)).toEqual([]) // no entry into care from 1 July
    expect(changed.length).toBeGreaterThan(20)
    expect(changed.every(([, p]) => p === "in_house_foster")).toBe(true) // no IFA placement before 1 July
    expect(base.some(([t, p]) => t < from && p === "ifa_foster")).toBe(true)
  })

  it("a scenario without changes compiles none", () => {
    expect(modelOf({}).dated).toBeNull()
    expect(modelOf({}, [{ from: "2025-05-01", price: { level: "child_in_need" }, multiplier: 2 }]).dated).toBeNull()
  })
})

describe("bad dated changes: one exact message at the path", () => {
  const problems = (changes: ReadonlyArray<unknown>) => {
    const r = decodeScenario("bad.yaml", { ...tinyEncoded({ costs }), changes })
    return Either.isLeft(r) ? r.left.problems.map((p) => `${p.path}: ${p.message}`) : []
  }

  it("one thing changes, with its multiplier", () => {
    expect(problems([{ from: "2026-04-01", multiplier: 2 }])).toEqual([
      "changes[0]: expected exactly one of price, duration, outcome or placementMix (what changes), found none"
    ])
    expect(
      problems([{ from: "2026-04-01", duration: { level: "child_in_need" }, price: { level: "child_in_need" } }])
    ).toEqual([
      "changes[0]: expected exactly one of price, duration, outcome or placementMix (what changes), found price, " +
        "duration"
    ])
    expect(problems([{ from: "2026-04-01", duration: { level: "child_in_need" } }])).toEqual([
      "changes[0]: expected a multiplier for the duration change"
    ])
    expect(problems([{ from: "2026-04-01", placementMix: { ifa_foster: 0.5 }, multiplier: 2 }])).toEqual([
      "changes[0].multiplier: placementMix gives a multiplier per placement type: expected no multiplier"
    ])
    expect(
      problems([{ from: "2026-04-01", until: "2026-01-01", duration: { level: "child_in_need" }, multiplier: 2 }])
    ).toEqual(["changes[0].until: expected until on or after from (2026-04-01), found 2026-01-01"])
  })

  it("prices: for whole months, of lines that exist", () => {
    expect(problems([{ from: "2026-04-15", price: { level: "child_in_need" }, multiplier: 1.08 }])).toEqual([
      "changes[0].from: a price changes from the first day of a month: expected a date like 2026-04-01, found " +
        "2026-04-15"
    ])
    expect(
      problems([{ from: "2026-04-01", until: "2027-03-30", price: { level: "child_in_need" }, multiplier: 1.08 }])
    ).toEqual([
      "changes[0].until: a price change runs to the last day of a month: expected a date like 2027-03-31, found " +
        "2027-03-30"
    ])
    expect(problems([{ from: "2026-04-01", price: { line: "IFA" }, multiplier: 1.08 }])).toEqual([
      "changes[0].price.line: expected the name of a weekly or one-off cost line (In-house foster care; Child in " +
        'need; Closure), found "IFA"'
    ])
    expect(problems([{ from: "2026-04-01", price: {}, multiplier: 1.08 }])).toEqual([
      "changes[0].price: expected exactly one of line (a weekly or one-off cost line by name), placement or level " +
        "(the weekly lines of a placement type or a level), found none"
    ])
  })

  it("an outcome: a move the level graph allows", () => {
    expect(
      problems([{ from: "2026-04-01", outcome: { level: "care_leaver", to: "looked_after" }, multiplier: 2 }])
    ).toHaveLength(1)
    expect(
      problems([{ from: "2026-04-01", outcome: { level: "child_in_need", to: "care_leaver" }, multiplier: 2 }])
    ).toEqual([
      "changes[0].outcome.to: expected a move allowed from child_in_need (universal, early_help, " +
        "intensive_family_support, child_protection, looked_after, exited), found care_leaver"
    ])
  })
})
