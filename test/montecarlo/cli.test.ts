// `caseflow montecarlo` and `caseflow merge` as a user runs them: CSVs and a table; shards merged into
// byte-identical results; bad flags end with exit code 2, a message naming the flag and no output.
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { spawn } from "node:child_process"
import { afterAll, describe, expect, it } from "vitest"
import { caseflow, type CliResult, fixture } from "../support/cli.js"

/** The CLI in a child process, asynchronously, so independent cases run side by side. */
const caseflowAsync = (...args: ReadonlyArray<string>): Promise<CliResult> =>
  new Promise((resolve) => {
    const root = path.resolve(import.meta.dirname, "../..")
    const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "src/cli/main.ts"), ...args], {
      cwd: root,
      env: { ...process.env, NO_COLOR: "1" }
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()))
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()))
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }))
  })

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "caseflow-mc-cli-"))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const FILES = ["montecarlo_spend.csv", "montecarlo_stocks.csv", "montecarlo_sensitivity.csv", "montecarlo_draws.csv"]
const common = [
  fixture("small-uncertain.yaml"),
  "--runs",
  "5",
  "--years",
  "2",
  "--seed",
  "3",
  "--workers",
  "0",
  "--budget",
  "2026/27=8.5m"
]
/** stdout without the last line, which names the output folder. */
const table = (stdout: string) => stdout.slice(0, stdout.indexOf("\nResults: "))

describe("caseflow montecarlo and merge", () => {
  it("writes the CSVs and a table, and merged shards give byte-identical results", async () => {
    const whole = path.join(dir, "whole")
    const shards = path.join(dir, "shards")
    // The whole run and its two shards, side by side.
    const [r, ...made] = await Promise.all([
      caseflowAsync("montecarlo", ...common, "--out", whole),
      ...["0/2", "1/2"].map((s) => caseflowAsync("montecarlo", ...common, "--shard", s, "--out", shards))
    ])
    expect([r.code, ...made.map((x) => x.code)]).toEqual([0, 0, 0])
    expect(r.stdout).toContain("Total spend by financial year; tolerance 5%")
    expect(r.stdout).toContain("What drives total spend over all years")
    const spend = fs.readFileSync(path.join(whole, "montecarlo_spend.csv"), "utf8")
    // The budget from the scenario (2025/26, all lines) and from --budget (2026/27 total).
    expect(spend).toMatch(/^2025\/26,false,Total,5,8720000\.00,/m)
    expect(spend).toMatch(/^2026\/27,false,Total,5,8500000\.00,/m)

    const merged = path.join(dir, "merged")
    const m = caseflow(
      "merge",
      path.join(shards, "montecarlo_shard_1_of_2.json"),
      path.join(shards, "montecarlo_shard_0_of_2.json"),
      "--out",
      merged
    )
    expect(m.code).toBe(0)
    for (const f of FILES)
      expect(fs.readFileSync(path.join(merged, f), "utf8")).toBe(fs.readFileSync(path.join(whole, f), "utf8"))
    expect(table(m.stdout)).toBe(table(r.stdout))
  })

  it("refuses bad flags with exit code 2, naming the flag, and writes nothing", async () => {
    const out = path.join(dir, "bad")
    const cases: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
      [["--runs", "0"], '--runs: expected a whole number from 1 to 10000000, found "0"'],
      [
        ["--budget", "2025/26:Nope=1m"],
        '--budget "2025/26:Nope=1m": expected one of the budget lines (Early help; CP and CIN; LAC placements; Care leavers; Management), found "Nope"'
      ],
      [["--shard", "2/2"], "--shard: expected i/n with 0 <= i < n"],
      [["--tolerance", "five"], '--tolerance: expected a tolerance such as 0.05 or 5%, found "five"'],
      [["--workers", "many"], "--workers: expected auto or a whole number"]
    ]
    const results = await Promise.all(
      cases.map(([flags]) => caseflowAsync("montecarlo", fixture("small-uncertain.yaml"), "--out", out, ...flags))
    )
    for (const [i, [, message]] of cases.entries()) {
      const r = results[i]
      expect(r.code).toBe(2)
      expect(r.stderr).toContain(message)
      expect(r.stderr).not.toMatch(/at .*\.ts:\d+/)
    }
    expect(fs.existsSync(out)).toBe(false)
  })
})
