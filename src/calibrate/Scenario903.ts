/**
 * A scenario from a council's SSDA903 returns: `scenarioFrom903(data, options) -> { document, raw, table }`.
 *
 * SSDA903 covers children in care only. So the scenario is a template's (e.g. the default borough) for
 * everything below care and around it (referrals, the front door, early help, children in need, child
 * protection, care leavers, costs, services, staff), re-based to the council's population when one is given,
 * with its dates moved by whole years to the new start; and the council's own data for care:
 *
 *   - entries to care by age band at entry: the template's routes into care (its front door's and levels'
 *     outcomes `to: looked_after`) scaled, band by band, until the scenario's own flows make the council's
 *     entries a year (measured by simulating it: `options.careEntries`, see `Entries.ts`), with the fitted
 *     yearly trend reported and, if asked, applied to referrals;
 *   - time in care by age band at entry, how stays end by age (competing risks), placement on entry by age,
 *     placement moves, legal status on entry by age and its changes (see `Fit903.ts`);
 *   - unaccompanied asylum-seeking children as their own stream (arrivals a year, ages, placements, stays);
 *   - the starting caseload in care: the actual children in care on the window's last day, one by one (date
 *     of birth, placement, legal status, the day their period of care began).
 *
 * Every number carries a YAML comment saying which file, rows and method it came from. The function is pure:
 * the same histories, template and options give the same document, byte for byte (given a deterministic
 * `careEntries`, as `Entries.ts`'s seeded simulation is).
 */
import * as YAML from "yaml"
import { addYears, epochDay, financialYearLabel, isoOfEpochDay } from "../domain/Calendar.js"
import { LEGAL_STATUSES, type LegalStatus, PLACEMENTS } from "../domain/Level.js"
import { grouped } from "../domain/Show.js"
import type { Scenario } from "../scenario/Scenario.js"
import { EXIT_ROUTES, type ExitRoute, isShortBreak } from "../ssda903/Codes.js"
import type { Histories } from "../ssda903/Clean.js"
import {
  ageOn,
  type Estimate,
  inCareWithPeriods,
  sourceOf,
  type Subject,
  type Window,
  windowText
} from "./Estimates.js"
import {
  bandIndex,
  changesOf,
  entriesIn,
  fitLaw,
  type LawFit,
  legalStatusMix,
  MIN_EVENTS,
  type Mix,
  MODEL_BANDS,
  placementMix,
  routeShares,
  subjects,
  TABLE_ROUTES
} from "./Fit903.js"

const YEAR = 365.25

type Json = null | boolean | number | string | Array<Json> | { [k: string]: Json }
type JsonObject = { [k: string]: Json }
type Path = ReadonlyArray<string | number>

const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === "object" && !Array.isArray(v)

/** The template the parts below and around care come from: its resolved data (no `extends`) and decoded form. */
export interface Template {
  readonly label: string
  readonly raw: unknown
  readonly scenario: Scenario
  /**
   * The template's own comments by path (`commentsOf` its text), for a template that says where its numbers
   * came from (the scenario `calibrate --dfe` writes): kept on every number the returns do not set, in place
   * of "from the template". Absent: none.
   */
  readonly comments?: TemplateComments
  /** A line for the header saying what the template is (absent: none). */
  readonly about?: string
}

/** A scenario file's comments by path (`JSON.stringify` of the path): above a key or item, and on its line. */
export interface TemplateComments {
  readonly before: ReadonlyMap<string, string>
  readonly inline: ReadonlyMap<string, string>
}

/** The comments of a scenario's YAML text by path (the header left out). */
export const commentsOf = (text: string): TemplateComments => {
  const before = new Map<string, string>()
  const inline = new Map<string, string>()
  const put = (m: Map<string, string>, path: Path, text: string | null | undefined): void => {
    if (text === null || text === undefined || text.trim() === "") return
    const k = JSON.stringify(path)
    const t = text
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l !== "")
      .join(" ")
    m.set(k, m.has(k) ? `${m.get(k)!} ${t}` : t)
  }
  const walk = (node: unknown, path: Path): void => {
    if (YAML.isMap(node))
      for (const pair of node.items) {
        if (!YAML.isScalar(pair.key)) continue
        const at = [...path, String(pair.key.value)]
        put(before, at, pair.key.commentBefore)
        if (YAML.isNode(pair.value)) {
          put(before, at, pair.value.commentBefore)
          put(inline, at, pair.value.comment)
        }
        walk(pair.value, at)
      }
    else if (YAML.isSeq(node))
      node.items.forEach((item, i) => {
        if (YAML.isNode(item)) {
          put(before, [...path, i], item.commentBefore)
          put(inline, [...path, i], item.comment)
        }
        walk(item, [...path, i])
      })
  }
  walk(YAML.parseDocument(text).contents, [])
  return { before, inline }
}

export interface Scenario903Data {
  readonly histories: Histories
  readonly window: Window
  /** The calibration table (`calibrationTable`), for the trend and as the table returned. */
  readonly estimates: ReadonlyArray<Estimate>
}

export interface Scenario903Options {
  readonly template: Template
  /** Children aged 0-17 in the council (null: the template's). */
  readonly population: number | null
  /** Apply the fitted yearly trend of entries to care to referrals (default: report it only). */
  readonly trend: boolean
  /** The scenario's name (default: from the window). */
  readonly name: string | null
  /**
   * Entries to care a year by `MODEL_BANDS` (children taken into care by the scenario's flows, not the UASC
   * stream) that a scenario makes, with what was simulated to measure them.
   */
  readonly careEntries: (raw: unknown) => MeasuredEntries
  /** Rounds of re-scaling after the first (default 1). */
  readonly rounds?: number
  /**
   * The run's length in years, with what it is for (a back-test's horizon: the entries to care are then
   * scaled over the years forecast); default: the template's.
   */
  readonly years?: { readonly years: number; readonly why: string }
}

