/**
 * Known rates -> synthetic SSDA903 files -> estimates: each recovered within a tolerance derived from the
 * sample size (four standard errors, the estimate's own: its 95% interval's half-width / 1.96, or the
 * Poisson error of the true rate over the exposure), and the children in care on the last day exactly.
 */
import { describe, expect, it } from "vitest"
import { calibrationTable, type Estimate, type Window } from "../../src/calibrate/Estimates.js"
import { kaplanMeier, survivalAt } from "../../src/calibrate/Survival.js"
import { daysFromCivil } from "../../src/domain/Calendar.js"
import type { Histories } from "../../src/ssda903/Clean.js"
import { DEFAULT_TRUTH, readReturnFiles, synthetic, type Synthetic } from "../support/ssda903.js"

export const historiesOf = (s: Synthetic, la: string | null = null): Histories => readReturnFiles(s.files, la)

const find = (table: ReadonlyArray<Estimate>, measure: string, breakdown: string): Estimate => {
  const e = table.find((x) => x.measure === measure && x.breakdown === breakdown)
  if (e === undefined) throw new Error(`no estimate ${measure} / ${breakdown}`)
  return e
}

/** Within four of the estimate's own standard errors (from its 95% interval). */
const withinOwnError = (e: Estimate, truth: number) => {
  const se = ((e.upper ?? NaN) - (e.lower ?? NaN)) / (2 * 1.96)
  expect(se).toBeGreaterThan(0)
  expect(Math.abs(e.value - truth), `${e.measure} / ${e.breakdown}: ${e.value} vs ${truth} (se ${se})`).toBeLessThan(
    4 * se
  )
}

/** A rate within four Poisson standard errors of the truth over `years` of exposure. */
const withinPoisson = (e: Estimate, rate: number, years: number) => {
  const se = Math.sqrt(rate / years)
  expect(Math.abs(e.value - rate), `${e.breakdown}: ${e.value} vs ${rate} (se ${se})`).toBeLessThan(4 * se)
}

const truth = DEFAULT_TRUTH
const data = synthetic(truth)
const h = historiesOf(data)
const whole: Window = { from: h.from, to: h.to }
const table = calibrationTable(h, whole)
const YEAR = 365.25
const survives = (t: number) => Math.exp(-t / truth.meanDays)
const windowYears = (w: Window) => (w.to - w.from) / YEAR

