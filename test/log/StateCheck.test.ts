/**
 * The replay's state check (src/log/StateCheck.ts) on the logs the engine writes for random valid
 * scenarios, with and without services and interventions: every such log passes, and a log with one
 * untrue event (a copy of an event, a move from elsewhere, a self-move, an unknown or reused child, time
 * going back, a referral removed) fails exactly at that event, or at the first event the removal makes
 * untrue.
 */
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { CaseEvent } from "../../src/domain/Event.js"
import { HELP_LEVELS, STATES } from "../../src/domain/Level.js"
import { StateCheck } from "../../src/log/StateCheck.js"
import type { Model } from "../../src/model/Model.js"
import { generatedCase, type GeneratedCase } from "../support/arbitraries.js"
import { policyCase } from "../support/policy.js"
import { runEvents } from "../support/run.js"
import { runs } from "../support/runs.js"

/** The index of the first event the check refuses, with its problem; null if it passes them all. */
const firstRefused = (model: Model, events: ReadonlyArray<CaseEvent>): { at: number; problem: string } | null => {
  const check = new StateCheck(model)
  for (let i = 0; i < events.length; i++) {
    const problem = check.check(events[i])
    if (problem !== null) return { at: i, problem }
  }
  return null
}

/** A case and its log, with an index into the log (scaled to its length). */
const withIndex = (cases: fc.Arbitrary<GeneratedCase>) =>
  fc.tuple(cases, fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })).map(([g, u]) => {
    const events = runEvents(g.model, g.seed).events
    return { g, events, pick: <T>(xs: ReadonlyArray<T>): T | undefined => xs[Math.floor(u * xs.length)] }
  })

const indices = (events: ReadonlyArray<CaseEvent>, keep: (e: CaseEvent) => boolean): Array<number> =>
  events.flatMap((e, i) => (keep(e) ? [i] : []))

describe("the state check on logs the engine writes", () => {
  it("passes every event of every run of a random scenario", () => {
    fc.assert(
      fc.property(generatedCase, (g) => {
        expect(firstRefused(g.model, runEvents(g.model, g.seed).events)).toBeNull()
      }),
      { numRuns: runs(30) }
    )
  })

  it("passes every event of every run of a random scenario with services and interventions", () => {
    const seen = new Set<string>()
    fc.assert(
      fc.property(policyCase, (g) => {
        const events = runEvents(g.model, g.seed).events
        for (const e of events) seen.add(e._tag)
        expect(firstRefused(g.model, events)).toBeNull()
      }),
      { numRuns: runs(30) }
    )
    // The waiting lists, interventions and overflows were exercised, not just allowed.
    for (const tag of ["WaitingListJoined", "WaitingListLeft", "InterventionStarted", "InterventionEnded"])
      expect(seen).toContain(tag)
    expect(seen).toContain("PlacementOverflowed")
  })
})

