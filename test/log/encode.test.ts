// Event log lines: the encoder must write exactly what JSON.stringify writes, for every event a run makes
// and for any event the schema allows, one line at a time or many into one buffer.
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as Arbitrary from "effect/Arbitrary"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { CaseEvent } from "../../src/domain/Event.js"
import { encodeEvent, NdjsonLines, writeShortest } from "../../src/log/encode.js"
import { ChildStreams, makeStreams } from "../../src/random/Streams.js"
import { loadScenario } from "../../src/scenario/Load.js"
import { compileModel } from "../../src/model/Model.js"
import { simulate } from "../../src/run/Run.js"
import { VERSION } from "../../src/version.js"
import { fixture } from "../support/cli.js"
import * as fs from "node:fs"

/** Any event the schema allows (any time, child, names with quotes, control characters, any Unicode). */
const anyEvent = Arbitrary.make(CaseEvent) as unknown as fc.Arbitrary<CaseEvent>
const decoder = new TextDecoder()

describe("encodeEvent", () => {
  it("is JSON.stringify for every event of a run, and decodes back to the same event", async () => {
    const scenario = (
      await Effect.runPromise(loadScenario(fixture("small.yaml")).pipe(Effect.provide(NodeContext.layer)))
    ).central
    const events: Array<CaseEvent> = []
    simulate(compileModel(scenario, 2), makeStreams(11), (e) => events.push(e))
    const tags = new Set(events.map((e) => e._tag))
    expect(tags.size).toBeGreaterThanOrEqual(7)
    const decode = Schema.decodeUnknownSync(CaseEvent)
    for (const e of events) {
      const line = encodeEvent(e)
      expect(line).toBe(JSON.stringify(e))
      expect(decode(JSON.parse(line))).toEqual(e)
    }
  })

  it("is JSON.stringify for any event the schema allows", () => {
    fc.assert(
      fc.property(anyEvent, (e) => {
        expect(encodeEvent(e)).toBe(JSON.stringify(e))
      }),
      { numRuns: 2000 }
    )
  })

  it("writes numbers as JSON does: whole numbers at every length and sign, -0, fractions, exponents", () => {
    const numbers = [
      0,
      -0,
      1,
      -1,
      9,
      10,
      -10,
      99,
      100,
      12345,
      -54321,
      999_999_999,
      -999_999_999,
      1e9,
      -1e9,
      2 ** 31,
      2 ** 53,
      1e21,
      1.5,
      -0.25,
      1 / 3,
      5e-324,
      1e-7,
      123456.789,
      Number.MAX_VALUE,
      Number.NaN,
      Infinity,
      -Infinity
    ]
    for (const x of numbers) {
      // Times are finite (the schema says so); the other numbers may be anything.
      const time = Number.isFinite(x) ? Math.abs(x) : 2.5
      const e: CaseEvent = { _tag: "CaseClosedBeforeStart", time, child: 4, dateOfBirth: x, closedOn: -x }
      expect(encodeEvent(e), String(x)).toBe(JSON.stringify(e))
      const lines = new NdjsonLines(64)
      lines.add(e)
      expect(decoder.decode(lines.bytes), String(x)).toBe(JSON.stringify(e) + "\n")
    }
  })

  it("escapes route names that need it", () => {
    const e: CaseEvent = {
      _tag: "LevelChanged",
      time: 1.5,
      child: 3,
      from: "universal",
      to: "child_in_need",
      via: 'a "quoted"\nroute, \u00e9 \u2028 \ud83d\ude00'
    }
    expect(encodeEvent(e)).toBe(JSON.stringify(e))
  })
})

