/**
 * Invariants of the engine, checked on random valid scenarios (test/support/arbitraries.ts): one property
 * per test, named after the invariant. The log is checked against a deliberately simple replay model
 * (test/support/replay.ts), not against the engine's own bookkeeping.
 */
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { birthday } from "../../src/domain/Calendar.js"
import type { CaseEvent } from "../../src/domain/Event.js"
import { HELP_LEVELS, isAllowedMove, type ChildState, type Placement } from "../../src/domain/Level.js"
import type { AgeBand, Scenario } from "../../src/scenario/Scenario.js"
import { generatedCase, type GeneratedCase } from "../support/arbitraries.js"
import { replay, moveOf, spellsIn } from "../support/replay.js"
import { runEvents } from "../support/run.js"

const horizonOf = (g: GeneratedCase) => g.model.calendar.horizon

/** Collects up to 10 problems, so a failing property says what went wrong. */
const problems = () => {
  const list: Array<string> = []
  return {
    list,
    add: (why: string, e?: CaseEvent) => {
      if (list.length < 10) list.push(e === undefined ? why : `${why}: ${JSON.stringify(e)}`)
    }
  }
}

describe("the scenario arbitrary", () => {
  it("generates scenarios that decode, validate and compile", () => {
    // generatedCase throws (with every problem) when decodeScenario rejects what it made.
    fc.assert(
      fc.property(generatedCase, (g) => {
        expect(g.model.calendar.horizon).toBeGreaterThan(0)
      })
    )
  })
})

