// Scenario overlays (`extends: <base file>`): the merge rules, chains and their errors, problems reported in
// the file and at the line the offending value came from, uncertain overlays for Monte Carlo, and the CLI.
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { replayEventLog } from "../../src/log/Replay.js"
import { resultFiles } from "../../src/report/Tables.js"
import { scenarioId } from "../../src/scenario/Identity.js"
import { loadScenario, scenarioFromData, scenarioFromPlainText, type ScenarioSource } from "../../src/scenario/Load.js"
import { layerOf, mergeLayers, mergeOverlay } from "../../src/scenario/Overlay.js"
import type { ScenarioError } from "../../src/scenario/Problems.js"
import type { Scenario } from "../../src/scenario/Scenario.js"
import { cli, fixture } from "../support/cli.js"

const overlay = (name: string): string => fixture(`overlay/${name}`)
const load = (file: string): Promise<Either.Either<Scenario, ScenarioError>> =>
  Effect.runPromise(
    Effect.either(Effect.map(loadScenario(file), (s) => s.central)).pipe(Effect.provide(NodeContext.layer))
  )
const loadOk = async (file: string): Promise<Scenario> => Either.getOrThrow(await load(file))
const loadError = async (file: string): Promise<ScenarioError> => {
  const r = await load(file)
  if (Either.isRight(r)) throw new Error(`${file} loaded, but should not have`)
  return r.left
}
const source = (file: string): Promise<Either.Either<ScenarioSource, ScenarioError>> =>
  Effect.runPromise(Effect.either(loadScenario(file)).pipe(Effect.provide(NodeContext.layer)))

describe("merging (pure)", () => {
  it("merges mappings key by key, replaces lists and plain values, and removes keys set to null", () => {
    const base = { a: { x: 1, y: 2, deep: { p: 1, q: 2 } }, list: [1, 2, 3], s: "base", gone: { z: 1 }, kept: true }
    const over = { a: { y: 20, deep: { q: 3 }, added: "new" }, list: [9], s: "over", gone: null, absent: null }
    expect(mergeOverlay(base, over)).toEqual({
      a: { x: 1, y: 20, deep: { p: 1, q: 3 }, added: "new" },
      list: [9],
      s: "over",
      kept: true
    })
    // The inputs are untouched.
    expect(base.a.y).toBe(2)
    expect(over.gone).toBeNull()
  })

  it("replaces a distribution, an uncertain value, a whenFull, an age table and a placement mix whole", () => {
    const gamma = { type: "gamma", shape: 2, mean: 120, unit: "months" }
    // Never merged field by field: { mean: 150 } over a gamma is { mean: 150 } (an error when decoded), not a
    // gamma that silently keeps the base's shape and unit.
    expect(mergeOverlay({ d: gamma }, { d: { mean: 150 } })).toEqual({ d: { mean: 150 } })
    expect(mergeOverlay({ d: gamma }, { d: { type: "gamma", shape: 3, mean: 150 } })).toEqual({
      d: { type: "gamma", shape: 3, mean: 150 }
    })
    expect(mergeOverlay({ d: gamma }, { d: { type: "lognormal", mean: 300, sd: 250 } })).toEqual({
      d: { type: "lognormal", mean: 300, sd: 250 }
    })
    expect(mergeOverlay({ w: { action: "wait" } }, { w: { action: "escalate", to: "child_protection" } })).toEqual({
      w: { action: "escalate", to: "child_protection" }
    })
    expect(
      mergeOverlay({ w: { action: "escalate", to: "child_protection", after: gamma } }, { w: { to: "x" } })
    ).toEqual({ w: { to: "x" } })
    expect(mergeOverlay({ d: gamma }, { d: { byAge: [] } })).toEqual({ d: { byAge: [] } })
    expect(mergeOverlay({ m: { byAge: [1] } }, { m: { kinship: 1 } })).toEqual({ m: { kinship: 1 } })
    // A placement mix is one set of shares: the overlay's replaces the base's.
    expect(mergeOverlay({ onEntry: { kinship: 0.5, ifa_foster: 0.5 } }, { onEntry: { kinship: 1 } })).toEqual({
      onEntry: { kinship: 1 }
    })
    // Uncertain values: the overlay's distribution replaces the base's, whatever its family.
    const u = { uncertain: { type: "normal", mean: 500, sd: 40 } }
    expect(mergeOverlay({ r: u }, { r: { uncertain: { sd: 60 } } })).toEqual({ r: { uncertain: { sd: 60 } } })
    expect(mergeOverlay({ r: u }, { r: { uncertain: { type: "uniform", min: 1, max: 2 } } })).toEqual({
      r: { uncertain: { type: "uniform", min: 1, max: 2 } }
    })
    expect(mergeOverlay({ r: u }, { r: 450 })).toEqual({ r: 450 })
    // Sections still merge key by key.
    expect(mergeOverlay({ levels: { a: { duration: gamma, x: 1 } } }, { levels: { a: { x: 2 } } })).toEqual({
      levels: { a: { duration: gamma, x: 2 } }
    })
  })

  it("drops extends from every layer and records which layer each value came from", () => {
    const { raw, origin } = mergeLayers([
      { extends: "b.yaml", name: "C", a: { x: 3 }, gone: null },
      { extends: "a.yaml", a: { y: 2 }, list: [2] },
      { name: "A", a: { x: 1, z: 1 }, list: [1], gone: 1, fromA: 1 }
    ])
    expect(raw).toEqual({ name: "C", a: { x: 3, z: 1, y: 2 }, list: [2], fromA: 1 })
    expect(layerOf(origin, ["name"])).toBe(0)
    expect(layerOf(origin, ["a", "x"])).toBe(0)
    expect(layerOf(origin, ["a", "y"])).toBe(1)
    expect(layerOf(origin, ["a", "z"])).toBe(2)
    expect(layerOf(origin, ["list", 0])).toBe(1)
    expect(layerOf(origin, ["gone"])).toBe(0) // removed by the overlay
    expect(layerOf(origin, ["fromA"])).toBe(2)
    expect(layerOf(origin, ["a", "missing"])).toBe(0) // the mapping's most derived contributor
  })

  it("keeps values shared (YAML aliases) where the overlay does not touch them", () => {
    const shared = { type: "fixed", value: 1 }
    const merged = mergeOverlay({ a: { d: shared, e: shared }, b: 1 }, { b: 2 }) as { a: { d: unknown; e: unknown } }
    expect(merged.a.d).toBe(merged.a.e)
  })
})

