// The summary is a fold whose merge is exact: any split of the replications into groups, merged in any
// order, gives the same data as folding them all in one go.
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { Replicate } from "../../src/montecarlo/Summary.js"
import { MonteCarloSummary, type SummaryShape } from "../../src/montecarlo/Summary.js"

const shape: SummaryShape = {
  financialYears: 2,
  budgetLines: 2,
  stockCells: 3,
  budgets: [100, null, 300, 0, 50, 20],
  tolerance: 0.05,
  parameters: 1
}
const outcome = (r: number): fc.Arbitrary<Replicate> =>
  fc.record({
    replication: fc.constant(r),
    // Pennies up to £1bn: squares pass 2^53, which the BigInt sums must take exactly.
    spend: fc.array(fc.integer({ min: -1e11, max: 1e11 }), { minLength: 6, maxLength: 6 }),
    stocks: fc.array(fc.nat(5000), { minLength: 3, maxLength: 3 }),
    draws: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 1 })
  })
const outcomes = fc
  .integer({ min: 0, max: 30 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, r) => outcome(r))))

describe("MonteCarloSummary", () => {
  it("merges exactly, whatever the grouping and order", () => {
    fc.assert(
      fc.property(outcomes, fc.array(fc.nat(3), { maxLength: 30 }), (os, groupOf) => {
        const one = new MonteCarloSummary(shape)
        for (const o of os) one.add(o)
        const groups = [0, 1, 2, 3].map(() => new MonteCarloSummary(shape))
        // Folded in reverse order into groups chosen by the generator, then merged 3, 1, 0, 2.
        ;[...os].reverse().forEach((o, i) => groups[groupOf[i] ?? 0].add(o))
        const merged = new MonteCarloSummary(shape)
        for (const g of [3, 1, 0, 2]) merged.merge(MonteCarloSummary.fromData(shape, groups[g].toData()))
        expect(merged.toData()).toEqual(one.toData())
      })
    )
  })

  it("counts spend over budget and over budget by more than the tolerance", () => {
    const s = new MonteCarloSummary(shape)
    const spend = [104, 7, 306, 1, 53, 21] // budgets 100, -, 300, 0, 50, 20
    s.add({ replication: 0, spend, stocks: [1, 2, 3], draws: [0.5] })
    expect([0, 2, 3, 4, 5].map((i) => [s.spendCell(i).over, s.spendCell(i).overTolerance])).toEqual([
      [1, 0],
      [1, 0],
      [1, 1],
      [1, 1],
      [1, 0]
    ])
    expect(s.spendCell(0).overspend).toBe(4n)
    expect(s.spendCell(1).over).toBe(0)
  })
})
