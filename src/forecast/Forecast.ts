/**
 * An in-year forecast of outturn: actual spend to date plus the simulated rest of the financial year.
 *
 * The scenario is run from the as-of date (its `start` moved there) with today's caseload (a caseload file,
 * or else the scenario's opening caseload), for `years` calendar years, as a Monte Carlo run on the
 * existing replication pool. Replication r is replication r of that run (`makeStreams(seed, r)`). For each
 * reported financial year (the as-of date's, and `years - 1` more whole years) and budget line:
 *
 *   outturn_r = actual to date (first year only) + simulated spend of replication r from the as-of date
 *
 * and the report gives its mean, percentiles (nearest rank, exact: every replication's figure is kept),
 * the whole year's budget, variance (mean outturn - budget), P(outturn > budget) and P(outturn > budget +
 * |budget| x tolerance). The outturn covers the whole year (actuals from 1 April, every month checked,
 * then simulation to 31 March), so it is compared with the whole year's budget: never a part year with a
 * whole year.
 *
 * Moving `start` would move what is measured from it; the forecast keeps the scenario's meaning:
 * - prices stay in the scenario's price base (`costs.priceBase`, default its own first financial year);
 * - the referral rate at the as-of date is the scenario's grown by its population growth and trend for the
 *   time between its start and the as-of date (as the run from its start would have it);
 * - dated values (changes, budgets, interventions) are dates, so they stay where they are.
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { epochDay, financialYearLabel, makeCalendar } from "../domain/Calendar.js"
import {
  bandChildren,
  compilePopulation,
  compileReferralDemand,
  linearAt,
  POPULATION_AGES,
  pointDate,
  type PopulationModel
} from "../model/Demand.js"
import { compileModel } from "../model/Model.js"
import { replicate, type Replicator, type WorkerFailed } from "../replication/Pool.js"
import { noProgress, type Progress } from "../replication/Progress.js"
import type { ReplicationError } from "../replication/Replication.js"
import { type ScenarioSource, scenarioFromData } from "../scenario/Load.js"
import type { ScenarioError } from "../scenario/Problems.js"
import type { KnownGroup } from "./Caseload.js"

/** Most replications a forecast keeps (each replication's figures are kept for exact percentiles). */
export const MAX_FORECAST_RUNS = 100_000

/** The percentiles reported, with their names. */
export const FORECAST_QUANTILES: ReadonlyArray<readonly [string, number]> = [
  ["p5", 0.05],
  ["p10", 0.1],
  ["p50", 0.5],
  ["p90", 0.9],
  ["p95", 0.95]
]

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v)

/** A value (a number or `{ uncertain: ... }`) multiplied by k: every location and scale of the law. */
const scaled = (v: unknown, k: number): unknown => {
  if (typeof v === "number") return v * k
  if (!isRecord(v) || !isRecord(v.uncertain)) return v
  const u = v.uncertain
  const out: Record<string, unknown> = { ...u }
  for (const f of ["mean", "sd", "min", "max", "mode"]) if (typeof u[f] === "number") out[f] = (u[f] as number) * k
  if (u.type === "beta") {
    out.min = (typeof u.min === "number" ? u.min : 0) * k
    out.max = (typeof u.max === "number" ? u.max : 1) * k
  }
  return { ...v, uncertain: out }
}

/**
 * The referral rate grown to the as-of date: `ratePer10k` (or contacts per 10,000) by the population's
 * growth and the trend (`factor`), contacts a year by the trend alone (`trend`: they do not follow the
 * population). A rate the scenario does not give stays absent.
 */
const grownReferrals = (referrals: Record<string, unknown>, factor: number, trend: number): Record<string, unknown> => {
  const out: Record<string, unknown> = { ...referrals }
  if (Object.hasOwn(referrals, "ratePer10k")) out.ratePer10k = scaled(referrals.ratePer10k, factor)
  const c = referrals.contacts
  if (isRecord(c)) {
    const contacts: Record<string, unknown> = { ...c }
    if (Object.hasOwn(c, "perYear")) contacts.perYear = scaled(c.perYear, trend)
    if (Object.hasOwn(c, "per10k")) contacts.per10k = scaled(c.per10k, factor)
    out.contacts = contacts
  }
  return out
}

