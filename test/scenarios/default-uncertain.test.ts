/**
 * The shipped uncertain example (scenarios/default-uncertain.yaml): it passes every check at its central
 * and extreme values, at its central values it is exactly scenarios/default.yaml, and its replications run.
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { beforeAll, describe, expect, it } from "vitest"
import { makeArm } from "../../src/replication/Replication.js"
import { loadScenario, type ScenarioSource } from "../../src/scenario/Load.js"

const load = (file: string) => Effect.runPromise(loadScenario(file).pipe(Effect.provide(NodeContext.layer)))

describe("scenarios/default-uncertain.yaml", () => {
  let prepared: ScenarioSource
  beforeAll(async () => {
    prepared = await load("scenarios/default-uncertain.yaml")
  })

  it("passes the checks at its central and extreme values", () => {
    expect(prepared.uncertainty!.factors.map((f) => f.label)).toContain("demand")
  })

  it("is scenarios/default.yaml at its central values", async () => {
    const plain = await load("scenarios/default.yaml")
    expect(prepared.central).toEqual(plain.central)
  })

  it("runs replications with drawn parameters", () => {
    const replicate = makeArm(prepared, 1, 1)
    const [a, b] = [0, 1].map((r) => Either.getOrThrow(replicate(r)).outcome)
    expect(a.draws).toHaveLength(12)
    expect(a.draws).not.toEqual(b.draws)
  })
})
