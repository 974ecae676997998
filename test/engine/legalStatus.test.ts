/**
 * Legal statuses of looked-after children (src/engine/LegalStatus.ts): exact traces of a status set on
 * entry and changed during the episode (interim care order, full care order, placement order: placed for
 * adoption, then adopted), a status with its own time in care, the starting caseload's statuses, one-off
 * costs on a status and an intervention offered by status; and on a larger scenario, that every child in
 * care has exactly one status, that a replayed log passes the state check and folds to the same totals.
 */
import { beforeAll, describe, expect, it } from "vitest"
import type { CaseEvent } from "../../src/domain/Event.js"
import { EVENT_TAGS } from "../../src/domain/Event.js"
import { compileModel } from "../../src/model/Model.js"
import { runEvents, runWithLedger, foldLedger } from "../support/run.js"
import { tinyModel } from "../support/tiny.js"
import { StateCheck } from "../../src/log/StateCheck.js"
import { legalStatusCsv } from "../../src/report/Tables.js"
import { LEGAL_STATUSES, PLACEMENTS, placementCell } from "../../src/domain/Level.js"
import * as fc from "fast-check"
import { generatedCase } from "../support/arbitraries.js"
import { runs } from "../support/runs.js"
import { loadLegalFixture } from "./legalFixture.js"
import type { Model } from "../../src/model/Model.js"

/** The event after the k-th, past the child's family (SiblingReferred) and history lines that come with it. */
const afterEntry = (events: ReadonlyArray<CaseEvent>, k: number): CaseEvent => {
  let i = k + 1
  while (events[i]._tag === "SiblingReferred" || events[i]._tag === "HistoryBeforeRun") i++
  return events[i]
}

const SEED = 20250401
const fixed = (value: number) => ({ type: "fixed" as const, value })
const without = (events: ReadonlyArray<CaseEvent>, ...tags: ReadonlyArray<CaseEvent["_tag"]>) =>
  events.filter((e) => !tags.includes(e._tag))

