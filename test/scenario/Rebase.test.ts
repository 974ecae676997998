// Re-basing to another council: counts, places, establishments and fixed costs written per 10,000 children
// are worked out from population.children, so a scenario at twice the population has twice the caseload;
// an overlay that changes the population while its base's absolute counts stay, or moves the start while
// its base's dates stay, gets a warning.
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { afterAll, describe, expect, it } from "vitest"
import { loadScenario, type ScenarioSource } from "../../src/scenario/Load.js"
import type { ScenarioError } from "../../src/scenario/Problems.js"
import { cli, fixture } from "../support/cli.js"

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "caseflow-rebase-"))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))
let n = 0
const write = (body: string, base = fixture("small.yaml")): string => {
  const file = path.join(dir, `overlay-${n++}.yaml`)
  fs.writeFileSync(file, `extends: ${JSON.stringify(base)}\n${body}`)
  return file
}
const load = (file: string): Promise<Either.Either<ScenarioSource, ScenarioError>> =>
  Effect.runPromise(Effect.either(loadScenario(file)).pipe(Effect.provide(NodeContext.layer)))
const ok = async (file: string): Promise<ScenarioSource> => Either.getOrThrow(await load(file))

/** The small fixture's opening caseload, per 10,000 of its 10,000 children, with its services and teams. */
const PER_10K = [
  "startingCaseload:",
  "  replace:",
  "    - { level: early_help, per10k: 200, ages: [0, 17] }",
  "    - { level: child_in_need, per10k: 250, ages: [0, 17] }",
  "    - { level: child_protection, per10k: 60, ages: [0, 17] }",
  "    - { level: looked_after, placement: in_house_foster, per10k: 40, ages: [0, 15] }",
  "    - { level: care_leaver, per10k: 40, ages: [18, 22] }",
  "services:",
  "  - { name: Foster carers, placement: in_house_foster, placesPer10k: 45.4,",
  "      whenFull: { action: alternative, to: ifa_foster },",
  "      changes: [{ from: 2026-04-01, placesPer10k: 50 }] }",
  "workforce:",
  "  - { name: Social workers, budgetLine: CP and CIN, levels: [child_in_need, child_protection], targetCaseload: 18,",
  "      establishmentPer10k: 17.25, permanentPerWeek: 874, agencyPerWeek: 1088,",
  "      establishmentChanges: [{ from: 2026-04-01, ftePer10k: 18 }] }",
  "  - { name: Fixed team, budgetLine: Management, levels: [care_leaver], targetCaseload: 20, establishment: 2,",
  "      absolute: true, permanentPerWeek: 700, agencyPerWeek: 871 }",
  "costs:",
  "  fixed:",
  "    - { name: Senior management, perYearPer10k: 500000 }",
  ""
].join("\n")

describe("figures per 10,000 children", () => {
  it("are worked out from population.children, and twice the population gives twice the figures", async () => {
    const at10k = await ok(write(PER_10K))
    const at20k = await ok(write("population: { children: 20000 }\n", write(PER_10K)))
    const s = at10k.central
    expect(s.startingCaseload.map((g) => g.count)).toEqual([200, 250, 60, 40, 40])
    expect(at20k.central.startingCaseload.map((g) => g.count)).toEqual([400, 500, 120, 80, 80])
    expect(s.services[0].places).toBe(45)
    expect(at20k.central.services[0].places).toBe(91)
    expect(at20k.central.services[0].changes[0].places).toBe(100)
    expect(s.workforce[0].establishment).toBe(17.25)
    expect(at20k.central.workforce[0].establishment).toBe(34.5)
    expect(at20k.central.workforce[0].establishmentChanges[0].fte).toBe(36)
    expect(at20k.central.workforce[1].establishment).toBe(2)
    expect(at20k.central.costs.fixed[0].perYear).toBe(1_000_000)
    // The per-10,000 scenario re-based by an overlay of only its population: no warning about it.
    expect(at20k.warnings).toEqual([])
  })

  it("at twice the population has twice the expected caseload", async () => {
    const base = write(PER_10K)
    const twice = write("population: { children: 20000 }\n", base)
    const mean = async (file: string, out: string): Promise<number> => {
      const r = await cli(["montecarlo", file, "--runs", "8", "--years", "2", "--workers", "0", "--out", out])
      expect(r.code, r.stderr).toBe(0)
      const rows = fs
        .readFileSync(path.join(out, "montecarlo_stocks.csv"), "utf8")
        .trimEnd()
        .split("\n")
        .map((l) => l.split(","))
        .filter((c) => c[1] === "2027-03" && c[4] === "level")
      return rows.reduce((a, c) => a + Number(c[6]), 0)
    }
    const one = await mean(base, path.join(dir, "one"))
    const two = await mean(twice, path.join(dir, "two"))
    // Open cases at the end of two years: about 1,200 and 2,400 (sd of a mean of 8 runs about 1.5%).
    expect(two / one).toBeGreaterThan(1.9)
    expect(two / one).toBeLessThan(2.1)
  })

  it("are refused with the absolute figure too, on an uncertain population, or out of range", async () => {
    const e = await load(
      write(
        [
          "population: { children: { uncertain: { type: normal, mean: 10000, sd: 100, round: true } } }",
          "startingCaseload:",
          "  replace:",
          "    - { level: early_help, per10k: 20, count: 5, ages: [0, 17] }",
          "    - { level: early_help, per10k: 20, ages: [0, 17] }",
          "    - { level: early_help, per10k: -1, ages: [0, 17] }",
          "    - { level: early_help, per10k: 20, absolute: true, ages: [0, 17] }",
          ""
        ].join("\n")
      )
    )
    if (Either.isRight(e)) throw new Error("loaded")
    const m = e.left.message
    expect(m).toContain("startingCaseload[0].per10k")
    expect(m).toContain("expected per10k (per 10,000 children) or count, not both")
    expect(m).toContain("a figure per 10,000 children needs population.children as a plain number")
    expect(m).toContain("startingCaseload[2].per10k")
    expect(m).toContain("expected per10k or absolute: true, not both")
  })
})

