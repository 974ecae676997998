// `caseflow compare` as a user runs it (in this process): a table and three CSVs; bad flags and scenarios
// that cannot be paired end with exit code 2, a message naming the flag or both files, and no output.
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { cli, filesUnder, fixture } from "../support/cli.js"

const root = path.resolve(import.meta.dirname, "../..")

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "caseflow-compare-cli-"))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const small = fixture("small.yaml")
const costsOnly = path.join(import.meta.dirname, "fixtures/small-costs-only.yaml")
const small2024 = path.join(import.meta.dirname, "fixtures/small-2024.yaml")

describe("caseflow compare (CLI)", () => {
  it("prints the comparison and writes the CSVs", async () => {
    const good = path.join(dir, "good")
    const ok = await cli([
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
    ])
    expect(ok.code, ok.stderr).toBe(0)
    expect(ok.stdout).toContain("3 paired replications, seed 1; 2025-04-01 to 2027-03-31")
    expect(ok.stdout).toContain(
      "Benefits are adjusted for optimism bias 10% (the largest of the variant's interventions) and deadweight 5%\n" +
        "  (--deadweight)"
    )
    expect(ok.stdout).toContain("Net present value at 3.5% real, in 2025/26 prices: -£396k")
    expect(filesUnder(good)).toEqual(["compare_cba.csv", "compare_spend.csv", "compare_stocks.csv"])
    expect(fs.readFileSync(path.join(good, "compare_cba.csv"), "utf8")).toContain(
      "\ndeadweight,all years,,,0.0500,,,,3\n"
    )
  })

  it("gives no return or payback where the variant invests less than the baseline on average", async () => {
    // The baseline pays £1,000 a child for conferences; the variant adds a £1 nudge that keeps children from
    // plans, so fewer reach the conferences: its investment is below the baseline's in most replications.
    const d = path.join(dir, "less")
    fs.mkdirSync(d)
    fs.copyFileSync(small, path.join(d, "base.yaml"))
    const iv = (name: string, from: string, to: string, uptake: string, perChild: number) =>
      `  - { name: ${name}, confidence: 1, start: 2025-04-01, eligibility: { from: ${from}, to: ${to}${uptake} },\n` +
      `      effects: { moves: [{ from: ${from}, to: ${to}, multiplier: ${perChild > 1 ? 0.9 : 0.5} }] },\n` +
      `      costs: { budgetLine: CP and CIN, perChild: ${perChild} } }\n`
    fs.writeFileSync(
      path.join(d, "a.yaml"),
      `extends: base.yaml\nname: A\ninterventions:\n${iv("Paid FGC", "child_protection", "looked_after", "", 1000)}`
    )
    fs.writeFileSync(
      path.join(d, "b.yaml"),
      "extends: a.yaml\nname: B\ninterventions:\n" +
        iv("Nudge", "child_in_need", "child_protection", ", uptake: 0.05", 1)
    )
    const r = await cli([
      "compare",
      path.join(d, "a.yaml"),
      path.join(d, "b.yaml"),
      "--runs",
      "20",
      "--workers",
      "0",
      // Its own folder: never the checkout's out/, where a user's results are.
      "--out",
      path.join(d, "out")
    ])
    expect(r.code, r.stderr).toBe(0)
    const investment = Number(/of the investment -?£([\d.,]+)(k|m)?/.exec(r.stdout)?.[1].replace(/,/g, ""))
    expect(r.stdout).toMatch(/of the investment -£/)
    expect(investment).toBeGreaterThan(0)
    expect(r.stdout).toContain("Return on investment: none (no investment")
    expect(r.stdout).toContain("Payback: none (no investment)")
  })

  it("refuses bad flags and unpaired scenarios with exit code 2, naming both files, and writes nothing", async () => {
    const bad = path.join(dir, "bad")
    const failures = [
      await cli(["compare", small, costsOnly, "--optimism-bias", "150%", "--out", bad]),
      await cli(["compare", small, costsOnly, "--deadweight", "0.5", "--optimism-bias", "10", "--out", bad]),
      await cli(["compare", small, small2024, "--runs", "2", "--out", bad]),
      await cli(["compare", small, path.join(root, "scenarios/default.yaml"), "--runs", "2", "--out", bad])
    ]
    const messages = [
      '--optimism-bias: expected a share of at most 100%, found "150%"',
      "--optimism-bias: expected a share as a percentage (such as 5%) or a fraction below 1 (such as 0.05), found " +
        '"10": write 10% if that is what you mean',
      `the baseline ${small} starts on 2025-04-01 but the variant ${small2024} starts on 2024-04-01`,
      `the baseline ${small} runs 3 years but the variant ${path.join(root, "scenarios/default.yaml")} runs 5: ` +
        "give --years"
    ]
    failures.forEach((r, i) => {
      expect(r.code, r.stderr).toBe(2)
      expect(r.stderr).toContain(messages[i])
      expect(r.stderr).not.toMatch(/at .*\.ts:\d+/)
    })
    expect(fs.existsSync(bad)).toBe(false)
  })

  it("refuses an output over either arm's scenario", async () => {
    const arm = path.join(dir, "arm")
    fs.mkdirSync(arm)
    const variant = path.join(arm, "compare_spend.csv")
    fs.copyFileSync(costsOnly, variant)
    const r = await cli(["compare", small, variant, "--years", "1", "--out", arm])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`--out: ${variant} would overwrite the variant scenario, ${variant}`)
    expect(fs.readFileSync(variant, "utf8")).toBe(fs.readFileSync(costsOnly, "utf8"))
  })
})
