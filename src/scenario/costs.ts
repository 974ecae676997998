/**
 * The cost model: weekly unit costs per level and placement, one-off costs per event, fixed costs, price
 * inflation by financial year, all mapped to the budget lines a scenario names.
 *
 * Prices are given in one financial year (`costs.priceBase`, default the run's first); a line's price in
 * a later year is its base price x (1 + inflation) ^ years since the base.
 */
import type { Calendar } from "../domain/Calendar.js"
import type { CaseEvent, CaseEventTag } from "../domain/Event.js"
import { EVENT_TAGS } from "../domain/Event.js"
import { placementCell, placementIndex, PLACEMENTS, stateIndex } from "../domain/Level.js"
import type { OneOffCost, Scenario } from "./Scenario.js"

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
  /** Whether an event (given by its `eventFields`) incurs this cost. */
  readonly matches: (e: CaseEvent, f: EventFields) => boolean
  readonly amountByFy: Float64Array
}
export interface FixedLine {
  readonly name: string
  readonly budgetLine: number
  readonly perYearByFy: Float64Array
}
export interface CostModel {
  readonly budgetLines: ReadonlyArray<string>
  readonly weekly: ReadonlyArray<WeeklyLine>
  readonly oneOff: ReadonlyArray<OneOffLine>
  /** One-off lines that can match each event type (indices into `oneOff`). */
  readonly oneOffByTag: Readonly<Record<CaseEventTag, ReadonlyArray<number>>>
  readonly fixed: ReadonlyArray<FixedLine>
  /** Days in each whole financial year (365 or 366), to pro-rate fixed costs. */
  readonly fyFullDays: ReadonlyArray<number>
}

const fyStartYear = (label: string): number => Number(label.slice(0, 4))

export interface EventFields {
  readonly from: string | null
  readonly to: string | null
  readonly reason: string | null
  readonly placement: string | null
  readonly via: string | null
}

/** The `from` / `to` / `reason` / `placement` / `via` an event carries, for matching one-off costs. */
export const eventFields = (e: CaseEvent): EventFields => {
  switch (e._tag) {
    case "CaseOpenAtStart":
      return { from: null, to: e.level, reason: null, placement: e.placement, via: null }
    case "CaseClosedBeforeStart":
      return { from: null, to: "universal", reason: null, placement: null, via: null }
    case "ChildReferred":
      return { from: "universal", to: null, reason: e.reReferral ? "re_referral" : "new", placement: null, via: null }
    case "LevelChanged":
      return { from: e.from, to: e.to, reason: null, placement: null, via: e.via }
    case "ChildBecameLookedAfter":
      return { from: e.from, to: "looked_after", reason: null, placement: e.placement, via: e.via }
    case "PlacementChanged":
      return { from: "looked_after", to: "looked_after", reason: null, placement: e.to, via: null }
    case "ChildLeftCare":
      return { from: "looked_after", to: e.to, reason: e.reason, placement: e.placement, via: e.via }
    case "CaseClosed":
      return { from: e.from, to: e.to, reason: e.reason, placement: null, via: e.via }
    case "CareLeaverSupportEnded":
      return { from: "care_leaver", to: "exited", reason: e.reason, placement: null, via: null }
  }
}

const matcher = (on: OneOffCost["on"]) => (e: CaseEvent, f: EventFields): boolean => {
  if (on.event !== undefined && e._tag !== on.event) return false
  if (on.from !== undefined && f.from !== on.from) return false
  if (on.to !== undefined && f.to !== on.to) return false
  if (on.via !== undefined && f.via !== on.via) return false
  if (on.reason !== undefined && f.reason !== on.reason) return false
  if (on.placement !== undefined && f.placement !== on.placement) return false
  return true
}

export const compileCosts = (s: Scenario, cal: Calendar): CostModel => {
  const lines: Array<string> = s.budgetLines.map((b) => b.name)
  const lineIndex = (name: string): number => {
    const i = lines.indexOf(name)
    if (i >= 0) return i
    lines.push(name)
    return lines.length - 1
  }
  const base = fyStartYear(s.costs.priceBase ?? cal.financialYears[0].label)
  const factors = (inflation: number | undefined): Float64Array => {
    const r = inflation ?? s.costs.inflation
    return Float64Array.from(cal.financialYears.map((fy) => Math.pow(1 + r, fyStartYear(fy.label) - base)))
  }
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
  const oneOff = s.costs.oneOff.map((c) => ({
    name: c.name,
    budgetLine: lineIndex(c.budgetLine),
    matches: matcher(c.on),
    amountByFy: factors(c.inflation).map((f) => c.amount * f)
  }))
  const oneOffByTag = {} as Record<CaseEventTag, ReadonlyArray<number>>
  // The caseload known at the start incurred its one-off costs before the run: a line applies to those
  // events only when it names them.
  const atStart = (tag: CaseEventTag) => tag === "CaseOpenAtStart" || tag === "CaseClosedBeforeStart"
  for (const tag of EVENT_TAGS)
    oneOffByTag[tag] = s.costs.oneOff.flatMap((c, i) => (c.on.event === tag || (c.on.event === undefined && !atStart(tag)) ? [i] : []))
  const fixed = s.costs.fixed.map((c) => ({
    name: c.name,
    budgetLine: lineIndex(c.budgetLine),
    perYearByFy: factors(c.inflation).map((f) => c.perYear * f)
  }))
  const fyFullDays = cal.financialYears.map((fy) => {
    const y = fyStartYear(fy.label)
    return (Date.UTC(y + 1, 3, 1) - Date.UTC(y, 3, 1)) / 86_400_000
  })
  return { budgetLines: lines, weekly, oneOff, oneOffByTag, fixed, fyFullDays }
}

