/**
 * The cost model: weekly unit costs per level and placement, one-off costs per event, fixed costs, price
 * inflation by financial year, all mapped to the budget lines a scenario names.
 *
 * Prices are given in one financial year (`costs.priceBase`, default the run's first); a line's price in
 * a later year is its base price x (1 + inflation) ^ years since the base.
 */
import type { Calendar, Month } from "../domain/Calendar.js"
import { priceFactors } from "./Prices.js"
import { makeRamp, rampDays } from "./Ramp.js"
import {
  EVENT_TAG_INDEX,
  EVENT_TAGS,
  REASONS,
  type CaseEventTag,
  type EventRecord,
  type Names
} from "../domain/Event.js"
import {
  LEGAL_STATUSES,
  legalStatusIndex,
  placementCell,
  placementIndex,
  PLACEMENTS,
  stateIndex
} from "../domain/Level.js"
import type { DatedChange, OneOffCost, Scenario } from "../scenario/Scenario.js"
import { changeWindow } from "./Changes.js"
import { compileWorkforce, type CompiledTeam } from "./Teams.js"

export interface WeeklyLine {
  readonly name: string
  readonly budgetLine: number
  /** Cells (see `cellOf`) whose children incur this cost (none for a line by legal status). */
  readonly cells: ReadonlyArray<number>
  /** 1 for each legal status (`legalStatusIndex`) whose looked-after children incur it; null: by cells. */
  readonly statuses: Uint8Array | null
  /** Cost per child per day, by financial-year index. */
  readonly dailyByFy: Float64Array
  /** Dated price changes (`changes` with `price`): the multiplier in each month; null: none. */
  readonly monthFactor?: Float64Array | null
}
export interface OneOffLine {
  readonly name: string
  readonly budgetLine: number
  /** The intervention this cost belongs to (its per-child cost), or null for the council's usual costs. */
  readonly intervention: string | null
  /** Which events incur this cost: every field given must match (see `incurs`). */
  readonly on: OneOffCost["on"]
  readonly amountByFy: Float64Array
  /** Dated price changes: the multiplier in each month; null: none. */
  readonly monthFactor?: Float64Array | null
}
/** A weekly amount per UASC child in care or as a care leaver: a cost, or a grant (a negative amount). */
export interface UascLine {
  readonly name: string
  readonly budgetLine: number
  /** Paid on UASC child-days in care (false: as care leavers). */
  readonly inCare: boolean
  /** Per child per day, by financial-year index (negative for a grant). */
  readonly dailyByFy: Float64Array
}
export interface FixedLine {
  readonly name: string
  readonly budgetLine: number
  readonly perYearByFy: Float64Array
}
/**
 * A cost fixed in advance month by month: an intervention's staff (FTE x weekly cost, following its
 * ramp-up), running costs and set-up. Part of the investment in a cost-benefit comparison.
 */
export interface ScheduledLine {
  readonly name: string
  readonly budgetLine: number
  readonly intervention: string
  /** Pounds by month of the run. */
  readonly amountByMonth: Float64Array
}
export interface CostModel {
  readonly budgetLines: ReadonlyArray<string>
  readonly weekly: ReadonlyArray<WeeklyLine>
  readonly oneOff: ReadonlyArray<OneOffLine>
  /** One-off lines that can match each event type (indices into `oneOff`). */
  readonly oneOffByTag: Readonly<Record<CaseEventTag, ReadonlyArray<number>>>
  readonly fixed: ReadonlyArray<FixedLine>
  /** UASC's own weekly costs and grants (empty without UASC). */
  readonly uasc: ReadonlyArray<UascLine>
  /** Weekly costs of staying-put arrangements, on their days (empty without staying put). */
  readonly stayingPut: ReadonlyArray<UascLine>
  readonly scheduled: ReadonlyArray<ScheduledLine>
  /** The workforce's teams: staff costs from caseloads (see projections/Workforce.ts). */
  readonly teams: ReadonlyArray<CompiledTeam>
  /** Days in each whole financial year (365 or 366), to pro-rate fixed costs. */
  readonly fyFullDays: ReadonlyArray<number>
}

const fyStartYear = (label: string): number => Number(label.slice(0, 4))

/**
 * What a one-off cost's `on` can ask of an event, read off the event's record (`EventRecord`): the state it
 * is from and to, its reason, its placement and its route. From and to are the record's state change, or
 * for events that change no state the state the child is at (an intervention started, a waiting list
 * joined) and the level an intervention redirects to; a referral is from universal (the front door), to
 * nowhere yet. The placement is the one the child is in after the event, or for one leaving care the one
 * left; the route is the event's `via`, or the service or intervention it names; the legal status is the
 * one a LegalStatusChanged event sets (other events set none, so a line naming one matches only those).
 */
