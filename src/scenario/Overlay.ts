/**
 * Scenario overlays: a scenario file that starts with `extends: <base file>` is a difference from its base.
 *
 * Resolution happens on the raw (encoded) scenario, before Schema decoding, so every check of the scenario
 * format applies to the merged result:
 * - the base path is relative to the directory of the file that names it (or absolute); a base may extend another
 *   (a chain), and a cycle is an error;
 * - the overlay is deep-merged onto its base: the scenario's sections (population, referrals, levels and
 *   each level, placements, costs, ...) merge key by key, recursively; lists of named things (`KEYED_LISTS`:
 *   budget lines, cost lines, teams, services, interventions, dated changes, starting groups) merge entry by
 *   entry on their name or key, with `remove: true` / `replace: true` on an entry and `{ replace: [...] }`
 *   for a whole list; other lists and plain values in the overlay replace the base's; a key set to `null`
 *   removes the base's value (so an optional field can be unset);
 * - a value that is one thing with several fields is replaced whole, never merged field by field: a
 *   distribution or an uncertain value's distribution (any mapping with a `type`), a `whenFull` or any
 *   mapping with an `action`, an age table (`byAge`), and a placement mix (`onEntry`, a move's `to`, an
 *   effect's `placementMix`), a one-off cost's trigger (`on`) and an intervention's `eligibility` (filters:
 *   merged, they would match other children than either file says). So `duration: { type: gamma, shape: 2,
 *   mean: 150 }` over a gamma is exactly that distribution, and `duration: { mean: 150 }` is an error (a
 *   distribution needs its type), never a gamma that silently keeps the base's shape and unit;
 * - `extends` itself is not part of the merged scenario.
 *
 * Each value of the merged scenario remembers the file it came from, so a problem found after merging is
 * reported in the file (and at the line) that holds the offending value.
 *
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as path from "node:path"
import * as YAML from "yaml"
import { describeKind, excerpt, show } from "../domain/Show.js"
import { readInputText } from "../io/InputFile.js"
import { MAX_SCENARIO_BYTES } from "./Limits.js"
import { parseScenarioText } from "./Parse.js"
import { closest, formatPath, type Locate, ScenarioError, type ScenarioProblem } from "./Problems.js"
import { Scenario } from "./Scenario.js"

export { MAX_SCENARIO_BYTES }

/** The field that names the base scenario. */
export const EXTENDS = "extends"

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v)

// ---------------------------------------------------------------------------------------------------------
// The merge (pure)

/** Where a merged value came from: the layer (0: the overlay asked for, 1: its base, ...) and, for a mapping
 * merged from several layers, where each of its keys came from (a removed key: the layer that removed it). */
export interface Origin {
  readonly layer: number
  readonly keys?: ReadonlyMap<string, Origin>
  /** For an entry of a list merged by name: its index in the list of each layer that gives it. */
  readonly index?: ReadonlyMap<number, number>
}

/** A problem found while merging: at a path in the layer's own file. */
export interface MergeProblem {
  readonly layer: number
  readonly path: ReadonlyArray<string | number>
  readonly message: string
}

// ---------------------------------------------------------------------------------------------------------
// Lists of named things, merged by name (or key)

interface KeyedList {
  /** Where the list is; "*" stands for any index. */
  readonly path: ReadonlyArray<string>
  /** What one entry is, for messages. */
  readonly what: string
  /** The entry's key (null: it has none, so it cannot be matched). */
  readonly key: (entry: Record<string, unknown>) => string | null
  /** The key's fields, for messages. */
  readonly by: string
}

const canonical = (v: unknown): string =>
  isRecord(v)
    ? `{${Object.keys(v)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
        .join(",")}}`
    : (JSON.stringify(v) ?? "undefined")

const byName = (e: Record<string, unknown>): string | null => (typeof e.name === "string" ? e.name : null)
const byFrom = (e: Record<string, unknown>): string | null => (e.from === undefined ? null : canonical(e.from))
const byGroup = (e: Record<string, unknown>): string | null =>
  e.level === undefined
    ? null
    : canonical({
        level: e.level,
        placement: e.placement ?? null,
        ages: e.ages ?? null,
        dateOfBirth: e.dateOfBirth ?? null,
        since: e.since ?? null,
        // a UASC group and a group of other children of the same level, placement and ages are two groups
        uasc: e.uasc === true
      })

