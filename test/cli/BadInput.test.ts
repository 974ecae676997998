// Generated bad input, end to end: the real command line (in this process) on mutations of the shipped
// scenarios' real values, damaged event logs, edited shard files, bad flag values and hostile files. Each
// bad input ends with exit 2 and one short, escaped message that names the file (and line) or the flag, no
// stack trace, nothing on stdout, and nothing written: no output folder, no event log, not even a partial
// file. A mutation that leaves the scenario valid must run to the end and write every result.
import { execFileSync } from "node:child_process"
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as fc from "fast-check"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { MONTECARLO_FILES } from "../../src/montecarlo/Report.js"
import { RUN_FILES } from "../../src/cli/commands/run.js"
import { OPTIONAL_RESULT_FILES } from "../../src/report/Tables.js"
import { SEED_MAX, SEED_MIN } from "../../src/random/Streams.js"
import { canonicalJson } from "../../src/scenario/Identity.js"
import { blockOf } from "../log/support.js"
import { RAW_CONTROL } from "../scenario/helpers.js"
import { cli, type CliResult, filesUnder, fixture } from "../support/cli.js"
import { describeMutation, mutationOf } from "../support/mutations.js"
import { runs } from "../support/runs.js"

const root = path.resolve(import.meta.dirname, "../..")
const STACK_TRACE = /\n\s+at .*:\d+:\d+/
const MESSAGE_BYTES = 8 * 1024

let base = ""
let cases = 0
beforeAll(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), "caseflow-badinput-"))
})
afterAll(() => fs.rmSync(base, { recursive: true, force: true }))

/** A fresh, empty folder for one generated case. */
const caseDir = (): string => {
  const dir = path.join(base, `case-${cases++}`)
  fs.mkdirSync(dir)
  return dir
}

/** The scenario's warnings (dated values outside the run), which a command prints before going on. */
const WARNINGS = /^[^\n]*: \d+ warnings? in the scenario\n(?: {2}[^\n]*\n)*/

/**
 * Exit 2 with one message: "caseflow: " first (after the scenario's warnings, if any), naming each of
 * `names`, short, escaped, no stack trace, nothing on stdout.
 */
const expectRefused = (r: CliResult, names: ReadonlyArray<string>, maxBytes = MESSAGE_BYTES) => {
  expect(r.code, r.stderr).toBe(2)
  expect(r.stderr.replace(WARNINGS, "").startsWith("caseflow: "), r.stderr.slice(0, 500)).toBe(true)
  for (const n of names) expect(r.stderr, r.stderr.slice(0, 500)).toContain(n)
  expect(Buffer.byteLength(r.stderr)).toBeLessThan(maxBytes)
  expect(r.stderr).not.toMatch(RAW_CONTROL)
  expect(r.stderr).not.toMatch(STACK_TRACE)
  expect(r.stdout).toBe("")
}

/** The files under `dir` are exactly `expected`: nothing new was written, not even a partial file. */
const expectOnly = (dir: string, expected: ReadonlyArray<string>) =>
  expect(fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).sort()).toEqual([...expected].sort())

/** `x`, shown as `label` in a failing case (rather than whole: a damaged log is 300 KB). */
const labelled = <T extends object>(x: T, label: string): T => Object.assign(x, { [fc.toStringMethod]: () => label })

/** A text file at `dir/name`; its path. */
const put = (dir: string, name: string, content: string | Uint8Array): string => {
  const file = path.join(dir, name)
  fs.writeFileSync(file, content)
  return file
}

// ---------------------------------------------------------------------------------------------------------

