// Dated values outside the run are warned about (not refused): what the file says would have no effect,
// or a different one. The warnings depend on the run's length, which --years can change.
import { describe, expect, it } from "vitest"
import { scenarioWarnings } from "../../src/scenario/Warnings.js"
import { dated, edit, small, sourceOf } from "./helpers.js"
import * as fs from "node:fs"

const warnings = (text: string, years?: number) => {
  const s = sourceOf(text)
  return scenarioWarnings(s.central, years ?? s.central.years, s.locate)
}
const lineOf = (text: string, needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1

describe("scenarioWarnings", () => {
  it("says nothing about the shipped scenarios", () => {
    for (const file of ["scenarios/default.yaml", "scenarios/england.yaml", "test/fixtures/small.yaml"]) {
      const s = sourceOf(fs.readFileSync(file, "utf8"), file)
      expect(scenarioWarnings(s.central, s.central.years, s.locate)).toEqual([])
    }
    expect(warnings(dated)).toEqual([])
  })

  it("warns of inflation far outside what prices have done, wherever it is given, with its effect over the run", () => {
    const text = edit(
      edit(small, "  inflation: 0.03", "  inflation: 0.5"),
      "placement: ifa_foster, inflation: 0.05",
      "placement: ifa_foster, inflation: -0.2"
    )
    const found = warnings(text)
    expect(found.map((w) => [w.path, w.line])).toEqual([
      ["costs.inflation", lineOf(text, "  inflation: 0.5")],
      ["costs.weekly[5].inflation", lineOf(text, "inflation: -0.2")]
    ])
    expect(found[0].message).toBe(
      "0.5 is 50% a year, far from price inflation as it has been (-10% to 25% taken as plausible): prices end " +
        "the 3-year run at 3.38 times their start (0.05 is 5%)"
    )
    expect(found[1].message).toContain("-0.2 is -20% a year")
    // Within the range: nothing.
    expect(warnings(edit(small, "  inflation: 0.03", "  inflation: 0.25"))).toEqual([])
  })

  it("warns of a referral change after the run ends, for the run's length", () => {
    const text = edit(small, "from: 2026-04-01, multiplier", "from: 2029-06-01, multiplier")
    const line = lineOf(text, "2029-06-01")
    expect(warnings(text)).toEqual([
      {
        path: "referrals.changes[0].from",
        line,
        message:
          "2029-06-01 is after the run ends (the run is 2025-04-01 to 2028-03-31): this change of the rate has no " +
          "effect"
      }
    ])
    // A longer run (--years 5) reaches it.
    expect(warnings(text, 5)).toEqual([])
  })

  it("warns of a dated change (top-level changes) after the run, or ending before it starts", () => {
    const text =
      small +
      "\nchanges:\n" +
      "  - { from: 2030-04-01, price: { placement: ifa_foster }, multiplier: 1.1 }\n" +
      "  - { from: 2020-04-01, until: 2021-03-31, duration: { level: child_in_need }, multiplier: 0.9 }\n" +
      "  - { from: 2026-04-01, duration: { level: child_in_need }, multiplier: 0.9 }\n"
    expect(warnings(text).map((w) => [w.path, w.message])).toEqual([
      [
        "changes[0].from",
        "2030-04-01 is after the run ends (the run is 2025-04-01 to 2028-03-31): this dated change has no effect"
      ],
      ["changes[1].until", "2021-03-31 is before the run starts (2025-04-01): this dated change has no effect"]
    ])
  })

  it("warns of a change before the run starts: it applies from the first day", () => {
    const text = edit(dated, "from: 2026-04-01, places", "from: 2024-01-01, places")
    expect(warnings(text)).toEqual([
      {
        path: "services[0].changes[0].from",
        line: lineOf(text, "2024-01-01"),
        message: "2024-01-01 is before the run starts (2025-04-01): this change of places applies from the first day"
      }
    ])
    const team = edit(dated, "from: 2026-04-01, fte", "from: 2030-01-01, fte")
    expect(warnings(team).map((w) => [w.path, w.message])).toEqual([
      [
        "workforce[0].establishmentChanges[0].from",
        "2030-01-01 is after the run ends (the run is 2025-04-01 to 2028-03-31): this change of establishment has " +
          "no effect"
      ]
    ])
  })

  it("warns of an intervention outside the run, and of a set-up cost that is never counted", () => {
    const late = edit(edit(dated, "start: 2025-07-01", "start: 2029-07-01"), "end: 2027-03-31", "end: 2030-03-31")
    expect(warnings(late).map((w) => [w.path, w.message])).toEqual([
      [
        "interventions[0].start",
        "2029-07-01 is after the run ends (the run is 2025-04-01 to 2028-03-31): it has no effect"
      ]
    ])
    const early = edit(dated, "start: 2025-07-01", "start: 2024-07-01")
    expect(warnings(early).map((w) => w.message)).toEqual([
      "2024-07-01 is before the run starts (2025-04-01): it runs from the first day, ramped up as from its start, " +
        "and its set-up cost (charged in the month it starts) is not counted"
    ])
    const over = edit(edit(dated, "start: 2025-07-01", "start: 2023-07-01"), "end: 2027-03-31", "end: 2024-03-31")
    expect(warnings(over).map((w) => [w.path, w.message])).toEqual([
      ["interventions[0].end", "2024-03-31 is before the run starts (2025-04-01): it has no effect"]
    ])
  })

  it("warns of budgets for years the run does not reach, or covers only in part", () => {
    const text = edit(
      small,
      "  - { name: Management }",
      '  - { name: Management, budget: { "2019/20": 1, "2025/26": 2 } }'
    )
    expect(warnings(text).map((w) => [w.path, w.message])).toEqual([
      [
        "budgetLines[4].budget.2019/20",
        "no part of 2019/20 is simulated (the run covers 2025/26 to 2027/28): this budget is not used"
      ]
    ])
    const october = edit(text, "start: 2025-04-01", "start: 2025-10-01")
    expect(warnings(october).map((w) => w.message)).toContain(
      "the run covers 182 days of the 365 days of 2025/26 (2025-10-01 to 2026-03-31): its budget is compared " +
        "pro-rated by days"
    )
  })

  it("warns of a price base outside the run: prices are uprated (or deflated) to it", () => {
    const text = edit(small, "  inflation: 0.03", "  inflation: 0.03\n  priceBase: 2023/24")
    expect(warnings(text)).toEqual([
      {
        path: "costs.priceBase",
        line: lineOf(text, "priceBase"),
        message:
          "prices are in 2023/24, before the run (2025/26 to 2027/28): every price is uprated by 2 years of " +
          "inflation to 2025/26"
      }
    ])
    expect(warnings(edit(small, "  inflation: 0.03", "  inflation: 0.03\n  priceBase: 2030/31"))[0].message).toBe(
      "prices are in 2030/31, after the run (2025/26 to 2027/28): every price is deflated by 5 years of inflation " +
        "to 2025/26"
    )
  })
})
