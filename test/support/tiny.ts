/**
 * Tiny hand-made scenarios for exact-trace tests: no new referrals, fixed durations, probability-1
 * outcomes, so every time in the log can be worked out by hand. Tests override what they need.
 */
import type { ScenarioEncoded } from "../../src/scenario/Scenario.js"
import { compileModel, type Model } from "../../src/model/Model.js"
import { decodeValid } from "./arbitraries.js"

type Levels = ScenarioEncoded["levels"]

export interface TinyOverrides {
  readonly start?: string
  readonly years?: number
  readonly referrals?: Partial<ScenarioEncoded["referrals"]>
  readonly levels?: Partial<{ [K in keyof Levels]: Partial<Levels[K]> }>
  readonly startingCaseload?: ScenarioEncoded["startingCaseload"]
  readonly budgetLines?: ScenarioEncoded["budgetLines"]
  readonly costs?: ScenarioEncoded["costs"]
  /** Capacity-limited services (none by default). */
  readonly services?: ScenarioEncoded["services"]
  /** Interventions (none by default). */
  readonly interventions?: ScenarioEncoded["interventions"]
  /** Children aged 0-17 (1,000 by default). */
  readonly population?: ScenarioEncoded["population"]
  /** Unaccompanied asylum-seeking children (none by default). */
  readonly uasc?: ScenarioEncoded["uasc"]
  /** Previous plans and care episodes (none by default). */
  readonly history?: ScenarioEncoded["history"]
}

const fixed = (value: number) => ({ type: "fixed" as const, value })

/** Every level: a fixed 100 days (looked after 200), then closed to universal; nobody comes back. */
export const tinyEncoded = (o: TinyOverrides = {}): ScenarioEncoded => {
  const help = { duration: fixed(100), outcomes: [{ to: "universal" as const, probability: 1 }] as const }
  const levels: Levels = {
    early_help: { ...help, ...o.levels?.early_help },
    intensive_family_support: { ...help, ...o.levels?.intensive_family_support },
    child_in_need: { ...help, ...o.levels?.child_in_need },
    child_protection: { ...help, ...o.levels?.child_protection },
    looked_after: {
      duration: fixed(200),
      outcomes: [{ reason: "returned_home", to: "universal", probability: 1 }],
      placements: { onEntry: { in_house_foster: 1 } },
      ...o.levels?.looked_after
    },
    care_leaver: { ...o.levels?.care_leaver }
  }
  return {
    name: "tiny",
    start: o.start ?? "2025-04-01",
    years: o.years ?? 1,
    population: o.population ?? { children: 1000 },
    referrals: {
      ratePer10k: 0,
      ageAtReferral: [{ ages: [0, 17], share: 1 }],
      frontDoor: [{ to: "universal", probability: 1, reason: "no_further_action" }],
      reReferral: { probability: 0, after: fixed(30) },
      ...o.referrals
    },
    levels,
    startingCaseload: o.startingCaseload ?? [],
    ...(o.budgetLines !== undefined ? { budgetLines: o.budgetLines } : {}),
    costs: o.costs ?? {},
    ...(o.services !== undefined ? { services: o.services } : {}),
    ...(o.interventions !== undefined ? { interventions: o.interventions } : {}),
    ...(o.uasc !== undefined ? { uasc: o.uasc } : {}),
    ...(o.history !== undefined ? { history: o.history } : {})
  }
}

/** The tiny scenario, decoded (it must be valid) and compiled. */
export const tinyModel = (o: TinyOverrides = {}): Model => compileModel(decodeValid(tinyEncoded(o)))
