// The reports people read, end to end through the command line: `--report FILE.html` and `--xlsx FILE.xlsx`
// on run, montecarlo, compare and forecast; the wide CSVs; and each report opened in a real browser (headless
// Chromium through playwright-core), which is skipped, saying so, where no Chromium is installed.
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { strFromU8, unzipSync } from "fflate"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { cli, fixture, type CliResult } from "../support/cli.js"

const root = path.resolve(import.meta.dirname, "../..")
const scenario = (name: string) => path.join(root, "scenarios", name)
let dir = ""

interface Made {
  readonly html: string
  readonly xlsx: string
  readonly out: string
  readonly result: CliResult
}
type Kind = "run" | "montecarlo" | "compare" | "forecast"
const made: Record<Kind, Made> = {} as Record<Kind, Made>

const make = async (kind: keyof typeof made, args: ReadonlyArray<string>, name: string = kind): Promise<Made> => {
  const out = path.join(dir, name)
  const html = path.join(dir, `${name}.html`)
  const xlsx = path.join(dir, `${name}.xlsx`)
  const result = await cli([kind, ...args, "--out", out, "--report", html, "--xlsx", xlsx])
  expect(result.code, result.stderr).toBe(0)
  return { html, xlsx, out, result }
}

const RUN_ARGS = [scenario("default.yaml"), "--years", "3"]
const MC_ARGS = [fixture("small-uncertain.yaml"), "--runs", "24", "--years", "5", "--workers", "0"]
const COMPARE_ARGS = [
  scenario("default.yaml"),
  scenario("examples/ifs-team.yaml"),
  "--runs",
  "3",
  "--years",
  "2",
  "--workers",
  "0"
]

// The earlier forecast is only the later one's history (one row of it is checked): 3 runs are enough for it.
const sefton = (month: "08" | "10") => [
  scenario("examples/sefton-forecast-2023.yaml"),
  "--budget",
  "2023/24=80.081m",
  "--runs",
  month === "08" ? "3" : "12",
  "--workers",
  "0",
  "--as-of",
  month === "08" ? "2023-09-01" : "2023-11-01",
  "--actuals",
  scenario(`examples/sefton-actuals-2023-${month}.csv`)
]

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "caseflow-reports-"))
  made.run = await make("run", RUN_ARGS)
  made.montecarlo = await make("montecarlo", MC_ARGS)
  made.compare = await make("compare", COMPARE_ARGS)
  // A forecast with an earlier one as its history (so the report shows how the forecast moved).
  const earlier = path.join(dir, "forecast-earlier")
  expect((await cli(["forecast", ...sefton("08"), "--out", earlier])).code).toBe(0)
  made.forecast = await make("forecast", [...sefton("10"), "--history", path.join(earlier, "forecast_history.csv")])
}, 300_000) // five commands on the default borough: 55 s on this 2-core machine at a load of 10, over 120 s at 25
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const read = (file: string) => fs.readFileSync(file, "utf8")
const charts = (html: string) => html.split('<figure class="chart"').slice(1)

