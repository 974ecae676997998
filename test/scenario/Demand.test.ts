/**
 * Contacts and the population by age in the scenario file: every mistake is caught with an exact message
 * naming the field, dates may be written relative to the start, overlays merge contact changes by date, and
 * a projection that stops before the run ends is warned about.
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { loadScenario } from "../../src/scenario/Load.js"
import { decodeScenario } from "../../src/scenario/Decode.js"
import { resolveRelativeDates } from "../../src/scenario/RelativeDates.js"
import type { ScenarioEncoded } from "../../src/scenario/Scenario.js"
import { scenarioWarnings } from "../../src/scenario/Warnings.js"
import { tinyEncoded, type TinyOverrides } from "../support/tiny.js"

const ages = (n: number, each = 100) => Array.from({ length: n }, () => each)

const problemsOf = (o: TinyOverrides): Array<[string, string]> => {
  const r = decodeScenario("test", tinyEncoded(o))
  if (Either.isRight(r)) return []
  return r.left.problems.map((p) => [p.path, p.message])
}

describe("contacts and the population by age: bad input", () => {
  it("takes ratePer10k or contacts, exactly one", () => {
    expect(problemsOf({ referrals: { contacts: { perYear: 1000, toReferral: 0.2 } } })).toEqual([
      [
        "referrals.contacts",
        "expected ratePer10k or contacts, not both: with contacts, referrals are the share of contacts that " +
          "become referrals (contacts.toReferral)"
      ]
    ])
    expect(problemsOf({ referrals: { ratePer10k: undefined } })).toEqual([
      [
        "referrals.ratePer10k",
        "expected a referral rate: ratePer10k (referrals per 10,000 children a year) or contacts (contacts at " +
          "the front door, and the share that become referrals)"
      ]
    ])
  })

  it("takes contacts a year or per 10,000, a share, and dated changes of it once a date", () => {
    const contacts = (c: Record<string, unknown>) =>
      problemsOf({ referrals: { ratePer10k: undefined, contacts: c as never } })
    expect(contacts({ toReferral: 0.2 })).toEqual([
      ["referrals.contacts", "expected perYear (contacts a year) or per10k (contacts per 10,000 children a year)"]
    ])
    expect(contacts({ perYear: 10, per10k: 10, toReferral: 0.2 })).toEqual([
      ["referrals.contacts", "expected perYear or per10k, not both"]
    ])
    expect(contacts({ perYear: -1, toReferral: 1.2 })).toEqual([
      ["referrals.contacts.perYear", "expected a number of contacts a year from 0 to 100,000,000, found -1"],
      ["referrals.contacts.toReferral", "expected a probability between 0 and 1, found 1.2"]
    ])
    expect(
      contacts({
        perYear: 10,
        toReferral: 0.2,
        toReferralChanges: [
          { from: "2025-06-01", share: 0.3 },
          { from: "2025-06-01", share: 0.4 }
        ],
        changes: [{ from: "2025-06-01", until: "2025-05-01", multiplier: 2 }]
      })
    ).toEqual([
      ["referrals.contacts.changes[0].until", "expected an end after the change's date (2025-06-01), found 2025-05-01"],
      [
        "referrals.contacts.toReferralChanges[1].from",
        "expected one change of the share on each date; 2025-06-01 is also change 0's"
      ]
    ])
  })

  it("takes 18 counts or bands covering 0-17 that add up to the children", () => {
    expect(problemsOf({ population: { children: 1700, byAge: ages(17) } })).toEqual([
      ["population.byAge", "expected 18 counts, one for each age 0 to 17, found 17"]
    ])
    expect(problemsOf({ population: { children: 1000, byAge: ages(18) } })).toEqual([
      ["population.byAge", "expected children by age adding up to population.children (1,000), found 1,800"]
    ])
    expect(
      problemsOf({
        population: {
          children: 1000,
          byAge: [
            { ages: [0, 4], children: 500 },
            { ages: [6, 17], children: 500 }
          ]
        }
      })
    ).toEqual([["population.byAge", "expected age bands covering ages 0-17; missing 5"]])
    expect(problemsOf({ population: { children: 200, byAge: [100, { ages: [1, 17], children: 100 }] } })).toEqual([
      ["population.byAge", "expected 18 counts (ages 0 to 17) or bands ({ ages: [0, 4], children: 15000 }), not both"]
    ])
    expect(problemsOf({ population: { children: 1800, byAge: [...ages(17), -3] } })).toEqual([
      ["population.byAge[17]", "expected a whole number of children from 0 to 100,000,000, found -3"]
    ])
  })

  it("takes projection points dated once, each by age, in total or as a multiple, and no growthPerYear", () => {
    const projected = (projection: ReadonlyArray<Record<string, unknown>>, growthPerYear?: number) =>
      problemsOf({
        population: {
          children: 1800,
          byAge: ages(18),
          projection: projection as never,
          ...(growthPerYear === undefined ? {} : { growthPerYear })
        }
      })
    expect(projected([{ year: 2026, multiplier: 1.1 }], 0.01)).toEqual([
      [
        "population.growthPerYear",
        "expected no growthPerYear beside a projection (the projection is the population's growth), found 0.01: " +
          "remove one (in an overlay, growthPerYear: null)"
      ]
    ])
    expect(projected([{ multiplier: 1.1 }, { year: 2026, date: "2026-01-01", children: 10 }])).toEqual([
      [
        "population.projection[0]",
        "expected year (its mid-year population, 30 June) or date (the population on that day)"
      ],
      ["population.projection[1]", "expected year or date, not both"]
    ])
    expect(projected([{ year: 2026 }, { year: 2027, children: 10, multiplier: 2 }])).toEqual([
      [
        "population.projection[0]",
        "expected byAge (children by age), children (in all) or multiplier (of the start's population)"
      ],
      ["population.projection[1]", "expected one of byAge, children and multiplier"]
    ])
    expect(
      projected([
        { year: 2026, multiplier: 1 },
        { date: "2026-06-30", byAge: ages(3) }
      ])
    ).toEqual([
      ["population.projection[1]", "expected one point for each date; 2026-06-30 is also point 0's"],
      ["population.projection[1].byAge", "expected 18 counts, one for each age 0 to 17, found 3"]
    ])
    expect(problemsOf({ population: { children: 1800, projection: [{ year: 2026, byAge: ages(18) }] } })).toEqual([
      [
        "population.projection[0].byAge",
        "expected population.byAge beside a projection by age (the start's children by age)"
      ]
    ])
  })

  it("refuses a share of referrals at ages with no children", () => {
    expect(
      problemsOf({
        population: { children: 100, byAge: [...ages(10, 10), ...ages(8, 0)] },
        referrals: {
          ratePer10k: 100,
          ageAtReferral: [
            { ages: [0, 9], share: 0.9 },
            { ages: [10, 17], share: 0.1 }
          ]
        }
      })
    ).toEqual([
      [
        "referrals.ageAtReferral[1].share",
        "expected no share of referrals aged 10-17: population.byAge has no children of those ages"
      ]
    ])
  })
})

describe("contacts and the population by age: dates and warnings", () => {
  it("resolves relative dates in contact changes and projection points", () => {
    const raw = tinyEncoded({
      referrals: {
        ratePer10k: undefined,
        contacts: {
          perYear: 100,
          toReferral: 0.5,
          changes: [{ from: { year: 2 } as never, until: { months: 18 } as never, multiplier: 2 }],
          toReferralChanges: [{ from: { months: 6 } as never, share: 0.4 }]
        }
      },
      population: { children: 1000, projection: [{ date: { years: 3 } as never, multiplier: 1.1 }] }
    })
    const { raw: out, problems } = resolveRelativeDates(raw)
    expect(problems).toEqual([])
    const s = out as ScenarioEncoded
    expect(s.referrals.contacts?.changes?.[0]).toMatchObject({ from: "2026-04-01", until: "2026-10-01" })
    expect(s.referrals.contacts?.toReferralChanges?.[0].from).toBe("2025-10-01")
    expect(s.population.projection?.[0].date).toBe("2028-04-01")
  })

  it("warns when a projection ends before the run, and about a point not after the start", () => {
    const s = decodeScenario(
      "test",
      tinyEncoded({
        years: 3,
        population: {
          children: 1000,
          projection: [
            { year: 2025, multiplier: 0.9 },
            { year: 2026, multiplier: 1.1 }
          ]
        }
      })
    )
    const scenario = Either.getOrThrow(s)
    expect(scenarioWarnings(scenario, 3).map((w) => [w.path, w.message])).toEqual([
      [
        "population.projection",
        "the projection ends on 2026-06-30, before the run does (the run is 2025-04-01 to 2028-03-31): from then " +
          "on the population stays as at its last point"
      ]
    ])
    const early = Either.getOrThrow(
      decodeScenario(
        "test",
        tinyEncoded({ population: { children: 1000, projection: [{ date: "2025-04-01", multiplier: 0.9 }] } })
      )
    )
    expect(scenarioWarnings(early, 1).map((w) => [w.path, w.message])).toEqual([
      [
        "population.projection[0]",
        "2025-04-01 is not after the run starts (2025-04-01): the start's population is population.children, so " +
          "this point is not used"
      ],
      [
        "population.projection",
        "the projection ends on 2025-04-01, before the run does (the run is 2025-04-01 to 2026-03-31): from then " +
          "on the population stays as at its last point"
      ]
    ])
  })
})

describe("contacts in overlays", () => {
  const root = path.resolve(import.meta.dirname, "../..")
  const example = path.join(root, "scenarios/examples/tameside-demand-shock.yaml")
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "caseflow-demand-"))
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))
  const load = (body: string) => {
    const file = path.join(dir, `overlay-${Math.random().toString(36).slice(2)}.yaml`)
    fs.writeFileSync(file, `extends: ${JSON.stringify(example)}\n${body}`)
    return Effect.runPromise(loadScenario(file).pipe(Effect.provide(NodeContext.layer)))
  }

  it("merges contact changes by date, keeping the base's others", async () => {
    const s = await load(
      "referrals:\n  contacts:\n    changes:\n      - { from: { year: 2 }, multiplier: 1.5, halfLifeMonths: 6 }\n"
    )
    const changes = s.central.referrals.contacts?.changes ?? []
    expect(changes.map((c) => [c.from, c.multiplier])).toEqual([
      ["2025-04-01", 1.25],
      ["2026-04-01", 1.5]
    ])
  })

  it("warns that contacts a year do not scale when an overlay changes the population", async () => {
    const s = await load("population: { children: 80000 }\n")
    expect(s.warnings.map((w) => w.path)).toContain("referrals.contacts.perYear")
    const w = s.warnings.find((x) => x.path === "referrals.contacts.perYear")
    expect(w?.message).toMatch(/does not scale with it: write contacts per 10,000 children \(per10k\)$/)
  })
})
