// The hand-written NDJSON encoder must say exactly what JSON.stringify says, for every event a run makes.
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { describe, expect, it } from "vitest"
import { CaseEvent } from "../../src/domain/Event.js"
import { encodeEvent } from "../../src/log/encode.js"
import { makeStreams } from "../../src/random/Streams.js"
import { loadScenario } from "../../src/scenario/Load.js"
import { compileModel } from "../../src/model/Model.js"
import { simulate } from "../../src/run/Run.js"
import { VERSION } from "../../src/version.js"
import { fixture } from "../support/cli.js"
import * as fs from "node:fs"

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

  it("escapes route names that need it", () => {
    const e: CaseEvent = {
      _tag: "LevelChanged",
      time: 1.5,
      child: 3,
      from: "universal",
      to: "child_in_need",
      via: 'a "quoted"\nroute'
    }
    expect(encodeEvent(e)).toBe(JSON.stringify(e))
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
