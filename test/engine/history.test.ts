// History before the run: previous child protection plans and care episodes, drawn for the starting
// caseload and new referrals, counted in the DfE table D3 (second or subsequent plans), and what they change
// (relative risks of a plan, of care, of a re-referral).
import { describe, expect, it } from "vitest"
import { recordOf, type CaseEvent } from "../../src/domain/Event.js"
import { chooseWithRisk } from "../../src/engine/History.js"
import { StateCheck } from "../../src/log/StateCheck.js"
import type { Model } from "../../src/model/Model.js"
import { makeChoice, type Destination } from "../../src/model/Tables.js"
import { cpSubsequentCsv, DfeFold, type DfeTables } from "../../src/report/Dfe.js"
import { decodeScenario } from "../../src/scenario/Decode.js"
import { runWithLedger } from "../support/run.js"
import { tinyEncoded, tinyModel } from "../support/tiny.js"

const fixed = (value: number) => ({ type: "fixed" as const, value })

const dfeOf = (model: Model, events: ReadonlyArray<CaseEvent>): DfeTables => {
  const names = model.names.copy()
  const fold = new DfeFold(model.calendar, "Testshire", model.scenario.uasc ? names.id(model.scenario.uasc.via) : -1)
  for (const e of events) fold.take(recordOf(e, names))
  return fold.finish()
}

/** Every event of the log passes the replay's state check. */
const checked = (model: Model, events: ReadonlyArray<CaseEvent>): Array<string> => {
  const check = new StateCheck(model)
  return events.flatMap((e, i) => {
    const problem = check.check(e)
    return problem === null ? [] : [`line ${i + 1}: ${problem}`]
  })
}

