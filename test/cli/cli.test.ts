// The command line as a new user meets it, run in this process: run, validate, replay; bad input gives exit
// code 2, a message naming the file and field, no stack trace and no output files; outputs that are inputs
// are refused; output folders hold exactly what the command produced; a failed write is exit 1 and leaves
// everything as it was; a signal stops a command with 130 / 143 and no files.
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { capturedIo } from "../../src/cli/io.js"
import { ndjsonEventLog } from "../../src/log/EventLogFile.js"
import { makeHeader } from "../../src/log/Header.js"
import { compileModel } from "../../src/model/Model.js"
import { runModel } from "../../src/run/Run.js"
import { EventLog, RandomStreams } from "../../src/run/Services.js"
import { loadScenario } from "../../src/scenario/Load.js"
import { VERSION } from "../../src/version.js"
import { cli, type CliResult, filesUnder, fixture } from "../support/cli.js"

let dir = ""
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "caseflow-cli-"))
})
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const write = (name: string, text: string): string => {
  const file = path.join(dir, name)
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, text)
  return file
}
const small = fs.readFileSync(fixture("small.yaml"), "utf8")
const RESULTS = [
  "costs.csv",
  "dfe_cin_b1.csv",
  "dfe_cla.csv",
  "dfe_cp_d3.csv",
  "dfe_cp_d5.csv",
  "flows.csv",
  "placements.csv",
  "rolling_12_months.csv",
  "services.csv",
  "stocks.csv",
  "summary_children.csv",
  "summary_spend.csv",
  "workforce.csv"
]

const expectBadInput = (r: CliResult, ...needles: ReadonlyArray<string>) => {
  expect(r.code, r.stderr).toBe(2)
  for (const n of needles) expect(r.stderr).toContain(n)
  expect(r.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/) // no stack trace
  expect(r.stdout).toBe("")
}

