/**
 * Shard files (src/montecarlo/Partial.ts) carry a checksum of their content: a shard with any value
 * edited (a sum, a count, a sketch bucket, a plan field) or a part removed is refused, naming the file;
 * one whose checksum was made afresh must still add up (its sketches count its replications), hold only
 * figures a run can make (a spend within MAX_EXACT_SPEND) and be made by this caseflow version; an older
 * format, a file that is not a shard, a FIFO, a device or an oversized file are refused without reading more
 * than they must; a shard claiming 100,000,000 shards is refused at once, and merging one does not count to it.
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fc from "fast-check"
import { execFileSync } from "node:child_process"
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { reportFiles } from "../../src/montecarlo/Report.js"
import {
  MAX_SHARD_BYTES,
  MAX_SHARD_CONTAINERS,
  mergeShards,
  readShard,
  SHARD_FORMAT,
  shardText,
  type ShardFile
} from "../../src/montecarlo/Partial.js"
import { canonicalJson } from "../../src/scenario/Identity.js"
import { fixture } from "../support/cli.js"
import { plan, run, source } from "./support.js"
import { runs } from "../support/runs.js"

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "caseflow-shard-"))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

let texts: Array<string> = []
let wholeFiles: ReadonlyArray<readonly [string, string]> = []
let counter = 0

beforeAll(async () => {
  const uncertain = source(fixture("small-uncertain.yaml"))
  const p = plan(uncertain, { runs: 7, years: 2 })
  wholeFiles = reportFiles(p, (await run(uncertain, p)).summary)
  texts = []
  for (let i = 0; i < 3; i++) texts.push(shardText(await run(uncertain, p, 0, { index: i, count: 3 }), VERSION))
})

const write = (text: string): string => {
  const file = path.join(dir, `shard-${counter++}.json`)
  fs.writeFileSync(file, text)
  return file
}
/** The version the shards are made by, and read as (this caseflow's, to readShard). */
const VERSION = "0.1.0"
const read = (file: string) =>
  Effect.runPromise(Effect.either(readShard(file, VERSION)).pipe(Effect.provide(NodeContext.layer)))

/** Reads `text` as a shard file and returns the message it is refused with. */
const refused = async (text: string): Promise<string> => {
  const file = write(text)
  const r = await read(file)
  if (Either.isRight(r)) throw new Error(`expected the shard to be refused: ${text.slice(0, 200)}`)
  expect(r.left.file).toBe(file)
  expect(r.left.message.startsWith(`${file}: `)).toBe(true)
  expect(r.left.message.length).toBeLessThan(600)
  return r.left.message
}

type Json = null | boolean | number | string | Array<Json> | { [k: string]: Json }

/** Every leaf of a JSON value, by path. */
const leaves = (v: Json, at: Array<string | number> = []): Array<Array<string | number>> =>
  Array.isArray(v)
    ? v.flatMap((x, i) => leaves(x, [...at, i]))
    : v !== null && typeof v === "object"
      ? Object.entries(v).flatMap(([k, x]) => leaves(x, [...at, k]))
      : [at]

const get = (v: Json, p: ReadonlyArray<string | number>): Json =>
  p.reduce<Json>((x, k) => (x as Record<string | number, Json>)[k], v)
const set = (v: Json, p: ReadonlyArray<string | number>, x: Json): Json => {
  const copy = structuredClone(v)
  const parent = get(copy, p.slice(0, -1)) as Record<string | number, Json>
  parent[p[p.length - 1]] = x
  return copy
}
/** Another value of the same kind. */
const edited = (x: Json): Json =>
  typeof x === "number"
    ? x + 1
    : typeof x === "string"
      ? /^-?\d+$/.test(x)
        ? String(BigInt(x) + 1n)
        : x + "x"
      : typeof x === "boolean"
        ? !x
        : 0

/** A shard with its checksum made afresh, as a forger (or a buggy writer) would. */
const forge = (raw: Json): string => {
  const { sha256: _, ...content } = raw as Record<string, Json>
  const sha256 = createHash("sha256").update(canonicalJson(content)).digest("hex")
  return JSON.stringify({ ...content, sha256 }) + "\n"
}

/**
 * A shard forged with `literal` (JSON text such as 1e400, which JSON.parse reads as Infinity) at `p`, its
 * checksum made afresh over what the reader parses (canonical JSON writes Infinity as null).
 */
