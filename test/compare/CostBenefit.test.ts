// The cost-benefit maths against hand calculations: deadweight and optimism-bias deductions, NPV at the
// Green Book's 3.5%, ROI, payback year; and the adjustments taken from several interventions.
import { describe, expect, it } from "vitest"
import { adjustmentsOf, costBenefit, discountFactor, paybackYear } from "../../src/compare/CostBenefit.js"
import { estimate } from "../../src/compare/Summary.js"
import type { InterventionSummary } from "../../src/model/Policy.js"

const intervention = (optimismBias: number, deadweight: number): InterventionSummary => ({
  name: "x",
  evidence: null,
  confidence: 3,
  optimismBias,
  deadweight
})

describe("cost-benefit maths", () => {
  it("discounts at 3.5% a year from the first financial year", () => {
    expect(discountFactor(0)).toBe(1)
    expect(discountFactor(1)).toBeCloseTo(1 / 1.035, 15)
    expect(discountFactor(3)).toBeCloseTo(0.9019427056680224, 15)
    // The Green Book's schedule: 3.5% to year 30, then 3.0% to year 75, then 2.5%.
    expect(discountFactor(30)).toBeCloseTo(1.035 ** -30, 15)
    expect(discountFactor(31)).toBeCloseTo(1.035 ** -30 / 1.03, 15)
    expect(discountFactor(49)).toBeCloseTo(1.035 ** -30 * 1.03 ** -19, 15)
    expect(discountFactor(80)).toBeCloseTo(1.035 ** -30 * 1.03 ** -45 * 1.025 ** -5, 15)
  })

  it("deducts deadweight, then optimism bias, and gives NPV, ROI and payback as by hand", () => {
    // G = 0, 100, 200, 300; I = 150, 100, 50, 0; DW 20%, OB 10%: benefit kept 0.8 x 0.9 = 0.72.
    const cb = costBenefit([0, 100, 200, 300], [150, 100, 50, 0], { optimismBias: 0.1, deadweight: 0.2 })
    const y = cb.years
    // Deadweight: G x 0.2; optimism bias: G x 0.8 x 0.1; adjusted benefit G x 0.72.
    expect(y.map((r) => r.deadweight)).toEqual([0, 20, 40, 60])
    y.forEach((r, i) => expect(r.optimismBias).toBeCloseTo([0, 8, 16, 24][i], 12))
    y.forEach((r, i) => expect(r.benefit).toBeCloseTo([0, 72, 144, 216][i], 12))
    // The deductions and the benefit add up to the gross saving.
    y.forEach((r) => expect(r.deadweight + r.optimismBias + r.benefit).toBeCloseTo(r.gross, 12))
    // Net = benefit - investment: -150, -28, 94, 216; cumulative -150, -178, -84, 132.
    y.forEach((r, i) => expect(r.net).toBeCloseTo([-150, -28, 94, 216][i], 12))
    y.forEach((r, i) => expect(r.cumulativeNet).toBeCloseTo([-150, -178, -84, 132][i], 12))
    // NPV = -150 - 28/1.035 + 94/1.035^2 + 216/1.035^3.
    expect(cb.npv).toBeCloseTo(-150 - 28 / 1.035 + 94 / 1.035 ** 2 + 216 / 1.035 ** 3, 10)
    expect(cb.npv).toBeCloseTo(105.51649016211644, 10)
    // ROI = PV(benefit) / PV(investment) = 398.8104 / 293.2939.
    expect(cb.presentBenefit).toBeCloseTo(72 / 1.035 + 144 / 1.035 ** 2 + 216 / 1.035 ** 3, 10)
    expect(cb.presentInvestment).toBeCloseTo(150 + 100 / 1.035 + 50 / 1.035 ** 2, 10)
    expect(cb.roi).toBeCloseTo(1.3597636802473494, 12)
    // Pays back in year 3 (the fourth financial year), when the cumulative net first turns positive.
    expect(cb.paybackYear).toBe(3)
    expect(cb.total.gross).toBe(600)
    expect(cb.total.investment).toBe(300)
    expect(cb.total.net).toBeCloseTo(132, 12)
  })

  it("discounts cash amounts in real terms: deflated by the general price index, then at the real rate", () => {
    // Cash amounts at each year's prices under 3% general inflation; in year 0's prices they are 100, 100, 100.
    const index = [1, 1.03, 1.03 ** 2]
    const cash = index.map((p) => 100 * p)
    const cb = costBenefit(cash, [300, 0, 0], { optimismBias: 0, deadweight: 0 }, index)
    expect(cb.npv).toBeCloseTo(-200 + 100 / 1.035 + 100 / 1.035 ** 2, 10)
    expect(cb.years.map((r) => r.discount)).toEqual(index.map((p, y) => discountFactor(y) / p))
    // The rows stay in cash, and payback is on the undiscounted cash net.
    expect(cb.years[2].gross).toBe(cash[2])
    expect(cb.paybackYear).toBe(2)
  })

  it("has no ROI and no payback without investment; an intervention with no effect costs exactly its cost", () => {
    const none = costBenefit([5, -3], [0, 0], { optimismBias: 0.4, deadweight: 0.5 })
    expect(none.roi).toBeNull()
    expect(none.paybackYear).toBeNull()
    const costOnly = costBenefit([0, 0, 0], [1234, 5678, 9], { optimismBias: 0.25, deadweight: 0.3 })
    expect(costOnly.years.map((r) => r.net)).toEqual([-1234, -5678, -9])
    expect(costOnly.total.net).toBe(-(1234 + 5678 + 9))
    expect(costOnly.roi).toBe(0)
    expect(costOnly.paybackYear).toBeNull()
  })

  it("finds the payback year only once investment has started, at a cumulative net of exactly 0 too", () => {
    // Cumulative 10, 5: investment starts in year 1, by when the cumulative net is still >= 0.
    expect(paybackYear([10, -5], [0, 5])).toBe(1)
    // Positive before the investment starts does not count; cumulative 10, -10, -5, 0: exactly 0 pays back.
    expect(paybackYear([10, -20, 5, 5], [0, 20, 0, 0])).toBe(3)
    expect(paybackYear([-100, 60, 40], [100, 0, 0])).toBe(2)
    expect(paybackYear([-100, 60, 39], [100, 0, 0])).toBeNull()
    expect(paybackYear([0, 0], [0, 0])).toBeNull()
  })

  it("takes the largest optimism bias and the largest deadweight of several interventions; flags override", () => {
    const list = [intervention(0.1, 0.3), intervention(0.4, 0), intervention(0.05, 0.1)]
    expect(adjustmentsOf(list)).toEqual({ optimismBias: 0.4, deadweight: 0.3 })
    expect(adjustmentsOf([])).toEqual({ optimismBias: 0, deadweight: 0 })
    expect(adjustmentsOf(list, { optimismBias: 0, deadweight: null })).toEqual({ optimismBias: 0, deadweight: 0.3 })
  })

  it("gives the t interval of a mean (n - 1 degrees of freedom), exactly 0 wide for identical values", () => {
    // 2, 4, 6: mean 4, sd 2, SE 2/sqrt(3); with 2 degrees of freedom the t quantile has the closed form
    // t(p, 2) = (2p - 1) / sqrt(2p(1 - p)) = 4.3027 at p = 0.975.
    const e = estimate([2, 4, 6])
    expect(e.mean).toBe(4)
    expect(e.se).toBeCloseTo(2 / Math.sqrt(3), 14)
    const t = 0.95 / Math.sqrt(2 * 0.975 * 0.025)
    expect(e.hi - e.mean).toBeCloseTo(t * (2 / Math.sqrt(3)), 10)
    expect(e.mean - e.lo).toBeCloseTo(t * (2 / Math.sqrt(3)), 10)
    expect(estimate([-7, -7, -7, -7])).toEqual({ mean: -7, lo: -7, hi: -7, se: 0, n: 4 })
    expect(Number.isNaN(estimate([1]).lo)).toBe(true)
  })
})
