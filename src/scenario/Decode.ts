/**
 * Parsed scenario data to a `Scenario`: Schema decoding (each field's type and range; unknown fields are
 * errors), then the checks that span fields (`Validate.ts`). The one place a scenario is decoded.
 */
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { show } from "../domain/Show.js"
import { formatPath, type Locate, ScenarioError, type ScenarioProblem, schemaProblems } from "./Problems.js"
import { Scenario } from "./Scenario.js"
import { validateScenario } from "./Validate.js"

/** Problems have no line (data that came from no file, e.g. a log header or a worker's message). */
export const noLines: Locate = () => ({})

const decode = Schema.decodeUnknownEither(Scenario, { errors: "all", onExcessProperty: "error" })

/**
 * Decodes and validates already-parsed scenario data, locating problems with `locate` (`file` names the
 * scenario in the error; an overlay's problems also name the file each value came from).
 */
export const decodeScenarioAt = (
  file: string,
  raw: unknown,
  locate: Locate
): Either.Either<Scenario, ScenarioError> => {
  const problem = (path: ReadonlyArray<PropertyKey>, message: string): ScenarioProblem => ({
    path: formatPath(path),
    message,
    ...locate(path)
  })
  if (raw === null || typeof raw !== "object" || Array.isArray(raw))
    return Either.left(
      new ScenarioError({
        file,
        problems: [{ path: "", message: `expected a scenario (a mapping of fields), found ${show(raw)}` }]
      })
    )
  const decoded = decode(raw)
  if (Either.isLeft(decoded)) {
    return Either.left(
      new ScenarioError({ file, problems: schemaProblems(raw, decoded.left).map((p) => problem(p.path, p.message)) })
    )
  }
  const problems = validateScenario(decoded.right)
  if (problems.length > 0)
    return Either.left(new ScenarioError({ file, problems: problems.map((p) => problem(p.path, p.message)) }))
  return Either.right(decoded.right)
}

/** Decodes and validates data from no file (generated scenarios in tests). */
export const decodeScenario = (label: string, raw: unknown): Either.Either<Scenario, ScenarioError> =>
  decodeScenarioAt(label, raw, noLines)
