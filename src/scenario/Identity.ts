/**
 * A scenario's identity: the SHA-256 of its canonical JSON (object keys sorted, no insignificant
 * whitespace), taken of the scenario as resolved (an overlay merged onto its bases, without `extends`).
 * The event log, Monte Carlo shards and reports all name a scenario by it, so the same scenario has the
 * same identity wherever its files are, whatever their comments, key order or YAML anchors.
 */
import { createSha256 } from "../io/Sha256.js"

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

/**
 * The hex SHA-256 of `canonicalJson(v)`, without making that text: its pieces go into the hash a block at a
 * time (a shard of a million replications is hundreds of megabytes of it). Whole pieces only, so a block never
 * ends inside a character.
 */
export const canonicalSha256 = (v: unknown): string => {
  const hash = createSha256()
  let block = ""
  const put = (s: string) => {
    block += s
    if (block.length >= 1 << 16) {
      hash.update(block)
      block = ""
    }
  }
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) {
      put("[")
      for (let k = 0; k < x.length; k++) {
        if (k > 0) put(",")
        walk(x[k])
      }
      put("]")
    } else if (x !== null && typeof x === "object") {
      const o = x as Record<string, unknown>
      const keys = Object.keys(o)
        .filter((k) => o[k] !== undefined)
        .sort()
      put("{")
      keys.forEach((k, n) => {
        put(n > 0 ? `,${JSON.stringify(k)}:` : `${JSON.stringify(k)}:`)
        walk(o[k])
      })
      put("}")
    } else put(JSON.stringify(x) ?? "null")
  }
  walk(v)
  return hash.update(block).hex()
}

/** The identity of a resolved scenario (hex SHA-256 of its canonical JSON). */
export const scenarioId = (raw: unknown): string => canonicalSha256(raw)
