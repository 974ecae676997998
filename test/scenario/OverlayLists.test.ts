// Overlays that merge as people expect: lists of named things (budget lines, cost lines, teams, services,
// interventions, referral changes, starting groups) merge by name or key, keeping the base's other entries;
// `remove: true` and `replace: true` on an entry, and `{ replace: [...] }` for a whole list; problems are
// reported at the line of the file that wrote the value even when the entry sits at another index; and
// dates written relative to the start move with it.
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { afterAll, describe, expect, it } from "vitest"
import { loadScenario } from "../../src/scenario/Load.js"
import { mergeOverlay } from "../../src/scenario/Overlay.js"
import type { ScenarioError } from "../../src/scenario/Problems.js"
import { relativeDate } from "../../src/scenario/RelativeDates.js"
import type { Scenario } from "../../src/scenario/Scenario.js"
import { fixture } from "../support/cli.js"

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "caseflow-overlay-lists-"))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))
let n = 0
/** An overlay of `base` (default: the small fixture) holding `body`; its path. */
const write = (body: string, base = fixture("small.yaml")): string => {
  const file = path.join(dir, `overlay-${n++}.yaml`)
  fs.writeFileSync(file, `extends: ${JSON.stringify(base)}\n${body}`)
  return file
}
const load = (file: string): Promise<Either.Either<Scenario, ScenarioError>> =>
  Effect.runPromise(
    Effect.either(Effect.map(loadScenario(file), (s) => s.central)).pipe(Effect.provide(NodeContext.layer))
  )
const ok = async (file: string): Promise<Scenario> => Either.getOrThrow(await load(file))
const refused = async (file: string): Promise<ScenarioError> => {
  const r = await load(file)
  if (Either.isRight(r)) throw new Error(`${file} loaded, but should not have`)
  return r.left
}

describe("filters inside a merged entry are replaced whole", () => {
  it("a one-off cost's trigger (`on`) is the overlay's, not the base's fields and the overlay's together", async () => {
    const base = await ok(fixture("small.yaml"))
    const baseOn = base.costs.oneOff.find((c) => c.name === "Care proceedings")?.on
    expect(baseOn).toEqual({ event: "ChildBecameLookedAfter", via: "care_proceedings" })
    const s = await ok(
      write(
        [
          "costs:",
          "  oneOff:",
          "    - { name: Care proceedings, budgetLine: LAC placements, amount: 15000, on: { via: care_proceedings } }",
          ""
        ].join("\n")
      )
    )
    expect(s.costs.oneOff.find((c) => c.name === "Care proceedings")?.on).toEqual({ via: "care_proceedings" })
    expect(s.costs.oneOff.map((c) => c.name)).toEqual(base.costs.oneOff.map((c) => c.name))
  })
})

