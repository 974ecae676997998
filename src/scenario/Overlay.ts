/**
 * Scenario overlays: a scenario file that starts with `extends: <base file>` is a difference from its base.
 *
 * Resolution happens on the raw (encoded) scenario, before Schema decoding, so every check of the scenario
 * format applies to the merged result:
 * - the base path is relative to the directory of the file that names it (or absolute); a base may extend another
 *   (a chain), and a cycle is an error;
 * - the overlay is deep-merged onto its base: the scenario's sections (population, referrals, levels and
 *   each level, placements, costs, ...) merge key by key, recursively; lists and plain values in the overlay
 *   replace the base's wholesale; a key set to `null` removes the base's value (so an optional field can be
 *   unset);
 * - a value that is one thing with several fields is replaced whole, never merged field by field: a
 *   distribution or an uncertain value's distribution (any mapping with a `type`), a `whenFull` or any
 *   mapping with an `action`, an age table (`byAge`), and a placement mix (`onEntry`, a move's `to`, an
 *   effect's `placementMix`). So `duration: { type: gamma, shape: 2, mean: 150 }` over a gamma is exactly
 *   that distribution, and `duration: { mean: 150 }` is an error (a distribution needs its type), never a
 *   gamma that silently keeps the base's shape and unit;
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
import { formatPath, type Locate, ScenarioError, type ScenarioProblem } from "./Problems.js"
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
}

/** Keys whose mapping is one thing (a placement mix, a `whenFull`, a capacity): replaced whole. */
const WHOLE_BY_KEY: ReadonlySet<string> = new Set(["onEntry", "to", "placementMix", "whenFull", "capacity"])
/** Fields that make a mapping one thing of several fields (a distribution, a `whenFull`, an age table). */
const WHOLE_BY_FIELD = ["type", "action", "byAge"] as const

/** Whether the overlay's mapping (at `key`) replaces the base's whole instead of merging with it. */
const replacedWhole = (key: string | undefined, over: Record<string, unknown>, base: Record<string, unknown>) =>
  (key !== undefined && WHOLE_BY_KEY.has(key)) ||
  WHOLE_BY_FIELD.some((f) => Object.hasOwn(over, f) || Object.hasOwn(base, f))

/** A mapping of a base replaced whole by a mapping that lacks some of its fields (what a reader may have
 * expected to be kept). */
export interface Replacement {
  readonly path: ReadonlyArray<string>
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
const mergeWithOrigin = (
  base: unknown,
  baseOrigin: Origin,
  over: unknown,
  layer: number,
  path: ReadonlyArray<string> = [],
  replacements: Array<Replacement> = []
): { value: unknown; origin: Origin } => {
  if (!isRecord(over) || !isRecord(base)) return { value: over, origin: { layer } }
  if (replacedWhole(path[path.length - 1], over, base)) {
    const missing = Object.keys(base).filter((k) => !Object.hasOwn(over, k))
    if (missing.length > 0) replacements.push({ path, layer, baseLayer: baseOrigin.layer, base, missing })
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
        replacements
      )
      value[k] = m.value
      keys.set(k, m.origin)
    } else {
      value[k] = v
      keys.set(k, { layer })
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
} => {
  const last = layers.length - 1
  const replacements: Array<Replacement> = []
  let merged: { value: unknown; origin: Origin } = { value: withoutExtends(layers[last]), origin: { layer: last } }
  for (let i = last - 1; i >= 0; i--)
    merged = mergeWithOrigin(merged.value, merged.origin, withoutExtends(layers[i]), i, [], replacements)
  return { raw: merged.value as Record<string, unknown>, origin: merged.origin, replacements }
}

/** The overlay merged onto its base (both without `extends`). */
export const mergeOverlay = (
  base: Record<string, unknown>,
  overlay: Record<string, unknown>
): Record<string, unknown> => mergeLayers([overlay, base]).raw

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
    const { raw, origin, replacements } = mergeLayers(layers.map((l) => l.raw))
    const locate: Locate = (at) => {
      const layer = layers[layerOf(origin, at)]
      return { file: layer.file, ...layer.locate(at) }
    }
    const notes = replacements.map((r) => {
      const at = formatPath(r.path)
      const from = layers[r.baseLayer]
      const line = from.locate(r.path).line
      return {
        at,
        note:
          `(an overlay replaces a ${KIND_OF_WHOLE(r.base, r.path[r.path.length - 1])} whole, so it needs every ` +
          `field: this one has no ${r.missing.join(", ")}; the base's, in ` +
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
