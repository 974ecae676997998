// The opening caseload in care without a given elapsed time: ages and times in care drawn from the
// stationary joint law of age on entry x time in care (a child in care at age a has been in care t with
// density proportional to e(a - t) S(t | a - t)), checked against the analytic law.
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { CaseOpenAtStart } from "../../src/domain/Event.js"
import { stationaryElapsed } from "../../src/engine/StartingCaseload.js"
import { ENTRY_GRID_DAYS } from "../../src/model/Model.js"
import { atAge } from "../../src/model/Tables.js"
import { runWithLedger } from "../support/run.js"
import { tinyModel } from "../support/tiny.js"

const YEAR = 365.25

/** The times in care (days) and ages (days) of the opening caseload's looked-after children. */
const opening = (model: Parameters<typeof runWithLedger>[0]) =>
  runWithLedger(model, 11)
    .events.filter((e): e is CaseOpenAtStart => e._tag === "CaseOpenAtStart" && e.level === "looked_after")
    .map((e) => ({ elapsed: -e.since, age: -e.dateOfBirth }))

/** A numeric integral of f over [a, b] (Simpson, n even). */
const integral = (f: (x: number) => number, a: number, b: number, n = 2000): number => {
  const h = (b - a) / n
  let s = f(a) + f(b)
  for (let i = 1; i < n; i++) s += f(a + i * h) * (i % 2 === 1 ? 4 : 2)
  return (s * h) / 3
}

