/**
 * The limits on what a scenario may be, so that no input (however large, deep or hostile) can exhaust the
 * machine or the reader of a message, and the check of parsed data against them.
 *
 * A real scenario is far inside every limit: the shipped England scenario is 40 KB, nests 8 deep and
 * holds about 3,000 values.
 */
import { grouped } from "../domain/Show.js"

/** The largest scenario file read, in bytes (a scenario listing every child of a large council is a few MiB). */
export const MAX_SCENARIO_BYTES = 64 * 2 ** 20

/** Mappings and lists nested deeper than this are refused (a scenario nests about 10 deep). */
export const MAX_DEPTH = 64

/** The most values (numbers, texts, mappings, lists; each use of a YAML alias counted in full) in a scenario. */
export const MAX_VALUES = 1_000_000

/** Problems listed in a message (the rest are counted), and the most bytes a message runs to. */
export const MAX_PROBLEMS_LISTED = 50
export const MAX_MESSAGE_BYTES = 8 * 1024

/** Unknown fields of one mapping listed one by one; more are reported as one problem. */
export const MAX_UNKNOWN_FIELDS_LISTED = 5

/**
 * Keys refused everywhere, in every file and at any depth: in JavaScript they name an object's prototype
 * machinery, and no scenario field is called so.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"])

/** A problem with the shape of parsed data, at a path. */
export interface DataProblem {
  readonly path: ReadonlyArray<string | number>
  readonly message: string
}

/** The problem of data holding more than `MAX_VALUES` values. */
export const TOO_MANY_VALUES =
  `more than ${grouped(MAX_VALUES)} values (each use of a YAML alias counted in full); ` +
  "a scenario holds a few thousand"

/**
 * At least how many values a scenario's text (YAML or JSON) holds, counted without parsing it: the mappings
 * and lists it opens (a `[` or `{` outside quotes and comments where a value begins: inside brackets, at the
 * start of a line, or after a `- ` or `key: `), the commas between entries inside brackets, or its block
 * entries (a line's `- `, a `key: ` outside brackets), whichever is most. A text beyond `MAX_VALUES` is refused
 * before a parser builds gigabytes of it (64 MiB of `[],` is 22 million lists, of `k: 1` lines 6 million keys).
 * A quote in plain text (`don't`) only makes it count fewer; the lines of a block scalar (`|`) that look like
 * entries count, which no scenario has a million of.
 */
export const leastValues = (text: string): number => {
  let containers = 0
  let commas = 0
  let entries = 0
  let depth = 0
  const n = text.length
  // The end of an indicator: `-` or `:` followed by a space, a line break or the end.
  const ends = (j: number): boolean => j >= n || text.charCodeAt(j) === 32 || text.charCodeAt(j) === 10
  // Whether a value may begin here outside brackets (a bracket elsewhere is part of plain text: `a[1]`).
  let valueStart = true
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i)
    if (c === 10) valueStart = true
    else if (c === 32) continue
    else if (c === 34) {
      // "...": a backslash escapes the next character
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i)
        if (d === 92) i++
        else if (d === 34) break
      }
      valueStart = false
    } else if (c === 39) {
      // '...' ('' inside it ends one quoted run and starts the next)
      for (i++; i < n && text.charCodeAt(i) !== 39; i++);
      valueStart = false
    } else if (c === 35 && (i === 0 || text.charCodeAt(i - 1) <= 32)) {
      // a comment, to the end of its line
      while (i + 1 < n && text.charCodeAt(i + 1) !== 10) i++
    } else if ((c === 91 || c === 123) && (depth > 0 || valueStart)) {
      containers++
      depth++
    } else if ((c === 93 || c === 125) && depth > 0) {
      depth--
      valueStart = false
    } else if (c === 44 && depth > 0) commas++
    else if ((c === 45 || c === 58) && depth === 0 && ends(i + 1) && (c === 58 || valueStart)) {
      // a block entry: `- ` where a value begins, or `key: `
      entries++
      valueStart = true
    } else if (depth === 0) valueStart = false
  }
  return Math.max(containers, commas, entries)
}

/**
 * Checks parsed data (from a file, a worker message or an event log's header) against the limits:
 * nesting depth, number of values (counting shared values, e.g. YAML aliases, at every use), and
 * forbidden keys. Iterative, and stops at the first limit passed, so it costs at most `MAX_VALUES` steps
 * whatever the data.
 */
export const dataProblems = (raw: unknown): ReadonlyArray<DataProblem> => {
  const problems: Array<DataProblem> = []
  const stack: Array<{ readonly v: unknown; readonly path: ReadonlyArray<string | number> }> = [{ v: raw, path: [] }]
  let values = 0
  while (stack.length > 0) {
    const { v, path } = stack.pop()!
    values++
    if (values > MAX_VALUES) {
      problems.push({ path: [], message: TOO_MANY_VALUES })
      break
    }
    if (v === null || typeof v !== "object") continue
    if (path.length >= MAX_DEPTH) {
      problems.push({
        path,
        message: `mappings and lists nested more than ${MAX_DEPTH} deep; a scenario nests about 10 deep`
      })
      break
    }
    // Every entry pushed is a value still to count: past the limit, said now (a list of millions is never
    // pushed entry by entry, each with its path).
    const entries = Array.isArray(v) ? v.length : Object.keys(v).length
    if (values + stack.length + entries > MAX_VALUES) {
      problems.push({ path: [], message: TOO_MANY_VALUES })
      break
    }
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: [...path, i] })
      continue
    }
    const keys = Object.keys(v)
    for (let i = keys.length - 1; i >= 0; i--) {
      const k = keys[i]
      if (FORBIDDEN_KEYS.has(k)) {
        problems.push({
          path: [...path, k],
          message: `the key ${k} is not allowed (it is not a scenario field, and JavaScript reserves it)`
        })
        continue
      }
      stack.push({ v: (v as Record<string, unknown>)[k], path: [...path, k] })
    }
  }
  return problems
}
