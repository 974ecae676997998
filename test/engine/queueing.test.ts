/**
 * Capacity-limited services against queueing theory, and Little's law on waiting lists.
 *
 * The scenario (test/support/queueing.ts): referrals arrive as a Poisson process at lambda a day, every
 * one opens at intensive family support, which is a service of c places; a child holds a place for an
 * exponential time (mean 1/mu days), then the case closes and nobody comes back. Children are referred at
 * age 0, so no 18th birthday cuts a wait or a stay short. With `whenFull: wait` this is M/M/c with a
 * first-come-first-served queue; with `whenFull: alternative` it is the loss system M/M/c/c.
 *
 * Time is scaled so that one service lasts a day on average (mu = 1, lambda = 8, c = 10, load 0.8): the
 * queue forgets its start within a few tens of days (the relaxation time of M/M/c at this load is about
 * 1 / (c mu (1 - sqrt(rho))^2) = 9 days), so a run of a few years holds many independent busy periods.
 *
 * Estimation. R replications (independent streams: makeStreams(seed, r)), each of Y years, starting with
 * round(lambda / mu) children in a place (near the steady state), and counting only children referred in
 * [50, horizon - 20): 50 days of warm-up are discarded, and a child referred in the last 20 days might
 * still be waiting at the horizon (the chance of a wait over 20 days is C e^(-(c mu - lambda) 20) ~ 1e-18).
 * Each replication gives one estimate; the replications' spread gives the standard error of their mean,
 * so autocorrelation within a run needs no model. Tolerance: |mean - theory| < 4 SE + a bias allowance
 * for what the replications' spread cannot see (the warm-up's remaining transient, the ratio estimator's
 * O(1/n) bias: both far below the allowance). With R = 16 the mean over SE is t-distributed with 15
 * degrees of freedom: a false alarm beyond 4 SE has a chance of about 0.1% (0.3% for the loss system's
 * 12 replications, 0.5% for the 8 with a fixed service time), and the seeds are fixed, so the test is
 * deterministic.
 *
 * Measured (seed 12345, 16 replications of 8 years, ~23,000 referrals each):
 *   P(wait)   0.4099 (SE 0.0032) vs Erlang C 0.4092              tolerance 4 SE + 0.002 = 0.015
 *   mean wait 0.2050 days (SE 0.0062) vs Wq = C / (c mu - lambda) = 0.2046   tolerance 0.027
 *   Lq        1.643 (SE 0.051) vs lambda Wq = 1.637 (time-average list length, from the ledger's fold)
 * and for the loss system (12 replications of 6 years): share sent to the alternative 0.1220 (SE 0.0018)
 * vs Erlang B 0.1217; with a fixed (not exponential) time in the service (8 replications), 0.1195
 * (SE 0.0020): Erlang B is insensitive to the service-time law.
 */
import { describe, expect, it } from "vitest"
import type { CaseEvent } from "../../src/domain/Event.js"
import { LEFT_OUTCOMES } from "../../src/projections/Services.js"
import { meanAndSe, mmcModel, mmcTheory, runMmc, SERVICE, type MmcRun } from "../support/queueing.js"
import { runWithLedger } from "../support/run.js"
import { tinyModel } from "../support/tiny.js"

const LAMBDA = 8
const MEAN_SERVICE = 1
const C = 10
/** M/M/c with a waiting list: R replications of YEARS years. */
const YEARS = 8
const R = 16
/** The loss system: fewer, shorter replications (a binary outcome per referral needs fewer). */
const LOSS_YEARS = 6
const LOSS_R = 12
const WARM_UP = 50
const TAIL = 20

const sum = (a: ArrayLike<number>): number => {
  let total = 0
  for (let i = 0; i < a.length; i++) total += a[i]
  return total
}

/** |estimate - theory| within 4 standard errors plus the bias allowance. */
const expectWithin = (label: string, est: { mean: number; se: number }, theory: number, bias: number) => {
  const tolerance = 4 * est.se + bias
  expect(
    Math.abs(est.mean - theory),
    `${label}: ${est.mean} (SE ${est.se}) vs ${theory}, tolerance ${tolerance}`
  ).toBeLessThan(tolerance)
}

