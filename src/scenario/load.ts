/**
 * Reading a scenario file: YAML or JSON text -> decoded `Scenario` -> validated -> compiled `Model`.
 *
 * Every way a file can be wrong ends in one `ScenarioError` that names the file and lists each problem as
 * `path: expected ..., found ...` (with the YAML line where we can find it), so an analyst can fix the
 * file without reading a stack trace.
 *
 * A file may be an overlay (`extends: <base file>`, see overlay.ts): the merged scenario is decoded and
 * validated as one, and each problem also names the file (base or overlay) the offending value came from,
 * with its line in that file.
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as YAML from "yaml"
import { resolveScenarioFile } from "./overlay.js"
import { Scenario } from "./Scenario.js"
import { formatPath, validateScenario } from "./validate.js"

export interface ScenarioProblem {
  readonly path: string
  readonly message: string
  readonly line?: number
  /** The file the value came from, when the scenario is made of several (an overlay and its bases). */
  readonly file?: string
}

/** A scenario file that cannot be read, parsed, decoded or validated. */
export class ScenarioError extends Schema.TaggedError<ScenarioError>()("ScenarioError", {
  file: Schema.String,
  problems: Schema.Array(
    Schema.Struct({
      path: Schema.String,
      message: Schema.String,
      line: Schema.optional(Schema.Number),
      file: Schema.optional(Schema.String)
    })
  )
}) {
  override get message(): string {
    const lines = this.problems.map((p) => {
      const at = [p.file, p.line !== undefined ? `line ${p.line}` : undefined].filter((x) => x !== undefined)
      const where = at.length > 0 ? ` (${at.join(", ")})` : ""
      return p.path === "" ? `  ${p.message}${where}` : `  ${p.path}${where}: ${p.message}`
    })
    const n = this.problems.length
    return `${this.file}: ${n} problem${n === 1 ? "" : "s"} in the scenario\n${lines.join("\n")}`
  }
}

/** A short rendering of a found value for a message. */
const show = (v: unknown): string => {
  if (v === undefined) return "nothing"
  const s = JSON.stringify(v)
  return s.length > 60 ? `${s.slice(0, 57)}...` : s
}

const valueAt = (root: unknown, path: ReadonlyArray<PropertyKey>): unknown => {
  let v: unknown = root
  for (const k of path) {
    if (v === null || typeof v !== "object") return undefined
    v = (v as Record<PropertyKey, unknown>)[k]
  }
  return v
}

/** Turns Schema's issues into one readable problem per field. */
export const schemaProblems = (
  raw: unknown,
  error: ParseResult.ParseError
): Array<{ path: ReadonlyArray<PropertyKey>; message: string }> => {
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
  const byPath = new Map<
    string,
    { path: ReadonlyArray<PropertyKey>; literals: Array<string>; messages: Array<string>; tags: Array<string> }
  >()
  for (const i of issues) {
    const key = JSON.stringify(i.path)
    let entry = byPath.get(key)
    if (!entry) {
      entry = { path: i.path, literals: [], messages: [], tags: [] }
      byPath.set(key, entry)
    }
    const literal = /^Expected ("[^"]*"|-?\d[\d.]*|true|false|null), actual /.exec(i.message)
    if (literal) entry.literals.push(literal[1].replace(/^"|"$/g, ""))
    else entry.messages.push(i.message)
    entry.tags.push(i._tag)
  }
  const keys = [...byPath.keys()]
  const out: Array<{ path: ReadonlyArray<PropertyKey>; message: string }> = []
  for (const [key, e] of byPath) {
    const found = valueAt(raw, e.path)
    // A union whose alternatives failed deeper down: the deeper problems say more.
    const hasDeeper = keys.some((k) => k !== key && k.startsWith(key.slice(0, -1)))
    if (e.literals.length > 0) {
      out.push({ path: e.path, message: `expected one of ${e.literals.join(", ")}, found ${show(found)}` })
      continue
    }
    for (const m of e.messages) {
      if (m === "is missing")
        out.push({ path: e.path, message: "expected a value, found nothing (this field is required)" })
      else if (m.startsWith("is unexpected"))
        out.push({
          path: e.path,
          message: `unknown field (a misspelling?); ${m.replace("is unexpected, expected: ", "expected one of: ")}`
        })
      else if (/^Expected \{/.test(m) || /^Expected readonly /.test(m) || /^Expected undefined, actual /.test(m)) {
        // ("Expected undefined" is the absent side of an optional field whose value failed deeper down.)
        if (!hasDeeper) out.push({ path: e.path, message: `expected a different shape here, found ${show(found)}` })
      } else {
        const norm = m.replace(/^Expected /, "expected ").replace(/, actual (.*)$/, ", found $1")
        out.push({ path: e.path, message: /found /.test(norm) ? norm : `${norm}, found ${show(found)}` })
      }
    }
  }
  return out
}

/** Where the value at a path was written: its file (when a scenario is made of several) and line. */
export type Locate = (path: ReadonlyArray<PropertyKey>) => { readonly file?: string; readonly line?: number }

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

/** Parses scenario text (YAML, or JSON when the file name ends in .json, unless `format` says). */
export const parseScenarioText = (
  file: string,
  text: string,
  format: "yaml" | "json" = file.toLowerCase().endsWith(".json") ? "json" : "yaml"
): Either.Either<{ raw: unknown; doc: YAML.Document | null; counter: YAML.LineCounter | null }, ScenarioError> => {
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

const decode = Schema.decodeUnknownEither(Scenario, { errors: "all", onExcessProperty: "error" })

/** Decodes and validates already-parsed scenario data. */
export const decodeScenario = (
  file: string,
  raw: unknown,
  doc: YAML.Document | null = null,
  counter: YAML.LineCounter | null = null
): Either.Either<Scenario, ScenarioError> => decodeScenarioAt(file, raw, yamlLocator(doc, counter))

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

/** Reads, parses, resolves (`extends`), decodes and validates a scenario file. */
export const loadScenario = (file: string): Effect.Effect<Scenario, ScenarioError, FileSystem.FileSystem> =>
  Effect.flatMap(resolveScenarioFile(file), (r) => decodeScenarioAt(r.label, r.raw, r.locate))