/** The population at day t (linear between its points, as the engine has it): in all, and by age if given. */
const populationAtDay = (pop: PopulationModel, t: number): { total: number; byAge: Array<number> | null } => {
  const series = (of: (k: number) => number) =>
    linearAt({ times: pop.times, values: Float64Array.from({ length: pop.times.length }, (_, k) => of(k)) }, t)
  const byAge =
    pop.byAge === null
      ? null
      : Array.from({ length: POPULATION_AGES }, (_, a) => series((k) => pop.byAge![k * POPULATION_AGES + a]))
  return { total: byAge === null ? series((k) => pop.totals[k]) : byAge.reduce((x, y) => x + y, 0), byAge }
}

/**
 * A projected population as at the as-of date, `days` after the scenario's start: the children then (by age,
 * where the scenario gives ages), and the projection's later points in children (a multiple of the start's is
 * not one of the as-of date's). The referral rate per child is the start's, so `ratePer10k` carries on;
 * with ages, the referral age bands' shares move with their children (share x P_b(as-of) / P_b(start)), and
 * the rate with the engine's index of them (src/model/Demand.ts).
 */
const populationAsOf = (
  source: ScenarioSource,
  days: number
): { population: Record<string, unknown>; ageShares: Array<number> | null; rateFactor: number } | null => {
  const s = source.central
  const p = s.population
  if (p.projection === undefined) return null
  const cal = makeCalendar(s.start, Math.max(1, Math.ceil(days / 365) + 1))
  const demand = compileReferralDemand(s, cal)
  const pop = demand.ages?.population ?? compilePopulation(p, cal)
  const now = populationAtDay(pop, days)
  const round = (x: number) => Math.round(x)
  const later = p.projection
    .filter((x) => cal.dayOf(pointDate(x)) > days)
    .map((x) => {
      const at = populationAtDay(pop, cal.dayOf(pointDate(x)))
      const { multiplier: _m, children: _c, byAge: _b, ...rest } = x
      return { ...rest, ...(at.byAge === null ? { children: round(at.total) } : { byAge: at.byAge.map(round) }) }
    })
  const population: Record<string, unknown> = {
    children: now.byAge === null ? round(now.total) : now.byAge.map(round).reduce((a, b) => a + b, 0),
    growthPerYear: p.growthPerYear,
    ...(now.byAge === null ? {} : { byAge: now.byAge.map(round) }),
    ...(later.length === 0 ? {} : { projection: later })
  }
  if (demand.ages === null || demand.index === null || now.byAge === null)
    return { population, ageShares: null, rateFactor: 1 }
  const index = linearAt(demand.index, days)
  const bands = demand.ages.bands
  const total = bands.reduce((a, b) => a + b.share, 0)
  const moved = bands.map((b) =>
    b.children0 > 0 ? (b.share / total) * (bandChildren(now.byAge!, 0, b.ages) / b.children0) : 0
  )
  // The whole rate: the start's x P(start) x index / P(as-of), per 10,000 of the as-of date's children.
  const rateFactor = now.total > 0 ? (pop.totals[0] * index) / now.total : 1
  return { population, ageShares: index > 0 ? moved.map((m) => m / index) : null, rateFactor }
}

/** The referral age bands' shares replaced (null: as they are). */
const withAgeShares = (
  referrals: Record<string, unknown>,
  central: ReadonlyArray<unknown>,
  shares: ReadonlyArray<number> | null
) => {
  const given = referrals.ageAtReferral
  const bands: ReadonlyArray<unknown> = Array.isArray(given) ? given : central
  if (shares === null || bands.length !== shares.length) return referrals
  return {
    ...referrals,
    ageAtReferral: bands.map((b: unknown, i) => (isRecord(b) ? { ...b, share: Number(shares[i].toFixed(6)) } : b))
  }
}