describe("mutations of the shipped scenarios' real values", () => {
  const shipped = [path.join(root, "scenarios/default.yaml"), fixture("small.yaml")].map((file) => ({
    file: path.basename(file),
    text: fs.readFileSync(file, "utf8")
  }))

  it("are refused (exit 2, the file named, nothing written) or run to the end writing every result", async () => {
    const command = fc.constantFrom("run", "run", "run", "validate", "montecarlo")
    await fc.assert(
      fc.asyncProperty(mutationOf(shipped), command, async (m, cmd) => {
        const dir = caseDir()
        const file = put(dir, m.file, m.text)
        const out = path.join(dir, "out")
        const log = path.join(out, "e.ndjson")
        const args =
          cmd === "run"
            ? ["run", file, "--years", "1", "--out", out, "--events", log]
            : cmd === "montecarlo"
              ? ["montecarlo", file, "--runs", "2", "--years", "1", "--workers", "0", "--out", out]
              : ["validate", file]
        const r = await cli(args)
        const context = `${cmd} ${describeMutation(m)}\n${r.stderr.slice(0, 1000)}`
        expect([0, 2], context).toContain(r.code)
        expect(r.stdout + r.stderr, context).not.toMatch(RAW_CONTROL)
        expect(r.stderr, context).not.toMatch(STACK_TRACE)
        if (r.code === 2) {
          expectRefused(r, [file])
          expectOnly(dir, [m.file])
          return
        }
        // Every result file (legal_status.csv and uasc.csv only for scenarios with legal statuses or UASC).
        if (cmd === "run") {
          const written = filesUnder(out)
          const optional = OPTIONAL_RESULT_FILES
          expect(written).toEqual(
            expect.arrayContaining([...RUN_FILES.filter((f) => !optional.includes(f)), "e.ndjson"])
          )
          for (const f of written) expect([...RUN_FILES, "e.ndjson"]).toContain(f)
        } else if (cmd === "montecarlo")
          expect(filesUnder(out)).toEqual(expect.arrayContaining(["montecarlo_spend.csv", "montecarlo_stocks.csv"]))
        else {
          expect(r.stdout).toContain(`${file}: valid.`)
          expectOnly(dir, [m.file])
        }
        if (cmd === "montecarlo") for (const f of filesUnder(out)) expect(MONTECARLO_FILES).toContain(f)
      }),
      { numRuns: runs(25) }
    )
  })
})

// ---------------------------------------------------------------------------------------------------------

