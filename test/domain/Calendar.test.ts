/**
 * The calendar: months, UK financial years (1 April - 31 March), leap years and birthdays (29 February
 * birthdays fall on 1 March in other years), against hand-worked dates and against JavaScript's Date.
 */
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  addYears,
  ageOn,
  birthday,
  calendarDateProblem,
  daysFromCivil,
  daysInMonth,
  epochDay,
  isCalendarDate,
  isLeapYear,
  isoOfEpochDay,
  makeCalendar
} from "../../src/domain/Calendar.js"

const DAY_MS = 86_400_000
/** Reference: Date.UTC with the year moved (Date rolls 29 February over to 1 March). */
const addYearsByDate = (day: number, years: number): number => {
  const d = new Date(day * DAY_MS)
  return Date.UTC(d.getUTCFullYear() + years, d.getUTCMonth(), d.getUTCDate()) / DAY_MS
}
const anyEpochDay = fc.integer({ min: epochDay("1900-03-01"), max: epochDay("2099-12-31") })

describe("Calendar: months and financial years", () => {
  it("a run from 1 April has twelve whole months and one financial year per year", () => {
    const cal = makeCalendar("2025-04-01", 1)
    expect(cal.horizon).toBe(365)
    expect(cal.endDate).toBe("2026-04-01")
    expect(cal.months.map((m) => m.label)).toEqual([
      "2025-04",
      "2025-05",
      "2025-06",
      "2025-07",
      "2025-08",
      "2025-09",
      "2025-10",
      "2025-11",
      "2025-12",
      "2026-01",
      "2026-02",
      "2026-03"
    ])
    expect(cal.months.map((m) => m.start)).toEqual([0, 30, 61, 91, 122, 153, 183, 214, 244, 275, 306, 334])
    expect(cal.months[11]).toMatchObject({ end: 365, endDate: "2026-03-31", calendarMonth: 2, fy: 0 })
    expect(cal.financialYears).toEqual([{ label: "2025/26", start: 0, end: 365 }])
  })

  it("a run from mid-January has part months and part financial years at both ends", () => {
    const cal = makeCalendar("2025-01-15", 2)
    expect(cal.horizon).toBe(730)
    expect(cal.months[0]).toMatchObject({ label: "2025-01", start: 0, end: 17, endDate: "2025-01-31", fy: 0 })
    expect(cal.months[cal.months.length - 1]).toMatchObject({
      label: "2027-01",
      start: 716,
      end: 730,
      endDate: "2027-01-14",
      fy: 2
    })
    expect(cal.months.length).toBe(25)
    // 15 January to 31 March 2025 is 17 + 28 + 31 = 76 days.
    expect(cal.financialYears).toEqual([
      { label: "2024/25", start: 0, end: 76 },
      { label: "2025/26", start: 76, end: 441 },
      { label: "2026/27", start: 441, end: 730 }
    ])
  })

  it("a leap year has a 29-day February and a 366-day financial year", () => {
    const cal = makeCalendar("2023-04-01", 2)
    expect(cal.horizon).toBe(366 + 365)
    const feb = cal.months.find((m) => m.label === "2024-02")!
    expect(feb.end - feb.start).toBe(29)
    expect(feb.endDate).toBe("2024-02-29")
    expect(cal.financialYears.map((f) => [f.label, f.end - f.start])).toEqual([
      ["2023/24", 366],
      ["2024/25", 365]
    ])
  })

  it("the financial year of 2099/00 is labelled with two digits", () => {
    expect(makeCalendar("2099-04-01", 1).financialYears[0].label).toBe("2099/00")
  })

  it("months tile the run without gaps, each inside its financial year", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: epochDay("2000-01-01"), max: epochDay("2040-12-31") }),
        fc.integer({ min: 1, max: 5 }),
        (day, years) => {
          const cal = makeCalendar(isoOfEpochDay(day), years)
          expect(cal.months[0].start).toBe(0)
          expect(cal.months[cal.months.length - 1].end).toBe(cal.horizon)
          cal.months.forEach((m, i) => {
            if (i > 0) expect(m.start).toBe(cal.months[i - 1].end)
            const fy = cal.financialYears[m.fy]
            expect(m.start >= fy.start && m.end <= fy.end).toBe(true)
            // The FY starts in April of its first year.
            const [y, mo] = m.label.split("-").map(Number)
            expect(Number(fy.label.slice(0, 4))).toBe(mo >= 4 ? y : y - 1)
            expect(m.endDate).toBe(cal.dateOf(m.end - 1))
          })
          expect(cal.financialYears[0].start).toBe(0)
          expect(cal.financialYears[cal.financialYears.length - 1].end).toBe(cal.horizon)
        }
      )
    )
  })

  it("monthOf finds the month containing any time in the run", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: epochDay("2000-01-01"), max: epochDay("2040-12-31") }),
        fc.integer({ min: 1, max: 5 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (day, years, f) => {
          const cal = makeCalendar(isoOfEpochDay(day), years)
          const t = f * cal.horizon
          const m = cal.months[cal.monthOf(t)]
          expect(m.start <= t && t < m.end).toBe(true)
        }
      )
    )
  })

  it("dayOf and dateOf are inverse", () => {
    fc.assert(
      fc.property(fc.integer({ min: -20000, max: 20000 }), (t) => {
        const cal = makeCalendar("2025-04-01", 1)
        expect(cal.dayOf(cal.dateOf(t))).toBe(t)
        expect(cal.dateOf(t + 0.75)).toBe(cal.dateOf(t))
      })
    )
  })
})

