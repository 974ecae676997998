/**
 * The two sources together (`calibrate --episodes ... --dfe DIR --la X`, and the back-test that combines
 * them): the scenario `calibrate --dfe` writes for the council to 31 March `year` on the costs template
 * (Dfe.ts: referrals, the front door, children in need, child protection, the population) becomes the
 * template the SSDA903 returns fill (Scenario903.ts: everything about care). One path for both commands, so
 * the back-test calibrates each cut-off exactly as `calibrate` does. Pure and deterministic.
 */
import * as Either from "effect/Either"
import { scenarioFromPlainText } from "../scenario/Load.js"
import type { CouncilNames } from "../ssda903/Read.js"
import { calibratedScenario } from "./Dfe.js"
import { dfeCalibration, dfeEstimates, type Trend } from "./DfeEstimates.js"
import { NO_CLA_FIGURE } from "./DfeScenario.js"
import type { CouncilTables } from "./DfeTables.js"
import type { Estimate } from "./Estimates.js"
import { commentsOf, type Template } from "./Scenario903.js"

export interface CombinedTemplate {
  /** The DfE-table scenario, as the template the returns fill. */
  readonly template: Template
  /** The DfE tables' calibration rows (the second calibration table). */
  readonly rows: ReadonlyArray<Estimate>
  /** What the tables' scenario fell back on, for the printed notes ("DfE tables: ..."). */
  readonly notes: ReadonlyArray<string>
}

/**
 * The template of the combined calibration: the council's DfE-table scenario to 31 March `year` on the costs
 * template (its resolved data and label). Left: why it could not be made (the message's subject named).
 */
export const combinedTemplate = (o: {
  readonly tables: CouncilTables
  readonly year: number
  readonly trend: Trend
  /** `--population`: the 0-17 population given (null: ONS's). */
  readonly population: number | null
  readonly costs: { readonly raw: unknown; readonly label: string }
  /** The DfE folder as given, for the command in the scenario's header. */
  readonly dfeLabel: string
}): Either.Either<CombinedTemplate, string> => {
  const { tables, year, trend, costs } = o
  const calibration = dfeCalibration(tables, year, trend, o.population)
  const command =
    `caseflow calibrate --dfe ${o.dfeLabel} --la "${tables.name}" --to ${year} --costs ${costs.label} ` +
    `--trend ${trend}`
  const made = calibratedScenario({ calibration, template: costs.raw, templateLabel: costs.label, command })
  if (Either.isLeft(made)) return Either.left(`the scenario from DfE's tables: ${made.left}`)
  const label = `the DfE-table scenario for ${tables.name} to 31 March ${year} (on ${costs.label})`
  const loaded = scenarioFromPlainText(label, made.right.text)
  if (Either.isLeft(loaded)) return Either.left(`the scenario from DfE's tables does not load: ${loaded.left.message}`)
  // The children in care come from the returns here, not from the tables' stock and its mix.
  const notes = made.right.notes
    .filter((n) => !n.startsWith(NO_CLA_FIGURE) && !n.startsWith("looked-after "))
    .map((n) => `DfE tables: ${n}`)
  if (made.right.pilot !== null) notes.push(`DfE tables: ${made.right.pilot}`)
  return Either.right({
    template: {
      label,
      raw: loaded.right.raw,
      scenario: loaded.right.central,
      comments: commentsOf(made.right.text),
      about:
        `The template is ${command} (DfE's published tables: referrals, the front door, children in need, ` +
        `child protection, the population), itself on the costs, services and staff of ${costs.label}.`
    },
    rows: dfeEstimates(calibration),
    notes
  })
}

/** The council's names in a multi-LA extract's LA column: as the tables name it, either code, or as given. */
export const councilNames = (t: CouncilTables, given: string): CouncilNames => ({
  names: [...new Set([t.name, t.newCode, t.oldCode, given].filter((n) => n !== ""))]
})
