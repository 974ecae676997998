/**
 * Shards: a Monte Carlo run split across machines. `caseflow montecarlo ... --shard i/n` runs replications
 * [floor(i N / n), floor((i + 1) N / n)) and writes their summary to `montecarlo_shard_<i>_of_<n>.json`;
 * `caseflow merge` reads the n files, checks each (made by this caseflow version) and that they are shards of
 * one run (same plan, every shard exactly once) and adds their summaries. Because every part of a summary
 * merges exactly, the merged result is the result of one run of all N replications, byte for byte.
 *
 * The file (JSON, one line), format caseflow-montecarlo-shard/2:
 *   { "format": "caseflow-montecarlo-shard/2", "caseflow": "0.1.0", "plan": { ...the run... },
 *     "shard": { "index": 0, "count": 4, "from": 0, "to": 250 }, "summary": { ...sums and sketches... },
 *     "sha256": "<64 hex digits>" }
 * `sha256` is the SHA-256 of the canonical JSON (keys sorted, no spaces: `scenario/Identity.ts`) of the
 * file's other five fields, so any edit of a value (a sum, a count, a sketch bucket, a plan field) is
 * refused, naming the file. Like the event log's, this detects damage and edits; it is not a signature.
 *
 * Only shards made by this version of caseflow are merged: another version's replications may differ (a
 * change to the model, the draws or the sketch), and merged with this version's or reported as its own they
 * would be wrong without a sign of it.
 *
 * A shard is read only if it is a regular file of at most `MAX_SHARD_BYTES`; it must then say a whole
 * number of shards from 1 to `MAX_SHARDS`, and its summary must be one of its replications (each sketch
 * counts each of them once, a record for each when the run keeps them), so even a shard whose checksum
 * was made afresh cannot claim what its numbers do not add up to. Nor can it hold a figure no run makes: a
 * replication's spend beyond `MAX_EXACT_SPEND` (£10 trillion) either way, an overspend beyond its max less the
 * budget, a budget beyond a budget line's `MAX_POUNDS` (a total, beyond its lines' together), a part of a
 * child, an infinite draw, a tolerance or precision that is no share, another sketch's error bound. Each is
 * refused naming its field.
 */
import type * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { show, grouped } from "../domain/Show.js"
import { readInputText } from "../io/InputFile.js"
import { jsonContainers, parseJson } from "../io/Json.js"
import { MAX_EXACT_SPEND } from "../projections/Spend.js"
import { poundsPer } from "../report/Format.js"
import { canonicalJson, canonicalSha256 } from "../scenario/Identity.js"
import { MAX_DEPTH } from "../scenario/Limits.js"
import { formatPath, schemaProblems } from "../scenario/Problems.js"
import { MAX_POUNDS } from "../scenario/Scenario.js"
import type { ShardResult } from "./MonteCarlo.js"
import { MonteCarloPlan, shardRange, summaryShape } from "./Plan.js"
import { SKETCH_ALPHA } from "./QuantileSketch.js"
import { MonteCarloSummary, SummaryData } from "./Summary.js"

export const SHARD_FORMAT = "caseflow-montecarlo-shard/2"

/** Formats of shard files this caseflow recognises but no longer reads (they carry no checksum). */
export const OLD_SHARD_FORMATS: ReadonlyArray<string> = ["caseflow-montecarlo-shard/1"]

/** The most shards a run can be split into (`--shard i/n`). */
export const MAX_SHARDS = 100_000
/** The most replications a run can have (`--runs`). */
export const MAX_RUNS = 10_000_000
/** The largest shard file read (a shard keeps a few numbers per replication when the run has parameters). */
export const MAX_SHARD_BYTES = 256 * 2 ** 20
/**
 * The most mappings and lists a shard file may open, counted before it is parsed: a shard has three for each
 * replication it records and a few thousand besides, so no shard within MAX_SHARD_BYTES comes near it, while
 * 256 MiB of empty lists would take gigabytes to parse (16 million take about 0.7 GB).
 */
export const MAX_SHARD_CONTAINERS = 16_000_000

const Count = Schema.Number.pipe(Schema.int(), Schema.nonNegative())

