/**
 * `calibrate --dfe` as one function: the council's estimates (DfeEstimates.ts) written into the template
 * (DfeScenario.ts), then a pilot run of that scenario (DfePilot.ts) sets the share of moves into child
 * protection and into care so that the scenario starts as many plans (and, where the CLA table gives them,
 * entries to care) a year as the council did, and the scenario is written again with them. Pure and
 * deterministic (the pilot runs from the scenario's own seed).
 */
import * as Either from "effect/Either"
import type { DfeCalibration } from "./DfeEstimates.js"
import { pilotRates } from "./DfePilot.js"
import { type DfeScenario, dfeScenario, type DfeScenarioInput } from "./DfeScenario.js"

/** Years the pilot run covers. */
export const PILOT_YEARS = 3

const grouped = (x: number): string => Math.round(x).toLocaleString("en-GB")

export const calibratedScenario = (
  input: Omit<DfeScenarioInput, "adjust">
): Either.Either<DfeScenario & { readonly pilot: string | null }, string> => {
  const first = dfeScenario(input)
  const c: DfeCalibration = input.calibration
  const pilot = pilotRates("the calibrated scenario", first.data, PILOT_YEARS)
  if (Either.isLeft(pilot)) return Either.left(pilot.left)
  const p = pilot.right
  const factor = (target: number | null, got: number) => (target === null || got <= 0 ? null : target / got)
  const cpF = factor(c.cpStarts?.value ?? null, p.cpStarts)
  const lacF = factor(c.lacStarts?.value ?? null, p.lacStarts)
  const seed = String((first.data as { seed?: unknown }).seed)
  const run = `a pilot run of this scenario before the factor (seed ${seed}, ${PILOT_YEARS} years)`
  const second = dfeScenario({
    ...input,
    adjust: {
      cp:
        cpF === null
          ? null
          : {
              factor: cpF,
              note:
                `${run} started ${grouped(p.cpStarts)} plans a year; ` +
                `the council ${grouped(c.cpStarts!.value)} (${c.cpStarts!.source})`
            },
      lac:
        lacF === null
          ? null
          : {
              factor: lacF,
              note:
                `${run} took ${grouped(p.lacStarts)} children into care a year; ` +
                `the council ${grouped(c.lacStarts!.value)} (${c.lacStarts!.source})`
            }
    }
  })
  const text =
    `pilot run (${PILOT_YEARS} years): ${grouped(p.cpStarts)} CP plans a year` +
    (cpF === null ? "" : ` -> moves into CP x ${cpF.toFixed(3)}`) +
    `; ${grouped(p.lacStarts)} entries to care a year` +
    (lacF === null ? " (no CLA starters for the years: kept)" : ` -> moves into care x ${lacF.toFixed(3)}`)
  return Either.right({ ...second, pilot: text })
}
