// The opening snapshot is labelled the same way in every CSV that has one: stocks.csv and placements.csv
// (run), montecarlo_stocks.csv and compare_stocks.csv. It is the caseload on the day before the start, and
// carries the financial year that day falls in: a 1 April start opens on the 31 March that closes the
// previous year (2024/25, as DfE counts it); a 1 October start on 30 September of the same year.
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import { describe, expect, it } from "vitest"
import { compareJob, makeComparePlan, runComparison } from "../../src/compare/Compare.js"
import { stocksCsv as compareStocksCsv } from "../../src/compare/Report.js"
import { compileModel } from "../../src/model/Model.js"
import { resolveBudgets } from "../../src/montecarlo/Budget.js"
import { runShard } from "../../src/montecarlo/MonteCarlo.js"
import { makePlan, runLayout } from "../../src/montecarlo/Plan.js"
import { stocksCsv as monteCarloStocksCsv } from "../../src/montecarlo/Report.js"
import { Replicator } from "../../src/replication/Pool.js"
import { placementsCsv, stocksCsv } from "../../src/report/Tables.js"
import { runModel } from "../../src/run/Run.js"
import { EventLog, RandomStreams } from "../../src/run/Services.js"
import type { ScenarioSource } from "../../src/scenario/Load.js"
import { fixedOnlySource } from "./support.js"

/** The CSV's rows as records (no field here is quoted). */
const records = (text: string): Array<Record<string, string>> => {
  const [header, ...rows] = text.trimEnd().split("\n")
  const names = header.split(",")
  return rows.map((r) => Object.fromEntries(r.split(",").map((v, i) => [names[i], v])))
}

const source = (start: string): ScenarioSource => fixedOnlySource(start, 1000, {})

/** The opening rows' (date, financial_year) in each of the four files, for a one-year run. */
const openings = async (src: ScenarioSource) => {
  const s = src.central
  const r = await Effect.runPromise(
    runModel(compileModel(s, 1)).pipe(Effect.provide(Layer.merge(RandomStreams.seeded(1), EventLog.discard)))
  )
  const budgets = Either.getOrThrow(resolveBudgets({ ...runLayout(src, 1), scenario: s.budgetLines }, []))
  const plan = makePlan(src, { seed: 1, years: 1, runs: 1, budgets, tolerance: 0.05, precision: 0.005 })
  const job = { arms: [src], years: 1, seed: 1 }
  const mc = await Effect.runPromise(runShard(plan).pipe(Effect.provide(Replicator.inThisThread(job))))
  const cplan = Either.getOrThrow(
    makeComparePlan(src, src, { runs: 1, seed: 1, years: 1, optimismBias: null, deadweight: null })
  )
  const comparison = await Effect.runPromise(
    runComparison(cplan).pipe(Effect.provide(Replicator.inThisThread(compareJob(cplan, src, src))))
  )
  const opening = (rows: Array<Record<string, string>>, isOpening: (r: Record<string, string>) => boolean) => {
    const found = rows.filter(isOpening)
    expect(found.length).toBeGreaterThan(0)
    return [...new Set(found.map((r) => `${r.date} ${r.financial_year}`))]
  }
  return {
    stocks: opening(records(stocksCsv(r.totals)), (r) => r.month === "opening"),
    placements: opening(records(placementsCsv(r.totals)), (r) => r.month === "opening"),
    montecarlo: opening(records(monteCarloStocksCsv(plan, mc.summary)), (r) => r.month === "opening"),
    compare: opening(records(compareStocksCsv(comparison)), (r) => r.snapshot === "opening")
  }
}

describe("the opening snapshot", () => {
  it("is the 31 March that closes 2024/25 in every file, for a run from 1 April 2025", async () => {
    const o = await openings(source("2025-04-01"))
    expect(o).toEqual({
      stocks: ["2025-03-31 2024/25"],
      placements: ["2025-03-31 2024/25"],
      montecarlo: ["2025-03-31 2024/25"],
      compare: ["2025-03-31 2024/25"]
    })
  })

  it("is 30 September 2025, in 2025/26, in every file, for a run from 1 October 2025", async () => {
    const o = await openings(source("2025-10-01"))
    for (const labels of Object.values(o)) expect(labels).toEqual(["2025-09-30 2025/26"])
  })
})
