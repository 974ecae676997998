/**
 * Round trip: a scenario with known rates -> simulate -> its own DfE-shaped tables (dfe_cin_b1.csv,
 * dfe_cp_d5.csv, dfe_cla.csv as `run` writes them; C1, D3 and ONS made from its flows.csv) -> `calibrate
 * --dfe` -> the estimates recover the rates the scenario was written with. Tolerances are four standard
 * errors of the estimate, from the counts it is made of (stated per check).
 */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as YAML from "yaml"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { dfeCalibration } from "../../src/calibrate/DfeEstimates.js"
import { readDfeTables, valueIn } from "../../src/calibrate/DfeTables.js"
import { cli } from "../support/cli.js"
import { eesTable, tablesFromRun } from "../support/dfe.js"

const root = path.resolve(import.meta.dirname, "../..")
let dir = ""
const NAME = "Steady test borough"
const POPULATION = 40000

/** small.yaml made steady: no shock, no population growth, CP plans gamma(2) with a mean of 300 days. */
const steadyScenario = (): string => {
  const text = fs.readFileSync(path.join(root, "test/fixtures/small.yaml"), "utf8")
  const out = text
    .replace("name: Small test authority", `name: ${NAME}`)
    .replace("children: 10000", `children: ${POPULATION}`)
    .replace("growthPerYear: 0.01", "growthPerYear: 0")
    .replace(/ {2}changes:\n {4}- \{ from: 2026-04-01, multiplier: 1.25, label: shock \}\n/, "")
    .replace(
      / {2}child_protection:\n {4}duration:\n {6}type: empirical\n( {6}.*\n)+? {6}unit: months\n/,
      "  child_protection:\n    duration: { type: gamma, shape: 2, mean: 300 }\n"
    )
  expect(out).toContain("duration: { type: gamma, shape: 2, mean: 300 }")
  expect(out).not.toContain("shock")
  return out
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "caseflow-dfe-rt-"))
  fs.writeFileSync(path.join(dir, "steady.yaml"), steadyScenario())
  const run = await cli(["run", path.join(dir, "steady.yaml"), "--years", "10", "--out", path.join(dir, "run")])
  expect(run.code, run.stderr).toBe(0)
  tablesFromRun(path.join(dir, "run"), path.join(dir, "dfe"), NAME, POPULATION)
}, 120_000)
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const tables = () => {
  const d = path.join(dir, "dfe")
  const files = fs
    .readdirSync(d)
    .map((f) => ({ file: path.join(d, f), text: fs.readFileSync(path.join(d, f), "utf8") }))
  const t = readDfeTables(files, NAME)
  if (!("series" in t)) throw new Error(t.message)
  return t
}

