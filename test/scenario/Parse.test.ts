// What a scenario text may be: syntax errors say where and never what; a key given twice, a forbidden key,
// a YAML tag, an alias bomb, deep nesting or too many values are refused with a clear message.
import * as Either from "effect/Either"
import * as fc from "fast-check"
import * as JsYaml from "js-yaml"
import * as fs from "node:fs"
import * as path from "node:path"
import * as YAML from "yaml"
import { describe, expect, it } from "vitest"
import { leastValues, MAX_DEPTH, MAX_VALUES } from "../../src/scenario/Limits.js"
import { parseScenarioText } from "../../src/scenario/Parse.js"
import { scenarioFromData } from "../../src/scenario/Load.js"
import { edit, errorOf, RAW_CONTROL, small, sourceOf } from "./helpers.js"

const parseError = (text: string, file = "s.yaml") => {
  const r = parseScenarioText(file, text)
  if (Either.isRight(r)) throw new Error("parsed, but should not have")
  return r.left
}
const smallJson = JSON.stringify(sourceOf(small).raw, null, 2)

describe("syntax errors", () => {
  it("say where (line and column) and what was expected, in YAML", () => {
    const e = parseError("name: x\nstart: [2025-04-01\nyears: 3\n")
    expect(e.problems[0]).toMatchObject({ path: "", line: 3 }) // where YAML finds the bracket unclosed
    expect(e.problems[0].message).toBe("not valid YAML at column 1: bad indentation")
    expect(parseError('name: "unclosed\n').problems[0].message).toMatch(
      /^not valid YAML at column \d+: a missing character/
    )
    expect(parseError("a:\n  b: 1\n c: 2\n").problems[0]).toMatchObject({ line: 3 })
    expect(parseError("a: 1\n---\nb: 2\n").problems[0].message).toContain("more than one YAML document")
  })

  it("never echo the text of a file that is not a scenario", () => {
    const secret = "root:x:0:0:hunter2:/root:/bin/bash\nsecret: [unclosed hunter2\n  key: 'token-hunter2"
    for (const file of ["s.yaml", "s.json"]) {
      const e = parseError(secret, file)
      expect(e.message).not.toMatch(/hunter2|root|bash|token/)
      expect(e.problems[0].line).toBeGreaterThan(0)
    }
  })

  it("say where, in JSON, and JSON problems after parsing have lines too", () => {
    expect(parseError('{\n  "name": "x",\n  "years": 3,,\n}', "s.json").problems).toEqual([
      { path: "", line: 3, message: "not valid JSON at column 14: expected a key in double quotes" }
    ])
    const text = smallJson.replace('"ratePer10k": 500', '"ratePer10k": -5')
    const e = errorOf(text, "s.json")
    expect(e.problems).toEqual([
      {
        path: "referrals.ratePer10k",
        line: text.split("\n").findIndex((l) => l.includes('"ratePer10k": -5')) + 1,
        message: "expected a number >= 0 (referrals per 10,000 children a year, at most 1,000,000), found -5"
      }
    ])
  })
})

