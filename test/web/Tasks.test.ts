/**
 * The page's tasks (src/web/Tasks.ts) against the command line, in Node (the browser test checks the same
 * through the built page): a scenario loaded from the page's in-memory files, run, gives `caseflow run`'s
 * CSVs byte for byte; a Monte Carlo and a comparison give `montecarlo`'s and `compare`'s; the form's levers
 * are overlays, and the scenario the page offers to download runs to the same results.
 */
import * as Effect from "effect/Effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { Replicator } from "../../src/replication/Pool.js"
import { scenarioFromText, type ScenarioSource } from "../../src/scenario/Load.js"
import { editScenario, noLevers, scenarioYaml } from "../../src/web/Edit.js"
import { type Files, memoryFileSystem } from "../../src/web/MemoryFiles.js"
import { EXAMPLES, SHIPPED_FILES } from "../../src/web/Shipped.js"
import { renderHere } from "../../src/web/Render.js"
import { comparison, monteCarlo, parametersFrom, preflight, singleRun } from "../../src/web/Tasks.js"
import { cli } from "../support/cli.js"

const root = path.resolve(import.meta.dirname, "../..")
const shipped: Files = new Map(SHIPPED_FILES.map((f) => [f, fs.readFileSync(path.join(root, f), "utf8")]))
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "caseflow-web-tasks-"))
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

const load = (files: Files, file: string): Promise<ScenarioSource> =>
  Effect.runPromise(scenarioFromText(file, files.get(file) ?? "").pipe(Effect.provide(memoryFileSystem(files))))

const cliFiles = (dir: string): Map<string, string> =>
  new Map(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), "utf8")]))

const here = { replicators: Replicator.inThisThread, render: renderHere }