describe("damaged event logs", () => {
  let text = ""
  let lines: Array<string> = []
  beforeAll(async () => {
    const dir = caseDir()
    const log = path.join(dir, "good.ndjson")
    const r = await cli(["run", fixture("small.yaml"), "--years", "1", "--out", path.join(dir, "out"), "--events", log])
    expect(r.code, r.stderr).toBe(0)
    text = fs.readFileSync(log, "utf8")
    lines = text.split("\n").slice(0, -1)
  })
  const joined = (ls: ReadonlyArray<string>) => ls.map((l) => `${l}\n`).join("")
  /** The line number (from 1) of the character at `at`. */
  const lineAt = (at: number) => text.slice(0, at).split("\n").length

  /** A damaged log and the line the damage is on. */
  interface Damage {
    readonly kind: string
    readonly content: string | Buffer
    readonly line: number
  }

  const damage = (): fc.Arbitrary<Damage> => {
    const L = lines.length
    const cut = fc.integer({ min: 1, max: Buffer.byteLength(text) - 1 }).map((at) => {
      const bytes = Buffer.from(text).subarray(0, at)
      return { kind: `cut at byte ${at}`, content: bytes, line: bytes.toString("latin1").split("\n").length }
    })
    const deleted = fc.integer({ min: 1, max: L }).map((n) => ({
      kind: `line ${n} deleted`,
      content: joined(lines.filter((_, i) => i !== n - 1)),
      line: n
    }))
    const swapped = fc
      .tuple(fc.integer({ min: 1, max: L }), fc.integer({ min: 1, max: L }))
      .filter(([a, b]) => a < b && lines[a - 1] !== lines[b - 1])
      .map(([a, b]) => {
        const ls = [...lines]
        ;[ls[a - 1], ls[b - 1]] = [ls[b - 1], ls[a - 1]]
        return { kind: `lines ${a} and ${b} swapped`, content: joined(ls), line: a }
      })
    const digits = [...text.matchAll(/\d/g)].map((m) => m.index)
    const digit = fc.tuple(fc.constantFrom(...digits), fc.integer({ min: 1, max: 9 })).map(([at, plus]) => {
      const d = String((Number(text[at]) + plus) % 10) // never the digit it was
      return { kind: `digit at ${at} -> ${d}`, content: text.slice(0, at) + d + text.slice(at + 1), line: lineAt(at) }
    })
    const children = [...text.matchAll(/"child":(\d+)/g)].map((m) => ({ at: m.index, id: Number(m[1]) }))
    const child = fc.tuple(fc.constantFrom(...children), fc.integer({ min: 1, max: 100_000 })).map(([c, plus]) => {
      const was = `"child":${c.id}`
      const now = `"child":${c.id + plus}`
      return {
        kind: `${was} -> ${now} at ${c.at}`,
        content: text.slice(0, c.at) + now + text.slice(c.at + was.length),
        line: lineAt(c.at)
      }
    })
    const inserted = fc
      .tuple(
        fc.integer({ min: 1, max: L + 1 }),
        fc.oneof(
          fc.constantFrom(...lines.slice(2, 50)), // a real event, again
          fc.string({ maxLength: 80 }).map((s) => s.replace(/\n/g, " ")),
          fc.constant('{"_tag":"ChildReferred","time":1,"child":5}'),
          fc.constant("{}")
        )
      )
      .map(([n, line]) => ({
        kind: `${JSON.stringify(line.slice(0, 40))} inserted as line ${n}`,
        content: joined([...lines.slice(0, n - 1), line, ...lines.slice(n - 1)]),
        line: n
      }))
    const appended = fc
      .oneof(fc.string({ minLength: 1, maxLength: 200 }), fc.constant("\n"), fc.constant(`${lines[L - 1]}\n`))
      .map((g) => ({ kind: `${JSON.stringify(g.slice(0, 40))} appended`, content: text + g, line: L + 1 }))
    const header = JSON.parse(lines[0]) as { seed: number; years: number }
    const headerEdit = fc
      .tuple(fc.constantFrom("seed", "years"), fc.integer({ min: 1, max: 40 }))
      .map(([field, plus]) => {
        const was = `"${field}":${header[field as "seed" | "years"]},`
        const now = `"${field}":${header[field as "seed" | "years"] + plus},`
        return {
          kind: `header ${was} -> ${now}`,
          content: joined([lines[0].replace(was, now), ...lines.slice(1)]),
          line: 1
        }
      })
    return fc
      .oneof(cut, deleted, swapped, digit, child, inserted, appended, headerEdit)
      .map((d) => labelled(d, `${d.kind} (line ${d.line})`))
  }

  it("are refused by replay: exit 2, the file and the line named, nothing written", async () => {
    expect(lines.length).toBeGreaterThan(2000)
    expect(lines[0]).toContain('"seed":1,"replication":0,"years":1,')
    await fc.assert(
      fc.asyncProperty(damage(), async (d) => {
        const dir = caseDir()
        const file = put(dir, "damaged.ndjson", d.content)
        const out = path.join(dir, "out")
        const r = await cli(["replay", file, "--out", out])
        expectRefused(r, [file])
        const named = new RegExp(`^caseflow: ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:(\\d+): `).exec(r.stderr)
        expect(named, `${d.kind}: ${r.stderr}`).not.toBeNull()
        // Exactly where the damage is self-evident, else within the block of lines it is in.
        const b = blockOf(text, d.line)
        const n = Number(named![1])
        expect(n, `${d.kind}: ${r.stderr}`).toBeGreaterThanOrEqual(Math.min(b.first, d.line))
        expect(n, `${d.kind}: ${r.stderr}`).toBeLessThanOrEqual(Math.max(b.last, d.line))
        expectOnly(dir, ["damaged.ndjson"])
      }),
      { numRuns: runs(25) }
    )
  })
})

// ---------------------------------------------------------------------------------------------------------

