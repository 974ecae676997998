// Numbers that would overflow (a cost x days giving Infinity, a growth of 1e300) are refused by stated
// bounds, and absurd sizes by the schema's ranges, each with the field, its range and what was found.
import { describe, expect, it } from "vitest"
import { edit, errorOf, small } from "./helpers.js"

const only = (from: string, to: string) => {
  const e = errorOf(edit(small, from, to))
  expect(e.problems).toHaveLength(1)
  return [e.problems[0].path, e.problems[0].message]
}

describe("bounds", () => {
  it("refuses money that would overflow a year's spend", () => {
    expect(only("perYear: 500000", "perYear: 1e308")).toEqual([
      "costs.fixed[0].perYear",
      "expected an amount in pounds within 1,000,000,000,000 either side of 0, found 1e+308"
    ])
    expect(only("perWeek: 5500,", "perWeek: 1e300,")).toEqual([
      "costs.weekly[8].perWeek",
      "expected an amount in pounds from 0 to 1,000,000,000,000, found 1e+300"
    ])
  })

  it("refuses growth, trend and inflation above 100% a year", () => {
    expect(only("growthPerYear: 0.01", "growthPerYear: 1e300")).toEqual([
      "population.growthPerYear",
      "expected a yearly rate as a fraction above -1 and at most 1 (0.03 = 3%), found 1e+300"
    ])
    expect(only("inflation: 0.03", "inflation: 3")[0]).toBe("costs.inflation")
  })

  it("refuses a population, a rate, a count or a time beyond its range", () => {
    expect(only("children: 10000", "children: 1000000000")).toEqual([
      "population.children",
      "expected a whole number of children from 0 to 100,000,000, found 1000000000"
    ])
    expect(only("ratePer10k: 500", "ratePer10k: 1e300")[1]).toBe(
      "expected a number >= 0 (referrals per 10,000 children a year, at most 1,000,000), found 1e+300"
    )
    expect(only("count: 200,", "count: 1e300,")[1]).toBe(
      "expected a whole number >= 0 (at most 1,000,000,000), found 1e+300"
    )
    expect(only("{ type: gamma, shape: 2, mean: 120 }", "{ type: gamma, shape: 2, mean: 1e308 }")[1]).toBe(
      "expected a time above 0 (at most 1,000,000 in the distribution's unit), found 1e+308"
    )
    expect(only("{ type: gamma, shape: 2, mean: 120 }", "{ type: gamma, shape: 0.000001, mean: 120 }")[1]).toBe(
      "expected a shape from 0.01 to 1,000, found 0.000001"
    )
    expect(only("multiplier: 1.25", "multiplier: 1e300")[1]).toBe("expected a multiplier from 0 to 1,000, found 1e+300")
  })

  it("says its range whatever was found: text, a fraction, infinity, NaN", () => {
    expect(only("perYear: 500000", "perYear: lots")[1]).toBe(
      'expected an amount in pounds within 1,000,000,000,000 either side of 0, found "lots"'
    )
    expect(only("count: 200,", "count: 2.5,")[1]).toBe(
      "expected a whole number >= 0 (at most 1,000,000,000), found 2.5"
    )
    expect(only("perYear: 500000", "perYear: .inf")[1]).toMatch(/found Infinity$/)
    expect(only("perYear: 500000", "perYear: .nan")[1]).toMatch(/found NaN$/)
  })
})
