/**
 * `npm run bench`: events per second and peak memory of the engine on a shipped scenario (default:
 * scenarios/default.yaml over 10 years), against a bare typed-array event loop on the same machine, so
 * the figure can be read as a ratio on a noisy machine.
 *
 * Each mode runs in its own child process (so its peak RSS is its own): warm-up runs, then timed runs;
 * the median is reported.
 *   engine   the simulation alone, events handed to a sink that drops them
 *   run      what `caseflow run` does: simulation + the ledger fold (stocks, flows, costs)
 *   log      run + writing the NDJSON event log
 *   bare     a bare typed-array event loop: a heap of pending events, each pop schedules the next
 *
 * Options: --scenario FILE  --years N  --repeat N
 */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as Effect from "effect/Effect"
import { Simulation } from "../src/engine/Simulation.js"
import { Ledger } from "../src/projections/Ledger.js"
import { makeStreams } from "../src/random/Streams.js"
import { loadScenario } from "../src/scenario/Load.js"
import { compileModel } from "../src/model/Model.js"
import { encodeEvent } from "../src/log/encode.js"
import { bareEventLoop } from "./bare-loop.js"

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback
}
const scenarioFile = arg("scenario", "scenarios/default.yaml")
const years = Number(arg("years", "10"))
const repeat = Number(arg("repeat", "10"))
/** Runs before timing starts, so the JIT has compiled the hot paths (a default run is ~0.1 s). */
const WARM_UP = 3
const mode = arg("mode", "")

interface Measurement {
  readonly mode: string
  readonly events: number
  readonly medianMs: number
  readonly eventsPerSecond: number
  readonly peakRssMiB: number
}

const median = (xs: ReadonlyArray<number>): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

let lastEvent: unknown = null

/** Runs one mode in this process and prints its measurement as JSON. */
const measure = async (m: string): Promise<Measurement> => {
  const times: Array<number> = []
  let events = 0
  if (m === "bare") {
    const n = 4_000_000
    for (let r = 0; r < WARM_UP + repeat; r++) {
      const t0 = performance.now()
      events = bareEventLoop(n, 20_000)
      if (r >= WARM_UP) times.push(performance.now() - t0)
    }
  } else {
    const scenario = (await Effect.runPromise(loadScenario(scenarioFile).pipe(Effect.provide(NodeContext.layer))))
      .central
    const model = compileModel(scenario, years)
    const logFile = path.join(os.tmpdir(), `caseflow-bench-${process.pid}.ndjson`)
    for (let r = 0; r < WARM_UP + repeat; r++) {
      const ledger = new Ledger(model.calendar, model.costs)
      // The engine mode's sink keeps a reference to each event, so V8 cannot optimise the event objects
      // away (a sink that ignored them would let escape analysis skip allocating them at all).
      let sink: (e: Parameters<Ledger["evolve"]>[0]) => void = (e) => {
        lastEvent = e
      }
      let fd = -1
      let parts: Array<string> = []
      if (m === "run") sink = ledger.evolve
      if (m === "log") {
        fd = fs.openSync(logFile, "w")
        sink = (e) => {
          ledger.evolve(e)
          parts.push(encodeEvent(e))
          if (parts.length >= 8192) {
            parts.push("")
            fs.writeSync(fd, parts.join("\n"))
            parts = []
          }
        }
      }
      const t0 = performance.now()
      const stats = new Simulation(model, makeStreams(1), sink).run()
      if (m !== "engine") ledger.finish()
      if (fd >= 0) {
        parts.push("")
        fs.writeSync(fd, parts.join("\n"))
        fs.closeSync(fd)
      }
      const dt = performance.now() - t0
      if (r >= WARM_UP) times.push(dt)
      events = stats.events
    }
    fs.rmSync(logFile, { force: true })
  }
  if (lastEvent === undefined) throw new Error("unreachable: keeps lastEvent observable")
  const ms = median(times)
  return {
    mode: m,
    events,
    medianMs: ms,
    eventsPerSecond: (events / ms) * 1000,
    peakRssMiB: process.resourceUsage().maxRSS / 1024
  }
}

if (mode !== "") {
  const result = await measure(mode)
  process.stdout.write(JSON.stringify(result) + "\n")
} else {
  const self = fileURLToPath(import.meta.url)
  const results: Array<Measurement> = []
  for (const m of ["bare", "engine", "run", "log"]) {
    const out = execFileSync(
      process.execPath,
      [
        ...process.execArgv,
        self,
        "--mode",
        m,
        "--scenario",
        scenarioFile,
        "--years",
        String(years),
        "--repeat",
        String(repeat)
      ],
      {
        encoding: "utf8"
      }
    )
    results.push(JSON.parse(out.trim().split("\n").pop() ?? "{}") as Measurement)
  }
  const bare = results[0].eventsPerSecond
  const cpu = os.cpus()[0]?.model ?? "unknown CPU"
  console.log(
    `caseflow benchmark: ${scenarioFile}, ${years} years, median of ${repeat} runs after ${WARM_UP} warm-up runs`
  )
  console.log(
    `machine: ${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, one core per run`
  )
  console.log("")
  const rows = results.map((r) => [
    r.mode,
    r.events.toLocaleString("en-GB"),
    `${(r.medianMs / 1000).toFixed(3)} s`,
    `${(r.eventsPerSecond / 1e6).toFixed(2)} M/s`,
    `${(1e9 / r.eventsPerSecond).toFixed(0)} ns`,
    `${(r.eventsPerSecond / bare).toFixed(2)}`,
    `${r.peakRssMiB.toFixed(0)} MiB`
  ])
  const header = ["mode", "events", "time", "events/s", "per event", "x bare loop", "peak RSS"]
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  const line = (cells: ReadonlyArray<string>) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ")
  console.log(line(header))
  for (const r of rows) console.log(line(r))
  console.log("")
  console.log(
    "engine = simulation only; run = simulation + ledger (what `caseflow run` does); log = run + NDJSON event log;"
  )
  console.log("bare = a typed-array heap event loop doing nothing but scheduling (the ceiling on this machine).")
}
