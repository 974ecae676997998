/**
 * A scenario for one council from its DfE-table calibration (DfeEstimates.ts) and a template scenario (the
 * `--costs` file, e.g. the default borough), written as YAML through the `yaml` package's Document API
 * with a comment on every number saying where it came from. Pure: it is handed the template's resolved data.
 *
 * What the tables set (each number's comment names the table, columns, years and method):
 *   population.children, growthPerYear  ONS 0-17 estimate; its trend with --trend linear (else 0)
 *   referrals.ratePer10k, trendPerYear  new referrals (referrals - re-referrals) per 10,000; trend likewise
 *   referrals.frontDoor                 the template's outcomes in three groups (no further action; assessed
 *                                       not in need: closed, early help, family support; in need: CIN, CP,
 *                                       care), each group's probabilities scaled by the council's share / the
 *                                       template's (a band by age keeps its own pattern), then made to add to 1
 *   levels.child_protection.duration    gamma: mean by Little's law (D5 / D3), shape fitted to D5
 *   levels.child_in_need.duration       the template's law, scaled to the Little's-law mean of children in
 *                                       need neither on a plan nor looked after
 *   startingCaseload                    the template's groups of each level scaled to the council's 31 March
 *                                       stocks (CIN less CP less looked after; CP; looked after from the CLA
 *                                       table, or where it has no figure for the year, the template's share of
 *                                       the children in need); the other levels with the population
 * What the template gives, re-based to the council's size (x children / the template's children): services'
 * places, teams' establishments, fixed costs, UASC arrivals, the other levels' starting groups. Unit costs,
 * durations of the other levels, outcomes and placements are the template's as written. Its budgets are its
 * own council's and are removed. Dates it writes (referral changes, changes of places or staff,
 * interventions) move with the start by whole years; its price base stays (prices keep their year).
 */
import * as YAML from "yaml"
import gammaFn from "@stdlib/math-base-special-gamma"
import type { DfeCalibration, Figure } from "./DfeEstimates.js"
import { COUNT_DIMENSIONS, fitLegalStatus, fitMix } from "./DfeMix.js"

const DAYS: Readonly<Record<string, number>> = { days: 1, weeks: 7, months: 365.25 / 12, years: 365.25 }
const MONTH = 365.25 / 12

type Json = null | boolean | number | string | Array<Json> | { [key: string]: Json }
type Obj = { [key: string]: Json }
type Path = ReadonlyArray<string | number>

const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v)
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T
const fmt = (x: number, digits = 4): number => Number(x.toFixed(digits))
const grouped = (x: number): string => Math.round(x).toLocaleString("en-GB")

export interface DfeScenarioInput {
  readonly calibration: DfeCalibration
  /** The template's resolved data (no `extends`, per-10,000 figures worked out). */
  readonly template: unknown
  /** The template's file, for comments. */
  readonly templateLabel: string
  /** The command that wrote it, for the header. */
  readonly command: string
  /**
   * Factors for the moves into child protection and into care (front door and step-ups alike), from a pilot
   * run of the scenario written without them (DfePilot.ts): the council's plans (entries) a year over the
   * pilot's. Absent: none.
   */
  readonly adjust?: {
    readonly cp: { readonly factor: number; readonly note: string } | null
    readonly lac: { readonly factor: number; readonly note: string } | null
  }
}

export interface DfeScenario {
  readonly text: string
  /** The scenario's data as written. */
  readonly data: unknown
  /** The ratio the template was re-based by (the council's children / the template's). */
  readonly ratio: number
  /** Notes for the printed summary: what could not be estimated and what stood in for it. */
  readonly notes: ReadonlyArray<string>
}

/** A duration law's mean in days, from its description (null: not a law this knows). */
export const meanDays = (d: unknown): number | null => {
  if (!isObj(d)) return null
  if (Array.isArray(d.byAge)) {
    let sum = 0
    let width = 0
    for (const band of d.byAge) {
      if (!isObj(band) || !Array.isArray(band.ages)) return null
      const [a, b] = band.ages as Array<number>
      const m = meanDays(band.duration)
      if (m === null) return null
      const w = Math.min(b, 17) - a + 1
      sum += m * w
      width += w
    }
    return width > 0 ? sum / width : null
  }
  const k = DAYS[typeof d.unit === "string" ? d.unit : "days"] ?? 1
  const num = (x: Json | undefined): number => (typeof x === "number" ? x : NaN)
  let m: number
  switch (d.type) {
    case "exponential":
    case "gamma":
    case "lognormal":
      m = num(d.mean)
      break
    case "weibull":
      m = num(d.scale) * gammaFn(1 + 1 / num(d.shape))
      break
    case "fixed":
      m = num(d.value)
      break
    case "empirical": {
      let lo = typeof d.from === "number" ? d.from : 0
      m = 0
      for (const bin of Array.isArray(d.bins) ? d.bins : []) {
        if (!isObj(bin)) return null
        const hi = num(bin.upTo)
        m += (num(bin.share) * (lo + hi)) / 2
        lo = hi
      }
      break
    }
    default:
      return null
  }
  return Number.isFinite(m) ? m * k : null
}

