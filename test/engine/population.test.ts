/**
 * The population by single year of age and its projection (`population.byAge`, `population.projection`):
 * referrals by age follow the population's age structure, as worked out by hand. A borough of 10-year-olds
 * only, projected to double, doubles its referrals (linearly between the points: the monthly counts match
 * the integral of the rate, Poisson within 4.5 standard deviations) and every referral is 10; a younger
 * cohort that triples shifts the referral ages to it in the proportion the rates per child give.
 */
import { describe, expect, it } from "vitest"
import type { CaseEvent } from "../../src/domain/Event.js"
import { linearAt } from "../../src/model/Demand.js"
import { runEvents } from "../support/run.js"
import { tinyModel } from "../support/tiny.js"

const only = (ages: Record<number, number>): Array<number> => Array.from({ length: 18 }, (_, a) => ages[a] ?? 0)
const z = (n: number, mean: number, variance: number) => (n - mean) / Math.sqrt(variance)
/** A new referral's age on the day, in whole years. */
const ageOf = (e: CaseEvent & { _tag: "ChildReferred" }) => Math.floor((e.time - e.dateOfBirth) / 365.25)
const newReferrals = (events: ReadonlyArray<CaseEvent>) =>
  events.flatMap((e) => (e._tag === "ChildReferred" && !e.reReferral ? [e] : []))

describe("referrals follow the population by age", () => {
  const tens = (projection?: ReadonlyArray<Record<string, unknown>>) =>
    tinyModel({
      years: 2,
      population: {
        children: 10_000,
        byAge: only({ 10: 10_000 }),
        ...(projection === undefined ? {} : { projection: projection as never })
      },
      referrals: {
        ratePer10k: 7305, // 20 referrals a day at the start
        ageAtReferral: [
          { ages: [0, 9], share: 0 },
          { ages: [10, 10], share: 1 },
          { ages: [11, 17], share: 0 }
        ]
      }
    })

  it("a population of 10-year-olds projected to double over the run doubles the referrals, linearly", () => {
    const model = tens([{ date: "2027-04-01", byAge: only({ 10: 20_000 }) }])
    const cal = model.calendar
    const T = cal.horizon
    // The rate: 20 a day x (1 + t / T); its integral over a month.
    const integral = (a: number, b: number) => 20 * (b - a + (b * b - a * a) / (2 * T))
    let chi2 = 0
    for (const seed of [1, 2]) {
      const referrals = newReferrals(runEvents(model, seed).events)
      for (const e of referrals) expect(ageOf(e)).toBe(10)
      for (const m of cal.months) {
        const n = referrals.filter((e) => e.time >= m.start && e.time < m.end).length
        const expected = integral(m.start, m.end)
        const zm = z(n, expected, expected)
        expect(Math.abs(zm), `${m.label}: ${n} against ${expected.toFixed(1)}`).toBeLessThan(4.5)
        chi2 += zm * zm
      }
    }
    // The population's index on the rate: 1 at the start, 2 at the end of the run.
    expect(linearAt(model.arrivals.index!, 0)).toBe(1)
    expect(linearAt(model.arrivals.index!, T)).toBe(2)
    // 48 month counts: a chi-square with 48 degrees of freedom is below 85 with probability 0.999.
    expect(chi2).toBeLessThan(85)
  })

  it("doubled from the second day (a multiple of the start), the run has twice the referrals", () => {
    const base = newReferrals(runEvents(tens(), 3).events).length
    const doubled = newReferrals(runEvents(tens([{ date: "2025-04-02", multiplier: 2 }]), 3).events).length
    const T = tens().calendar.horizon
    expect(Math.abs(z(base, 20 * T, 20 * T))).toBeLessThan(4.5)
    // Linear from 1 to 2 over the first day, then 2.
    const expected = 20 * (2 * T - 0.5)
    expect(Math.abs(z(doubled, expected, expected))).toBeLessThan(4.5)
  })

  it("a cohort that triples draws the referral ages towards it, as the rates per child say", () => {
    // Children aged 5 and 12 only, half of the referrals in each band at the start; from 30 September the
    // 5-year-olds are three times as many: the band 0-7 then has 3 x its rate, so 0.75 of the referrals,
    // and the whole rate is twice the start's.
    const model = tinyModel({
      years: 1,
      population: {
        children: 2000,
        byAge: only({ 5: 1000, 12: 1000 }),
        projection: [{ date: "2025-09-30", byAge: only({ 5: 3000, 12: 1000 }) }]
      },
      referrals: {
        ratePer10k: 36_525, // 20 a day at the start
        ageAtReferral: [
          { ages: [0, 7], share: 0.5 },
          { ages: [8, 17], share: 0.5 }
        ]
      }
    })
    const cal = model.calendar
    const from = cal.dayOf("2025-09-30")
    const referrals = newReferrals(runEvents(model, 4).events)
    for (const e of referrals) expect([5, 12]).toContain(ageOf(e))
    const late = referrals.filter((e) => e.time >= from)
    const days = cal.horizon - from
    expect(Math.abs(z(late.length, 40 * days, 40 * days))).toBeLessThan(4.5)
    const young = late.filter((e) => ageOf(e) === 5).length
    expect(Math.abs(z(young, 0.75 * late.length, 0.75 * 0.25 * late.length))).toBeLessThan(4.5)
    // Before the projection's point, the two ages halve the referrals between them (linear in between: the
    // first month, to 1 May, is within 2% of even).
    const first = referrals.filter((e) => e.time < cal.dayOf("2025-05-01"))
    const youngFirst = first.filter((e) => ageOf(e) === 5).length
    expect(Math.abs(z(youngFirst, 0.52 * first.length, 0.25 * first.length))).toBeLessThan(4.5)
  })

  it("without byAge and projection, the referral ages are drawn as before (byte-identical logs)", () => {
    const plain = tinyModel({ years: 1, referrals: { ratePer10k: 2000 } })
    expect(plain.referralAges).toBeNull()
    expect(plain.arrivals.index).toBeNull()
    expect(plain.contacts).toBeNull()
  })
})