export const ShardFile = Schema.Struct({
  format: Schema.Literal(SHARD_FORMAT),
  caseflow: Schema.String,
  plan: MonteCarloPlan,
  shard: Schema.Struct({
    index: Count,
    count: Count.pipe(Schema.between(1, MAX_SHARDS)),
    from: Count,
    to: Count
  }),
  summary: SummaryData,
  sha256: Schema.String.pipe(Schema.pattern(/^[0-9a-f]{64}$/))
})
export type ShardFile = typeof ShardFile.Type

/** A shard file that cannot be read, or shards that do not make up one run. */
export class MergeError extends Schema.TaggedError<MergeError>()("MergeError", {
  file: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return this.file === "" ? this.detail : `${this.file}: ${this.detail}`
  }
}

export const shardFileName = (index: number, count: number): string => `montecarlo_shard_${index}_of_${count}.json`

/** The checksum of a shard's content: every field of the file but the checksum. */
const contentSha256 = (content: Readonly<Record<string, unknown>>): string => canonicalSha256(content)

export const shardText = (r: ShardResult, version: string): string => {
  const content = {
    format: SHARD_FORMAT,
    caseflow: version,
    plan: r.plan,
    shard: r.shard,
    summary: r.summary.toData()
  } as const
  return JSON.stringify({ ...content, sha256: contentSha256(content) } satisfies ShardFile) + "\n"
}

const decodeShard = Schema.decodeUnknownEither(ShardFile)

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v)

/** The most a replication's spend cell can be either way, in pennies: a run's whole spend (MAX_EXACT_SPEND). */
const MAX_SPEND_PENNIES = MAX_EXACT_SPEND * 100
/** The most a budget line's budget can be either way, in pennies (a scenario's, or a --budget flag's). */
const MAX_BUDGET_PENNIES = MAX_POUNDS * 100

/** A penny amount as a message writes it: £ and thousands, or £bn. */
const poundsText = (pennies: number): string =>
  pennies >= 1e11 ? `£${grouped(pennies / 1e11)}bn` : `£${grouped(Math.round(pennies / 100))}`
const MOST_SPEND = poundsText(MAX_SPEND_PENNIES)
const SPEND_EXPECTED = `expected whole pennies of at most ${MOST_SPEND} either way (the most a run can spend)`

/**
 * What is wrong with one spend cell's figures, all in pennies, as `n` replications make them against
 * `budget` (null: none): the sum between n times the min and n times the max, the sum of squares no less than
 * sum^2 / n nor more than n times the larger square, the overspend at least a penny for each replication over
 * budget and at most the max less the budget for each, nothing over budget without a budget, and no more over
 * the tolerance than over the budget.
 */
const spendProblem = (c: SummaryData["spend"][number], n: number, budget: number | null): string | null => {
  const sum = BigInt(c.sum)
  const sumSq = BigInt(c.sumSq)
  const overspend = BigInt(c.overspend)
  const { min, max } = c.sketch
  if (n === 0) return sum === 0n && sumSq === 0n && overspend === 0n ? null : "figures for no replications"
  if (min === null || max === null || !Number.isInteger(min) || !Number.isInteger(max) || min > max)
    return "the sketch's min and max are not whole pennies, the min no more than the max"
  const N = BigInt(n)
  const lo = BigInt(min)
  const hi = BigInt(max)
  if (sum < N * lo || sum > N * hi) return "its sum is not that of its replications between its min and max"
  const top = lo * lo > hi * hi ? lo * lo : hi * hi
  if (sumSq < 0n || N * sumSq < sum * sum || sumSq > N * top)
    return "its sum of squares cannot be that of its replications"
  if (overspend < BigInt(c.over) || (c.over === 0) !== (overspend === 0n) || c.overTolerance > c.over)
    return "its overspend does not add up to its replications over budget"
  if (budget === null && c.over > 0) return "counted over budget, but the plan has no budget for it"
  if (budget !== null && overspend > BigInt(c.over) * (hi - BigInt(budget)))
    return "its overspend is more than its replications over budget can make (each at most its max less the budget)"
  return null
}

