/**
 * What the engine emits (src/engine/Output.ts): every record it writes is the record of the event it
 * stands for (`recordOf(eventOf(r))` gives back every field), so the ledger folds a live run's records
 * exactly as it folds a replayed log's decoded events. Checked on generated scenarios with services and
 * interventions.
 */
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { EVENT_TAGS, EventRecord, eventOf, recordOf, type RecordSink } from "../../src/domain/Event.js"
import { Simulation } from "../../src/engine/Simulation.js"
import { makeStreams } from "../../src/random/Streams.js"
import { generatedCase } from "../support/arbitraries.js"

const FIELDS = Object.keys(new EventRecord()) as Array<keyof EventRecord>

describe("Output", () => {
  it("writes, for every event, exactly the record of that event", () => {
    fc.assert(
      fc.property(generatedCase, (g) => {
        const names = g.model.names.copy()
        const problems: Array<string> = []
        const tags = new Set<string>()
        const sink: RecordSink = {
          take(r) {
            const e = eventOf(r, g.model.names)
            tags.add(e._tag)
            const again = recordOf(e, names)
            for (const f of FIELDS)
              if (!Object.is(r[f], again[f]) && problems.length < 5)
                problems.push(`${EVENT_TAGS[r.tag]}.${f}: ${String(r[f])} written, ${String(again[f])} meant`)
          }
        }
        new Simulation(g.model, makeStreams(g.seed), sink).run()
        expect(problems).toEqual([])
        expect(names.size).toBe(g.model.names.size) // every name the engine wrote is the model's
      })
    )
  })
})
