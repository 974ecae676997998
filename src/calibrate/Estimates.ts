/**
 * The calibration table: what caseflow estimates from children's histories of care (`ssda903/Clean.ts`)
 * over an observation window, each estimate with its 95% interval, its count of observations, its method
 * and the rows it came from.
 *
 *   - entries to care per year, by single year and band of age at entry, by UASC status, with a trend
 *     (Poisson regression on the collection year);
 *   - time in care: Kaplan-Meier (left-truncated at the window's start, right-censored at its end or where
 *     a child's returns stop) by age band, legal status and placement at entry and UASC status: median and
 *     the share still in care after 1, 2 and 5 years; and, in all, by age band and by legal status, the
 *     exponential and Weibull laws fitted by maximum likelihood, with the choice between them reported;
 *   - exit routes: the Aalen-Johansen cumulative incidence of each route by 1, 2 and 5 years (by 2 years
 *     for each age band and legal status at entry);
 *   - placement moves between placement types, and legal-status changes, per child-year at risk;
 *   - the children in care on the window's last day, by placement, age band, legal status, time in care.
 *
 * Time in care is counted in days from the period's first day to the day it ended. A period that begins
 * and ends on the same day counts half a day (a zero-length time cannot be at risk). A period whose start
 * is unknown (its first episode in the data is not RNE S and began before the data: rule CF07's kind) is
 * left out of time-in-care estimates, as its time origin is not known; it counts among children in care.
 */
import * as Either from "effect/Either"
import { addYears, calendarDateProblem, epochDay, isoOfEpochDay, NOT_A_DATE } from "../domain/Calendar.js"
import { grouped, show } from "../domain/Show.js"
import { EXIT_ROUTES, type ExitRoute, legalStatusGroup, PLACEMENT_GROUPS } from "../ssda903/Codes.js"
import type { ChildHistory, Histories, Period } from "../ssda903/Clean.js"
import { collectionYearOf, yearEnd, yearStart } from "../ssda903/Read.js"
import { poissonRate, poissonTrend } from "./Poisson.js"
import { fitExponential, fitWeibull } from "./Parametric.js"
import { aalenJohansen, kaplanMeier, type KaplanMeier, type Observation, quantile, survivalAt } from "./Survival.js"

/** One row of the calibration table. */
export interface Estimate {
  readonly measure: string
  readonly breakdown: string
  readonly value: number
  readonly lower: number | null
  readonly upper: number | null
  /** What was counted: periods of care, entries, children, moves; with the number of events where apt. */
  readonly observations: number
  readonly unit: string
  readonly method: string
  /** The files and how many of their rows the estimate used. */
  readonly source: string
}

/** The window estimates are made over: days [from, to), to = the day after the last day. */
export interface Window {
  readonly from: number
  readonly to: number
}

/** A date, or a year alone meaning the year ending 31 March (`--to 2021` is 2021-03-31). */
const dateText = (raw: string): string => (/^\d{4}$/.test(raw.trim()) ? `${raw.trim()}-03-31` : raw.trim())

/** The day `--from` or `--to` (`name`) gives, or what is wrong with it (as the command line and the page say). */
export const windowDay = (name: "from" | "to", raw: string): Either.Either<number, string> => {
  const problem = calendarDateProblem(dateText(raw))
  return problem === null
    ? Either.right(epochDay(dateText(raw)))
    : Either.left(
        // A text that is no date at all is said once; a date that does not exist, with why.
        problem === NOT_A_DATE
          ? `--${name}: expected a date written YYYY-MM-DD or a year such as 2021, found ${show(raw)}`
          : `--${name}: expected a date written YYYY-MM-DD (${problem}), found ${show(raw)}`
      )
}

/**
 * The window `--from` and `--to` ask for (the data's own ends where not given), or why it is outside the
 * data's days [from, to); the message names the flag, as the command line and the page both show it.
 */