describe("the HTML report", () => {
  it("is written with the results and named on stdout, and Vega-Lite and Vega warned of nothing", () => {
    for (const m of Object.values(made)) {
      expect(m.result.stdout).toContain(`Report: ${m.html}\n`)
      expect(m.result.stdout).toContain(`Workbook: ${m.xlsx}\n`)
      expect(m.result.stderr).not.toContain("note:")
      expect(fs.statSync(m.html).size).toBeGreaterThan(10_000)
    }
  })

  it("is self-contained: a policy that forbids every fetch, no script, nothing referred to outside the page", () => {
    for (const m of Object.values(made)) {
      const html = read(m.html)
      expect(html).toContain(
        `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline';`
      )
      expect(html).not.toMatch(/<script|<link|<iframe|<img|@import/i)
      // Only fragment references (an SVG's clip paths); namespaces are names, not fetches.
      expect(html.match(/(?:src|href)="(?!#)[^"]*"/g) ?? []).toEqual([])
      expect(html.match(/url\((?!#)[^)]*\)/g) ?? []).toEqual([])
      expect(html.replace(/xmlns(?::\w+)?="[^"]*"/g, "")).not.toMatch(/https?:\/\//)
    }
  })

  it("has every chart rendered to SVG with marks, and no element id twice", () => {
    const expected = { run: 6, montecarlo: 5, compare: 2, forecast: 2 }
    for (const [kind, m] of Object.entries(made)) {
      const html = read(m.html)
      const figures = charts(html)
      expect(figures.length, kind).toBe(expected[kind as keyof typeof expected])
      for (const f of figures) {
        expect(f).toMatch(/<svg [^>]*width="[1-9]\d*" height="[1-9]\d*"/)
        expect(f).toMatch(/class="mark-(?:line|area|rect|symbol|rule|tick|text)[^"]*"[^>]*>\s*<(?:path|line|text)/)
      }
      const ids = [...html.matchAll(/\bid="([^"]+)"/g)].map((x) => x[1])
      expect(new Set(ids).size).toBe(ids.length)
    }
  })

  it("is the same bytes for the same inputs and seed, in any time zone", async () => {
    const tz = process.env.TZ
    try {
      process.env.TZ = "America/Los_Angeles"
      const again = await make("run", RUN_ARGS, "run-again")
      // The only difference may be the output folder's name in the stdout, never in the report.
      expect(read(again.html)).toBe(read(made.run.html))
    } finally {
      if (tz === undefined) delete process.env.TZ
      else process.env.TZ = tz
    }
  })

  it("opens with a plain-English summary, lists every parameter with its source, and follows STRESS-DES", () => {
    const html = read(made.run.html)
    expect(html).toMatch(/<p class="summary">This is one simulated run of .*one random draw \(seed 1\)/)
    expect(html).toContain("run caseflow montecarlo")
    // A parameter and the comment above it in scenarios/default.yaml.
    expect(html).toMatch(/<td>referrals\.ratePer10k<\/td><td>408<\/td><td>Derivation: contacts are not referrals/)
    expect(html).toMatch(/<td>costs\.inflation<\/td>/)
    for (const h of ["1. Objectives.", "2. Logic.", "3. Data.", "4. Experimentation.", "5. Implementation."])
      expect(html).toContain(h)
    expect(html).toContain("6. Code access.")
    expect(html).toMatch(/SHA-256<\/dt><dd>[0-9a-f]{64}<\/dd>/)
    expect(html).toContain("<dt>caseflow version</dt><dd>0.1.0</dd>")
    for (const s of ["Children", "Entries to and exits from care", "Spend by budget line", "Workforce"])
      expect(html).toContain(`<h2>${s}</h2>`)
    expect(html).toContain("<h2>Services and waiting lists</h2>")
    expect(html).toContain("<h2>DfE-shaped year-end tables</h2>")
  })

  it("gives a forecast's outturn = actual to date + the simulated rest, and how the forecast moved", () => {
    const html = read(made.forecast.html)
    const csvLines = read(path.join(made.forecast.out, "forecast.csv")).trim().split("\n")
    const header = csvLines[0].split(",")
    const total = csvLines
      .slice(1)
      .map((l) => l.split(","))
      .find((f) => f[header.indexOf("budget_line")] === "Total")!
    const m = (column: string) => `£${(Number(total[header.indexOf(column)]) / 1e6).toFixed(2)}m`
    expect(html).toContain(
      `As at 2023-11-01, the forecast outturn of Sefton in-year forecast 2023/24 (illustrative) for 2023/24 is ` +
        `${m("outturn_mean")}`
    )
    expect(html).toContain(`from actual spend in 7 months (${m("actual_to_date")})`)
    expect(html).toContain("<h2>How the forecast moved</h2>")
    expect(html).toMatch(/<td>2023-09-01<\/td><td[^>]*>£[\d.]+m<\/td>/)
    expect(html).toContain("<code>forecast_history.csv</code>")
  })

  it("states the chance of overspending in words, and the Monte Carlo report of 5 years is under 2 MB", () => {
    const html = read(made.montecarlo.html)
    expect(html).toMatch(/the chance of spending more than the budget of £[\d.,]+[km]? is (about \d+ in 10|.*in 100)/)
    expect(html).toContain("Tornado chart")
    expect(fs.statSync(made.montecarlo.html).size).toBeLessThan(2 * 1024 * 1024)
    // The spend charts' figures, for machines: 99 percentiles of each of the 5 years.
    const percentiles = read(path.join(made.montecarlo.out, "montecarlo_spend_percentiles.csv")).trim().split("\n")
    expect(percentiles[0]).toBe("financial_year,part_year,percentile,total_spend")
    expect(percentiles.length).toBe(1 + 5 * 99)
    expect(html).toContain("<code>montecarlo_spend_percentiles.csv</code>")
  })

  it("shows a comparison's waterfall, its cost-benefit case and the paired differences", () => {
    const html = read(made.compare.html)
    expect(html).toContain("Savings waterfall over the run")
    expect(html).toMatch(/<dt>Net present value<\/dt><dd>-?£[\d.,]+[km]? \[/)
    expect(html).toContain("<dt>Return on investment</dt>")
    expect(html).toContain("<dt>Payback</dt>")
    expect(html).toContain("Difference in children (variant - baseline)")
  })
})

describe("merge --report", () => {
  it("writes from shards and their scenario the whole run's report; refuses no scenario or another one", async () => {
    const args = [fixture("small-uncertain.yaml"), "--runs", "12", "--years", "2", "--workers", "0"]
    const shards = path.join(dir, "shards")
    for (const i of [0, 1])
      expect((await cli(["montecarlo", ...args, "--shard", `${i}/2`, "--out", shards])).code).toBe(0)
    const files = fs.readdirSync(shards).map((f) => path.join(shards, f))
    const merged = path.join(dir, "merged.html")
    const m = await cli([
      "merge",
      ...files,
      "--out",
      path.join(dir, "merged"),
      "--scenario",
      fixture("small-uncertain.yaml"),
      "--report",
      merged
    ])
    expect(m.code, m.stderr).toBe(0)
    const whole = path.join(dir, "whole.html")
    expect((await cli(["montecarlo", ...args, "--out", path.join(dir, "whole"), "--report", whole])).code).toBe(0)
    expect(read(merged).replace("<dt>Shards merged</dt><dd>2</dd>", "")).toBe(read(whole))
    const none = await cli(["merge", ...files, "--out", path.join(dir, "m2"), "--report", merged])
    expect(none.code).toBe(2)
    expect(none.stderr).toContain("--report: merge needs --scenario FILE")
    const other = await cli(["merge", ...files, "--out", path.join(dir, "m2"), "--scenario", fixture("small.yaml")])
    expect(other.code).toBe(2)
    expect(other.stderr).toContain("not the scenario the shards were run from")
    expect(fs.existsSync(path.join(dir, "m2"))).toBe(false)
  })
})

describe("--report and --xlsx as outputs", () => {
  it("refuse a file of the wrong kind, or one output written twice, before anything runs", async () => {
    const out = path.join(dir, "refused")
    const r = await cli(["run", fixture("small.yaml"), "--out", out, "--report", path.join(dir, "r.pdf")])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("--report: expected a file name ending .html or .htm")
    const same = path.join(dir, "same.html")
    const s = await cli(["run", fixture("small.yaml"), "--out", out, "--events", same, "--report", same])
    expect(s.code).toBe(2)
    expect(s.stderr).toContain("the same file as one of the --events files")
    expect(fs.existsSync(out)).toBe(false)
    // A scenario that happens to be named .html is an input: never written over.
    const input = path.join(dir, "scenario.html")
    fs.copyFileSync(fixture("small.yaml"), input)
    const over = await cli([
      "run",
      input,
      "--years",
      "1",
      "--out",
      out,
      "--xlsx",
      path.join(dir, "x.xlsx"),
      "--report",
      input
    ])
    expect(over.code).toBe(2)
    expect(over.stderr).toContain(`--report: ${input} would overwrite the scenario`)
    expect(fs.readFileSync(input, "utf8")).toBe(fs.readFileSync(fixture("small.yaml"), "utf8"))
    expect(fs.existsSync(path.join(dir, "x.xlsx"))).toBe(false)
    const shard = await cli(["montecarlo", fixture("small.yaml"), "--shard", "1/2", "--out", out, "--report", same])
    expect(shard.code).toBe(2)
    expect(shard.stderr).toContain("--report: a shard writes only its shard file")
  })

  it("are all or nothing with the results: a report that cannot be written leaves no result", async () => {
    const out = path.join(dir, "blocked-out")
    const blocker = path.join(dir, "a-file")
    fs.writeFileSync(blocker, "x")
    const r = await cli(["run", fixture("small.yaml"), "--years", "1", "--out", out, "--report", `${blocker}/r.html`])
    expect(r.code).not.toBe(0)
    expect(r.stderr).toContain("a-file")
    expect(fs.existsSync(out) ? fs.readdirSync(out) : []).toEqual([])
  })
})

/** XML text unescaped. */
const unxml = (t: string): string =>
  t.replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ({ lt: "<", gt: ">", quot: '"', apos: "'", amp: "&" })[e]!)

/** The cells of a sheet: reference -> { type, style, value } (a shared string resolved). */
const sheetCells = (files: Record<string, Uint8Array>, sheet: number) => {
  const shared = [...strFromU8(files["xl/sharedStrings.xml"] ?? new Uint8Array()).matchAll(/<si>(.*?)<\/si>/gs)].map(
    (m) => unxml(m[1].replace(/<[^>]+>/g, ""))
  )
  const xml = strFromU8(files[`xl/worksheets/sheet${sheet}.xml`])
  const cells = new Map<string, { type: string; style: number; value: string }>()
  for (const m of xml.matchAll(/<c r="([A-Z]+\d+)"([^>]*?)(?:\/>|>(.*?)<\/c>)/gs)) {
    const attrs = m[2]
    const type = /\bt="(\w+)"/.exec(attrs)?.[1] ?? "n"
    const style = Number(/\bs="(\d+)"/.exec(attrs)?.[1] ?? 0)
    const raw = /<v>(.*?)<\/v>/s.exec(m[3] ?? "")?.[1] ?? /<t[^>]*>(.*?)<\/t>/s.exec(m[3] ?? "")?.[1] ?? ""
    cells.set(m[1], { type, style, value: type === "s" ? shared[Number(raw)] : unxml(raw) })
  }
  return { xml, cells }
}

describe("the workbook", () => {
  it("is read back: a Run sheet, numbers stored as numbers with money and percentage formats, frozen headers", () => {
    const files = unzipSync(fs.readFileSync(made.run.xlsx))
    const book = strFromU8(files["xl/workbook.xml"])
    const names = [...book.matchAll(/<sheet [^>]*name="([^"]+)"/g)].map((m) => m[1])
    expect(names.slice(0, 3)).toEqual(["Run", "Children at 31 March", "Spend by budget line"])
    expect(names).toContain("Variance")
    expect(names).toContain("DfE CLA")
    expect(names).toContain("Assumptions")
    const styles = strFromU8(files["xl/styles.xml"])
    const formats = new Map(
      [...styles.matchAll(/<numFmt numFmtId="(\d+)" formatCode="([^"]+)"/g)].map((m) => [m[1], m[2]])
    )
    const xfs = [...(/<cellXfs[^>]*>(.*?)<\/cellXfs>/s.exec(styles)?.[1] ?? "").matchAll(/<xf\b([^>]*)>/g)].map(
      (m) => /numFmtId="(\d+)"/.exec(m[1])?.[1] ?? "0"
    )
    const formatOf = (style: number) => formats.get(xfs[style] ?? "") ?? xfs[style] ?? ""

    // The run's facts.
    const run = sheetCells(files, 1)
    const facts = new Map<string, string>()
    for (let r = 2; run.cells.has(`A${r}`); r++) facts.set(run.cells.get(`A${r}`)!.value, run.cells.get(`B${r}`)!.value)
    expect(facts.get("Seed")).toBe("1")
    expect(facts.get("caseflow version")).toBe("0.1.0")
    expect(facts.get("Scenario: SHA-256")).toMatch(/^[0-9a-f]{64}$/)

    // Spend by budget line x year: the same pounds as summary_spend.csv, as numbers in a money format.
    const spend = sheetCells(files, 3)
    expect(spend.xml).toMatch(/<pane [^>]*ySplit="1"[^>]*state="frozen"/)
    const csvRows = read(path.join(made.run.out, "summary_spend.csv")).trim().split("\n").slice(1)
    const lines = csvRows.map((l) => l.match(/("[^"]*"|[^,]+)/g)!)
    lines.forEach((cells, i) => {
      if (cells[0] === "Budget basis") return
      const row = i + 2 - (lines.slice(0, i).some((c) => c[0] === "Budget basis") ? 1 : 0)
      const label = spend.cells.get(`A${row}`)!.value
      expect(label).toBe(cells[0].replace(/^"|"$/g, ""))
      cells.slice(1).forEach((text, k) => {
        const cell = spend.cells.get(`${String.fromCharCode(66 + k)}${row}`)
        if (text === "") return expect(cell?.value ?? "").toBe("")
        expect(cell!.type).toBe("n")
        expect(Number(cell!.value)).toBeCloseTo(Number(text), 2)
        expect(formatOf(cell!.style)).toContain("£")
      })
    })

    // A percentage: the Variance sheet's variance %.
    const variance = sheetCells(files, 4)
    expect(variance.cells.get("E1")!.value).toBe("variance %")
    expect(variance.cells.get("E2")!.type).toBe("n")
    expect(formatOf(variance.cells.get("E2")!.style)).toBe("0.0%")
    // Children as whole numbers, as numbers.
    const children = sheetCells(files, 2)
    expect(children.cells.get("B2")!.type).toBe("n")
    expect(formatOf(children.cells.get("B2")!.style)).toBe("#,##0")
  })

  it("is written for Monte Carlo, comparisons and forecasts too, each with its Run sheet", () => {
    for (const m of [made.montecarlo, made.compare, made.forecast]) {
      const files = unzipSync(fs.readFileSync(m.xlsx))
      const names = [...strFromU8(files["xl/workbook.xml"]).matchAll(/<sheet [^>]*name="([^"]+)"/g)].map((x) => x[1])
      expect(names[0]).toBe("Run")
      expect(names).toContain("Assumptions")
    }
  })
})

describe("wide CSVs for people", () => {
  it("rolling_12_months.csv at each 31 March holds flows.csv's financial year", () => {
    const flows = read(path.join(made.run.out, "flows.csv"))
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => l.split(","))
    const year = (fy: string, flow: string, level: string, keep: (detail: string) => boolean = () => true) =>
      flows
        .filter((f) => f[0] === "financial_year" && f[1] === fy && f[2] === flow && f[3] === level && keep(f[4]))
        .reduce((a, f) => a + Number(f[5]), 0)
    const rolling = read(path.join(made.run.out, "rolling_12_months.csv")).trim().split("\n")
    expect(rolling[0]).toBe(
      "month_end,months,referrals,re_referrals,cp_plans_started,cp_plans_ended,entries_to_care,exits_from_care"
    )
    const marches = rolling.slice(1).filter((l) => /^\d{4}-03-31,12,/.test(l))
    expect(marches.length).toBe(3)
    for (const line of marches) {
      const [date, , ...n] = line.split(",").map((x, i) => (i < 2 ? x : Number(x)))
      const end = Number(String(date).slice(0, 4))
      const fy = `${end - 1}/${String(end).slice(2)}`
      const referrals = (detail: string) =>
        flows
          .filter((f) => f[0] === "financial_year" && f[1] === fy && f[2] === "referral" && f[4] === detail)
          .reduce((a, f) => a + Number(f[5]), 0)
      expect(n).toEqual([
        referrals("new"),
        referrals("re_referral"),
        year(fy, "start", "child_protection"),
        year(fy, "end", "child_protection"),
        year(fy, "start", "looked_after"),
        year(fy, "end", "looked_after")
      ])
    }
  })

  it("summary_children.csv holds stocks.csv's 31 March figures, pivoted", () => {
    const stocks = read(path.join(made.run.out, "stocks.csv")).trim().split("\n").slice(1)
    const wide = read(path.join(made.run.out, "summary_children.csv")).trim().split("\n")
    const header = wide[0].split(",")
    for (const line of wide.slice(1)) {
      const [level, placement, ...counts] = line.split(",")
      if (placement !== "") continue
      header.slice(2).forEach((col, k) => {
        const date = col.replace(/^start_/, "")
        const month = col.startsWith("start_") ? "opening" : null
        const row = stocks.find((s) => {
          const f = s.split(",")
          return f[0] === date && f[4] === level && (month === null ? f[1] !== "opening" : f[1] === "opening")
        })
        expect(row, `${level} ${col}`).toBeDefined()
        expect(row!.split(",")[5]).toBe(counts[k])
      })
    }
  })

  it("summary_spend.csv's Total is the sum of costs.csv's lines in each financial year", () => {
    const costs = read(path.join(made.run.out, "costs.csv")).trim().split("\n").slice(1)
    const wide = read(path.join(made.run.out, "summary_spend.csv")).trim().split("\n")
    const years = wide[0].split(",").slice(1)
    const total = wide
      .find((l) => l.startsWith("Total,"))!
      .split(",")
      .slice(1)
    years.forEach((y, k) => {
      const sum = costs
        .map((l) => l.match(/("[^"]*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, "")))
        .filter((f) => f[0] === "financial_year" && f[1] === y)
        .reduce((a, f) => a + Math.round(Number(f[6]) * 100), 0)
      // To the penny: each cost line's year is rounded once, and the budget lines and total are their sums.
      expect(Math.round(Number(total[k]) * 100)).toBe(sum)
    })
    expect(wide.some((l) => l.startsWith("Budget,"))).toBe(true)
    expect(wide.some((l) => l.startsWith("Variance (spend - budget),"))).toBe(true)
  })
})

// ---------------------------------------------------------------------------------------------------------
// In a real browser

const CHROMIUM = [process.env.CASEFLOW_CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find(
  (p): p is string => p !== undefined && p !== "" && fs.existsSync(p)
)
if (CHROMIUM === undefined)
  console.warn(
    "test/report/reports.test.ts: no Chromium found (/usr/bin/chromium, or CASEFLOW_CHROMIUM): the browser " +
      "checks of the reports are skipped (apt-get install -y chromium fonts-dejavu-core; .ci/run does it)"
  )

describe.skipIf(CHROMIUM === undefined)("each report in headless Chromium", () => {
  it("loads with no console message, no request but the file, every chart drawn; a screenshot of each", async () => {
    const { chromium } = await import("playwright-core")
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] })
    const artifacts = path.join(root, "test-artifacts", "reports")
    fs.mkdirSync(artifacts, { recursive: true })
    try {
      for (const [kind, m] of Object.entries(made)) {
        const page = await browser.newPage({ viewport: { width: 1200, height: 900 } })
        const messages: Array<string> = []
        const requests: Array<string> = []
        page.on("console", (msg) => messages.push(`${msg.type()}: ${msg.text()}`))
        page.on("pageerror", (e) => messages.push(`error: ${e.message}`))
        page.on("request", (r) => requests.push(r.url()))
        const url = `file://${m.html}`
        await page.goto(url, { waitUntil: "load" })
        const figures = await page.$$eval("figure.chart svg", (svgs) =>
          svgs.map((svg) => {
            const box = svg.getBoundingClientRect()
            const marks = [...svg.querySelectorAll("g[class^='mark-'] > path, g[class^='mark-'] > line")]
            const drawn = marks.filter((e) => {
              const r = e.getBoundingClientRect()
              return r.width > 0 || r.height > 0
            })
            return { width: box.width, height: box.height, drawn: drawn.length }
          })
        )
        // The first screen: the title, the summary and the first chart.
        await page.screenshot({ path: path.join(artifacts, `${kind}.png`) })
        await page.close()
        expect(messages, kind).toEqual([])
        expect(requests, kind).toEqual([url])
        expect(figures.length, kind).toBe(charts(read(m.html)).length)
        for (const f of figures) {
          expect(f.width, kind).toBeGreaterThan(100)
          expect(f.height, kind).toBeGreaterThan(50)
          expect(f.drawn, kind).toBeGreaterThan(0)
        }
        expect(fs.statSync(path.join(artifacts, `${kind}.png`)).size).toBeGreaterThan(10_000)
      }
    } finally {
      await browser.close()
    }
  })
})
