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
 *   log      run + the NDJSON event log: every event, as the `CaseEvent` the EventLog service's `append`
 *            is given, encoded into a buffer of lines (src/log/encode.ts, `NdjsonLines`) written out a
 *            megabyte at a time
 *   log-records  the same log from the engine's records straight (no event objects)
 *   log-strings  the log as src/log/EventLogFile.ts writes it today: `encodeEvent` strings, joined (only
 *            with --modes)
 *
 * Options: --scenario FILE  --years N  --repeat N  --warm-up N  --modes bare,engine,run,log,log-records
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as Effect from "effect/Effect"
import type { EventRecord, RecordSink } from "../src/domain/Event.js"
import { Simulation } from "../src/engine/Simulation.js"
import { encodeEvent, NdjsonLines } from "../src/log/encode.js"
import { compileModel, type Model } from "../src/model/Model.js"
import { makeStreams } from "../src/random/Streams.js"
import { simulate } from "../src/run/Run.js"
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
const modes = arg("modes", "bare,engine,run,log,log-records").split(",")
/** Events per bare-loop repetition, and the events pending in its heap. */
const BARE_EVENTS = 1_000_000
const BARE_PENDING = 20_000
/** What the event log buffers before each write. */
const LOG_BUFFER_BYTES = 1 << 20

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
const once = (mode: string, model: Model, logFile: string): { events: number; ms: number } => {
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
  if (mode === "run") {
    const t0 = performance.now()
    const result = simulate(model, makeStreams(1))
    return { events: result.stats.events, ms: performance.now() - t0 }
  }
  // A new file each time, as a run's log is (removed after the timing).
  const file = `${logFile}.${logs++}`
  const t0 = performance.now()
  const fd = fs.openSync(file, "w")
  const lines = new NdjsonLines(LOG_BUFFER_BYTES + 4096)
  const flush = () => {
    if (lines.length > LOG_BUFFER_BYTES) {
      fs.writeSync(fd, lines.bytes)
      lines.clear()
    }
  }
  if (mode === "log-strings") {
    // As src/log/EventLogFile.ts writes the log today: a string a line, joined and written a megabyte at a time.
    let parts: Array<string> = []
    let chars = 0
    const result = simulate(model, makeStreams(1), (e) => {
      const line = encodeEvent(e)
      parts.push(line)
      chars += line.length
      if (chars > LOG_BUFFER_BYTES) {
        parts.push("")
        fs.writeSync(fd, parts.join("\n"))
        parts = []
        chars = 0
      }
    })
    parts.push("")
    fs.writeSync(fd, parts.join("\n"))
    fs.closeSync(fd)
    const ms = performance.now() - t0
    fs.rmSync(file)
    return { events: result.stats.events, ms }
  }
  // "log": each event as a CaseEvent, as the EventLog service's `append` is given it; "log-records": the
  // engine's records straight to the encoder.
  const result =
    mode === "log"
      ? simulate(model, makeStreams(1), (e) => {
          lines.add(e)
          flush()
        })
      : simulate(model, makeStreams(1), {
          take: (r) => {
            lines.addRecord(r, model.names)
            flush()
          }
        })
  fs.writeSync(fd, lines.bytes)
  fs.closeSync(fd)
  const ms = performance.now() - t0
  fs.rmSync(file)
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
    const r = once(mode, model, logFile)
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
