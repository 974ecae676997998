/**
 * `caseflow backtest --episodes ... --header ... --dfe DIR --la X`: the back-test from the two sources together,
 * on generated returns and EES tables of one small council. Nothing after a cut-off reaches its forecast:
 * poison in the tables' later years and in the returns after the cut-off (later corrections of the episodes
 * open on it, and children who came into care after it) changes the actuals the forecast is scored against,
 * and not a byte of the cut-off's scenario nor any forecast or naive figure. Then the multi-LA shape (the
 * council's rows picked by its code) and the refusals (exit 2, one line, nothing written).
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as YAML from "yaml"
import { COMBINED_MEASURE_NAMES } from "../../src/backtest/BacktestCombined.js"
import { MONTHLY_MEASURES } from "../../src/backtest/Backtest903.js"
import { cli } from "../support/cli.js"
import { syntheticTables } from "../support/dfe.js"
import * as Either from "effect/Either"
import { combineReturns, readFileBytes, type Role } from "../../src/ssda903/Read.js"
import { DEFAULT_TRUTH, synthetic, type Synthetic } from "../support/ssda903.js"
import { csvRows } from "../support/csv.js"

const roleOf = (f: string): Role => (f.includes("episodes") ? "episodes" : f.includes("header") ? "header" : "uasc")

const root = path.resolve(import.meta.dirname, "../..")
const template = path.join(root, "test/fixtures/small.yaml")
const council = { name: "Northshire", newCode: "E06000099", oldCode: "901" }
const truth = { ...DEFAULT_TRUTH, entriesPerYear: 60, years: [2020, 2021, 2022], seed: "combined-backtest" }
const years = [2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022]

let base = ""
let iso: Synthetic
const returnsIn = (dir: string) => {
  const of = (role: string) =>
    fs
      .readdirSync(dir)
      .filter((f) => f.includes(role))
      .sort()
      .map((f) => path.join(dir, f))
  return ["--episodes", ...of("episodes"), "--header", ...of("header"), "--uasc", ...of("uasc")]
}

/**
 * The last return (2021-22) poisoned: every row's legal status and placement changed (so a later correction of
 * an episode open on 31 March 2021 would move the fit) and every episode begun in it copied for a new child.
 */
const poisonReturn = (episodes: string, header: string): readonly [string, string] => {
  const [head, ...rows] = episodes.trim().split("\n")
  const copies: Array<string> = []
  const children = new Set<string>()
  const changed = rows.map((r) => {
    const f = r.split(",")
    const [d, m, y] = f[1].split("/").map(Number)
    if (y * 10000 + m * 100 + d > 20210331) {
      copies.push([`P${f[0]}`, ...f.slice(1)].join(","))
      children.add(f[0])
    }
    f[3] = "C1"
    f[5] = "K2"
    f[6] = "PR4"
    return f.join(",")
  })
  const [hHead, ...hRows] = header.trim().split("\n")
  const hCopies = hRows.filter((r) => children.has(r.split(",")[0])).map((r) => `P${r}`)
  return [[head, ...changed, ...copies].join("\n") + "\n", [hHead, ...hRows, ...hCopies].join("\n") + "\n"]
}

/** The tables with every figure of the council's 2022 row tripled (the geography block is the first 10 columns). */
const poisonTables = (from: string, to: string): void => {
  fs.mkdirSync(to)
  for (const f of fs.readdirSync(from)) {
    const lines = fs.readFileSync(path.join(from, f), "utf8").split("\n")
    const out = lines.map((l) =>
      l.startsWith("2022,") && l.includes("Local authority")
        ? l
            .split(",")
            .map((v, i) => (i >= 10 && /^\d+$/.test(v) ? String(Number(v) * 3) : v))
            .join(",")
        : l
    )
    fs.writeFileSync(path.join(to, f), out.join("\n"))
  }
}

