/**
 * The scenario `calibrate --dfe` writes from a council's tables (src/calibrate/DfeScenario.ts), on generated
 * EES-shaped tables and the default borough as the template: what its printed notes say.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import * as Either from "effect/Either"
import { describe, expect, it } from "vitest"
import { dfeCalibration } from "../../src/calibrate/DfeEstimates.js"
import { dfeScenario } from "../../src/calibrate/DfeScenario.js"
import { DfeError, readDfeTables } from "../../src/calibrate/DfeTables.js"
import { scenarioFromPlainText } from "../../src/scenario/Load.js"
import { type Council, eesTable } from "../support/dfe.js"

const A: Council = { name: "Northshire", newCode: "E06000099", oldCode: "901" }
const YEARS = [2019, 2020, 2021]

const template = (() => {
  const file = path.join(path.resolve(import.meta.dirname, "../.."), "scenarios/default.yaml")
  const loaded = scenarioFromPlainText(file, fs.readFileSync(file, "utf8"))
  if (Either.isLeft(loaded)) throw new Error(loaded.left.message)
  return loaded.right.raw
})()

/** The printed notes for tables whose CP plans on 31 March 2021 are `lastStock` (300 the two years before). */
const notes = (lastStock: number): string => {
  const rows = (f: (y: number) => Record<string, number>) =>
    YEARS.map((year) => ({ year, council: A, values: f(year) }))
  const cp = (y: number) => (y === 2021 ? lastStock : 300)
  const files = [
    eesTable(
      "b1",
      rows((y) => ({ At31_episodes: 1500 + cp(y), Started_episodes: 2000 }))
    ),
    eesTable(
      "d3",
      rows(() => ({ CPP_start: 400, CPP_subsequent: 80 }))
    ),
    eesTable(
      "d5",
      rows((y) => {
        const n = cp(y)
        return {
          CPP_At31: n,
          "3_months_or_less": 0.3 * n,
          more_than_3_months_6_months: 0.25 * n,
          more_than_6_months_less_than_1_year: 0.25 * n,
          "1_year_less_than_2_years": 0.15 * n,
          "2_years_or_more": 0.05 * n
        }
      })
    ),
    eesTable(
      "ons",
      [2017, 2018, 2019, 2020].map((year) => ({ year, council: A, values: { population_estimate: 50_000 } }))
    )
  ].map((text, i) => ({ file: `t${i}.csv`, text }))
  const t = readDfeTables(files, "Northshire")
  if (t instanceof DfeError) throw new Error(t.message)
  const calibration = dfeCalibration(t, 2021, "none")
  return dfeScenario({ calibration, template, templateLabel: "default.yaml", command: "test" }).notes.join("\n")
}

describe("the scenario from a council's tables", () => {
  it("says when the 31 March stock is far from the level its pooled entries and mean time sustain", () => {
    // Pooled: (300 + 300 + 100) / 3 plans at 31 March over 400 started a year; 100 on the last 31 March.
    expect(notes(100)).toContain(
      "CP plans on 31 March 2021: 100, where the pooled years' entries and mean time sustain 233 (2.3 times as many)"
    )
    // Within a quarter of it: nothing said.
    expect(notes(280)).not.toContain("sustain")
  })
})
