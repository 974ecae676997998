/**
 * Interventions compiled for the engine and for cost-benefit reports.
 *
 * Optimism bias by confidence grade follows the GMCA (New Economy) cost-benefit guidance, which applies
 * a larger downward adjustment to benefits the weaker the evidence: grade 1 (a robust local evaluation or
 * randomised trial) 0%, then 5%, 10%, 15%, 25%, and 40% for grade 6 (an educated estimate). A scenario can
 * override it with `optimismBias`.
 */
import type { Calendar } from "../domain/Calendar.js"
import type { Names } from "../domain/Event.js"
import {
  type ChildState,
  CLOSURE_REASONS,
  LEFT_CARE_REASONS,
  legalStatusIndex,
  type Placement,
  PLACEMENTS,
  placementIndex,
  STATES,
  stateIndex
} from "../domain/Level.js"
import * as D from "../random/Distribution.js"
import {
  type ByAge,
  type Choice,
  compileDistribution,
  type Destination,
  type LevelModel,
  makeChoice
} from "./Tables.js"
import { makeRamp, rampAt, stepIntegral } from "./Ramp.js"
import { QUOTA_RULES, type Intervention, type Quota, type Scenario, type TimeUnit } from "../scenario/Scenario.js"

export const OPTIMISM_BIAS_BY_GRADE: Readonly<Record<number, number>> = {
  1: 0,
  2: 0.05,
  3: 0.1,
  4: 0.15,
  5: 0.25,
  6: 0.4
}

/** What a cost-benefit report needs to know about an intervention. */
export interface InterventionSummary {
  readonly name: string
  readonly evidence: string | null
  readonly confidence: number
  readonly optimismBias: number
  readonly deadweight: number
}

export const summariseIntervention = (i: Intervention): InterventionSummary => ({
  name: i.name,
  evidence: i.evidence ?? null,
  confidence: i.confidence,
  optimismBias: i.optimismBias ?? OPTIMISM_BIAS_BY_GRADE[i.confidence],
  deadweight: i.deadweight
})

// ---------------------------------------------------------------------------------------------------------
// Services: places, waiting lists, what happens when full

/** What a child does when a service is full. */
export const WAIT = 0
export const ESCALATE = 1
export const ALTERNATIVE = 2

export interface ServiceModel {
  readonly name: string
  /** The name's number in the model's `Names` (what the engine's event records carry). */
  readonly nameId: number
  readonly index: number
  /** The level (state index) whose children hold places, or -1. */
  readonly level: number
  /** The placement (index) whose children hold places, or -1. */
  readonly placement: number
  /** The intervention (index) whose children hold places, or -1. */
  readonly intervention: number
  /** Places as a step function of time: places[i] from capAt[i]; before capAt[0], none. Infinity = unlimited. */
  readonly capAt: Float64Array
  readonly places: Float64Array
  readonly priorityQueue: boolean
  /** For a priority queue: rank of each state a child waits at (lower first). */
  readonly rank: Int32Array
  readonly whenFull: number
  /** Where an alternative or escalation goes: a state index, or for placements a placement index. */
  readonly to: number
  readonly escalateAfter: D.Distribution | null
  /** Whether a family takes one place, however many of its children are in the service (sibling groups). */
  readonly countsFamilies: boolean
}

/** Places at time t. */
export const placesAt = (s: ServiceModel, t: number): number => {
  let p = 0
  const at = s.capAt
  for (let i = 0; i < at.length && at[i] <= t; i++) p = s.places[i]
  return p
}

/** Place-days of a service over [a, b): the capacity side of utilisation. */
export const placeDays = (s: ServiceModel, a: number, b: number): number => stepIntegral(s.capAt, s.places, a, b)

/** The sum of step functions of time, as steps at the given change times. */
const sumSteps = (parts: ReadonlyArray<(t: number) => number>, times: ReadonlyArray<number>) => {
  const at = [...new Set(times)].sort((a, b) => a - b)
  return { capAt: Float64Array.from(at), places: Float64Array.from(at, (t) => parts.reduce((s, f) => s + f(t), 0)) }
}

