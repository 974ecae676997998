// Budgets compared like with like in `caseflow run`'s summary: the days of each financial year a run
// covers, and a part year's spend against the whole year's budget pro-rated by days, checked on a scenario
// whose only cost is a fixed line, so its spend is known exactly.
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { describe, expect, it } from "vitest"
import { makeCalendar } from "../../src/domain/Calendar.js"
import { compileModel } from "../../src/model/Model.js"
import {
  budgetBasis,
  budgetCells,
  financialYearDays,
  financialYearOf,
  isPartYear,
  proRataPennies,
  yearCoverage
} from "../../src/report/Budget.js"
import { spendAgainstBudget, summaryText } from "../../src/report/Summary.js"
import { runModel } from "../../src/run/Run.js"
import { EventLog, RandomStreams } from "../../src/run/Services.js"
import type { Scenario } from "../../src/scenario/Scenario.js"
import { fixedOnly } from "./support.js"

const run = async (s: Scenario) => {
  const r = await Effect.runPromise(
    runModel(compileModel(s, s.years)).pipe(Effect.provide(Layer.merge(RandomStreams.seeded(1), EventLog.discard)))
  )
  return { ...r, text: summaryText(s, r.totals, r.spend, 1) }
}

describe("financial years a run covers", () => {
  it("counts the days of each year, 366 in a year with a 29 February", () => {
    expect(["2025/26", "2027/28", "2023/24", "2099/00"].map(financialYearDays)).toEqual([365, 366, 366, 365])
    const oct = yearCoverage(makeCalendar("2025-10-01", 1))
    expect(oct).toEqual([
      { label: "2025/26", days: 182, yearDays: 365, from: "2025-10-01", to: "2026-03-31" },
      { label: "2026/27", days: 183, yearDays: 365, from: "2026-04-01", to: "2026-09-30" }
    ])
    expect(oct.map(budgetBasis)).toEqual(["pro_rata_182_of_365", "pro_rata_183_of_365"])
    expect(yearCoverage(makeCalendar("2025-04-01", 2)).map(budgetBasis)).toEqual(["full_year", "full_year"])
  })

  it("calls a leap year covered for 365 of its 366 days a part year", () => {
    const c = yearCoverage(makeCalendar("2027-04-02", 1))[0]
    expect([c.label, c.days, c.yearDays, isPartYear(c)]).toEqual(["2027/28", 365, 366, true])
  })

  it("agrees with the days the cost model pro-rates fixed costs by", () => {
    for (const start of ["2025-04-01", "2025-10-01", "2027-04-02", "2023-02-28"]) {
      const s = fixedOnly(start, 1000, {})
      const model = compileModel({ ...s, years: 5 }, 5)
      expect(yearCoverage(model.calendar).map((c) => c.yearDays)).toEqual(model.costs.fyFullDays)
    }
  })

  it("labels a date with its financial year: 31 March closes one, 1 April opens the next", () => {
    expect(["2025-03-31", "2025-04-01", "2025-09-30", "2026-01-15"].map(financialYearOf)).toEqual([
      "2024/25",
      "2025/26",
      "2025/26",
      "2025/26"
    ])
  })

  it("pro-rates a whole year's budget by days, to the penny", () => {
    const half = { days: 182, yearDays: 365 }
    expect(proRataPennies(5_351_000_000, half)).toBe(Math.round((5_351_000_000 * 182) / 365))
    expect(proRataPennies(-644_162_000, half)).toBe(Math.round((-644_162_000 * 182) / 365))
    expect(proRataPennies(123, { days: 365, yearDays: 365 })).toBe(123)
  })

  it("totals the line budgets only when every line has one", () => {
    const ctx = (budgets: ReadonlyArray<number | undefined>) => ({
      financialYears: ["2025/26"],
      budgetLines: ["A", "B"],
      scenario: budgets.map((b, i) => ({ name: ["A", "B"][i], budget: b === undefined ? undefined : { "2025/26": b } }))
    })
    expect(budgetCells(ctx([10, 20]))).toEqual([1000, 2000, 3000])
    expect(budgetCells(ctx([10, undefined]))).toEqual([1000, null, null])
  })
})

