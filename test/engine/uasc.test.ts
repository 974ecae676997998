/**
 * Unaccompanied asylum-seeking children (src/engine/Uasc.ts, src/projections/Uasc.ts): their own arrival
 * stream (Poisson with a dated change, as under the National Transfer Scheme), straight into care by their
 * route, of their own ages and placements; UASC apart in the outputs (in care, care leavers, starts); their
 * cost lines and the Home Office grant as income on UASC child-days; the state check and a replay agree;
 * and generated scenarios with UASC keep every child in one state.
 */
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { CaseEvent } from "../../src/domain/Event.js"
import { StateCheck } from "../../src/log/StateCheck.js"
import type { Model } from "../../src/model/Model.js"
import { spendOf } from "../../src/projections/Spend.js"
import { uascCsv } from "../../src/report/Tables.js"
import { generatedCase } from "../support/arbitraries.js"
import { replay } from "../support/replay.js"
import { runs } from "../support/runs.js"
import { foldLedger, runWithLedger } from "../support/run.js"
import { tinyModel } from "../support/tiny.js"

const model = tinyModel({
  years: 2,
  levels: {
    looked_after: {
      duration: { type: "fixed", value: 200 },
      outcomes: [{ reason: "returned_home", to: "universal", probability: 1 }],
      placements: { onEntry: { in_house_foster: 1 } }
    }
  },
  budgetLines: [{ name: "UASC" }],
  uasc: {
    perYear: 120,
    // The National Transfer Scheme made mandatory: twice as many arrivals from the second year.
    changes: [{ from: "2026-04-01", multiplier: 2, label: "National Transfer Scheme" }],
    ageAtArrival: [
      { ages: [14, 15], share: 0.3 },
      { ages: [16, 17], share: 0.7 }
    ],
    placements: { supported_16_plus: 0.6, ifa_foster: 0.4 },
    // Most stay until 18; the few who leave earlier go to independent living.
    duration: { type: "exponential", mean: 6, unit: "years" },
    outcomes: [{ reason: "independent_living", to: "care_leaver", probability: 1 }],
    costs: [{ name: "UASC support worker", budgetLine: "UASC", perWeek: 70, level: "looked_after" }],
    grants: [
      { name: "Home Office UASC grant", budgetLine: "UASC", perWeek: 800, level: "looked_after" },
      { name: "Home Office care leaver grant", budgetLine: "UASC", perWeek: 285, level: "care_leaver" }
    ]
  }
})

const uascChildren = (events: ReadonlyArray<CaseEvent>) =>
  new Set(events.flatMap((e) => (e._tag === "ChildBecameLookedAfter" && e.via === "uasc" ? [e.child] : [])))

/** The UASC fold's month-end stocks (in care, care leavers) equal those counted from the log's spells; the
 * log's replay, for more checks. */
const expectUascStocks = (
  model: Model,
  events: ReadonlyArray<CaseEvent>,
  uasc: ReadonlySet<number>,
  u: { readonly inCare: ArrayLike<number>; readonly careLeavers: ArrayLike<number> }
): ReturnType<typeof replay> => {
  const r = replay(events, model.calendar.horizon)
  model.calendar.months.forEach((m, i) => {
    let inCare = 0
    let leavers = 0
    for (const c of uasc)
      for (const s of r.children.get(c)!.spells)
        if (s.from < m.end && s.to >= m.end) {
          if (s.state === "looked_after") inCare++
          if (s.state === "care_leaver") leavers++
        }
    expect([u.inCare[i], u.careLeavers[i]], m.label).toEqual([inCare, leavers])
  })
  return r
}

