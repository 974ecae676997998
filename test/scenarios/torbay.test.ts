// Torbay's section 20 reviews (scenarios/examples/torbay-s20-reviews.yaml): an overlay of its baseline (the
// default borough, which has legal statuses) that adds only the reviews; a short paired comparison de-LACs
// one child a month, never more, and has fewer children in care in every pair, at no investment.
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { compareJob, makeComparePlan, runComparison } from "../../src/compare/Compare.js"
import { STOCK_LEVELS } from "../../src/compare/Paired.js"
import { Replicator } from "../../src/replication/Pool.js"
import { loadScenario, type ScenarioSource } from "../../src/scenario/Load.js"

const root = path.resolve(import.meta.dirname, "../..")
const source = (f: string): Promise<ScenarioSource> =>
  Effect.runPromise(loadScenario(path.join(root, f)).pipe(Effect.provide(NodeContext.layer)))
const BASELINE = "scenarios/default.yaml"
const REVIEWS = "scenarios/examples/torbay-s20-reviews.yaml"

describe("Torbay's section 20 reviews", () => {
  it("the baseline is the default borough, with legal statuses; the example adds only its reviews", async () => {
    const b = (await source(BASELINE)).central
    const v = (await source(REVIEWS)).central
    expect(b.levels.looked_after.legalStatus).toBeDefined()
    expect(v.interventions.map((i) => i.name)).toEqual(["Section 20 reviews (de-LAC one a month)"])
    // Section 20 children other than the unaccompanied ones (who have no home here to go back to).
    expect(v.interventions[0].eligibility).toMatchObject({ legalStatus: ["V2"], uasc: false })
    expect(v.interventions[0].evidence).toContain("Torbay Council")
    expect({ ...v, name: b.name, interventions: [] }).toEqual(b)
  })

  it("de-LACs one child a month (the target, all met) and fewer children are in care in every pair", async () => {
    const b = await source(BASELINE)
    const v = await source(REVIEWS)
    const plan = Either.getOrThrow(
      makeComparePlan(b, v, { runs: 3, seed: null, years: 2, optimismBias: null, deadweight: null })
    )
    const c = await Effect.runPromise(
      runComparison(plan).pipe(Effect.provide(Replicator.inThisThread(compareJob(plan, b, v))))
    )
    const L = STOCK_LEVELS.length
    const la = STOCK_LEVELS.indexOf("looked_after")
    for (const o of c.outcomes) {
      const last = o.baseline.stocks.length / L - 1
      expect(o.variant.stocks[last * L + la]).toBeLessThan(o.baseline.stocks[last * L + la])
      expect(o.baseline.quotas).toEqual([])
      // Two financial years of 12 months: a target of 12 each, all met, each review a stay ended.
      expect(o.variant.quotas).toEqual([
        { name: "Section 20 reviews (de-LAC one a month)", byFy: [12, 12, 12, 0, 12, 12, 12, 0] }
      ])
      expect(o.investment.every((p) => p === 0)).toBe(true)
    }
  }, 120_000)
})
