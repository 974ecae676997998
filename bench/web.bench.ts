/**
 * `npm run bench:web`: the page's speed (issue 14) against the command line's, on the same machine, in
 * turns (page, command line, page, command line, ...) so that a change in the machine's load falls on both.
 *
 * - a single run of the default borough (5 years) in the page: from the click to the results (summary, CSVs)
 *   shown and to the report shown, with their parts (the worker's task, the simulation itself in it; the rest
 *   is handing the task to the worker and the results back; then the report's and workbook's rendering, in
 *   another worker), against `caseflow run` (the whole process), without and with `--report --xlsx`;
 * - a Monte Carlo of 1,000 replications (5 years) on navigator.hardwareConcurrency Web Workers, from the click
 *   to the results shown (the report and workbook rendered too), against `caseflow montecarlo --runs 1000
 *   --workers auto --report --xlsx` (the whole process).
 *
 * The page is dist/caseflow.html when current (scripts/build-web.mjs `currentWeb`), else built afresh; the
 * command line is `node bin/caseflow.js`, from dist/caseflow.cjs built afresh first (`npm run build`). CPU
 * seconds are counted for both: the command line's by /usr/bin/time (its worker threads included), the
 * page's as the CPU time Chromium's processes spent meanwhile (its workers are threads of the page's
 * process). The load average is printed with each figure: on a loaded machine, compare ratios.
 *
 * Needs Debian's Chromium (/usr/bin/chromium, or CASEFLOW_CHROMIUM).
 * Options: --years N (5)  --runs N (1000)  --singles N (3 single runs each)  --mcs N (2 Monte Carlo runs each)
 *          --no-build (use dist/caseflow.cjs as it is)
 */
import { execFileSync, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { chromium, type Page } from "playwright-core"
import { buildWeb, currentWeb } from "../scripts/build-web.mjs"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback
}
const whole = (name: string, fallback: number): number => {
  const v = Number(arg(name, String(fallback)))
  if (!Number.isInteger(v) || v < 0) throw new Error(`--${name}: expected a whole number, found ${arg(name, "")}`)
  return v
}
const years = whole("years", 5)
const runs = whole("runs", 1000)
const singles = whole("singles", 3)
const mcs = whole("mcs", 2)
const scenario = "scenarios/default.yaml"

const CHROMIUM = [process.env.CASEFLOW_CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find(
  (p): p is string => p !== undefined && p !== "" && fs.existsSync(p)
)
if (CHROMIUM === undefined) {
  process.stderr.write("bench:web: no Chromium (/usr/bin/chromium, or CASEFLOW_CHROMIUM)\n")
  process.exit(2)
}

const load = (): string => os.loadavg()[0].toFixed(1)
const TICKS = 100 // USER_HZ: /proc's CPU times are in hundredths of a second on Linux

/** CPU seconds (user + system) of every living process under `pid` (not `pid` itself), from /proc. */
const treeCpu = (pid: number): number => {
  const stats = new Map<number, { ppid: number; cpu: number }>()
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue
    let text: string
    try {
      text = fs.readFileSync(`/proc/${d}/stat`, "utf8")
    } catch {
      continue // gone meanwhile
    }
    const f = text.slice(text.lastIndexOf(")") + 2).split(" ")
    stats.set(Number(d), { ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) / TICKS })
  }
  let sum = 0
  const under = new Set([pid])
  for (let grew = true; grew;) {
    grew = false
    for (const [p, s] of stats)
      if (!under.has(p) && under.has(s.ppid)) {
        under.add(p)
        sum += s.cpu
        grew = true
      }
  }
  return sum
}

interface Timed {
  readonly wall: number
  readonly cpu: number | null
  readonly load: string
}

const hasTime = fs.existsSync("/usr/bin/time")

/** `node bin/caseflow.js ...args`, the whole process timed (CPU by /usr/bin/time where there is one). */
const cliTimed = (args: ReadonlyArray<string>): Timed => {
  const at = load()
  const t0 = performance.now()
  const cmd = hasTime ? "/usr/bin/time" : process.execPath
  const all = hasTime ? ["-f", "cpu %U %S", process.execPath, "bin/caseflow.js", ...args] : ["bin/caseflow.js", ...args]
  const r = spawnSync(cmd, all, { cwd: root, encoding: "utf8" })
  const wall = (performance.now() - t0) / 1000
  if (r.status !== 0) throw new Error(`caseflow ${args.join(" ")}: exit ${r.status}\n${r.stderr}`)
  const m = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr)
  return { wall, cpu: m === null ? null : Number(m[1]) + Number(m[2]), load: at }
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "caseflow-bench-web-"))
const page0 = currentWeb() ?? (await buildWeb(tmp))
if (!process.argv.includes("--no-build")) execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: root })

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] })
const page: Page = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage()
const errors: Array<string> = []
page.on("pageerror", (e) => errors.push(e.message))
await page.goto(`file://${page0.file}`, { waitUntil: "load" })
await page.waitForSelector("#run-single:not([disabled])")
const cores = Number(await page.evaluate("navigator.hardwareConcurrency"))
await page.fill("#years", String(years))
// As an analyst reads the form before the first click: the page starts a worker meanwhile (Workers.ts warmUp).
await page.waitForTimeout(3000)