describe("legal status: exact traces", () => {
  it("is set on entry by route, changes C1 -> C2 -> E1, moves the child to adoption, and the E1 exits apply", () => {
    const model = tinyModel({
      referrals: { frontDoor: [{ to: "child_protection", probability: 1, via: "s47_enquiry" }] },
      levels: {
        child_protection: {
          duration: fixed(10),
          outcomes: [{ to: "looked_after", probability: 1, via: "care_proceedings" }]
        },
        looked_after: {
          duration: fixed(900),
          outcomes: [{ reason: "returned_home", to: "universal", probability: 1 }],
          placements: { onEntry: { in_house_foster: 1 } },
          legalStatus: {
            onEntry: [{ via: "care_proceedings", mix: { C1: 1 } }, { mix: { V2: 1 } }],
            changes: {
              C1: { after: fixed(30), to: { C2: 1 } },
              C2: { after: fixed(40), to: { E1: 1 } }
            },
            byStatus: {
              E1: {
                duration: fixed(50),
                outcomes: [{ reason: "adopted", to: "exited", probability: 1 }],
                placement: { probability: 1, to: { placed_for_adoption: 1 } }
              }
            }
          }
        }
      },
      startingCaseload: [{ level: "child_protection", count: 1, ages: [2, 2], elapsed: fixed(5) }],
      budgetLines: [{ name: "Legal" }],
      costs: { oneOff: [{ name: "Care proceedings", budgetLine: "Legal", amount: 20000, on: { legalStatus: "C1" } }] }
    })
    const { events, totals } = runWithLedger(model, SEED)
    expect(without(events, "CaseOpenAtStart")).toEqual([
      // 10 days on the plan, 5 already spent.
      {
        _tag: "ChildBecameLookedAfter",
        time: 5,
        child: 0,
        from: "child_protection",
        placement: "in_house_foster",
        via: "care_proceedings"
      },
      { _tag: "LegalStatusChanged", time: 5, child: 0, from: null, to: "C1" },
      { _tag: "LegalStatusChanged", time: 35, child: 0, from: "C1", to: "C2" },
      // The placement order: placed for adoption at once, and 50 days to the adoption order.
      { _tag: "LegalStatusChanged", time: 75, child: 0, from: "C2", to: "E1" },
      { _tag: "PlacementChanged", time: 75, child: 0, from: "in_house_foster", to: "placed_for_adoption" },
      {
        _tag: "ChildLeftCare",
        time: 125,
        child: 0,
        placement: "placed_for_adoption",
        reason: "adopted",
        to: "exited",
        via: null
      }
    ])
    // One care proceedings cost, on the interim order.
    const line = model.costs.oneOff.findIndex((l) => l.name === "Care proceedings")
    expect(Array.from(totals.oneOffCount).reduce((a, b) => a + b, 0)).toBe(1)
    expect(totals.oneOffCount[line]).toBe(1)
    const legal = totals.legal!
    const LS = LEGAL_STATUSES.length
    const at = (code: string) => LEGAL_STATUSES.indexOf(code as (typeof LEGAL_STATUSES)[number])
    const months = model.calendar.months.length
    const total = (a: Int32Array, stride: number, i: number) => {
      let n = 0
      for (let m = 0; m < months; m++) n += a[m * stride + i]
      return n
    }
    expect(total(legal.entries, LS, at("C1"))).toBe(1)
    // Day 35 (5 May) and day 75 (15 June): months 1 and 2.
    expect(legal.changes[1 * LS * LS + at("C1") * LS + at("C2")]).toBe(1)
    expect(legal.changes[2 * LS * LS + at("C2") * LS + at("E1")]).toBe(1)
    expect(legal.changes.reduce((a, b) => a + b, 0)).toBe(2)
    // At the end of April the child is on an interim order, of May on a full order, of June and July on a
    // placement order; at the end of August (day 153) they have been adopted.
    const stock = (m: number) => LEGAL_STATUSES.filter((_, i) => legal.monthEndStock[m * LS + i] > 0)
    expect([0, 1, 2, 3, 4].map(stock)).toEqual([["C1"], ["C2"], ["E1"], ["E1"], []])
    const LC = 6
    // Adopted on day 125 (3 August), from a placement order.
    expect(legal.leftCare[4 * LS * LC + at("E1") * LC + 1]).toBe(1)
  })

  it("draws the status by age when the route does not decide it, and a status's own time in care", () => {
    const model = tinyModel({
      referrals: { frontDoor: [{ to: "looked_after", probability: 1 }] },
      levels: {
        looked_after: {
          duration: fixed(300),
          outcomes: [{ reason: "returned_home", to: "universal", probability: 1 }],
          placements: { onEntry: { in_house_foster: 1 } },
          legalStatus: {
            onEntry: [
              { via: "care_proceedings", mix: { C1: 1 } },
              { ages: [10, 17], mix: { V2: 1 } },
              { mix: { L1: 1 } }
            ],
            changes: { L1: { after: fixed(3), to: { C1: 1 } } },
            byStatus: { V2: { duration: fixed(20) }, C1: { duration: fixed(100) } }
          }
        }
      },
      startingCaseload: [
        { level: "universal", count: 1, ages: [12, 12], elapsed: fixed(10) },
        { level: "universal", count: 1, ages: [3, 3], elapsed: fixed(10) }
      ]
    })
    // Re-referred 30 days after closure (20 days after the start): the 12-year-old under s20 for 20 days; the
    // 3-year-old under police protection for 3 days, then an interim order and 100 days from it.
    const m = { ...model, defaultReReferral: { probability: 1, after: model.defaultReReferral.after } }
    const events = without(runEvents(m, SEED).events, "CaseClosedBeforeStart", "ChildReferred")
    expect(events).toEqual([
      {
        _tag: "ChildBecameLookedAfter",
        time: 20,
        child: 0,
        from: "universal",
        placement: "in_house_foster",
        via: null
      },
      { _tag: "LegalStatusChanged", time: 20, child: 0, from: null, to: "V2" },
      {
        _tag: "ChildBecameLookedAfter",
        time: 20,
        child: 1,
        from: "universal",
        placement: "in_house_foster",
        via: null
      },
      { _tag: "LegalStatusChanged", time: 20, child: 1, from: null, to: "L1" },
      { _tag: "LegalStatusChanged", time: 23, child: 1, from: "L1", to: "C1" },
      {
        _tag: "ChildLeftCare",
        time: 40,
        child: 0,
        placement: "in_house_foster",
        reason: "returned_home",
        to: "universal",
        via: null
      },
      {
        _tag: "ChildLeftCare",
        time: 123,
        child: 1,
        placement: "in_house_foster",
        reason: "returned_home",
        to: "universal",
        via: null
      }
    ])
  })

  it("gives the starting caseload its statuses, and an intervention takes only the statuses it names", () => {
    const model = tinyModel({
      levels: {
        looked_after: {
          duration: fixed(100),
          outcomes: [{ reason: "returned_home", to: "universal", probability: 1 }],
          placements: { onEntry: { in_house_foster: 1 } },
          legalStatus: { onEntry: [{ mix: { C2: 1 } }] }
        }
      },
      startingCaseload: [
        {
          level: "looked_after",
          placement: "in_house_foster",
          legalStatus: { V2: 1 },
          count: 2,
          ages: [8, 8],
          elapsed: fixed(40)
        },
        { level: "looked_after", placement: "kinship", count: 1, ages: [8, 8], elapsed: fixed(40) }
      ],
      interventions: [
        {
          name: "Section 20 review",
          confidence: 3,
          start: "2025-04-01",
          eligibility: { from: "looked_after", legalStatus: ["V2"] },
          costs: { budgetLine: "Children looked after", perChild: 500 }
        }
      ]
    })
    const events = runEvents(model, SEED).events
    expect(events.filter((e) => e._tag === "LegalStatusChanged")).toEqual([
      { _tag: "LegalStatusChanged", time: 0, child: 0, from: null, to: "V2" },
      { _tag: "LegalStatusChanged", time: 0, child: 1, from: null, to: "V2" },
      { _tag: "LegalStatusChanged", time: 0, child: 2, from: null, to: "C2" }
    ])
    // The opening statuses come with the opening caseload: each right after its child's case.
    expect(events.slice(0, 6).map((e) => e._tag)).toEqual([
      "CaseOpenAtStart",
      "LegalStatusChanged",
      "CaseOpenAtStart",
      "LegalStatusChanged",
      "CaseOpenAtStart",
      "LegalStatusChanged"
    ])
    const started = events.filter((e) => e._tag === "InterventionStarted").map((e) => e.child)
    expect(started).toEqual([0, 1])
  })
})

