// The built command line as a user runs it after `npm ci`, in real processes: the repository's dist/ when it
// is newer than all it is made from (as after `npm ci`), else a build of the current source made into a
// temporary folder; its bin spawned. Everything else about the CLI is tested in
// process (cli.test.ts); these check what only a process shows: start-up from the build, worker threads
// from the build, signals and a closed stdout.
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { buildCaseflow, filesUnder, fixture, spawnBuilt, type Spawned } from "../support/cli.js"
import { syntheticTables } from "../support/dfe.js"
import { RUN_FILES } from "../../src/cli/commands/run.js"
import { OPTIONAL_RESULT_FILES } from "../../src/report/Tables.js"

/** The files `run` writes for a scenario without legal statuses or UASC. */
const PLAIN_RUN_FILES = RUN_FILES.filter((f) => !OPTIONAL_RESULT_FILES.includes(f))

const root = path.resolve(import.meta.dirname, "../..")
const england = path.join(root, "scenarios/england.yaml")
let built = { dir: "", bin: "", remove: () => {} }
let dir = ""
beforeAll(async () => {
  built = await buildCaseflow()
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "caseflow-smoke-"))
})
afterAll(() => {
  built.remove()
  fs.rmSync(dir, { recursive: true, force: true })
})

const until = async (condition: () => boolean): Promise<void> => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20))
}

/**
 * Seconds of CPU a process has used, all its threads together (Linux's /proc; null elsewhere). A command
 * that has used more than its loading takes is past it, however slowly a shared machine runs it: a signal
 * while a command still parses its inputs ends it at once, silently (see src/cli/main.ts).
 */
const cpuSeconds = (pid: number | undefined): number | null => {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ")
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return null
  }
}

/**
 * Sends `signal` once the process has used `cpu` seconds of CPU (that many seconds of wall time without /proc);
 * its exit code, and how many milliseconds after the signal it exited.
 */
const stopAfter = async (p: Spawned, cpu: number, signal: NodeJS.Signals) => {
  const t0 = performance.now()
  await until(() => (cpuSeconds(p.child.pid) ?? (performance.now() - t0) / 1000) >= cpu)
  const sent = performance.now()
  p.child.kill(signal)
  const { code, at } = await p.exited
  return { code, after: at - sent }
}

