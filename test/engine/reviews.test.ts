/**
 * Count targets (src/engine/Reviews.ts, src/model/Policy.ts `QuotaModel`): exact traces of reviews on tiny
 * scenarios, properties on generated scenarios (a quota is never exceeded, its rule orders whom it takes;
 * a stay a review shortens ends no later than without it, paired on the same children and seed; a child no
 * review touches has the same history with and without the quota), quotas.csv against the log, and the
 * messages for bad quotas.
 */
import * as Either from "effect/Either"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { familyFirsts } from "../support/families.js"
import { runs } from "../support/runs.js"
import type { CaseEvent } from "../../src/domain/Event.js"
import { REVIEW_OUTCOMES, STATES } from "../../src/domain/Level.js"
import { quotasCsv } from "../../src/report/Quotas.js"
import { decodeScenario } from "../../src/scenario/Decode.js"
import type { ScenarioEncoded } from "../../src/scenario/Scenario.js"
import { compileModel } from "../../src/model/Model.js"
import { decodeValid, scenarioEncoded } from "../support/arbitraries.js"
import { policyScenarioEncoded, quotaArb, type InterventionEncoded } from "../support/policy.js"
import { byChild, pushTo, runEvents, runWithLedger } from "../support/run.js"
import { tinyEncoded, tinyModel, type TinyOverrides } from "../support/tiny.js"

const SEED = 20250401
const fixed = (value: number) => ({ type: "fixed" as const, value })
const run = (o: TinyOverrides) => runEvents(tinyModel(o), SEED).events
const trace = (o: TinyOverrides): Array<CaseEvent> => run(o).filter((e) => e._tag !== "CaseOpenAtStart")

/** Three children in care aged 10 at the start, in care for 50, 100 and 150 days of their fixed 200. */
const inCare = [50, 100, 150].map((elapsed) => ({
  level: "looked_after" as const,
  placement: "in_house_foster" as const,
  count: 1,
  ages: [10, 10] as const,
  elapsed: fixed(elapsed)
}))
const reviews = (over: Partial<InterventionEncoded> = {}): InterventionEncoded => ({
  name: "Reviews",
  confidence: 3,
  start: "2025-04-01",
  eligibility: { level: "looked_after" },
  quota: { perMonth: 1 },
  effects: { endStay: { probability: 1, to: "universal", reason: "returned_home" } },
  costs: { budgetLine: "Early help" },
  ...over
})

