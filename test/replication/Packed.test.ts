// Outcomes packed for the trip from a worker thread come back equal, number for number (the blocks they
// come in: Pool.test.ts).
import * as Either from "effect/Either"
import { describe, expect, it } from "vitest"
import { pack, unpack } from "../../src/replication/Packed.js"
import { type ArmOutcome, makeReplicator } from "../../src/replication/Replication.js"
import { fixture } from "../support/cli.js"
import { source } from "../montecarlo/support.js"

describe("packed outcomes", () => {
  it("unpack to the outcomes packed: real replications of two arms, and every field of one", () => {
    const run = makeReplicator({
      arms: [source(fixture("small-uncertain.yaml")), source(fixture("small.yaml"))],
      years: 1,
      seed: 3
    })
    const outcomes = [0, 1].map((r) => Either.getOrThrow(run(r)))
    expect(outcomes[0].arms[0].draws.length).toBeGreaterThan(0)
    expect(unpack(pack(outcomes))).toStrictEqual(outcomes)
    // An intervention with a quota's reviews, lines with and without an intervention, and numbers a schema
    // passes through as they are (-0 among them).
    const arm: ArmOutcome = {
      stocks: [1, 2, 3],
      leftCare: [0, 4],
      referrals: [5, 0, 7],
      spend: [123456789012, -5, 0],
      lines: [
        { key: "weekly||A|x", name: "x", budgetLine: "A", intervention: null, byFy: [1, 2] },
        { key: "one_off|FGC|A|y", name: "y", budgetLine: "A", intervention: "FGC", byFy: [3, -4] }
      ],
      priceIndex: [1, 1.03],
      draws: [-0, 1e-300, 2 ** 53 - 1, -12.5],
      interventions: [{ name: "FGC", started: 7, optimismBias: 0.2, deadweight: 0.1, reviews: [12, 10, 3, 2] }]
    }
    const back = unpack(pack([{ replication: 9, arms: [arm, arm] }]))
    expect(back).toStrictEqual([{ replication: 9, arms: [arm, arm] }])
    expect(Object.is(back[0].arms[0].draws[0], -0)).toBe(true)
  })

  it("refuses numbers that end early or run over", () => {
    const p = pack([{ replication: 0, arms: [] }])
    expect(() => unpack({ numbers: p.numbers.subarray(0, 1), strings: [] })).toThrow(/ended early/)
    expect(() => unpack({ numbers: Float64Array.from([...p.numbers, 0]), strings: [] })).toThrow(/left over/)
  })
})
