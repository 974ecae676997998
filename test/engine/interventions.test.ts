/**
 * Interventions (src/engine/Interventions.ts: intercept, start, changedMove, end, caseEnded;
 * src/model/Policy.ts: compilePolicy): exact traces and statistical checks on tiny
 * scenarios, and the common-random-numbers property of a paired comparison.
 *
 * Statistical checks use one fixed seed and thousands of children; each allows 4 binomial standard errors
 * (computed in the test from the count it rests on).
 */
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { ageOn, birthday } from "../../src/domain/Calendar.js"
import type { CaseEvent, CaseOpenAtStart } from "../../src/domain/Event.js"
import { placesAt } from "../../src/model/Policy.js"
import { familyFirsts } from "../support/families.js"
import { armsCase } from "../support/policy.js"
import { byChild, runEvents } from "../support/run.js"
import { tinyModel, type TinyOverrides } from "../support/tiny.js"

const SEED = 20250401
const fixed = (value: number) => ({ type: "fixed" as const, value })
const MONTH = 365.25 / 12
const run = (o: TinyOverrides) => runEvents(tinyModel(o), SEED).events
const trace = (o: TinyOverrides): Array<CaseEvent> => run(o).filter((e) => e._tag !== "CaseOpenAtStart")
const iv = { name: "FGC", confidence: 2, start: "2025-04-01", costs: { budgetLine: "Early help" } } as const
/** Children at `level` aged 5, each moving on at day `at` (the tiny levels last a fixed 100 days). */
const movingAt = (level: "early_help" | "child_in_need" | "child_protection", count: number, at: number) => ({
  level,
  count,
  ages: [5, 5] as const,
  elapsed: fixed(100 - at)
})

const dateOfBirth = (events: ReadonlyArray<CaseEvent>): number => {
  for (const e of events)
    if (e._tag === "CaseOpenAtStart" || e._tag === "CaseClosedBeforeStart" || e._tag === "ChildReferred")
      return e.dateOfBirth
  throw new Error("no date of birth in the child's events")
}
const INTERVENTION_EVENTS: ReadonlyArray<CaseEvent["_tag"]> = [
  "InterventionStarted",
  "InterventionEnded",
  "WaitingListJoined",
  "WaitingListLeft"
]
const touched = (events: ReadonlyArray<CaseEvent>) =>
  events.some((e) => e._tag === "InterventionStarted" || e._tag === "WaitingListJoined")

/** |share - p| within 4 binomial standard errors of n trials. */
const expectShare = (label: string, hits: number, n: number, p: number) => {
  expect(n, `${label}: trials`).toBeGreaterThan(100)
  const se = Math.sqrt((p * (1 - p)) / n)
  expect(Math.abs(hits / n - p), `${label}: ${hits}/${n} = ${hits / n} vs ${p} (4 SE = ${4 * se})`).toBeLessThan(4 * se)
}

