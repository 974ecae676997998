// `caseflow forecast` end to end (in this process): a forecast at the first day of the year with no actuals
// is the Monte Carlo run of that year; actuals to date are added exactly; budgets are whole-year budgets
// compared with whole-year outturn; the history shows how the forecast moved; and bad actuals and caseload
// rows (generated mutations of a valid file) are refused naming the file, line and column, writing nothing.
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as fc from "fast-check"
import { afterAll, describe, expect, it } from "vitest"
import { RAW_CONTROL } from "../scenario/helpers.js"
import * as Effect from "effect/Effect"
import { capturedIo } from "../../src/cli/io.js"
import { cli, type CliResult, filesUnder, fixture } from "../support/cli.js"
import { runs } from "../support/runs.js"
import { csvRows as readCsv } from "../support/csv.js"

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "caseflow-forecast-"))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))
let n = 0
const fresh = (): string => {
  const d = path.join(dir, `case-${n++}`)
  fs.mkdirSync(d)
  return d
}
const put = (d: string, name: string, text: string): string => {
  const file = path.join(d, name)
  fs.writeFileSync(file, text)
  return file
}

const SMALL = fixture("small.yaml")
const LINES = ["Early help", "CP and CIN", "LAC placements", "Care leavers", "Management"]
const common = ["--runs", "12", "--workers", "0", "--seed", "4"]

const pennies = (s: string): number => Math.round(Number(s) * 100)

/** April-September actuals for every line: line i, month m costs 1000 * (i + 1) + m + 0.37 pounds. */
const actualsText = (scale = 1): string =>
  "budget_line,month,amount\n" +
  LINES.flatMap((l, i) =>
    ["2025-04", "2025-05", "2025-06", "2025-07", "2025-08", "2025-09"].map(
      (m, k) => `${l},${m},${((1000 * (i + 1) + k) * scale + 0.37).toFixed(2)}`
    )
  ).join("\n") +
  "\n"

const ok = (r: CliResult) => expect(r.code, r.stderr).toBe(0)

