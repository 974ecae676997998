/**
 * Helpers for the scenario tests: the shipped small fixture as text, exact edits of it, and loading a text
 * (with the file system, so `extends` works) into its source or its problems.
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { loadScenario, scenarioFromPlainText, type ScenarioSource } from "../../src/scenario/Load.js"
import type { ScenarioError } from "../../src/scenario/Problems.js"
import { fixture } from "../support/cli.js"

export { fixture }

/** test/fixtures/small.yaml as text. */
export const small = fs.readFileSync(fixture("small.yaml"), "utf8")

/** The small fixture with a date in every place a scenario has one. */
export const dated =
  small +
  `services:
  - name: IFS places
    level: intensive_family_support
    places: 30
    changes: [{ from: 2026-04-01, places: 40 }]
    whenFull: { action: wait }
interventions:
  - name: Conferences
    confidence: 2
    start: 2025-07-01
    end: 2027-03-31
    eligibility: { to: looked_after, via: care_proceedings }
    effects: { moves: [{ to: looked_after, multiplier: 0.8 }] }
    costs: { budgetLine: LAC placements, setUp: 2000 }
workforce:
  - name: CP team
    budgetLine: CP and CIN
    levels: [child_protection]
    targetCaseload: 15
    establishment: 10
    establishmentChanges: [{ from: 2026-04-01, fte: 12 }]
    permanentPerWeek: 900
    agencyPerWeek: 1400
`

/** `text` with exactly one occurrence of `from` replaced (a test that edits nothing fails). */
export const edit = (text: string, from: string, to: string): string => {
  const at = text.indexOf(from)
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`expected exactly one ${JSON.stringify(from)}`)
  return text.slice(0, at) + to + text.slice(at + from.length)
}

/** Several edits of the small fixture, each as `edit`. */
export const smallWith = (...edits: ReadonlyArray<readonly [string, string]>): string =>
  edits.reduce((t, [from, to]) => edit(t, from, to), small)

/** The problems of a scenario text read as `file` (without the file system); throws if it is valid. */
export const errorOf = (text: string, file = "s.yaml"): ScenarioError => {
  const r = scenarioFromPlainText(file, text)
  if (Either.isRight(r)) throw new Error(`${file} is valid, but should not be`)
  return r.left
}

/** The scenario of a text that must be valid. */
export const sourceOf = (text: string, file = "s.yaml"): ScenarioSource => {
  const r = scenarioFromPlainText(file, text)
  if (Either.isLeft(r)) throw new Error(r.left.message)
  return r.right
}

/** Loads a file with the real file system. */
export const load = (file: string): Promise<Either.Either<ScenarioSource, ScenarioError>> =>
  Effect.runPromise(Effect.either(loadScenario(file)).pipe(Effect.provide(NodeContext.layer)))

/** The problems of a file that must not load. */
export const loadError = async (file: string): Promise<ScenarioError> => {
  const r = await load(file)
  if (Either.isRight(r)) throw new Error(`${file} loaded, but should not have`)
  return r.left
}

/** A fresh temporary folder (removed by the returned function). */
export const tempDir = (): { readonly dir: string; readonly write: (name: string, text: string) => string } => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "caseflow-scenario-"))
  return {
    dir,
    write: (name, text) => {
      const file = path.join(dir, name)
      fs.writeFileSync(file, text)
      return file
    }
  }
}

/** No raw control character (C0, DEL, C1, line or bidi override) anywhere in a message. */
// eslint-disable-next-line no-control-regex
export const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/
