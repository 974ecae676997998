/**
 * Exact traces on tiny hand-made scenarios (SimPy style): no new referrals, fixed durations, probability-1
 * outcomes and fixed time already spent, so every event and every time can be worked out by hand.
 *
 * The ties at one instant follow the priority classes of src/engine/Actions.ts: AgeLimit before EpisodeEnd
 * before PlacementMove before ReReferral before Referral (before Capacity), then first scheduled, first
 * served.
 *
 * A starting child's date of birth is drawn uniformly in their age band from their own stream, which does
 * not depend on durations. Where a time depends on a birthday, the test first runs the scenario to read the
 * date of birth from the log, then builds the durations so that the tie is forced.
 */
import { describe, expect, it } from "vitest"
import { birthday } from "../../src/domain/Calendar.js"
import type { CaseClosedBeforeStart, CaseEvent, CaseOpenAtStart } from "../../src/domain/Event.js"
import { runEvents } from "../support/run.js"
import { tinyModel, type TinyOverrides } from "../support/tiny.js"

const SEED = 20250401
const fixed = (value: number) => ({ type: "fixed" as const, value })
const trace = (o: TinyOverrides) => runEvents(tinyModel(o), SEED).events
const dobOf = (events: ReadonlyArray<CaseEvent>, child: number): number => {
  const e = events.find(
    (x): x is CaseOpenAtStart | CaseClosedBeforeStart =>
      (x._tag === "CaseOpenAtStart" || x._tag === "CaseClosedBeforeStart") && x.child === child
  )
  if (e === undefined) throw new Error(`child ${child} is not in the starting caseload`)
  return e.dateOfBirth
}