/** What is wrong with a decoded shard's numbers (they must add up to its replications), or null. */
const inconsistency = (s: ShardFile): string | null => {
  const { plan, shard, summary } = s
  if (!(Number.isInteger(plan.runs) && plan.runs >= 1 && plan.runs <= MAX_RUNS))
    return `plan.runs: expected a whole number of replications from 1 to ${MAX_RUNS}, found ${show(plan.runs)}`
  const planProblem = planFigureProblem(plan)
  if (planProblem !== null) return planProblem
  if (shard.index >= shard.count) return `shard.index: expected 0 to ${shard.count - 1}, found ${shard.index}`
  const n = summary.replications
  if (n !== shard.to - shard.from) return `summary.replications: expected ${shard.to - shard.from}, found ${show(n)}`
  const shape = summaryShape(plan)
  if (
    summary.spend.length !== shape.financialYears * (shape.budgetLines + 1) ||
    summary.stocks.length !== shape.stockCells
  )
    return "summary: not the shape of the plan's run (financial years, budget lines, months)"
  const sketchProblem = (sk: SummaryData["spend"][number]["sketch"]): string | null => {
    let count = sk.zero
    for (const side of [sk.positive, sk.negative]) {
      let last = -Infinity
      for (const [key, c] of side) {
        if (!Number.isInteger(key) || key <= last) return "bucket keys must be whole numbers in ascending order"
        if (!Number.isInteger(c) || c < 1) return `a bucket count must be a whole number of 1 or more, found ${show(c)}`
        last = key
        count += c
      }
    }
    if (count !== n) return `the sketch counts ${show(count)} values, not one for each of the ${n} replications`
    if ((sk.min === null) !== (n === 0) || (sk.max === null) !== (n === 0))
      return "the sketch's min and max are missing"
    return null
  }
  for (const [i, c] of summary.spend.entries()) {
    const p = sketchProblem(c.sketch)
    if (p !== null) return `summary.spend[${i}].sketch: ${p}`
    for (const k of ["min", "max"] as const) {
      const v = c.sketch[k]
      if (v !== null && !(Number.isInteger(v) && Math.abs(v) <= MAX_SPEND_PENNIES))
        return `summary.spend[${i}].sketch.${k}: ${SPEND_EXPECTED}, found ${show(v)}`
    }
    for (const k of ["over", "overTolerance"] as const)
      if (!(Number.isInteger(c[k]) && c[k] >= 0 && c[k] <= n))
        return `summary.spend[${i}].${k}: expected a count from 0 to ${n}, found ${show(c[k])}`
    const q = spendProblem(c, n, plan.budgets[i])
    if (q !== null) return `summary.spend[${i}]: ${q}`
  }
  for (const [i, c] of summary.stocks.entries()) {
    const p = sketchProblem(c.sketch)
    if (p !== null) return `summary.stocks[${i}].sketch: ${p}`
    // Children are counted whole, and their sum over the replications is exact.
    for (const [k, v] of [
      ["sketch.min", c.sketch.min],
      ["sketch.max", c.sketch.max],
      ["sum", c.sum]
    ] as const)
      if (v !== null && !(Number.isSafeInteger(v) && v >= 0))
        return `summary.stocks[${i}].${k}: expected a whole number of children from 0 to 2^53 - 1, found ${show(v)}`
    const { min, max } = c.sketch
    const within = n === 0 ? c.sum === 0 : min !== null && max !== null && n * min <= c.sum && c.sum <= n * max
    if (!(min === null || min >= 0) || !within)
      return `summary.stocks[${i}]: its sum is not that of ${n} counts from its min to its max`
  }
  const recorded = shape.parameters > 0 ? n : 0
  if (summary.records.length !== recorded)
    return (
      `summary.records: expected ${recorded} records (one per replication when the run has parameters),` +
      ` found ${summary.records.length}`
    )
  for (const [i, r] of summary.records.entries()) {
    if (r.replication !== shard.from + i)
      return `summary.records[${i}].replication: expected ${shard.from + i}, found ${show(r.replication)}`
    if (r.draws.length !== shape.parameters || r.totals.length !== shape.financialYears)
      return `summary.records[${i}]: expected ${shape.parameters} draws and ${shape.financialYears} totals`
    for (const [j, d] of r.draws.entries())
      if (!Number.isFinite(d)) return `summary.records[${i}].draws[${j}]: expected a finite number, found ${show(d)}`
    // A replication's total for a year is one of those the year's total sketch counted.
    for (const [f, t] of r.totals.entries()) {
      const cell = f * (shape.budgetLines + 1) + shape.budgetLines
      const { min, max } = summary.spend[cell].sketch
      if (!(Number.isInteger(t) && min !== null && max !== null && min <= t && t <= max))
        return (
          `summary.records[${i}].totals[${f}]: expected whole pennies from the year's smallest total to its ` +
          `largest (summary.spend[${cell}].sketch), found ${show(t)}`
        )
    }
  }
  return null
}

