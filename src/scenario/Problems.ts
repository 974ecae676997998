/**
 * What is wrong with a scenario, said so that an analyst can fix the file: each problem names the field's
 * path (`levels.child_in_need.outcomes[2].to`), what was expected and what was found, and where the value
 * was written (the file, for a scenario made of several, and the line).
 *
 * Messages are safe whatever the input: a found value is shown as a short excerpt with control characters
 * escaped (`domain/Show.ts`), every text in a message (file names, keys) is escaped too, and a message
 * lists at most `MAX_PROBLEMS_LISTED` problems in at most `MAX_MESSAGE_BYTES` (the rest are counted).
 */
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"
import * as Option from "effect/Option"
import { escapeControl, excerpt, grouped, show } from "../domain/Show.js"
import { MAX_MESSAGE_BYTES, MAX_PROBLEMS_LISTED, MAX_UNKNOWN_FIELDS_LISTED } from "./Limits.js"

export interface ScenarioProblem {
  readonly path: string
  readonly message: string
  readonly line?: number
  /** The file the value came from, when the scenario is made of several (an overlay and its bases). */
  readonly file?: string
}

/** Problems (or warnings) as the lines of a message, within the limits on their number and size. */
export const renderProblems = (header: string, problems: ReadonlyArray<ScenarioProblem>, noun: string): string => {
  const n = problems.length
  const lines = [`${excerpt(header, 400)}: ${grouped(n)} ${noun}${n === 1 ? "" : "s"} in the scenario`]
  let bytes = lines[0].length
  let listed = 0
  for (const p of problems) {
    if (listed >= MAX_PROBLEMS_LISTED) break
    const at = [
      p.file === undefined ? undefined : excerpt(p.file, 200),
      p.line !== undefined ? `line ${p.line}` : undefined
    ]
    const where = at.some((x) => x !== undefined) ? ` (${at.filter((x) => x !== undefined).join(", ")})` : ""
    const message = excerpt(p.message, 600)
    const line = p.path === "" ? `  ${message}${where}` : `  ${excerpt(p.path, 200)}${where}: ${message}`
    if (bytes + line.length + 1 > MAX_MESSAGE_BYTES - 80) break
    lines.push(line)
    bytes += line.length + 1
    listed++
  }
  if (listed < n) lines.push(`  ... and ${grouped(n - listed)} more ${noun}${n - listed === 1 ? "" : "s"}`)
  return lines.join("\n")
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
    return renderProblems(this.file, this.problems, "problem")
  }
}

/** Warnings about a scenario that is valid (e.g. a dated value outside the run), for a command to print. */
export const formatWarnings = (file: string, warnings: ReadonlyArray<ScenarioProblem>): string =>
  renderProblems(file, warnings, "warning")

/** `levels.child_in_need.outcomes[2].to` (each key excerpted and escaped, so a path stays short and safe). */
export const formatPath = (path: ReadonlyArray<PropertyKey>): string =>
  path.reduce<string>((acc, k) => {
    if (typeof k === "number") return `${acc}[${k}]`
    const key = excerpt(String(k), 60)
    return acc === "" ? key : `${acc}.${key}`
  }, "")

const valueAt = (root: unknown, path: ReadonlyArray<PropertyKey>): unknown => {
  let v: unknown = root
  for (const k of path) {
    if (v === null || typeof v !== "object") return undefined
    v = (v as Record<PropertyKey, unknown>)[k]
  }
  return v
}

// ---------------------------------------------------------------------------------------------------------
// Closest names, for "did you mean"

/** Optimal string alignment distance (Levenshtein with adjacent transpositions), or Infinity above `max`. */
const distance = (a: string, b: string, max: number): number => {
  if (Math.abs(a.length - b.length) > max) return Infinity
  const rows: Array<Array<number>> = []
  for (let i = 0; i <= a.length; i++) {
    const row = new Array<number>(b.length + 1)
    row[0] = i
    rows.push(row)
  }
  for (let j = 0; j <= b.length; j++) rows[0][j] = j
  for (let i = 1; i <= a.length; i++) {
    let best = Infinity
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2][j - 2] + 1)
      rows[i][j] = d
      best = Math.min(best, d)
    }
    if (best > max) return Infinity
  }
  return rows[a.length][b.length]
}

/**
 * The candidate a misspelt name most likely meant: the same but for case, or within a small edit distance
 * (1 for short names, 2 from 5 letters, 3 from 12); undefined if none is that close or two are equally so.
 */