describe("Calendar: dates and birthdays", () => {
  it("epochDay and isoOfEpochDay are inverse, and daysFromCivil agrees with Date.UTC", () => {
    fc.assert(
      fc.property(anyEpochDay, (day) => {
        const iso = isoOfEpochDay(day)
        expect(epochDay(iso)).toBe(day)
        const [y, m, d] = iso.split("-").map(Number)
        expect(daysFromCivil(y, m, d)).toBe(day)
      })
    )
  })

  it("addYears agrees with Date.UTC, 29 February included", () => {
    fc.assert(
      fc.property(anyEpochDay, fc.integer({ min: 0, max: 30 }), (day, years) => {
        expect(addYears(day, years)).toBe(addYearsByDate(day, years))
      })
    )
  })

  it("a birthday falls on the same date, and 29 February birthdays on 1 March outside leap years", () => {
    const cal = makeCalendar("2025-04-01", 1)
    const dob = (iso: string) => cal.dayOf(iso)
    expect(cal.dateOf(birthday(cal, dob("2010-06-15"), 18))).toBe("2028-06-15")
    expect(cal.dateOf(birthday(cal, dob("2008-02-29"), 18))).toBe("2026-03-01")
    expect(cal.dateOf(birthday(cal, dob("2008-02-29"), 20))).toBe("2028-02-29")
    expect(cal.dateOf(birthday(cal, dob("2007-03-01"), 18))).toBe("2025-03-01")
    expect(cal.dateOf(birthday(cal, dob("2007-12-31"), 18))).toBe("2025-12-31")
    // A fractional date of birth counts from the start of its day.
    expect(birthday(cal, dob("2010-06-15") + 0.9, 18)).toBe(birthday(cal, dob("2010-06-15"), 18))
  })

  it("a child born on 29 February is 17 on 28 February and 18 on 1 March of a non-leap year", () => {
    const cal = makeCalendar("2025-04-01", 1)
    const dob = cal.dayOf("2008-02-29")
    expect(ageOn(cal, dob, cal.dayOf("2026-02-28") + 0.999)).toBe(17)
    expect(ageOn(cal, dob, cal.dayOf("2026-03-01"))).toBe(18)
    expect(ageOn(cal, dob, cal.dayOf("2028-02-28"))).toBe(19)
    expect(ageOn(cal, dob, cal.dayOf("2028-02-29"))).toBe(20)
  })

  it("ageOn is the number of birthdays passed", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: epochDay("2000-01-01"), max: epochDay("2035-12-31") }),
        fc.integer({ min: -30 * 366, max: 0 }),
        fc.double({ min: 0, max: 40 * 366, noNaN: true }),
        (start, dob, t) => {
          const cal = makeCalendar(isoOfEpochDay(start), 1)
          let passed = 0
          while (birthday(cal, dob, passed + 1) <= t) passed++
          expect(ageOn(cal, dob, t)).toBe(passed)
        }
      )
    )
  })
})

describe("Calendar: real dates", () => {
  it("knows leap years: every fourth year, except centuries, except every fourth century", () => {
    expect([1900, 2000, 2023, 2024, 2025, 2100, 2400].map(isLeapYear)).toEqual([
      false,
      true,
      false,
      true,
      false,
      false,
      true
    ])
    expect([1, 2, 4, 6, 9, 11, 12].map((m) => daysInMonth(2025, m))).toEqual([31, 28, 30, 30, 30, 30, 31])
    expect(daysInMonth(2024, 2)).toBe(29)
  })

  it("says why a date is not a real one", () => {
    expect(calendarDateProblem("2025-02-29")).toBe("February 2025 has 28 days: 2025 is not a leap year")
    expect(calendarDateProblem("2025-02-30")).toBe("February 2025 has 28 days: 2025 is not a leap year")
    expect(calendarDateProblem("2024-02-30")).toBe("February 2024 has 29 days")
    expect(calendarDateProblem("1900-02-29")).toBe("February 1900 has 28 days: 1900 is not a leap year")
    expect(calendarDateProblem("2025-04-31")).toBe("April has 30 days")
    expect(calendarDateProblem("2025-13-01")).toBe("there is no month 13")
    expect(calendarDateProblem("2025-00-10")).toBe("there is no month 0")
    expect(calendarDateProblem("2025-01-00")).toBe("January has 31 days")
    expect(calendarDateProblem("2025-1-01")).toBe("expected a date written YYYY-MM-DD")
    expect(calendarDateProblem("1 April 2025")).toBe("expected a date written YYYY-MM-DD")
    for (const ok of ["2024-02-29", "2000-02-29", "2025-04-30", "2025-12-31", "2025-01-01"])
      expect(calendarDateProblem(ok)).toBeNull()
  })

  it("accepts exactly the dates JavaScript's Date gives back unchanged", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1900, max: 2199 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        (y, m, d) => {
          const iso = `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`
          const roundTrip = m >= 1 && m <= 12 && new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10) === iso
          expect(isCalendarDate(iso)).toBe(roundTrip)
          if (roundTrip) expect(epochDay(iso)).toBe(Date.UTC(y, m - 1, d) / DAY_MS)
        }
      ),
      { numRuns: 400 }
    )
  })

  it("epochDay refuses an impossible date instead of rolling it over into the next month", () => {
    expect(() => epochDay("2025-02-30")).toThrow(/not a calendar date.*February 2025 has 28 days/)
    expect(() => epochDay("2025-04-31")).toThrow(/April has 30 days/)
    expect(epochDay("2025-03-02")).toBe(Date.UTC(2025, 2, 2) / DAY_MS)
  })
})
