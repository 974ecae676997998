/**
 * What is wrong with a scenario, said so that an analyst can fix the file: each problem names the field's
 * path (`levels.child_in_need.outcomes[2].to`), what was expected and what was found, and where the value
 * was written (the file, for a scenario made of several, and the line).
 */
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { show } from "../domain/Show.js"

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

/** `levels.child_in_need.outcomes[2].to` */
export const formatPath = (path: ReadonlyArray<PropertyKey>): string =>
  path.reduce<string>(
    (acc, k) => (typeof k === "number" ? `${acc}[${k}]` : acc === "" ? String(k) : `${acc}.${String(k)}`),
    ""
  )

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
        // Effect's own rendering of the actual value can be as long as the input: show it ourselves.
        const norm = m.replace(/^Expected /, "expected ").replace(/, actual [\s\S]*$/, "")
        out.push({ path: e.path, message: `${norm}, found ${show(found)}` })
      }
    }
  }
  return out
}

/** Where the value at a path was written: its file (when a scenario is made of several) and line. */
export type Locate = (path: ReadonlyArray<PropertyKey>) => { readonly file?: string; readonly line?: number }
