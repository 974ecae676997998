/**
 * Sibling groups in the opening caseload (`startingCaseload[].families`, src/engine/StartingCaseload.ts): an
 * exact trace of the families a group opens in; the group's ages unchanged by families and each eldest the
 * oldest; a team and a service counting families from the first day; the ledger folded from the log alone
 * gives the run's figures; the state check on a sibling open at the start; and the scenario's problems.
 */
import { describe, expect, it } from "vitest"
import { transitionOf, type CaseEvent, type SiblingReferred } from "../../src/domain/Event.js"
import { compileModel, type Model } from "../../src/model/Model.js"
import { workforceOf } from "../../src/projections/Workforce.js"
import type { ScenarioEncoded } from "../../src/scenario/Scenario.js"
import { decodeValid } from "../support/arbitraries.js"
import { foldLedger, runEvents, runWithLedger } from "../support/run.js"
import { firstRefused } from "../support/stateCheck.js"
import { tinyEncoded, type TinyOverrides } from "../support/tiny.js"
import { errorOf } from "../scenario/helpers.js"
import { stringify } from "yaml"

const SEED = 20250401
const exponential = (mean: number) => ({ type: "exponential" as const, mean })
type Group = NonNullable<ScenarioEncoded["startingCaseload"]>[number]
type FamiliesEncoded = NonNullable<ScenarioEncoded["referrals"]["families"]>

const families = (size: readonly [number, ...Array<number>]): FamiliesEncoded => ({
  rateCounts: "families",
  size,
  spacing: { type: "fixed", value: 2, unit: "years" },
  correlation: 1,
  placedTogether: 1
})

/** The tiny scenario (no new referrals) with sibling groups of the given sizes and an opening caseload. */
const encoded = (size: readonly [number, ...Array<number>], groups: ReadonlyArray<Group>, o: TinyOverrides = {}) =>
  tinyEncoded({
    years: 1,
    ...o,
    referrals: { families: families(size), ...o.referrals },
    levels: {
      intensive_family_support: { duration: exponential(120), outcomes: [{ to: "universal", probability: 1 }] },
      ...o.levels
    },
    startingCaseload: [...groups]
  })
const modelOf = (e: ScenarioEncoded, years?: number): Model => compileModel(decodeValid(e), years)

const ifsGroup = (count: number, extra: Partial<Group> = {}): Group => ({
  level: "intensive_family_support",
  count,
  ages: [2, 15],
  families: true,
  ...extra
})

const dobs = (events: ReadonlyArray<CaseEvent>): Map<number, number> =>
  new Map(events.flatMap((e) => (e._tag === "CaseOpenAtStart" ? [[e.child, e.dateOfBirth] as const] : [])))

describe("an opening group in sibling groups", () => {
  it("opens family by family, each sibling logged right after their own opening: an exact trace", () => {
    // Families of 3; 7 children: 3 + 3 + 1 (the last cut to the children the group has left).
    const model = modelOf(encoded([0, 0, 1], [ifsGroup(7)]))
    const { events } = runEvents(model, SEED)
    const opening = events.filter((e) => e.time === 0 && (e._tag === "CaseOpenAtStart" || e._tag === "SiblingReferred"))
    expect(opening.map((e) => (e._tag === "SiblingReferred" ? `${e.child}<${e.family}` : `open ${e.child}`))).toEqual([
      "open 0",
      "open 1",
      "1<0",
      "open 2",
      "2<0",
      "open 3",
      "open 4",
      "4<3",
      "open 5",
      "5<3",
      "open 6"
    ])
    // Each family's eldest is the oldest; everyone is within the group's ages.
    const dob = dobs(events)
    for (const [c, f] of [
      [1, 0],
      [2, 0],
      [4, 3],
      [5, 3]
    ])
      expect(dob.get(c)!).toBeGreaterThanOrEqual(dob.get(f)!)
    for (const d of dob.values()) expect(-d / 365.25).toBeGreaterThanOrEqual(2)
    expect(firstRefused(model, events)).toBeNull()
  })

  it("has the ages of the same group without families (the family's ages drawn from the group's law)", () => {
    const n = 3000
    const mean = (fam: boolean) => {
      const model = modelOf(encoded([0.5, 0.3, 0.2], [ifsGroup(n, { families: fam, ages: [0, 17] })]))
      const ages = [...dobs(runEvents(model, SEED).events).values()].map((d) => -d / 365.25)
      return ages.reduce((a, b) => a + b, 0) / ages.length
    }
    // Uniform over 0-18 years: sd 5.2 years, so the mean of 3,000 is within 0.38 years 99.9% of the time.
    const sd = 18 / Math.sqrt(12)
    const bound = (3.3 * sd) / Math.sqrt(n)
    expect(Math.abs(mean(true) - 9)).toBeLessThan(bound)
    expect(Math.abs(mean(false) - 9)).toBeLessThan(bound)
  })

  it("is counted once a family from the first day by a team that counts families; the log alone says so", () => {
    const e = {
      ...encoded([0, 1], [ifsGroup(40)], { years: 1 }),
      workforce: [
        {
          name: "IFS team",
          budgetLine: "Early help",
          levels: ["intensive_family_support"] as const,
          counts: "families" as const,
          targetCaseload: 8,
          establishment: 4,
          permanentPerWeek: 800,
          agencyPerWeek: 1100
        }
      ],
      budgetLines: [{ name: "Early help" }]
    }
    const model = modelOf(e)
    const { events, totals } = runWithLedger(model, SEED)
    const team = workforceOf(totals)[0]
    // The month ends' families at IFS, from the log: 20 families of 2 at the start.
    const family = new Map<number, number>()
    const at = new Set<number>()
    const months = model.calendar.months
    const expected: Array<number> = []
    let m = 0
    for (const ev of events) {
      while (m < months.length && ev.time >= months[m].end) {
        expected.push(new Set([...at].map((c) => family.get(c) ?? c)).size)
        m++
      }
      if (ev._tag === "SiblingReferred") family.set(ev.child, ev.family)
      const move = transitionOf(ev)
      if (move === null) continue
      if (move.to === "intensive_family_support") at.add(ev.child)
      else at.delete(ev.child)
    }
    while (m++ < months.length) expected.push(new Set([...at].map((c) => family.get(c) ?? c)).size)
    expect([...team.monthEndChildren]).toEqual(expected)
    // 20 families of 2 at the start: at most 20 families (counting children, about 36 would be left).
    expect(expected[0]).toBeLessThanOrEqual(20)
    expect(team.children[0]).toBeLessThanOrEqual(20)
    expect(team.children[0]).toBeGreaterThan(15)
    // Folded from the log alone (a replay), the same figures.
    const replayed = foldLedger(model, events)
    expect([...workforceOf(replayed)[0].monthEndChildren]).toEqual([...team.monthEndChildren])
    expect([...workforceOf(replayed)[0].children]).toEqual([...team.children])
  })

  it("takes one place a family in a service that counts families: 12 families of 2 leave 2 of 14 places", () => {
    // The first family referred after the start finds a place only if the opening families took one each.
    const firstReferralWaits = (counts: "families" | "children") => {
      const e = encoded([0, 1], [ifsGroup(24)], {
        referrals: {
          ratePer10k: 600,
          frontDoor: [{ to: "intensive_family_support", probability: 1 }]
        },
        levels: {
          intensive_family_support: { duration: exponential(5000), outcomes: [{ to: "universal", probability: 1 }] }
        },
        services: [
          { name: "IFS places", level: "intensive_family_support", places: 14, whenFull: { action: "wait" }, counts }
        ]
      })
      const { events } = runEvents(modelOf(e), SEED)
      const first = events.find((ev) => ev._tag === "ChildReferred" && ev.time > 0)!
      return events.some((ev) => ev._tag === "WaitingListJoined" && ev.child === first.child)
    }
    expect(firstReferralWaits("families")).toBe(false)
    expect(firstReferralWaits("children")).toBe(true)
  })
})