describe("caseflow forecast", () => {
  it("at the first day of the year with no actuals gives the Monte Carlo run of that year", async () => {
    const f = fresh()
    const budget = ["--budget", "2025/26=9m", "--budget", "2025/26:LAC placements=5.5m"]
    const fc1 = await cli(["forecast", SMALL, "--as-of", "2025-04-01", ...common, ...budget, "--out", f])
    const mc = await cli(["montecarlo", SMALL, "--years", "1", ...common, ...budget, "--out", f])
    ok(fc1)
    ok(mc)
    const forecast = readCsv(path.join(f, "forecast.csv"))
    const spend = readCsv(path.join(f, "montecarlo_spend.csv"))
    expect(forecast.map((r) => r.budget_line)).toEqual([...LINES, "Total"])
    for (const row of forecast) {
      const m = spend.find((s) => s.budget_line === row.budget_line && s.financial_year === "2025/26")!
      expect(row.actual_to_date).toBe("0.00")
      // Exact: the same replications, summed to the penny.
      expect(row.outturn_mean).toBe(m.mean)
      expect(row.outturn_sd).toBe(m.sd)
      expect(row.budget).toBe(m.budget)
      if (m.budget !== "") {
        // montecarlo_spend.csv writes probabilities to 4 decimals.
        expect(Number(row.prob_over_budget).toFixed(4)).toBe(m.prob_over_budget)
        expect(Number(row.prob_over_tolerance).toFixed(4)).toBe(m.prob_over_tolerance)
      }
      // Percentiles: exact order statistics here, within the sketch's 0.05% there.
      for (const q of ["p5", "p10", "p50", "p90", "p95"])
        expect(Math.abs(Number(row[`outturn_${q}`]) - Number(m[q]))).toBeLessThanOrEqual(
          Math.abs(Number(m[q])) * 0.0005 + 0.01
        )
    }
    expect(fc1.stdout).toContain("No actuals: the whole of 2025/26 is simulated, from 1 April 2025.")
  })

  it("adds actuals to date exactly to every replication and compares the year with its whole budget", async () => {
    const f = fresh()
    const a1 = put(f, "a1.csv", actualsText(1))
    const a2 = put(f, "a2.csv", actualsText(3))
    const args = ["forecast", SMALL, "--as-of", "2025-10-01", ...common, "--years", "2", "--budget", "2025/26=6m"]
    ok(await cli([...args, "--actuals", a1, "--out", path.join(f, "o1")]))
    const r2 = await cli([...args, "--actuals", a2, "--out", path.join(f, "o2")])
    ok(r2)
    const o1 = readCsv(path.join(f, "o1", "forecast.csv"))
    const o2 = readCsv(path.join(f, "o2", "forecast.csv"))
    LINES.forEach((line, i) => {
      const want = [0, 1, 2, 3, 4, 5].reduce((s, k) => s + (1000 * (i + 1) + k) * 100 + 37, 0)
      const row = o1.find((r) => r.budget_line === line && r.financial_year === "2025/26")!
      expect(pennies(row.actual_to_date)).toBe(want)
    })
    for (const [x, y] of o1.map((r, i) => [r, o2[i]] as const)) {
      // The same simulated rest of the year whatever the actuals; outturn = actual + rest, replication by
      // replication, so every percentile moves by exactly the difference in actuals.
      expect(x.simulated_rest_mean).toBe(y.simulated_rest_mean)
      const d = pennies(y.actual_to_date) - pennies(x.actual_to_date)
      for (const q of ["p5", "p10", "p50", "p90", "p95"])
        expect(pennies(y[`outturn_${q}`]) - pennies(x[`outturn_${q}`])).toBe(d)
      // Means are of whole pennies, so a fraction of a penny rounds when written.
      expect(Math.abs(pennies(y.outturn_mean) - pennies(x.outturn_mean) - d)).toBeLessThanOrEqual(1)
      expect(
        Math.abs(pennies(x.outturn_mean) - pennies(x.actual_to_date) - pennies(x.simulated_rest_mean))
      ).toBeLessThanOrEqual(1)
      if (x.financial_year === "2026/27") expect(x.actual_to_date).toBe("0.00")
    }
    // The whole year's budget, not pro-rated to the six months simulated.
    const total = o1.find((r) => r.budget_line === "Total" && r.financial_year === "2025/26")!
    expect(total.budget).toBe("6000000.00")
    expect(total.budget_basis).toBe("full_year")
    expect(total.simulated_from).toBe("2025-10-01")
    expect(pennies(total.variance)).toBe(pennies(total.outturn_mean) - 600_000_000)
    expect(o1.map((r) => r.financial_year)).toEqual(
      [...LINES, "Total", ...LINES, "Total"].map((_, i) => (i < 6 ? "2025/26" : "2026/27"))
    )
    expect(r2.stdout).toContain("Actuals April 2025 to September 2025 (6 months")
  })

  it("counts P(over budget) on the outturn: actuals alone over the budget are over it in every run", async () => {
    const f = fresh()
    const a = put(
      f,
      "a.csv",
      "budget_line,month,amount\n" + ["04", "05", "06"].map((m) => `Management,2025-${m},1000000`).join("\n")
    )
    const r = await cli([
      "forecast",
      SMALL,
      "--as-of",
      "2025-07-01",
      ...common,
      "--actuals",
      a,
      "--budget",
      "2025/26:Management=2.9m",
      "--out",
      f
    ])
    ok(r)
    const m = readCsv(path.join(f, "forecast.csv")).find((x) => x.budget_line === "Management")!
    expect(m.prob_over_budget).toBe("1")
    expect(m.actual_to_date).toBe("3000000.00")
  })

  it("reads back the history it wrote with a seed beyond 32 bits", async () => {
    const f = fresh()
    const oct = put(f, "oct.csv", actualsText(1))
    const args = [
      "forecast",
      SMALL,
      "--runs",
      "4",
      "--workers",
      "0",
      "--seed",
      String(2 ** 40),
      "--as-of",
      "2025-10-01"
    ]
    ok(await cli([...args, "--actuals", oct, "--out", path.join(f, "m1")]))
    const h1 = path.join(f, "m1", "forecast_history.csv")
    expect(readCsv(h1)[0].seed).toBe(String(2 ** 40))
    ok(await cli([...args, "--actuals", oct, "--history", h1, "--out", path.join(f, "m2")]))
  })

  it("reads its CSV files unguarded, as the scenario, so that a signal ends a long parse at once", async () => {
    const f = fresh()
    const a = put(f, "a.csv", actualsText(1))
    const args = ["forecast", SMALL, "--as-of", "2025-10-01", "--runs", "2", "--workers", "0", "--actuals", a]
    ok(await cli([...args, "--out", path.join(f, "m1")]))
    const caseload = put(f, "caseload.csv", "level,date_of_birth,start_date\nchild_in_need,2015-01-01,2025-06-01\n")
    // The real process's `unguarded` takes its signal handlers away meanwhile (src/cli/io.ts): counted here.
    const io = capturedIo({ cores: 1 })
    let unguarded = 0
    const counting = {
      ...io,
      unguarded: <A, E, R>(work: Effect.Effect<A, E, R>) => {
        unguarded++
        return work
      }
    }
    const history = path.join(f, "m1", "forecast_history.csv")
    const more = ["--caseload", caseload, "--history", history, "--out", path.join(f, "m2")]
    ok(await cli([...args, ...more], { io: counting }))
    expect(unguarded).toBe(4) // the scenario, the caseload, the actuals, the history
  })

  it("keeps a history of forecasts, one row per as-of date, and shows how the forecast moved", async () => {
    const f = fresh()
    const jul = put(
      f,
      "jul.csv",
      actualsText(1)
        .split("\n")
        .filter((l) => !/2025-0[789]/.test(l))
        .join("\n")
    )
    const oct = put(f, "oct.csv", actualsText(1))
    const args = ["forecast", SMALL, ...common, "--budget", "2025/26=6m"]
    ok(await cli([...args, "--as-of", "2025-07-01", "--actuals", jul, "--out", path.join(f, "m1")]))
    const h1 = path.join(f, "m1", "forecast_history.csv")
    const r = await cli([
      ...args,
      "--as-of",
      "2025-10-01",
      "--actuals",
      oct,
      "--history",
      h1,
      "--out",
      path.join(f, "m2")
    ])
    ok(r)
    const h2 = readCsv(path.join(f, "m2", "forecast_history.csv"))
    expect(h2.filter((x) => x.budget_line === "Total").map((x) => x.as_of)).toEqual(["2025-07-01", "2025-10-01"])
    expect(r.stdout).toContain("How the forecast moved, 2025/26 total")
    // Again as at October, from the new history: the October rows are replaced, not repeated.
    const again = await cli([
      ...args,
      "--as-of",
      "2025-10-01",
      "--actuals",
      oct,
      "--history",
      path.join(f, "m2", "forecast_history.csv"),
      "--out",
      path.join(f, "m3")
    ])
    ok(again)
    expect(fs.readFileSync(path.join(f, "m3", "forecast_history.csv"), "utf8")).toBe(
      fs.readFileSync(path.join(f, "m2", "forecast_history.csv"), "utf8")
    )
    // The history file as an output of the same command is refused.
    const clash = await cli([
      ...args,
      "--as-of",
      "2025-10-01",
      "--actuals",
      oct,
      "--history",
      h1,
      "--out",
      path.join(f, "m1")
    ])
    expect(clash.code).toBe(2)
    expect(clash.stderr).toContain("the forecast history")
  })

  it("runs from today's caseload, child by child, and gives the same results on 0 and 2 workers", async () => {
    const f = fresh()
    const caseload = put(
      f,
      "caseload.csv",
      "child_id,level,placement,date_of_birth,start_date,legal_status\n" +
        Array.from({ length: 30 }, (_, i) =>
          i % 3 === 0
            ? `${i},looked_after,ifa_foster,20${10 + (i % 7)}-0${1 + (i % 9)}-15,2024-0${1 + (i % 9)}-01,C2`
            : `${i},child_in_need,,20${10 + (i % 7)}-0${1 + (i % 9)}-15,2025-0${1 + (i % 6)}-01,`
        ).join("\n")
    )
    const a = put(f, "a.csv", actualsText(1))
    const args = ["forecast", SMALL, "--as-of", "2025-10-01", "--runs", "6", "--actuals", a, "--caseload", caseload]
    const r0 = await cli([...args, "--workers", "0", "--out", path.join(f, "w0")])
    const r2 = await cli([...args, "--workers", "2", "--out", path.join(f, "w2")], { cores: 2 })
    ok(r0)
    ok(r2)
    expect(r0.stdout).toContain("30 children from")
    expect(r0.stdout.replace(/\s+/g, " ")).toContain("looked after by legal status: C2 10.")
    expect(fs.readFileSync(path.join(f, "w2", "forecast.csv"), "utf8")).toBe(
      fs.readFileSync(path.join(f, "w0", "forecast.csv"), "utf8")
    )
    // A smaller caseload than the scenario's costs less for the rest of the year.
    const without = await cli([
      "forecast",
      SMALL,
      "--as-of",
      "2025-10-01",
      "--runs",
      "6",
      "--workers",
      "0",
      "--actuals",
      a,
      "--out",
      path.join(f, "s")
    ])
    ok(without)
    const rest = (d: string) =>
      Number(readCsv(path.join(f, d, "forecast.csv")).find((x) => x.budget_line === "Total")!.simulated_rest_mean)
    expect(rest("w0")).toBeLessThan(rest("s"))
    expect(without.stderr).toContain("no --caseload: the scenario's opening caseload")
  })

  it("refuses bad flags and files with exit 2, naming them, and writes nothing", async () => {
    const f = fresh()
    const out = path.join(f, "out")
    const a = put(f, "a.csv", actualsText(1))
    const cases: Array<[ReadonlyArray<string>, ReadonlyArray<string>]> = [
      [
        ["--as-of", "2025-10-15", "--actuals", a],
        ["--as-of", "the first day of a month"]
      ],
      [
        ["--as-of", "2025-02-30"],
        ["--as-of", "February 2025 has 28 days"]
      ],
      [
        ["--as-of", "2025-10-01"],
        ["--actuals", "found none"]
      ],
      [
        ["--as-of", "2025-07-01", "--actuals", a],
        ["a.csv", "line 17, column month", "before the as-of date"]
      ],
      [
        ["--as-of", "2025-10-01", "--actuals", a, "--budget", "2027/28=1m"],
        ["--budget", "not a financial year of this forecast"]
      ],
      [
        ["--as-of", "2024-10-01", "--actuals", a],
        ["--as-of", "before the scenario's start"]
      ],
      [
        ["--as-of", "2025-10-01", "--actuals", path.join(f, "none.csv")],
        ["none.csv", "no such file"]
      ],
      [
        ["--as-of", "2025-10-01", "--actuals", a, "--history", a],
        ["a.csv", "expected a column named as_of"]
      ]
    ]
    for (const [flags, names] of cases) {
      const r = await cli(["forecast", SMALL, ...flags, "--workers", "0", "--runs", "2", "--out", out])
      expect(r.code, `${flags.join(" ")}: ${r.stderr}`).toBe(2)
      for (const name of names) expect(r.stderr).toContain(name)
      expect(r.stdout).toBe("")
      expect(filesUnder(out)).toEqual([])
    }
  })
})

