// Paired comparisons of real scenarios: a scenario against itself differs by exactly 0 everywhere; an
// intervention that only costs money has a gross saving of exactly 0 and a net cost of exactly its own
// scheduled costs; the results are byte-identical in this thread and on two worker threads.
import * as fs from "node:fs"
import * as path from "node:path"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { describe, expect, it } from "vitest"
import { type Comparison, compareJob, makeComparePlan, runComparison } from "../../src/compare/Compare.js"
import { Replicator } from "../../src/replication/Pool.js"
import { compareFiles, reportText } from "../../src/compare/Report.js"
import { cbaFigures } from "../../src/compare/Summary.js"
import { toPennies } from "../../src/replication/Replication.js"
import { compileModel } from "../../src/model/Model.js"
import { scenarioFromPlainText, type ScenarioSource } from "../../src/scenario/Load.js"
import { fixture } from "../support/cli.js"

const root = path.resolve(import.meta.dirname, "../..")
const source = (file: string): ScenarioSource =>
  Either.getOrThrow(scenarioFromPlainText(file, fs.readFileSync(file, "utf8")))
const small = source(fixture("small.yaml"))
const costsOnly = source(path.join(import.meta.dirname, "fixtures/small-costs-only.yaml"))

const compare = (
  baseline: ScenarioSource,
  variant: ScenarioSource,
  runs: number,
  years: number,
  workers = 0
): Promise<Comparison> => {
  const plan = Either.getOrThrow(
    makeComparePlan(baseline, variant, { runs, seed: null, years, optimismBias: null, deadweight: null })
  )
  const job = compareJob(plan, baseline, variant)
  const runner = workers === 0 ? Replicator.inThisThread(job) : Replicator.workerThreads(job, workers)
  return Effect.runPromise(runComparison(plan).pipe(Effect.provide(runner)))
}

/** The CSV's rows as records. */
const rows = (text: string): Array<Record<string, string>> => {
  const [header, ...lines] = text.trimEnd().split("\n")
  const names = header.split(",")
  return lines.map((l) => {
    // No field here holds a comma except a quoted budget line; split outside quotes.
    const cells = l.match(/("[^"]*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, "").replace(/^"|"$/g, ""))
    return Object.fromEntries(names.map((n, i) => [n, cells[i]]))
  })
}
const DIFFERENCE = ["difference_mean", "difference_lo95", "difference_hi95", "difference_se"]

