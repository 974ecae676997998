// The quantile sketch: every quantile within the stated relative error of the exact order statistic, and
// merging independent of grouping and order.
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { nearestRank, QuantileSketch, SKETCH_ALPHA } from "../../src/montecarlo/QuantileSketch.js"

const exactQuantile = (xs: ReadonlyArray<number>, q: number): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[nearestRank(q, s.length) - 1]
}
const sketchOf = (xs: ReadonlyArray<number>): QuantileSketch => {
  const s = new QuantileSketch()
  for (const x of xs) s.add(x)
  return s
}
const QS = [0, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 0.8, 0.9, 0.95, 0.975, 0.99, 1]
// Money in pennies (up to £1bn), either sign, and exact zeros; children counts.
const money = fc.oneof(
  fc.integer({ min: -1e11, max: 1e11 }),
  fc.constant(0),
  fc.double({ min: 1, max: 1e11, noNaN: true })
)

describe("QuantileSketch", () => {
  it("reads every quantile within relative error alpha of the exact nearest-rank quantile", () => {
    fc.assert(
      fc.property(fc.array(money, { minLength: 1, maxLength: 400 }), (xs) => {
        const s = sketchOf(xs)
        for (const q of QS) {
          const exact = exactQuantile(xs, q)
          const got = s.quantile(q)
          // 1e-12: the floating-point rounding of ln x / ln gamma at a bucket edge.
          expect(Math.abs(got - exact)).toBeLessThanOrEqual(Math.abs(exact) * (SKETCH_ALPHA + 1e-12))
        }
      })
    )
  })

  it("gives whole-number stocks below 1,000 exactly once rounded", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 999 }), { minLength: 1, maxLength: 300 }), (xs) => {
        const s = sketchOf(xs)
        for (const q of QS) expect(Math.round(s.quantile(q))).toBe(exactQuantile(xs, q))
      })
    )
  })

  it("merges to the same summary whatever the grouping and order", () => {
    fc.assert(
      fc.property(
        fc.array(money, { maxLength: 200 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        fc.integer(),
        (xs, cuts, seed) => {
          const whole = sketchOf(xs)
          // Split at the cuts, then merge the parts in a shuffled order.
          const at = [...new Set(cuts.map((c) => c % (xs.length + 1)))].sort((a, b) => a - b)
          const parts: Array<Array<number>> = []
          let prev = 0
          for (const c of [...at, xs.length]) {
            parts.push(xs.slice(prev, c))
            prev = c
          }
          const order = parts
            .map((_, i) => i)
            .sort((a, b) => ((a * 7919 + seed) % 13) - ((b * 7919 + seed) % 13) || a - b)
          const merged = new QuantileSketch()
          for (const i of order) merged.merge(sketchOf(parts[i]))
          expect(merged.toData()).toEqual(whole.toData())
          expect(QuantileSketch.fromData(whole.toData()).toData()).toEqual(whole.toData())
        }
      )
    )
  })

  it("reports a value that never varies exactly, and the extremes exactly", () => {
    fc.assert(
      fc.property(money, fc.integer({ min: 1, max: 50 }), (x, n) => {
        const s = sketchOf(new Array<number>(n).fill(x))
        for (const q of QS) expect(s.quantile(q)).toBe(x)
      })
    )
    fc.assert(
      fc.property(fc.array(money, { minLength: 1, maxLength: 100 }), (xs) => {
        const s = sketchOf(xs)
        expect(s.quantile(0)).toBe(Math.min(...xs))
        expect(s.quantile(1)).toBe(Math.max(...xs))
      })
    )
  })

  it("keeps percentiles in order", () => {
    fc.assert(
      fc.property(fc.array(money, { minLength: 1, maxLength: 200 }), (xs) => {
        const qs = sketchOf(xs).quantiles(QS)
        for (let i = 1; i < qs.length; i++) expect(qs[i]).toBeGreaterThanOrEqual(qs[i - 1])
      })
    )
  })
})
