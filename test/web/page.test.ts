/**
 * The built page (dist/caseflow.html when it is current, i.e. none of the files it was built from has
 * changed since: scripts/build-web.mjs `currentWeb`; otherwise built afresh from the source into a temporary
 * folder, once for this file) in real browsers, opened from file://:
 *
 * - headless Chromium (Debian's, driven by playwright-core, found as test/report/reports.test.ts finds it):
 *   the Content-Security-Policy forbids eval and every request; the default scenario loaded and run in a Web
 *   Worker, its charts drawn, every CSV byte-identical to `caseflow run`'s; a Monte Carlo of a few runs
 *   equal to `caseflow montecarlo`'s; a cancelled run; every control labelled and reached by Tab; no request
 *   but the page, no console message of any kind, no CSP violation; and eval refused. One page load.
 * - headless Firefox (Debian's firefox-esr, driven by puppeteer-core over WebDriver BiDi, with nothing
 *   downloaded): the default scenario run, its charts drawn, every CSV the command line's, no request, no
 *   console message. One page load.
 *
 * Each is skipped, saying so, where its browser is not installed. A screenshot is kept in test-artifacts/web/
 * (not committed).
 *
 * The files a download button offers are read from the Blob the page hands to the download (a probe
 * installed before the page's script records each Blob), so every file is checked without one download
 * per file (Chromium lets a tab start ten); one file of each run is also downloaded for real, through the
 * browser's own download, and compared the same way.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { cli } from "../support/cli.js"
import { DEFAULT_TRUTH, synthetic } from "../support/ssda903.js"

const root = path.resolve(import.meta.dirname, "../..")

const found = (paths: ReadonlyArray<string | undefined>): string | undefined =>
  paths.find((p): p is string => p !== undefined && p !== "" && fs.existsSync(p))

const CHROMIUM = found([process.env.CASEFLOW_CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser"])
if (CHROMIUM === undefined)
  console.warn(
    "test/web/page.test.ts: no Chromium found (/usr/bin/chromium, or CASEFLOW_CHROMIUM): the browser " +
      "checks of the page are skipped (apt-get install -y chromium fonts-dejavu-core; .ci/run does it)"
  )
const FIREFOX = found([process.env.CASEFLOW_FIREFOX, "/usr/bin/firefox-esr", "/usr/bin/firefox"])
if (FIREFOX === undefined)
  console.warn(
    "test/web/page.test.ts: no Firefox found (/usr/bin/firefox-esr, or CASEFLOW_FIREFOX): the page is not " +
      "checked in Firefox (apt-get install -y firefox-esr; .ci/run does it)"
  )

/** What the probe (below) keeps in the page. */
interface Probe {
  capture: boolean
  readonly blobs: Map<string, Blob>
  readonly got: Array<{ readonly name: string; readonly blob: Blob | undefined }>
  readonly violations: Array<string>
}
declare global {
  interface Window {
    caseflowProbe?: Probe
  }
}

/**
 * Installed before the page's own script (by the driver, which the page's CSP does not govern): records
 * every Blob the page makes a URL of, every CSP violation, and, while `capture` is set, takes the download
 * links the page clicks (the file's name and Blob) instead of letting the browser download them.
 */
const installProbe = (): void => {
  const probe: Probe = { capture: false, blobs: new Map(), got: [], violations: [] }
  window.caseflowProbe = probe
  const create = URL.createObjectURL.bind(URL)
  URL.createObjectURL = (o: Blob | MediaSource): string => {
    const u = create(o)
    if (o instanceof Blob) probe.blobs.set(u, o)
    return u
  }
  document.addEventListener("securitypolicyviolation", (e) =>
    probe.violations.push(`${e.violatedDirective}: ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`)
  )
  document.addEventListener(
    "click",
    (e) => {
      const a = e.target
      if (!probe.capture || !(a instanceof HTMLAnchorElement) || a.download === "") return
      e.preventDefault()
      probe.got.push({ name: a.download, blob: probe.blobs.get(a.href) })
    },
    true
  )
}