describe("reviews: exact traces", () => {
  it("one a month, longest in care first, on the first working day: each ends a stay by the reason given", () => {
    // 1 April 2025 is a Tuesday (day 0), 1 May a Thursday (day 30), 1 June a Sunday: Monday 2 June (day 62).
    const events = trace({ startingCaseload: inCare, interventions: [reviews()] })
    expect(events).toEqual([
      {
        _tag: "InterventionStarted",
        time: 0,
        child: 2,
        intervention: "Reviews",
        at: "looked_after",
        redirectedTo: null,
        heldPlace: false
      },
      {
        _tag: "ChildReviewed",
        time: 0,
        child: 2,
        intervention: "Reviews",
        at: "looked_after",
        outcome: "ended",
        eligible: 3
      },
      {
        _tag: "ChildLeftCare",
        time: 0,
        child: 2,
        placement: "in_house_foster",
        reason: "returned_home",
        to: "universal",
        via: "Reviews"
      },
      {
        _tag: "InterventionStarted",
        time: 30,
        child: 1,
        intervention: "Reviews",
        at: "looked_after",
        redirectedTo: null,
        heldPlace: false
      },
      {
        _tag: "ChildReviewed",
        time: 30,
        child: 1,
        intervention: "Reviews",
        at: "looked_after",
        outcome: "ended",
        eligible: 2
      },
      {
        _tag: "ChildLeftCare",
        time: 30,
        child: 1,
        placement: "in_house_foster",
        reason: "returned_home",
        to: "universal",
        via: "Reviews"
      },
      {
        _tag: "InterventionStarted",
        time: 62,
        child: 0,
        intervention: "Reviews",
        at: "looked_after",
        redirectedTo: null,
        heldPlace: false
      },
      {
        _tag: "ChildReviewed",
        time: 62,
        child: 0,
        intervention: "Reviews",
        at: "looked_after",
        outcome: "ended",
        eligible: 1
      },
      {
        _tag: "ChildLeftCare",
        time: 62,
        child: 0,
        placement: "in_house_foster",
        reason: "returned_home",
        to: "universal",
        via: "Reviews"
      }
    ])
  })

  it("shortenStay halves what remains; a child reviewed is not reviewed again while the effect lasts", () => {
    // Remaining 50, 100, 150 days. Day 0: child 2 (ends 50) -> 25. Day 30: child 1 (ends 100) -> 30 + 35 = 65.
    // Day 62: child 1 is under the effect, child 0 (ends 150) -> 62 + 44 = 106.
    const events = trace({
      startingCaseload: inCare,
      interventions: [reviews({ effects: { shortenStay: { multiplier: 0.5 } } })]
    })
    const outcomes = events.flatMap((e) =>
      e._tag === "ChildReviewed" ? [[e.time, e.child, e.outcome, e.eligible]] : []
    )
    expect(outcomes).toEqual([
      [0, 2, "shortened", 3],
      [30, 1, "shortened", 2],
      [62, 0, "shortened", 1]
    ])
    const left = events.flatMap((e) => (e._tag === "ChildLeftCare" ? [[e.time, e.child, e.via]] : []))
    expect(left).toEqual([
      [25, 2, null],
      [65, 1, null],
      [106, 0, null]
    ])
  })

  it("youngest first, oldest first and shortest first choose the other way", () => {
    const ages = [12, 8, 10]
    const starting = inCare.map((g, i) => ({ ...g, ages: [ages[i], ages[i]] as const }))
    const first = (choose: "youngest_first" | "oldest_first" | "shortest_first") =>
      trace({ startingCaseload: starting, interventions: [reviews({ quota: { perMonth: 1, choose } })] }).find(
        (e) => e._tag === "ChildReviewed"
      )?.child
    expect(first("youngest_first")).toBe(1)
    expect(first("oldest_first")).toBe(0)
    expect(first("shortest_first")).toBe(0)
  })

  it("spread: a month's reviews evenly through it; perYear: the year's count spread over its months", () => {
    const spread = trace({
      startingCaseload: inCare,
      interventions: [reviews({ quota: { perMonth: 2, when: "spread" }, effects: {} })]
    })
    // April has 30 days: at 7.5 and 22.5; every review leaves the stay as it was.
    expect(
      spread
        .filter((e) => e._tag === "ChildReviewed" && e.time < 30)
        .map((e) => [e.time, e.child, (e as { outcome: string }).outcome])
    ).toEqual([
      [7.5, 2, "unchanged"],
      [22.5, 1, "unchanged"]
    ])
    const yearly = tinyModel({ startingCaseload: inCare, interventions: [reviews({ quota: { perYear: 6 } })] })
    expect([...yearly.policy.quotas[0].monthTarget]).toEqual([0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1])
    const changed = tinyModel({
      startingCaseload: inCare,
      interventions: [reviews({ quota: { perMonth: 1, changes: [{ from: "2025-10-01", perMonth: 3 }] } })]
    })
    expect([...changed.policy.quotas[0].monthTarget]).toEqual([1, 1, 1, 1, 1, 1, 3, 3, 3, 3, 3, 3])
  })

  it("a capacity: no more reviews than places free; the rest chosen are logged no_place", () => {
    const events = trace({
      startingCaseload: inCare,
      interventions: [
        reviews({
          quota: { perMonth: 3 },
          capacity: { places: 1 },
          duration: fixed(400),
          effects: { shortenStay: { multiplier: 1 } }
        })
      ]
    })
    const day0 = events
      .filter((e) => e._tag === "ChildReviewed" && e.time === 0)
      .map((e) => [e.child, (e as { outcome: string }).outcome])
    expect(day0).toEqual([
      [2, "unchanged"],
      [1, "no_place"],
      [0, "no_place"]
    ])
  })

  it("eligibility by time at the level and by placement", () => {
    const atLeast = trace({
      startingCaseload: inCare,
      interventions: [reviews({ eligibility: { level: "looked_after", timeAtLevel: { atMost: 120 } } })]
    })
    // Child 2 (150 days in care) is not eligible; child 1 (100) is reviewed first.
    expect(atLeast.find((e) => e._tag === "ChildReviewed")).toMatchObject({ child: 1, eligible: 2 })
    const placed = trace({
      startingCaseload: [...inCare, { ...inCare[0], placement: "ifa_foster" as const }],
      levels: { looked_after: { placements: { onEntry: { in_house_foster: 0.5, ifa_foster: 0.5 } } } },
      interventions: [reviews({ eligibility: { level: "looked_after", placements: ["ifa_foster"] } })]
    })
    expect(placed.find((e) => e._tag === "ChildReviewed")).toMatchObject({ child: 3, eligible: 1 })
  })
})