describe("M/M/c: a service with c places and a first-come-first-served waiting list", () => {
  const theory = mmcTheory(LAMBDA, MEAN_SERVICE, C)
  const model = mmcModel({
    lambda: LAMBDA,
    meanService: MEAN_SERVICE,
    places: C,
    years: YEARS,
    whenFull: { action: "wait" },
    startWith: Math.round(LAMBDA * MEAN_SERVICE)
  })
  const from = WARM_UP
  const to = model.calendar.horizon - TAIL
  let memo: ReadonlyArray<MmcRun> | null = null
  const replications = () => (memo ??= Array.from({ length: R }, (_, r) => runMmc(model, 12345, r, from, to)))

  it("reproduces the Erlang C probability of waiting", () => {
    expect(theory.pWait).toBeCloseTo(0.4092, 4)
    // Bias allowance 0.002 (half a per cent of C).
    const runs = replications()
    expectWithin("P(wait)", meanAndSe(runs.map((r) => r.waited / r.arrivals)), theory.pWait, 0.002)
  })

  it("reproduces the mean wait Wq = C / (c mu - lambda)", () => {
    // Bias allowance 1% of Wq.
    const runs = replications()
    expectWithin(
      "mean wait",
      meanAndSe(runs.map((r) => r.waitDays / r.arrivals)),
      theory.meanWait,
      0.01 * theory.meanWait
    )
  })

  it(
    "Little's law: the time-average list length is lambda x Wq (statistically) " + "and arrivals x mean wait (per run)",
    () => {
      const runs = replications()
      const lq = runs.map((r) => {
        // The ledger's fold by month: skip the first two months (the warm-up), as whole months.
        const s = r.totals.services.services.find((x) => x.name === SERVICE)!
        const months = r.totals.calendar.months
        let days = 0
        let waiting = 0
        for (let m = 2; m < months.length; m++) {
          days += months[m].end - months[m].start
          waiting += s.waitingDays[m]
        }
        return waiting / days
      })
      expectWithin("Lq", meanAndSe(lq), theory.meanWaiting, 0.01 * theory.meanWaiting)
      // Within each run, the time-average length and (arrival rate x mean wait) measure the same thing
      // over slightly different windows (whole months from the third vs referrals in [50, T - 20)): they
      // agree far more closely than either agrees with the theory.
      runs.forEach((r, i) => {
        const lambdaWq = (r.arrivals / (to - from)) * (r.waitDays / r.arrivals)
        expect(Math.abs(lq[i] - lambdaWq) / lambdaWq).toBeLessThan(0.05)
      })
    }
  )

  it("the fold's joins and leaves match the events, and every leave is for a place", () => {
    for (const r of replications()) {
      const s = r.totals.services.services.find((x) => x.name === SERVICE)!
      const left = sum(s.left)
      const place = sum(
        Array.from(s.left).filter((_, k) => k % LEFT_OUTCOMES.length === LEFT_OUTCOMES.indexOf("place"))
      )
      expect(left).toBe(place)
      expect(sum(s.joined) - left).toBe(s.waitingAtMonthEnd[s.waitingAtMonthEnd.length - 1])
    }
  })
})

describe("M/M/c/c: a full service sends children to the alternative route", () => {
  const theory = mmcTheory(LAMBDA, MEAN_SERVICE, C)
  const loss = (duration: "exponential" | "fixed", seed: number, count: number) => {
    const base = mmcModel({
      lambda: LAMBDA,
      meanService: MEAN_SERVICE,
      places: C,
      years: LOSS_YEARS,
      whenFull: { action: "alternative", to: "child_in_need" },
      startWith: Math.round(LAMBDA * MEAN_SERVICE * (1 - theory.pBlocked))
    })
    const model =
      duration === "exponential"
        ? base
        : tinyModel({
            years: LOSS_YEARS,
            referrals: {
              ratePer10k: (LAMBDA * 365.25 * 10_000) / 1000,
              ageAtReferral: [
                { ages: [0, 0], share: 1 },
                { ages: [1, 17], share: 0 }
              ],
              frontDoor: [{ to: "intensive_family_support", probability: 1 }]
            },
            levels: {
              intensive_family_support: {
                duration: { type: "fixed", value: MEAN_SERVICE },
                outcomes: [{ to: "universal", probability: 1 }]
              }
            },
            services: [
              {
                name: SERVICE,
                level: "intensive_family_support",
                places: C,
                whenFull: { action: "alternative", to: "child_in_need" }
              }
            ]
          })
    return Array.from({ length: count }, (_, r) => runMmc(model, seed, r, WARM_UP, model.calendar.horizon - TAIL))
  }

  it("the share sent to the alternative is the Erlang B blocking probability", () => {
    expect(theory.pBlocked).toBeCloseTo(0.1217, 4)
    const runs = loss("exponential", 999, LOSS_R)
    expectWithin("P(blocked)", meanAndSe(runs.map((r) => r.blocked / r.arrivals)), theory.pBlocked, 0.002)
    // Nobody waits in a loss system.
    for (const r of runs) expect(r.waited).toBe(0)
  })

  it("and so it is with a fixed time in the service (Erlang B is insensitive to the service-time law)", () => {
    const runs = loss("fixed", 4242, 8)
    expectWithin(
      "P(blocked), fixed service",
      meanAndSe(runs.map((r) => r.blocked / r.arrivals)),
      theory.pBlocked,
      0.002
    )
  })
})

