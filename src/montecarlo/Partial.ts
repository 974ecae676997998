/**
 * Shards: a Monte Carlo run split across machines. `caseflow montecarlo ... --shard i/n` runs replications
 * [floor(i N / n), floor((i + 1) N / n)) and writes their summary to `montecarlo_shard_<i>_of_<n>.json`;
 * `caseflow merge` reads the n files, checks they are shards of one run (same plan, same caseflow
 * version, every shard exactly once) and adds their summaries. Because every part of a summary merges
 * exactly, the merged result is the result of one run of all N replications, byte for byte.
 *
 * The file (JSON, one line):
 *   { "format": "caseflow-montecarlo-shard/1", "caseflow": "0.1.0", "plan": { ...the run... },
 *     "shard": { "index": 0, "count": 4, "from": 0, "to": 250 }, "summary": { ...sums and sketches... } }
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { formatPath, schemaProblems } from "../scenario/Problems.js"
import type { ShardResult } from "./MonteCarlo.js"
import { MonteCarloPlan, shardRange, summaryShape } from "./Plan.js"
import { MonteCarloSummary, SummaryData } from "./Summary.js"

export const SHARD_FORMAT = "caseflow-montecarlo-shard/1"

export const ShardFile = Schema.Struct({
  format: Schema.Literal(SHARD_FORMAT),
  caseflow: Schema.String,
  plan: MonteCarloPlan,
  shard: Schema.Struct({ index: Schema.Number, count: Schema.Number, from: Schema.Number, to: Schema.Number }),
  summary: SummaryData
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

export const shardText = (r: ShardResult, version: string): string =>
  JSON.stringify({
    format: SHARD_FORMAT,
    caseflow: version,
    plan: r.plan,
    shard: r.shard,
    summary: r.summary.toData()
  } satisfies ShardFile) + "\n"

const decodeShard = Schema.decodeUnknownEither(ShardFile)

export const readShard = (file: string): Effect.Effect<ShardFile, MergeError, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const text = yield* fs.readFileString(file).pipe(
      Effect.mapError(
        (e) =>
          new MergeError({
            file,
            detail: `cannot read the shard file: ${e._tag === "SystemError" && e.reason === "NotFound" ? "no such file" : e.message}`
          })
      )
    )
    let raw: unknown
    try {
      raw = JSON.parse(text)
    } catch {
      return yield* Effect.fail(new MergeError({ file, detail: "not a shard file: not JSON" }))
    }
    const format = raw !== null && typeof raw === "object" ? (raw as { format?: unknown }).format : undefined
    if (format !== SHARD_FORMAT)
      return yield* Effect.fail(
        new MergeError({
          file,
          detail: `not a shard file: expected format ${SHARD_FORMAT}, found ${JSON.stringify(format) ?? "nothing"}`
        })
      )
    const decoded = decodeShard(raw)
    if (Either.isLeft(decoded)) {
      const problems = schemaProblems(raw, decoded.left).slice(0, 3)
      return yield* Effect.fail(
        new MergeError({
          file,
          detail: `a damaged shard file: ${problems.map((p) => `${formatPath(p.path)}: ${p.message}`).join("; ")}`
        })
      )
    }
    return decoded.right
  })

/** JSON with object keys sorted. */
const canonical = (v: unknown): string => {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(",")}}`
  }
  return JSON.stringify(v)
}

/** Checks that the shards make up one run and adds them up. */
export const mergeShards = (
  shards: ReadonlyArray<{ readonly file: string; readonly shard: ShardFile }>
): Either.Either<{ readonly plan: MonteCarloPlan; readonly summary: MonteCarloSummary }, MergeError> => {
  if (shards.length === 0) return Either.left(new MergeError({ file: "", detail: "no shard files given" }))
  const [first, ...rest] = shards
  const planText = canonical(first.shard.plan)
  for (const s of rest) {
    if (s.shard.caseflow !== first.shard.caseflow)
      return Either.left(
        new MergeError({
          file: s.file,
          detail: `made by caseflow ${s.shard.caseflow}, but ${first.file} by ${first.shard.caseflow}`
        })
      )
    if (canonical(s.shard.plan) !== planText) {
      const a = first.shard.plan as Record<string, unknown>
      const b = s.shard.plan as Record<string, unknown>
      const key = Object.keys(a).find((k) => canonical(a[k]) !== canonical(b[k])) ?? "plan"
      const brief = (v: unknown) => {
        const t = canonical(v)
        return t.length > 60 ? `${t.slice(0, 57)}...` : t
      }
      return Either.left(
        new MergeError({
          file: s.file,
          detail: `not a shard of the same run as ${first.file}: ${key} is ${brief(b[key])} here and ${brief(a[key])} there`
        })
      )
    }
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
      return Either.left(new MergeError({ file: s.file, detail: `shard ${index}/${count} is also ${prior.file}` }))
    const expected = shardRange(plan.runs, index, count)
    if (
      !(Number.isInteger(index) && index >= 0 && index < count) ||
      from !== expected.from ||
      to !== expected.to ||
      s.shard.summary.replications !== to - from
    )
      return Either.left(
        new MergeError({
          file: s.file,
          detail: `shard ${index}/${count} does not hold replications ${expected.from}-${expected.to - 1} of ${plan.runs} as it should`
        })
      )
    byIndex.set(index, s)
  }
  const missing: Array<number> = []
  for (let i = 0; i < count; i++) if (!byIndex.has(i)) missing.push(i)
  if (missing.length > 0)
    return Either.left(
      new MergeError({
        file: "",
        detail: `missing shard${missing.length === 1 ? "" : "s"} ${missing.map((i) => `${i}/${count}`).join(", ")} (shards are numbered from 0)`
      })
    )
  const shape = summaryShape(plan)
  const summary = new MonteCarloSummary(shape)
  for (let i = 0; i < count; i++) summary.merge(MonteCarloSummary.fromData(shape, byIndex.get(i)!.shard.summary))
  return Either.right({ plan, summary })
}
