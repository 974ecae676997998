/**
 * Capacity-limited services (src/engine/Places.ts: places and waiting lists; src/engine/LifeCycle.ts:
 * serviceFull, escalate, admitWaiting): invariants on generated scenarios with services and interventions,
 * exact traces on tiny scenarios, and validation errors that name the path.
 *
 * The queueing-theory checks (Erlang B and C, Little's law) are in queueing.test.ts; interventions' own
 * traces in interventions.test.ts.
 */
import * as Either from "effect/Either"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { birthday } from "../../src/domain/Calendar.js"
import type { CaseEvent, CaseOpenAtStart } from "../../src/domain/Event.js"
import { spendOf } from "../../src/projections/Spend.js"
import { decodeScenario } from "../../src/scenario/Decode.js"
import type { ScenarioEncoded } from "../../src/scenario/Scenario.js"
import { policyCase } from "../support/policy.js"
import { moveOf, replay } from "../support/replay.js"
import { runEvents, runWithLedger } from "../support/run.js"
import { replayServices } from "../support/serviceReplay.js"
import { tinyEncoded, tinyModel, type TinyOverrides } from "../support/tiny.js"
import { runs } from "../support/runs.js"

const SEED = 20250401
const fixed = (value: number) => ({ type: "fixed" as const, value })
/** The log without the starting caseload (whose dates of birth are drawn). */
const trace = (o: TinyOverrides): Array<CaseEvent> =>
  runEvents(tinyModel(o), SEED).events.filter((e) => e._tag !== "CaseOpenAtStart")
const atFive = (
  level: "early_help" | "intensive_family_support" | "child_in_need" | "child_protection",
  elapsed: number
) => ({ level, count: 1, ages: [5, 5] as const, elapsed: fixed(elapsed) })

const sum = (a: ArrayLike<number>): number => {
  let total = 0
  for (let i = 0; i < a.length; i++) total += a[i]
  return total
}

/** Equal up to rounding: the fold adds month by month, the events child by child. */
const expectRelative = (actual: number, expected: number, label: string) =>
  expect(Math.abs(actual - expected), `${label}: ${actual} vs ${expected}`).toBeLessThanOrEqual(
    1e-9 * Math.max(1, Math.abs(expected))
  )

/** Days spent on each waiting list and in each intervention's places, by name, from the events alone. */
const spansOf = (events: ReadonlyArray<CaseEvent>, horizon: number) => {
  const waiting = new Map<string, number>()
  const held = new Map<string, number>()
  const since = new Map<string, number>()
  const add = (m: Map<string, number>, name: string, days: number) => m.set(name, (m.get(name) ?? 0) + days)
  for (const e of events) {
    if (e._tag === "WaitingListJoined") since.set(`w ${e.service} ${e.child}`, e.time)
    if (e._tag === "WaitingListLeft") {
      add(waiting, e.service, e.time - since.get(`w ${e.service} ${e.child}`)!)
      since.delete(`w ${e.service} ${e.child}`)
    }
    if (e._tag === "InterventionStarted" && e.heldPlace) since.set(`h ${e.intervention} ${e.child}`, e.time)
    if (e._tag === "InterventionEnded") {
      add(held, e.intervention, e.time - since.get(`h ${e.intervention} ${e.child}`)!)
      since.delete(`h ${e.intervention} ${e.child}`)
    }
  }
  for (const [key, t] of since) {
    const name = key.slice(2, key.lastIndexOf(" "))
    add(key.startsWith("w") ? waiting : held, name, horizon - t)
  }
  return { waiting, held }
}