/** The captured files, base64 (the bytes as the Blob holds them), in the order they were taken. */
const readCaptured = async (): Promise<Array<[string, string]>> => {
  const probe = window.caseflowProbe
  if (probe === undefined) throw new Error("the probe is not installed")
  const got = probe.got.splice(0)
  return Promise.all(
    got.map(async ({ name, blob }): Promise<[string, string]> => {
      if (blob === undefined) return [name, "(no Blob was made for this download)"]
      const bytes = new Uint8Array(await blob.arrayBuffer())
      let s = ""
      for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
      return [name, btoa(s)]
    })
  )
}

/** Each chart of the report: its size and how many of its marks are drawn with a size. */
const chartsInPage = (): Array<{ width: number; height: number; drawn: number }> => {
  const shadow = document.getElementById("report")?.shadowRoot
  return [...(shadow?.querySelectorAll("figure.chart svg") ?? [])].map((svg) => {
    const box = svg.getBoundingClientRect()
    const marks = [...svg.querySelectorAll("g[class^='mark-'] > path, g[class^='mark-'] > line")]
    const drawn = marks.filter((e) => e.getBoundingClientRect().width > 0 || e.getBoundingClientRect().height > 0)
    return { width: box.width, height: box.height, drawn: drawn.length }
  })
}

const expectCharts = (charts: ReadonlyArray<{ width: number; height: number; drawn: number }>): void => {
  expect(charts.length).toBeGreaterThan(3)
  for (const c of charts) {
    expect(c.width).toBeGreaterThan(100)
    expect(c.height).toBeGreaterThan(50)
    expect(c.drawn).toBeGreaterThan(0)
  }
}

/** Each file `got` holds is `expected`'s, byte for byte (shown as text when it is not). */
const expectSameFiles = (got: ReadonlyArray<readonly [string, Buffer]>, expected: ReadonlyMap<string, Buffer>) => {
  for (const [name, bytes] of got) {
    const want = expected.get(name)
    expect(want, `${name}: the command line wrote no such file`).toBeDefined()
    if (want === undefined || bytes.equals(want)) continue
    expect(bytes.toString("utf8"), name).toBe(want.toString("utf8"))
    expect(bytes.equals(want), `${name}: the same text, other bytes`).toBe(true)
  }
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "caseflow-web-"))
const artifacts = path.join(root, "test-artifacts", "web")
let url = ""

beforeAll(async () => {
  if (CHROMIUM === undefined && FIREFOX === undefined) return
  // The page `npm ci` (or `npm run build:web`) made, when it is still what the source builds; else built afresh.
  const { buildWeb, currentWeb } = await import("../../scripts/build-web.mjs")
  const built = currentWeb() ?? (await buildWeb(tmp))
  expect(built.bytes).toBeLessThan(5 * 1024 * 1024)
  url = `file://${built.file}`
}, 120_000)

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

/** The command line's files for the same work (each computed once, for every browser of the file). */
const once = <A>(f: () => Promise<A>): (() => Promise<A>) => {
  let p: Promise<A> | undefined
  return () => (p ??= f())
}
const filesIn = (dir: string): Map<string, Buffer> =>
  new Map(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f))]))
const cliRun = once(async () => {
  const out = path.join(tmp, "run")
  const r = await cli(["run", "scenarios/default.yaml", "--years", "2", "--out", out])
  expect(r.code, r.stderr).toBe(0)
  return filesIn(out)
})
const cliMonteCarlo = once(async () => {
  const out = path.join(tmp, "mc")
  const r = await cli([
    "montecarlo",
    "scenarios/default.yaml",
    ...["--runs", "4", "--years", "2", "--workers", "0", "--budget", "2025/26=60m", "--out", out],
    ...["--report", path.join(tmp, "mc.html")]
  ])
  expect(r.code, r.stderr).toBe(0)
  return filesIn(out)
})