describe("keys", () => {
  it("refuses a key given twice, naming it and both lines, in YAML and JSON", () => {
    const yaml = parseError(edit(small, "years: 3\n", "years: 3\nyears: 4\n"))
    expect(yaml.problems).toEqual([
      {
        path: "years",
        line: 5,
        message: 'the key "years" is given twice in one mapping (first at line 4); give each field once'
      }
    ])
    const json = parseError(smallJson.replace('"years": 3,', '"years": 3,\n  "years": 4,'), "s.json")
    expect(json.problems).toEqual([
      {
        path: "years",
        line: 5,
        message: 'the key "years" is given twice in one mapping (first at line 4); give each field once'
      }
    ])
    // Deep down too.
    expect(
      parseError(edit(small, "  growthPerYear: 0.01\n", "  growthPerYear: 0.01\n  children: 5\n")).problems[0]
    ).toMatchObject({
      path: "population.children",
      line: 8
    })
  })

  it("refuses __proto__, constructor and prototype anywhere, in YAML, JSON and data", () => {
    for (const key of ["__proto__", "constructor", "prototype"]) {
      const yaml = errorOf(edit(small, "  growthPerYear: 0.01\n", `  growthPerYear: 0.01\n  ${key}: { polluted: 1 }\n`))
      expect(yaml.problems).toEqual([
        {
          path: `population.${key}`,
          line: 8,
          message: `the key ${key} is not allowed (it is not a scenario field, and JavaScript reserves it)`
        }
      ])
      const json = errorOf(smallJson.replace('"growthPerYear": 0.01', `"growthPerYear": 0.01, "${key}": {}`), "s.json")
      expect(json.problems.map((p) => p.path)).toEqual([`population.${key}`])
      const deep = JSON.parse(smallJson) as { levels: { early_help: { duration: Record<string, unknown> } } }
      Object.defineProperty(deep.levels.early_help.duration, key, { value: 1, enumerable: true })
      const data = scenarioFromData("header", deep)
      expect(Either.isLeft(data) && data.left.problems.map((p) => p.path)).toEqual([
        `levels.early_help.duration.${key}`
      ])
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it("refuses a key that is not plain text, and YAML tags", () => {
    expect(parseError("? [a, b]\n: 1\nname: x\n").problems[0].message).toBe(
      "expected plain text as a key, found a list or mapping used as a key"
    )
    expect(parseError("name: !secret x\n").problems[0].message).toMatch(/a tag \(!name\) that a scenario does not use/)
    // YAML 1.1's tags that make other kinds of data (a !!set was read as {}): refused; the core schema's own
    // (which change nothing) are taken.
    for (const t of [
      "name: !!binary aGVsbG8=\n",
      "a: !!set {x}\n",
      "a: !!timestamp 2020-01-01\n",
      "a: !!omap [{x: 1}]\n"
    ])
      expect(parseError(t).problems[0].message, t).toMatch(/a tag \(!name\) that a scenario does not use/)
    expect(Either.isRight(parseScenarioText("s.yaml", "name: !!str 12\nseed: !!int 3\n"))).toBe(true)
    // `!!float` of a whole number is that number, as YAML 1.2 says (yaml's own tag left it unresolved).
    const float = parseScenarioText("s.yaml", "years: !!float 5\nx: !!float -2.5e1\n")
    expect(Either.isRight(float) && float.right.raw).toEqual({ years: 5, x: -25 })
    expect(parseError("years: !!float five\n").problems[0].message).toMatch(/^not valid YAML at column 8/)
    // An alias as a key is its anchor's text in both readings (the tag sends this one to yaml's); one with no
    // anchor is said with its place.
    const keyed = parseScenarioText("s.yaml", "description: !!str &k name\n*k : foo\n")
    expect(Either.isRight(keyed) && keyed.right.raw).toEqual({ description: "name", name: "foo" })
    expect(parseError("costs:\n  ? *k\n  : 1\n").problems[0]).toMatchObject({
      path: "costs",
      line: 2,
      message: "not valid YAML: an alias (*name) whose anchor (&name) is not set before it"
    })
  })
})

describe("limits", () => {
  it("refuses an alias bomb with a message instead of expanding it", () => {
    const levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for (const [i, c] of [..."bcdefghi"].entries()) {
      const prev = "abcdefgh"[i]
      levels.push(`${c}: &${c} [${new Array(9).fill(`*${prev}`).join(", ")}]`)
    }
    const t0 = performance.now()
    const e = parseError(levels.join("\n"))
    // A hang guard, not a timing (expanding the bomb would take minutes and gigabytes).
    expect(performance.now() - t0).toBeLessThan(30_000)
    expect(e.problems).toHaveLength(1)
    expect(e.problems[0].message).toBe(
      `more than ${MAX_VALUES.toLocaleString("en-GB")} values (each use of a YAML alias counted in full); a ` +
        `scenario holds a few thousand`
    )
  })

  it("refuses a %YAML directive other than 1.2 (YAML 1.1 reads 012, on and dates otherwise)", () => {
    const e = parseError("# a scenario\n%YAML 1.1\n---\nseed: 012\n")
    expect([e.problems[0].message, e.problems[0].line]).toEqual([
      'expected YAML 1.2 (or no %YAML directive), found %YAML "1.1"',
      2
    ])
    expect(Either.isRight(parseScenarioText("s.yaml", "%YAML 1.2\n---\nseed: 12\n"))).toBe(true)
  })

  it("refuses an alias whose anchor is not set before it, on either reading", () => {
    for (const t of ["a: *nope\n", "a: *y\nb: &y 1\n", "a: *nope # !\n"])
      expect(parseError(t).problems[0].message, t).toBe(
        "not valid YAML: an alias (*name) whose anchor (&name) is not set before it"
      )
  })

  it("reads aliases alike whichever YAML parser reads the file (a tag sends it to the careful one)", () => {
    // 150 uses of one anchor: within the limit on values, so taken by both readings.
    const text = `a: &s 1\nb: [${new Array(150).fill("*s").join(", ")}]\n`
    for (const t of [text, `${text}# a comment with a ! in it\n`, `${text}c: !!str x\n`]) {
      const r = parseScenarioText("s.yaml", t)
      expect(Either.isRight(r), t.slice(-30)).toBe(true)
      if (Either.isRight(r)) expect((r.right.raw as { b: Array<number> }).b).toHaveLength(150)
    }
  })

  it("counts each use of an alias in full against the limit on values", () => {
    const wide =
      `big: &big [${new Array(20_001).fill("0").join(", ")}]\nuses: ` + `[${new Array(60).fill("*big").join(", ")}]\n`
    const e = parseError(wide)
    expect(e.problems[0].message).toBe(
      `more than ${MAX_VALUES.toLocaleString("en-GB")} values (each use of a YAML alias counted in full); a ` +
        `scenario holds a few thousand`
    )
    // An anchor used a few times (the shipped scenarios do) is fine.
    expect(Either.isRight(parseScenarioText("s.yaml", "a: &d { x: 1 }\nb: *d\nc: *d\n"))).toBe(true)
  })

  it("refuses a text of more values than a scenario holds before parsing it, in every style", () => {
    const tooMany =
      `more than ${MAX_VALUES.toLocaleString("en-GB")} values (each use of a YAML alias counted in full); a ` +
      `scenario holds a few thousand`
    const n = MAX_VALUES + 1
    const texts: Array<readonly [string, string]> = [
      ["s.yaml", `name: x\nl: [${"[],".repeat(n)}[]]\n`],
      ["s.json", `{"name": "x", "l": [${"[],".repeat(n)}[]]}`],
      ["s.yaml", `l: [${"1,".repeat(n)}1]\n`],
      ["s.json", `{"l": [${"1,".repeat(n)}1]}`],
      ["s.yaml", `l:\n${"- 1\n".repeat(n)}`],
      ["s.yaml", `m:\n${Array.from({ length: n }, (_, i) => `  k${i}: 1\n`).join("")}`]
    ]
    const t0 = performance.now()
    for (const [file, text] of texts) {
      expect(leastValues(text), text.slice(0, 20)).toBeGreaterThan(MAX_VALUES)
      expect(parseError(text, file).problems.map((p) => p.message)).toEqual([tooMany])
    }
    // A hang guard, not a timing (a million keys read by the careful parser took minutes).
    expect(performance.now() - t0).toBeLessThan(30_000)
  })

  it("counts values in a text no higher than they are, quotes and comments aside", () => {
    expect(leastValues("a: \"[[[,,,: - \"\n# [[[ ,,, a: b\nb: '[{,'\n")).toBe(2)
    const count = (v: unknown): number =>
      1 + (v !== null && typeof v === "object" ? Object.values(v).reduce<number>((a, x) => a + count(x), 0) : 0)
    const line = fc.string().filter((t) => !/[\r\n]/.test(t))
    const oneLine = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: "small" },
        fc.constant(null),
        fc.boolean(),
        fc.integer(),
        line,
        fc.array(tie("v")),
        fc.dictionary(line, tie("v"))
      )
    })).v
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(leastValues(JSON.stringify(v))).toBeLessThanOrEqual(count(v))
        expect(leastValues(JSON.stringify(v, null, 2))).toBeLessThanOrEqual(count(v))
      }),
      { numRuns: 300 }
    )
    fc.assert(
      fc.property(oneLine, fc.boolean(), (v, flow) => {
        expect(leastValues(JsYaml.dump(v, { flowLevel: flow ? 0 : -1 }))).toBeLessThanOrEqual(count(v))
      }),
      { numRuns: 300 }
    )
  })

  it("refuses nesting deeper than the limit, in YAML and JSON, without a stack overflow", () => {
    for (const n of [MAX_DEPTH + 1, 5_000, 100_000]) {
      const yaml = parseError(`name: ${"[".repeat(n)}${"]".repeat(n)}\n`)
      expect(yaml.problems[0].message).toMatch(/nested (more than 64 deep|too deeply)/)
      const json = parseError(`{"name": ${"[".repeat(n)}${"]".repeat(n)}}`, "s.json")
      expect(json.problems[0].message).toBe("not valid JSON at column 73: mappings and lists nested more than 64 deep")
    }
    const blocks = Array.from({ length: 200 }, (_, i) => `${" ".repeat(i)}k:`).join("\n") + " 1\n"
    expect(parseError(blocks).problems[0]).toMatchObject({ message: expect.stringMatching(/nested more than 64 deep/) })
  })

  it("keeps every message short and free of raw control characters", () => {
    for (const text of ["\u001b[2J: 1\n\u001b[2J: 2\n", `"\u0007\u001b[31m": [`, 'a: "\\e[31m"\nname: [\u0000']) {
      const m = parseError(text).message
      expect(m).not.toMatch(RAW_CONTROL)
      expect(m.length).toBeLessThan(2000)
    }
  })
})

