// A scenario's (and a shard's) identity: the SHA-256 of canonical JSON, hashed a block at a time.
import * as fc from "fast-check"
import { createHash } from "node:crypto"
import { describe, expect, it } from "vitest"
import { canonicalJson, canonicalSha256, scenarioId } from "../../src/scenario/Identity.js"

const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex")

describe("canonicalSha256", () => {
  it("is the SHA-256 of the canonical JSON text, whatever the value", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(canonicalSha256(v)).toBe(sha256(canonicalJson(v)))
        expect(scenarioId(v)).toBe(sha256(canonicalJson(v)))
      }),
      { numRuns: 300 }
    )
  })

  it("is the same across its blocks, with characters outside the BMP and keys in any order", () => {
    // Long enough to span many of its 64 KB blocks; each piece a surrogate pair, so a block cut inside a
    // character would show.
    const v = {
      z: Array.from({ length: 40_000 }, (_, i) => ({ k: "\u{1F600}".repeat(i % 7), n: i / 3 })),
      a: [null, true, '"quoted" and \\ back', -0, 1e300]
    }
    expect(canonicalSha256(v)).toBe(sha256(canonicalJson(v)))
    expect(canonicalSha256({ a: v.a, z: v.z })).toBe(canonicalSha256(v))
  })
})
