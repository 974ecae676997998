/**
 * Reproducible random streams.
 *
 * Every random source in the model has its own stream, derived from the run's seed, the replication and
 * the source's own identity (e.g. "arrivals", or "child" and the child's number). Keys put the varying
 * identifiers first and end with a terminator, because seedrandom repeats short string keys ("ab" seeds
 * like "abab"); see numpy's SeedSequence notes on why `root + id` is not enough.
 *
 * Common random numbers follow from this: the referral stream and each child's stream depend only on
 * (seed, replication, source, id), so two scenarios run with the same seed see the same referrals, and a
 * child whom a policy does not touch draws the same numbers in both.
 */
import { createHash } from "node:crypto"
import seedrandom from "seedrandom"

/** A uniform draw on [0, 1). */
export type Uniform = () => number

/** Creates the stream of a named source (and optional id) within one replication. */
export type StreamFactory = (source: string, id?: number) => Uniform

/**
 * A 60-bit digest of (seed, replication, source). Seeding cost grows with the key's length and a run seeds
 * one stream per child, so child keys carry this short digest instead of the full root key.
 */
export const rootDigest = (seed: number | string, replication: number, source: string): string =>
  createHash("sha256").update(`source:${source}|rep:${replication}|seed:${seed}|caseflow-streams/1;`).digest("hex").slice(0, 15)

/** The canonical, delimited and terminated key of one stream: the id first, then the root digest. */
export const streamKey = (seed: number | string, replication: number, source: string, id?: number): string =>
  `${id ?? "-"}.${rootDigest(seed, replication, source)};`

/**
 * The streams of one replication. Alea (from seedrandom) is used for its small state and cheap seeding:
 * a run creates one stream per child, so seeding cost matters more than period (about 2^116).
 */
export const makeStreams = (seed: number | string, replication = 0): StreamFactory => {
  const digests = new Map<string, string>()
  return (source, id) => {
    let digest = digests.get(source)
    if (digest === undefined) {
      digest = rootDigest(seed, replication, source)
      digests.set(source, digest)
    }
    return seedrandom.alea(`${id ?? "-"}.${digest};`)
  }
}