export const windowWithin = (data: Window, from: number | null, to: number | null): Either.Either<Window, string> => {
  const w = { from: from ?? data.from, to: to === null ? data.to : to + 1 }
  const first = isoOfEpochDay(data.from)
  const last = isoOfEpochDay(data.to - 1)
  if (w.from < data.from || w.from >= data.to)
    return Either.left(`--from ${isoOfEpochDay(w.from)}: the data cover ${first} to ${last}`)
  if (w.to > data.to || w.to <= data.from)
    return Either.left(`--to ${isoOfEpochDay(w.to - 1)}: the data cover ${first} to ${last}`)
  if (w.to <= w.from) return Either.left(`--to ${isoOfEpochDay(w.to - 1)} is before --from ${isoOfEpochDay(w.from)}`)
  return Either.right(w)
}

const YEAR = 365.25

/** DfE's age bands (at entry, or on 31 March). */
export const AGE_BANDS: ReadonlyArray<{ readonly label: string; readonly from: number; readonly to: number }> = [
  { label: "under 1", from: 0, to: 1 },
  { label: "1 to 4", from: 1, to: 5 },
  { label: "5 to 9", from: 5, to: 10 },
  { label: "10 to 15", from: 10, to: 16 },
  { label: "16 and over", from: 16, to: 200 }
]

/** Age in whole years on `day` of a child born on `dob` (birthdays on the calendar). */
export const ageOn = (dob: number, day: number): number => {
  let age = Math.floor((day - dob) / YEAR)
  if (addYears(dob, age + 1) <= day) age += 1
  else if (age > 0 && addYears(dob, age) > day) age -= 1
  return age
}

export const bandOf = (age: number): string => AGE_BANDS.find((b) => age >= b.from && age < b.to)?.label ?? "unknown"

/** A period's last day observed, and whether it ended there (within the window). */
const endOf = (p: Period, w: Window): { readonly day: number; readonly ceased: boolean } => {
  const day = p.end.day
  if (p.end._tag === "Ceased" && day < w.to) return { day, ceased: true }
  return { day: Math.min(day, w.to), ceased: false }
}

/** A period of care seen in the window, as an observation of time in care. */
export interface Subject {
  readonly child: ChildHistory
  readonly period: Period
  readonly obs: Observation
  readonly route: ExitRoute | null
  /** Age at entry (null: date of birth unknown). */
  readonly age: number | null
}

/** The periods seen in the window, as observations of time in care (those with a known start). */
export const subjects = (h: Histories, w: Window): Array<Subject> => {
  const out: Array<Subject> = []
  for (const child of h.children)
    for (const period of child.periods) {
      if (!period.startKnown || period.start >= w.to) continue
      const e = endOf(period, w)
      const entry = Math.max(0, w.from - period.start)
      let exit = e.day - period.start
      if (exit <= entry) {
        if (!(exit === 0 && entry === 0)) continue
        exit = 0.5
      }
      const route = e.ceased && period.end._tag === "Ceased" ? period.end.route : null
      const cause = route === null ? 0 : EXIT_ROUTES.indexOf(route) + 1
      const age = child.dob === null ? null : ageOn(child.dob, period.start)
      out.push({ child, period, obs: { entry, exit, cause }, route, age })
    }
  return out
}

/** "2017-episodes.csv (1,203 rows); 2018-episodes.csv (800 rows)": the rows of these periods' episodes. */
export const sourceOf = (periods: Iterable<Period>): string => {
  const counts = new Map<string, number>()
  for (const p of periods) for (const e of p.episodes) counts.set(e.source.file, (counts.get(e.source.file) ?? 0) + 1)
  return [...counts]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([f, n]) => `${baseName(f)} (${grouped(n)} row${n === 1 ? "" : "s"})`)
    .join("; ")
}

const baseName = (file: string): string => file.slice(Math.max(file.lastIndexOf("/"), file.lastIndexOf("\\")) + 1)

const firstLs = (p: Period): string => legalStatusGroup(p.episodes[0].ls)

export const windowText = (w: Window): string => `${isoOfEpochDay(w.from)} to ${isoOfEpochDay(w.to - 1)}`

