/**
 * The page: pick or open a scenario, see its problems, set the levers, run it (a single run, a Monte Carlo
 * or a comparison) in Web Workers with a progress bar and a cancel button, read the report, download the
 * results. Plain DOM, no framework: every control is a labelled form element in the page's markup
 * (src/web/page.html), reachable by Tab in document order.
 *
 * The scenario work is the command line's: the loader reads the page's in-memory files (MemoryFiles.ts),
 * the levers are overlays (Edit.ts), the tasks are Tasks.ts, the workers run the replication protocol.
 * SSDA903 files dropped on the page are calibrated from in a worker (Calibrate.ts, `caseflow calibrate`'s
 * parts), and the scenario written is opened as if from disk.
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Cause from "effect/Cause"
import { scenarioFromText, type ScenarioSource } from "../../scenario/Load.js"
import type { ScenarioError } from "../../scenario/Problems.js"
import type { ReportDocument } from "../../report/Document.js"
import type { Workbook } from "../../report/Workbook.js"
import { VERSION } from "../../version.js"
import { MAX_RUN_YEARS } from "../../domain/Calendar.js"
import { wholeNumberProblem } from "../../domain/Show.js"
import { SEED_MAX, SEED_MIN } from "../../random/Streams.js"
import { editScenario, type Levers, scenarioYaml } from "../Edit.js"
import { type Files, memoryFileSystem } from "../MemoryFiles.js"
import { DEFAULT_SCENARIO, EXAMPLES, SHIPPED_FILES } from "../Shipped.js"
import { comparison, type Env, monteCarlo, type Output, parametersFrom, preflight } from "../Tasks.js"
import { CalibrateFailed, orderFiles, type DroppedFile } from "../Calibrate.js"
import { calibrateInWorker, renderInWorker, runInWorker, warmUp, webWorkers } from "./Workers.js"

const byId = <T extends HTMLElement>(id: string): T => {
  const e = document.getElementById(id)
  if (e === null) throw new Error(`the page has no #${id}`)
  return e as T
}

const makeUi = () => ({
  shipped: byId<HTMLSelectElement>("shipped"),
  open: byId<HTMLInputElement>("open"),
  entryRow: byId<HTMLDivElement>("entry-row"),
  entry: byId<HTMLSelectElement>("entry"),
  loaded: byId<HTMLParagraphElement>("loaded"),
  problems: byId<HTMLDivElement>("problems"),
  warnings: byId<HTMLDivElement>("warnings"),
  form: byId<HTMLFormElement>("levers"),
  children: byId<HTMLInputElement>("children"),
  rate: byId<HTMLInputElement>("rate"),
  shockFrom: byId<HTMLInputElement>("shock-from"),
  shockMultiplier: byId<HTMLInputElement>("shock-multiplier"),
  examples: byId<HTMLDivElement>("examples"),
  years: byId<HTMLInputElement>("years"),
  seed: byId<HTMLInputElement>("seed"),
  runs: byId<HTMLInputElement>("runs"),
  budgets: byId<HTMLTextAreaElement>("budgets"),
  runSingle: byId<HTMLButtonElement>("run-single"),
  runMc: byId<HTMLButtonElement>("run-mc"),
  runCompare: byId<HTMLButtonElement>("run-compare"),
  cancel: byId<HTMLButtonElement>("cancel"),
  progress: byId<HTMLProgressElement>("progress"),
  status: byId<HTMLParagraphElement>("status"),
  results: byId<HTMLElement>("results"),
  downloads: byId<HTMLUListElement>("downloads"),
  summary: byId<HTMLPreElement>("summary"),
  report: byId<HTMLDivElement>("report"),
  drop: byId<HTMLDivElement>("drop"),
  returns: byId<HTMLInputElement>("returns"),
  returnsList: byId<HTMLUListElement>("returns-list"),
  laRow: byId<HTMLDivElement>("la-row"),
  la: byId<HTMLSelectElement>("la"),
  calFrom: byId<HTMLInputElement>("cal-from"),
  calTo: byId<HTMLInputElement>("cal-to"),
  calTemplate: byId<HTMLSelectElement>("cal-template"),
  runCalibrate: byId<HTMLButtonElement>("run-calibrate"),
  calStatus: byId<HTMLParagraphElement>("cal-status"),
  calResults: byId<HTMLDivElement>("cal-results"),
  calDownloads: byId<HTMLUListElement>("cal-downloads"),
  calDirty: byId<HTMLPreElement>("cal-dirty"),
  calSummary: byId<HTMLPreElement>("cal-summary")
})

/** The page's controls (found when the page starts: this module is also loaded in the workers, which have no DOM). */
let ui: ReturnType<typeof makeUi>