/**
 * What is wrong with a plan's figures that no run makes, or null: budgets that are not whole pennies or are
 * beyond any budget line's (a total, beyond its lines' together), a tolerance or precision that is no share,
 * a sketch error bound other than this caseflow's (the sketch's buckets are made with it).
 */
const planFigureProblem = (plan: MonteCarloPlan): string | null => {
  const B = plan.budgetLines.length
  const cells = plan.financialYears.length * (B + 1)
  for (const k of ["budgets", "fullYearBudgets"] as const) {
    if (plan[k].length !== cells)
      return (
        `plan.${k}: expected ${cells} budgets (each financial year's budget lines and total), ` +
        `found ${plan[k].length}`
      )
    for (const [i, b] of plan[k].entries()) {
      const total = i % (B + 1) === B
      const most = total ? Math.max(B, 1) * MAX_BUDGET_PENNIES : MAX_BUDGET_PENNIES
      if (b !== null && !(Number.isInteger(b) && Math.abs(b) <= most))
        return (
          `plan.${k}[${i}]: expected null or whole pennies of at most ${poundsText(most)} either way ` +
          `(${total ? "the budget lines' most together" : "a budget line's most"}), found ${show(b)}`
        )
    }
  }
  if (!(plan.tolerance >= 0 && plan.tolerance <= 1))
    return `plan.tolerance: expected a share from 0 to 1, found ${show(plan.tolerance)}`
  if (!(plan.precision > 0 && plan.precision <= 1))
    return `plan.precision: expected a share above 0 and at most 1, found ${show(plan.precision)}`
  if (plan.sketchAlpha !== SKETCH_ALPHA)
    return `plan.sketchAlpha: expected ${SKETCH_ALPHA} (this caseflow's sketch), found ${show(plan.sketchAlpha)}`
  return null
}

/** Whether `v` nests mappings and lists deeper than `max` (found without recursion: a shard 5,000 deep
 * overflowed the stack of the checksum's canonical JSON). */
const deeperThan = (v: unknown, max: number): boolean => {
  const stack: Array<readonly [unknown, number]> = [[v, 0]]
  while (stack.length > 0) {
    const [x, depth] = stack.pop()!
    if (typeof x !== "object" || x === null) continue
    if (depth >= max) return true
    // Only mappings and lists go on the stack: a list of a hundred million numbers costs nothing here.
    for (const y of Array.isArray(x) ? x : Object.values(x))
      if (typeof y === "object" && y !== null) stack.push([y, depth + 1])
  }
  return false
}

/**
 * Reads and checks one shard file (see the module comment). `version` is this caseflow's: a shard made by
 * another version is refused (its results may differ from this version's: the model, the draws, the sketch),
 * after its checksum (so the version is the one it was made with) and before its fields are read (another
 * version's may differ).
 */