describe("edited shard files", () => {
  let shardDir = ""
  const shards: Array<{ readonly name: string; readonly text: string }> = []
  beforeAll(async () => {
    shardDir = caseDir()
    for (const i of [0, 1]) {
      const args = ["montecarlo", fixture("small.yaml"), "--runs", "4", "--years", "1", "--workers", "0"]
      const r = await cli([...args, "--shard", `${i}/2`, "--out", shardDir])
      expect(r.code, r.stderr).toBe(0)
      const name = `montecarlo_shard_${i}_of_2.json`
      shards.push({ name, text: fs.readFileSync(path.join(shardDir, name), "utf8") })
    }
  })

  type Json = null | boolean | number | string | Array<Json> | { [k: string]: Json }
  type Path = Array<string | number>
  /** Every value of a JSON document, by path (the document itself first). */
  const paths = (v: Json, at: Path = []): Array<Path> => [
    at,
    ...(Array.isArray(v)
      ? v.flatMap((x, i) => paths(x, [...at, i]))
      : v !== null && typeof v === "object"
        ? Object.entries(v).flatMap(([k, x]) => paths(x, [...at, k]))
        : [])
  ]
  const get = (v: Json, p: Path): Json => p.reduce<Json>((x, k) => (x as Record<string | number, Json>)[k], v)
  /** A copy of `v` with the value at `p` passed through `f`. */
  const update = (v: Json, p: Path, f: (parent: Record<string | number, Json>, key: string | number) => void) => {
    const copy = structuredClone(v)
    f(get(copy, p.slice(0, -1)) as Record<string | number, Json>, p[p.length - 1])
    return copy
  }

  interface Edit {
    readonly kind: string
    readonly text: string
  }
  const edits = (text: string): fc.Arbitrary<Edit> => {
    const raw = JSON.parse(text) as Json
    const all = paths(raw)
    /** A path, the top-level part (plan, shard, summary, ...) chosen first: summaries hold most of the values. */
    const pick = (ps: ReadonlyArray<Path>): fc.Arbitrary<Path> => {
      const parts = [...new Set(ps.map((p) => String(p[0])))]
      return fc.constantFrom(...parts).chain((part) => fc.constantFrom(...ps.filter((p) => String(p[0]) === part)))
    }
    // Numbers, and the whole numbers written as text (sums of pennies beyond 2^53).
    const numbers = all.filter((p) => {
      const v = get(raw, p)
      return typeof v === "number" || (typeof v === "string" && /^-?\d+$/.test(v))
    })
    const fields = all.filter((p) => p.length > 0 && typeof p[p.length - 1] === "string")
    const objects = all.filter((p) => {
      const v = get(raw, p)
      return v !== null && typeof v === "object" && !Array.isArray(v)
    })
    const plus = (v: Json, n: number): Json =>
      typeof v === "number" ? v + n : String(BigInt(v as string) + BigInt(Math.trunc(n) === 0 ? 1 : Math.trunc(n)))
    const number = fc.tuple(pick(numbers), fc.constantFrom(1, -1, 0.5, 1e6, -1e6)).map(([p, n]) => ({
      kind: `${p.join(".")} + ${n}`,
      text: JSON.stringify(update(raw, p, (o, k) => void (o[k] = plus(o[k], n))))
    }))
    const deleted = pick(fields).map((p) => ({
      kind: `${p.join(".")} deleted`,
      text: JSON.stringify(update(raw, p, (o, k) => void delete o[k]))
    }))
    const added = fc.tuple(pick(objects), fc.constantFrom<Json>(0, "x", null, [], {}, true)).map(([p, x]) => {
      const edited = structuredClone(raw)
      const o = get(edited, p) as Record<string, Json>
      let key = "extra"
      while (Object.hasOwn(o, key)) key += "_"
      o[key] = x
      return { kind: `${[...p, key].join(".")} added`, text: JSON.stringify(edited) }
    })
    // Cut anywhere before the end of the JSON (a cut that only drops the final line break leaves it whole).
    const truncated = fc.integer({ min: 0, max: text.trimEnd().length - 1 }).map((at) => ({
      kind: `cut at ${at}`,
      text: text.slice(0, at)
    }))
    return fc.oneof(number, deleted, added, truncated).map((e) => labelled(e, e.kind))
  }

  it("are refused by merge: exit 2, the edited file named, nothing written", async () => {
    const edit = fc
      .nat({ max: 1 })
      .chain((i) => fc.record({ i: fc.constant(i), edit: edits(shards[i].text), editedFirst: fc.boolean() }))
    await fc.assert(
      fc.asyncProperty(edit, async ({ i, edit: e, editedFirst }) => {
        const dir = caseDir()
        const edited = put(dir, shards[i].name, e.text)
        const other = path.join(shardDir, shards[1 - i].name)
        const out = path.join(dir, "out")
        const r = await cli(["merge", ...(editedFirst ? [edited, other] : [other, edited]), "--out", out])
        expectRefused(r, [`caseflow: ${edited}: `])
        expectOnly(dir, [shards[i].name])
        expectOnly(shardDir, [shards[0].name, shards[1].name])
      }),
      { numRuns: runs(20) }
    )
  })

  /** A shard edited by `f` with its checksum made afresh, as a forger would. */
  const forged = (text: string, f: (raw: Record<string, Json>) => void): string => {
    const { sha256: _, ...content } = JSON.parse(text) as Record<string, Json>
    f(content)
    return JSON.stringify({ ...content, sha256: createHash("sha256").update(canonicalJson(content)).digest("hex") })
  }

  it("forged alike, their checksums made afresh, are refused by merge: exit 2, the first file named", async () => {
    const cases: ReadonlyArray<readonly [string, (raw: Record<string, Json>) => void, string]> = [
      [
        "made by another version",
        (raw) => void (raw.caseflow = "9.9.9"),
        'made by caseflow "9.9.9", but this is caseflow 0.1.0, and another version\'s results may differ: ' +
          "run the shards again with this caseflow"
      ],
      [
        "a spend no run makes",
        (raw) => {
          const summary = raw.summary as { spend: Array<{ sketch: { max: number } }> }
          for (const c of summary.spend) c.sketch.max = 1e297
        },
        "a damaged shard file: summary.spend[0].sketch.max: expected whole pennies of at most £10,000bn either way " +
          "(the most a run can spend), found 1e+297"
      ]
    ]
    for (const [label, f, message] of cases) {
      const dir = caseDir()
      const files = shards.map((s) => put(dir, s.name, forged(s.text, f)))
      const r = await cli(["merge", ...files, "--out", path.join(dir, "out")])
      expectRefused(r, [`caseflow: ${files[0]}: ${message}`])
      expect(r.stderr, label).not.toContain(files[1])
      expectOnly(
        dir,
        shards.map((s) => s.name)
      )
    }
  })
})

