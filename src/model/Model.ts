/**
 * The compiled model: a decoded, validated scenario turned into what the engine reads in its inner loop
 * (samplers, cumulative probability tables, dense indices, the referral rate as a function of time).
 * Compiling is pure; it happens once per run (or per replication, when parameters are uncertain).
 */
import { makeCalendar, type Calendar } from "../domain/Calendar.js"
import { Names } from "../domain/Event.js"
import {
  type ChildState,
  CLOSURE_REASONS,
  type ClosureReason,
  LEFT_CARE_REASONS,
  LEGAL_STATUSES,
  legalStatusIndex,
  type Placement,
  PLACEMENTS,
  placementIndex,
  STATES,
  stateIndex
} from "../domain/Level.js"
import * as D from "../random/Distribution.js"
import { compileRateChanges, rateChangeCuts, rateFactorAt, type RateChanges } from "../scenario/RateChanges.js"
import type { Uniform } from "../random/Streams.js"
import { type CostModel, compileCosts } from "./Costs.js"
import {
  banded,
  type ByAge,
  type Choice,
  compileDistribution,
  type Destination,
  type LevelModel,
  makeChoice,
  type ReReferralModel,
  single
} from "./Tables.js"
import {
  compileContacts,
  compileReferralDemand,
  linearAt,
  type ContactModel,
  type PiecewiseLinear,
  type ReferralAgeModel
} from "./Demand.js"
import { compileChanges, type DatedModel } from "./Changes.js"
import { compilePolicy, summariseIntervention, type CompiledPolicy, type InterventionSummary } from "./Policy.js"
import type {
  AgeBand,
  AgeShare,
  CareExit,
  DurationSpec,
  LegalStatusMix,
  LegalStatusSpec,
  Outcome,
  PlacementMix,
  PlacementMixTable,
  PreviousShares,
  ReReferral,
  Scenario
} from "../scenario/Scenario.js"

const destination =
  (names: Names, defaultClosure: ClosureReason) =>
  (o: Outcome): Destination => ({
    to: stateIndex[o.to],
    via: names.id(o.via ?? null),
    closure: CLOSURE_REASONS.indexOf(o.reason ?? defaultClosure),
    leftCare: LEFT_CARE_REASONS.indexOf("other"),
    stay: -1
  })
const careDestination =
  (names: Names) =>
  (o: CareExit): Destination => ({
    to: stateIndex[o.to],
    via: names.id(o.via ?? null),
    closure: CLOSURE_REASONS.indexOf("other"),
    leftCare: LEFT_CARE_REASONS.indexOf(o.reason),
    stay: -1
  })

const outcomeChoice = <O extends { readonly probability: number }>(list: ReadonlyArray<O>, f: (o: O) => Destination) =>
  makeChoice(
    list.map(f),
    list.map((o) => o.probability)
  )

const outcomeTable = <O extends { readonly probability: number }>(
  table:
    | ReadonlyArray<O>
    | { readonly byAge: ReadonlyArray<{ readonly ages: AgeBand; readonly outcomes: ReadonlyArray<O> }> },
  f: (o: O) => Destination
): ByAge<Choice<Destination>> =>
  "byAge" in table
    ? banded(table.byAge.map((b) => ({ ages: b.ages, value: outcomeChoice(b.outcomes, f) })))
    : single(outcomeChoice(table as ReadonlyArray<O>, f))

const durationTable = (d: DurationSpec): ByAge<D.Distribution> =>
  "byAge" in d
    ? banded(d.byAge.map((b) => ({ ages: b.ages, value: compileDistribution(b.duration) })))
    : single(compileDistribution(d))

