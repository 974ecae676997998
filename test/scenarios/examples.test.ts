// The shipped investment examples (scenarios/examples/*.yaml): each is a valid overlay of the default
// borough that differs from it only by its name and interventions, and a short paired comparison moves the
// figures it is about in the direction its evidence says, at the cost its lines say.
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { type Comparison, compareJob, makeComparePlan, runComparison } from "../../src/compare/Compare.js"
import { STOCK_LEVELS } from "../../src/compare/Paired.js"
import { Replicator } from "../../src/replication/Pool.js"
import { loadScenario, type ScenarioSource } from "../../src/scenario/Load.js"

const root = path.resolve(import.meta.dirname, "../..")
const file = (f: string) => path.join(root, f)
const run = <A, E>(e: Effect.Effect<A, E, NodeContext.NodeContext>): Promise<A> =>
  Effect.runPromise(e.pipe(Effect.provide(NodeContext.layer)))
const source = (f: string): Promise<ScenarioSource> => run(loadScenario(file(f)))

const compare = async (variant: string, runs: number, years: number): Promise<Comparison> => {
  const b = await source("scenarios/default.yaml")
  const v = await source(variant)
  const plan = Either.getOrThrow(
    makeComparePlan(b, v, { runs, seed: null, years, optimismBias: null, deadweight: null })
  )
  return Effect.runPromise(runComparison(plan).pipe(Effect.provide(Replicator.inThisThread(compareJob(plan, b, v)))))
}

/** Looked-after children at the last 31 March snapshot, per replication: [baseline, variant]. */
const lookedAfterAtEnd = (c: Comparison): Array<[number, number]> =>
  c.outcomes.map((o) => {
    const L = STOCK_LEVELS.length
    const i = STOCK_LEVELS.indexOf("looked_after")
    const last = o.baseline.stocks.length / L - 1
    return [o.baseline.stocks[last * L + i], o.variant.stocks[last * L + i]]
  })

const EXAMPLES = ["fgc-pre-proceedings", "foster-carer-recruitment", "ifs-team"].map(
  (n) => `scenarios/examples/${n}.yaml`
)

describe("shipped investment examples", () => {
  it("are overlays of the default borough adding only a name and interventions", async () => {
    const base = (await source("scenarios/default.yaml")).central
    for (const f of EXAMPLES) {
      const s = (await source(f)).central
      expect(s.interventions.length, f).toBeGreaterThan(0)
      for (const i of s.interventions) expect(i.evidence, `${f}: ${i.name} cites its evidence`).toBeTruthy()
      expect({ ...s, name: base.name, interventions: base.interventions }).toEqual(base)
    }
  })

  it("family group conferences: fewer children in care in every paired replication, for a known cost", async () => {
    const c = await compare("scenarios/examples/fgc-pre-proceedings.yaml", 3, 3)
    for (const [b, v] of lookedAfterAtEnd(c)) expect(v).toBeLessThan(b)
    for (const o of c.outcomes) {
      expect(o.investment.every((p) => p > 0)).toBe(true)
      expect(o.optimismBias).toBe(0.05) // confidence grade 2
    }
  }, 120_000)

  it("IFS team: fewer children in care on average; investment matches its staff and set-up costs", async () => {
    const c = await compare("scenarios/examples/ifs-team.yaml", 3, 3)
    const pairs = lookedAfterAtEnd(c)
    const diff = pairs.reduce((s, [b, v]) => s + v - b, 0) / pairs.length
    expect(diff).toBeLessThan(0)
    // Staff follow the two-year ramp from 1 April 2025: the first year costs less than the third.
    const inv = c.outcomes[0].investment
    expect(inv[0]).toBeLessThan(inv[2])
    for (const o of c.outcomes) expect(o.investment).toEqual(inv) // deterministic costs
  }, 120_000)

  it("foster carer recruitment: moves no child's level, only placements and their prices", async () => {
    const c = await compare("scenarios/examples/foster-carer-recruitment.yaml", 3, 3)
    for (const o of c.outcomes) expect(o.variant.stocks).toEqual(o.baseline.stocks)
    const gross = c.outcomes.reduce((s, o) => s + o.gross.reduce((a, b) => a + b, 0), 0)
    expect(gross).toBeGreaterThan(0) // fewer children with agencies at £900 instead of in-house at £650
  }, 120_000)
})
