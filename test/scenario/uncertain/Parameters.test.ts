// Uncertain parameters: decoding errors name the path, the scenario is checked at central and extreme
// values before any run, shared draws are comonotonic, lists that must add up to 1 are rescaled, and a
// scenario without uncertainty loads exactly as before.
import * as fs from "node:fs"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { makeStreams } from "../../../src/random/Streams.js"
import { loadScenario, scenarioFromPlainText } from "../../../src/scenario/Load.js"
import {
  decodedWhole,
  drawQuantiles,
  parameterValues,
  scenarioWith
} from "../../../src/scenario/uncertain/Parameters.js"
import { fixture } from "../../support/cli.js"

const smallText = fs.readFileSync(fixture("small.yaml"), "utf8")
const uncertainText = fs.readFileSync(fixture("small-uncertain.yaml"), "utf8")

/** The problems of a scenario text, as "path: message" lines. */
const problems = (text: string): Array<string> => {
  const r = scenarioFromPlainText("s.yaml", text)
  if (Either.isRight(r)) return []
  return r.left.problems.map((p) => `${p.path}: ${p.message}`)
}
const withRate = (rate: string) => smallText.replace("ratePer10k: 500", `ratePer10k: ${rate}`)

describe("decoding uncertain parameters", () => {
  it("names the path of a bad field", () => {
    expect(problems(withRate("{ uncertain: { type: normal, mean: 420, sd: -3 } }"))).toEqual([
      "referrals.ratePer10k.uncertain.sd: expected a positive number, found -3"
    ])
  })

  it("names an unknown family, a missing field and an unknown field", () => {
    expect(problems(withRate("{ uncertain: { type: gaussian, mean: 420, sd: 3 } }"))).toEqual([
      "referrals.ratePer10k.uncertain.type: expected one of normal, lognormal, triangular, uniform, beta, pert, " +
        'found "gaussian"'
    ])
    expect(problems(withRate("{ uncertain: { type: triangular, min: 400, max: 450 } }"))).toEqual([
      "referrals.ratePer10k.uncertain.mode: expected a value, found nothing (this field is required)"
    ])
    expect(problems(withRate("{ uncertain: { type: uniform, min: 400, max: 450, sd: 2 } }"))[0]).toMatch(
      /^referrals\.ratePer10k\.uncertain\.sd: unknown field/
    )
  })

  it("checks fields that go together", () => {
    expect(problems(withRate("{ uncertain: { type: triangular, min: 400, mode: 500, max: 450 } }"))).toEqual([
      "referrals.ratePer10k.uncertain.mode: expected a mode within [min, max] = [400, 450], found 500"
    ])
    expect(problems(withRate("{ uncertain: { type: uniform, min: 450, max: 400 } }"))).toEqual([
      "referrals.ratePer10k.uncertain.max: expected max above min (450), found 400"
    ])
  })

  it("refuses uncertainty where it would change the run's shape or the budget", () => {
    expect(
      problems(smallText.replace("years: 3", "years: { uncertain: { type: uniform, min: 1, max: 3 } }"))[0]
    ).toMatch(/^years\.uncertain: years cannot be uncertain/)
  })

  it("reports a distribution that can reach an invalid value before any run", () => {
    const p = problems(withRate("{ uncertain: { type: normal, mean: 20, sd: 10 } }"))
    expect(p).toHaveLength(1)
    expect(p[0]).toMatch(
      new RegExp(
        "^referrals\\.ratePer10k\\.uncertain: its lowest possible draw \\(quantile 1\\.2e-10\\) is not a valid " +
          "value here: expected a number >= 0 \\(referrals per 10,000 children a year, at most 1,000,000\\), found -4"
      )
    )
    // Bounded, the same distribution is fine.
    expect(problems(withRate("{ uncertain: { type: normal, mean: 20, sd: 10, min: 0 } }"))).toEqual([])
    // A count must be drawn whole.
    expect(
      problems(
        smallText.replace("children: 10000", "children: { uncertain: { type: uniform, min: 9000, max: 11000 } }")
      )[0]
    ).toMatch(/add round: true/)
    expect(
      problems(
        smallText.replace(
          "children: 10000",
          "children: { uncertain: { type: uniform, min: 9000, max: 11000, round: true } }"
        )
      )
    ).toEqual([])
  })

  it("checks that lists add up to 1 at the central values", () => {
    const text = smallText.replace(
      "- { to: universal, probability: 0.3, reason: no_further_action }",
      "- { to: universal, probability: { uncertain: { type: pert, min: 0.2, mode: 0.35, max: 0.4 } }, reason: " +
        "no_further_action }"
    )
    expect(problems(text)).toEqual([
      "referrals.frontDoor: expected the outcome probabilities to add up to 1, found 1.05"
    ])
  })
})

