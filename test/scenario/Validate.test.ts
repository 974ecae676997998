// `validate` reports every problem in one pass: the checks across fields run on the parts that decoded,
// so a type error in one part does not hide the cross-field problems of the others. Interventions offered
// to open cases cannot also be restricted to a route (an open case has none).
import { describe, expect, it } from "vitest"
import { dated, edit, errorOf, small, smallWith, sourceOf } from "./helpers.js"

describe("every problem in one pass", () => {
  it("reports type errors and cross-field problems together, in document order", () => {
    const text = smallWith(
      ["years: 3", "years: five"],
      ["{ to: early_help, probability: 0.25 }", "{ to: early_help, probability: 0.35 }"],
      ["{ type: gamma, shape: 2, mean: 120 }", "{ type: gamma, shape: 2, maen: 120 }"],
      ["budgetLine: Care leavers, perWeek: 80", "budgetLine: Care leaverz, perWeek: 80"],
      ["perYear: 500000", "perYear: lots"],
      ["{ level: care_leaver, count: 40, ages: [18, 22] }", "{ level: care_leaver, count: 40, ages: [15, 22] }"]
    )
    expect(errorOf(text).problems.map((p) => [p.path, p.line])).toEqual([
      ["years", 4],
      ["referrals.frontDoor", 18], // a sum that is not 1: found although years and a distribution are wrong
      ["levels.early_help.duration.maen", 28],
      ["startingCaseload[7].ages", 99],
      ["costs.weekly[11].budgetLine", 120],
      ["costs.fixed[0].perYear", 126]
    ])
  })

  it("runs a check that needs a whole list only when the list decoded whole", () => {
    // A budget line that does not decode: whether a cost's line is declared cannot be known, so it is not said.
    const text = smallWith(
      ["  - { name: Management }", "  - { name: Management, budget: { 2025/26: lots } }"],
      ["budgetLine: Care leavers, perWeek: 80", "budgetLine: Care leaverz, perWeek: 80"]
    )
    expect(errorOf(text).problems.map((p) => p.path)).toEqual(["budgetLines[4].budget.2025/26"])
  })

  it("finds cross-field problems in services and interventions beside a type error elsewhere", () => {
    const text = edit(edit(dated, "years: 3", "years: 0"), "end: 2027-03-31", "end: 2025-01-01")
    const problems = errorOf(text).problems
    expect(problems.map((p) => p.path)).toEqual(["years", "interventions[0].end"])
  })
})

describe("openCases", () => {
  const withEligibility = (eligibility: string) =>
    edit(dated, "eligibility: { to: looked_after, via: care_proceedings }", `eligibility: ${eligibility}`)

  it("refuses openCases with via: an open case has no route", () => {
    const text = withEligibility("{ to: looked_after, via: s20, openCases: true }")
    const e = errorOf(text)
    expect(e.problems).toHaveLength(1)
    expect(e.problems[0].path).toBe("interventions[0].eligibility.via")
    expect(e.problems[0].message).toMatch(
      new RegExp(
        "^openCases offers the intervention to every child already at looked_after when it starts, whatever the " +
          "route that brought them there \\(an open case has no route\\); expected no via with openCases: true, " +
          "found via: s20\\."
      )
    )
  })

  it("refuses openCases with from, for the same reason", () => {
    const e = errorOf(withEligibility("{ from: child_in_need, to: child_protection, openCases: true }"))
    expect(e.problems.map((p) => p.path)).toEqual(["interventions[0].eligibility.from"])
    expect(e.problems[0].message).toContain("an open case has no level it came from")
  })

  it("accepts openCases with to and ages, and via without openCases", () => {
    expect(sourceOf(withEligibility("{ to: child_protection, ages: [10, 15], openCases: true }")).central.name).toBe(
      "Small test authority"
    )
    expect(sourceOf(withEligibility("{ to: looked_after, via: s20 }")).central.name).toBe("Small test authority")
  })
})

describe("cross-field checks added for safe arithmetic", () => {
  it("refuses a lognormal whose sd is more than 1,000 times its mean", () => {
    const e = errorOf(
      edit(small, "{ type: lognormal, mean: 300, sd: 250 }", "{ type: lognormal, mean: 0.001, sd: 900000 }")
    )
    expect(e.problems.map((p) => [p.path, p.message])).toEqual([
      ["levels.child_in_need.duration.sd", "expected an sd at most 1,000 times the mean (0.001), found 900000"]
    ])
  })
})