// The indices are picked out on their own rather than from [index, weight] pairs: an array holding a
// fractional weight keeps its whole numbers as doubles, and placements and statuses drawn as doubles
// make every object the engine stores them in change shape mid-run (V8 recompiles what had read it).
const mixChoice = (m: PlacementMix): Choice<number> => {
  const used = PLACEMENTS.filter((p) => (m[p] ?? 0) > 0)
  return makeChoice(
    used.map((p) => placementIndex[p]),
    used.map((p) => m[p] ?? 0)
  )
}
const mixTable = (t: PlacementMixTable): ByAge<Choice<number>> => {
  if ("byAge" in t && Array.isArray(t.byAge)) {
    const bands = t.byAge as ReadonlyArray<{ readonly ages: AgeBand; readonly mix: PlacementMix }>
    return banded(bands.map((b) => ({ ages: b.ages, value: mixChoice(b.mix) })))
  }
  return single(mixChoice(t as PlacementMix))
}

const reReferralModel = (r: ReReferral): ReReferralModel => ({
  probability: r.probability,
  after: compileDistribution(r.after)
})

export interface PlacementMoveModel {
  readonly after: D.Distribution
  readonly to: Choice<number>
}

/** A move at a birthday: from the placements marked in `from` (by placement index), with `probability`. */
export interface AgeMoveModel {
  readonly age: number
  readonly from: Uint8Array
  readonly probability: number
  readonly to: Choice<number>
}

export interface LookedAfterModel extends LevelModel {
  readonly onEntry: ByAge<Choice<number>>
  /** By placement index; null where children of that type do not move. */
  readonly moves: ReadonlyArray<PlacementMoveModel | null>
  /** Moves at a birthday, youngest first (empty: none). */
  readonly atAge: ReadonlyArray<AgeMoveModel>
}

/** Where a legal status goes after a time in it. */
export interface LegalStatusChangeModel {
  readonly after: D.Distribution
  /** Status indices. */
  readonly to: Choice<number>
}

/** One row of `legalStatus.onEntry`: the children it matches (-2: any) and their statuses. */
export interface LegalStatusEntryRow {
  readonly from: number
  readonly via: number
  readonly agesLo: number
  readonly agesHi: number
  readonly mix: Choice<number>
}

/**
 * Legal statuses (src/domain/Level.ts `LEGAL_STATUSES`), compiled: the status on entry by route and age,
 * the changes during an episode, and what a status changes (by status index; null: nothing of its own).
 */
export interface LegalStatusModel {
  readonly onEntry: ReadonlyArray<LegalStatusEntryRow>
  readonly changes: ReadonlyArray<LegalStatusChangeModel | null>
  readonly duration: ReadonlyArray<ByAge<D.Distribution> | null>
  readonly outcomes: ReadonlyArray<ByAge<Choice<Destination>> | null>
  readonly placement: ReadonlyArray<{ readonly probability: number; readonly to: Choice<number> } | null>
}

/** A row field that matches any value. */
export const ANY_ROW = -2

const statusChoice = (m: LegalStatusMix): Choice<number> => {
  const used = LEGAL_STATUSES.filter((code) => (m[code] ?? 0) > 0)
  return makeChoice(
    used.map((code) => legalStatusIndex[code]),
    used.map((code) => m[code] ?? 0)
  )
}

const compileLegalStatus = (spec: LegalStatusSpec, names: Names): LegalStatusModel => ({
  onEntry: spec.onEntry.map((row) => ({
    from: row.from === undefined ? ANY_ROW : stateIndex[row.from],
    via: row.via === undefined ? ANY_ROW : names.id(row.via),
    agesLo: row.ages?.[0] ?? 0,
    agesHi: row.ages?.[1] ?? 200,
    mix: statusChoice(row.mix)
  })),
  changes: LEGAL_STATUSES.map((code) => {
    const c = spec.changes?.[code]
    return c ? { after: compileDistribution(c.after), to: statusChoice(c.to) } : null
  }),
  duration: LEGAL_STATUSES.map((code) => {
    const d = spec.byStatus?.[code]?.duration
    return d ? durationTable(d) : null
  }),
  outcomes: LEGAL_STATUSES.map((code) => {
    const o = spec.byStatus?.[code]?.outcomes
    return o ? outcomeTable(o, careDestination(names)) : null
  }),
  placement: LEGAL_STATUSES.map((code) => {
    const p = spec.byStatus?.[code]?.placement
    return p ? { probability: p.probability, to: mixChoice(p.to) } : null
  })
})

