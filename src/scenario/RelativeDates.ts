/**
 * Dates written relative to the scenario's start, so that moving `start` moves them:
 *
 *   referrals.changes: [{ from: { year: 2 }, multiplier: 1.25 }]     the first day of the run's second year
 *   services[].changes: [{ from: { months: 18 }, places: 140 }]       18 months after the start
 *   interventions: [{ start: { months: 6 }, end: { years: 3, days: -1 }, ... }]
 *
 * A relative date is a mapping of `year` (the first day of that year of the run: 1 is the start itself) or
 * any of `years`, `months` and `days` (whole numbers added to the start, in that order; a day past the end
 * of a month is that month's last day). It is worked out once, when the scenario is loaded (after an
 * overlay is merged, from the merged `start`), into a date like any other: what is checked, hashed, logged
 * and replayed is the date.
 *
 * The fields that may be relative: referrals.changes[].from and .until, referrals.contacts.changes[].from and
 * .until, referrals.contacts.toReferralChanges[].from, population.projection[].date, services[].changes[].from,
 * workforce[].establishmentChanges[].from, interventions[].start and interventions[].end.
 */
import {
  addYears,
  calendarDateProblem,
  daysFromCivil,
  daysInMonth,
  epochDay,
  isoOfEpochDay
} from "../domain/Calendar.js"
import { show } from "../domain/Show.js"

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v)

/** Where relative dates may be written ("*": any index). */
export const RELATIVE_DATE_FIELDS: ReadonlyArray<ReadonlyArray<string>> = [
  ["referrals", "changes", "*", "from"],
  ["referrals", "changes", "*", "until"],
  ["referrals", "contacts", "changes", "*", "from"],
  ["referrals", "contacts", "changes", "*", "until"],
  ["referrals", "contacts", "toReferralChanges", "*", "from"],
  ["population", "projection", "*", "date"],
  ["services", "*", "changes", "*", "from"],
  ["workforce", "*", "establishmentChanges", "*", "from"],
  ["interventions", "*", "start"],
  ["interventions", "*", "end"]
]

export interface RelativeDateProblem {
  readonly path: ReadonlyArray<string | number>
  readonly message: string
}

const UNITS = ["year", "years", "months", "days"] as const
const LIMITS: Record<(typeof UNITS)[number], readonly [number, number]> = {
  year: [1, 200],
  years: [-200, 200],
  months: [-2400, 2400],
  days: [-100_000, 100_000]
}

/** The date `rel` stands for, from `start` (a valid ISO date), or the problem with it. */
export const relativeDate = (
  start: string,
  rel: Record<string, unknown>
): { readonly date: string } | { readonly problem: string } => {
  const unknown = Object.keys(rel).filter((k) => !(UNITS as ReadonlyArray<string>).includes(k))
  const expected =
    "expected a date (YYYY-MM-DD) or one relative to the start: { year: N } or any of years, months, days"
  if (unknown.length > 0 || Object.keys(rel).length === 0) return { problem: `${expected}, found ${show(rel)}` }
  if (rel.year !== undefined && rel.years !== undefined)
    return { problem: `expected year (the N-th year of the run) or years (added to the start), not both` }
  for (const u of UNITS) {
    const v = rel[u]
    if (v === undefined) continue
    const [lo, hi] = LIMITS[u]
    if (typeof v !== "number" || !Number.isInteger(v) || v < lo || v > hi)
      return { problem: `${u}: expected a whole number from ${lo} to ${hi}, found ${show(v)}` }
  }
  const years = (rel.year !== undefined ? (rel.year as number) - 1 : 0) + ((rel.years as number | undefined) ?? 0)
  let day = addYears(epochDay(start), years)
  const months = (rel.months as number | undefined) ?? 0
  if (months !== 0) {
    const d = new Date(day * 86_400_000)
    const total = d.getUTCFullYear() * 12 + d.getUTCMonth() + months
    const y = Math.floor(total / 12)
    const m = total - y * 12 + 1
    day = daysFromCivil(y, m, Math.min(d.getUTCDate(), daysInMonth(y, m)))
  }
  day += (rel.days as number | undefined) ?? 0
  const date = isoOfEpochDay(day)
  const year = Number(date.slice(0, 4))
  const p =
    /^\d{4}-\d{2}-\d{2}$/.test(date) && year >= 1900 && year <= 2199 ? calendarDateProblem(date) : "outside 1900-2199"
  return p === null ? { date } : { problem: `${show(rel)} from the start ${start} is ${date}: ${p}` }
}

/**
 * The scenario with every relative date worked out from its `start` (the data itself when it has none), and
 * the problems: a relative date that is not one. With no valid `start`, relative dates are left as they
 * are (decoding then reports the start, and each one as not a date).
 */
export const resolveRelativeDates = (
  raw: unknown
): { readonly raw: unknown; readonly problems: ReadonlyArray<RelativeDateProblem> } => {
  if (!isRecord(raw) || typeof raw.start !== "string" || calendarDateProblem(raw.start) !== null)
    return { raw, problems: [] }
  const start = raw.start
  const problems: Array<RelativeDateProblem> = []
  // Copies only along the paths that change, so YAML aliases elsewhere stay shared.
  const walk = (v: unknown, pattern: ReadonlyArray<string>, at: ReadonlyArray<string | number>): unknown => {
    if (pattern.length === 0) {
      if (!isRecord(v)) return v
      const r = relativeDate(start, v)
      if ("problem" in r) {
        problems.push({ path: at, message: r.problem })
        return v
      }
      return r.date
    }
    const [head, ...rest] = pattern
    if (head === "*") {
      if (!Array.isArray(v)) return v
      let changed = false
      const out = v.map((x: unknown, i) => {
        const y = walk(x, rest, [...at, i])
        if (y !== x) changed = true
        return y
      })
      return changed ? out : v
    }
    if (!isRecord(v) || !Object.hasOwn(v, head)) return v
    const y = walk(v[head], rest, [...at, head])
    return y === v[head] ? v : { ...v, [head]: y }
  }
  let out: unknown = raw
  for (const pattern of RELATIVE_DATE_FIELDS) out = walk(out, pattern, [])
  return { raw: out, problems }
}