describe("caseflow run and replay", () => {
  it("writes the result CSVs and an event log, and replay rebuilds byte-identical CSVs", async () => {
    const out = path.join(dir, "run1")
    const log = path.join(dir, "run1.ndjson")
    const r = await cli(["run", fixture("small.yaml"), "--seed", "7", "--years", "2", "--out", out, "--events", log])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain("Children open to services")
    expect(r.stdout).toContain("Spend by budget line and financial year")
    expect(r.stdout).toContain(`Results: ${path.join(out, "stocks.csv")}, ${path.join(out, "placements.csv")}`)
    expect(r.stdout.endsWith(`Event log: ${log}\n`)).toBe(true)
    // Printed output fits 120 columns: the list of results is wrapped, a file name never split.
    for (const line of r.stdout.split("\n")) expect(line.length, line).toBeLessThanOrEqual(120)
    const listed = r.stdout.slice(r.stdout.indexOf("Results: ") + 9, r.stdout.indexOf("\nEvent log:"))
    expect(listed.split(/,\s+/).sort()).toEqual(RESULTS.map((f) => path.join(out, f)))
    expect(r.stderr).toMatch(/^[\d,]+ events, [\d,]+ children in [\d.]+ s \([\d,]+ events\/s\)\n$/)
    expect(filesUnder(out)).toEqual(RESULTS)
    const header = JSON.parse(fs.readFileSync(log, "utf8").split("\n")[0]) as Record<string, unknown>
    expect(header).toMatchObject({
      format: "caseflow-events/4",
      seed: 7,
      years: 2,
      scenario: { name: "Small test authority" }
    })
    expect((header.scenario as { sha256: string }).sha256).toMatch(/^[0-9a-f]{64}$/)
    const replayed = path.join(dir, "replay1")
    const rr = await cli(["replay", log, "--out", replayed])
    expect(rr.code, rr.stderr).toBe(0)
    for (const f of RESULTS)
      expect(fs.readFileSync(path.join(replayed, f), "utf8")).toBe(fs.readFileSync(path.join(out, f), "utf8"))
    expect(rr.stdout).toBe(r.stdout.replace(`Event log: ${log}\n`, "").replaceAll(out, replayed))
    expect(rr.stderr).toBe("")
  })

  it("replays a log another caseflow version wrote, saying its figures are this version's", async () => {
    // The log of the same run, its header naming another version (written by the log writer: its checksums hold).
    const source = await Effect.runPromise(loadScenario(fixture("small.yaml")).pipe(Effect.provide(NodeContext.layer)))
    const model = compileModel(source.central, 2)
    const older = path.join(dir, "older.ndjson")
    const header = makeHeader(source.central.name, source.raw, 7, 0, 2, "0.0.9")
    await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          yield* runModel(model)
          const staged = yield* Effect.flatMap(EventLog, (l) => l.finish)
          if (staged !== null) fs.renameSync(staged.partial, staged.target)
        }).pipe(Effect.provide(Layer.merge(RandomStreams.seeded(7), ndjsonEventLog(older, header, model.names))))
      ).pipe(Effect.provide(NodeContext.layer))
    )
    const same = path.join(dir, "same.ndjson")
    expect(
      (
        await cli([
          "run",
          fixture("small.yaml"),
          "--seed",
          "7",
          "--years",
          "2",
          "--out",
          path.join(dir, "s"),
          "--events",
          same
        ])
      ).code
    ).toBe(0)
    const a = await cli(["replay", older, "--out", path.join(dir, "older")])
    const b = await cli(["replay", same, "--out", path.join(dir, "same")])
    expect(a.code, a.stderr).toBe(0)
    expect(a.stderr).toBe(
      `caseflow: note: ${older} was written by caseflow 0.0.9; these figures are caseflow ${VERSION}'s, folded ` +
        "from its events, and may differ from what that version printed\n"
    )
    expect(b.stderr).toBe("")
    expect(a.stdout).toBe(b.stdout.replaceAll(path.join(dir, "same"), path.join(dir, "older")))
  })

  it("gives a byte-identical log and results for the same seed, and a different log for another seed", async () => {
    const runOnce = async (seed: string, name: string) => {
      const out = path.join(dir, name)
      const log = path.join(dir, `${name}.ndjson`)
      const r = await cli(["run", fixture("small.yaml"), "--seed", seed, "--years", "1", "--out", out, "--events", log])
      expect(r.code, r.stderr).toBe(0)
      return { log: fs.readFileSync(log, "utf8"), costs: fs.readFileSync(path.join(out, "costs.csv"), "utf8") }
    }
    const a = await runOnce("3", "a")
    const b = await runOnce("3", "b")
    const c = await runOnce("4", "c")
    expect(b.log).toBe(a.log)
    expect(b.costs).toBe(a.costs)
    expect(c.log).not.toBe(a.log)
  })

  it("runs and replays a seed beyond 32 bits, from the scenario file or --seed", async () => {
    // Every whole number JavaScript holds exactly is a seed (src/random/Streams.ts), in the scenario, the
    // flag and the event log's header alike: a log the run writes is one replay reads.
    const big = 2 ** 40
    expect(small).not.toMatch(/^seed:/m)
    const scenario = write("big-seed.yaml", `${small}\nseed: ${big}\n`)
    for (const [name, args] of [
      ["big-file", [scenario]],
      ["big-flag", [fixture("small.yaml"), "--seed", String(Number.MAX_SAFE_INTEGER)]]
    ] as const) {
      const out = path.join(dir, name)
      const log = path.join(dir, `${name}.ndjson`)
      const r = await cli(["run", ...args, "--years", "1", "--out", out, "--events", log])
      expect(r.code, r.stderr).toBe(0)
      const header = JSON.parse(fs.readFileSync(log, "utf8").split("\n")[0]) as { seed: number }
      expect(header.seed).toBe(name === "big-file" ? big : Number.MAX_SAFE_INTEGER)
      const replayed = path.join(dir, `${name}-replay`)
      const rr = await cli(["replay", log, "--out", replayed])
      expect(rr.code, rr.stderr).toBe(0)
      for (const f of RESULTS)
        expect(fs.readFileSync(path.join(replayed, f), "utf8")).toBe(fs.readFileSync(path.join(out, f), "utf8"))
    }
  })

  it("validate accepts a good scenario", async () => {
    const r = await cli(["validate", fixture("small.yaml")])
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(
      `${fixture("small.yaml")}: valid. "Small test authority": 10,000 children, 645 open cases at 2025-04-01, ` +
        "3 years, 16 cost lines.\n  (checked every field's type and range, and the checks across fields)\n"
    )
  })

  it("prints the version, and help that shows each flag's type", async () => {
    expect(await cli(["--version"])).toEqual({ code: 0, stdout: "0.1.0\n", stderr: "" })
    const help = await cli(["montecarlo", "--help"])
    expect(help.code).toBe(0)
    expect(help.stdout).not.toContain("\u001b[") // no colour when not a terminal
    for (const usage of [
      "[--runs integer]",
      "[--workers auto|--workers integer]",
      "[--seed integer]",
      "[--budget YEAR[:LINE]=AMOUNT...]",
      "[--tolerance SHARE]",
      "[--out directory]",
      "[--shard I/N]",
      "<scenario>"
    ])
      expect(help.stdout).toContain(usage)
    expect(help.stdout).toContain("This option may be repeated zero or more times.")
    expect((await cli(["run", "--help"])).stdout).toContain("[--events file]")
    // The returns' UASC files are optional, their episodes and header files not.
    expect((await cli(["calibrate", "--help"])).stdout).toContain(
      "--episodes file... --header file... [--uasc file...]"
    )
  })
})

