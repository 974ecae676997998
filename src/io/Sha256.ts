/**
 * SHA-256, the one seam between caseflow's digests and the platform: a scenario's identity
 * (scenario/Identity.ts), the event log's integrity chain (log/Integrity.ts), a Monte Carlo shard's seal
 * (montecarlo/Partial.ts) and the root key of the per-child random streams (random/Streams.ts) all hash
 * through it, so the same modules run in Node and in a browser.
 *
 * Two implementations of one interface, with byte-identical digests (test/io/Sha256.test.ts checks both
 * against `node:crypto` on generated inputs, split into generated chunks, with digests taken midway):
 * - Node's own (native code, with the CPU's SHA instructions), found without a static `node:` import
 *   through `process.getBuiltinModule` (Node 20.16 and later): the event log hashes every byte it writes,
 *   and the pure version is an order of magnitude slower at that (measured here: 27-29 MB/s against
 *   320-430 MB/s, on a loaded machine);
 * - a pure one, @noble/hashes (audited, dependency-free), where there is no Node: the browser build, and a
 *   Node older than 20.16.
 */
import { sha256 } from "@noble/hashes/sha2.js"
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js"

/** A running SHA-256: `update` with bytes or text (UTF-8); a digest of what it has seen so far, and it carries on. */
export interface Sha256 {
  update(data: Uint8Array | string): Sha256
  /** The digest so far, as 64 lowercase hex digits. */
  hex(): string
  /** The digest so far, as 32 bytes. */
  bytes(): Uint8Array
}

export type Sha256Factory = () => Sha256

/** @noble/hashes: pure TypeScript, for any platform. */
export const pureSha256: Sha256Factory = () => {
  const h = sha256.create()
  const self: Sha256 = {
    update: (data) => {
      h.update(typeof data === "string" ? utf8ToBytes(data) : data)
      return self
    },
    hex: () => bytesToHex(h.clone().digest()),
    bytes: () => h.clone().digest()
  }
  return self
}

/** What caseflow uses of `node:crypto`, described here so that this module imports nothing from Node. */
interface NativeHash {
  update(data: Uint8Array | string): NativeHash
  copy(): NativeHash
  digest(): Uint8Array
  digest(encoding: "hex"): string
}
interface NativeCrypto {
  createHash(algorithm: "sha256"): NativeHash
}
interface MaybeNode {
  readonly process?: { readonly getBuiltinModule?: (id: string) => unknown }
}

const nodeCrypto = (): NativeCrypto | null => {
  const get = (globalThis as MaybeNode).process?.getBuiltinModule
  if (typeof get !== "function") return null
  try {
    const m = get("node:crypto") as Partial<NativeCrypto> | undefined
    return m !== undefined && typeof m.createHash === "function" ? (m as NativeCrypto) : null
  } catch {
    return null
  }
}

const native = nodeCrypto()

/** Node's native SHA-256 (null where there is no Node, or one without `process.getBuiltinModule`). */
export const nativeSha256: Sha256Factory | null =
  native === null
    ? null
    : () => {
        const h = native.createHash("sha256")
        const self: Sha256 = {
          update: (data) => {
            h.update(data)
            return self
          },
          hex: () => h.copy().digest("hex"),
          bytes: () => {
            const d = h.copy().digest()
            return new Uint8Array(d.buffer, d.byteOffset, d.byteLength)
          }
        }
        return self
      }

/** The platform's best: native in Node, pure elsewhere. */
export const createSha256: Sha256Factory = nativeSha256 ?? pureSha256

/** Which implementation `createSha256` is (for the benchmarks and the page's About). */
export const sha256Implementation: "node:crypto" | "@noble/hashes" =
  nativeSha256 === null ? "@noble/hashes" : "node:crypto"

/** The hex SHA-256 of bytes or of a text's UTF-8. */
export const sha256Hex = (data: Uint8Array | string): string => createSha256().update(data).hex()

/** The SHA-256 of bytes or of a text's UTF-8, as 32 bytes. */
export const sha256Bytes = (data: Uint8Array | string): Uint8Array => createSha256().update(data).bytes()
