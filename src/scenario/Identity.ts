/**
 * A scenario's identity: the SHA-256 of its canonical JSON (object keys sorted, no insignificant
 * whitespace), taken of the scenario as resolved (an overlay merged onto its bases, without `extends`).
 * The event log, Monte Carlo shards and reports all name a scenario by it, so the same scenario has the
 * same identity wherever its files are, whatever their comments, key order or YAML anchors.
 */
import { sha256Hex } from "../io/Sha256.js"

/** JSON with object keys sorted, so equal data hashes equally whatever the key order. */
export const canonicalJson = (v: unknown): string => {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(",")}}`
  }
  return JSON.stringify(v) ?? "null"
}

/** The identity of a resolved scenario (hex SHA-256 of its canonical JSON). */
export const scenarioId = (raw: unknown): string => sha256Hex(canonicalJson(raw))
