/**
 * Rates and trends against base R: `poisson.test` for the exact interval of a rate, `glm` with the poisson
 * and quasipoisson families for the trend (fixtures/poisson.json, made by fixtures/poisson.R).
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { poissonRate, poissonTrend } from "../../src/calibrate/Poisson.js"

interface Fit {
  readonly ratio: number
  readonly ratio_lower: number
  readonly ratio_upper: number
  readonly latest: number
  readonly latest_lower: number
  readonly latest_upper: number
  readonly dispersion: number
}
const ref = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, "fixtures/poisson.json"), "utf8")) as {
  readonly year: ReadonlyArray<number>
  readonly count: ReadonlyArray<number>
  readonly wild: ReadonlyArray<number>
  readonly exposure: ReadonlyArray<number>
  readonly poisson: Fit
  readonly quasi: Fit
  readonly exact: Record<string, ReadonlyArray<number>>
}

describe("poissonRate", () => {
  it("gives R poisson.test's exact interval", () => {
    for (const [key, [value, lower, upper]] of Object.entries(ref.exact)) {
      const [k, t] = key.split(" in ").map(Number)
      const r = poissonRate(k, t)
      expect(r?.value).toBeCloseTo(value, 12)
      expect(r?.lower).toBeCloseTo(lower, 9)
      expect(r?.upper).toBeCloseTo(upper, 9)
    }
  })

  it("has no rate without exposure", () => {
    expect(poissonRate(3, 0)).toBeNull()
  })
})

describe("poissonTrend", () => {
  // R's glm stops when the deviance changes by less than 1e-8: its figures are good to about 7 significant digits.
  const near = (x: number, y: number) => expect(Math.abs(x / y - 1)).toBeLessThan(1e-6)
  const check = (got: ReturnType<typeof poissonTrend>, want: Fit) => {
    expect(got).not.toBeNull()
    if (got === null) return
    near(got.ratio.value, want.ratio)
    near(got.ratio.lower, want.ratio_lower)
    near(got.ratio.upper, want.ratio_upper)
    near(got.latest.value, want.latest)
    near(got.latest.lower, want.latest_lower)
    near(got.latest.upper, want.latest_upper)
    near(got.dispersion, want.dispersion)
  }

  it("matches R's glm (poisson, offset log exposure) on counts within Poisson variation", () => {
    const t = poissonTrend(ref.year, ref.count, ref.exposure)
    check(t, ref.poisson)
    expect(t?.quasi).toBe(false)
  })

  it("widens the interval by the dispersion, as R's quasipoisson, when counts vary more than Poisson", () => {
    const t = poissonTrend(ref.year, ref.wild, ref.exposure)
    check(t, ref.quasi)
    expect(t?.quasi).toBe(true)
  })

  it("needs three years with exposure and some count", () => {
    expect(poissonTrend([2020, 2021], [3, 4], [1, 1])).toBeNull()
    expect(poissonTrend([2019, 2020, 2021], [0, 0, 0], [1, 1, 1])).toBeNull()
  })
})
