/**
 * Reproducible random streams.
 *
 * Every random source in the model has its own stream, derived from the run's seed, the replication and
 * the source's own identity. Keys put the varying identifiers first and end with a terminator, because
 * seedrandom repeats short string keys ("ab" seeds like "abab"); see numpy's SeedSequence notes on why
 * `root + id` is not enough.
 *
 * Two kinds of stream:
 * - named streams ("referrals", ...): seedrandom's Alea, keyed by (source, replication, seed);
 * - one stream per child: a run seeds hundreds of thousands of them, so they use SFC32 (Doty-Humphrey's
 *   small fast counting generator, which passes PractRand and BigCrush) with its 128-bit state kept in a
 *   typed array, seeded from a root key (SHA-256 of seed and replication) mixed with the child's number
 *   through the MurmurHash3 finaliser, then warmed up. Seeding costs tens of nanoseconds and no objects.
 *
 * Common random numbers follow from this: the referral stream and each child's stream depend only on
 * (seed, replication, source, id), so two scenarios run with the same seed see the same referrals, and a
 * child whom a policy does not touch draws the same numbers in both.
 */
import seedrandom from "seedrandom"
import { sha256Bytes } from "../io/Sha256.js"

/** A uniform draw on [0, 1). */
export type Uniform = () => number

/**
 * A run's seed: any whole number that JavaScript holds exactly, either side of 0. Streams are keyed by its
 * decimal text, so no narrower range is needed; the scenario file, the flags, the event log's header, shards
 * and the forecast history all take this one range, so whatever seed runs, its log and files read back.
 */
export const SEED_MIN = -Number.MAX_SAFE_INTEGER
export const SEED_MAX = Number.MAX_SAFE_INTEGER

/**
 * The streams of one replication: call it with a source name for a named stream, or with "child" and a
 * child's number for that child's stream (the same sequence the engine's `ChildStreams` gives).
 */
export interface StreamFactory {
  (source: string, id?: number): Uniform
  readonly seed: number | string
  readonly replication: number
  /** Root key of the per-child generators. */
  readonly childKey: Int32Array
}

/** The canonical, delimited and terminated key of a named stream. */
export const streamKey = (seed: number | string, replication: number, source: string, id?: number): string =>
  `source:${source}|id:${id ?? "-"}|rep:${replication}|seed:${seed}|caseflow-stream/1;`

export const childRootKey = (seed: number | string, replication: number): Int32Array => {
  const b = sha256Bytes(`source:child|rep:${replication}|seed:${seed}|caseflow-child-streams/1;`)
  const d = new DataView(b.buffer, b.byteOffset, b.byteLength)
  return Int32Array.of(d.getInt32(0, true), d.getInt32(4, true), d.getInt32(8, true), d.getInt32(12, true))
}

const fmix32 = (h: number): number => {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h | 0
}

const WARM_UP = 12

/**
 * Seeds the SFC32 state at `s[i .. i + 3]` for stream `id` under root key `key` (then warms it up).
 * The state can live in any Int32Array: `ChildStreams` keeps four words a child, the engine keeps them
 * beside each child's other fields.
 */
export const sfc32Seed = (s: Int32Array, i: number, key: Int32Array, id: number): void => {
  const x = Math.imul(id + 1, 0x9e3779b9)
  let a = fmix32(key[0] ^ x)
  let b = fmix32(key[1] ^ fmix32(x + 0x6a09e667))
  let c = fmix32(key[2] ^ fmix32(x + 0x3c6ef372))
  let d = key[3] | 1
  // The warm-up: WARM_UP steps of the generator (as `sfc32Next`), in registers.
  for (let r = 0; r < WARM_UP; r++) {
    const t = (((a + b) | 0) + d) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (((c << 21) | (c >>> 11)) + t) | 0
    d = (d + 1) | 0
  }
  s[i] = a
  s[i + 1] = b
  s[i + 2] = c
  s[i + 3] = d
}

/** The next uniform on [0, 1) from the SFC32 state at `s[i .. i + 3]`. */
export const sfc32Next = (s: Int32Array, i: number): number => {
  const a = s[i]
  const b = s[i + 1]
  const c = s[i + 2]
  const d = s[i + 3]
  const t = (((a + b) | 0) + d) | 0
  s[i] = b ^ (b >>> 9)
  s[i + 1] = (c + (c << 3)) | 0
  s[i + 2] = (((c << 21) | (c >>> 11)) + t) | 0
  s[i + 3] = (d + 1) | 0
  return (t >>> 0) / 4294967296
}

/** Per-child SFC32 generators in one typed array (four 32-bit words a child). */
export class ChildStreams {
  private s: Int32Array
  constructor(
    private readonly key: Int32Array,
    capacity = 1024
  ) {
    this.s = new Int32Array(capacity * 4)
  }

  /** Seeds child `id`'s stream (call once, when the child first appears), kept in slot `slot` (default: id). */
  seed(id: number, slot = id): void {
    if (slot * 4 + 4 > this.s.length) {
      const grown = new Int32Array(Math.max(this.s.length * 2, slot * 4 + 4))
      grown.set(this.s)
      this.s = grown
    }
    sfc32Seed(this.s, slot * 4, this.key, id)
  }

  /** The next uniform on [0, 1) from the stream in `slot`. */
  next(slot: number): number {
    return sfc32Next(this.s, slot * 4)
  }
}

/** The streams of one replication. */
export const makeStreams = (seed: number | string, replication = 0): StreamFactory => {
  const childKey = childRootKey(seed, replication)
  const factory = (source: string, id?: number): Uniform => {
    if (source === "child" && id !== undefined) {
      // A standalone copy of child `id`'s stream, kept in slot 0.
      const one = new ChildStreams(childKey, 1)
      one.seed(id, 0)
      return () => one.next(0)
    }
    return seedrandom.alea(streamKey(seed, replication, source, id))
  }
  return Object.assign(factory, { seed, replication, childKey })
}