describe("calibrate on synthetic returns from known rates", () => {
  it("reads clean synthetic returns without a problem", () => {
    expect(h.problems).toEqual([])
    expect(h.years).toEqual(truth.years)
  })

  it("recovers the entry rate, in all and by age band", () => {
    const years = windowYears(whole)
    withinPoisson(find(table, "entries to care per year", "all"), truth.entriesPerYear, years)
    const bands: Record<number, string> = { 0: "under 1", 3: "1 to 4", 7: "5 to 9", 11: "10 to 15" }
    for (const [age, share] of truth.ageShares) {
      withinPoisson(
        find(table, "entries to care per year", `age at entry ${bands[age]}`),
        truth.entriesPerYear * share,
        years
      )
      withinPoisson(find(table, "entries to care per year", `age at entry ${age}`), truth.entriesPerYear * share, years)
    }
    withinPoisson(find(table, "entries to care per year", "UASC"), truth.entriesPerYear * truth.uascShare, years)
    // A constant rate: the yearly trend's interval holds 1.
    const trend = find(table, "entries to care: yearly trend", "all")
    expect(trend.lower).toBeLessThan(1)
    expect(trend.upper).toBeGreaterThan(1)
  })

  it("recovers time in care (median, still in care after 1 and 2 years) despite left truncation and censoring", () => {
    withinOwnError(find(table, "time in care: median", "all"), truth.meanDays * Math.LN2)
    withinOwnError(find(table, "time in care: still in care after 1 year", "all"), survives(YEAR))
    withinOwnError(find(table, "time in care: still in care after 2 years", "all"), survives(2 * YEAR))
    // Time in care does not depend on age here: each band recovers the same curve.
    withinOwnError(find(table, "time in care: still in care after 1 year", "age at entry 5 to 9"), survives(YEAR))
  })

  it("fits the exponential law the stays were drawn from, and a Weibull shape of 1", () => {
    withinOwnError(find(table, "time in care: exponential law, mean", "all"), truth.meanDays)
    withinOwnError(find(table, "time in care: Weibull law, shape", "all"), 1)
    expect(find(table, "time in care: Weibull law, shape", "all").method).toMatch(/exponential preferred/)
  })

  it("recovers exit routes as competing risks: share_k (1 - S(t))", () => {
    const names: Record<string, string> = {
      E4A: "returned_home",
      E11: "adopted",
      E45: "special_guardianship",
      E8: "other"
    }
    for (const years of [1, 2])
      for (const [rec, share] of truth.routes)
        withinOwnError(
          find(table, `exit route: left care within ${years} year${years === 1 ? "" : "s"}`, names[rec]),
          share * (1 - survives(years * YEAR))
        )
    // Routes do not depend on age here: each band recovers the same incidence by 2 years.
    for (const band of ["under 1", "10 to 15"])
      withinOwnError(
        find(table, "exit route: left care within 2 years", `adopted, age at entry ${band}`),
        0.2 * (1 - survives(2 * YEAR))
      )
  })

  it("recovers placement moves per child-year", () => {
    for (const from of ["in_house_foster", "ifa_foster", "kinship", "external_residential"]) {
      const e = find(table, "placement moves", `${from} to any other`)
      const exposure = Number(/\(([\d.]+) child-years\)/.exec(e.unit)?.[1])
      withinPoisson(e, truth.movesPerYear, exposure)
    }
    const one = find(table, "placement moves", "kinship to ifa_foster")
    withinPoisson(one, truth.movesPerYear / 3, Number(/\(([\d.]+) child-years\)/.exec(one.unit)?.[1]))
  })

  it("counts exactly the children in care on the last day", () => {
    const last = data.end - 1
    const inCare = data.children.filter((c) =>
      c.episodes.some((e) => e.start <= last && (e.end === null || e.end > last))
    )
    expect(find(table, "children in care on 2022-03-31", "all").value).toBe(inCare.length)
    expect(find(table, "children in care on 2022-03-31", "UASC").value).toBe(inCare.filter((c) => c.uasc).length)
  })

  it("recovers time in care over a late window, where most periods are left-truncated", () => {
    const w: Window = { from: daysFromCivil(2020, 4, 1), to: h.to }
    const late = calibrationTable(h, w)
    withinOwnError(find(late, "time in care: still in care after 1 year", "all"), survives(YEAR))
    withinOwnError(find(late, "time in care: median", "all"), truth.meanDays * Math.LN2)
  })

  it("would be caught if left truncation were ignored: the naive curve is off by more than the tolerance", () => {
    // The periods in care at the window's start, seen from their start as if observed throughout: long stays
    // are over-represented (length bias), so S(1 year) comes out too high.
    const obs = h.children.flatMap((c) =>
      c.periods
        .filter((p) => p.start < h.from + 2 * YEAR && p.end.day > h.from + 2 * YEAR)
        .map((p) => ({ entry: 0, exit: p.end.day - p.start, cause: p.end._tag === "Ceased" ? 1 : 0 }))
    )
    const naive = survivalAt(kaplanMeier(obs), YEAR)
    const se = Math.sqrt(naive?.greenwood ?? 0) * (naive?.survival ?? 0)
    expect((naive?.survival ?? 0) - survives(YEAR)).toBeGreaterThan(4 * se)
  })

  it("reads the multi-LA shape, one council with --la, the same as a raw return of it", () => {
    const iso = synthetic(truth, { shape: "iso", las: ["A", "B"] })
    const a = historiesOf(iso, "A")
    expect(a.problems).toEqual([])
    const raw = historiesOf(synthetic(truth))
    // The same children, periods and ends (council A is simulated first from the same seed).
    expect(a.children.map((c) => [c.child, c.periods.length, c.periods[0].end])).toEqual(
      raw.children.map((c) => [c.child, c.periods.length, c.periods[0].end])
    )
    expect(() => historiesOf(iso)).toThrow(/rows of 2 councils .*choose one with --la/)
  })
})