/** Time in care, by breakdown: medians and the share still in care after 1, 2 and 5 years. */
const timeInCare = (all: ReadonlyArray<Subject>, w: Window): Array<Estimate> => {
  const method =
    `Kaplan-Meier over ${windowText(w)}: left-truncated at its start, right-censored at its end; ` +
    "Greenwood 95% interval (log)"
  const groups: Array<readonly [string, ReadonlyArray<Subject>]> = [["all", all]]
  for (const b of AGE_BANDS)
    groups.push([`age at entry ${b.label}`, all.filter((s) => s.age !== null && bandOf(s.age) === b.label)])
  const ls = [...new Set(all.map((s) => firstLs(s.period)))].sort()
  for (const l of ls) groups.push([`legal status at entry ${l}`, all.filter((s) => firstLs(s.period) === l)])
  for (const g of PLACEMENT_GROUPS)
    groups.push([`placement at entry ${g}`, all.filter((s) => s.period.episodes[0].placement === g)])
  groups.push(["UASC", all.filter((s) => s.child.uasc)])
  const out: Array<Estimate> = []
  const span = (w.to - w.from) / YEAR
  for (const [breakdown, subs] of groups) {
    if (subs.length === 0) continue
    const km = kaplanMeier(subs.map((s) => s.obs))
    const source = sourceOf(subs.map((s) => s.period))
    const obs = subs.length
    const m = quantile(km, 0.5)
    if (m.value !== null)
      out.push({
        measure: "time in care: median",
        breakdown,
        value: m.value,
        lower: m.lower,
        upper: m.upper,
        observations: obs,
        unit: "days",
        method: `${method}; ${grouped(km.events)} periods ended`,
        source
      })
    for (const years of [1, 2, 5]) {
      if (years > span + 2) continue
      const st = survivalAt(km, years * YEAR)
      if (st === null) continue
      out.push({
        measure: `time in care: still in care after ${years} year${years === 1 ? "" : "s"}`,
        breakdown,
        value: st.survival,
        lower: st.lower,
        upper: st.upper,
        observations: obs,
        unit: "share",
        method: `${method}; ${grouped(km.events)} periods ended; ${grouped(st.atRisk)} at risk then`,
        source
      })
    }
    if (!breakdown.startsWith("placement") && breakdown !== "UASC") out.push(...laws(subs, km, breakdown, obs, source))
  }
  return out
}

/**
 * The exponential and Weibull laws fitted to one group's periods, with the choice between them by AIC and
 * the largest gap between the Weibull curve and the Kaplan-Meier one (the law a scenario's duration would
 * take, and how far to trust it).
 */
const laws = (
  subs: ReadonlyArray<Subject>,
  km: KaplanMeier,
  breakdown: string,
  observations: number,
  source: string
): Array<Estimate> => {
  const obs = subs.map((s) => s.obs)
  const ex = fitExponential(obs)
  const wb = fitWeibull(obs)
  if (ex === null || wb === null) return []
  let gap = 0
  for (const st of km.steps) {
    if (st.events === 0) continue
    const sw = Math.exp(-Math.pow(st.time / wb.scale.value, wb.shape.value))
    gap = Math.max(gap, Math.abs(sw - st.survival))
  }
  const choice =
    `maximum likelihood, left-truncated and right-censored; AIC exponential ${ex.aic.toFixed(1)}, Weibull ` +
    `${wb.aic.toFixed(1)}: ${wb.aic < ex.aic - 2 ? "Weibull" : "exponential"} preferred; the Weibull curve ` +
    `is within ${(gap * 100).toFixed(1)} points of the Kaplan-Meier curve; ${grouped(wb.events)} periods ended`
  const row = (measure: string, f: { value: number; lower: number; upper: number }, unit: string): Estimate => ({
    measure,
    breakdown,
    value: f.value,
    lower: f.lower,
    upper: f.upper,
    observations,
    unit,
    method: choice,
    source
  })
  return [
    row("time in care: exponential law, mean", ex.mean, "days"),
    row("time in care: Weibull law, shape", wb.shape, "shape"),
    row("time in care: Weibull law, scale", wb.scale, "days"),
    row("time in care: Weibull law, median", wb.median, "days")
  ]
}

/**
 * Exit routes as competing risks: in all by 1, 2 and 5 years; by age band and legal status at entry by 2
 * years (breakdowns as "adopted, age at entry under 1").
 */