/**
 * Small generated SSDA903 returns (two raw yearly returns of a council with 40 entries to care a year), and
 * what `caseflow calibrate --out calibrated.yaml --template scenarios/default.yaml` writes from them (the
 * files given as a shell's glob gives them: by name, episodes, header, UASC), and its message for the same
 * returns with an episodes file missing its DEC column.
 */
const returns = synthetic({ ...DEFAULT_TRUTH, entriesPerYear: 40, years: [2021, 2022], seed: "page" }).files
const badReturns = returns.map(([name, text]): [string, string] =>
  name === "2021-episodes.csv"
    ? [
        name,
        text.replace(
          /^CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,/,
          "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DATE_ENDED,"
        )
      ]
    : [name, text]
)
const cliCalibrate = once(async () => {
  const dir = path.join(tmp, "returns")
  const bad = path.join(tmp, "bad-returns")
  const out = path.join(tmp, "cal")
  for (const [d, files] of [
    [dir, returns],
    [bad, badReturns]
  ] as const) {
    fs.mkdirSync(d, { recursive: true })
    for (const [name, text] of files) fs.writeFileSync(path.join(d, name), text)
  }
  fs.mkdirSync(out, { recursive: true })
  const flags = (d: string) =>
    ["episodes", "header", "uasc"].flatMap((role) => [
      `--${role}`,
      ...returns
        .map(([name]) => name)
        .filter((n) => n.includes(role))
        .sort()
        .map((n) => path.join(d, n))
    ])
  const template = ["--out", path.join(out, "calibrated.yaml"), "--template", "scenarios/default.yaml"]
  const good = await cli(["calibrate", ...flags(dir), ...template])
  expect(good.code, good.stderr).toBe(0)
  const refused = await cli(["calibrate", ...flags(bad), ...template])
  expect(refused.code).toBe(2)
  // The command line names the file by the path given; the page by its name.
  return { files: filesIn(out), message: refused.stderr.split(`${bad}${path.sep}`).join("").trim() }
})

type Browser = import("playwright-core").Browser
type Page = import("playwright-core").Page