describe("loading overlays", () => {
  it("applies each merge rule to a real scenario", async () => {
    const base = await loadOk(fixture("small.yaml"))
    const s = await loadOk(overlay("merge.yaml"))
    expect(s.name).toBe("Small test authority, merged")
    expect(s.referrals.ratePer10k).toBe(450)
    expect(s.levels.early_help.duration).toEqual({ type: "gamma", shape: 2, mean: 150 })
    expect(s.levels.child_in_need.duration).toEqual({ type: "exponential", mean: 200 })
    expect(s.levels.looked_after.placements.onEntry).toEqual({
      in_house_foster: 0.5,
      ifa_foster: 0.2,
      kinship: 0.2,
      placed_with_parents: 0.1
    })
    expect(s.levels.care_leaver.extendedShare).toBe(0) // removed: the default
    expect(s.levels.care_leaver.extendedTo).toBe(base.levels.care_leaver.extendedTo)
    expect(s.startingCaseload).toHaveLength(1)
    // Everything else is the base's.
    expect(s.costs).toEqual(base.costs)
    expect(s.levels.looked_after.outcomes).toEqual(base.levels.looked_after.outcomes)
    expect(s.referrals.frontDoor).toEqual(base.referrals.frontDoor)
  })

  it("follows a chain of two", async () => {
    const base = await loadOk(fixture("small.yaml"))
    const s = await loadOk(overlay("chain-2.yaml"))
    expect({ name: s.name, years: s.years, rate: s.referrals.ratePer10k }).toEqual({
      name: "Chain, second link",
      years: 4,
      rate: 450
    })
    expect({ ...s, name: base.name, years: base.years, referrals: { ...s.referrals, ratePer10k: 500 } }).toEqual(base)
  })

  it("gives an overlay of only extends and the base's name exactly the base's scenario (YAML and JSON)", async () => {
    const base = await loadOk(fixture("small.yaml"))
    expect(await loadOk(overlay("same.yaml"))).toEqual(base)
    expect(await loadOk(overlay("same.json"))).toEqual({ ...base, years: 2 })
  })

  it("reports a cycle with its chain", async () => {
    const e = await loadError(overlay("cycle-a.yaml"))
    expect(e.problems).toHaveLength(1)
    expect(e.problems[0]).toMatchObject({ path: "extends", file: overlay("cycle-b.yaml"), line: 2 })
    expect(e.message).toContain(
      `a cycle of extends: ${overlay("cycle-a.yaml")} extends ${overlay("cycle-b.yaml")} extends ` +
        `${overlay("cycle-a.yaml")}`
    )
  })

  it("names the overlay, its extends line and the base path tried when the base cannot be read", async () => {
    const e = await loadError(overlay("missing-base.yaml"))
    expect(e.file).toBe(overlay("missing-base.yaml"))
    expect(e.problems).toEqual([
      {
        path: "extends",
        file: overlay("missing-base.yaml"),
        line: 2,
        message: `cannot read the base scenario ${overlay("no-such-base.yaml")}: no such file`
      }
    ])
    expect(e.message).toContain(`extends (${overlay("missing-base.yaml")}, line 2): cannot read the base scenario`)
  })

  it("rejects a base that is not a mapping", async () => {
    const e = await loadError(overlay("not-a-mapping.yaml"))
    expect(e.problems[0]).toMatchObject({ path: "extends", line: 1 })
    expect(e.problems[0].message).toContain(
      `the base scenario ${overlay("list.yaml")} is not a scenario (a mapping of fields)`
    )
  })

  it("reports a bad value in the overlay in the overlay's file, at its line", async () => {
    const e = await loadError(overlay("bad-overlay.yaml"))
    expect(e.file).toBe(`${overlay("bad-overlay.yaml")} (extends ${fixture("small.yaml")})`)
    expect(e.problems).toEqual([
      {
        path: "referrals.ratePer10k",
        file: overlay("bad-overlay.yaml"),
        line: 4,
        message: "expected a number >= 0 (referrals per 10,000 children a year, at most 1,000,000), found -5"
      }
    ])
    expect(e.message).toContain(
      `referrals.ratePer10k (${overlay("bad-overlay.yaml")}, line 4): expected a number >= 0 (referrals per 10,000`
    )
  })

  it("reports a bad value inherited from a base in the base's file, at its line there", async () => {
    const e = await loadError(overlay("inherits-bad.yaml"))
    expect(e.file).toBe(
      `${overlay("inherits-bad.yaml")} (extends ${overlay("bad-base.yaml")}, which extends ${fixture("small.yaml")})`
    )
    expect(e.problems).toEqual([
      {
        path: "levels.early_help.outcomes[1].probability",
        file: overlay("bad-base.yaml"),
        line: 8,
        message: "expected a probability between 0 and 1, found 1.5"
      }
    ])
  })

  it("reports a cross-field problem made by merging where the overlay changed the values", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "caseflow-overlay-"))
    try {
      const file = path.join(dir, "mix.yaml")
      // Raises one share of the base's mix: the merged mix no longer adds up to 1.
      fs.writeFileSync(
        file,
        `extends: ${fixture("small.yaml")}\nname: Mix\nlevels:\n  looked_after:\n    placements:\n      moves:\n    ` +
          `    external_residential: { to: { kinship: 0.5 } }\n`
      )
      const e = await loadError(file)
      expect(e.problems.length).toBeGreaterThan(0)
      expect(e.problems.every((p) => p.file === file)).toBe(true)
      expect(
        e.problems.some(
          (p) => p.path.startsWith("levels.looked_after.placements.moves.external_residential") && p.line === 7
        )
      ).toBe(true)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it("leaves errors in a plain file exactly as before (no file named in the problem)", async () => {
    const e = await loadError(overlay("list.yaml"))
    expect(e.file).toBe(overlay("list.yaml"))
    expect(e.problems[0].file).toBeUndefined()
  })
})

