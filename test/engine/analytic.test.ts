/**
 * Analytic checks: the engine against results known in closed form.
 *
 * 1. Little's law for infinite-server queues. Referrals are Poisson; nobody waits for a worker, so each
 *    level is an M/G/infinity queue. In steady state its stock is Poisson with mean L = lambda x E[D]
 *    (lambda: arrival rate at the level, D: time there), whatever the distribution of D, and the output
 *    of a stationary M/G/infinity queue is again Poisson, so a level fed by another level is M/G/infinity
 *    too. We start in equilibrium (the starting caseload is L children per level, each with the
 *    equilibrium time already spent, which the engine draws by default), so no warm-up is needed.
 *
 *    Tolerance: the time-average stock over [0, T] has variance (2/T^2) * int_0^T (T - s) C(s) ds, where
 *    C(s) = lambda * int_s^inf P(D > x) dx is the stock's autocovariance at lag s; this is at most
 *    lambda * E[D^2] / T (the integral of C over [0, inf) is lambda * E[D^2] / 2). We allow 4 such
 *    standard errors (a two-sided chance of about 6e-5 of a false alarm per level under normality).
 *
 * 2. The referral process: new referrals in each month are Poisson with mean equal to the integral of the
 *    rate (population x growth x trend x seasonality x step changes), recomputed here from the scenario.
 *    The total must be within 4 standard deviations, and the monthly counts must pass a chi-square test
 *    (statistic below its mean + 4 standard deviations: df + 4 * sqrt(2 df)).
 *
 * Both runs use a fixed seed, so the tests are deterministic; the tolerances say why they are sound.
 */
import { describe, expect, it } from "vitest"
import { CELL_COUNT, stateIndex } from "../../src/domain/Level.js"
import { makeStreams } from "../../src/random/Streams.js"
import { compileModel } from "../../src/model/Model.js"
import { simulate } from "../../src/run/Run.js"
import { decodeValid } from "../support/arbitraries.js"
import { tinyEncoded } from "../support/tiny.js"

const DAY_MS = 86_400_000

describe("Little's law (M/G/infinity)", () => {
  it("the mean stock of each level is arrival rate x mean duration", () => {
    const lambda = 20 // referrals a day
    const children = 100_000
    const years = 5
    const levels = {
      // Front door: 50% early help, 20% intensive family support, 30% closed.
      early_help: { rate: 0.5 * lambda, mean: 30, meanSquare: 30 * 30 * (1 + 1 / 2) }, // gamma, shape 2
      intensive_family_support: { rate: 0.2 * lambda, mean: 45, meanSquare: 45 * 45 }, // fixed
      // Half of early help steps up to child in need.
      child_in_need: { rate: 0.5 * 0.5 * lambda, mean: 60, meanSquare: 2 * 60 * 60 } // exponential
    } as const
    const scenario = decodeValid({
      ...tinyEncoded({
        years,
        referrals: {
          ratePer10k: (lambda * 365.25 * 10_000) / children,
          // Children referred at 0-9 cannot reach 18 within any plausible episode: no age-limit truncation.
          ageAtReferral: [
            { ages: [0, 9], share: 1 },
            { ages: [10, 17], share: 0 }
          ],
          frontDoor: [
            { to: "early_help", probability: 0.5 },
            { to: "intensive_family_support", probability: 0.2 },
            { to: "universal", probability: 0.3, reason: "no_further_action" }
          ],
          reReferral: { probability: 0, after: { type: "fixed", value: 30 } }
        },
        levels: {
          early_help: {
            duration: { type: "gamma", shape: 2, mean: 30 },
            outcomes: [
              { to: "child_in_need", probability: 0.5 },
              { to: "universal", probability: 0.5 }
            ]
          },
          intensive_family_support: { duration: { type: "fixed", value: 45 } },
          child_in_need: { duration: { type: "exponential", mean: 60 } }
        },
        startingCaseload: (Object.keys(levels) as Array<keyof typeof levels>).map((level) => ({
          level,
          count: Math.round(levels[level].rate * levels[level].mean),
          ages: [0, 9] as const
        }))
      }),
      population: { children }
    })
    const model = compileModel(scenario)
    const { totals } = simulate(model, makeStreams(7))
    const T = model.calendar.horizon
    for (const [level, l] of Object.entries(levels)) {
      const cell = stateIndex[level as keyof typeof levels]
      let childDays = 0
      for (let m = 0; m < model.calendar.months.length; m++) childDays += totals.childDays[m * CELL_COUNT + cell]
      const meanStock = childDays / T
      const L = l.rate * l.mean
      const se = Math.sqrt((l.rate * l.meanSquare) / T)
      expect(
        Math.abs(meanStock - L),
        `${level}: mean stock ${meanStock.toFixed(2)}, expected ${L} +- ${(4 * se).toFixed(2)}`
      ).toBeLessThan(4 * se)
    }
  })
})

