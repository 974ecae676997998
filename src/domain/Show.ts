/**
 * How a value found in an input is shown in a message: short, on one line, with control characters
 * escaped, so a message stays readable (and harmless to a terminal) however large or hostile the input.
 */

/**
 * A whole number with thousands separators, as `toLocaleString("en-GB")` writes it ("1,234,567"), without
 * starting ICU (which costs tens of milliseconds at the first call, at every start of the command line).
 * Other numbers are left to `toLocaleString`.
 */
export const grouped = (n: number): string => {
  if (!Number.isSafeInteger(n)) return n.toLocaleString("en-GB")
  const digits = String(Math.abs(n))
  let out = ""
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ","
    out += digits[i]
  }
  return n < 0 ? `-${out}` : out
}

/** The longest excerpt of a found value a message shows, in characters. */
export const EXCERPT_LIMIT = 80

/** Control characters (C0, DEL, C1) and the Unicode line and bidirectional-override characters. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g

/** Text with every control character written as an escape (`\n`, `\u001b`). */
export const escapeControl = (text: string): string =>
  text.replace(CONTROL, (c) =>
    c === "\n" ? "\\n" : c === "\r" ? "\\r" : c === "\t" ? "\\t" : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`
  )

/** At most `limit` characters of `text`, escaped; a cut text ends "..." and, when long, gives its length. */
export const excerpt = (text: string, limit: number = EXCERPT_LIMIT): string => {
  const escaped = escapeControl(text.slice(0, limit))
  if (text.length <= limit && escaped.length <= limit) return escaped
  const more = text.length > 2 * limit ? ` (${grouped(text.length)} characters)` : ""
  return `${escaped.slice(0, limit)}...${more}`
}

/** What is wrong with `n`, read from the text `found`, as a whole number from `min` to `max`; null if nothing. */
export const wholeNumberProblem = (found: string, n: number, min: number, max: number): string | null =>
  Number.isInteger(n) && n >= min && n <= max
    ? null
    : `expected a whole number from ${grouped(min)} to ${grouped(max)}, found ${show(found)}`

/**
 * A found value for a message: JSON-like, at most `limit` characters. Large containers are described
 * rather than serialised whole (a 20,000-entry mapping costs nothing to show).
 */
export const show = (v: unknown, limit: number = EXCERPT_LIMIT): string => {
  if (v === undefined) return "nothing"
  if (typeof v === "string")
    return v.length > limit
      ? `${excerpt(JSON.stringify(v.slice(0, limit)), limit)} (${grouped(v.length)} characters)`
      : excerpt(JSON.stringify(v), limit)
  if (typeof v === "number") return String(v)
  if (v === null || typeof v === "boolean" || typeof v === "bigint") return String(v)
  if (Array.isArray(v)) {
    if (v.length > limit) return `a list of ${grouped(v.length)} entries`
  } else if (typeof v === "object") {
    const n = Object.keys(v).length
    if (n > limit) return `a mapping of ${grouped(n)} fields`
  }
  let s: string | undefined
  try {
    s = JSON.stringify(v)
  } catch {
    s = undefined
  }
  return s === undefined ? String(typeof v) : excerpt(s, limit)
}

/**
 * What kind of value was found, without showing any of it: for content that must not be echoed (a file
 * that is not a scenario at all may be a private file named by mistake).
 */
export const describeKind = (v: unknown): string => {
  if (v === undefined || v === null) return "nothing (an empty document)"
  if (typeof v === "string") return `a single text of ${grouped(v.length)} characters`
  if (typeof v === "number") return "a single number"
  if (typeof v === "boolean") return "a single true or false"
  if (Array.isArray(v)) return `a list of ${grouped(v.length)} entries`
  return typeof v === "object" ? "a mapping" : `a ${typeof v}`
}