/** A duration law with every time in it multiplied by `f` (its shape kept). */
export const scaleLaw = (d: Json, f: number): Json => {
  if (!isObj(d)) return d
  if (Array.isArray(d.byAge))
    return { ...d, byAge: d.byAge.map((b) => (isObj(b) ? { ...b, duration: scaleLaw(b.duration, f) } : b)) }
  const out: Obj = { ...d }
  for (const k of ["mean", "sd", "scale", "value", "from"])
    if (typeof out[k] === "number") out[k] = fmt((out[k] as number) * f, 3)
  if (Array.isArray(out.bins))
    out.bins = out.bins.map((b) => (isObj(b) && typeof b.upTo === "number" ? { ...b, upTo: fmt(b.upTo * f, 3) } : b))
  return out
}

type Group = "nfa" | "notInNeed" | "inNeed"
const groupOf = (o: Obj): Group =>
  o.reason === "no_further_action"
    ? "nfa"
    : o.to === "child_in_need" || o.to === "child_protection" || o.to === "looked_after"
      ? "inNeed"
      : "notInNeed"

/** Probabilities rounded to 4 decimals, the largest given the rounding so that they add up to exactly 1. */
const roundedShares = (ps: ReadonlyArray<number>): Array<number> => {
  const total = ps.reduce((a, b) => a + b, 0)
  const r = ps.map((p) => fmt(p / total, 4))
  const gap = fmt(1 - r.reduce((a, b) => a + b, 0), 4)
  let big = 0
  r.forEach((p, i) => (p > r[big] ? (big = i) : 0))
  r[big] = fmt(r[big] + gap, 4)
  return r
}

/** Counts in proportion to `weights` that add up to `total` (largest remainder; ties to the first). */
export const apportion = (weights: ReadonlyArray<number>, total: number): Array<number> => {
  const sum = weights.reduce((a, b) => a + b, 0)
  if (sum <= 0 || total <= 0) return weights.map(() => 0)
  const exact = weights.map((w) => (w / sum) * total)
  const out = exact.map(Math.floor)
  let left = Math.round(total) - out.reduce((a, b) => a + b, 0)
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i)
  for (const { i } of order) {
    if (left <= 0) break
    out[i]++
    left--
  }
  return out
}

/** Counts of two kinds of groups apportioned apart: those `inFirst` to `first` of `total`, the others the rest. */
const splitApportion = (
  weights: ReadonlyArray<number>,
  inFirst: ReadonlyArray<boolean>,
  total: number,
  first: number
): Array<number> => {
  const a = apportion(
    weights.map((w, i) => (inFirst[i] ? w : 0)),
    first
  )
  const b = apportion(
    weights.map((w, i) => (inFirst[i] ? 0 : w)),
    Math.max(0, Math.round(total) - first)
  )
  return weights.map((_, i) => (inFirst[i] ? a[i] : b[i]))
}

/** A starting group's ages as a pair (a single age, or the template's [from, to]). */
const agesOf = (a: unknown): readonly [number, number] =>
  Array.isArray(a) && typeof a[0] === "number" && typeof a[1] === "number"
    ? [a[0], a[1]]
    : typeof a === "number"
      ? [a, a]
      : [0, 17]

const shiftDate = (iso: string, years: number): string => {
  const [y, m, d] = iso.split("-").map(Number)
  const ny = y + years
  const leap = (ny % 4 === 0 && ny % 100 !== 0) || ny % 400 === 0
  const day = m === 2 && d === 29 && !leap ? 28 : d
  return `${String(ny).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(day).padStart(2, "0")}`
}

const figureNote = (f: Figure, what: string): string => {
  const ci = f.lower !== null && f.upper !== null ? `; 95% interval ${fmt(f.lower, 4)} to ${fmt(f.upper, 4)}` : ""
  return `${what}: ${f.source}${ci}`
}