describe("services and interventions on generated scenarios", () => {
  it(
    "capacity is never exceeded; waiting lists are joined only when full, first come first served, " +
      "left at most once",
    () => {
      // Rules and their reading at the start and when places fall: test/support/serviceReplay.ts.
      // 60 generated scenarios (1-3 years, a few hundred to a few thousand events each) run in ~3 s.
      const seen = { entries: 0, joins: 0, admissions: 0, overflows: 0, started: 0, ended: 0, fullAt: 0 }
      fc.assert(
        fc.property(policyCase, (g) => {
          const { events, totals } = runWithLedger(g.model, g.seed)
          // replay.ts would read service events as re-referrals: it is given the moves and referrals only.
          const moves = events.filter((e) => e._tag === "ChildReferred" || moveOf(e) !== null)
          expect(replay(moves, g.model.calendar.horizon).violations).toEqual([])
          const r = replayServices(g.model, events)
          expect(r.violations).toEqual([])
          for (const k of Object.keys(seen) as Array<keyof typeof seen>) seen[k] += r.seen[k]
          // The ledger's services fold agrees on who is still waiting at the end, and its integrals of the
          // list length and of the places held are the sums of the stays on the lists and in the places
          // (Little's law as an identity: to the horizon for those still there).
          const spans = spansOf(events, g.model.calendar.horizon)
          for (const s of totals.services.services) {
            expect(s.waitingAtMonthEnd[s.waitingAtMonthEnd.length - 1], s.name).toBe(r.stillWaiting.get(s.name) ?? 0)
            expectRelative(sum(s.waitingDays), spans.waiting.get(s.name) ?? 0, `${s.name}: waiting days`)
            expectRelative(sum(s.heldDays), spans.held.get(s.name) ?? 0, `${s.name}: place-days held`)
          }
        }),
        { numRuns: runs(60) }
      )
      // The generated scenarios do exercise the rules (over 60 of them: fewer may see too few overflows):
      // entries into services (some filling them), joins, admissions from lists, overflows, intervention
      // starts and ends.
      for (const k of Object.keys(seen) as Array<keyof typeof seen>) expect(seen[k], k).toBeGreaterThan(10)
    }
  )
})

