/**
 * The future event list: ordered by (time, priority, sequence), the sequence stamped at scheduling, so
 * ties at one instant pop in a fixed order. Unit cases, then model-based tests (fc.commands) against a
 * deliberately simple model: an array, searched for its minimum on every pop.
 */
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { EventQueue } from "../../src/engine/EventQueue.js"

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
    q.push(5, 1, 10, 0, 0)
    q.push(3, 4, 11, 1, 0)
    q.push(5, 0, 12, 2, 7) // same time, lower priority class: first
    q.push(5, 1, 13, 3, 0) // same time and priority as the first push: after it
    q.push(3, 4, 14, 4, 0)
    q.push(0.5, 3, 15, 5, 1)
    expect(q.size).toBe(6)
    expect(q.peekTime()).toBe(0.5)
    expect(popAll(q)).toEqual([
      { time: 0.5, kind: 15, child: 5, epoch: 1 },
      { time: 3, kind: 11, child: 1, epoch: 0 },
      { time: 3, kind: 14, child: 4, epoch: 0 },
      { time: 5, kind: 12, child: 2, epoch: 7 },
      { time: 5, kind: 10, child: 0, epoch: 0 },
      { time: 5, kind: 13, child: 3, epoch: 0 }
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

  it("keeps the stored fields intact (child numbers and epochs up to their type's range)", () => {
    const q = new EventQueue(1)
    q.push(1, 0, 255, 2 ** 31 - 1, 2 ** 32 - 1)
    q.push(2, 4, 0, -1, 0)
    expect(popAll(q)).toEqual([
      { time: 1, kind: 255, child: 2 ** 31 - 1, epoch: 2 ** 32 - 1 },
      { time: 2, kind: 0, child: -1, epoch: 0 }
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

  describe("model-based: any interleaving of pushes and pops", () => {
    interface Model {
      readonly items: Array<Action & { readonly seq: number }>
      seq: number
    }
    class Push implements fc.Command<Model, EventQueue> {
      constructor(readonly a: Action) {}
      check = () => true
      run(m: Model, q: EventQueue) {
        q.push(this.a.time, this.a.priority, this.a.kind, this.a.child, this.a.epoch)
        m.items.push({ ...this.a, seq: m.seq++ })
        expect(q.size).toBe(m.items.length)
        expect(q.peekTime()).toBe(Math.min(...m.items.map((x) => x.time)))
      }
      toString = () => `push(t=${this.a.time}, p=${this.a.priority}, child=${this.a.child})`
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
      time: fc.oneof(fc.integer({ min: 0, max: 8 }), fc.double({ min: 0, max: 8, noNaN: true })),
      priority: fc.integer({ min: 0, max: 4 }),
      kind: fc.integer({ min: 0, max: 4 }),
      child: fc.integer({ min: -1, max: 1000 }),
      epoch: fc.nat({ max: 2 ** 32 - 1 })
    })
    const commands = fc.commands([action.map((a) => new Push(a)), fc.constant(new Pop())], { maxCommands: 400 })

    it("the queue behaves as the model", () => {
      fc.assert(
        fc.property(commands, (cmds) => {
          fc.modelRun(() => ({ model: { items: [], seq: 0 }, real: new EventQueue(1) }), cmds)
        })
      )
    })
  })
})
