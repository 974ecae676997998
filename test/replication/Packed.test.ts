// Outcomes packed for the trip from a worker thread come back equal, number for number; blocks of
// replications cover the range once, in order, shrinking to single replications at the end.
import * as Either from "effect/Either"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { blocks, MAX_BLOCK } from "../../src/replication/Pool.js"
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

describe("blocks of replications", () => {
  it("cover [from, to) once, in order, MAX_BLOCK long while plenty is left, the last ones single", () => {
    fc.assert(
      fc.property(fc.nat(5000), fc.nat(3000), fc.integer({ min: 1, max: 8 }), (from, n, parallelism) => {
        const bs = blocks(from, from + n, parallelism)
        const to = from + n
        // Each block starts where the last ended; MAX_BLOCK long while 4 x parallelism blocks of it are left,
        // one at a time once fewer than 4 x parallelism replications are.
        const bad = bs.filter(
          ([a, b], i) =>
            a !== (i === 0 ? from : bs[i - 1][1]) ||
            b - a < 1 ||
            b - a > MAX_BLOCK ||
            (to - a >= 4 * parallelism * MAX_BLOCK && b - a !== MAX_BLOCK) ||
            (to - a < 4 * parallelism && b - a !== 1)
        )
        expect(bad).toEqual([])
        expect(bs.length === 0 ? from : bs[bs.length - 1][1]).toBe(to)
      }),
      { numRuns: 100 }
    )
  })
})
