/**
 * An uncertain parameter: a number in a scenario that is not known exactly, written as a distribution
 * instead of a value, e.g. `ratePer10k: { uncertain: { type: normal, mean: 420, sd: 30 } }`.
 *
 * Six families cover what an analyst can usually say about an assumption:
 *
 * | type         | fields                                   | central value          |
 * |--------------|------------------------------------------|------------------------|
 * | `normal`     | `mean`, `sd`, optional `min` / `max`     | `mean` (within bounds) |
 * | `lognormal`  | `mean`, `sd` (of the value itself)       | `mean`                 |
 * | `triangular` | `min`, `mode`, `max`                     | `mode`                 |
 * | `uniform`    | `min`, `max`                             | the midpoint           |
 * | `beta`       | `alpha`, `beta`, optional `min` / `max`  | the mean               |
 * | `pert`       | `min`, `mode`, `max`, optional `lambda`  | `mode`                 |
 *
 * A normal with `min` / `max` is truncated to that range (drawn by inverse transform within it). `pert` is
 * the Beta-PERT of project estimating (min, most likely, max; `lambda` = 4 by default). Every family
 * accepts `share: <name>`: parameters with the same share name use the same uniform quantile in each
 * replication, so they move together (comonotonic: the 90th-percentile draw of one comes with the
 * 90th-percentile draw of the other). `round: true` rounds the draw to a whole number (for counts).
 *
 * Draws are made by inverse transform from one uniform quantile per replication, which is what makes
 * shared draws and the sensitivity ranking (on quantiles) straightforward.
 */
import normalCdf from "@stdlib/stats-base-dists-normal-cdf"
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile"
import * as Schema from "effect/Schema"
import { betaQuantile } from "./internal/special.js"

const Finite = Schema.Number.pipe(Schema.finite()).annotations({ message: () => "expected a number" })
const Positive = Schema.Number.pipe(Schema.finite(), Schema.positive()).annotations({
  message: () => "expected a positive number"
})
const ShareName = Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9_.:-]+$/)).annotations({
  message: () => "expected a share name of letters, digits, _ . : or -"
})
const common = {
  /** Parameters with the same share name use the same draw (comonotonic). */
  share: Schema.optional(ShareName),
  /** Round the draw to a whole number. */
  round: Schema.optional(Schema.Boolean)
}

export const NormalSpec = Schema.Struct({
  type: Schema.Literal("normal"),
  mean: Finite,
  sd: Positive,
  min: Schema.optional(Finite),
  max: Schema.optional(Finite),
  ...common
})
export const LognormalSpec = Schema.Struct({
  type: Schema.Literal("lognormal"),
  mean: Positive,
  sd: Positive,
  ...common
})
export const TriangularSpec = Schema.Struct({
  type: Schema.Literal("triangular"),
  min: Finite,
  mode: Finite,
  max: Finite,
  ...common
})
export const UniformSpec = Schema.Struct({ type: Schema.Literal("uniform"), min: Finite, max: Finite, ...common })
export const BetaSpec = Schema.Struct({
  type: Schema.Literal("beta"),
  alpha: Positive,
  beta: Positive,
  min: Schema.optional(Finite),
  max: Schema.optional(Finite),
  ...common
})
export const PertSpec = Schema.Struct({
  type: Schema.Literal("pert"),
  min: Finite,
  mode: Finite,
  max: Finite,
  lambda: Schema.optional(Positive),
  ...common
})

/** The families by name; each is decoded with its own struct, so errors name the field that is wrong. */
export const UNCERTAIN_TYPES = {
  normal: NormalSpec,
  lognormal: LognormalSpec,
  triangular: TriangularSpec,
  uniform: UniformSpec,
  beta: BetaSpec,
  pert: PertSpec
} as const
export type UncertainType = keyof typeof UNCERTAIN_TYPES

export const UncertainSpec = Schema.Union(NormalSpec, LognormalSpec, TriangularSpec, UniformSpec, BetaSpec, PertSpec)
export type UncertainSpec = typeof UncertainSpec.Type

/** A problem with a spec's fields taken together, relative to the spec (e.g. `["max"]`). */
export interface SpecProblem {
  readonly path: ReadonlyArray<string>
  readonly message: string
}

