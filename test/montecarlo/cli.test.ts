// `caseflow montecarlo` and `caseflow merge` as a user runs them (in this process): CSVs and a table;
// shards merged into byte-identical results; bad flags end with exit code 2, a message naming the flag and
// no output.
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { cli, filesUnder, fixture } from "../support/cli.js"

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
    const r = await cli(["montecarlo", ...common, "--out", whole])
    const made = [
      await cli(["montecarlo", ...common, "--shard", "0/2", "--out", shards]),
      await cli(["montecarlo", ...common, "--shard", "1/2", "--out", shards])
    ]
    expect([r.code, ...made.map((x) => x.code)]).toEqual([0, 0, 0])
    expect(r.stdout).toContain("Total spend by financial year; tolerance 5%")
    expect(r.stdout).toContain("What drives total spend over all years")
    expect(made[1].stdout).toBe(
      "Small test authority (uncertain): shard 1/2, replications 2-4 of 5 (seed 3)\n" +
        `Shard result: ${path.join(shards, "montecarlo_shard_1_of_2.json")}  (combine all 2 with caseflow merge)\n`
    )
    // Each shard wrote its own file only; the second did not remove the first's.
    expect(filesUnder(shards)).toEqual(["montecarlo_shard_0_of_2.json", "montecarlo_shard_1_of_2.json"])
    const spend = fs.readFileSync(path.join(whole, "montecarlo_spend.csv"), "utf8")
    // The budget from the scenario (2025/26, all lines) and from --budget (2026/27 total).
    expect(spend).toMatch(/^2025\/26,false,Total,5,8720000\.00,/m)
    expect(spend).toMatch(/^2026\/27,false,Total,5,8500000\.00,/m)

    const merged = path.join(dir, "merged")
    const m = await cli([
      "merge",
      path.join(shards, "montecarlo_shard_1_of_2.json"),
      path.join(shards, "montecarlo_shard_0_of_2.json"),
      "--out",
      merged
    ])
    expect(m.code, m.stderr).toBe(0)
    for (const f of FILES)
      expect(fs.readFileSync(path.join(merged, f), "utf8")).toBe(fs.readFileSync(path.join(whole, f), "utf8"))
    expect(table(m.stdout)).toBe(table(r.stdout))
  })

  it("refuses a damaged or missing shard with exit code 2 and writes nothing", async () => {
    const out = path.join(dir, "merge-bad")
    const notShard = path.join(dir, "not-a-shard.json")
    fs.writeFileSync(notShard, '{"format":"something else"}')
    const r = await cli(["merge", notShard, "--out", out])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`caseflow: ${notShard}: not a shard file: expected format caseflow-montecarlo-shard/2`)
    const missing = await cli(["merge", path.join(dir, "nope.json"), "--out", out])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain("no such file")
    const flag = await cli(["merge", "--outt", out, notShard])
    expect(flag.stderr).toBe('caseflow: unknown flag "--outt" (caseflow merge --help lists its arguments and flags)\n')
    expect(fs.existsSync(out)).toBe(false)
  })

  it("refuses shards run with other --budget flags, saying where they differ once, and writes nothing", async () => {
    const a = path.join(dir, "budget-a")
    const b = path.join(dir, "budget-b")
    const shard = (i: number, budget: string, out: string) =>
      cli([
        "montecarlo",
        fixture("small-uncertain.yaml"),
        ...["--runs", "4", "--years", "1", "--workers", "0", "--budget", budget, "--shard", `${i}/2`, "--out", out]
      ])
    expect((await shard(0, "2025/26=8.5m", a)).code).toBe(0)
    expect((await shard(1, "2025/26=9m", b)).code).toBe(0)
    const first = path.join(a, "montecarlo_shard_0_of_2.json")
    const second = path.join(b, "montecarlo_shard_1_of_2.json")
    const out = path.join(dir, "budget-merged")
    const r = await cli(["merge", first, second, "--out", out])
    expect(r.code).toBe(2)
    expect(r.stderr).toBe(
      `caseflow: ${second}: not a shard of the same run as ${first}: plan.budgets[5], the 2025/26 total budget, ` +
        "is £9,000,000.00 here and £8,500,000.00 there (give every shard the same --budget flags)\n"
    )
    expect(fs.existsSync(out)).toBe(false)
  })

  it("refuses bad flags with exit code 2, naming the flag, and writes nothing", async () => {
    const out = path.join(dir, "bad")
    const cases: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
      [["--runs", "0"], '--runs: expected a whole number from 1 to 10,000,000, found "0"'],
      [
        ["--budget", "2025/26:Nope=1m"],
        '--budget "2025/26:Nope=1m": expected one of the budget lines (Early help; CP and CIN; LAC placements; ' +
          'Care leavers; Management), found "Nope"'
      ],
      [["--shard", "2/2"], "--shard: expected i/n with 0 <= i < n"],
      [["--tolerance", "five"], "--tolerance: expected a share as a percentage (such as 5%) or a fraction below 1"],
      [["--tolerance", "5"], 'found "5": write 5% if that is what you mean'],
      [["--workers", "many"], "--workers: expected auto or a whole number"]
    ]
    for (const [flags, message] of cases) {
      const r = await cli(["montecarlo", fixture("small-uncertain.yaml"), "--out", out, ...flags])
      expect(r.code, r.stderr).toBe(2)
      expect(r.stderr).toContain(message)
      expect(r.stderr).not.toMatch(/at .*\.ts:\d+/)
    }
    expect(fs.existsSync(out)).toBe(false)
  })
})