/** How the notes begin that say a 31 March stock is the template's share of B1's children in need, not a
 * published figure (the back-test says so of its measures; the combined calibration takes care elsewhere). */
export const NO_CLA_FIGURE = "no CLA table figure"
export const NO_CP_FIGURE = "no CP plans figure (D5)"

/** The scenario for the council, from the template. */
export const dfeScenario = (input: DfeScenarioInput): DfeScenario => {
  const c = input.calibration
  const t = input.templateLabel
  const raw = clone(input.template) as Obj
  const notes = new Map<string, string>()
  const summary: Array<string> = []
  const note = (path: Path, text: string) => notes.set(JSON.stringify(path), text)

  const templatePop = isObj(raw.population) && typeof raw.population.children === "number" ? raw.population.children : 0
  const ratio = templatePop > 0 && c.population.value > 0 ? c.population.value / templatePop : 1
  const rebased =
    `the template's (${t}) x ${fmt(ratio, 4)} ` +
    `(${grouped(c.population.value)} children / its ${grouped(templatePop)})`

  const templateStart = typeof raw.start === "string" ? raw.start : `${c.to + 1}-04-01`
  const shift = c.to - Number(templateStart.slice(0, 4))
  const years = (n: number) => `${n} year${n === 1 ? "" : "s"}`
  const moved = shift === 0 ? "not moved" : shift > 0 ? `moved ${years(shift)} later` : `moved ${years(-shift)} earlier`
  const out: Obj = {}
  out.name = `${c.council.name} (from DfE tables to 31 March ${c.to})`
  out.description =
    `${c.council.name} (${[c.council.newCode, c.council.oldCode].filter((x) => x !== "").join(", ")}): demand ` +
    `calibrated from DfE's published tables for the years to 31 March ${c.to} (trend: ${c.trend}); unit costs, ` +
    `services and staffing from ${t}, re-based to the council's size.`
  out.start = `${c.to}-04-01`
  note(["start"], `the day after 31 March ${c.to}, the last year calibrated on`)
  out.years = typeof raw.years === "number" ? raw.years : 5
  out.seed = typeof raw.seed === "number" ? raw.seed : 1

  // Population.
  const population: Obj = isObj(raw.population) ? { ...raw.population } : {}
  population.children = Math.round(c.population.value)
  note(["population", "children"], figureNote(c.population, "ONS 0-17 population"))
  population.growthPerYear = c.populationGrowth === null ? 0 : fmt(c.populationGrowth.value, 4)
  note(
    ["population", "growthPerYear"],
    c.populationGrowth === null
      ? `--trend ${c.trend}: no trend (the population held at its last estimate)`
      : figureNote(c.populationGrowth, "population trend")
  )
  out.population = population

  // Referrals.
  const referrals: Obj = isObj(raw.referrals) ? clone(raw.referrals) : {}
  if (c.newReferralRate !== null) {
    referrals.ratePer10k = fmt(c.newReferralRate.value, 2)
    note(["referrals", "ratePer10k"], figureNote(c.newReferralRate, "new referrals per 10,000"))
  } else
    summary.push(
      `no referrals and re-referrals (C1) to ${c.to} with a population to divide them by: ` +
        "referrals.ratePer10k is the template's"
    )
  const trend = c.referralTrend === null ? 0 : Math.max(-0.15, Math.min(0.15, c.referralTrend.value))
  referrals.trendPerYear = fmt(trend, 4)
  note(
    ["referrals", "trendPerYear"],
    c.referralTrend === null
      ? `--trend ${c.trend}: no trend`
      : figureNote(c.referralTrend, "referral trend") + (trend !== c.referralTrend.value ? " (kept within +-15%)" : "")
  )
  if (Array.isArray(referrals.changes)) {
    referrals.changes = referrals.changes.map((ch, i) => {
      if (isObj(ch) && typeof ch.from === "string") {
        note(["referrals", "changes", i, "multiplier"], `the template's step, ${moved} with the start`)
        return {
          ...ch,
          from: shiftDate(ch.from, shift),
          ...(typeof ch.until === "string" ? { until: shiftDate(ch.until, shift) } : {})
        }
      }
      return ch
    })
  }
  // Front door: scale the three groups.
  const targets: Partial<Record<Group, number>> = {}
  if (c.nfaShare !== null && c.notInNeedShare !== null) {
    targets.nfa = c.nfaShare.value
    targets.notInNeed = c.notInNeedShare.value
    targets.inNeed = Math.max(0.01, 1 - c.nfaShare.value - c.notInNeedShare.value)
  }
  const fd = referrals.frontDoor
  const tables: Array<{ outcomes: Array<Obj>; path: Array<string | number>; width: number }> = []
  if (Array.isArray(fd)) tables.push({ outcomes: fd as Array<Obj>, path: ["referrals", "frontDoor"], width: 1 })
  else if (isObj(fd) && Array.isArray(fd.byAge))
    fd.byAge.forEach((b, i) => {
      if (isObj(b) && Array.isArray(b.outcomes) && Array.isArray(b.ages)) {
        const [a, z] = b.ages as Array<number>
        tables.push({
          outcomes: b.outcomes as Array<Obj>,
          path: ["referrals", "frontDoor", "byAge", i, "outcomes"],
          width: Math.min(z, 17) - a + 1
        })
      }
    })
  if (targets.nfa !== undefined && tables.length > 0) {
    const templateShare: Record<Group, number> = { nfa: 0, notInNeed: 0, inNeed: 0 }
    const widths = tables.reduce((a, x) => a + x.width, 0)
    for (const tb of tables)
      for (const o of tb.outcomes)
        templateShare[groupOf(o)] += ((typeof o.probability === "number" ? o.probability : 0) * tb.width) / widths
    for (const tb of tables) {
      const scaled = tb.outcomes.map((o) => {
        const g = groupOf(o)
        const p = typeof o.probability === "number" ? o.probability : 0
        return templateShare[g] > 0 ? (p * (targets[g] ?? 0)) / templateShare[g] : p
      })
      roundedShares(scaled).forEach((p, i) => {
        tb.outcomes[i].probability = p
        const g = groupOf(tb.outcomes[i])
        const what = g === "nfa" ? c.nfaShare : g === "notInNeed" ? c.notInNeedShare : null
        note(
          [...tb.path, i, "probability"],
          `the template's, x ${fmt((targets[g] ?? 0) / templateShare[g], 3)} so that ` +
            (what === null
              ? `children in need make ${fmt((targets.inNeed ?? 0) * 100, 1)}% of referrals ` +
                "(1 - no further action - not in need, C1)"
              : `${g === "nfa" ? "no further action" : "assessed not in need"} makes ` +
                `${fmt(what.value * 100, 1)}% of referrals (${what.source})`) +
            "; the band's probabilities then made to add up to 1"
        )
      })
    }
  } else summary.push("no front-door shares (C1): referrals.frontDoor is the template's")
  out.referrals = referrals

  // Levels.
  const levels: Obj = isObj(raw.levels) ? clone(raw.levels) : {}
  const cp = isObj(levels.child_protection) ? levels.child_protection : null
  if (cp !== null && c.cpMeanDays !== null) {
    if (c.cpShape !== null) {
      cp.duration = { type: "gamma", shape: c.cpShape.value, mean: fmt(c.cpMeanDays.value / MONTH, 2), unit: "months" }
      note(["levels", "child_protection", "duration", "shape"], figureNote(c.cpShape, "CP plan length, gamma shape"))
    } else {
      const m = meanDays(cp.duration)
      if (m !== null) cp.duration = scaleLaw(cp.duration, c.cpMeanDays.value / m)
      summary.push("no D5 duration bands: the CP plan length keeps the template's shape")
    }
    note(
      ["levels", "child_protection", "duration", "mean"],
      `${figureNote(c.cpMeanDays, "CP mean plan length (days)")}; in months`
    )
  }
  // Looked after at 31 March: the CLA table, else the template's share of children in need.
  const sc = Array.isArray(raw.startingCaseload) ? (raw.startingCaseload as Array<Obj>) : []
  const templateCount = (level: string) =>
    sc.filter((g) => g.level === level).reduce((a, g) => a + (typeof g.count === "number" ? g.count : 0), 0)
  const tCin = templateCount("child_in_need")
  const tCp = templateCount("child_protection")
  const tLac = templateCount("looked_after")
  const all = tCin + tCp + tLac
  /**
   * A 31 March stock: the tables' figure (a suppressed "c" is 1 to 5, taken as 3), or, where they give none
   * (no CLA table for the year; D5's figure not available, "x") but B1 gives the children in need, the
   * template's share of them, so that B1's figure still sets the levels below care (said in a note and in the
   * comment).
   */
  const stockOr = (
    figure: Figure | null,
    label: string,
    templateCount: number,
    what: string,
    kind: string,
    missing: string
  ) => {
    if (figure !== null) return { value: figure.value, note: figureNote(figure, label) }
    if (c.cinAt31 === null) return null
    const share = all > 0 ? templateCount / all : 0
    summary.push(`${missing} for 31 March ${c.to}: ${what} = the template's share of children in need`)
    return {
      value: Math.round(c.cinAt31.value * share),
      note:
        `${missing} for 31 March ${c.to}: ${fmt(share * 100, 1)}% (the template's ${kind} share of its children ` +
        `in need) of the ${grouped(c.cinAt31.value)} children in need (B1)`
    }
  }
  const lac = stockOr(c.lacAt31, "looked after on 31 March", tLac, "looked after", "looked-after", NO_CLA_FIGURE)
  const cpStock = stockOr(c.cpAt31, "CP plans at 31 March", tCp, "CP plans", "CP", NO_CP_FIGURE)
  // The run settles where entries a year x the mean time say (Little's law over the pooled years): a 31 March
  // stock far from it (plans that fell sharply in the last year) moves towards it from the first year.
  const settles = (what: string, stock: Figure | null, starts: Figure | null, days: Figure | null) => {
    if (stock === null || starts === null || days === null || stock.value <= 0) return
    const level = (starts.value * days.value) / 365.25
    const ratio = level / stock.value
    if (ratio > 1.25 || ratio < 0.8)
      summary.push(
        `${what} on 31 March ${c.to}: ${grouped(stock.value)}, where the pooled years' entries and mean time ` +
          `sustain ${grouped(Math.round(level))} (${ratio.toPrecision(2)} times as many): the run moves towards ` +
          "that level from its first year (--trend linear follows a trend in referrals; the pooled years are in " +
          "the table's sources)"
      )
  }
  settles("CP plans", c.cpAt31, c.cpStarts, c.cpMeanDays)
  settles("looked-after children", c.lacAt31, c.lacStarts, c.lacMeanDays)
  const cin = isObj(levels.child_in_need) ? levels.child_in_need : null
  let cinExcl: number | null = null
  if (c.cinAt31 !== null && cpStock !== null) {
    const rest = c.cinAt31.value - cpStock.value - (lac?.value ?? 0)
    // B1 counts every child in need, those on a plan and those looked after among them: fewer is a table at odds.
    if (rest < 0)
      summary.push(
        `B1's ${grouped(c.cinAt31.value)} children in need on 31 March ${c.to} are fewer than the CP plans ` +
          `(${grouped(cpStock.value)}) and looked-after children (${grouped(lac?.value ?? 0)}) they include: ` +
          "child in need alone starts at 0 (check the tables)"
      )
    cinExcl = Math.max(0, rest)
  }
  if (cin !== null && cinExcl !== null && c.cinStarts !== null && c.cinStarts.value > 0) {
    const target = (cinExcl / c.cinStarts.value) * 365.25
    const m = meanDays(cin.duration)
    if (m !== null && target > 0) {
      const f = target / m
      cin.duration = scaleLaw(cin.duration, f)
      const text =
        `the template's law x ${fmt(f, 3)}: mean ${fmt(target, 0)} days by Little's law, ` +
        `${grouped(cinExcl)} children ` +
        `in need neither on a plan nor looked after on 31 March ${c.to} / ${grouped(c.cinStarts.value)} CIN episodes ` +
        `started a year (${c.cinStarts.source})`
      for (const p of numericPaths(cin.duration, ["levels", "child_in_need", "duration"])) note(p, text)
    }
  }
  // Moves into CP and into care, scaled by the pilot's factors (the other outcomes of each table share the rest).
  const adjust = input.adjust
  if (adjust !== undefined)
    for (const [to, a] of [
      ["child_protection", adjust.cp],
      ["looked_after", adjust.lac]
    ] as const) {
      if (a === null) continue
      for (const tb of outcomeTables(referrals, levels)) {
        const hit = tb.outcomes.flatMap((o, i) => (o.to === to ? [i] : []))
        if (hit.length === 0) continue
        const ps = tb.outcomes.map((o) => (typeof o.probability === "number" ? o.probability : 0))
        const before = hit.reduce((x, i) => x + ps[i], 0)
        const after = Math.min(0.9, before * a.factor)
        const rest = 1 - before
        const scaled = ps.map((p, i) =>
          hit.includes(i) ? (p * after) / before : rest > 0 ? (p * (1 - after)) / rest : p
        )
        roundedShares(scaled).forEach((p, i) => {
          tb.outcomes[i].probability = p
          const key = JSON.stringify([...tb.path, i, "probability"])
          const was = notes.get(key)
          notes.set(
            key,
            `${was === undefined ? "the template's" : was}; ` +
              `then ${hit.includes(i) ? `x ${fmt(after / before, 3)}` : "rescaled"} ` +
              `for entries ${to === "child_protection" ? "to CP plans" : "into care"}: ${a.note}`
          )
        })
      }
    }
  out.levels = levels

  // Starting caseload: each level's groups scaled to its target.
  const targetsByLevel = new Map<string, { value: number; note: string }>()
  if (cinExcl !== null)
    targetsByLevel.set("child_in_need", {
      value: cinExcl,
      note:
        `children in need at 31 March ${c.to} (${grouped(c.cinAt31?.value ?? 0)}, B1) ` +
        `less CP plans (${grouped(cpStock?.value ?? 0)}${c.cpAt31 !== null ? ", D5" : ", estimated"}) less looked ` +
        `after (${grouped(lac?.value ?? 0)})`
    })
  if (cpStock !== null) targetsByLevel.set("child_protection", cpStock)
  if (lac !== null) targetsByLevel.set("looked_after", lac)
  const start: Array<Obj> = sc.map((g) => ({ ...g }))
  const levelsIn = [...new Set(start.map((g) => String(g.level)))]
  for (const level of levelsIn) {
    const idx = start.flatMap((g, i) => (g.level === level && typeof g.count === "number" ? [i] : []))
    const weights = idx.map((i) => start[i].count as number)
    const tgt = targetsByLevel.get(level)
    const total = tgt === undefined ? Math.round(weights.reduce((a, b) => a + b, 0) * ratio) : Math.round(tgt.value)
    // Looked after: the template's groups raked to the council's placement, age and UASC margins where the
    // tables give them, then their legal-status shares fitted to the council's legal-status mix.
    const mix = level === "looked_after" ? c.lacMix.filter((m) => m.read) : []
    const countMix = mix.filter((m) => COUNT_DIMENSIONS.includes(m.dimension))
    const groups = idx.map((i) => ({
      count: start[i].count as number,
      placement: String(start[i].placement),
      ages: agesOf(start[i].ages),
      uasc: start[i].uasc === true
    }))
    const fitted = countMix.some((m) => m.shares !== null) ? fitMix(groups, countMix) : weights
    const mixNote =
      countMix.length === 0
        ? ""
        : `; ${countMix.some((m) => m.shares !== null) ? "raked (iterative proportional fitting) to " : ""}` +
          countMix.map((m) => m.note).join("; ")
    // The UASC groups take the council's unaccompanied children exactly (of the headline stock), the others the rest.
    const uascShare = countMix.find((m) => m.dimension === "UASC")?.shares?.get("UASC") ?? null
    const isUasc = groups.map((g) => g.uasc)
    const counts =
      uascShare === null || isUasc.every((u) => u) || isUasc.every((u) => !u)
        ? apportion(fitted, total)
        : splitApportion(fitted, isUasc, total, Math.round(total * uascShare))
    idx.forEach((i, k) => {
      start[i].count = counts[k]
      note(
        ["startingCaseload", i, "count"],
        tgt === undefined
          ? `${rebased}`
          : `the template's group, scaled with the level's other groups to ${grouped(total)}: ${tgt.note}${mixNote}`
      )
    })
    const legal = mix.find((m) => m.dimension === "legal status")
    if (legal !== undefined && legal.shares !== null) {
      const la = isObj(levels.looked_after) ? levels.looked_after : null
      const withStatus = idx.flatMap((i, k) => (isObj(start[i].legalStatus) ? [{ i, k }] : []))
      if (la === null || la.legalStatus === undefined)
        summary.push("the template has no legal statuses: the council's legal-status mix is not used")
      else if (withStatus.length > 0) {
        const fit = fitLegalStatus(
          withStatus.map(({ i, k }) => ({
            count: counts[k],
            shares: new Map(
              Object.entries(start[i].legalStatus as Obj).map(([st, p]) => [st, typeof p === "number" ? p : 0])
            )
          })),
          legal
        )
        const got = [...fit.fitted].map(([cat, p]) => `${cat} ${fmt(p * 100, 1)}%`).join(", ")
        const text =
          "the template's shares for this group, fitted with the other looked-after groups (iterative proportional " +
          "fitting of children by legal status, each group keeping its count and the template's pattern) to " +
          `${legal.note}; together the groups hold ${got}`
        withStatus.forEach(({ i }, j) => {
          const codes = [...fit.shares[j].keys()]
          const rounded = roundedShares(codes.map((st) => fit.shares[j].get(st) ?? 0))
          const ls: Obj = {}
          codes.forEach((st, n) => {
            if (rounded[n] > 0) ls[st] = rounded[n]
          })
          start[i].legalStatus = ls
          for (const st of Object.keys(ls)) note(["startingCaseload", i, "legalStatus", st], text)
        })
      }
    }
    for (const m of mix) if (m.shares === null) summary.push(`looked-after ${m.dimension} mix: ${m.note}`)
  }
  if (start.length > 0) out.startingCaseload = start

  // Budget lines without the template council's budgets.
  if (Array.isArray(raw.budgetLines))
    out.budgetLines = raw.budgetLines.map((b) => {
      if (!isObj(b)) return b
      const { budget: _budget, ...rest } = b
      return rest
    })
  // Costs: fixed lines re-based (a line marked absolute is not).
  if (isObj(raw.costs)) {
    const costs = clone(raw.costs)
    if (Array.isArray(costs.fixed))
      costs.fixed.forEach((f, i) => {
        if (isObj(f) && typeof f.perYear === "number" && f.absolute !== true) {
          f.perYear = fmt(f.perYear * ratio, 2)
          note(["costs", "fixed", i, "perYear"], rebased)
        }
      })
    out.costs = costs
  }
  if (Array.isArray(raw.workforce))
    out.workforce = raw.workforce.map((w, i) => {
      if (!isObj(w)) return w
      const x = clone(w)
      if (typeof x.establishment === "number" && x.absolute !== true) {
        x.establishment = fmt(x.establishment * ratio, 2)
        note(["workforce", i, "establishment"], rebased)
      }
      if (Array.isArray(x.establishmentChanges))
        x.establishmentChanges = x.establishmentChanges.map((ch, j) => {
          if (!isObj(ch)) return ch
          const y: Obj = { ...ch }
          if (typeof y.from === "string") y.from = shiftDate(y.from, shift)
          if (typeof y.fte === "number") {
            y.fte = fmt(y.fte * ratio, 2)
            note(["workforce", i, "establishmentChanges", j, "fte"], rebased)
          }
          return y
        })
      return x
    })
  if (Array.isArray(raw.services))
    out.services = raw.services.map((s, i) => {
      if (!isObj(s)) return s
      const x = clone(s)
      if (typeof x.places === "number" && x.absolute !== true) {
        x.places = Math.round(x.places * ratio)
        note(["services", i, "places"], rebased)
      }
      if (Array.isArray(x.changes))
        x.changes = x.changes.map((ch, j) => {
          if (!isObj(ch)) return ch
          const y: Obj = { ...ch }
          if (typeof y.from === "string") y.from = shiftDate(y.from, shift)
          if (typeof y.places === "number") {
            y.places = Math.round(y.places * ratio)
            note(["services", i, "changes", j, "places"], rebased)
          }
          return y
        })
      return x
    })
  if (isObj(raw.uasc)) {
    const u = clone(raw.uasc)
    if (typeof u.perYear === "number") {
      u.perYear = fmt(u.perYear * ratio, 2)
      note(["uasc", "perYear"], rebased)
    }
    if (Array.isArray(u.changes))
      u.changes = u.changes.map((ch) =>
        isObj(ch) && typeof ch.from === "string" ? { ...ch, from: shiftDate(ch.from, shift) } : ch
      )
    out.uasc = u
  }
  if (Array.isArray(raw.interventions))
    out.interventions = raw.interventions.map((iv) => {
      if (!isObj(iv)) return iv
      const x = clone(iv)
      for (const k of ["start", "end"]) if (typeof x[k] === "string") x[k] = shiftDate(x[k] as string, shift)
      return x
    })
  // Anything else the template has, as it is (its own comments say what it is).
  for (const [k, v] of Object.entries(raw)) if (!(k in out) && k !== "extends") out[k] = v

  const doc = new YAML.Document(out)
  YAML.visit(doc, {
    Seq(_, node) {
      if (node.items.every((i) => YAML.isScalar(i))) node.flow = true
    }
  })
  for (const [key, text] of notes) {
    const node = doc.getIn(JSON.parse(key) as Array<string | number>, true)
    if (YAML.isScalar(node) || YAML.isSeq(node)) node.comment = ` ${text}`
  }
  for (const p of [...numericPaths(out, []), ...datePaths(out, [])]) {
    if (notes.has(JSON.stringify(p))) continue
    const node = doc.getIn(p, true)
    const parent = doc.getIn(p.slice(0, -1), true)
    if (YAML.isSeq(parent) && parent.flow) continue
    if (!YAML.isScalar(node) && !(YAML.isSeq(node) && node.flow)) continue
    const date = typeof node.toJSON() === "string"
    ;(node as YAML.Scalar).comment = date
      ? ` the template's (${t}) date, ${moved} with the start`
      : ` the template's (${t}), as written`
  }
  for (const p of flowSeqPaths(out, [])) {
    const node = doc.getIn(p, true)
    if (YAML.isSeq(node) && node.comment === undefined && notes.get(JSON.stringify(p)) === undefined)
      node.comment = ` the template's (${t}), as written`
  }
  const header = [
    ` ${out.name as string}`,
    ` Written by: ${input.command}`,
    ` Calibrated on DfE's published tables (Explore Education Statistics) for the years to 31 March ${c.to},`,
    ` trend: ${c.trend}. Tables read:`,
    ...[...c.tables].map(([k, f]) => `   ${k}: ${f.replace(/^.*[\\/]/, "")}`),
    ` Template for unit costs, services, staffing and everything the tables do not give: ${t}`,
    ` (re-based to this council's size: x ${fmt(ratio, 4)}).`,
    ...summary.map((s) => ` Note: ${s}`),
    " Every number's comment says where it came from; see caseflow's README, \"A council from DfE's published tables\"."
  ]
  doc.commentBefore = header.join("\n")
  return { text: doc.toString({ lineWidth: 0 }), data: out, ratio, notes: summary }
}

