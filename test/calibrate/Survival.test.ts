/**
 * The survival estimators against values worked out by hand and against R's `survival` package (3.5), whose
 * output for a fixed data set of 80 left-truncated, censored periods with three exit routes is stored in
 * fixtures/survival.json by fixtures/survival.R.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { aalenJohansen, kaplanMeier, type Observation, quantile, survivalAt } from "../../src/calibrate/Survival.js"

interface Reference {
  readonly entry: ReadonlyArray<number>
  readonly exit: ReadonlyArray<number>
  readonly cause: ReadonlyArray<number>
  readonly km: Record<"time" | "n_risk" | "n_event" | "surv" | "std_err" | "lower" | "upper", ReadonlyArray<number>>
  readonly quantiles: Record<"probs" | "value" | "lower" | "upper", ReadonlyArray<number | null>>
  readonly aj: {
    readonly times: ReadonlyArray<number>
    readonly cif: ReadonlyArray<ReadonlyArray<number>>
    readonly std_err: ReadonlyArray<ReadonlyArray<number>>
  }
}

const ref = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, "fixtures/survival.json"), "utf8")) as Reference
const data: Array<Observation> = ref.entry.map((entry, i) => ({ entry, exit: ref.exit[i], cause: ref.cause[i] }))

describe("Kaplan-Meier", () => {
  it("gives the hand-worked curve of five periods, one censored and one left-truncated", () => {
    // Times 2 (event), 3 (censored), 5 (event), 5 (event, entered at 4), 8 (event).
    const km = kaplanMeier([
      { entry: 0, exit: 2, cause: 1 },
      { entry: 0, exit: 3, cause: 0 },
      { entry: 0, exit: 5, cause: 1 },
      { entry: 4, exit: 5, cause: 2 },
      { entry: 0, exit: 8, cause: 1 }
    ])
    const events = km.steps.filter((s) => s.events > 0)
    // t=2: 4 at risk (the late entrant not yet), S = 3/4; t=5: 3 at risk (the censored one gone, the entrant
    // in), 2 events, S = 3/4 * 1/3 = 1/4; t=8: 1 at risk, S = 0.
    expect(events.map((s) => [s.time, s.atRisk, s.events])).toEqual([
      [2, 4, 1],
      [5, 3, 2],
      [8, 1, 1]
    ])
    expect(events.map((s) => s.survival)).toEqual([0.75, 0.25, 0])
    // Greenwood: 1/(4*3) then + 2/(3*1).
    expect(events[1].greenwood).toBeCloseTo(1 / 12 + 2 / 3, 14)
    expect(survivalAt(km, 4)?.survival).toBe(0.75)
    expect(quantile(km).value).toBe(5)
  })

  it("matches R's survfit at every time: at risk, events, S(t), Greenwood's error and the log interval", () => {
    const km = kaplanMeier(data)
    expect(km.steps.map((s) => s.time)).toEqual(ref.km.time)
    expect(km.steps.map((s) => s.atRisk)).toEqual(ref.km.n_risk)
    expect(km.steps.map((s) => s.events)).toEqual(ref.km.n_event)
    km.steps.forEach((s, i) => {
      expect(s.survival).toBeCloseTo(ref.km.surv[i], 12)
      if (ref.km.std_err[i] !== null && Number.isFinite(s.greenwood)) {
        expect(Math.sqrt(s.greenwood)).toBeCloseTo(ref.km.std_err[i], 12)
        expect(s.lower).toBeCloseTo(ref.km.lower[i], 12)
        expect(s.upper).toBeCloseTo(ref.km.upper[i], 12)
      }
    })
  })

  it("matches R's quantiles of the curve and their intervals", () => {
    const km = kaplanMeier(data)
    ref.quantiles.probs.forEach((p, i) => {
      const q = quantile(km, p ?? 0)
      expect([q.value, q.lower, q.upper]).toEqual([
        ref.quantiles.value[i],
        ref.quantiles.lower[i],
        ref.quantiles.upper[i]
      ])
    })
  })

  it("is the same whatever the order of the observations", () => {
    const a = kaplanMeier(data)
    const b = kaplanMeier([...data].reverse())
    expect(b.steps).toEqual(a.steps)
  })

  it("refuses an observation that ends before it begins", () => {
    expect(() => kaplanMeier([{ entry: 3, exit: 3, cause: 1 }])).toThrow(/exit 3 <= entry 3/)
  })
})

describe("Aalen-Johansen", () => {
  it("gives the hand-worked cumulative incidence of two competing routes", () => {
    // 4 periods: route 1 at t=1, route 2 at t=2, censored at 3, route 1 at 4.
    const aj = aalenJohansen(
      [
        { entry: 0, exit: 1, cause: 1 },
        { entry: 0, exit: 2, cause: 2 },
        { entry: 0, exit: 3, cause: 0 },
        { entry: 0, exit: 4, cause: 1 }
      ],
      2
    )
    // F1(4) = 1/4 + S(4-) * 1/1 where S(4-) = 3/4 * 2/3 = 1/2: 3/4. F2 = 3/4 * 1/3 = 1/4.
    const [f1, f2] = aj.at(4)
    expect(f1.value).toBeCloseTo(0.75, 14)
    expect(f2.value).toBeCloseTo(0.25, 14)
    expect(f1.value + f2.value).toBeCloseTo(1, 14)
  })

  it("matches R's cumulative incidences (survfit, multi-state) and, within 15%, its standard errors", () => {
    const aj = aalenJohansen(data, 3)
    ref.aj.times.forEach((t, i) => {
      const got = aj.at(t)
      for (let k = 0; k < 3; k++) {
        expect(got[k].value).toBeCloseTo(ref.aj.cif[k][i], 12)
        // R gives the infinitesimal jackknife's standard error; the delta method's agrees to within a few percent.
        expect(Math.sqrt(got[k].variance) / ref.aj.std_err[k][i]).toBeGreaterThan(0.85)
        expect(Math.sqrt(got[k].variance) / ref.aj.std_err[k][i]).toBeLessThan(1.15)
      }
    })
  })

  it("adds up, with the Kaplan-Meier survival, to one at every time", () => {
    const aj = aalenJohansen(data, 3)
    const km = kaplanMeier(data)
    for (const t of [50, 200, 400, 900]) {
      const sum = aj.at(t).reduce((s, f) => s + f.value, 0)
      expect(sum + (survivalAt(km, t)?.survival ?? 1)).toBeCloseTo(1, 12)
    }
  })
})