export interface StayingPutModel {
  readonly share: number
  /** By placement index: 1 where a child leaving care at 18 may stay put. */
  readonly from: Uint8Array
  readonly untilAge: number
  readonly endsEarly: D.Distribution | null
}

export interface CareLeaverModel {
  /** Staying put with foster carers after 18; null: none. */
  readonly stayingPut: StayingPutModel | null
  readonly supportEndsAt: number
  readonly extendedTo: number
  readonly extendedShare: number
  readonly endsEarly: D.Distribution | null
  readonly minDaysInCare: number
}

export interface StartingGroupModel {
  readonly level: ChildState
  readonly levelIndex: number
  readonly placement: number // -1 outside care
  readonly count: number
  readonly ages: AgeBand
  /** How old within the band (days past its youngest birthday); null: uniform. */
  readonly within: D.Distribution | null
  /** Time already spent (universal: since closure); null: the equilibrium age of the level's duration. */
  readonly elapsed: D.Distribution | null
  /** Day of birth (simulation days, before the start) of each child; null: drawn within `ages`. */
  readonly dob: number | null
  /** Day the episode began (universal: the case closed); null: drawn from `elapsed`. */
  readonly since: number | null
  /** Looked-after children's legal statuses (status indices); null outside care or without legal status. */
  readonly legalStatus: Choice<number> | null
  /** Previous child protection plans and care episodes (0, 1, 2: two or more); null: none. */
  readonly history: PreviousModel | null
  /** Unaccompanied asylum-seeking children. */
  readonly uasc: boolean
  /** In care, without elapsed or since: the law of the age on entry into care, by day of age (the time already
   * in care is drawn from the stationary joint law given the child's age); null: elapsed or since is given. */
  readonly ageOnEntry: EntryAgeLaw | null
  /** Whether the group's children come in sibling groups (sizes from referrals.families.size). */
  readonly families: boolean
}

/** How many plans (or care episodes) before, as a choice of 0, 1 or 2 (two or more); null: none given. */
export interface PreviousModel {
  readonly cpPlans: Choice<number> | null
  readonly careEpisodes: Choice<number> | null
}

/** Children's histories before the run and what they change (see Scenario's `History`). */
export interface HistoryModel {
  /** New referrals' histories; null: none has one. */
  readonly newReferrals: PreviousModel | null
  /** Relative risks for a child with a previous plan: of a move into child protection, of a re-referral. */
  readonly cpRisk: number
  readonly cpReReferral: number
  /** For a child looked after before: of a move into care, of a re-referral. */
  readonly careRisk: number
  readonly careReReferral: number
}

/** The step of the grid the stationary joint law of age on entry and time in care is worked out on (days). */
export const ENTRY_GRID_DAYS = 7

/** The density of the age on entry into care on a grid of `ENTRY_GRID_DAYS` (cell k: ages [k h, (k + 1) h)). */
export interface EntryAgeLaw {
  readonly density: Float64Array
}

const previousChoice = (p: Scenario["startingCaseload"][number]["history"]): PreviousModel | null => {
  if (p === undefined || (p.previousCpPlans === undefined && p.previousCareEpisodes === undefined)) return null
  const choice = (x: PreviousShares | undefined) =>
    x === undefined ? null : makeChoice([0, 1, 2], [x.none, x.one, x.twoOrMore])
  return { cpPlans: choice(p.previousCpPlans), careEpisodes: choice(p.previousCareEpisodes) }
}

