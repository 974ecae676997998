// The actuals, caseload and history readers: what finance and case systems export is read as they write it
// (headings in any case, months and amounts in their usual forms, credits, rows for one line and month
// added up, quoted fields over several lines), and every bad row is named by its physical line and column.
import { describe, expect, it } from "vitest"
import { parseMonth, parsePennies, readActuals } from "../../src/forecast/Actuals.js"
import { readCaseload } from "../../src/forecast/Caseload.js"
import { MAX_CSV_ODD_ROWS, MAX_CSV_PROBLEMS } from "../../src/forecast/Csv.js"
import { readHistory } from "../../src/forecast/Report.js"

const LINES = ["Early help", "CP and CIN", "LAC placements"]
const ctx = { budgetLines: LINES, asOf: "2025-07-01" }

describe("actuals", () => {
  it("reads months, amounts and credits as ledgers write them, adding up rows for one line and month", () => {
    const text =
      "Cost centre,Budget Line,Period,Actual\r\n" +
      'X1,Early help,2025-04,"1,000.50"\r\n' +
      "X2,early  HELP,Apr-25,(0.50)\r\n" +
      "X3,CP and CIN,2025-05-31,£2000\r\n" +
      "\r\n" +
      'X4,"LAC\nplacements",June 2025,-\r\n' +
      "X5,LAC placements,Jun 2025,-12.345\r\n"
    const r = readActuals(text, { ...ctx, budgetLines: [...LINES, "LAC\nplacements"] })
    expect(r.problems).toEqual([])
    expect(r.actuals.months).toEqual(["2025-04", "2025-05", "2025-06"])
    expect(r.actuals.byLineMonth).toEqual([
      [100000, 0, 0],
      [0, 200000, 0],
      [0, 0, -1235],
      [0, 0, 0]
    ])
    expect(r.actuals.toDate).toEqual([100000, 200000, -1235, 0, 298765])
    expect(r.actuals.rows).toBe(5)
  })

  it("names every bad row by its physical line and column, with what was expected and found", () => {
    const text =
      "budget_line,month,amount\n" +
      'Early help,2025-04,"multi\nline"\n' + // lines 2-3: the amount
      "Early hlep,2025-05,10\n" + // line 4: a misspelt line
      "CP and CIN,2025-07,10\n" + // line 5: the as-of month
      "CP and CIN,2025-03,10\n" + // line 6: the year before
      "CP and CIN,2025-13,10\n" // line 7: no such month
    const r = readActuals(text, ctx)
    expect(r.problems.map((p) => [p.line, p.column])).toEqual([
      [2, "amount"],
      [4, "budget_line"],
      [5, "month"],
      [6, "month"],
      [7, "month"]
    ])
    expect(r.problems[1].message).toContain('found "Early hlep" (did you mean "Early help"?)')
    expect(r.problems[2].message).toContain("expected a month before the as-of date 2025-07-01")
    expect(r.problems[3].message).toContain("expected a month of the financial year 2025/26 being forecast")
  })

  it("refuses a month with no actuals at all, a missing column and broken CSV", () => {
    const gap = readActuals("budget_line,month,amount\nEarly help,2025-04,1\nEarly help,2025-06,1\n", ctx)
    expect(gap.problems.map((p) => p.message)).toEqual([expect.stringContaining("found none for 2025-05")])
    const column = readActuals("budget_line,mnth,amount\n", ctx)
    expect(column.problems[0]).toMatchObject({ line: 1 })
    expect(column.problems[0].message).toContain(
      'the header is "budget_line,mnth,amount"); is "mnth" meant to be month?'
    )
    const quote = readActuals('budget_line,month,amount\n"Early help,2025-04,1\n', ctx)
    expect(quote.problems[0].message).toMatch(/^not valid CSV: /)
    expect(readActuals("", ctx).problems[0].message).toContain("expected a header row")
  })

  it("refuses a row with more fields than the header (an amount's unquoted comma), and stops at 1,000 problems", () => {
    const unquoted = readActuals("budget_line,month,amount\nEarly help,2025-04,160,670.44\n", ctx)
    expect(unquoted.problems).toEqual([
      {
        line: 2,
        column: null,
        message: "expected 3 fields as the header has, found 4 (a comma in a figure or a name must be inside quotes)"
      }
    ])
    const many = readActuals(`budget_line,month,amount\n${"a,1,1\n".repeat(5000)}`, ctx)
    expect(many.problems.length).toBeLessThanOrEqual(MAX_CSV_PROBLEMS + 1)
    expect(many.problems.at(-1)?.message).toBe("reading stopped here, after 1,000 problems")
    // Rows of another width than the header's are bounded before csv-parse (an Error of its own for each).
    const short = readActuals(`budget_line,month,amount\n${"a,1\n".repeat(MAX_CSV_ODD_ROWS + 1)}`, ctx)
    expect(short.problems).toEqual([
      {
        line: MAX_CSV_ODD_ROWS + 2,
        column: null,
        message:
          "expected rows of 3 fields as the header has, found more than 10,000 rows of another number (this one has 2)"
      }
    ])
  })

  it("refuses a row too long to be a table's, as it is read, on one line or across quoted line breaks", () => {
    const wide = readActuals(`budget_line,month,amount\nEarly help,2025-04,1${",1".repeat(600_000)}\n`, ctx)
    expect(wide.problems).toEqual([
      { line: 2, column: null, message: "expected a row of at most 1,048,576 characters, found a longer one" }
    ])
    // Each line is short; the record (its fields joined by quoted line breaks) is not.
    const spread = `${",".repeat(10_000)}"\n",`.repeat(120)
    const across = readActuals(`budget_line,month,amount\nEarly help,2025-04,1\n${spread}1\n`, ctx)
    expect(across.problems[0]).toMatchObject({ line: 3, message: wide.problems[0].message })
  })

  it("parses months and pennies strictly", () => {
    expect(parseMonth("2025-02-29")).toBeNull()
    expect(parseMonth("2024-02-29")).toEqual([2024, 2])
    expect(parseMonth("Sept 2025")).toBeNull()
    expect(parseMonth("September 2025")).toEqual([2025, 9])
    expect(parsePennies("(1,234.56)")).toBe(-123456)
    expect(parsePennies("-£5")).toBe(-500)
    expect(parsePennies("1,23")).toBeNull()
    expect(parsePennies("(5")).toBeNull()
    expect(parsePennies("1e3")).toBeNull()
    expect(parsePennies("2000000000000")).toBeNull()
  })
})

