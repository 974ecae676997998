/**
 * Duration distributions (in days), compiled from a scenario's description.
 *
 * Each distribution samples by inverse transform where it can (one uniform per draw keeps common random
 * numbers aligned between scenarios) and exposes its CDF and quantile, which `sampleBeyond` uses to draw
 * the remaining time of a child who has already spent `elapsed` days at a level: D | D > elapsed. That is
 * what makes a starting caseload with time already spent behave correctly when durations are not
 * memoryless.
 */
import gammaFn from "@stdlib/math-base-special-gamma"
import gammaCdf from "@stdlib/stats-base-dists-gamma-cdf"
import gammaQuantile from "@stdlib/stats-base-dists-gamma-quantile"
import normalCdf from "@stdlib/stats-base-dists-normal-cdf"
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile"
import type { Uniform } from "./Streams.js"

export interface Distribution {
  readonly kind: string
  /** Mean in days. */
  readonly mean: number
  readonly sample: (u: Uniform) => number
  /**
   * Draws from `u` exactly what `sample` would, without working out the value: for when the value is not
   * needed but the stream must move on as if it had been drawn (so later draws stay in step).
   */
  readonly skip: (u: Uniform) => void
  readonly cdf: (x: number) => number
  readonly quantile: (p: number) => number
}

/** `skip` for a distribution sampled by inverse transform: one draw. */
const drawOne = (u: Uniform): void => {
  u()
}

/** The smallest positive uniform we feed to a quantile function (alea can return exactly 0). */
const TINY = 2 ** -53
const open01 = (u: number): number => (u <= 0 ? TINY : u)

export const exponential = (mean: number): Distribution => ({
  kind: "exponential",
  mean,
  sample: (u) => -mean * Math.log(1 - u()),
  skip: drawOne,
  cdf: (x) => (x <= 0 ? 0 : 1 - Math.exp(-x / mean)),
  quantile: (p) => -mean * Math.log(1 - p)
})

/** Gamma with the given shape and mean. Sampled by Marsaglia and Tsang's method (fast, exact). */
export const gamma = (shape: number, mean: number): Distribution => {
  const scale = mean / shape
  const rate = 1 / scale
  const boost = shape < 1
  const a = boost ? shape + 1 : shape
  const d = a - 1 / 3
  const c = 1 / Math.sqrt(9 * d)
  const sample = (u: Uniform): number => {
    for (;;) {
      const x = normalQuantile(open01(u()), 0, 1)
      let v = 1 + c * x
      if (v <= 0) continue
      v = v * v * v
      const w = open01(u())
      const x2 = x * x
      if (w < 1 - 0.0331 * x2 * x2 || Math.log(w) < 0.5 * x2 + d * (1 - v + Math.log(v))) {
        const g = d * v * scale
        return boost ? g * Math.pow(open01(u()), 1 / shape) : g
      }
    }
  }
  return {
    kind: "gamma",
    mean,
    sample,
    // The number of draws depends on the values drawn (rejection sampling).
    skip: (u) => {
      sample(u)
    },
    cdf: (x) => (x <= 0 ? 0 : gammaCdf(x, shape, rate)),
    quantile: (p) => gammaQuantile(p, shape, rate)
  }
}

export const weibull = (shape: number, scale: number): Distribution => ({
  kind: "weibull",
  mean: scale * gammaFn(1 + 1 / shape),
  sample: (u) => scale * Math.pow(-Math.log(1 - u()), 1 / shape),
  skip: drawOne,
  cdf: (x) => (x <= 0 ? 0 : 1 - Math.exp(-Math.pow(x / scale, shape))),
  quantile: (p) => scale * Math.pow(-Math.log(1 - p), 1 / shape)
})

/** Lognormal given by its mean and standard deviation (the figures councils publish). */
export const lognormal = (mean: number, sd: number): Distribution => {
  const sigma2 = Math.log(1 + (sd * sd) / (mean * mean))
  const sigma = Math.sqrt(sigma2)
  const mu = Math.log(mean) - sigma2 / 2
  return {
    kind: "lognormal",
    mean,
    sample: (u) => Math.exp(mu + sigma * normalQuantile(open01(u()), 0, 1)),
    skip: drawOne,
    cdf: (x) => (x <= 0 ? 0 : normalCdf(Math.log(x), mu, sigma)),
    quantile: (p) => Math.exp(mu + sigma * normalQuantile(open01(p), 0, 1))
  }
}

