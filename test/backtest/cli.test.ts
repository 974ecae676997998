/**
 * `caseflow backtest` and `caseflow calibrate --dfe` through the command line, on generated EES tables:
 * the results, the same whatever the number of workers, and bad input (exit 2, the exact message, nothing
 * written).
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { cli } from "../support/cli.js"
import { syntheticTables } from "../support/dfe.js"

const root = path.resolve(import.meta.dirname, "../..")
const small = path.join(root, "test/fixtures/small.yaml")
let dir = ""
const years = [2013, 2014, 2015, 2016, 2017, 2018, 2019, 2020, 2021]

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "caseflow-backtest-"))
  syntheticTables(path.join(dir, "dfe"), { name: "Northshire", newCode: "E06000099", oldCode: "901" }, years)
})
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const backtest = (out: string, ...more: Array<string>) =>
  cli(
    [
      "backtest",
      "--dfe",
      path.join(dir, "dfe"),
      "--la",
      "Northshire",
      "--cutoffs",
      "2019,2017",
      "--runs",
      "6",
      "--costs",
      small,
      "--out",
      out,
      ...more
    ],
    { cores: 2 }
  )

describe("caseflow backtest", () => {
  it("writes the forecasts, the summary and each cut-off's scenario; the same on 0 or 2 workers", async () => {
    const a = path.join(dir, "a")
    const r = await backtest(a, "--workers", "0", "--report", path.join(dir, "a", "report.html"))
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain(
      "Back-test of Northshire: cut-offs 31 March 2017, 31 March 2019; 6 Monte Carlo runs each"
    )
    // The tables have no CLA figures: the starting looked-after children are a guess, and the output says so.
    expect(r.stdout.replace(/\n {2}/g, " ")).toContain(
      "Cut-off 2017: the starting looked after (no CLA figure) is the template's share of B1's children in need, " +
        "not a published figure: the errors of that measure test the guess as much as the model."
    )
    expect(fs.readdirSync(a).sort()).toEqual([
      "backtest.csv",
      "backtest_summary.csv",
      "report.html",
      "scenario_2017.yaml",
      "scenario_2019.yaml"
    ])
    const rows = fs.readFileSync(path.join(a, "backtest.csv"), "utf8").trim().split("\n")
    expect(rows[0]).toBe(
      "cutoff,measure,horizon,year,actual,median,p05,p25,p75,p95,in_50,in_90,naive_last,naive_trend,ape," +
        "ape_naive_last," +
        "ape_naive_trend,bias"
    )
    // Two measures (no CLA table) x (4 horizons from 2017 + 2 from 2019).
    expect(rows.length - 1).toBe(12)
    const cp = rows.find((l) => l.startsWith("2017,child protection plans,1,2018,"))!.split(",")
    // The actual 2018 figure, 120 x 1.03^5 rounded; the last value 2017's; the trend the straight line.
    expect(cp[4]).toBe(String(Math.round(120 * 1.03 ** 5)))
    expect(cp[12]).toBe(String(Math.round(120 * 1.03 ** 4)))
    const summary = fs.readFileSync(path.join(a, "backtest_summary.csv"), "utf8").trim().split("\n")
    expect(summary[0]).toBe(
      "measure,horizon,forecasts,forecasts_actual_zero,mape,mape_naive_last,mape_naive_trend,bias," +
        "coverage_50,coverage_90,skill_vs_naive_last,skill_vs_naive_trend"
    )
    expect(summary.filter((l) => l.includes(",all,"))).toHaveLength(2)
    expect(fs.readFileSync(path.join(a, "report.html"), "utf8")).toContain("Northshire: back-test")
    const b = path.join(dir, "b")
    const r2 = await backtest(b, "--workers", "2")
    expect(r2.code, r2.stderr).toBe(0)
    for (const f of ["backtest.csv", "backtest_summary.csv", "scenario_2017.yaml"])
      expect(fs.readFileSync(path.join(b, f), "utf8")).toBe(fs.readFileSync(path.join(a, f), "utf8"))
  }, 300_000)

  it("refuses bad cut-offs and councils, writing nothing", async () => {
    const out = path.join(dir, "bad")
    const cases: Array<[Array<string>, string]> = [
      [
        ["--cutoffs", "2017,x"],
        "caseflow: --cutoffs: expected years ending 31 March (such as 2017,2019) or, for SSDA903 returns, dates " +
          'YYYY-MM-DD, separated by commas, found "2017,x"'
      ],
      [["--cutoffs", "2017,2017"], 'caseflow: --cutoffs: a cut-off is given twice in "2017,2017"'],
      [
        ["--cutoffs", "2017-03-31"],
        "caseflow: --cutoffs 2017-03-31: with --dfe, give years ending 31 March (such as 2017,2019)"
      ],
      [
        ["--cutoffs", "2021"],
        "caseflow: --cutoffs 2021: the tables give Northshire no 31 March figure after it (the last is 2021)"
      ],
      [
        ["--cutoffs", "2010"],
        "caseflow: --cutoffs 2010: the tables give Northshire no children in need (B1) or CP plans (D5) " +
          "at 31 March 2010 " +
          "(they cover 2013 to 2021)"
      ],
      [
        ["--la", "Northshore"],
        'caseflow: --la "Northshore": no such local authority in the tables (1 councils); did you mean "Northshire"?'
      ]
    ]
    for (const [flags, message] of cases) {
      const args = [
        "backtest",
        "--dfe",
        path.join(dir, "dfe"),
        "--la",
        "Northshire",
        "--cutoffs",
        "2017",
        "--costs",
        small
      ]
      for (let i = 0; i < flags.length; i += 2) {
        const at = args.indexOf(flags[i])
        args[at + 1] = flags[i + 1]
      }
      const r = await cli([...args, "--out", out, "--runs", "2"])
      expect(r.code, flags.join(" ")).toBe(2)
      expect(r.stderr.trim()).toBe(message)
      expect(fs.existsSync(out) ? fs.readdirSync(out) : []).toEqual([])
    }
  }, 120_000)
})

describe("caseflow calibrate --dfe: bad input", () => {
  it("names the flag or file, exits 2 and writes nothing", async () => {
    const out = path.join(dir, "cal", "x.yaml")
    const base = ["calibrate", "--dfe", path.join(dir, "dfe"), "--costs", small, "--out", out]
    const cases: Array<[Array<string>, string]> = [
      [base, "caseflow: --la: with --dfe, name the council (its name or LA code)"],
      [
        [...base, "--la", "Northshire", "--to", "2019-06-30"],
        "caseflow: --to 2019-06-30: with --dfe, give a year ending 31 March (e.g. --to 2019)"
      ],
      [
        [...base, "--la", "Northshire", "--to", "2030"],
        "caseflow: --to 2030: the tables give Northshire no children in need (B1) or CP plans (D5) at 31 March 2030 " +
          "(they cover 2013 to 2021)"
      ],
      [
        ["calibrate", "--dfe", path.join(dir, "dfe"), "--la", "Northshire", "--out", out],
        "caseflow: --costs: with --dfe, give the template scenario for unit costs (e.g. scenarios/default.yaml)"
      ],
      [
        ["calibrate", "--dfe", path.join(dir, "nothing"), "--la", "Northshire", "--costs", small, "--out", out],
        `caseflow: --dfe ${path.join(dir, "nothing")}: no such folder`
      ],
      [
        ["calibrate", "--dfe", path.join(dir, "dfe"), "--la", "Northshire", "--costs", small, "--out", small],
        `caseflow: --out: ${small} would overwrite the --costs template, ${small}; ` +
          "caseflow never writes over its inputs"
      ]
    ]
    for (const [args, message] of cases) {
      const r = await cli(args)
      expect(r.code, args.join(" ")).toBe(2)
      expect(r.stderr.trim()).toBe(message)
      expect(fs.existsSync(out)).toBe(false)
    }
  }, 120_000)

  it("a year alone for --to means the year ending 31 March", async () => {
    const out = path.join(dir, "cal2", "n.yaml")
    const r = await cli([
      "calibrate",
      "--dfe",
      path.join(dir, "dfe"),
      "--la",
      "901",
      "--to",
      "2018",
      "--costs",
      small,
      "--out",
      out
    ])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain("Northshire (E06000099, 901), to 31 March 2018, trend none")
    expect(fs.readFileSync(out, "utf8")).toContain("start: 2018-04-01")
  }, 120_000)
})
