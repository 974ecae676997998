/**
 * Scenario text to data: YAML (with the line of every node, for messages) or JSON (likewise, with the
 * strict parser of `io/Json.ts`). Parsing is the only step that sees the text; everything after it works
 * on the parsed data.
 *
 * What the text may be is bounded (see `Limits.ts`): a key given twice in one mapping, a key that is not
 * plain text, a YAML tag the format does not know, aliases used heavily enough to be a bomb, nesting deeper
 * than `MAX_DEPTH`, or more than `MAX_VALUES` values are refused, as are the keys `__proto__`,
 * `constructor` and `prototype`. A syntax error says where it is and what was expected, never what the
 * text says there: a file that is not a scenario may be a private file named by mistake.
 *
 * Two YAML parsers: js-yaml reads a scenario several times faster than the `yaml` package (20 ms against
 * 150 ms for the default borough at start-up, when nothing is compiled yet), with the same YAML 1.2 core
 * schema (the same data: a test checks every shipped scenario and fixture); `yaml` keeps every node's place
 * in the text. A text is read with js-yaml first; if it has anything js-yaml refuses, a tag, or any problem
 * with the limits, it is read again with `yaml`, which says exactly what and where. Lines are looked up
 * (for a later problem or warning) in `yaml`'s reading, made the first time one is asked for.
 */
import * as Either from "effect/Either"
import * as JsYaml from "js-yaml"
import * as YAML from "yaml"
import { show } from "../domain/Show.js"
import { jsonLineOf, parseJson } from "../io/Json.js"
import { dataProblems, FORBIDDEN_KEYS, leastValues, MAX_DEPTH, MAX_VALUES, TOO_MANY_VALUES } from "./Limits.js"
import { formatPath, type Locate, ScenarioError, type ScenarioProblem } from "./Problems.js"

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

/** Finds lines in one YAML document (no lines without one). */
export const yamlLocator =
  (doc: YAML.Document | null, counter: YAML.LineCounter | null): Locate =>
  (path) => {
    const line = lineOf(doc, counter, path)
    return line === undefined ? {} : { line }
  }

/** The parsed text of one scenario file. */
export interface ParsedScenario {
  readonly raw: unknown
  /** The YAML document (null for JSON). */
  readonly doc: YAML.Document | null
  readonly counter: YAML.LineCounter | null
  /** The line of the value at a path, in this file. */
  readonly locate: Locate
}

/** What each kind of YAML error means, in a reader's words (YAML's own messages quote the text). */
const YAML_ERRORS: Readonly<Record<YAML.ErrorCode, string>> = {
  ALIAS_PROPS: "an alias (*name) with an anchor or tag of its own",
  BAD_ALIAS: "an alias (*name) whose anchor (&name) is not set before it",
  BAD_COLLECTION_TYPE: "a list or mapping of the wrong kind for its tag",
  BAD_DIRECTIVE: "a % directive YAML does not know",
  BAD_DQ_ESCAPE: 'a bad escape (\\) in a "double-quoted" text',
  BAD_INDENT: "bad indentation",
  BAD_PROP_ORDER: "an anchor (&) or tag (!) in the wrong place",
  BAD_SCALAR_START: "a plain value that starts with a character YAML reserves (put it in quotes)",
  BLOCK_AS_IMPLICIT_KEY: "a block value used as a key",
  BLOCK_IN_FLOW: "a block value inside [ ] or { }",
  DUPLICATE_KEY: "a key given twice in one mapping",
  IMPOSSIBLE: "text YAML cannot read here",
  KEY_OVER_1024_CHARS: "a key longer than 1,024 characters",
  MISSING_CHAR: "a missing character (an unclosed quote, bracket or brace, or a missing : or ,)",
  MULTILINE_IMPLICIT_KEY: "a key that runs over more than one line (a missing : or bad indentation?)",
  MULTIPLE_ANCHORS: "two anchors (&) on one value",
  MULTIPLE_DOCS: "more than one YAML document (a second ---): a scenario is one document",
  MULTIPLE_TAGS: "two tags (!) on one value",
  NON_STRING_KEY: "a key that is not plain text",
  RESOURCE_EXHAUSTION: "mappings and lists nested too deeply",
  TAB_AS_INDENT: "a tab used for indentation (YAML indents with spaces)",
  TAG_RESOLVE_FAILED: "a tag (!name) that a scenario does not use (remove it)",
  UNEXPECTED_TOKEN: "text YAML did not expect here"
}

const fail = (file: string, problems: ReadonlyArray<ScenarioProblem>) =>
  Either.left(new ScenarioError({ file, problems }))

const limitProblems = (raw: unknown, locate: Locate): Array<ScenarioProblem> =>
  dataProblems(raw).map((p) => ({ path: formatPath(p.path), message: p.message, ...locate(p.path) }))

/**
 * Walks a YAML document's nodes (without following aliases): keys that are not plain text, keys given twice
 * in one mapping, forbidden keys, nesting deeper than `MAX_DEPTH`.
 */