export const closest = (word: string, candidates: ReadonlyArray<string>): string | undefined => {
  if (word.length === 0 || word.length > 64) return undefined
  const lower = word.toLowerCase()
  const same = candidates.filter((c) => c.toLowerCase() === lower)
  if (same.length === 1) return same[0]
  const max = word.length >= 12 ? 3 : word.length >= 5 ? 2 : 1
  let best: string | undefined
  let bestD = Infinity
  let tie = false
  for (const c of candidates) {
    const d = distance(lower, c.toLowerCase(), max)
    if (d < bestD) {
      best = c
      bestD = d
      tie = false
    } else if (d === bestD && d !== Infinity) tie = true
  }
  return bestD <= max && !tie ? best : undefined
}

// ---------------------------------------------------------------------------------------------------------
// Unions: report the alternative that was meant

/** A message written here in full (with what was found): passed through as it is. */
const FINAL = "\u0000"

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v)
const toArray = <A>(x: A | ReadonlyArray<A>): ReadonlyArray<A> => (Array.isArray(x) ? x : [x as A])

/** The field names a schema accepts, if it is a mapping of fields (or a choice of them). */
const astKeys = (ast: AST.AST): Set<string> | null => {
  switch (ast._tag) {
    case "TypeLiteral":
      return new Set(ast.propertySignatures.map((p) => String(p.name)))
    case "Union": {
      const out = new Set<string>()
      let any = false
      for (const m of ast.types) {
        const k = astKeys(m)
        if (k) {
          any = true
          for (const x of k) out.add(x)
        }
      }
      return any ? out : null
    }
    case "Refinement":
    case "Transformation":
      return astKeys(ast.from)
    case "Suspend":
      return astKeys(ast.f())
    default:
      return null
  }
}

/** Every literal of a schema made only of literals (null if it has anything else). */
const literalsOf = (ast: AST.AST): Array<string> | null => {
  if (AST.isLiteral(ast)) return [String(ast.literal)]
  if (AST.isUnion(ast)) {
    const out: Array<string> = []
    for (const m of ast.types) {
      if (AST.isUndefinedKeyword(m)) continue
      const l = literalsOf(m)
      if (l === null) return null
      out.push(...l)
    }
    return out
  }
  return null
}

/** What a schema expects, in a few words. */
const describe = (ast: AST.AST): string => {
  const id = AST.getIdentifierAnnotation(ast)
  if (Option.isSome(id)) return id.value
  const literals = literalsOf(ast)
  if (literals !== null) return `one of ${literals.join(", ")}`
  switch (ast._tag) {
    case "Union": {
      const members = ast.types.filter((m) => !AST.isUndefinedKeyword(m))
      return members.length === 1 ? describe(members[0]) : members.map(describe).join(" or ")
    }
    case "TypeLiteral": {
      const names = ast.propertySignatures.map((p) => String(p.name))
      return `{ ${names.join(", ")} }`
    }
    case "StringKeyword":
      return "a text"
    case "NumberKeyword":
      return "a number"
    case "BooleanKeyword":
      return "true or false"
    case "TupleType":
      return "a list"
    case "Refinement":
    case "Transformation":
      return describe(ast.from)
    default:
      return excerpt(String(ast), 120)
  }
}

/** The single-field stand-in Effect reports when a union's literal field (`type`, `action`) is wrong or absent. */
const discriminator = (issue: ParseResult.ParseIssue, actual: unknown): { key: string; present: boolean } | null => {
  if (issue._tag !== "Composite") return null
  const inner = toArray(issue.issues)
  if (inner.length !== 1 || inner[0]._tag !== "Pointer" || typeof inner[0].path !== "string") return null
  const key = inner[0].path
  const leaf = inner[0].issue
  if (leaf._tag !== "Type" && leaf._tag !== "Missing") return null
  const ast = issue.ast
  const fake =
    AST.isUnion(ast) ||
    (AST.isTypeLiteral(ast) &&
      ast.propertySignatures.length === 1 &&
      String(ast.propertySignatures[0].name) === key &&
      literalsOf(ast.propertySignatures[0].type) !== null)
  if (!fake) return null
  return { key, present: isRecord(actual) && Object.hasOwn(actual, key) }
}

const astOf = (issue: ParseResult.ParseIssue): AST.AST | null =>
  "ast" in issue && issue.ast !== undefined ? (issue.ast as AST.AST) : null

