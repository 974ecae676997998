/**
 * Ages within a band (`within` in referrals.ageAtReferral and the starting caseload): an under-1 profile
 * in weeks gives the mean age at referral its law says (the band's uniform age is six months), ages stay
 * inside their band, and a scenario without `within` draws exactly what it drew before (one draw either way).
 */
import { describe, expect, it } from "vitest"
import type { CaseEvent } from "../../src/domain/Event.js"
import { runEvents } from "../support/run.js"
import { tinyModel } from "../support/tiny.js"

const SEED = 11
const referralAges = (events: ReadonlyArray<CaseEvent>): Array<number> =>
  events.flatMap((e) => (e._tag === "ChildReferred" && !e.reReferral ? [e.time - e.dateOfBirth] : []))
const mean = (xs: ReadonlyArray<number>) => xs.reduce((a, b) => a + b, 0) / xs.length

describe("ages within a band", () => {
  it("draws under-1s from their own profile (in weeks), inside the band", () => {
    const model = tinyModel({
      population: { children: 100_000 },
      referrals: {
        ratePer10k: 500,
        ageAtReferral: [
          { ages: [0, 0], share: 0.5, within: { type: "exponential", mean: 6, unit: "weeks" } },
          { ages: [1, 17], share: 0.5 }
        ]
      }
    })
    const ages = referralAges(runEvents(model, SEED).events)
    const infants = ages.filter((a) => a < 365)
    expect(infants.length).toBeGreaterThan(2000)
    // Exponential with mean 42 days, a day past birth, cut at the end of the year (a negligible tail);
    // dates of birth are whole days (floor), so ages are on average half a day more.
    const expected = 1 + 42 + 0.5
    const se = 42 / Math.sqrt(infants.length)
    expect(Math.abs(mean(infants) - expected)).toBeLessThan(4 * se)
    expect(Math.min(...infants)).toBeGreaterThanOrEqual(1)
    // The uniform default over [1, 17]: no child of 18 or under 1.
    const older = ages.filter((a) => a >= 365)
    expect(Math.max(...older)).toBeLessThan(18 * 365.25)
  })

  it("keeps the uniform age of a band without a profile (about six months for [0, 0])", () => {
    const model = tinyModel({
      population: { children: 100_000 },
      referrals: {
        ratePer10k: 500,
        ageAtReferral: [
          { ages: [0, 0], share: 0.5 },
          { ages: [1, 17], share: 0.5 }
        ]
      }
    })
    const ages = referralAges(runEvents(model, SEED).events).filter((a) => a < 365)
    expect(Math.abs(mean(ages) - 182.6)).toBeLessThan((4 * 105) / Math.sqrt(ages.length))
  })

  it("gives the starting caseload's under-1s their profile", () => {
    const model = tinyModel({
      startingCaseload: [
        { level: "child_protection", count: 3000, ages: [0, 0], within: { type: "fixed", value: 10, unit: "weeks" } }
      ]
    })
    const opening = runEvents(model, SEED).events.filter((e) => e._tag === "CaseOpenAtStart")
    // 71 days old (a day past birth plus ten weeks), born on a whole day: 71 or 72 days before the start.
    for (const e of opening) expect([-71, -72]).toContain(e.dateOfBirth)
  })
})
