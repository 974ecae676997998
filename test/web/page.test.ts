/**
 * The built page (dist/caseflow.html, built afresh from the source into a temporary folder) in headless
 * Chromium (Debian's, driven by playwright-core, found as test/report/reports.test.ts finds it; skipped,
 * saying so, where there is none): opened from file://, with every request routed and any but the file
 * itself failing the test; the default scenario loaded and run in a Web Worker, its charts drawn, every CSV
 * downloaded byte-identical to `caseflow run`'s; a Monte Carlo of a few runs equal to `caseflow
 * montecarlo`'s; a cancelled run; every control labelled and reached by Tab; no console message of any
 * kind. A screenshot is kept in test-artifacts/web/ (not committed).
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { cli } from "../support/cli.js"

const root = path.resolve(import.meta.dirname, "../..")

const CHROMIUM = [process.env.CASEFLOW_CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find(
  (p): p is string => p !== undefined && p !== "" && fs.existsSync(p)
)
if (CHROMIUM === undefined)
  console.warn(
    "test/web/page.test.ts: no Chromium found (/usr/bin/chromium, or CASEFLOW_CHROMIUM): the browser " +
      "checks of the page are skipped (apt-get install -y chromium fonts-dejavu-core; .ci/run does it)"
  )

type Browser = import("playwright-core").Browser
type Page = import("playwright-core").Page

describe.skipIf(CHROMIUM === undefined)("the page in headless Chromium", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "caseflow-web-"))
  const artifacts = path.join(root, "test-artifacts", "web")
  let browser: Browser
  let page: Page
  let url = ""
  const messages: Array<string> = []
  const requests: Array<string> = []

  beforeAll(async () => {
    const { buildWeb } = await import("../../scripts/build-web.mjs")
    const built = await buildWeb(tmp)
    expect(built.bytes).toBeLessThan(5 * 1024 * 1024)
    url = `file://${built.file}`
    const { chromium } = await import("playwright-core")
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] })
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, acceptDownloads: true })
    // Every request is routed: the page itself may load, anything else is refused and fails the test.
    await context.route("**/*", (route) => {
      const u = route.request().url()
      requests.push(u)
      return u === url ? route.continue() : route.abort()
    })
    page = await context.newPage()
    page.on("console", (m) => messages.push(`${m.type()}: ${m.text()}`))
    page.on("pageerror", (e) => messages.push(`error: ${e.message}`))
    page.on("worker", (w) => w.on("console", (m) => messages.push(`worker ${m.type()}: ${m.text()}`)))
    await page.goto(url, { waitUntil: "load" })
    await page.waitForFunction(() => !(document.getElementById("run-single") as HTMLButtonElement).disabled)
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    fs.rmSync(tmp, { recursive: true, force: true })
  })

  const finished = async (): Promise<string> => {
    await page.waitForSelector("#status.done, #status.failed, #status.cancelled", { timeout: 90_000 })
    return (await page.textContent("#status")) ?? ""
  }

  const downloaded = async (file: string): Promise<string> => {
    const [d] = await Promise.all([
      page.waitForEvent("download", { timeout: 15_000 }).catch((e: Error) => {
        throw new Error(`${file}: no download (${e.message})`)
      }),
      page.click(`#downloads button[data-file="${file}"]`)
    ])
    const p = await d.path()
    return fs.readFileSync(p, "utf8")
  }

  const cliCsv = (dir: string) =>
    new Map(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), "utf8")]))

  it("runs the default scenario: charts drawn, every CSV the command line's, byte for byte", async () => {
    expect(await page.textContent("#loaded")).toContain("scenarios/default.yaml")
    await page.fill("#years", "2")
    await page.click("#run-single")
    expect(await finished()).toMatch(/^Done in/)
    const charts = await page.evaluate(() => {
      const shadow = document.getElementById("report")?.shadowRoot
      return [...(shadow?.querySelectorAll("figure.chart svg") ?? [])].map((svg) => {
        const box = svg.getBoundingClientRect()
        const marks = [...svg.querySelectorAll("g[class^='mark-'] > path, g[class^='mark-'] > line")]
        const drawn = marks.filter((e) => e.getBoundingClientRect().width > 0 || e.getBoundingClientRect().height > 0)
        return { width: box.width, height: box.height, drawn: drawn.length }
      })
    })
    expect(charts.length).toBeGreaterThan(3)
    for (const c of charts) {
      expect(c.width).toBeGreaterThan(100)
      expect(c.drawn).toBeGreaterThan(0)
    }
    const out = path.join(tmp, "run")
    expect((await cli(["run", "scenarios/default.yaml", "--years", "2", "--out", out])).code).toBe(0)
    const expected = cliCsv(out)
    const offered = await page.$$eval("#downloads button[data-file$='.csv']", (bs) =>
      bs.map((b) => (b as HTMLElement).dataset.file ?? "")
    )
    expect(offered.sort()).toEqual([...expected.keys()].sort())
    // Chromium lets a tab start ten downloads; beyond that the page is loaded afresh and run again (the same
    // seed gives the same files) before the next ones.
    for (const [i, file] of offered.entries()) {
      if (i > 0 && i % 9 === 0) {
        await page.reload({ waitUntil: "load" })
        await page.waitForFunction(() => !(document.getElementById("run-single") as HTMLButtonElement).disabled)
        await page.fill("#years", "2")
        await page.click("#run-single")
        expect(await finished()).toMatch(/^Done in/)
      }
      expect(await downloaded(file), file).toBe(expected.get(file))
    }
    expect(await downloaded("scenario.yaml")).toContain("name: Default borough")
    fs.mkdirSync(artifacts, { recursive: true })
    await page.screenshot({ path: path.join(artifacts, "page.png"), fullPage: false })
    expect(fs.statSync(path.join(artifacts, "page.png")).size).toBeGreaterThan(10_000)
  }, 120_000)

  it("a Monte Carlo of a few runs on Web Workers equals caseflow montecarlo's", async () => {
    await page.fill("#runs", "4")
    await page.fill("#budgets", "2025/26=60m")
    await page.click("#run-mc")
    expect(await finished()).toMatch(/^Done in/)
    const out = path.join(tmp, "mc")
    const r = await cli([
      "montecarlo",
      "scenarios/default.yaml",
      ...["--runs", "4", "--years", "2", "--workers", "0", "--budget", "2025/26=60m", "--out", out],
      ...["--report", path.join(tmp, "mc.html")]
    ])
    expect(r.code, r.stderr).toBe(0)
    for (const [file, text] of cliCsv(out)) expect(await downloaded(file), file).toBe(text)
  }, 120_000)

  it("cancels a run: the workers stop and nothing is shown as a result", async () => {
    await page.fill("#runs", "5000")
    await page.click("#run-mc")
    await page.waitForFunction(() => /^[1-9]\d* of 5000/.test(document.getElementById("status")?.textContent ?? ""))
    await page.click("#cancel")
    expect(await finished()).toMatch(/^Cancelled/)
    expect(await page.isDisabled("#cancel")).toBe(true)
    expect(await page.isEnabled("#run-mc")).toBe(true)
  }, 120_000)

  it("labels every control and reaches each by Tab", async () => {
    const controls = await page.$$eval("input, select, textarea, button", (es) =>
      es
        .filter((e) => !(e as HTMLInputElement).disabled && (e as HTMLElement).offsetParent !== null)
        .map((e) => ({
          id: e.id || (e as HTMLElement).dataset.file || e.outerHTML.slice(0, 60),
          labelled:
            ((e as HTMLInputElement).labels?.length ?? 0) > 0 ||
            e.hasAttribute("aria-label") ||
            (e.tagName === "BUTTON" && (e.textContent ?? "").trim() !== "")
        }))
    )
    expect(controls.filter((c) => !c.labelled)).toEqual([])
    await page.focus("body")
    const reached = new Set<string>()
    for (let i = 0; i < controls.length + 10; i++) {
      await page.keyboard.press("Tab")
      reached.add(
        await page.evaluate(() => {
          const e = document.activeElement as HTMLElement | null
          return e === null ? "" : e.id || e.dataset.file || e.outerHTML.slice(0, 60)
        })
      )
    }
    expect(controls.map((c) => c.id).filter((id) => !reached.has(id))).toEqual([])
  }, 60_000)

  it("made no request but the page itself, and logged nothing", () => {
    // The workers' blob: scripts never reach the router: they are not requests to anything.
    // The page itself, loaded once and again after each ten downloads (above).
    expect(requests.length).toBeGreaterThan(0)
    expect(new Set(requests)).toEqual(new Set([url]))
    expect(messages).toEqual([])
  })
})
