/**
 * DfE's published local-authority tables (EES downloads, years to 31 March 2021) read end to end, when the
 * shared data folder is there: `../shared/data` beside the project (resolved from its root), or
 * /work/shared/data. They are never part of the project: elsewhere (a fresh clone) this test is skipped,
 * with a message saying why. Figures checked are those printed in the CSVs (Tameside, DfE LA 357).
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as Either from "effect/Either"
import { afterAll, describe, expect, it } from "vitest"
import { dfeCalibration, dfeEstimates } from "../../src/calibrate/DfeEstimates.js"
import { DfeError, readDfeTables } from "../../src/calibrate/DfeTables.js"
import { dfeScenario } from "../../src/calibrate/DfeScenario.js"
import { scenarioFromPlainText } from "../../src/scenario/Load.js"
import { cli } from "../support/cli.js"
import { sharedData } from "../support/sharedData.js"

const root = path.resolve(import.meta.dirname, "../..")
type Obj = Record<string, unknown>
const dfe = sharedData(
  "dfe",
  "b1_children_in_need_2013_to_2021.csv",
  "test/calibrate/DfeShared.test.ts",
  "DfE's EES tables"
)
const out = fs.mkdtempSync(path.join(os.tmpdir(), "caseflow-dfe-shared-"))
afterAll(() => fs.rmSync(out, { recursive: true, force: true }))

describe.skipIf(dfe === undefined)("DfE's published tables (EES, to 2021)", () => {
  // Read once for the file's tests (the 31 March table by characteristic alone is 7 MB).
  let read: ReturnType<typeof readDfeTables> | undefined
  const tables = () => {
    if (read !== undefined && !(read instanceof DfeError)) return read
    const files = fs
      .readdirSync(dfe!)
      .filter((f) => f.endsWith(".csv"))
      .map((f) => ({ file: f, text: fs.readFileSync(path.join(dfe!, f), "utf8") }))
    const t = readDfeTables(files, "357")
    if (t instanceof DfeError) throw new Error(t.message)
    read = t
    return t
  }

  it("finds the seven tables among the downloads and the dashboard's frames, and Tameside's figures", () => {
    const t = tables()
    expect(Object.fromEntries(t.files)).toEqual({
      b1: "b1_children_in_need_2013_to_2021.csv",
      c1: "c1_children_in_need_referrals_and_rereferrals_2013_to_2021.csv",
      d3: "d3_cpps_subsequent_plan_2013_to_2021.csv",
      d5: "d5_cpps_at31march_by_duration_2013_to_2021.csv",
      cla: "cla_number_and_rate_per_10k_children_2021_to_2021.csv",
      cla31: "combined_cla_31_march_data_2021_to_2021.csv",
      ons: "ons_mid-year_population_estimates_2012_to_2020.csv"
    })
    // repeat_cpp is the dashboard's copy of d3 (more columns): listed as not used.
    expect(t.unused.find((u) => u.file === "repeat_cpp_2013_to_2021.csv")?.why).toMatch(/^the same table as d3_/)
    expect(t.name).toBe("Tameside")
    const c = dfeCalibration(t, 2019, "none")
    expect(c.cinAt31!.value).toBe(2438)
    expect(c.cpAt31!.value).toBe(355)
    expect(c.population.value).toBe(50963)
    expect(c.lacAt31).toBeNull() // the CLA table starts in 2021
    expect(dfeCalibration(t, 2021, "none").lacAt31!.value).toBeGreaterThan(0)
  })

  it("Tameside's looked-after placement and age mix on 31 March 2021 from its DfE row", () => {
    const t = tables()
    const [placement, age] = dfeCalibration(t, 2021, "none").lacMix
    // DfE, Children looked after in England including adoptions 2021: Tameside's 682 by placement and by age.
    expect(Object.fromEntries(placement.counts)).toEqual({
      "Foster placements": 397,
      "Placed with parents or other person with parental responsibility": 111,
      "Secure homes and children's homes": 95,
      "Independent and semi-independent living arrangements/supported accommodation": 44,
      "Placed for adoption": 18
    })
    expect(placement.shares!.get("Foster placements")).toBeCloseTo(397 / 665, 12)
    expect(Object.fromEntries(age.counts)).toEqual({
      "Under 1 year": 29,
      "1 to 4 years": 101,
      "5 to 9 years": 137,
      "10 to 15 years": 268,
      "16 years and over": 147
    })
    const row = dfeEstimates(dfeCalibration(t, 2021, "none")).find((e) => e.breakdown.endsWith("Foster placements"))
    expect(row).toMatchObject({ measure: "looked after", value: 0.597, observations: 665 })
    expect(dfeCalibration(t, 2019, "none").lacMix[0].note).toMatch(/does not reach 31 March 2019/)
  })

  it("Tameside's legal-status mix and UASC on 31 March 2021 from its DfE row, and the groups fitted to them", () => {
    const c = dfeCalibration(tables(), 2021, "none")
    const legal = c.lacMix.find((m) => m.dimension === "legal status")!
    const uasc = c.lacMix.find((m) => m.dimension === "UASC")!
    // DfE, Children looked after in England including adoptions 2021: Tameside's 682 by legal status; 7 UASC.
    expect(Object.fromEntries(legal.counts)).toEqual({
      "Interim care order": 103,
      "Full care order": 497,
      "Placement order granted": 35,
      "Voluntary agreements under S20 CA 1989": 47,
      "Detained for child protection": 0,
      "Youth justice legal statuses": 0
    })
    expect(Object.fromEntries(uasc.counts)).toEqual({ UASC: 7, "Non-UASC": 675 })
    const file = path.join(root, "scenarios/default.yaml")
    const loaded = scenarioFromPlainText(file, fs.readFileSync(file, "utf8"))
    if (Either.isLeft(loaded)) throw new Error(loaded.left.message)
    const s = dfeScenario({ calibration: c, template: loaded.right.raw, templateLabel: file, command: "test" })
    const groups = (
      s.data as { startingCaseload: Array<{ level: string; count: number; uasc?: boolean; legalStatus?: Obj }> }
    ).startingCaseload.filter((g) => g.level === "looked_after")
    const total = groups.reduce((a, g) => a + g.count, 0)
    expect(total).toBe(682)
    expect(groups.filter((g) => g.uasc === true).reduce((a, g) => a + g.count, 0)).toBe(7)
    const share = (code: string) => groups.reduce((a, g) => a + g.count * Number(g.legalStatus?.[code] ?? 0), 0) / total
    for (const [code, n] of [
      ["C2", 497],
      ["C1", 103],
      ["E1", 35],
      ["V2", 47]
    ] as const)
      expect(share(code), code).toBeCloseTo(n / 682, 2)
  })

  it("suggests councils for a misspelt name", async () => {
    const r = await cli([
      "calibrate",
      "--dfe",
      dfe!,
      "--la",
      "Tamesid",
      "--costs",
      path.join(root, "scenarios/default.yaml"),
      "--out",
      path.join(out, "x.yaml")
    ])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(
      /^caseflow: --la "Tamesid": no such local authority in the tables \(\d+ councils\); did you mean "Tameside"/
    )
  })

  it("back-tests Tameside from 2019", async () => {
    const r = await cli([
      "backtest",
      "--dfe",
      dfe!,
      "--la",
      "Tameside",
      "--cutoffs",
      "2019",
      "--runs",
      "3",
      "--workers",
      "0",
      "--out",
      path.join(out, "bt")
    ])
    expect(r.code, r.stderr).toBe(0)
    const rows = fs
      .readFileSync(path.join(out, "bt", "backtest.csv"), "utf8")
      .trim()
      .split("\n")
    // CIN and CP for 2020 and 2021, looked after for 2021 (without naive forecasts: no CLA figure before).
    expect(rows.slice(1).map((l) => l.split(",").slice(0, 5).join(","))).toEqual([
      "2019,children in need,1,2020,2224",
      "2019,children in need,2,2021,2353",
      "2019,child protection plans,1,2020,360",
      "2019,child protection plans,2,2021,385",
      expect.stringMatching(/^2019,looked after,2,2021,\d+$/)
    ])
  }, 300_000)
})
