/**
 * Shocks that end or wear off (`referrals.changes` with `until` or `halfLifeMonths`): the number of new
 * referrals in each month matches the integral of the rate the scenario gives (Poisson: within 4.5 standard
 * deviations each month, and a chi-square over the year), and the rate is back to its base after `until`.
 */
import { describe, expect, it } from "vitest"
import { runEvents } from "../support/run.js"
import { tinyModel } from "../support/tiny.js"

const DAY_MONTH = 365.25 / 12

describe("shocks with an end or a half-life", () => {
  it("gives each month the referrals its rate integrates to", () => {
    const base = 20 // referrals a day
    const model = tinyModel({
      population: { children: 100_000 },
      referrals: {
        ratePer10k: (base * 365.25 * 10_000) / 100_000,
        changes: [
          // Day 91 (1 July): three times the rate, the excess halving every two months...
          { from: "2025-07-01", multiplier: 3, halfLifeMonths: 2, until: "2026-01-01" },
          // ...and a step of -50% for November only.
          { from: "2025-11-01", multiplier: 0.5, until: "2025-12-01" }
        ]
      }
    })
    const cal = model.calendar
    const rate = (t: number) => {
      let f = 1
      if (t >= cal.dayOf("2025-07-01") && t < cal.dayOf("2026-01-01"))
        f *= 1 + 2 * Math.pow(2, -(t - cal.dayOf("2025-07-01")) / (2 * DAY_MONTH))
      if (t >= cal.dayOf("2025-11-01") && t < cal.dayOf("2025-12-01")) f *= 0.5
      return base * f
    }
    const integral = (a: number, b: number) => {
      const n = 2000
      let s = 0
      for (let k = 0; k < n; k++) s += rate(a + ((k + 0.5) * (b - a)) / n)
      return (s * (b - a)) / n
    }
    let chi2 = 0
    for (const seed of [1, 2]) {
      const times = runEvents(model, seed).events.flatMap((e) => (e._tag === "ChildReferred" ? [e.time] : []))
      for (const m of cal.months) {
        const n = times.filter((t) => t >= m.start && t < m.end).length
        const expected = integral(m.start, m.end)
        const z = (n - expected) / Math.sqrt(expected)
        expect(Math.abs(z), `${m.label}: ${n} against ${expected.toFixed(1)}`).toBeLessThan(4.5)
        chi2 += z * z
      }
    }
    // 24 months: a chi-square with 24 degrees of freedom is below 51 with probability 0.999.
    expect(chi2).toBeLessThan(51)
    // After the end the rate is the base: January to March get 20 a day.
    expect(integral(cal.dayOf("2026-01-01"), cal.dayOf("2026-02-01"))).toBeCloseTo(base * 31, 6)
  })

  it("refuses an end on or before the change's date", async () => {
    const { errorOf, smallWith } = await import("../scenario/helpers.js")
    const text = smallWith([
      "- { from: 2026-04-01, multiplier: 1.25, label: shock }",
      "- { from: 2026-04-01, multiplier: 1.25, until: 2026-04-01, label: shock }"
    ])
    expect(errorOf(text).problems.map((p) => [p.path, p.message])).toEqual([
      ["referrals.changes[0].until", "expected an end after the change's date (2026-04-01), found 2026-04-01"]
    ])
  })
})