/**
 * A union's failure reduced to the alternative the value was meant to be: the one its literal field names
 * (a distribution's `type`), else the one sharing most of its fields, else a single "expected one of"
 * problem at the union. So `{ type: gamma, shape: 2, maen: 6 }` is reported as a gamma distribution with a
 * misspelt `mean`, not as seven failures of six alternatives.
 */
const chooseAlternative = (union: ParseResult.Composite): ParseResult.ParseIssue => {
  const actual = union.actual
  const members = toArray(union.issues)
  let missingKey: string | null = null
  const candidates: Array<{ issue: ParseResult.ParseIssue; keys: Set<string> | null }> = []
  for (const m of members) {
    const d = discriminator(m, actual)
    if (d !== null) {
      if (d.present) return prune(m) // `type: gama`: the literal is the problem
      missingKey = d.key
      continue
    }
    const pruned = prune(m)
    const ast = astOf(m)
    if (ast !== null && AST.isUndefinedKeyword(ast)) continue
    if (pruned._tag === "Type" && !(pruned.message ?? "").startsWith(FINAL)) continue // the wrong kind of value
    candidates.push({ issue: pruned, keys: ast === null ? null : astKeys(ast) })
  }
  if (candidates.length === 1) return candidates[0].issue
  if (candidates.length > 1 && isRecord(actual)) {
    const own = Object.keys(actual)
    const scored = candidates.map((c) => ({ c, score: c.keys === null ? 0 : own.filter((k) => c.keys!.has(k)).length }))
    const best = Math.max(...scored.map((s) => s.score))
    const top = scored.filter((s) => s.score === best)
    if (best > 0 && top.length === 1) return top[0].c.issue
  }
  const literals = literalsOf(union.ast)
  const suggestion = literals !== null && typeof actual === "string" ? closest(actual, literals) : undefined
  const message =
    `${FINAL}expected ${describe(union.ast)}, found ${show(actual)}` +
    (missingKey !== null && isRecord(actual) ? `, which has no ${missingKey}` : "") +
    (suggestion !== undefined ? ` (did you mean ${suggestion}?)` : "")
  return new ParseResult.Type(union.ast, actual, message)
}

/** The issue tree with each union reduced to the alternative that was meant. */
const prune = (issue: ParseResult.ParseIssue): ParseResult.ParseIssue => {
  switch (issue._tag) {
    case "Pointer":
      return new ParseResult.Pointer(issue.path, issue.actual, prune(issue.issue))
    case "Refinement":
      return new ParseResult.Refinement(issue.ast, issue.actual, issue.kind, prune(issue.issue))
    case "Transformation":
      return new ParseResult.Transformation(issue.ast, issue.actual, issue.kind, prune(issue.issue))
    case "Composite": {
      if (AST.isUnion(issue.ast)) return chooseAlternative(issue)
      const inner = toArray(issue.issues).map(prune)
      return new ParseResult.Composite(
        issue.ast,
        issue.actual,
        inner as [ParseResult.ParseIssue, ...Array<ParseResult.ParseIssue>],
        issue.output
      )
    }
    default:
      return issue
  }
}

// ---------------------------------------------------------------------------------------------------------
// Schema issues to problems

const UNEXPECTED = /^is unexpected, expected: (.*)$/
const LITERALS =
  /^Expected ((?:"[^"]*"|-?\d[\d.e+-]*|true|false|null)(?: \| (?:"[^"]*"|-?\d[\d.e+-]*|true|false|null))*), actual /

const unquote = (s: string): string => s.replace(/^"|"$/g, "")