describe("the state check on a sibling open at the start", () => {
  const model = modelOf(encoded([0, 1], [ifsGroup(2), { level: "child_in_need", count: 1, ages: [3, 4] }, ifsGroup(2)]))
  const { events } = runEvents(model, SEED)
  const sib = events.findIndex((e) => e._tag === "SiblingReferred" && e.child === 1)
  const e = events[sib] as SiblingReferred

  it("passes the engine's log", () => {
    expect(sib).toBe(2)
    expect(firstRefused(model, events)).toBeNull()
  })

  it("refuses a family at another level, a sibling older than the eldest, or one logged late", () => {
    // Child 4 (the last group) put in child 2's family: child 2 is at child_in_need.
    const four = events.findIndex((x) => x._tag === "SiblingReferred" && x.child === 4)
    expect(firstRefused(model, [...events.slice(0, four), { ...(events[four] as SiblingReferred), family: 2 }])).toBe(
      "child 4 opens at the start in child 2's family, but not at child 2's level and placement"
    )
    const older = events.map((x, i) =>
      i === sib - 1 && x._tag === "CaseOpenAtStart" ? { ...x, dateOfBirth: -9000 } : x
    )
    expect(firstRefused(model, older)).toMatch(
      /^child 1 \(born day -9000\) is older than their family's eldest, child 0/
    )
    // Moved after the next child's opening: no longer right after child 1's own.
    const late = [...events.slice(0, sib), events[sib + 1], e, ...events.slice(sib + 2)]
    expect(events[sib + 1]._tag).toBe("CaseOpenAtStart")
    expect(firstRefused(model, late)).toBe(
      "child 1's SiblingReferred does not come right after their own first referral or opening"
    )
  })

  it("refuses a second copy of a sibling's family, at the copy", () => {
    // The sibling line leaves room for the child's history before the run; it is no room for the line again.
    const twice = [...events.slice(0, sib + 1), e, ...events.slice(sib + 1)]
    expect(firstRefused(model, twice)).toBe("child 1's family (child 0's) is already given")
  })
})

describe("families in a starting group of a scenario file", () => {
  const problems = (groups: ReadonlyArray<Group>, withFamilies = true) => {
    const e = encoded([0, 1], groups)
    const { families: _drop, ...referrals } = e.referrals
    const text = stringify(withFamilies ? e : { ...e, referrals })
    return errorOf(text).problems.map((p) => [p.path, p.message])
  }

  it("refuses them for closed cases, UASC, or without referrals.families", () => {
    expect(problems([{ level: "universal", count: 3, ages: [0, 17], families: true }])).toEqual([
      ["startingCaseload[0].families", "sibling groups open at the start are at a level: closed cases have none"]
    ])
    expect(problems([ifsGroup(3)], false)).toEqual([
      [
        "startingCaseload[0].families",
        "sibling groups in the opening caseload take their sizes from referrals.families, found none"
      ]
    ])
  })
})