describe("lists of named things merge by name", () => {
  it("keeps the base's other entries and merges the named one field by field", async () => {
    const base = await ok(fixture("small.yaml"))
    const s = await ok(
      write(
        [
          "budgetLines:",
          '  - { name: Early help, budget: { "2025/26": 1000000 } }',
          "  - { name: New line }",
          "costs:",
          "  weekly:",
          "    - { name: IFA foster, perWeek: 950 }",
          "  fixed:",
          "    - { name: Commissioning, budgetLine: New line, perYear: 10000 }",
          "referrals:",
          "  changes:",
          "    - { from: 2027-04-01, multiplier: 0.9 }",
          "startingCaseload:",
          "  - { level: looked_after, placement: in_house_foster, ages: [0, 15], count: 44 }",
          "  - { level: looked_after, placement: kinship, ages: [0, 15], count: 5 }",
          ""
        ].join("\n")
      )
    )
    expect(s.budgetLines.map((b) => b.name)).toEqual([...base.budgetLines.map((b) => b.name), "New line"])
    expect(s.budgetLines[0].budget).toEqual({ "2025/26": 1000000 })
    // The other cost lines as they were; IFA foster keeps its budget line, placement and inflation.
    expect(s.costs.weekly.length).toBe(base.costs.weekly.length)
    const ifa = s.costs.weekly.find((c) => c.name === "IFA foster")!
    expect(ifa).toEqual({ ...base.costs.weekly.find((c) => c.name === "IFA foster")!, perWeek: 950 })
    expect(s.costs.weekly.filter((c) => c.name !== "IFA foster")).toEqual(
      base.costs.weekly.filter((c) => c.name !== "IFA foster")
    )
    expect(s.costs.fixed.map((c) => c.name)).toEqual([...base.costs.fixed.map((c) => c.name), "Commissioning"])
    // Adding a referral change keeps the base's shock.
    expect(s.referrals.changes).toEqual([...base.referrals.changes, { from: "2027-04-01", multiplier: 0.9 }])
    // Starting groups keyed by level, placement and ages: one changed, one added, the others kept.
    expect(s.startingCaseload.length).toBe(base.startingCaseload.length + 1)
    expect(s.startingCaseload[4]).toEqual({ ...base.startingCaseload[4], count: 44 })
    expect(s.startingCaseload.at(-1)).toEqual({
      level: "looked_after",
      placement: "kinship",
      ages: [0, 15],
      count: 5
    })
  })

  it("removes an entry with remove: true and replaces one whole with replace: true", async () => {
    const base = await ok(fixture("small.yaml"))
    const s = await ok(
      write(
        [
          "costs:",
          "  weekly:",
          "    - { name: Kinship, remove: true }",
          "    - { name: IFA foster, replace: true, budgetLine: LAC placements, perWeek: 1000, placement: ifa_foster }",
          "referrals:",
          "  changes:",
          "    - { from: 2026-04-01, remove: true }",
          ""
        ].join("\n")
      )
    )
    expect(s.costs.weekly.map((c) => c.name)).toEqual(
      base.costs.weekly.map((c) => c.name).filter((name) => name !== "Kinship")
    )
    // Replaced whole: the base's own inflation (5%) is gone.
    expect(s.costs.weekly.find((c) => c.name === "IFA foster")).toEqual({
      name: "IFA foster",
      budgetLine: "LAC placements",
      perWeek: 1000,
      placement: "ifa_foster"
    })
    expect(s.referrals.changes).toEqual([])
  })

  it("replaces a whole list with { replace: [...] }", async () => {
    const s = await ok(write("startingCaseload:\n  replace:\n    - { level: early_help, count: 7, ages: [0, 17] }\n"))
    expect(s.startingCaseload).toEqual([{ level: "early_help", count: 7, ages: [0, 17] }])
  })

  it("merges by name along a chain of overlays", async () => {
    const first = write(
      "costs:\n  weekly:\n    - { name: Kinship, perWeek: 310 }\n" +
        "    - { name: New, budgetLine: Management, perWeek: 1, level: early_help }\n"
    )
    const s = await ok(
      write("costs:\n  weekly:\n    - { name: New, perWeek: 2 }\n    - { name: Kinship, remove: true }\n", first)
    )
    const names = s.costs.weekly.map((c) => c.name)
    expect(names).not.toContain("Kinship")
    expect(names.at(-1)).toBe("New")
    expect(s.costs.weekly.at(-1)).toMatchObject({ perWeek: 2, budgetLine: "Management" })
  })

  it("refuses remove or replace of an entry the base does not have, naming the overlay's line", async () => {
    const file = write(
      "costs:\n  weekly:\n    - { name: Kinshp, remove: true }\n    - { name: IFA foster, replace: yes }\n"
    )
    const e = await refused(file)
    expect(e.message).toContain("costs.weekly[0]")
    expect(e.message).toContain(`${file}, line 4`)
    expect(e.message).toContain('remove: the base has no weekly cost line of name "Kinshp" (did you mean "Kinship"?)')
    expect(e.message).toContain("costs.weekly[1].replace")
    expect(e.message).toContain('found "yes"')
  })

  it("reports a bad value at the line that wrote it, in the overlay or the base, whatever its index", async () => {
    const base = fixture("small.yaml")
    const baseLines = fs.readFileSync(base, "utf8").split("\n")
    // IFA foster is the base's sixth weekly line; the overlay writes it first.
    const file = write(
      "costs:\n  weekly:\n    - { name: IFA foster, perWeek: -5 }\n    - { name: Kinship, budgetLine: Nowhere }\n"
    )
    const e = await refused(file)
    expect(e.message).toMatch(new RegExp(`costs\\.weekly\\[5\\]\\.perWeek \\(${escape(file)}, line 4\\)`))
    expect(e.message).toMatch(new RegExp(`costs\\.weekly\\[6\\]\\.budgetLine \\(${escape(file)}, line 5\\)`))
    // A value the overlay did not touch, in an entry it merged: the base's line.
    const other = write("costs:\n  weekly:\n    - { name: IFA foster, perWeek: 1000 }\n")
    const s = await ok(other)
    expect(s.costs.weekly[5].inflation).toBe(0.05)
    const broken = path.join(dir, "broken-base.yaml")
    fs.writeFileSync(
      broken,
      baseLines.join("\n").replace("perWeek: 900, placement: ifa_foster", "perWeek: 900, placement: nowhere")
    )
    const e2 = await refused(write("costs:\n  weekly:\n    - { name: IFA foster, perWeek: 1000 }\n", broken))
    const line = baseLines.findIndex((l) => l.includes("name: IFA foster")) + 1
    expect(e2.message).toContain(`costs.weekly[5].placement (${broken}, line ${line})`)
  })

  it("keeps the rules for things replaced whole, and a plain list (outcomes) still replaces", () => {
    const gamma = { type: "gamma", shape: 2, mean: 100 }
    expect(
      mergeOverlay({ levels: { x: { duration: gamma } } }, { levels: { x: { duration: { type: "fixed", value: 3 } } } })
    ).toEqual({
      levels: { x: { duration: { type: "fixed", value: 3 } } }
    })
    expect(mergeOverlay({ outcomes: [1, 2] }, { outcomes: [3] })).toEqual({ outcomes: [3] })
    expect(
      mergeOverlay(
        { interventions: [{ name: "A", capacity: { places: 3 } }, { name: "B" }] },
        { interventions: [{ name: "A", capacity: { workers: 1, casesPerWorker: 2 } }] }
      )
    ).toEqual({ interventions: [{ name: "A", capacity: { workers: 1, casesPerWorker: 2 } }, { name: "B" }] })
  })
})

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

