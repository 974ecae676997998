// Budgets from the scenario and `--budget`: amounts, years, lines, totals.
import * as Either from "effect/Either"
import { describe, expect, it } from "vitest"
import { parseAmount, parseBudgetFlag, resolveBudgets } from "../../src/montecarlo/Budget.js"

const ctx = {
  financialYears: ["2025/26", "2026/27"],
  budgetLines: ["Looked After Children (External Placements)", "Early Help"],
  scenario: [
    { name: "Looked After Children (External Placements)", budget: { "2025/26": 28028770 } },
    { name: "Early Help", budget: { "2025/26": 4309600 } }
  ]
}
const flags = (...texts: ReadonlyArray<string>) => texts.map((t) => Either.getOrThrow(parseBudgetFlag(t)))

describe("budgets", () => {
  it("reads amounts as a finance director writes them", () => {
    expect(parseAmount("80.081m")).toBe(80081000)
    expect(parseAmount("£80,081,000")).toBe(80081000)
    expect(parseAmount("500k")).toBe(500000)
    expect(parseAmount("1.2bn")).toBe(1200000000)
    expect(parseAmount("28028770.5")).toBe(28028770.5)
    expect(parseAmount("-5m")).toBeNull()
    expect(parseAmount("80,08m")).toBeNull()
  })

  it("parses a total and a budget line, and names the flag when it cannot", () => {
    expect(flags("2025/26=80.081m")[0]).toMatchObject({ financialYear: "2025/26", line: null, pounds: 80081000 })
    expect(flags("2025/26:Looked After Children (External Placements)=28.0m")[0]).toMatchObject({
      line: "Looked After Children (External Placements)",
      pounds: 28000000
    })
    expect(Either.getLeft(parseBudgetFlag("80m"))).toEqual(
      expect.objectContaining({ value: expect.stringMatching(/^--budget: expected YEAR=AMOUNT/) })
    )
    expect(Either.getLeft(parseBudgetFlag("2025/26=lots"))).toEqual(
      expect.objectContaining({ value: expect.stringMatching(/^--budget "2025\/26=lots": expected an amount/) })
    )
  })

  it("takes line budgets from the scenario, totals them, and lets flags replace them", () => {
    const B = 2
    expect(Either.getOrThrow(resolveBudgets(ctx, []))).toEqual([2802877000, 430960000, 3233837000, null, null, null])
    const withFlags = Either.getOrThrow(resolveBudgets(ctx, flags("2025/26:early help=5m", "2026/27=40m")))
    expect(withFlags[0 * (B + 1) + 1]).toBe(500000000)
    expect(withFlags[0 * (B + 1) + 2]).toBe(2802877000 + 500000000)
    expect(withFlags[1 * (B + 1) + 2]).toBe(4000000000)
  })

  it("refuses a year outside the run, an unknown line and the same cell twice", () => {
    expect(Either.getLeft(resolveBudgets(ctx, flags("2030/31=1m")))).toEqual(
      expect.objectContaining({
        value: expect.stringContaining("is not a financial year of this run (2025/26 to 2026/27)")
      })
    )
    expect(Either.getLeft(resolveBudgets(ctx, flags("2025/26:Nope=1m")))).toEqual(
      expect.objectContaining({ value: expect.stringContaining('found "Nope"') })
    )
    expect(Either.getLeft(resolveBudgets(ctx, flags("2025/26=1m", "2025/26=2m")))).toEqual(
      expect.objectContaining({ value: expect.stringContaining("also given") })
    )
  })
})