export interface MeasuredEntries {
  readonly perYear: ReadonlyArray<number>
  /** How they were measured, for the comment ("4 runs of 5 years"). */
  readonly how: string
}

export interface Scenario903 {
  readonly document: YAML.Document
  readonly raw: JsonObject
  readonly table: ReadonlyArray<Estimate>
  /** What the analyst should know (printed): parts that fell back to the template, children left out. */
  readonly notes: ReadonlyArray<string>
}

// ---------------------------------------------------------------------------------------------------------
// Numbers as written: rounded, so the file reads well and the same inputs give the same bytes.

const sig = (x: number, digits = 4): number => (x === 0 ? 0 : Number(x.toPrecision(digits)))

/** Shares from counts, each to 4 decimals, the largest adjusted so that they add up to exactly 1. */
const sharesOf = <K extends string>(entries: ReadonlyArray<readonly [K, number]>): Array<[K, number]> => {
  const total = entries.reduce((a, [, n]) => a + n, 0)
  const out: Array<[K, number]> = entries
    .filter(([, n]) => n > 0)
    .map(([k, n]) => [k, Math.round((n / total) * 1e4) / 1e4])
  if (out.length === 0) return out
  const sum = out.reduce((a, [, s]) => a + s, 0)
  let big = 0
  for (let i = 1; i < out.length; i++) if (out[i][1] > out[big][1]) big = i
  out[big][1] = Math.round((out[big][1] + 1 - sum) * 1e4) / 1e4
  return out.filter(([, s]) => s > 0)
}

// ---------------------------------------------------------------------------------------------------------
// Comments, collected by path and put on the document's nodes at the end.

class Comments {
  readonly inline = new Map<string, string>()
  readonly before = new Map<string, string>()
  /** A comment after the value at `path` (on its line). */
  on(path: Path, text: string): void {
    this.inline.set(JSON.stringify(path), text)
  }
  /** A comment on the lines above the key (or list item) at `path`. */
  above(path: Path, text: string): void {
    const k = JSON.stringify(path)
    const had = this.before.get(k)
    this.before.set(k, had === undefined ? text : `${had}\n${text}`)
  }
}

/** Maps and lists of scalars (and of such lists) short enough for one line are written `{ ... }` / `[ ... ]`,
 * unless a comment is to go on something inside them. */
const flowSmall = (node: unknown, path: Path, inside: (path: Path) => boolean): boolean => {
  if (YAML.isScalar(node)) return true
  if (!YAML.isSeq(node) && !YAML.isMap(node)) return false
  let small = true
  const items: ReadonlyArray<unknown> = node.items
  items.forEach((it, i) => {
    const key = YAML.isPair(it) && YAML.isScalar(it.key) ? String(it.key.value) : i
    if (!flowSmall(YAML.isPair(it) ? it.value : it, [...path, key], inside)) small = false
  })
  if (small && path.length > 1 && !inside(path) && JSON.stringify(node.toJSON()).length <= 150) {
    node.flow = true
    return true
  }
  return false
}

/** Lines of at most `width` characters. */
const wrap = (text: string, width = 110): string =>
  text
    .split("\n")
    .map((para) => {
      const lines: Array<string> = []
      let line = ""
      for (const word of para.split(" ")) {
        if (line !== "" && line.length + 1 + word.length > width) {
          lines.push(line)
          line = word
        } else line = line === "" ? word : `${line} ${word}`
      }
      lines.push(line)
      return lines.map((l) => ` ${l}`).join("\n")
    })
    .join("\n")

const documentOf = (raw: JsonObject, header: string, comments: Comments): YAML.Document => {
  const doc = new YAML.Document(raw)
  const keys = [...comments.inline.keys(), ...comments.before.keys()].map((k) => k.slice(0, -1))
  const inside = (path: Path): boolean => {
    const prefix = JSON.stringify(path).slice(0, -1) + ","
    return keys.some((k) => k.startsWith(prefix))
  }
  flowSmall(doc.contents, [], inside)
  doc.commentBefore = header
  const above = (path: Path, lines: string): void => {
    const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true)
    const last = path[path.length - 1]
    if (YAML.isMap(parent)) {
      const pair = parent.items.find((p) => YAML.isScalar(p.key) && p.key.value === last)
      if (pair !== undefined && YAML.isNode(pair.key))
        pair.key.commentBefore = pair.key.commentBefore ? `${pair.key.commentBefore}\n${lines}` : lines
    } else if (YAML.isSeq(parent) && typeof last === "number") {
      const item = parent.items[last]
      if (YAML.isNode(item)) item.commentBefore = item.commentBefore ? `${item.commentBefore}\n${lines}` : lines
    }
  }
  for (const [k, text] of comments.before) above(JSON.parse(k) as Array<string | number>, wrap(text))
  for (const [k, text] of comments.inline) {
    const path = JSON.parse(k) as Array<string | number>
    const node = doc.getIn(path, true)
    // A comment on a collection written over several lines goes above it.
    if ((YAML.isMap(node) || YAML.isSeq(node)) && node.flow !== true) above(path, wrap(text))
    else if (YAML.isNode(node)) node.comment = ` ${text}`
  }
  return doc
}

// ---------------------------------------------------------------------------------------------------------
// The template moved to the council: dates by whole years, counts by the population.

const ISO = /^\d{4}-\d{2}-\d{2}$/
const FINANCIAL_YEAR = /^(\d{4})\/\d{2}$/

