/**
 * Event logs for the tests: written by the real writer (`ndjsonEventLog` through the platform FileSystem,
 * driven by `runModel`), replayed by the real `replayEventLog`, and damaged or forged line by line.
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { makeHeader } from "../../src/log/Header.js"
import { ndjsonEventLog } from "../../src/log/EventLogFile.js"
import { Chain, integrityText, markOf } from "../../src/log/Integrity.js"
import { replayEventLog, type ReplayResult } from "../../src/log/Replay.js"
import { compileModel } from "../../src/model/Model.js"
import { runModel, type RunResult } from "../../src/run/Run.js"
import { EventLog, type EventLogError, RandomStreams } from "../../src/run/Services.js"
import { loadScenario, type ScenarioSource } from "../../src/scenario/Load.js"
import { VERSION } from "../../src/version.js"

export const tempDir = (): string => fs.mkdtempSync(path.join(os.tmpdir(), "caseflow-log-"))

export const loadSource = (file: string): Promise<ScenarioSource> =>
  Effect.runPromise(loadScenario(file).pipe(Effect.provide(NodeContext.layer)))

export interface Written {
  readonly file: string
  readonly run: RunResult
  readonly text: string
}

/** Runs `definition` (resolved scenario data) and writes its log to `file` as `caseflow run --events` does. */
export const writeLog = async (
  name: string,
  definition: unknown,
  model: RunResult["model"],
  years: number,
  seed: number,
  file: string,
  every?: number
): Promise<Written> => {
  const header = makeHeader(name, definition, seed, 0, years, VERSION, every)
  const run = await Effect.runPromise(
    Effect.gen(function* () {
      const result = yield* runModel(model)
      const staged = yield* Effect.flatMap(EventLog, (l) => l.finish)
      if (staged !== null) fs.renameSync(staged.partial, staged.target)
      return result
    }).pipe(
      Effect.provide(Layer.merge(RandomStreams.seeded(seed), ndjsonEventLog(file, header))),
      Effect.provide(NodeContext.layer)
    )
  )
  return { file, run, text: fs.readFileSync(file, "utf8") }
}

/** The log of a run of a scenario file. */
export const writeLogOf = async (
  source: ScenarioSource,
  years: number,
  seed: number,
  file: string,
  every?: number
): Promise<Written> =>
  writeLog(source.central.name, source.raw, compileModel(source.central, years), years, seed, file, every)

export const replayFile = (file: string): Promise<Either.Either<ReplayResult, EventLogError>> =>
  Effect.runPromise(Effect.either(replayEventLog(file)).pipe(Effect.provide(NodeContext.layer)))

/** The lines of a log's text (without the empty string after its last "\n"). */
export const linesOf = (text: string): Array<string> => {
  const lines = text.split("\n")
  if (lines[lines.length - 1] === "") lines.pop()
  return lines
}

/** The header and event lines of a log (its checkpoints and trailer dropped). */
export const contentOf = (text: string): Array<string> => linesOf(text).filter((l) => markOf(l) === null)

/**
 * A log with these header and event lines and checkpoints and a trailer made afresh, as a forger (or a
 * buggy writer) would make it: the checksums pass, so only the state checks stand between it and a
 * result.
 */
export const forge = (content: ReadonlyArray<string>, every: number): string => {
  const chain = new Chain()
  const out: Array<string> = []
  const put = (line: string) => {
    out.push(line)
    chain.update(Buffer.from(line + "\n"))
  }
  const mark = (m: "checkpoint" | "trailer", events: number) =>
    put(integrityText({ mark: m, line: out.length + 1, events, sha256: chain.digest() }))
  put(content[0])
  mark("checkpoint", 0)
  let events = 0
  for (const line of content.slice(1)) {
    put(line)
    if (++events % every === 0) mark("checkpoint", events)
  }
  mark("trailer", events)
  return out.map((l) => l + "\n").join("")
}

/** The line numbers (from 1) of a log's checkpoints and trailer. */
export const markLines = (text: string): Array<number> =>
  linesOf(text).flatMap((l, i) => (markOf(l) === null ? [] : [i + 1]))

/** The first and last line of the block of lines (between two checkpoints) that line `line` is in. */
export const blockOf = (text: string, line: number): { readonly first: number; readonly last: number } => {
  const marks = markLines(text)
  let first = 1
  for (const m of marks) {
    if (m >= line) return { first, last: m }
    first = m + 1
  }
  return { first, last: linesOf(text).length + 1 }
}
