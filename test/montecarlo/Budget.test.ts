// Budgets from the scenario and `--budget`: amounts, years, lines, totals; a part year's budget pro-rated.
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as Either from "effect/Either"
import { describe, expect, it } from "vitest"
import { type BudgetFlag, parseAmount, parseBudgetFlag, resolveBudgets } from "../../src/montecarlo/Budget.js"
import { runLayout } from "../../src/montecarlo/Plan.js"
import { reportText, spendCsv, spendFigures } from "../../src/montecarlo/Report.js"
import { fixedOnlySource } from "../report/support.js"
import { cli } from "../support/cli.js"
import { plan, run } from "./support.js"

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
    // Net income, as a scenario's grant line budgets it.
    expect(parseAmount("-5m")).toBe(-5000000)
    expect(parseAmount("-£6,441,620")).toBe(-6441620)
    expect(parseAmount("£-6.4m")).toBe(-6400000)
    expect(Object.is(parseAmount("-0"), 0)).toBe(true)
    expect(parseAmount("--5m")).toBeNull()
    expect(parseAmount("-£-5m")).toBeNull()
    expect(parseAmount("5m-")).toBeNull()
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
    // No more than a scenario's budget may be (its figures are printed and written to the penny).
    expect(flags("2025/26=1000bn", "2025/26=-£1,000,000,000,000").map((f) => f.pounds)).toEqual([1e12, -1e12])
    for (const big of ["1000.01bn", "2000000000000bn", `1${"0".repeat(297)}bn`, "-1001bn"])
      expect(Either.getLeft(parseBudgetFlag(`2025/26=${big}`))).toEqual(
        expect.objectContaining({ value: expect.stringMatching(/: expected an amount from -£1,000bn to £1,000bn/) })
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

// A part year against a whole year's budget, on a scenario whose only cost is a fixed £500,000 a year:
// from 1 October 2025 the run's spend in 2025/26 is exactly £500,000 x 182 / 365 in every replication,
// so P(over budget) is 0 or 1 according to where the budget pro-rated by days falls.
describe("budgets for a part year", () => {
  const SPEND = Math.round(((500_000 * 182) / 365) * 100) // pennies
  const proRated = (pounds: number, days = 182) => Math.round((pounds * 100 * days) / 365)
  const figures = async (budget: number, o: { flags?: ReadonlyArray<BudgetFlag>; tolerance?: number } = {}) => {
    const src = fixedOnlySource("2025-10-01", 500_000, { "2025/26": budget })
    const p = plan(src, { runs: 4, years: 1, budgets: o.flags ?? [], tolerance: o.tolerance ?? 0.05 })
    const summary = (await run(src, p)).summary
    return { p, summary, totals: spendFigures(p, summary).filter((f) => f.isTotal) }
  }

  it("compares spend with the whole year's budget pro-rated by days, just over and just under it", async () => {
    const over = await figures(499_990) // pro-rated £4.99 under the spend
    const under = await figures(500_010) // pro-rated £4.99 over it
    expect(over.p.budgets[1]).toBe(proRated(499_990))
    expect(over.p.fullYearBudgets[1]).toBe(49_999_000)
    expect(over.totals[0]).toMatchObject({ partYear: true, budgetBasis: "pro_rata_182_of_365", probOver: 1 })
    expect(over.totals[0].mean).toBe(SPEND / 100)
    expect(over.totals[0].expectedOverspend).toBe((SPEND - proRated(499_990)) / 100)
    expect(under.totals[0]).toMatchObject({ probOver: 0, probOverTolerance: 0, expectedOverspend: 0 })
    // Against the whole year's £499,990 (the old comparison) the run would never be over budget.
    expect(SPEND).toBeLessThan(49_999_000)
  })

  it("counts spend over the tolerance against the pro-rated budget", async () => {
    const within = await figures(480_000) // spend is 4.2% over the pro-rated budget
    const beyond = await figures(470_000) // 6.4% over
    expect([within.totals[0].probOver, within.totals[0].probOverTolerance]).toEqual([1, 0])
    expect([beyond.totals[0].probOver, beyond.totals[0].probOverTolerance]).toEqual([1, 1])
  })

  it("pro-rates a --budget flag for the year the run ends in, and writes the basis into the CSV", async () => {
    const { p, summary, totals } = await figures(500_010, { flags: flags("2026/27=499k") })
    expect(totals[1]).toMatchObject({
      financialYear: "2026/27",
      budget: proRated(499_000, 183) / 100,
      budgetBasis: "pro_rata_183_of_365",
      fullYearBudget: 499_000,
      probOver: 1
    })
    const csv = spendCsv(p, summary)
    expect(csv.split("\n")[0]).toMatch(
      /^financial_year,part_year,budget_line,runs,budget,budget_basis,budget_full_year,mean,/
    )
    expect(csv).toContain(
      `\n2025/26,true,Total,4,${(proRated(500_010) / 100).toFixed(2)},pro_rata_182_of_365,500010.00,`
    )
    expect(csv).toContain(
      `\n2026/27,true,Total,4,${(proRated(499_000, 183) / 100).toFixed(2)},pro_rata_183_of_365,499000.00,`
    )
    const text = reportText(p, summary).replace(/\n {2}/g, " ")
    expect(text).toMatch(/^2025\/26\* +£249k +182\/365 days +£249k /m)
    expect(text).toContain(
      "2026/27: the run covers 2026-04-01 to 2026-09-30, 183 of the year's 365 days; its budget (£499k"
    )
    expect(text).toContain("Spend by budget line, 2025/26 (part year: 182 of 365 days; budgets pro-rated by days)")
  })

  it("refuses a --budget flag for a year the run does not cover", () => {
    const src = fixedOnlySource("2025-10-01", 500_000, {})
    const result = resolveBudgets({ ...runLayout(src, 1), scenario: src.central.budgetLines }, flags("2027/28=1m"))
    expect(Either.getLeft(result)).toEqual(
      expect.objectContaining({
        value:
          '--budget "2027/28=1m": 2027/28 is not a financial year of this run (2025/26 to 2026/27): the run has no ' +
          "spend in it to compare with a budget"
      })
    )
  })

  it("takes a line's budget of net income from a flag as from the scenario (the same bytes out)", async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "caseflow-budget-"))
    try {
      const args = ["montecarlo", "scenarios/default.yaml", "--runs", "2", "--years", "1", "--workers", "0"]
      // The default scenario budgets its Senior Management line at -£6,441,620 (the Home Office grants).
      const line = "2025/26:Children's Social Care Senior Management"
      const a = await cli([...args, "--out", path.join(out, "a")])
      const b = await cli([...args, "--budget", `${line}=-6,441,620`, "--out", path.join(out, "b")])
      const c = await cli([...args, "--budget", `${line}=-£5m`, "--out", path.join(out, "c")])
      for (const r of [a, b, c]) expect(r.code, r.stderr).toBe(0)
      const spend = (d: string) => fs.readFileSync(path.join(out, d, "montecarlo_spend.csv"), "utf8")
      expect(spend("b")).toBe(spend("a"))
      expect(spend("c")).not.toBe(spend("a"))
    } finally {
      fs.rmSync(out, { recursive: true, force: true })
    }
  })

  it("escapes control characters from a flag in its message", () => {
    const message = Either.getLeft(parseBudgetFlag("2025/26=\u001b[2J"))
    expect(message).toEqual(expect.objectContaining({ value: expect.stringContaining('found "\\u001b[2J"') }))
  })
})
