/**
 * Parametric laws for time in care fitted by maximum likelihood to left-truncated, right-censored
 * observations (the same `Observation`s as Kaplan-Meier): the exponential, in closed form, and the Weibull,
 * by maximising the likelihood profiled over the scale (for a given shape the scale has a closed form).
 * Each fit gives its log-likelihood and AIC, so the choice between them (and against the Kaplan-Meier curve
 * itself) can be reported; intervals come from the observed information (the Weibull's, on the log scale
 * of shape and scale, from the likelihood's analytic second derivatives).
 *
 * The Weibull's maximum is found to the last few bits (a golden-section search, then Newton's method on the
 * profile's analytic score), not merely to the search's tolerance: the fit then depends on the data alone,
 * not on the last bit of `Math.exp` in a given JavaScript engine, so the page and the command line (Node and
 * browsers ship different engines) print the same figures.
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

/** Sums over subjects of t^k - a^k (the cumulative hazard at scale 1) and of its first two derivatives in k. */
interface Moments {
  readonly c0: number
  readonly c1: number
  readonly c2: number
}

const moments = (c: Columns, k: number): Moments => {
  let c0 = 0
  let c1 = 0
  let c2 = 0
  for (let i = 0; i < c.logExit.length; i++) {
    const lt = c.logExit[i]
    const tk = Math.exp(k * lt)
    c0 += tk
    c1 += tk * lt
    c2 += tk * lt * lt
    const la = c.logEntry[i]
    if (la === la) {
      const ak = Math.exp(k * la)
      c0 -= ak
      c1 -= ak * la
      c2 -= ak * la * la
    }
  }
  return { c0, c1, c2 }
}

/** The Weibull log-likelihood at log shape `lk`, log scale `ll`. */
const weibullLogLik = (c: Columns, lk: number, ll: number): number => {
  const k = Math.exp(lk)
  return c.events * (lk - k * ll) + (k - 1) * c.sumLogT - Math.exp(-k * ll) * moments(c, k).c0
}

export const fitWeibull = (obs: ReadonlyArray<Observation>, z: number = Z95): WeibullFit | null => {
  const c = columns(obs)
  const d = c.events
  if (d === 0) return null
  // For shape k the scale's best value: scale^k = sum(t^k - a^k) / d. The profile, maximised over u = log k:
  // P(u) = d u - d log(C0 / d) + (k - 1) sum(log t) - d, with score P'(u) = d - d k C1 / C0 + k sum(log t)
  // and P''(u) = k sum(log t) - d k C1 / C0 - d k^2 (C2 / C0 - (C1 / C0)^2).
  const logScaleFor = (k: number): number => (Math.log(moments(c, k).c0) - Math.log(d)) / k
  const profile = (lk: number): number => {
    const k = Math.exp(lk)
    return d * lk - d * (Math.log(moments(c, k).c0) - Math.log(d)) + (k - 1) * c.sumLogT - d
  }
  // Golden-section search on log k (the profile is unimodal in practice) to near the maximum ...
  const edgeLo = Math.log(0.02)
  const edgeHi = Math.log(50)
  let lo = edgeLo
  let hi = edgeHi
  const g = (Math.sqrt(5) - 1) / 2
  let x1 = hi - g * (hi - lo)
  let x2 = lo + g * (hi - lo)
  let f1 = profile(x1)
  let f2 = profile(x2)
  for (let i = 0; i < 200 && hi - lo > 1e-6; i++) {
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
  let lk = (lo + hi) / 2
  // ... then Newton's method on the score, which converges to the root to within rounding, where comparing
  // profile values (flat at the top) cannot. Kept inside a bracket around the search's interval.
  const bracketLo = lo - 1e-3
  const bracketHi = hi + 1e-3
  for (let i = 0; i < 50; i++) {
    const k = Math.exp(lk)
    const m = moments(c, k)
    const r1 = m.c1 / m.c0
    const score = d - d * k * r1 + k * c.sumLogT
    const curvature = k * c.sumLogT - d * k * r1 - d * k * k * (m.c2 / m.c0 - r1 * r1)
    if (!(curvature < 0)) break
    const next = Math.min(bracketHi, Math.max(bracketLo, lk - score / curvature))
    if (next === lk) break
    const step = Math.abs(next - lk)
    lk = next
    if (step <= 4 * Number.EPSILON * Math.max(1, Math.abs(lk))) break
  }
  if (lk < edgeLo + 1e-6 || lk > edgeHi - 1e-6) return null
  const k = Math.exp(lk)
  const ll = logScaleFor(k)
  const logLik = weibullLogLik(c, lk, ll)
  // Observed information on (u = log k, v = log scale), analytic. With E = exp(-k v) and the moments at k:
  // l = d u - d k v + (k - 1) sum(log t) - E C0.
  const m = moments(c, k)
  const e = Math.exp(-k * ll)
  const huu =
    -d * k * ll +
    k * c.sumLogT +
    ll * k * e * m.c0 -
    k * k * ll * ll * e * m.c0 +
    2 * k * k * ll * e * m.c1 -
    k * e * m.c1 -
    k * k * e * m.c2
  const hvv = -k * k * e * m.c0
  const huv = -d * k + k * e * m.c0 - k * k * ll * e * m.c0 + k * k * e * m.c1
  const det = huu * hvv - huv * huv
  if (!(det > 0) || !(huu < 0)) return null
  const vaa = -hvv / det
  const vbb = -huu / det
  const vab = huv / det
  const interval = (v: number, variance: number): Fitted => {
    const se = Math.sqrt(Math.max(0, variance))
    return { value: Math.exp(v), lower: Math.exp(v - z * se), upper: Math.exp(v + z * se) }
  }
  // log median = log scale + log(ln 2) / k: its gradient in (log k, log scale) is (-log(ln 2) / k, 1).
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
