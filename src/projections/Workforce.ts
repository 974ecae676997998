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
import { CELL_COUNT } from "../domain/Level.js"
import type { CompiledTeam } from "../model/Teams.js"
import type { LedgerTotals } from "./Ledger.js"

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
  return l.costs.teams.map((team, k) => {
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
      // A team that counts families: siblings beyond the first of their family in the team count no more.
      const group = l.familyTeams[k]
      if (group >= 0) {
        childDays -= l.families.extraDays[m * l.families.groups + group]
        atEnd -= l.families.monthEndExtra[m * l.families.groups + group]
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