describe("caseload", () => {
  const at = { asOf: "2025-07-01", careLeaverUpTo: 25 }

  it("reads children into starting groups of known age and episode start, grouping identical rows", () => {
    const text =
      "child_id,level,placement,date_of_birth,start_date,legal_status\n" +
      "1,CLA,ifa_foster,14/06/2011,2021-03-02,c2\n" +
      "2,looked after,ifa_foster,2011-06-14,02/03/2021,C2\n" +
      "3,CP,,2019-01-30,2025-06-17,\n" +
      "4,care_leaver,,2006-01-01,2024-01-01,\n"
    const r = readCaseload(text, at)
    expect(r.problems).toEqual([])
    expect(r.caseload.children).toBe(4)
    expect(r.caseload.groups).toEqual([
      {
        level: "looked_after",
        placement: "ifa_foster",
        count: 2,
        ages: [14, 14],
        dateOfBirth: "2011-06-14",
        since: "2021-03-02"
      },
      { level: "child_protection", count: 1, ages: [6, 6], dateOfBirth: "2019-01-30", since: "2025-06-17" },
      { level: "care_leaver", count: 1, ages: [19, 19], dateOfBirth: "2006-01-01", since: "2024-01-01" }
    ])
    expect([...r.caseload.legalStatus]).toEqual([["C2", 2]])
  })

  it("starts a looked-after child in the legal status given, when the scenario models legal statuses", () => {
    const text =
      "level,placement,date_of_birth,start_date,legal_status\n" +
      "looked_after,ifa_foster,2011-06-14,2021-03-02,V2\n" +
      "looked_after,ifa_foster,2011-06-14,2021-03-02,\n"
    const withStatus = readCaseload(text, { ...at, legalStatus: true })
    expect(withStatus.problems).toEqual([])
    expect(withStatus.caseload.groups.map((g) => g.legalStatus)).toEqual([{ V2: 1 }, undefined])
    // A scenario without legal statuses: the codes are counted, the groups carry none (so the two rows are
    // one group of two children).
    const without = readCaseload(text, at).caseload
    expect(without.groups.map((g) => [g.count, g.legalStatus])).toEqual([[2, undefined]])
    expect([...without.legalStatus]).toEqual([
      ["V2", 1],
      ["not given", 1]
    ])
  })

  it("names every bad row by line and column", () => {
    const text =
      "child_id,level,placement,date_of_birth,start_date,legal_status\n" +
      "1,looked_after,,2011-06-14,2021-03-02,\n" + // 2: no placement
      "2,child_in_need,ifa_foster,2011-06-14,2021-03-02,\n" + // 3: placement outside care
      "3,looked_after,ifa_foster,2011-06-14,2021-03-02,X9\n" + // 4: legal status
      "4,looked_after,ifa_foster,2005-06-14,2021-03-02,\n" + // 5: 20 on the as-of date
      "5,child_in_need,,2011-06-14,2025-07-02,\n" + // 6: starts after the as-of date
      "5,child_in_need,,2011-06-14,2010-01-01,\n" + // 7: id again; starts before birth
      "7,child_in_ned,,2011-02-30,2024-01-01,\n" // 8: level and date
    const r = readCaseload(text, at)
    expect(r.problems.map((p) => [p.line, p.column])).toEqual([
      [2, "placement"],
      [3, "placement"],
      [4, "legal_status"],
      [5, "date_of_birth"],
      [6, "start_date"],
      [7, "child_id"],
      [7, "start_date"],
      [8, "level"],
      [8, "date_of_birth"]
    ])
    expect(r.problems[7].message).toContain("(did you mean child_in_need?)")
    expect(r.problems[8].message).toContain("February 2011 has 28 days")
  })
})