// ---------------------------------------------------------------------------------------------------------
// Generated scenarios

const withQuota = (legal: boolean, pure: boolean) =>
  scenarioEncoded.chain((s) =>
    quotaArb({ start: s.start, years: s.years, budgetLine: s.budgetLines?.[0]?.name ?? "Early help" }, "quota", {
      legal: legal && s.levels.looked_after.legalStatus !== undefined,
      pure
    }).map((q) => ({ s, q }))
  )

const R = REVIEW_OUTCOMES.length

describe("reviews on generated scenarios", () => {
  it("a quota is never exceeded: a round reviews at most its count, a month at most its target", () => {
    const seen = { reviewed: 0, ended: 0, shortened: 0, noPlace: 0 }
    const cases = fc.tuple(
      fc.oneof(
        withQuota(true, false).map(({ s, q }): ScenarioEncoded => ({ ...s, interventions: [q] })),
        policyScenarioEncoded
      ),
      fc.integer({ min: 0, max: 2 ** 31 - 1 })
    )
    fc.assert(
      fc.property(cases, ([encoded, seed]) => {
        const model = compileModel(decodeValid(encoded))
        const quotas = model.policy.quotas
        const { events, totals } = runWithLedger(model, seed)
        for (const q of quotas) {
          const mine = events.filter(
            (e): e is Extract<CaseEvent, { _tag: "ChildReviewed" }> =>
              e._tag === "ChildReviewed" && e.intervention === q.name
          )
          // By round: at most the round's count, all at a round's time, each child once.
          const rounds = new Map<number, Array<number>>()
          for (const e of mine) pushTo(rounds, e.time, e.child)
          for (const [t, children] of rounds) {
            const k = q.roundAt.indexOf(t)
            expect(k, `a round at ${t}`).toBeGreaterThanOrEqual(0)
            expect(children.length).toBeLessThanOrEqual(q.roundCount[k])
            expect(new Set(children).size).toBe(children.length)
          }
          // By month: reviewed (every outcome but no_place) at most the target; the fold agrees with the log.
          const fold = totals.reviews!.quotas.find((x) => x.name === q.name)!
          model.calendar.months.forEach((month, m) => {
            const inMonth = mine.filter((e) => e.time >= month.start && e.time < month.end)
            const reviewed = inMonth.filter((e) => e.outcome !== "no_place").length
            expect(reviewed).toBeLessThanOrEqual(q.monthTarget[m])
            REVIEW_OUTCOMES.forEach((o, i) =>
              expect(fold.reviews[m * R + i], o).toBe(inMonth.filter((e) => e.outcome === o).length)
            )
            expect(fold.eligible[m]).toBe(inMonth.length > 0 ? inMonth[0].eligible : 0)
          })
          // With a capacity, never more holding places than it has (a review holds one for its duration).
          seen.reviewed += mine.filter((e) => e.outcome !== "no_place").length
          seen.ended += mine.filter((e) => e.outcome === "ended").length
          seen.shortened += mine.filter((e) => e.outcome === "shortened").length
          seen.noPlace += mine.filter((e) => e.outcome === "no_place").length
          // Each review but no_place starts the intervention for the child at the same instant, just before.
          for (const e of mine) {
            const i = events.indexOf(e)
            const before = events[i - 1]
            if (e.outcome === "no_place") continue
            expect(before).toMatchObject({
              _tag: "InterventionStarted",
              child: e.child,
              time: e.time,
              intervention: q.name
            })
          }
          // A stay a review ends ends at once, by the intervention's route.
          for (const e of mine.filter((x) => x.outcome === "ended")) {
            const next = events[events.indexOf(e) + 1] as { child: number; time: number; via?: string | null }
            expect(next.child).toBe(e.child)
            expect(next.time).toBe(e.time)
            expect(next.via).toBe(q.name)
          }
        }
        expect(quotasCsv(totals).split("\n")[0]).toBe(
          "period_type,period,financial_year,intervention,target,eligible,reviewed," +
            "ended,shortened,unchanged,no_place,short_of_target"
        )
      }),
      { numRuns: runs(60) }
    )
    // The generated quotas do review children, and some reviews change a stay (which outcomes turn up
    // varies with fast-check's seed: a run once saw no stay ended, only shortened).
    expect(seen.reviewed).toBeGreaterThan(20)
    expect(seen.ended + seen.shortened).toBeGreaterThan(0)
  })

  it("the rule orders each round: longest / shortest at the level, oldest / youngest first", () => {
    const cases = fc.tuple(withQuota(true, true), fc.integer({ min: 0, max: 2 ** 31 - 1 }))
    let checked = 0
    fc.assert(
      fc.property(cases, ([{ s, q }, seed]) => {
        // Four a month, so that rounds review several children (no services: a stay's start is in the log).
        const quota = { ...q.quota!, perMonth: 4, perYear: undefined, changes: undefined }
        const model = compileModel(decodeValid({ ...s, services: [], interventions: [{ ...q, quota }] }))
        const level = STATES[model.policy.quotas[0].level]
        const rule = quota.choose ?? "longest_first"
        if (rule === "random") return
        const events = runEvents(model, seed).events
        // When each child's stay at their level began and when they were born, from the log; each round's
        // children with the rule's key at the time of the review.
        const since = new Map<number, number>()
        const dob = new Map<number, number>()
        const key = (c: number) =>
          rule === "longest_first"
            ? since.get(c)!
            : rule === "shortest_first"
              ? -since.get(c)!
              : rule === "oldest_first"
                ? dob.get(c)!
                : -dob.get(c)!
        const rounds = new Map<number, Array<readonly [number, number]>>()
        for (const e of events) {
          if (e._tag === "CaseOpenAtStart" || e._tag === "ChildReferred" || e._tag === "CaseClosedBeforeStart")
            dob.set(e.child, e.dateOfBirth)
          if (e._tag === "CaseOpenAtStart") since.set(e.child, e.since)
          if (e._tag === "ChildBecameLookedAfter" || e._tag === "LevelChanged" || e._tag === "ChildLeftCare")
            since.set(e.child, e.time)
          if (e._tag === "ChildReviewed") {
            expect(e.at).toBe(level)
            pushTo(rounds, e.time, [e.child, key(e.child)] as const)
          }
        }
        for (const round of rounds.values())
          for (let i = 1; i < round.length; i++) {
            checked++
            const [c0, a] = round[i - 1]
            const [c1, b] = round[i]
            expect(a < b || (a === b && c0 < c1), `${rule} ${level}: ${round.join("; ")}`).toBe(true)
          }
      }),
      { numRuns: 80 }
    )
    expect(checked).toBeGreaterThan(20)
  })

  it(
    "paired, same seed: a stay a review ends or shortens ends no later than without it (unchanged: at the same " +
      "time), and a child no review touches has the same history",
    () => {
      const cases = fc.tuple(withQuota(true, true), fc.integer({ min: 0, max: 2 ** 31 - 1 }))
      const seen = { ended: 0, shortened: 0, unchanged: 0, untouched: 0 }
      fc.assert(
        fc.property(cases, ([{ s, q }, seed]) => {
          const base: ScenarioEncoded = { ...s, services: [], interventions: [] }
          const baseline = runEvents(compileModel(decodeValid(base)), seed).events
          const variant = runEvents(compileModel(decodeValid({ ...base, interventions: [q] })), seed).events
          const b = byChild(baseline)
          const v = byChild(variant)
          // When the stay at `level` under way at t ends: the first move away from it at or after t.
          const endOf = (events: ReadonlyArray<CaseEvent>, t: number, level: string): number => {
            for (const e of events) {
              if (e.time < t) continue
              if (e._tag === "ChildLeftCare" && level === "looked_after") return e.time
              if ((e._tag === "LevelChanged" || e._tag === "CaseClosed") && e.from === level) return e.time
              if (e._tag === "ChildBecameLookedAfter" && e.from === level) return e.time
            }
            return Infinity
          }
          // Sibling groups: a sibling follows the eldest's decisions, so a review of one child of a family can
          // change the others' histories from its time on (the first review in the family).
          const familyReviewed = familyFirsts(variant, (e) => e._tag === "ChildReviewed")
          for (const [c, events] of v) {
            const first = events.find((e) => e._tag === "ChildReviewed")
            if (first === undefined) {
              const since = familyReviewed(c)
              if (since === undefined) {
                expect(events).toEqual(b.get(c))
                seen.untouched++
              } else {
                const before = (l: ReadonlyArray<CaseEvent>) => l.filter((e) => e.time < since)
                expect(before(events)).toEqual(before(b.get(c) ?? []))
              }
              continue
            }
            if (first._tag !== "ChildReviewed") continue
            // A child whose sibling was reviewed first is the sibling's case (above), not a review of their own.
            const familyFirst = familyReviewed(c)!
            if (familyFirst < first.time) {
              const before = (l: ReadonlyArray<CaseEvent>) => l.filter((e) => e.time < familyFirst)
              expect(before(events)).toEqual(before(b.get(c) ?? []))
              continue
            }
            const before = (l: ReadonlyArray<CaseEvent>) => l.filter((e) => e.time < first.time)
            expect(before(events)).toEqual(before(b.get(c)!))
            const withReview = endOf(events, first.time, first.at)
            const without = endOf(b.get(c)!, first.time, first.at)
            expect(withReview, `child ${c}, reviewed at ${first.time}: ${first.outcome}`).toBeLessThanOrEqual(without)
            // A review that leaves the stay as it was changes nothing, unless a later review (once the first's
            // effect has lapsed) ends or shortens the same stay.
            const later = events.some((e) => e._tag === "ChildReviewed" && e !== first && e.time <= withReview)
            if (first.outcome === "unchanged" && !later) expect(withReview).toBe(without)
            if (first.outcome === "ended") expect(withReview).toBe(first.time)
            if (first.outcome !== "no_place") seen[first.outcome]++
          }
        }),
        // Two runs a case: 30 cases stay well inside the property time limit on a 2-core machine.
        { numRuns: runs(30) }
      )
      // The generated quotas exercise the outcomes (first reviews only: counts vary with fast-check's seed).
      expect(seen.ended + seen.shortened + seen.unchanged).toBeGreaterThan(10)
      expect(seen.ended + seen.shortened).toBeGreaterThan(0)
      expect(seen.untouched).toBeGreaterThan(0)
    }
  )
})