/** Every table of competing outcomes: the front door's and each level's (by age band where given). */
const outcomeTables = (referrals: Obj, levels: Obj): Array<{ outcomes: Array<Obj>; path: Array<string | number> }> => {
  const out: Array<{ outcomes: Array<Obj>; path: Array<string | number> }> = []
  const take = (v: Json | undefined, path: Array<string | number>) => {
    if (Array.isArray(v)) out.push({ outcomes: v.filter(isObj), path })
    else if (isObj(v) && Array.isArray(v.byAge))
      v.byAge.forEach((b, i) => {
        if (isObj(b) && Array.isArray(b.outcomes))
          out.push({ outcomes: b.outcomes.filter(isObj), path: [...path, "byAge", i, "outcomes"] })
      })
  }
  take(referrals.frontDoor, ["referrals", "frontDoor"])
  for (const [name, level] of Object.entries(levels))
    if (isObj(level) && name !== "looked_after") take(level.outcomes, ["levels", name, "outcomes"])
  return out
}

/** Paths of the numbers in a value, a list of numbers counting as one. */
const numericPaths = (v: Json, at: Array<string | number>): Array<Array<string | number>> => {
  if (typeof v === "number") return [at]
  if (Array.isArray(v)) {
    if (v.length > 0 && v.every((x) => typeof x === "number")) return [at]
    return v.flatMap((x, i) => numericPaths(x, [...at, i]))
  }
  if (isObj(v)) return Object.entries(v).flatMap(([k, x]) => numericPaths(x, [...at, k]))
  return []
}

/** Paths of the dates (YYYY-MM-DD texts) in a value, the start aside. */
const datePaths = (v: Json, at: Array<string | number>): Array<Array<string | number>> => {
  if (typeof v === "string") return /^\d{4}-\d{2}-\d{2}$/.test(v) && !(at.length === 1 && at[0] === "start") ? [at] : []
  if (Array.isArray(v)) return v.flatMap((x, i) => datePaths(x, [...at, i]))
  if (isObj(v)) return Object.entries(v).flatMap(([k, x]) => datePaths(x, [...at, k]))
  return []
}

const flowSeqPaths = (v: Json, at: Array<string | number>): Array<Array<string | number>> => {
  if (Array.isArray(v)) {
    if (v.length > 0 && v.every((x) => typeof x === "number")) return [at]
    return v.flatMap((x, i) => flowSeqPaths(x, [...at, i]))
  }
  if (isObj(v)) return Object.entries(v).flatMap(([k, x]) => flowSeqPaths(x, [...at, k]))
  return []
}