describe("intervention traces", () => {
  it("a redirect sends the intercepted move elsewhere (via the intervention)", () => {
    expect(
      trace({
        levels: { child_in_need: { outcomes: [{ to: "child_protection", probability: 1, via: "s47_enquiry" }] } },
        startingCaseload: [movingAt("child_in_need", 1, 10)],
        interventions: [
          {
            ...iv,
            eligibility: { from: "child_in_need", to: "child_protection" },
            effects: { redirectTo: "intensive_family_support" }
          }
        ]
      })
    ).toEqual([
      {
        _tag: "InterventionStarted",
        time: 10,
        child: 0,
        intervention: "FGC",
        at: "child_in_need",
        redirectedTo: "intensive_family_support",
        heldPlace: false
      },
      { _tag: "LevelChanged", time: 10, child: 0, from: "child_in_need", to: "intensive_family_support", via: "FGC" },
      {
        _tag: "CaseClosed",
        time: 110,
        child: 0,
        from: "intensive_family_support",
        reason: "stepped_down",
        to: "universal",
        via: null
      }
    ])
  })

  it("a child already at the level a redirect goes to is not intercepted (no move from a level to itself)", () => {
    // Found by the property test in services.test.ts: an eligibility without `from` and a redirect to
    // early help used to turn an early-help child's move into LevelChanged early_help -> early_help.
    expect(
      trace({
        levels: { early_help: { outcomes: [{ to: "child_protection", probability: 1 }] } },
        startingCaseload: [movingAt("early_help", 1, 10)],
        // Any move to child protection, from wherever.
        interventions: [{ ...iv, eligibility: { to: "child_protection" }, effects: { redirectTo: "early_help" } }]
      })
    ).toEqual([
      { _tag: "LevelChanged", time: 10, child: 0, from: "early_help", to: "child_protection", via: null },
      {
        _tag: "CaseClosed",
        time: 110,
        child: 0,
        from: "child_protection",
        reason: "stepped_down",
        to: "universal",
        via: null
      }
    ])
  })

  it("a duration multiplier scales the time at the level for episodes that start under the effect", () => {
    const events = trace({
      levels: {
        child_in_need: { outcomes: [{ to: "early_help", probability: 1 }] },
        early_help: { outcomes: [{ to: "child_protection", probability: 1 }] }
      },
      startingCaseload: [movingAt("child_in_need", 1, 10)],
      // The effect lasts 40 days: early help (from day 10) is halved; child protection (from day 60) is not.
      interventions: [
        {
          ...iv,
          eligibility: { from: "child_in_need", to: "early_help" },
          effects: {
            durations: [
              { level: "early_help", multiplier: 0.5 },
              { level: "child_protection", multiplier: 0.5 }
            ],
            lasts: fixed(40)
          }
        }
      ]
    })
    expect(events.map((e) => [e._tag, e.time])).toEqual([
      ["InterventionStarted", 10],
      ["LevelChanged", 10],
      ["LevelChanged", 60],
      ["CaseClosed", 160]
    ])
  })

  it("a place is released when the case closes (case_closed) and goes to the first waiting", () => {
    const events = trace({
      levels: { child_in_need: { outcomes: [{ to: "child_protection", probability: 1 }] } },
      startingCaseload: [movingAt("child_in_need", 1, 10), movingAt("child_in_need", 1, 20)],
      interventions: [
        {
          ...iv,
          eligibility: { from: "child_in_need", to: "child_protection" },
          capacity: { places: 1 },
          duration: fixed(200),
          whenFull: "wait"
        }
      ]
    })
    expect(events).toEqual([
      {
        _tag: "InterventionStarted",
        time: 10,
        child: 0,
        intervention: "FGC",
        at: "child_in_need",
        redirectedTo: null,
        heldPlace: true
      },
      { _tag: "LevelChanged", time: 10, child: 0, from: "child_in_need", to: "child_protection", via: null },
      // Full: child 1 waits for a place, and meanwhile carries on untreated.
      { _tag: "WaitingListJoined", time: 20, child: 1, service: "FGC", at: "child_in_need" },
      { _tag: "LevelChanged", time: 20, child: 1, from: "child_in_need", to: "child_protection", via: null },
      {
        _tag: "CaseClosed",
        time: 110,
        child: 0,
        from: "child_protection",
        reason: "stepped_down",
        to: "universal",
        via: null
      },
      { _tag: "InterventionEnded", time: 110, child: 0, intervention: "FGC", reason: "case_closed" },
      { _tag: "WaitingListLeft", time: 110, child: 1, service: "FGC", outcome: "place" },
      {
        _tag: "InterventionStarted",
        time: 110,
        child: 1,
        intervention: "FGC",
        at: "child_protection",
        redirectedTo: null,
        heldPlace: true
      },
      {
        _tag: "CaseClosed",
        time: 120,
        child: 1,
        from: "child_protection",
        reason: "stepped_down",
        to: "universal",
        via: null
      },
      { _tag: "InterventionEnded", time: 120, child: 1, intervention: "FGC", reason: "case_closed" }
    ])
  })

  it(
    "a redirected child stays at the new level for the time they hold the place; " +
      "one admitted from the list is not redirected",
    () => {
      const events = trace({
        levels: {
          child_in_need: { outcomes: [{ to: "child_protection", probability: 1 }] },
          intensive_family_support: { duration: fixed(30) }
        },
        startingCaseload: [movingAt("child_in_need", 1, 10), movingAt("child_in_need", 1, 20)],
        interventions: [
          {
            ...iv,
            eligibility: { from: "child_in_need", to: "child_protection" },
            capacity: { places: 1 },
            duration: fixed(60),
            whenFull: "wait",
            effects: { redirectTo: "intensive_family_support" }
          }
        ]
      })
      expect(events).toEqual([
        {
          _tag: "InterventionStarted",
          time: 10,
          child: 0,
          intervention: "FGC",
          at: "child_in_need",
          redirectedTo: "intensive_family_support",
          heldPlace: true
        },
        { _tag: "LevelChanged", time: 10, child: 0, from: "child_in_need", to: "intensive_family_support", via: "FGC" },
        { _tag: "WaitingListJoined", time: 20, child: 1, service: "FGC", at: "child_in_need" },
        { _tag: "LevelChanged", time: 20, child: 1, from: "child_in_need", to: "child_protection", via: null },
        // The place's 60 days, not the level's 30: the course ends and the case steps down together.
        { _tag: "InterventionEnded", time: 70, child: 0, intervention: "FGC", reason: "completed" },
        { _tag: "WaitingListLeft", time: 70, child: 1, service: "FGC", outcome: "place" },
        // Starting from the list, the move is long made: no redirect.
        {
          _tag: "InterventionStarted",
          time: 70,
          child: 1,
          intervention: "FGC",
          at: "child_protection",
          redirectedTo: null,
          heldPlace: true
        },
        {
          _tag: "CaseClosed",
          time: 70,
          child: 0,
          from: "intensive_family_support",
          reason: "stepped_down",
          to: "universal",
          via: null
        },
        {
          _tag: "CaseClosed",
          time: 120,
          child: 1,
          from: "child_protection",
          reason: "stepped_down",
          to: "universal",
          via: null
        },
        { _tag: "InterventionEnded", time: 120, child: 1, intervention: "FGC", reason: "case_closed" }
      ])
    }
  )

  it(
    "openCases: when it starts, children already at the level (of its ages) are offered it in turn, " +
      "while it has places",
    () => {
      const events = trace({
        start: "2025-04-01",
        startingCaseload: [
          { level: "child_protection", count: 3, ages: [12, 12], elapsed: fixed(10) },
          { level: "child_protection", count: 1, ages: [5, 5], elapsed: fixed(10) }
        ],
        interventions: [
          {
            ...iv,
            start: "2025-05-01",
            eligibility: { to: "child_protection", ages: [10, 15], openCases: true },
            capacity: { places: 2 },
            duration: fixed(20)
          }
        ]
      })
      // Day 30 (1 May): two of the three 12-year-olds get the two places; the 5-year-old is too young.
      expect(events.filter((e) => e._tag === "InterventionStarted")).toEqual([
        {
          _tag: "InterventionStarted",
          time: 30,
          child: 0,
          intervention: "FGC",
          at: "child_protection",
          redirectedTo: null,
          heldPlace: true
        },
        {
          _tag: "InterventionStarted",
          time: 30,
          child: 1,
          intervention: "FGC",
          at: "child_protection",
          redirectedTo: null,
          heldPlace: true
        }
      ])
      // Their plans keep the length they had (fixed 100 days, 10 already spent at the start).
      expect(events.filter((e) => e._tag === "CaseClosed").map((e) => e.time)).toEqual([90, 90, 90, 90])
    }
  )

  it("a redirect into a full level service is not delivered: the child carries on as before", () => {
    const events = trace({
      levels: { child_in_need: { outcomes: [{ to: "child_protection", probability: 1 }] } },
      startingCaseload: [movingAt("child_in_need", 1, 10)],
      services: [{ name: "IFS", level: "intensive_family_support", places: 0, whenFull: { action: "wait" } }],
      interventions: [
        {
          ...iv,
          eligibility: { from: "child_in_need", to: "child_protection" },
          capacity: { places: 5 },
          duration: fixed(60),
          effects: { redirectTo: "intensive_family_support" }
        }
      ]
    })
    expect(events.map((e) => e._tag)).toEqual(["LevelChanged", "CaseClosed"])
    expect(events[0]).toMatchObject({ from: "child_in_need", to: "child_protection" })
  })

  it("a place held for its duration ends as completed", () => {
    const events = trace({
      levels: { child_in_need: { outcomes: [{ to: "child_protection", probability: 1 }] } },
      startingCaseload: [movingAt("child_in_need", 1, 10)],
      interventions: [{ ...iv, eligibility: { from: "child_in_need" }, capacity: { places: 1 }, duration: fixed(50) }]
    })
    expect(events.map((e) => [e._tag, e.time])).toEqual([
      ["InterventionStarted", 10],
      ["LevelChanged", 10],
      ["InterventionEnded", 60],
      ["CaseClosed", 110]
    ])
    expect(events[2]).toMatchObject({ reason: "completed" })
  })

  it("`end` stops new starts and lets the waiting list go (service_ended); places held run their course", () => {
    const events = trace({
      levels: { child_in_need: { outcomes: [{ to: "child_protection", probability: 1 }] } },
      startingCaseload: [
        movingAt("child_in_need", 1, 10),
        movingAt("child_in_need", 1, 20),
        movingAt("child_in_need", 1, 30),
        movingAt("child_in_need", 1, 50)
      ],
      // Ends on 9 May 2025 (day 38): no starts from day 39.
      interventions: [
        {
          ...iv,
          end: "2025-05-09",
          eligibility: { from: "child_in_need" },
          capacity: { places: 1 },
          duration: fixed(50),
          whenFull: "wait"
        }
      ]
    })
    expect(
      events
        .filter((e) => INTERVENTION_EVENTS.includes(e._tag))
        .map((e) => [e._tag, e.child, e.time, "outcome" in e ? e.outcome : "reason" in e ? e.reason : null])
    ).toEqual([
      ["InterventionStarted", 0, 10, null],
      ["WaitingListJoined", 1, 20, null],
      ["WaitingListJoined", 2, 30, null],
      ["WaitingListLeft", 1, 39, "service_ended"],
      ["WaitingListLeft", 2, 39, "service_ended"],
      // Child 3's move at day 50 is not intercepted; child 0 keeps the place to the end of its course.
      ["InterventionEnded", 0, 60, "completed"]
    ])
  })

  it("a ramp-up gives floor(full x k / R) places in month k of R", () => {
    // Five referrals a day, all eligible and all to early help: demand fills every place at once.
    const model = (capacity: { places: number } | { workers: number; casesPerWorker: number }) =>
      tinyModel({
        referrals: {
          ratePer10k: (5 * 365.25 * 10_000) / 1000,
          // Nobody turns 18 in the run either.
          ageAtReferral: [
            { ages: [0, 10], share: 1 },
            { ages: [11, 17], share: 0 }
          ],
          frontDoor: [{ to: "early_help", probability: 1 }]
        },
        // Nobody's case closes in the run (which would free a place).
        levels: { early_help: { duration: fixed(1000) } },
        interventions: [
          {
            ...iv,
            start: "2025-04-01",
            rampUpMonths: 4,
            eligibility: { from: "universal" },
            capacity,
            duration: fixed(1000)
          }
        ]
      })
    for (const [capacity, full] of [
      [{ places: 10 }, 10],
      [{ workers: 3, casesPerWorker: 2.5 }, 7.5]
    ] as const) {
      const m = model(capacity)
      const events = runEvents(m, SEED).events
      const starts = events.filter((e) => e._tag === "InterventionStarted").map((e) => e.time)
      for (let k = 1; k <= 4; k++) {
        // Month k of the ramp runs from round((k - 1) x 365.25 / 12) days after the start.
        const from = Math.round((k - 1) * MONTH)
        const to = k < 4 ? Math.round(k * MONTH) : m.calendar.horizon
        const expected = Math.floor((full * k) / 4)
        expect(placesAt(m.policy.services[0], from), `places in month ${k}`).toBe(expected)
        // Nobody leaves (the course and the case outlast the run): the places taken by the end of month k are
        // all of them.
        expect(
          starts.filter((t) => t < to).length,
          `taken by the end of month ${k} (${JSON.stringify(capacity)})`
        ).toBe(expected)
        expect(starts.filter((t) => t < from).length).toBe(Math.floor((full * (k - 1)) / 4))
      }
    }
  })

  it("places added to a service are built up over the ramp-up", () => {
    const o: TinyOverrides = {
      levels: {
        child_protection: { outcomes: [{ to: "looked_after", probability: 1 }] },
        looked_after: {
          duration: fixed(200),
          outcomes: [{ reason: "returned_home", to: "universal", probability: 1 }],
          placements: { onEntry: { in_house_foster: 1 } }
        }
      },
      // Six children come into care on day 40.
      startingCaseload: [movingAt("child_protection", 6, 40)],
      services: [
        {
          name: "In-house",
          placement: "in_house_foster",
          places: 1,
          whenFull: { action: "alternative", to: "ifa_foster" }
        }
      ],
      interventions: [
        { ...iv, name: "Recruitment", rampUpMonths: 2, effects: { places: [{ service: "In-house", add: 4 }] } }
      ]
    }
    const m = tinyModel(o)
    const svc = m.policy.services[0]
    expect([0, 29, 30, 31, 100].map((t) => placesAt(svc, t))).toEqual([3, 3, 5, 5, 5])
    const events = runEvents(m, SEED).events
    expect(events.filter((e) => e._tag === "ChildBecameLookedAfter" && e.placement === "in_house_foster")).toHaveLength(
      5
    )
    expect(events.filter((e) => e._tag === "PlacementOverflowed")).toHaveLength(1)
  })

  it("an intervention with no eligibility changes nothing in the log", () => {
    const base: TinyOverrides = {
      years: 2,
      referrals: {
        ratePer10k: 300,
        frontDoor: [
          { to: "early_help", probability: 0.4 },
          { to: "child_in_need", probability: 0.4 },
          { to: "universal", probability: 0.2, reason: "no_further_action" }
        ],
        reReferral: { probability: 0.3, after: { type: "exponential", mean: 100 } }
      },
      levels: {
        early_help: {
          duration: { type: "exponential", mean: 60 },
          outcomes: [
            { to: "child_in_need", probability: 0.3 },
            { to: "universal", probability: 0.7 }
          ]
        },
        child_in_need: {
          duration: { type: "gamma", shape: 2, mean: 120 },
          outcomes: [
            { to: "child_protection", probability: 0.3 },
            { to: "universal", probability: 0.7 }
          ]
        }
      },
      startingCaseload: [{ level: "child_in_need", count: 40, ages: [0, 17] }]
    }
    const events = run(base)
    expect(events.length).toBeGreaterThan(200)
    expect(
      run({
        ...base,
        interventions: [
          {
            ...iv,
            rampUpMonths: 3,
            capacity: { workers: 5, casesPerWorker: 8 },
            duration: fixed(180),
            costs: {
              budgetLine: "Early help",
              staff: [{ role: "IFS worker", fte: 5, perWeek: 874 }],
              setUp: 10_000,
              perChild: 500
            }
          }
        ]
      })
    ).toEqual(events)
  })

  it("a child on an intervention's list and a service's list at once is admitted to each in turn", () => {
    // Child 0 is re-referred on day 1 and takes the intervention's only place and IFS's only place (IFS
    // lasts 30 days); child 1, re-referred on day 2, waits for both at the front door. Leaving one list
    // must not void the child's place in the other (the two lists used to share one ticket counter, so
    // the child was skipped at the front of the second list and never admitted).
    const o = (course: number): TinyOverrides => ({
      referrals: {
        frontDoor: [{ to: "intensive_family_support", probability: 1 }],
        reReferral: { probability: 1, after: fixed(10) }
      },
      levels: { intensive_family_support: { duration: fixed(30), reReferral: { probability: 0, after: fixed(1) } } },
      startingCaseload: [
        { level: "universal", count: 1, ages: [5, 5], elapsed: fixed(9) },
        { level: "universal", count: 1, ages: [5, 5], elapsed: fixed(8) }
      ],
      services: [{ name: "IFS", level: "intensive_family_support", places: 1, whenFull: { action: "wait" } }],
      interventions: [
        {
          ...iv,
          eligibility: { from: "universal" },
          capacity: { places: 1 },
          duration: fixed(course),
          whenFull: "wait"
        }
      ]
    })
    const child1 = (events: ReadonlyArray<CaseEvent>) =>
      events
        .filter((e) => e.child === 1 && e._tag !== "CaseClosedBeforeStart" && e._tag !== "ChildReferred")
        .map((e) => [e._tag, e.time, "service" in e ? e.service : null])
    // The intervention's place frees first (day 21), then IFS's (day 31, when child 0's case closes).
    expect(child1(trace(o(20)))).toEqual([
      ["WaitingListJoined", 2, "FGC"],
      ["WaitingListJoined", 2, "IFS"],
      ["WaitingListLeft", 21, "FGC"],
      ["InterventionStarted", 21, null],
      ["WaitingListLeft", 31, "IFS"],
      ["LevelChanged", 31, null],
      ["InterventionEnded", 41, null],
      ["CaseClosed", 61, null]
    ])
    // Both free on day 31 (closing child 0's case ends its place on the intervention too): IFS first
    // (services before interventions), then the intervention.
    expect(child1(trace(o(100)))).toEqual([
      ["WaitingListJoined", 2, "FGC"],
      ["WaitingListJoined", 2, "IFS"],
      ["WaitingListLeft", 31, "IFS"],
      ["LevelChanged", 31, null],
      ["WaitingListLeft", 31, "FGC"],
      ["InterventionStarted", 31, null],
      ["CaseClosed", 61, null],
      ["InterventionEnded", 61, null]
    ])
  })

  it("a child whose referral lapses at 18 while waiting leaves every list, the intervention's too", () => {
    // Child 0 (5) is re-referred on day 1 and takes the intervention's only place and IFS's only place;
    // child 1 (17) is re-referred on day 2 and waits for both at the front door. At 18 the referral lapses:
    // the child must leave both lists, not start the intervention later when its place frees.
    const o = (course: number): TinyOverrides => ({
      years: 2,
      referrals: {
        frontDoor: [{ to: "intensive_family_support", probability: 1 }],
        reReferral: { probability: 1, after: fixed(10) }
      },
      levels: { intensive_family_support: { duration: fixed(1000) } },
      startingCaseload: [
        { level: "universal", count: 1, ages: [5, 5], elapsed: fixed(9) },
        { level: "universal", count: 1, ages: [17, 17], elapsed: fixed(8) }
      ],
      services: [{ name: "IFS", level: "intensive_family_support", places: 1, whenFull: { action: "wait" } }],
      interventions: [
        {
          ...iv,
          eligibility: { from: "universal" },
          capacity: { places: 1 },
          duration: fixed(course),
          whenFull: "wait"
        }
      ]
    })
    const probe = tinyModel(o(100))
    const dob = dateOfBirth(runEvents(probe, SEED).events.filter((e) => e.child === 1))
    const b18 = birthday(probe.calendar, dob, 18)
    expect(b18).toBeGreaterThan(2)
    // The course outlasts the 18th birthday: the place frees 10 days after it.
    const events = trace(o(b18 + 10))
    expect(events.filter((e) => e.child === 1)).toEqual([
      { _tag: "CaseClosedBeforeStart", time: 0, child: 1, dateOfBirth: dob, closedOn: -8 },
      { _tag: "ChildReferred", time: 2, child: 1, dateOfBirth: dob, reReferral: true },
      { _tag: "WaitingListJoined", time: 2, child: 1, service: "FGC", at: "universal" },
      { _tag: "WaitingListJoined", time: 2, child: 1, service: "IFS", at: "universal" },
      { _tag: "WaitingListLeft", time: b18, child: 1, service: "IFS", outcome: "turned_18" },
      { _tag: "WaitingListLeft", time: b18, child: 1, service: "FGC", outcome: "case_closed" }
    ])
  })
})

