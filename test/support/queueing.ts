/**
 * Queueing theory for the capacity tests: Erlang B and C, and a single-service scenario (Poisson referrals
 * all going to one capacity-limited level with exponential times there) whose runs can be compared with
 * them.
 */
import type { CaseEvent } from "../../src/domain/Event.js"
import type { LedgerTotals } from "../../src/projections/Ledger.js"
import { makeStreams } from "../../src/random/Streams.js"
import type { Model } from "../../src/model/Model.js"
import { simulate } from "../../src/run/Run.js"
import type { ScenarioEncoded } from "../../src/scenario/Scenario.js"
import { tinyModel } from "./tiny.js"

/** Erlang B: the chance an arrival finds all c servers busy in M/M/c/c (offered load a = lambda / mu). */
export const erlangB = (c: number, a: number): number => {
  let b = 1
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b)
  return b
}

/** Erlang C: the chance an arrival waits in M/M/c (a = lambda / mu < c). */
export const erlangC = (c: number, a: number): number => {
  const b = erlangB(c, a)
  const rho = a / c
  return b / (1 - rho * (1 - b))
}

export interface MmcTheory {
  readonly pWait: number
  /** Mean wait in the queue, Wq = C / (c mu - lambda). */
  readonly meanWait: number
  /** Mean number waiting, Lq = lambda Wq. */
  readonly meanWaiting: number
  readonly pBlocked: number
}

export const mmcTheory = (lambda: number, meanService: number, c: number): MmcTheory => {
  const a = lambda * meanService
  const pWait = erlangC(c, a)
  const meanWait = pWait / (c / meanService - lambda)
  return { pWait, meanWait, meanWaiting: lambda * meanWait, pBlocked: erlangB(c, a) }
}

export interface MmcScenario {
  /** Referrals a day. */
  readonly lambda: number
  /** Mean days at the level (exponential). */
  readonly meanService: number
  readonly places: number
  readonly years: number
  readonly whenFull: NonNullable<ScenarioEncoded["services"]>[number]["whenFull"]
  /** Children at the level on the start date (default none). */
  readonly startWith?: number
}

export const SERVICE = "IFS team"

/**
 * Every referral opens at intensive family support (a service of `places` places), stays an exponential
 * time there and closes; nobody comes back. Children are referred at age 0, so nobody turns 18 in the run.
 */
export const mmcModel = (q: MmcScenario): Model =>
  tinyModel({
    years: q.years,
    referrals: {
      ratePer10k: (q.lambda * 365.25 * 10_000) / 1000,
      ageAtReferral: [
        { ages: [0, 0], share: 1 },
        { ages: [1, 17], share: 0 }
      ],
      frontDoor: [{ to: "intensive_family_support", probability: 1 }]
    },
    levels: {
      intensive_family_support: {
        duration: { type: "exponential", mean: q.meanService },
        outcomes: [{ to: "universal", probability: 1 }]
      }
    },
    startingCaseload: q.startWith ? [{ level: "intensive_family_support", count: q.startWith, ages: [0, 0] }] : [],
    services: [{ name: SERVICE, level: "intensive_family_support", places: q.places, whenFull: q.whenFull }]
  })

/** What one replication saw of the referrals made in [from, to). */
export interface MmcRun {
  readonly arrivals: number
  readonly waited: number
  /** Days waited, summed over the arrivals (0 for those who did not wait). */
  readonly waitDays: number
  /** Sent to the alternative route. */
  readonly blocked: number
  readonly totals: LedgerTotals
  readonly events: number
}

export const runMmc = (model: Model, seed: number, replication: number, from: number, to: number): MmcRun => {
  const referredAt = new Map<number, number>()
  const joinedAt = new Map<number, number>()
  let arrivals = 0
  let waited = 0
  let waitDays = 0
  let blocked = 0
  let events = 0
  const inWindow = (child: number) => {
    const t = referredAt.get(child)
    return t !== undefined && t >= from && t < to
  }
  const sink = (e: CaseEvent) => {
    events++
    switch (e._tag) {
      case "ChildReferred":
        referredAt.set(e.child, e.time)
        if (e.time >= from && e.time < to) arrivals++
        return
      case "WaitingListJoined":
        joinedAt.set(e.child, e.time)
        if (inWindow(e.child)) waited++
        return
      case "WaitingListLeft":
        if (inWindow(e.child)) waitDays += e.time - joinedAt.get(e.child)!
        return
      case "LevelChanged":
        if (e.to !== "intensive_family_support" && inWindow(e.child)) blocked++
        return
      case "CaseClosed":
        referredAt.delete(e.child)
        return
      default:
        return
    }
  }
  const { totals } = simulate(model, makeStreams(seed, replication), sink)
  return { arrivals, waited, waitDays, blocked, totals, events }
}

/** Mean and standard error of the mean of replications' estimates. */
export const meanAndSe = (xs: ReadonlyArray<number>): { readonly mean: number; readonly se: number } => {
  const n = xs.length
  const mean = xs.reduce((a, b) => a + b, 0) / n
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)
  return { mean, se: Math.sqrt(variance / n) }
}