export interface DeriveOptions {
  readonly asOf: string
  /** Calendar years to simulate from the as-of date (financial years reported: this many). */
  readonly years: number
  /** Today's caseload (null: the scenario's opening caseload). */
  readonly caseload: ReadonlyArray<KnownGroup> | null
}

/**
 * The scenario as run by the forecast: started on the as-of date, for `years`, in the scenario's own price
 * base, with the referral rate grown to the as-of date, and today's caseload if given.
 */
export const deriveScenario = (
  source: ScenarioSource,
  o: DeriveOptions
): Either.Either<ScenarioSource, ScenarioError> => {
  const raw = isRecord(source.raw) ? source.raw : {}
  const s = source.central
  const days = epochDay(o.asOf) - epochDay(s.start)
  // A projected population is taken as it stands on the as-of date (its points after it kept); else the
  // population grows by growthPerYear. Both with the referral trend.
  const projected = days > 0 ? populationAsOf(source, days) : null
  const growthPerDay =
    ((projected === null ? Math.log(1 + s.population.growthPerYear) : 0) + Math.log(1 + s.referrals.trendPerYear)) /
    365.25
  const factor = Math.exp(growthPerDay * days) * (projected?.rateFactor ?? 1)
  const trendPerDay = Math.log(1 + s.referrals.trendPerYear) / 365.25
  const costs = isRecord(raw.costs) ? raw.costs : {}
  const referrals = isRecord(raw.referrals) ? raw.referrals : {}
  const startYear = Number(s.start.slice(0, 4))
  const firstFy = financialYearLabel(Number(s.start.slice(5, 7)) >= 4 ? startYear : startYear - 1)
  const derived: Record<string, unknown> = {
    ...raw,
    start: o.asOf,
    years: o.years,
    costs: { ...costs, priceBase: s.costs.priceBase ?? firstFy },
    referrals:
      days === 0
        ? referrals
        : withAgeShares(
            grownReferrals(referrals, factor, Math.exp(days * trendPerDay)),
            s.referrals.ageAtReferral,
            projected?.ageShares ?? null
          ),
    ...(projected === null ? {} : { population: projected.population }),
    ...(o.caseload === null ? {} : { startingCaseload: o.caseload })
  }
  return scenarioFromData(`${source.label} from ${o.asOf}`, derived)
}

export interface ForecastYear {
  readonly label: string
  /** First day simulated in it (the as-of date in the first year, else 1 April). */
  readonly simulatedFrom: string
  readonly to: string
  /** Months with actuals (first year only). */
  readonly actualMonths: ReadonlyArray<string>
}

export interface ForecastPlan {
  readonly scenario: { readonly name: string; readonly sha256: string }
  readonly asOf: string
  readonly seed: number
  readonly runs: number
  readonly years: ReadonlyArray<ForecastYear>
  readonly budgetLines: ReadonlyArray<string>
  /** Whole-year budgets in pennies, [fy * (lines + 1) + line] (the last of each year: the total); null: none. */
  readonly budgets: ReadonlyArray<number | null>
  /** Actual spend to date in pennies, same cells (0 after the first year). */
  readonly actuals: ReadonlyArray<number>
  readonly tolerance: number
}

/** The reported years of a run of the derived scenario (its first `years` financial years). */
export const forecastYears = (
  derived: ScenarioSource,
  years: number,
  actualMonths: ReadonlyArray<string>
): { readonly years: ReadonlyArray<ForecastYear>; readonly budgetLines: ReadonlyArray<string> } => {
  const model = compileModel(derived.central, years)
  const cal = model.calendar
  return {
    years: cal.financialYears.slice(0, years).map((fy, i) => ({
      label: fy.label,
      simulatedFrom: cal.dateOf(fy.start),
      to: cal.dateOf(fy.end - 1),
      actualMonths: i === 0 ? actualMonths : []
    })),
    budgetLines: model.costs.budgetLines
  }
}