const exitRoutes = (all: ReadonlyArray<Subject>, w: Window): Array<Estimate> => {
  if (all.length === 0) return []
  const span = (w.to - w.from) / YEAR
  const out: Array<Estimate> = []
  const groups: Array<readonly [string, ReadonlyArray<Subject>, ReadonlyArray<number>]> = [["", all, [1, 2, 5]]]
  for (const b of AGE_BANDS)
    groups.push([`age at entry ${b.label}`, all.filter((s) => s.age !== null && bandOf(s.age) === b.label), [2]])
  for (const l of [...new Set(all.map((s) => firstLs(s.period)))].sort())
    groups.push([`legal status at entry ${l}`, all.filter((s) => firstLs(s.period) === l), [2]])
  for (const [group, subs, horizons] of groups) {
    if (subs.length === 0) continue
    const aj = aalenJohansen(
      subs.map((s) => s.obs),
      EXIT_ROUTES.length
    )
    const source = sourceOf(subs.map((s) => s.period))
    for (const years of horizons) {
      if (years > span + 2) continue
      const at = aj.at(years * YEAR)
      EXIT_ROUTES.forEach((route, k) => {
        const f = at[k]
        if (f.events === 0) return
        out.push({
          measure: `exit route: left care within ${years} year${years === 1 ? "" : "s"}`,
          breakdown: group === "" ? route : `${route}, ${group}`,
          value: f.value,
          lower: f.lower,
          upper: f.upper,
          observations: subs.length,
          unit: "share",
          method:
            `Aalen-Johansen cumulative incidence over ${windowText(w)} (left-truncated, right-censored); ` +
            `delta-method 95% interval (log); ${grouped(f.events)} left by this route`,
          source
        })
      })
    }
  }
  return out
}

/** The part of collection year `y` inside the window, in years. */
const exposureIn = (y: number, w: Window): number =>
  Math.max(0, Math.min(yearEnd(y), w.to) - Math.max(yearStart(y), w.from)) / YEAR

/** Entries to care (periods starting in the window), per year. */
const entries = (h: Histories, w: Window): Array<Estimate> => {
  const starts: Array<{ child: ChildHistory; period: Period; age: number | null }> = []
  for (const child of h.children)
    for (const period of child.periods)
      if (period.start >= w.from && period.start < w.to)
        starts.push({ child, period, age: child.dob === null ? null : ageOn(child.dob, period.start) })
  const years = (w.to - w.from) / YEAR
  const method = `entries in ${windowText(w)} per year (${years.toFixed(2)} years); exact Poisson 95% interval`
  const out: Array<Estimate> = []
  const add = (breakdown: string, list: ReadonlyArray<{ period: Period }>) => {
    const r = poissonRate(list.length, years)
    if (r === null) return
    out.push({
      measure: "entries to care per year",
      breakdown,
      value: r.value,
      lower: r.lower,
      upper: r.upper,
      observations: list.length,
      unit: "children per year",
      method,
      source: sourceOf(list.map((s) => s.period))
    })
  }
  add("all", starts)
  const age = (s: { age: number | null }) => s.age
  for (const b of AGE_BANDS)
    add(
      `age at entry ${b.label}`,
      starts.filter((s) => {
        const a = age(s)
        return a !== null && bandOf(a) === b.label
      })
    )
  for (let a = 0; a <= 17; a++)
    add(
      `age at entry ${a}`,
      starts.filter((s) => age(s) === a)
    )
  const unknownAge = starts.filter((s) => age(s) === null)
  if (unknownAge.length > 0) add("age at entry unknown", unknownAge)
  add(
    "UASC",
    starts.filter((s) => s.child.uasc)
  )
  add(
    "not UASC",
    starts.filter((s) => !s.child.uasc)
  )
  // The trend: entries by collection year, over the part of each year in the window.
  const ys = h.years.filter((y) => exposureIn(y, w) > 0)
  const counts = ys.map((y) => starts.filter((s) => collectionYearOf(s.period.start) === y).length)
  const exposure = ys.map((y) => exposureIn(y, w))
  const t = poissonTrend(ys, counts, exposure)
  if (t !== null) {
    const how =
      `Poisson regression of entries on the collection year (${ys[0]} to ${ys[ys.length - 1]}), exposure the ` +
      `part of each year in the window; dispersion ${t.dispersion.toFixed(2)}` +
      (t.quasi ? ", interval widened by it (quasi-Poisson)" : "")
    const source = sourceOf(starts.map((s) => s.period))
    out.push({
      measure: "entries to care: yearly trend",
      breakdown: "all",
      value: t.ratio.value,
      lower: t.ratio.lower,
      upper: t.ratio.upper,
      observations: t.count,
      unit: "ratio to the year before",
      method: how,
      source
    })
    out.push({
      measure: "entries to care: fitted for the latest year",
      breakdown: `collection year ${ys[ys.length - 1]}`,
      value: t.latest.value,
      lower: t.latest.lower,
      upper: t.latest.upper,
      observations: t.count,
      unit: "children per year",
      method: how,
      source
    })
  }
  return out
}