/** A dated change (top-level `changes`): by its name, or else by its date and what it changes. */
const byChange = (e: Record<string, unknown>): string | null =>
  typeof e.name === "string"
    ? e.name
    : e.from === undefined
      ? null
      : canonical({
          from: e.from,
          price: e.price ?? null,
          duration: e.duration ?? null,
          outcome: e.outcome ?? null,
          placementMix: isRecord(e.placementMix) ? Object.keys(e.placementMix).sort() : null
        })

/** The lists an overlay merges entry by entry. */
export const KEYED_LISTS: ReadonlyArray<KeyedList> = [
  { path: ["budgetLines"], what: "budget line", key: byName, by: "name" },
  { path: ["costs", "weekly"], what: "weekly cost line", key: byName, by: "name" },
  { path: ["costs", "oneOff"], what: "one-off cost line", key: byName, by: "name" },
  { path: ["costs", "fixed"], what: "fixed cost line", key: byName, by: "name" },
  { path: ["workforce"], what: "team", key: byName, by: "name" },
  { path: ["workforce", "*", "establishmentChanges"], what: "establishment change", key: byFrom, by: "from" },
  { path: ["services"], what: "service", key: byName, by: "name" },
  { path: ["services", "*", "changes"], what: "change of places", key: byFrom, by: "from" },
  { path: ["interventions"], what: "intervention", key: byName, by: "name" },
  { path: ["referrals", "changes"], what: "referral change", key: byFrom, by: "from" },
  { path: ["referrals", "contacts", "changes"], what: "contact change", key: byFrom, by: "from" },
  { path: ["referrals", "contacts", "toReferralChanges"], what: "change of the share", key: byFrom, by: "from" },
  { path: ["startingCaseload"], what: "starting group", key: byGroup, by: "level, placement, ages and uasc" },
  { path: ["changes"], what: "dated change", key: byChange, by: "name (or date and what it changes)" }
]

const keyedAt = (at: ReadonlyArray<string | number>): KeyedList | undefined =>
  KEYED_LISTS.find(
    (k) => k.path.length === at.length && k.path.every((p, i) => (p === "*" ? typeof at[i] === "number" : p === at[i]))
  )

/** The overlay's way of replacing a whole list of named things: `{ replace: [ ... ] }`. */
const REPLACE = "replace"
const REMOVE = "remove"
const isWholeReplacement = (v: unknown): v is { readonly replace: ReadonlyArray<unknown> } =>
  isRecord(v) && Object.keys(v).length === 1 && Array.isArray(v[REPLACE])

const entryOrigin = (list: Origin, i: number): Origin =>
  list.keys?.get(String(i)) ?? { layer: list.layer, index: new Map([[list.layer, i]]) }

const keyText = (k: KeyedList, e: Record<string, unknown>): string =>
  k.by === "name" ? show(e.name) : k.by === "from" ? show(e.from) : show(k.key(e))

/** Keys whose mapping is one thing (a placement mix, a `whenFull`, a capacity, a filter): replaced whole. */
const WHOLE_BY_KEY: ReadonlySet<string> = new Set([
  "onEntry",
  "to",
  "placementMix",
  "whenFull",
  "capacity",
  "on",
  "eligibility"
])
/** Fields that make a mapping one thing of several fields (a distribution, a `whenFull`, an age table). */
const WHOLE_BY_FIELD = ["type", "action", "byAge"] as const

/** Whether the overlay's mapping (at `key`) replaces the base's whole instead of merging with it. */
const replacedWhole = (key: string | undefined, over: Record<string, unknown>, base: Record<string, unknown>) =>
  (key !== undefined && WHOLE_BY_KEY.has(key)) ||
  WHOLE_BY_FIELD.some((f) => Object.hasOwn(over, f) || Object.hasOwn(base, f))

/** A mapping of a base replaced whole by a mapping that lacks some of its fields (what a reader may have
 * expected to be kept). */
