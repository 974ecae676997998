// Monte Carlo runs of the small test authority: ordered percentiles, overspend probabilities at the
// extremes, replication 0 = `caseflow run`, and the same result whatever the workers or shards.
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { afterAll, describe, expect, inject, it } from "vitest"
import { mergeShards, readShard, shardText } from "../../src/montecarlo/Partial.js"
import { setWorkerScript } from "../../src/replication/Pool.js"
import { makeArm, toPennies } from "../../src/replication/Replication.js"
import { reportFiles, reportText, SPEND_QUANTILES, spendFigures, STOCK_QUANTILES } from "../../src/montecarlo/Report.js"
import { runModel } from "../../src/run/Run.js"
import { EventLog, RandomStreams } from "../../src/run/Services.js"
import { compileModel } from "../../src/model/Model.js"
import { fixture } from "../support/cli.js"
import { budget, plan, run, source } from "./support.js"
import * as Layer from "effect/Layer"

const small = source(fixture("small.yaml"))
const uncertain = source(fixture("small-uncertain.yaml"))
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "caseflow-mc-"))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

describe("Monte Carlo summaries", () => {
  it("keeps percentiles in order for every financial year, budget line and stock", async () => {
    const p = plan(uncertain, { runs: 24, years: 2 })
    const r = await run(uncertain, p)
    for (const f of spendFigures(p, r.summary)) {
      expect(f.quantiles).toHaveLength(SPEND_QUANTILES.length)
      for (let i = 1; i < f.quantiles.length; i++) expect(f.quantiles[i]).toBeGreaterThanOrEqual(f.quantiles[i - 1])
    }
    const cells = (p.months.length + 1) * 15
    for (let i = 0; i < cells; i++) {
      const qs = r.summary.stockCell(i).sketch.quantiles(STOCK_QUANTILES)
      for (let k = 1; k < qs.length; k++) expect(qs[k]).toBeGreaterThanOrEqual(qs[k - 1])
    }
  })

  it("gives an overspend probability of 0 for a huge budget and 1 for a zero one", async () => {
    const years = ["2025/26", "2026/27"]
    const huge = plan(small, { runs: 12, years: 2, budgets: years.map((y) => budget(y, 1e12)) })
    const zero = plan(small, { runs: 12, years: 2, budgets: years.map((y) => budget(y, 0)) })
    const h = spendFigures(huge, (await run(small, huge)).summary).filter((f) => f.isTotal)
    const z = spendFigures(zero, (await run(small, zero)).summary).filter((f) => f.isTotal)
    for (const f of h) {
      expect(f.probOver).toBe(0)
      expect(f.probOverTolerance).toBe(0)
      expect(f.expectedOverspend).toBe(0)
    }
    for (const f of z) {
      expect(f.probOver).toBe(1)
      expect(f.probOverTolerance).toBe(1)
      expect(f.expectedOverspend).toBeCloseTo(f.mean, 2)
    }
  })

  it("gives no runs_for_precision past 2^53 runs: a count too large to count, let alone run", async () => {
    const ok = plan(small, { runs: 12, years: 1 })
    const r = await run(small, ok)
    const runs = spendFigures(ok, r.summary).map((f) => f.runsForPrecision)
    expect(runs.every((n) => n === null || Number.isSafeInteger(n))).toBe(true)
    expect(runs.some((n) => n !== null)).toBe(true)
    const tiny = { ...ok, precision: 1e-12 }
    // None, or none needed (a line that is the same in every run: a fixed cost).
    const tinyRuns = spendFigures(tiny, r.summary).map((f) => f.runsForPrecision)
    expect(tinyRuns.every((n) => n === null || n === 0)).toBe(true)
    expect(tinyRuns.some((n) => n === null)).toBe(true)
    expect(reportText(tiny, r.summary)).toContain("±1e-10% cannot be estimated from these runs")
    expect(reportText(ok, r.summary)).toMatch(/±0\.5% needs [\d,]+ runs/)
  })

  it("runs replication 0 of a scenario without uncertainty exactly as `caseflow run` with the same seed", async () => {
    const seed = 7
    const model = compileModel(small.central, 2)
    const viaRun = await Effect.runPromise(
      runModel(model).pipe(Effect.provide(Layer.merge(RandomStreams.seeded(seed), EventLog.discard)))
    )
    const rep = Either.getOrThrow(makeArm(small, 2, seed)(0))
    expect(Array.from(rep.spend.byBudgetLineFy)).toEqual(Array.from(viaRun.spend.byBudgetLineFy))
    expect(Array.from(rep.totals.monthEndStock)).toEqual(Array.from(viaRun.totals.monthEndStock))
    // And through the summary: one replication's mean is that run's spend, to the penny.
    const p = plan(small, { runs: 1, seed, years: 2 })
    const figures = spendFigures(p, (await run(small, p)).summary)
    const B = viaRun.spend.budgetLines.length
    viaRun.spend.budgetLines.forEach((line, b) =>
      [0, 1].forEach((f) => {
        const row = figures.find((r) => r.budgetLine === line && r.financialYear === p.financialYears[f].label)!
        expect(row.mean).toBe(toPennies(viaRun.spend.byBudgetLineFy[f * B + b]) / 100)
      })
    )
  })

  it("gives byte-identical results in this thread, on 2 worker threads and on one started from source", async () => {
    // Two workers share the runs out and answer out of order, which one worker would not show. Pools start
    // from a bundle of the source (test/setup.ts); the last run boots tsx in its worker, as `npm run caseflow`
    // does (a second or two of loading the TypeScript sources, so one worker).
    const p = plan(uncertain, { runs: 10, years: 2 })
    const t0 = await run(uncertain, p, 0)
    const w2 = await run(uncertain, p, 2)
    setWorkerScript(null)
    const fromSource = await run(uncertain, p, 1).finally(() => setWorkerScript(new URL(inject("workerScript"))))
    const files = (r: typeof t0) => reportFiles(p, r.summary)
    expect(files(w2)).toEqual(files(t0))
    expect(reportText(p, w2.summary)).toBe(reportText(p, t0.summary))
    expect(files(fromSource)).toEqual(files(t0))
  })

  it("merges shards into exactly the result of one run of all replications", async () => {
    const p = plan(uncertain, { runs: 11, years: 2 })
    const whole = await run(uncertain, p)
    const files: Array<string> = []
    for (let i = 0; i < 3; i++) {
      const shard = await run(uncertain, p, 0, { index: i, count: 3 })
      const file = path.join(dir, `shard-${i}.json`)
      fs.writeFileSync(file, shardText(shard, "test"))
      files.push(file)
    }
    const read = await Effect.runPromise(
      Effect.forEach([files[2], files[0], files[1]], (file) =>
        Effect.map(readShard(file, "test"), (shard) => ({ file, shard }))
      ).pipe(Effect.provide(NodeContext.layer))
    )
    const merged = Either.getOrThrow(mergeShards(read))
    expect(reportFiles(merged.plan, merged.summary)).toEqual(reportFiles(p, whole.summary))
    expect(reportText(merged.plan, merged.summary)).toBe(reportText(p, whole.summary))
    // A missing shard, a duplicate and a shard of another run are refused.
    expect(Either.getLeft(mergeShards(read.slice(0, 2))).pipe((e) => e._tag === "Some" && e.value.message)).toMatch(
      /missing shard 1\/3/
    )
    expect(Either.isLeft(mergeShards([...read, read[0]]))).toBe(true)
    const other = { file: "other.json", shard: { ...read[0].shard, plan: { ...read[0].shard.plan, seed: 2 } } }
    expect(Either.getLeft(mergeShards([read[1], other])).pipe((e) => e._tag === "Some" && e.value.message)).toMatch(
      /seed is 2 here and 1 there/
    )
  })

  it("prints a report that fits 120 columns, placements under looked after, names escaped", async () => {
    const hostile = { ...uncertain, central: { ...uncertain.central, name: "Evil\u001b[2J\u0007 authority" } }
    const p = plan(hostile, { runs: 6, years: 6, budgets: [budget("2026/27", 9e6)] })
    const text = reportText(p, (await run(hostile, p)).summary)
    for (const line of text.split("\n")) expect(line.length, line).toBeLessThanOrEqual(120)
    expect(text.split("\n")[0]).toBe("Evil\\u001b[2J\\u0007 authority: Monte Carlo budget risk")
    const stocks = text.slice(text.indexOf("Children open to services")).split("\n")
    const at = (label: RegExp) => stocks.findIndex((l) => label.test(l))
    expect(at(/^ {2}In-house foster care /)).toBe(at(/^Looked after /) + 1)
    expect(at(/^Care leaver /)).toBeGreaterThan(at(/^ {2}In-house foster care /))
  })
})
