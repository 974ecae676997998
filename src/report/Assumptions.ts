/**
 * The assumptions section of a report: every parameter of the scenario as run, with the comment that
 * sources it, read from the scenario file (and, for an overlay, the bases it extends) with the `yaml`
 * package, which keeps comments.
 *
 * A parameter is a value written in one place: a plain value (`ratePer10k: 412`) or a value written on one
 * line (`{ type: gamma, shape: 2, mean: 110 }`, `[1.05, 1.0, ...]`), under its path
 * (`levels.early_help.duration`). Its source is the comment on its line, else the comment above it, else
 * the nearest comment above an enclosing entry (a list item's, then its key's). A value from an overlay's
 * base is listed from the base only if the merged scenario still holds it (an overlay that replaces or
 * removes it wins).
 */
import { isMap, isPair, isScalar, isSeq, parseDocument, type Node } from "yaml"

export interface Parameter {
  /** e.g. `referrals.ratePer10k`, `startingCaseload[2]`. */
  readonly path: string
  /** The value as written (one line, at most 200 characters). */
  readonly value: string
  /** The comment that sources it (empty when the file gives none). */
  readonly source: string
  /** The file it was written in. */
  readonly file: string
}

export interface ScenarioText {
  readonly file: string
  readonly text: string
}

const MAX_VALUE = 200

const oneLine = (text: string): string => {
  const t = text.replace(/\s+/g, " ").trim()
  return t.length <= MAX_VALUE ? t : `${t.slice(0, MAX_VALUE - 3)}...`
}

const commentText = (c: string | null | undefined): string =>
  c === null || c === undefined
    ? ""
    : c
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => l !== "" && !/^[=\-#]+$/.test(l))
        .join(" ")
        .trim()

const isFlow = (n: unknown): boolean => (isMap(n) || isSeq(n)) && n.flow === true

const at = (data: unknown, path: ReadonlyArray<string | number>): { found: boolean; value: unknown } => {
  let v: unknown = data
  for (const k of path) {
    if (v === null || typeof v !== "object" || !Object.prototype.hasOwnProperty.call(v, k))
      return { found: false, value: undefined }
    v = (v as Record<string | number, unknown>)[k]
  }
  return { found: true, value: v }
}

const pathText = (path: ReadonlyArray<string | number>): string =>
  path.map((k, i) => (typeof k === "number" ? `[${k}]` : i === 0 ? k : `.${k}`)).join("")

const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) =>
    x !== null && typeof x === "object" && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : x
  ) ?? ""

/** The parameters written in one file, in file order. */
const parametersOf = (
  t: ScenarioText
): Array<{ path: ReadonlyArray<string | number>; value: string; json: unknown; source: string }> => {
  const doc = parseDocument(t.text, { keepSourceTokens: false })
  const out: Array<{ path: ReadonlyArray<string | number>; value: string; json: unknown; source: string }> = []
  const leaf = (node: Node | null, path: ReadonlyArray<string | number>, comments: ReadonlyArray<string>) => {
    const own = commentText(node?.comment)
    const source = own !== "" ? own : ([...comments].reverse().find((c) => c !== "") ?? "")
    const json: unknown = node === null ? null : node.toJSON()
    const range = node?.range
    const value = isScalar(node)
      ? String(node.value)
      : node === null || range === undefined || range === null
        ? canonical(json)
        : t.text.slice(range[0], range[1])
    out.push({ path, value: oneLine(value), json, source })
  }
  const walk = (node: unknown, path: ReadonlyArray<string | number>, comments: ReadonlyArray<string>) => {
    if (isMap(node) && !isFlow(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key)
        if (key === "extends") continue
        const keyNode = isScalar(pair.key) ? pair.key : null
        const above = commentText(keyNode?.commentBefore)
        const value = pair.value as Node | null
        const valueAbove = commentText(value?.commentBefore)
        walk(value, [...path, key], [...comments, above, valueAbove])
      }
    } else if (isSeq(node) && !isFlow(node)) {
      node.items.forEach((item, i) => {
        const n = item as Node | null
        walk(n, [...path, i], [...comments, commentText(n?.commentBefore)])
      })
    } else leaf(node as Node | null, path, comments)
  }
  walk(doc.contents, [], [])
  return out
}

/**
 * Every parameter of the merged scenario `merged`, read from `texts` (the scenario file first, then each
 * base it extends, in order), with its source comment.
 */
export const scenarioParameters = (texts: ReadonlyArray<ScenarioText>, merged: unknown): Array<Parameter> => {
  const out: Array<Parameter> = []
  const seen = new Set<string>()
  for (const t of texts) {
    for (const p of parametersOf(t)) {
      const key = pathText(p.path)
      if (seen.has(key)) continue
      const there = at(merged, p.path)
      if (!there.found || canonical(there.value) !== canonical(p.json)) continue
      seen.add(key)
      out.push({ path: key, value: p.value, source: p.source, file: t.file })
    }
  }
  return out
}