export interface InterventionEffect {
  readonly from: number // state index, -1 = any
  readonly to: number
  readonly multiplier: number
}

export interface InterventionModel {
  readonly name: string
  readonly index: number
  readonly service: ServiceModel
  readonly eligible: boolean
  readonly from: number
  readonly to: number
  /** The route a move must take to be intercepted, as its number in the model's `Names`; -1: any. */
  readonly via: number
  readonly agesLo: number
  readonly agesHi: number
  /** Legal statuses a looked-after child must have (bit k: LEGAL_STATUSES[k]); 0: any child. */
  readonly legalMask: number
  /** 1: UASC only; 0: other children only; -1: any child. */
  readonly uasc: number
  readonly uptake: number
  /** Offered at its start to children already at `to`. */
  readonly openCases: boolean
  readonly duration: D.Distribution | null
  readonly waits: boolean
  readonly redirectTo: number
  readonly moves: ReadonlyArray<InterventionEffect>
  /** Multiplier on the duration of an episode at each state. */
  readonly durationMultiplier: Float64Array
  /** Outcome tables while the effect lasts: the front door, and each level's (by state index; null = none). */
  readonly frontDoor: ByAge<Choice<Destination>>
  readonly outcomes: ReadonlyArray<ByAge<Choice<Destination>> | null>
  /** Care exits by legal status, for the statuses that have their own (by status index; null = none). */
  readonly statusOutcomes: ReadonlyArray<ByAge<Choice<Destination>> | null>
  readonly onEntry: ByAge<Choice<number>>
  readonly lasts: D.Distribution
  /** A count target on open cases (reviews), or null. */
  readonly quota: QuotaModel | null
}

/** How a quota orders the eligible open cases (index in QUOTA_RULES). */
export const LONGEST_FIRST = QUOTA_RULES.indexOf("longest_first")
export const SHORTEST_FIRST = QUOTA_RULES.indexOf("shortest_first")
export const OLDEST_FIRST = QUOTA_RULES.indexOf("oldest_first")
export const YOUNGEST_FIRST = QUOTA_RULES.indexOf("youngest_first")
export const RANDOM = QUOTA_RULES.indexOf("random")

/**
 * A count target: rounds of reviews of open cases at a level (src/engine/Reviews.ts). Round k is at
 * `roundAt[k]` and reviews at most `roundCount[k]` children; `monthTarget[m]` is the month's quota (what
 * quotas.csv sets against what was achieved).
 */
export interface QuotaModel {
  readonly name: string
  readonly nameId: number
  /** The intervention's index. */
  readonly intervention: number
  readonly level: number
  /** Placements a looked-after child must be in (bit k: PLACEMENTS[k]); 0: any. */
  readonly placementMask: number
  /** Time at the level so far, in days: at least, at most. */
  readonly atLeast: number
  readonly atMost: number
  readonly rule: number
  readonly roundAt: Float64Array
  readonly roundCount: Int32Array
  readonly monthTarget: Int32Array
  /** A review ends the stay with this chance (0: never), by this move. */
  readonly endProbability: number
  readonly endTo: Destination | null
  /** What remains of a stay a review does not end is multiplied by this (1: unchanged). */
  readonly shorten: number
}

const DAYS_OF: Record<TimeUnit, number> = { days: 1, weeks: 7, months: 365.25 / 12, years: 365.25 }

/** Whether simulation day t (whole) is a Monday to Friday. 1 January 1970 (epoch day 0) was a Thursday. */
const isWorkingDay = (cal: Calendar, t: number): boolean => {
  const dow = ((((cal.startEpochDay + t) % 7) + 7 + 4) % 7) as number // 0 Sunday ... 6 Saturday
  return dow >= 1 && dow <= 5
}