export interface Replacement {
  readonly path: ReadonlyArray<string | number>
  /** The layer of the overlay that replaced it, and the layer the base's mapping came from. */
  readonly layer: number
  readonly baseLayer: number
  readonly base: Record<string, unknown>
  /** The base's fields the overlay's mapping does not give. */
  readonly missing: ReadonlyArray<string>
}

/**
 * `over` (from layer `layer`) merged onto `base` (whose origin is `baseOrigin`). New mappings are made only
 * where both sides contribute; everything else is shared with the inputs (so YAML aliases stay shared).
 */
interface MergeContext {
  readonly replacements: Array<Replacement>
  readonly problems: Array<MergeProblem>
}

/**
 * A list of named things: the base's entries in its order, each merged with the overlay's entry of the same
 * key (mappings merge as anywhere else), then the overlay's new entries in its order. An overlay entry with
 * `remove: true` removes the base's, with `replace: true` replaces it whole.
 */
const mergeList = (
  keyed: KeyedList,
  base: unknown,
  baseOrigin: Origin,
  over: ReadonlyArray<unknown>,
  layer: number,
  path: ReadonlyArray<string | number>,
  overPath: ReadonlyArray<string | number>,
  ctx: MergeContext
): { value: unknown; origin: Origin } => {
  const baseList: ReadonlyArray<unknown> = Array.isArray(base) ? base : []
  const entries: Array<{ value: unknown; origin: Origin } | null> = baseList.map((value, i) => ({
    value,
    origin: entryOrigin(baseOrigin, i)
  }))
  const keys = baseList.map((e) => (isRecord(e) ? keyed.key(e) : null))
  const given = new Map<string, number>()
  const problem = (at: ReadonlyArray<string | number>, message: string) =>
    ctx.problems.push({ layer, path: at, message })
  over.forEach((entry, j) => {
    const at = [...overPath, j]
    const own = { layer, index: new Map([[layer, j]]) }
    if (!isRecord(entry)) {
      entries.push({ value: entry, origin: own })
      keys.push(null)
      return
    }
    const { [REPLACE]: replace, [REMOVE]: remove, ...rest } = entry
    for (const [flag, v] of [
      [REPLACE, replace],
      [REMOVE, remove]
    ] as const)
      if (v !== undefined && typeof v !== "boolean")
        problem(
          [...at, flag],
          `expected true or false (${flag} the base's ${keyed.what} of this ${keyed.by}), found ${show(v)}`
        )
    const k = keyed.key(rest)
    if (k !== null) {
      const first = given.get(k)
      if (first !== undefined)
        problem(at, `the ${keyed.what} ${keyText(keyed, rest)} is also entry ${first} of this list in this file`)
      given.set(k, j)
    }
    const i = k === null ? -1 : keys.indexOf(k)
    if (remove === true || replace === true) {
      const flag = remove === true ? REMOVE : REPLACE
      if (remove === true && replace === true) problem(at, "expected remove or replace, not both")
      if (k === null) problem(at, `${flag}: expected the ${keyed.by} of the base's ${keyed.what} to ${flag}`)
      else if (i < 0 || entries[i] === null) {
        const names = keys.flatMap((x, n) => (x !== null && entries[n] !== null ? [x] : []))
        const near = keyed.by === "name" && typeof rest.name === "string" ? closest(rest.name, names) : undefined
        problem(
          at,
          `${flag}: the base has no ${keyed.what} of ${keyed.by} ${keyText(keyed, rest)}` +
            (near !== undefined ? ` (did you mean ${show(near)}?)` : "")
        )
      } else entries[i] = remove === true ? null : { value: rest, origin: own }
      return
    }
    const target = i < 0 ? null : entries[i]
    if (target === null || i < 0) {
      entries.push({ value: rest, origin: own })
      keys.push(k)
      return
    }
    const m = mergeWithOrigin(target.value, target.origin, rest, layer, [...path, i], at, ctx)
    entries[i] = {
      value: m.value,
      origin: { ...m.origin, index: new Map([...(target.origin.index ?? []), [layer, j]]) }
    }
  })
  const kept = entries.filter((e): e is { value: unknown; origin: Origin } => e !== null)
  return {
    value: kept.map((e) => e.value),
    origin: { layer, keys: new Map(kept.map((e, i) => [String(i), e.origin])) }
  }
}