describe("uncertain overlays (Monte Carlo)", () => {
  const ok = async (file: string) => Either.getOrThrow(await source(file))

  it("puts uncertain parameters over a plain baseline", async () => {
    const s = await ok(overlay("uncertain-over-plain.yaml"))
    expect(s.label).toBe(`${overlay("uncertain-over-plain.yaml")} (extends ${fixture("small.yaml")})`)
    expect(s.uncertainty!.parameters.map((p) => p.label)).toEqual([
      "referrals.ratePer10k",
      "levels.early_help.duration.mean"
    ])
    expect(s.central.referrals.ratePer10k).toBe(500)
    expect(s.central.levels.early_help.duration).toEqual({ type: "gamma", shape: 2, mean: 120 })
    expect(s.raw).not.toHaveProperty("extends")
  })

  it("fixes some of an uncertain base's parameters with plain values", async () => {
    const base = await ok(fixture("small-uncertain.yaml"))
    const s = await ok(overlay("plain-over-uncertain.yaml"))
    const labels = s.uncertainty!.parameters.map((p) => p.label)
    expect(labels).toEqual(
      base
        .uncertainty!.parameters.map((p) => p.label)
        .filter((l) => l !== "referrals.ratePer10k" && l !== "referrals.reReferral.probability")
    )
    expect(s.central.referrals.ratePer10k).toBe(480)
    expect(s.central.referrals.reReferral).toEqual({ ...base.central.referrals.reReferral, probability: 0.2 })
  })

  it("gives workers data that reads back to the same source without the base files", async () => {
    const s = await ok(overlay("uncertain-over-plain.yaml"))
    const again = Either.getOrThrow(scenarioFromData(s.label, structuredClone(s.raw), { checkExtremes: false }))
    expect(again.central).toEqual(s.central)
    expect(again.uncertainty!.parameters.map((p) => [p.label, p.spec])).toEqual(
      s.uncertainty!.parameters.map((p) => [p.label, p.spec])
    )
    expect(again.uncertainty!.groups).toEqual(s.uncertainty!.groups)
    expect(again.id).toBe(s.id)
    // Also for a JSON overlay of a YAML base.
    const j = await ok(overlay("same.json"))
    expect(Either.getOrThrow(scenarioFromData(j.label, structuredClone(j.raw))).central).toEqual(j.central)
  })

  it("keeps a parameter shared through a YAML alias in the base one parameter", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "caseflow-overlay-"))
    try {
      const small = fs.readFileSync(fixture("small.yaml"), "utf8")
      fs.writeFileSync(
        path.join(dir, "base.yaml"),
        small
          .replace(
            "{ type: weibull, shape: 0.8, scale: 700 }",
            "&care { type: weibull, shape: 0.8, scale: { uncertain: { type: uniform, min: 600, max: 800 } } }"
          )
          .replace("{ type: weibull, shape: 0.7, scale: 900 }", "*care")
      )
      fs.writeFileSync(path.join(dir, "over.yaml"), "extends: base.yaml\nname: Alias\nreferrals: { ratePer10k: 450 }\n")
      const s = Either.getOrThrow(await source(path.join(dir, "over.yaml")))
      expect(s.uncertainty!.parameters.map((p) => p.label)).toEqual([
        "levels.looked_after.duration.byAge[0].duration.scale"
      ])
      // A worker is sent the data by structured clone, which keeps the alias one object.
      const again = Either.getOrThrow(scenarioFromData(s.label, structuredClone(s.raw), { checkExtremes: false }))
      expect(again.uncertainty!.parameters).toHaveLength(1)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it("reports problems of an uncertain overlay in the file they came from", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "caseflow-overlay-"))
    try {
      const file = path.join(dir, "u.yaml")
      fs.writeFileSync(
        file,
        `extends: ${fixture("small.yaml")}\nname: U\nreferrals:\n  ratePer10k: { uncertain: { type: normal, mean: ` +
          `500, sd: -3 } }\n`
      )
      const r = await source(file)
      expect(Either.isLeft(r)).toBe(true)
      if (Either.isLeft(r))
        expect(r.left.problems).toEqual([
          { path: "referrals.ratePer10k.uncertain.sd", file, line: 4, message: "expected a positive number, found -3" }
        ])
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it("asks for the base to be read when given an overlay's own text", () => {
    const text = fs.readFileSync(overlay("same.yaml"), "utf8")
    const r = scenarioFromPlainText(overlay("same.yaml"), text)
    expect(Either.isLeft(r)).toBe(true)
    if (Either.isLeft(r)) expect(r.left.problems[0]).toMatchObject({ path: "extends", line: 1 })
  })
})

