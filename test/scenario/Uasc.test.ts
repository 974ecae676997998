// Unaccompanied asylum-seeking children in the scenario file: their checks (age shares, children's ages,
// budget lines, an end after the change), and a run that writes uasc.csv and the grant as income, which
// replay rebuilds byte for byte.
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { cli, fixture } from "../support/cli.js"
import { errorOf, small } from "./helpers.js"

const UASC = `uasc:
  perYear: 30
  changes: [{ from: 2026-04-01, multiplier: 2, until: 2026-01-01 }]
  ageAtArrival: [{ ages: [14, 18], share: 0.5 }, { ages: [16, 17], share: 0.4 }]
  placements: { supported_16_plus: 1 }
  grants: [{ name: Grant, budgetLine: Home Office, perWeek: 800, level: looked_after }]
`

describe("UASC in a scenario", () => {
  it("names each cross-field problem with its path", () => {
    const problems = errorOf(small.replace("levels:\n", `${UASC}levels:\n`)).problems.map((p) => [p.path, p.message])
    expect(problems).toEqual([
      ["uasc.changes[0].until", "expected an end after the change's date (2026-04-01), found 2026-01-01"],
      ["uasc.ageAtArrival", "expected the age shares to add up to 1, found 0.9"],
      ["uasc.ageAtArrival[0].ages", "expected ages of children (0-17), found [14, 18]"],
      ["uasc.ageAtArrival[1].ages", "expected age bands that do not overlap; age 16 is also in band 0"],
      ["uasc.ageAtArrival[1].ages", "expected age bands that do not overlap; age 17 is also in band 0"],
      [
        "uasc.grants[0].budgetLine",
        "expected one of the budget lines declared in budgetLines (Early help; CP and CIN; LAC placements; Care " +
          'leavers; Management), found "Home Office"'
      ]
    ])
  })
})

describe("caseflow run with UASC", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "caseflow-uasc-"))
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

  it("writes uasc.csv and the grant as income; replay rebuilds every file byte for byte", async () => {
    const out = path.join(dir, "run")
    const log = path.join(dir, "run.ndjson")
    const r = await cli(["run", fixture("uasc.yaml"), "--seed", "4", "--years", "2", "--out", out, "--events", log])
    expect(r.code, r.stderr).toBe(0)
    const lines = fs.readFileSync(path.join(out, "uasc.csv"), "utf8").trim().split("\n")
    expect(lines[0]).toBe(
      "date,month,financial_year,year_end,looked_after,care_leavers,started_care,left_care,became_care_leavers"
    )
    expect(lines.length).toBe(1 + 24)
    const started = lines.slice(1).reduce((n, l) => n + Number(l.split(",")[6]), 0)
    expect(started).toBeGreaterThan(30)
    const costs = fs.readFileSync(path.join(out, "costs.csv"), "utf8")
    const grant = costs
      .split("\n")
      .find((l) => l.startsWith("financial_year,2025/26,LAC placements,Home Office UASC grant"))!
    expect(Number(grant.split(",")[6])).toBeLessThan(0)
    const replayed = path.join(dir, "replayed")
    const rr = await cli(["replay", log, "--out", replayed])
    expect(rr.code, rr.stderr).toBe(0)
    for (const f of fs.readdirSync(out))
      expect(fs.readFileSync(path.join(replayed, f), "utf8"), f).toBe(fs.readFileSync(path.join(out, f), "utf8"))
  })
})