describe("the opening caseload's times in care", () => {
  it("follow the stationary law: exponential stays and entries at every age give a truncated exponential", () => {
    const mean = 2 * YEAR
    const n = 20_000
    const model = tinyModel({
      levels: { looked_after: { duration: { type: "exponential", mean } } },
      startingCaseload: [
        {
          level: "looked_after",
          placement: "kinship",
          count: n,
          ages: [10, 10],
          ageOnEntry: [{ ages: [0, 17], share: 1 }]
        }
      ]
    })
    const kids = opening(model)
    expect(kids).toHaveLength(n)
    // Given age a, t has density exp(-t / m) on [0, a]: mean m - a e^(-a/m) / (1 - e^(-a/m)); ages are
    // uniform over the band (from a day past the 10th birthday to two days short of the 11th).
    const lo = 10 * YEAR + 1
    const hi = 11 * YEAR - 2
    const condMean = (a: number) => mean - (a * Math.exp(-a / mean)) / (1 - Math.exp(-a / mean))
    const expected = integral(condMean, lo, hi) / (hi - lo)
    const got = kids.reduce((s, k) => s + k.elapsed, 0) / n
    // The law's sd is about m: 4 standard errors.
    expect(Math.abs(got - expected)).toBeLessThan((4 * mean) / Math.sqrt(n))
    // And its shape: the share in care under a year.
    const under = (a: number) => (1 - Math.exp(-YEAR / mean)) / (1 - Math.exp(-a / mean))
    const p = integral(under, lo, hi) / (hi - lo)
    const share = kids.filter((k) => k.elapsed < YEAR).length / n
    expect(Math.abs(share - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n))
    for (const k of kids) expect(k.elapsed).toBeLessThanOrEqual(k.age)
  })

  it("never gives a child more time in care than since the youngest age children come into care at", () => {
    // Children come into care only at 15-17: a 16-year-old in care has been in care at most since 15, what
    // the equilibrium of the duration alone (up to the child's whole life) would not respect.
    const n = 5000
    const model = tinyModel({
      levels: { looked_after: { duration: { type: "gamma", shape: 0.5, mean: 3 * YEAR } } },
      startingCaseload: [
        {
          level: "looked_after",
          placement: "kinship",
          count: n,
          ages: [16, 16],
          ageOnEntry: [{ ages: [15, 17], share: 1 }]
        }
      ]
    })
    const kids = opening(model)
    let longest = 0
    for (const k of kids) {
      // Within two of the grid's weeks of the 15th birthday (the law is worked out week by week).
      expect(k.age - k.elapsed).toBeGreaterThanOrEqual(15 * YEAR - 14)
      longest = Math.max(longest, k.elapsed)
    }
    // And the law is spread over the whole range, not piled at 0.
    expect(longest).toBeGreaterThan(YEAR)
    expect(kids.filter((k) => k.elapsed < YEAR / 2).length / n).toBeLessThan(0.8)
  })

  it("defaults the age on entry to the referrals' ages, and leaves a group with elapsed as it was", () => {
    const model = tinyModel({
      referrals: {
        ageAtReferral: [
          { ages: [0, 11], share: 0 },
          { ages: [12, 17], share: 1 }
        ]
      },
      levels: { looked_after: { duration: { type: "exponential", mean: 5 * YEAR } } },
      startingCaseload: [
        { level: "looked_after", placement: "kinship", count: 2000, ages: [13, 13] },
        {
          level: "looked_after",
          placement: "ifa_foster",
          count: 10,
          ages: [13, 13],
          elapsed: { type: "fixed", value: 9 }
        }
      ]
    })
    const kids = opening(model)
    for (const k of kids.slice(0, 2000)) expect(k.age - k.elapsed).toBeGreaterThanOrEqual(12 * YEAR - 14)
    for (const k of kids.slice(2000)) expect(k.elapsed).toBe(9)
    // The scenario's own ages on entry (levels.looked_after.ageOnEntry) come before the referrals'.
    const own = opening(
      tinyModel({
        levels: {
          looked_after: {
            duration: { type: "exponential", mean: 5 * YEAR },
            ageOnEntry: [
              { ages: [0, 14], share: 0 },
              { ages: [15, 17], share: 1 }
            ]
          }
        },
        startingCaseload: [{ level: "looked_after", placement: "kinship", count: 500, ages: [16, 16] }]
      })
    )
    for (const k of own) expect(k.age - k.elapsed).toBeGreaterThanOrEqual(15 * YEAR - 14)
  })

  it("sum the grid's cells as its definition does, cell by cell, to the last bit", () => {
    // The engine's loop is written for speed (whole parts, the survival table looked up once a year of age);
    // this is the grid read straight off the definition: each cell's middle, its entry age, its width.
    const model = tinyModel({
      levels: {
        looked_after: {
          duration: {
            byAge: [
              { ages: [0, 4], duration: { type: "weibull", shape: 1.3, scale: 2.3, unit: "years" } },
              { ages: [5, 17], duration: { type: "lognormal", mean: 900, sd: 1200 } }
            ]
          }
        }
      },
      startingCaseload: [
        {
          level: "looked_after",
          placement: "kinship",
          count: 1,
          ages: [0, 17],
          ageOnEntry: [
            { ages: [0, 4], share: 0.3 },
            { ages: [5, 9], share: 0 },
            { ages: [10, 17], share: 0.7 }
          ]
        }
      ]
    })
    const law = model.starting[0].ageOnEntry!
    const duration = model.levels[model.starting[0].levelIndex]!.duration
    const g = ENTRY_GRID_DAYS
    const definition = (ageDays: number, u: number): number => {
      const cells = Math.ceil(ageDays / g)
      if (cells <= 0) return 0
      const weights: Array<number> = []
      let total = 0
      for (let k = 0; k < cells; k++) {
        const width = Math.min(g, ageDays - k * g)
        const x = ageDays - Math.min((k + 0.5) * g, ageDays)
        const e = law.density[Math.min(law.density.length - 1, Math.max(0, Math.floor(x / g)))]
        const survival = 1 - atAge(duration, Math.min(17, Math.floor(x / 365.25))).cdf((k + 0.5) * g)
        if (e > 0) total += e * survival * width
        weights.push(total)
      }
      if (!(total > 0)) return u * ageDays
      // The first cell whose running total passes u of the whole (the last, if none does).
      const first = weights.findIndex((w) => w > u * total)
      const at = first < 0 ? cells - 1 : first
      const below = at === 0 ? 0 : weights[at - 1]
      const within = weights[at] > below ? (u * total - below) / (weights[at] - below) : 0.5
      return Math.min(ageDays, (at + within) * g)
    }
    const ages = fc.oneof(
      fc.double({ min: 0, max: 18 * YEAR, noNaN: true }),
      // Whole weeks and just either side of them: where a cell's edge falls on the birth.
      fc.integer({ min: 0, max: 939 }).map((w) => w * g),
      fc.integer({ min: 1, max: 939 }).chain((w) => fc.constantFrom(w * g - 1e-9, w * g + 1e-9))
    )
    fc.assert(
      fc.property(ages, fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (ageDays, u) => {
        expect(Object.is(stationaryElapsed(ageDays, law, duration, u), definition(ageDays, u))).toBe(true)
      }),
      { numRuns: 300 }
    )
  })
})
