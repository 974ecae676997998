/**
 * Scenario overlays: a scenario file that starts with `extends: <base file>` is a difference from its base.
 *
 * Resolution happens on the raw (encoded) scenario, before Schema decoding, so every check of the scenario
 * format applies to the merged result:
 * - the base path is relative to the directory of the file that names it (or absolute); a base may extend another
 *   (a chain), and a cycle is an error;
 * - the overlay is deep-merged onto its base: mappings merge key by key, recursively; lists and plain values
 *   in the overlay replace the base's wholesale; a key set to `null` removes the base's value (so an optional
 *   field can be unset);
 * - a mapping of a different kind replaces the base's wholesale instead of merging with it: one whose `type`
 *   (a distribution, an uncertain value) or `action` differs from the base's, or one with `byAge` where the
 *   base has none (or the other way round). `{ type: lognormal, mean: 300, sd: 250 }` over a gamma
 *   distribution is the lognormal, not a mixture of the two's fields; `{ mean: 150 }` over it changes the mean;
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
import { parseScenarioText, yamlLocator } from "./Parse.js"
import { type Locate, ScenarioError, type ScenarioProblem } from "./Problems.js"
import { show } from "../domain/Show.js"
import { readInputText } from "../io/InputFile.js"

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

/** Two mappings of a different kind: the overlay's replaces the base's instead of merging with it. */
const differentKind = (over: Record<string, unknown>, base: Record<string, unknown>): boolean =>
  ("type" in over && "type" in base && over.type !== base.type) ||
  ("action" in over && "action" in base && over.action !== base.action) ||
  "byAge" in over !== "byAge" in base

/**
 * `over` (from layer `layer`) merged onto `base` (whose origin is `baseOrigin`). New mappings are made only
 * where both sides contribute; everything else is shared with the inputs (so YAML aliases stay shared).
 */
const mergeWithOrigin = (
  base: unknown,
  baseOrigin: Origin,
  over: unknown,
  layer: number
): { value: unknown; origin: Origin } => {
  if (!isRecord(over) || !isRecord(base) || differentKind(over, base)) return { value: over, origin: { layer } }
  const value: Record<string, unknown> = { ...base }
  const keys = new Map<string, Origin>()
  if (baseOrigin.keys) for (const [k, o] of baseOrigin.keys) keys.set(k, o)
  for (const k of Object.keys(base)) if (!keys.has(k)) keys.set(k, { layer: baseOrigin.layer })
  for (const [k, v] of Object.entries(over)) {
    if (v === null) {
      delete value[k]
      keys.set(k, { layer })
    } else if (Object.hasOwn(base, k)) {
      const m = mergeWithOrigin(base[k], keys.get(k) ?? { layer: baseOrigin.layer }, v, layer)
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
): { readonly raw: Record<string, unknown>; readonly origin: Origin } => {
  const last = layers.length - 1
  let merged: { value: unknown; origin: Origin } = { value: withoutExtends(layers[last]), origin: { layer: last } }
  for (let i = last - 1; i >= 0; i--)
    merged = mergeWithOrigin(merged.value, merged.origin, withoutExtends(layers[i]), i)
  return { raw: merged.value as Record<string, unknown>, origin: merged.origin }
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
}

/** `a.yaml (extends b.yaml, which extends c.yaml)` */
export const chainLabel = (files: ReadonlyArray<string>): string =>
  files.length <= 1 ? (files[0] ?? "") : `${files[0]} (extends ${files.slice(1).join(", which extends ")})`

/** The largest scenario file read (a scenario with every child of a large council listed is a few MiB). */
export const MAX_SCENARIO_BYTES = 64 * 2 ** 20

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
      const layers = isRecord(top.raw) ? [{ file, raw: top.raw, doc: top.doc, counter: top.counter }] : []
      return {
        file,
        label: file,
        raw: top.raw,
        layers,
        locate: yamlLocator(top.doc, top.counter),
        overlay: false
      }
    }
    const fs = yield* FileSystem.FileSystem
    const layers: Array<ScenarioLayer> = [{ file, raw: top.raw, doc: top.doc, counter: top.counter }]
    const seen = [path.resolve(file)]
    const files = () => layers.map((l) => l.file)
    // A problem at the `extends` of the last layer read.
    const atExtends = (message: string) => {
      const from = layers[layers.length - 1]
      const line = yamlLocator(from.doc, from.counter)([EXTENDS]).line
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
        return yield* Effect.fail(atExtends(`a cycle of extends: ${[...files(), base].join(" extends ")}`))
      seen.push(id)
      const baseText = yield* readInputText(base, MAX_SCENARIO_BYTES).pipe(
        Effect.mapError((e) => atExtends(`cannot read the base scenario ${base}: ${e.detail}`))
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
          atExtends(`the base scenario ${base} is not a scenario (a mapping of fields): found ${show(raw)}`)
        )
      layers.push({ file: base, raw, doc: parsed.right.doc, counter: parsed.right.counter })
    }
    const { raw, origin } = mergeLayers(layers.map((l) => l.raw))
    const locate: Locate = (at) => {
      const layer = layers[layerOf(origin, at)]
      return { file: layer.file, ...yamlLocator(layer.doc, layer.counter)(at) }
    }
    return {
      file,
      label: chainLabel(files()),
      raw,
      layers,
      locate,
      overlay: true
    }
  })

/** Reads a scenario file and resolves its `extends` chain. */
export const resolveScenarioFile = (
  file: string
): Effect.Effect<ResolvedScenario, ScenarioError, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const text = yield* readInputText(file, MAX_SCENARIO_BYTES).pipe(
      Effect.mapError(
        (e) => new ScenarioError({ file, problems: [{ path: "", message: `cannot read the file: ${e.detail}` }] })
      )
    )
    return yield* resolveScenarioText(file, text)
  })
