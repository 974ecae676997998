/**
 * `caseflow backtest --episodes ... --header ...`: the back-test from SSDA903 returns, by month, on returns the
 * model wrote itself (a known scenario -> `run --ssda903` -> backtest), and on the public synthetic sample
 * when the shared data folder is there.
 *
 * The known scenario is the small test authority, steady (no referral shock, no growth), with every entry to
 * care at the front door (no step-up from child in need or protection), so that the council's entries to
 * care do not hang on the levels below care, which SSDA903 does not hold. Calibrated from its own returns
 * with itself as the template, the forecast is then the truth but for the estimates' error, and the
 * monthly flows (independent from month to month) must fall inside the 50% and 90% bands about as often as
 * the bands say: within four binomial standard errors for the number of points.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as YAML from "yaml"
import * as Either from "effect/Either"
import { censorAt, monthlyActuals, MONTHLY_MEASURES, returnsUpTo, scenarioAt } from "../../src/backtest/Backtest903.js"
import { epochDay } from "../../src/domain/Calendar.js"
import { cleanReturns } from "../../src/ssda903/Clean.js"
import { scenarioFromPlainText } from "../../src/scenario/Load.js"
import { combineReturns, readFileBytes, type Returns } from "../../src/ssda903/Read.js"
import { cli } from "../support/cli.js"
import { sampleFlags, sharedData } from "../support/sharedData.js"
import { csvRows } from "../support/csv.js"

const root = path.resolve(import.meta.dirname, "../..")
let dir = ""
let scenario = ""
const files = (role: string) =>
  fs
    .readdirSync(path.join(dir, "903"))
    .filter((f) => f.startsWith(role))
    .sort()
    .map((f) => path.join(dir, "903", f))

/** The small authority made steady, every entry to care at the front door. */
const steadyScenario = (): string => {
  const raw = YAML.parse(fs.readFileSync(path.join(root, "test/fixtures/small.yaml"), "utf8")) as {
    [k: string]: unknown
  } & {
    years: number
    population: unknown
    referrals: { changes?: unknown; frontDoor: Array<{ to: string; probability: number }> }
    levels: Record<string, { outcomes: unknown }>
    startingCaseload: Array<{ count: number }>
    costs: { fixed: unknown }
  }
  raw.years = 6
  raw.population = { children: 30000 }
  delete raw.referrals.changes
  raw.referrals.frontDoor = raw.referrals.frontDoor.map((o) =>
    o.to === "looked_after" ? { ...o, probability: 0.04 } : o.to === "early_help" ? { ...o, probability: 0.22 } : o
  )
  const noCare = (outcomes: unknown): unknown =>
    JSON.parse(JSON.stringify(outcomes), (_, v: unknown) =>
      Array.isArray(v) && v.some((o: { to?: string }) => o?.to === "looked_after")
        ? v
            .filter((o: { to?: string }) => o.to !== "looked_after")
            .map((o: { to?: string; probability: number }, _i, kept) =>
              o.to === "universal"
                ? {
                    ...o,
                    probability:
                      1 - kept.filter((k) => k.to !== "universal").reduce((a, k) => a + Number(k.probability), 0)
                  }
                : o
            )
        : v
    )
  raw.levels.child_in_need.outcomes = noCare(raw.levels.child_in_need.outcomes)
  raw.levels.child_protection.outcomes = noCare(raw.levels.child_protection.outcomes)
  raw.startingCaseload = raw.startingCaseload.map((g) => ({ ...g, count: g.count * 3 }))
  raw.costs.fixed = []
  return YAML.stringify(raw)
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "caseflow-backtest903-"))
  scenario = path.join(dir, "steady.yaml")
  fs.writeFileSync(scenario, steadyScenario())
  const r = await cli(["run", scenario, "--ssda903", path.join(dir, "903"), "--out", path.join(dir, "run")])
  expect(r.code, r.stderr).toBe(0)
}, 120_000)
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

/** The first `years` returns, read and combined. */
const returnsOf = (years: number): Returns => {
  const read = [...files("episodes").slice(0, years), ...files("header").slice(0, years)].map((f) => {
    const e = readFileBytes(f, f.includes("episodes") ? "episodes" : "header", fs.readFileSync(f))
    if (Either.isLeft(e)) throw new Error(e.left.message)
    return e.right
  })
  const returns = combineReturns(read, null)
  if (Either.isLeft(returns)) throw new Error(returns.left.message)
  return returns.right
}

const backtest = (out: string, ...more: Array<string>) =>
  cli(
    [
      "backtest",
      "--episodes",
      ...files("episodes"),
      "--header",
      ...files("header"),
      "--costs",
      scenario,
      "--out",
      out,
      ...more
    ],
    { cores: 2 }
  )

