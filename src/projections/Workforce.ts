/**
 * The workforce: for each team in a scenario's `workforce`, the caseload its workers hold, the staff it
 * needs at its target caseload, the permanent staff in post, the agency staff that cover the gap, and
 * what they cost, month by month.
 *
 * Per team and month (read from the ledger, so a replayed log gives the same figures):
 *   children     average caseload over the month = child-days in the team's cells / days in the month
 *                (also the count at the month end)
 *   needed       FTE needed = children / target caseload
 *   permanent    permanent FTE in post = establishment x (1 - vacancy rate); the establishment is averaged
 *                over the month's days, so a change from a date mid-month counts pro rata; plus posts an
 *                intervention funds in the team (paid on the intervention's lines, not the team's)
 *   agency       agency FTE = max(0, needed - permanent): agency staff cover only the gap
 *   caseload     children / (permanent + agency), and children / permanent
 *   cost         permanent x permanent weekly cost x days / 7 (permanent staff are paid whatever the
 *                caseload) + agency x agency weekly cost x days / 7, each priced in the month's financial
 *                year exactly as other cost lines (base price x (1 + inflation) ^ years since the price base)
 *
 * A level may be in more than one team: each team counts every child at its levels, because the roles
 * differ (a looked-after child has a social worker and, say, a supervising social worker for the carer).
 * The staff costs become spend lines (kind "staff") on each team's budget line (see `Spend.ts`).
 */
import type { Calendar } from "../domain/Calendar.js"
import { CELL_COUNT, PLACEMENTS, placementCell, stateIndex, type OpenLevel } from "../domain/Level.js"
import { priceFactors } from "../scenario/prices.js"
import { makeRamp, rampDays } from "../scenario/ramp.js"
import type { Scenario } from "../scenario/Scenario.js"
import type { Problem } from "../scenario/validate.js"
import type { LedgerTotals } from "./Ledger.js"

