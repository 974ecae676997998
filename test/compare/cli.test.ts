// `caseflow compare` as a user runs it: a table and three CSVs; bad flags and scenarios that cannot be
// paired end with exit code 2, a message naming the flag or both files, and no output.
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { spawn } from "node:child_process"
import { afterAll, describe, expect, it } from "vitest"
import { type CliResult, fixture } from "../support/cli.js"

const root = path.resolve(import.meta.dirname, "../..")

/** The CLI in a child process, asynchronously, so the cases run side by side. */
const caseflowAsync = (...args: ReadonlyArray<string>): Promise<CliResult> =>
  new Promise((resolve) => {
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

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "caseflow-compare-cli-"))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const small = fixture("small.yaml")
const costsOnly = path.join(import.meta.dirname, "fixtures/small-costs-only.yaml")
const small2024 = path.join(import.meta.dirname, "fixtures/small-2024.yaml")

describe("caseflow compare (CLI)", () => {
  it("prints the comparison and writes the CSVs; refuses bad flags and unpaired scenarios with exit code 2", async () => {
    const good = path.join(dir, "good")
    const bad = path.join(dir, "bad")
    const [ok, ...failures] = await Promise.all([
      caseflowAsync(
        "compare",
        small,
        costsOnly,
        "--runs",
        "3",
        "--years",
        "2",
        "--workers",
        "0",
        "--deadweight",
        "5%",
        "--out",
        good
      ),
      caseflowAsync("compare", small, costsOnly, "--optimism-bias", "150%", "--out", bad),
      caseflowAsync("compare", small, small2024, "--runs", "2", "--out", bad),
      caseflowAsync("compare", small, path.join(root, "scenarios/default.yaml"), "--runs", "2", "--out", bad)
    ])
    expect(ok.code, ok.stderr).toBe(0)
    expect(ok.stdout).toContain("3 paired replications, seed 1; 2025-04-01 to 2027-03-31")
    expect(ok.stdout).toContain(
      "Benefits are adjusted for optimism bias 10% (the largest of the variant's interventions) and deadweight 5%\n  (--deadweight)"
    )
    expect(ok.stdout).toContain("Net present value at 3.5%: -£404k")
    expect(fs.readdirSync(good).sort()).toEqual(["compare_cba.csv", "compare_spend.csv", "compare_stocks.csv"])
    expect(fs.readFileSync(path.join(good, "compare_cba.csv"), "utf8")).toContain(
      "\ndeadweight,all years,,,0.0500,,,,3\n"
    )

    const messages = [
      '--optimism-bias: expected a share from 0 to 1, such as 0.1 or 10%, found "150%"',
      `the baseline ${small} starts on 2025-04-01 but the variant ${small2024} starts on 2024-04-01`,
      `the baseline ${small} runs 3 years but the variant ${path.join(root, "scenarios/default.yaml")} runs 5: give --years`
    ]
    failures.forEach((r, i) => {
      expect(r.code, r.stderr).toBe(2)
      expect(r.stderr).toContain(messages[i])
      expect(r.stderr).not.toMatch(/at .*\.ts:\d+/)
    })
    expect(fs.existsSync(bad)).toBe(false)
  })
})