describe("engine invariants", () => {
  it("every child is in exactly one state at every time", () => {
    fc.assert(
      fc.property(generatedCase, (g) => {
        const { events } = runEvents(g.model, g.seed)
        expect(replay(events, horizonOf(g)).violations).toEqual([])
      })
    )
  })

  it("events never go back in time, overall and per child", () => {
    fc.assert(
      fc.property(generatedCase, (g) => {
        const { events } = runEvents(g.model, g.seed)
        const p = problems()
        let last = -Infinity
        const lastOf = new Map<number, number>()
        for (const e of events) {
          if (e.time < last) p.add(`after time ${last}`, e)
          if (e.time < (lastOf.get(e.child) ?? -Infinity)) p.add(`after the child's time ${lastOf.get(e.child)}`, e)
          last = e.time
          lastOf.set(e.child, e.time)
        }
        expect(p.list).toEqual([])
      })
    )
  })

  it("every event falls inside the run [0, horizon)", () => {
    fc.assert(
      fc.property(generatedCase, (g) => {
        const { events } = runEvents(g.model, g.seed)
        const h = horizonOf(g)
        expect(events.filter((e) => !(e.time >= 0 && e.time < h))).toEqual([])
      })
    )
  })

  it("only moves the level graph allows", () => {
    fc.assert(
      fc.property(generatedCase, (g) => {
        const { events } = runEvents(g.model, g.seed)
        const p = problems()
        for (const e of events) {
          const m = moveOf(e)
          // New children have no `from`; a placement change is not a move between levels.
          if (m === null || m.from === null || e._tag === "PlacementChanged") continue
          if (!isAllowedMove(m.from, m.to)) p.add(`${m.from} -> ${m.to}`, e)
        }
        expect(p.list).toEqual([])
      })
    )
  })

  it("only moves the scenario's outcome tables and placement mixes give a positive probability", () => {
    fc.assert(
      fc.property(generatedCase, (g) => {
        const { events } = runEvents(g.model, g.seed)
        const allowed = scenarioMoves(g.scenario)
        const p = problems()
        for (const e of events) {
          const why = allowed(e)
          if (why !== null) p.add(why, e)
        }
        expect(p.list).toEqual([])
      })
    )
  })

  it("every referral is decided at the front door at the same instant (into care: at birth, if later)", () => {
    fc.assert(
      fc.property(generatedCase, (g) => {
        const { events } = runEvents(g.model, g.seed)
        const p = problems()
        const pending = new Map<number, CaseEvent & { _tag: "ChildReferred" }>()
        for (const e of events) {
          // A sibling's SiblingReferred is part of their referral, not the decision on it.
          const waiting = e._tag === "SiblingReferred" ? undefined : pending.get(e.child)
          if (waiting !== undefined) {
            pending.delete(e.child)
            const m = moveOf(e)
            // An unborn child taken into care at the front door comes into care on the day of birth.
            const decidedAt =
              e._tag === "ChildBecameLookedAfter" && waiting.dateOfBirth > waiting.time
                ? waiting.dateOfBirth
                : waiting.time
            // A new referral's history before the run comes first, then the decision.
            if (e._tag === "HistoryBeforeRun" && e.time === waiting.time) {
              pending.set(e.child, waiting)
              continue
            }
            if (e._tag === "ChildReferred" || m === null || m.from !== "universal" || e.time !== decidedAt)
              p.add(`the referral ${JSON.stringify(waiting)} is followed by`, e)
          }
          if (e._tag === "ChildReferred") pending.set(e.child, e)
        }
        // ...unless the birth is after the end of the run.
        for (const e of pending.values())
          if (!(e.dateOfBirth > e.time && e.dateOfBirth >= horizonOf(g)))
            p.add("a referral with no front-door decision", e)
        expect(p.list).toEqual([])
      })
    )
  })

  it("the same seed gives an identical log", () => {
    fc.assert(
      fc.property(generatedCase, (g) => {
        const a = runEvents(g.model, g.seed).events
        const b = runEvents(g.model, g.seed).events
        expect(b).toEqual(a)
      })
    )
  })

  it("a different seed gives a different log", () => {
    fc.assert(
      fc.property(generatedCase, (g) => {
        const a = runEvents(g.model, g.seed).events
        // A run with no events at all (no referrals, no starting caseload) has nothing to differ.
        fc.pre(a.length > 0)
        const b = runEvents(g.model, g.seed + 1).events
        // Event by event, stopping at the first difference: a large case's whole log is past a string's length.
        const same = (x: CaseEvent, y: CaseEvent | undefined) => JSON.stringify(x) === JSON.stringify(y)
        expect(a.length === b.length && a.every((e, i) => same(e, b[i]))).toBe(false)
      })
    )
  })

  it("no looked-after child is 18 or older", () => {
    fc.assert(
      fc.property(generatedCase, (g) => {
        const cal = g.model.calendar
        const r = replay(runEvents(g.model, g.seed).events, horizonOf(g))
        const p = problems()
        for (const { child, spell } of spellsIn(r, "looked_after")) {
          const b18 = birthday(cal, child.dob, 18)
          // In care during [from, to): it must start before and end by the 18th birthday.
          if (!(spell.from < b18 && spell.to <= b18))
            p.add(
              `child ${child.child} (18 on day ${b18}) looked after from ${spell.from} to ${spell.to}`,
              spell.end ?? undefined
            )
        }
        expect(p.list).toEqual([])
      })
    )
  })

  it("no child is open at a help level, or referred, at 18 or older", () => {
    fc.assert(
      fc.property(generatedCase, (g) => {
        const cal = g.model.calendar
        const r = replay(runEvents(g.model, g.seed).events, horizonOf(g))
        const p = problems()
        for (const level of HELP_LEVELS)
          for (const { child, spell } of spellsIn(r, level)) {
            const b18 = birthday(cal, child.dob, 18)
            if (!(spell.from < b18 && spell.to <= b18))
              p.add(`child ${child.child} (18 on day ${b18}) at ${level} from ${spell.from} to ${spell.to}`)
          }
        for (const child of r.children.values())
          for (const e of child.events)
            if (e._tag === "ChildReferred" && e.time >= birthday(cal, child.dob, 18))
              p.add("referred at 18 or older", e)
        expect(p.list).toEqual([])
      })
    )
  })

  it("no care leaver is supported past the age limit (extendedTo)", () => {
    fc.assert(
      fc.property(generatedCase, (g) => {
        const cal = g.model.calendar
        const limit = g.scenario.levels.care_leaver.extendedTo
        const r = replay(runEvents(g.model, g.seed).events, horizonOf(g))
        const p = problems()
        for (const { child, spell } of spellsIn(r, "care_leaver")) {
          const end = birthday(cal, child.dob, limit)
          // Supported during [from, to). An empty spell supports no one: a child who leaves care on an
          // 18th birthday that is also the limit (supportEndsAt = extendedTo = 18) starts and ends at once.
          if (!(spell.to <= end && (spell.from < end || spell.from === spell.to)))
            p.add(`child ${child.child} (${limit} on day ${end}) a care leaver from ${spell.from} to ${spell.to}`)
        }
        expect(p.list).toEqual([])
      })
    )
  })

  it("an exit at an age limit happens exactly on that birthday", () => {
    fc.assert(
      fc.property(generatedCase, (g) => {
        const cal = g.model.calendar
        const cl = g.scenario.levels.care_leaver
        const r = replay(runEvents(g.model, g.seed).events, horizonOf(g))
        const p = problems()
        for (const child of r.children.values())
          for (const e of child.events) {
            const on = (age: number) => e.time === birthday(cal, child.dob, age)
            if ((e._tag === "ChildLeftCare" || e._tag === "CaseClosed") && e.reason === "turned_18" && !on(18))
              p.add("turned 18 off the birthday", e)
            if (
              e._tag === "CareLeaverSupportEnded" &&
              e.reason === "age_limit" &&
              !on(cl.supportEndsAt) &&
              !on(cl.extendedTo)
            )
              p.add(`support ended off the ${cl.supportEndsAt}th and ${cl.extendedTo}th birthdays`, e)
          }
        expect(p.list).toEqual([])
      })
    )
  })

  it("a child becomes a care leaver only at 16 or older after the minimum time in care", () => {
    fc.assert(
      fc.property(generatedCase, (g) => {
        const cal = g.model.calendar
        const minDays = g.scenario.levels.care_leaver.minWeeksInCare * 7
        const r = replay(runEvents(g.model, g.seed).events, horizonOf(g))
        const p = problems()
        for (const child of r.children.values()) {
          let careSince = NaN
          for (const e of child.events) {
            // A starting care leaver's support began on or after the 16th birthday. (A child drawn in a band
            // starting at 16 can be a day short of the calendar birthday: then support began at the start.)
            if (
              e._tag === "CaseOpenAtStart" &&
              e.level === "care_leaver" &&
              !(e.since >= Math.min(0, birthday(cal, child.dob, 16)))
            )
              p.add("a starting care leaver whose support began before 16", e)
            if (e._tag === "CaseOpenAtStart" && e.level === "looked_after") careSince = e.since
            if (e._tag === "ChildBecameLookedAfter") careSince = e.time
            if (e._tag === "ChildLeftCare" && e.to === "care_leaver") {
              if (!(e.time >= birthday(cal, child.dob, 16))) p.add("a care leaver under 16", e)
              if (!(e.time - careSince >= minDays))
                p.add(`a care leaver after ${e.time - careSince} days in care (minimum ${minDays})`, e)
            }
          }
        }
        expect(p.list).toEqual([])
      })
    )
  })
})

