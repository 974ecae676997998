/**
 * Writing event logs: the bytes do not depend on when the run flushes; the reader's line splitter sees
 * the same lines and hashes however the file is cut into chunks; and every failed write (opening, writing
 * a block, the trailer; a real full device and a file system that fails on purpose) is an
 * EventLogError naming the log, after which nothing more is written and no file is left behind.
 */
import * as FileSystem from "@effect/platform/FileSystem"
import { SystemError } from "@effect/platform/Error"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as fc from "fast-check"
import * as crypto from "node:crypto"
import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { CaseEvent } from "../../src/domain/Event.js"
import { LogEncoder, ndjsonEventLog } from "../../src/log/EventLogFile.js"
import { makeHeader } from "../../src/log/Header.js"
import { LineSplitter } from "../../src/log/Replay.js"
import { compileModel, type Model } from "../../src/model/Model.js"
import { makeStreams } from "../../src/random/Streams.js"
import { runModel, simulate } from "../../src/run/Run.js"
import { EventLog, EventLogError, RandomStreams } from "../../src/run/Services.js"
import type { ScenarioSource } from "../../src/scenario/Load.js"
import { VERSION } from "../../src/version.js"
import { fixture } from "../support/cli.js"
import { runEvents } from "../support/run.js"
import { linesOf, loadSource, replayFile, tempDir } from "./support.js"

let dir = ""
let source: ScenarioSource
let model: Model
let events: ReadonlyArray<CaseEvent> = []
beforeAll(async () => {
  dir = tempDir()
  source = await loadSource(fixture("small.yaml"))
  model = compileModel(source.central, 1)
  events = runEvents(model, 3).events
})
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const header = (every = 100) => makeHeader(source.central.name, source.raw, 3, 0, 1, VERSION, every)
const concat = (parts: ReadonlyArray<Uint8Array>): Buffer => Buffer.concat(parts)

describe("the log's bytes", () => {
  it("are the same whenever the run flushes", () => {
    const whole = (() => {
      const enc = new LogEncoder(header(7), 7)
      events.slice(0, 300).forEach(enc.append)
      return concat(enc.takeBytes(true))
    })()
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 300 }), { maxLength: 20 }), (cuts) => {
        const enc = new LogEncoder(header(7), 7)
        const parts: Array<Uint8Array> = []
        const at = new Set(cuts)
        events.slice(0, 300).forEach((e, i) => {
          if (at.has(i)) parts.push(...enc.takeBytes(false))
          enc.append(e)
        })
        parts.push(...enc.takeBytes(true))
        expect(concat(parts).equals(whole)).toBe(true)
      })
    )
  })

  it("are the same written from the engine's records as from the events", () => {
    const fromEvents = new LogEncoder(header(50), 50)
    simulate(model, makeStreams(3), fromEvents.append)
    const fromRecords = new LogEncoder(header(50), 50, model.names)
    simulate(model, makeStreams(3), fromRecords)
    const a = concat(fromEvents.takeBytes(true))
    expect(a.length).toBeGreaterThan(10_000)
    expect(concat(fromRecords.takeBytes(true)).equals(a)).toBe(true)
  })

  it("are split into the same lines, with the same hashes, however they are cut into chunks", () => {
    const enc = new LogEncoder(header(5), 5)
    events.slice(0, 60).forEach(enc.append)
    const bytes = concat(enc.takeBytes(true))
    const lines = linesOf(bytes.toString("utf8"))
    const expected = lines.map((_, i) =>
      crypto
        .createHash("sha256")
        .update(
          lines
            .slice(0, i)
            .map((l) => l + "\n")
            .join("")
        )
        .digest("hex")
    )
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 40 }),
        fc.integer({ min: 0, max: 40 }),
        (cuts, drop) => {
          const input = bytes.subarray(0, bytes.length - drop)
          const seen: Array<string> = []
          const digests: Array<string> = []
          const s: LineSplitter = new LineSplitter(
            () => 1 << 20,
            (line) => {
              seen.push(Buffer.from(line).toString("utf8"))
              // Asked for some lines only, as replay does (checkpoints), and sometimes twice.
              if (s.line % 3 !== 1) digests.push(s.digestBefore())
              if (s.line % 6 === 0) expect(s.digestBefore()).toBe(digests[digests.length - 1])
              return true
            }
          )
          let from = 0
          for (const at of [...cuts.filter((c) => c < input.length)].sort((a, b) => a - b).concat(input.length)) {
            expect(s.feed(input.subarray(from, at))).toBe(true)
            from = at
          }
          const complete = linesOf(input.toString("utf8")).length - (input[input.length - 1] === 10 ? 0 : 1)
          expect(seen).toEqual(lines.slice(0, complete))
          expect(digests).toEqual(expected.slice(0, complete).filter((_, i) => (i + 1) % 3 !== 1))
          expect(s.cut).toBe(input[input.length - 1] === 10 ? null : complete + 1)
        }
      )
    )
  })
})

