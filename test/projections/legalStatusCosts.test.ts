// Weekly costs by legal status (`costs.weekly[].legalStatus`): paid on the child-days of looked-after
// children holding one of the statuses, in any placement; an exact trace, and on the legal-status fixture the
// days worked out from the events themselves.
import { describe, expect, it } from "vitest"
import type { CaseEvent } from "../../src/domain/Event.js"
import { compileModel } from "../../src/model/Model.js"
import { spendOf } from "../../src/projections/Spend.js"
import { decodeScenario } from "../../src/scenario/Decode.js"
import { loadLegalFixture } from "../engine/legalFixture.js"
import { runWithLedger } from "../support/run.js"
import { tinyEncoded, tinyModel } from "../support/tiny.js"

const fixed = (value: number) => ({ type: "fixed" as const, value })
const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0)

/** Child-days in each status, from LegalStatusChanged and ChildLeftCare events, up to the horizon. */
const statusDays = (events: ReadonlyArray<CaseEvent>, horizon: number, statuses: ReadonlyArray<string>) => {
  const held = new Map<number, { status: string; since: number }>()
  let days = 0
  const close = (c: number, t: number) => {
    const h = held.get(c)
    if (h !== undefined && statuses.includes(h.status)) days += t - h.since
    held.delete(c)
  }
  for (const e of events) {
    if (e._tag === "LegalStatusChanged") {
      close(e.child, e.time)
      held.set(e.child, { status: e.to, since: e.time })
    } else if (e._tag === "ChildLeftCare") close(e.child, e.time)
  }
  for (const c of [...held.keys()]) close(c, horizon)
  return days
}

describe("weekly costs by legal status", () => {
  it("are paid on the days a child holds the status: an exact trace", () => {
    // In care for 100 days from the start: V2 for 30 days, then C1 for the rest.
    const model = tinyModel({
      levels: {
        looked_after: {
          duration: fixed(100),
          legalStatus: { onEntry: [{ mix: { V2: 1 } }], changes: { V2: { after: fixed(30), to: { C1: 1 } } } }
        }
      },
      startingCaseload: [{ level: "looked_after", placement: "kinship", count: 1, ages: [5, 5], elapsed: fixed(0) }],
      budgetLines: [{ name: "LAC" }],
      costs: {
        weekly: [
          { name: "Section 20 reviews", budgetLine: "LAC", perWeek: 70, legalStatus: ["V2"] },
          { name: "Care orders", budgetLine: "LAC", perWeek: 7, level: "looked_after", legalStatus: ["C1", "C2"] }
        ]
      }
    })
    const { events, totals } = runWithLedger(model, 1)
    const lines = spendOf(totals).lines
    const s20 = lines.find((l) => l.name === "Section 20 reviews")!
    const orders = lines.find((l) => l.name === "Care orders")!
    // The starting child's first status change is at the forward recurrence time of the fixed 30 days: drawn,
    // so the days are worked out from the log's change.
    const change = events.find((e) => e._tag === "LegalStatusChanged" && e.from === "V2")!
    expect(sum(s20.quantity)).toBeCloseTo(change.time, 9)
    expect(sum(s20.amount)).toBeCloseTo(10 * change.time, 6)
    expect(sum(orders.quantity)).toBeCloseTo(100 - change.time, 9)
    expect(sum(orders.amount)).toBeCloseTo(100 - change.time, 6)
  })

  it("agree with the statuses' days in the events, on the legal-status fixture", async () => {
    const s = await loadLegalFixture()
    const line = s.costs.weekly[0].budgetLine
    const scenario = {
      ...s,
      costs: {
        ...s.costs,
        weekly: [
          ...s.costs.weekly,
          { name: "Orders", budgetLine: line, perWeek: 140, legalStatus: ["C1", "E1"] as const }
        ]
      }
    }
    const model = compileModel(scenario)
    const { events, totals } = runWithLedger(model, 4)
    const days = statusDays(events, model.calendar.horizon, ["C1", "E1"])
    expect(days).toBeGreaterThan(1000)
    const orders = spendOf(totals).lines.find((l) => l.name === "Orders")!
    expect(sum(orders.quantity)).toBeCloseTo(days, 4)
    // Price 140 a week (£20 a day) in the price base, inflated each later financial year.
    expect(orders.amount[0]).toBeCloseTo(orders.quantity[0] * 20, 6)
  })

  it("are refused with a placement, or without legal statuses in the scenario", () => {
    const problems = (weekly: ReadonlyArray<Record<string, unknown>>) => {
      const r = decodeScenario("bad.yaml", { ...tinyEncoded({ budgetLines: [{ name: "LAC" }] }), costs: { weekly } })
      return r._tag === "Left" ? r.left.message : ""
    }
    expect(problems([{ name: "x", budgetLine: "LAC", perWeek: 1, placement: "kinship", legalStatus: ["V2"] }])).toMatch(
      /costs\.weekly\[0\]\.legalStatus.*any placement/s
    )
    expect(problems([{ name: "x", budgetLine: "LAC", perWeek: 1, legalStatus: ["V2"] }])).toMatch(
      /needs levels\.looked_after\.legalStatus/
    )
  })
})
