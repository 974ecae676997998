/**
 * The projections computed during a run equal those replayed from its saved log, byte for byte: the run
 * writes its log with the real writer (through the platform FileSystem, with checkpoints every few
 * events so that every log has several blocks) and `replayEventLog` reads it back from disk, checking its
 * checksums and every event against the state it replays, for random valid scenarios with and without
 * services and interventions.
 */
import * as Either from "effect/Either"
import * as fc from "fast-check"
import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { resultFiles } from "../../src/report/Tables.js"
import { generatedCase, type GeneratedCase } from "../support/arbitraries.js"
import { policyCase } from "../support/policy.js"
import { replayFile, tempDir, writeLog } from "../log/support.js"
import { runs } from "../support/runs.js"

let dir = ""
let n = 0
beforeAll(() => {
  dir = tempDir()
})
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const roundTrip = async (g: GeneratedCase, every: number) => {
  const file = path.join(dir, `run-${n++}.ndjson`)
  const live = await writeLog(g.scenario.name, g.encoded, g.model, g.scenario.years, g.seed, file, every)
  const replayed = await replayFile(file)
  fs.rmSync(file)
  if (Either.isLeft(replayed)) throw new Error(replayed.left.message)
  const liveFiles = resultFiles(live.run.totals, live.run.spend)
  const replayFiles = resultFiles(replayed.right.totals, replayed.right.spend)
  expect(replayFiles.map(([name]) => name)).toEqual(liveFiles.map(([name]) => name))
  liveFiles.forEach(([name, text], i) => expect(replayFiles[i][1], name).toBe(text))
  expect(replayed.right.trailer.events).toBe(live.run.stats.events)
}

describe("replay", () => {
  it("the projections computed during a run equal those replayed from its log", async () => {
    await fc.assert(fc.asyncProperty(generatedCase, fc.integer({ min: 1, max: 60 }), roundTrip), { numRuns: runs(20) })
  })

  it("and so with services, waiting lists and interventions", async () => {
    await fc.assert(fc.asyncProperty(policyCase, fc.integer({ min: 1, max: 60 }), roundTrip), { numRuns: runs(20) })
  })
})
