/**
 * Dated changes compiled for the engine (src/model/Changes.ts): segments cut at every start and end, the
 * product of the changes in force in each, and a placement mix reweighted.
 */
import { describe, expect, it } from "vitest"
import { makeCalendar } from "../../src/domain/Calendar.js"
import { PLACEMENTS, STATES, stateIndex } from "../../src/domain/Level.js"
import { compileChanges, mixWith, segmentOf } from "../../src/model/Changes.js"
import { makeChoice } from "../../src/model/Tables.js"
import type { DatedChange } from "../../src/scenario/Scenario.js"
import { decodeValid } from "../support/arbitraries.js"
import { tinyEncoded } from "../support/tiny.js"

const base = decodeValid(tinyEncoded({ start: "2025-04-01", years: 3 }))
const cal = makeCalendar("2025-04-01", 3)
const withChanges = (changes: ReadonlyArray<DatedChange>) => compileChanges({ ...base, changes }, cal)

describe("compileChanges", () => {
  it("is null without changes to the engine (a price change alone is the cost lines')", () => {
    expect(withChanges([])).toBeNull()
    expect(withChanges([{ from: "2026-04-01", price: { level: "early_help" }, multiplier: 1.1 }])).toBeNull()
  })

  it("cuts the run at each start and end, and multiplies the changes in force in each segment", () => {
    const d = withChanges([
      { from: "2025-10-01", until: "2026-09-30", duration: { level: "child_protection" }, multiplier: 2 },
      { from: "2026-04-01", duration: { level: "child_protection" }, multiplier: 1.5 },
      { from: "2026-04-01", outcome: { level: "child_in_need", to: "looked_after" }, multiplier: 0.5 },
      { from: "2026-06-01", outcome: { level: "child_in_need", to: "looked_after" }, multiplier: 0.8 }
    ])
    expect(d).not.toBeNull()
    if (d === null) return
    const days = ["2025-10-01", "2026-04-01", "2026-06-01", "2026-10-01"].map(cal.dayOf)
    expect([...d.at]).toEqual([0, ...days])
    const cp = (k: number) => d.duration[k * STATES.length + stateIndex.child_protection]
    expect([0, 1, 2, 3, 4].map(cp)).toEqual([1, 2, 3, 3, 1.5])
    expect(d.duration[2 * STATES.length + stateIndex.early_help]).toBe(1)
    const cinToCare = (k: number) => d.moves[k].map((m) => m.multiplier)
    expect([0, 1, 2, 3, 4].map(cinToCare)).toEqual([[], [], [0.5], [0.4], [0.4]])
    // A day falls in the segment that begins on or before it.
    expect(segmentOf(d, 0)).toBe(0)
    expect(segmentOf(d, days[0] - 1)).toBe(0)
    expect(segmentOf(d, days[0])).toBe(1)
    expect(segmentOf(d, cal.horizon - 1)).toBe(4)
  })

  it("multiplies placement shares, the others keeping theirs before the table is made whole again", () => {
    const d = withChanges([{ from: "2026-04-01", placementMix: { kinship: 2, ifa_foster: 0.5 } }])
    expect(d?.mix).toEqual([null, { kinship: 2, ifa_foster: 0.5 }])
    const [kin, ifa, res] = (["kinship", "ifa_foster", "external_residential"] as const).map((p) =>
      PLACEMENTS.indexOf(p)
    )
    const c = mixWith(makeChoice([kin, ifa, res], [0.2, 0.4, 0.4]), { kinship: 2, ifa_foster: 0.5 })
    const share = (i: number) => c.cum[i] - (i > 0 ? c.cum[i - 1] : 0)
    // Weights 0.4, 0.2, 0.4 out of 1.
    expect([0, 1, 2].map(share).map((x) => Number(x.toFixed(12)))).toEqual([0.4, 0.2, 0.4])
  })
})
