/** Shared set-up for the report tests: a scenario whose spend is known exactly. */
import * as fs from "node:fs"
import * as Either from "effect/Either"
import { parse } from "yaml"
import { scenarioFromData, type ScenarioSource } from "../../src/scenario/Load.js"
import type { Scenario } from "../../src/scenario/Scenario.js"
import { fixture } from "../support/cli.js"

/**
 * The small test authority (children come and go as usual) from `start` for one year, with one cost: a
 * fixed £`perYear` a year on the budget line "Management", whose budget is `budget` (year -> pounds). Its
 * spend in a financial year is exactly perYear x days covered / days in the year.
 */
export const fixedOnlySource = (
  start: string,
  perYear: number,
  budget: Readonly<Record<string, number>>
): ScenarioSource => {
  const raw = parse(fs.readFileSync(fixture("small.yaml"), "utf8")) as Record<string, unknown>
  return Either.getOrThrow(
    scenarioFromData(`fixed-only from ${start}`, {
      ...raw,
      start,
      years: 1,
      budgetLines: [{ name: "Management", budget }],
      costs: { inflation: 0, fixed: [{ name: "Senior management", budgetLine: "Management", perYear }] }
    })
  )
}

export const fixedOnly = (start: string, perYear: number, budget: Readonly<Record<string, number>>): Scenario =>
  fixedOnlySource(start, perYear, budget).central