/** The quota's rounds over the run (see `QuotaModel`). */
const quotaRounds = (q: Quota, cal: Calendar, from: number, until: number) => {
  const counts = [{ at: -Infinity, perMonth: q.perMonth, perYear: q.perYear }]
  for (const c of [...q.changes].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0)))
    counts.push({ at: cal.dayOf(c.from), perMonth: c.perMonth, perYear: c.perYear })
  const monthTarget = new Int32Array(cal.months.length)
  const roundAt: Array<number> = []
  const roundCount: Array<number> = []
  // A yearly count is spread over the months: month m's share is the whole reviews the running total of
  // perYear / 12 passes in it (12 a year: one a month; 6: one every other month), never more in a year.
  let running = 0
  cal.months.forEach((month, m) => {
    const a = Math.max(month.start, from)
    const b = Math.min(month.end, until)
    if (!(a < b)) return
    let count = counts[0]
    for (const c of counts) if (c.at <= a) count = c
    let n: number
    if (count.perMonth !== undefined) n = count.perMonth
    else {
      const before = Math.floor(running + 1e-9)
      running += (count.perYear ?? 0) / 12
      n = Math.floor(running + 1e-9) - before
    }
    monthTarget[m] = n
    if (n <= 0) return
    if (q.when === "spread") {
      for (let k = 0; k < n; k++) {
        roundAt.push(a + ((k + 0.5) * (b - a)) / n)
        roundCount.push(1)
      }
      return
    }
    let t = Math.ceil(a)
    while (t < b && !isWorkingDay(cal, t)) t++
    if (t < b) {
      roundAt.push(t)
      roundCount.push(n)
    }
  })
  return { monthTarget, roundAt: Float64Array.from(roundAt), roundCount: Int32Array.from(roundCount) }
}

/** A choice with the chance of each matching destination multiplied and the others sharing what is left. */
export const reweight = (
  c: Choice<Destination>,
  from: number,
  effects: ReadonlyArray<InterventionEffect>
): Choice<Destination> => {
  const n = c.items.length
  const p = Array.from({ length: n }, (_, i) => c.cum[i] - (i > 0 ? c.cum[i - 1] : 0))
  const m = c.items.map((d) => {
    const e = effects.find((x) => (x.from < 0 || x.from === from) && x.to === d.to)
    return e === undefined ? null : e.multiplier
  })
  if (m.every((x) => x === null)) return c
  const named = p.reduce((s, pi, i) => s + (m[i] !== null ? pi * m[i]! : 0), 0)
  const others = p.reduce((s, pi, i) => s + (m[i] === null ? pi : 0), 0)
  // The other outcomes absorb the change; when there are none, or the named ones would pass 1, the table
  // is renormalised as a whole.
  const w =
    others > 0 && named <= 1
      ? p.map((pi, i) => (m[i] !== null ? pi * m[i]! : (pi * (1 - named)) / others))
      : p.map((pi, i) => (m[i] !== null ? pi * m[i]! : pi))
  if (w.reduce((a, b) => a + b, 0) <= 0) return c
  return makeChoice(c.items, w)
}

const mapByAge = <A, B>(t: ByAge<A>, f: (a: A) => B): ByAge<B> => ({ ...t, values: t.values.map(f) })

const mixReweight = (c: Choice<number>, mult: Partial<Record<Placement, number>>): Choice<number> => {
  const w = c.items.map((pl, i) => (c.cum[i] - (i > 0 ? c.cum[i - 1] : 0)) * (mult[PLACEMENTS[pl]] ?? 1))
  return w.reduce((a, b) => a + b, 0) > 0 ? makeChoice(c.items, w) : c
}

const TWO_YEARS = D.fixed(730.5)