describe("legal status on a larger scenario", () => {
  let model: Model
  beforeAll(async () => {
    model = compileModel(await loadLegalFixture())
  })

  it("gives every looked-after child exactly one status, replays through the state check, and folds alike", () => {
    const { events, totals } = runWithLedger(model, 7)
    const check = new StateCheck(model)
    const status = new Map<number, string>()
    const inCare = new Set<number>()
    for (const [k, e] of events.entries()) {
      expect(check.check(e), `event ${k}: ${JSON.stringify(e)}`).toBeNull()
      if (e._tag === "ChildBecameLookedAfter" || (e._tag === "CaseOpenAtStart" && e.level === "looked_after")) {
        // The status comes with the entry, as the very next event (after the child's family and history, if any).
        expect(afterEntry(events, k)).toMatchObject({ _tag: "LegalStatusChanged", child: e.child, from: null })
        inCare.add(e.child)
      }
      if (e._tag === "LegalStatusChanged") status.set(e.child, e.to)
      if (e._tag === "ChildLeftCare") {
        expect(status.has(e.child)).toBe(true)
        status.delete(e.child)
        inCare.delete(e.child)
      }
    }
    expect(new Set(status.keys())).toEqual(inCare)
    // Every status the scenario gives is used, and each kind of change is seen.
    const tags = new Set(events.map((e) => e._tag))
    expect(tags.has("LegalStatusChanged")).toBe(true)
    const changes = new Set(
      events.flatMap((e) => (e._tag === "LegalStatusChanged" && e.from !== null ? [`${e.from}>${e.to}`] : []))
    )
    for (const c of ["C1>C2", "C1>E1", "L1>C1", "V2>C1"]) expect(changes).toContain(c)
    // The stock by status adds up to the children in care at every month end.
    const legal = totals.legal!
    const LS = LEGAL_STATUSES.length
    const CELLS = totals.monthEndStock.length / model.calendar.months.length
    model.calendar.months.forEach((_, i) => {
      let byStatus = 0
      for (let s = 0; s < LS; s++) byStatus += legal.monthEndStock[i * LS + s]
      let looked = 0
      for (let p = 0; p < PLACEMENTS.length; p++) looked += totals.monthEndStock[i * CELLS + placementCell(p)]
      expect(byStatus).toBe(looked)
    })
    const replayed = foldLedger(model, events)
    expect(legalStatusCsv(replayed)).toBe(legalStatusCsv(totals))
    expect(EVENT_TAGS).toContain("LegalStatusChanged")
  })

  it("the state check refuses a status for a child not in care, a change from a status the child lacks", () => {
    const { events } = runWithLedger(model, 7)
    const k = events.findIndex((e) => e._tag === "LegalStatusChanged" && e.from !== null)
    const e = events[k] as Extract<CaseEvent, { _tag: "LegalStatusChanged" }>
    const upTo = (edited: CaseEvent) => {
      const check = new StateCheck(model)
      for (const x of events.slice(0, k)) expect(check.check(x)).toBeNull()
      return check.check(edited)
    }
    expect(upTo({ ...e, from: e.from === "V2" ? "C2" : "V2" })).toMatch(
      /not (V2|C2) .*from where the child is not|is (V2|C2|C1|L1|L2|E1|J1)/
    )
    expect(upTo({ ...e, to: e.from! })).toContain("to itself")
    const notInCare = events.findIndex((x, i) => i < k && x._tag === "LevelChanged")
    const other = events[notInCare].child
    expect(upTo({ ...e, child: other })).toBeTypeOf("string")
    // A scenario without legal statuses logs none.
    const plain = tinyModel({
      startingCaseload: [{ level: "looked_after", placement: "kinship", count: 1, ages: [5, 5] }]
    })
    const check = new StateCheck(plain)
    const opening = runEvents(plain, SEED).events[0]
    expect(check.check(opening)).toBeNull()
    expect(check.check({ _tag: "LegalStatusChanged", time: 0, child: 0, from: null, to: "V2" })).toContain(
      "models none"
    )
  })
})