/** The page's one script, whose text is also every worker's (see entry.ts). */
const workerUrl = (): string => {
  const text = byId<HTMLScriptElement>("caseflow-app").textContent ?? ""
  return URL.createObjectURL(new Blob([text], { type: "text/javascript" }))
}

interface State {
  /** Shipped files and those opened from disk (by their names). */
  files: Map<string, string>
  opened: Array<string>
  /** `files` with the overlays of the form (what the baseline and variant were read from). */
  edited: Files
  entry: string
  /** The scenario chosen, as loaded (null: it has problems). */
  base: ScenarioSource | null
  baseline: ScenarioSource | null
  variant: ScenarioSource | null
  running: Fiber.RuntimeFiber<void, never> | null
  url: string | null
  /** SSDA903 files dropped or chosen for calibration (their bytes, here only). */
  returns: Array<DroppedFile>
  calibrating: boolean
}

const state: State = {
  files: new Map(),
  opened: [],
  edited: new Map(),
  entry: DEFAULT_SCENARIO,
  base: null,
  baseline: null,
  variant: null,
  running: null,
  url: null,
  returns: [],
  calibrating: false
}

const load = (files: Files, file: string): Promise<Either.Either<ScenarioSource, ScenarioError>> =>
  Effect.runPromise(
    Effect.either(scenarioFromText(file, files.get(file) ?? "").pipe(Effect.provide(memoryFileSystem(files))))
  )

const setText = (el: HTMLElement, text: string, cls = ""): void => {
  el.textContent = text
  el.className = cls
}

const showProblems = (message: string | null): void => {
  ui.problems.replaceChildren()
  if (message === null) return
  const pre = document.createElement("pre")
  pre.className = "problems"
  pre.textContent = message
  ui.problems.append(pre)
}

/** The most runs the page takes (its field's `max`; `caseflow compare --runs` takes as many). */
const MAX_PAGE_RUNS = 100_000

/**
 * A whole-number field, checked as the command line checks its flag: the number, the fallback when the field
 * is empty, or what is wrong with it, named by the field's label.
 */
const wholeField = (
  input: HTMLInputElement,
  label: string,
  fallback: number,
  min: number,
  max: number
): Either.Either<number, string> => {
  // A number field's value is "" for text the browser cannot read as a number.
  const text = input.validity.badInput ? "not a number" : input.value.trim()
  if (text === "") return Either.right(fallback)
  const problem = wholeNumberProblem(text, Number(text), min, max)
  return problem === null ? Either.right(Number(text)) : Either.left(`${label}: ${problem}`)
}

/** The levers the form sets (a field left at the scenario's value is not a lever). */
const leversOf = (base: ScenarioSource): Levers => {
  const children = ui.children.valueAsNumber
  const rate = ui.rate.valueAsNumber
  const multiplier = ui.shockMultiplier.valueAsNumber
  const population = base.central.population.children
  return {
    children: Number.isFinite(children) && children !== population ? children : null,
    ratePer10k: Number.isFinite(rate) && rate !== base.central.referrals.ratePer10k ? rate : null,
    shock: ui.shockFrom.value !== "" && Number.isFinite(multiplier) ? { from: ui.shockFrom.value, multiplier } : null
  }
}