const shiftFinancialYear = (label: string, years: number): string => {
  const m = FINANCIAL_YEAR.exec(label)
  return m === null ? label : financialYearLabel(Number(m[1]) + years)
}

/** Every date in `v` moved by `years` (29 February to 28 February), and financial-year labels with them. */
const shiftDates = (v: Json, years: number, key: string | null = null): Json => {
  if (typeof v === "string") {
    if (ISO.test(v)) return isoOfEpochDay(addYears(epochDay(v), years))
    if (key === "priceBase") return shiftFinancialYear(v, years)
    return v
  }
  if (Array.isArray(v)) return v.map((x: Json) => shiftDates(x, years))
  if (isObject(v)) {
    const out: JsonObject = {}
    for (const [k, x] of Object.entries(v)) {
      const name = key === "budget" ? shiftFinancialYear(k, years) : k
      out[name] = shiftDates(x, years, k)
    }
    return out
  }
  return v
}

/** The template's absolute counts scaled by `ratio`: staff, places, groups, fixed costs and budgets. */
const rebase = (raw: JsonObject, ratio: number): void => {
  if (ratio === 1) return
  const scale = (o: Json, field: string, kind: "count" | "fte" | "money") => {
    if (!isObject(o) || typeof o[field] !== "number" || o.absolute === true) return
    const x = (o[field] as number) * ratio
    o[field] = kind === "count" ? Math.round(x) : kind === "fte" ? Math.round(x * 100) / 100 : Math.round(x)
  }
  const list = (v: Json): ReadonlyArray<Json> => (Array.isArray(v) ? v : [])
  for (const g of list(raw.startingCaseload)) scale(g, "count", "count")
  for (const s of list(raw.services)) {
    scale(s, "places", "count")
    if (isObject(s)) for (const c of list(s.changes)) scale(c, "places", "count")
  }
  for (const t of list(raw.workforce)) {
    scale(t, "establishment", "fte")
    if (isObject(t)) for (const c of list(t.establishmentChanges)) scale(c, "fte", "fte")
  }
  if (isObject(raw.costs)) for (const f of list(raw.costs.fixed)) scale(f, "perYear", "money")
  for (const b of list(raw.budgetLines))
    if (isObject(b) && isObject(b.budget))
      for (const [k, x] of Object.entries(b.budget)) if (typeof x === "number") b.budget[k] = Math.round(x * ratio)
}

// ---------------------------------------------------------------------------------------------------------
// Routes into care: the template's outcome tables, by the model's age bands, with to: looked_after scaled.

interface Row extends JsonObject {
  probability: number
}

const asRows = (v: Json): ReadonlyArray<Row> =>
  Array.isArray(v) ? v.filter((r): r is Row => isObject(r) && typeof r.probability === "number") : []

const rowsAt = (table: Json, age: number): ReadonlyArray<Row> | null => {
  if (Array.isArray(table)) return asRows(table)
  if (isObject(table) && Array.isArray(table.byAge))
    for (const b of table.byAge)
      if (isObject(b) && Array.isArray(b.ages) && (b.ages[0] as number) <= age && age <= (b.ages[1] as number))
        return asRows(b.outcomes)
  return null
}

const bandStarts = (table: Json): Array<number> =>
  isObject(table) && Array.isArray(table.byAge)
    ? table.byAge.flatMap((b) => (isObject(b) && Array.isArray(b.ages) ? [b.ages[0] as number] : []))
    : []

/** Whether a table sends any child into care. */
const intoCare = (table: Json): boolean =>
  JSON.stringify(table).includes('"to":"looked_after"') || JSON.stringify(table).includes('"to": "looked_after"')

/**
 * The table by age segments that each lie in one model band and one of the template's bands, with the
 * chance of going into care multiplied by the band's factor (the other outcomes sharing the rest).
 */
const scaledTable = (table: Json, factors: ReadonlyArray<number>): Json => {
  const starts = [...new Set([...bandStarts(table), ...MODEL_BANDS.map((b) => b.ages[0])])].sort((a, b) => a - b)
  const byAge: Array<Json> = []
  for (let i = 0; i < starts.length; i++) {
    const lo = starts[i]
    const hi = i + 1 < starts.length ? starts[i + 1] - 1 : 17
    if (lo > 17) continue
    const rows = rowsAt(table, lo)
    if (rows === null) continue
    const f = factors[bandIndex(lo)]
    const care = rows.filter((r) => r.to === "looked_after").reduce((a, r) => a + r.probability, 0)
    const scaledCare = care === 0 ? 0 : Math.min(care * f, 0.98)
    const kCare = care === 0 ? 1 : scaledCare / care
    const kOther = care >= 1 ? 0 : (1 - scaledCare) / (1 - care)
    const outcomes = rows.map((r) => ({
      ...r,
      probability: Math.round(r.probability * (r.to === "looked_after" ? kCare : kOther) * 1e6) / 1e6
    }))
    byAge.push({ ages: [lo, Math.min(hi, 17)], outcomes })
  }
  return { byAge }
}

/** The tables with routes into care: where in the scenario, and the template's table. */
const careRoutes = (raw: JsonObject): Array<{ readonly path: Path; readonly table: Json }> => {
  const out: Array<{ path: Path; table: Json }> = []
  const referrals = raw.referrals
  if (isObject(referrals) && intoCare(referrals.frontDoor))
    out.push({ path: ["referrals", "frontDoor"], table: referrals.frontDoor })
  const levels = raw.levels
  if (isObject(levels))
    for (const l of ["early_help", "intensive_family_support", "child_in_need", "child_protection"]) {
      const level = levels[l]
      if (isObject(level) && intoCare(level.outcomes))
        out.push({ path: ["levels", l, "outcomes"], table: level.outcomes })
    }
  return out
}