// ---------------------------------------------------------------------------------------------------------
// What the scenario allows, read from the decoded scenario (not the compiled model).

type Band<T> =
  | ReadonlyArray<T>
  | { readonly byAge: ReadonlyArray<{ readonly ages: AgeBand; readonly outcomes: ReadonlyArray<T> }> }
const allBands = <T>(t: Band<T>): ReadonlyArray<T> => ("byAge" in t ? t.byAge.flatMap((b) => b.outcomes) : t)
type Mix = Partial<Record<Placement, number>>
const mixes = (t: Mix | { readonly byAge: ReadonlyArray<{ readonly mix: Mix }> }): ReadonlyArray<Mix> =>
  "byAge" in t && Array.isArray(t.byAge)
    ? (t.byAge as ReadonlyArray<{ readonly mix: Mix }>).map((b) => b.mix)
    : [t as Mix]
const inMix = (ms: ReadonlyArray<Mix>, p: Placement) => ms.some((m) => (m[p] ?? 0) > 0)

/** A checker: null when the event is a move the scenario can make, else why not. */
const scenarioMoves = (s: Scenario) => {
  const outcomesFrom = (from: ChildState) => {
    if (from === "universal") return allBands(s.referrals.frontDoor)
    if (
      from === "early_help" ||
      from === "intensive_family_support" ||
      from === "child_in_need" ||
      from === "child_protection"
    )
      return allBands(s.levels[from].outcomes)
    return []
  }
  const positive = (from: ChildState, to: ChildState, via: string | null, reason: string | null) =>
    outcomesFrom(from).some(
      (o) =>
        o.probability > 0 &&
        o.to === to &&
        (o.via ?? null) === via &&
        (reason === null || (o.reason ?? (from === "universal" ? "no_further_action" : "stepped_down")) === reason)
    )
  const legal = s.levels.looked_after.legalStatus
  const rules = Object.values(legal?.byStatus ?? {})
  const careExits = [
    ...allBands(s.levels.looked_after.outcomes),
    ...(s.uasc?.outcomes ? allBands(s.uasc.outcomes) : []),
    ...rules.flatMap((r) => (r?.outcomes ? allBands(r.outcomes) : []))
  ]
  const statusMoves = [
    ...rules.flatMap((r) => (r?.placement && r.placement.probability > 0 ? [r.placement.to] : [])),
    ...(s.levels.looked_after.placements.atAge ?? []).flatMap((r) => (r.probability > 0 ? [r.to] : []))
  ]
  const onEntry = mixes(s.levels.looked_after.placements.onEntry)
  const moves = s.levels.looked_after.placements.moves ?? {}
  const uasc = new Set<number>()
  return (e: CaseEvent): string | null => {
    switch (e._tag) {
      case "CaseOpenAtStart":
      case "CaseClosedBeforeStart":
      case "ChildReferred":
      case "CareLeaverSupportEnded":
      case "InterventionStarted":
      case "InterventionEnded":
      case "WaitingListJoined":
      case "WaitingListLeft":
      case "PlacementOverflowed":
      case "StayingPutEnded":
      case "ChildReviewed":
      case "SiblingReferred":
        return null
      case "ContactReceived":
        return s.referrals.contacts !== undefined ? null : "a contact in a scenario without contacts"
      case "HistoryBeforeRun":
        // A UASC child of the starting caseload is one for the rest of the run (their later entries too).
        if (e.uasc) uasc.add(e.child)
        return null
      case "StayingPutBegan":
        return s.levels.care_leaver.stayingPut !== undefined ? null : "staying put in a scenario without it"
      case "LevelChanged":
        return positive(e.from, e.to, e.via, null) ? null : "no outcome with a positive probability"
      case "ChildBecameLookedAfter":
        // An unaccompanied asylum-seeking child's arrival, into their own placement mix (as every later
        // entry of theirs is).
        if (s.uasc !== undefined && e.via === s.uasc.via && e.from === "universal") uasc.add(e.child)
        if (s.uasc !== undefined && uasc.has(e.child)) {
          if (!inMix(mixes(s.uasc.placements), e.placement)) return "a UASC placement outside their mix"
          if (e.via === s.uasc.via) return null
          return positive(e.from, "looked_after", e.via, null)
            ? null
            : "no outcome into care with a positive probability"
        }
        if (!positive(e.from, "looked_after", e.via, null)) return "no outcome into care with a positive probability"
        return inMix(onEntry, e.placement) ? null : "a first placement outside the entry mix"
      case "CaseClosed":
        if (e.reason === "turned_18") return e.to === "exited" && e.via === null ? null : "turned 18 but not exited"
        return positive(e.from, e.to, e.via, e.reason) ? null : "no closure outcome with a positive probability"
      case "ChildLeftCare":
        if (e.reason === "turned_18")
          return e.to === "care_leaver" || e.to === "exited" ? null : "turned 18 but went elsewhere"
        return careExits.some(
          (o) =>
            o.probability > 0 &&
            o.reason === e.reason &&
            (o.via ?? null) === e.via &&
            // An ineligible would-be care leaver leaves the model instead.
            (o.to === e.to || (o.to === "care_leaver" && e.to === "exited"))
        )
          ? null
          : "no care exit with a positive probability"
      case "PlacementChanged": {
        if (inMix(statusMoves, e.to)) return null
        const m = moves[e.from]
        if (m === undefined) return "a move from a placement that has no moves"
        return inMix([m.to], e.to) ? null : "a move outside the placement's move mix"
      }
      case "LegalStatusChanged": {
        if (legal === undefined) return "a legal status in a scenario without legal statuses"
        if (e.from === null)
          return legal.onEntry.some((r) => (r.mix[e.to] ?? 0) > 0) ||
            s.startingCaseload.some((g) => (g.legalStatus?.[e.to] ?? 0) > 0)
            ? null
            : "a status on entry no row gives"
        return (legal.changes?.[e.from]?.to[e.to] ?? 0) > 0 ? null : "a change the status's changes do not give"
      }
    }
  }
}