describe("drawing uncertain parameters", () => {
  const src = Either.getOrThrow(scenarioFromPlainText("u.yaml", uncertainText))
  const u = src.uncertainty!

  it("finds every parameter and groups shared ones into one draw", () => {
    expect(u.parameters).toHaveLength(8)
    expect(u.factors.map((f) => f.label)).toEqual([
      "demand",
      "referrals.changes[0].multiplier",
      "referrals.frontDoor[6].probability",
      "levels.child_protection.outcomes[1].probability",
      "levels.looked_after.duration.byAge[1].duration.scale",
      "prices"
    ])
  })

  it("draws shared parameters comonotonically: they rise and fall together", () => {
    const demand = u.factors.findIndex((f) => f.label === "demand")
    const [a, b] = u.factors[demand].members
    fc.assert(
      fc.property(fc.integer(), fc.nat(10_000), fc.nat(10_000), (seed, r1, r2) => {
        const q1 = drawQuantiles(u, makeStreams(seed, r1))
        const q2 = drawQuantiles(u, makeStreams(seed, r2))
        const v1 = parameterValues(u, q1)
        const v2 = parameterValues(u, q2)
        expect(Math.sign(v1[a] - v2[a])).toBe(Math.sign(v1[b] - v2[b]))
        // Same quantile: the same point of each distribution.
        expect(q1[u.parameters[a].factor]).toBe(q1[u.parameters[b].factor])
      })
    )
  })

  it("rescales a list holding an uncertain value so that it adds up to 1", () => {
    for (let r = 0; r < 20; r++) {
      const values = parameterValues(u, drawQuantiles(u, makeStreams(1, r)))
      const s = Either.getOrThrow(scenarioWith(src, values))
      const fd = s.referrals.frontDoor as ReadonlyArray<{ readonly probability: number }>
      expect(fd.reduce((a, o) => a + o.probability, 0)).toBeCloseTo(1, 12)
      // The drawn value keeps its share relative to the others.
      expect(fd[6].probability / fd[0].probability).toBeCloseTo(values[2] / 0.3, 9)
    }
  })

  it("gives a node shared through a YAML alias one draw, used everywhere the alias is", () => {
    const text = smallText
      .replace(
        "{ type: weibull, shape: 0.8, scale: 700 }",
        "&care { type: weibull, shape: 0.8, scale: { uncertain: { type: uniform, min: 600, max: 800 } } }"
      )
      .replace("{ type: weibull, shape: 0.7, scale: 900 }", "*care")
    const s = Either.getOrThrow(scenarioFromPlainText("alias.yaml", text))
    expect(s.uncertainty!.parameters.map((p) => p.label)).toEqual([
      "levels.looked_after.duration.byAge[0].duration.scale"
    ])
    const drawn = Either.getOrThrow(scenarioWith(s, [650]))
    const bands = (drawn.levels.looked_after.duration as { byAge: ReadonlyArray<{ duration: { scale?: number } }> })
      .byAge
    expect(bands.map((b) => b.duration.scale)).toEqual([650, 650])
  })

  it("decodes a replication's scenario exactly as decoding its data whole, key for key", () => {
    for (let r = 0; r < 10; r++) {
      const values = parameterValues(u, drawQuantiles(u, makeStreams(2, r)))
      const fast = Either.getOrThrow(scenarioWith(src, values))
      const whole = Either.getOrThrow(decodedWhole(src, values))
      expect(fast).toStrictEqual(whole)
      expect(JSON.stringify(fast)).toBe(JSON.stringify(whole))
    }
    // A value that makes the scenario invalid gives the whole decode's error, line numbers and all.
    const rate = u.parameters.findIndex((p) => p.label === "referrals.ratePer10k")
    const bad = u.parameters.map((p, i) => (i === rate ? -1 : p.distribution.central))
    const refused = scenarioWith(src, bad)
    expect(Either.isLeft(refused) && refused.left.problems.map((p) => p.path)).toEqual(["referrals.ratePer10k"])
    expect(refused).toStrictEqual(decodedWhole(src, bad))
  })

  it("decodes again a field that shares, through a YAML alias, an object another field's value is set in", () => {
    const text = smallText
      .replace(
        "after: { type: exponential, mean: 6, unit: months }",
        "after: &back { type: weibull, shape: 0.8, scale: { uncertain: { type: uniform, min: 600, max: 800 } } }"
      )
      .replace("{ type: weibull, shape: 0.8, scale: 700 }", "*back")
    const s = Either.getOrThrow(scenarioFromPlainText("alias.yaml", text))
    expect(s.uncertainty!.parameters.map((p) => p.label)).toEqual(["referrals.reReferral.after.scale"])
    const drawn = Either.getOrThrow(scenarioWith(s, [650]))
    const bands = (drawn.levels.looked_after.duration as { byAge: ReadonlyArray<{ duration: { scale?: number } }> })
      .byAge
    expect(bands[0].duration.scale).toBe(650)
    expect(drawn).toStrictEqual(Either.getOrThrow(decodedWhole(s, [650])))
  })

  it("reads a scenario without uncertain parameters from its text exactly as from its file", async () => {
    const src0 = Either.getOrThrow(scenarioFromPlainText(fixture("small.yaml"), smallText))
    const loaded = await Effect.runPromise(loadScenario(fixture("small.yaml")).pipe(Effect.provide(NodeContext.layer)))
    expect(src0.uncertainty).toBeNull()
    expect(src0.central).toEqual(loaded.central)
  })
})