describe("bad input", () => {
  it("names the file, the field's path, what was expected and what was found", async () => {
    const file = write("negative.yaml", small.replace("ratePer10k: 500", "ratePer10k: -5"))
    const out = path.join(dir, "neg-out")
    const r = await cli(["run", file, "--out", out])
    expectBadInput(r, file, "referrals.ratePer10k", "expected a number >= 0", "found -5")
    expect(fs.existsSync(out)).toBe(false)
  })

  it("refuses a run too large to finish, with its estimate, before simulating anything", async () => {
    const file = write(
      "huge.yaml",
      small.replace("children: 10000", "children: 90000000").replace("ratePer10k: 500", "ratePer10k: 5000")
    )
    const out = path.join(dir, "huge-out")
    for (const command of ["run", "validate", "montecarlo"]) {
      const r = await cli([command, file, ...(command === "validate" ? [] : ["--out", out])])
      expectBadInput(r, file, "would know about", "children")
    }
    expect(fs.existsSync(out)).toBe(false)
  })

  it("warns of dated values outside the run, for the run's own length, and goes ahead", async () => {
    const v = await cli(["validate", fixture("small.yaml")])
    expect(v.stderr).toBe("")
    const r = await cli(["run", fixture("small.yaml"), "--years", "1", "--out", path.join(dir, "warn-out")])
    expect(r.code).toBe(0)
    expect(r.stderr).toContain("1 warning in the scenario")
    expect(r.stderr).toContain("referrals.changes[0].from (line 12): 2026-04-01 is after the run ends")
  })

  it("rejects a misspelt field instead of ignoring it", async () => {
    const file = write("typo.yaml", small.replace("ratePer10k: 500", "ratePer10K: 500"))
    expectBadInput(await cli(["validate", file]), "referrals.ratePer10K", "unknown field")
  })

  it("checks that outcome probabilities add up to 1", async () => {
    const file = write(
      "sum.yaml",
      small.replace("{ to: early_help, probability: 0.25 }", "{ to: early_help, probability: 0.35 }")
    )
    expectBadInput(await cli(["validate", file]), "referrals.frontDoor", "add up to 1, found 1.1")
  })

  it("rejects a move the level graph does not allow", async () => {
    const file = write(
      "move.yaml",
      small.replace(
        "- { to: child_in_need, probability: 0.15 }\n  intensive",
        "- { to: care_leaver, probability: 0.15 }\n  intensive"
      )
    )
    expectBadInput(await cli(["validate", file]), "levels.early_help.outcomes[1].to", "found care_leaver")
  })

  it("reports YAML syntax errors with a line number", async () => {
    const file = write("syntax.yaml", "name: x\nstart: [2025-04-01\n")
    expectBadInput(await cli(["validate", file]), file, "not valid YAML", "line")
  })

  it("reads JSON scenarios too, and reports their errors", async () => {
    const file = write("bad.json", '{"name": "x", "start": "2025-04-01", "years": "five"}')
    expectBadInput(await cli(["validate", file]), "years", "expected number", 'found "five"')
  })

  it("reports a missing scenario file, a folder and a device without reading them", async () => {
    expectBadInput(await cli(["run", path.join(dir, "nope.yaml")]), "nope.yaml", "no such file")
    expectBadInput(await cli(["validate", dir]), `${dir}: expected a regular file, found a folder`)
    expectBadInput(await cli(["validate", "/dev/zero"]), "/dev/zero: expected a regular file, found a device")
    const fifo = path.join(dir, "fifo")
    execFileSync("mkfifo", [fifo])
    expectBadInput(await cli(["run", fifo]), `${fifo}: expected a regular file, found a named pipe (FIFO)`)
    expectBadInput(
      await cli(["run", fixture("small.yaml"), "--out", fifo]),
      `--out ${fifo}: expected a folder, found a named pipe (FIFO)`
    )
    expectBadInput(
      await cli(["run", fixture("small.yaml"), "--events", dir]),
      `--events ${dir}: expected a regular file, found a folder`
    )
  })

  it("rejects a corrupt event log with its line number, writing nothing", async () => {
    const log = path.join(dir, "good.ndjson")
    const made = await cli([
      "run",
      fixture("small.yaml"),
      "--years",
      "1",
      "--out",
      path.join(dir, "g"),
      "--events",
      log
    ])
    expect(made.code).toBe(0)
    const lines = fs.readFileSync(log, "utf8").split("\n")
    const out = path.join(dir, "corrupt-out")

    const badEvent = write(
      "bad-event.ndjson",
      [...lines.slice(0, 5), '{"_tag":"ChildReferred","time":"soon","child":1}', ...lines.slice(5)].join("\n")
    )
    expectBadInput(await cli(["replay", badEvent, "--out", out]), `${badEvent}:6`, "time")

    const notJson = write("not-json.ndjson", [...lines.slice(0, 3), "{oops", ...lines.slice(3)].join("\n"))
    expectBadInput(await cli(["replay", notJson, "--out", out]), `${notJson}:4`, "not JSON")

    const swapped = [...lines]
    const last = lines.filter((l) => l.length > 0).length - 1
    ;[swapped[2], swapped[last]] = [swapped[last], swapped[2]]
    const disordered = write("disordered.ndjson", swapped.join("\n"))
    expectBadInput(await cli(["replay", disordered, "--out", out]), `${disordered}:3`, "the trailer says line")

    const edited = write(
      "edited.ndjson",
      [lines[0].replace('"ratePer10k":500', '"ratePer10k":900'), ...lines.slice(1)].join("\n")
    )
    expectBadInput(await cli(["replay", edited, "--out", out]), `${edited}:1`, "does not match its checksum")

    expectBadInput(await cli(["replay", path.join(dir, "missing.ndjson"), "--out", out]), "no such file")
    expect(fs.existsSync(out)).toBe(false)
  })
})

