/** The back-test's measures against values worked out by hand. */
import { describe, expect, it } from "vitest"
import { forecastRow, naiveLast, naiveTrend, quantileOf, summarise, summaryRows } from "../../src/backtest/Metrics.js"

const actuals = new Map([
  [2015, 100],
  [2016, 110],
  [2017, 120],
  [2018, 125],
  [2019, 150]
])

describe("back-test metrics", () => {
  it("quantiles by linear interpolation between order statistics (type 7)", () => {
    const s = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    expect(quantileOf(s, 0.5)).toBe(5.5)
    expect(quantileOf(s, 0.25)).toBe(3.25)
    expect(quantileOf(s, 0.05)).toBeCloseTo(1.45, 12)
    expect(quantileOf(s, 0.95)).toBeCloseTo(9.55, 12)
    expect(quantileOf([7], 0.9)).toBe(7)
  })

  it("naive forecasts use only the years up to the cut-off", () => {
    expect(naiveLast(actuals, 2017)).toBe(120)
    expect(naiveLast(actuals, 2014)).toBeNull()
    // 2015-2017: 100, 110, 120: the line reaches 140 in 2019.
    expect(naiveTrend(actuals, 2017, 2019)).toBeCloseTo(140, 12)
    // One year to the cut-off makes no trend (the last value is its own naive forecast).
    expect(naiveTrend(actuals, 2015, 2018)).toBeNull()
    expect(naiveTrend(actuals, 2016, 2018)).toBeCloseTo(130, 12)
  })

  it("a forecast row: median, bands, naive forecasts; and the summary of rows", () => {
    // Replications in any order: 100..119 (20 values).
    const sims = Array.from({ length: 20 }, (_, i) => 119 - i)
    const a = forecastRow(2017, "cp", 1, sims, actuals)!
    expect(a).toMatchObject({ year: 2018, actual: 125, median: 109.5, naiveLast: 120, naiveTrend: 130 })
    expect(a.p05).toBeCloseTo(100.95, 12)
    expect(a.p95).toBeCloseTo(118.05, 12)
    const b = forecastRow(2017, "cp", 2, [150, 160, 140], actuals)!
    expect(b).toMatchObject({ year: 2019, actual: 150, median: 150, p25: 145, p75: 155, naiveTrend: 140 })
    const s = summarise([a, b], "cp", null)!
    // APE: |109.5 - 125| / 125 = 0.124 and 0; last value: 5/125 = 0.04 and 30/150 = 0.2; trend 5/125, 10/150.
    expect(s.mapeModel).toBeCloseTo(0.062, 12)
    expect(s.mapeLast).toBeCloseTo(0.12, 12)
    expect(s.mapeTrend).toBeCloseTo((0.04 + 1 / 15) / 2, 12)
    expect(s.biasModel).toBeCloseTo(-0.062, 12)
    expect(s.coverage50).toBe(0.5) // 125 is above a's 75% (114.25); 150 is inside b's band
    expect(s.coverage90).toBe(0.5) // 125 is above a's 95% (118.05)
    expect(s.skillLast).toBeCloseTo(1 - 0.062 / 0.12, 12)
    expect(summaryRows([a, b], ["cp"]).map((r) => r.horizon)).toEqual([1, 2, null])
  })

  it("no actual, no row; no figure before the cut-off, no naive forecast (and no skill)", () => {
    expect(forecastRow(2019, "cp", 1, [1, 2], actuals)).toBeNull()
    const only = new Map([[2021, 80]])
    const r = forecastRow(2017, "looked after", 4, [70, 90], only)!
    expect(r.naiveLast).toBeNull()
    const s = summarise([r], "looked after", null)!
    expect(s.mapeModel).toBe(0)
    expect(s.mapeLast).toBeNull()
    expect(s.skillLast).toBeNull()
  })

  it("an actual of 0 is a forecast in n and the bands, without a percentage error", () => {
    const withZero = new Map([...actuals, [2020, 0]])
    const zero = forecastRow(2019, "entries", 1, [0, 0, 1, 2], withZero)!
    expect(zero).toMatchObject({ year: 2020, actual: 0, median: 0.5 })
    const other = forecastRow(2017, "entries", 2, [150, 160, 140], withZero)!
    const s = summarise([zero, other], "entries", null)!
    expect(s).toMatchObject({ forecasts: 2, actualZero: 1, mapeModel: 0, biasModel: 0, coverage90: 1 })
    // The naive forecasts' errors are over the same forecasts: 150 against 120 carried forward.
    expect(s.mapeLast).toBeCloseTo(0.2, 12)
    const none = summarise([zero], "entries", null)!
    expect(none).toMatchObject({ forecasts: 1, actualZero: 1, mapeModel: null, biasModel: null, skillLast: null })
  })
})