describe.skipIf(CHROMIUM === undefined)("the page in headless Chromium", () => {
  let browser: Browser
  let page: Page
  const messages: Array<string> = []
  const requests: Array<string> = []

  beforeAll(async () => {
    const { chromium } = await import("playwright-core")
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] })
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, acceptDownloads: true })
    // Every request is routed: the page itself may load, anything else is refused and fails the test.
    await context.route("**/*", (route) => {
      const u = route.request().url()
      requests.push(u)
      return u === url ? route.continue() : route.abort()
    })
    await context.addInitScript(installProbe)
    page = await context.newPage()
    page.on("console", (m) => messages.push(`${m.type()}: ${m.text()}`))
    page.on("pageerror", (e) => messages.push(`error: ${e.message}`))
    page.on("worker", (w) => w.on("console", (m) => messages.push(`worker ${m.type()}: ${m.text()}`)))
    await page.goto(url, { waitUntil: "load" })
    await page.waitForFunction(() => !(document.getElementById("run-single") as HTMLButtonElement).disabled)
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
  })

  const finished = async (): Promise<string> => {
    await page.waitForSelector("#status.done, #status.failed, #status.cancelled", { timeout: 90_000 })
    return (await page.textContent("#status")) ?? ""
  }

  const offered = (suffix: string): Promise<Array<string>> =>
    page.$$eval(`#downloads button[data-file$='${suffix}']`, (bs) =>
      bs.map((b) => (b as HTMLElement).dataset.file ?? "")
    )

  /** One file downloaded for real, by the browser. */
  const downloaded = async (file: string): Promise<Buffer> => {
    const [d] = await Promise.all([
      page.waitForEvent("download", { timeout: 15_000 }).catch((e: Error) => {
        throw new Error(`${file}: no download (${e.message})`)
      }),
      page.click(`#downloads button[data-file="${file}"]`)
    ])
    return fs.readFileSync(await d.path())
  }

  /** The files the buttons offer (in the list `list`), as the Blobs the page hands to the download. */
  const captured = async (files: ReadonlyArray<string>, list = "#downloads"): Promise<Array<[string, Buffer]>> => {
    await page.evaluate(() => {
      if (window.caseflowProbe !== undefined) window.caseflowProbe.capture = true
    })
    for (const f of files) await page.click(`${list} button[data-file="${f}"]`)
    const got = await page.evaluate(readCaptured)
    await page.evaluate(() => {
      if (window.caseflowProbe !== undefined) window.caseflowProbe.capture = false
    })
    expect(got.map(([name]) => name)).toEqual(files)
    return got.map(([name, b64]) => [name, Buffer.from(b64, "base64")])
  }

  it("forbids eval and every request (its Content-Security-Policy)", async () => {
    const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', "content")
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain("connect-src 'none'")
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+';/)
    expect(csp).not.toContain("unsafe-eval")
    expect(csp).not.toContain("unsafe-inline'; script")
  })

  it("runs the default scenario: charts drawn, every CSV the command line's, byte for byte", async () => {
    expect(await page.textContent("#loaded")).toContain("scenarios/default.yaml")
    const expected = cliRun()
    await page.fill("#years", "2")
    await page.click("#run-single")
    expect(await finished()).toMatch(/^Done in [\d.]+ s \(the results in [\d.]+ s, the simulation itself: /)
    // The results were shown before the report was drawn (by another worker).
    const [results, total] = await Promise.all(
      ["results", "seconds"].map((k) => page.getAttribute("#status", `data-${k}`))
    )
    expect(Number(results)).toBeGreaterThan(0)
    expect(Number(results)).toBeLessThan(Number(total))
    expectCharts(await page.evaluate(chartsInPage))
    const csv = await offered(".csv")
    expect(csv.sort()).toEqual([...(await expected).keys()].sort())
    expectSameFiles([[csv[0], await downloaded(csv[0])], ...(await captured(csv))], await expected)
    const [[, yaml]] = await captured(["scenario.yaml"])
    expect(yaml.toString("utf8")).toContain("name: Default borough")
    fs.mkdirSync(artifacts, { recursive: true })
    await page.screenshot({ path: path.join(artifacts, "page.png"), fullPage: false })
    expect(fs.statSync(path.join(artifacts, "page.png")).size).toBeGreaterThan(10_000)
  }, 120_000)

  it("a Monte Carlo of a few runs on Web Workers equals caseflow montecarlo's", async () => {
    const expected = cliMonteCarlo()
    await page.fill("#runs", "4")
    await page.fill("#budgets", "2025/26=60m")
    await page.click("#run-mc")
    expect(await finished()).toMatch(/^Done in/)
    const csv = await offered(".csv")
    expect(csv.sort()).toEqual([...(await expected).keys()].sort())
    expectSameFiles([[csv[0], await downloaded(csv[0])], ...(await captured(csv))], await expected)
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

  it("refuses a field out of range as the command line refuses the flag, and starts nothing", async () => {
    const before = { "#years": await page.inputValue("#years"), "#seed": "", "#runs": await page.inputValue("#runs") }
    const cases = [
      ["#years", "0", "#run-single", 'Years to simulate: expected a whole number from 1 to 50, found "0"'],
      ["#years", "51", "#run-mc", 'Years to simulate: expected a whole number from 1 to 50, found "51"'],
      [
        "#seed",
        "1e16",
        "#run-single",
        'Random seed: expected a whole number from -9,007,199,254,740,991 to 9,007,199,254,740,991, found "1e16"'
      ],
      ["#runs", "0", "#run-mc", 'Runs: expected a whole number from 1 to 100,000, found "0"'],
      ["#runs", "2.5", "#run-mc", 'Runs: expected a whole number from 1 to 100,000, found "2.5"']
    ] as const
    for (const [field, value, button, message] of cases) {
      await page.fill(field, value)
      await page.click(button)
      await page.waitForFunction((m) => document.getElementById("status")?.textContent === m, message)
      expect(await page.getAttribute("#status", "class")).toBe("failed")
      expect(await page.isDisabled("#cancel"), "nothing started").toBe(true)
      await page.fill(field, before[field])
    }
  })

  it("calibrates from dropped SSDA903 files: caseflow calibrate's scenario and table, byte for byte", async () => {
    const expected = cliCalibrate()
    const calibrated = async (): Promise<string> => {
      await page.click("#run-calibrate")
      await page.waitForSelector("#cal-status.done, #cal-status.failed", { timeout: 60_000 })
      return (await page.textContent("#cal-status")) ?? ""
    }
    // A bad file, chosen with the file picker: the command line's message, and nothing loaded.
    await page.setInputFiles(
      "#returns",
      badReturns.map(([name, text]) => ({ name, mimeType: "text/csv", buffer: Buffer.from(text) }))
    )
    const refused = await calibrated()
    expect(refused).toMatch(/^2021-episodes\.csv, line 1: not an SSDA903 episodes file: missing column DEC /)
    expect((await expected).message).toContain(refused)
    expect(await page.isHidden("#cal-results")).toBe(true)
    expect(await page.textContent("#loaded")).not.toContain("calibrated.yaml")
    // The good files dropped on the page (each replaces the bad file of its name).
    const dropped = await page.evaluateHandle((files) => {
      const dt = new DataTransfer()
      for (const [name, text] of files) dt.items.add(new File([text], name, { type: "text/csv" }))
      return dt
    }, returns)
    await page.dispatchEvent("#drop", "drop", { dataTransfer: dropped })
    await page.waitForFunction(() => /^6 files ready/.test(document.getElementById("cal-status")?.textContent ?? ""))
    expect(await calibrated()).toMatch(/^Calibrated in [\d.]+ s: calibrated\.yaml is open in the page/)
    expect(await page.textContent("#cal-dirty")).toMatch(/^Dirty data: /)
    expect(await page.textContent("#cal-summary")).toContain("Calibration table")
    const files = ["calibrated.yaml", "calibrated-calibration.csv"]
    expectSameFiles(await captured(files, "#cal-downloads"), (await expected).files)
    // The calibrated scenario is the one open in the page, ready to run.
    await page.waitForFunction(() => (document.getElementById("loaded")?.textContent ?? "").includes("calibrated.yaml"))
    expect(await page.isEnabled("#run-single")).toBe(true)
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
    const missing = () => controls.map((c) => c.id).filter((id) => !reached.has(id))
    // Focusable parts of the report (in its shadow root) come between the controls: tabbed through too.
    for (let i = 0; i < 3 * controls.length + 40 && missing().length > 0; i++) {
      await page.keyboard.press("Tab")
      reached.add(
        await page.evaluate(() => {
          const e = document.activeElement as HTMLElement | null
          return e === null ? "" : e.id || e.dataset.file || e.outerHTML.slice(0, 60)
        })
      )
    }
    expect(missing()).toEqual([])
  }, 60_000)

  it("made no request but the page itself, logged nothing, broke no CSP rule; and eval is refused", async () => {
    // The workers' blob: scripts never reach the router: they are not requests to anything.
    expect(requests).toEqual([url])
    expect(messages).toEqual([])
    expect(await page.evaluate(() => window.caseflowProbe?.violations)).toEqual([])
    // The policy is in force where the charts are drawn, in a Web Worker from a blob: URL (it inherits the
    // page's policy): code compiled from a string is refused there. (The probe runs in a worker of its own:
    // code the driver evaluates in the page itself is exempt from the policy.)
    const evaluated = await page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          const probe =
            "try { postMessage(String(new Function(\"return 'compiled'\")())) }" +
            " catch (e) { postMessage(e instanceof EvalError ? 'refused' : String(e)) }"
          const w = new Worker(URL.createObjectURL(new Blob([probe], { type: "text/javascript" })))
          w.onmessage = (e: MessageEvent<string>) => {
            w.terminate()
            resolve(e.data)
          }
        })
    )
    expect(evaluated).toBe("refused")
  })
})

