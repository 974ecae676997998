/**
 * A scenario without the newer fields (here: quotas, reviews) runs byte for byte as before: the event log
 * of each test fixture, two years from seed 1, has the SHA-256 it had at main 67ae7e9, before quotas. The
 * digest is of each event's JSON text and a line break, in order (the log's events without its header).
 * A change that is meant to change these logs (a new draw, a new default) must say so and update them.
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as Effect from "effect/Effect"
import { createHash } from "node:crypto"
import { describe, expect, it } from "vitest"
import { compileModel } from "../../src/model/Model.js"
import { makeStreams } from "../../src/random/Streams.js"
import { simulate } from "../../src/run/Run.js"
import { loadScenario } from "../../src/scenario/Load.js"

const DIGESTS: ReadonlyArray<readonly [string, number, string]> = [
  ["test/fixtures/small.yaml", 4789, "c3666aad162fc8ad6283dbbb56b62769cd3bbf9114bd8d3732ed58cd9d69046a"],
  ["test/fixtures/legal.yaml", 4991, "9fd6b539cdbf908015da834aaa7dfc650b19a2a63fdc57adf671d3e45063b940"],
  ["test/fixtures/uasc.yaml", 5211, "3f908fdd4e58662d5989cc5f027643fd522a8e8dbcdf3237bae520b3ed16141d"]
]

describe("scenarios without quotas run as before", () => {
  for (const [file, events, digest] of DIGESTS)
    it(`${file}: the same ${events} events, byte for byte`, async () => {
      const s = (await Effect.runPromise(loadScenario(file).pipe(Effect.provide(NodeContext.layer)))).central
      const h = createHash("sha256")
      let n = 0
      simulate(compileModel(s, 2), makeStreams(1), (e) => {
        h.update(JSON.stringify(e) + "\n")
        n++
      })
      expect(n).toBe(events)
      expect(h.digest("hex")).toBe(digest)
    })
})