describe("service traces", () => {
  it("a priority queue gives a freed place to the highest-priority level first, then the next", () => {
    const o = (queue: "fifo" | "priority"): TinyOverrides => ({
      levels: {
        early_help: { outcomes: [{ to: "intensive_family_support", probability: 1 }] },
        child_in_need: { outcomes: [{ to: "intensive_family_support", probability: 1 }] },
        child_protection: { outcomes: [{ to: "intensive_family_support", probability: 1 }] }
      },
      // One place, taken until day 100; then children step across at days 5 (EH), 10 (CIN) and 20 (CP).
      startingCaseload: [
        atFive("intensive_family_support", 0),
        atFive("early_help", 95),
        atFive("child_in_need", 90),
        atFive("child_protection", 80)
      ],
      services: [
        queue === "priority"
          ? {
              name: "IFS",
              level: "intensive_family_support",
              places: 1,
              queue,
              priority: ["child_protection", "child_in_need"],
              whenFull: { action: "wait" }
            }
          : { name: "IFS", level: "intensive_family_support", places: 1, whenFull: { action: "wait" } }
      ]
    })
    const events = trace(o("priority"))
    expect(events).toEqual([
      { _tag: "WaitingListJoined", time: 5, child: 1, service: "IFS", at: "early_help" },
      { _tag: "WaitingListJoined", time: 10, child: 2, service: "IFS", at: "child_in_need" },
      { _tag: "WaitingListJoined", time: 20, child: 3, service: "IFS", at: "child_protection" },
      {
        _tag: "CaseClosed",
        time: 100,
        child: 0,
        from: "intensive_family_support",
        reason: "stepped_down",
        to: "universal",
        via: null
      },
      // Child protection first, then child in need; early help (not in the priority list) comes last.
      { _tag: "WaitingListLeft", time: 100, child: 3, service: "IFS", outcome: "place" },
      {
        _tag: "LevelChanged",
        time: 100,
        child: 3,
        from: "child_protection",
        to: "intensive_family_support",
        via: null
      },
      {
        _tag: "CaseClosed",
        time: 200,
        child: 3,
        from: "intensive_family_support",
        reason: "stepped_down",
        to: "universal",
        via: null
      },
      { _tag: "WaitingListLeft", time: 200, child: 2, service: "IFS", outcome: "place" },
      { _tag: "LevelChanged", time: 200, child: 2, from: "child_in_need", to: "intensive_family_support", via: null },
      {
        _tag: "CaseClosed",
        time: 300,
        child: 2,
        from: "intensive_family_support",
        reason: "stepped_down",
        to: "universal",
        via: null
      },
      { _tag: "WaitingListLeft", time: 300, child: 1, service: "IFS", outcome: "place" },
      { _tag: "LevelChanged", time: 300, child: 1, from: "early_help", to: "intensive_family_support", via: null }
    ])
    // First come first served: the order they joined.
    const admitted = trace(o("fifo"))
      .filter((e) => e._tag === "WaitingListLeft")
      .map((e) => [e.child, e.time])
    expect(admitted).toEqual([
      [1, 100],
      [2, 200],
      [3, 300]
    ])
  })

  it("escalate: a waiting child steps up after the drawn time, unless a place comes first", () => {
    const events = trace({
      levels: { child_in_need: { outcomes: [{ to: "intensive_family_support", probability: 1 }] } },
      startingCaseload: [atFive("intensive_family_support", 0), atFive("child_in_need", 90)],
      services: [
        {
          name: "IFS",
          level: "intensive_family_support",
          places: 1,
          whenFull: { action: "escalate", to: "child_protection", after: fixed(7) }
        }
      ]
    })
    expect(events).toEqual([
      { _tag: "WaitingListJoined", time: 10, child: 1, service: "IFS", at: "child_in_need" },
      { _tag: "WaitingListLeft", time: 17, child: 1, service: "IFS", outcome: "escalated" },
      { _tag: "LevelChanged", time: 17, child: 1, from: "child_in_need", to: "child_protection", via: null },
      {
        _tag: "CaseClosed",
        time: 100,
        child: 0,
        from: "intensive_family_support",
        reason: "stepped_down",
        to: "universal",
        via: null
      },
      // A fresh child protection episode (100 days) from the escalation.
      {
        _tag: "CaseClosed",
        time: 117,
        child: 1,
        from: "child_protection",
        reason: "stepped_down",
        to: "universal",
        via: null
      }
    ])
    // With the place freed on day 15, before the escalation is due (17), the child gets it and the
    // escalation lapses.
    const early = trace({
      levels: { child_in_need: { outcomes: [{ to: "intensive_family_support", probability: 1 }] } },
      startingCaseload: [atFive("intensive_family_support", 85), atFive("child_in_need", 90)],
      services: [
        {
          name: "IFS",
          level: "intensive_family_support",
          places: 1,
          whenFull: { action: "escalate", to: "child_protection", after: fixed(7) }
        }
      ]
    })
    expect(early.slice(0, 4)).toEqual([
      { _tag: "WaitingListJoined", time: 10, child: 1, service: "IFS", at: "child_in_need" },
      {
        _tag: "CaseClosed",
        time: 15,
        child: 0,
        from: "intensive_family_support",
        reason: "stepped_down",
        to: "universal",
        via: null
      },
      { _tag: "WaitingListLeft", time: 15, child: 1, service: "IFS", outcome: "place" },
      { _tag: "LevelChanged", time: 15, child: 1, from: "child_in_need", to: "intensive_family_support", via: null }
    ])
    expect(early.filter((e) => e._tag === "LevelChanged" && e.to === "child_protection")).toEqual([])
  })

  it(
    "alternative: a full level service sends the child on another route at once " +
      "(or another episode where they are)",
    () => {
      const events = trace({
        levels: {
          early_help: { outcomes: [{ to: "intensive_family_support", probability: 1 }] },
          child_in_need: { outcomes: [{ to: "intensive_family_support", probability: 1 }] }
        },
        startingCaseload: [
          atFive("intensive_family_support", 0),
          atFive("early_help", 95),
          atFive("child_in_need", 90)
        ],
        services: [
          {
            name: "IFS",
            level: "intensive_family_support",
            places: 1,
            whenFull: { action: "alternative", to: "child_in_need" }
          }
        ]
      })
      expect(events).toEqual([
        // Early help -> IFS (full) goes to child in need instead; no waiting list.
        { _tag: "LevelChanged", time: 5, child: 1, from: "early_help", to: "child_in_need", via: null },
        // Child 2, already at child in need, starts another episode there (no event) and tries again at 110.
        {
          _tag: "CaseClosed",
          time: 100,
          child: 0,
          from: "intensive_family_support",
          reason: "stepped_down",
          to: "universal",
          via: null
        },
        { _tag: "LevelChanged", time: 105, child: 1, from: "child_in_need", to: "intensive_family_support", via: null },
        {
          _tag: "CaseClosed",
          time: 205,
          child: 1,
          from: "intensive_family_support",
          reason: "stepped_down",
          to: "universal",
          via: null
        },
        // At 110 the place was child 1's (105-205): another episode, then in at 210.
        { _tag: "LevelChanged", time: 210, child: 2, from: "child_in_need", to: "intensive_family_support", via: null },
        {
          _tag: "CaseClosed",
          time: 310,
          child: 2,
          from: "intensive_family_support",
          reason: "stepped_down",
          to: "universal",
          via: null
        }
      ])
    }
  )

  it("places that change over time: a child keeps a place when places fall; new places go to those waiting", () => {
    const events = trace({
      levels: { child_in_need: { outcomes: [{ to: "intensive_family_support", probability: 1 }] } },
      startingCaseload: [
        { level: "intensive_family_support", count: 2, ages: [5, 5], elapsed: fixed(0) },
        { level: "child_in_need", count: 2, ages: [5, 5], elapsed: fixed(90) }
      ],
      // 2 places, 1 from 1 May (day 30: both children keep theirs), 3 from 1 June (day 61).
      services: [
        {
          name: "IFS",
          level: "intensive_family_support",
          places: 2,
          changes: [
            { from: "2025-05-01", places: 1 },
            { from: "2025-06-01", places: 3 }
          ],
          whenFull: { action: "wait" }
        }
      ]
    })
    expect(events.map((e) => [e._tag, e.child, e.time])).toEqual([
      ["WaitingListJoined", 2, 10],
      ["WaitingListJoined", 3, 10],
      // Day 61: 3 places, 2 taken: one admitted (the first to join).
      ["WaitingListLeft", 2, 61],
      ["LevelChanged", 2, 61],
      // Day 100: both starting children leave; places 3, so child 3 gets one.
      ["CaseClosed", 0, 100],
      ["WaitingListLeft", 3, 100],
      ["LevelChanged", 3, 100],
      ["CaseClosed", 1, 100],
      ["CaseClosed", 2, 161],
      ["CaseClosed", 3, 200]
    ])
  })

  it("a full placement service overflows to its alternative, which is priced as the alternative", () => {
    const model = tinyModel({
      levels: {
        child_protection: { outcomes: [{ to: "looked_after", probability: 1 }] },
        looked_after: {
          duration: fixed(200),
          outcomes: [{ reason: "returned_home", to: "universal", probability: 1 }],
          placements: { onEntry: { in_house_foster: 1 } }
        }
      },
      startingCaseload: [
        { level: "looked_after", placement: "in_house_foster", count: 1, ages: [5, 5], elapsed: fixed(0) },
        { level: "child_protection", count: 2, ages: [5, 5], elapsed: fixed(90) }
      ],
      services: [
        {
          name: "In-house foster carers",
          placement: "in_house_foster",
          places: 2,
          whenFull: { action: "alternative", to: "ifa_foster" }
        }
      ],
      costs: {
        weekly: [
          { name: "in-house", budgetLine: "Placements", perWeek: 350, placement: "in_house_foster" },
          { name: "IFA", budgetLine: "Placements", perWeek: 910, placement: "ifa_foster" }
        ]
      }
    })
    const { events, totals } = runWithLedger(model, SEED)
    expect(events.filter((e) => e._tag !== "CaseOpenAtStart")).toEqual([
      {
        _tag: "ChildBecameLookedAfter",
        time: 10,
        child: 1,
        from: "child_protection",
        placement: "in_house_foster",
        via: null
      },
      {
        _tag: "PlacementOverflowed",
        time: 10,
        child: 2,
        service: "In-house foster carers",
        wanted: "in_house_foster",
        placedIn: "ifa_foster"
      },
      {
        _tag: "ChildBecameLookedAfter",
        time: 10,
        child: 2,
        from: "child_protection",
        placement: "ifa_foster",
        via: null
      },
      {
        _tag: "ChildLeftCare",
        time: 200,
        child: 0,
        placement: "in_house_foster",
        reason: "returned_home",
        to: "universal",
        via: null
      },
      {
        _tag: "ChildLeftCare",
        time: 210,
        child: 1,
        placement: "in_house_foster",
        reason: "returned_home",
        to: "universal",
        via: null
      },
      {
        _tag: "ChildLeftCare",
        time: 210,
        child: 2,
        placement: "ifa_foster",
        reason: "returned_home",
        to: "universal",
        via: null
      }
    ])
    // Child 2's 200 days in care are at the IFA price: 200 x 910 / 7 = 26,000; in-house 400 days x 50.
    const spend = spendOf(totals)
    const line = (name: string) => spend.lines.find((l) => l.name === name)!
    const total = (a: Float64Array) => a.reduce((x, y) => x + y, 0)
    expect(total(line("IFA").quantity)).toBeCloseTo(200, 9)
    expect(total(line("IFA").amount)).toBeCloseTo(26_000, 6)
    expect(total(line("in-house").amount)).toBeCloseTo(20_000, 6)
    expect(
      totals.services.services.find((s) => s.name === "In-house foster carers")!.overflowed.reduce((a, b) => a + b, 0)
    ).toBe(1)
  })

  it("overflow follows a chain of full placement services to one with room", () => {
    const events = trace({
      levels: {
        child_protection: { outcomes: [{ to: "looked_after", probability: 1 }] },
        looked_after: {
          duration: fixed(200),
          outcomes: [{ reason: "returned_home", to: "universal", probability: 1 }],
          placements: { onEntry: { in_house_foster: 1 } }
        }
      },
      startingCaseload: [{ level: "child_protection", count: 1, ages: [5, 5], elapsed: fixed(90) }],
      services: [
        {
          name: "In-house",
          placement: "in_house_foster",
          places: 0,
          whenFull: { action: "alternative", to: "kinship" }
        },
        { name: "Kinship", placement: "kinship", places: 0, whenFull: { action: "alternative", to: "ifa_foster" } }
      ]
    })
    expect(events.slice(0, 3)).toEqual([
      {
        _tag: "PlacementOverflowed",
        time: 10,
        child: 0,
        service: "In-house",
        wanted: "in_house_foster",
        placedIn: "kinship"
      },
      {
        _tag: "PlacementOverflowed",
        time: 10,
        child: 0,
        service: "Kinship",
        wanted: "kinship",
        placedIn: "ifa_foster"
      },
      {
        _tag: "ChildBecameLookedAfter",
        time: 10,
        child: 0,
        from: "child_protection",
        placement: "ifa_foster",
        via: null
      }
    ])
  })

  it("a waiting child whose 18th birthday comes first leaves the list (turned_18) and the case closes", () => {
    const model = tinyModel({
      years: 2,
      levels: {
        // The place is held past the horizon.
        intensive_family_support: { duration: fixed(1000) },
        child_in_need: { outcomes: [{ to: "intensive_family_support", probability: 1 }] }
      },
      startingCaseload: [
        atFive("intensive_family_support", 0),
        { level: "child_in_need", count: 1, ages: [17, 17], elapsed: fixed(99.5) }
      ],
      services: [{ name: "IFS", level: "intensive_family_support", places: 1, whenFull: { action: "wait" } }]
    })
    const events = runEvents(model, SEED).events
    const start = events.find((e): e is CaseOpenAtStart => e._tag === "CaseOpenAtStart" && e.child === 1)!
    // Aged 17 on day 0, so 18 within the first year (days are whole, so on day 1 at the earliest).
    const b18 = birthday(model.calendar, start.dateOfBirth, 18)
    expect(b18).toBeGreaterThan(0.5)
    expect(events.filter((e) => e._tag !== "CaseOpenAtStart")).toEqual([
      { _tag: "WaitingListJoined", time: 0.5, child: 1, service: "IFS", at: "child_in_need" },
      { _tag: "WaitingListLeft", time: b18, child: 1, service: "IFS", outcome: "turned_18" },
      { _tag: "CaseClosed", time: b18, child: 1, from: "child_in_need", reason: "turned_18", to: "exited", via: null }
    ])
  })
})