// ---------------------------------------------------------------------------------------------------------

describe("bad quotas: one exact message at the path", () => {
  const problems = (ivs: ReadonlyArray<unknown>) => {
    const r = decodeScenario("bad.yaml", { ...tinyEncoded({}), interventions: ivs })
    return Either.isLeft(r) ? r.left.problems.map((p) => `${p.path}: ${p.message}`) : []
  }

  it("a count of each kind, or neither", () => {
    expect(problems([reviews({ quota: { perMonth: 1, perYear: 12 } })])).toEqual([
      "interventions[0].quota: expected exactly one of perMonth (reviews a month) or perYear (reviews a year)"
    ])
    expect(problems([reviews({ quota: { perMonth: 1.5 } })])).toEqual([
      "interventions[0].quota.perMonth: expected a whole number of reviews a month >= 0, found 1.5"
    ])
    expect(
      problems([
        reviews({
          quota: {
            perMonth: 1,
            changes: [
              { from: "2026-01-01", perMonth: 2 },
              { from: "2025-06-01", perYear: 5 }
            ]
          }
        })
      ])
    ).toEqual([
      "interventions[0].quota.changes[1].from: expected quota changes in date order, one per date; found 2025-06-01 " +
        "after 2026-01-01"
    ])
  })

  it("a quota reviews open cases at a level, not moves", () => {
    expect(problems([reviews({ eligibility: { from: "child_protection", to: "looked_after" } })])).toEqual([
      "interventions[0].eligibility: expected eligibility with a level (the level of the open cases the quota " +
        "reviews, e.g. looked_after)"
    ])
    expect(problems([reviews({ eligibility: { level: "looked_after", via: "care_proceedings" } })])).toEqual([
      "interventions[0].eligibility.via: a quota reviews open cases at a level, not moves; expected no via with a " +
        "quota (eligibility.level says which cases), found via: care_proceedings"
    ])
    expect(problems([reviews({ eligibility: { level: "looked_after", uptake: 0.5 } })])).toEqual([
      "interventions[0].eligibility.uptake: a quota's review is not declined; expected no uptake with a quota, " +
        "found 0.5"
    ])
    expect(
      problems([reviews({ eligibility: { level: "child_in_need", placements: ["ifa_foster"] }, effects: {} })])
    ).toEqual([
      "interventions[0].eligibility.placements: a placement is a looked-after child's: expected level: looked_after, " +
        "found level: child_in_need"
    ])
    expect(
      problems([reviews({ eligibility: { level: "looked_after", timeAtLevel: { atLeast: 10, atMost: 5 } } })])
    ).toEqual([
      "interventions[0].eligibility.timeAtLevel: expected atLeast at most atMost, found atLeast: 10, atMost: 5"
    ])
  })

  it("what a review does: a move the level graph allows, a reason that fits it, a multiplier of at most 1", () => {
    expect(
      problems([reviews({ effects: { endStay: { probability: 1, to: "looked_after", reason: "other" } } })])
    ).toEqual([
      "interventions[0].effects.endStay.to: expected where a stay at looked_after can end (universal, early_help, " +
        "intensive_family_support, child_in_need, child_protection, care_leaver, exited), found looked_after"
    ])
    expect(problems([reviews({ effects: { endStay: { probability: 1, to: "universal" } } })])).toEqual([
      "interventions[0].effects.endStay.reason: expected why the care episode ends (returned_home, adopted, " +
        "special_guardianship, turned_18, independent_living, other), e.g. reason: returned_home"
    ])
    expect(
      problems([reviews({ effects: { endStay: { probability: 1, to: "universal", reason: "stepped_down" } } })])
    ).toEqual([
      "interventions[0].effects.endStay.reason: expected a reason a care episode ends (returned_home, adopted, " +
        "special_guardianship, turned_18, independent_living, other), found stepped_down"
    ])
    expect(
      problems([reviews({ effects: { endStay: { probability: 1, to: "universal", reason: "special_guardianship" } } })])
    ).toEqual([
      "interventions[0].effects.endStay.to: special_guardianship leaves the model: expected to: exited, found universal"
    ])
    expect(problems([reviews({ effects: { shortenStay: { multiplier: 1.5 } } })])).toEqual([
      "interventions[0].effects.shortenStay.multiplier: a review shortens what remains of a stay: expected a " +
        "multiplier from 0 to 1, found 1.5"
    ])
  })

  it("endStay, shortenStay and the open-case eligibility need a quota", () => {
    const { quota: _quota, ...noQuota } = reviews({
      eligibility: { level: "looked_after", timeAtLevel: { atLeast: 1 } },
      effects: {
        endStay: { probability: 1, to: "universal", reason: "returned_home" },
        shortenStay: { multiplier: 0.5 }
      }
    })
    expect(problems([noQuota])).toEqual([
      "interventions[0].eligibility.level: level chooses the open cases a quota reviews; expected a quota with level",
      "interventions[0].eligibility.timeAtLevel: timeAtLevel chooses the open cases a quota reviews; expected a " +
        "quota with timeAtLevel",
      "interventions[0].effects.endStay: endStay is what a quota's review does to a stay under way; expected a quota " +
        "with endStay",
      "interventions[0].effects.shortenStay: shortenStay is what a quota's review does to a stay under way; expected " +
        "a quota with shortenStay"
    ])
  })

  it("a misspelt rule is a decoding error naming the choices", () => {
    const p = problems([reviews({ quota: { perMonth: 1, choose: "longest" as "longest_first" } })])
    expect(p).toHaveLength(1)
    expect(p[0]).toMatch(/^interventions\[0\]\.quota\.choose: /)
    expect(p[0]).toContain("longest_first")
  })
})