/** The platform FileSystem, with the files it opens for writing failing as `how` says. */
const failing = (how: { readonly writeAfter?: number }): Layer.Layer<FileSystem.FileSystem> =>
  Layer.effect(
    FileSystem.FileSystem,
    Effect.map(FileSystem.FileSystem, (real) => {
      const broken = (method: string, description: string) =>
        new SystemError({ reason: "Unknown", module: "FileSystem", method, description })
      return {
        ...real,
        open: (p: string, o?: FileSystem.OpenFileOptions) =>
          Effect.map(real.open(p, o), (file): FileSystem.File => {
            let written = 0
            // The real file with its writeAll replaced.
            return Object.create(file, {
              writeAll: {
                value: (b: Uint8Array) => {
                  written += b.length
                  return how.writeAfter !== undefined && written > how.writeAfter
                    ? Effect.fail(broken("writeAll", "ENOSPC: no space left on device, write"))
                    : file.writeAll(b)
                }
              }
            }) as FileSystem.File
          })
      }
    })
  ).pipe(Layer.provide(NodeContext.layer))

/** A run of the small scenario logged to `file`: the error, or the staged file moved into place. */
const logRun = (file: string, fsLayer: Layer.Layer<FileSystem.FileSystem>, every = 100) =>
  Effect.runPromise(
    Effect.either(
      Effect.gen(function* () {
        yield* runModel(model)
        const staged = yield* Effect.flatMap(EventLog, (l) => l.finish)
        if (staged !== null) fs.renameSync(staged.partial, staged.target)
        return staged
      }).pipe(Effect.provide(Layer.merge(RandomStreams.seeded(3), ndjsonEventLog(file, header(every)))))
    ).pipe(Effect.provide(fsLayer))
  )

const expectFailure = (r: Either.Either<unknown, unknown>, file: string, pattern: RegExp) => {
  if (Either.isRight(r)) throw new Error("expected the log to fail")
  expect(r.left).toBeInstanceOf(EventLogError)
  const e = r.left as EventLogError
  expect(e.file).toBe(file)
  expect(e.message).toMatch(pattern)
  expect(fs.existsSync(file)).toBe(false)
  expect(fs.existsSync(`${file}.partial`)).toBe(false)
}

describe("writing the log through the platform FileSystem", () => {
  it("writes a log that replays, and leaves nothing but the log", async () => {
    const file = path.join(dir, "ok.ndjson")
    const r = await logRun(file, NodeContext.layer)
    expect(Either.isRight(r)).toBe(true)
    expect(fs.readdirSync(dir).filter((f) => f.startsWith("ok."))).toEqual(["ok.ndjson"])
    expect(Either.isRight(await replayFile(file))).toBe(true)
  })

  it("fails on a write to a full device, naming the log, and leaves no file", async () => {
    const file = path.join(dir, "full.ndjson")
    fs.symlinkSync("/dev/full", `${file}.partial`)
    expectFailure(await logRun(file, NodeContext.layer), file, /cannot write the event log \(write\): ENOSPC/)
  })

  it("fails when a block or the last write fails, and writes nothing after a failure", async () => {
    const file = path.join(dir, "broken.ndjson")
    // The small scenario's year is one flush (the first block, or one in the middle, fails), then the
    // trailer (its write fails: the bytes before it were written).
    const whole = fs.statSync(path.join(dir, "ok.ndjson")).size
    for (const how of [{ writeAfter: 0 }, { writeAfter: 100_000 }, { writeAfter: whole - 10 }]) {
      const r = await logRun(file, failing(how), 100)
      expectFailure(r, file, /\(write\): ENOSPC/)
    }
    // A flush's write runs while the run goes on; if it fails, the next flush fails (and so does the run),
    // and a finish after it fails too, rather than writing a trailer.
    const after = await Effect.runPromise(
      Effect.gen(function* () {
        const log = yield* EventLog
        events.forEach(log.append!)
        yield* log.flush
        const flushed = yield* Effect.either(log.flush)
        const finished = yield* Effect.either(log.finish)
        return { flushed, finished }
      }).pipe(Effect.provide(ndjsonEventLog(file, header())), Effect.either, Effect.provide(failing({ writeAfter: 0 })))
    )
    if (Either.isLeft(after)) throw after.left
    expect(Either.isLeft(after.right.flushed) && after.right.flushed.left.message).toContain("ENOSPC")
    expect(Either.isLeft(after.right.finished) && after.right.finished.left.message).toContain("ENOSPC")
    expect(fs.existsSync(`${file}.partial`)).toBe(false)
  })

  it("fails to open a log in a folder that does not exist, naming the log", async () => {
    const file = path.join(dir, "no-such-folder", "x.ndjson")
    expectFailure(await logRun(file, NodeContext.layer), file, /cannot write the event log \(open\): ENOENT/)
  })

  it("removes the staged file when the command does not move it into place", async () => {
    const file = path.join(dir, "unmoved.ndjson")
    const staged = await Effect.runPromise(
      Effect.gen(function* () {
        yield* runModel(model)
        const s = yield* Effect.flatMap(EventLog, (l) => l.finish)
        expect(fs.existsSync(s!.partial)).toBe(true)
        return s
      }).pipe(
        Effect.provide(Layer.merge(RandomStreams.seeded(3), ndjsonEventLog(file, header()))),
        Effect.provide(NodeContext.layer)
      )
    )
    expect(staged?.target).toBe(file)
    expect(fs.existsSync(staged!.partial)).toBe(false)
    expect(fs.existsSync(file)).toBe(false)
  })
})
