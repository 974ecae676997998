/**
 * The projections computed during a run equal those replayed from its saved log: the log is serialised
 * to JSON and decoded with the event Schema, folded into a fresh Ledger, and every result file must be
 * byte-identical.
 */
import * as Schema from "effect/Schema"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { CaseEvent } from "../../src/domain/Event.js"
import { spendOf } from "../../src/projections/Spend.js"
import { resultFiles } from "../../src/report/Tables.js"
import { generatedCase } from "../support/arbitraries.js"
import { foldLedger, runWithLedger } from "../support/run.js"

const decodeEvent = Schema.decodeUnknownSync(CaseEvent)

describe("replay", () => {
  it("the projections computed during a run equal those replayed from its log", () => {
    fc.assert(
      fc.property(generatedCase, (g) => {
        const live = runWithLedger(g.model, g.seed)
        const saved = live.events.map((e) => JSON.stringify(e))
        const replayed = foldLedger(
          g.model,
          saved.map((line) => decodeEvent(JSON.parse(line)))
        )
        const liveFiles = resultFiles(live.totals, spendOf(live.totals))
        const replayFiles = resultFiles(replayed, spendOf(replayed))
        expect(replayFiles.map(([name]) => name)).toEqual(liveFiles.map(([name]) => name))
        liveFiles.forEach(([name, text], i) => expect(replayFiles[i][1], name).toBe(text))
      })
    )
  })
})
