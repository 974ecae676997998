/**
 * Scenario text to data: YAML (with the line of every node, for messages) or JSON. Parsing is the only
 * step that sees the text; everything after it works on the parsed data.
 */
import * as Either from "effect/Either"
import * as YAML from "yaml"
import { type Locate, ScenarioError } from "./Problems.js"

const lineOf = (
  doc: YAML.Document | null,
  counter: YAML.LineCounter | null,
  path: ReadonlyArray<PropertyKey>
): number | undefined => {
  if (doc === null || counter === null) return undefined
  // Walk up the path until a node exists (a missing field points at its parent).
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n) as Array<unknown>, true)
    if (YAML.isNode(node) && node.range) return counter.linePos(node.range[0]).line
  }
  return undefined
}

/** Finds lines in one YAML document (no lines for JSON). */
export const yamlLocator =
  (doc: YAML.Document | null, counter: YAML.LineCounter | null): Locate =>
  (path) => {
    const line = lineOf(doc, counter, path)
    return line === undefined ? {} : { line }
  }

/** The parsed text of one scenario file. */
export interface ParsedScenario {
  readonly raw: unknown
  readonly doc: YAML.Document | null
  readonly counter: YAML.LineCounter | null
}

/** Parses scenario text (YAML, or JSON when the file name ends in .json, unless `format` says). */
export const parseScenarioText = (
  file: string,
  text: string,
  format: "yaml" | "json" = file.toLowerCase().endsWith(".json") ? "json" : "yaml"
): Either.Either<ParsedScenario, ScenarioError> => {
  if (format === "json") {
    try {
      return Either.right({ raw: JSON.parse(text) as unknown, doc: null, counter: null })
    } catch (e) {
      return Either.left(
        new ScenarioError({ file, problems: [{ path: "", message: `not valid JSON: ${(e as Error).message}` }] })
      )
    }
  }
  const counter = new YAML.LineCounter()
  const doc = YAML.parseDocument(text, { lineCounter: counter, prettyErrors: false })
  if (doc.errors.length > 0) {
    return Either.left(
      new ScenarioError({
        file,
        problems: doc.errors.map((err) => ({
          path: "",
          message: `not valid YAML: ${err.message.split("\n")[0]}`,
          line: counter.linePos(err.pos[0]).line
        }))
      })
    )
  }
  return Either.right({ raw: doc.toJS() as unknown, doc, counter })
}