describe("history", () => {
  it("refuses a row with a bad value, naming it", () => {
    const header =
      "as_of,financial_year,budget_line,budget,actual_to_date,outturn_mean,outturn_p5,outturn_p95,variance," +
      "prob_over_budget,prob_over_tolerance,runs,seed,scenario_sha256\n"
    const sha = "a".repeat(64)
    const good = `2025-07-01,2025/26,Total,100.00,1.00,2.00,1.50,2.50,-98.00,0,0,10,1,${sha}\n`
    expect(readHistory(header + good).problems).toEqual([])
    const r = readHistory(header + good + good.replace("2025/26", "2025/27").replace("0,0,10", "0,2,10"))
    expect(r.problems.map((p) => [p.line, p.column])).toEqual([
      [3, "financial_year"],
      [3, "prob_over_tolerance"]
    ])
    expect(readHistory(header + good + good).problems[0].message).toContain("is given twice")
    // A forecast of a year is made in it; a row given twice is named at its own line, past a bad row.
    const later = readHistory(header + good.replace("2025-07-01", "2026-09-01"))
    expect(later.problems).toEqual([
      {
        line: 2,
        column: "as_of",
        message: 'expected a month of 2025/26 (2025-04-01 to 2026-03-01) for a forecast of 2025/26, found "2026-09-01"'
      }
    ])
    const twice = readHistory(header + good.replace("Total", "") + good + good).problems
    expect(twice.map((p) => p.line)).toEqual([2, 4])
  })
})
