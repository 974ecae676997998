/**
 * `npm run bench`: events per second of the simulation on a shipped scenario (default: scenarios/default.yaml
 * over 10 years), against a bare typed-array event loop, all in ONE process with the modes INTERLEAVED:
 * round after round, each mode runs once (the order rotating from round to round), so that whatever else
 * the machine is doing falls on every mode alike and the ratios to the bare loop can be read on a noisy
 * machine. Warm-up rounds first (the JIT compiles the hot paths), then timed rounds; medians are reported.
 *   bare     a bare typed-array event loop: a heap of pending events, each pop schedules the next
 *   engine   the simulation alone: it writes each event's record (src/domain/Event.ts), which a sink reads
 *            (a checksum of its fields, so that nothing can be optimised away)
 *   run      what `caseflow run` does: `simulate`, i.e. the simulation + the ledger fold + spend
 *   log      run + the event log, as `caseflow run --events` writes it: `runModel` with the log writer's
 *            layer (lines, checkpoints, the SHA-256 chain; each chunk's bytes written while the next is
 *            simulated), then its `finish`
 *   log-events  the same log with each event made a `CaseEvent` object first (an EventLog with `append`
 *            only)
 *
 * Options: --scenario FILE  --years N  --repeat N  --warm-up N  --modes bare,engine,run,log,log-events
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type { EventRecord, RecordSink } from "../src/domain/Event.js"
import { Simulation } from "../src/engine/Simulation.js"
import { ndjsonEventLog } from "../src/log/EventLogFile.js"
import { makeHeader } from "../src/log/Header.js"
import { VERSION } from "../src/version.js"
import { compileModel, type Model } from "../src/model/Model.js"
import { makeStreams } from "../src/random/Streams.js"
import { runModel, simulate } from "../src/run/Run.js"
import { EventLog, RandomStreams } from "../src/run/Services.js"
import { loadScenario } from "../src/scenario/Load.js"
import { bareEventLoop } from "./bare-loop.js"

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback
}
const scenarioFile = arg("scenario", "scenarios/default.yaml")
const years = Number(arg("years", "10"))
const repeat = Number(arg("repeat", "15"))
const warmUp = Number(arg("warm-up", "3"))
const modes = arg("modes", "bare,engine,run,log,log-events").split(",")
/** Events per bare-loop repetition, and the events pending in its heap. */
const BARE_EVENTS = 1_000_000
const BARE_PENDING = 20_000

const median = (xs: ReadonlyArray<number>): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

/** The engine mode's sink: reads every record (a checksum of its fields, printed at the end). */
class Checksum implements RecordSink {
  sum = 0
  take(r: EventRecord): void {
    this.sum += r.tag + r.time + r.child + r.from + r.to + r.reason + r.name
  }
}
const checksum = new Checksum()

let logs = 0

/** One repetition of a mode: the events it handled and the milliseconds it took. */
const once = (mode: string, model: Model): { events: number; ms: number } => {
  if (mode === "bare") {
    const t0 = performance.now()
    const events = bareEventLoop(BARE_EVENTS, BARE_PENDING)
    return { events, ms: performance.now() - t0 }
  }
  if (mode === "engine") {
    const t0 = performance.now()
    const stats = new Simulation(model, makeStreams(1), checksum).run()
    return { events: stats.events, ms: performance.now() - t0 }
  }
  if (mode !== "run") throw new Error(`unknown mode ${mode} (expected bare, engine, run, log or log-events)`)
  const t0 = performance.now()
  const result = simulate(model, makeStreams(1))
  return { events: result.stats.events, ms: performance.now() - t0 }
}

/**
 * One repetition of a log mode, as `caseflow run --events` runs it: `runModel` with the log writer's layer
 * (src/log/EventLogFile.ts: lines, checkpoints and the SHA-256 chain made as the run goes, each chunk's bytes
 * written through the platform FileSystem while the next chunk is simulated), then `finish`, and the staged
 * file moved into place, as the command does. A new file each time, as a run's log is (removed after the
 * timing: a 10-year log is 13 MB, and removing it is no part of a run).
 */
