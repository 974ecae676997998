/**
 * The children's state (src/engine/Children.ts): birthdays and ages read off the table of 1 March dates
 * agree with the calendar's own arithmetic for any date of birth, each child's stream is the one
 * `makeStreams` gives for the child, every field survives the arrays growing, and a care episode's slot
 * keeps its own fields until it is given back, then is taken again clean.
 */
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { ageOn, birthday, makeCalendar } from "../../src/domain/Calendar.js"
import { Children } from "../../src/engine/Children.js"
import { banded, single } from "../../src/model/Tables.js"
import { makeStreams } from "../../src/random/Streams.js"

const isoDate = fc
  .record({
    y: fc.integer({ min: 1990, max: 2070 }),
    m: fc.integer({ min: 1, max: 12 }),
    d: fc.integer({ min: 1, max: 28 })
  })
  .map(({ y, m, d }) => `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`)

describe("Children: birthdays and ages", () => {
  it("agree with the calendar's birthday and ageOn for any date of birth in the run or before, and any day", () => {
    fc.assert(
      fc.property(
        isoDate,
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: -40 * 366, max: 365 }),
        fc.integer({ min: 0, max: 30 }),
        fc.double({ min: 0, max: 45 * 366, noNaN: true }),
        (start, years, dob, k, later) => {
          const cal = makeCalendar(start, years)
          const ch = new Children(cal, makeStreams(1).childKey, 4, false)
          const c = ch.add()
          ch.setBirth(c, dob)
          expect(ch.dob(c)).toBe(dob)
          expect(ch.birthday(c, k)).toBe(birthday(cal, dob, k))
          const t = dob + later
          expect(ch.age(c, t)).toBe(ageOn(cal, dob, t))
          // On the birthday itself, and just before it.
          const b = birthday(cal, dob, k)
          expect(ch.age(c, b)).toBe(k)
          if (k > 0) expect(ch.age(c, b - 1e-6)).toBe(k - 1)
        }
      ),
      { numRuns: 2000 }
    )
  })

  it("a 29 February birthday falls on 1 March in other years, on 29 February in leap years", () => {
    const cal = makeCalendar("2025-04-01", 5)
    const ch = new Children(cal, makeStreams(1).childKey, 4, false)
    const c = ch.add()
    const feb29 = cal.dayOf("2008-02-29")
    ch.setBirth(c, feb29)
    expect(cal.dateOf(ch.birthday(c, 17))).toBe("2025-03-01")
    expect(cal.dateOf(ch.birthday(c, 18))).toBe("2026-03-01")
    expect(cal.dateOf(ch.birthday(c, 20))).toBe("2028-02-29")
    expect(ch.age(c, cal.dayOf("2028-02-28"))).toBe(19)
    expect(ch.age(c, cal.dayOf("2028-02-29"))).toBe(20)
  })

  it("reads a banded table at the child's age, and a single value without working the age out", () => {
    const cal = makeCalendar("2025-04-01", 1)
    const ch = new Children(cal, makeStreams(1).childKey, 4, false)
    const c = ch.add()
    ch.setBirth(c, cal.dayOf("2015-06-10"))
    const table = banded([
      { ages: [0, 9] as const, value: "young" },
      { ages: [10, 17] as const, value: "older" }
    ])
    expect(ch.valueAt(table, c, cal.dayOf("2025-06-09"))).toBe("young")
    expect(ch.valueAt(table, c, cal.dayOf("2025-06-10"))).toBe("older")
    expect(ch.valueAt(single("any"), c, 0)).toBe("any")
  })

  it("refuses a date of birth outside the 150 years either side of the run", () => {
    const cal = makeCalendar("2025-04-01", 1)
    const ch = new Children(cal, makeStreams(1).childKey, 4, false)
    const c = ch.add()
    expect(() => ch.setBirth(c, -200 * 366)).toThrow(/out of range/)
  })
})