const compileQuota = (iv: Intervention, j: number, cal: Calendar, names: Names): QuotaModel => {
  const q = iv.quota!
  const el = iv.eligibility
  const level = stateIndex[el?.level ?? "looked_after"]
  const span = el?.timeAtLevel
  const k = DAYS_OF[span?.unit ?? "days"]
  const end = iv.effects.endStay
  const from = Math.max(0, cal.dayOf(iv.start))
  const until = iv.end === undefined ? cal.horizon : Math.min(cal.horizon, cal.dayOf(iv.end) + 1)
  const endReason = end?.reason
  const leftCare = LEFT_CARE_REASONS.indexOf((endReason ?? "other") as (typeof LEFT_CARE_REASONS)[number])
  const closure = CLOSURE_REASONS.indexOf((endReason ?? "stepped_down") as (typeof CLOSURE_REASONS)[number])
  return {
    name: iv.name,
    nameId: names.id(iv.name),
    intervention: j,
    level,
    placementMask: (el?.placements ?? []).reduce((m, p) => m | (1 << placementIndex[p]), 0),
    atLeast: (span?.atLeast ?? 0) * k,
    atMost: span?.atMost === undefined ? Infinity : span.atMost * k,
    rule: QUOTA_RULES.indexOf(q.choose),
    ...quotaRounds(q, cal, from, until),
    endProbability: end?.probability ?? 0,
    endTo:
      end === undefined
        ? null
        : {
            to: stateIndex[end.to],
            via: names.id(iv.name),
            closure: closure < 0 ? CLOSURE_REASONS.indexOf("other") : closure,
            leftCare: leftCare < 0 ? LEFT_CARE_REASONS.indexOf("other") : leftCare,
            stay: -1
          },
    shorten: iv.effects.shortenStay?.multiplier ?? 1
  }
}

export interface CompiledPolicy {
  readonly services: ReadonlyArray<ServiceModel>
  readonly interventions: ReadonlyArray<InterventionModel>
  /** Service index by state index (-1 none) and by placement index. */
  readonly serviceOfLevel: Int32Array
  readonly serviceOfPlacement: Int32Array
  /** The interventions' count targets (reviews of open cases). */
  readonly quotas: ReadonlyArray<QuotaModel>
}

