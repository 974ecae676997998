/**
 * An intervention's ramp (src/model/Ramp.ts): its shape by hand, and its integral against the sum of its
 * value day by day, on generated ramps and windows.
 */
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { makeCalendar } from "../../src/domain/Calendar.js"
import { makeRamp, rampAt, rampDays, stepIntegral } from "../../src/model/Ramp.js"

const cal = makeCalendar("2025-04-01", 5)

describe("makeRamp", () => {
  it("is 0 before the start, rises a step a month to 1, and is 0 from the day after the end", () => {
    const r = makeRamp(cal, "2025-10-01", "2027-03-31", 4)
    const start = cal.dayOf("2025-10-01")
    expect(rampAt(r, start - 1)).toBe(0)
    expect(rampAt(r, start)).toBe(0.25)
    expect(rampAt(r, start + 31)).toBe(0.5)
    expect(rampAt(r, start + 200)).toBe(1)
    expect(rampAt(r, cal.dayOf("2027-03-31"))).toBe(1)
    expect(rampAt(r, cal.dayOf("2027-03-31") + 1)).toBe(0)
  })

  it("is at full strength from its start without a ramp-up, and never ends without an end date", () => {
    const r = makeRamp(cal, "2025-04-01", undefined, 0)
    expect(rampAt(r, 0)).toBe(1)
    expect(rampAt(r, cal.horizon - 1)).toBe(1)
    expect(rampDays(r, 0, cal.horizon)).toBe(cal.horizon)
  })

  it("ends during its ramp-up if the end comes first", () => {
    const r = makeRamp(cal, "2025-04-01", "2025-05-15", 12)
    expect(rampAt(r, cal.dayOf("2025-05-15"))).toBeCloseTo(2 / 12, 12)
    expect(rampAt(r, cal.dayOf("2025-05-16"))).toBe(0)
  })
})

describe("rampDays", () => {
  const day = fc.integer({ min: 0, max: cal.horizon - 1 })
  it("is the sum of the ramp's value over the days of [a, b), and adds up over adjacent windows", () => {
    fc.assert(
      fc.property(
        day,
        fc.option(day, { nil: undefined }),
        fc.integer({ min: 0, max: 24 }),
        fc.tuple(day, day, day).map((t) => [...t].sort((x, y) => x - y)),
        (s, e, months, [a, b, c]) => {
          const start = cal.dateOf(s)
          const end = e === undefined || e < s ? undefined : cal.dateOf(e)
          const r = makeRamp(cal, start, end, months)
          let sum = 0
          for (let t = a; t < c; t++) sum += rampAt(r, t)
          expect(rampDays(r, a, c)).toBeCloseTo(sum, 9)
          expect(rampDays(r, a, b) + rampDays(r, b, c)).toBeCloseTo(rampDays(r, a, c), 9)
        }
      )
    )
  })

  it("is 0 over an empty window and before the first step", () => {
    const at = Float64Array.from([10, 20])
    const value = Float64Array.from([2, 0])
    expect(stepIntegral(at, value, 5, 5)).toBe(0)
    expect(stepIntegral(at, value, 0, 10)).toBe(0)
    expect(stepIntegral(at, value, 0, 15)).toBe(10)
    expect(stepIntegral(at, value, 12, 100)).toBe(16)
  })
})