const setIn = (raw: JsonObject, path: Path, value: Json): void => {
  let o: Json = raw
  for (const k of path.slice(0, -1)) o = (o as JsonObject)[k as string]
  ;(o as JsonObject)[path[path.length - 1] as string] = value
}

// ---------------------------------------------------------------------------------------------------------
// The parts of care.

const durationOf = (fit: LawFit): JsonObject =>
  fit.law.type === "exponential"
    ? { type: "exponential", mean: sig(fit.law.mean), unit: "days" }
    : { type: "weibull", shape: sig(fit.law.shape), scale: sig(fit.law.scale), unit: "days" }

const lawText = (fit: LawFit): string => {
  const chosen = fit.law.type === "exponential" ? "exponential" : "Weibull"
  const i = fit.interval
  return (
    `${chosen} by maximum likelihood (left-truncated, right-censored; leaving at 18 censored: ${grouped(fit.at18)}) ` +
    `on ${grouped(fit.periods)} periods, ${grouped(fit.events)} ended; ` +
    `AIC exponential ${fit.aicExponential.toFixed(1)}, ` +
    `Weibull ${Number.isNaN(fit.aicWeibull) ? "-" : fit.aicWeibull.toFixed(1)}; ${i.what} ${sig(i.value)} ` +
    `(95% ${sig(i.lower)} to ${sig(i.upper)}); within ${(fit.gap * 100).toFixed(1)} points of Kaplan-Meier`
  )
}

/** Where a child goes after leaving care by a route, at an age: the template's split, or a default. */
const DEFAULT_TO: Readonly<Record<Exclude<ExitRoute, "turned_18" | "unknown">, string>> = {
  returned_home: "child_in_need",
  adopted: "exited",
  special_guardianship: "exited",
  independent_living: "care_leaver",
  other: "universal"
}

const destinations = (
  template: Json,
  route: Exclude<ExitRoute, "turned_18" | "unknown">,
  age: number
): Array<{ readonly row: JsonObject; readonly weight: number }> => {
  const rows = (rowsAt(template, age) ?? []).filter((r) => r.reason === route)
  const total = rows.reduce((a, r) => a + r.probability, 0)
  if (total > 0)
    return rows.map((r) => {
      const row: JsonObject = { reason: route, to: r.to }
      if (typeof r.via === "string") row.via = r.via
      return { row, weight: r.probability / total }
    })
  return [{ row: { reason: route, to: DEFAULT_TO[route] }, weight: 1 }]
}

/** An outcome list from route shares, each route split over the template's destinations for it. */
const outcomesOf = (shares: ReadonlyArray<number>, template: Json, age: number): Array<JsonObject> => {
  const rows: Array<readonly [string, number, JsonObject]> = []
  TABLE_ROUTES.forEach((route, k) => {
    if (shares[k] <= 0) return
    for (const d of destinations(template, route as Exclude<ExitRoute, "turned_18" | "unknown">, age))
      rows.push([String(rows.length), shares[k] * d.weight, d.row])
  })
  const rounded = sharesOf(rows.map(([k, s]) => [k, s] as const))
  return rounded.map(([k, s]) => ({ ...rows[Number(k)][2], probability: s }))
}

const mixObject = (mix: Mix<string>, order: ReadonlyArray<string>): JsonObject => {
  const entries = order.filter((k) => mix.counts.has(k)).map((k) => [k, mix.counts.get(k) ?? 0] as const)
  return Object.fromEntries(sharesOf(entries))
}

const LEGAL_ORDER: ReadonlyArray<string> = LEGAL_STATUSES

// ---------------------------------------------------------------------------------------------------------