describe("Children: state and streams", () => {
  it("each child's stream is the child's own, as makeStreams gives it", () => {
    const streams = makeStreams(42, 3)
    const ch = new Children(makeCalendar("2025-04-01", 1), streams.childKey, 2, false)
    const ids = Array.from({ length: 50 }, () => ch.add())
    // Interleaved draws: each child's stream is independent of the others'.
    const theirs = ids.map((id) => streams("child", id))
    for (let round = 0; round < 5; round++) for (const c of ids) expect(ch.rng(c)()).toBe(theirs[c]())
  })

  it("keeps every child's fields when the arrays grow", () => {
    const cal = makeCalendar("2025-04-01", 3)
    const ch = new Children(cal, makeStreams(7).childKey, 16, true)
    const n = 5000
    for (let i = 0; i < n; i++) {
      const c = ch.add()
      expect(c).toBe(i)
      ch.setBirth(c, -i - 1)
      ch.setCell(c, i % 8, i % 8 === 5 ? i % 9 : -1)
      ch.setDueAt(c, i + 0.5)
      ch.setCareSince(c, -i - 0.25)
      for (let k = 0; k < i % 3; k++) ch.bumpEpoch(c)
      ch.services!.holding[c] = i % 7
      ch.services!.treatedUntil[c] = i * 2
    }
    expect(ch.count).toBe(n)
    for (let c = 0; c < n; c++) {
      expect(ch.dob(c)).toBe(-c - 1)
      expect(ch.state(c)).toBe(c % 8)
      expect(ch.placement(c)).toBe(c % 8 === 5 ? c % 9 : -1)
      expect(ch.dueAt(c)).toBe(c + 0.5)
      expect(ch.careSince(c)).toBe(-c - 0.25)
      expect(ch.epoch(c)).toBe(c % 3)
      expect(ch.services!.holding[c]).toBe(c % 7)
      expect(ch.services!.treatedUntil[c]).toBe(c * 2)
      expect(ch.services!.waitingFor[c]).toBe(-1)
    }
  })

  it("keeps each care episode's fields in its own slot, and a slot given back is taken again clean", () => {
    const ch = new Children(makeCalendar("2025-04-01", 3), makeStreams(3).childKey, 16, false)
    const n = 600
    for (let i = 0; i < n; i++) ch.add()
    // Outside care: no status, no change or move pending, no episode.
    expect([ch.legalStatus(7), ch.changeAt(7), ch.moveAt(7), ch.careSince(7)]).toEqual([-1, Infinity, Infinity, 0])
    // Every child in care at once (more slots than the first buffer holds), each with fields of its own.
    for (let c = 0; c < n; c++) {
      ch.setCareSince(c, -c - 0.5)
      if (c % 3 === 0) ch.setLegalStatus(c, c % 11)
      ch.setChangeAt(c, c + 0.25)
      ch.setMoveAt(c, 2 * c + 0.75)
    }
    for (let c = 0; c < n; c++) {
      expect(ch.careSince(c)).toBe(-c - 0.5)
      expect(ch.legalStatus(c)).toBe(c % 3 === 0 ? c % 11 : -1)
      expect(ch.changeAt(c)).toBe(c + 0.25)
      expect(ch.moveAt(c)).toBe(2 * c + 0.75)
    }
    // Half leave care; their slots are taken by others' new episodes, which start with nothing pending.
    for (let c = 0; c < n; c += 2) ch.leftCare(c)
    for (let c = 0; c < n; c += 2)
      expect([ch.legalStatus(c), ch.changeAt(c), ch.moveAt(c)]).toEqual([-1, Infinity, Infinity])
    for (let c = 0; c < n; c += 4) ch.setCareSince(c, 1000 + c)
    for (let c = 0; c < n; c++) {
      if (c % 2 === 1) expect([ch.careSince(c), ch.changeAt(c)]).toEqual([-c - 0.5, c + 0.25])
      else if (c % 4 === 0) expect([ch.careSince(c), ch.legalStatus(c), ch.moveAt(c)]).toEqual([1000 + c, -1, Infinity])
      else expect(ch.careSince(c)).toBe(0)
    }
  })
})