describe("history before the run", () => {
  it("makes the plans of children with a previous plan second or subsequent from the first year", () => {
    const n = 4000
    const model = tinyModel({
      years: 2,
      levels: { child_in_need: { duration: fixed(100), outcomes: [{ to: "child_protection", probability: 1 }] } },
      startingCaseload: [
        {
          level: "child_in_need",
          count: n,
          ages: [5, 10],
          history: { previousCpPlans: { none: 0.7, one: 0.2, twoOrMore: 0.1 } }
        }
      ]
    })
    const { events } = runWithLedger(model, 3)
    const history = events.filter((e) => e._tag === "HistoryBeforeRun")
    // Each child's history follows their first line, and only children with one have it.
    for (const e of history) expect(e.previousCpPlans).toBeGreaterThan(0)
    const q = 0.3
    expect(Math.abs(history.length - n * q)).toBeLessThan(4 * Math.sqrt(n * q * (1 - q)))
    const twoOrMore = history.filter((e) => e.previousCpPlans === 2).length
    expect(Math.abs(twoOrMore - n * 0.1)).toBeLessThan(4 * Math.sqrt(n * 0.1 * 0.9))
    // Every child starts a plan on day 100: those with a previous one are the second or subsequent plans.
    const [y] = dfeOf(model, events).cp
    expect(y.started).toBe(n)
    expect(y.subsequent).toBe(history.length)
    expect(checked(model, events)).toEqual([])
  })

  it("counts a plan begun in the run after one in progress at the start as a second plan", () => {
    // A plan in progress for 100 days from the start, closed, re-referred 30 days later, a plan again.
    const model = tinyModel({
      years: 1,
      referrals: {
        reReferral: { probability: 1, after: fixed(30) },
        frontDoor: [{ to: "child_protection", probability: 1 }]
      },
      levels: { child_protection: { duration: fixed(100), outcomes: [{ to: "universal", probability: 1 }] } },
      startingCaseload: [{ level: "child_protection", count: 10, ages: [3, 8], elapsed: fixed(0) }],
      history: {}
    })
    const { events } = runWithLedger(model, 1)
    const plans = events.filter((e) => e._tag === "LevelChanged" && e.to === "child_protection")
    expect(plans.length).toBeGreaterThan(0)
    const [y] = dfeOf(model, events).cp
    expect(y.started).toBe(plans.length)
    expect(y.subsequent).toBe(plans.length)
    // None has a history before the run to log.
    expect(events.some((e) => e._tag === "HistoryBeforeRun")).toBe(false)
  })

  it("gives new referrals with a previous plan the relative risks of a plan and of a re-referral", () => {
    const model = tinyModel({
      years: 3,
      population: { children: 100_000 },
      referrals: {
        ratePer10k: 400,
        ageAtReferral: [
          { ages: [0, 15], share: 1 },
          { ages: [16, 17], share: 0 }
        ],
        frontDoor: [
          { to: "child_protection", probability: 0.2 },
          { to: "universal", probability: 0.8, reason: "no_further_action" }
        ],
        reReferral: { probability: 0.2, after: fixed(400) }
      },
      levels: { child_protection: { duration: fixed(50), outcomes: [{ to: "universal", probability: 1 }] } },
      history: {
        newReferrals: { previousCpPlans: { none: 0.75, one: 0.25 } },
        previousCpPlan: { toChildProtection: 3, reReferral: 2.5 }
      }
    })
    const { events } = runWithLedger(model, 7)
    const withHistory = new Set(events.flatMap((e) => (e._tag === "HistoryBeforeRun" ? [e.child] : [])))
    // The front door's first decision on each new referral.
    const decided = new Map<number, boolean>()
    for (const e of events) {
      if (e._tag === "LevelChanged" && e.from === "universal" && !decided.has(e.child))
        decided.set(e.child, e.to === "child_protection")
      if (e._tag === "CaseClosed" && e.from === "universal" && !decided.has(e.child)) decided.set(e.child, false)
    }
    const share = (keep: (c: number) => boolean) => {
      const xs = [...decided].filter(([c]) => keep(c))
      return { n: xs.length, p: xs.filter(([, cp]) => cp).length / xs.length }
    }
    const before = share((c) => withHistory.has(c))
    const none = share((c) => !withHistory.has(c))
    const pBefore = 0.6 / (0.6 + 0.8)
    expect(Math.abs(before.p - pBefore)).toBeLessThan(4 * Math.sqrt((pBefore * (1 - pBefore)) / before.n))
    expect(Math.abs(none.p - 0.2)).toBeLessThan(4 * Math.sqrt((0.2 * 0.8) / none.n))
    // Re-referrals after a closure: 0.2 for a child who never had a plan, 0.5 for one who had.
    const closedAt = new Map<number, { t: number; plan: boolean }>()
    const planned = new Set(withHistory)
    const tries = [0, 0]
    const back = [0, 0]
    const horizon = model.calendar.horizon
    for (const e of events) {
      if (e._tag === "LevelChanged" && e.to === "child_protection") planned.add(e.child)
      if (e._tag === "CaseClosed" && e.to === "universal" && e.time + 400 < horizon && !closedAt.has(e.child)) {
        closedAt.set(e.child, { t: e.time, plan: planned.has(e.child) })
        tries[planned.has(e.child) ? 1 : 0]++
      }
      if (e._tag === "ChildReferred" && e.reReferral) {
        const c = closedAt.get(e.child)
        if (c !== undefined && e.time === c.t + 400) back[c.plan ? 1 : 0]++
      }
    }
    for (const [k, p] of [
      [0, 0.2],
      [1, 0.5]
    ] as const)
      expect(Math.abs(back[k] / tries[k] - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / tries[k]))
    expect(checked(model, events)).toEqual([])
  })

  it("weights the moves into care and protection by their relative risks, with one uniform", () => {
    const d = (to: number): Destination => ({ to, via: -1, closure: -1, leftCare: -1, stay: -1 })
    // universal 0.5, child protection (4) 0.3, looked after (5) 0.2
    const table = makeChoice([d(0), d(4), d(5)], [0.5, 0.3, 0.2])
    const share = (cp: number, care: number) => {
      const counts = [0, 0, 0]
      const n = 10_000
      for (let i = 0; i < n; i++) counts[[0, 4, 5].indexOf(chooseWithRisk(table, (i + 0.5) / n, cp, care).to)]++
      return counts.map((c) => c / n)
    }
    const close = (xs: ReadonlyArray<number>, ys: ReadonlyArray<number>) =>
      xs.forEach((x, i) => expect(x).toBeCloseTo(ys[i], 3))
    close(share(1, 1), [0.5, 0.3, 0.2])
    close(share(2, 1), [0.5 / 1.3, 0.6 / 1.3, 0.2 / 1.3])
    close(share(1, 3), [0.5 / 1.4, 0.3 / 1.4, 0.6 / 1.4])
    close(share(0, 0), [1, 0, 0])
    // A risk so small that its weight is the least double: still only rows with a weight are chosen (a
    // generated scenario once closed a case by a row of probability 0 after the sum rounded).
    const onlyCare = makeChoice([d(5), d(0)], [1, 0])
    for (const u of [0, 0.25, 0.5, 0.75, 0.999999])
      expect(chooseWithRisk(onlyCare, u, 1, Number.MIN_VALUE).to, `u = ${u}`).toBe(5)
  })

  it("writes table D3 as DfE does", () => {
    const model = tinyModel({
      years: 1,
      levels: { child_in_need: { duration: fixed(100), outcomes: [{ to: "child_protection", probability: 1 }] } },
      startingCaseload: [
        { level: "child_in_need", count: 10, ages: [5, 10], history: { previousCpPlans: { one: 1 } } },
        { level: "child_in_need", count: 30, ages: [5, 10] }
      ]
    })
    const { events } = runWithLedger(model, 1)
    const lines = cpSubsequentCsv(dfeOf(model, events)).trim().split("\n")
    expect(lines[0]).toBe(
      "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name," +
        "old_la_code,new_la_code,la_name,category,CPP_start,CPP_subsequent,CPP_subsequent_percent"
    )
    expect(lines[1]).toBe(
      "2026,Reporting year,Local authority,E92000001,England,,,,,Testshire," +
        "Child Protection Plans which are a second or subsequent plan,40,10,25"
    )
  })

  it("refuses shares that do not add up to 1, a UASC group without uasc, and a history out of place", () => {
    const bad = (o: Parameters<typeof tinyEncoded>[0]) => {
      const r = decodeScenario("bad.yaml", tinyEncoded(o))
      return r._tag === "Left" ? r.left.message : ""
    }
    expect(
      bad({
        startingCaseload: [
          { level: "child_in_need", count: 1, ages: [5, 5], history: { previousCpPlans: { one: 0.5 } } }
        ]
      })
    ).toMatch(/startingCaseload\[0\]\.history\.previousCpPlans.*add up to 1, found 0\.5/s)
    expect(bad({ history: { newReferrals: { previousCareEpisodes: { none: 0.9, one: 0.2 } } } })).toMatch(
      /history\.newReferrals\.previousCareEpisodes/
    )
    expect(
      bad({ startingCaseload: [{ level: "looked_after", placement: "kinship", count: 1, ages: [5, 5], uasc: true }] })
    ).toMatch(/needs uasc/)
    // A history line anywhere but right after the child's first line is refused by the replay's check.
    const model = tinyModel({
      years: 1,
      startingCaseload: [{ level: "child_in_need", count: 2, ages: [5, 10], history: { previousCpPlans: { one: 1 } } }]
    })
    const { events } = runWithLedger(model, 1)
    const moved = [...events]
    const i = moved.findIndex((e) => e._tag === "HistoryBeforeRun")
    moved.push(...moved.splice(i, 1))
    const problems = checked(
      model,
      moved.sort((a, b) => a.time - b.time)
    )
    expect(problems.join("\n")).toMatch(/history before the run comes right after the child's first line/)
  })
})