describe("intervention effects, statistically", () => {
  it(
    "a multiplier of 0 on the intercepted move stops it; " + "the replacement follows the other outcomes' proportions",
    () => {
      const n = 3000
      const events = run({
        levels: {
          child_in_need: {
            outcomes: [
              { to: "child_protection", probability: 0.5 },
              { to: "early_help", probability: 0.3 },
              { to: "universal", probability: 0.2 }
            ]
          }
        },
        startingCaseload: [movingAt("child_in_need", n, 10)],
        interventions: [
          {
            ...iv,
            eligibility: { from: "child_in_need", to: "child_protection" },
            effects: { moves: [{ from: "child_in_need", to: "child_protection", multiplier: 0 }] }
          }
        ]
      })
      const treated = new Set(events.filter((e) => e._tag === "InterventionStarted").map((e) => e.child))
      const moves = events.filter(
        (e) => (e._tag === "LevelChanged" || e._tag === "CaseClosed") && e.from === "child_in_need" && e.time === 10
      )
      expect(moves).toHaveLength(n)
      expect(moves.filter((e) => e._tag === "LevelChanged" && e.to === "child_protection")).toEqual([])
      // Intercepted: those whose drawn move was to child protection (half).
      expectShare("intercepted", treated.size, n, 0.5)
      // Their replacement: early help 0.3 / (0.3 + 0.2) = 0.6, closed 0.4.
      const replaced = moves.filter((e) => treated.has(e.child))
      expectShare(
        "replacement to early help",
        replaced.filter((e) => e._tag === "LevelChanged" && e.to === "early_help").length,
        replaced.length,
        0.6
      )
    }
  )

  it("a multiplier between 0 and 1 on the intercepted move is the chance it still happens", () => {
    const n = 3000
    const events = run({
      levels: {
        child_in_need: {
          outcomes: [
            { to: "child_protection", probability: 0.5 },
            { to: "early_help", probability: 0.5 }
          ]
        }
      },
      startingCaseload: [movingAt("child_in_need", n, 10)],
      interventions: [
        {
          ...iv,
          eligibility: { from: "child_in_need", to: "child_protection" },
          effects: { moves: [{ to: "child_protection", multiplier: 0.4 }] }
        }
      ]
    })
    const treated = new Set(events.filter((e) => e._tag === "InterventionStarted").map((e) => e.child))
    const stillToCp = events.filter(
      (e) => e._tag === "LevelChanged" && e.to === "child_protection" && treated.has(e.child)
    )
    expectShare("intercepted move still made", stillToCp.length, treated.size, 0.4)
  })

  it("take-up: the share of eligible children who start is `uptake`; the rest carry on untreated", () => {
    const n = 4000
    const events = run({
      levels: { child_in_need: { outcomes: [{ to: "child_protection", probability: 1 }] } },
      startingCaseload: [movingAt("child_in_need", n, 10)],
      interventions: [
        {
          ...iv,
          eligibility: { from: "child_in_need", to: "child_protection", uptake: 0.3 },
          effects: { redirectTo: "intensive_family_support" }
        }
      ]
    })
    const started = events.filter((e) => e._tag === "InterventionStarted").length
    expectShare("take-up", started, n, 0.3)
    expect(events.filter((e) => e._tag === "LevelChanged" && e.to === "intensive_family_support")).toHaveLength(started)
    expect(events.filter((e) => e._tag === "LevelChanged" && e.to === "child_protection")).toHaveLength(n - started)
  })

  it("eligibility by age: only children in the band are intercepted", () => {
    const events = run({
      levels: { child_in_need: { outcomes: [{ to: "child_protection", probability: 1 }] } },
      // Aged 0-16, so nobody turns 18 before the move on day 10.
      startingCaseload: [{ level: "child_in_need", count: 2000, ages: [0, 16], elapsed: fixed(90) }],
      interventions: [
        { ...iv, eligibility: { from: "child_in_need", ages: [10, 15] }, effects: { redirectTo: "early_help" } }
      ]
    })
    const cal = tinyModel().calendar
    const dob = new Map(
      events.filter((e): e is CaseOpenAtStart => e._tag === "CaseOpenAtStart").map((e) => [e.child, e.dateOfBirth])
    )
    const moves = events.filter((e) => e._tag === "LevelChanged" && e.from === "child_in_need")
    expect(moves).toHaveLength(2000)
    for (const e of moves) {
      const age = ageOn(cal, dob.get(e.child)!, e.time)
      expect(e._tag === "LevelChanged" && e.to === "early_help", `age ${age}`).toBe(age >= 10 && age <= 15)
    }
  })

  it("a placement-mix effect multiplies the shares on entry to care", () => {
    const n = 4000
    const events = run({
      levels: {
        child_protection: { outcomes: [{ to: "looked_after", probability: 1 }] },
        looked_after: { placements: { onEntry: { in_house_foster: 0.5, ifa_foster: 0.5 } } }
      },
      startingCaseload: [movingAt("child_protection", n, 10)],
      // Taken up by half; in-house x 3: 0.5 x 3 / (0.5 x 3 + 0.5) = 0.75 of the treated go in-house.
      interventions: [
        {
          ...iv,
          eligibility: { from: "child_protection", to: "looked_after", uptake: 0.5 },
          effects: { placementMix: { in_house_foster: 3 } }
        }
      ]
    })
    const treated = new Set(events.filter((e) => e._tag === "InterventionStarted").map((e) => e.child))
    const entries = events.filter((e) => e._tag === "ChildBecameLookedAfter")
    expect(entries).toHaveLength(n)
    const inHouse = (xs: typeof entries) =>
      xs.filter((e) => e._tag === "ChildBecameLookedAfter" && e.placement === "in_house_foster").length
    const t = entries.filter((e) => treated.has(e.child))
    const u = entries.filter((e) => !treated.has(e.child))
    expectShare("treated in-house", inHouse(t), t.length, 0.75)
    expectShare("untreated in-house", inHouse(u), u.length, 0.5)
  })

  it("move multipliers apply to later moves while the effect lasts", () => {
    const n = 2000
    const events = run({
      years: 2,
      levels: {
        child_in_need: { outcomes: [{ to: "early_help", probability: 1 }] },
        early_help: {
          outcomes: [
            { to: "child_protection", probability: 0.5 },
            { to: "universal", probability: 0.5 }
          ]
        }
      },
      startingCaseload: [movingAt("child_in_need", n, 10)],
      // Intercepted at child in need -> early help; then, for the effect's 300 days, early help -> CP x 0.
      interventions: [
        {
          ...iv,
          eligibility: { from: "child_in_need", to: "early_help", uptake: 0.5 },
          effects: { moves: [{ from: "early_help", to: "child_protection", multiplier: 0 }], lasts: fixed(300) }
        }
      ]
    })
    const treated = new Set(events.filter((e) => e._tag === "InterventionStarted").map((e) => e.child))
    const toCp = events.filter((e) => e._tag === "LevelChanged" && e.to === "child_protection")
    expect(toCp.filter((e) => treated.has(e.child))).toEqual([])
    const untreated = n - treated.size
    expectShare("untreated early help -> CP", toCp.length, untreated, 0.5)
  })
})