export const fixed = (value: number): Distribution => ({
  kind: "fixed",
  mean: value,
  sample: () => value,
  skip: () => {},
  cdf: (x) => (x < value ? 0 : 1),
  quantile: () => value
})

/**
 * An empirical table: the share of durations ending in each bin (from the previous bin's upper edge, or
 * `from`, to this one's), uniform within a bin. E.g. CP plans: 19% within 3 months, 42% at 6-12 months.
 */
export const empirical = (
  from: number,
  bins: ReadonlyArray<{ readonly upTo: number; readonly share: number }>
): Distribution => {
  const n = bins.length
  const lower = new Float64Array(n)
  const upper = new Float64Array(n)
  const cum = new Float64Array(n) // cumulative share at each bin's upper edge
  const total = bins.reduce((s, b) => s + b.share, 0)
  let acc = 0
  let mean = 0
  for (let i = 0; i < n; i++) {
    lower[i] = i === 0 ? from : bins[i - 1].upTo
    upper[i] = bins[i].upTo
    const share = bins[i].share / total
    acc += share
    cum[i] = i === n - 1 ? 1 : acc
    mean += (share * (lower[i] + upper[i])) / 2
  }
  const quantile = (p: number): number => {
    let i = 0
    while (i < n - 1 && cum[i] <= p) i++
    const c0 = i === 0 ? 0 : cum[i - 1]
    const width = cum[i] - c0
    const f = width > 0 ? (p - c0) / width : 0
    return lower[i] + f * (upper[i] - lower[i])
  }
  return {
    kind: "empirical",
    mean,
    sample: (u) => quantile(u()),
    skip: drawOne,
    cdf: (x) => {
      if (x <= lower[0]) return 0
      for (let i = 0; i < n; i++) {
        if (x < upper[i]) {
          const c0 = i === 0 ? 0 : cum[i - 1]
          return c0 + ((cum[i] - c0) * (x - lower[i])) / (upper[i] - lower[i])
        }
      }
      return 1
    },
    quantile
  }
}

/**
 * Remaining time of a child who has already spent `elapsed` days: a draw from D | D > elapsed, minus
 * elapsed. Memoryless distributions take the fast path; where elapsed is beyond the support, 0 (the
 * episode ends at once).
 */
export const sampleBeyond = (d: Distribution, elapsed: number, u: Uniform): number => {
  if (elapsed <= 0) return d.sample(u)
  if (d.kind === "exponential") return d.sample(u)
  const f = d.cdf(elapsed)
  if (f >= 1 - 1e-12) return 0
  // Keep p below 1: far in a long tail, f + u (1 - f) can round to 1, whose quantile is Infinity.
  const p = Math.min(f + u() * (1 - f), 1 - 1e-12)
  return Math.max(0, d.quantile(p) - elapsed)
}

/** Draws from `u` exactly what `sampleBeyond(d, elapsed, u)` would, without working out the value. */
export const skipBeyond = (d: Distribution, elapsed: number, u: Uniform): void => {
  if (elapsed <= 0 || d.kind === "exponential") d.skip(u)
  else if (d.cdf(elapsed) < 1 - 1e-12) u()
}

/**
 * The stationary distribution of time already spent (the "age" of an episode in progress), with density
 * (1 - F(x)) / mean. Used when a scenario gives a starting caseload without saying how long each child has
 * been at their level. Built as a table of the integrated survival function, inverted by interpolation.
 */
export const equilibriumAge = (d: Distribution): Distribution => (d.kind === "exponential" ? d : equilibriumTables(d))

/**
 * `build` made once per distribution and kept while the distribution (its compiled model) lives: every run
 * and replication of a model shares what it builds.
 */
function perDistribution<T>(build: (d: Distribution) => T): (d: Distribution) => T {
  const made = new WeakMap<Distribution, T>()
  return (d) => {
    let t = made.get(d)
    if (t === undefined) {
      t = build(d)
      made.set(d, t)
    }
    return t
  }
}

const equilibriumTables = perDistribution((d) => buildEquilibriumAge(d))

