/**
 * One run, wired in one place (src/run/Run.ts): the plain run, the interruptible one and the one with an
 * event log give the same figures; what else sees the events sees every one of them, in order, as objects or
 * as the engine's records; an event log is flushed between chunks; a failed flush ends the run with its
 * error; and an interruption stops the run between chunks.
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as path from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import { type CaseEvent, type EventRecord, eventOf } from "../../src/domain/Event.js"
import { compileModel, type Model } from "../../src/model/Model.js"
import { makeStreams } from "../../src/random/Streams.js"
import { type RunResult, runModel, simulate, simulateInterruptibly } from "../../src/run/Run.js"
import { EventLog, EventLogError, RandomStreams } from "../../src/run/Services.js"
import { loadSource } from "../log/support.js"

const root = path.resolve(import.meta.dirname, "../..")
let model: Model
/** The plain run of seed 5, which the others are held to. */
let plain: RunResult
beforeAll(async () => {
  // Six years of the default borough: several chunks of events (a chunk is 20,000).
  model = compileModel((await loadSource(path.join(root, "scenarios/default.yaml"))).central, 6)
  plain = simulate(model, makeStreams(5))
})

/** What a run's figures are, for comparing two runs. */
const figures = (r: RunResult) => ({ totals: r.totals, spend: r.spend, stats: r.stats })

/** An event log in memory that counts its flushes; `flush` runs `onFlush` with the flush's number. */
const countingLog = (
  into: Array<CaseEvent>,
  onFlush: (n: number) => Effect.Effect<void, EventLogError> = () => Effect.void
) => {
  const flushes = { n: 0, eventsAt: [] as Array<number> }
  const layer = Layer.succeed(EventLog, {
    append: (e: CaseEvent) => into.push(e),
    flush: Effect.suspend(() => {
      flushes.n++
      flushes.eventsAt.push(into.length)
      return onFlush(flushes.n)
    }),
    finish: Effect.succeed(null)
  })
  return { flushes, layer }
}

const logged = (layer: Layer.Layer<EventLog>, seed: number) =>
  Effect.runPromiseExit(runModel(model).pipe(Effect.provide(Layer.merge(RandomStreams.seeded(seed), layer))))

describe("a run", () => {
  it("gives the same figures plain, interruptible and with an event log", async () => {
    const interruptible = await Effect.runPromise(simulateInterruptibly(model, makeStreams(5)))
    const events: Array<CaseEvent> = []
    const withLog = await logged(countingLog(events).layer, 5)
    expect(Exit.isSuccess(withLog)).toBe(true)
    if (!Exit.isSuccess(withLog)) return
    expect(plain.stats.events).toBeGreaterThan(45_000)
    expect(figures(interruptible)).toEqual(figures(plain))
    expect(figures(withLog.value)).toEqual(figures(plain))
    expect(events.length).toBe(plain.stats.events)
    // Another seed is another run (the figures above are not the same whatever the seed).
    expect(figures(simulate(model, makeStreams(6)))).not.toEqual(figures(plain))
  })

  it("shows every event, in time order, the same as objects and as the engine's records", () => {
    const objects: Array<CaseEvent> = []
    const records: Array<CaseEvent> = []
    const result = simulate(model, makeStreams(7), (e) => objects.push(e))
    simulate(model, makeStreams(7), { take: (r: EventRecord) => records.push(eventOf(r, model.names)) })
    expect(objects.length).toBe(result.stats.events)
    expect(records).toEqual(objects)
    for (let i = 1; i < objects.length; i++) expect(objects[i].time).toBeGreaterThanOrEqual(objects[i - 1].time)
  })

  it("flushes its event log between chunks of events, and after the last", async () => {
    const events: Array<CaseEvent> = []
    const { flushes, layer } = countingLog(events)
    const exit = await logged(layer, 5)
    expect(Exit.isSuccess(exit)).toBe(true)
    // A chunk ends on the action that reaches 20,000 events (an action makes a few events). The starting
    // caseload opens in slices of that size too, and the chunk that finishes it goes on for 20,000 more: so
    // no chunk is longer than about 40,000 events, and the last flush has them all.
    expect(flushes.n).toBeGreaterThanOrEqual(Math.ceil(events.length / 41_000) + 1)
    expect(flushes.eventsAt.at(-1)).toBe(events.length)
    for (let i = 0; i < flushes.eventsAt.length; i++) {
      const chunk = flushes.eventsAt[i] - (i === 0 ? 0 : flushes.eventsAt[i - 1])
      expect(chunk).toBeLessThanOrEqual(41_000)
    }
  })

  it("ends with the event log's error when a flush fails, and simulates no further", async () => {
    const events: Array<CaseEvent> = []
    const failure = new EventLogError({ file: "events.ndjson", detail: "cannot write the event log: ENOSPC" })
    const { flushes, layer } = countingLog(events, (n) => (n === 1 ? Effect.fail(failure) : Effect.void))
    const exit = await logged(layer, 5)
    expect(Exit.isFailure(exit)).toBe(true)
    if (Exit.isFailure(exit)) expect(Cause.failureOption(exit.cause)).toEqual(Option.some(failure))
    expect(flushes.n).toBe(1)
    expect(events.length).toBe(flushes.eventsAt[0])
    expect(events.length).toBeLessThan(plain.stats.events)
  })

  it("stops between chunks when interrupted", async () => {
    const events: Array<CaseEvent> = []
    const { flushes, layer } = countingLog(events, (n) => (n === 2 ? Effect.interrupt : Effect.void))
    const exit = await logged(layer, 5)
    expect(Exit.isInterrupted(exit)).toBe(true)
    expect(flushes.n).toBe(2)
    expect(events.length).toBe(flushes.eventsAt[1])
    expect(events.length).toBeLessThan(plain.stats.events)
  })
})
