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
import type { CaseEvent, CaseEventTag } from "../domain/Event.js"
import { EVENT_TAGS } from "../domain/Event.js"
import { placementCell, placementIndex, PLACEMENTS, stateIndex } from "../domain/Level.js"
import type { OneOffCost, Scenario } from "../scenario/Scenario.js"
import { compileWorkforce, type CompiledTeam } from "./Teams.js"

export interface WeeklyLine {
  readonly name: string
  readonly budgetLine: number
  /** Cells (see `cellOf`) whose children incur this cost. */
  readonly cells: ReadonlyArray<number>
  /** Cost per child per day, by financial-year index. */
  readonly dailyByFy: Float64Array
}
export interface OneOffLine {
  readonly name: string
  readonly budgetLine: number
  /** The intervention this cost belongs to (its per-child cost), or null for the council's usual costs. */
  readonly intervention: string | null
  /** Whether an event incurs this cost. */
  readonly matches: (e: CaseEvent) => boolean
  readonly amountByFy: Float64Array
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
  readonly scheduled: ReadonlyArray<ScheduledLine>
  /** The workforce's teams: staff costs from caseloads (see projections/Workforce.ts). */
  readonly teams: ReadonlyArray<CompiledTeam>
  /** Days in each whole financial year (365 or 366), to pro-rate fixed costs. */
  readonly fyFullDays: ReadonlyArray<number>
}

const fyStartYear = (label: string): number => Number(label.slice(0, 4))

/** What a one-off cost's `on` can ask of an event. */
type Field = "from" | "to" | "reason" | "placement" | "via"

/**
 * The `from` / `to` / `reason` / `placement` / `via` an event carries, for matching one-off costs. A
 * switch rather than an object per event: the ledger asks this for every event with a cost line.
 */
export const eventField = (e: CaseEvent, field: Field): string | null => {
  switch (e._tag) {
    case "CaseOpenAtStart":
      return field === "to" ? e.level : field === "placement" ? e.placement : null
    case "CaseClosedBeforeStart":
      return field === "to" ? "universal" : null
    case "ChildReferred":
      return field === "from" ? "universal" : field === "reason" ? (e.reReferral ? "re_referral" : "new") : null
    case "LevelChanged":
      return field === "from" ? e.from : field === "to" ? e.to : field === "via" ? e.via : null
    case "ChildBecameLookedAfter":
      return field === "from"
        ? e.from
        : field === "to"
          ? "looked_after"
          : field === "placement"
            ? e.placement
            : field === "via"
              ? e.via
              : null
    case "PlacementChanged":
      return field === "from" || field === "to" ? "looked_after" : field === "placement" ? e.to : null
    case "ChildLeftCare":
      return field === "from"
        ? "looked_after"
        : field === "to"
          ? e.to
          : field === "reason"
            ? e.reason
            : field === "placement"
              ? e.placement
              : e.via
    case "CaseClosed":
      return field === "from"
        ? e.from
        : field === "to"
          ? e.to
          : field === "reason"
            ? e.reason
            : field === "via"
              ? e.via
              : null
    case "CareLeaverSupportEnded":
      return field === "from" ? "care_leaver" : field === "to" ? "exited" : field === "reason" ? e.reason : null
    case "InterventionStarted":
      return field === "from" ? e.at : field === "to" ? e.redirectedTo : field === "via" ? e.intervention : null
    case "InterventionEnded":
      return field === "reason" ? e.reason : field === "via" ? e.intervention : null
    case "WaitingListJoined":
      return field === "from" ? e.at : field === "via" ? e.service : null
    case "WaitingListLeft":
      return field === "reason" ? e.outcome : field === "via" ? e.service : null
    case "PlacementOverflowed":
      return field === "placement" ? e.placedIn : field === "via" ? e.service : null
  }
}

const FIELDS: ReadonlyArray<Field> = ["from", "to", "reason", "placement", "via"]

const matcher = (on: OneOffCost["on"]) => {
  const wanted = FIELDS.flatMap((f) => (on[f] !== undefined ? [[f, on[f]] as const] : []))
  return (e: CaseEvent): boolean => {
    if (on.event !== undefined && e._tag !== on.event) return false
    for (const [f, v] of wanted) if (eventField(e, f) !== v) return false
    return true
  }
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
    cells:
      c.placement !== undefined
        ? [placementCell(placementIndex[c.placement])]
        : c.level === "looked_after"
          ? PLACEMENTS.map((_, p) => placementCell(p))
          : [stateIndex[c.level ?? "universal"]],
    dailyByFy: factors(c.inflation).map((f) => (c.perWeek / 7) * f)
  }))
  const oneOff: Array<OneOffLine> = s.costs.oneOff.map((c) => ({
    name: c.name,
    budgetLine: lineIndex(c.budgetLine),
    intervention: null,
    matches: matcher(c.on),
    amountByFy: factors(c.inflation).map((f) => c.amount * f)
  }))
  const oneOffEvent: Array<CaseEventTag | undefined> = s.costs.oneOff.map((c) => c.on.event)
  for (const i of s.interventions) {
    if (i.costs.perChild <= 0) continue
    oneOff.push({
      name: `${i.name}: per child`,
      budgetLine: lineIndex(i.costs.budgetLine),
      intervention: i.name,
      matches: (e) => e._tag === "InterventionStarted" && e.intervention === i.name,
      amountByFy: factors(i.costs.inflation).map((f) => i.costs.perChild * f)
    })
    oneOffEvent.push("InterventionStarted")
  }
  const oneOffByTag = {} as Record<CaseEventTag, ReadonlyArray<number>>
  // The caseload known at the start incurred its one-off costs before the run: a line applies to those
  // events only when it names them.
  const atStart = (tag: CaseEventTag) => tag === "CaseOpenAtStart" || tag === "CaseClosedBeforeStart"
  for (const tag of EVENT_TAGS)
    oneOffByTag[tag] = oneOffEvent.flatMap((ev, i) => (ev === tag || (ev === undefined && !atStart(tag)) ? [i] : []))
  const fixed = s.costs.fixed.map((c) => ({
    name: c.name,
    budgetLine: lineIndex(c.budgetLine),
    perYearByFy: factors(c.inflation).map((f) => c.perYear * f)
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
    scheduled,
    fyFullDays,
    teams: compileWorkforce(s, cal, lineIndex)
  }
}
