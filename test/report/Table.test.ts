// The one table printer: it fits its width (two-line headers, then parts that repeat the labels), wraps
// or cuts long labels, escapes control characters; and the real printed summaries fit 120 columns.
import * as fs from "node:fs"
import * as path from "node:path"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import { describe, expect, it } from "vitest"
import { compileModel } from "../../src/model/Model.js"
import { summaryText } from "../../src/report/Summary.js"
import { heading, paragraph, table, TABLE_WIDTH, wrap } from "../../src/report/Table.js"
import { runModel } from "../../src/run/Run.js"
import { EventLog, RandomStreams } from "../../src/run/Services.js"
import { scenarioFromPlainText } from "../../src/scenario/Load.js"
import type { Scenario } from "../../src/scenario/Scenario.js"

const root = path.resolve(import.meta.dirname, "../..")
const lines = (text: string) => text.split("\n")
/** A control character other than the newline that ends a line. */
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/
const widest = (text: string) => Math.max(...lines(text).map((l) => l.length))

const scenario = (file: string): Scenario =>
  Either.getOrThrow(scenarioFromPlainText(file, fs.readFileSync(path.join(root, file), "utf8"))).central

const summaryOf = async (s: Scenario, years: number): Promise<string> => {
  const r = await Effect.runPromise(
    runModel(compileModel(s, years)).pipe(Effect.provide(Layer.merge(RandomStreams.seeded(s.seed), EventLog.discard)))
  )
  return summaryText(s, r.totals, r.spend, s.seed)
}

describe("table", () => {
  it("aligns labels left and figures right, under a rule, at natural widths when they fit", () => {
    const text = table({
      header: ["", "2025/26", "2026/27"],
      rows: [
        ["Total", "£1.00m", "£12.30m"],
        ["Budget", "-", "-"]
      ]
    })
    expect(lines(text)).toEqual([
      "        2025/26  2026/27",
      "------  -------  -------",
      "Total    £1.00m  £12.30m",
      "Budget        -        -"
    ])
  })

  it("wraps a header onto two lines, narrowing the column that gains most, when that makes it fit", () => {
    const header = ["Service", "a long header of words", "short"]
    const text = table({ header, rows: [["x", "1", "2"]], width: 30 })
    expect(widest(text)).toBeLessThanOrEqual(30)
    expect(lines(text).slice(0, 3)).toEqual([
      "         a long header",
      "Service       of words  short",
      "-------  -------------  -----"
    ])
  })

  it("splits a wide table into even parts, each repeating the labels, with every figure once", () => {
    const years = Array.from({ length: 10 }, (_, i) => `${2025 + i}/${String(26 + i).padStart(2, "0")}`)
    const rows = ["Looked After Children (External Placements)", "Total"].map((label, r) => [
      label,
      ...years.map((_, y) => `£${r}${y}.00m`)
    ])
    const text = table({ header: ["", ...years], rows })
    const parts = text.split("\n\n")
    expect(parts).toHaveLength(2)
    for (const part of parts) {
      expect(widest(part)).toBeLessThanOrEqual(TABLE_WIDTH)
      expect(part).toContain("Looked After Children (External Placements)")
      expect(part.match(/\/\d\d/g)).toHaveLength(5) // five years in each part
    }
    for (const row of rows) for (const cell of row.slice(1)) expect(text.split(cell)).toHaveLength(2)
  })

  it("wraps a long label at spaces, indenting continuation lines, and keeps its figures on the first line", () => {
    const name = Array.from({ length: 30 }, (_, i) => `word${i}`).join(" ")
    const text = table({ header: ["", "2025/26"], rows: [[name, "£1.00m"]], width: 60 })
    const [, , first, ...rest] = lines(text)
    expect(widest(text)).toBeLessThanOrEqual(60)
    expect(first.endsWith("£1.00m")).toBe(true)
    expect(rest.length).toBeGreaterThan(0)
    for (const l of rest) expect(l.startsWith("  word")).toBe(true)
    // Nothing of the name is lost.
    const words = lines(text)
      .slice(2)
      .join(" ")
      .replace("£1.00m", "")
      .split(/ +/)
      .filter((w) => w !== "")
    expect(words.join(" ")).toBe(name)
  })

  it("cuts a word longer than the line, and a heading wider than the table, with '...'", () => {
    const text = table({
      header: ["", "x"],
      rows: [heading("H".repeat(200)), ["L".repeat(200), "1"]],
      width: 40
    })
    expect(widest(text)).toBeLessThanOrEqual(40)
    expect(text).toContain(`${"H".repeat(37)}...`)
    expect(text).toMatch(/L+\.\.\. +1/)
    expect(wrap("  Supercalifragilistic", 10)).toEqual(["  Super..."])
  })

  it("escapes control characters in headers, cells and headings", () => {
    const text = table({
      header: ["", "a\u001b[2Jb"],
      rows: [heading("team\u0007"), ["line\u001b[31mred\r\nnext", "1"]]
    })
    expect(text).not.toMatch(RAW_CONTROL)
    expect(text).toContain("line\\u001b[31mred\\r\\nnext")
    expect(text).toContain("team\\u0007")
    expect(paragraph("name\u001b]0;pwned\u0007")).toBe("name\\u001b]0;pwned\\u0007")
  })
})

describe("printed summaries", () => {
  // England's summary (its names and sums in £bn) is checked on the full national run that
  // test/scenarios/england.test.ts makes anyway.
  it("fit 120 columns for the default borough over 5 and 10 years, money in £k / £m and whole counts", async () => {
    const s = scenario("scenarios/default.yaml")
    const five = await summaryOf(s, 5)
    expect(widest(five)).toBeLessThanOrEqual(120)
    expect(five).toMatch(/^Early Help & Youth Offending +£\d{3}k/m)
    expect(five).not.toMatch(/\d\.\d+ +$/m) // no count printed as "1104.0" at a line's end
    const ten = await summaryOf(s, 10)
    expect(widest(ten)).toBeLessThanOrEqual(120)
    // Ten years of spend do not fit beside the budget lines: two parts of five years.
    const spend = ten.slice(ten.indexOf("Spend by budget line"), ten.indexOf("\nWorkforce"))
    expect(spend.match(/^ +2025\/26 +2026\/27 +2027\/28 +2028\/29 +2029\/30$/m)).not.toBeNull()
    expect(spend.match(/^ +2030\/31 +2031\/32 +2032\/33 +2033\/34 +2034\/35$/m)).not.toBeNull()
  })

  it("escapes control characters in the scenario's name and budget lines", async () => {
    const s = scenario("test/fixtures/small.yaml")
    const hostile: Scenario = {
      ...s,
      name: "Evil\u001b[2J borough\u0007",
      budgetLines: s.budgetLines.map((b, i) => (i === 0 ? { ...b, name: "Early\u001b[31m help" } : b)),
      costs: {
        ...s.costs,
        weekly: s.costs.weekly.map((c) =>
          c.budgetLine === "Early help" ? { ...c, budgetLine: "Early\u001b[31m help" } : c
        )
      }
    }
    const text = await summaryOf(hostile, 1)
    expect(text).not.toMatch(RAW_CONTROL)
    expect(text.split("\n")[0]).toBe("Evil\\u001b[2J borough\\u0007")
    expect(text).toContain("Early\\u001b[31m help")
  })
})
