/**
 * How big a run of a scenario would be, estimated before it starts, so that a scenario that is valid but
 * absurd (a population of a billion, a referral rate of 1e300 per 10,000, a starting group of 1e8) is
 * refused up front with the estimate, instead of running until the machine runs out of memory.
 *
 * The engine keeps every child it has known (the starting caseload and each new referral; a re-referral
 * is the same child again), so children are what a run's memory grows with: about 160 bytes each, as
 * measured on the England scenario (2.5 million children over three years, 450 MB at its peak). The
 * estimate follows the referral process as the model defines it: the population growing each year, the
 * rate per 10,000 with its yearly trend, its step changes and its seasonality, month by month.
 */
import * as Either from "effect/Either"
import { makeCalendar } from "../domain/Calendar.js"
import { ScenarioError, type ScenarioProblem } from "./Problems.js"
import { compileRateChanges, rateFactorAt } from "./RateChanges.js"
import type { Scenario } from "./Scenario.js"
import { parameterValues, scenarioWith, type Decodable } from "./uncertain/Parameters.js"
import { HIGHEST_QUANTILE, LOWEST_QUANTILE } from "./uncertain/Uncertain.js"
import { grouped } from "../domain/Show.js"

/** The most children one run may know (its starting caseload and new referrals): about 3 GB of memory. */
export const MAX_CHILDREN_IN_RUN = 20_000_000

/** The expected size of a run. */
export interface RunSize {
  /** Children in the starting caseload (including closed cases that may be re-referred). */
  readonly starting: number
  /** Expected new referrals over the run (children not known before). */
  readonly referrals: number
  /** Children the run would know: `starting + referrals`. */
  readonly children: number
}

/** The population's total at the start (day 0) and at each projection point after it; null: no projection. */
const populationTotals = (
  s: Scenario,
  dayOf: (iso: string) => number
): { readonly t: ReadonlyArray<number>; readonly n: ReadonlyArray<number> } | null => {
  const p = s.population
  if (p.projection === undefined) return null
  const points = p.projection
    .map((x) => ({
      t: dayOf(x.date ?? `${String(x.year ?? 0).padStart(4, "0")}-06-30`),
      n:
        x.byAge !== undefined
          ? x.byAge.reduce<number>((a, b) => a + (typeof b === "number" ? b : b.children), 0)
          : (x.children ?? p.children * (x.multiplier ?? 1))
    }))
    .filter((x) => x.t > 0)
    .sort((a, b) => a.t - b.t)
  return { t: [0, ...points.map((x) => x.t)], n: [p.children, ...points.map((x) => x.n)] }
}

const totalAt = (p: { readonly t: ReadonlyArray<number>; readonly n: ReadonlyArray<number> }, t: number): number => {
  let i = 0
  while (i + 1 < p.t.length && p.t[i + 1] <= t) i++
  if (i + 1 >= p.t.length) return p.n[i]
  return p.n[i] + ((p.n[i + 1] - p.n[i]) * (t - p.t[i])) / (p.t[i + 1] - p.t[i])
}