/** Turns Schema's issues into one readable problem per field (unions reduced, misspellings named). */
export const schemaProblems = (
  raw: unknown,
  error: ParseResult.ParseError
): Array<{ path: ReadonlyArray<PropertyKey>; message: string }> => {
  const issues = ParseResult.ArrayFormatter.formatIssueSync(prune(error.issue))
  const out: Array<{ path: ReadonlyArray<PropertyKey>; message: string }> = []
  // Unknown and missing fields are gathered by mapping, so a misspelling is one problem, not two.
  interface Fields {
    readonly parent: ReadonlyArray<PropertyKey>
    readonly unknown: Array<string>
    readonly missing: Array<string>
    expected: Array<string>
    readonly slot: number
  }
  const byParent = new Map<string, Fields>()
  const fieldsOf = (parent: ReadonlyArray<PropertyKey>): Fields => {
    const key = JSON.stringify(parent.map(String))
    let f = byParent.get(key)
    if (f === undefined) {
      f = { parent, unknown: [], missing: [], expected: [], slot: out.length }
      byParent.set(key, f)
      out.push({ path: parent, message: "" }) // filled in below, in document order
    }
    return f
  }
  for (const i of issues) {
    const path = i.path
    const found = valueAt(raw, path)
    const m = i.message
    if (m.startsWith(FINAL)) {
      out.push({ path, message: m.slice(1) })
      continue
    }
    const last = path[path.length - 1]
    if (i._tag === "Missing" && typeof last === "string") {
      fieldsOf(path.slice(0, -1)).missing.push(last)
      continue
    }
    if (i._tag === "Unexpected") {
      const expected = UNEXPECTED.exec(m)
      if (typeof last === "string") {
        const f = fieldsOf(path.slice(0, -1))
        f.unknown.push(last)
        if (expected && f.expected.length === 0) f.expected = expected[1].split(" | ").map(unquote)
      } else out.push({ path, message: "expected no more entries in this list, found an extra one" })
      continue
    }
    if (m === "is missing") {
      out.push({ path, message: "expected a value, found nothing (this field is required)" })
      continue
    }
    const literals = LITERALS.exec(m)
    if (literals) {
      const options = literals[1].split(" | ").map(unquote)
      const suggestion = typeof found === "string" ? closest(found, options) : undefined
      out.push({
        path,
        message:
          `expected ${options.length === 1 ? options[0] : `one of ${options.join(", ")}`}, found ` +
          `${show(found)}${suggestion !== undefined ? ` (did you mean ${suggestion}?)` : ""}`
      })
      continue
    }
    if (/^Expected \{/.test(m)) {
      out.push({ path, message: `expected a mapping of fields, found ${show(found)}` })
      continue
    }
    if (/^Expected (readonly \[|ReadonlyArray<|readonly )/.test(m)) {
      out.push({ path, message: `expected a list, found ${show(found)}` })
      continue
    }
    // Effect's own rendering of the actual value can be as long as the input: show it ourselves.
    const norm = m.replace(/^Expected /, "expected ").replace(/, actual [\s\S]*$/, "")
    out.push({ path, message: `${excerpt(norm, 300)}, found ${show(found)}` })
  }
  // Fill in each mapping's unknown and missing fields.
  const extra: Array<Array<{ path: ReadonlyArray<PropertyKey>; message: string }>> = out.map(() => [])
  for (const f of byParent.values()) {
    const problems = extra[f.slot]
    const missing = new Set(f.missing)
    const list = f.expected.join(", ")
    if (f.unknown.length > MAX_UNKNOWN_FIELDS_LISTED) {
      const shown = f.unknown.slice(0, MAX_UNKNOWN_FIELDS_LISTED).map((k) => show(k, 40))
      problems.push({
        path: f.parent,
        message:
          `${grouped(f.unknown.length)} unknown fields (${shown.join(", ")} and ` +
          `${grouped(f.unknown.length - shown.length)} more); expected only: ${list}`
      })
    } else
      for (const k of f.unknown) {
        const near = closest(k, f.expected)
        const here = valueAt(raw, f.parent)
        const alsoGiven = near !== undefined && isRecord(here) && Object.hasOwn(here, near)
        if (near !== undefined && !alsoGiven) {
          missing.delete(near)
          problems.push({ path: [...f.parent, k], message: `unknown field; did you mean ${near}? (expected: ${list})` })
        } else if (near !== undefined)
          problems.push({
            path: [...f.parent, k],
            message: `unknown field (a misspelling of ${near}, which is also given?); expected: ${list}`
          })
        else
          problems.push({ path: [...f.parent, k], message: `unknown field (a misspelling?); expected one of: ${list}` })
      }
    for (const k of missing)
      problems.push({ path: [...f.parent, k], message: "expected a value, found nothing (this field is required)" })
  }
  return out.flatMap((p, i) => (p.message === "" ? extra[i] : [p, ...extra[i]]))
}

/** Where the value at a path was written: its file (when a scenario is made of several) and line. */
export type Locate = (path: ReadonlyArray<PropertyKey>) => { readonly file?: string; readonly line?: number }

/** Escapes control characters in a text for a message (file names given on a command line, for one). */
export const safeText = (text: string): string => escapeControl(text)