describe("validation of services and interventions names the path", () => {
  const problems = (o: TinyOverrides, extra: Partial<ScenarioEncoded> = {}) => {
    const r = decodeScenario("bad.yaml", { ...tinyEncoded(o), ...extra })
    return Either.isLeft(r) ? r.left.problems.map((p) => `${p.path}: ${p.message}`) : []
  }
  const iv = {
    name: "IFS team",
    confidence: 3,
    start: "2025-04-01",
    costs: { budgetLine: "Early help" }
  } as const

  it("an overflow cycle between placement services", () => {
    const p = problems({
      services: [
        {
          name: "In-house",
          placement: "in_house_foster",
          places: 5,
          whenFull: { action: "alternative", to: "kinship" }
        },
        { name: "Kinship", placement: "kinship", places: 5, whenFull: { action: "alternative", to: "in_house_foster" } }
      ]
    })
    expect(
      p.some(
        (x) =>
          x.startsWith("services[0].whenFull.to: ") && x.includes("cycle in_house_foster -> kinship -> in_house_foster")
      )
    ).toBe(true)
  })

  it("a placement service that would keep a child waiting", () => {
    const p = problems({
      services: [{ name: "In-house", placement: "in_house_foster", places: 5, whenFull: { action: "wait" } }]
    })
    expect(p.some((x) => x.startsWith("services[0].whenFull: "))).toBe(true)
  })

  it("a bad value inside an intervention is one problem at its own path, without noise about the list", () => {
    const p = problems({ interventions: [{ ...iv, confidence: 7 as 3 }] })
    expect(p).toEqual([
      "interventions[0].confidence: expected a confidence grade from 1 (best evidence) to 6 (weakest), found 7"
    ])
  })

  it("a capacity without a duration", () => {
    const p = problems({ interventions: [{ ...iv, capacity: { places: 10 } }] })
    expect(p.some((x) => x.startsWith("interventions[0].duration: ") && x.includes("capacity"))).toBe(true)
  })

  it("places added to a service that does not exist", () => {
    const p = problems({
      services: [
        {
          name: "In-house",
          placement: "in_house_foster",
          places: 5,
          whenFull: { action: "alternative", to: "ifa_foster" }
        }
      ],
      interventions: [{ ...iv, effects: { places: [{ service: "In-house foster carers", add: 10 }] } }]
    })
    expect(
      p.some(
        (x) => x.startsWith("interventions[0].effects.places[0].service: ") && x.includes('"In-house foster carers"')
      )
    ).toBe(true)
  })

  it("effects without an eligibility, and a redirect the level graph does not allow", () => {
    expect(
      problems({ interventions: [{ ...iv, effects: { redirectTo: "intensive_family_support" } }] }).some((x) =>
        x.startsWith("interventions[0].eligibility: ")
      )
    ).toBe(true)
    expect(
      problems({
        interventions: [
          {
            ...iv,
            eligibility: { from: "looked_after", to: "universal" },
            effects: { redirectTo: "intensive_family_support" }
          }
        ]
      }).some((x) => x.startsWith("interventions[0].effects.redirectTo: "))
    ).toBe(true)
  })

  it("a misspelt whenFull action is a decoding error at its path", () => {
    const p = problems({}, {
      services: [{ name: "IFS", level: "intensive_family_support", places: 5, whenFull: { action: "queue" } }]
    } as never)
    expect(p.some((x) => x.startsWith("services[0].whenFull"))).toBe(true)
  })
})