describe("Little's law on waiting lists: exact identities", () => {
  /** Total days waited, from the events alone: each stay on a list, up to the horizon if still on it. */
  const waitsFromEvents = (events: ReadonlyArray<CaseEvent>, horizon: number) => {
    const joined = new Map<number, number>()
    let completed = 0
    for (const e of events) {
      if (e._tag === "WaitingListJoined") joined.set(e.child, e.time)
      if (e._tag === "WaitingListLeft") {
        completed += e.time - joined.get(e.child)!
        joined.delete(e.child)
      }
    }
    let total = completed
    for (const t of joined.values()) total += horizon - t
    return { total, completed, stillWaiting: joined.size }
  }

  it("when the list starts and ends empty, the integral of its length is the sum of the waits", () => {
    // Heavy load (lambda 12 a day for 10 places) for two years, then no more referrals: the list drains.
    const model = tinyModel({
      years: 3,
      referrals: {
        ratePer10k: (12 * 365.25 * 10_000) / 1000,
        ageAtReferral: [
          { ages: [0, 0], share: 1 },
          { ages: [1, 17], share: 0 }
        ],
        frontDoor: [{ to: "intensive_family_support", probability: 1 }],
        changes: [{ from: "2027-04-01", multiplier: 0 }]
      },
      levels: {
        intensive_family_support: {
          duration: { type: "exponential", mean: 1 },
          outcomes: [{ to: "universal", probability: 1 }]
        }
      },
      services: [{ name: SERVICE, level: "intensive_family_support", places: 10, whenFull: { action: "wait" } }]
    })
    const { events, totals } = runWithLedger(model, 31)
    const s = totals.services.services.find((x) => x.name === SERVICE)!
    const w = waitsFromEvents(events, model.calendar.horizon)
    expect(w.stillWaiting).toBe(0)
    expect(sum(s.joined)).toBeGreaterThan(1000)
    expect(sum(s.joined)).toBe(sum(s.left))
    expect(s.waitingAtMonthEnd[s.waitingAtMonthEnd.length - 1]).toBe(0)
    const integral = sum(s.waitingDays)
    expect(integral).toBeGreaterThan(0)
    expect(Math.abs(integral - w.total) / w.total).toBeLessThan(1e-9)
    expect(Math.abs(sum(s.waitedDays) - w.completed) / w.completed).toBeLessThan(1e-9)
  })

  it(
    "with children still waiting at the end, the integral is the completed waits " +
      "plus the open ones to the horizon",
    () => {
      // Overloaded (lambda 12 a day for 10 places): the list grows to the end.
      const model = tinyModel({
        years: 1,
        referrals: {
          ratePer10k: (12 * 365.25 * 10_000) / 1000,
          ageAtReferral: [
            { ages: [0, 0], share: 1 },
            { ages: [1, 17], share: 0 }
          ],
          frontDoor: [{ to: "intensive_family_support", probability: 1 }]
        },
        levels: {
          intensive_family_support: {
            duration: { type: "exponential", mean: 1 },
            outcomes: [{ to: "universal", probability: 1 }]
          }
        },
        services: [{ name: SERVICE, level: "intensive_family_support", places: 10, whenFull: { action: "wait" } }]
      })
      const { events, totals } = runWithLedger(model, 32)
      const s = totals.services.services.find((x) => x.name === SERVICE)!
      const w = waitsFromEvents(events, model.calendar.horizon)
      expect(w.stillWaiting).toBeGreaterThan(100)
      expect(s.waitingAtMonthEnd[s.waitingAtMonthEnd.length - 1]).toBe(w.stillWaiting)
      expect(Math.abs(sum(s.waitingDays) - w.total) / w.total).toBeLessThan(1e-9)
      expect(Math.abs(sum(s.waitedDays) - w.completed) / w.completed).toBeLessThan(1e-9)
    }
  )

  it("month by month, the list length at each month end is the joins less the leaves so far", () => {
    const model = mmcModel({ lambda: 9, meanService: 1, places: 10, years: 1, whenFull: { action: "wait" } })
    const { totals } = runWithLedger(model, 33)
    const s = totals.services.services.find((x) => x.name === SERVICE)!
    let net = 0
    for (let m = 0; m < s.joined.length; m++) {
      net += s.joined[m]
      for (let k = 0; k < LEFT_OUTCOMES.length; k++) net -= s.left[m * LEFT_OUTCOMES.length + k]
      expect(s.waitingAtMonthEnd[m]).toBe(net)
    }
  })
})