/** The age-on-entry law on the grid: each band's share spread over its days (uniformly, or by `within`). */
const entryAgeLaw = (bands: ReadonlyArray<AgeShare>): EntryAgeLaw => {
  const h = ENTRY_GRID_DAYS
  const cells = Math.ceil((18 * 365.25) / h)
  const density = new Float64Array(cells)
  const total = bands.reduce((a, b) => a + b.share, 0)
  for (const b of bands) {
    const lo = b.ages[0] * 365.25
    const hi = (b.ages[1] + 1) * 365.25
    const within = b.within === undefined ? null : compileDistribution(b.within)
    const mass = (x: number) => (within === null ? (x - lo) / (hi - lo) : within.cdf(x - lo) / within.cdf(hi - lo))
    for (let k = Math.floor(lo / h); k < cells && k * h < hi; k++) {
      const a = Math.max(lo, k * h)
      const z = Math.min(hi, (k + 1) * h)
      density[k] += (b.share / total) * (mass(z) - mass(a))
    }
  }
  return { density }
}

/** Compiles the scenario's histories; null when neither it nor a starting group gives one. */
const compileHistory = (s: Scenario): HistoryModel | null => {
  const h = s.history
  if (h === undefined && !s.startingCaseload.some((g) => g.history !== undefined)) return null
  return {
    newReferrals: previousChoice(h?.newReferrals),
    cpRisk: h?.previousCpPlan.toChildProtection ?? 1,
    cpReReferral: h?.previousCpPlan.reReferral ?? 1,
    careRisk: h?.previousCareEpisode.toLookedAfter ?? 1,
    careReReferral: h?.previousCareEpisode.reReferral ?? 1
  }
}

/**
 * The referral process: a Poisson process whose rate varies by month (seasonality), trend, population
 * growth and step changes. Arrivals are drawn by thinning within segments (calendar months, split at step
 * dates) over which the rate is monotone, so each segment's bound is the larger of its two end rates.
 */
export interface ArrivalProcess {
  readonly segmentStart: Float64Array
  readonly segmentEnd: Float64Array
  /** Seasonality x step changes, constant within a segment. */
  readonly segmentFactor: Float64Array
  /** Upper bound of the rate within each segment. */
  readonly segmentBound: Float64Array
  /** Referrals per day at time 0 before seasonality and steps; grows as exp(growth * t). */
  readonly base: number
  readonly growthPerDay: number
  /** Changes whose effect decays within a segment (null: none; the segment factor then holds them all). */
  readonly decaying: RateChanges | null
  /** The population's index on the rate (its projection: linear between points); null: none. */
  readonly index: PiecewiseLinear | null
}

/**
 * New referrals' process, or (with `referrals.contacts`) the contacts' process: per 10,000 children (then
 * scaled by the population: its growth, or its projection's index) or, for contacts, a number a year.
 */
const compileArrivals = (s: Scenario, cal: Calendar, index: PiecewiseLinear | null): ArrivalProcess => {
  const r = s.referrals
  const season = r.seasonality ?? new Array<number>(12).fill(1)
  const meanSeason = season.reduce((a, b) => a + b, 0) / 12
  const seasonFactor = season.map((x) => x / meanSeason)
  const c = r.contacts
  const perYear = c?.perYear
  const populationGrowth = perYear === undefined ? Math.log(1 + s.population.growthPerYear) : 0
  const growthPerDay = (populationGrowth + Math.log(1 + r.trendPerYear)) / 365.25
  if (c === undefined) {
    const base = (((r.ratePer10k ?? 0) / 10_000) * s.population.children) / 365.25
    return arrivalProcess(cal, base, growthPerDay, seasonFactor, r.changes, index)
  }
  const base = perYear !== undefined ? perYear / 365.25 : (((c.per10k ?? 0) / 10_000) * s.population.children) / 365.25
  // Contacts take the referral changes and their own (a shock written on either moves them).
  return arrivalProcess(
    cal,
    base,
    growthPerDay,
    seasonFactor,
    [...r.changes, ...c.changes],
    perYear !== undefined ? null : index
  )
}

