// Generated bad input: mutations of the real values of the shipped scenarios (a number made negative, text,
// 1e308 or a fraction; a value made a huge or hostile text; a date made impossible; a key misspelt). Every
// mutation gives a valid scenario or a refusal whose message names the mutated field (or a field that
// holds it, or the field a misspelt key became), stays under the message limit and holds no raw control
// character.
import * as Either from "effect/Either"
import * as fc from "fast-check"
import * as fs from "node:fs"
import { describe, expect, it } from "vitest"
import * as YAML from "yaml"
import { MAX_MESSAGE_BYTES } from "../../src/scenario/Limits.js"
import { scenarioFromPlainText } from "../../src/scenario/Load.js"
import { formatPath } from "../../src/scenario/Problems.js"
import { fixture, RAW_CONTROL } from "./helpers.js"
import { runs } from "../support/runs.js"

type Path = ReadonlyArray<string | number>

/** A place in a scenario's text that a mutation can rewrite. */
interface Site {
  readonly kind: "value" | "key"
  readonly path: Path
  readonly from: number
  readonly to: number
  readonly value: unknown
}

/** Every scalar value and every mapping key of a YAML text, with where it is written. */
const sitesOf = (text: string): ReadonlyArray<Site> => {
  const doc = YAML.parseDocument(text)
  const out: Array<Site> = []
  const walk = (node: unknown, path: Path) => {
    if (YAML.isScalar(node) && node.range)
      out.push({ kind: "value", path, from: node.range[0], to: node.range[1], value: node.value })
    else if (YAML.isSeq(node)) node.items.forEach((item, i) => walk(item, [...path, i]))
    else if (YAML.isMap(node))
      for (const pair of node.items) {
        const key = pair.key
        if (!YAML.isScalar(key) || !key.range) continue
        const name = String(key.value)
        out.push({ kind: "key", path: [...path, name], from: key.range[0], to: key.range[1], value: name })
        walk(pair.value, [...path, name])
      }
  }
  walk(doc.contents, [])
  return out
}

const SHIPPED = ["scenarios/default.yaml", "scenarios/england.yaml", fixture("small.yaml")].map((file) => {
  const text = fs.readFileSync(file, "utf8")
  return { file, text, sites: sitesOf(text) }
})

const HOSTILE = "\u001b[2J\u001b]0;pwned\u0007" + "A".repeat(100_000) + "\u202e"

/** The new text of a value (as a YAML scalar), given a choice of mutation. */
const mutateValue = (v: unknown, choice: number): string | null => {
  if (typeof v === "number") {
    const options = [String(-Math.abs(v) - 1), '"NaN"', ".nan", "1e308", "-1e308", String(v + 0.5), "0", "ten"]
    return options[choice % options.length]
  }
  if (typeof v === "string" && /^\d{4}-\d\d-\d\d$/.test(v)) {
    const options = ["2025-02-30", "2023-02-29", "2025-04-31", "2025-13-01", "2100-02-29"]
    return options[choice % options.length]
  }
  const options = [JSON.stringify(HOSTILE), JSON.stringify("x".repeat(300)), "-1", "[1, 2]"]
  return options[choice % options.length]
}

/** A misspelling of a key: two letters swapped, one dropped, or the case of the first changed. */
const misspell = (key: string, choice: number): string | null => {
  if (key.length < 2) return null
  const i = choice % (key.length - 1)
  const options = [
    key.slice(0, i) + key[i + 1] + key[i] + key.slice(i + 2),
    key.slice(0, i) + key.slice(i + 1),
    (key[0] === key[0].toUpperCase() ? key[0].toLowerCase() : key[0].toUpperCase()) + key.slice(1)
  ]
  const k = options[Math.floor(choice / 7) % options.length]
  return k === key ? null : k
}

/** Whether one path is the other, or holds it. */
const related = (a: string, b: string): boolean =>
  a === b || a.startsWith(`${b}.`) || a.startsWith(`${b}[`) || b.startsWith(`${a}.`) || b.startsWith(`${a}[`)

describe("mutations of the shipped scenarios' real values", () => {
  it("are valid or refused with a short, safe message naming the mutated field", () => {
    const mutation = fc
      .record({
        scenario: fc.integer({ min: 0, max: SHIPPED.length - 1 }),
        site: fc.nat(),
        choice: fc.nat({ max: 1000 })
      })
      .map(({ scenario, site, choice }) => {
        const s = SHIPPED[scenario]
        const at = s.sites[site % s.sites.length]
        const replacement = at.kind === "value" ? mutateValue(at.value, choice) : misspell(String(at.value), choice)
        const newKey = at.kind === "key" && replacement !== null ? replacement : null
        return {
          file: s.file,
          path: formatPath(at.path),
          expected:
            newKey === null
              ? [formatPath(at.path)]
              : [formatPath([...at.path.slice(0, -1), newKey]), formatPath(at.path.slice(0, -1))],
          text:
            replacement === null
              ? null
              : s.text.slice(0, at.from) +
                (newKey !== null ? JSON.stringify(newKey) : replacement) +
                // A block scalar's range ends with its line break: keep it.
                (s.text[at.to - 1] === "\n" ? "\n" : "") +
                s.text.slice(at.to),
          toString: () => `${s.file} ${at.kind} ${formatPath(at.path)} -> ${replacement?.slice(0, 40)}`
        }
      })
    fc.assert(
      fc.property(mutation, (m) => {
        if (m.text === null) return
        const r = scenarioFromPlainText(m.file, m.text)
        if (Either.isRight(r)) return
        const e = r.left
        const message = e.message
        expect(Buffer.byteLength(message)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES)
        expect(message).not.toMatch(RAW_CONTROL)
        // A check between neighbours (bin edges in order) may be reported at the neighbour: it then says which
        // field it compares with, by its path within their list.
        const tail = m.path.replace(/^.*\.(?=[^.[\]]+\[\d+\])/, "")
        const named = e.problems.some(
          (p) =>
            p.path !== "" &&
            (m.expected.some((x) => related(p.path, x)) ||
              (p.path.startsWith(m.path.slice(0, m.path.length - tail.length)) && p.message.includes(tail)))
        )
        expect(named, `${m.path}:\n${message}`).toBe(true)
      }),
      { numRuns: runs(100) }
    )
  })
})