export const costFrom = (r: EventRecord): number => (r.tag === REFERRED ? UNIVERSAL : r.from >= 0 ? r.from : r.at)
export const costTo = (r: EventRecord): number => (r.tag === REFERRED ? -1 : r.to >= 0 ? r.to : r.redirectedTo)
export const costPlacement = (r: EventRecord): number => (r.toPlacement >= 0 ? r.toPlacement : r.fromPlacement)

const REFERRED = EVENT_TAG_INDEX.ChildReferred
const UNIVERSAL = stateIndex.universal

/** A one-off line's `on` for one event type, in record numbers (ANY: not asked; -1 matches nothing given). */
export interface OneOffMatcher {
  /** Index into `CostModel.oneOff`. */
  readonly line: number
  readonly from: number
  readonly to: number
  readonly reason: number
  readonly placement: number
  readonly via: number
  /** The legal status set (a LegalStatusChanged event's `to`). */
  readonly status: number
}
export const ANY = -2

/** Whether a record incurs a line (the matcher is for the record's event type). */
export const incurs = (m: OneOffMatcher, r: EventRecord): boolean =>
  (m.via === ANY || m.via === r.name) &&
  (m.reason === ANY || m.reason === r.reason) &&
  (m.from === ANY || m.from === costFrom(r)) &&
  (m.to === ANY || m.to === costTo(r)) &&
  (m.placement === ANY || m.placement === costPlacement(r)) &&
  (m.status === ANY || m.status === r.status)

/**
 * Every one-off line's matcher by event type (indexed by `EVENT_TAG_INDEX`), with routes numbered in
 * `names`. A line naming a reason only matches the event types that give that reason.
 */
export const oneOffMatchers = (costs: CostModel, names: Names): ReadonlyArray<ReadonlyArray<OneOffMatcher>> =>
  EVENT_TAGS.map((tag) =>
    costs.oneOffByTag[tag].flatMap((line): Array<OneOffMatcher> => {
      const on = costs.oneOff[line].on
      const reason = on.reason === undefined ? ANY : REASONS[tag].indexOf(on.reason)
      if (reason === -1) return []
      return [
        {
          line,
          from: on.from === undefined ? ANY : stateIndex[on.from],
          to: on.to === undefined ? ANY : stateIndex[on.to],
          reason,
          placement: on.placement === undefined ? ANY : placementIndex[on.placement],
          via: on.via === undefined ? ANY : names.id(on.via),
          status: on.legalStatus === undefined ? ANY : legalStatusIndex[on.legalStatus]
        }
      ]
    })
  )

/**
 * The product of the dated price changes (`changes` with `price`) a line matches, month by month (a price
 * change runs from the first of a month to the last day of one: Validate.ts); null when none matches.
 */
export const priceFactorsByMonth = (
  s: Scenario,
  cal: Calendar,
  matches: (price: NonNullable<DatedChange["price"]>) => boolean
): Float64Array | null => {
  const mine = s.changes.filter((c) => c.price !== undefined && matches(c.price))
  if (mine.length === 0) return null
  return Float64Array.from(cal.months, (m) =>
    mine.reduce((f, c) => {
      const [from, until] = changeWindow(c, cal)
      return m.start >= from && m.start < until ? f * (c.multiplier ?? 1) : f
    }, 1)
  )
}