describe("bad flags: exit 2, the flag named, what was expected and what was found, nothing written", () => {
  const out = () => path.join(dir, "flag-out")
  const scenario = fixture("small.yaml")
  const cases: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
    [["run", scenario, "--years", "0"], '--years: expected a whole number from 1 to 50, found "0"'],
    [["run", scenario, "--years", "abc"], '--years: expected a whole number from 1 to 50, found "abc"'],
    [["run", scenario, "--years=2.5"], '--years: expected a whole number from 1 to 50, found "2.5"'],
    [
      ["run", scenario, "--seed", "1e16"],
      '--seed: expected a whole number from -9,007,199,254,740,991 to 9,007,199,254,740,991, found "1e16"'
    ],
    // Written in decimal: @effect/cli's parser would read 0x10 as 16 and 1e1 as 10.
    [
      ["run", scenario, "--seed", "0x10"],
      '--seed: expected a whole number from -9,007,199,254,740,991 to 9,007,199,254,740,991, found "0x10"'
    ],
    [["run", scenario, "--years=1e1"], '--years: expected a whole number from 1 to 50, found "1e1"'],
    [["montecarlo", scenario, "--runs", "0"], '--runs: expected a whole number from 1 to 10,000,000, found "0"'],
    [["compare", scenario, scenario, "--runs", "-3"], '--runs: expected a whole number from 1 to 100,000, found "-3"'],
    [
      ["montecarlo", scenario, "--workers", "many"],
      '--workers: expected auto or a whole number of worker threads (0: in this thread), found "many"'
    ],
    [
      ["montecarlo", scenario, "--tolerance", "5"],
      '--tolerance: expected a share as a percentage (such as 5%) or a fraction below 1 (such as 0.05), found "5": ' +
        "write 5% if that is what you mean"
    ],
    [["montecarlo", scenario, "--tolerance", "1"], 'found "1": write 1% or 100% if that is what you mean'],
    [["montecarlo", scenario, "--tolerance", "five"], "--tolerance: expected a share as a percentage"],
    [["montecarlo", scenario, "--tolerance", "150%"], '--tolerance: expected a share of at most 100%, found "150%"'],
    [["montecarlo", scenario, "--precision", "0%"], "--precision: expected a share of at least 0.01% (a narrower"],
    [["montecarlo", scenario, "--precision", "0.00001"], 'than any Monte Carlo makes), found "0.00001"'],
    [["compare", scenario, scenario, "--optimism-bias", "10"], "--optimism-bias: expected a share as a percentage"],
    [["compare", scenario, scenario, "--deadweight", "-0.1"], "--deadweight: expected a share as a percentage"],
    [["montecarlo", scenario, "--shard", "2/2"], "--shard: expected i/n with 0 <= i < n <= 100,000"],
    [["montecarlo", scenario, "--shard", "0/100000000"], 'found "0/100000000"'],
    [
      ["montecarlo", scenario, "--budget", "2025/26"],
      '--budget: expected YEAR=AMOUNT or "YEAR:BUDGET LINE=AMOUNT", e.g. 2025/26=80.081m'
    ],
    [
      ["montecarlo", scenario, "--budget", "2025/26:Nope=1m"],
      '--budget "2025/26:Nope=1m": expected one of the budget lines (Early help; CP and CIN; LAC placements; ' +
        'Care leavers; Management), found "Nope"'
    ],
    [["montecarlo", scenario, "--budget", "2031/32=1m"], "2031/32 is not a financial year of this run"],
    // @effect/cli drops an empty or missing value of a repeatable flag: it must not run without the budget.
    [["montecarlo", scenario, "--budget", ""], '2025/26=80.081m or "2025/26:Early Help=4.7m", found ""'],
    [["montecarlo", scenario, "--budget"], '--budget: expected a value, found the flag "--out"'],
    [["run", scenario, "--yeras", "2"], 'unknown flag "--yeras" (did you mean --years?)'],
    [["run", scenario, "--bogus"], 'unknown flag "--bogus" (caseflow run --help lists its arguments and flags)'],
    [
      ["run", scenario, "--years", "2", "--years", "3"],
      "--years: given more than once; give it once (caseflow run --help"
    ],
    [["run"], "Missing argument <scenario> (caseflow run --help lists its arguments and flags)"],
    [["runn", scenario], "Invalid subcommand for caseflow - use one of 'run', 'validate'"]
  ]
  it.each(cases)("%j", async (args, message) => {
    const r = await cli([...args, "--out", out()])
    expectBadInput(r, message)
    expect(r.stderr.startsWith("caseflow: ")).toBe(true)
    expect(r.stderr.split("\n").length).toBe(2) // one line
    expect(fs.existsSync(out())).toBe(false)
  })

  it("refuses a flag given no value at the end of the command line", async () => {
    for (const flag of ["--years", "--budget", "--SEED"]) {
      const r = await cli(["montecarlo", scenario, "--out", out(), flag])
      expectBadInput(r, `${flag.toLowerCase()}: expected a value, found none`)
      expect(r.stderr.split("\n").length).toBe(2)
    }
    expect(fs.existsSync(out())).toBe(false)
  })

  it("quotes at most a short, escaped excerpt of a hostile value", async () => {
    const hostile = `\u001b[31m${"x".repeat(100_000)}`
    for (const args of [
      ["run", fixture("small.yaml"), "--years", hostile],
      ["montecarlo", fixture("small.yaml"), "--tolerance", hostile],
      ["montecarlo", fixture("small.yaml"), "--budget", hostile],
      ["run", fixture("small.yaml"), `--${hostile}`]
    ]) {
      const r = await cli([...args, "--out", out()])
      expect(r.code).toBe(2)
      expect(r.stderr).not.toContain("\u001b")
      expect(r.stderr).toContain("(100,00")
      expect(r.stderr.length).toBeLessThan(400)
    }
    expect((await cli(["run", fixture("small.yaml"), "--years", hostile])).stderr).toContain("\\u001b[31m")
  })

  it("accepts 5% and 0.05 alike", async () => {
    const run = (tolerance: string) =>
      cli([
        "montecarlo",
        fixture("small.yaml"),
        "--runs",
        "1",
        "--years",
        "1",
        "--workers",
        "0",
        "--tolerance",
        tolerance,
        "--out",
        path.join(dir, `tol-${tolerance}`)
      ])
    const [a, b] = [await run("5%"), await run("0.05")]
    expect([a.code, b.code]).toEqual([0, 0])
    expect(a.stdout).toContain("tolerance 5%")
    expect(a.stdout.replaceAll("tol-5%", "tol-0.05")).toBe(b.stdout)
  })
})

