/**
 * Survival estimators for time in care, pure and synchronous: Kaplan-Meier with right censoring and left
 * truncation, Greenwood's variance and 95% intervals on the log scale (R `survival`'s defaults), medians as
 * R reads them from the curve; and exit routes as competing risks, the Aalen-Johansen cumulative incidence
 * of each route, with its delta-method variance.
 *
 * Each observation is a subject seen from `entry` to `exit` on the analysis time scale (days since a period
 * of care began): left-truncated when `entry` > 0 (the period began before the data window), right-censored
 * when no event is seen at `exit`. A subject is at risk at time t when entry < t <= exit, R's counting
 * process convention for `Surv(entry, exit, event)`.
 */
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile"

/** The normal quantile of a two-sided 95% interval (1.959964...). */
export const Z95: number = normalQuantile(0.975, 0, 1)

export interface Observation {
  readonly entry: number
  readonly exit: number
  /** The event seen at `exit`: 0 = none (censored), 1..k = the cause (for Kaplan-Meier any cause > 0). */
  readonly cause: number
}

/** One step of an estimated curve: at `time`, `atRisk` subjects and `events` events. */
export interface Step {
  readonly time: number
  readonly atRisk: number
  readonly events: number
  readonly censored: number
  /** S(t) just after `time`. */
  readonly survival: number
  /** Greenwood's sum up to `time`: sum of d / (n (n - d)); Infinity once S reaches 0. */
  readonly greenwood: number
  readonly lower: number
  readonly upper: number
}

export interface KaplanMeier {
  readonly steps: ReadonlyArray<Step>
  readonly observations: number
  readonly events: number
}

/** Distinct times at which something happens, with counts, over observations sorted once. */
interface Sweep {
  readonly times: Float64Array
  readonly atRisk: Float64Array
  /** Events by cause (row per time, `causes + 1` columns; column 0 all events). */
  readonly events: Float64Array
  readonly censored: Float64Array
}

/** `causeOf` reads an observation's cause (its own, unless the caller counts causes otherwise). */
const sweep = (
  obs: ReadonlyArray<Observation>,
  causes: number,
  causeOf: (o: Observation) => number = (o) => o.cause
): Sweep => {
  const n = obs.length
  const entries = new Float64Array(n)
  const order = new Array<number>(n)
  for (let i = 0; i < n; i++) {
    entries[i] = obs[i].entry
    order[i] = i
    if (!(obs[i].exit > obs[i].entry)) throw new Error(`observation ${i}: exit ${obs[i].exit} <= entry ${obs[i].entry}`)
  }
  entries.sort()
  order.sort((a, b) => obs[a].exit - obs[b].exit)
  const times: Array<number> = []
  const atRisk: Array<number> = []
  const events: Array<number> = []
  const censored: Array<number> = []
  let ie = 0
  let ix = 0
  while (ix < n) {
    const t = obs[order[ix]].exit
    while (ie < n && entries[ie] < t) ie++
    // Those whose exit is t are still at risk at t: at risk = entered before t, minus exited before t.
    const risk = ie - ix
    const row = new Array<number>(causes + 1).fill(0)
    let c = 0
    while (ix < n && obs[order[ix]].exit === t) {
      const k = causeOf(obs[order[ix]])
      if (k > 0) {
        row[0]++
        if (k <= causes) row[k]++
      } else c++
      ix++
    }
    times.push(t)
    atRisk.push(risk)
    events.push(...row)
    censored.push(c)
  }
  return {
    times: Float64Array.from(times),
    atRisk: Float64Array.from(atRisk),
    events: Float64Array.from(events),
    censored: Float64Array.from(censored)
  }
}

/** Kaplan-Meier of the observations (any cause > 0 an event), with Greenwood 95% intervals on the log scale. */
export const kaplanMeier = (obs: ReadonlyArray<Observation>, z: number = Z95): KaplanMeier => {
  // Any cause the one cause (read as such, not as a copy of every observation: a period's, in all breakdowns).
  const s = sweep(obs, 1, (o) => (o.cause > 0 ? 1 : 0))
  const steps: Array<Step> = []
  let surv = 1
  let gw = 0
  let total = 0
  for (let j = 0; j < s.times.length; j++) {
    const n = s.atRisk[j]
    const d = s.events[j * 2]
    total += d
    if (d > 0) {
      surv *= 1 - d / n
      gw += n === d ? Infinity : d / (n * (n - d))
    }
    const se = Math.sqrt(gw)
    const lower = surv === 0 || !Number.isFinite(se) ? 0 : surv * Math.exp(-z * se)
    const upper = surv === 0 || !Number.isFinite(se) ? 0 : Math.min(1, surv * Math.exp(z * se))
    steps.push({
      time: s.times[j],
      atRisk: n,
      events: d,
      censored: s.censored[j],
      survival: surv,
      greenwood: gw,
      lower,
      upper
    })
  }
  return { steps, observations: obs.length, events: total }
}

