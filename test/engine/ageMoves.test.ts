/**
 * Placement moves at a birthday (`placements.atAge`, e.g. to supported accommodation at 16): an exact trace
 * (the move on the day, then the new placement's own move), the share that
 * moves against the rule's probability, and children in placements the rule does not name staying put.
 */
import { describe, expect, it } from "vitest"
import { birthday } from "../../src/domain/Calendar.js"
import type { CaseEvent } from "../../src/domain/Event.js"
import { StateCheck } from "../../src/log/StateCheck.js"
import { runEvents } from "../support/run.js"
import { tinyModel, type TinyOverrides } from "../support/tiny.js"

const SEED = 99
const fixed = (value: number) => ({ type: "fixed" as const, value })
const atSixteen = (probability: number, count: number): TinyOverrides => ({
  years: 2,
  levels: {
    looked_after: {
      duration: fixed(2000),
      outcomes: [{ reason: "returned_home", to: "universal", probability: 1 }],
      placements: {
        onEntry: { in_house_foster: 1 },
        // Supported accommodation ends in a move to an IFA after 100 days.
        moves: { supported_16_plus: { after: fixed(100), to: { ifa_foster: 1 } } },
        atAge: [{ age: 16, from: ["in_house_foster", "ifa_foster"], probability, to: { supported_16_plus: 1 } }]
      }
    }
  },
  startingCaseload: [
    { level: "looked_after", placement: "in_house_foster", count, ages: [15, 15], elapsed: fixed(10) },
    { level: "looked_after", placement: "kinship", count, ages: [15, 15], elapsed: fixed(10) }
  ]
})

describe("placement moves at a birthday", () => {
  it("moves a child at 16, and the new placement's moves replace the old one's", () => {
    const model = tinyModel(atSixteen(1, 1))
    const events = runEvents(model, SEED).events
    const open = events.find((e) => e._tag === "CaseOpenAtStart" && e.child === 0)! as CaseEvent & {
      _tag: "CaseOpenAtStart"
    }
    const sixteen = birthday(model.calendar, open.dateOfBirth, 16)
    const moves = events.filter((e) => e.child === 0 && e._tag === "PlacementChanged")
    expect(moves).toEqual([
      { _tag: "PlacementChanged", time: sixteen, child: 0, from: "in_house_foster", to: "supported_16_plus" },
      { _tag: "PlacementChanged", time: sixteen + 100, child: 0, from: "supported_16_plus", to: "ifa_foster" }
    ])
    // The kinship placement is not one the rule names: no move.
    expect(events.filter((e) => e.child === 1 && e._tag === "PlacementChanged")).toEqual([])
    const check = new StateCheck(model)
    for (const e of events) expect(check.check(e)).toBeNull()
  })

  it("moves the share its probability gives", () => {
    const n = 4000
    const events = runEvents(tinyModel(atSixteen(0.3, n)), SEED).events
    const moved = events.filter((e) => e._tag === "PlacementChanged" && e.to === "supported_16_plus").length
    expect(Math.abs(moved - 0.3 * n)).toBeLessThan(4.5 * Math.sqrt(n * 0.3 * 0.7))
  })
})
