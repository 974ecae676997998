// Cases closed before the start are re-referred with the chance that a closed case comes back given that
// it has not come back yet: p (1 - F(a)) / (1 - p F(a)), after D | D > a.
import { describe, expect, it } from "vitest"
import { runEvents } from "../support/run.js"
import { tinyModel } from "../support/tiny.js"

describe("cases closed before the start", () => {
  it("are re-referred at the conditional rate, after the remaining delay", () => {
    const n = 20_000
    const p = 0.5
    const mean = 60
    const a = 30
    const model = tinyModel({
      years: 3,
      referrals: { reReferral: { probability: p, after: { type: "exponential", mean } } },
      startingCaseload: [{ level: "universal", count: n, ages: [1, 10], elapsed: { type: "fixed", value: a } }]
    })
    const { events } = runEvents(model, 5)
    const closed = events.filter((e) => e._tag === "CaseClosedBeforeStart")
    expect(closed).toHaveLength(n)
    for (const e of closed) expect(e).toMatchObject({ time: 0, closedOn: -a })
    // First re-referral of each child (a re-referred case closes again and may come back again).
    const seen = new Set<number>()
    const back = events.filter(
      (e) => e._tag === "ChildReferred" && e.reReferral && !seen.has(e.child) && seen.add(e.child) !== undefined
    )
    const f = 1 - Math.exp(-a / mean)
    const q = (p * (1 - f)) / (1 - p * f) // 0.3775
    const sd = Math.sqrt(n * q * (1 - q))
    // Binomial count within 4 standard deviations.
    expect(Math.abs(back.length - n * q)).toBeLessThan(4 * sd)
    // Memoryless delay: the remaining time is again exponential with the same mean (4 standard errors).
    const meanDelay = back.reduce((s, e) => s + e.time, 0) / back.length
    expect(Math.abs(meanDelay - mean)).toBeLessThan((4 * mean) / Math.sqrt(back.length))
    // Every re-referral is of a child known at the start (there are no new referrals).
    const ids = new Set(closed.map((e) => e.child))
    for (const e of back) expect(ids.has(e.child)).toBe(true)
  })

  it("default to closures spread over the last 12 months and never before birth", () => {
    const model = tinyModel({
      referrals: { reReferral: { probability: 0.2, after: { type: "gamma", shape: 2, mean: 90 } } },
      startingCaseload: [{ level: "universal", count: 2000, ages: [0, 0] }]
    })
    const { events } = runEvents(model, 9)
    for (const e of events) {
      if (e._tag !== "CaseClosedBeforeStart") continue
      expect(e.closedOn).toBeLessThanOrEqual(0)
      expect(e.closedOn).toBeGreaterThanOrEqual(-365)
      expect(e.closedOn).toBeGreaterThanOrEqual(e.dateOfBirth)
    }
  })
})
