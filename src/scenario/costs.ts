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
  /** Whether an event incurs this cost. */
  readonly matches: (e: CaseEvent) => boolean
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
      return field === "from" ? e.from : field === "to" ? "looked_after" : field === "placement" ? e.placement : field === "via" ? e.via : null
    case "PlacementChanged":
      return field === "from" || field === "to" ? "looked_after" : field === "placement" ? e.to : null
    case "ChildLeftCare":
      return field === "from" ? "looked_after" : field === "to" ? e.to : field === "reason" ? e.reason : field === "placement" ? e.placement : e.via
    case "CaseClosed":
      return field === "from" ? e.from : field === "to" ? e.to : field === "reason" ? e.reason : field === "via" ? e.via : null
    case "CareLeaverSupportEnded":
      return field === "from" ? "care_leaver" : field === "to" ? "exited" : field === "reason" ? e.reason : null
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