/** A team compiled against the run's calendar (part of the cost model). */
export interface CompiledTeam {
  readonly name: string
  readonly budgetLine: number
  readonly levels: ReadonlyArray<OpenLevel>
  /** Cells (see `cellOf`) whose children are this team's cases. */
  readonly cells: ReadonlyArray<number>
  readonly targetCaseload: number
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

/** One team's figures by month of the run. Caseloads are NaN when there is no worker to divide by. */
export interface TeamProjection {
  readonly team: CompiledTeam
  /** Average children over the month. */
  readonly children: Float64Array
  /** Children at the month end. */
  readonly monthEndChildren: Float64Array
  readonly fteNeeded: Float64Array
  /** Permanent FTE in post (establishment less vacancies). */
  readonly permanentFte: Float64Array
  readonly agencyFte: Float64Array
  /** children / (permanent + agency) */
  readonly caseloadPerWorker: Float64Array
  /** children / permanent */
  readonly caseloadPerPermanentWorker: Float64Array
  /** Pounds in the month. */
  readonly permanentCost: Float64Array
  readonly agencyCost: Float64Array
}

/** The staff a month needs, from its average caseload and the permanent FTE in post. */
export const staffing = (children: number, targetCaseload: number, permanentFte: number) => {
  const fteNeeded = children / targetCaseload
  const agencyFte = Math.max(0, fteNeeded - permanentFte)
  const workers = permanentFte + agencyFte
  return {
    fteNeeded,
    agencyFte,
    caseloadPerWorker: workers > 0 ? children / workers : Number.NaN,
    caseloadPerPermanentWorker: permanentFte > 0 ? children / permanentFte : Number.NaN
  }
}

/** Every team's monthly projection, from the ledger's child-days and month-end stocks. */
export const workforceOf = (l: LedgerTotals): ReadonlyArray<TeamProjection> => {
  const months = l.calendar.months
  const n = months.length
  return l.costs.teams.map((team) => {
    const p = {
      team,
      children: new Float64Array(n),
      monthEndChildren: new Float64Array(n),
      fteNeeded: new Float64Array(n),
      permanentFte: new Float64Array(n),
      agencyFte: new Float64Array(n),
      caseloadPerWorker: new Float64Array(n),
      caseloadPerPermanentWorker: new Float64Array(n),
      permanentCost: new Float64Array(n),
      agencyCost: new Float64Array(n)
    }
    for (let m = 0; m < n; m++) {
      const days = months[m].end - months[m].start
      let childDays = 0
      let atEnd = 0
      for (const c of team.cells) {
        childDays += l.childDays[m * CELL_COUNT + c]
        atEnd += l.monthEndStock[m * CELL_COUNT + c]
      }
      const children = days > 0 ? childDays / days : 0
      const paid = team.establishmentByMonth[m] * (1 - team.vacancyRate)
      const permanent = paid + team.fundedByMonth[m]
      const s = staffing(children, team.targetCaseload, permanent)
      const fy = months[m].fy
      p.children[m] = children
      p.monthEndChildren[m] = atEnd
      p.fteNeeded[m] = s.fteNeeded
      p.permanentFte[m] = permanent
      p.agencyFte[m] = s.agencyFte
      p.caseloadPerWorker[m] = s.caseloadPerWorker
      p.caseloadPerPermanentWorker[m] = s.caseloadPerPermanentWorker
      p.permanentCost[m] = (paid * team.permanentWeeklyByFy[fy] * days) / 7
      p.agencyCost[m] = (s.agencyFte * team.agencyWeeklyByFy[fy] * days) / 7
    }
    return p
  })
}

/** One team's financial year: averages weighted by days, costs summed, children at the year's last month end. */
export interface TeamYear {
  readonly fy: string
  readonly days: number
  readonly children: number
  readonly yearEndChildren: number
  readonly fteNeeded: number
  readonly permanentFte: number
  readonly agencyFte: number
  /** Average children / average workers (NaN with no workers). */
  readonly caseloadPerWorker: number
  readonly caseloadPerPermanentWorker: number
  readonly permanentCost: number
  readonly agencyCost: number
}

export const teamYears = (l: LedgerTotals, p: TeamProjection): ReadonlyArray<TeamYear> => {
  const cal = l.calendar
  return cal.financialYears.map((fy, f) => {
    let days = 0
    let children = 0
    let needed = 0
    let permanent = 0
    let agency = 0
    let permanentCost = 0
    let agencyCost = 0
    let last = -1
    cal.months.forEach((m, i) => {
      if (m.fy !== f) return
      const d = m.end - m.start
      days += d
      children += p.children[i] * d
      needed += p.fteNeeded[i] * d
      permanent += p.permanentFte[i] * d
      agency += p.agencyFte[i] * d
      permanentCost += p.permanentCost[i]
      agencyCost += p.agencyCost[i]
      last = i
    })
    const avg = (x: number) => (days > 0 ? x / days : 0)
    const workers = avg(permanent) + avg(agency)
    return {
      fy: fy.label,
      days,
      children: avg(children),
      yearEndChildren: last >= 0 ? p.monthEndChildren[last] : 0,
      fteNeeded: avg(needed),
      permanentFte: avg(permanent),
      agencyFte: avg(agency),
      caseloadPerWorker: workers > 0 ? avg(children) / workers : Number.NaN,
      caseloadPerPermanentWorker: avg(permanent) > 0 ? avg(children) / avg(permanent) : Number.NaN,
      permanentCost,
      agencyCost
    }
  })
}

/** The names of a team's two spend lines. */
export const staffLineNames = (team: string) => ({
  permanent: `${team}: permanent staff`,
  agency: `${team}: agency staff`
})

/**
 * Cross-field checks of `workforce` (call from `validateScenario`): unique team names, staff line names
 * that no other cost line uses, budget lines that are declared (when any are), a level at most once per
 * team, establishment changes in date order. A level in two teams is allowed (see the module comment).
 */
export const validateWorkforce = (s: Scenario): ReadonlyArray<Problem> => {
  const problems: Array<Problem> = []
  const add = (path: ReadonlyArray<string | number>, message: string) => problems.push({ path, message })
  const declared = new Set(s.budgetLines.map((b) => b.name))
  const costNames = new Set([...s.costs.weekly, ...s.costs.oneOff, ...s.costs.fixed].map((c) => c.name))
  const seen = new Map<string, number>()
  s.workforce.forEach((t, i) => {
    const path = ["workforce", i]
    const prior = seen.get(t.name)
    if (prior !== undefined)
      add([...path, "name"], `expected a unique team name; "${t.name}" is also workforce[${prior}]`)
    else seen.set(t.name, i)
    const lines = staffLineNames(t.name)
    for (const line of [lines.permanent, lines.agency])
      if (costNames.has(line))
        add([...path, "name"], `expected the staff cost line "${line}" not to be the name of another cost line`)
    if (declared.size > 0 && !declared.has(t.budgetLine))
      add(
        [...path, "budgetLine"],
        `expected one of the budget lines declared in budgetLines (${[...declared].join("; ")}), found "${t.budgetLine}"`
      )
    const levels = new Set<string>()
    t.levels.forEach((level, j) => {
      if (levels.has(level)) add([...path, "levels", j], `expected each level once in a team; ${level} is listed twice`)
      levels.add(level)
    })
    let previous: string | null = null
    t.establishmentChanges.forEach((c, j) => {
      if (previous !== null && c.from <= previous)
        add(
          [...path, "establishmentChanges", j, "from"],
          `expected establishment changes in date order, one per date; found ${c.from} after ${previous}`
        )
      previous = c.from
    })
  })
  return problems
}