describe("dates relative to the start", () => {
  it("work out from the start", () => {
    const at = (rel: Record<string, unknown>) => relativeDate("2025-04-01", rel)
    expect(at({ year: 1 })).toEqual({ date: "2025-04-01" })
    expect(at({ year: 2 })).toEqual({ date: "2026-04-01" })
    expect(at({ months: 18 })).toEqual({ date: "2026-10-01" })
    expect(at({ years: 3, days: -1 })).toEqual({ date: "2028-03-31" })
    expect(relativeDate("2025-01-31", { months: 1 })).toEqual({ date: "2025-02-28" })
    expect(at({ year: 2, years: 1 })).toHaveProperty("problem")
    expect(at({ months: 1.5 })).toHaveProperty("problem")
    expect(at({ mnths: 1 })).toHaveProperty("problem")
    expect(at({ years: 200 })).toHaveProperty("problem")
  })

  it("move with the start, where absolute dates stay", async () => {
    const rel = write(
      [
        "referrals:",
        "  changes:",
        "    - { from: 2026-04-01, remove: true }",
        "    - { from: { year: 2 }, multiplier: 1.2 }",
        "    - { from: 2027-01-01, multiplier: 1.1 }",
        "services:",
        "  - { name: Foster carers, placement: in_house_foster, places: 45,",
        "      changes: [{ from: { months: 18 }, places: 50 }],",
        "      whenFull: { action: alternative, to: ifa_foster } }",
        ""
      ].join("\n")
    )
    const s1 = await ok(rel)
    expect(s1.referrals.changes.map((c) => c.from)).toEqual(["2026-04-01", "2027-01-01"])
    expect(s1.services[0].changes.map((c) => c.from)).toEqual(["2026-10-01"])
    const moved = await ok(write("start: 2026-04-01\n", rel))
    expect(moved.referrals.changes.map((c) => c.from)).toEqual(["2027-04-01", "2027-01-01"])
    expect(moved.services[0].changes.map((c) => c.from)).toEqual(["2027-10-01"])
  })

  it("refuses a relative date that is not one, at its line", async () => {
    const file = write("referrals:\n  changes:\n    - { from: { yeers: 2 }, multiplier: 1.2 }\n")
    const e = await refused(file)
    expect(e.message).toContain(`referrals.changes[1].from (${file}, line 4)`)
    expect(e.message).toContain("expected a date (YYYY-MM-DD) or one relative to the start")
  })
})