describe("the referral process", () => {
  it("new referrals per month are Poisson with the scenario's rate", () => {
    const children = 50_000
    const ratePer10k = 2000 // about 27 a day
    const season = [1.3, 1.2, 1.1, 1, 0.9, 0.8, 0.7, 0.8, 1, 1.1, 1.2, 1.3]
    const growth = 0.02
    const trend = 0.05
    const start = "2025-01-15"
    const changes = [
      { from: "2024-12-01", multiplier: 0.8 }, // before the start: applies from day 0
      { from: "2026-02-19", multiplier: 1.5 }
    ]
    const scenario = decodeValid({
      ...tinyEncoded({
        start,
        years: 3,
        referrals: { ratePer10k, seasonality: season, trendPerYear: trend, changes }
      }),
      population: { children, growthPerYear: growth }
    })
    const model = compileModel(scenario)
    const cal = model.calendar
    const monthly = new Array<number>(cal.months.length).fill(0)
    simulate(model, makeStreams(11), (e) => {
      if (e._tag === "ChildReferred" && !e.reReferral) monthly[cal.monthOf(e.time)]++
    })

    // The rate, from the scenario's own words: per 10,000 children a year, x population growth x trend,
    // x the month's weight (normalised to average 1), x every step change in force.
    const startMs = Date.parse(`${start}T00:00:00Z`)
    const meanSeason = season.reduce((a, b) => a + b, 0) / 12
    const stepDays = changes.map((c) => ({
      t: (Date.parse(`${c.from}T00:00:00Z`) - startMs) / DAY_MS,
      m: c.multiplier
    }))
    const rate = (t: number) => {
      const month = new Date(startMs + Math.floor(t) * DAY_MS).getUTCMonth()
      const steps = stepDays.reduce((m, c) => (c.t <= t ? m * c.m : m), 1)
      return (
        (((ratePer10k / 10_000) * children) / 365.25) *
        Math.pow((1 + growth) * (1 + trend), t / 365.25) *
        (season[month] / meanSeason) *
        steps
      )
    }
    // Midpoint rule with a step that divides a day: month starts and step dates fall on step edges.
    const dt = 1 / 8
    const expected = cal.months.map((m) => {
      let s = 0
      for (let t = m.start + dt / 2; t < m.end; t += dt) s += rate(t) * dt
      return s
    })
    const total = monthly.reduce((a, b) => a + b, 0)
    const totalExpected = expected.reduce((a, b) => a + b, 0)
    expect(Math.abs(total - totalExpected), `total ${total}, expected ${totalExpected.toFixed(1)}`).toBeLessThan(
      4 * Math.sqrt(totalExpected)
    )
    const chi2 = monthly.reduce((s, o, i) => s + (o - expected[i]) ** 2 / expected[i], 0)
    const df = monthly.length
    expect(chi2, `chi-square ${chi2.toFixed(1)} on ${df} months`).toBeLessThan(df + 4 * Math.sqrt(2 * df))
  })

  it("a low referral rate is kept across month boundaries (no time lost between segments)", () => {
    // One referral every four days for 40 years: about 3,650 referrals over 480 monthly segments. Losing
    // the overshoot past each month's end would lose about one referral a month (13% in all).
    const children = 10_000
    const perDay = 0.25
    const scenario = decodeValid({
      ...tinyEncoded({ years: 40, referrals: { ratePer10k: (perDay * 365.25 * 10_000) / children } }),
      population: { children }
    })
    const model = compileModel(scenario)
    let referrals = 0
    simulate(model, makeStreams(5), (e) => {
      if (e._tag === "ChildReferred") referrals++
    })
    const expected = perDay * model.calendar.horizon
    expect(Math.abs(referrals - expected), `${referrals} referrals, expected ${expected.toFixed(1)}`).toBeLessThan(
      4 * Math.sqrt(expected)
    )
  })
})