/** The expected number of children a run of `years` years of the scenario would know. */
export const estimateRunSize = (s: Scenario, years: number): RunSize => {
  const cal = makeCalendar(s.start, years)
  const r = s.referrals
  const weights = r.seasonality ?? new Array<number>(12).fill(1)
  const mean = weights.reduce((a, b) => a + b, 0) / 12
  const c = r.contacts
  const changes = compileRateChanges([...r.changes, ...(c?.changes ?? [])], (d) => cal.dayOf(d))
  // With contacts, the referrals are the contacts times the largest share that become referrals.
  const share = c === undefined ? 1 : Math.max(c.toReferral, ...c.toReferralChanges.map((x) => x.share))
  const per10k = c === undefined ? (r.ratePer10k ?? 0) : c.perYear === undefined ? (c.per10k ?? 0) : null
  const projected = populationTotals(s, (d) => cal.dayOf(d))
  let referrals = 0
  for (const m of cal.months) {
    const t = (m.start + m.end) / 2
    const yearsIn = t / 365.25
    const step = rateFactorAt(changes, t) * share
    const population =
      projected === null
        ? s.population.children * Math.pow(1 + s.population.growthPerYear, yearsIn)
        : totalAt(projected, t)
    const perChildYear =
      (per10k === null ? ((c?.perYear ?? 0) / Math.max(1, s.population.children)) * 10_000 : per10k) / 10_000
    const rate = perChildYear * Math.pow(1 + r.trendPerYear, yearsIn) * step
    const season = mean > 0 ? weights[m.calendarMonth] / mean : 0
    const people = per10k === null ? Math.max(1, s.population.children) : population
    referrals += (people * rate * season * (m.end - m.start)) / 365.25
  }
  // Sibling groups whose rate counts families bring the mean number of children a referral brings each.
  const f = r.families
  if (f !== undefined && f.rateCounts === "families") {
    const total = f.size.reduce((a, b) => a + b, 0)
    const meanSize = total > 0 ? f.size.reduce((a, share, i) => a + (i + 1) * share, 0) / total : 1
    const pre = r.preBirth?.share ?? 0
    referrals *= pre + (1 - pre) * meanSize
  }
  const starting = s.startingCaseload.reduce((n, g) => n + g.count, 0)
  return { starting, referrals, children: starting + referrals }
}

const count = (x: number): string =>
  !Number.isFinite(x) ? "more than 1e308" : x < 1e9 ? grouped(Math.round(x)) : x.toExponential(1).replace("e+", "e")

/**
 * Problems (none, or one) with the size of a run of `years` years: more than `MAX_CHILDREN_IN_RUN` children
 * known to it, with the estimate. For run, montecarlo and compare to call before simulating.
 */
export const runSizeProblems = (s: Scenario, years: number): ReadonlyArray<ScenarioProblem> => {
  const size = estimateRunSize(s, years)
  if (size.children <= MAX_CHILDREN_IN_RUN) return []
  const cause = size.starting > size.referrals ? "startingCaseload" : "referrals"
  return [
    {
      path: cause,
      message:
        `a run of ${years} year${years === 1 ? "" : "s"} would know about ${count(size.children)} children ` +
        `(${count(size.starting)} in the starting caseload and about ${count(size.referrals)} new referrals); ` +
        `the limit is ${grouped(MAX_CHILDREN_IN_RUN)} (England over three years is about 2.5 ` +
        `million): check population.children, referrals.ratePer10k, its trend and changes, and the ` +
        `starting caseload's counts`
    }
  ]
}

/**
 * `runSizeProblems` for a loaded scenario: at its central values and, for an uncertain one, with every
 * uncertain parameter at its lowest and at its highest possible draw (whichever run is biggest is reported).
 */
export const sourceRunSizeProblems = (source: Decodable, years: number): ReadonlyArray<ScenarioProblem> => {
  const central = runSizeProblems(source.central, years)
  const u = source.uncertainty
  if (central.length > 0 || u === null) return central
  for (const q of [HIGHEST_QUANTILE, LOWEST_QUANTILE]) {
    const s = scenarioWith(source, parameterValues(u, new Float64Array(u.factors.length).fill(q)))
    if (Either.isLeft(s)) continue
    const p = runSizeProblems(s.right, years)
    if (p.length > 0)
      return p.map((x) => ({
        ...x,
        message: `with every uncertain parameter at its ${q > 0.5 ? "highest" : "lowest"} possible draw, ${x.message}`
      }))
  }
  return []
}

/**
 * `sourceRunSizeProblems` as the error a command fails with (run, montecarlo and compare before they
 * simulate; validate at the scenario's own years).
 */
export const checkRunSize = (source: Decodable, years: number): Either.Either<void, ScenarioError> => {
  const problems = sourceRunSizeProblems(source, years)
  return problems.length === 0 ? Either.void : Either.left(new ScenarioError({ file: source.label, problems }))
}