interface PageTimed extends Timed {
  readonly parts: Readonly<Record<string, number>>
}

/** Clicks `button`, waits for the result, and reads the page's own timing (data-* of #status). */
const pageTimed = async (button: string): Promise<PageTimed> => {
  const at = load()
  const cpu0 = treeCpu(process.pid)
  await page.click(button)
  await page.waitForSelector("#status.done, #status.failed, #status.cancelled", { timeout: 3_600_000 })
  const cpu = treeCpu(process.pid) - cpu0
  const status = (await page.textContent("#status")) ?? ""
  if (!status.startsWith("Done")) throw new Error(`the page: ${status}`)
  const parts: Record<string, number> = {}
  for (const k of ["seconds", "results", "simulated", "render", "worker"]) {
    const v = await page.getAttribute("#status", `data-${k}`)
    if (v !== null && v !== "") parts[k] = Number(v)
  }
  return { wall: parts.seconds, cpu, load: at, parts }
}

const s = (x: number | null | undefined): string => (x === null || x === undefined ? "-" : `${x.toFixed(2)} s`)
const line = (what: string, t: Timed): void =>
  console.log(`${what.padEnd(52)} ${s(t.wall).padStart(9)} wall ${s(t.cpu).padStart(9)} CPU  load ${t.load}`)

console.log(
  `caseflow bench:web: ${scenario}, ${years} years; Chromium ${browser.version()}, ` +
    `navigator.hardwareConcurrency ${cores}; ${os.cpus().length} cores; load ${os.loadavg().map((l) => l.toFixed(1))}`
)
const single: Array<PageTimed> = []
for (let i = 0; i < singles; i++) {
  const p = await pageTimed("#run-single")
  single.push(p)
  line(`page: single run ${i + 1}`, p)
  const parts = p.parts
  const start = (parts.results ?? parts.seconds) - (parts.worker ?? 0)
  console.log(
    `  results shown after ${s(parts.results)}: the worker's task ${s(parts.worker)} ` +
      `(the simulation ${s(parts.simulated)}), ` +
      `the rest (worker, messages, page) ${s(start)}; then the report + workbook ${s(parts.render)}`
  )
  const out = path.join(tmp, "r")
  line(`command line: caseflow run`, cliTimed(["run", scenario, "--years", String(years), "--out", out]))
  line(
    `command line: caseflow run --report --xlsx`,
    cliTimed([
      "run",
      scenario,
      ...["--years", String(years), "--out", path.join(tmp, "rr")],
      ...["--report", path.join(tmp, "r.html"), "--xlsx", path.join(tmp, "r.xlsx")]
    ])
  )
}

const ratios: Array<number> = []
if (mcs > 0) await page.fill("#runs", String(runs))
for (let i = 0; i < mcs; i++) {
  const p = await pageTimed("#run-mc")
  line(`page: Monte Carlo, ${runs} runs on ${Math.min(cores, runs)} workers`, p)
  const c = cliTimed([
    "montecarlo",
    scenario,
    ...["--runs", String(runs), "--years", String(years), "--workers", "auto", "--out", path.join(tmp, "mc")],
    ...["--report", path.join(tmp, "mc.html"), "--xlsx", path.join(tmp, "mc.xlsx")]
  ])
  line(`command line: caseflow montecarlo --workers auto`, c)
  ratios.push(p.wall / c.wall)
  console.log(`  page / command line: ${(p.wall / c.wall).toFixed(2)} (wall)`)
}
await browser.close()
fs.rmSync(tmp, { recursive: true, force: true })
if (errors.length > 0) console.log(`page errors: ${errors.join("; ")}`)
if (single.length > 0) {
  const best = (xs: Array<number>) => Math.min(...xs).toFixed(2)
  console.log(
    `single run in the page: results best ${best(single.map((p) => p.parts.results))} s (asked: under 1 s), ` +
      `with the report ${best(single.map((p) => p.wall))} s`
  )
}
if (ratios.length > 0) console.log(`Monte Carlo, page / command line: ${ratios.map((r) => r.toFixed(2)).join(", ")}`)
