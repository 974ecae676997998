// The parameter distributions: quantile functions that rise, central values where the table says, and the
// special functions behind beta and PERT.
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { betaQuantile, incompleteBeta } from "../../../src/scenario/uncertain/internal/special.js"
import {
  compileSpec,
  HIGHEST_QUANTILE,
  LOWEST_QUANTILE,
  toOpenUnit,
  type UncertainSpec
} from "../../../src/scenario/uncertain/Uncertain.js"

const specs: ReadonlyArray<UncertainSpec> = [
  { type: "normal", mean: 420, sd: 30 },
  { type: "normal", mean: 0.2, sd: 0.1, min: 0, max: 1 },
  { type: "lognormal", mean: 900, sd: 120 },
  { type: "triangular", min: 1, mode: 1.25, max: 1.4 },
  { type: "uniform", min: 5000, max: 6500 },
  { type: "beta", alpha: 15, beta: 85 },
  { type: "pert", min: 0.005, mode: 0.01, max: 0.02 }
]

describe("parameter distributions", () => {
  it("have quantile functions that never fall, within bounds where there are bounds", () => {
    for (const spec of specs) {
      const d = compileSpec(spec)
      fc.assert(
        fc.property(
          fc.double({ min: LOWEST_QUANTILE, max: HIGHEST_QUANTILE, noNaN: true }),
          fc.double({ min: LOWEST_QUANTILE, max: HIGHEST_QUANTILE, noNaN: true }),
          (p, q) => {
            const [lo, hi] = p <= q ? [p, q] : [q, p]
            expect(d.quantile(lo)).toBeLessThanOrEqual(d.quantile(hi))
            if ("min" in spec && spec.min !== undefined) expect(d.quantile(lo)).toBeGreaterThanOrEqual(spec.min)
            if ("max" in spec && spec.max !== undefined) expect(d.quantile(hi)).toBeLessThanOrEqual(spec.max)
          }
        )
      )
    }
  })

  it("put the central value at the estimate the analyst gave", () => {
    expect(compileSpec({ type: "normal", mean: 420, sd: 30 }).central).toBe(420)
    expect(compileSpec({ type: "triangular", min: 1, mode: 1.25, max: 1.4 }).central).toBe(1.25)
    expect(compileSpec({ type: "pert", min: 0, mode: 3, max: 10 }).central).toBe(3)
    expect(compileSpec({ type: "uniform", min: 2, max: 4 }).central).toBe(3)
    expect(compileSpec({ type: "beta", alpha: 2, beta: 6 }).central).toBe(0.25)
    expect(compileSpec({ type: "normal", mean: 10, sd: 3, round: true }).quantile(0.7)).toBe(12)
  })

  it("give known quantiles", () => {
    expect(compileSpec({ type: "normal", mean: 420, sd: 30 }).quantile(0.975)).toBeCloseTo(420 + 1.959964 * 30, 4)
    expect(compileSpec({ type: "triangular", min: 0, mode: 1, max: 2 }).quantile(0.5)).toBeCloseTo(1, 12)
    expect(compileSpec({ type: "pert", min: 0, mode: 5, max: 10 }).quantile(0.5)).toBeCloseTo(5, 9)
    expect(
      compileSpec({ type: "lognormal", mean: Math.exp(0.5), sd: Math.sqrt((Math.E - 1) * Math.E) }).quantile(0.5)
    ).toBeCloseTo(1, 9)
  })

  it("invert the incomplete beta function", () => {
    expect(betaQuantile(1, 1, 0.3)).toBeCloseTo(0.3, 12)
    expect(betaQuantile(2, 2, 0.5)).toBeCloseTo(0.5, 12)
    fc.assert(
      fc.property(
        fc.double({ min: 0.5, max: 50, noNaN: true }),
        fc.double({ min: 0.5, max: 50, noNaN: true }),
        fc.double({ min: 0.001, max: 0.999, noNaN: true }),
        (a, b, p) => {
          expect(incompleteBeta(a, b, betaQuantile(a, b, p))).toBeCloseTo(p, 9)
        }
      )
    )
  })

  it("map a uniform draw on the 2^32 grid strictly inside (0, 1)", () => {
    expect(toOpenUnit(0)).toBe(LOWEST_QUANTILE)
    expect(toOpenUnit(1 - 2 ** -32)).toBe(HIGHEST_QUANTILE)
  })
})
