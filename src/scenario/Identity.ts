/**
 * A scenario's identity: the SHA-256 of its canonical JSON (object keys sorted, no insignificant
 * whitespace), taken of the scenario as resolved (an overlay merged onto its bases, without `extends`).
 * The event log, Monte Carlo shards and reports all name a scenario by it, so the same scenario has the
 * same identity wherever its files are, whatever their comments, key order or YAML anchors.
 */
import { createSha256 } from "../io/Sha256.js"

/**
 * Writes `v` as canonical JSON (object keys sorted, keys of undefined values left out, no insignificant
 * whitespace), piece by piece to `put`: each piece whole (a key, a number, a string), never a part of one.
 */
const writeCanonical = (v: unknown, put: (piece: string) => void): void => {
  if (Array.isArray(v)) {
    put("[")
    for (let k = 0; k < v.length; k++) {
      if (k > 0) put(",")
      writeCanonical(v[k], put)
    }
    put("]")
  } else if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
    put("{")
    keys.forEach((k, n) => {
      put(n > 0 ? `,${JSON.stringify(k)}:` : `${JSON.stringify(k)}:`)
      writeCanonical(o[k], put)
    })
    put("}")
  } else put(JSON.stringify(v) ?? "null")
}

/** JSON with object keys sorted, so equal data hashes equally whatever the key order. */
export const canonicalJson = (v: unknown): string => {
  const pieces: Array<string> = []
  writeCanonical(v, (piece) => pieces.push(piece))
  return pieces.join("")
}

/**
 * The hex SHA-256 of `canonicalJson(v)`, without making that text: its pieces go into the hash a block at a
 * time (a shard of a million replications is hundreds of megabytes of it). Whole pieces only, so a block never
 * ends inside a character.
 */
export const canonicalSha256 = (v: unknown): string => {
  const hash = createSha256()
  let block = ""
  writeCanonical(v, (piece) => {
    block += piece
    if (block.length >= 1 << 16) {
      hash.update(block)
      block = ""
    }
  })
  return hash.update(block).hex()
}

/** The identity of a resolved scenario (hex SHA-256 of its canonical JSON). */
export const scenarioId = (raw: unknown): string => canonicalSha256(raw)