/** A Poisson process of `base` arrivals a day at time 0, growing as exp(growth t), by month, with changes. */
const arrivalProcess = (
  cal: Calendar,
  base: number,
  growthPerDay: number,
  seasonFactor: ReadonlyArray<number>,
  rateChanges: Scenario["referrals"]["changes"],
  index: PiecewiseLinear | null = null
): ArrivalProcess => {
  const r = { changes: rateChanges }
  // Steps (and steps with an end) are constant within a segment; changes that decay are kept apart and
  // worked out at each candidate arrival.
  const all = compileRateChanges(r.changes, (d) => cal.dayOf(d))
  const steps = compileRateChanges(
    r.changes.filter((c) => c.halfLifeMonths === undefined),
    (d) => cal.dayOf(d)
  )
  const decaying = all.decays
    ? compileRateChanges(
        r.changes.filter((c) => c.halfLifeMonths !== undefined),
        (d) => cal.dayOf(d)
      )
    : null
  // Segment boundaries: month starts and change dates (start and end) inside the run.
  const cuts = new Set<number>(cal.months.map((m) => m.start))
  for (const t of rateChangeCuts(all)) if (t > 0 && t < cal.horizon) cuts.add(t)
  if (index !== null) for (const t of index.times) if (t > 0 && t < cal.horizon) cuts.add(t)
  const starts = [...cuts].sort((a, b) => a - b)
  const ends = starts.map((_, i) => (i + 1 < starts.length ? starts[i + 1] : cal.horizon))
  const factor = starts.map((t) => seasonFactor[cal.months[cal.monthOf(t)].calendarMonth] * rateFactorAt(steps, t))
  const smooth = (t: number) => base * Math.exp(growthPerDay * t)
  // Within a segment each decaying factor is monotone: its larger end bounds it (just inside the end, where a
  // change's own end is a cut).
  const decayBound = (a: number, b: number) =>
    decaying === null ? 1 : Math.max(rateFactorAt(decaying, a), rateFactorAt(decaying, a + (b - a) * (1 - 1e-12)))
  // The population's index is linear within a segment (cut at its points): its larger end bounds it.
  const indexBound = (a: number, b: number) => (index === null ? 1 : Math.max(linearAt(index, a), linearAt(index, b)))
  return {
    segmentStart: Float64Array.from(starts),
    segmentEnd: Float64Array.from(ends),
    segmentFactor: Float64Array.from(factor),
    segmentBound: Float64Array.from(
      starts.map(
        (a, i) => factor[i] * Math.max(smooth(a), smooth(ends[i])) * decayBound(a, ends[i]) * indexBound(a, ends[i])
      )
    ),
    base,
    growthPerDay,
    decaying,
    index
  }
}

/** Unaccompanied asylum-seeking children, compiled: their arrivals and what is their own. */
export interface UascModel {
  readonly arrivals: ArrivalProcess
  readonly age: Choice<AgeInBand>
  /** Into care at arrival, by the UASC route. */
  readonly intoCare: Destination
  readonly onEntry: ByAge<Choice<number>>
  readonly duration: ByAge<D.Distribution>
  readonly outcomes: ByAge<Choice<Destination>>
}

/**
 * Sibling groups, compiled (src/engine/Families.ts): the family sizes, the spacing of births, the chance
 * that a sibling follows the eldest at each kind of decision (by the state decided from), and the chance
 * that siblings coming into care together are placed together.
 */
export interface FamiliesModel {
  /** Family sizes 1, 2, ... (items: the size). */
  readonly size: Choice<number>
  /** Children a referral brings on average: the mean family size, with a pre-birth referral a family of one. */
  readonly meanChildren: number
  /** Whether the referral rate counts children (so families arrive at the rate / `meanChildren`). */
  readonly rateCountsChildren: boolean
  /** Days from one sibling's birth to the next younger one's. */
  readonly spacing: D.Distribution
  /** The chance of following the eldest, by the state the decision is made at (stateIndex). */
  readonly follow: Float64Array
  readonly placedTogether: number
}

