/**
 * The simulation calendar: time is a number of days (a double) since 00:00 on the scenario's start date.
 *
 * Reports work in calendar months and UK financial years (1 April - 31 March). A "month end" stock is the
 * state after every event strictly before 00:00 on the first day of the next month; a "31 March" stock is
 * the month end of March. The run covers [start, end): an event at exactly `end` is not simulated.
 */

const MS_PER_DAY = 86_400_000

export const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December"
] as const

/** Whether a year of the proleptic Gregorian calendar has a 29 February. */
export const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0

/** Days in a month (1 = January) of a year. */
export const daysInMonth = (year: number, month: number): number =>
  month === 2 ? (isLeapYear(year) ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/** What `calendarDateProblem` says of a text that is not written as a date at all. */
export const NOT_A_DATE = "expected a date written YYYY-MM-DD"

/**
 * Why a text is not a real calendar date written `YYYY-MM-DD` (null: it is one), in a reader's words:
 * "February 2025 has 28 days", "April has 30 days", "there is no month 13".
 */
export const calendarDateProblem = (iso: string): string | null => {
  const m = ISO_DATE.exec(iso)
  if (m === null) return NOT_A_DATE
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  if (month < 1 || month > 12) return `there is no month ${month}`
  const days = daysInMonth(year, month)
  if (day < 1 || day > days)
    return month === 2
      ? `February ${year} has ${days} days${days === 28 ? `: ${year} is not a leap year` : ""}`
      : `${MONTH_NAMES[month - 1]} has ${days} days`
  return null
}

/** Whether a text is a real calendar date written `YYYY-MM-DD` (leap years included). */
export const isCalendarDate = (iso: string): boolean => calendarDateProblem(iso) === null

/**
 * Whole days from 1970-01-01 (UTC) to an ISO date `YYYY-MM-DD`. Only real dates are accepted (a
 * scenario's dates are checked when it is read, so an impossible date here is a defect).
 */
export const epochDay = (iso: string): number => {
  const problem = calendarDateProblem(iso)
  if (problem !== null) throw new Error(`not a calendar date: ${JSON.stringify(iso.slice(0, 40))} (${problem})`)
  return daysFromCivil(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8, 10)))
}

/** ISO date `YYYY-MM-DD` of a whole epoch day. */
export const isoOfEpochDay = (day: number): string => new Date(Math.floor(day) * MS_PER_DAY).toISOString().slice(0, 10)

/** Epoch day of a proleptic Gregorian date (H. Hinnant's days_from_civil; pure arithmetic, no Date). */
export const daysFromCivil = (year: number, month: number, day: number): number => {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
}

/**
 * Adds calendar years to an epoch day (29 February maps to 1 March in non-leap years, as Date.UTC does).
 * Called for every child's birthdays, so it is pure arithmetic (civil_from_days, then days_from_civil).
 */
export const addYears = (day: number, years: number): number => {
  const z = Math.floor(day) + 719468
  const era = Math.floor(z / 146097)
  const doe = z - era * 146097
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1
  const m = mp < 10 ? mp + 3 : mp - 9
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0)
  return daysFromCivil(y + years, m, d)
}

/** One calendar month (or the part of it inside the run). `fy` indexes `Calendar.financialYears`. */
export interface Month {
  readonly label: string // "2025-04"
  readonly start: number // simulation day, inclusive
  readonly end: number // simulation day, exclusive
  readonly endDate: string // ISO date of the month's last day inside the run
  readonly fy: number
  readonly calendarMonth: number // 0 = January
}

export interface FinancialYear {
  readonly label: string // "2025/26"
  readonly start: number
  readonly end: number
}

export interface Calendar {
  readonly startDate: string
  readonly startEpochDay: number
  readonly endDate: string // first day not simulated
  readonly horizon: number // days simulated
  readonly months: ReadonlyArray<Month>
  readonly financialYears: ReadonlyArray<FinancialYear>
  /** Simulation day of an ISO date. */
  readonly dayOf: (iso: string) => number
  /** ISO date of a simulation day. */
  readonly dateOf: (day: number) => string
  /** Index of the month containing day t (t inside the run). */
  readonly monthOf: (t: number) => number
}

/** The label of the financial year that starts on 1 April of `year`: 2025 -> "2025/26". */
export const financialYearLabel = (year: number): string => `${year}/${String((year + 1) % 100).padStart(2, "0")}`
const fyLabel = financialYearLabel

/** The longest run, in calendar years: the scenario's `years`, `--years` and an event log's header alike. */
export const MAX_RUN_YEARS = 50

/** Builds the calendar of a run that starts on `startDate` and lasts `years` calendar years. */
export const makeCalendar = (startDate: string, years: number): Calendar => {
  const startEpochDay = epochDay(startDate)
  const endEpoch = addYears(startEpochDay, years)
  const horizon = endEpoch - startEpochDay
  const months: Array<Month> = []
  const financialYears: Array<FinancialYear> = []
  let cursor = startEpochDay
  while (cursor < endEpoch) {
    const d = new Date(cursor * MS_PER_DAY)
    const y = d.getUTCFullYear()
    const mo = d.getUTCMonth()
    const nextMonth = Math.min(Date.UTC(y, mo + 1, 1) / MS_PER_DAY, endEpoch)
    const fyStartYear = mo >= 3 ? y : y - 1
    const label = fyLabel(fyStartYear)
    let fy = financialYears.length - 1
    if (fy < 0 || financialYears[fy].label !== label) {
      const fyEnd = Math.min(Date.UTC(fyStartYear + 1, 3, 1) / MS_PER_DAY, endEpoch)
      financialYears.push({ label, start: cursor - startEpochDay, end: fyEnd - startEpochDay })
      fy = financialYears.length - 1
    }
    months.push({
      label: `${y}-${String(mo + 1).padStart(2, "0")}`,
      start: cursor - startEpochDay,
      end: nextMonth - startEpochDay,
      endDate: isoOfEpochDay(nextMonth - 1),
      fy,
      calendarMonth: mo
    })
    cursor = nextMonth
  }
  const monthOf = (t: number): number => {
    // Binary search: months are contiguous and sorted.
    let lo = 0
    let hi = months.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (months[mid].start <= t) lo = mid
      else hi = mid - 1
    }
    return lo
  }
  return {
    startDate,
    startEpochDay,
    endDate: isoOfEpochDay(endEpoch),
    horizon,
    months,
    financialYears,
    dayOf: (iso) => epochDay(iso) - startEpochDay,
    dateOf: (day) => isoOfEpochDay(startEpochDay + day),
    monthOf
  }
}

/** Simulation day of the `years`-th birthday of a child born on simulation day `dob`. */
export const birthday = (cal: Calendar, dob: number, years: number): number =>
  addYears(cal.startEpochDay + Math.floor(dob), years) - cal.startEpochDay

/** Age in whole years on simulation day t for a child born on simulation day dob. */
export const ageOn = (cal: Calendar, dob: number, t: number): number => {
  let age = Math.floor((t - dob) / 365.25)
  // Correct the estimate against the calendar so band edges fall on real birthdays.
  if (birthday(cal, dob, age + 1) <= t) age += 1
  else if (age > 0 && birthday(cal, dob, age) > t) age -= 1
  return age
}
