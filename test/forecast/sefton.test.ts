// The shipped in-year forecast example (scenarios/examples/sefton-forecast-2023.yaml and its synthetic
// actuals): it runs as the README says, adds the actuals to date to the penny, compares the year with
// Sefton's whole-year budget and lands near the paper's forecast outturn.
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { cli } from "../support/cli.js"

const root = path.resolve(import.meta.dirname, "../..")
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "caseflow-sefton-"))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))
const example = (name: string) => path.join(root, "scenarios/examples", name)

const total = (file: string): Record<string, string> => {
  const [head, ...rows] = fs.readFileSync(file, "utf8").trimEnd().split("\n")
  const cols = head.split(",")
  const row = rows.find((r) => r.includes(",Total,"))!
  return Object.fromEntries(row.split(",").map((v, i) => [cols[i], v]))
}

describe("Sefton's in-year forecast, November 2023 (example)", () => {
  it("adds the synthetic actuals exactly and forecasts near the paper's outturn, against its budget", async () => {
    const args = [
      "forecast",
      example("sefton-forecast-2023.yaml"),
      "--budget",
      "2023/24=80.081m",
      "--runs",
      "20",
      "--workers",
      "0"
    ]
    const sep = await cli([
      ...args,
      "--as-of",
      "2023-09-01",
      "--actuals",
      example("sefton-actuals-2023-08.csv"),
      "--out",
      path.join(dir, "sep")
    ])
    expect(sep.code, sep.stderr).toBe(0)
    const nov = await cli([
      ...args,
      "--as-of",
      "2023-11-01",
      "--actuals",
      example("sefton-actuals-2023-10.csv"),
      "--history",
      path.join(dir, "sep", "forecast_history.csv"),
      "--out",
      path.join(dir, "nov")
    ])
    expect(nov.code, nov.stderr).toBe(0)
    const t = total(path.join(dir, "nov", "forecast.csv"))
    // The ledger's own sums, April to October.
    expect(t.actual_to_date).toBe("49943784.74")
    expect(total(path.join(dir, "sep", "forecast.csv")).actual_to_date).toBe("35741449.87")
    expect(t.budget).toBe("80081000.00")
    // Sefton: forecast outturn £85.114m, variance £5.033m.
    expect(Math.abs(Number(t.outturn_mean) - 85_114_000)).toBeLessThan(1_000_000)
    expect(Number(t.variance)).toBeGreaterThan(4_000_000)
    expect(nov.stdout).toContain("How the forecast moved, 2023/24 total")
  })
})