/** Changes between consecutive episodes of a period, per child-year at risk in the state before. */
const transitions = (
  all: ReadonlyArray<Period>,
  w: Window,
  measure: string,
  stateOf: (e: Period["episodes"][number]) => string,
  states: ReadonlyArray<string>
): Array<Estimate> => {
  const exposure = new Map<string, number>()
  const moves = new Map<string, number>()
  const used = new Map<string, Array<Period>>()
  for (const period of all) {
    const eps = period.episodes
    for (let i = 0; i < eps.length; i++) {
      const e = eps[i]
      const s = stateOf(e)
      const end = e.end ?? (i === eps.length - 1 ? period.end.day : eps[i + 1].start)
      const lo = Math.max(e.start, w.from)
      const hi = Math.min(end, w.to)
      if (hi > lo) exposure.set(s, (exposure.get(s) ?? 0) + (hi - lo) / YEAR)
      if (i + 1 < eps.length) {
        const next = eps[i + 1]
        const t = stateOf(next)
        if (t !== s && next.start >= w.from && next.start < w.to) {
          const key = `${s}\u0000${t}`
          moves.set(key, (moves.get(key) ?? 0) + 1)
          const list = used.get(key) ?? []
          list.push(period)
          used.set(key, list)
        }
      }
    }
  }
  const out: Array<Estimate> = []
  const method = `changes in ${windowText(w)} per child-year in the first state; exact Poisson 95% interval`
  for (const s of states) {
    const years = exposure.get(s) ?? 0
    if (years === 0) continue
    let total = 0
    const periods: Array<Period> = []
    for (const t of states.filter((x) => x !== s)) {
      const n = moves.get(`${s}\u0000${t}`) ?? 0
      total += n
      periods.push(...(used.get(`${s}\u0000${t}`) ?? []))
      if (n === 0) continue
      const r = poissonRate(n, years)
      if (r === null) continue
      out.push({
        measure,
        breakdown: `${s} to ${t}`,
        value: r.value,
        lower: r.lower,
        upper: r.upper,
        observations: n,
        unit: `per child-year in ${s} (${years.toFixed(1)} child-years)`,
        method,
        source: sourceOf(new Set(used.get(`${s}\u0000${t}`) ?? []))
      })
    }
    const r = poissonRate(total, years)
    if (r !== null)
      out.push({
        measure,
        breakdown: `${s} to any other`,
        value: r.value,
        lower: r.lower,
        upper: r.upper,
        observations: total,
        unit: `per child-year in ${s} (${years.toFixed(1)} child-years)`,
        method,
        source: sourceOf(new Set(periods))
      })
  }
  return out
}

/** A child in care on a day: the starting caseload of a run from the next day. */
export interface ChildInCare {
  readonly child: string
  readonly dob: number | null
  readonly age: number | null
  readonly sex: string
  readonly uasc: boolean
  readonly placement: string
  readonly legalStatus: string
  readonly periodStart: number
  /** Whether the period's start is known (else `periodStart` is the earliest date seen: time in care is more). */
  readonly startKnown: boolean
  readonly daysInCare: number
  readonly episodeStart: number
}

/** The children in care on `day` (in care from their period's start up to the day before it ended). */
export const childrenInCareOn = (h: Histories, day: number): Array<ChildInCare> =>
  inCareWithPeriods(h, day).map((x) => x.kid)

