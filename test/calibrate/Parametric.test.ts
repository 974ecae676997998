/**
 * The parametric fits against R: the same 80 left-truncated, censored periods as the Kaplan-Meier test
 * (fixtures/survival.json), fitted in R by `optim` on the conditional log-likelihood (R's `survreg` has no
 * left truncation), and the exponential in closed form; and the Weibull recovering a known law from
 * synthetic returns' periods.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { fitExponential, fitWeibull } from "../../src/calibrate/Parametric.js"
import type { Observation } from "../../src/calibrate/Survival.js"

const ref = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, "fixtures/survival.json"), "utf8")) as {
  readonly entry: ReadonlyArray<number>
  readonly exit: ReadonlyArray<number>
  readonly cause: ReadonlyArray<number>
  readonly weibull: Record<"shape" | "scale" | "se_log_shape" | "se_log_scale" | "loglik", number>
  readonly exponential: Record<"mean" | "loglik", number>
}
const data: Array<Observation> = ref.entry.map((entry, i) => ({ entry, exit: ref.exit[i], cause: ref.cause[i] }))
const near = (x: number, y: number, rel: number) => expect(Math.abs(x / y - 1)).toBeLessThan(rel)

describe("fitExponential", () => {
  it("gives R's mean and log-likelihood; its interval is the exact Poisson one of the rate", () => {
    const f = fitExponential(data)
    near(f?.mean.value ?? NaN, ref.exponential.mean, 1e-12)
    near(f?.logLikelihood ?? NaN, ref.exponential.loglik, 1e-12)
    expect(f?.mean.lower).toBeLessThan(ref.exponential.mean)
    expect(f?.mean.upper).toBeGreaterThan(ref.exponential.mean)
  })
})

describe("fitWeibull", () => {
  it("gives R's maximum-likelihood shape, scale, log-likelihood and (within 2%) standard errors", () => {
    const f = fitWeibull(data)
    expect(f).not.toBeNull()
    if (f === null) return
    near(f.shape.value, ref.weibull.shape, 1e-5)
    near(f.scale.value, ref.weibull.scale, 1e-5)
    near(f.logLikelihood, ref.weibull.loglik, 1e-9)
    near(Math.log(f.shape.upper / f.shape.value) / 1.959964, ref.weibull.se_log_shape, 0.02)
    near(Math.log(f.scale.upper / f.scale.value) / 1.959964, ref.weibull.se_log_scale, 0.02)
    // The Weibull nests the exponential: never a lower likelihood.
    expect(f.logLikelihood).toBeGreaterThanOrEqual(fitExponential(data)?.logLikelihood ?? Infinity)
  })

  it("recovers a known Weibull law from left-truncated, censored draws", () => {
    // Shape 1.5, scale 400: periods begun at random times before a window [0, 2000), seen within it.
    let seed = 7
    const u = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646
    const obs: Array<Observation> = []
    while (obs.length < 4000) {
      const start = -3000 + u() * 5000
      const length = 400 * Math.pow(-Math.log(1 - u()), 1 / 1.5)
      const end = start + length
      if (end <= 0 || start >= 2000) continue
      const entry = Math.max(0, -start)
      const stop = Math.min(end, 2000) - start
      obs.push({ entry, exit: stop, cause: end <= 2000 ? 1 : 0 })
    }
    const f = fitWeibull(obs)
    for (const [fit, truth] of [
      [f?.shape, 1.5],
      [f?.scale, 400]
    ] as const) {
      expect(fit?.lower).toBeLessThan(truth)
      expect(fit?.upper).toBeGreaterThan(truth)
    }
    near(f?.median.value ?? NaN, 400 * Math.pow(Math.LN2, 1 / 1.5), 0.05)
  })

  it("finds the maximum to within rounding: the same figures whatever the order the sums are taken in", () => {
    // A different order rounds the sums differently, as another engine's Math.exp does in its last bit; the
    // page and the command line print 10 significant figures of these, and must print the same ones.
    const shuffled = data.map((o, i) => ({ o, key: (i * 7919) % data.length })).sort((a, b) => a.key - b.key)
    for (const other of [[...data].reverse(), shuffled.map((s) => s.o)]) {
      const [f, g] = [fitWeibull(data), fitWeibull(other)]
      for (const pick of [(w: typeof f) => w?.shape, (w: typeof f) => w?.scale, (w: typeof f) => w?.median]) {
        for (const bound of ["value", "lower", "upper"] as const)
          near(pick(g)?.[bound] ?? NaN, pick(f)?.[bound] ?? 0, 1e-12)
      }
    }
  })

  it("has no fit without events", () => {
    expect(fitWeibull([{ entry: 0, exit: 5, cause: 0 }])).toBeNull()
    expect(fitExponential([{ entry: 0, exit: 5, cause: 0 }])).toBeNull()
  })
})
