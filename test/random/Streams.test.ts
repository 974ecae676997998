/**
 * Reproducible streams: the same key gives the same sequence; any change of seed, replication, source or
 * child number gives a different one; a child's stream does not depend on what other streams did.
 */
import * as fc from "fast-check"
import seedrandom from "seedrandom"
import { describe, expect, it } from "vitest"
import { ChildStreams, makeStreams, streamKey, type Uniform } from "../../src/random/Streams.js"

const take = (u: Uniform, n = 8): Array<number> => Array.from({ length: n }, () => u())
const key = fc.oneof(fc.integer(), fc.string({ maxLength: 6 }))

describe("Streams", () => {
  it("the same key gives the same sequence, from fresh factories too", () => {
    fc.assert(
      fc.property(
        key,
        fc.nat({ max: 100 }),
        fc.string({ maxLength: 10 }),
        fc.nat({ max: 1e6 }),
        (seed, rep, source, id) => {
          expect(take(makeStreams(seed, rep)(source))).toEqual(take(makeStreams(seed, rep)(source)))
          expect(take(makeStreams(seed, rep)("child", id))).toEqual(take(makeStreams(seed, rep)("child", id)))
        }
      )
    )
  })

  it("a named stream is seedrandom's Alea on the canonical key", () => {
    expect(take(makeStreams(42, 3)("referrals"))).toEqual(take(seedrandom.alea(streamKey(42, 3, "referrals"))))
  })

  it("different child numbers give different sequences", () => {
    const streams = makeStreams(1)
    const seen = new Set<string>()
    for (let id = 0; id < 20_000; id++) seen.add(take(streams("child", id), 3).join(","))
    expect(seen.size).toBe(20_000)
  })

  it("a different seed, replication or source gives a different sequence", () => {
    fc.assert(
      fc.property(fc.integer(), fc.nat({ max: 1000 }), fc.nat({ max: 1e6 }), (seed, rep, id) => {
        const base = take(makeStreams(seed, rep)("child", id)).join()
        expect(take(makeStreams(seed + 1, rep)("child", id)).join()).not.toBe(base)
        expect(take(makeStreams(seed, rep + 1)("child", id)).join()).not.toBe(base)
        expect(take(makeStreams(seed, rep)("child", id + 1)).join()).not.toBe(base)
        const named = take(makeStreams(seed, rep)("referrals")).join()
        expect(take(makeStreams(seed + 1, rep)("referrals")).join()).not.toBe(named)
        expect(take(makeStreams(seed, rep + 1)("referrals")).join()).not.toBe(named)
        expect(take(makeStreams(seed, rep)("referrals2")).join()).not.toBe(named)
      })
    )
  })

  it("keys are delimited: sources and ids that concatenate alike still differ", () => {
    const s = makeStreams(7)
    expect(take(s("ab")).join()).not.toBe(take(s("abab")).join())
    expect(take(s("a", 11)).join()).not.toBe(take(s("a1", 1)).join())
    expect(take(makeStreams("1", 11)("x")).join()).not.toBe(take(makeStreams("11", 1)("x")).join())
  })

  it("a child's stream is the engine's: ChildStreams seeded with the factory's key", () => {
    fc.assert(
      fc.property(fc.integer(), fc.nat({ max: 1e6 }), fc.nat({ max: 50 }), (seed, id, slot) => {
        const factory = makeStreams(seed)
        const engine = new ChildStreams(factory.childKey, 1)
        engine.seed(id, slot)
        expect(take(() => engine.next(slot))).toEqual(take(factory("child", id)))
      })
    )
  })

  it("a child's sequence does not depend on other children's draws or seeding order", () => {
    const key = makeStreams(99).childKey
    const alone = new ChildStreams(key)
    alone.seed(5)
    const expected = take(() => alone.next(5), 20)
    const busy = new ChildStreams(key, 1) // grows as children are added
    for (const id of [9, 2, 5, 0, 7]) busy.seed(id)
    const got: Array<number> = []
    for (let i = 0; i < 20; i++) {
      for (const other of [9, 2, 0, 7]) busy.next(other)
      got.push(busy.next(5))
    }
    expect(got).toEqual(expected)
  })

  it("draws are uniform on [0, 1): in range, mean 1/2, and even across ten bins (chi-square)", () => {
    for (const u of [makeStreams(3)("referrals"), makeStreams(3)("child", 12345)]) {
      const n = 100_000
      const bins = new Array<number>(10).fill(0)
      let sum = 0
      let outside = 0
      for (let i = 0; i < n; i++) {
        const x = u()
        if (!(x >= 0 && x < 1)) outside++
        sum += x
        bins[Math.floor(x * 10)]++
      }
      expect(outside).toBe(0)
      // Mean within 4 standard errors (sd of U(0,1) = 1/sqrt(12)); chi-square on 9 df below 9 + 4 sqrt(18).
      expect(Math.abs(sum / n - 0.5)).toBeLessThan(4 / Math.sqrt(12 * n))
      const chi2 = bins.reduce((s, o) => s + (o - n / 10) ** 2 / (n / 10), 0)
      expect(chi2).toBeLessThan(9 + 4 * Math.sqrt(18))
    }
  })

  it("consecutive children's first draws are not correlated", () => {
    // Children are seeded from consecutive numbers: their first draws must look independent.
    const streams = makeStreams(2025)
    const n = 20_000
    const first = Array.from({ length: n }, (_, id) => streams("child", id)())
    let sxy = 0
    for (let i = 1; i < n; i++) sxy += (first[i] - 0.5) * (first[i - 1] - 0.5)
    const r = sxy / (n - 1) / (1 / 12)
    expect(Math.abs(r)).toBeLessThan(4 / Math.sqrt(n))
  })
})