const compileFamilies = (r: Scenario["referrals"]): FamiliesModel | null => {
  const f = r.families
  if (f === undefined) return null
  const size = makeChoice(
    f.size.map((_, i) => i + 1),
    f.size
  )
  const total = f.size.reduce((a, b) => a + b, 0)
  const meanSize = f.size.reduce((a, share, i) => a + (i + 1) * share, 0) / total
  const pre = r.preBirth?.share ?? 0
  const rho = typeof f.correlation === "number" ? null : f.correlation
  const follow = new Float64Array(STATES.length)
  for (const state of STATES) {
    const k = stateIndex[state]
    follow[k] =
      rho === null
        ? (f.correlation as number)
        : state === "universal"
          ? rho.frontDoor
          : state === "looked_after"
            ? rho.lookedAfter
            : rho.helpLevels
  }
  return {
    size,
    meanChildren: pre + (1 - pre) * meanSize,
    rateCountsChildren: f.rateCounts === "children",
    spacing: compileDistribution(f.spacing),
    follow,
    placedTogether: f.placedTogether
  }
}

export interface Model {
  readonly scenario: Scenario
  readonly calendar: Calendar
  readonly arrivals: ArrivalProcess
  /** Contacts at the front door (then `arrivals` is the contacts' process); null: arrivals are referrals. */
  readonly contacts: ContactModel | null
  /** Referral ages by the population's single years of age; null: by `referralAge` alone. */
  readonly referralAges: ReferralAgeModel | null
  /** Referrals of unborn children: their share of new referrals and the time from referral to birth (days,
   * at most `MAX_DAYS_BEFORE_BIRTH`); null: none. */
  readonly preBirth: { readonly share: number; readonly before: D.Distribution } | null
  /** Age at referral, as a choice of bands then an age within the band (uniform, or the band's own law). */
  readonly referralAge: Choice<AgeInBand>
  /** Referrals as sibling groups; null: every referral is one child. */
  readonly families: FamiliesModel | null
  readonly frontDoor: ByAge<Choice<Destination>>
  /** Re-referral after a closure at the front door, or from a level without its own rule. */
  readonly defaultReReferral: ReReferralModel
  /** Help and protection levels and looked after, by state index (null for the others). */
  readonly levels: ReadonlyArray<LevelModel | null>
  readonly lookedAfter: LookedAfterModel
  readonly careLeaver: CareLeaverModel
  /** Legal statuses of looked-after children; null: the scenario models none. */
  readonly legal: LegalStatusModel | null
  /** Unaccompanied asylum-seeking children; null: none. */
  readonly uasc: UascModel | null
  /** Previous plans and care episodes and what they change; null: the scenario gives none. */
  readonly history: HistoryModel | null
  readonly starting: ReadonlyArray<StartingGroupModel>
  readonly costs: CostModel
  /** The scenario's interventions, for cost-benefit reports (optimism bias, deadweight, evidence). */
  readonly interventions: ReadonlyArray<InterventionSummary>
  /** Capacity-limited services and interventions, compiled for the engine. */
  readonly policy: CompiledPolicy
  /** Dated changes to durations, outcomes and the placement mix; null: none (prices are in `costs`). */
  readonly dated: DatedModel | null
  /**
   * The names the run's events carry (routes, services, interventions), numbered for the event records:
   * the engine writes these numbers, and the run's projections read them with a copy of this table.
   */
  readonly names: Names
}

