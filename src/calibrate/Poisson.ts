/**
 * Counts per time at risk: exact (Garwood) 95% intervals for a Poisson rate, and a log-linear Poisson
 * regression of yearly counts on the year (a trend), fitted by iteratively reweighted least squares as R's
 * `glm(count ~ year, family = poisson, offset = log(exposure))` fits it, with the dispersion reported and,
 * when the counts vary more than a Poisson law allows, the interval widened by it (quasi-Poisson).
 */
import gammaQuantile from "@stdlib/stats-base-dists-gamma-quantile"
import tQuantile from "@stdlib/stats-base-dists-t-quantile"
import { Z95 } from "./Survival.js"

export interface Interval {
  readonly value: number
  readonly lower: number
  readonly upper: number
}

/**
 * The rate `count / exposure` with its exact 95% interval (Garwood 1936): the gamma quantiles of the count
 * (lower bound 0 for a count of 0). Null when there is no exposure.
 */
export const poissonRate = (count: number, exposure: number): Interval | null => {
  if (!(exposure > 0)) return null
  const lower = count === 0 ? 0 : gammaQuantile(0.025, count, 1) / exposure
  const upper = gammaQuantile(0.975, count + 1, 1) / exposure
  return { value: count / exposure, lower, upper }
}

export interface Trend {
  /** The fitted yearly rate in the latest year. */
  readonly latest: Interval
  /** The rate's ratio from one year to the next (1.05 = rising 5% a year). */
  readonly ratio: Interval
  /** Pearson's chi-squared over its degrees of freedom: about 1 for Poisson counts. */
  readonly dispersion: number
  /** Whether the interval was widened by the dispersion (quasi-Poisson, t quantiles). */
  readonly quasi: boolean
  readonly years: number
  readonly count: number
}

/**
 * The log-linear trend of `counts[i]` over `exposure[i]` (years at risk) in years `year[i]`. Needs at least
 * three years with some exposure, and a count in at least one; otherwise null.
 */
export const poissonTrend = (
  year: ReadonlyArray<number>,
  counts: ReadonlyArray<number>,
  exposure: ReadonlyArray<number>
): Trend | null => {
  const idx = year.map((_, i) => i).filter((i) => exposure[i] > 0)
  const total = idx.reduce((s, i) => s + counts[i], 0)
  if (idx.length < 3 || total === 0) return null
  const mean = idx.reduce((s, i) => s + year[i], 0) / idx.length
  const x = idx.map((i) => year[i] - mean)
  const y = idx.map((i) => counts[i])
  const off = idx.map((i) => Math.log(exposure[i]))
  const expTotal = idx.reduce((s, i) => s + exposure[i], 0)
  let a = Math.log(total / expTotal)
  let b = 0
  for (let iter = 0; iter < 100; iter++) {
    // Newton's method on the log-likelihood (the same steps as IRLS for the canonical log link).
    let g0 = 0
    let g1 = 0
    let h00 = 0
    let h01 = 0
    let h11 = 0
    for (let k = 0; k < x.length; k++) {
      const mu = Math.exp(a + b * x[k] + off[k])
      g0 += y[k] - mu
      g1 += (y[k] - mu) * x[k]
      h00 += mu
      h01 += mu * x[k]
      h11 += mu * x[k] * x[k]
    }
    const det = h00 * h11 - h01 * h01
    if (!(det > 0)) return null
    const da = (h11 * g0 - h01 * g1) / det
    const db = (h00 * g1 - h01 * g0) / det
    a += da
    b += db
    if (Math.abs(da) < 1e-12 && Math.abs(db) < 1e-12) break
  }
  // The information at the solution.
  let h00 = 0
  let h01 = 0
  let h11 = 0
  let pearson = 0
  for (let k = 0; k < x.length; k++) {
    const mu = Math.exp(a + b * x[k] + off[k])
    h00 += mu
    h01 += mu * x[k]
    h11 += mu * x[k] * x[k]
    pearson += ((y[k] - mu) * (y[k] - mu)) / mu
  }
  const info = [h00, h01, h11]
  const det = info[0] * info[2] - info[1] * info[1]
  const df = x.length - 2
  const dispersion = pearson / df
  const quasi = dispersion > 1
  const scale = quasi ? dispersion : 1
  const q = quasi ? tQuantile(0.975, df) : Z95
  const varB = (info[0] / det) * scale
  const seB = Math.sqrt(varB)
  // The latest year's fitted log rate: a + b x_last, its variance from the inverse information.
  const last = x.length - 1
  const xl = x[last]
  const varLatest = ((info[2] - 2 * xl * info[1] + xl * xl * info[0]) / det) * scale
  const eta = a + b * xl
  return {
    latest: {
      value: Math.exp(eta),
      lower: Math.exp(eta - q * Math.sqrt(varLatest)),
      upper: Math.exp(eta + q * Math.sqrt(varLatest))
    },
    ratio: { value: Math.exp(b), lower: Math.exp(b - q * seB), upper: Math.exp(b + q * seB) },
    dispersion,
    quasi,
    years: x.length,
    count: total
  }
}
