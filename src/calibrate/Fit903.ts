/**
 * The parts of a scenario's `looked_after` level, fitted to children's histories of care (`ssda903/Clean.ts`)
 * in the form the model takes them: each value with the counts it rests on and how it was made, so that
 * `Scenario903.ts` can write it with a comment saying so.
 *
 *   - time in care by age band at entry: the exponential and Weibull laws fitted by maximum likelihood to the
 *     left-truncated, right-censored periods, the Weibull only if it improves the AIC by more than 2. A period
 *     ended by the 18th birthday is censored there: the model ends every stay at 18 itself, so counting those
 *     ends as events would end them twice;
 *   - how a stay ends, by age band at leaving: the share of each route among those leaving at ages in the
 *     band, as the ratio of the routes' cumulative cause-specific hazards over the band on the age scale
 *     (Nelson-Aalen, with left truncation at the age observation began and censoring at the age it ended).
 *     That is what the model's `outcomes` table is: the chance of each route for a child who leaves care at
 *     that age. Unlike shares of the closed periods, it does not over-count the routes of short stays when
 *     the window cuts long ones off. Leaving at 18 and unknown routes are left out (the model makes the
 *     first; the second says nothing);
 *   - placement on entry by age band at entry, placement moves and legal-status changes (per child-year in
 *     the state before, with the shares of where they go), legal status on entry by age band.
 */
import { EXIT_ROUTES, type ExitRoute, isShortBreak, type PlacementGroup } from "../ssda903/Codes.js"
import type { Episode, Histories, Period } from "../ssda903/Clean.js"
import { ageOn, type Subject, subjects, type Window } from "./Estimates.js"
import { fitExponential, fitWeibull } from "./Parametric.js"
import { kaplanMeier, type Observation } from "./Survival.js"

const YEAR = 365.25

/** The model's age bands at entry (DfE's), as inclusive whole years. */
export const MODEL_BANDS: ReadonlyArray<{ readonly label: string; readonly ages: readonly [number, number] }> = [
  { label: "under 1", ages: [0, 0] },
  { label: "1 to 4", ages: [1, 4] },
  { label: "5 to 9", ages: [5, 9] },
  { label: "10 to 15", ages: [10, 15] },
  { label: "16 and over", ages: [16, 17] }
]

export const bandIndex = (age: number): number => {
  for (let i = 0; i < MODEL_BANDS.length; i++) if (age <= MODEL_BANDS[i].ages[1]) return i
  return MODEL_BANDS.length - 1
}

/** The fewest ended periods a band's own law (or route shares) is fitted from; fewer: the all-ages one. */
export const MIN_EVENTS = 20

export interface LawFit {
  readonly law:
    | { readonly type: "exponential"; readonly mean: number }
    | { readonly type: "weibull"; readonly shape: number; readonly scale: number }
  readonly periods: number
  readonly events: number
  /** Censored at the 18th birthday. */
  readonly at18: number
  readonly aicExponential: number
  readonly aicWeibull: number
  /** The largest gap between the chosen law's survival curve and the Kaplan-Meier one. */
  readonly gap: number
  /** The mean (exponential) or shape (Weibull) with its 95% interval. */
  readonly interval: { readonly what: string; readonly value: number; readonly lower: number; readonly upper: number }
}

/** Time in care as the law the AIC prefers, the 18th birthday censored (null: no period ended). */
export const fitLaw = (subs: ReadonlyArray<Subject>): LawFit | null => {
  const at18 = subs.filter((s) => s.route === "turned_18").length
  const obs: Array<Observation> = subs.map((s) => (s.route === "turned_18" ? { ...s.obs, cause: 0 } : s.obs))
  const ex = fitExponential(obs)
  const wb = fitWeibull(obs)
  if (ex === null) return null
  const weibull = wb !== null && wb.aic < ex.aic - 2
  const km = kaplanMeier(obs)
  let gap = 0
  for (const st of km.steps) {
    if (st.events === 0) continue
    const s = weibull
      ? Math.exp(-Math.pow(st.time / wb.scale.value, wb.shape.value))
      : Math.exp(-st.time / ex.mean.value)
    gap = Math.max(gap, Math.abs(s - st.survival))
  }
  return {
    law: weibull
      ? { type: "weibull", shape: wb.shape.value, scale: wb.scale.value }
      : { type: "exponential", mean: ex.mean.value },
    periods: subs.length,
    events: ex.events,
    at18,
    aicExponential: ex.aic,
    aicWeibull: wb === null ? NaN : wb.aic,
    gap,
    interval: weibull
      ? { what: "shape", ...wb.shape }
      : { what: "mean (days)", value: ex.mean.value, lower: ex.mean.lower, upper: ex.mean.upper }
  }
}

/** Routes the model's outcome tables give (leaving at 18 is the model's own; unknown says nothing). */
export const TABLE_ROUTES: ReadonlyArray<ExitRoute> = EXIT_ROUTES.filter((r) => r !== "turned_18" && r !== "unknown")

export interface RouteShares {
  /** Share of each of `TABLE_ROUTES` (summing to 1), or null when nobody left by them. */
  readonly shares: ReadonlyArray<number> | null
  /** Periods ended by each route at ages in the band (all of `EXIT_ROUTES`). */
  readonly counts: ReadonlyArray<number>
  /** Periods observed in care at some age in the band. */
  readonly periods: number
}

/**
 * Route shares among children leaving care at ages [lo, hi] (whole years): each route's cumulative
 * cause-specific hazard over the band on the age scale, as a share of their sum.
 */