beforeAll(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), "caseflow-combined-backtest-"))
  const s = synthetic(truth, {})
  for (const dir of ["returns", "poisoned"]) fs.mkdirSync(path.join(base, dir))
  for (const [f, content] of s.files) {
    fs.writeFileSync(path.join(base, "returns", f), content)
    if (!f.startsWith("2021-")) fs.writeFileSync(path.join(base, "poisoned", f), content)
  }
  const text = (f: string) => s.files.find(([n]) => n === f)![1]
  const [episodes, header] = poisonReturn(text("2021-episodes.csv"), text("2021-header.csv"))
  fs.writeFileSync(path.join(base, "poisoned", "2021-episodes.csv"), episodes)
  fs.writeFileSync(path.join(base, "poisoned", "2021-header.csv"), header)
  fs.writeFileSync(path.join(base, "poisoned", "2021-uasc.csv"), text("2021-uasc.csv"))
  syntheticTables(path.join(base, "dfe"), council, years)
  syntheticTables(path.join(base, "dfe-east"), { name: "Eastshire", newCode: "E06000097", oldCode: "903" }, years)
  poisonTables(path.join(base, "dfe"), path.join(base, "dfe-poisoned"))
  // The multi-LA shape: the council (LA 901, its DfE code) and a neighbour in one extract.
  iso = synthetic({ ...truth, entriesPerYear: 30 }, { shape: "iso", las: ["901", "902"] })
  fs.mkdirSync(path.join(base, "iso"))
  for (const [f, content] of iso.files) fs.writeFileSync(path.join(base, "iso", f), content)
})
afterAll(() => fs.rmSync(base, { recursive: true, force: true }))

const backtest = (returns: string, dfe: string, out: string, ...more: Array<string>) =>
  cli(
    [
      "backtest",
      ...returnsIn(path.join(base, returns)),
      "--dfe",
      path.join(base, dfe),
      "--la",
      "Northshire",
      "--costs",
      template,
      "--out",
      path.join(base, out),
      ...more
    ],
    { cores: 2 }
  )

const FORECAST = ["cutoff", "measure", "horizon", "month", "median", "p05", "p25", "p75", "p95", "naive_last"]

