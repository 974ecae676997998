/**
 * Running a range of replications (src/replication/Pool.ts), on a stand-in `Replicator` (no model, no
 * worker: the pool's own order and bookkeeping): the blocks cut [from, to) into consecutive pieces that
 * shrink to single replications at the end; `replicate` hands on every replication exactly once, whatever
 * the parallelism and whether the replicator takes blocks, with no more requests in flight than it says;
 * it ticks the progress once a replication and clears it however the run ends; failed replications fail
 * the run with the lowest one's error, whichever came back first.
 */
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { blocks, MAX_BLOCK, replicate, Replicator } from "../../src/replication/Pool.js"
import type { Progress } from "../../src/replication/Progress.js"
import { ReplicationError, type ReplicationOutcome } from "../../src/replication/Replication.js"
import { runs } from "../support/runs.js"

/** A stand-in outcome: only the replication's number, which is all the pool hands on. */
const outcomeOf = (r: number): ReplicationOutcome => ({ replication: r }) as unknown as ReplicationOutcome
const numberOf = (o: ReplicationOutcome): number => (o as unknown as { replication: number }).replication

interface Options {
  readonly parallelism: number
  readonly withBlocks: boolean
  /** Replications that fail: a lower one answers later (so it comes back after a higher one). */
  readonly failing?: ReadonlyArray<number>
  /** Turns of the runtime a request takes at least (more: more of them overlap). */
  readonly turns?: number
}

/** A Replicator that answers after a few turns of the runtime (so requests overlap), counting those in flight. */
const standIn = (o: Options) => {
  const seen = { inFlight: 0, most: 0, requests: 0 }
  const answer = <A>(value: () => A, turns: number): Effect.Effect<A, ReplicationError> =>
    Effect.gen(function* () {
      seen.requests++
      seen.most = Math.max(seen.most, ++seen.inFlight)
      for (let i = 0; i < turns; i++) yield* Effect.yieldNow()
      seen.inFlight--
      return value()
    })
  const failing = o.failing ?? []
  const last = Math.max(0, ...failing)
  const fail = (r: number) =>
    Effect.zipRight(
      answer(() => 0, 1 + 5 * (last - r)),
      Effect.fail(new ReplicationError({ replication: r, detail: `no such draw in ${r}` }))
    )
  const one = (r: number) => (failing.includes(r) ? fail(r) : answer(() => outcomeOf(r), (o.turns ?? 1) + (r % 3)))
  const layer = Layer.succeed(Replicator, {
    run: one,
    runBlock: o.withBlocks
      ? (from: number, to: number) => {
          // A block stops at its first failure, as a worker's does.
          const first = failing.filter((r) => r >= from && r < to).sort((a, b) => a - b)[0]
          return first !== undefined
            ? fail(first)
            : answer(
                () => Array.from({ length: to - from }, (_, i) => outcomeOf(from + i)),
                (o.turns ?? 1) + ((to - from) % 3)
              )
        }
      : undefined,
    parallelism: o.parallelism
  })
  return { seen, layer }
}

const counting = (): Progress & { ticks: number; clears: number } => {
  const p = {
    ticks: 0,
    clears: 0,
    tick: () => {
      p.ticks++
    },
    clear: () => {
      p.clears++
    }
  }
  return p
}

describe("blocks of replications", () => {
  it("cut [from, to) into consecutive blocks of MAX_BLOCK that shrink to single replications at the end", () => {
    fc.assert(
      fc.property(fc.nat(5000), fc.nat(3000), fc.integer({ min: 1, max: 16 }), (from, n, parallelism) => {
        const bs = blocks(from, from + n, parallelism)
        // Checked as plain conditions, the first broken one named (an expect per block costs more than the cut).
        let next = from
        let last = Infinity
        const tailFrom = from + n - 4 * parallelism
        for (const [a, b] of bs) {
          const size = b - a
          if (a !== next) return expect.fail(`block [${a}, ${b}) does not start at ${next}`)
          if (size < 1 || size > MAX_BLOCK || size > last)
            return expect.fail(`block [${a}, ${b}): ${size} after ${last}`)
          // Full blocks while 4 x parallelism of them are left.
          if (from + n - a >= 4 * parallelism * MAX_BLOCK && size !== MAX_BLOCK)
            return expect.fail(`block [${a}, ${b}): ${size} with ${from + n - a} left`)
          // The last 4 x parallelism replications go one at a time.
          if (a >= tailFrom && size !== 1) return expect.fail(`block [${a}, ${b}) in the last ${4 * parallelism}`)
          last = size
          next = b
        }
        expect(next).toBe(from + n)
      }),
      { numRuns: runs(200) }
    )
  })
})

describe("replicate", () => {
  it("hands on every replication once, with no more than twice the parallelism in flight", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(40),
        fc.nat(60),
        fc.integer({ min: 1, max: 4 }),
        fc.boolean(),
        async (from, n, parallelism, withBlocks) => {
          const { seen, layer } = standIn({ parallelism, withBlocks })
          const got: Array<number> = []
          const progress = counting()
          await Effect.runPromise(
            replicate(from, from + n, (o) => got.push(numberOf(o)), progress).pipe(Effect.provide(layer))
          )
          expect([...got].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => from + i))
          expect(progress.ticks).toBe(n)
          expect(progress.clears).toBe(1)
          expect(seen.most).toBeLessThanOrEqual(2 * parallelism)
          expect(seen.inFlight).toBe(0)
          // Blocks: fewer requests than replications once there are enough of them.
          if (withBlocks && n >= 30 * parallelism) expect(seen.requests).toBeLessThan(n)
          else if (!withBlocks) expect(seen.requests).toBe(n)
        }
      ),
      { numRuns: runs(25) }
    )
  })

  it("keeps requests in flight up to twice the parallelism (the workers are never left idle)", async () => {
    const { seen, layer } = standIn({ parallelism: 3, withBlocks: false, turns: 20 })
    await Effect.runPromise(replicate(0, 200, () => {}).pipe(Effect.provide(layer)))
    expect(seen.most).toBe(6)
  })

  it("fails with the lowest failing replication, whatever the parallelism, and clears the progress", async () => {
    for (const withBlocks of [false, true])
      for (const parallelism of [1, 2, 3, 8]) {
        // 41 and 44 fail first; 37 answers last, and is the one reported.
        const { layer } = standIn({ parallelism, withBlocks, failing: [37, 41, 44] })
        const progress = counting()
        const exit = await Effect.runPromiseExit(replicate(0, 100, () => {}, progress).pipe(Effect.provide(layer)))
        expect(Exit.isFailure(exit)).toBe(true)
        if (Exit.isFailure(exit)) expect(String(exit.cause)).toContain("no such draw in 37")
        expect(progress.ticks).toBeLessThan(100)
        expect(progress.clears).toBe(1)
      }
  })

  it("does nothing for an empty range", async () => {
    const { seen, layer } = standIn({ parallelism: 2, withBlocks: true })
    const progress = counting()
    await Effect.runPromise(replicate(5, 5, () => {}, progress).pipe(Effect.provide(layer)))
    expect(seen.requests).toBe(0)
    expect(progress.ticks).toBe(0)
  })
})