describe("NdjsonLines", () => {
  it("writes a run's log from the engine's records as from its events", async () => {
    const scenario = (
      await Effect.runPromise(loadScenario(fixture("small.yaml")).pipe(Effect.provide(NodeContext.layer)))
    ).central
    const model = compileModel(scenario, 2)
    const fromRecords = new NdjsonLines(256)
    simulate(model, makeStreams(5), { take: (r) => fromRecords.addRecord(r, model.names) })
    const events: Array<string> = []
    simulate(model, makeStreams(5), (e) => events.push(JSON.stringify(e) + "\n"))
    expect(events.length).toBeGreaterThan(1000)
    expect(decoder.decode(fromRecords.bytes)).toBe(events.join(""))
  })

  it("holds the lines of many events, each JSON.stringify's text and a newline, as UTF-8", () => {
    fc.assert(
      fc.property(fc.array(anyEvent, { maxLength: 60 }), fc.string(), (events, header) => {
        const lines = new NdjsonLines(256)
        lines.addText(header)
        for (const e of events) lines.add(e)
        const expected = [header, ...events.map((e) => JSON.stringify(e))].map((l) => l + "\n").join("")
        expect(decoder.decode(lines.bytes)).toBe(expected)
        expect(lines.length).toBe(Buffer.byteLength(expected))
      }),
      { numRuns: 300 }
    )
  })

  it("grows for long names, and starts again empty after clear", () => {
    const lines = new NdjsonLines(256)
    const long = "x".repeat(100_000) + '"'
    const e: CaseEvent = { _tag: "WaitingListJoined", time: 2.25, child: 7, service: long, at: "child_in_need" }
    lines.add(e)
    lines.add({ ...e, time: 2.25 }) // the same time again: formatted once, written twice
    expect(decoder.decode(lines.bytes)).toBe(`${JSON.stringify(e)}\n${JSON.stringify(e)}\n`)
    lines.clear()
    expect(lines.length).toBe(0)
    lines.add({ _tag: "CareLeaverSupportEnded", time: 3, child: 1, reason: "age_limit" })
    expect(decoder.decode(lines.bytes)).toBe(
      `{"_tag":"CareLeaverSupportEnded","time":3,"child":1,"reason":"age_limit"}\n`
    )
  })
})

describe("writeShortest", () => {
  /** What it writes for x (or null when it leaves x to String). */
  const written = (x: number): string | null => {
    const out = new Uint8Array(40)
    const end = writeShortest(x, out, 3)
    return end < 0 ? null : decoder.decode(out.subarray(3, end))
  }

  it("writes what String writes, for doubles at random and next to short decimals (or leaves them to String)", () => {
    const s = new ChildStreams(Int32Array.of(5, 6, 7, 8), 1)
    s.seed(0)
    const bits = new Float64Array(1)
    const words = new Uint32Array(bits.buffer)
    let written_ = 0
    let left = 0
    const check = (x: number) => {
      const w = written(x)
      if (w === null) left++
      else {
        written_++
        if (w !== String(x)) expect(w, `${x}`).toBe(String(x))
      }
    }
    for (let i = 0; i < 100_000; i++) {
      // Any double from 8 to 2^22, uniform in its bits.
      words[1] = ((1026 + Math.floor(s.next(0) * 19)) << 20) | Math.floor(s.next(0) * 0x100000)
      words[0] = Math.floor(s.next(0) * 2 ** 32)
      check(bits[0])
      // A short decimal, and the doubles either side of it.
      const d = 10 + Math.floor(s.next(0) * 2e6) / 10 ** Math.floor(1 + s.next(0) * 9)
      bits[0] = d
      check(d)
      words[0] = (words[0] + 1) >>> 0
      check(bits[0])
      bits[0] = d
      words[0] = (words[0] - 1) >>> 0
      check(bits[0])
    }
    expect(written_).toBeGreaterThan(350_000)
    expect(left).toBeLessThan(50_000)
  })

  it("leaves whole numbers, small and large numbers and ties to String", () => {
    for (const x of [12, 9.5, 0.25, 2 ** 21 + 0.5, 1e300, -15.5, NaN, Infinity]) expect(written(x)).toBeNull()
    expect(written(10.5)).toBe("10.5")
    expect(written(1234.0625)).toBe("1234.0625")
    expect(written(3652.4999999999995)).toBe(String(3652.4999999999995))
  })
})

describe("version", () => {
  it("matches package.json (it is written into every event log header)", () => {
    const pkg = JSON.parse(fs.readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
      version: string
    }
    expect(VERSION).toBe(pkg.version)
  })
})
