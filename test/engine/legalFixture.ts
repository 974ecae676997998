/** The legal-status fixture (test/fixtures/legal.yaml, an overlay of small.yaml), loaded as the CLI does. */
import { NodeContext } from "@effect/platform-node"
import { Effect } from "effect"
import { loadScenario } from "../../src/scenario/Load.js"
import type { Scenario } from "../../src/scenario/Scenario.js"
import { fixture } from "../support/cli.js"

export const loadLegalFixture = async (): Promise<Scenario> =>
  (await Effect.runPromise(loadScenario(fixture("legal.yaml")).pipe(Effect.provide(NodeContext.layer)))).central