describe("outputs that are inputs are refused, naming both", () => {
  it("an event log over the scenario", async () => {
    const scenario = write("own/s.yaml", small)
    const r = await cli(["run", scenario, "--events", scenario, "--out", path.join(dir, "own/out")])
    expectBadInput(r, `--events: ${scenario} would overwrite the scenario, ${scenario}`)
    expect(fs.readFileSync(scenario, "utf8")).toBe(small)
    expect(fs.existsSync(path.join(dir, "own/out"))).toBe(false)
  })

  it("a result file over a base the scenario extends, by another path or a hard link", async () => {
    const base = write("ext/base/costs.csv", small)
    const overlay = write("ext/overlay.yaml", "extends: base/costs.csv\nname: Overlay\n")
    const r = await cli(["run", overlay, "--out", path.join(dir, "ext/base/../base")])
    expectBadInput(r, `would overwrite a base scenario the scenario extends, ${base}`)
    const linked = path.join(dir, "ext/linked")
    fs.mkdirSync(linked)
    fs.linkSync(base, path.join(linked, "stocks.csv"))
    const l = await cli(["run", overlay, "--out", linked])
    expectBadInput(l, `--out: ${path.join(linked, "stocks.csv")} would overwrite a base scenario`)
    expect(fs.readFileSync(base, "utf8")).toBe(small)
  })

  it("the event log being replayed, and a shard being merged", async () => {
    const out = path.join(dir, "inputs")
    fs.mkdirSync(out, { recursive: true })
    const log = path.join(out, "costs.csv")
    expect((await cli(["run", fixture("small.yaml"), "--years", "1", "--events", log, "--out", dir + "/x"])).code).toBe(
      0
    )
    expectBadInput(await cli(["replay", log, "--out", out]), `would overwrite the event log being replayed, ${log}`)
    const shard = write("inputs/montecarlo_spend.csv", "{}")
    expectBadInput(await cli(["merge", shard, "--out", out]), `would overwrite a shard file being merged, ${shard}`)
  })

  it("an input named like an earlier SSDA903 return in the --ssda903 folder, which the run would remove", async () => {
    const returns = path.join(dir, "returns-in")
    fs.mkdirSync(returns, { recursive: true })
    const scenario = path.join(returns, "episodes_2019-20.csv")
    fs.copyFileSync(fixture("small.yaml"), scenario)
    const r = await cli(["run", scenario, "--years", "1", "--out", path.join(dir, "r-out"), "--ssda903", returns])
    expectBadInput(r, `--ssda903: ${scenario} would overwrite the scenario, ${scenario}`)
    expect(fs.existsSync(scenario)).toBe(true)
    const log = path.join(returns, "uasc_2019-20.csv")
    expect((await cli(["run", fixture("small.yaml"), "--years", "1", "--events", log, "--out", dir + "/y"])).code).toBe(
      0
    )
    const replayed = await cli(["replay", log, "--out", path.join(dir, "r-out2"), "--ssda903", returns])
    expectBadInput(replayed, `would overwrite the event log being replayed, ${log}`)
    expect(fs.existsSync(log)).toBe(true)
  })

  it("an event log that is also one of the result files", async () => {
    const out = path.join(dir, "same-out")
    const r = await cli(["run", fixture("small.yaml"), "--events", path.join(out, "costs.csv"), "--out", out])
    expectBadInput(r, `--events ${path.join(out, "costs.csv")}: the same file as one of the --out files`)
  })

  it("an output folder that is a file, or under one", async () => {
    const file = write("a-file", "x")
    expectBadInput(await cli(["run", fixture("small.yaml"), "--out", file]), `--out ${file}: expected a folder`)
    expectBadInput(
      await cli(["run", fixture("small.yaml"), "--out", path.join(file, "sub")]),
      `--out ${path.join(file, "sub")}: ${file} is a file, not a folder`
    )
  })
})