export const compilePolicy = (
  s: Scenario,
  cal: Calendar,
  base: {
    frontDoor: ByAge<Choice<Destination>>
    levels: ReadonlyArray<LevelModel | null>
    onEntry: ByAge<Choice<number>>
    statusOutcomes: ReadonlyArray<ByAge<Choice<Destination>> | null>
  },
  names: Names
): CompiledPolicy => {
  const ramps = s.interventions.map((i) => makeRamp(cal, i.start, i.end, i.rampUpMonths))
  // The build-up without the drop at the end: what an intervention leaves behind (e.g. places added).
  const lasting = ramps.map((r) => {
    const keep =
      r.fraction.length > 0 && r.fraction[r.fraction.length - 1] === 0 ? r.fraction.length - 1 : r.fraction.length
    return { at: r.at.slice(0, keep), fraction: r.fraction.slice(0, keep) }
  })
  const services: Array<ServiceModel> = []
  const serviceOfLevel = new Int32Array(STATES.length).fill(-1)
  const serviceOfPlacement = new Int32Array(PLACEMENTS.length).fill(-1)
  for (const sv of s.services) {
    const changes = sv.changes
      .map((c) => ({ t: Math.max(0, cal.dayOf(c.from)), places: c.places }))
      .sort((a, b) => a.t - b.t)
    const own = (t: number) => {
      let p = sv.places
      for (const c of changes) if (c.t <= t) p = c.places
      return p
    }
    // Places an intervention adds build up over its ramp and stay after its end (carers recruited stay).
    const adds = s.interventions.flatMap((iv, j) =>
      iv.effects.places
        .filter((a) => a.service === sv.name)
        .map((a) => (t: number) => Math.floor(a.add * rampAt(lasting[j], t) + 1e-9))
    )
    const times = [
      0,
      ...changes.map((c) => c.t),
      ...s.interventions.flatMap((iv, j) =>
        iv.effects.places.some((a) => a.service === sv.name) ? [...lasting[j].at].map((t) => Math.max(0, t)) : []
      )
    ]
    const steps = sumSteps([own, ...adds], times)
    const wf = sv.whenFull
    const placementService = sv.placement !== undefined
    const to =
      wf.action === "wait"
        ? -1
        : placementService
          ? (placementIndex[wf.to as Placement] ?? -1)
          : (stateIndex[wf.to as ChildState] ?? -1)
    const rank = new Int32Array(STATES.length).fill(STATES.length)
    ;(sv.priority ?? []).forEach((st, k) => (rank[stateIndex[st]] = k))
    const model: ServiceModel = {
      name: sv.name,
      nameId: names.id(sv.name),
      index: services.length,
      level: sv.level !== undefined ? stateIndex[sv.level] : -1,
      placement: sv.placement !== undefined ? placementIndex[sv.placement] : -1,
      intervention: -1,
      capAt: steps.capAt,
      places: Float64Array.from(steps.places, (p) => Math.max(0, p)),
      priorityQueue: sv.queue === "priority",
      rank,
      whenFull: wf.action === "wait" ? WAIT : wf.action === "escalate" ? ESCALATE : ALTERNATIVE,
      to,
      escalateAfter: wf.action === "escalate" ? compileDistribution(wf.after) : null,
      countsFamilies: sv.counts === "families"
    }
    if (model.level >= 0) serviceOfLevel[model.level] = model.index
    if (model.placement >= 0) serviceOfPlacement[model.placement] = model.index
    services.push(model)
  }
  const interventions = s.interventions.map((iv, j): InterventionModel => {
    const ramp = ramps[j]
    const cap = iv.capacity
    const full = cap === undefined ? Infinity : "places" in cap ? cap.places : cap.workers * cap.casesPerWorker
    const service: ServiceModel = {
      name: iv.name,
      nameId: names.id(iv.name),
      index: services.length,
      level: -1,
      placement: -1,
      intervention: j,
      capAt: ramp.at.length > 0 ? ramp.at : Float64Array.of(0),
      places:
        ramp.at.length > 0
          ? Float64Array.from(ramp.fraction, (f) =>
              f <= 0 ? 0 : full === Infinity ? Infinity : Math.floor(full * f + 1e-9)
            )
          : Float64Array.of(0),
      priorityQueue: false,
      rank: new Int32Array(STATES.length),
      whenFull: iv.whenFull === "wait" ? WAIT : ALTERNATIVE,
      to: -1,
      escalateAfter: null,
      countsFamilies: false
    }
    services.push(service)
    const moves = iv.effects.moves.map((m) => ({
      from: m.from === undefined ? -1 : stateIndex[m.from],
      to: stateIndex[m.to],
      multiplier: m.multiplier
    }))
    const durationMultiplier = new Float64Array(STATES.length).fill(1)
    for (const d of iv.effects.durations) durationMultiplier[stateIndex[d.level]] = d.multiplier
    const el = iv.eligibility
    return {
      name: iv.name,
      index: j,
      service,
      eligible: el !== undefined,
      from: el?.from === undefined ? -1 : stateIndex[el.from],
      to: el?.to === undefined ? -1 : stateIndex[el.to],
      via: el?.via === undefined ? -1 : names.id(el.via),
      agesLo: el?.ages?.[0] ?? 0,
      agesHi: el?.ages?.[1] ?? 200,
      legalMask: (el?.legalStatus ?? []).reduce((m, code) => m | (1 << legalStatusIndex[code]), 0),
      uasc: el?.uasc === undefined ? -1 : el.uasc ? 1 : 0,
      uptake: el?.uptake ?? 1,
      openCases: el?.openCases ?? false,
      duration: iv.duration ? compileDistribution(iv.duration) : null,
      waits: iv.whenFull === "wait",
      redirectTo: iv.effects.redirectTo === undefined ? -1 : stateIndex[iv.effects.redirectTo],
      moves,
      durationMultiplier,
      frontDoor: mapByAge(base.frontDoor, (c) => reweight(c, stateIndex.universal, moves)),
      outcomes: base.levels.map((l, st) => (l === null ? null : mapByAge(l.outcomes, (c) => reweight(c, st, moves)))),
      statusOutcomes: base.statusOutcomes.map((o) =>
        o === null ? null : mapByAge(o, (c) => reweight(c, stateIndex.looked_after, moves))
      ),
      onEntry: iv.effects.placementMix
        ? mapByAge(base.onEntry, (c) => mixReweight(c, iv.effects.placementMix!))
        : base.onEntry,
      lasts: iv.effects.lasts ? compileDistribution(iv.effects.lasts) : TWO_YEARS,
      quota: iv.quota === undefined ? null : compileQuota(iv, j, cal, names)
    }
  })
  const quotas = interventions.flatMap((iv) => (iv.quota === null ? [] : [iv.quota]))
  return { services, interventions, serviceOfLevel, serviceOfPlacement, quotas }
}