describe("the two YAML readers", () => {
  const root = path.resolve(import.meta.dirname, "../..")
  const yamlFiles = [
    ...fs.readdirSync(path.join(root, "scenarios"), { recursive: true, encoding: "utf8" }).map((f) => `scenarios/${f}`),
    ...fs.readdirSync(path.join(root, "test"), { recursive: true, encoding: "utf8" }).map((f) => `test/${f}`)
  ].filter((f) => /\.ya?ml$/.test(f))

  it("read every shipped scenario and fixture to the same data (js-yaml first, yaml for lines)", () => {
    expect(yamlFiles.length).toBeGreaterThan(15)
    for (const f of yamlFiles) {
      const text = fs.readFileSync(path.join(root, f), "utf8")
      const quick = JsYaml.load(text, { schema: JsYaml.CORE_SCHEMA })
      expect(quick, f).toStrictEqual(YAML.parse(text))
    }
  })

  it("read YAML 1.2 core scalars alike: numbers, booleans, nulls, dates as text", () => {
    const scalars = [
      "1_000",
      "0b101",
      "0o17",
      "017",
      "0x1F",
      "+0x1F",
      "-0x1F",
      "+1",
      "-0",
      ".5",
      "-.5",
      "1.",
      "1e3",
      "1E+3",
      "+.inf",
      ".Inf",
      "-.INF",
      ".nan",
      "True",
      "TRUE",
      "yes",
      "no",
      "on",
      "off",
      "~",
      "null",
      "NULL",
      "",
      "2025-04-01",
      "2025-04-01T00:00:00Z",
      "12:30",
      "1:20:30",
      "0.1e-5",
      "00",
      "0009",
      "1e",
      "infinity",
      "5%"
    ]
    fc.assert(
      fc.property(fc.constantFrom(...scalars), fc.constantFrom("a: ", "- ", "a: [", "a: { b: "), (x, prefix) => {
        const close = prefix.endsWith("[") ? "]" : prefix.endsWith("{ b: ") ? " }" : ""
        const text = `${prefix}${x}${close}\n`
        expect(JsYaml.load(text, { schema: JsYaml.CORE_SCHEMA })).toStrictEqual(YAML.parse(text))
      }),
      { numRuns: 300 }
    )
  })

  it("find lines in a quickly read scenario when a problem needs one", () => {
    const parsed = Either.getOrThrow(parseScenarioText("s.yaml", small))
    expect(parsed.doc).toBeNull() // read by js-yaml
    expect(parsed.locate(["referrals", "ratePer10k"]).line).toBe(
      small.split("\n").findIndex((l) => /ratePer10k/.test(l)) + 1
    )
  })
})