export const routeShares = (subs: ReadonlyArray<Subject>, lo: number, hi: number): RouteShares => {
  const spells: Array<{ readonly from: number; readonly to: number; readonly cause: number }> = []
  for (const s of subs) {
    if (s.child.dob === null) continue
    const origin = s.period.start - s.child.dob
    spells.push({ from: origin + s.obs.entry, to: origin + s.obs.exit, cause: s.obs.cause })
  }
  const counts = EXIT_ROUTES.map(() => 0)
  const hazard = EXIT_ROUTES.map(() => 0)
  // Ages in days: the band is [lo-th birthday, (hi + 1)-th birthday), approximated as 365.25 days a year.
  const from = lo * YEAR
  const to = (hi + 1) * YEAR
  const events = spells.filter((s) => s.cause > 0 && s.to >= from && s.to < to).sort((a, b) => a.to - b.to)
  const starts = spells.map((s) => s.from).sort((a, b) => a - b)
  const ends = spells.map((s) => s.to).sort((a, b) => a - b)
  let entered = 0
  let left = 0
  for (let k = 0; k < events.length;) {
    const t = events[k].to
    while (entered < starts.length && starts[entered] < t) entered++
    while (left < ends.length && ends[left] < t) left++
    const atRisk = entered - left
    let j = k
    while (j < events.length && events[j].to === t) j++
    for (let e = k; e < j; e++) {
      const c = events[e].cause - 1
      counts[c]++
      if (atRisk > 0) hazard[c] += 1 / atRisk
    }
    k = j
  }
  const kept = TABLE_ROUTES.map((r) => hazard[EXIT_ROUTES.indexOf(r)])
  const total = kept.reduce((a, b) => a + b, 0)
  return {
    shares: total > 0 ? kept.map((h) => h / total) : null,
    counts,
    periods: spells.filter((s) => s.to >= from && s.from < to).length
  }
}

/** Counts by a key, in first-seen order, and their total. */
export interface Mix<K extends string> {
  readonly counts: ReadonlyMap<K, number>
  readonly total: number
  /** Left out (e.g. placements the model has no type for), with their count. */
  readonly left: number
}

const mixOf = <K extends string>(keys: Iterable<K | null>): Mix<K> => {
  const counts = new Map<K, number>()
  let total = 0
  let left = 0
  for (const k of keys) {
    if (k === null) {
      left++
      continue
    }
    counts.set(k, (counts.get(k) ?? 0) + 1)
    total++
  }
  return { counts, total, left }
}

/** A period's age at entry (null: date of birth unknown). */
const entryAge = (dob: number | null, p: Period): number | null => (dob === null ? null : ageOn(dob, p.start))

export interface EntryPeriod {
  readonly period: Period
  readonly age: number | null
  readonly uasc: boolean
}

/** Periods starting in the window (their real start: RNE S), with age at entry and UASC status. */
export const entriesIn = (h: Histories, w: Window): Array<EntryPeriod> => {
  const out: Array<EntryPeriod> = []
  for (const c of h.children)
    for (const p of c.periods)
      if (p.startKnown && p.start >= w.from && p.start < w.to)
        out.push({ period: p, age: entryAge(c.dob, p), uasc: c.uasc })
  return out
}

/** Placement on entry of these periods ("other": left out, the model having no such type). */
export const placementMix = (list: ReadonlyArray<EntryPeriod>): Mix<Exclude<PlacementGroup, "other">> =>
  mixOf(
    list.map((e) => {
      const g = e.period.episodes[0].placement
      return g === "other" ? null : g
    })
  )

/** Legal status on entry of these periods (blank or short-break codes: left out). */
export const legalStatusMix = (list: ReadonlyArray<EntryPeriod>): Mix<string> =>
  mixOf(
    list.map((e) => {
      const ls = e.period.episodes[0].ls
      return ls === "" || isShortBreak(ls) ? null : ls
    })
  )

export interface Changes {
  /** Child-years spent in the state inside the window. */
  readonly years: number
  /** Changes to each other state inside the window. */
  readonly to: ReadonlyMap<string, number>
  readonly total: number
}

/**
 * Changes of `stateOf` between consecutive episodes of the periods in the window, per child-year in the
 * state before (states that `stateOf` maps to null are not counted, neither as a state nor as a target).
 */
export const changesOf = (
  h: Histories,
  w: Window,
  stateOf: (e: Episode) => string | null
): ReadonlyMap<string, Changes> => {
  const years = new Map<string, number>()
  const moves = new Map<string, Map<string, number>>()
  for (const c of h.children)
    for (const period of c.periods) {
      if (period.start >= w.to || period.end.day <= w.from) continue
      const eps = period.episodes
      for (let i = 0; i < eps.length; i++) {
        const s = stateOf(eps[i])
        if (s === null) continue
        const end = eps[i].end ?? (i === eps.length - 1 ? period.end.day : eps[i + 1].start)
        const lo = Math.max(eps[i].start, w.from)
        const hi = Math.min(end, w.to)
        if (hi > lo) years.set(s, (years.get(s) ?? 0) + (hi - lo) / YEAR)
        if (i + 1 >= eps.length) continue
        const t = stateOf(eps[i + 1])
        if (t === null || t === s || eps[i + 1].start < w.from || eps[i + 1].start >= w.to) continue
        const m = moves.get(s) ?? new Map<string, number>()
        m.set(t, (m.get(t) ?? 0) + 1)
        moves.set(s, m)
      }
    }
  const out = new Map<string, Changes>()
  for (const [s, y] of [...years].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    const to = new Map([...(moves.get(s) ?? new Map<string, number>())].sort((a, b) => (a[0] < b[0] ? -1 : 1)))
    let total = 0
    for (const n of to.values()) total += n
    out.set(s, { years: y, to, total })
  }
  return out
}

export { subjects }