// ---------------------------------------------------------------------------------------------------------

describe("bad flag values", () => {
  // Texts that are no number: letters that are neither hex digits nor an exponent, nor spell Infinity.
  const word = fc.stringMatching(/^[g-w]{1,12}$/)
  const control = fc
    .tuple(fc.constantFrom("\u0007", "\u001b[31m", "\n", "\r", "\u007f", "\u009b", "\u202e", "\t"), fc.nat(99))
    .map(([c, n]) => `${n}${c}${n}`) // inside the value: spaces around a number are allowed
  const long = fc.constantFrom("x".repeat(100_000), `\u001b[2J${"9".repeat(100_000)}`, `5${" ".repeat(100_000)}x`)
  const fraction = fc
    .tuple(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 1, max: 99 }))
    .map(([n, f]) => `${n}.${String(f).padStart(2, "0")}`)
  /** Whole numbers outside min..max. */
  const outside = (min: number, max: number) =>
    fc.oneof(
      // As text from whole numbers of any size: a bound may be 2^53 - 1 (the seed's), past which fc.integer
      // does not go.
      fc.bigInt({ min: BigInt(min) - 10n ** 15n, max: BigInt(min) - 1n }).map(String),
      fc.bigInt({ min: BigInt(max) + 1n, max: BigInt(max) + 10n ** 15n }).map(String),
      fc.constantFrom("1e400", "-1e400", "9".repeat(400))
    )
  const common = [word, control, long, fc.constant(""), fc.constant(" ")]
  /** A share (5% or 0.05) that is not one: over 100%, 1 or more without %, negative, text. */
  const badShare = fc.oneof(
    fc.integer({ min: 101, max: 1e9 }).map((n) => `${n}%`),
    fc.integer({ min: 1, max: 1e9 }).map(String),
    fc.double({ min: 1, max: 1e6, noNaN: true }).map((x) => String(x)),
    fc.integer({ min: 1, max: 100 }).map((n) => `-${n}%`),
    fc.constantFrom("-0.1", "0.05.1", "5 %%", "%", "NaN%", "Infinity", "1e-2"),
    ...common
  )

  const flags: Record<string, { readonly command: string; readonly values: fc.Arbitrary<string> }> = {
    years: { command: "run", values: fc.oneof(outside(1, 50), fraction, ...common) },
    seed: { command: "run", values: fc.oneof(outside(SEED_MIN, SEED_MAX), fraction, ...common) },
    runs: { command: "montecarlo", values: fc.oneof(outside(1, 10_000_000), fraction, ...common) },
    // A huge whole number of workers is capped at the machine's cores: not bad input.
    workers: {
      command: "montecarlo",
      values: fc.oneof(fc.integer({ min: -1e15, max: -1 }).map(String), fc.constant("1e400"), fraction, ...common)
    },
    tolerance: { command: "montecarlo", values: badShare },
    precision: {
      command: "montecarlo",
      values: fc.oneof(badShare, fc.constantFrom("0", "0%", "0.0", ".0%", "0.00001", "0.0000000001", "0.009%"))
    },
    shard: {
      command: "montecarlo",
      values: fc.oneof(
        fc.nat(1000).chain((n) => fc.integer({ min: n, max: n + 1000 }).map((i) => `${i}/${n}`)), // i >= n
        fc.nat(1000).map((i) => `${i}/${100_001 + i}`),
        fc.nat(5).map((i) => `-${i}/2`),
        fc.constantFrom("1", "0/1/2", "a/b", "0.5/2", "0/2.0", "/", "0/", "/2", "0/1e5"),
        ...common
      )
    },
    budget: {
      command: "montecarlo",
      values: fc.oneof(
        fc.constantFrom("2025/26", "2025=1m", "2025/2026=1m", "2025/26=", "2025/26=lots", "2025/26=-1m"),
        fc.constantFrom("2025/26=1e400", "2025/26=1.2.3m", "2025/26:Nope=1m", "=5m", "2025/26=5mm"),
        // A year the one-year run does not cover.
        fc.integer({ min: 2026, max: 2099 }).map((y) => `${y}/${String((y + 1) % 100).padStart(2, "0")}=1m`),
        ...common
      )
    }
  }

  // The small fixture, with its referral change inside a one-year run: no warning before the message.
  let quiet = ""
  beforeAll(() => {
    const small = fs.readFileSync(fixture("small.yaml"), "utf8")
    quiet = put(caseDir(), "quiet.yaml", small.replace("from: 2026-04-01, multiplier", "from: 2025-10-01, multiplier"))
  })

  it("are refused: exit 2, the flag named, a short escaped message, nothing written", async () => {
    const flag = fc.constantFrom(...Object.keys(flags))
    const bad = flag.chain((name) =>
      fc
        .record({ name: fc.constant(name), value: flags[name].values, joined: fc.boolean() })
        .map((b) => labelled(b, `--${b.name}${b.joined ? "=" : " "}${JSON.stringify(b.value.slice(0, 60))}`))
    )
    await fc.assert(
      fc.asyncProperty(bad, async ({ name, value, joined }) => {
        const { command } = flags[name]
        const dir = caseDir()
        const out = path.join(dir, "out")
        const given = joined ? [`--${name}=${value}`] : [`--${name}`, value]
        const defaults: Record<string, string> =
          command === "run" ? { years: "1" } : { years: "1", runs: "2", workers: "0" }
        const rest = Object.entries(defaults).flatMap(([k, v]) => (k === name ? [] : [`--${k}`, v]))
        const r = await cli([command, quiet, ...rest, "--out", out, ...given])
        expectRefused(r, [`--${name}`], 1000)
        expect(r.stderr.startsWith("caseflow: --") || r.stderr.startsWith('caseflow: unknown flag "--'), r.stderr).toBe(
          true
        )
        expect(r.stderr.split("\n").length, r.stderr).toBe(2) // one line
        expectOnly(dir, [])
      }),
      { numRuns: runs(25) }
    )
  })
})