describe("unaccompanied asylum-seeking children", () => {
  it("arrive as their own Poisson stream, straight into care, of their own ages and placements", () => {
    let z2 = 0
    for (const seed of [1, 2, 3, 4]) {
      const { events } = runWithLedger(model, seed)
      const arrivals = events.filter((e) => e._tag === "ChildBecameLookedAfter" && e.via === "uasc")
      const first = arrivals.filter((e) => e.time < 365).length
      const second = arrivals.filter((e) => e.time >= 365).length
      // 120 in the first year, 240 in the second (the run's second year is 365 days: 2026/27).
      z2 += (first - 120) ** 2 / 120 + (second - 240) ** 2 / 240
      for (const e of arrivals) {
        const k = events.indexOf(e)
        const referral = events[k - 1]
        expect(referral).toMatchObject({ _tag: "ChildReferred", child: e.child, time: e.time, reReferral: false })
        const age = (e.time - (referral as CaseEvent & { _tag: "ChildReferred" }).dateOfBirth) / 365.25
        expect(age).toBeGreaterThanOrEqual(14)
        expect(age).toBeLessThan(18)
        expect(["supported_16_plus", "ifa_foster"]).toContain(e._tag === "ChildBecameLookedAfter" && e.placement)
      }
    }
    // A chi-square with 8 degrees of freedom is below 26.1 with probability 0.999.
    expect(z2).toBeLessThan(26.1)
  })

  it("shows UASC apart, costs their lines and counts the grant as income, and replays alike", () => {
    const { events, totals } = runWithLedger(model, 5)
    const check = new StateCheck(model)
    for (const e of events) expect(check.check(e)).toBeNull()
    const uasc = uascChildren(events)
    const u = totals.uasc!
    // Stock at each month end, from the events themselves.
    const r = expectUascStocks(model, events, uasc, u)
    expect(u.started.reduce((a, b) => a + b, 0)).toBe(uasc.size)
    // Everyone who left care before 18 went to independent living as a care leaver (or out, if ineligible).
    expect(u.becameCareLeavers.reduce((a, b) => a + b, 0)).toBeGreaterThan(0)
    // The grant: minus £800 a week for each UASC child-day in care.
    let days = 0
    for (const c of uasc)
      for (const s of r.children.get(c)!.spells) if (s.state === "looked_after") days += s.to - s.from
    const spend = spendOf(totals)
    const grant = spend.lines.find((l) => l.name === "Home Office UASC grant")!
    const worker = spend.lines.find((l) => l.name === "UASC support worker")!
    const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0)
    expect(sum(grant.quantity)).toBeCloseTo(days, 6)
    expect(sum(grant.amount)).toBeCloseTo((-800 / 7) * days, 4)
    expect(sum(worker.amount)).toBeCloseTo((70 / 7) * days, 4)
    expect(uascCsv(foldLedger(model, events))).toBe(uascCsv(totals))
  })

  it("counts a starting caseload's UASC as UASC from the start, in uasc.csv, DfE's tables and their costs", () => {
    const starting = tinyModel({
      years: 1,
      budgetLines: [{ name: "UASC" }],
      uasc: {
        perYear: 0,
        ageAtArrival: [{ ages: [16, 17], share: 1 }],
        placements: { supported_16_plus: 1 },
        duration: { type: "exponential", mean: 3, unit: "years" },
        grants: [{ name: "Home Office UASC grant", budgetLine: "UASC", perWeek: 700, level: "looked_after" }]
      },
      startingCaseload: [
        { level: "looked_after", placement: "supported_16_plus", count: 30, ages: [15, 16], uasc: true },
        { level: "looked_after", placement: "kinship", count: 20, ages: [5, 10] },
        { level: "care_leaver", count: 12, ages: [18, 19], uasc: true }
      ]
    })
    const { events, totals } = runWithLedger(starting, 2)
    const check = new StateCheck(starting)
    for (const e of events) expect(check.check(e)).toBeNull()
    const flagged = events.filter((e) => e._tag === "HistoryBeforeRun" && e.uasc)
    expect(flagged).toHaveLength(42)
    const uasc = new Set(flagged.map((e) => e.child))
    const u = totals.uasc!
    expectUascStocks(starting, events, uasc, u)
    // Not starts of care; the grant on their days in care; their own time in care (UASC's, not the 200 days).
    expect(u.started.reduce((a, b) => a + b, 0)).toBe(0)
    expect(u.inCare[0]).toBeGreaterThan(20)
    const grant = spendOf(totals).lines.find((l) => l.name === "Home Office UASC grant")!
    expect(grant.quantity.reduce((a, b) => a + b, 0)).toBeCloseTo(
      u.daysInCare.reduce((a, b) => a + b, 0),
      6
    )
    const leftAt200 = events.filter((e) => e._tag === "ChildLeftCare" && e.time === 200 && uasc.has(e.child))
    expect(leftAt200).toHaveLength(0)
    expect(uascCsv(foldLedger(starting, events))).toBe(uascCsv(totals))
  })

  it("keeps every child in one state, and UASC in care only by their route, in generated scenarios", () => {
    fc.assert(
      fc.property(generatedCase, (g) => {
        // Only the generated scenarios with UASC: fast-check draws until it has its count of them.
        fc.pre(g.model.uasc !== null)
        const { events, totals } = runWithLedger(g.model, g.seed)
        expect(replay(events, g.model.calendar.horizon).violations).toEqual([])
        const check = new StateCheck(g.model)
        for (const e of events) expect(check.check(e)).toBeNull()
        const u = totals.uasc!
        expect(u.started.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(uascChildren(events).size)
        expect(uascCsv(foldLedger(g.model, events))).toBe(uascCsv(totals))
      }),
      { numRuns: runs(15) }
    )
  })
})