export const readShard = (file: string, version: string): Effect.Effect<ShardFile, MergeError, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const bad = (detail: string) => Effect.fail(new MergeError({ file, detail }))
    const text = yield* readInputText(file, MAX_SHARD_BYTES).pipe(
      Effect.mapError((e) => new MergeError({ file, detail: `cannot read the shard file: ${e.detail}` }))
    )
    const containers = jsonContainers(text)
    if (containers > MAX_SHARD_CONTAINERS)
      return yield* bad(
        `not a shard file: it opens ${grouped(containers)} mappings and lists, more than the ` +
          `${grouped(MAX_SHARD_CONTAINERS)} any shard has (three for each replication it records)`
      )
    let raw: unknown
    try {
      raw = JSON.parse(text)
    } catch {
      // Where: the strict reader's line and column, and what was expected there (never the text itself).
      const where = parseJson(text, { maxDepth: MAX_DEPTH })
      return yield* bad(
        "not a shard file: not JSON" +
          (Either.isLeft(where) ? ` (line ${where.left.line}, column ${where.left.column}: ${where.left.message})` : "")
      )
    }
    if (deeperThan(raw, MAX_DEPTH))
      return yield* bad(`not a shard file: mappings and lists nested more than ${MAX_DEPTH} deep`)
    const format = isRecord(raw) ? raw.format : undefined
    if (typeof format === "string" && OLD_SHARD_FORMATS.includes(format))
      return yield* bad(
        `a shard in the older format ${format}, which carries no checksum: this caseflow merges ${SHARD_FORMAT}` +
          " shards only (run the shard again)"
      )
    if (!isRecord(raw) || format !== SHARD_FORMAT)
      return yield* bad(`not a shard file: expected format ${SHARD_FORMAT}, found ${show(format)}`)
    const { sha256, ...content } = raw
    if (typeof sha256 !== "string") return yield* bad("not a shard file: it has no sha256 checksum")
    // Its form first: hashing the content of a large file takes a while.
    if (!/^[0-9a-f]{64}$/.test(sha256))
      return yield* bad("the shard file has been edited or damaged: its sha256 is not 64 hexadecimal digits")
    if (sha256 !== contentSha256(content))
      return yield* bad("the shard file has been edited or damaged: its content does not match its sha256")
    if (typeof content.caseflow === "string" && content.caseflow !== version)
      return yield* bad(
        `made by caseflow ${show(content.caseflow, 40)}, but this is caseflow ${version}, and another version's ` +
          "results may differ: run the shards again with this caseflow (or merge them with the one that made them)"
      )
    const decoded = decodeShard(raw)
    if (Either.isLeft(decoded)) {
      const problems = schemaProblems(raw, decoded.left).slice(0, 3)
      return yield* bad(
        `a damaged shard file: ${problems.map((p) => `${formatPath(p.path)}: ${p.message}`).join("; ")}`
      )
    }
    const problem = inconsistency(decoded.right)
    if (problem !== null) return yield* bad(`a damaged shard file: ${problem}`)
    return decoded.right
  })

/** The flag (or file) each field of a plan comes from, which shards of one run are given alike. */
const PLAN_SOURCE: Readonly<Record<string, string>> = {
  scenario: "scenario file",
  seed: "--seed",
  years: "--years",
  runs: "--runs",
  budgets: "--budget flags",
  fullYearBudgets: "--budget flags",
  tolerance: "--tolerance",
  precision: "--precision"
}

/** The path (from `a` and `b`) to the first value where they differ: a leaf, or where their shapes part. */
const firstDifference = (a: unknown, b: unknown): Array<string | number> => {
  const path: Array<string | number> = []
  for (;;) {
    let keys: ReadonlyArray<string | number>
    if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) keys = a.map((_, i) => i)
    else if (
      isRecord(a) &&
      isRecord(b) &&
      canonicalJson(Object.keys(a).sort()) === canonicalJson(Object.keys(b).sort())
    )
      keys = Object.keys(a)
    else return path
    const at = (v: unknown, k: string | number): unknown => (v as Record<string | number, unknown>)[k]
    const k = keys.find((k) => canonicalJson(at(a, k)) !== canonicalJson(at(b, k)))
    if (k === undefined) return path
    path.push(k)
    a = at(a, k)
    b = at(b, k)
  }
}

/**
 * How plan `here` differs from plan `there`, said once: the first value that differs, by its path (a budget
 * also by its year and line, in pounds), and the flag that sets it.
 */
