/**
 * Interventions compiled for the engine and for cost-benefit reports.
 *
 * Optimism bias by confidence grade follows the GMCA (New Economy) cost-benefit guidance, which applies
 * a larger downward adjustment to benefits the weaker the evidence: grade 1 (a robust local evaluation or
 * randomised trial) 0%, then 5%, 10%, 15%, 25%, and 40% for grade 6 (an educated estimate). A scenario can
 * override it with `optimismBias`.
 */
import type { Intervention } from "./Scenario.js"

export const OPTIMISM_BIAS_BY_GRADE: Readonly<Record<number, number>> = { 1: 0, 2: 0.05, 3: 0.1, 4: 0.15, 5: 0.25, 6: 0.4 }

/** What a cost-benefit report needs to know about an intervention. */
export interface InterventionSummary {
  readonly name: string
  readonly evidence: string | null
  readonly confidence: number
  readonly optimismBias: number
  readonly deadweight: number
}

export const summariseIntervention = (i: Intervention): InterventionSummary => ({
  name: i.name,
  evidence: i.evidence ?? null,
  confidence: i.confidence,
  optimismBias: i.optimismBias ?? OPTIMISM_BIAS_BY_GRADE[i.confidence],
  deadweight: i.deadweight
})