describe("common random numbers: a child an intervention does not touch has the same history in both arms", () => {
  it("on a tiny scenario, with take-up below 1: declined and ineligible children are identical", () => {
    const base: TinyOverrides = {
      years: 2,
      levels: {
        child_in_need: {
          duration: { type: "exponential", mean: 60 },
          outcomes: [
            { to: "child_protection", probability: 0.5 },
            { to: "early_help", probability: 0.5 }
          ]
        },
        child_protection: {
          duration: { type: "gamma", shape: 2, mean: 150 },
          outcomes: [
            { to: "looked_after", probability: 0.3 },
            { to: "universal", probability: 0.7 }
          ]
        },
        early_help: { duration: { type: "exponential", mean: 90 } }
      },
      startingCaseload: [{ level: "child_in_need", count: 2000, ages: [0, 15] }]
    }
    const baseline = byChild(run(base))
    const variant = byChild(
      run({
        ...base,
        interventions: [
          {
            ...iv,
            eligibility: { from: "child_in_need", to: "child_protection", uptake: 0.5 },
            capacity: { places: 300 },
            duration: { type: "exponential", mean: 120 },
            effects: {
              redirectTo: "intensive_family_support",
              durations: [{ level: "intensive_family_support", multiplier: 2 }]
            }
          }
        ]
      })
    )
    let untouched = 0
    let declined = 0
    for (const [child, evs] of variant) {
      if (touched(evs)) continue
      untouched++
      expect(evs, `child ${child}`).toEqual(baseline.get(child))
      // Eligible (their first move was to child protection) but did not take it up (or found it full).
      if (evs.some((e) => e._tag === "LevelChanged" && e.from === "child_in_need" && e.to === "child_protection"))
        declined++
    }
    expect(declined).toBeGreaterThan(300)
    expect(variant.size - untouched).toBeGreaterThan(300)
    expect(variant.size).toBe(baseline.size)
  })

  it("on generated scenarios: children never intercepted have identical events in both arms", () => {
    // No capacity-limited level or placement service here: a place one treated child frees (or takes)
    // would change the path of an untreated child waiting for it, so the property holds only when no such
    // service is shared between treated and untreated children. An intervention's own capacity is fine:
    // a child refused a full intervention draws nothing from their own stream for it.
    const count = { untouched: 0, touched: 0 }
    fc.assert(
      fc.property(armsCase, ({ baseline, variant }) => {
        const a = byChild(runEvents(baseline.model, baseline.seed).events)
        const b = byChild(runEvents(variant.model, variant.seed).events)
        expect(b.size).toBe(a.size)
        const cal = variant.model.calendar
        // Sibling groups: siblings follow their eldest, on the eldest's draws, so an intervention that
        // intercepts any child of a family can change the family's other children from then on (common
        // random numbers hold family by family). A child counts as touched when anyone in their family is.
        const familyFirst = familyFirsts(
          [...b.values()].flat(),
          (e) => e._tag === "InterventionStarted" || e._tag === "WaitingListJoined"
        )
        for (const [child, evs] of b) {
          const since = familyFirst(child)
          if (since !== undefined && !touched(evs)) {
            // Until the family's first intercept, the child's history is the baseline's.
            const before = evs.filter((e) => e.time < since)
            expect(before).toEqual(a.get(child)!.slice(0, before.length))
            continue
          }
          if (!touched(evs)) {
            count.untouched++
            expect(evs, `child ${child}`).toEqual(a.get(child))
            continue
          }
          count.touched++
          // Touched children were in the band [10, 15] when intercepted.
          const dob = dateOfBirth(evs)
          const first = evs.find((e) => e._tag === "InterventionStarted" || e._tag === "WaitingListJoined")!
          const age = ageOn(cal, dob, first.time)
          expect(age >= 10 && age <= 15, `intercepted at age ${age}`).toBe(true)
          // And before their first intercept (or their family's, if earlier), their history is the baseline's.
          const k = evs.indexOf(first)
          const before = evs.slice(0, k).filter((e) => e.time < (since ?? Infinity))
          expect(before).toEqual(a.get(child)!.slice(0, before.length))
        }
      }),
      { numRuns: 40 }
    )
    expect(count.untouched).toBeGreaterThan(1000)
    expect(count.touched).toBeGreaterThan(10)
  })
})