describe("caseflow backtest from the returns and DfE's tables together", () => {
  it("scores care on the returns by month and the rest on the tables; later data change no forecast", async () => {
    const clean = await backtest("returns", "dfe", "clean", "--cutoffs", "2021", "--runs", "2", "--workers", "0")
    expect(clean.code, clean.stderr).toBe(0)
    expect(clean.stdout).toContain("Back-test of Northshire: cut-offs 2021-03-31; 2 Monte Carlo runs each")
    expect(clean.stdout).toMatch(/The tables' year-to-year variation drawn \(coefficient of variation\)/)
    const rows = csvRows(path.join(base, "clean", "backtest.csv"))
    const measures = [...new Set(rows.map((r) => r.measure))]
    expect(measures).toEqual(COMBINED_MEASURE_NAMES)
    // Twelve months of the returns after the cut-off; the tables' 2022 figures at horizon 12.
    expect(rows.filter((r) => r.measure === MONTHLY_MEASURES.stock)).toHaveLength(12)
    for (const m of COMBINED_MEASURE_NAMES.slice(4)) {
      const r = rows.filter((x) => x.measure === m)
      expect(
        r.map((x) => [x.horizon, x.month]),
        m
      ).toEqual([["12", "2022-03"]])
    }
    // The tables' actual and naive figures: B1's 2022 and 2021 children in need (700 x 1.03^7 and ^6).
    const cin = rows.find((r) => r.measure === "children in need at 31 March")!
    expect(cin.actual).toBe(String(Math.round(700 * 1.03 ** 7)))
    expect(cin.naive_last).toBe(String(Math.round(700 * 1.03 ** 6)))
    // The scenario is calibrate's combined one: the tables' population and front door, the returns' children.
    const scenario = YAML.parse(fs.readFileSync(path.join(base, "clean", "scenario_2021-03-31.yaml"), "utf8")) as {
      start: string
      population: { children: number }
      startingCaseload: Array<{ level: string; count: number }>
    }
    expect(scenario.start).toBe("2021-04-01")
    expect(scenario.population.children).toBe(20000)
    const inCare = scenario.startingCaseload.filter((g) => g.level === "looked_after")
    expect(inCare.length).toBeGreaterThan(20)
    expect(inCare.every((g) => g.count === 1)).toBe(true)

    const poisoned = await backtest(
      "poisoned",
      "dfe-poisoned",
      "poisoned",
      "--cutoffs",
      "2021",
      "--runs",
      "2",
      "--workers",
      "0"
    )
    expect(poisoned.code, poisoned.stderr).toBe(0)
    // The same scenario but for the folders' names in its comments.
    const scenarioOf = (dir: string) =>
      fs
        .readFileSync(path.join(base, dir, "scenario_2021-03-31.yaml"), "utf8")
        .replaceAll(path.join(base, "dfe-poisoned"), path.join(base, "dfe"))
        .replaceAll(path.join(base, "poisoned"), path.join(base, "returns"))
    expect(scenarioOf("poisoned")).toBe(scenarioOf("clean"))
    const after = csvRows(path.join(base, "poisoned", "backtest.csv"))
    const key = (r: Record<string, string>) => `${r.measure},${r.horizon}`
    const pick = (rs: Array<Record<string, string>>) =>
      new Map(rs.map((r) => [key(r), FORECAST.map((c) => r[c]).join(",")]))
    const [a, b] = [pick(rows), pick(after)]
    for (const [k, v] of a) if (b.has(k)) expect(b.get(k), k).toBe(v)
    // The poison did reach the actuals: the tables' 2022 figures and the returns' entries after the cut-off.
    const actual = (rs: Array<Record<string, string>>, m: string) =>
      rs.filter((r) => r.measure === m).reduce((x, r) => x + Number(r.actual), 0)
    expect(actual(after, "children in need at 31 March")).toBe(3 * actual(rows, "children in need at 31 March"))
    expect(actual(after, MONTHLY_MEASURES.starts)).toBe(2 * actual(rows, MONTHLY_MEASURES.starts))
  }, 120_000)

  it("picks the council's rows of a multi-LA extract by its name or code", () => {
    const files = iso.files.map(([f, text]) => {
      const read = readFileBytes(path.join(base, "iso", f), roleOf(f), Buffer.from(text))
      if (Either.isLeft(read)) throw new Error(read.left.message)
      return read.right
    })
    const rows = (names: ReadonlyArray<string>) => {
      const r = combineReturns(files, { names })
      if (Either.isLeft(r)) throw new Error(r.left.message)
      return new Set(r.right.episodes.flatMap((f) => Array.from(f.rows, (x) => x.la)))
    }
    expect(rows(["Northshire", "E06000099", "901"])).toEqual(new Set(["901"]))
    expect(rows(["Southshire", "E06000098", "902"])).toEqual(new Set(["902"]))
    const none = combineReturns(files, { names: ["Eastshire", "903"] })
    expect(Either.isLeft(none) && none.left.message).toMatch(
      /rows of 2 councils \(901, 902\), none of them "Eastshire"/
    )
  })

  it("refuses a bad combination of flags with exit 2, one line and nothing written", async () => {
    const iso = returnsIn(path.join(base, "iso"))
    for (const [args, message] of [
      [
        [...returnsIn(path.join(base, "returns")), "--dfe", path.join(base, "dfe"), "--cutoffs", "2021"],
        "caseflow: --la: with --dfe and the returns, name the council in the tables (its name or LA code)"
      ],
      [
        [
          ...returnsIn(path.join(base, "returns")),
          "--dfe",
          path.join(base, "dfe"),
          "--la",
          "901",
          "--cutoffs",
          "2021-09-30"
        ],
        "caseflow: --cutoffs 2021-09-30: with --dfe and the returns, a cut-off is a 31 March (the tables are " +
          "yearly), such as 2019 or 2019-03-31"
      ],
      [
        [...iso, "--dfe", path.join(base, "dfe-east"), "--la", "Eastshire", "--cutoffs", "2021"],
        `caseflow: ${path.join(base, "iso", "episodes.csv")}: rows of 2 councils (901, 902), none of them ` +
          '"Eastshire", "E06000097", "903" (--la with --dfe names the council in the tables and in the LA column)'
      ]
    ] as const) {
      const out = path.join(base, "refused")
      const r = await cli(["backtest", ...args, "--costs", template, "--out", out])
      expect(r.stderr.trim(), args.join(" ")).toBe(message)
      expect(r.code).toBe(2)
      expect(fs.existsSync(out)).toBe(false)
    }
  })
})