/** Compiles a validated scenario for a run of `years` (default: the scenario's). */
export const compileModel = (s: Scenario, years: number = s.years): Model => {
  const calendar = makeCalendar(s.start, years)
  const names = new Names()
  const defaultReReferral = reReferralModel(s.referrals.reReferral)
  const helpLevel = (l: Scenario["levels"]["early_help"]): LevelModel => ({
    duration: durationTable(l.duration),
    outcomes: outcomeTable(l.outcomes, destination(names, "stepped_down")),
    reReferral: l.reReferral ? reReferralModel(l.reReferral) : defaultReReferral
  })
  const la = s.levels.looked_after
  const lookedAfter: LookedAfterModel = {
    duration: durationTable(la.duration),
    outcomes: outcomeTable(la.outcomes, careDestination(names)),
    reReferral: la.reReferral ? reReferralModel(la.reReferral) : defaultReReferral,
    onEntry: mixTable(la.placements.onEntry),
    moves: PLACEMENTS.map((p: Placement) => {
      const m = la.placements.moves?.[p]
      return m ? { after: compileDistribution(m.after), to: mixChoice(m.to) } : null
    }),
    atAge: [...(la.placements.atAge ?? [])]
      .sort((a, b) => a.age - b.age)
      .map((r) => ({
        age: r.age,
        from: Uint8Array.from(PLACEMENTS, (p) => (r.from === undefined || r.from.includes(p) ? 1 : 0)),
        probability: r.probability,
        to: mixChoice(r.to)
      }))
  }
  const levels: Array<LevelModel | null> = []
  levels[stateIndex.universal] = null
  levels[stateIndex.early_help] = helpLevel(s.levels.early_help)
  levels[stateIndex.intensive_family_support] = helpLevel(s.levels.intensive_family_support)
  levels[stateIndex.child_in_need] = helpLevel(s.levels.child_in_need)
  levels[stateIndex.child_protection] = helpLevel(s.levels.child_protection)
  levels[stateIndex.looked_after] = lookedAfter
  levels[stateIndex.care_leaver] = null
  levels[stateIndex.exited] = null
  const cl = s.levels.care_leaver
  const frontDoor = outcomeTable(s.referrals.frontDoor, destination(names, "no_further_action"))
  const legal = la.legalStatus ? compileLegalStatus(la.legalStatus, names) : null
  const u = s.uasc
  const uasc: UascModel | null =
    u === undefined
      ? null
      : {
          arrivals: arrivalProcess(calendar, u.perYear / 365.25, 0, new Array<number>(12).fill(1), u.changes),
          age: makeChoice(
            u.ageAtArrival.map((b) => ({
              ages: b.ages,
              within: b.within === undefined ? null : compileDistribution(b.within)
            })),
            u.ageAtArrival.map((b) => b.share)
          ),
          intoCare: {
            to: stateIndex.looked_after,
            via: names.id(u.via),
            closure: CLOSURE_REASONS.indexOf("other"),
            leftCare: LEFT_CARE_REASONS.indexOf("other"),
            stay: -1
          },
          onEntry: mixTable(u.placements),
          duration: u.duration ? durationTable(u.duration) : lookedAfter.duration,
          outcomes: u.outcomes ? outcomeTable(u.outcomes, careDestination(names)) : lookedAfter.outcomes
        }
  const lastEntryRow = la.legalStatus?.onEntry[la.legalStatus.onEntry.length - 1]
  const demand = compileReferralDemand(s, calendar)
  // One law per list of bands (starting groups mostly share the referrals').
  const entryLaws = new Map<ReadonlyArray<AgeShare>, EntryAgeLaw>()
  const entryLawOf = (bands: ReadonlyArray<AgeShare>): EntryAgeLaw => {
    const known = entryLaws.get(bands)
    if (known !== undefined) return known
    const law = entryAgeLaw(bands)
    entryLaws.set(bands, law)
    return law
  }
  return {
    scenario: s,
    calendar,
    arrivals: compileArrivals(s, calendar, demand.index),
    contacts: s.referrals.contacts === undefined ? null : compileContacts(s.referrals.contacts, calendar),
    referralAges: demand.ages,
    preBirth: s.referrals.preBirth
      ? { share: s.referrals.preBirth.share, before: compileDistribution(s.referrals.preBirth.before) }
      : null,
    referralAge: makeChoice(
      s.referrals.ageAtReferral.map((b) => ({
        ages: b.ages,
        within: b.within === undefined ? null : compileDistribution(b.within)
      })),
      s.referrals.ageAtReferral.map((b) => b.share)
    ),
    families: compileFamilies(s.referrals),
    frontDoor,
    defaultReReferral,
    levels,
    lookedAfter,
    careLeaver: {
      stayingPut: cl.stayingPut
        ? {
            share: cl.stayingPut.share,
            from: Uint8Array.from(PLACEMENTS, (p) =>
              (cl.stayingPut!.from ?? ["in_house_foster", "ifa_foster", "kinship"]).includes(p) ? 1 : 0
            ),
            untilAge: cl.stayingPut.untilAge,
            endsEarly: cl.stayingPut.endsEarly ? compileDistribution(cl.stayingPut.endsEarly) : null
          }
        : null,
      supportEndsAt: cl.supportEndsAt,
      extendedTo: cl.extendedTo,
      extendedShare: cl.extendedShare,
      endsEarly: cl.endsEarly ? compileDistribution(cl.endsEarly) : null,
      minDaysInCare: cl.minWeeksInCare * 7
    },
    legal,
    uasc,
    history: compileHistory(s),
    starting: s.startingCaseload.map((g) => ({
      level: g.level,
      levelIndex: stateIndex[g.level],
      placement: g.placement === undefined ? -1 : placementIndex[g.placement],
      count: g.count,
      ages: g.ages,
      within: g.within === undefined ? null : compileDistribution(g.within),
      // Closed cases: by default closed at any time in the last 12 months.
      elapsed: g.elapsed
        ? compileDistribution(g.elapsed)
        : g.level === "universal"
          ? D.empirical(0, [{ upTo: 365, share: 1 }])
          : null,
      dob: g.dateOfBirth === undefined ? null : calendar.dayOf(g.dateOfBirth),
      since: g.since === undefined ? null : calendar.dayOf(g.since),
      legalStatus:
        g.level !== "looked_after" || lastEntryRow === undefined
          ? null
          : statusChoice(g.legalStatus ?? lastEntryRow.mix),
      history: previousChoice(g.history),
      uasc: g.uasc === true,
      ageOnEntry:
        g.level === "looked_after" && g.elapsed === undefined && g.since === undefined
          ? entryLawOf(g.ageOnEntry ?? la.ageOnEntry ?? s.referrals.ageAtReferral)
          : null,
      families: g.families === true && s.referrals.families !== undefined && g.level !== "universal"
    })),
    costs: compileCosts(s, calendar),
    interventions: s.interventions.map(summariseIntervention),
    policy: compilePolicy(
      s,
      calendar,
      {
        frontDoor,
        levels,
        onEntry: lookedAfter.onEntry,
        statusOutcomes: legal?.outcomes ?? LEGAL_STATUSES.map(() => null)
      },
      names
    ),
    dated: compileChanges(s, calendar),
    names
  }
}

/** The longest time from a pre-birth referral to the birth: 40 weeks. */
export const MAX_DAYS_BEFORE_BIRTH = 280

/** An age band and how old a child is within it. */
export interface AgeInBand {
  readonly ages: AgeBand
  /** Days past the band's youngest birthday; null: uniform over the band. */
  readonly within: D.Distribution | null
}

/**
 * An age in days within an inclusive band of whole years: uniform, or by `within` (days past the band's
 * youngest birthday, cut at the band's end), with one draw either way.
 */
export const ageInDays = (band: AgeBand, u: Uniform, within: D.Distribution | null = null): number => {
  // A day past the band's bottom and two short of its top, so that by the calendar a child drawn in
  // [10, 15] is 10 to 15, not 9 or 16 (dates of birth are whole days; years are 365 or 366 days).
  const lo = band[0] * 365.25 + 1
  const hi = (band[1] + 1) * 365.25 - 2
  if (within === null) return lo + u() * (hi - lo)
  const x = within.quantile(u() * within.cdf(hi - lo))
  return lo + Math.min(Math.max(x, 0), hi - lo)
}