const mergeWithOrigin = (
  base: unknown,
  baseOrigin: Origin,
  over: unknown,
  layer: number,
  path: ReadonlyArray<string | number>,
  overPath: ReadonlyArray<string | number>,
  ctx: MergeContext
): { value: unknown; origin: Origin } => {
  const keyed = keyedAt(path)
  if (keyed !== undefined) {
    if (isWholeReplacement(over)) return { value: over[REPLACE], origin: { layer } }
    if (Array.isArray(over)) return mergeList(keyed, base, baseOrigin, over, layer, path, overPath, ctx)
  }
  if (!isRecord(over) || !isRecord(base)) return { value: over, origin: { layer } }
  const last = path[path.length - 1]
  if (replacedWhole(typeof last === "string" ? last : undefined, over, base)) {
    const missing = Object.keys(base).filter((k) => !Object.hasOwn(over, k))
    if (missing.length > 0) ctx.replacements.push({ path, layer, baseLayer: baseOrigin.layer, base, missing })
    return { value: over, origin: { layer } }
  }
  const value: Record<string, unknown> = { ...base }
  const keys = new Map<string, Origin>()
  if (baseOrigin.keys) for (const [k, o] of baseOrigin.keys) keys.set(k, o)
  for (const k of Object.keys(base)) if (!keys.has(k)) keys.set(k, { layer: baseOrigin.layer })
  for (const [k, v] of Object.entries(over)) {
    if (v === null) {
      delete value[k]
      keys.set(k, { layer })
    } else if (Object.hasOwn(base, k)) {
      const m = mergeWithOrigin(
        base[k],
        keys.get(k) ?? { layer: baseOrigin.layer },
        v,
        layer,
        [...path, k],
        [...overPath, k],
        ctx
      )
      value[k] = m.value
      keys.set(k, m.origin)
    } else {
      // A list of named things new to the scenario: still read entry by entry (its flags checked, removed).
      const keyedNew = keyedAt([...path, k])
      const m =
        keyedNew !== undefined && (Array.isArray(v) || isWholeReplacement(v))
          ? mergeWithOrigin(undefined, { layer: baseOrigin.layer }, v, layer, [...path, k], [...overPath, k], ctx)
          : { value: v, origin: { layer } }
      value[k] = m.value
      keys.set(k, m.origin)
    }
  }
  return { value, origin: { layer, keys } }
}

/** A scenario mapping without its `extends` field. */
const withoutExtends = (raw: Record<string, unknown>): Record<string, unknown> => {
  if (!Object.hasOwn(raw, EXTENDS)) return raw
  const { [EXTENDS]: _, ...rest } = raw
  return rest
}

/**
 * Merges layers, most derived first (`[overlay, base, base's base, ...]`), into one scenario, with the
 * origin of every value. `extends` is dropped from every layer; the last layer is taken as written.
 */
export const mergeLayers = (
  layers: ReadonlyArray<Record<string, unknown>>
): {
  readonly raw: Record<string, unknown>
  readonly origin: Origin
  readonly replacements: ReadonlyArray<Replacement>
  readonly problems: ReadonlyArray<MergeProblem>
} => {
  const last = layers.length - 1
  const ctx: MergeContext = { replacements: [], problems: [] }
  let merged: { value: unknown; origin: Origin } = { value: withoutExtends(layers[last]), origin: { layer: last } }
  for (let i = last - 1; i >= 0; i--)
    merged = mergeWithOrigin(merged.value, merged.origin, withoutExtends(layers[i]), i, [], [], ctx)
  return {
    raw: merged.value as Record<string, unknown>,
    origin: merged.origin,
    replacements: ctx.replacements,
    problems: ctx.problems
  }
}

/** The overlay merged onto its base (both without `extends`). */
export const mergeOverlay = (
  base: Record<string, unknown>,
  overlay: Record<string, unknown>
): Record<string, unknown> => mergeLayers([overlay, base]).raw

/**
 * Where a path's value was written: its layer (as `layerOf`) and its path in that layer's file (an entry of a
 * list merged by name may sit at another index there).
 */