export const compileCosts = (s: Scenario, cal: Calendar): CostModel => {
  const lines: Array<string> = s.budgetLines.map((b) => b.name)
  const lineIndex = (name: string): number => {
    const i = lines.indexOf(name)
    if (i >= 0) return i
    lines.push(name)
    return lines.length - 1
  }
  const factors = priceFactors(s, cal)
  const weekly = s.costs.weekly.map((c) => ({
    name: c.name,
    budgetLine: lineIndex(c.budgetLine),
    statuses:
      c.legalStatus === undefined
        ? null
        : Uint8Array.from(LEGAL_STATUSES, (x): number => (c.legalStatus!.includes(x) ? 1 : 0)),
    cells:
      c.legalStatus !== undefined
        ? []
        : c.placement !== undefined
          ? [placementCell(placementIndex[c.placement])]
          : c.level === "looked_after"
            ? PLACEMENTS.map((_, p) => placementCell(p))
            : [stateIndex[c.level ?? "universal"]],
    dailyByFy: factors(c.inflation).map((f) => (c.perWeek / 7) * f),
    monthFactor: priceFactorsByMonth(s, cal, (p) =>
      p.line !== undefined
        ? p.line === c.name
        : p.placement !== undefined
          ? p.placement === c.placement
          : p.level !== undefined && p.level === c.level
    )
  }))
  const oneOff: Array<OneOffLine> = s.costs.oneOff.map((c) => ({
    name: c.name,
    budgetLine: lineIndex(c.budgetLine),
    intervention: null,
    on: c.on,
    amountByFy: factors(c.inflation).map((f) => c.amount * f),
    monthFactor: priceFactorsByMonth(s, cal, (p) => p.line === c.name)
  }))
  const oneOffEvent: Array<CaseEventTag | undefined> = s.costs.oneOff.map((c) => c.on.event)
  for (const i of s.interventions) {
    if (i.costs.perChild <= 0) continue
    oneOff.push({
      name: `${i.name}: per child`,
      budgetLine: lineIndex(i.costs.budgetLine),
      intervention: i.name,
      on: { event: "InterventionStarted", via: i.name },
      amountByFy: factors(i.costs.inflation).map((f) => i.costs.perChild * f)
    })
    oneOffEvent.push("InterventionStarted")
  }
  const oneOffByTag = {} as Record<CaseEventTag, ReadonlyArray<number>>
  // The caseload known at the start incurred its one-off costs before the run: a line applies to those
  // events only when it names them; so with contacts (about no child), which only a line naming them costs,
  // a sibling's SiblingReferred (their referral is their ChildReferred) and a history before the run (no
  // event of the run's).
  const atStart = (tag: CaseEventTag) =>
    tag === "CaseOpenAtStart" ||
    tag === "CaseClosedBeforeStart" ||
    tag === "ContactReceived" ||
    tag === "SiblingReferred" ||
    tag === "HistoryBeforeRun"
  for (const tag of EVENT_TAGS)
    oneOffByTag[tag] = oneOffEvent.flatMap((ev, i) => (ev === tag || (ev === undefined && !atStart(tag)) ? [i] : []))
  const fixed = s.costs.fixed.map((c) => ({
    name: c.name,
    budgetLine: lineIndex(c.budgetLine),
    perYearByFy: factors(c.inflation).map((f) => c.perYear * f)
  }))
  const uascLine =
    (sign: number) =>
    (c: NonNullable<Scenario["uasc"]>["costs"][number]): UascLine => ({
      name: c.name,
      budgetLine: lineIndex(c.budgetLine),
      inCare: c.level === "looked_after",
      dailyByFy: factors(c.inflation).map((f) => (sign * c.perWeek * f) / 7)
    })
  const uasc = [...(s.uasc?.costs ?? []).map(uascLine(1)), ...(s.uasc?.grants ?? []).map(uascLine(-1))]
  const stayingPut = (s.levels.care_leaver.stayingPut?.costs ?? []).map((c): UascLine => ({
    name: c.name,
    budgetLine: lineIndex(c.budgetLine),
    inCare: false,
    dailyByFy: factors(c.inflation).map((f) => (c.perWeek * f) / 7)
  }))
  const fyFullDays = cal.financialYears.map((fy) => {
    const y = fyStartYear(fy.label)
    return (Date.UTC(y + 1, 3, 1) - Date.UTC(y, 3, 1)) / 86_400_000
  })
  const scheduled = s.interventions.flatMap((i): Array<ScheduledLine> => {
    const ramp = makeRamp(cal, i.start, i.end, i.rampUpMonths)
    const full = makeRamp(cal, i.start, i.end, 0)
    const f = factors(i.costs.inflation)
    const budgetLine = lineIndex(i.costs.budgetLine)
    const byMonth = (perDay: (m: Month) => number) => Float64Array.from(cal.months, (m) => perDay(m) * f[m.fy])
    const out: Array<ScheduledLine> = []
    const staffPerWeek = i.costs.staff.reduce((a, r) => a + r.fte * r.perWeek, 0)
    if (staffPerWeek > 0)
      out.push({
        name: `${i.name}: staff`,
        budgetLine,
        intervention: i.name,
        amountByMonth: byMonth((m) => (rampDays(ramp, m.start, m.end) * staffPerWeek) / 7)
      })
    if (i.costs.perYear > 0)
      out.push({
        name: `${i.name}: running costs`,
        budgetLine,
        intervention: i.name,
        amountByMonth: byMonth((m) => (rampDays(full, m.start, m.end) * i.costs.perYear) / fyFullDays[m.fy])
      })
    const startDay = cal.dayOf(i.start)
    if (i.costs.setUp > 0 && startDay >= 0 && startDay < cal.horizon)
      out.push({
        name: `${i.name}: set-up`,
        budgetLine,
        intervention: i.name,
        amountByMonth: byMonth((m) => (startDay >= m.start && startDay < m.end ? i.costs.setUp : 0))
      })
    return out
  })
  return {
    budgetLines: lines,
    weekly,
    oneOff,
    oneOffByTag,
    fixed,
    uasc,
    stayingPut,
    scheduled,
    fyFullDays,
    teams: compileWorkforce(s, cal, lineIndex)
  }
}
