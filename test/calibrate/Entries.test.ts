/**
 * `measureCareEntries` counts every entry to care a scenario's flows make, whatever the route's `via`: a
 * scenario without UASC once left out the entries without a `via` (their name, -1, was taken for the UASC
 * route's), so the calibrated routes into care were scaled up to make up for children it had not counted.
 */
import * as Either from "effect/Either"
import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { measureCareEntries } from "../../src/calibrate/Entries.js"
import { EVENT_TAG_INDEX, type EventRecord } from "../../src/domain/Event.js"
import { compileModel } from "../../src/model/Model.js"
import { makeStreams } from "../../src/random/Streams.js"
import { simulate } from "../../src/run/Run.js"
import { scenarioFromPlainText } from "../../src/scenario/Load.js"

const root = path.resolve(import.meta.dirname, "../..")

describe("measureCareEntries", () => {
  it("counts the entries to care of routes without a via in a scenario without UASC", () => {
    // The small authority's children in need aged 10-17 go into care with no via.
    const file = path.join(root, "test/fixtures/small.yaml")
    const text = fs.readFileSync(file, "utf8")
    expect(text).toMatch(/- \{ to: looked_after, probability: 0.05 \}/)
    const source = scenarioFromPlainText(file, text)
    if (Either.isLeft(source)) throw new Error(source.left.message)
    const scenario = source.right.central
    expect(scenario.uasc).toBeUndefined()
    const measured = measureCareEntries(source.right.raw, 2)
    if (Either.isLeft(measured)) throw new Error(measured.left.message)
    let entries = 0
    for (const seed of [1, 2]) {
      const model = compileModel(scenario, scenario.years)
      simulate(model, makeStreams(seed, 0), {
        take: (r: EventRecord) => void (r.tag === EVENT_TAG_INDEX.ChildBecameLookedAfter && entries++)
      })
    }
    const model = compileModel(scenario, scenario.years)
    const years = (model.calendar.horizon / 365.25) * 2
    const total = measured.right.perYear.reduce((a, b) => a + b, 0) * years
    expect(entries).toBeGreaterThan(0)
    expect(Math.round(total)).toBe(entries)
  })
})