// ---------------------------------------------------------------------------------------------------------

/** The promise's value, or a failure naming the case if it has not settled within a minute (a hang). */
const hangGuard = <A>(p: Promise<A>, what: string): Promise<A> => {
  let timer: NodeJS.Timeout | undefined
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within 60 s (a hang?)`)), 60_000)
  })
  return Promise.race([p, hung]).finally(() => clearTimeout(timer))
}

describe("valid scenarios whose runs cannot give honest figures", () => {
  const kinds = {
    // Field by field valid: stays of a millionth of a day in need and in care, each leading to the other.
    "would never end": {
      overlay:
        "levels:\n" +
        "  child_in_need:\n" +
        "    duration: { type: fixed, value: 0.000001 }\n" +
        "    outcomes: [{ to: looked_after, probability: 1 }]\n" +
        "  looked_after:\n" +
        "    duration: { type: fixed, value: 0.000001 }\n" +
        "    outcomes: [{ reason: returned_home, to: child_in_need, probability: 1 }]\n",
      names: ["would never end", "levels.child_in_need.duration", "levels.looked_after.duration"]
    },
    // Each price within the limit (£1,000,000,000,000), but hundreds of children at it spend beyond pennies.
    "spends beyond exact pennies": {
      overlay:
        "costs:\n" +
        "  weekly:\n" +
        "    - { name: Huge, budgetLine: CP and CIN, perWeek: 1000000000000, level: child_in_need }\n",
      names: ["adds pennies exactly", 'the cost line "Huge" (weekly)', "check its perWeek"]
    }
  }
  // Two years: the fixture's dated changes all fall in the run, so no warnings come before the message.
  const replications = (workers: string, out: string) =>
    ["--runs", "2", "--years", "2", "--workers", workers, "--out", out] as const
  const commands: Record<string, (file: string, out: string) => ReadonlyArray<string>> = {
    run: (file, out) => ["run", file, "--years", "2", "--out", out, "--events", `${out}/e.ndjson`],
    "montecarlo in this thread": (file, out) => ["montecarlo", file, ...replications("0", out)],
    "montecarlo on 2 workers": (file, out) => ["montecarlo", file, ...replications("2", out)],
    "compare (the variant)": (file, out) => ["compare", fixture("small.yaml"), file, ...replications("0", out)]
  }

  for (const [kind, { overlay, names }] of Object.entries(kinds))
    for (const [name, args] of Object.entries(commands))
      it(`${kind}: stopped by ${name}: exit 2, the file and fields to check named, nothing written`, async () => {
        const dir = caseDir()
        const file = put(dir, "scenario.yaml", `extends: ${fixture("small.yaml")}\n${overlay}`)
        const r = await hangGuard(cli(args(file, path.join(dir, "out"))), name)
        expectRefused(r, [file, ...names], 1500)
        expectOnly(dir, ["scenario.yaml"])
      })
})

describe("hostile files given as input", () => {
  const SECRET = "h4xx0r-caseflow-secret"
  let hostileDir = ""
  const files: Record<string, string> = {}
  beforeAll(() => {
    hostileDir = caseDir()
    const fifo = path.join(hostileDir, "fifo.yaml")
    execFileSync("mkfifo", [fifo])
    const big = path.join(hostileDir, "big.yaml")
    fs.writeFileSync(big, "")
    fs.truncateSync(big, 70_000_000) // sparse: takes no disk space
    const folder = path.join(hostileDir, "folder.yaml")
    fs.mkdirSync(folder)
    Object.assign(files, {
      fifo,
      "/dev/zero": "/dev/zero",
      "/dev/urandom": "/dev/urandom",
      folder,
      "70 MB file": big,
      "passwd-like text": put(
        hostileDir,
        "passwd",
        `root:x:0:0:root:/root:/bin/bash\n${SECRET}:x:1000:1000:${SECRET}:/home/${SECRET}:/bin/sh\n` +
          `daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n`
      ),
      "passwd-like YAML": put(hostileDir, "passwd.yaml", `root: x:0:0:root\n${SECRET}: x:1000:1000:${SECRET}\n`),
      "invalid UTF-8": put(
        hostileDir,
        "latin1.yaml",
        Buffer.concat([Buffer.from(`name: ${SECRET} `), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from("\n")])
      )
    })
  })

  const uses = ["run", "validate", "montecarlo", "extends", "replay", "merge"] as const

  it("are refused at once: exit 2, the file named, none of its content echoed, nothing written", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...Object.keys(files)), fc.constantFrom(...uses), async (kind, use) => {
        const dir = caseDir()
        const out = path.join(dir, "out")
        const file = files[kind]
        const overlay = use === "extends" ? put(dir, "overlay.yaml", `extends: ${file}\nname: Overlay\n`) : null
        const args =
          use === "run" || use === "extends"
            ? ["run", overlay ?? file, "--years", "1", "--out", out, "--events", path.join(out, "e.ndjson")]
            : use === "montecarlo"
              ? ["montecarlo", file, "--runs", "2", "--years", "1", "--workers", "0", "--out", out]
              : use === "validate"
                ? ["validate", file]
                : [use, file, "--out", out]
        // A hang guard, not a timing: a file read without a size limit (/dev/zero) never ends.
        const r = await hangGuard(cli(args), `${kind} ${use}`)
        expectRefused(r, [file], 1000)
        // Nothing of its content: a file that is not a scenario, log or shard is never quoted.
        expect(r.stderr).not.toContain(SECRET)
        expect(r.stderr).not.toContain("/bin/")
        expectOnly(dir, overlay === null ? [] : ["overlay.yaml"])
      }),
      { numRuns: runs(20) }
    )
  })
})
