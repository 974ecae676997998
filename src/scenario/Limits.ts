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
      problems.push({
        path: [],
        message:
          `more than ${grouped(MAX_VALUES)} values (each use of a YAML alias counted in ` +
          `full); a scenario holds a few thousand`
      })
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