describe("output folders hold exactly what the command produced", () => {
  it("montecarlo into a reused folder removes its own earlier files it did not produce, and nothing else", async () => {
    const out = path.join(dir, "reused")
    const mc = (scenario: string) =>
      cli(["montecarlo", scenario, "--runs", "3", "--years", "1", "--workers", "0", "--out", out])
    expect((await mc(fixture("small-uncertain.yaml"))).code).toBe(0)
    const all = ["montecarlo_draws.csv", "montecarlo_sensitivity.csv", "montecarlo_spend.csv", "montecarlo_stocks.csv"]
    expect(filesUnder(out)).toEqual(all)
    write("reused/notes.txt", "mine")
    write("reused/montecarlo_shard_0_of_2.json", "{}")
    const r = await mc(fixture("small.yaml")) // no uncertain parameters: no draws, no sensitivity
    expect(r.code, r.stderr).toBe(0)
    expect(filesUnder(out)).toEqual([
      "montecarlo_shard_0_of_2.json",
      "montecarlo_spend.csv",
      "montecarlo_stocks.csv",
      "notes.txt"
    ])
    expect(fs.readFileSync(path.join(out, "notes.txt"), "utf8")).toBe("mine")
  })
})

describe("a failed write: exit 1, the file named, everything as it was", () => {
  it("leaves the old results and no event log when a result cannot be written", async () => {
    const out = path.join(dir, "blocked")
    const log = path.join(dir, "blocked.ndjson")
    expect((await cli(["run", fixture("small.yaml"), "--years", "1", "--seed", "1", "--out", out])).code).toBe(0)
    const before = Object.fromEntries(RESULTS.map((f) => [f, fs.readFileSync(path.join(out, f), "utf8")]))
    // A folder where a result goes: the simulation runs, then the commit must fail before moving anything.
    fs.rmSync(path.join(out, "services.csv"))
    fs.mkdirSync(path.join(out, "services.csv"))
    const r = await cli(["run", fixture("small.yaml"), "--years", "1", "--seed", "2", "--out", out, "--events", log])
    expect(r.code).toBe(1)
    // (After the warning that a one-year run does not reach the scenario's referral change.)
    expect(
      r.stderr.endsWith(
        `caseflow: ${path.join(out, "services.csv")}: cannot write it: something other than a file is in the way; ` +
          "no results written\n"
      )
    ).toBe(true)
    expect(r.stdout).toBe("")
    expect(filesUnder(out)).toEqual(RESULTS.filter((f) => f !== "services.csv"))
    for (const f of RESULTS.filter((f) => f !== "services.csv"))
      expect(fs.readFileSync(path.join(out, f), "utf8")).toBe(before[f])
    expect(fs.readdirSync(out).filter((f) => f.startsWith("."))).toEqual([])
    expect(fs.existsSync(log)).toBe(false)
    expect(fs.existsSync(`${log}.partial`)).toBe(false)
  })

  it("refuses an output folder that cannot be created, at once (under /proc)", async () => {
    const started = performance.now()
    const r = await cli(["run", fixture("small.yaml"), "--out", "/proc/caseflow-x"])
    expect(r.code).toBe(1)
    expect(r.stderr).toBe(
      "caseflow: /proc/caseflow-x: cannot create the folder: no such file or folder; no results written\n"
    )
    // A hang guard, not a timing (it once hung, waiting on /proc).
    expect(performance.now() - started).toBeLessThan(30_000)
  })
})

