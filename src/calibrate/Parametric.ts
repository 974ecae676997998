/**
 * Parametric laws for time in care fitted by maximum likelihood to left-truncated, right-censored
 * observations (the same `Observation`s as Kaplan-Meier): the exponential, in closed form, and the Weibull,
 * by maximising the likelihood profiled over the scale (for a given shape the scale has a closed form).
 * Each fit gives its log-likelihood and AIC, so the choice between them (and against the Kaplan-Meier curve
 * itself) can be reported; intervals come from the observed information (the Weibull's, on the log scale
 * of shape and scale, by finite differences).
 *
 * With entry a, exit t and event d (0 or 1), a subject contributes d log h(t) + log S(t) - log S(a): the
 * likelihood conditional on being in care at a, which is what left truncation asks.
 */
import { poissonRate } from "./Poisson.js"
import { type Observation, Z95 } from "./Survival.js"

export interface Fitted {
  readonly value: number
  readonly lower: number
  readonly upper: number
}

export interface ExponentialFit {
  readonly mean: Fitted
  readonly logLikelihood: number
  readonly aic: number
  readonly events: number
}

export interface WeibullFit {
  readonly shape: Fitted
  readonly scale: Fitted
  readonly median: Fitted
  readonly logLikelihood: number
  readonly aic: number
  readonly events: number
}

/** The exponential law: mean = time at risk / events; its interval the exact Poisson one of the rate. */
export const fitExponential = (obs: ReadonlyArray<Observation>): ExponentialFit | null => {
  let d = 0
  let time = 0
  for (const o of obs) {
    if (o.cause > 0) d++
    time += o.exit - o.entry
  }
  if (d === 0 || !(time > 0)) return null
  const rate = poissonRate(d, time)
  if (rate === null) return null
  const ll = d * Math.log(rate.value) - rate.value * time
  return {
    mean: { value: 1 / rate.value, lower: 1 / rate.upper, upper: 1 / rate.lower },
    logLikelihood: ll,
    aic: 2 - 2 * ll,
    events: d
  }
}

/** Observations as arrays: log exit, log entry (NaN when 0) and the event, for the fits' inner loops. */
interface Columns {
  readonly logExit: Float64Array
  readonly logEntry: Float64Array
  readonly event: Uint8Array
  readonly events: number
  readonly sumLogT: number
}

const columns = (obs: ReadonlyArray<Observation>): Columns => {
  const n = obs.length
  const logExit = new Float64Array(n)
  const logEntry = new Float64Array(n)
  const event = new Uint8Array(n)
  let events = 0
  let sumLogT = 0
  for (let i = 0; i < n; i++) {
    const o = obs[i]
    logExit[i] = Math.log(o.exit)
    logEntry[i] = o.entry > 0 ? Math.log(o.entry) : NaN
    if (o.cause > 0) {
      event[i] = 1
      events++
      sumLogT += logExit[i]
    }
  }
  return { logExit, logEntry, event, events, sumLogT }
}

/** sum over subjects of t^k - a^k (the cumulative hazard at scale 1). */
const cumulative = (c: Columns, k: number): number => {
  let s = 0
  for (let i = 0; i < c.logExit.length; i++) {
    s += Math.exp(k * c.logExit[i])
    const a = c.logEntry[i]
    if (a === a) s -= Math.exp(k * a)
  }
  return s
}

/** The Weibull log-likelihood at log shape `lk`, log scale `ll`. */
const weibullLogLik = (c: Columns, lk: number, ll: number): number => {
  const k = Math.exp(lk)
  return c.events * (lk - k * ll) + (k - 1) * c.sumLogT - Math.exp(-k * ll) * cumulative(c, k)
}

/**
 * The Weibull law S(t) = exp(-(t / scale)^shape), fitted by maximum likelihood. Null without events, or
 * when the shape runs off to the edge of [0.02, 50] (the data fit no Weibull law).
 */
export const fitWeibull = (obs: ReadonlyArray<Observation>, z: number = Z95): WeibullFit | null => {
  const c = columns(obs)
  const d = c.events
  if (d === 0) return null
  // For shape k the scale's best value: scale^k = sum(t^k - a^k) / d. The profile, maximised over log k:
  // d log k - d log(sum / d) + (k - 1) sum(log t) - d.
  const logScaleFor = (k: number): number => (Math.log(cumulative(c, k)) - Math.log(d)) / k
  const profile = (lk: number): number => {
    const k = Math.exp(lk)
    return d * lk - d * (Math.log(cumulative(c, k)) - Math.log(d)) + (k - 1) * c.sumLogT - d
  }
  // Golden-section search on log k (the profile is unimodal in practice).
  let lo = Math.log(0.02)
  let hi = Math.log(50)
  const g = (Math.sqrt(5) - 1) / 2
  let x1 = hi - g * (hi - lo)
  let x2 = lo + g * (hi - lo)
  let f1 = profile(x1)
  let f2 = profile(x2)
  for (let i = 0; i < 200 && hi - lo > 1e-9; i++) {
    if (f1 < f2) {
      lo = x1
      x1 = x2
      f1 = f2
      x2 = lo + g * (hi - lo)
      f2 = profile(x2)
    } else {
      hi = x2
      x2 = x1
      f2 = f1
      x1 = hi - g * (hi - lo)
      f1 = profile(x1)
    }
  }
  const lk = (lo + hi) / 2
  if (lk < Math.log(0.02) + 1e-6 || lk > Math.log(50) - 1e-6) return null
  const ll = logScaleFor(Math.exp(lk))
  const logLik = weibullLogLik(c, lk, ll)
  // Observed information on (log k, log scale) by central differences; its inverse the covariance.
  const h = 1e-4
  const f = (a: number, b: number) => weibullLogLik(c, a, b)
  const f0 = logLik
  const haa = (f(lk + h, ll) - 2 * f0 + f(lk - h, ll)) / (h * h)
  const hbb = (f(lk, ll + h) - 2 * f0 + f(lk, ll - h)) / (h * h)
  const hab = (f(lk + h, ll + h) - f(lk + h, ll - h) - f(lk - h, ll + h) + f(lk - h, ll - h)) / (4 * h * h)
  const det = haa * hbb - hab * hab
  if (!(det > 0) || !(haa < 0)) return null
  const vaa = -hbb / det
  const vbb = -haa / det
  const vab = hab / det
  const interval = (v: number, variance: number): Fitted => {
    const se = Math.sqrt(Math.max(0, variance))
    return { value: Math.exp(v), lower: Math.exp(v - z * se), upper: Math.exp(v + z * se) }
  }
  // log median = log scale + log(ln 2) / k: its gradient in (log k, log scale) is (-log(ln 2) / k, 1).
  const k = Math.exp(lk)
  const ga = -Math.log(Math.LN2) / k
  const logMedian = ll + Math.log(Math.LN2) / k
  return {
    shape: interval(lk, vaa),
    scale: interval(ll, vbb),
    median: interval(logMedian, ga * ga * vaa + 2 * ga * vab + vbb),
    logLikelihood: logLik,
    aic: 4 - 2 * logLik,
    events: d
  }
}