describe("the page's tasks, in Node", () => {
  it("a single run of a shipped scenario: caseflow run's CSVs, byte for byte", async () => {
    const source = await load(shipped, "scenarios/default.yaml")
    expect(source.id).toBe((await load(shipped, "scenarios/default.yaml")).id)
    const out = path.join(tmp, "run")
    const r = await cli(["run", "scenarios/default.yaml", "--years", "2", "--seed", "7", "--out", out])
    expect(r.code).toBe(0)
    const page = await Effect.runPromise(singleRun(source, parametersFrom(shipped, source), 7, 2, here))
    const expected = cliFiles(out)
    expect(page.csv.map((o) => o.name).sort()).toEqual([...expected.keys()].sort())
    for (const o of page.csv) expect(o.data, o.name).toBe(expected.get(o.name))
    expect(r.stdout.startsWith(page.summary)).toBe(true)
    expect(page.html).toContain("<svg")
    expect(page.renderWarnings).toEqual([])
    expect(Array.from(page.xlsx.subarray(0, 2))).toEqual([0x50, 0x4b]) // a zip
  })

  it("levers and an example are overlays; the downloaded scenario runs to the page's results", async () => {
    const base = await load(shipped, "scenarios/default.yaml")
    const levers = { children: 52000, ratePer10k: 450, shock: { from: "2026-01-01", multiplier: 1.2 } }
    const edited = editScenario(shipped, "scenarios/default.yaml", base.central.name, levers, [EXAMPLES[0]])
    const variant = await load(edited.files, edited.variant)
    const baseline = await load(edited.files, edited.baseline)
    expect(baseline.central.population.children).toBe(52000)
    expect(variant.central.referrals.ratePer10k).toBe(450)
    expect(variant.central.referrals.changes.some((c) => c.from === "2026-01-01" && c.multiplier === 1.2)).toBe(true)
    expect(variant.central.interventions.map((i) => i.name)).toEqual(
      (await load(shipped, "scenarios/examples/ifs-team.yaml")).central.interventions.map((i) => i.name)
    )
    expect(baseline.central.interventions).toEqual(base.central.interventions)
    expect(variant.central.name).toBe(`${base.central.name} (edited) with an IFS team`)
    expect(Effect.runSync(Effect.either(Effect.succeed(preflight(variant, 2))))).toBeDefined()
    const file = path.join(tmp, "edited.yaml")
    fs.writeFileSync(file, scenarioYaml(variant.raw, variant.label))
    const out = path.join(tmp, "edited")
    expect((await cli(["run", file, "--years", "2", "--out", out])).code).toBe(0)
    const page = await Effect.runPromise(singleRun(variant, [], variant.central.seed, 2, here))
    const expected = cliFiles(out)
    for (const o of page.csv) expect(o.data, o.name).toBe(expected.get(o.name))
  })

  it("no levers and no example: the chosen scenario itself", () => {
    const e = editScenario(shipped, "scenarios/default.yaml", "x", noLevers, [])
    expect(e).toMatchObject({ baseline: "scenarios/default.yaml", variant: "scenarios/default.yaml" })
    const one = editScenario(shipped, "scenarios/default.yaml", "x", noLevers, [EXAMPLES[1]])
    expect(one.variant).toBe("scenarios/examples/fgc-pre-proceedings.yaml")
  })

  it("a Monte Carlo of a few runs: caseflow montecarlo's CSVs, byte for byte", async () => {
    const source = await load(shipped, "scenarios/default-uncertain.yaml")
    const out = path.join(tmp, "mc")
    const args = ["--runs", "4", "--years", "2", "--seed", "3", "--workers", "0"]
    const report = path.join(tmp, "mc.html")
    const budget = "2025/26=60m"
    const r = await cli([
      "montecarlo",
      "scenarios/default-uncertain.yaml",
      ...args,
      "--budget",
      budget,
      "--out",
      out,
      "--report",
      report
    ])
    expect(r.code, r.stderr).toBe(0)
    const page = await Effect.runPromise(
      monteCarlo(source, [], { seed: 3, years: 2, runs: 4, budgets: [budget] }, here)
    )
    const expected = cliFiles(out)
    expect(page.csv.map((o) => o.name).sort()).toEqual([...expected.keys()].sort())
    for (const o of page.csv) expect(o.data, o.name).toBe(expected.get(o.name))
    expect(r.stdout.startsWith(page.summary)).toBe(true)
  })

  it("a comparison of a few pairs: caseflow compare's CSVs, byte for byte", async () => {
    const baseline = await load(shipped, "scenarios/default.yaml")
    const variant = await load(shipped, "scenarios/examples/ifs-team.yaml")
    const out = path.join(tmp, "compare")
    const r = await cli([
      "compare",
      "scenarios/default.yaml",
      "scenarios/examples/ifs-team.yaml",
      ...["--runs", "3", "--years", "2", "--workers", "0", "--out", out]
    ])
    expect(r.code, r.stderr).toBe(0)
    const page = await Effect.runPromise(
      comparison(baseline, variant, { baseline: [], variant: [] }, { seed: null, years: 2, runs: 3 }, here)
    )
    const expected = cliFiles(out)
    for (const o of page.csv) expect(o.data, o.name).toBe(expected.get(o.name))
    expect(page.csv.length).toBe(expected.size)
  })

  it("bad budgets and a bad scenario are refused with the command line's messages", async () => {
    const source = await load(shipped, "scenarios/default.yaml")
    const bad = await Effect.runPromise(
      Effect.either(monteCarlo(source, [], { seed: 1, years: 2, runs: 2, budgets: ["2040/41=1m"] }, here))
    )
    expect(bad._tag).toBe("Left")
    expect(String(bad._tag === "Left" ? bad.left.message : "")).toContain("2040/41 is not a financial year")
    const files = new Map([["mine.yaml", "extends: base.yaml\nname: Mine\n"]])
    const e = await Effect.runPromise(
      Effect.either(
        scenarioFromText("mine.yaml", files.get("mine.yaml") ?? "").pipe(Effect.provide(memoryFileSystem(files)))
      )
    )
    expect(e._tag === "Left" ? e.left.message : "").toContain("cannot read the base scenario base.yaml: no such file")
  })
})