describe("stopping", () => {
  it("a signal stops montecarlo with 130 / 143 and writes nothing", async () => {
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      const out = path.join(dir, `stopped-${signal}`)
      const io = capturedIo()
      const running = cli(["montecarlo", fixture("small.yaml"), "--runs", "100000", "--workers", "0", "--out", out], {
        io
      })
      await new Promise((resolve) => setTimeout(resolve, 300))
      io.signal(signal)
      const r = await running
      expect(r.code).toBe(signal === "SIGINT" ? 130 : 143)
      expect(r.stderr).toContain(`caseflow: interrupted (${signal}); no results written`)
      expect(fs.existsSync(out)).toBe(false)
    }
  })

  it("a signal stops run, removing the event log it was writing", async () => {
    const out = path.join(dir, "stopped-run")
    const log = path.join(dir, "stopped-run.ndjson")
    const io = capturedIo()
    const england = path.resolve(import.meta.dirname, "../../scenarios/england.yaml")
    const running = cli(["run", england, "--out", out, "--events", log], { io })
    // Stopped once the log is being written (the run takes several seconds).
    while (!fs.existsSync(`${log}.partial`)) await new Promise((resolve) => setTimeout(resolve, 20))
    await new Promise((resolve) => setTimeout(resolve, 200))
    io.signal("SIGINT")
    const r = await running
    expect(r.code).toBe(130)
    expect(fs.existsSync(out)).toBe(false)
    expect(fs.existsSync(log)).toBe(false)
    expect(fs.existsSync(`${log}.partial`)).toBe(false)
  })
})

describe("--workers", () => {
  it("is capped at the machine's cores", async () => {
    const r = await cli(
      [
        "montecarlo",
        fixture("small.yaml"),
        "--runs",
        "2",
        "--years",
        "1",
        "--workers",
        "99",
        "--out",
        path.join(dir, "w")
      ],
      { cores: 1 }
    )
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toContain("--workers 99: this machine has 1 core, so 1 worker thread\n")
    expect(r.stderr).toMatch(/2 replications in [\d.]+ s \([\d.]+ a second\) on 1 worker thread\n$/)
  })
})
