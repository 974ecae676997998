/**
 * How a value found in an input is shown in a message: short, on one line, with control characters
 * escaped, so a message stays readable (and harmless to a terminal) however large or hostile the input.
 */

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
  const more = text.length > 2 * limit ? ` (${text.length.toLocaleString("en-GB")} characters)` : ""
  return `${escaped.slice(0, limit)}...${more}`
}

/**
 * A found value for a message: JSON-like, at most `limit` characters. Large containers are described
 * rather than serialised whole (a 20,000-entry mapping costs nothing to show).
 */
export const show = (v: unknown, limit: number = EXCERPT_LIMIT): string => {
  if (v === undefined) return "nothing"
  if (typeof v === "string")
    return v.length > limit
      ? `${excerpt(JSON.stringify(v.slice(0, limit)), limit)} (${v.length.toLocaleString("en-GB")} characters)`
      : excerpt(JSON.stringify(v), limit)
  if (typeof v === "number") return String(v)
  if (v === null || typeof v === "boolean" || typeof v === "bigint") return String(v)
  if (Array.isArray(v)) {
    if (v.length > limit) return `a list of ${v.length.toLocaleString("en-GB")} entries`
  } else if (typeof v === "object") {
    const n = Object.keys(v).length
    if (n > limit) return `a mapping of ${n.toLocaleString("en-GB")} fields`
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
  if (typeof v === "string") return `a single text of ${v.length.toLocaleString("en-GB")} characters`
  if (typeof v === "number") return "a single number"
  if (typeof v === "boolean") return "a single true or false"
  if (Array.isArray(v)) return `a list of ${v.length.toLocaleString("en-GB")} entries`
  return typeof v === "object" ? "a mapping" : `a ${typeof v}`
}