describe("caseflow backtest from SSDA903 returns", () => {
  it("forecasts each month after the cut-off; the bands hold the flows about as often as they say", async () => {
    const out = path.join(dir, "a")
    // In this thread (whose engine is already compiled): worker threads are the next test's point.
    const r = await backtest(
      out,
      "--cutoffs",
      "2028-03-31",
      "--runs",
      "30",
      "--workers",
      "0",
      "--report",
      path.join(out, "r.html")
    )
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain("Back-test of the council: cut-offs 2028-03-31; 30 Monte Carlo runs each")
    expect(fs.readdirSync(out).sort()).toEqual([
      "backtest.csv",
      "backtest_summary.csv",
      "r.html",
      "scenario_2028-03-31.yaml"
    ])
    const rows = csvRows(path.join(out, "backtest.csv"))
    expect(Object.keys(rows[0]).slice(0, 5)).toEqual(["cutoff", "measure", "horizon", "month", "actual"])
    // 36 months forecast (April 2028 to March 2031), each measure; the 31 March stocks apart.
    const of = (m: string) => rows.filter((x) => x.measure === m)
    expect(of(MONTHLY_MEASURES.stock).map((x) => x.month)[0]).toBe("2028-04")
    expect(of(MONTHLY_MEASURES.stock)).toHaveLength(36)
    expect(of(MONTHLY_MEASURES.march).map((x) => [x.horizon, x.month])).toEqual([
      ["12", "2029-03"],
      ["24", "2030-03"],
      ["36", "2031-03"]
    ])
    // The first month end: the children in care on the cut-off carry on, so the forecast is close.
    const first = of(MONTHLY_MEASURES.stock)[0]
    expect(Math.abs(Number(first.median) - Number(first.actual)) / Number(first.actual)).toBeLessThan(0.05)
    // Coverage of the monthly flows: about as often as each band says.
    const flows = [...of(MONTHLY_MEASURES.starts), ...of(MONTHLY_MEASURES.ceased)]
    const n = flows.length
    expect(n).toBeGreaterThan(60)
    for (const [col, p] of [
      ["in_50", 0.5],
      ["in_90", 0.9]
    ] as const) {
      const share = flows.filter((x) => x[col] === "1").length / n
      const se = Math.sqrt((p * (1 - p)) / n)
      expect(Math.abs(share - p), `${col}: ${share} of ${n}`).toBeLessThan(4 * se)
    }
    // The summary has every horizon and all; the report charts each measure.
    const summary = csvRows(path.join(out, "backtest_summary.csv"))
    expect(summary.filter((s) => s.measure === MONTHLY_MEASURES.stock).map((s) => s.horizon)).toContain("all")
    const html = fs.readFileSync(path.join(out, "r.html"), "utf8")
    expect(html).toContain("looked after at month end: actual and forecast")
  }, 240_000)

  it("gives the same bytes on 0 and 2 workers, and writes a workbook", async () => {
    const run = (out: string, workers: string, ...more: Array<string>) =>
      backtest(out, "--cutoffs", "2030-03-31,2030-09-30", "--runs", "4", "--workers", workers, ...more)
    const a = await run(path.join(dir, "w0"), "0")
    const b = await run(path.join(dir, "w2"), "2", "--xlsx", path.join(dir, "w2", "backtest.xlsx"))
    expect(a.code, a.stderr).toBe(0)
    expect(b.code, b.stderr).toBe(0)
    for (const f of ["backtest.csv", "backtest_summary.csv", "scenario_2030-03-31.yaml", "scenario_2030-09-30.yaml"])
      expect(fs.readFileSync(path.join(dir, "w2", f), "utf8"), f).toBe(fs.readFileSync(path.join(dir, "w0", f), "utf8"))
    expect(fs.statSync(path.join(dir, "w2", "backtest.xlsx")).size).toBeGreaterThan(1000)
  }, 240_000)

  it("reads nothing after the cut-off: later returns do not change the scenario by a byte", () => {
    // The scenario of the cut-off from all six returns and from the three up to the cut-off's year alone.
    const loaded = scenarioFromPlainText(scenario, fs.readFileSync(scenario, "utf8"))
    if (Either.isLeft(loaded)) throw new Error(loaded.left.message)
    const template = { label: "steady.yaml", raw: loaded.right.raw, scenario: loaded.right.central }
    const cutoff = epochDay("2028-03-31")
    const of = (years: number) => {
      const r = returnsOf(years)
      const made = scenarioAt({ returns: r, template, population: null }, cutoff, 3)
      if (Either.isLeft(made)) throw new Error(made.left)
      return made.right.text
    }
    const few = of(3)
    expect(few).toMatch(/^start: 2028-04-01/m)
    expect(of(6)).toBe(few)
  }, 240_000)

  it("censors at the cut-off: an end after it is open, a start after it is gone", () => {
    const returns = returnsOf(6)
    const cutoff = epochDay("2028-09-30")
    const all = cleanReturns(returns)
    const cut = censorAt(cleanReturns(returnsUpTo(returns, 2029)), cutoff)
    expect(cut.to).toBe(cutoff + 1)
    for (const c of cut.children)
      for (const p of c.periods) {
        expect(p.start).toBeLessThanOrEqual(cutoff)
        expect(p.end.day).toBeLessThanOrEqual(cutoff + 1)
        for (const e of p.episodes) {
          expect(e.start).toBeLessThanOrEqual(cutoff)
          if (e.end !== null) expect(e.end).toBeLessThanOrEqual(cutoff)
        }
      }
    // Up to the cut-off the censored returns say what all of them say, month by month.
    const known = monthlyActuals(cut)
    const later = monthlyActuals(all)
    for (const m of [MONTHLY_MEASURES.stock, MONTHLY_MEASURES.starts, MONTHLY_MEASURES.ceased])
      for (const [k, v] of known.get(m)!) expect(later.get(m)!.get(k), `${m} ${k}`).toBe(v)
    const stocks = [...known.get(MONTHLY_MEASURES.stock)!.keys()]
    expect(Math.max(...stocks)).toBe(2028 * 12 + 8)
  })

  it("refuses a bad cut-off or flag with exit 2 and writes nothing", async () => {
    const out = path.join(dir, "refused")
    for (const [more, message] of [
      [
        ["--cutoffs", "2028-03-15"],
        "caseflow: --cutoffs 2028-03-15: a cut-off of SSDA903 returns is a month's last day (such as 2028-03-31)"
      ],
      [
        ["--cutoffs", "2031-03-31"],
        "caseflow: --cutoffs 2031-03-31: the returns cover 2025-04-01 to 2031-03-31; a cut-off needs a year of " +
          "them up to it and a month after it"
      ],
      [
        ["--cutoffs", "2025-12-31"],
        "caseflow: --cutoffs 2025-12-31: the returns cover 2025-04-01 to 2031-03-31; a cut-off needs a year of " +
          "them up to it and a month after it"
      ],
      [
        ["--cutoffs", "2028-03-31", "--trend", "linear"],
        "caseflow: --trend: applies only with --dfe (the SSDA903 back-test's bands are the process noise's)"
      ],
      [
        ["--cutoffs", "2028-03-31", "--dfe", dir],
        "caseflow: --la: with --dfe and the returns, name the council in the tables (its name or LA code)"
      ],
      [["--cutoffs", "2028-03-31,2028"], 'caseflow: --cutoffs: a cut-off is given twice in "2028-03-31,2028"']
    ] as const) {
      const r = await backtest(out, ...more)
      expect(r.stderr.trim(), more.join(" ")).toBe(message)
      expect(r.code).toBe(2)
      expect(fs.existsSync(out)).toBe(false)
    }
    const noHeader = await cli(["backtest", "--episodes", ...files("episodes"), "--cutoffs", "2028-03-31"])
    expect(noHeader.stderr.trim()).toBe("caseflow: --header: give the SSDA903 header files")
    expect(noHeader.code).toBe(2)
  })
})

const sample = sharedData(
  "903-sample",
  "2017-episodes.csv",
  "test/backtest/backtest903.test.ts",
  "the public SSDA903 sample part"
)

describe.skipIf(sample === undefined)("caseflow backtest on the public synthetic SSDA903 sample", () => {
  it("back-tests from 31 March 2020 to March 2022", async () => {
    const out = path.join(dir, "sample")
    const r = await cli([
      "backtest",
      ...sampleFlags(sample ?? ""),
      "--cutoffs",
      "2020-03-31",
      "--runs",
      "4",
      "--workers",
      "0",
      "--out",
      out
    ])
    expect(r.code, r.stderr).toBe(0)
    const rows = csvRows(path.join(out, "backtest.csv"))
    expect(rows.filter((x) => x.cutoff === "2020-03-31" && x.measure === MONTHLY_MEASURES.stock)).toHaveLength(24)
    // The later returns hold children in care on the cut-off that the returns up to it do not (the sample's
    // generator), and the command says so.
    expect(r.stdout).toMatch(
      /Cut-off 2020-03-31: \d+ children in care on it by the returns up to it \(\d+ in the starting/
    )
  }, 240_000)
})