/** S(t) read off a curve (1 before the first step). */
export const survivalAt = (km: KaplanMeier, t: number): Step | null => {
  let found: Step | null = null
  for (const st of km.steps) {
    if (st.time > t) break
    found = st
  }
  return found
}

const EPS = 1e-12

/**
 * The time a curve first falls to `p` or below, as R's `quantile.survfit` reads it: where the curve is
 * exactly `p` over an interval, the middle of that interval; null if it never falls that far.
 */
const crossing = (steps: ReadonlyArray<Step>, value: (s: Step) => number, p: number): number | null => {
  for (let j = 0; j < steps.length; j++) {
    const v = value(steps[j])
    if (Math.abs(v - p) < EPS) {
      for (let k = j + 1; k < steps.length; k++)
        if (value(steps[k]) < v - EPS) return (steps[j].time + steps[k].time) / 2
      return null
    }
    if (v < p) return steps[j].time
  }
  return null
}

/** The median (or another quantile: 0.25 = a quarter have had the event) with its 95% interval. */
export const quantile = (
  km: KaplanMeier,
  q: number = 0.5
): { readonly value: number | null; readonly lower: number | null; readonly upper: number | null } => {
  const steps = km.steps.filter((s) => s.events > 0)
  const p = 1 - q
  return {
    value: crossing(steps, (s) => s.survival, p),
    lower: crossing(steps, (s) => s.lower, p),
    upper: crossing(steps, (s) => s.upper, p)
  }
}

/** The cumulative incidence of one cause at a time, with its 95% interval. */
export interface Incidence {
  readonly cause: number
  readonly value: number
  readonly variance: number
  readonly lower: number
  readonly upper: number
  /** Events of this cause up to the time. */
  readonly events: number
}

export interface CompetingRisks {
  readonly observations: number
  readonly causes: number
  /** The cumulative incidence of each cause (1..causes) at `t`. */
  readonly at: (t: number) => ReadonlyArray<Incidence>
}

/**
 * Aalen-Johansen estimates of the cumulative incidence of causes 1..`causes` (0 = censored), with the
 * delta-method variance of Marubini and Valsecchi (1995, "Analysing survival data from clinical trials and
 * observational studies", section 10.2) and 95% intervals on the log scale (as R `survival` gives for
 * `survfit` on a multi-state outcome without `id`), clipped to [0, 1].
 */
export const aalenJohansen = (obs: ReadonlyArray<Observation>, causes: number, z: number = Z95): CompetingRisks => {
  const s = sweep(obs, causes)
  const T = s.times.length
  const w = causes + 1
  // S(t-) before each time, and the cumulative incidences after it.
  const before = new Float64Array(T)
  const cif = new Float64Array(T * w)
  let surv = 1
  for (let j = 0; j < T; j++) {
    before[j] = surv
    const n = s.atRisk[j]
    for (let k = 1; k <= causes; k++)
      cif[j * w + k] = (j > 0 ? cif[(j - 1) * w + k] : 0) + (n > 0 ? (surv * s.events[j * w + k]) / n : 0)
    const d = s.events[j * w]
    if (d > 0) surv *= 1 - d / n
  }
  const at = (t: number): ReadonlyArray<Incidence> => {
    let last = -1
    while (last + 1 < T && s.times[last + 1] <= t) last++
    const out: Array<Incidence> = []
    for (let k = 1; k <= causes; k++) {
      const F = last < 0 ? 0 : cif[last * w + k]
      let a = 0
      let b = 0
      let c = 0
      let events = 0
      for (let j = 0; j <= last; j++) {
        const n = s.atRisk[j]
        const d = s.events[j * w]
        const dk = s.events[j * w + k]
        events += dk
        if (d === 0) continue
        const diff = F - cif[j * w + k]
        a += n > d ? (diff * diff * d) / (n * (n - d)) : 0
        b += (before[j] * before[j] * dk * (n - dk)) / (n * n * n)
        c += (diff * before[j] * dk) / (n * n)
      }
      const variance = Math.max(0, a + b - 2 * c)
      const se = Math.sqrt(variance)
      const lower = F <= 0 ? 0 : Math.max(0, F * Math.exp((-z * se) / F))
      const upper = F <= 0 ? 0 : Math.min(1, F * Math.exp((z * se) / F))
      out.push({ cause: k, value: F, variance, lower, upper, events })
    }
    return out
  }
  return { observations: obs.length, causes, at }
}