const yamlNodeProblems = (doc: YAML.Document, counter: YAML.LineCounter): Array<ScenarioProblem> => {
  const problems: Array<ScenarioProblem> = []
  const lineAt = (node: unknown): { line?: number } =>
    YAML.isNode(node) && node.range ? { line: counter.linePos(node.range[0]).line } : {}
  const stack: Array<{ node: unknown; path: ReadonlyArray<string | number> }> = [{ node: doc.contents, path: [] }]
  while (stack.length > 0 && problems.length <= 1000) {
    const { node, path } = stack.pop()!
    if (!YAML.isCollection(node)) continue
    if (path.length >= MAX_DEPTH) {
      problems.push({
        path: formatPath(path),
        message: `mappings and lists nested more than ${MAX_DEPTH} deep; a scenario nests about 10 deep`,
        ...lineAt(node)
      })
      break
    }
    if (YAML.isSeq(node)) {
      node.items.forEach((item, i) => stack.push({ node: item, path: [...path, i] }))
      continue
    }
    const seen = new Map<string, number | undefined>()
    for (const pair of node.items) {
      // An alias as a key (`*name: ...`) is its anchor's value, as js-yaml reads it: plain text if the anchor's is.
      const alias = YAML.isAlias(pair.key) ? pair.key : null
      const key: unknown = alias === null ? pair.key : alias.resolve(doc)
      if (alias !== null && key === undefined) {
        problems.push({ path: formatPath(path), message: `not valid YAML: ${YAML_ERRORS.BAD_ALIAS}`, ...lineAt(alias) })
        continue
      }
      if (!YAML.isScalar(key) || (key.value !== null && typeof key.value === "object")) {
        problems.push({
          path: formatPath(path),
          message:
            key === null || key === undefined
              ? "expected a key before the :, found none"
              : "expected plain text as a key, found a list or mapping used as a key",
          ...lineAt(key ?? node)
        })
        continue
      }
      const name = String(key.value)
      const at = lineAt(alias ?? key)
      if (seen.has(name)) {
        const first = seen.get(name)
        problems.push({
          path: formatPath([...path, name]),
          message:
            `the key ${show(name)} is given twice in one ` +
            `mapping${first !== undefined ? ` (first at line ${first})` : ""}; give each field once`,
          ...at
        })
      } else seen.set(name, at.line)
      if (FORBIDDEN_KEYS.has(name)) continue // reported with the data's other limits
      stack.push({ node: pair.value, path: [...path, name] })
    }
  }
  return problems
}

/**
 * `!!float 5`: the core schema's float tag resolves only text written as a float (`5.0`), so `yaml` left the
 * tag of a whole number unresolved; YAML 1.2 (and js-yaml) read it as the number 5. Only an explicit tag uses
 * this (it has no `test`): plain numbers are resolved as before.
 */
const EXPLICIT_FLOAT: YAML.ScalarTag = {
  tag: "tag:yaml.org,2002:float",
  resolve: (text, onError) => {
    if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/.test(text)) return Number(text)
    onError("expected a number after !!float")
    return text
  }
}

const parseYaml = (file: string, text: string): Either.Either<ParsedScenario, ScenarioError> => {
  const counter = new YAML.LineCounter()
  let docs: ReturnType<typeof YAML.parseAllDocuments>
  try {
    docs = YAML.parseAllDocuments(text, {
      lineCounter: counter,
      prettyErrors: false,
      uniqueKeys: false, // found below, naming the key
      logLevel: "silent", // YAML's warnings quote the text: they are turned into problems below
      merge: false,
      // Only the core schema's own tags (!!str, !!int, ...), which change nothing: YAML 1.1's !!binary, !!set,
      // !!omap, !!pairs and !!timestamp would make a Buffer, a Set, a Map or a Date (a !!set read as {}).
      resolveKnownTags: false,
      customTags: (tags) => [EXPLICIT_FLOAT, ...tags]
    })
  } catch (e) {
    if (e instanceof RangeError)
      return fail(file, [{ path: "", message: `not valid YAML: ${YAML_ERRORS.RESOURCE_EXHAUSTION}` }])
    throw e
  }
  const all = Array.isArray(docs) ? docs : [] // an empty stream holds no document at all
  // A second document (after ---) would otherwise be dropped without a word.
  if (all.length > 1)
    return fail(file, [
      {
        path: "",
        message: `not valid YAML: ${YAML_ERRORS.MULTIPLE_DOCS}`,
        line: counter.linePos(all[1].range?.[0] ?? 0).line
      }
    ])
  const doc = all[0] ?? new YAML.Document(null)
  const syntax = [...doc.errors, ...doc.warnings]
  if (syntax.length > 0) {
    return fail(
      file,
      syntax.map((err) => {
        const pos = counter.linePos(err.pos[0])
        return {
          path: "",
          message: `not valid YAML at column ${pos.col}: ${YAML_ERRORS[err.code] ?? "text YAML cannot read"}`,
          line: pos.line
        }
      })
    )
  }
  const nodes = yamlNodeProblems(doc, counter)
  if (nodes.length > 0) return fail(file, nodes)
  // An alias is its anchor's value itself, not a copy, so no use of aliases (a "billion laughs" among them)
  // makes this costly; the limit on values, which counts each use in full, then bounds them, as it does
  // js-yaml's reading (yaml's own `maxAliasCount` would refuse here a file the quick reading takes).
  let raw: unknown
  try {
    raw = doc.toJS({ maxAliasCount: -1 })
  } catch (e) {
    if (e instanceof RangeError)
      return fail(file, [{ path: "", message: `not valid YAML: ${YAML_ERRORS.RESOURCE_EXHAUSTION}` }])
    // An alias whose anchor is not set before it (yaml reports it only when the value is made).
    if (e instanceof ReferenceError)
      return fail(file, [{ path: "", message: `not valid YAML: ${YAML_ERRORS.BAD_ALIAS}` }])
    throw e
  }
  const locate = yamlLocator(doc, counter)
  const limits = limitProblems(raw, locate)
  if (limits.length > 0) return fail(file, limits)
  return Either.right({ raw, doc, counter, locate })
}

