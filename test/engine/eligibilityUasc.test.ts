/**
 * An intervention's `eligibility.uasc`: true takes unaccompanied asylum-seeking children only, false the other
 * children only (a review of section 20 placements to return children home must not take UASC, who are under
 * section 20 too and have no home here to return to); absent, both.
 */
import { describe, expect, it } from "vitest"
import { runEvents } from "../support/run.js"
import { tinyModel } from "../support/tiny.js"

const fixed = (value: number) => ({ type: "fixed" as const, value })

const startedWith = (uasc: boolean | undefined): ReadonlyArray<number> => {
  const model = tinyModel({
    levels: {
      looked_after: {
        duration: fixed(100),
        outcomes: [{ reason: "returned_home", to: "universal", probability: 1 }],
        placements: { onEntry: { in_house_foster: 1 } },
        legalStatus: { onEntry: [{ mix: { V2: 1 } }] }
      }
    },
    uasc: {
      perYear: 0,
      ageAtArrival: [{ ages: [16, 17], share: 1 }],
      placements: { supported_16_plus: 1 }
    },
    startingCaseload: [
      { level: "looked_after", placement: "in_house_foster", count: 1, ages: [15, 15], elapsed: fixed(40) },
      {
        level: "looked_after",
        placement: "supported_16_plus",
        uasc: true,
        count: 1,
        ages: [16, 16],
        elapsed: fixed(40)
      }
    ],
    interventions: [
      {
        name: "Section 20 review",
        confidence: 3,
        start: "2025-04-01",
        eligibility: { from: "looked_after", legalStatus: ["V2"], ...(uasc === undefined ? {} : { uasc }) },
        costs: { budgetLine: "Children looked after", perChild: 500 }
      }
    ]
  })
  return runEvents(model, 20250401)
    .events.filter((e) => e._tag === "InterventionStarted")
    .map((e) => e.child)
}

describe("eligibility.uasc", () => {
  it("takes both kinds of children when absent, only UASC when true, only the others when false", () => {
    // Child 0 is the other child, child 1 the UASC child (the starting groups' order).
    expect(startedWith(undefined)).toEqual([0, 1])
    expect(startedWith(true)).toEqual([1])
    expect(startedWith(false)).toEqual([0])
  })
})
