// Sensitivity: the factor that drives the output ranks first; ties share ranks; a too-small sample says so.
import { describe, expect, it } from "vitest"
import { makeStreams } from "../../src/random/Streams.js"
import { invert, ranked, ranks, sensitivity } from "../../src/montecarlo/Sensitivity.js"

describe("sensitivity", () => {
  it("ranks the driving factor first, with the right sign and tornado bar", () => {
    const u = makeStreams(1, 0)("test")
    const n = 400
    const a = Array.from({ length: n }, () => u())
    const b = Array.from({ length: n }, () => u())
    const c = Array.from({ length: n }, () => u())
    // y rises steeply with a, falls gently with b, ignores c; plus noise.
    const y = a.map((x, i) => 1000 * x - 200 * b[i] + 50 * u())
    const r = sensitivity([a, b, c], y)
    const order = ranked(r.rows)
    expect(order.map((row) => row.factor)).toEqual([0, 1, 2])
    expect(order[0].prcc).toBeGreaterThan(0.95)
    expect(order[1].prcc).toBeLessThan(-0.5)
    expect(Math.abs(order[2].prcc)).toBeLessThan(0.15)
    expect(r.rSquared).toBeGreaterThan(0.95)
    // Tornado bar of a: spend at its P10 and P90 differ by about 1000 x (0.9 - 0.1).
    expect(r.rows[0].atP90 - r.rows[0].atP10).toBeCloseTo(800, -2)
  })

  it("gives tied values their average rank", () => {
    expect(Array.from(ranks([3, 1, 3, 2]))).toEqual([3.5, 1, 3.5, 2])
  })

  it("inverts a matrix and reports a singular one", () => {
    const inv = invert([
      [2, 1],
      [1, 1]
    ])!
    expect(inv[0][0]).toBeCloseTo(1)
    expect(inv[0][1]).toBeCloseTo(-1)
    expect(
      invert([
        [1, 2],
        [2, 4]
      ])
    ).toBeNull()
  })

  it("needs more replications than factors", () => {
    expect(
      sensitivity(
        [
          [1, 2],
          [3, 4]
        ],
        [1, 2]
      ).rows.every((row) => Number.isNaN(row.prcc))
    ).toBe(true)
  })
})