describe("legal status properties (generated scenarios)", () => {
  it("each looked-after child holds one status from entry to leaving; stocks by status add up; replay alike", () => {
    fc.assert(
      fc.property(generatedCase, (g) => {
        // Only the generated scenarios with legal statuses: fast-check draws until it has its count of them.
        fc.pre(g.model.legal !== null)
        const { events, totals } = runWithLedger(g.model, g.seed)
        const check = new StateCheck(g.model)
        const status = new Map<number, string>()
        for (const [k, e] of events.entries()) {
          expect(check.check(e)).toBeNull()
          if (e._tag === "ChildBecameLookedAfter" || (e._tag === "CaseOpenAtStart" && e.level === "looked_after"))
            expect(afterEntry(events, k)).toMatchObject({
              _tag: "LegalStatusChanged",
              child: e.child,
              from: null
            })
          if (e._tag === "LegalStatusChanged") {
            expect(status.get(e.child) ?? null).toBe(e.from)
            status.set(e.child, e.to)
          }
          if (e._tag === "ChildLeftCare") {
            expect(status.has(e.child)).toBe(true)
            status.delete(e.child)
          }
        }
        const legal = totals.legal!
        const LS = LEGAL_STATUSES.length
        const months = g.model.calendar.months.length
        const cells = totals.monthEndStock.length / months
        for (let m = 0; m < months; m++) {
          let byStatus = 0
          for (let s = 0; s < LS; s++) byStatus += legal.monthEndStock[m * LS + s]
          let looked = 0
          for (let p = 0; p < PLACEMENTS.length; p++) looked += totals.monthEndStock[m * cells + placementCell(p)]
          expect(byStatus).toBe(looked)
        }
        expect(legalStatusCsv(foldLedger(g.model, events))).toBe(legalStatusCsv(totals))
      }),
      { numRuns: runs(15) }
    )
  })
})