type PuppeteerBrowser = import("puppeteer-core").Browser
type PuppeteerPage = import("puppeteer-core").Page

describe.skipIf(FIREFOX === undefined)("the page in headless Firefox", () => {
  let browser: PuppeteerBrowser
  let page: PuppeteerPage
  const messages: Array<string> = []
  const requests: Array<string> = []

  /** Polls `f` in the page (puppeteer's waitForFunction compiles its predicate in the page: refused by the CSP). */
  const until = async (f: () => boolean, what: string, ms = 90_000): Promise<void> => {
    const end = Date.now() + ms
    while (!(await page.evaluate(f))) {
      if (Date.now() > end) throw new Error(`Firefox: ${what} did not happen in ${ms / 1000} s`)
      await new Promise((r) => setTimeout(r, 100))
    }
  }

  beforeAll(async () => {
    const puppeteer = (await import("puppeteer-core")).default
    // No viewport emulation (defaultViewport: null): Firefox's WebDriver BiDi lacks a command puppeteer sends for it.
    browser = await puppeteer.launch({
      browser: "firefox",
      executablePath: FIREFOX,
      headless: true,
      defaultViewport: null,
      args: ["--width=1200", "--height=900"],
      // One content process, started when needed: the page is one site, and this costs a quarter less CPU.
      extraPrefsFirefox: {
        "fission.autostart": false,
        "dom.ipc.processCount": 1,
        "dom.ipc.processPrelaunch.enabled": false
      }
    })
    page = await browser.newPage()
    page.on("console", (m) => messages.push(`${m.type()}: ${m.text()}`))
    page.on("pageerror", (e) => messages.push(`error: ${e instanceof Error ? e.message : String(e)}`))
    page.on("request", (r) => requests.push(r.url()))
    await page.evaluateOnNewDocument(installProbe)
    await page.goto(url, { waitUntil: "load" })
    await until(() => !(document.getElementById("run-single") as HTMLButtonElement).disabled, "the page's start")
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
  })

  it("runs the default scenario: charts drawn, every CSV the command line's; no request, nothing logged", async () => {
    const expected = cliRun()
    await page.evaluate(() => {
      const years = document.getElementById("years") as HTMLInputElement
      years.value = "2"
      years.dispatchEvent(new Event("input", { bubbles: true }))
    })
    await page.click("#run-single")
    await until(() => document.querySelector("#status.done, #status.failed") !== null, "the run's end")
    expect(await page.evaluate(() => document.getElementById("status")?.textContent)).toMatch(/^Done in/)
    expectCharts(await page.evaluate(chartsInPage))
    const csv = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>("#downloads button[data-file$='.csv']")].map((b) => b.dataset.file)
    )
    expect([...csv].sort()).toEqual([...(await expected).keys()].sort())
    await page.evaluate(() => {
      if (window.caseflowProbe !== undefined) window.caseflowProbe.capture = true
    })
    for (const f of csv) await page.click(`#downloads button[data-file="${f}"]`)
    const got = await page.evaluate(readCaptured)
    expect(got.map(([name]) => name)).toEqual(csv)
    expectSameFiles(
      got.map(([name, b64]) => [name, Buffer.from(b64, "base64")]),
      await expected
    )
    fs.mkdirSync(artifacts, { recursive: true })
    await page.screenshot({ path: path.join(artifacts, "page-firefox.png") })
    // Firefox reports its own stylesheet's list-bullet font (a data: URL) as a request; data: URLs never
    // leave the machine. Anything else would be a request the page made.
    expect(requests.filter((u) => u !== url && !u.startsWith("data:"))).toEqual([])
    expect(messages).toEqual([])
    expect(await page.evaluate(() => window.caseflowProbe?.violations)).toEqual([])
  }, 120_000)
})
