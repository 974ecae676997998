// Absurd but valid scenarios are refused up front with an estimate of the run's size; real ones (a borough,
// England) are far below the limit. The estimate is checked against what the engine actually simulates.
import * as Either from "effect/Either"
import * as fs from "node:fs"
import { describe, expect, it } from "vitest"
import { compileModel } from "../../src/model/Model.js"
import {
  checkRunSize,
  estimateRunSize,
  MAX_CHILDREN_IN_RUN,
  runSizeProblems,
  sourceRunSizeProblems
} from "../../src/scenario/Size.js"
import { runEvents } from "../support/run.js"
import { edit, fixture, load, small, sourceOf } from "./helpers.js"

const england = sourceOf(fs.readFileSync("scenarios/england.yaml", "utf8"), "england.yaml").central

describe("estimateRunSize", () => {
  it("estimates the children a run knows to within a few per cent of what the engine simulates", () => {
    const s = sourceOf(small).central
    const model = compileModel(s, s.years)
    const actual = [1, 2, 3].map((seed) => runEvents(model, seed).stats.children)
    const mean = actual.reduce((a, b) => a + b, 0) / actual.length
    const estimate = estimateRunSize(s, s.years)
    expect(estimate.starting).toBe(645)
    expect(Math.abs(estimate.children - mean) / mean).toBeLessThan(0.03)
  })

  it("puts England over three years at about 2.4 million children, far below the limit", () => {
    const e = estimateRunSize(england, 3)
    expect(e.starting).toBe(955_510)
    expect(e.children).toBeGreaterThan(2.3e6)
    expect(e.children).toBeLessThan(2.6e6)
    expect(runSizeProblems(england, 3)).toEqual([])
    expect(runSizeProblems(england, 10)).toEqual([])
  })
})

describe("runSizeProblems", () => {
  it("refuses a starting group of 100 million with the estimate", () => {
    const s = sourceOf(
      edit(small, "{ level: early_help, count: 200,", "{ level: early_help, count: 100000000,")
    ).central
    const problems = runSizeProblems(s, 3)
    expect(problems).toHaveLength(1)
    expect(problems[0].path).toBe("startingCaseload")
    expect(problems[0].message).toMatch(
      new RegExp(
        "^a run of 3 years would know about 100,00\\d,\\d{3} children \\(100,000,445 in the starting caseload " +
          "and about 1,\\d{3} new referrals\\); the limit is 20,000,000 \\(England over three years is about " +
          "2\\.5 million\\): check population\\.children, referrals\\.ratePer10k, its trend and changes, and the " +
          "starting caseload's counts$"
      )
    )
  })

  it("refuses a population and rate that would refer billions of children, whatever the run's length", () => {
    const s = sourceOf(
      edit(edit(small, "children: 10000", "children: 100000000"), "ratePer10k: 500", "ratePer10k: 900000")
    ).central
    const [p] = runSizeProblems(s, 5)
    expect(p.path).toBe("referrals")
    expect(p.message).toMatch(/^a run of 5 years would know about \d\.\de10 children \(645 in the starting caseload/)
    expect(p.message).toContain(`the limit is ${MAX_CHILDREN_IN_RUN.toLocaleString("en-GB")}`)
    // England for 50 years is over the limit too; for 3 it is not.
    expect(runSizeProblems(england, 50)).toHaveLength(1)
  })

  it("checks an uncertain scenario at its extremes", () => {
    const u = sourceOf(
      edit(
        edit(small, "children: 10000", "children: 100000000"),
        "ratePer10k: 500",
        "ratePer10k: { uncertain: { type: uniform, min: 1, max: 800 } }"
      )
    )
    expect(runSizeProblems(u.central, 3)).toEqual([]) // central 400.5 a year: 12 million over three years
    const [p] = sourceRunSizeProblems(u, 3)
    expect(p.message).toMatch(/^with every uncertain parameter at its highest possible draw, a run of 3 years/)
    const e = checkRunSize(u, 3)
    expect(Either.isLeft(e) && e.left.message).toMatch(/^s\.yaml: 1 problem in the scenario\n {2}referrals: with every/)
    expect(Either.isRight(checkRunSize(sourceOf(small), 3))).toBe(true)
  })

  it("passes the shipped scenarios", async () => {
    for (const f of ["scenarios/default.yaml", "scenarios/default-uncertain.yaml", fixture("small.yaml")]) {
      const s = Either.getOrThrow(await load(f))
      expect(sourceRunSizeProblems(s, 50)).toEqual([])
    }
  })
})