/** The children in care on `day`, each with the period they are in. */
export const inCareWithPeriods = (h: Histories, day: number): Array<{ kid: ChildInCare; period: Period }> => {
  const out: Array<{ kid: ChildInCare; period: Period }> = []
  for (const child of h.children)
    for (const p of child.periods) {
      // An open period's end is where observation stopped: one censored before `day` (rule 502) is not counted.
      if (p.start > day || p.end.day <= day) continue
      let e = p.episodes[0]
      for (const x of p.episodes) if (x.start <= day) e = x
      out.push({
        kid: {
          child: child.child,
          dob: child.dob,
          age: child.dob === null ? null : ageOn(child.dob, day),
          sex: child.sex,
          uasc: child.uasc,
          placement: e.placement,
          legalStatus: e.ls,
          periodStart: p.start,
          startKnown: p.startKnown,
          daysInCare: day - p.start + 1,
          episodeStart: e.start
        },
        period: p
      })
    }
  return out
}

const TIME_BANDS: ReadonlyArray<{ readonly label: string; readonly below: number }> = [
  { label: "under 1 year", below: YEAR },
  { label: "1 to 2 years", below: 2 * YEAR },
  { label: "2 to 5 years", below: 5 * YEAR },
  { label: "5 years or more", below: Infinity }
]

/** The children in care on the window's last day, counted by placement, age, legal status, time in care. */
const inCare = (h: Histories, w: Window): Array<Estimate> => {
  const day = w.to - 1
  const found = inCareWithPeriods(h, day)
  const kids = found.map((x) => x.kid)
  const date = isoOfEpochDay(day)
  const method = `children in care on ${date} (a count of the children in the data, not an estimate)`
  const source = sourceOf(found.map((x) => x.period))
  const out: Array<Estimate> = []
  const add = (breakdown: string, n: number, note = "") =>
    out.push({
      measure: `children in care on ${date}`,
      breakdown,
      value: n,
      lower: n,
      upper: n,
      observations: n,
      unit: "children",
      method: method + note,
      source
    })
  add("all", kids.length)
  for (const g of PLACEMENT_GROUPS) {
    const n = kids.filter((k) => k.placement === g).length
    if (n > 0) add(`placement ${g}`, n)
  }
  for (const b of AGE_BANDS)
    add(`age ${b.label}`, kids.filter((k) => k.age !== null && bandOf(k.age) === b.label).length)
  const unknown = kids.filter((k) => k.age === null).length
  if (unknown > 0) add("age unknown", unknown)
  for (const l of [...new Set(kids.map((k) => legalStatusGroup(k.legalStatus)))].sort())
    add(`legal status ${l}`, kids.filter((k) => legalStatusGroup(k.legalStatus) === l).length)
  let below = 0
  for (const t of TIME_BANDS) {
    const n = kids.filter((k) => k.daysInCare >= below && k.daysInCare < t.below).length
    const lower = kids.filter((k) => !k.startKnown && k.daysInCare >= below && k.daysInCare < t.below).length
    add(
      `time in care ${t.label}`,
      n,
      lower > 0 ? `; ${grouped(lower)} of them with an unknown start, counted from the earliest episode seen` : ""
    )
    below = t.below
  }
  add("UASC", kids.filter((k) => k.uasc).length)
  return out
}

/** Every estimate of the calibration table, in a fixed order: by measure, then breakdown. */
export const calibrationTable = (h: Histories, w: Window): ReadonlyArray<Estimate> => {
  const subs = subjects(h, w)
  const inWindow: Array<Period> = []
  const legalStatuses = new Set<string>()
  for (const child of h.children)
    for (const period of child.periods)
      if (period.start < w.to && period.end.day > w.from) {
        inWindow.push(period)
        for (const e of period.episodes) legalStatuses.add(legalStatusGroup(e.ls))
      }
  const all = [
    ...entries(h, w),
    ...timeInCare(subs, w),
    ...exitRoutes(subs, w),
    ...transitions(inWindow, w, "placement moves", (e) => e.placement, PLACEMENT_GROUPS),
    ...transitions(inWindow, w, "legal status changes", (e) => legalStatusGroup(e.ls), [...legalStatuses].sort()),
    ...inCare(h, w)
  ]
  // Grouped by measure (in the order measures first appear), breakdowns in their own order within each.
  const rank = new Map<string, number>()
  for (const e of all) if (!rank.has(e.measure)) rank.set(e.measure, rank.size)
  return all
    .map((e, i) => ({ e, i }))
    .sort((a, b) => (rank.get(a.e.measure) ?? 0) - (rank.get(b.e.measure) ?? 0) || a.i - b.i)
    .map((x) => x.e)
}
