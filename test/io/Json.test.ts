// Strict JSON: the same values as JSON.parse, with lines, duplicate keys reported, nesting bounded, and
// syntax errors that say where (line, column) and never quote the text.
import * as Either from "effect/Either"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { jsonContainers, jsonLineOf, parseJson } from "../../src/io/Json.js"

const ok = (text: string) => Either.getOrThrow(parseJson(text))
const bad = (text: string) => {
  const r = parseJson(text)
  if (Either.isRight(r)) throw new Error(`parsed: ${text}`)
  return r.left
}

describe("parseJson", () => {
  it("gives the same value as JSON.parse for any JSON text", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.boolean(), (v, pretty) => {
        const text = JSON.stringify(v, null, pretty ? 2 : undefined)
        expect(ok(text).value).toEqual(JSON.parse(text))
      }),
      { numRuns: 200 }
    )
  })

  it("gives the line of every value", () => {
    const p = ok('{\n  "a": 1,\n  "b": [\n    true,\n    { "c": null }\n  ]\n}')
    expect(jsonLineOf(p.lines, ["a"])).toBe(2)
    expect(jsonLineOf(p.lines, ["b", 1, "c"])).toBe(5)
    expect(jsonLineOf(p.lines, ["b", 7])).toBe(3) // a missing entry: its list
  })

  it("reports every key given twice, with both lines", () => {
    const p = ok('{\n  "name": "a",\n  "x": { "k": 1,\n "k": 2 },\n  "name": "b"\n}')
    expect(p.duplicateKeys).toEqual([
      { path: ["x"], key: "k", line: 4, firstLine: 3 },
      { path: [], key: "name", line: 5, firstLine: 2 }
    ])
  })

  it("keeps __proto__ an ordinary key of its mapping, never the mapping's prototype", () => {
    const v = ok('{"__proto__": {"polluted": true}}').value as Record<string, unknown>
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype)
    expect(Object.keys(v)).toEqual(["__proto__"])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it("says where a syntax error is and what was expected, never what the text says", () => {
    expect(bad('{"a": 1,\n "b" 2}')).toEqual({ line: 2, column: 6, message: "expected : after a key" })
    expect(bad('{"a": [1, 2}')).toMatchObject({ line: 1, column: 12, message: "expected , or ] in a list" })
    expect(bad('{"a": 1')).toMatchObject({ message: "the end of the text inside a mapping (a missing }?)" })
    expect(bad('{"a": "x\ny"}')).toMatchObject({ line: 1, message: expect.stringContaining("control character") })
    expect(bad("{'a': 1}").message).toBe("expected a key in double quotes")
    expect(bad('{"a": 1,}').message).toBe("expected a key in double quotes")
    expect(bad("[1] [2]").message).toBe("more text after the end of the JSON value")
    expect(bad('{"a": 01}').message).toBe("expected , or } in a mapping")
    // A private file named by mistake: nothing of it is echoed.
    const secret = "root:x:0:0:hunter2:/root:/bin/bash"
    expect(JSON.stringify(bad(secret))).not.toMatch(/root|hunter2|bash/)
  })

  it("refuses nesting deeper than its limit without overflowing the stack", () => {
    expect(bad("[".repeat(100_000) + "]".repeat(100_000))).toMatchObject({
      line: 1,
      column: 65,
      message: "mappings and lists nested more than 64 deep"
    })
    expect(Either.isRight(parseJson("[".repeat(64) + "]".repeat(64)))).toBe(true)
    expect(Either.isRight(parseJson("[[[]]]", { maxDepth: 3 }))).toBe(true)
    expect(Either.isLeft(parseJson("[[[[]]]]", { maxDepth: 3 }))).toBe(true)
  })
})

describe("jsonContainers", () => {
  /** The mappings and lists in a value. */
  const containers = (v: unknown): number =>
    Array.isArray(v)
      ? 1 + v.reduce<number>((n, x) => n + containers(x), 0)
      : v !== null && typeof v === "object"
        ? 1 + Object.values(v).reduce<number>((n, x) => n + containers(x), 0)
        : 0

  it("counts the mappings and lists a text opens, not the brackets inside its strings", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (v, pretty) => {
        expect(jsonContainers(JSON.stringify(v, null, pretty ? 2 : undefined))).toBe(containers(v))
      }),
      { numRuns: 300 }
    )
    expect(jsonContainers(JSON.stringify({ "[{": ['\\"[', "{", "\\"], x: [[], {}] }))).toBe(5)
  })
})