const planDifference = (here: MonteCarloPlan, there: MonteCarloPlan): string => {
  const path = firstDifference(here, there)
  const valueAt = (plan: unknown): unknown =>
    path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], plan)
  const [key, index] = path
  const source = typeof key === "string" && Object.hasOwn(PLAN_SOURCE, key) ? PLAN_SOURCE[key] : undefined
  const hint = source === undefined ? "" : ` (give every shard the same ${source})`
  const where = `plan${path.length > 0 ? "." : ""}${formatPath(path)}`
  const budget = (key === "budgets" || key === "fullYearBudgets") && typeof index === "number" && path.length === 2
  if (!budget) return `${where} is ${show(valueAt(here))} here and ${show(valueAt(there))} there${hint}`
  // A budget cell: [fy * (lines + 1) + line], the last of each year its total.
  const B = here.budgetLines.length
  const year = here.financialYears[Math.floor(index / (B + 1))]?.label ?? "?"
  const kind = key === "fullYearBudgets" ? "whole-year " : ""
  const line = index % (B + 1)
  const cell =
    line === B ? `the ${year} ${kind}total budget` : `the ${year} ${kind}budget of ${show(here.budgetLines[line])}`
  const amount = (v: unknown): string => (typeof v === "number" ? poundsPer(v / 100) : v === null ? "none" : show(v))
  return `${where}, ${cell}, is ${amount(valueAt(here))} here and ${amount(valueAt(there))} there${hint}`
}

/** Checks that the shards make up one run and adds them up. */
export const mergeShards = (
  shards: ReadonlyArray<{ readonly file: string; readonly shard: ShardFile }>
): Either.Either<{ readonly plan: MonteCarloPlan; readonly summary: MonteCarloSummary }, MergeError> => {
  if (shards.length === 0) return Either.left(new MergeError({ file: "", detail: "no shard files given" }))
  const [first, ...rest] = shards
  const planText = canonicalJson(first.shard.plan)
  for (const s of rest) {
    if (s.shard.caseflow !== first.shard.caseflow)
      return Either.left(
        new MergeError({
          file: s.file,
          detail: `made by caseflow ${show(s.shard.caseflow)}, but ${first.file} by ${show(first.shard.caseflow)}`
        })
      )
    if (canonicalJson(s.shard.plan) !== planText)
      return Either.left(
        new MergeError({
          file: s.file,
          detail: `not a shard of the same run as ${first.file}: ${planDifference(s.shard.plan, first.shard.plan)}`
        })
      )
    if (s.shard.shard.count !== first.shard.shard.count)
      return Either.left(
        new MergeError({
          file: s.file,
          detail: `shard of ${s.shard.shard.count}, but ${first.file} is a shard of ${first.shard.shard.count}`
        })
      )
  }
  const plan = first.shard.plan
  const count = first.shard.shard.count
  const byIndex = new Map<number, { file: string; shard: ShardFile }>()
  for (const s of shards) {
    const { index, from, to } = s.shard.shard
    const prior = byIndex.get(index)
    if (prior !== undefined)
      return Either.left(
        new MergeError({
          file: s.file,
          detail:
            prior.file === s.file
              ? "given twice (each shard is merged once)"
              : `shard ${index}/${count} is also ${prior.file}`
        })
      )
    const expected = shardRange(plan.runs, index, count)
    if (from !== expected.from || to !== expected.to)
      return Either.left(
        new MergeError({
          file: s.file,
          detail:
            `shard ${index}/${count} does not hold replications ${expected.from}-${expected.to - 1}` +
            ` of ${plan.runs} as it should`
        })
      )
    byIndex.set(index, s)
  }
  // Every index is below the count and none is given twice: so many are missing. The count is at most
  // MAX_SHARDS, and only the first ten missing are named.
  if (byIndex.size < count) {
    const missing: Array<string> = []
    for (let i = 0; i < count && missing.length < 10; i++) if (!byIndex.has(i)) missing.push(`${i}/${count}`)
    const n = count - byIndex.size
    const more = n > missing.length ? ` and ${grouped(n - missing.length)} more` : ""
    return Either.left(
      new MergeError({
        file: "",
        detail: `missing shard${n === 1 ? "" : "s"} ${missing.join(", ")}${more} (shards are numbered from 0)`
      })
    )
  }
  const shape = summaryShape(plan)
  const summary = new MonteCarloSummary(shape)
  for (let i = 0; i < count; i++) {
    const s = byIndex.get(i)!
    try {
      summary.merge(MonteCarloSummary.fromData(shape, s.shard.summary))
    } catch {
      return Either.left(new MergeError({ file: s.file, detail: "a damaged shard file: its summary cannot be read" }))
    }
  }
  return Either.right({ plan, summary })
}