const onceLogged = async (mode: string, model: Model, logFile: string): Promise<{ events: number; ms: number }> => {
  const file = `${logFile}.${logs++}`
  const header = makeHeader(model.scenario.name, {}, 1, 0, years, VERSION)
  const t0 = performance.now()
  // "log": the engine's records straight to the writer, as the CLI does; "log-events": each event made a
  // `CaseEvent` first, as an EventLog that takes only `append` is given it.
  const layer = ndjsonEventLog(file, header, mode === "log" ? model.names : undefined)
  const result = await Effect.runPromise(
    Effect.scoped(
      Effect.gen(function* () {
        const run = yield* runModel(model)
        const staged = yield* Effect.flatMap(EventLog, (l) => l.finish)
        if (staged !== null) fs.renameSync(staged.partial, staged.target)
        return run
      }).pipe(Effect.provide(Layer.merge(RandomStreams.seeded(1), layer)))
    ).pipe(Effect.provide(NodeContext.layer))
  )
  const ms = performance.now() - t0
  fs.rmSync(file, { force: true })
  return { events: result.stats.events, ms }
}

const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")

const source = await Effect.runPromise(loadScenario(scenarioFile).pipe(Effect.provide(NodeContext.layer)))
const model = compileModel(source.central, years)
const logFile = path.join(os.tmpdir(), `caseflow-bench-${process.pid}.ndjson`)
const loadBefore = load()
const times = new Map<string, Array<number>>(modes.map((m) => [m, []]))
const events = new Map<string, number>()
for (let round = 0; round < warmUp + repeat; round++) {
  for (let k = 0; k < modes.length; k++) {
    const mode = modes[(round + k) % modes.length]
    const r = mode.startsWith("log") ? await onceLogged(mode, model, logFile) : once(mode, model)
    events.set(mode, r.events)
    if (round >= warmUp) times.get(mode)!.push(r.ms)
  }
}

const rate = (m: string) => (events.get(m)! / median(times.get(m)!)) * 1000
const bare = modes.includes("bare") ? rate("bare") : Number.NaN
const cpu = os.cpus()[0]?.model ?? "unknown CPU"
console.log(
  `caseflow benchmark: ${scenarioFile}, ${years} years; modes interleaved in one process, ` +
    `median of ${repeat} rounds after ${warmUp} warm-up rounds`
)
console.log(
  `machine: ${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; ` +
    `load average ${loadBefore} before, ${load()} after`
)
console.log("")
const rows = modes.map((m) => {
  const ms = median(times.get(m)!)
  const spread = `${(Math.min(...times.get(m)!) / 1000).toFixed(3)}-${(Math.max(...times.get(m)!) / 1000).toFixed(3)} s`
  return [
    m,
    events.get(m)!.toLocaleString("en-GB"),
    `${(ms / 1000).toFixed(3)} s`,
    spread,
    `${(rate(m) / 1e6).toFixed(2)} M/s`,
    `${(1e9 / rate(m)).toFixed(0)} ns`,
    (rate(m) / bare).toFixed(2)
  ]
})
const header = ["mode", "events", "median", "range", "events/s", "per event", "x bare loop"]
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
const line = (cells: ReadonlyArray<string>) =>
  cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ")
console.log(line(header))
for (const r of rows) console.log(line(r))
console.log("")
console.log(
  `peak RSS of the process (all modes): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB; ` +
    `engine checksum ${checksum.sum}`
)
console.log(
  "bare = a typed-array heap event loop doing nothing but scheduling (the ceiling on this machine); " +
    "engine = simulation only;"
)
console.log(
  "run = simulation + ledger (what `caseflow run` does); log = run + encoding and writing the NDJSON event log."
)
