/**
 * The shipped uncertain example (scenarios/default-uncertain.yaml): an overlay of scenarios/default.yaml that
 * passes every check at its central and extreme values, is exactly scenarios/default.yaml at its central
 * values (as written, not only once decoded), and whose replications run with drawn parameters.
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as path from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import { makeArm } from "../../src/replication/Replication.js"
import { loadScenario, type ScenarioSource } from "../../src/scenario/Load.js"
import { centralData } from "../../src/scenario/uncertain/Parameters.js"

const load = (file: string) => Effect.runPromise(loadScenario(file).pipe(Effect.provide(NodeContext.layer)))

describe("scenarios/default-uncertain.yaml", () => {
  let prepared: ScenarioSource
  let plain: ScenarioSource
  beforeAll(async () => {
    prepared = await load("scenarios/default-uncertain.yaml")
    plain = await load("scenarios/default.yaml")
  })

  it("is an overlay of scenarios/default.yaml", () => {
    expect(prepared.files.map((f) => path.basename(f))).toEqual(["default-uncertain.yaml", "default.yaml"])
  })

  it("passes the checks at its central and extreme values", () => {
    // Loading checks every factor at its extreme draws; these are the factors the file's header lists.
    expect(prepared.uncertainty!.factors.map((f) => f.label)).toEqual([
      "demand",
      "care_length",
      "levels.looked_after.placements.onEntry.byAge[2].mix.external_residential",
      "costs.inflation",
      "market",
      "market_inflation"
    ])
  })

  it("is scenarios/default.yaml at its central values", () => {
    expect(prepared.central).toEqual(plain.central)
    // As written, too: the lists the overlay repeats hold nothing but default.yaml's own values.
    expect(centralData(prepared.uncertainty!)).toEqual(plain.raw)
  })

  it("runs replications with drawn parameters", () => {
    const replicate = makeArm(prepared, 1, 1)
    const [a, b] = [0, 1].map((r) => Either.getOrThrow(replicate(r)).outcome)
    expect(a.draws).toHaveLength(12)
    expect(a.draws).not.toEqual(b.draws)
  })
})