export const sourceOf = (
  origin: Origin,
  at: ReadonlyArray<PropertyKey>
): { readonly layer: number; readonly path: ReadonlyArray<PropertyKey> } => {
  const chain: Array<Origin | undefined> = []
  let o: Origin | undefined = origin
  let layer = origin.layer
  for (const k of at) {
    const next: Origin | undefined = o?.keys?.get(String(k))
    chain.push(next)
    if (next !== undefined) layer = next.layer
    o = next
  }
  return { layer, path: at.map((k, i) => chain[i]?.index?.get(layer) ?? k) }
}

/** The layer a path's value came from: the deepest origin recorded along the path. */
export const layerOf = (origin: Origin, at: ReadonlyArray<PropertyKey>): number => {
  let o = origin
  for (const k of at) {
    const next = o.keys?.get(String(k))
    if (next === undefined) break
    o = next
  }
  return o.layer
}

// ---------------------------------------------------------------------------------------------------------
// Reading the files

/** One file of an overlay chain. */
export interface ScenarioLayer {
  readonly file: string
  readonly raw: Record<string, unknown>
  readonly doc: YAML.Document | null
  readonly counter: YAML.LineCounter | null
  /** The line of the value at a path, in this file. */
  readonly locate: Locate
}

/** A scenario file with its `extends` chain resolved. */
export interface ResolvedScenario {
  /** The file asked for. */
  readonly file: string
  /** The name for messages: the file, and what it extends (`x.yaml (extends default.yaml)`). */
  readonly label: string
  /** The merged scenario (as written, before decoding); the file's own data when it extends nothing. */
  readonly raw: unknown
  /** The files, most derived first; just the file when it extends nothing (none if it is not a mapping). */
  readonly layers: ReadonlyArray<ScenarioLayer>
  /** The file and line of the value at a path (the file only for an overlay). */
  readonly locate: Locate
  /** Whether the file extends another. */
  readonly overlay: boolean
  /**
   * A note for a problem at a path inside a mapping an overlay replaced whole while leaving out some of the
   * base's fields (undefined: none): says that it was replaced whole and what the base had.
   */
  readonly note: (path: string) => string | undefined
}

const noNote = (): undefined => undefined

const KIND_OF_WHOLE = (base: Record<string, unknown>, key: string | undefined): string =>
  Object.hasOwn(base, "type")
    ? "distribution"
    : Object.hasOwn(base, "byAge")
      ? "table by age"
      : Object.hasOwn(base, "action") || key === "whenFull"
        ? "whenFull"
        : key === "capacity"
          ? "capacity"
          : key === "on"
            ? "cost's trigger"
            : key === "eligibility"
              ? "eligibility rule"
              : "placement mix"

/** `a.yaml (extends b.yaml, which extends c.yaml)` */
export const chainLabel = (files: ReadonlyArray<string>): string =>
  files.length <= 1 ? (files[0] ?? "") : `${files[0]} (extends ${files.slice(1).join(", which extends ")})`

/** A file name for a message: short and escaped (it may come from a hostile `extends`). */
const fileText = (file: string): string => excerpt(file, 200)

/**
 * Resolves a scenario file's text: follows `extends` (reading each base with the FileSystem service) and
 * merges. A file that extends nothing comes back as it is (with its lines located as today).
 */
