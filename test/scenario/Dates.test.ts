// Every date field is a real calendar date (29 February only in leap years) or the file is refused, naming
// the field; financial years are real ones (2025/26, not 2025/27).
import { describe, expect, it } from "vitest"
import { dated, edit, errorOf, small, sourceOf } from "./helpers.js"

const DATE_FIELDS: ReadonlyArray<{ readonly path: string; readonly from: string; readonly date: string }> = [
  { path: "start", from: "start: 2025-04-01", date: "start: DATE" },
  { path: "referrals.changes[0].from", from: "from: 2026-04-01, multiplier", date: "from: DATE, multiplier" },
  { path: "services[0].changes[0].from", from: "from: 2026-04-01, places", date: "from: DATE, places" },
  { path: "interventions[0].start", from: "start: 2025-07-01", date: "start: DATE" },
  { path: "interventions[0].end", from: "end: 2027-03-31", date: "end: DATE" },
  { path: "workforce[0].establishmentChanges[0].from", from: "from: 2026-04-01, fte", date: "from: DATE, fte" }
]

describe("dates", () => {
  it("the dated fixture is valid", () => {
    expect(sourceOf(dated).central.interventions).toHaveLength(1)
  })

  for (const f of DATE_FIELDS)
    it(`refuses an impossible date in ${f.path}, naming the field, its line and why`, () => {
      for (const [date, why] of [
        ["2025-02-29", "February 2025 has 28 days: 2025 is not a leap year"],
        ["2026-02-30", "February 2026 has 28 days: 2026 is not a leap year"],
        ["2025-04-31", "April has 30 days"],
        ["2025-13-01", "there is no month 13"]
      ]) {
        const text = edit(dated, f.from, f.date.replace("DATE", date))
        const line = text.split("\n").findIndex((l) => l.includes(date)) + 1
        const e = errorOf(text)
        const p = e.problems.find((x) => x.path === f.path)
        expect(p, `${f.path} = ${date}: ${e.message}`).toEqual({
          path: f.path,
          line,
          message: `expected a real date written YYYY-MM-DD (${why}), found "${date}"`
        })
      }
    })

  it("accepts 29 February in a leap year, in every date field", () => {
    for (const f of DATE_FIELDS) {
      const leapDay = f.path === "interventions[0].end" ? "2028-02-29" : "2024-02-29"
      expect(sourceOf(edit(dated, f.from, f.date.replace("DATE", leapDay))).central.name).toBe("Small test authority")
    }
  })

  it("refuses dates outside 1900-2199 and text that is not a date", () => {
    expect(errorOf(edit(small, "start: 2025-04-01", "start: 1899-12-31")).problems[0].message).toBe(
      'expected a date from 1900 to 2199, found "1899-12-31"'
    )
    expect(errorOf(edit(small, "start: 2025-04-01", "start: 1 April 2025")).problems[0].message).toBe(
      'expected a date written YYYY-MM-DD, found "1 April 2025"'
    )
  })

  it("refuses a financial year whose second year does not follow the first", () => {
    const e = errorOf(edit(small, "  - { name: Management }", '  - { name: Management, budget: { "2025/27": 5 } }'))
    expect(e.problems).toHaveLength(1)
    expect(e.problems[0].path).toBe("budgetLines[4].budget.2025/27")
    expect(e.problems[0].message).toContain("whose second year follows the first (2025/26)")
    const p = errorOf(edit(small, "  inflation: 0.03", "  inflation: 0.03\n  priceBase: 2025-26")).problems[0]
    expect(p).toMatchObject({
      path: "costs.priceBase",
      message: 'expected a financial year like 2025/26, found "2025-26"'
    })
  })
})