/** Each replication's simulated spend in pennies, by cell, for the reported years. */
export interface ForecastRuns {
  /** [cell][replication]. */
  readonly spend: ReadonlyArray<Float64Array>
}

/**
 * Runs the forecast's replications where the `Replicator` says (a job of the derived scenario, `years`
 * long) and keeps each one's spend for the reported years, in replication order whatever order they end in.
 */
export const runForecast = (
  plan: ForecastPlan,
  progress: Progress = noProgress
): Effect.Effect<ForecastRuns, ReplicationError | WorkerFailed, Replicator> =>
  Effect.gen(function* () {
    const cells = plan.years.length * (plan.budgetLines.length + 1)
    const spend = Array.from({ length: cells }, () => new Float64Array(plan.runs))
    yield* replicate(
      0,
      plan.runs,
      (o) => {
        const s = o.arms[0].spend
        for (let c = 0; c < cells; c++) spend[c][o.replication] = s[c]
      },
      progress
    )
    return { spend }
  })

export interface CellFigures {
  readonly financialYear: string
  /** The budget line, or "Total". */
  readonly budgetLine: string
  readonly budget: number | null
  readonly actualToDate: number
  readonly remainderMean: number
  readonly mean: number
  readonly sd: number
  /** FORECAST_QUANTILES of outturn. */
  readonly quantiles: ReadonlyArray<number>
  readonly variance: number | null
  readonly probOverBudget: number | null
  readonly probOverTolerance: number | null
}

const bigRatio = (num: bigint, den: bigint): number => {
  const q = num / den
  const r = num - q * den
  return Number(q) + Number(r) / Number(den)
}

/** Nearest rank: the smallest value with at least q x n values at or below it. */
const nearestRank = (sorted: Float64Array, q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length - 1e-9) - 1))]

/** The figures of every cell, in pounds (means exact from integer sums of pennies). */
export const forecastFigures = (plan: ForecastPlan, runs: ForecastRuns): Array<CellFigures> => {
  const B = plan.budgetLines.length
  const n = plan.runs
  const N = BigInt(n)
  return runs.spend.map((sim, cell) => {
    const fy = Math.floor(cell / (B + 1))
    const b = cell % (B + 1)
    const actual = plan.actuals[cell]
    const outturn = new Float64Array(n)
    let sum = 0n
    let sumSq = 0n
    for (let r = 0; r < n; r++) {
      const x = actual + sim[r]
      outturn[r] = x
      const big = BigInt(x)
      sum += big
      sumSq += big * big
    }
    const budget = plan.budgets[cell]
    let over = 0
    let overTol = 0
    if (budget !== null) {
      const threshold = budget + Math.abs(budget) * plan.tolerance
      for (let r = 0; r < n; r++) {
        if (outturn[r] > budget) over++
        if (outturn[r] > threshold) overTol++
      }
    }
    const sorted = outturn.slice().sort()
    const mean = bigRatio(sum, N)
    const variance = n > 1 ? bigRatio(N * sumSq - sum * sum, N * (N - 1n)) : NaN
    return {
      financialYear: plan.years[fy].label,
      budgetLine: b === B ? "Total" : plan.budgetLines[b],
      budget: budget === null ? null : budget / 100,
      actualToDate: actual / 100,
      remainderMean: (mean - actual) / 100,
      mean: mean / 100,
      sd: Math.sqrt(Math.max(0, variance)) / 100,
      quantiles: FORECAST_QUANTILES.map(([, q]) => nearestRank(sorted, q) / 100),
      variance: budget === null ? null : (mean - budget) / 100,
      probOverBudget: budget === null ? null : over / n,
      probOverTolerance: budget === null ? null : overTol / n
    }
  })
}
