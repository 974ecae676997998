/**
 * Strict JSON text (RFC 8259) to data, with the line of every value and without the surprises of
 * `JSON.parse`: a key given twice is reported (with both lines) instead of the last one silently winning,
 * nesting is limited (a deep file is refused, not a stack overflow), and a syntax error says where it is
 * (line and column) and what was expected, never what the text there says: the text may be a private
 * file named by mistake.
 */
import * as Either from "effect/Either"

/** Where a parsed value was written: its line and, for a mapping or a list, where each entry was. */
export interface JsonLines {
  readonly line: number
  readonly entries?: ReadonlyMap<string | number, JsonLines>
}

/** A key given more than once in one mapping. */
export interface JsonDuplicateKey {
  /** The path of the mapping that holds it. */
  readonly path: ReadonlyArray<string | number>
  readonly key: string
  readonly line: number
  readonly firstLine: number
}

export interface ParsedJson {
  readonly value: unknown
  readonly lines: JsonLines
  /** Keys given twice (the value keeps the last); a caller that must refuse them can. */
  readonly duplicateKeys: ReadonlyArray<JsonDuplicateKey>
}

/** Why a text is not JSON: where (line and column, from 1) and what was expected there. */
export interface JsonSyntaxError {
  readonly line: number
  readonly column: number
  readonly message: string
}

export interface JsonOptions {
  /** Mappings and lists nested deeper than this are refused (default 64). */
  readonly maxDepth?: number
}

class Failure {
  constructor(
    readonly offset: number,
    readonly message: string
  ) {}
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y

/** Parses JSON text; see the module comment. */
export const parseJson = (text: string, options: JsonOptions = {}): Either.Either<ParsedJson, JsonSyntaxError> => {
  const maxDepth = options.maxDepth ?? 64
  const lineStarts = [0]
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1)
  const lineAt = (offset: number): number => {
    let lo = 0
    let hi = lineStarts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (lineStarts[mid] <= offset) lo = mid
      else hi = mid - 1
    }
    return lo + 1
  }
  const duplicateKeys: Array<JsonDuplicateKey> = []
  let i = 0
  const fail = (message: string, at: number = i): never => {
    throw new Failure(at, message)
  }
  const space = () => {
    for (;;) {
      const c = text.charCodeAt(i)
      if (c === 32 || c === 9 || c === 10 || c === 13) i++
      else return
    }
  }
  const string = (): string => {
    const start = i
    i++ // the opening quote
    for (;;) {
      if (i >= text.length) fail("a text (string) that is never closed with a double quote", start)
      const c = text.charCodeAt(i)
      if (c === 34) break
      if (c < 32) fail("a control character inside a string (write it as an escape such as \\n)")
      if (c === 92) {
        const e = text[i + 1]
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail("a \\u escape without four hex digits")
          i += 6
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2
        else fail('an escape other than \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX')
      } else i++
    }
    i++ // the closing quote
    return JSON.parse(text.slice(start, i)) as string
  }
  const value = (depth: number, path: ReadonlyArray<string | number>): { value: unknown; lines: JsonLines } => {
    space()
    const at = i
    const line = lineAt(at)
    const c = text[i]
    if (c === "{" || c === "[") {
      if (depth >= maxDepth) fail(`mappings and lists nested more than ${maxDepth} deep`)
      i++
      const entries = new Map<string | number, JsonLines>()
      if (c === "[") {
        const list: Array<unknown> = []
        space()
        if (text[i] === "]") {
          i++
          return { value: list, lines: { line, entries } }
        }
        for (;;) {
          const v = value(depth + 1, [...path, list.length])
          entries.set(list.length, v.lines)
          list.push(v.value)
          space()
          if (text[i] === ",") i++
          else if (text[i] === "]") {
            i++
            return { value: list, lines: { line, entries } }
          } else
            fail(i >= text.length ? "the end of the text inside a list (a missing ]?)" : "expected , or ] in a list")
        }
      }
      const map: Record<string, unknown> = {}
      space()
      if (text[i] === "}") {
        i++
        return { value: map, lines: { line, entries } }
      }
      for (;;) {
        space()
        if (text[i] !== '"')
          fail(
            i >= text.length ? "the end of the text inside a mapping (a missing }?)" : "expected a key in double quotes"
          )
        const keyLine = lineAt(i)
        const key = string()
        space()
        if (text[i] !== ":") fail("expected : after a key")
        i++
        const v = value(depth + 1, [...path, key])
        const first = entries.get(key)
        if (first !== undefined) duplicateKeys.push({ path, key, line: keyLine, firstLine: first.line })
        entries.set(key, v.lines)
        // An own property even for "__proto__" (as JSON.parse makes it), never the object's prototype.
        Object.defineProperty(map, key, { value: v.value, writable: true, enumerable: true, configurable: true })
        space()
        if (text[i] === ",") i++
        else if (text[i] === "}") {
          i++
          return { value: map, lines: { line, entries } }
        } else
          fail(
            i >= text.length ? "the end of the text inside a mapping (a missing }?)" : "expected , or } in a mapping"
          )
      }
    }
    if (c === '"') return { value: string(), lines: { line } }
    for (const [word, v] of [
      ["true", true],
      ["false", false],
      ["null", null]
    ] as const)
      if (text.startsWith(word, i)) {
        i += word.length
        return { value: v, lines: { line } }
      }
    NUMBER.lastIndex = i
    const n = NUMBER.exec(text)
    if (n !== null && n[0].length > 0) {
      i += n[0].length
      return { value: Number(n[0]), lines: { line } }
    }
    return fail(i >= text.length ? "the end of the text where a value was expected" : "expected a value")
  }
  try {
    const top = value(0, [])
    space()
    if (i < text.length) fail("more text after the end of the JSON value")
    return Either.right({ value: top.value, lines: top.lines, duplicateKeys })
  } catch (e) {
    if (!(e instanceof Failure)) throw e
    const line = lineAt(e.offset)
    return Either.left({ line, column: e.offset - lineStarts[line - 1] + 1, message: e.message })
  }
}

/** The line of the value at a path (walking up to the nearest value that exists). */
export const jsonLineOf = (lines: JsonLines, path: ReadonlyArray<PropertyKey>): number => {
  let at = lines
  for (const k of path) {
    const next = at.entries?.get(typeof k === "number" ? k : String(k))
    if (next === undefined) break
    at = next
  }
  return at.line
}

/**
 * How many mappings and lists a JSON text opens (the `{` and `[` outside strings), counted without parsing it:
 * a caller can refuse a text that would take far more memory to parse than its size says (a list of a hundred
 * million empty lists is 300 MB of text and gigabytes once parsed).
 */
export const jsonContainers = (text: string): number => {
  let n = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 92) i++ // a backslash: the next character is escaped
      else if (c === 34) inString = false
    } else if (c === 34) inString = true
    else if (c === 123 || c === 91) n++
  }
  return n
}