describe("the shipped re-basing example (scenarios/examples/rebase-80k.yaml)", () => {
  it("is the default borough at 1.6 times its size, with no warning", async () => {
    const root = path.resolve(import.meta.dirname, "../..")
    const base = (await ok(path.join(root, "scenarios/default.yaml"))).central
    const big = await ok(path.join(root, "scenarios/examples/rebase-80k.yaml"))
    expect(big.warnings).toEqual([])
    const s = big.central
    expect(s.population.children).toBe(80_000)
    s.startingCaseload.forEach((g, i) => {
      expect({ ...g, count: 0 }).toEqual({ ...base.startingCaseload[i], count: 0 })
      expect(Math.abs(g.count - base.startingCaseload[i].count * 1.6)).toBeLessThanOrEqual(0.5)
    })
    s.services.forEach((x, i) => expect(Math.abs(x.places - base.services[i].places * 1.6)).toBeLessThanOrEqual(0.5))
    s.workforce.forEach((t, i) => expect(t.establishment).toBeCloseTo(base.workforce[i].establishment * 1.6, 1))
    // Fixed costs: every line scaled but the one marked absolute.
    s.costs.fixed.forEach((c, i) => {
      const b = base.costs.fixed[i].perYear
      if (c.name.startsWith("Senior management")) expect(c.perYear).toBe(b)
      else expect(Math.abs(c.perYear - b * 1.6)).toBeLessThan(b * 0.001)
    })
    expect(s.budgetLines.every((l) => l.budget === undefined)).toBe(true)
  })
})

describe("warnings about an overlay that re-bases or moves its base", () => {
  it("names absolute counts that stay when an overlay changes the population, and dates when start moves", async () => {
    const s = await ok(write("population: { children: 20000 }\nstart: 2026-04-01\n"))
    const text = s.warnings.map((w) => `${w.path}: ${w.message}`).join("\n")
    expect(text).toContain("startingCaseload: population.children is set to 20000")
    expect(text).toContain("8 of the starting groups (startingCaseload[0].count")
    expect(text).toContain("write them per 10,000 children (per10k) or mark them absolute: true")
    expect(text).toContain('start: start is moved to "2026-04-01"')
    expect(text).toContain("1 dated value (referrals.changes[0].from)")
    // Marked absolute, or written per 10,000 / relative: no warning.
    const quiet = await ok(
      write(
        [
          "population: { children: 20000 }",
          "start: 2026-04-01",
          "referrals: { changes: { replace: [{ from: { year: 2 }, multiplier: 1.25 }] } }",
          "startingCaseload: { replace: [{ level: early_help, count: 5, ages: [0, 17], absolute: true }] }",
          "costs: { fixed: [{ name: Senior management, absolute: true }] }",
          ""
        ].join("\n")
      )
    )
    expect(quiet.warnings).toEqual([])
    // validate prints them and goes on.
    const r = await cli(["validate", write("population: { children: 20000 }\n")])
    expect(r.code).toBe(0)
    expect(r.stderr).toContain("population.children is set to 20000")
  })
})
