/**
 * Generated bad scenarios for the end-to-end tests: the places in a real scenario's text where a value or a
 * key is written, and rewrites of one of them (a number made negative, huge, fractional or text; a date
 * made impossible; a text made hostile; a key misspelt, duplicated or made a prototype key). Each rewrite
 * changes the text: one that would leave it as it was is not made.
 */
import * as fc from "fast-check"
import * as YAML from "yaml"

/** A place in a scenario's text that a mutation can rewrite. */
export interface Site {
  readonly kind: "value" | "key"
  /** Where it is in the scenario's data, as a path such as referrals.frontDoor[2].probability. */
  readonly path: string
  /** Its range in the text. */
  readonly from: number
  readonly to: number
  readonly value: unknown
  /** For a key: the other keys of its mapping. */
  readonly siblings: ReadonlyArray<string>
}

const pathText = (path: ReadonlyArray<string | number>): string =>
  path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("")

/** Every scalar value and every mapping key of a YAML text, with where it is written. */
export const sitesOf = (text: string): ReadonlyArray<Site> => {
  const out: Array<Site> = []
  const walk = (node: unknown, path: ReadonlyArray<string | number>) => {
    if (YAML.isScalar(node) && node.range)
      out.push({
        kind: "value",
        path: pathText(path),
        from: node.range[0],
        to: node.range[1],
        value: node.value,
        siblings: []
      })
    else if (YAML.isSeq(node)) node.items.forEach((item, i) => walk(item, [...path, i]))
    else if (YAML.isMap(node)) {
      const keys = node.items.flatMap((p) => (YAML.isScalar(p.key) ? [String(p.key.value)] : []))
      for (const pair of node.items) {
        const key = pair.key
        if (!YAML.isScalar(key) || !key.range) continue
        const name = String(key.value)
        out.push({
          kind: "key",
          path: pathText([...path, name]),
          from: key.range[0],
          to: key.range[1],
          value: name,
          siblings: keys.filter((k) => k !== name)
        })
        walk(pair.value, [...path, name])
      }
    }
  }
  walk(YAML.parseDocument(text).contents, [])
  return out
}

/** A value that is long and holds control characters, bidi overrides and an escape sequence. */
export const HOSTILE_TEXT = "\u001b[2J\u001b]0;pwned\u0007" + "A".repeat(100_000) + "\u202e"

/** A long value that a pattern with two runs of `\s*` would take minutes over. */
export const SPACED_TEXT = `5${" ".repeat(100_000)}x`

const DATES = ["2025-02-30", "2023-02-29", "2025-04-31", "2025-13-01", "2100-02-29", "2025-00-10", "0000-01-01"]

/**
 * The new texts of a value (as YAML): `plausible` ones a user might write (the value doubled, halved, one
 * more; another real date; a name edited or holding a control character), which may well be valid, and
 * `hostile` ones, which rarely are.
 */
const valueRewrites = (v: unknown): { readonly plausible: Array<string>; readonly hostile: Array<string> } => {
  if (typeof v === "number")
    return {
      plausible: [String(v * 2), String(v / 2), String(v + 1), `${v}${Number.isInteger(v) ? ".0" : "0"}`],
      hostile: [
        String(-Math.abs(v) - 1),
        ".nan",
        ".inf",
        "1e308",
        "-1e308",
        String(v + 0.5),
        "0",
        "ten",
        '""',
        "~",
        "[1, 2]",
        "{ a: 1 }",
        JSON.stringify(SPACED_TEXT)
      ]
    }
  if (typeof v === "string" && /^\d{4}-\d\d-\d\d$/.test(v))
    return {
      plausible: ["2025-06-30", "2024-02-29", "2025-10-01", "2030-04-01"],
      hostile: [...DATES, "2025-4-1", "yesterday", JSON.stringify(SPACED_TEXT)]
    }
  const text = String(v)
  return {
    plausible: [JSON.stringify(`${text} (edited)`), JSON.stringify(`${text}\u0007`), JSON.stringify(`\u202e${text}`)],
    hostile: [
      JSON.stringify(HOSTILE_TEXT),
      JSON.stringify(SPACED_TEXT),
      JSON.stringify("x".repeat(300)),
      "-1",
      "[1, 2]",
      "~",
      "true",
      '""',
      "1e308"
    ]
  }
}

/**
 * A key misspelt (two letters swapped, one dropped, the first's case changed), a sibling's (a duplicate)
 * or a prototype key; the plausible rewrite is the same key in quotes.
 */
const keyRewrites = (key: string, siblings: ReadonlyArray<string>) => {
  const out: Array<string> = ["__proto__", "constructor", `${key}_`]
  for (let i = 0; i + 1 < key.length; i++) out.push(key.slice(0, i) + key[i + 1] + key[i] + key.slice(i + 2))
  for (let i = 0; i < key.length && key.length > 1; i++) out.push(key.slice(0, i) + key.slice(i + 1))
  out.push((key[0] === key[0].toUpperCase() ? key[0].toLowerCase() : key[0].toUpperCase()) + key.slice(1))
  out.push(...siblings.slice(0, 3))
  return { plausible: [JSON.stringify(key)], hostile: out.filter((k) => k !== key).map(quoteKey) }
}

export interface Mutation {
  readonly file: string
  readonly site: Site
  readonly replacement: string
  readonly text: string
}

/** The text with one site rewritten. */
const rewrite = (text: string, site: Site, replacement: string): string =>
  text.slice(0, site.from) +
  replacement +
  // A block scalar's range ends with its line break: keep it.
  (text[site.to - 1] === "\n" ? "\n" : "") +
  text.slice(site.to)

/** One mutation of one of `scenarios` (a file and its text), chosen at random. */
export const mutationOf = (
  scenarios: ReadonlyArray<{ readonly file: string; readonly text: string }>
): fc.Arbitrary<Mutation> => {
  const indexed = scenarios.map((s) => ({ ...s, sites: sitesOf(s.text) }))
  return fc
    .record({
      scenario: fc.nat({ max: indexed.length - 1 }),
      site: fc.nat(),
      // One in three plausible, so that some mutated scenarios are valid and run.
      plausible: fc.nat({ max: 2 }).map((n) => n === 0),
      choice: fc.nat()
    })
    .map(({ scenario, site, plausible, choice }) => {
      const s = indexed[scenario]
      const at = s.sites[site % s.sites.length]
      const rewrites = at.kind === "value" ? valueRewrites(at.value) : keyRewrites(String(at.value), at.siblings)
      const options = plausible ? rewrites.plausible : rewrites.hostile
      const replacement = options[choice % options.length]
      const m = { file: s.file, site: at, replacement, text: rewrite(s.text, at, replacement) }
      return Object.assign(m, { [fc.toStringMethod]: () => describeMutation(m) })
    })
    .filter((m) => m.text !== indexed.find((s) => s.file === m.file)!.text)
}

const quoteKey = (k: string): string => (/^[A-Za-z_][\w]*$/.test(k) ? k : JSON.stringify(k))

/** How a mutation is shown in a failing case. */
export const describeMutation = (m: Mutation): string =>
  `${m.file}: ${m.site.kind} ${m.site.path} (${JSON.stringify(String(m.site.value).slice(0, 40))}) -> ` +
  JSON.stringify(m.replacement.slice(0, 60))