describe("the state check on a log with one untrue event", () => {
  const cases = fc.oneof(withIndex(generatedCase), withIndex(policyCase))

  it("refuses a copy of any event that changes state, at the copy", () => {
    fc.assert(
      fc.property(cases, ({ g, events, pick }) => {
        const i = pick(
          indices(
            events,
            (e) =>
              e._tag !== "PlacementOverflowed" &&
              !(e._tag === "InterventionStarted" && !e.heldPlace) &&
              !(e._tag === "PlacementChanged" && e.from === e.to) &&
              // A contact that went no further changes no child's state: its copy is just another contact.
              !(e._tag === "ContactReceived" && !e.referred) &&
              // Nor does a review: what it decides is done by the events after it (a stay ended, a move).
              e._tag !== "ChildReviewed"
          )
        )
        if (i === undefined) return
        const damaged = [...events.slice(0, i + 1), events[i], ...events.slice(i + 1)]
        expect(firstRefused(g.model, damaged)?.at, JSON.stringify(events[i])).toBe(i + 1)
      }),
      { numRuns: runs(30) }
    )
  })

  it("refuses a move from a level the child is not at, and a move to the same level, at that event", () => {
    fc.assert(
      fc.property(cases, fc.nat(), ({ g, events, pick }, k) => {
        const i = pick(indices(events, (e) => e._tag === "LevelChanged" && e.from !== "universal"))
        if (i === undefined) return
        const e = events[i] as CaseEvent & { _tag: "LevelChanged" }
        const others = HELP_LEVELS.filter((l) => l !== e.from)
        const from = { ...e, from: others[k % others.length] }
        const self = { ...e, to: e.from as (typeof HELP_LEVELS)[number] }
        for (const [bad, pattern] of [
          [from, /from where the child is not/],
          [self, /to itself/]
        ] as const) {
          const r = firstRefused(g.model, [...events.slice(0, i), bad, ...events.slice(i + 1)])
          expect(r?.at, r?.problem).toBe(i)
          expect(r?.problem).toMatch(pattern)
        }
      }),
      { numRuns: runs(25) }
    )
  })

  it("refuses an event of a child not yet known, or a new child with a number already used", () => {
    fc.assert(
      fc.property(cases, fc.nat({ max: 1000 }), ({ g, events, pick }, k) => {
        const i = pick(
          indices(
            events,
            (e) => e._tag !== "CaseOpenAtStart" && e._tag !== "CaseClosedBeforeStart" && e._tag !== "ContactReceived"
          )
        )
        if (i === undefined) return
        const known = new Set(events.slice(0, i).flatMap((e) => (e.child < 0 ? [] : [e.child]))).size
        const e = events[i]
        const isNew = e._tag === "ChildReferred" && !e.reReferral
        if (isNew && known === 0) return
        const child = isNew ? k % known : known + 1 + k
        const r = firstRefused(g.model, [...events.slice(0, i), { ...e, child } as CaseEvent, ...events.slice(i + 1)])
        expect(r?.at, r?.problem).toBe(i)
        expect(r?.problem).toMatch(isNew ? /already known/ : /not known|is new, but the next new child/)
      }),
      { numRuns: runs(25) }
    )
  })

  it("refuses a child of an age the model never has: referred at 18 or over, open at the start past 26", () => {
    fc.assert(
      fc.property(cases, fc.double({ min: 1, max: 1e300, noNaN: true }), ({ g, events, pick }, years) => {
        const i = pick(
          indices(events, (e) => (e._tag === "ChildReferred" && !e.reReferral) || e._tag === "CaseOpenAtStart")
        )
        if (i === undefined) return
        const e = events[i] as CaseEvent & { dateOfBirth: number }
        const old = e._tag === "CaseOpenAtStart" ? -26 * 365.25 - years : e.time - 18 * 365.25 - 2 - years
        const changed = { ...e, dateOfBirth: old } as CaseEvent
        const r = firstRefused(g.model, [...events.slice(0, i), changed, ...events.slice(i + 1)])
        expect(r?.at, r?.problem).toBe(i)
        expect(r?.problem).toMatch(/18 or over|more than 26 years before it/)
      }),
      { numRuns: runs(20) }
    )
  })

  it("refuses time going back, at the event", () => {
    fc.assert(
      fc.property(cases, ({ g, events, pick }) => {
        const i = pick(indices(events, (e) => e.time > 0))
        if (i === undefined || events[i - 1].time <= 0) return
        const e = { ...events[i], time: events[i - 1].time / 2 }
        const r = firstRefused(g.model, [...events.slice(0, i), e, ...events.slice(i + 1)])
        expect(r?.at, r?.problem).toBe(i)
        expect(r?.problem).toContain("time order")
      }),
      { numRuns: runs(25) }
    )
  })

  it("refuses a log with a new referral removed at the first event that removal makes untrue", () => {
    fc.assert(
      fc.property(cases, ({ g, events, pick }) => {
        const i = pick(indices(events, (e) => e._tag === "ChildReferred" && !e.reReferral))
        if (i === undefined) return
        const removed = events[i].child
        const damaged = events.filter((_, j) => j !== i)
        // Children after the removed one are numbered one too high; its own events are of no one. A contact
        // that became the referral says it follows at once.
        const before = events[i - 1]
        const expected =
          before?._tag === "ContactReceived" && before.referred
            ? i
            : damaged.findIndex((e, j) => j >= i && e.child >= removed)
        expect(firstRefused(g.model, damaged)?.at ?? -1).toBe(expected)
      }),
      { numRuns: runs(25) }
    )
  })

  it("refuses a re-referral of a child whose case is open, and one with another date of birth", () => {
    fc.assert(
      fc.property(cases, ({ g, events, pick }) => {
        const i = pick(indices(events, (e) => e._tag === "ChildReferred" && e.reReferral))
        if (i === undefined) return
        const e = events[i] as CaseEvent & { _tag: "ChildReferred" }
        const born = firstRefused(g.model, [...events.slice(0, i), { ...e, dateOfBirth: e.dateOfBirth - 1 }])
        expect(born?.at, born?.problem).toBe(i)
        // A child open (not universal, not exited) just before the re-referral.
        const where = new Map<number, string>()
        for (const x of events.slice(0, i)) {
          if (x._tag === "CaseOpenAtStart") where.set(x.child, x.level)
          if (x._tag === "LevelChanged" || x._tag === "CaseClosed" || x._tag === "ChildLeftCare")
            where.set(x.child, x.to)
          if (x._tag === "ChildBecameLookedAfter") where.set(x.child, "looked_after")
          if (x._tag === "CareLeaverSupportEnded") where.set(x.child, "exited")
        }
        const open = [...where].find(([, s]) => s !== "universal" && s !== "exited" && STATES.includes(s as never))
        if (open === undefined) return
        const r = firstRefused(g.model, [...events.slice(0, i), { ...e, child: open[0] }, ...events.slice(i + 1)])
        expect(r?.at, r?.problem).toBe(i)
      }),
      { numRuns: runs(25) }
    )
  })
})
