// A valid scenario whose children move back and forth in almost no time would run for ever: the engine
// stops it with RunRefused, saying which stays are ending and which fields set them.
import * as Either from "effect/Either"
import { describe, expect, it } from "vitest"
import { RunRefused } from "../../src/domain/RunRefused.js"
import { makeStreams } from "../../src/random/Streams.js"
import { simulate, simulateOrRefused } from "../../src/run/Run.js"
import { tinyModel, type TinyOverrides } from "../support/tiny.js"

const fixed = (value: number) => ({ type: "fixed" as const, value })

/** `n` children in need whose stays of `days` lead into care, and whose stays in care of `days` lead back. */
const loop = (n: number, days: number): TinyOverrides => ({
  years: 5,
  startingCaseload: [{ level: "child_in_need", count: n, ages: [5, 10], elapsed: fixed(0) }],
  levels: {
    child_in_need: { duration: fixed(days), outcomes: [{ to: "looked_after", probability: 1 }] },
    looked_after: {
      duration: fixed(days),
      outcomes: [{ reason: "returned_home", to: "child_in_need", probability: 1 }],
      placements: { onEntry: { in_house_foster: 1 } }
    }
  }
})

describe("a run that would never end", () => {
  it("is stopped early, the same way on the same seed, naming the stays that end and the fields that set them", () => {
    const ran = simulateOrRefused(tinyModel(loop(50, 1e-6)), makeStreams(1, 0))
    expect(Either.isLeft(ran)).toBe(true)
    if (Either.isRight(ran)) return
    const e = ran.left
    expect(e).toBeInstanceOf(RunRefused)
    // Stopped in the first hours (50 children looping a million times a day), not at the horizon.
    expect(e.detail).toMatch(/^the run would never end: by 2025-04-01 \(day 0\.\d+\)/)
    expect(e.detail).toContain("for the 50 children it knows")
    expect(e.detail).toContain("levels.child_in_need.duration")
    expect(e.detail).toContain("levels.looked_after.duration")
    expect(e.detail.length).toBeLessThan(600)
    // `simulate` throws it, with the same words.
    expect(() => simulate(tinyModel(loop(50, 1e-6)), makeStreams(1, 0))).toThrow(e.detail)
  })

  it("is not a busy run that ends: stays of 45 minutes back and forth for a year run to the horizon", () => {
    // 100 children x 32 stays a day x 365 days: 1.2 million actions, far past the allowance any run has
    // (250,000) but within the 100 a child a day that a run's children add to it.
    const ran = simulateOrRefused(tinyModel({ ...loop(100, 1 / 32), years: 1 }), makeStreams(1, 0))
    expect(Either.isRight(ran)).toBe(true)
    if (Either.isLeft(ran)) return
    expect(ran.right.stats.actions).toBeGreaterThan(1_100_000)
  })

  it("is not a busy front door: a million contacts a year, none referred, no children", () => {
    const model = tinyModel({
      years: 1,
      referrals: { ratePer10k: undefined, contacts: { perYear: 1_000_000, toReferral: 0 } }
    })
    const ran = simulateOrRefused(model, makeStreams(1, 0))
    expect(Either.isRight(ran)).toBe(true)
    if (Either.isLeft(ran)) return
    expect(ran.right.stats.actions).toBeGreaterThan(900_000)
    expect(ran.right.stats.children).toBe(0)
  })
})
