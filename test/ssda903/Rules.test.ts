/**
 * The dirty-data rules as documented: every rule of `src/ssda903/Rules.ts` is in the README's table with
 * its handling, and the table names no rule that does not exist.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { RULES, summaryByRule } from "../../src/ssda903/Rules.js"

const readme = fs.readFileSync(path.resolve(import.meta.dirname, "../../README.md"), "utf8")
const section = readme.slice(readme.indexOf("### Dirty data: every problem by row"))
const rows = section
  .slice(0, section.indexOf("\n\n", section.indexOf("| rule |")))
  .split("\n")
  .filter((l) => /^\| [0-9C]/.test(l))
  .map((l) => l.split("|").map((c) => c.trim()))

describe("the dirty-data rules", () => {
  it("are each in the README's table, with their handling and what it does", () => {
    expect(rows.map((r) => r.slice(1, 4))).toEqual(
      Object.values(RULES).map((r) => [r.code, r.title, `${r.handling}: ${r.action}`])
    )
  })

  it("are counted by rule in the catalogue's order", () => {
    const at = { file: "f", line: 2, child: "A", field: "", value: "" }
    const s = summaryByRule([
      { ...at, rule: "CF02" },
      { ...at, rule: "356" },
      { ...at, rule: "CF02" }
    ])
    expect(s.map((x) => [x.rule.code, x.count])).toEqual([
      ["356", 1],
      ["CF02", 2]
    ])
  })
})