// ---------------------------------------------------------------------------------------------------------
// Generated bad rows

const BAD_VALUES = [
  "",
  " ",
  "-",
  "abc",
  "1e9",
  "NaN",
  "Infinity",
  "2025-13",
  "2025-02-30",
  "31/02/2020",
  "2099-01-01",
  "1899-12-31",
  "(12",
  "1,2,3",
  '"',
  "\u001b[31m",
  "x".repeat(300),
  "looked_after",
  "ifa_foster",
  "C9",
  "LAC placements",
  "Managment",
  "2025-09",
  "2025-10",
  "99999999999999"
]

/** One cell of a valid CSV replaced: [text, line of the row, column name]. */
const mutated = (text: string) =>
  fc.tuple(fc.nat(), fc.nat(), fc.constantFrom(...BAD_VALUES)).map(([row, col, value]) => {
    const lines = text.trimEnd().split("\n")
    const header = lines[0].split(",")
    const r = 1 + (row % (lines.length - 1))
    const c = col % header.length
    const cells = lines[r].split(",")
    const quoted = /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
    cells[c] = quoted
    lines[r] = cells.join(",")
    return { text: lines.join("\n") + "\n", line: r + 1, column: header[c], value }
  })

describe("generated bad actuals and caseload rows", () => {
  const CASELOAD =
    "child_id,level,placement,date_of_birth,start_date,legal_status\n" +
    "1,looked_after,ifa_foster,2012-05-01,2023-02-01,C2\n" +
    "2,child_protection,,2019-01-30,2025-06-17,\n" +
    "3,care_leaver,,2006-01-01,2024-01-01,\n" +
    "4,child_in_need,,2015-08-08,2025-01-01,\n"

  const seen = { ran: 0, refused: 0 }
  afterAll(() => {
    // Refusals came up: the property is not vacuous.
    expect(seen.refused).toBeGreaterThan(10)
  })
  const check = async (file: string, flags: ReadonlyArray<string>, m: { line: number; column: string }) => {
    const out = path.join(path.dirname(file), "out")
    const r = await cli([
      "forecast",
      SMALL,
      "--as-of",
      "2025-10-01",
      "--runs",
      "1",
      "--workers",
      "0",
      ...flags,
      "--out",
      out
    ])
    seen[r.code === 0 ? "ran" : "refused"]++
    if (r.code === 0) {
      expect(filesUnder(out)).toEqual(["forecast.csv", "forecast_history.csv"])
      return
    }
    expect(r.code, r.stderr).toBe(2)
    expect(r.stdout).toBe("")
    expect(r.stderr.startsWith("caseflow: ")).toBe(true)
    expect(r.stderr).toContain(path.basename(file))
    // The row mutated (in the mutated column, or another that no longer fits it: a level changed to
    // looked_after now lacks a placement), unless the file no longer reads as CSV or a month is now missing.
    if (!/not valid CSV|found none for|expected a column named/.test(r.stderr))
      expect(r.stderr).toMatch(new RegExp(`line ${m.line}, column |line ${m.line}: `))
    expect(r.stderr).not.toMatch(RAW_CONTROL)
    expect(r.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/)
    expect(Buffer.byteLength(r.stderr)).toBeLessThan(8192)
    expect(filesUnder(out)).toEqual([])
  }

  it("an actuals row with a bad cell is refused naming its line and column, or runs if still valid", async () => {
    await fc.assert(
      fc.asyncProperty(mutated(actualsText(1)), async (m) => {
        const d = fresh()
        await check(put(d, "actuals.csv", m.text), ["--actuals", path.join(d, "actuals.csv")], m)
      }),
      { numRuns: runs(15) }
    )
  })

  it("a caseload row with a bad cell is refused naming its line and column, or runs if still valid", async () => {
    const a = put(fresh(), "a.csv", actualsText(1))
    await fc.assert(
      fc.asyncProperty(mutated(CASELOAD), async (m) => {
        const d = fresh()
        await check(put(d, "caseload.csv", m.text), ["--actuals", a, "--caseload", path.join(d, "caseload.csv")], m)
      }),
      { numRuns: runs(15) }
    )
  })
})
