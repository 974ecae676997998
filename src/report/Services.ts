/**
 * Services, waiting lists and interventions in the results: services.csv (per service and month) and a
 * short table in the printed summary (per service and financial year).
 *
 * Places used: children in the service's level or placement (the ledger's child-days), or, for an
 * intervention, the places its children hold. Utilisation = place-days used / place-days available, so a
 * service over capacity at the start (more open cases than places) shows above 100% until it drains.
 */
import { CELL_COUNT, placementCell } from "../domain/Level.js"
import type { LedgerTotals } from "../projections/Ledger.js"
import { LEFT_OUTCOMES, type ServiceMonthly } from "../projections/Services.js"
import { placeDays } from "../model/Policy.js"
import { count, csv, decimal, MISSING, percent } from "./Format.js"
import { table } from "./Table.js"

export interface ServicePeriod {
  readonly days: number
  readonly placeDays: number
  readonly usedDays: number
  readonly waitingDays: number
  readonly joined: number
  readonly left: ReadonlyArray<number>
  readonly waitedDays: number
  readonly started: number
  readonly overflowed: number
  readonly waitingAtEnd: number
}

const kindOf = (s: ServiceMonthly): string =>
  s.model === null
    ? "intervention"
    : s.model.level >= 0
      ? "level"
      : s.model.placement >= 0
        ? "placement"
        : "intervention"

/** A service's figures over months [a, b). */
export const servicePeriod = (l: LedgerTotals, s: ServiceMonthly, a: number, b: number): ServicePeriod => {
  const months = l.calendar.months
  let days = 0
  let place = 0
  let used = 0
  let waiting = 0
  let joined = 0
  let waited = 0
  let started = 0
  let overflowed = 0
  const left = new Array<number>(LEFT_OUTCOMES.length).fill(0)
  for (let m = a; m < b; m++) {
    const { start, end } = months[m]
    days += end - start
    const model = s.model
    place += model === null ? 0 : placeDays(model, start, end)
    used +=
      model !== null && model.level >= 0
        ? l.childDays[m * CELL_COUNT + model.level]
        : model !== null && model.placement >= 0
          ? l.childDays[m * CELL_COUNT + placementCell(model.placement)]
          : s.heldDays[m]
    // A service that counts families: a sibling beyond the first of their family there takes no place.
    const group = model === null ? -1 : (l.familyServices[model.index] ?? -1)
    if (group >= 0) used -= l.families.extraDays[m * l.families.groups + group]
    waiting += s.waitingDays[m]
    joined += s.joined[m]
    waited += s.waitedDays[m]
    started += s.started[m]
    overflowed += s.overflowed[m]
    for (let k = 0; k < LEFT_OUTCOMES.length; k++) left[k] += s.left[m * LEFT_OUTCOMES.length + k]
  }
  return {
    days,
    placeDays: place,
    usedDays: used,
    waitingDays: waiting,
    joined,
    left,
    waitedDays: waited,
    started,
    overflowed,
    waitingAtEnd: b > a ? s.waitingAtMonthEnd[b - 1] : 0
  }
}

const num = (x: number, digits = 2): string =>
  Number.isFinite(x) ? String(Math.round(x * 10 ** digits) / 10 ** digits) : ""

export const servicesCsv = (l: LedgerTotals): string => {
  const rows: Array<Array<string | number>> = []
  for (const s of l.services.services) {
    l.calendar.months.forEach((month, m) => {
      const p = servicePeriod(l, s, m, m + 1)
      const leftTotal = p.left.reduce((x, y) => x + y, 0)
      rows.push([
        month.label,
        l.calendar.financialYears[month.fy].label,
        s.name,
        kindOf(s),
        num(p.placeDays / p.days),
        num(p.usedDays / p.days),
        p.placeDays > 0 && Number.isFinite(p.placeDays) ? num(p.usedDays / p.placeDays, 4) : "",
        p.waitingAtEnd,
        num(p.waitingDays / p.days),
        p.joined,
        ...p.left,
        leftTotal > 0 ? num(p.waitedDays / leftTotal) : "",
        p.started,
        p.overflowed
      ])
    })
  }
  return csv(
    [
      "month",
      "financial_year",
      "service",
      "kind",
      "places",
      "places_used",
      "utilisation",
      "waiting_at_month_end",
      "waiting_average",
      "joined_waiting_list",
      ...LEFT_OUTCOMES.map((o) => `left_waiting_list_${o}`),
      "mean_wait_days_of_leavers",
      "interventions_started",
      "placement_overflows"
    ],
    rows
  )
}

/** Per service and financial year; empty when the scenario has no services or interventions. */
export const servicesText = (l: LedgerTotals): string => {
  const services = l.services.services
  if (services.length === 0) return ""
  const fys = l.calendar.financialYears
  const header = [
    "Service",
    "year",
    "places",
    "used",
    "utilisation",
    "started",
    "joined list",
    "waiting 31 Mar",
    "mean wait (days)",
    "overflows"
  ]
  const rows: Array<Array<string>> = []
  for (const s of services) {
    fys.forEach((fy, f) => {
      const months = l.calendar.months.flatMap((m, i) => (m.fy === f ? [i] : []))
      const p = servicePeriod(l, s, months[0], months[months.length - 1] + 1)
      const leftTotal = p.left.reduce((x, y) => x + y, 0)
      const limited = s.model !== null && Number.isFinite(p.placeDays)
      rows.push([
        f === 0 ? s.name : "",
        fy.label,
        limited ? decimal(p.placeDays / p.days, 1) : "unlimited",
        decimal(p.usedDays / p.days, 1),
        p.placeDays > 0 && Number.isFinite(p.placeDays) ? percent(p.usedDays / p.placeDays, 0) : MISSING,
        count(p.started),
        count(p.joined),
        count(p.waitingAtEnd),
        leftTotal > 0 ? count(p.waitedDays / leftTotal) : MISSING,
        count(p.overflowed)
      ])
    })
  }
  return [
    "Services and interventions (places and children: averages over the year)",
    table({ header, rows, labels: 2 })
  ].join("\n")
}
