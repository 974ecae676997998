/**
 * The SHA-256 seam (src/io/Sha256.ts): the pure implementation (the browser's) and the native one (Node's)
 * give node:crypto's digests byte for byte, for texts and bytes fed in any chunks, with digests taken midway
 * (as the event log's checkpoints take them) leaving the running hash as it was.
 */
import * as fc from "fast-check"
import { createHash } from "node:crypto"
import { describe, expect, it } from "vitest"
import {
  createSha256,
  nativeSha256,
  pureSha256,
  sha256Bytes,
  sha256Hex,
  sha256Implementation,
  type Sha256Factory
} from "../../src/io/Sha256.js"
import { childRootKey } from "../../src/random/Streams.js"
import { scenarioId } from "../../src/scenario/Identity.js"

const reference = (parts: ReadonlyArray<Uint8Array | string>): string => {
  const h = createHash("sha256")
  for (const p of parts) h.update(p)
  return h.digest("hex")
}

const implementations: ReadonlyArray<[string, Sha256Factory]> = [
  ["pure (@noble/hashes)", pureSha256],
  ...(nativeSha256 === null ? [] : [["native (node:crypto)", nativeSha256] as [string, Sha256Factory]])
]

const part = fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.string({ unit: "binary", maxLength: 80 }))

describe("SHA-256", () => {
  it("is native in Node (process.getBuiltinModule) and pure otherwise", () => {
    expect(nativeSha256).not.toBeNull()
    expect(sha256Implementation).toBe("node:crypto")
    expect(createSha256).toBe(nativeSha256)
  })

  it.each(implementations)("%s: the published test vectors", (_, make) => {
    expect(make().update("").hex()).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    expect(make().update("abc").hex()).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    const million = new Uint8Array(1_000_000).fill(0x61)
    expect(make().update(million).hex()).toBe("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
  })

  it.each(implementations)("%s: equals node:crypto on chunks of bytes and text, with digests midway", (_, make) => {
    fc.assert(
      fc.property(fc.array(part, { maxLength: 12 }), (parts) => {
        const h = make()
        parts.forEach((p, i) => {
          h.update(p)
          expect(h.hex()).toBe(reference(parts.slice(0, i + 1)))
        })
        expect(h.hex()).toBe(reference(parts))
        expect(Buffer.from(h.bytes()).toString("hex")).toBe(reference(parts))
      }),
      { numRuns: 200 }
    )
  })

  it("hashes a block that crosses the 64-byte boundaries alike", () => {
    for (let n = 0; n < 200; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 7 + n) & 0xff)
      expect(pureSha256().update(bytes).hex()).toBe(reference([bytes]))
    }
  })

  it("gives the digests caseflow used before the seam: scenario identity, stream keys", () => {
    const raw = { name: "Midshire", years: 5, nested: { b: [1, 2, "é"], a: null } }
    const canonical = '{"name":"Midshire","nested":{"a":null,"b":[1,2,"é"]},"years":5}'
    expect(scenarioId(raw)).toBe(reference([canonical]))
    expect(sha256Hex(canonical)).toBe(reference([canonical]))
    const key = "source:child|rep:3|seed:17|caseflow-child-streams/1;"
    const d = createHash("sha256").update(key).digest()
    expect(Array.from(childRootKey(17, 3))).toEqual([0, 4, 8, 12].map((o) => d.readInt32LE(o)))
    expect(Buffer.from(sha256Bytes(key))).toEqual(d)
  })
})