describe("dated changes (top-level `changes`) merge by name, or by date and what they change", () => {
  it("keeps the base's other changes, changes one by name and one by date and price, adds one", async () => {
    const base = write(
      [
        "changes:",
        "  - { name: Residential prices, from: 2026-04-01, price: { placement: external_residential },",
        "      multiplier: 1.08 }",
        "  - { from: 2026-04-01, price: { placement: ifa_foster }, multiplier: 1.05 }",
        "  - { from: 2027-04-01, duration: { level: child_in_need }, multiplier: 0.9 }",
        ""
      ].join("\n")
    )
    const over = write(
      [
        "changes:",
        "  - { name: Residential prices, multiplier: 1.12 }",
        "  - { from: 2026-04-01, price: { placement: ifa_foster }, multiplier: 1.1 }",
        "  - { from: 2028-04-01, outcome: { level: child_in_need, to: universal }, multiplier: 1.2 }",
        ""
      ].join("\n"),
      base
    )
    const s = await ok(over)
    expect(s.changes.map((c) => [c.name ?? null, c.from, c.multiplier])).toEqual([
      ["Residential prices", "2026-04-01", 1.12],
      [null, "2026-04-01", 1.1],
      [null, "2027-04-01", 0.9],
      [null, "2028-04-01", 1.2]
    ])
  })
})

describe("starting groups of UASC and of other children", () => {
  // Regression: the key of a starting group was its level, placement and ages only, so an overlay entry for the
  // UASC group in supported accommodation at 16-17 merged into the other children's group of the same level,
  // placement and ages (the first of the two in the base), and the UASC group could not be changed at all.
  it("are two groups: an overlay changes each by its own entry", async () => {
    const file = "scenarios/default.yaml"
    const base = await ok(file)
    const at = (s: Scenario, uasc: boolean) =>
      s.startingCaseload.findIndex(
        (g) => g.level === "looked_after" && g.placement === "supported_16_plus" && (g.uasc === true) === uasc
      )
    expect(at(base, true)).toBeGreaterThan(-1)
    expect(at(base, false)).toBeGreaterThan(-1)
    const s = await ok(
      write(
        [
          "startingCaseload:",
          "  - { level: looked_after, placement: supported_16_plus, ages: [16, 17], uasc: true, count: 31 }",
          "  - { level: looked_after, placement: supported_16_plus, ages: [16, 17], count: 9 }",
          ""
        ].join("\n"),
        path.resolve(file)
      )
    )
    expect(s.startingCaseload.length).toBe(base.startingCaseload.length)
    expect(s.startingCaseload[at(base, true)]).toEqual({ ...base.startingCaseload[at(base, true)], count: 31 })
    expect(s.startingCaseload[at(base, false)]).toEqual({ ...base.startingCaseload[at(base, false)], count: 9 })
  })
})