const ticked = () =>
  EXAMPLES.filter((e) => (document.getElementById(`example-${e.id}`) as HTMLInputElement | null)?.checked === true)

const canRun = (): void => {
  const ready = state.variant !== null && state.running === null
  ui.runSingle.disabled = !ready
  ui.runMc.disabled = !ready
  ui.runCompare.disabled = !ready || state.baseline === null || state.baseline.id === state.variant?.id
  ui.cancel.disabled = state.running === null
}

let generation = 0

/** Re-reads the levers and loads the baseline and variant they describe. */
const applyLevers = async (): Promise<void> => {
  const g = ++generation
  const base = state.base
  state.baseline = null
  state.variant = null
  canRun()
  if (base === null) return
  const edited = editScenario(state.files, state.entry, base.central.name, leversOf(base), ticked())
  const [baseline, variant] = await Promise.all([
    load(edited.files, edited.baseline),
    load(edited.files, edited.variant)
  ])
  if (g !== generation) return
  const bad = [baseline, variant].find(Either.isLeft)
  if (bad !== undefined && Either.isLeft(bad)) {
    showProblems(bad.left.message)
    return
  }
  if (Either.isLeft(baseline) || Either.isLeft(variant)) return
  showProblems(null)
  state.edited = edited.files
  state.baseline = baseline.right
  state.variant = variant.right
  const years = Either.getOrElse(
    wholeField(ui.years, "Years to simulate", variant.right.central.years, 1, MAX_RUN_YEARS),
    () => variant.right.central.years
  )
  const checked = preflight(variant.right, years)
  if (Either.isLeft(checked)) showProblems(checked.left.message)
  else {
    ui.warnings.replaceChildren()
    if (checked.right !== null) {
      const pre = document.createElement("pre")
      pre.className = "warnings"
      pre.textContent = checked.right
      ui.warnings.append(pre)
    }
  }
  setText(
    ui.loaded,
    `${variant.right.central.name}: ${variant.right.label}, SHA-256 ${variant.right.id.slice(0, 12)}...` +
      (variant.right.uncertainty === null
        ? ""
        : ` (${variant.right.uncertainty.parameters.length} uncertain parameters)`)
  )
  canRun()
}

/** Loads the chosen scenario and sets the form to its values. */
const chooseScenario = async (): Promise<void> => {
  state.base = null
  const r = await load(state.files, state.entry)
  if (Either.isLeft(r)) {
    showProblems(r.left.message)
    setText(ui.loaded, `${state.entry}: not loaded (see the problems below)`)
    ui.warnings.replaceChildren()
    state.baseline = null
    state.variant = null
    canRun()
    return
  }
  const s = r.right.central
  state.base = r.right
  ui.children.value = String(s.population.children)
  ui.rate.value = String(s.referrals.ratePer10k)
  ui.shockFrom.value = ""
  ui.shockMultiplier.value = ""
  ui.years.value = String(s.years)
  ui.seed.value = String(s.seed)
  ui.shockFrom.min = s.start
  await applyLevers()
}

const download = (name: string, data: string | Uint8Array, type: string): void => {
  const blob = new Blob([typeof data === "string" ? data : data.slice().buffer], { type })
  const a = document.createElement("a")
  a.href = URL.createObjectURL(blob)
  a.download = name
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000)
}

const addDownload = (
  label: string,
  name: string,
  data: string | Uint8Array,
  type: string,
  list: HTMLUListElement = ui.downloads
): void => {
  const li = document.createElement("li")
  const b = document.createElement("button")
  b.type = "button"
  b.textContent = label
  b.dataset.file = name
  b.addEventListener("click", () => download(name, data, type))
  li.append(b)
  list.append(li)
}

