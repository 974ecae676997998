/**
 * The future event list: ordered by (time, priority, sequence), the sequence stamped at scheduling, so
 * ties at one instant pop in a fixed order. Unit cases, then model-based tests (fc.commands) against a
 * deliberately simple model: an array, searched for its minimum on every pop.
 */
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { EventQueue, MAX_CHILDREN } from "../../src/engine/EventQueue.js"

interface Action {
  readonly time: number
  readonly priority: number
  readonly kind: number
  readonly child: number
  readonly epoch: number
}

const popAll = (q: EventQueue): Array<Omit<Action, "priority">> => {
  const out: Array<Omit<Action, "priority">> = []
  while (q.pop()) out.push({ time: q.poppedTime, kind: q.poppedKind, child: q.poppedChild, epoch: q.poppedEpoch })
  return out
}

describe("EventQueue", () => {
  it("an empty queue has nothing to pop and its next time is Infinity", () => {
    const q = new EventQueue()
    expect(q.size).toBe(0)
    expect(q.peekTime()).toBe(Infinity)
    expect(q.pop()).toBe(false)
  })

  it("pops by time, then priority, then first scheduled, first served", () => {
    const q = new EventQueue(2)
    q.push(5, 1, 0, 0, 0)
    q.push(3, 4, 1, 1, 0)
    q.push(5, 0, 2, 2, 7) // same time, lower priority class: first
    q.push(5, 1, 3, 3, 0) // same time and priority as the first push: after it
    q.push(3, 4, 4, 4, 0)
    q.push(0.5, 3, 5, 5, 1)
    expect(q.size).toBe(6)
    expect(q.peekTime()).toBe(0.5)
    expect(popAll(q)).toEqual([
      { time: 0.5, kind: 5, child: 5, epoch: 1 },
      { time: 3, kind: 1, child: 1, epoch: 0 },
      { time: 3, kind: 4, child: 4, epoch: 0 },
      { time: 5, kind: 2, child: 2, epoch: 7 },
      { time: 5, kind: 0, child: 0, epoch: 0 },
      { time: 5, kind: 3, child: 3, epoch: 0 }
    ])
    expect(q.size).toBe(0)
  })

  it("never breaks a tie by nudging the time", () => {
    const q = new EventQueue()
    const t = 0.1 + 0.2 // not representable exactly; must come back bit for bit
    for (let i = 0; i < 100; i++) q.push(t, i % 5, 0, i, 0)
    const times = popAll(q).map((a) => a.time)
    expect(times.every((x) => Object.is(x, t))).toBe(true)
  })

  it("keeps the stored fields intact (kinds 0-15, children -1 to 2^27 - 1, 32-bit epochs)", () => {
    const q = new EventQueue(1)
    q.push(1, 0, 15, MAX_CHILDREN - 1, 2 ** 31 - 1)
    q.push(2, 4, 0, -1, -(2 ** 31))
    q.push(3, 5, 4, -1, 0)
    q.push(4, 1, 7, 0, 2 ** 32 - 1) // an epoch past 2^31 comes back as the same 32 bits, signed
    expect(popAll(q)).toEqual([
      { time: 1, kind: 15, child: MAX_CHILDREN - 1, epoch: 2 ** 31 - 1 },
      { time: 2, kind: 0, child: -1, epoch: -(2 ** 31) },
      { time: 3, kind: 4, child: -1, epoch: 0 },
      { time: 4, kind: 7, child: 0, epoch: -1 }
    ])
  })

  it("keeps one action aside at a time", () => {
    const q = new EventQueue(1)
    q.pushAside(1, 4, 4, -1, 0)
    expect(() => q.pushAside(2, 4, 4, -1, 0)).toThrow()
  })

  it("does not keep actions due at or after its horizon, and keeps the others in order", () => {
    const q = new EventQueue(1, 10)
    q.push(10, 0, 0, 1, 0) // at the horizon: never taken
    q.push(3, 1, 1, 2, 0)
    q.push(Infinity, 0, 0, 3, 0)
    q.push(3, 1, 2, 4, 0)
    q.push(9.999, 0, 3, 5, 0)
    expect(q.size).toBe(3)
    expect(popAll(q).map((a) => a.child)).toEqual([2, 4, 5])
  })

  it("says when a day's actions go into the heap, and lists their children", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            time: fc.double({ min: 0, max: 30, maxExcluded: true, noNaN: true }),
            child: fc.integer({ min: -1, max: 999 })
          }),
          {
            maxLength: 200
          }
        ),
        (pushes) => {
          const q = new EventQueue(1, 30)
          for (const p of pushes) q.push(p.time, 0, 0, p.child, 0)
          const days: Array<Array<number>> = []
          q.onDay = () => {
            const { children, size } = q.childrenToday()
            days.push([...children.subarray(0, size)].sort((a, b) => a - b))
          }
          popAll(q)
          // Day 0's actions go straight into the heap; each later day with actions is said once, whole.
          const byDay = new Map<number, Array<number>>()
          for (const p of pushes) {
            const d = Math.floor(p.time)
            if (d > 0) byDay.set(d, [...(byDay.get(d) ?? []), p.child])
          }
          const expected = [...byDay].sort((a, b) => a[0] - b[0]).map(([, cs]) => cs.sort((a, b) => a - b))
          expect(days).toEqual(expected)
        }
      ),
      { numRuns: 100 }
    )
  })

  it("keeps every action of a later day, however many it has, and reuses a day's room once it is taken", () => {
    const q = new EventQueue(1, 100)
    const pushes: Array<{ time: number; priority: number }> = []
    // Hundreds of actions on a few later days (a day's list holds them in blocks), in a mixed order.
    for (let i = 0; i < 600; i++) pushes.push({ time: ((i * 37) % 5) + 1 + ((i * 13) % 7) / 8, priority: i % 3 })
    pushes.forEach((p, i) => q.push(p.time, p.priority, 0, i, 0))
    const expected = pushes
      .map((p, i) => ({ ...p, i }))
      .sort((a, b) => a.time - b.time || a.priority - b.priority || a.i - b.i)
      .map((p) => p.i)
    const got: Array<number> = []
    // Take the first day, then fill a later one again (with the room the first day gave back).
    while (q.peekTime() < 2) got.push((q.pop(), q.poppedChild))
    for (let i = 600; i < 700; i++) q.push(50 + (i % 10) / 10, 0, 0, i, 0)
    expect(q.size).toBe(700 - got.length)
    got.push(...popAll(q).map((a) => a.child))
    expect(got).toEqual([
      ...expected,
      ...Array.from({ length: 100 }, (_, k) => k)
        .sort((a, b) => (a % 10) - (b % 10) || a - b)
        .map((k) => 600 + k)
    ])
  })

  it("pops in (time, priority, sequence) order: the same order as sorting the pushes", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            time: fc.integer({ min: 0, max: 20 }).map((x) => x / 4),
            priority: fc.integer({ min: 0, max: 4 })
          }),
          { maxLength: 300 }
        ),
        (pushes) => {
          const q = new EventQueue(1)
          pushes.forEach((p, i) => q.push(p.time, p.priority, p.priority, i, 0))
          const expected = pushes
            .map((p, i) => ({ ...p, i }))
            .sort((a, b) => a.time - b.time || a.priority - b.priority || a.i - b.i)
            .map((p) => p.i)
          expect(popAll(q).map((a) => a.child)).toEqual(expected)
        }
      )
    )
  })

  describe("model-based: any interleaving of pushes, pushes aside and pops", () => {
    interface Model {
      readonly items: Array<Action & { readonly seq: number; readonly aside: boolean }>
      seq: number
      /** Actions at or after it are not kept. */
      readonly horizon: number
    }
    class Push implements fc.Command<Model, EventQueue> {
      constructor(readonly a: Action) {}
      check = () => true
      run(m: Model, q: EventQueue) {
        q.push(this.a.time, this.a.priority, this.a.kind, this.a.child, this.a.epoch)
        if (this.a.time < m.horizon) m.items.push({ ...this.a, seq: m.seq, aside: false })
        m.seq++
        expect(q.size).toBe(m.items.length)
        expect(q.peekTime()).toBe(Math.min(...m.items.map((x) => x.time)))
      }
      toString = () => `push(t=${this.a.time}, p=${this.a.priority}, child=${this.a.child})`
    }
    /** The action kept aside is ordered as if it were pushed like the others. */
    class PushAside implements fc.Command<Model, EventQueue> {
      constructor(readonly a: Action) {}
      check = (m: Readonly<Model>) => !m.items.some((x) => x.aside)
      run(m: Model, q: EventQueue) {
        q.pushAside(this.a.time, this.a.priority, this.a.kind, this.a.child, this.a.epoch)
        if (this.a.time < m.horizon) m.items.push({ ...this.a, seq: m.seq, aside: true })
        m.seq++
        expect(q.size).toBe(m.items.length)
        expect(q.peekTime()).toBe(Math.min(...m.items.map((x) => x.time)))
      }
      toString = () => `pushAside(t=${this.a.time}, p=${this.a.priority}, child=${this.a.child})`
    }
    class Pop implements fc.Command<Model, EventQueue> {
      check = () => true
      run(m: Model, q: EventQueue) {
        const ok = q.pop()
        if (m.items.length === 0) {
          expect(ok).toBe(false)
          return
        }
        // The model: the minimum by (time, priority, sequence), found by a linear scan.
        let best = 0
        for (let i = 1; i < m.items.length; i++) {
          const x = m.items[i]
          const b = m.items[best]
          if (
            x.time < b.time ||
            (x.time === b.time && (x.priority < b.priority || (x.priority === b.priority && x.seq < b.seq)))
          )
            best = i
        }
        const want = m.items.splice(best, 1)[0]
        expect(ok).toBe(true)
        expect({ time: q.poppedTime, kind: q.poppedKind, child: q.poppedChild, epoch: q.poppedEpoch }).toEqual({
          time: want.time,
          kind: want.kind,
          child: want.child,
          epoch: want.epoch
        })
        expect(q.size).toBe(m.items.length)
      }
      toString = () => "pop()"
    }
    const action: fc.Arbitrary<Action> = fc.record({
      // Few distinct times, so ties at one instant are common.
      time: fc.oneof(
        fc.integer({ min: 0, max: 8 }),
        fc.double({ min: 0, max: 8, noNaN: true }),
        fc.integer({ min: 0, max: 32 }).map((x) => x / 4)
      ),
      priority: fc.integer({ min: 0, max: 5 }),
      kind: fc.integer({ min: 0, max: 7 }),
      child: fc.oneof(fc.integer({ min: -1, max: 1000 }), fc.integer({ min: -1, max: MAX_CHILDREN - 1 })),
      epoch: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })
    })
    const commands = fc.commands(
      [action.map((a) => new Push(a)), action.map((a) => new PushAside(a)), fc.constant(new Pop())],
      { maxCommands: 400, size: "large" }
    )

    // With a horizon, actions on later days wait on their day's list, and those at or after it are dropped;
    // without one, every action goes into the heap.
    for (const horizon of [Infinity, 6.5, 8])
      it(`the queue behaves as the model (horizon ${horizon})`, () => {
        fc.assert(
          fc.property(commands, (cmds) => {
            fc.modelRun(() => ({ model: { items: [], seq: 0, horizon }, real: new EventQueue(1, horizon) }), cmds)
          })
        )
      })
  })
})
