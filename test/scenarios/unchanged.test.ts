/**
 * A scenario without the newer fields (here: quotas, reviews) runs byte for byte as before: the event log
 * of each test fixture, two years from seed 1, has the SHA-256 it had before quotas, contacts and sibling
 * groups (main 67ae7e9 with the history work: looked-after starting groups without `elapsed` draw their
 * time in care from the stationary law, on purpose; the history branch alone gives these digests). The
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
  ["test/fixtures/small.yaml", 4789, "a302cd43467acb29142d22992171545b60268a8e1c1a62acaec7375ba4fd00e2"],
  ["test/fixtures/legal.yaml", 4990, "bc974ad47661af0a46764340721db60c6e19e83f7c098c7db7afad3fb3e93716"],
  ["test/fixtures/uasc.yaml", 5210, "31c53f1efcfdd6dee7593e0a4933c593b65cb9d3d3032a10d69d6263c6f6e600"]
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