describe("caseflow with an overlay of scenarios/default.yaml", () => {
  let dir = ""
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "caseflow-overlay-cli-"))
  })
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

  it("validates, runs with an event log holding the merged scenario, and replays it", async () => {
    const file = overlay("default-investment.yaml")
    const v = await cli(["validate", file])
    expect(v.code).toBe(0)
    expect(v.stdout).toContain('valid. "Default with a higher referral rate"')
    const out = path.join(dir, "out")
    const log = path.join(dir, "events.ndjson")
    const r = await cli(["run", file, "--years", "1", "--out", out, "--events", log])
    expect(r.code).toBe(0)
    const header = JSON.parse(fs.readFileSync(log, "utf8").split("\n")[0]) as { definition: Record<string, unknown> }
    expect(header.definition).not.toHaveProperty("extends")
    expect(header.definition).toMatchObject({
      name: "Default with a higher referral rate",
      referrals: { ratePer10k: 520 }
    })
    // What `caseflow replay` does, in this process (the CLI's replay is tested in test/cli).
    const replayed = await Effect.runPromise(replayEventLog(log).pipe(Effect.provide(NodeContext.layer)))
    const merged = await loadOk(file)
    expect(replayed.model.scenario).toEqual(merged)
    expect(replayed.header.scenario.sha256).toBe(scenarioId(Either.getOrThrow(await source(file)).raw))
    for (const [name, text] of resultFiles(replayed.totals, replayed.spend))
      expect(text).toBe(fs.readFileSync(path.join(out, name), "utf8"))
  })

  it("fails with exit code 2, the overlay's extends line and no stack trace when the base is missing", async () => {
    const r = await cli(["validate", overlay("missing-base.yaml")])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(
      `extends (${overlay("missing-base.yaml")}, line 2): ` +
        `cannot read the base scenario ${overlay("no-such-base.yaml")}: no such file`
    )
    expect(r.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/)
  })
})