interface Shown {
  readonly kind: "run" | "montecarlo" | "compare"
  readonly summary: string
  readonly csv: ReadonlyArray<Output>
  readonly html: string
  readonly xlsx: Uint8Array
  readonly renderWarnings: ReadonlyArray<string>
  /**
   * A single run's events, the time the simulation itself took, all its worker did, until its results were
   * shown (from the click), and the report's rendering after that.
   */
  readonly events?: number
  readonly simulatedMs?: number
  readonly workerMs?: number
  readonly resultsMs?: number
  readonly renderMs?: number
}

/** A run's summary and CSVs, shown while its report is rendered (a single run's report comes after its results). */
const showResults = (
  r: Pick<Shown, "summary" | "csv">,
  scenario: ScenarioSource,
  report: { readonly kind: Shown["kind"]; readonly html: string; readonly xlsx: Uint8Array } | null
): void => {
  ui.results.hidden = false
  ui.summary.textContent = r.summary
  ui.downloads.replaceChildren()
  for (const o of r.csv) addDownload(`Download ${o.name}`, o.name, o.data, "text/csv")
  if (report !== null) {
    addDownload("Download the report (HTML)", `caseflow-${report.kind}-report.html`, report.html, "text/html")
    addDownload(
      "Download the workbook (Excel)",
      `caseflow-${report.kind}.xlsx`,
      report.xlsx,
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
  }
  addDownload("Download the scenario (YAML)", "scenario.yaml", scenarioYaml(scenario.raw, scenario.label), "text/yaml")
  // The report in a shadow root: its styles stay its own; its CSP meta and head are dropped by the parser.
  const shadow = ui.report.shadowRoot ?? ui.report.attachShadow({ mode: "open" })
  shadow.innerHTML = report?.html ?? ""
}

const showResult = (r: Shown, scenario: ScenarioSource, seconds: number): void => {
  showResults(r, scenario, r)
  const notes = r.renderWarnings.length === 0 ? "" : ` Vega warned: ${r.renderWarnings.join("; ")}`
  const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`
  const results = r.resultsMs === undefined ? "" : `the results in ${secs(r.resultsMs)}, `
  const sim =
    r.events === undefined || r.simulatedMs === undefined
      ? ""
      : ` (${results}the simulation itself: ${r.events.toLocaleString("en-GB")} events in ${secs(r.simulatedMs)})`
  setText(ui.status, `Done in ${seconds.toFixed(2)} s${sim}.${notes}`, "done")
  ui.status.dataset.seconds = seconds.toFixed(3)
  // The time a run took, in parts (seconds), for whoever measures the page (bench/web.bench.ts).
  const parts = { results: r.resultsMs, simulated: r.simulatedMs, render: r.renderMs, worker: r.workerMs }
  for (const [k, ms] of Object.entries(parts)) ui.status.dataset[k] = ms === undefined ? "" : (ms / 1000).toFixed(3)
}

const workers = (runs: number): number => Math.max(1, Math.min(Math.floor(navigator.hardwareConcurrency || 1), runs))

const start = (kind: Shown["kind"]): void => {
  const variant = state.variant
  const baseline = state.baseline
  if (variant === null || baseline === null || state.running !== null) return
  state.url ??= workerUrl()
  const url = state.url
  const fields = Either.all({
    years: wholeField(ui.years, "Years to simulate", variant.central.years, 1, MAX_RUN_YEARS),
    seed: wholeField(ui.seed, "Random seed", variant.central.seed, SEED_MIN, SEED_MAX),
    runs: wholeField(ui.runs, "Runs", 100, 1, MAX_PAGE_RUNS)
  })
  if (Either.isLeft(fields)) {
    setText(ui.status, fields.left, "failed")
    return
  }
  const { years, seed, runs } = fields.right
  const budgets = ui.budgets.value
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "")
  const env: Env = {
    replicators: (job) => webWorkers(url, job, workers(runs)),
    render: (doc, book) => renderInWorker(url, doc, book)
  }
  let done = 0
  const progress = {
    tick: () => {
      done++
      ui.progress.value = done
      setText(ui.status, `${done} of ${runs} ${kind === "compare" ? "pairs" : "replications"}...`)
    },
    clear: () => {}
  }
  ui.progress.max = kind === "run" ? 1 : runs
  if (kind === "run") ui.progress.removeAttribute("value")
  else ui.progress.value = 0
  for (const k of ["seconds", "results", "simulated", "render", "worker"]) ui.status.dataset[k] = ""
  const what =
    kind === "run"
      ? "Running"
      : kind === "montecarlo"
        ? `Running ${runs} replications on ${workers(runs)} workers`
        : `Running ${runs} pairs on ${workers(runs)} workers`
  setText(ui.status, `${what}...`)
  const texts = (s: ScenarioSource) => s.files.map((file) => ({ file, text: state.edited.get(file) ?? "" }))
  const started = performance.now()
  // A single run's results are shown as soon as they come; its report is then rendered in another worker.
  const single = Effect.gen(function* () {
    const r = yield* runInWorker(url, { arms: [variant], years, seed }, texts(variant))
    const resultsMs = performance.now() - started
    showResults(r, variant, null)
    setText(ui.status, `Results in ${(resultsMs / 1000).toFixed(2)} s; drawing the report...`)
    const rendered = yield* renderInWorker(url, r.doc as ReportDocument, r.book as Workbook)
    const { doc: _doc, book: _book, ...shown } = r
    return { kind, ...shown, ...rendered, resultsMs, renderMs: performance.now() - started - resultsMs }
  })
  const task: Effect.Effect<Shown, { readonly message: string }> =
    kind === "run"
      ? single
      : kind === "montecarlo"
        ? Effect.map(
            monteCarlo(variant, parametersFrom(state.edited, variant), { seed, years, runs, budgets }, env, progress),
            (r) => ({ kind, ...r })
          )
        : Effect.map(
            comparison(
              baseline,
              variant,
              { baseline: parametersFrom(state.edited, baseline), variant: parametersFrom(state.edited, variant) },
              { seed, years, runs },
              env,
              progress
            ),
            (r) => ({ kind, ...r })
          )
  const fiber = Effect.runFork(
    task.pipe(
      Effect.matchCause({
        onSuccess: (r) => {
          ui.progress.value = ui.progress.max
          showResult(r, variant, (performance.now() - started) / 1000)
        },
        onFailure: (cause) => {
          ui.progress.value = 0
          const e = Cause.squash(cause)
          setText(ui.status, e instanceof Error ? e.message : String(e), "failed")
        }
      })
    )
  )
  state.running = fiber
  canRun()
  fiber.addObserver((exit) => {
    state.running = null
    // An interrupted fiber runs no handler of its own: the cancelled state is set here.
    if (Exit.isInterrupted(exit)) {
      ui.progress.value = 0
      setText(ui.status, "Cancelled: the workers were stopped; nothing was kept.", "cancelled")
    } else if (Exit.isFailure(exit)) setText(ui.status, "Failed.", "failed")
    canRun()
  })
}

const cancel = (): void => {
  const f = state.running
  if (f === null) return
  setText(ui.status, "Cancelling...")
  ui.cancel.disabled = true
  Effect.runFork(Fiber.interrupt(f))
}

/** Files opened from disk: the entry is the one no other file extends (or the analyst's pick). */
const openFiles = async (list: FileList): Promise<void> =>
  openTexts(await Promise.all(Array.from(list, async (f) => [f.name, await f.text()] as const)))

/** Scenario files given as texts (opened from disk, or written by the calibration), as if opened from disk. */
const openTexts = async (picked: ReadonlyArray<readonly [string, string]>): Promise<void> => {
  if (picked.length === 0) return
  for (const name of state.opened) state.files.delete(name)
  state.opened = picked.map(([name]) => name)
  for (const [name, text] of picked) state.files.set(name, text)
  const extended = new Set(
    picked.flatMap(([, text]) => {
      const m = /^extends:\s*["']?([^"'#\n]+?)["']?\s*(#.*)?$/m.exec(text)
      return m === null ? [] : [m[1].trim()]
    })
  )
  const tops = state.opened.filter((n) => !extended.has(n))
  ui.entry.replaceChildren(
    ...state.opened.map((n) => {
      const o = document.createElement("option")
      o.value = n
      o.textContent = n
      return o
    })
  )
  ui.entry.value = tops[0] ?? state.opened[0]
  ui.entryRow.hidden = state.opened.length < 2
  const fromDisk = document.createElement("option")
  fromDisk.value = ""
  fromDisk.textContent = "(files opened from disk)"
  ui.shipped.querySelector('option[value=""]')?.remove()
  ui.shipped.append(fromDisk)
  ui.shipped.value = ""
  state.entry = ui.entry.value
  await chooseScenario()
}

/** The calibrated scenario's file in the page (and its table's, as `calibrate --out` names it beside it). */
const CALIBRATED = "calibrated.yaml"
const CALIBRATION_TABLE = "calibrated-calibration.csv"

/** Files dropped or chosen for calibration: each replaces one of the same name. */
const addReturns = async (list: FileList | ReadonlyArray<File>): Promise<void> => {
  const added = await Promise.all(
    Array.from(list, async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) }))
  )
  const names = new Set(added.map((f) => f.name))
  state.returns = [...state.returns.filter((f) => !names.has(f.name)), ...added]
  ui.returnsList.replaceChildren(
    ...orderFiles(state.returns).map((f) => {
      const li = document.createElement("li")
      li.textContent = `${f.name}: ${f.role} (${f.bytes.length.toLocaleString("en-GB")} bytes)`
      return li
    })
  )
  ui.laRow.hidden = true
  ui.la.replaceChildren()
  ui.runCalibrate.disabled = state.calibrating || state.returns.length === 0
  setText(ui.calStatus, `${state.returns.length} files ready to calibrate from.`)
}

const showCouncils = (councils: ReadonlyArray<string>): void => {
  if (councils.length < 2) return
  const chosen = ui.la.value
  ui.la.replaceChildren(
    ...councils.map((c) => {
      const o = document.createElement("option")
      o.value = c
      o.textContent = c
      return o
    })
  )
  if (councils.includes(chosen)) ui.la.value = chosen
  ui.laRow.hidden = false
}

/** `caseflow calibrate` of the files, in a Web Worker; the scenario it writes is opened in the page. */
const calibrateReturns = async (): Promise<void> => {
  if (state.calibrating || state.returns.length === 0) return
  const template =
    ui.calTemplate.value === "open"
      ? state.base
      : await load(state.files, DEFAULT_SCENARIO).then((r) => (Either.isRight(r) ? r.right : null))
  if (template === null) {
    setText(ui.calStatus, "The template scenario has problems (see 1. Scenario): choose another.", "failed")
    return
  }
  state.calibrating = true
  ui.runCalibrate.disabled = true
  ui.calResults.hidden = true
  setText(ui.calStatus, `Calibrating from ${state.returns.length} files...`)
  state.url ??= workerUrl()
  const started = performance.now()
  const exit = await Effect.runPromiseExit(
    calibrateInWorker(state.url, {
      files: state.returns,
      from: ui.calFrom.value === "" ? null : ui.calFrom.value,
      to: ui.calTo.value === "" ? null : ui.calTo.value,
      la: ui.laRow.hidden || ui.la.value === "" ? null : ui.la.value,
      template: { label: template.label, raw: template.raw }
    })
  )
  state.calibrating = false
  ui.runCalibrate.disabled = state.returns.length === 0
  if (Exit.isFailure(exit)) {
    const e = Cause.squash(exit.cause)
    if (e instanceof CalibrateFailed) showCouncils(e.councils)
    setText(ui.calStatus, e instanceof Error ? e.message : String(e), "failed")
    return
  }
  const r = exit.value
  ui.calResults.hidden = false
  ui.calDirty.textContent =
    r.firstProblems.length <= 1 ? r.problems : `${r.problems}\n\nThe first rows:\n${r.firstProblems.join("\n")}`
  ui.calSummary.textContent = r.summary
  ui.calDownloads.replaceChildren()
  addDownload("Download the calibrated scenario (YAML)", CALIBRATED, r.scenario, "text/yaml", ui.calDownloads)
  addDownload("Download the calibration table (CSV)", CALIBRATION_TABLE, r.table, "text/csv", ui.calDownloads)
  addDownload(
    "Download the dirty-data problems (CSV)",
    "calibration-problems.csv",
    r.problemsCsv,
    "text/csv",
    ui.calDownloads
  )
  await openTexts([[CALIBRATED, r.scenario]])
  setText(
    ui.calStatus,
    `Calibrated in ${((performance.now() - started) / 1000).toFixed(2)} s: ${CALIBRATED} is open in the page ` +
      "(1. Scenario).",
    "done"
  )
}

const debounce = (f: () => void, ms: number): (() => void) => {
  let t: ReturnType<typeof setTimeout> | undefined
  return () => {
    clearTimeout(t)
    t = setTimeout(f, ms)
  }
}

export const startPage = (): void => {
  ui = makeUi()
  const shipped = JSON.parse(byId<HTMLScriptElement>("caseflow-scenarios").textContent ?? "{}") as Record<
    string,
    string
  >
  for (const f of SHIPPED_FILES) if (typeof shipped[f] === "string") state.files.set(f, shipped[f])
  for (const f of SHIPPED_FILES) {
    const o = document.createElement("option")
    o.value = f
    o.textContent = f
    ui.shipped.append(o)
  }
  ui.shipped.value = DEFAULT_SCENARIO
  for (const e of EXAMPLES) {
    const row = document.createElement("div")
    row.className = "row check"
    const box = document.createElement("input")
    box.type = "checkbox"
    box.id = `example-${e.id}`
    const label = document.createElement("label")
    label.htmlFor = box.id
    label.textContent = `${e.label}: ${e.path}`
    row.append(box, label)
    ui.examples.append(row)
  }
  ui.shipped.addEventListener("change", () => {
    if (ui.shipped.value === "") return
    state.entry = ui.shipped.value
    ui.entryRow.hidden = true
    void chooseScenario()
  })
  ui.open.addEventListener("change", () => {
    if (ui.open.files !== null) void openFiles(ui.open.files)
  })
  ui.entry.addEventListener("change", () => {
    state.entry = ui.entry.value
    void chooseScenario()
  })
  const relever = debounce(() => void applyLevers(), 250)
  ui.form.addEventListener("input", relever)
  ui.form.addEventListener("change", relever)
  ui.form.addEventListener("submit", (e) => e.preventDefault())
  ui.runSingle.addEventListener("click", () => start("run"))
  ui.runMc.addEventListener("click", () => start("montecarlo"))
  ui.runCompare.addEventListener("click", () => start("compare"))
  ui.cancel.addEventListener("click", cancel)
  ui.returns.addEventListener("change", () => {
    if (ui.returns.files !== null) void addReturns(ui.returns.files)
  })
  ui.drop.addEventListener("dragover", (e) => {
    e.preventDefault()
    ui.drop.classList.add("over")
  })
  ui.drop.addEventListener("dragleave", () => ui.drop.classList.remove("over"))
  ui.drop.addEventListener("drop", (e) => {
    e.preventDefault()
    ui.drop.classList.remove("over")
    if (e.dataTransfer !== null) void addReturns(e.dataTransfer.files)
  })
  ui.runCalibrate.addEventListener("click", () => void calibrateReturns())
  document.title = `caseflow ${VERSION}`
  // A worker is started while the analyst reads the form, so the first run does not wait for one.
  void chooseScenario().then(() => {
    state.url ??= workerUrl()
    warmUp(state.url)
  })
}