describe("calibrate --dfe recovers a simulated scenario's rates from its own DfE tables", () => {
  it("finds every table by its columns (the file names say nothing)", () => {
    const t = tables()
    expect([...t.files.keys()].sort()).toEqual(["b1", "c1", "cla", "d3", "d5", "ons"])
    expect(t.unused).toEqual([])
  })

  it("new referrals per 10,000, no-further-action and not-in-need shares", () => {
    const c = dfeCalibration(tables(), 2035, "none")
    const rate = c.newReferralRate!
    // 3 years of ~2,000 new referrals: sd ~1.3%; four sd.
    expect(Math.abs(rate.value - 500) / 500).toBeLessThan(4 / Math.sqrt(rate.observations))
    // Shares of all referrals (re-referrals go through the front door too): binomial sd, four of them.
    const sd = (p: number, n: number) => Math.sqrt((p * (1 - p)) / n)
    expect(Math.abs(c.nfaShare!.value - 0.3)).toBeLessThan(4 * sd(0.3, c.nfaShare!.observations))
    expect(Math.abs(c.notInNeedShare!.value - 0.2)).toBeLessThan(4 * sd(0.2, c.notInNeedShare!.observations))
  })

  it("CP plan length by Little's law, and the gamma shape from the D5 bands", () => {
    const c = dfeCalibration(tables(), 2035, "none")
    const m = c.cpMeanDays!
    // log-scale se of stock / entries (both Poisson-like): sqrt(1/S + 1/E); four of them. Plans cut short at
    // 18 make the mean a little shorter than the law's 300 days.
    const se = Math.log(m.upper! / m.lower!) / (2 * 1.96)
    expect(Math.abs(Math.log(m.value / 300))).toBeLessThan(4 * se + 0.03)
    expect(m.lower!).toBeLessThan(m.value)
    expect(c.cpShape!.value).toBeGreaterThan(1.2)
    expect(c.cpShape!.value).toBeLessThan(3.2)
  })

  it("writes a scenario that validates and runs, with a comment on every number", async () => {
    // With the council's own looked-after placement mix on 31 March 2035 (the CLA table by characteristic).
    const mixDir = path.join(dir, "dfe-mix")
    fs.cpSync(path.join(dir, "dfe"), mixDir, { recursive: true })
    const council = { name: NAME, newCode: "", oldCode: "" }
    const mix: ReadonlyArray<readonly [string, number]> = [
      ["Foster placements", 60],
      ["Secure homes and children's homes", 25],
      ["Independent and semi-independent living arrangements/supported accommodation", 15],
      ["Placed with parents or other person with parental responsibility", 0],
      ["Placed for adoption", 0]
    ]
    fs.writeFileSync(
      path.join(mixDir, "by_characteristic.csv"),
      eesTable(
        "cla31",
        mix.map(([characteristic, n]) => ({
          year: 2035,
          council,
          values: { cla_group: "Placement", characteristic, cla_31_march_number: n }
        }))
      )
    )
    const out = path.join(dir, "cal", "calibrated.yaml")
    const r = await cli([
      "calibrate",
      "--dfe",
      mixDir,
      "--la",
      NAME.toUpperCase(),
      "--to",
      "2035",
      "--costs",
      path.join(root, "test/fixtures/small.yaml"),
      "--out",
      out,
      "--table",
      path.join(dir, "cal", "table.csv")
    ])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain("Calibration table (from DfE tables)")
    expect(r.stdout).toContain("pilot run (3 years)")
    const text = fs.readFileSync(out, "utf8")
    expect(text).toContain("start: 2035-04-01")
    // Every line that holds a number (not a comment line) carries a comment saying where it came from.
    const numbered = text.split("\n").filter((l) => !l.trimStart().startsWith("#") && /:\s*-?[\d[]/.test(l))
    expect(numbered.length).toBeGreaterThan(50)
    for (const l of numbered) expect(l, l).toMatch(/ # /)
    expect(text).toMatch(/mean: [\d.]+ # CP mean plan length \(days\): D5 and D3: CPP_At31 \/ CPP_start/)
    // The looked-after groups take the council's placement shares (60:25:15 of the CLA stock, to rounding).
    const lac = (
      YAML.parse(text) as { startingCaseload: Array<{ level: string; placement: string; count: number }> }
    ).startingCaseload.filter((g) => g.level === "looked_after")
    const stock = valueIn(tables(), "cla.stock", 2035)!
    expect(lac.reduce((a, g) => a + g.count, 0)).toBe(stock)
    const of = (p: string) => lac.filter((g) => g.placement === p).reduce((a, g) => a + g.count, 0)
    expect(Math.abs(of("in_house_foster") - 0.6 * stock)).toBeLessThanOrEqual(1)
    expect(Math.abs(of("external_residential") - 0.25 * stock)).toBeLessThanOrEqual(1)
    expect(text).toContain("raked (iterative proportional fitting) to the council's placement mix")
    const v = await cli(["validate", out])
    expect(v.code).toBe(0)
    const run = await cli(["run", out, "--years", "1", "--out", path.join(dir, "cal-run")])
    expect(run.code).toBe(0)
    const table = fs.readFileSync(path.join(dir, "cal", "table.csv"), "utf8")
    expect(table.split("\n")[0]).toBe("measure,breakdown,value,lower_95,upper_95,observations,unit,method,source")
    expect(table).toContain("child protection,mean plan length")
    expect(table).toContain("looked after,placement at 31 March 2035: Foster placements,0.6,")
  }, 120_000)
})

/** A copy of the run's tables in a folder of its own (without the file `except`), to alter. */
const copyOfTables = (name: string, except: string | null = null): string => {
  const to = path.join(dir, name)
  fs.mkdirSync(to, { recursive: true })
  for (const f of fs.readdirSync(path.join(dir, "dfe")))
    if (f !== except) fs.copyFileSync(path.join(dir, "dfe", f), path.join(to, f))
  return to
}

describe("calibrate --dfe with a folder holding something other than files", () => {
  it("names a named pipe among the tables as what it is", async () => {
    const withFifo = copyOfTables("with-fifo")
    const fifo = path.join(withFifo, "zz.csv")
    execFileSync("mkfifo", [fifo])
    const args = ["calibrate", "--dfe", withFifo, "--la", NAME, "--costs", path.join(root, "test/fixtures/small.yaml")]
    const r = await cli([...args, "--out", path.join(dir, "fifo-out", "c.yaml")])
    expect([r.code, r.stderr]).toEqual([2, `caseflow: ${fifo}: expected a regular file, found a named pipe (FIFO)\n`])
  })
})

describe("calibrate --dfe without a population: refused, or given one", () => {
  it("refuses a council with no ONS estimate, takes --population instead, refuses SSDA903's flags", async () => {
    const noOns = copyOfTables("no-ons", "population.csv")
    const out = path.join(dir, "no-ons-out")
    const args = (...more: Array<string>) => [
      "calibrate",
      "--dfe",
      noOns,
      "--la",
      NAME,
      "--costs",
      path.join(root, "test/fixtures/small.yaml"),
      "--out",
      path.join(out, "c.yaml"),
      ...more
    ]
    const refused = await cli(args())
    expect(refused.code).toBe(2)
    expect(refused.stderr.replace(/\d{4}/g, "YYYY")).toBe(
      "caseflow: --to YYYY: the tables give Steady test borough no ONS 0-17 population estimate at or before " +
        "mid-YYYY (no file in the folder is the ONS mid-year estimates): give the council's children aged 0-17 " +
        "with --population N\n"
    )
    expect(fs.existsSync(out)).toBe(false)
    const given = await cli(args("--population", "41000"))
    expect(given.code, given.stderr).toBe(0)
    const scenario = YAML.parse(fs.readFileSync(path.join(out, "c.yaml"), "utf8")) as {
      population: { children: number }
      referrals: { ratePer10k: number }
    }
    expect(scenario.population.children).toBe(41000)
    expect(scenario.referrals.ratePer10k).toBeGreaterThan(0)
    for (const flag of ["--children", "--problems"]) {
      const r = await cli(args(flag, path.join(dir, "x.csv")))
      expect([r.code, r.stderr]).toEqual([
        2,
        `caseflow: ${flag}: applies to SSDA903 returns (--episodes, --header), not to --dfe alone\n`
      ])
    }
  }, 120_000)
})

describe("calibrate --dfe with no CP figure", () => {
  it("still sets the levels below care by B1's children in need, with CP plans at the template's share", async () => {
    const suppressed = copyOfTables("cp-suppressed")
    const t = tables()
    const year = Math.max(...[...(t.series.get("d5.at31") ?? new Map()).keys()])
    // Every CPP_At31 cell of the last year made "x" (not available), as Hackney's D5 has it in 2021 (a "c" is 1
    // to 5, taken as 3).
    const d5 = path.join(suppressed, "run_dfe_cp_d5.csv")
    const [head, ...rows] = fs.readFileSync(d5, "utf8").split("\n")
    const k = head.split(",").indexOf("CPP_At31")
    const out = rows.map((r) => {
      const cells = r.split(",")
      if (cells[0] === String(year)) cells[k] = "x"
      return cells.join(",")
    })
    fs.writeFileSync(d5, [head, ...out].join("\n"))
    const file = path.join(dir, "cp-suppressed-out", "c.yaml")
    const r = await cli([
      "calibrate",
      "--dfe",
      suppressed,
      "--la",
      NAME,
      "--costs",
      path.join(root, "test/fixtures/small.yaml"),
      "--out",
      file
    ])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain(`no CP plans figure (D5) for 31 March ${year}: CP plans = the template's share`)
    const groups = (
      YAML.parse(fs.readFileSync(file, "utf8")) as { startingCaseload: Array<{ level: string; count: number }> }
    ).startingCaseload
    const at = (level: string) => groups.filter((g) => g.level === level).reduce((a, g) => a + g.count, 0)
    const cin = valueIn(t, "b1.at31", year)!
    // B1 counts every child in need, on a plan or looked after too: the three levels add up to it (to rounding).
    expect(Math.abs(at("child_in_need") + at("child_protection") + at("looked_after") - cin)).toBeLessThanOrEqual(3)
    expect(at("child_protection")).toBeGreaterThan(0)
  }, 120_000)
})
