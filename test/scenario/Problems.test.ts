// Messages an analyst can act on: a typo inside a union is one problem naming the misspelt field and the
// closest valid one; found values are short, escaped excerpts; a message stays under a few KB however
// large or hostile the input.
import { describe, expect, it } from "vitest"
import { MAX_MESSAGE_BYTES, MAX_PROBLEMS_LISTED } from "../../src/scenario/Limits.js"
import { closest, formatPath, ScenarioError } from "../../src/scenario/Problems.js"
import { dated, edit, errorOf, RAW_CONTROL, small } from "./helpers.js"

const lineOf = (text: string, needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1

describe("a typo inside a union is one problem, naming the closest valid field", () => {
  it("in a distribution", () => {
    const text = edit(small, "{ type: gamma, shape: 2, mean: 120 }", "{ type: gamma, shape: 2, maen: 6 }")
    expect(errorOf(text).problems).toEqual([
      {
        path: "levels.early_help.duration.maen",
        line: lineOf(text, "maen"),
        message: "unknown field; did you mean mean? (expected: type, shape, mean, unit)"
      }
    ])
  })

  it("in a distribution's type, and one without a type", () => {
    const gama = errorOf(edit(small, "{ type: gamma, shape: 2, mean: 120 }", "{ type: gama, shape: 2, mean: 120 }"))
    expect(gama.problems.map((p) => [p.path, p.message])).toEqual([
      [
        "levels.early_help.duration.type",
        'expected one of exponential, gamma, weibull, lognormal, fixed, empirical, found "gama" (did you mean gamma?)'
      ]
    ])
    const none = errorOf(edit(small, "{ type: gamma, shape: 2, mean: 120 }", "{ mean: 120 }"))
    expect(none.problems.map((p) => [p.path, p.message])).toEqual([
      [
        "levels.early_help.duration",
        "expected a distribution { type: exponential | gamma | weibull | lognormal | fixed | empirical, ... }, " +
          'found {"mean":120}, which has no type'
      ]
    ])
  })

  it("in an eligibility rule, a whenFull and a capacity", () => {
    const el = errorOf(edit(dated, "eligibility: { to: looked_after,", "eligibility: { too: looked_after,"))
    expect(el.problems.map((p) => [p.path, p.message])).toEqual([
      [
        "interventions[0].eligibility.too",
        "unknown field; did you mean to? (expected: from, to, via, ages, legalStatus, uasc, uptake, openCases, " +
          "level, placements, timeAtLevel)"
      ]
    ])
    const wf = errorOf(
      edit(
        dated,
        "whenFull: { action: wait }",
        "whenFull: { action: escalate, to: child_protection, afer: { type: fixed, value: 3 } }"
      )
    )
    expect(wf.problems.map((p) => [p.path, p.message])).toEqual([
      ["services[0].whenFull.afer", "unknown field; did you mean after? (expected: action, to, after)"]
    ])
    const cap = errorOf(
      edit(
        dated,
        "    effects: { moves:",
        "    capacity: { workers: 3, casesPerWorkr: 8 }\n    duration: { type: fixed, value: 8, unit: weeks }\n    " +
          "effects: { moves:"
      )
    )
    expect(cap.problems.map((p) => [p.path, p.message])).toEqual([
      [
        "interventions[0].capacity.casesPerWorkr",
        "unknown field; did you mean casesPerWorker? (expected: workers, casesPerWorker)"
      ]
    ])
  })

  it("in a level name, a placement and a top-level field", () => {
    const to = errorOf(edit(small, "{ to: universal, probability: 0.7 }", "{ to: universl, probability: 0.7 }"))
    expect(to.problems[0].message).toMatch(
      /^expected one of universal, .*, found "universl" \(did you mean universal\?\)$/
    )
    const top = errorOf(edit(small, "years: 3", "yaers: 3"))
    expect(top.problems.map((p) => [p.path, p.message])).toEqual([
      [
        "yaers",
        expect.stringMatching(/^unknown field; did you mean years\? \(expected: name, description, start, years/)
      ]
    ])
  })

  it("names a misspelt budget line's closest declared one", () => {
    const e = errorOf(edit(small, "budgetLine: Care leavers, perWeek: 80", "budgetLine: Care leaverz, perWeek: 80"))
    expect(e.problems[0].message).toMatch(/found "Care leaverz" \(did you mean "Care leavers"\?\)$/)
  })
})

describe("closest", () => {
  it("finds a name within a small edit distance, ignoring case, and nothing when two are as close", () => {
    expect(closest("maen", ["type", "shape", "mean", "unit"])).toBe("mean")
    expect(closest("ratePer10K", ["ratePer10k", "seasonality"])).toBe("ratePer10k")
    expect(closest("casesPerWorkr", ["workers", "casesPerWorker"])).toBe("casesPerWorker")
    expect(closest("xyz", ["type", "shape"])).toBeUndefined()
    expect(closest("ab", ["aa", "bb"])).toBeUndefined()
    expect(closest("x".repeat(10_000), ["x"])).toBeUndefined()
  })
})

describe("messages stay short and safe", () => {
  it("shows a 100,000-character value as an escaped excerpt with its length", () => {
    const huge = "\u001b[31m" + "A".repeat(100_000)
    const e = errorOf(edit(small, "start: 2025-04-01", `start: 2025-04-01\ndescription: ${JSON.stringify(huge)}`))
    expect(e.message.length).toBeLessThan(1000)
    expect(e.message).not.toMatch(RAW_CONTROL)
    expect(e.problems[0].message).toContain("\\u001b[31mAAAA")
    expect(e.problems[0].message).toContain("(100,005 characters)")
  })

  it("reports 20,000 unknown fields of one mapping as one problem", () => {
    const fields = Array.from({ length: 20_000 }, (_, i) => `  field${i}: ${i}`).join("\n")
    const e = errorOf(edit(small, "population:\n", `population:\n${fields}\n`))
    expect(e.problems).toHaveLength(1)
    expect(e.problems[0].message).toMatch(
      new RegExp(
        '^20,000 unknown fields \\("field0", "field1", "field2", "field3", "field4" and 19,995 more\\); ' +
          "expected only: children, growthPerYear, byAge, projection$"
      )
    )
    expect(e.message.length).toBeLessThan(1000)
  })

  it("lists the first problems and counts the rest, within the byte limit", () => {
    const groups = Array.from({ length: 5_000 }, () => "  - { level: early_help, count: -1, ages: [0, 17] }").join("\n")
    const e = errorOf(edit(small, "startingCaseload:\n", `startingCaseload:\n${groups}\n`))
    expect(e.problems).toHaveLength(5_000)
    const lines = e.message.split("\n")
    expect(lines[0]).toBe("s.yaml: 5,000 problems in the scenario")
    expect(lines.length).toBeLessThanOrEqual(MAX_PROBLEMS_LISTED + 2)
    expect(lines[lines.length - 1]).toMatch(/^ {2}\.\.\. and 4,9\d\d more problems$/)
    expect(Buffer.byteLength(e.message)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES)
  })

  it("escapes control characters in every part of a message: file, path, value", () => {
    const e = new ScenarioError({
      file: "evil\u001b]0;title\u0007.yaml",
      problems: [{ path: formatPath(["a\u001b[2J", 0]), message: "found \u009b31m", file: "b\u2028.yaml", line: 3 }]
    })
    expect(e.message).not.toMatch(RAW_CONTROL)
    expect(e.message).toBe(
      "evil\\u001b]0;title\\u0007.yaml: 1 problem in the scenario\n  a\\u001b[2J[0] (b\\u2028.yaml, line 3): found " +
        "\\u009b31m"
    )
  })

  it("refuses control characters in a scenario's texts (they would reach the terminal)", () => {
    const e = errorOf(edit(small, "name: Small test authority", 'name: "Small\\e[2J authority"'))
    expect(e.problems.map((p) => [p.path, p.message])).toEqual([
      [
        "name",
        'expected a name without control characters (escape sequences, tabs, line breaks), found "Small\\u001b[2J ' +
          'authority"'
      ]
    ])
  })
})