const buildEquilibriumAge = (d: Distribution): Distribution => {
  const top = d.quantile(0.99999)
  const steps = 2000
  const xs = new Float64Array(steps + 1)
  const cum = new Float64Array(steps + 1)
  const h = top / steps
  // Trapezium rule on the survival function (each point's cdf worked out once: a cdf can be costly).
  let before = d.cdf(0)
  for (let i = 1; i <= steps; i++) {
    xs[i] = i * h
    const here = d.cdf(xs[i])
    cum[i] = cum[i - 1] + (h * (2 - before - here)) / 2
    before = here
  }
  const total = cum[steps]
  for (let i = 0; i <= steps; i++) cum[i] /= total
  let mean = 0
  for (let i = 1; i <= steps; i++) mean += ((cum[i] - cum[i - 1]) * (xs[i - 1] + xs[i])) / 2
  const quantile = (p: number): number => {
    let lo = 0
    let hi = steps
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1
      if (cum[mid] <= p) lo = mid
      else hi = mid
    }
    const w = cum[hi] - cum[lo]
    return xs[lo] + (w > 0 ? ((p - cum[lo]) / w) * h : 0)
  }
  const cdf = (x: number): number => {
    if (x <= 0) return 0
    if (x >= top) return 1
    const i = Math.min(steps - 1, Math.floor(x / h))
    return cum[i] + ((cum[i + 1] - cum[i]) * (x - xs[i])) / h
  }
  return { kind: `equilibrium-age(${d.kind})`, mean, sample: (u) => quantile(u()), skip: drawOne, cdf, quantile }
}

/**
 * `floor(max(d.quantile(u * d.cdf(room)), 0))` for a whole number of days `room` >= 1 and a uniform `u`:
 * a whole-day draw of D | D <= room, as sibling spacing uses it (src/engine/Families.ts). The result is
 * exactly the one the two functions would give, without calling the (costly, for a gamma) quantile at all
 * in almost every case: the cdf at whole days is tabulated once (the same calls, so the same doubles), a
 * binary search finds the day k with F(k) <= p < F(k + 1), and that is the answer whenever p is at least
 * `GUARD` from both edges and the quantile itself has been seen, once per edge, to put F(k) + GUARD at or
 * above k and F(k + 1) - GUARD below k + 1 (so a monotone quantile puts every p between them in [k, k + 1)).
 * Anything else (p near an edge, an edge that failed its check, a room that is not a whole number or past
 * the table) takes the exact path. Built once per distribution and shared, like the equilibrium tables.
 */
export const wholeDaysWithin: (d: Distribution) => (room: number, u: number) => number = perDistribution((d) =>
  buildWholeDaysWithin(d)
)

/** How near (in probability) to a day's edge p must be for the exact quantile to decide. */
const GUARD = 1e-9
/** The longest room tabulated (days): 50 years. */
const MAX_ROOM = 18_263

const buildWholeDaysWithin = (d: Distribution): ((room: number, u: number) => number) => {
  const exact = (room: number, u: number): number => Math.floor(Math.max(d.quantile(u * d.cdf(room)), 0))
  // cdf[k] = d.cdf(k), filled for k <= filled as rooms need them.
  const cdf = new Float64Array(MAX_ROOM + 1)
  let filled = -1
  // Each edge's check, 0 not yet made, 1 passed, 2 failed: above[k] for F(k) + GUARD, below[k] for F(k) - GUARD.
  const above = new Uint8Array(MAX_ROOM + 1)
  const below = new Uint8Array(MAX_ROOM + 1)
  const aboveOk = (k: number): boolean => {
    if (above[k] === 0) above[k] = d.quantile(cdf[k] + GUARD) >= k ? 1 : 2
    return above[k] === 1
  }
  const belowOk = (k: number): boolean => {
    if (below[k] === 0) below[k] = cdf[k] - GUARD >= 0 && d.quantile(cdf[k] - GUARD) < k ? 1 : 2
    return below[k] === 1
  }
  return (room, u) => {
    if (!(room >= 1 && room <= MAX_ROOM && Number.isInteger(room))) return exact(room, u)
    while (filled < room) {
      filled++
      cdf[filled] = d.cdf(filled)
    }
    const p = u * cdf[room]
    if (!(p >= 0 && p < cdf[room])) return exact(room, u)
    // The largest k < room with cdf[k] <= p (cdf[0] <= p unless the cdf is positive at 0).
    let lo = 0
    let hi = room
    if (!(cdf[0] <= p)) return exact(room, u)
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1
      if (cdf[mid] <= p) lo = mid
      else hi = mid
    }
    const k = lo
    if (p - cdf[k] < GUARD || cdf[k + 1] - p < GUARD || !aboveOk(k) || !belowOk(k + 1)) return exact(room, u)
    return k
  }
}
