/**
 * The workforce's teams compiled against a run's calendar: the cells whose children are each team's
 * cases, the establishment and intervention-funded posts month by month, and the weekly staff costs by
 * financial year. Part of the cost model; `projections/Workforce.ts` turns them into caseloads, FTE and
 * staff costs.
 */
import type { Calendar } from "../domain/Calendar.js"
import { PLACEMENTS, placementCell, stateIndex, type OpenLevel } from "../domain/Level.js"
import type { Scenario } from "../scenario/Scenario.js"
import { priceFactors } from "./Prices.js"
import { makeRamp, rampDays } from "./Ramp.js"

/** A team compiled against the run's calendar (part of the cost model). */
export interface CompiledTeam {
  readonly name: string
  readonly budgetLine: number
  readonly levels: ReadonlyArray<OpenLevel>
  /** Cells (see `cellOf`) whose children are this team's cases. */
  readonly cells: ReadonlyArray<number>
  readonly targetCaseload: number
  /** Whether a case is a family (siblings in the team's cells count once) rather than a child. */
  readonly countsFamilies: boolean
  readonly vacancyRate: number
  /** Permanent establishment (FTE) averaged over each month's days. */
  readonly establishmentByMonth: Float64Array
  /** Posts an intervention funds in this team (its `costs.staff` naming the team), averaged over each
   * month's days as they build up: they hold cases, but are paid on the intervention's cost lines. */
  readonly fundedByMonth: Float64Array
  /** Weekly cost of one permanent / agency FTE, by financial-year index. */
  readonly permanentWeeklyByFy: Float64Array
  readonly agencyWeeklyByFy: Float64Array
}

/** The cells a level's children are counted in (looked after: every placement). */
export const cellsOfLevel = (level: OpenLevel): ReadonlyArray<number> =>
  level === "looked_after" ? PLACEMENTS.map((_, p) => placementCell(p)) : [stateIndex[level]]

/**
 * The permanent establishment as a step function of simulation days: `base` until the first change, then
 * each change's FTE from its date (changes sorted by date; a change dated before the start applies from
 * the start). Returns the average over [a, b).
 */
const averageEstablishment = (
  base: number,
  changes: ReadonlyArray<{ readonly at: number; readonly fte: number }>,
  a: number,
  b: number
): number => {
  if (b <= a) return 0
  let total = 0
  let level = base
  let from = a
  for (const c of changes) {
    if (c.at >= b) break
    if (c.at > from) {
      total += level * (c.at - from)
      from = c.at
    }
    level = c.fte
  }
  total += level * (b - from)
  return total / (b - a)
}

/**
 * Compiles the scenario's teams. `lineIndex` registers a budget line by name and returns its index (the
 * cost model's, so team lines sit with the others); without it, lines are numbered in order of first use.
 */
export const compileWorkforce = (
  s: Scenario,
  cal: Calendar,
  lineIndex?: (name: string) => number
): ReadonlyArray<CompiledTeam> => {
  const own: Array<string> = []
  const index =
    lineIndex ??
    ((name: string) => {
      const i = own.indexOf(name)
      if (i >= 0) return i
      own.push(name)
      return own.length - 1
    })
  const factors = priceFactors(s, cal)
  return s.workforce.map((t) => {
    const changes = t.establishmentChanges
      .map((c) => ({ at: cal.dayOf(c.from), fte: c.fte }))
      .sort((x, y) => x.at - y.at)
    const f = factors(t.inflation)
    return {
      name: t.name,
      budgetLine: index(t.budgetLine),
      levels: t.levels,
      cells: [...new Set(t.levels.flatMap(cellsOfLevel))],
      targetCaseload: t.targetCaseload,
      countsFamilies: t.counts === "families",
      vacancyRate: t.vacancyRate,
      establishmentByMonth: Float64Array.from(cal.months, (m) =>
        averageEstablishment(t.establishment, changes, m.start, m.end)
      ),
      fundedByMonth: Float64Array.from(cal.months, (m) =>
        s.interventions.reduce((sum, iv) => {
          const fte = iv.costs.staff.reduce((a, r) => a + (r.team === t.name ? r.fte : 0), 0)
          if (fte === 0 || m.end <= m.start) return sum
          return (
            sum + (fte * rampDays(makeRamp(cal, iv.start, iv.end, iv.rampUpMonths), m.start, m.end)) / (m.end - m.start)
          )
        }, 0)
      ),
      permanentWeeklyByFy: f.map((x) => t.permanentPerWeek * x),
      agencyWeeklyByFy: f.map((x) => t.agencyPerWeek * x)
    }
  })
}
