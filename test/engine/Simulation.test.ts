// The loop's hint to its sink: the children whose actions come next (RecordSink.ahead), which changes nothing.
import { NodeContext } from "@effect/platform-node"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import type { EventRecord, RecordSink } from "../../src/domain/Event.js"
import { Simulation } from "../../src/engine/Simulation.js"
import { compileModel } from "../../src/model/Model.js"
import { makeStreams } from "../../src/random/Streams.js"
import { loadScenario } from "../../src/scenario/Load.js"
import { fixture } from "../support/cli.js"

/** A sink writing each record as a line of its fields. */
class Lines implements RecordSink {
  readonly lines: Array<string> = []
  take(r: EventRecord): void {
    this.lines.push(
      [r.tag, r.time, r.child, r.from, r.fromPlacement, r.to, r.toPlacement, r.reason, r.name, r.since].join(" ")
    )
  }
}

/** The same sink, told the children ahead: each list as the children seen so far and the count of records. */
class LinesAhead extends Lines {
  seen = -1
  readonly calls: Array<{ readonly children: ReadonlyArray<number>; readonly known: number }> = []
  override take(r: EventRecord): void {
    super.take(r)
    this.seen = Math.max(this.seen, r.child)
  }
  ahead(children: Int32Array, size: number): void {
    this.calls.push({ children: [...children.subarray(0, size)], known: this.seen })
  }
}

describe("Simulation", () => {
  it("tells its sink the children of each day's actions in a large run, and that changes no record", async () => {
    const source = await Effect.runPromise(loadScenario(fixture("small.yaml")).pipe(Effect.provide(NodeContext.layer)))
    const model = compileModel(source.central, 2)
    const plain = new Lines()
    new Simulation(model, makeStreams(5), plain).run()
    // A borough's run is not read ahead (its children's rows are in cache anyway): here it is, from 0 children.
    const unasked = new LinesAhead()
    new Simulation(model, makeStreams(5), unasked).run()
    expect(unasked.calls).toEqual([])
    const told = new LinesAhead()
    new Simulation(model, makeStreams(5), told, 0).run()
    expect(told.lines).toEqual(plain.lines)
    // Most of the run's days have actions; every child listed is one the sink has had records of (or none).
    expect(told.calls.length).toBeGreaterThan(300)
    for (const call of told.calls) for (const c of call.children) expect(c).toBeLessThanOrEqual(call.known)
    expect(told.calls.some((call) => call.children.some((c) => c >= 0))).toBe(true)
  })
})