describe("the run summary against a budget", () => {
  // From 1 October 2025 the run covers 182 of 2025/26's 365 days: spend is £500,000 x 182 / 365, the cost
  // line's year rounded to the penny.
  const SPEND = Math.round(((500_000 * 182) / 365) * 100) / 100

  it("compares a part year's spend with the whole year's budget pro-rated by days, and says so", async () => {
    const r = await run(fixedOnly("2025-10-01", 500_000, { "2025/26": 500_000 }))
    const [first, last] = spendAgainstBudget(
      fixedOnly("2025-10-01", 500_000, { "2025/26": 500_000 }),
      r.totals,
      r.spend
    )
    expect(first.spend).toBeCloseTo(SPEND, 6)
    expect(first.fullYearBudget).toBe(500_000)
    expect(first.budget).toBe(SPEND)
    expect(first.basis).toBe("pro_rata_182_of_365")
    expect(first.variance).toBeCloseTo(0, 9) // not -£250,685 against the whole year's budget
    expect(last.budget).toBeNull()
    expect(r.text).toMatch(/^Budget +£249k +-$/m)
    expect(r.text).toMatch(/^Budget basis +182\/365 days +-$/m)
    expect(r.text).toMatch(/^Variance \(spend - budget\) +£0 +-$/m)
    const note = r.text.replace(/\n {2}/g, " ") // the note, unwrapped
    expect(note).toContain(
      "2025/26: the run covers 2025-10-01 to 2026-03-31, 182 of the year's 365 days; its budget (£500k for the " +
        "whole year) is pro-rated by days to £249k, and spend, variance and overspend figures are for those 182 days"
    )
  })

  it("shows spend just over or under a budget just under or over the pro-rated one", async () => {
    for (const [budget, sign] of [
      [499_000, 1],
      [501_000, -1]
    ] as const) {
      const s = fixedOnly("2025-10-01", 500_000, { "2025/26": budget })
      const r = await run(s)
      const [first] = spendAgainstBudget(s, r.totals, r.spend)
      const expected = SPEND - Math.round(((budget * 182) / 365) * 100) / 100
      expect(first.variance).toBeCloseTo(expected, 6)
      expect(Math.sign(first.variance!)).toBe(sign)
      expect(Math.abs(first.variance!)).toBeCloseTo(1000 * (182 / 365), 1)
    }
  })

  it("compares a whole year with the whole budget, with no basis row", async () => {
    const s = fixedOnly("2025-04-01", 500_000, { "2025/26": 480_000 })
    const r = await run(s)
    const [first] = spendAgainstBudget(s, r.totals, r.spend)
    expect([first.basis, first.budget]).toEqual(["full_year", 480_000])
    expect(first.variance).toBeCloseTo(20_000, 6)
    expect(r.text).not.toContain("Budget basis")
    expect(r.text).toMatch(/^Variance \(spend - budget\) +£20\.0k$/m)
  })

  it("has no total budget, and says why, when only some budget lines have one", async () => {
    const s = fixedOnly("2025-04-01", 500_000, { "2025/26": 480_000 })
    const two: Scenario = {
      ...s,
      budgetLines: [...s.budgetLines, { name: "Other" }],
      costs: { ...s.costs, fixed: [...s.costs.fixed, { name: "Other costs", budgetLine: "Other", perYear: 1000 }] }
    }
    const r = await run(two)
    const [first] = spendAgainstBudget(two, r.totals, r.spend)
    expect([first.budget, first.variance, first.linesWithBudget]).toEqual([null, null, 1])
    expect(r.text).not.toMatch(/^Budget /m)
    expect(r.text).toContain("2025/26: 1 of the 2 budget lines has a budget, so there is no total budget to compare")
  })
})
