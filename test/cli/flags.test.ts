// The flags' own rules: shares as 5% or 0.05 (never 5), worker counts capped at the cores, and the flag
// blamed for a value @effect/cli refused without naming it.
import * as Either from "effect/Either"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { explainFlags } from "../../src/cli/usage.js"
import { parseShard, parseShare, parseWorkers, workerCount, wholeNumber } from "../../src/cli/flags.js"
import { checks as montecarloChecks } from "../../src/cli/commands/montecarlo.js"

const share = (raw: string) => Either.getOrNull(parseShare("tolerance", raw))

describe("shares", () => {
  it("reads a percentage or a fraction below 1 as the same share", () => {
    expect([share("5%"), share("0.05"), share(".05"), share(" 5 % "), share("100%"), share("0"), share("0%")]).toEqual([
      0.05, 0.05, 0.05, 0.05, 1, 0, 0
    ])
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), (basisPoints) => {
        const percent = share(`${basisPoints / 100}%`)
        const fraction = share(`${basisPoints / 10_000}`)
        return basisPoints === 10_000 ? percent === 1 && fraction === null : Math.abs(percent! - fraction!) < 1e-15
      })
    )
  })

  it("refuses a bare number of 1 or more, and anything else that is not a share", () => {
    for (const raw of ["5", "1", "1.0", "50", "150%", "-0.1", "-5%", "5%%", "0.05.1", "1e-2", "", "five", "%"])
      expect(share(raw), raw).toBeNull()
    const floor = { atLeast: { share: 0.0001, why: "a reason" } }
    for (const raw of ["0%", "0", "0.00001", "0.009%"])
      expect(parseShare("precision", raw, floor)).toEqual(
        Either.left(`--precision: expected a share of at least 0.01% (a reason), found "${raw}"`)
      )
    expect(parseShare("precision", "0.01%", floor)).toEqual(Either.right(0.0001))
  })

  it("reads a long value in linear time (no backtracking over runs of spaces)", () => {
    for (const raw of [`5${" ".repeat(100_000)}x`, `5${" ".repeat(100_000)}%x`, `${"9".repeat(100_000)} x`]) {
      const started = performance.now()
      expect(share(raw)).toBeNull()
      // A guard against backtracking, not a timing: quadratic work on 100,000 characters takes minutes.
      expect(performance.now() - started).toBeLessThan(5000)
    }
    expect(share(`\t 5${" ".repeat(1000)}%\n`)).toBe(0.05)
  })
})

describe("workers", () => {
  it("parses auto or a whole number", () => {
    expect([parseWorkers("auto"), parseWorkers("0"), parseWorkers("12")]).toEqual([
      Either.right("auto"),
      Either.right(0),
      Either.right(12)
    ])
    for (const raw of ["-1", "1.5", "many", ""]) expect(Either.isLeft(parseWorkers(raw)), raw).toBe(true)
  })

  it("starts at most one per core and one per replication", () => {
    expect(workerCount("auto", 2, 1000)).toEqual({ count: 2, note: null })
    expect(workerCount("auto", 8, 3)).toEqual({ count: 3, note: null })
    expect(workerCount(1, 2, 1000)).toEqual({ count: 1, note: null })
    expect(workerCount(0, 2, 1000)).toEqual({ count: 0, note: null })
    expect(workerCount(99, 2, 1000)).toEqual({
      count: 2,
      note: "--workers 99: this machine has 2 cores, so 2 worker threads"
    })
    expect(workerCount("auto", 2, 0).count).toBe(0)
  })
})

describe("whole numbers and shards", () => {
  it("names the flag and the range", () => {
    expect(wholeNumber("years", 1, 50)("51", 51)).toEqual(
      Either.left('--years: expected a whole number from 1 to 50, found "51"')
    )
    expect(parseShard(" 3 / 4 ")).toEqual(Either.right({ index: 3, count: 4 }))
    for (const raw of ["4/4", "1/0", "-1/2", "1/100001", "a/b", "1/2/3"])
      expect(Either.isLeft(parseShard(raw))).toBe(true)
  })
})

describe("explainFlags", () => {
  it("blames the first flag whose value fails its check, in either spelling", () => {
    expect(explainFlags(["x.yaml", "--runs", "10", "--tolerance=5", "--workers", "x"], montecarloChecks)).toBe(
      '--tolerance: expected a share as a percentage (such as 5%) or a fraction below 1 (such as 0.05), found "5": ' +
        "write 5% if that is what you mean"
    )
    expect(explainFlags(["--RUNS", "abc"], montecarloChecks)).toContain("--runs: expected a whole number")
    expect(explainFlags(["x.yaml", "--runs", "10", "--out", "abc"], montecarloChecks)).toBeNull()
  })
})

describe("choices", () => {
  it("name the flag, the choices and the value found, and a missing value as missing", async () => {
    const { cli } = await import("../support/cli.js")
    const dfe = ["--dfe", "/nonexistent", "--la", "Tameside"]
    for (const [args, message] of [
      [
        ["calibrate", ...dfe, "--out", "x.yaml", "--trend", "LINEAR"],
        '--trend: expected none or linear, found "LINEAR"'
      ],
      [["calibrate", ...dfe, "--out", "x.yaml", "--trend"], "--trend: expected a value, found none"],
      [
        ["backtest", ...dfe, "--cutoffs", "2020", "--uncertainty", "x"],
        '--uncertainty: expected rates or none, found "x"'
      ],
      [["backtest", ...dfe, "--cutoffs", "2020", "--uncertainty"], "--uncertainty: expected a value, found none"],
      [
        ["backtest", ...dfe, "--cutoffs", "2020", "--trend", "Linear"],
        '--trend: expected none or linear, found "Linear"'
      ]
    ] as const) {
      const r = await cli(args)
      expect([r.code, r.stderr], args.join(" ")).toEqual([2, `caseflow: ${message}\n`])
    }
  })
})
