/**
 * The shipped uncertain example (scenarios/default-uncertain.yaml): it passes every check at its central
 * and extreme values, at its central values it is exactly scenarios/default.yaml, and its replications run.
 */
import * as fs from "node:fs"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { describe, expect, it } from "vitest"
import { makeReplicator } from "../../src/montecarlo/Replication.js"
import { loadScenario } from "../../src/scenario/load.js"
import { prepareScenarioSource } from "../../src/uncertainty/UncertainScenario.js"

const FILE = "scenarios/default-uncertain.yaml"

describe("scenarios/default-uncertain.yaml", () => {
  const prepared = prepareScenarioSource(FILE, fs.readFileSync(FILE, "utf8"))

  it("passes the checks at its central and extreme values", () => {
    if (Either.isLeft(prepared)) throw new Error(prepared.left.message)
    expect(prepared.right.uncertainty!.factors.map((f) => f.label)).toContain("demand")
  })

  it("is scenarios/default.yaml at its central values", async () => {
    const plain = await Effect.runPromise(loadScenario("scenarios/default.yaml").pipe(Effect.provide(NodeContext.layer)))
    expect(Either.getOrThrow(prepared).central).toEqual(plain)
  })

  it("runs replications with drawn parameters", () => {
    const replicate = makeReplicator(Either.getOrThrow(prepared), 1, 1)
    const [a, b] = [0, 1].map((r) => Either.getOrThrow(replicate(r)).outcome)
    expect(a.draws).toHaveLength(12)
    expect(a.draws).not.toEqual(b.draws)
  })
})