describe("caseflow compare", () => {
  it("finds exactly zero differences between a scenario and itself (small, default, uncertain)", async () => {
    const files = ["test/fixtures/small.yaml", "scenarios/default.yaml", "test/fixtures/small-uncertain.yaml"].map(
      (f) => source(path.join(root, f))
    )
    for (const s of files) {
      const c = await compare(s, s, 3, 2)
      expect(c.outcomes.map((o) => o.replication)).toEqual([0, 1, 2])
      for (const o of c.outcomes) {
        expect(o.variant).toEqual(o.baseline)
        expect(o.gross.every((x) => x === 0)).toBe(true)
        expect(o.investment.every((x) => x === 0)).toBe(true)
      }
      const [stocks, spend, cba] = compareFiles(c).map(([, text]) => rows(text))
      expect(stocks.length).toBeGreaterThan(0)
      for (const r of [...stocks, ...spend]) {
        expect(r.baseline_mean).toBe(r.variant_mean)
        for (const k of DIFFERENCE) expect(Number(r[k]), `${r.measure ?? r.budget_line} ${k}`).toBe(0)
      }
      for (const r of cba) {
        if (r.measure === "discount_rate") continue
        // Every measure is 0, or empty where it has no value (ROI and payback without investment).
        for (const k of DIFFERENCE)
          if (r[k] !== "") expect(Number(r[k]), `${r.measure} ${r.financial_year} ${k}`).toBe(0)
      }
      expect(cba.find((r) => r.measure === "payback_year_median")?.financial_year).toBe("not within the run")
      expect(cba.find((r) => r.measure === "roi")?.runs).toBe("0")
      const text = reportText(c)
      expect(text).toContain("Return on investment: none (no investment")
      expect(text).toContain("Payback: none (no investment)")
      expect(text.replace(/\s+/g, " ")).toContain("the rows shown may not add up exactly; compare_spend.csv and")
    }
  })

  it("shows an intervention with no effect as a gross saving of exactly 0 and a net cost of its cost", async () => {
    const c = await compare(small, costsOnly, 4, 2)
    // The intervention's cost lines by financial year: each line's months summed and rounded to the penny.
    const model = compileModel(costsOnly.central, 2)
    const cost = model.calendar.financialYears.map((_, y) =>
      model.costs.scheduled.reduce((sum, line) => {
        let pounds = 0
        model.calendar.months.forEach((m, i) => {
          if (m.fy === y) pounds += line.amountByMonth[i]
        })
        return sum + toPennies(pounds)
      }, 0)
    )
    // By hand for the full year 2026/27: (4 x £800 + £1,200 a week x 365/7 + £20,000 a year) x 1.03 inflation.
    expect(cost[1]).toBe(toPennies(((4400 * 365) / 7 + 20000) * 1.03))
    expect(cost[0]).toBeGreaterThan(50000 * 100) // set-up, then staff on a three-month ramp from October
    for (const o of c.outcomes) {
      expect(o.gross).toEqual([0, 0])
      expect(o.investment).toEqual(cost)
      expect(o.variant.stocks).toEqual(o.baseline.stocks)
    }
    const cba = cbaFigures(c.plan, c.outcomes)
    cba.years.forEach((y, i) => {
      expect(y.gross_saving.value).toEqual({ mean: 0, lo: 0, hi: 0, se: 0, n: 4 })
      expect(y.adjusted_benefit.value.mean).toBe(0)
      expect(y.investment.value).toEqual({ mean: cost[i], lo: cost[i], hi: cost[i], se: 0, n: 4 })
      expect(y.net_benefit.value).toEqual({ mean: -cost[i], lo: -cost[i], hi: -cost[i], se: 0, n: 4 })
    })
    expect(cba.total.net_benefit.value.mean).toBe(-(cost[0] + cost[1]))
    // Discounted in real terms: the second year's cash deflated by the scenario's 3% general inflation, then
    // discounted at the Green Book's 3.5%.
    expect(cba.npv.mean).toBeCloseTo(-(cost[0] + cost[1] / (1.035 * 1.03)), 6)
    expect(cba.discount[1]).toBeCloseTo(1 / (1.035 * 1.03), 15)
    expect(cba.paidBack).toBe(0)
    expect(cba.medianPaybackYear).toBeNull()
    expect(cba.roi.mean).toBe(0)
    // The deductions use the intervention's grade 3 (10%) and deadweight 10%, applied to a saving of 0.
    expect([cba.optimismBias, cba.deadweight]).toEqual([0.1, 0.1])
    // The CSV: net benefit of exactly minus the cost, in pounds; total spend up by exactly the cost.
    const [, spendText, cbaText] = compareFiles(c).map(([, text]) => rows(text))
    const pounds = (p: number) => (p / 100).toFixed(2)
    const net = cbaText.filter((r) => r.measure === "net_benefit")
    expect(net.map((r) => [r.financial_year, r.difference_mean, r.difference_lo95, r.difference_hi95])).toEqual([
      ["2025/26", pounds(-cost[0]), pounds(-cost[0]), pounds(-cost[0])],
      ["2026/27", pounds(-cost[1]), pounds(-cost[1]), pounds(-cost[1])],
      ["all years", pounds(-cost[0] - cost[1]), pounds(-cost[0] - cost[1]), pounds(-cost[0] - cost[1])]
    ])
    expect(spendText.filter((r) => r.budget_line === "Total").map((r) => r.difference_mean)).toEqual(cost.map(pounds))
    expect(spendText.filter((r) => r.budget_line === "CP and CIN").map((r) => r.difference_mean)).toEqual([
      "0.00",
      "0.00"
    ])
    expect(reportText(c)).toContain("Family support team (costs only)  variant  2025-10-01")
  })

  it("writes byte-identical results in this thread and on two worker threads", async () => {
    const here = await compare(small, costsOnly, 4, 2, 0)
    const pool = await compare(small, costsOnly, 4, 2, 2)
    const a = compareFiles(here)
    const b = compareFiles(pool)
    expect(b.map(([name]) => name)).toEqual(["compare_stocks.csv", "compare_spend.csv", "compare_cba.csv"])
    b.forEach(([, text], i) => expect(text).toBe(a[i][1]))
    expect(reportText(pool)).toBe(reportText(here))
  })

  it("prints a report that fits 120 columns, with money in £k / £m and names escaped", async () => {
    const named = (s: ScenarioSource, name: string): ScenarioSource => ({ ...s, central: { ...s.central, name } })
    const c = await compare(named(small, "Base\u001b[2J"), named(costsOnly, "Variant\u0007"), 3, 2)
    const text = reportText(c)
    for (const line of text.split("\n")) expect(line.length, line).toBeLessThanOrEqual(120)
    expect(text).toContain("(Base\\u001b[2J)")
    expect(text).toContain("(Variant\\u0007)")
    expect(text).not.toMatch(/£\d+\.\d{3}m/) // not £0.404m: £404k
    expect(text).toMatch(/^Net present value at 3\.5% real, in \d{4}\/\d{2} prices: -£\d{3}k, /m)
    // Children are counted in whole numbers; differences keep a decimal.
    expect(text).toMatch(/^Looked after +2025-03-31 \(start\) +\d+ +\d+ +0\.0 +\[0\.0, 0\.0\]$/m)
  })
})