/** A scenario from SSDA903 histories and a template (see the module comment). */
export const scenarioFrom903 = (data: Scenario903Data, options: Scenario903Options): Scenario903 => {
  const { histories: h, window: w } = data
  const tpl = options.template
  if (!isObject(tpl.raw as Json)) throw new Error("a template scenario's data is an object")
  const template = tpl.raw as JsonObject
  const notes: Array<string> = []
  const c = new Comments()
  const span = (w.to - w.from) / YEAR
  const when = windowText(w)
  const startDay = w.to
  const start = isoOfEpochDay(startDay)
  const tplStart = tpl.scenario.start
  const shift = Math.round((startDay - epochDay(tplStart)) / YEAR)
  const from903 = (what: string) => `SSDA903 ${when}: ${what}`

  // The template, moved and re-based.
  const moved = shiftDates(JSON.parse(JSON.stringify(template)) as Json, shift) as JsonObject
  const tplChildren = tpl.scenario.population.children
  const children = options.population ?? tplChildren
  const ratio = children / tplChildren
  rebase(moved, ratio)
  const tplNote =
    `from the template ${tpl.label}` +
    (shift !== 0
      ? `, its dates moved ${Math.abs(shift)} year${Math.abs(shift) === 1 ? "" : "s"} ${shift > 0 ? "on" : "back"}`
      : "") +
    (ratio !== 1 ? `, its counts, places, staff, fixed costs and budgets x ${sig(ratio)} (population)` : "")

  // Who is who: the UASC stream is written when the returns hold UASC entries.
  const entries = entriesIn(h, w)
  const uascEntries = entries.filter((e) => e.uasc)
  const withUasc = uascEntries.length > 0
  const main = entries.filter((e) => !withUasc || !e.uasc)
  const allSubs = subjects(h, w)
  const mainSubs = allSubs.filter((s) => !withUasc || !s.child.uasc)
  const src = (list: ReadonlyArray<{ readonly period: Subject["period"] }>) => sourceOf(list.map((x) => x.period))

  // ---- levels.looked_after -------------------------------------------------------------------------
  const la: JsonObject = {}
  const laPath = ["levels", "looked_after"]
  const tplLa = isObject(template.levels) && isObject(template.levels.looked_after) ? template.levels.looked_after : {}

  // Time in care, by age band at entry.
  const allFit = fitLaw(mainSubs)
  const durationRows: Array<JsonObject> = []
  if (allFit === null) {
    la.duration = (tplLa.duration ?? null) as Json
    notes.push("no period of care ended in the window: time in care is the template's")
    c.on([...laPath, "duration"], `${tplNote}: no period of care ended in the window`)
  } else
    MODEL_BANDS.forEach((b, i) => {
      const subs = mainSubs.filter((s) => s.age !== null && bandIndex(s.age) === i)
      const own = fitLaw(subs)
      const fit = own !== null && own.events >= MIN_EVENTS ? own : allFit
      durationRows.push({ ages: [...b.ages], duration: durationOf(fit) })
      const path = [...laPath, "duration", "byAge", durationRows.length - 1]
      c.on(
        path,
        fit === own
          ? from903(`age at entry ${b.label}: ${lawText(fit)}; ${src(subs)}`)
          : from903(
              `age at entry ${b.label}: ${grouped(own?.events ?? 0)} periods ended (fewer than ${MIN_EVENTS}), ` +
                `so the law of all ages: ${lawText(fit)}`
            )
      )
    })
  if (durationRows.length > 0) la.duration = { byAge: durationRows }

  // How stays end, by age at leaving.
  const tplOutcomes = (tplLa.outcomes ?? []) as Json
  const allRoutes = routeShares(mainSubs, 0, 17)
  if (allRoutes.shares === null) {
    la.outcomes = tplOutcomes
    notes.push("nobody left care in the window by a known route other than turning 18: how stays end is the template's")
    c.on([...laPath, "outcomes"], `${tplNote}: nobody left care in the window by a known route`)
  } else {
    const rows: Array<JsonObject> = []
    MODEL_BANDS.forEach((b) => {
      const own = routeShares(mainSubs, b.ages[0], b.ages[1])
      const ended = TABLE_ROUTES.reduce((a, r) => a + own.counts[EXIT_ROUTES.indexOf(r)], 0)
      const use = own.shares !== null && ended >= MIN_EVENTS ? own : allRoutes
      rows.push({ ages: [...b.ages], outcomes: outcomesOf(use.shares!, tplOutcomes, b.ages[0]) })
      const counts = TABLE_ROUTES.map((r) => `${r} ${use.counts[EXIT_ROUTES.indexOf(r)]}`).join(", ")
      c.above(
        [...laPath, "outcomes", "byAge", rows.length - 1],
        from903(
          `leaving care aged ${b.label}: ` +
            (use === own
              ? `route shares = each route's cumulative cause-specific hazard over these ages (Nelson-Aalen on the ` +
                `age scale, left-truncated, right-censored) over their sum; ${own.periods} periods at risk; left by ` +
                `${counts}; leaving at 18 (${own.counts[EXIT_ROUTES.indexOf("turned_18")]}) is the model's own, ` +
                `unknown routes (${own.counts[EXIT_ROUTES.indexOf("unknown")]}) are left out`
              : `${ended} left by a known route (fewer than ${MIN_EVENTS}), so the shares of all ages (${counts})`) +
            `; where each route leads (to, via) is the template's split for it`
        )
      )
    })
    la.outcomes = { byAge: rows }
  }

  // Placements: on entry by age, and moves.
  const onEntryRows: Array<JsonObject> = []
  const allPlace = placementMix(main)
  MODEL_BANDS.forEach((b, i) => {
    const list = main.filter((e) => e.age !== null && bandIndex(e.age) === i)
    const own = placementMix(list)
    const use = own.total >= MIN_EVENTS ? own : allPlace
    if (use.total === 0) return
    onEntryRows.push({ ages: [...b.ages], mix: mixObject(use, PLACEMENTS) })
    c.on(
      ["levels", "looked_after", "placements", "onEntry", "byAge", onEntryRows.length - 1],
      from903(
        `first placement of the ${grouped(use.total)} periods begun ${use === own ? `aged ${b.label}` : "at any age"}` +
          ` (${use === own ? src(list) : "fewer than " + MIN_EVENTS + " at this age"})` +
          (use.left > 0 ? `; ${use.left} in placements the model has no type for (other) left out` : "")
      )
    )
  })
  const placements: JsonObject = {}
  if (onEntryRows.length === MODEL_BANDS.length) placements.onEntry = { byAge: onEntryRows }
  else {
    placements.onEntry = (isObject(tplLa.placements) ? tplLa.placements.onEntry : {}) as Json
    notes.push("no period of care began in the window: placements on entry are the template's")
    c.on([...laPath, "placements", "onEntry"], `${tplNote}: no period of care began in the window`)
  }
  const moves: JsonObject = {}
  const placeChanges = changesOf(h, w, (e) => (e.placement === "other" ? null : e.placement))
  for (const p of PLACEMENTS) {
    const ch = placeChanges.get(p)
    if (ch === undefined || ch.total === 0) continue
    const to = Object.fromEntries(sharesOf([...ch.to].filter(([k]) => k !== p)))
    moves[p] = { after: { type: "exponential", mean: sig((ch.years / ch.total) * YEAR), unit: "days" }, to }
    c.on(
      [...laPath, "placements", "moves", p],
      from903(
        `${grouped(ch.total)} moves from ${p} to another placement type in ${ch.years.toFixed(1)} child-years ` +
          `there (mean time = child-years / moves); shares: where they went`
      )
    )
  }
  if (Object.keys(moves).length > 0) placements.moves = moves
  la.placements = placements
  c.above(
    [...laPath, "placements"],
    "placement types from PLACE and PLACE_PROVIDER (src/ssda903/Codes.ts); the template's moves at a birthday " +
      "(atAge) are not kept, as the returns' moves already hold them"
  )
  if (tplLa.reReferral !== undefined) {
    la.reReferral = tplLa.reReferral
    c.on([...laPath, "reReferral"], tplNote)
  }

  // Legal status: on entry by age, and its changes.
  const lsMix = legalStatusMix(main)
  if (lsMix.total > 0) {
    const onEntry: Array<JsonObject> = []
    MODEL_BANDS.forEach((b, i) => {
      const list = main.filter((e) => e.age !== null && bandIndex(e.age) === i)
      const own = legalStatusMix(list)
      if (own.total < MIN_EVENTS) return
      onEntry.push({ ages: [...b.ages], mix: mixObject(own, LEGAL_ORDER) })
      c.on(
        [...laPath, "legalStatus", "onEntry", onEntry.length - 1],
        from903(`legal status (LS) of the first episode of the ${grouped(own.total)} periods begun aged ${b.label}`)
      )
    })
    onEntry.push({ mix: mixObject(lsMix, LEGAL_ORDER) })
    c.on(
      [...laPath, "legalStatus", "onEntry", onEntry.length - 1],
      from903(
        `legal status of the first episode of all ${grouped(lsMix.total)} periods begun (other ages)` +
          (lsMix.left > 0 ? `; ${lsMix.left} blank or short breaks left out` : "")
      )
    )
    const changes: JsonObject = {}
    const lsChanges = changesOf(h, w, (e) => (e.ls === "" || isShortBreak(e.ls) ? null : e.ls))
    for (const code of LEGAL_ORDER) {
      const ch = lsChanges.get(code)
      if (ch === undefined || ch.total === 0) continue
      changes[code] = {
        after: { type: "exponential", mean: sig((ch.years / ch.total) * YEAR), unit: "days" },
        to: Object.fromEntries(sharesOf([...ch.to].filter(([k]) => k !== code)))
      }
      c.on(
        [...laPath, "legalStatus", "changes", code],
        from903(`${grouped(ch.total)} changes from ${code} in ${ch.years.toFixed(1)} child-years with it`)
      )
    }
    la.legalStatus = Object.keys(changes).length > 0 ? { onEntry, changes } : { onEntry }
  }

  // ---- UASC: a stream of their own ------------------------------------------------------------------
  let uasc: JsonObject | null = null
  if (withUasc) {
    const ages = new Map<number, number>()
    for (const e of uascEntries) if (e.age !== null && e.age <= 17) ages.set(e.age, (ages.get(e.age) ?? 0) + 1)
    const ageShares = sharesOf([...ages].sort((a, b) => a[0] - b[0]).map(([a, n]) => [String(a), n] as const))
    const tplUasc = isObject(moved.uasc) ? moved.uasc : null
    uasc = {
      perYear: sig(uascEntries.length / span),
      ageAtArrival: ageShares.map(([a, s]) => ({ ages: [Number(a), Number(a)], share: s })),
      via: tplUasc !== null && typeof tplUasc.via === "string" ? tplUasc.via : "uasc",
      placements: mixObject(placementMix(uascEntries), PLACEMENTS)
    }
    c.on(
      ["uasc", "perYear"],
      from903(
        `${grouped(uascEntries.length)} UASC children entering care / ${span.toFixed(2)} years; ${src(uascEntries)}`
      )
    )
    c.on(["uasc", "ageAtArrival"], from903("age at entry of the UASC children entering care (in the UASC files)"))
    c.on(["uasc", "placements"], from903("first placement of the UASC children entering care"))
    const uSubs = allSubs.filter((s) => s.child.uasc)
    const uFit = fitLaw(uSubs)
    if (uFit !== null && uFit.events >= MIN_EVENTS) {
      uasc.duration = durationOf(uFit)
      c.on(["uasc", "duration"], from903(`UASC: ${lawText(uFit)}`))
    }
    const uRoutes = routeShares(uSubs, 0, 17)
    const uEnded = TABLE_ROUTES.reduce((a, r) => a + uRoutes.counts[EXIT_ROUTES.indexOf(r)], 0)
    if (uRoutes.shares !== null && uEnded >= MIN_EVENTS) {
      uasc.outcomes = outcomesOf(uRoutes.shares, tplOutcomes, 16)
      c.on(
        ["uasc", "outcomes"],
        from903(`UASC leaving care before 18: ${uEnded} by a known route (cause-specific hazards)`)
      )
    }
    if (tplUasc !== null) {
      for (const k of ["costs", "grants"] as const) if (tplUasc[k] !== undefined) uasc[k] = tplUasc[k]
      if (uasc.costs !== undefined || uasc.grants !== undefined)
        c.above(["uasc", "costs"], `costs and grants ${tplNote}`)
    }
  }

  // ---- the starting caseload: the children in care on the window's last day -------------------------
  const lastDay = w.to - 1
  const kids = inCareWithPeriods(h, lastDay)
  const groups: Array<JsonObject> = []
  const groupNotes: Array<string> = []
  let noDob = 0
  let adults = 0
  let other = 0
  for (const { kid, period } of kids) {
    if (kid.dob === null) {
      noDob++
      continue
    }
    const age = ageOn(kid.dob, startDay)
    if (age >= 18) {
      adults++
      continue
    }
    const g: JsonObject = {
      level: "looked_after",
      placement: kid.placement === "other" ? "in_house_foster" : kid.placement,
      count: 1,
      ages: [age, age],
      dateOfBirth: isoOfEpochDay(kid.dob),
      since: isoOfEpochDay(kid.periodStart)
    }
    if (kid.placement === "other") other++
    if (la.legalStatus !== undefined && (LEGAL_ORDER as ReadonlyArray<string>).includes(kid.legalStatus))
      g.legalStatus = { [kid.legalStatus as LegalStatus]: 1 }
    groups.push(g)
    const ep = period.episodes.find((e) => e.start === kid.episodeStart) ?? period.episodes[0]
    groupNotes.push(
      `${ep.source.file.slice(Math.max(ep.source.file.lastIndexOf("/"), ep.source.file.lastIndexOf("\\")) + 1)} ` +
        `line ${ep.source.line}` +
        (kid.placement === "other" ? " (placement other: read as in_house_foster)" : "") +
        (kid.startKnown ? "" : " (period begun before the data: since = its earliest episode)") +
        (kid.uasc ? " (UASC)" : "")
    )
  }
  if (noDob > 0)
    notes.push(
      `${noDob} children in care on ${isoOfEpochDay(lastDay)} have no date of birth: left out of the starting caseload`
    )
  if (adults > 0)
    notes.push(
      `${adults} children in care on ${isoOfEpochDay(lastDay)} are 18 on ${start}: left out of the starting caseload`
    )
  // Without the returns' UASC files there is no UASC stream: the template's UASC groups below care (former
  // UASC care leavers) are then the council's other children of their level.
  let unUasc = 0
  const tplGroups = (Array.isArray(moved.startingCaseload) ? moved.startingCaseload : [])
    .filter((g) => !(isObject(g) && g.level === "looked_after"))
    .map((g): Json => {
      if (uasc !== null || !isObject(g) || g.uasc === undefined) return g
      const { uasc: _, ...rest } = g
      if (g.uasc === true) unUasc += typeof g.count === "number" ? g.count : 0
      return rest
    })
  if (unUasc > 0)
    notes.push(
      `the template's ${grouped(unUasc)} former UASC children in its starting caseload are taken as other ` +
        "children of their level: the returns have no UASC files (give --uasc for a UASC stream)"
    )
  const caseload: Array<Json> = [...tplGroups, ...groups]

  // ---- entries to care: the template's routes into care, scaled to the council's entries --------------
  const known = main.filter((e) => e.age !== null)
  const target = MODEL_BANDS.map((_, i) => known.filter((e) => bandIndex(e.age!) === i).length / span)
  const unknownAge = main.length - known.length
  if (unknownAge > 0 && known.length > 0)
    for (let i = 0; i < target.length; i++) target[i] *= main.length / known.length

  // The scenario, in the file's order, with the routes into care at the given factors.
  const trendRow = data.estimates.find((e) => e.measure === "entries to care: yearly trend")
  const assemble = (factors: ReadonlyArray<number>): JsonObject => {
    const raw: JsonObject = {
      name:
        options.name ??
        `Calibrated from SSDA903 returns (${isoOfEpochDay(w.from)} to ${isoOfEpochDay(lastDay)}) ` +
          `on ${String(moved.name)}`,
      description:
        `Children in care from the council's SSDA903 returns (${when}); referrals, the front door, levels below ` +
        `care, care leavers, costs, services and staff from ${tpl.label}.`,
      start,
      years: options.years?.years ?? moved.years ?? tpl.scenario.years,
      seed: moved.seed ?? 1,
      population: { ...(moved.population as JsonObject), children }
    }
    const referrals = JSON.parse(JSON.stringify(moved.referrals)) as JsonObject
    if (options.trend && trendRow !== undefined)
      referrals.trendPerYear = sig(Math.max(-0.5, Math.min(0.5, trendRow.value - 1)))
    raw.referrals = referrals
    if (uasc !== null) raw.uasc = uasc
    const levels = JSON.parse(JSON.stringify(moved.levels)) as JsonObject
    levels.looked_after = la
    raw.levels = levels
    for (const r of careRoutes(moved)) setIn(raw, r.path, scaledTable(r.table, factors))
    raw.startingCaseload = caseload
    for (const k of ["budgetLines", "costs", "services", "interventions", "workforce"])
      if (moved[k] !== undefined) raw[k] = moved[k]
    return raw
  }

  const routes = careRoutes(moved)
  let factors: Array<number> = MODEL_BANDS.map(() => 1)
  const measuredTemplate = options.careEntries(assemble(factors))
  let measured = measuredTemplate
  const rounds = 1 + (options.rounds ?? 1)
  for (let r = 0; r < rounds; r++) {
    factors = factors.map((f, i) => {
      const m = measured.perYear[i]
      if (m <= 0) return f
      return Math.max(0.01, Math.min(100, f * (target[i] / m)))
    })
    measured = options.careEntries(assemble(factors))
  }
  factors = factors.map((f) => sig(f, 4))
  const raw = assemble(factors)
  const final = measured
  MODEL_BANDS.forEach((b, i) => {
    if (target[i] > 0 && measuredTemplate.perYear[i] === 0)
      notes.push(
        `the template sends nobody aged ${b.label} into care: the council's entries at that age cannot be matched`
      )
  })

  // ---- comments ------------------------------------------------------------------------------------
  c.on(["start"], `the day after the window's last day (${isoOfEpochDay(lastDay)}): the children in care then start`)
  c.on(["years"], options.years === undefined ? `from the template ${tpl.label}` : options.years.why)
  c.on(["seed"], `from the template ${tpl.label}`)
  c.on(
    ["population", "children"],
    options.population === null
      ? `${tplNote} (give --population for the council's own: ONS mid-year estimate of children aged 0-17)`
      : "the council's children aged 0-17 (--population)"
  )
  const trendInterval = trendRow === undefined ? "" : `${sig(trendRow.lower ?? NaN)} to ${sig(trendRow.upper ?? NaN)}`
  if (trendRow !== undefined)
    c.on(
      ["referrals", "trendPerYear"],
      options.trend
        ? from903(
            `entries to care: yearly ratio ${sig(trendRow.value)} (95% ${trendInterval}), ${trendRow.method}; ` +
              "applied to referrals (--trend)"
          )
        : `${tplNote}; the returns' trend of entries to care is a yearly ratio of ${sig(trendRow.value)} ` +
            `(95% ${trendInterval}; Poisson regression on the collection ` +
            "year), not applied: --trend applies it to referrals"
    )
  c.above(
    ["referrals"],
    `Referrals and the front door ${tplNote}. SSDA903 covers only children in care: nothing here comes from it ` +
      "but the chance of going into care."
  )
  const entryText = MODEL_BANDS.map(
    (b, i) =>
      `${b.label}: ${sig(target[i], 3)} a year (template ${sig(measuredTemplate.perYear[i], 3)}, x ${factors[i]}; ` +
      `after scaling ${sig(final.perYear[i], 3)})`
  ).join("; ")
  for (const r of routes)
    c.above(
      r.path,
      `Routes into care (to: looked_after) ${tplNote}, the chance of each multiplied by its age band's factor (the ` +
        "other outcomes share the rest) so that the scenario's flows make the council's entries to care, not UASC, " +
        `by age band at entry (${grouped(main.length)} periods begun in ${when}` +
        (unknownAge > 0 ? `, ${unknownAge} of unknown age spread over the bands` : "") +
        `): ${entryText}. Measured by simulating the scenario: ${final.how}.`
    )
  c.above(["levels"], `Levels below care and care leavers ${tplNote}; looked_after from the SSDA903 returns.`)
  c.above(
    [...laPath, "outcomes"],
    "How stays end, by age at leaving. The model ends every stay still running at 18 itself (turned_18), so " +
      "leaving at 18 is not a share here, and time in care is fitted with those stays censored at 18."
  )
  if (uasc !== null)
    c.above(
      ["uasc"],
      "Unaccompanied asylum-seeking children (in the UASC files) as their own stream: they are left out of the " +
        "looked_after estimates above."
    )
  c.above(
    ["startingCaseload"],
    `The groups below care ${tplNote}; then the ${groups.length} children in care on ${isoOfEpochDay(lastDay)}, one ` +
      "by one (date of birth, placement and legal status then, the day their period of care began), each with the " +
      "row of its latest episode" +
      (other > 0 ? `; ${other} in placements the model has no type for read as in_house_foster` : "") +
      (noDob + adults > 0 ? `; ${noDob} without a date of birth and ${adults} aged 18 on ${start} left out` : "") +
      ". This file holds individual children's dates of birth: keep it as the returns are kept."
  )
  groups.forEach((_, i) => c.on(["startingCaseload", tplGroups.length + i], groupNotes[i]))
  for (const k of ["budgetLines", "costs", "services", "interventions", "workforce"])
    if (raw[k] !== undefined) c.above([k], `${k} ${tplNote}: no public table gives them per council`)

  // ---- the template's own comments, where the returns set nothing ------------------------------------
  if (tpl.comments !== undefined) {
    const tplCaseload = Array.isArray(template.startingCaseload) ? template.startingCaseload : []
    const kept = tplCaseload.flatMap((g, i) => (isObject(g) && g.level === "looked_after" ? [] : [i]))
    const moveKey = (key: string): string | null => {
      const p = JSON.parse(key) as Array<string | number>
      if (p.length === 0 || ["name", "description", "start"].includes(String(p[0]))) return null
      if (p[0] === "levels" && p[1] === "looked_after") return null
      if (p[0] === "uasc" && uasc !== null) return null
      if (p[0] === "startingCaseload" && p.length > 1) {
        const j = kept.indexOf(Number(p[1]))
        return j < 0 ? null : JSON.stringify(["startingCaseload", j, ...p.slice(2)])
      }
      return key
    }
    for (const [k, text] of tpl.comments.inline) {
      const to = moveKey(k)
      if (to !== null) c.inline.set(to, text)
    }
    // The template's trend is the one applied; the returns' trend of entries to care is still reported.
    const trendKey = JSON.stringify(["referrals", "trendPerYear"])
    const tplTrend = tpl.comments.inline.get(trendKey)
    if (trendRow !== undefined && tplTrend !== undefined && !options.trend)
      c.inline.set(
        trendKey,
        `${tplTrend}; the returns' trend of entries to care is a yearly ratio of ${sig(trendRow.value)} ` +
          `(95% ${trendInterval}; Poisson regression on the collection year), not applied`
      )
    for (const [k, text] of tpl.comments.before) {
      const to = moveKey(k)
      if (to !== null) c.before.set(to, c.before.has(to) ? `${c.before.get(to)!}\n${text}` : text)
    }
  }

  const header = [
    ` ${String(raw.name)}`,
    "",
    ...(tpl.about === undefined ? [] : [` ${tpl.about}`]),
    ` Written by caseflow calibrate from SSDA903 returns (${h.years[0]} to ${h.years[h.years.length - 1]}) and the`,
    ` template ${tpl.label}. The window of the estimates is ${when}; the run starts the next day.`,
    " Children in care (entries, time in care, how stays end, placements, moves, legal status, UASC, the children",
    " in care at the start) come from the returns; everything else from the template. Each number's comment says",
    ' which file, rows and method it came from. See README, "Calibrating from SSDA903 returns".'
  ].join("\n")
  return { document: documentOf(raw, header, c), raw, table: data.estimates, notes }
}