export const resolveScenarioText = (
  file: string,
  text: string
): Effect.Effect<ResolvedScenario, ScenarioError, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const top = yield* parseScenarioText(file, text)
    if (!isRecord(top.raw) || !Object.hasOwn(top.raw, EXTENDS)) {
      const layers = isRecord(top.raw)
        ? [{ file, raw: top.raw, doc: top.doc, counter: top.counter, locate: top.locate }]
        : []
      return { file, label: file, raw: top.raw, layers, locate: top.locate, overlay: false, note: noNote }
    }
    const layers: Array<ScenarioLayer> = [
      { file, raw: top.raw, doc: top.doc, counter: top.counter, locate: top.locate }
    ]
    const seen = [path.resolve(file)]
    const files = () => layers.map((l) => l.file)
    // A problem at the `extends` of the last layer read.
    const atExtends = (message: string) => {
      const from = layers[layers.length - 1]
      const line = from.locate([EXTENDS]).line
      return new ScenarioError({
        file: chainLabel(files()),
        problems: [{ path: EXTENDS, message, file: from.file, ...(line !== undefined ? { line } : {}) }]
      })
    }
    for (;;) {
      const from = layers[layers.length - 1]
      if (!Object.hasOwn(from.raw, EXTENDS)) break
      const target = from.raw[EXTENDS]
      if (typeof target !== "string" || target.trim() === "")
        return yield* Effect.fail(
          atExtends(
            `expected the path of the base scenario file (relative to this file's folder), found ${show(target)}`
          )
        )
      const base = path.isAbsolute(target) ? path.normalize(target) : path.join(path.dirname(from.file), target)
      const id = path.resolve(base)
      if (seen.includes(id))
        return yield* Effect.fail(
          atExtends(`a cycle of extends: ${[...files(), base].map(fileText).join(" extends ")}`)
        )
      seen.push(id)
      const baseText = yield* readInputText(base, MAX_SCENARIO_BYTES).pipe(
        Effect.mapError((e) => atExtends(`cannot read the base scenario ${fileText(base)}: ${e.detail}`))
      )
      const parsed = parseScenarioText(base, baseText)
      if (Either.isLeft(parsed))
        return yield* Effect.fail(
          new ScenarioError({
            file: chainLabel([...files(), base]),
            problems: parsed.left.problems.map((p): ScenarioProblem => ({ ...p, file: base }))
          })
        )
      const raw = parsed.right.raw
      if (!isRecord(raw))
        return yield* Effect.fail(
          atExtends(
            `the base scenario ${fileText(base)} is not a scenario (a mapping of fields): found ${describeKind(raw)}`
          )
        )
      // A mapping with none of a scenario's fields is some other file: said without listing what it holds.
      if (!Object.keys(raw).some((k) => k === EXTENDS || Object.hasOwn(Scenario.fields, k)))
        return yield* Effect.fail(
          atExtends(
            `the base scenario ${fileText(base)} is not a scenario: it has none of a scenario's fields ` +
              "(name, start, years, ...)"
          )
        )
      layers.push({
        file: base,
        raw,
        doc: parsed.right.doc,
        counter: parsed.right.counter,
        locate: parsed.right.locate
      })
    }
    const { raw, origin, replacements, problems } = mergeLayers(layers.map((l) => l.raw))
    if (problems.length > 0)
      return yield* Effect.fail(
        new ScenarioError({
          file: chainLabel(files()),
          problems: problems.map((p): ScenarioProblem => {
            const line = layers[p.layer].locate(p.path).line
            return {
              path: formatPath(p.path),
              message: p.message,
              file: layers[p.layer].file,
              ...(line !== undefined ? { line } : {})
            }
          })
        })
      )
    const locate: Locate = (at) => {
      const { layer, path: within } = sourceOf(origin, at)
      return { file: layers[layer].file, ...layers[layer].locate(within) }
    }
    const notes = replacements.map((r) => {
      const at = formatPath(r.path)
      const from = layers[r.baseLayer]
      const line = from.locate(r.path).line
      return {
        at,
        note:
          `(an overlay replaces a ${KIND_OF_WHOLE(r.base, String(r.path[r.path.length - 1]))} whole, so it ` +
          `needs every field: this one has no ${r.missing.join(", ")}; the base's, in ` +
          `${fileText(from.file)}${line !== undefined ? ` line ${line}` : ""}, is ${show(r.base)})`
      }
    })
    const note = (p: string): string | undefined =>
      notes.find((n) => p === n.at || p.startsWith(`${n.at}.`) || p.startsWith(`${n.at}[`))?.note
    return { file, label: chainLabel(files()), raw, layers, locate, overlay: true, note }
  })

/** Reads a scenario file and resolves its `extends` chain. */
export const resolveScenarioFile = (
  file: string
): Effect.Effect<ResolvedScenario, ScenarioError, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const text = yield* readInputText(file, MAX_SCENARIO_BYTES).pipe(
      Effect.mapError(
        (e) =>
          new ScenarioError({
            file: fileText(file),
            problems: [{ path: "", message: `cannot read the file: ${e.detail}` }]
          })
      )
    )
    return yield* resolveScenarioText(file, text)
  })