describe("exact traces", () => {
  it("a starting case runs its remaining time, steps across, closes and is re-referred", () => {
    const events = trace({
      referrals: { frontDoor: [{ to: "early_help", probability: 1 }] },
      levels: {
        early_help: { duration: fixed(30), outcomes: [{ to: "child_in_need", probability: 1, via: "assessment" }] },
        child_in_need: {
          duration: fixed(100),
          outcomes: [{ to: "universal", probability: 1 }],
          reReferral: { probability: 1, after: fixed(50) }
        }
      },
      startingCaseload: [{ level: "early_help", count: 1, ages: [5, 5], elapsed: fixed(10) }]
    })
    const dob = dobOf(events, 0)
    expect(events).toEqual([
      {
        _tag: "CaseOpenAtStart",
        time: 0,
        child: 0,
        dateOfBirth: dob,
        level: "early_help",
        placement: null,
        since: -10
      },
      // 30 days at early help, 10 already spent.
      { _tag: "LevelChanged", time: 20, child: 0, from: "early_help", to: "child_in_need", via: "assessment" },
      {
        _tag: "CaseClosed",
        time: 120,
        child: 0,
        from: "child_in_need",
        reason: "stepped_down",
        to: "universal",
        via: null
      },
      { _tag: "ChildReferred", time: 170, child: 0, dateOfBirth: dob, reReferral: true },
      { _tag: "LevelChanged", time: 170, child: 0, from: "universal", to: "early_help", via: null },
      { _tag: "LevelChanged", time: 200, child: 0, from: "early_help", to: "child_in_need", via: "assessment" },
      {
        _tag: "CaseClosed",
        time: 300,
        child: 0,
        from: "child_in_need",
        reason: "stepped_down",
        to: "universal",
        via: null
      },
      { _tag: "ChildReferred", time: 350, child: 0, dateOfBirth: dob, reReferral: true },
      { _tag: "LevelChanged", time: 350, child: 0, from: "universal", to: "early_help", via: null }
      // The next step across would be at 380, after the horizon (365).
    ])
    // Aged 5 in the band [5, 5] on the start date.
    expect(-dob).toBeGreaterThanOrEqual(5 * 365)
    expect(-dob).toBeLessThan(6 * 366)
  })

  it("an action due exactly at the horizon is not taken (the run covers [start, end))", () => {
    const events = trace({
      levels: { early_help: { duration: fixed(365) } },
      startingCaseload: [
        { level: "early_help", count: 1, ages: [5, 5], elapsed: fixed(0) },
        { level: "early_help", count: 1, ages: [5, 5], elapsed: fixed(0.5) }
      ]
    })
    expect(events.map((e) => [e._tag, e.child, e.time])).toEqual([
      ["CaseOpenAtStart", 0, 0],
      ["CaseOpenAtStart", 1, 0],
      ["CaseClosed", 1, 364.5]
    ])
  })

  it("a care episode: into care, a placement move, home to a plan, closed", () => {
    const events = trace({
      levels: {
        child_protection: {
          duration: fixed(100),
          outcomes: [{ to: "looked_after", probability: 1, via: "care_proceedings" }]
        },
        looked_after: {
          duration: fixed(250),
          outcomes: [{ reason: "returned_home", to: "child_in_need", probability: 1 }],
          placements: {
            onEntry: { in_house_foster: 1 },
            moves: {
              in_house_foster: { after: fixed(100), to: { ifa_foster: 1 } },
              // Due after the episode ends, so never taken.
              ifa_foster: { after: fixed(200), to: { external_residential: 1 } }
            }
          }
        }
      },
      startingCaseload: [{ level: "child_protection", count: 1, ages: [8, 8], elapsed: fixed(90) }]
    })
    const dob = dobOf(events, 0)
    expect(events).toEqual([
      {
        _tag: "CaseOpenAtStart",
        time: 0,
        child: 0,
        dateOfBirth: dob,
        level: "child_protection",
        placement: null,
        since: -90
      },
      {
        _tag: "ChildBecameLookedAfter",
        time: 10,
        child: 0,
        from: "child_protection",
        placement: "in_house_foster",
        via: "care_proceedings"
      },
      { _tag: "PlacementChanged", time: 110, child: 0, from: "in_house_foster", to: "ifa_foster" },
      {
        _tag: "ChildLeftCare",
        time: 260,
        child: 0,
        placement: "ifa_foster",
        reason: "returned_home",
        to: "child_in_need",
        via: null
      },
      {
        _tag: "CaseClosed",
        time: 360,
        child: 0,
        from: "child_in_need",
        reason: "stepped_down",
        to: "universal",
        via: null
      }
    ])
  })

  it("ties at one instant: episode ends before re-referrals, and first scheduled, first served", () => {
    const events = trace({
      levels: {
        // Early help lasts 100 days for children up to 5 and 24 days from 6.
        early_help: {
          duration: {
            byAge: [
              { ages: [0, 5], duration: fixed(100) },
              { ages: [6, 17], duration: fixed(24) }
            ]
          },
          reReferral: { probability: 1, after: fixed(25) }
        },
        child_in_need: { outcomes: [{ to: "early_help", probability: 1 }] }
      },
      startingCaseload: [
        // Child 0: early help ends at 5; re-referral scheduled (at time 5) for 30.
        { level: "early_help", count: 1, ages: [5, 5], elapsed: fixed(95) },
        // Child 1: child in need until 6, then early help for 24 days: ends at 30, scheduled at time 6.
        { level: "child_in_need", count: 1, ages: [6, 6], elapsed: fixed(94) },
        // Child 2: intensive family support ends at 30, scheduled at time 0.
        { level: "intensive_family_support", count: 1, ages: [8, 8], elapsed: fixed(70) }
      ]
    })
    expect(events.map((e) => [e.time, e.child, e._tag, "from" in e ? e.from : "", "to" in e ? e.to : ""])).toEqual([
      [0, 0, "CaseOpenAtStart", "", ""],
      [0, 1, "CaseOpenAtStart", "", ""],
      [0, 2, "CaseOpenAtStart", "", ""],
      [5, 0, "CaseClosed", "early_help", "universal"],
      [6, 1, "LevelChanged", "child_in_need", "early_help"],
      // At 30: the two episode ends (priority 1) in the order they were scheduled (child 2 at time 0,
      // child 1 at time 6), then child 0's re-referral (priority 3) although it was scheduled before
      // child 1's episode end.
      [30, 2, "CaseClosed", "intensive_family_support", "universal"],
      [30, 1, "CaseClosed", "early_help", "universal"],
      [30, 0, "ChildReferred", "", ""],
      [30, 0, "CaseClosed", "universal", "universal"],
      // Child 1 closed from early help at 30 and comes back 25 days later; the front door closes it.
      [55, 1, "ChildReferred", "", ""],
      [55, 1, "CaseClosed", "universal", "universal"]
    ])
  })

  it("an 18th birthday on the day a care episode ends: the age limit wins", () => {
    const setup = (careDays: number): TinyOverrides => ({
      years: 2,
      levels: {
        looked_after: {
          duration: fixed(careDays),
          outcomes: [{ reason: "returned_home", to: "universal", probability: 1 }]
        }
      },
      startingCaseload: [
        { level: "looked_after", placement: "in_house_foster", count: 1, ages: [17, 17], elapsed: fixed(200) }
      ]
    })
    const model = tinyModel(setup(5000))
    const dob = dobOf(runEvents(model, SEED).events, 0)
    const b18 = birthday(model.calendar, dob, 18)
    expect(b18).toBeGreaterThan(0)
    expect(b18).toBeLessThan(model.calendar.horizon)
    // The care episode now ends exactly on the 18th birthday.
    const events = trace(setup(b18 + 200))
    expect(events).toEqual([
      {
        _tag: "CaseOpenAtStart",
        time: 0,
        child: 0,
        dateOfBirth: dob,
        level: "looked_after",
        placement: "in_house_foster",
        since: -200
      },
      {
        _tag: "ChildLeftCare",
        time: b18,
        child: 0,
        placement: "in_house_foster",
        reason: "turned_18",
        to: "care_leaver",
        via: null
      }
    ])
  })

  it("an age limit beats another child's episode end at the same instant, though scheduled later", () => {
    const setup = (earlyHelpDays: number): TinyOverrides => ({
      years: 2,
      levels: {
        early_help: { duration: fixed(earlyHelpDays) },
        child_in_need: {
          duration: fixed(11),
          outcomes: [{ to: "child_protection", probability: 1, via: "s47_enquiry" }]
        },
        child_protection: { duration: fixed(5000) }
      },
      startingCaseload: [
        // Child 0: early help ending on child 1's 18th birthday (scheduled at time 0).
        { level: "early_help", count: 1, ages: [5, 5], elapsed: fixed(10) },
        // Child 1: child in need until 1, then a long CP plan: the age limit is scheduled at time 1.
        { level: "child_in_need", count: 1, ages: [17, 17], elapsed: fixed(10) }
      ]
    })
    const first = tinyModel(setup(5000))
    const b18 = birthday(first.calendar, dobOf(runEvents(first, SEED).events, 1), 18)
    expect(b18).toBeGreaterThan(1)
    const events = trace(setup(b18 + 10))
    expect(
      events.map((e) => [e.time, e.child, e._tag, "from" in e ? e.from : "", "reason" in e ? e.reason : ""])
    ).toEqual([
      [0, 0, "CaseOpenAtStart", "", ""],
      [0, 1, "CaseOpenAtStart", "", ""],
      [1, 1, "LevelChanged", "child_in_need", ""],
      [b18, 1, "CaseClosed", "child_protection", "turned_18"],
      [b18, 0, "CaseClosed", "early_help", "stepped_down"]
    ])
  })

  it("a looked-after child who turns 18 without the minimum time in care leaves the model", () => {
    const events = trace({
      years: 2,
      levels: { looked_after: { duration: fixed(5000) }, care_leaver: { minWeeksInCare: 60 } },
      startingCaseload: [{ level: "looked_after", placement: "kinship", count: 1, ages: [17, 17], elapsed: fixed(10) }]
    })
    const model = tinyModel({ years: 2 })
    const b18 = birthday(model.calendar, dobOf(events, 0), 18)
    expect(events.slice(1)).toEqual([
      { _tag: "ChildLeftCare", time: b18, child: 0, placement: "kinship", reason: "turned_18", to: "exited", via: null }
    ])
  })

  it("a case below care closes at the 18th birthday, and a closed case is not re-referred from 18", () => {
    const events = trace({
      years: 2,
      levels: {
        child_in_need: { duration: fixed(5000) },
        early_help: { duration: fixed(20), reReferral: { probability: 1, after: fixed(400) } }
      },
      startingCaseload: [
        { level: "child_in_need", count: 1, ages: [17, 17], elapsed: fixed(10) },
        // Closed at 10, due back at 410: after the 18th birthday (at most 366 days away).
        { level: "early_help", count: 1, ages: [17, 17], elapsed: fixed(10) }
      ]
    })
    const cal = tinyModel({ years: 2 }).calendar
    const b18 = birthday(cal, dobOf(events, 0), 18)
    expect(events.slice(2)).toEqual([
      {
        _tag: "CaseClosed",
        time: 10,
        child: 1,
        from: "early_help",
        reason: "stepped_down",
        to: "universal",
        via: null
      },
      { _tag: "CaseClosed", time: b18, child: 0, from: "child_in_need", reason: "turned_18", to: "exited", via: null }
    ])
  })

  it("a case closed before the start comes back after the rest of its re-referral delay", () => {
    const events = trace({
      referrals: { reReferral: { probability: 1, after: fixed(30) } },
      startingCaseload: [{ level: "universal", count: 1, ages: [9, 9], elapsed: fixed(10) }]
    })
    const dob = dobOf(events, 0)
    expect(events).toEqual([
      { _tag: "CaseClosedBeforeStart", time: 0, child: 0, dateOfBirth: dob, closedOn: -10 },
      // Closed 10 days before the start, back 30 days after closing.
      { _tag: "ChildReferred", time: 20, child: 0, dateOfBirth: dob, reReferral: true },
      {
        _tag: "CaseClosed",
        time: 20,
        child: 0,
        from: "universal",
        reason: "no_further_action",
        to: "universal",
        via: null
      },
      // Closed again at the front door: back 30 days later, and so on to the horizon.
      ...[50, 80, 110, 140, 170, 200, 230, 260, 290, 320, 350].flatMap((t) => [
        { _tag: "ChildReferred", time: t, child: 0, dateOfBirth: dob, reReferral: true },
        {
          _tag: "CaseClosed",
          time: t,
          child: 0,
          from: "universal",
          reason: "no_further_action",
          to: "universal",
          via: null
        }
      ])
    ])
  })

  it("care-leaver support ends at 21, or earlier when it ends early", () => {
    const atLimit = trace({
      years: 2,
      startingCaseload: [{ level: "care_leaver", count: 1, ages: [20, 20], elapsed: fixed(100) }]
    })
    const cal = tinyModel({ years: 2 }).calendar
    const dob = dobOf(atLimit, 0)
    expect(atLimit).toEqual([
      {
        _tag: "CaseOpenAtStart",
        time: 0,
        child: 0,
        dateOfBirth: dob,
        level: "care_leaver",
        placement: null,
        since: -100
      },
      { _tag: "CareLeaverSupportEnded", time: birthday(cal, dob, 21), child: 0, reason: "age_limit" }
    ])
    const early = trace({
      levels: { care_leaver: { endsEarly: fixed(50) } },
      startingCaseload: [{ level: "care_leaver", count: 1, ages: [18, 18], elapsed: fixed(10) }]
    })
    expect(early.slice(1)).toEqual([{ _tag: "CareLeaverSupportEnded", time: 40, child: 0, reason: "ended_early" }])
  })

  it("a starting care leaver has been one for no longer than since their 16th birthday", () => {
    const events = trace({
      levels: { care_leaver: { endsEarly: fixed(6000) } },
      startingCaseload: [{ level: "care_leaver", count: 1, ages: [18, 18], elapsed: fixed(5000) }]
    })
    const cal = tinyModel().calendar
    const dob = dobOf(events, 0)
    const b16 = birthday(cal, dob, 16)
    expect(events[0]).toEqual({
      _tag: "CaseOpenAtStart",
      time: 0,
      child: 0,
      dateOfBirth: dob,
      level: "care_leaver",
      placement: null,
      since: b16
    })
    // Nothing else within the year: 21 is over two years away, and so is the early end (6,000 days).
    expect(events.slice(1)).toEqual([])
  })
})