const parseJsonScenario = (file: string, text: string): Either.Either<ParsedScenario, ScenarioError> => {
  const parsed = parseJson(text, { maxDepth: MAX_DEPTH })
  if (Either.isLeft(parsed))
    return fail(file, [
      {
        path: "",
        message: `not valid JSON at column ${parsed.left.column}: ${parsed.left.message}`,
        line: parsed.left.line
      }
    ])
  const { value: raw, lines, duplicateKeys } = parsed.right
  if (duplicateKeys.length > 0)
    return fail(
      file,
      duplicateKeys.map((d) => ({
        path: formatPath([...d.path, d.key]),
        message:
          `the key ${show(d.key)} is given twice in one mapping (first at line ${d.firstLine}); give each ` +
          `field once`,
        line: d.line
      }))
    )
  const locate: Locate = (path) => ({ line: jsonLineOf(lines, path) })
  const limits = limitProblems(raw, locate)
  if (limits.length > 0) return fail(file, limits)
  return Either.right({ raw, doc: null, counter: null, locate })
}

/** A tag (`!name`, `!!str`) may start here: such a text is read by `yaml`, which refuses tags. */
const MAYBE_TAG = /(^|[\s[{,:?-])!/

/**
 * The quick reading of a YAML scenario (js-yaml, YAML 1.2 core schema), or null when the text must be read
 * by `yaml` to say what is wrong (or might be: a possible tag). Its lines come from `yaml` when asked for. Too
 * many values are refused here, as they need no line.
 */
const quickYaml = (file: string, text: string): Either.Either<ParsedScenario, ScenarioError> | null => {
  if (MAYBE_TAG.test(text)) return null
  let raw: unknown
  try {
    raw = JsYaml.load(text, { schema: JsYaml.CORE_SCHEMA, maxDepth: MAX_DEPTH })
  } catch {
    return null
  }
  const problems = dataProblems(raw)
  // Too many values needs no line to be said (and reading millions of values again with lines would not end).
  if (problems.some((p) => p.message === TOO_MANY_VALUES)) return fail(file, [{ path: "", message: TOO_MANY_VALUES }])
  if (problems.length > 0) return null
  let careful: Locate | null = null
  const locate: Locate = (path) => {
    if (careful === null) {
      const parsed = parseYaml(file, text)
      careful = Either.isRight(parsed) ? parsed.right.locate : () => ({})
    }
    return careful(path)
  }
  return Either.right({ raw, doc: null, counter: null, locate })
}

/** Parses scenario text (YAML, or JSON when the file name ends in .json, unless `format` says). */
export const parseScenarioText = (
  file: string,
  text: string,
  format: "yaml" | "json" = file.toLowerCase().endsWith(".json") ? "json" : "yaml"
): Either.Either<ParsedScenario, ScenarioError> => {
  // A text with more values than a scenario may hold is refused before either parser builds them all.
  if (leastValues(text) > MAX_VALUES) return fail(file, [{ path: "", message: TOO_MANY_VALUES }])
  if (format === "json") return parseJsonScenario(file, text)
  // A scenario is YAML 1.2 (its core schema): a %YAML 1.1 directive would make `012`, `on` and dates mean
  // other things to one of the two readings than to the other.
  const directive = /^%YAML[ \t]+(\S*)/m.exec(text)
  if (directive !== null && directive[1] !== "1.2")
    return fail(file, [
      {
        path: "",
        message: `expected YAML 1.2 (or no %YAML directive), found %YAML ${show(directive[1].slice(0, 20))}`,
        line: text.slice(0, directive.index).split("\n").length
      }
    ])
  const quick = quickYaml(file, text)
  return quick ?? parseYaml(file, text)
}

/** Checks resolved data that came from no file (a worker's message, an event log's header) against the limits. */
export const checkDataLimits = (label: string, raw: unknown, locate: Locate): Either.Either<unknown, ScenarioError> => {
  const problems = limitProblems(raw, locate)
  return problems.length > 0 ? fail(label, problems) : Either.right(raw)
}
