/**
 * The forecast's scenario from the as-of date (src/forecast/Forecast.ts): a projected population is taken as
 * it stands on that date, its later points kept, and the referral rate per child carried on, so that a
 * forecast from a date sees the demand a run from the scenario's start would have then.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import * as Either from "effect/Either"
import { describe, expect, it } from "vitest"
import { deriveScenario } from "../../src/forecast/Forecast.js"
import { scenarioFromPlainText } from "../../src/scenario/Load.js"

const small = fs.readFileSync(path.resolve(import.meta.dirname, "../fixtures/small.yaml"), "utf8")

/** small.yaml (10,000 children on 1 April 2025, 500 referrals per 10,000, 1% growth) with its population replaced. */
const withPopulation = (population: string) =>
  Either.getOrThrow(
    scenarioFromPlainText(
      "p.yaml",
      small.replace("population:\n  children: 10000\n  growthPerYear: 0.01\n", population)
    )
  )

const derived = (population: string, asOf: string) =>
  Either.getOrThrow(deriveScenario(withPopulation(population), { asOf, years: 1, caseload: null })).central

describe("the forecast's scenario from the as-of date, with a projected population", () => {
  it("starts from the population of the as-of date and keeps the later points, in children", () => {
    const doubled = derived(
      "population:\n  children: 10000\n  projection: [{ date: 2026-04-01, multiplier: 2 }]\n",
      "2026-04-01"
    )
    expect(doubled.population.children).toBe(20000)
    expect(doubled.population.projection).toBeUndefined()
    // The rate per child carries on: twice the children, twice the referrals.
    expect(doubled.referrals.ratePer10k).toBeCloseTo(500, 9)
    // Half way along a line to x1.2 on 1 April 2027: x1.1 (to the day), the point kept as 12,000 children.
    const half = derived(
      "population:\n  children: 10000\n  projection: [{ date: 2027-04-01, multiplier: 1.2 }]\n",
      "2026-04-01"
    )
    expect(half.population.children).toBe(Math.round(10000 * (1 + (0.2 * 365) / 730)))
    expect(half.population.projection).toEqual([{ date: "2027-04-01", children: 12000 }])
  })

  it("with ages, moves the referral age bands' shares with their children", () => {
    // 18 single years of 500 children; by 1 April 2026 the under-5s have doubled, the others stayed.
    const ages = new Array(18).fill(500)
    const later = ages.map((n, a) => (a <= 4 ? 2 * n : n))
    const s = derived(
      `population:\n  children: 9000\n  byAge: [${ages.join(", ")}]\n` +
        `  projection: [{ date: 2026-04-01, byAge: [${later.join(", ")}] }]\n`,
      "2026-04-01"
    )
    expect(s.population.byAge).toEqual(later)
    expect(s.population.children).toBe(11500)
    // Shares 0.3, 0.3, 0.4 weighted by 2, 1, 1: 0.6, 0.3, 0.4 of 1.3.
    expect(s.referrals.ageAtReferral.map((b) => b.share)).toEqual(
      [0.6 / 1.3, 0.3 / 1.3, 0.4 / 1.3].map((x) => Number(x.toFixed(6)))
    )
    // The whole rate: 500 x 9,000 x 1.3 referrals a year per 10,000 at the start, per 10,000 of 11,500 now.
    expect(s.referrals.ratePer10k).toBeCloseTo((500 * 9000 * 1.3) / 11500, 9)
  })
})