/** Checks that span a spec's fields (after each field has decoded on its own). */
export const specProblems = (s: UncertainSpec): ReadonlyArray<SpecProblem> => {
  const out: Array<SpecProblem> = []
  const ordered = (min: number, max: number) => {
    if (!(min < max)) out.push({ path: ["max"], message: `expected max above min (${min}), found ${max}` })
  }
  switch (s.type) {
    case "normal":
      if (s.min !== undefined && s.max !== undefined) ordered(s.min, s.max)
      if (out.length === 0) {
        const lo = s.min === undefined ? 0 : normalCdf(s.min, s.mean, s.sd)
        const hi = s.max === undefined ? 1 : normalCdf(s.max, s.mean, s.sd)
        if (!(hi - lo > 1e-9))
          out.push({
            path: s.min !== undefined && s.min > s.mean ? ["min"] : ["max"],
            message:
              `expected bounds that keep some of the distribution (mean ${s.mean}, sd ${s.sd}); almost ` +
              `nothing lies within [${s.min ?? "-inf"}, ${s.max ?? "inf"}]`
          })
      }
      break
    case "lognormal":
      break
    case "triangular":
    case "pert":
      ordered(s.min, s.max)
      if (s.mode < s.min || s.mode > s.max)
        out.push({
          path: ["mode"],
          message: `expected a mode within [min, max] = [${s.min}, ${s.max}], found ${s.mode}`
        })
      break
    case "uniform":
      ordered(s.min, s.max)
      break
    case "beta":
      ordered(s.min ?? 0, s.max ?? 1)
      break
  }
  return out
}

/** A compiled parameter distribution: its quantile function and central value. */
export interface ParameterDistribution {
  /** The value at uniform quantile p in (0, 1). */
  readonly quantile: (p: number) => number
  /** The value the analyst gave as the estimate (see the table above); scenarios are checked at it. */
  readonly central: number
}

/** Compiles a spec that passed `specProblems`. */
export const compileSpec = (s: UncertainSpec): ParameterDistribution => {
  const rounded = (d: ParameterDistribution): ParameterDistribution =>
    s.round === true ? { quantile: (p) => Math.round(d.quantile(p)), central: Math.round(d.central) } : d
  switch (s.type) {
    case "normal": {
      const lo = s.min === undefined ? 0 : normalCdf(s.min, s.mean, s.sd)
      const hi = s.max === undefined ? 1 : normalCdf(s.max, s.mean, s.sd)
      const clamp = (x: number) => Math.min(s.max ?? Infinity, Math.max(s.min ?? -Infinity, x))
      return rounded({
        quantile: (p) => clamp(normalQuantile(lo + p * (hi - lo), s.mean, s.sd)),
        central: clamp(s.mean)
      })
    }
    case "lognormal": {
      const sigma2 = Math.log(1 + (s.sd * s.sd) / (s.mean * s.mean))
      const sigma = Math.sqrt(sigma2)
      const mu = Math.log(s.mean) - sigma2 / 2
      return rounded({ quantile: (p) => Math.exp(mu + sigma * normalQuantile(p, 0, 1)), central: s.mean })
    }
    case "triangular": {
      const { min: a, mode: c, max: b } = s
      const fc = (c - a) / (b - a)
      return rounded({
        quantile: (p) => (p < fc ? a + Math.sqrt(p * (b - a) * (c - a)) : b - Math.sqrt((1 - p) * (b - a) * (b - c))),
        central: c
      })
    }
    case "uniform":
      return rounded({ quantile: (p) => s.min + p * (s.max - s.min), central: (s.min + s.max) / 2 })
    case "beta": {
      const a = s.min ?? 0
      const w = (s.max ?? 1) - a
      return rounded({
        quantile: (p) => a + w * betaQuantile(s.alpha, s.beta, p),
        central: a + (w * s.alpha) / (s.alpha + s.beta)
      })
    }
    case "pert": {
      const lambda = s.lambda ?? 4
      const w = s.max - s.min
      const alpha = 1 + (lambda * (s.mode - s.min)) / w
      const beta = 1 + (lambda * (s.max - s.mode)) / w
      return rounded({ quantile: (p) => s.min + w * betaQuantile(alpha, beta, p), central: s.mode })
    }
  }
}

/**
 * Uniform draws are made on a grid of 2^32 points and mapped to the midpoints of their cells, so a draw is
 * never exactly 0 or 1 and the most extreme possible quantiles are 2^-33 and 1 - 2^-33 (about 1.2e-10:
 * 6.3 standard deviations either side of a normal's mean). Scenarios are checked at these extremes.
 */
export const toOpenUnit = (u: number): number => (Math.floor(u * 4294967296) + 0.5) / 4294967296
export const LOWEST_QUANTILE = 0.5 / 4294967296
export const HIGHEST_QUANTILE = 1 - LOWEST_QUANTILE