const forgeLiteral = (raw: Json, p: ReadonlyArray<string | number>, literal: string): string => {
  const { sha256: _, ...content } = set(raw, p, null) as Record<string, Json>
  const sha256 = createHash("sha256").update(canonicalJson(content)).digest("hex")
  const marked = JSON.stringify({ ...(set(raw, p, "@forged@") as Record<string, Json>), sha256 })
  return marked.replace('"@forged@"', literal) + "\n"
}

describe("shard files", () => {
  it("are read back and merged into exactly the whole run", async () => {
    const files = texts.map(write)
    const shards = await Promise.all(
      files.map(async (file) => ({ file, shard: Either.getOrThrow(await read(file)) as ShardFile }))
    )
    const merged = Either.getOrThrow(mergeShards(shards))
    expect(reportFiles(merged.plan, merged.summary)).toEqual(wholeFiles)
    expect(JSON.parse(texts[0]).format).toBe(SHARD_FORMAT)
  })

  it("are refused with any value edited, naming the file", async () => {
    const raw = JSON.parse(texts[1]) as Json
    const paths = leaves(raw).filter((p) => p[0] !== "sha256")
    // Every part of the file is among them: the plan, the shard's range and every kind of summary number.
    for (const part of ["plan", "shard", "summary"]) expect(paths.some((p) => p[0] === part)).toBe(true)
    expect(paths.some((p) => p.includes("positive"))).toBe(true)
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), async (p) => {
        const message = await refused(JSON.stringify(set(raw, p, edited(get(raw, p)))))
        expect(message).toMatch(p[0] === "format" ? /not a shard file/ : /edited or damaged/)
      }),
      { numRuns: runs(80) }
    )
  })

  it("are refused with a bucket or a record removed, a field added, or the checksum edited", async () => {
    const raw = JSON.parse(texts[0]) as { summary: { spend: Array<{ sketch: { positive: Array<unknown> } }> } }
    const noBucket = structuredClone(raw)
    noBucket.summary.spend[0].sketch.positive.pop()
    expect(await refused(JSON.stringify(noBucket))).toContain("does not match its sha256")
    expect(await refused(JSON.stringify({ ...raw, extra: 1 }))).toContain("does not match its sha256")
    const sum = texts[0].match(/"sha256":"([0-9a-f]{64})"/)![1]
    expect(
      await refused(
        texts[0].replace(
          sum,
          sum.replace(/^./, (c) => (c === "0" ? "1" : "0"))
        )
      )
    ).toContain("does not match its sha256")
    expect(await refused(texts[0].replace(/,"sha256":"[0-9a-f]{64}"}\n$/, "}\n"))).toContain("has no sha256")
    const short = texts[0].replace(/,"sha256":"[0-9a-f]{64}"}\n$/, ',"sha256":"00"}\n')
    expect(await refused(short)).toContain("its sha256 is not 64 hexadecimal digits")
  })

  it("are refused when their numbers do not add up, even with the checksum made afresh", async () => {
    const raw = JSON.parse(texts[1]) as Json
    const bucket = leaves(raw).find((p) => p.includes("positive") && p[p.length - 1] === 1)!
    const cases: ReadonlyArray<readonly [Array<string | number>, Json, RegExp]> = [
      [bucket, (get(raw, bucket) as number) + 1, /sketch counts \d+ values, not one for each of the 2 replications/],
      [["summary", "replications"], 3, /summary.replications: expected 2, found 3/],
      [["summary", "spend", 0, "over"], 5, /over: expected a count from 0 to 2, found 5/],
      [["summary", "records", 0, "replication"], 0, /records\[0\].replication: expected 2, found 0/],
      [["shard", "index"], 3, /shard.index: expected 0 to 2, found 3/],
      [["plan", "runs"], 1e9, /plan.runs: expected a whole number of replications from 1 to 10000000/],
      // Sums, squares, extremes and overspends that no replications between the min and max could make.
      [["summary", "spend", 0, "sum"], "1", /spend\[0\]: its sum is not that of its replications/],
      [["summary", "spend", 0, "sum"], "9".repeat(1000), /spend\[0\]: its sum is not that of its replications/],
      [["summary", "spend", 0, "sumSq"], "-5", /spend\[0\]: its sum of squares cannot be/],
      [["summary", "spend", 0, "sketch", "min"], 1e15, /spend\[0\]: the sketch's min and max are not whole pennies/],
      [["summary", "spend", 0, "overspend"], "-1", /spend\[0\]: its overspend does not add up/],
      [["summary", "stocks", 0, "sum"], 1e15, /stocks\[0\]: its sum is not that of 2 counts/],
      [["summary", "stocks", 0, "sum"], -1, /stocks\[0\].sum: expected a whole number of children/]
    ]
    for (const [p, x, pattern] of cases) {
      expect(await refused(forge(set(raw, p, x))), String(p)).toMatch(pattern)
    }
    // A shard that claims more replications than its summary holds.
    const last = JSON.parse(texts[2]) as { shard: { from: number } }
    const moved = forge(set(last as unknown as Json, ["shard", "from"], last.shard.from - 1))
    expect(await refused(moved)).toMatch(/summary.replications: expected 4, found 3/)
  })

  it("are refused when made by another caseflow version, even with the checksum made afresh", async () => {
    const raw = JSON.parse(texts[0]) as Json
    const message = await refused(forge(set(raw, ["caseflow"], "9.9.9")))
    expect(message).toContain(
      ': made by caseflow "9.9.9", but this is caseflow 0.1.0, and another version\'s results may differ: ' +
        "run the shards again with this caseflow"
    )
    // A hostile version is shown short and escaped; one that is no text is the decoder's to name.
    const hostile = await refused(forge(set(raw, ["caseflow"], "\u001b[2J" + "9".repeat(10_000))))
    expect(hostile).toContain('made by caseflow "\\u001b[2J9999')
    expect(hostile).not.toContain("\u001b")
    expect(await refused(forge(set(raw, ["caseflow"], 9)))).toMatch(/a damaged shard file: caseflow: /)
  })

  it("are refused with figures no run could make, even with the checksum made afresh", async () => {
    const raw = JSON.parse(texts[1]) as Json
    const shard = raw as unknown as ShardFile
    const B = shard.plan.budgetLines.length
    const withBudget = shard.plan.budgets.findIndex((b) => b !== null)
    const noBudget = shard.plan.budgets.findIndex((b) => b === null)
    expect([withBudget, noBudget].every((i) => i >= 0)).toBe(true)
    const yearTotal = shard.summary.spend[B].sketch
    const spend = "expected whole pennies of at most £10,000bn either way (the most a run can spend)"
    const cases: ReadonlyArray<readonly [Array<string | number>, Json, string]> = [
      // A run's spend is at most £10 trillion, 10^15 pennies, either way (projections/Spend.ts).
      [["summary", "spend", 0, "sketch", "max"], 1e297, `summary.spend[0].sketch.max: ${spend}, found 1e+297`],
      [
        ["summary", "spend", B, "sketch", "min"],
        -1e16,
        `summary.spend[${B}].sketch.min: ${spend}, found -10000000000000000`
      ],
      // Over budget where the plan has none, and more overspend than its replications over budget can make.
      [
        ["summary", "spend", noBudget],
        { ...(get(raw, ["summary", "spend", noBudget]) as Record<string, Json>), over: 1, overspend: "5" },
        `summary.spend[${noBudget}]: counted over budget, but the plan has no budget for it`
      ],
      [
        ["summary", "spend", withBudget],
        { ...(get(raw, ["summary", "spend", withBudget]) as Record<string, Json>), over: 1, overspend: "9".repeat(20) },
        `summary.spend[${withBudget}]: its overspend is more than its replications over budget can make`
      ],
      // Each replication's total is one the year's total sketch counted.
      [
        ["summary", "records", 0, "totals", 0],
        (yearTotal.max ?? 0) + 1,
        "summary.records[0].totals[0]: expected whole pennies from the year's smallest total to its largest " +
          `(summary.spend[${B}].sketch), found ${(yearTotal.max ?? 0) + 1}`
      ],
      [["summary", "stocks", 3, "sketch", "max"], 1e297, "summary.stocks[3].sketch.max: expected a whole number"],
      [["summary", "stocks", 3, "sketch", "min"], 0.5, "summary.stocks[3].sketch.min: expected a whole number"],
      [
        ["plan", "budgets", withBudget],
        1e297,
        `plan.budgets[${withBudget}]: expected null or whole pennies of at most £`
      ],
      [["plan", "budgets"], shard.plan.budgets.slice(1), `plan.budgets: expected ${shard.plan.budgets.length} budgets`],
      [["plan", "tolerance"], 1e300, "plan.tolerance: expected a share from 0 to 1, found 1e+300"],
      [["plan", "precision"], 0, "plan.precision: expected a share above 0 and at most 1, found 0"],
      [["plan", "sketchAlpha"], 0.01, "plan.sketchAlpha: expected 0.0005 (this caseflow's sketch), found 0.01"]
    ]
    for (const [p, x, message] of cases) expect(await refused(forge(set(raw, p, x))), String(p)).toContain(message)
    // Past the largest double (JSON.parse reads 1e400 as Infinity, and canonical JSON writes it as null).
    const infinite: ReadonlyArray<readonly [Array<string | number>, string]> = [
      [["summary", "spend", 0, "sketch", "max"], `summary.spend[0].sketch.max: ${spend}, found Infinity`],
      [["summary", "records", 1, "draws", 0], "summary.records[1].draws[0]: expected a finite number, found -Infinity"],
      [["summary", "stocks", 0, "sum"], "summary.stocks[0].sum: expected a whole number"]
    ]
    for (const [p, message] of infinite) {
      const literal = p.includes("draws") ? "-1e400" : "1e400"
      expect(await refused(forgeLiteral(raw, p, literal)), String(p)).toContain(message)
    }
  })

  it("refuse a shard count of 100,000,000 at once, and merging such shards does not count to it", async () => {
    const raw = JSON.parse(texts[0]) as Json
    const started = Date.now()
    const huge = set(set(raw, ["shard", "count"], 1e8), ["plan", "runs"], 7)
    expect(await refused(forge(huge))).toMatch(/shard.count: expected .*1 and 100000|between 1 and 100000/)
    const decoded = Either.getOrThrow(await read(write(texts[0]))) as ShardFile
    const claim = { ...decoded, shard: { ...decoded.shard, count: 1e8 } }
    const r = mergeShards([{ file: "a.json", shard: claim }])
    expect(Either.isLeft(r) && r.left.message).toMatch(
      /^a\.json: shard 0\/100000000 does not hold|^missing shards 1\/100000000, .* and 99,999,989 more/
    )
    // A hang guard, not a timing (counting 100,000,000 claimed shards one by one would take minutes).
    expect(Date.now() - started).toBeLessThan(30_000)
  })

  it("of different runs are refused naming the first value that differs, once, and the flag to give", async () => {
    const shards = await Promise.all(
      texts.map(async (text) => {
        const file = write(text)
        return { file, shard: Either.getOrThrow(await read(file)) as ShardFile }
      })
    )
    const [a, b] = shards
    const B = a.shard.plan.budgetLines.length
    /** The message merging shard `a` with `b` given `plan` is refused with. */
    const refusal = (plan: Partial<ShardFile["plan"]>): string => {
      const other = { file: "b.json", shard: { ...b.shard, plan: { ...b.shard.plan, ...plan } } }
      const r = mergeShards([{ file: "a.json", shard: a.shard }, other])
      if (Either.isRight(r)) throw new Error("expected the shards to be refused")
      return r.left.message
    }
    // Another --budget for 2026/27's total: the two lists of budgets begin alike, and were shown cut to that.
    const budgets = [...a.shard.plan.budgets]
    const cell = 2 * (B + 1) - 1
    budgets[cell] = 7_000_000_000
    expect(refusal({ budgets })).toBe(
      "b.json: not a shard of the same run as a.json: plan.budgets[" +
        `${cell}], the 2026/27 total budget, is £70,000,000.00 here and none there ` +
        "(give every shard the same --budget flags)"
    )
    const line = [...a.shard.plan.budgets]
    line[1] = (line[1] ?? 0) + 1
    expect(refusal({ budgets: line })).toContain(
      `plan.budgets[1], the 2025/26 budget of "${a.shard.plan.budgetLines[1]}", is £`
    )
    expect(refusal({ seed: 2 })).toBe(
      "b.json: not a shard of the same run as a.json: plan.seed is 2 here and 1 there " +
        "(give every shard the same --seed)"
    )
    const sha = "0".repeat(64)
    expect(refusal({ scenario: { ...a.shard.plan.scenario, sha256: sha } })).toBe(
      `b.json: not a shard of the same run as a.json: plan.scenario.sha256 is "${sha}" here and ` +
        `"${a.shard.plan.scenario.sha256}" there (give every shard the same scenario file)`
    )
    // A message says each thing once: no part of it repeats the part before.
    expect(refusal({ budgets })).not.toMatch(/(.{12,}).*\1/)
  })

  it("name a file given twice once, and a copy by both names", async () => {
    const file = write(texts[0])
    const a = { file, shard: Either.getOrThrow(await read(file)) as ShardFile }
    const twice = mergeShards([a, a])
    expect(Either.isLeft(twice) && twice.left.message).toBe(`${file}: given twice (each shard is merged once)`)
    const copy = mergeShards([a, { ...a, file: "copy.json" }])
    expect(Either.isLeft(copy) && copy.left.message).toBe(`copy.json: shard 0/3 is also ${file}`)
  })

  it("name at most ten missing shards", () => {
    const decoded = JSON.parse(texts[0]) as ShardFile
    const plan = { ...decoded.plan, runs: 5000 }
    const shard = { ...decoded.shard, index: 0, count: 5000, from: 0, to: 1 }
    const r = mergeShards([{ file: "a.json", shard: { ...decoded, plan, shard } }])
    expect(Either.isLeft(r) && r.left.message).toBe(
      "missing shards 1/5000, 2/5000, 3/5000, 4/5000, 5/5000, 6/5000, 7/5000, 8/5000, 9/5000, 10/5000" +
        " and 4,989 more (shards are numbered from 0)"
    )
  })

  it("refuse an older format, other files, hostile values, FIFOs, devices and oversized files", async () => {
    const { sha256: _, ...old } = JSON.parse(texts[0]) as Record<string, unknown>
    const v1 = { ...old, format: "caseflow-montecarlo-shard/1" }
    expect(await refused(JSON.stringify(v1))).toContain("a shard in the older format caseflow-montecarlo-shard/1")
    expect(await refused("SECRET=hunter2\n")).toBe(
      `${path.join(dir, `shard-${counter - 1}.json`)}: not a shard file: not JSON (line 1, column 1: ` +
        "expected a value)"
    )
    // A shard cut short, as by a full disc: where it ends.
    const cut = texts[0].slice(0, texts[0].length >> 1)
    expect(await refused(cut)).toMatch(/: not a shard file: not JSON \(line 1, column \d+: .+\)$/)
    // Nested deeper than the checksum's canonical JSON can recurse: refused, not an internal error.
    const deep = texts[0].trim().replace(/}$/, `,"deep":${"[".repeat(5000)}${"]".repeat(5000)}}`)
    expect(await refused(deep)).toContain("not a shard file: mappings and lists nested more than 64 deep")
    // More lists than any shard has (gigabytes to parse at the size limit): counted, refused before parsing.
    const lists = `{"format":"${SHARD_FORMAT}","x":[${"[],".repeat(MAX_SHARD_CONTAINERS)}[]]}`
    expect(await refused(lists)).toContain(
      "not a shard file: it opens 16,000,003 mappings and lists, more than the 16,000,000 any shard has"
    )
    // A list of ten million numbers: parsed, its depth checked, refused for what it lacks.
    const numbers = `{"format":"${SHARD_FORMAT}","x":[${"1,".repeat(10_000_000)}1]}`
    expect(await refused(numbers)).toContain("not a shard file: it has no sha256 checksum")
    const hostile = await refused(JSON.stringify({ format: "\u001b[2J" + "x".repeat(100_000) }))
    expect(hostile).toContain("\\u001b[2J")
    expect(hostile).not.toContain("\u001b")

    const fifo = path.join(dir, "fifo.json")
    execFileSync("mkfifo", [fifo])
    const started = Date.now()
    const f = await read(fifo)
    expect(Either.isLeft(f) && f.left.message).toContain("expected a regular file, found a named pipe (FIFO)")
    const z = await read("/dev/zero")
    expect(Either.isLeft(z) && z.left.message).toContain("expected a regular file, found a device")
    const big = path.join(dir, "big.json")
    fs.writeFileSync(big, "")
    fs.truncateSync(big, MAX_SHARD_BYTES + 1)
    const b = await read(big)
    expect(Either.isLeft(b) && b.left.message).toContain("the limit is 256.0 MiB")
    // A hang guard, not a timing (reading /dev/zero or a FIFO would never end).
    expect(Date.now() - started).toBeLessThan(30_000)
  })
})