describe("the built caseflow", () => {
  it("prints its version", async () => {
    const p = spawnBuilt(built.bin, ["--version"])
    expect((await p.exited).code).toBe(0)
    expect(p.stdout()).toBe("0.1.0\n")
  })

  it("writes a report from the build, whose renderers are a bundle of their own, not in the start-up one", async () => {
    const dist = path.join(built.dir, "dist")
    const inBundle = (file: string, re: RegExp) => re.test(fs.readFileSync(path.join(dist, file), "utf8"))
    // Vega's SVG renderer and the xlsx writer's sheet files: in the renderers' bundle only.
    expect(inBundle("caseflow.cjs", /SVGStringRenderer|xl\/worksheets/)).toBe(false)
    expect(inBundle("report.cjs", /SVGStringRenderer/)).toBe(true)
    expect(inBundle("report.cjs", /xl\/worksheets/)).toBe(true)
    const out = path.join(dir, "reported")
    const html = path.join(dir, "report.html")
    const xlsx = path.join(dir, "report.xlsx")
    const p = spawnBuilt(built.bin, [
      "run",
      fixture("small.yaml"),
      "--years",
      "1",
      "--out",
      out,
      "--report",
      html,
      "--xlsx",
      xlsx
    ])
    expect((await p.exited).code, p.stderr()).toBe(0)
    expect(p.stderr()).not.toContain("note:")
    expect(fs.readFileSync(html, "utf8")).toMatch(/^<!DOCTYPE html>[\s\S]*<svg [\s\S]*<\/html>\n$/)
    expect(fs.readFileSync(xlsx).subarray(0, 2).toString()).toBe("PK")
  })

  it("runs a small scenario, and Monte Carlo on worker threads started from the build", async () => {
    const out = path.join(dir, "run")
    const run = spawnBuilt(built.bin, ["run", fixture("small.yaml"), "--years", "1", "--out", out])
    const mcOut = path.join(dir, "mc")
    const mc = spawnBuilt(built.bin, [
      "montecarlo",
      fixture("small.yaml"),
      "--runs",
      "4",
      "--years",
      "1",
      "--workers",
      "2",
      "--out",
      mcOut
    ])
    expect((await run.exited).code, run.stderr()).toBe(0)
    expect(filesUnder(out)).toEqual([...PLAIN_RUN_FILES].sort())
    expect((await mc.exited).code, mc.stderr()).toBe(0)
    expect(mc.stderr()).toMatch(/4 replications in [\d.]+ s \([\d.]+ a second\) on 2 worker threads\n$/)
    expect(filesUnder(mcOut)).toEqual(["montecarlo_spend.csv", "montecarlo_stocks.csv"])
  })

  it("forecasts outturn from actuals (CSV read by the bundled parser) on worker threads from the build", async () => {
    const out = path.join(dir, "forecast")
    const p = spawnBuilt(built.bin, [
      "forecast",
      path.join(root, "scenarios/examples/sefton-forecast-2023.yaml"),
      "--as-of",
      "2023-11-01",
      "--actuals",
      path.join(root, "scenarios/examples/sefton-actuals-2023-10.csv"),
      "--budget",
      "2023/24=80.081m",
      "--runs",
      "4",
      "--workers",
      "2",
      "--out",
      out
    ])
    expect((await p.exited).code, p.stderr()).toBe(0)
    expect(p.stdout()).toContain("Forecast outturn, 2023/24 (actual to October 2023 + simulated rest of year)")
    expect(filesUnder(out)).toEqual(["forecast.csv", "forecast_history.csv"])
  })

  it("stops a long run on SIGINT with exit code 130, removing the event log it was writing", async () => {
    const out = path.join(dir, "sigint")
    const log = path.join(dir, "sigint.ndjson")
    const p = spawnBuilt(built.bin, ["run", england, "--out", out, "--events", log])
    await until(() => fs.existsSync(`${log}.partial`))
    await new Promise((resolve) => setTimeout(resolve, 300))
    const sent = performance.now()
    p.child.kill("SIGINT")
    const { code, at } = await p.exited
    expect(code).toBe(130)
    expect(at - sent).toBeLessThan(3000) // within a second on a quiet machine; this one may be shared
    expect(p.stderr()).toBe("caseflow: interrupted (SIGINT); no results written\n")
    expect(p.stdout()).toBe("")
    expect(fs.existsSync(out)).toBe(false)
    expect(fs.existsSync(log) || fs.existsSync(`${log}.partial`)).toBe(false)
  })

  it("stops calibrate --dfe on SIGINT in its synchronous work (estimates, pilot runs), writing nothing", async () => {
    // A council of 100 million children: the pilot runs of the calibrated scenario would take minutes.
    syntheticTables(
      path.join(dir, "dfe"),
      { name: "Northshire", newCode: "E06000099", oldCode: "901" },
      [2016, 2017, 2018, 2019, 2020, 2021]
    )
    const out = path.join(dir, "calibrated.yaml")
    const p = spawnBuilt(built.bin, [
      "calibrate",
      "--dfe",
      path.join(dir, "dfe"),
      "--la",
      "Northshire",
      "--template",
      path.join(root, "scenarios/default.yaml"),
      "--population",
      "100000000",
      "--out",
      out
    ])
    // Well past reading the tables (a fraction of a second).
    const { code, after } = await stopAfter(p, 2, "SIGINT")
    expect(code).toBe(130)
    expect(after).toBeLessThan(3000) // 0.1 s here; work that held the signal back would take minutes
    expect(p.stdout()).toBe("")
    expect(fs.existsSync(out)).toBe(false)
  })

  it("stops Monte Carlo on worker threads on SIGTERM with exit code 143 and no files", async () => {
    const out = path.join(dir, "sigterm")
    const p = spawnBuilt(built.bin, [
      "montecarlo",
      path.join(root, "scenarios/default.yaml"),
      "--runs",
      "100000",
      "--out",
      out
    ])
    // Replications under way on the workers: well past loading (about 0.3 s of CPU).
    const { code, after } = await stopAfter(p, 1.5, "SIGTERM")
    expect(code).toBe(143)
    expect(after).toBeLessThan(3000)
    expect(p.stderr()).toContain("caseflow: interrupted (SIGTERM); no results written\n")
    expect(fs.existsSync(out)).toBe(false)
  })

  it("stops at once on SIGINT while it is still reading a large scenario (a long synchronous parse)", async () => {
    const small = fs.readFileSync(fixture("small.yaml"), "utf8")
    const groups = Array.from(
      { length: 60_000 },
      (_, k) => `  - { level: early_help, count: 1, ages: [${k % 17}, 17] }\n`
    )
    const big = path.join(dir, "big.yaml")
    fs.writeFileSync(
      big,
      small.slice(0, small.indexOf("startingCaseload:")) +
        `startingCaseload:\n${groups.join("")}` +
        small.slice(small.indexOf("budgetLines:"))
    )
    const out = path.join(dir, "big-out")
    const p = spawnBuilt(built.bin, ["run", big, "--out", out])
    await new Promise((resolve) => setTimeout(resolve, 700))
    const sent = performance.now()
    p.child.kill("SIGINT")
    const { code, at } = await p.exited
    expect(code).toBe(130)
    expect(at - sent).toBeLessThan(1500) // the parse alone takes seconds
    expect(fs.existsSync(out)).toBe(false)
  })

  it("ends quietly when stdout is closed early, as by `| head -1` or `| true`", async () => {
    const out = path.join(dir, "head")
    const p = spawnBuilt(built.bin, ["run", fixture("small.yaml"), "--years", "1", "--out", out])
    // The reader goes before anything is written, so every write of the report meets a closed pipe.
    p.child.stdout!.destroy()
    const { code } = await p.exited
    expect(code).toBe(0)
    expect(p.stderr()).not.toMatch(/EPIPE|Error|\n\s+at /)
    expect(p.stderr()).toMatch(/events, [\d,]+ children in/)
    expect(filesUnder(out)).toHaveLength(PLAIN_RUN_FILES.length)
  })
})
