/**
 * Sibling groups (referrals.families, src/engine/Families.ts): an exact trace of a family entering care
 * together; the variance of entries into care over replications against the compound Poisson law, for
 * siblings who always, never or sometimes follow the eldest; each child's own law unchanged (mean entries
 * with and without families); what the rate counts; the state check on SiblingReferred events; and the
 * scenario's problems with `families`.
 */
import * as Either from "effect/Either"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { transitionOf, type CaseEvent, type ChildReferred, type SiblingReferred } from "../../src/domain/Event.js"
import { compileModel, type Model } from "../../src/model/Model.js"
import { workforceOf } from "../../src/projections/Workforce.js"
import { servicePeriod } from "../../src/report/Services.js"
import type { ScenarioEncoded } from "../../src/scenario/Scenario.js"
import { estimateRunSize } from "../../src/scenario/Size.js"
import { cli } from "../support/cli.js"
import { runEvents, runWithLedger } from "../support/run.js"
import { firstRefused } from "../support/stateCheck.js"
import { tinyModel, type TinyOverrides } from "../support/tiny.js"
import { errorOf, fixture, load, small } from "../scenario/helpers.js"

const SEED = 20250401
const fixed = (value: number, unit?: "years") => ({ type: "fixed" as const, value, ...(unit ? { unit } : {}) })
const exponential = (mean: number) => ({ type: "exponential" as const, mean })
type FamiliesEncoded = NonNullable<ScenarioEncoded["referrals"]["families"]>
/** Referral ages: the eldest aged lo to hi (the bands must cover 0-17; the others have no share). */
const aged = (lo: number, hi: number) =>
  [
    ...(lo > 0 ? [{ ages: [0, lo - 1] as const, share: 0 }] : []),
    { ages: [lo, hi] as const, share: 1 },
    ...(hi < 17 ? [{ ages: [hi + 1, 17] as const, share: 0 }] : [])
  ] as unknown as ScenarioEncoded["referrals"]["ageAtReferral"]

/** Families of exactly `size`, referred at `perYear` families a year, who follow the eldest with `rho`. */
const families = (o: Partial<FamiliesEncoded> = {}): FamiliesEncoded => ({
  rateCounts: "families",
  size: [0, 0, 1],
  spacing: fixed(2, "years"),
  correlation: 1,
  placedTogether: 1,
  ...o
})

/** The tiny scenario (population 10,000) with `perYear` new referrals a year. */
const withReferrals = (perYear: number, o: TinyOverrides): Model =>
  tinyModel({
    population: { children: 10_000 },
    ...o,
    referrals: { ratePer10k: perYear, ...o.referrals }
  })

/** A family referred at the front door, through child in need (a random time) into care (a random time). */
const intoCare = (f: Partial<FamiliesEncoded>): Model =>
  withReferrals(3, {
    years: 3,
    referrals: {
      ageAtReferral: aged(12, 12),
      frontDoor: [{ to: "child_in_need", probability: 1, via: "assessment" }],
      families: families(f)
    },
    levels: {
      child_in_need: {
        duration: exponential(100),
        outcomes: [{ to: "looked_after", probability: 1, via: "care_proceedings" }]
      },
      looked_after: {
        duration: exponential(200),
        outcomes: [{ reason: "returned_home", to: "universal", probability: 1 }],
        placements: { onEntry: { in_house_foster: 0.5, ifa_foster: 0.5 } }
      }
    }
  })

const firstOf = <T extends CaseEvent["_tag"]>(events: ReadonlyArray<CaseEvent>, tag: T, child: number) =>
  events.find((e): e is Extract<CaseEvent, { _tag: T }> => e._tag === tag && e.child === child)!

describe("a sibling group", () => {
  it("is referred together and enters and leaves care together: an exact trace", () => {
    const { events } = runEvents(intoCare({}), SEED)
    const family = events.filter((e) => e.child <= 2)
    const referred = firstOf(events, "ChildReferred", 0)
    const t0 = referred.time
    const dob = referred.dateOfBirth
    const entered = firstOf(events, "ChildBecameLookedAfter", 0)
    const left = firstOf(events, "ChildLeftCare", 0)
    expect(left.time).toBeLessThan(3 * 365)
    const place = entered.placement
    // Two years between births: 730.5 days, to the whole day.
    const born = [dob, dob + 730, dob + 1460]
    const each = <E>(f: (c: number) => E): Array<E> => [0, 1, 2].map(f)
    expect(family).toEqual([
      { _tag: "ChildReferred", time: t0, child: 0, dateOfBirth: born[0], reReferral: false },
      { _tag: "ChildReferred", time: t0, child: 1, dateOfBirth: born[1], reReferral: false },
      { _tag: "SiblingReferred", time: t0, child: 1, family: 0 },
      { _tag: "ChildReferred", time: t0, child: 2, dateOfBirth: born[2], reReferral: false },
      { _tag: "SiblingReferred", time: t0, child: 2, family: 0 },
      ...each((c) => ({
        _tag: "LevelChanged",
        time: t0,
        child: c,
        from: "universal",
        to: "child_in_need",
        via: "assessment"
      })),
      // The eldest's random time in need, shared: the three come into care at one instant, placed together.
      ...each((c) => ({
        _tag: "ChildBecameLookedAfter",
        time: entered.time,
        child: c,
        from: "child_in_need",
        placement: place,
        via: "care_proceedings"
      })),
      ...each((c) => ({
        _tag: "ChildLeftCare",
        time: left.time,
        child: c,
        placement: place,
        reason: "returned_home",
        to: "universal",
        via: null
      }))
    ])
    expect(entered.time).not.toBe(t0 + 100)
  })

  it("whose siblings never follow the eldest goes its own ways (same referral, own times)", () => {
    const { events } = runEvents(intoCare({ correlation: 0, placedTogether: 0 }), SEED)
    const times = [0, 1, 2].map((c) => firstOf(events, "ChildBecameLookedAfter", c).time)
    expect(new Set([0, 1, 2].map((c) => firstOf(events, "ChildReferred", c).time)).size).toBe(1)
    expect(new Set(times).size).toBe(3)
  })

  it("placed apart: siblings entering together with placedTogether 0 draw their own placements", () => {
    // Over many families, with two placements of equal shares, about half of the siblings are placed
    // with their eldest (by chance) when placedTogether is 0, and all when it is 1.
    const together = (share: number) => {
      const { events } = runEvents(
        withReferrals(400, {
          years: 1,
          referrals: {
            ageAtReferral: aged(8, 12),
            frontDoor: [{ to: "looked_after", probability: 1 }],
            families: families({ size: [0, 1], placedTogether: share })
          },
          levels: { looked_after: { placements: { onEntry: { in_house_foster: 0.5, ifa_foster: 0.5 } } } }
        }),
        SEED
      )
      const placement = new Map<number, string>()
      let same = 0
      let n = 0
      for (const e of events) {
        if (e._tag === "ChildBecameLookedAfter") placement.set(e.child, e.placement)
        if (e._tag === "SiblingReferred") n++
      }
      for (const e of events)
        if (e._tag === "SiblingReferred" && placement.get(e.child) === placement.get(e.family)) same++
      return { same, n }
    }
    const apart = together(0)
    expect(apart.n).toBeGreaterThan(300)
    // Binomial(n, 1/2): within 4 standard deviations.
    expect(Math.abs(apart.same - apart.n / 2)).toBeLessThan(4 * Math.sqrt(apart.n / 4))
    const all = together(1)
    expect(all.same).toBe(all.n)
  })
})

// ---------------------------------------------------------------------------------------------------------
// Entries into care over replications: a compound Poisson count

const SIZES = [0.4, 0.3, 0.2, 0.1]
/** Families a year, and the front door's chance of care. */
const LAMBDA = 60
const P = 0.3

/** Entries into care in a year at the front door, for families that follow the eldest with `rho`. */
const frontDoorCare = (rho: number, size: ReadonlyArray<number> = SIZES): Model =>
  withReferrals(LAMBDA, {
    years: 1,
    referrals: {
      ageAtReferral: aged(6, 12),
      frontDoor: [
        { to: "looked_after", probability: P, via: "care_proceedings" },
        { to: "universal", probability: 1 - P, reason: "no_further_action" }
      ],
      families: families({ size: [size[0], ...size.slice(1)], correlation: rho, spacing: fixed(1, "years") })
    },
    levels: { looked_after: { duration: fixed(1000) } }
  })

const entriesOverRuns = (model: Model, runs: number): Array<number> =>
  Array.from(
    { length: runs },
    (_, r) => runEvents(model, SEED, r).events.filter((e) => e._tag === "ChildBecameLookedAfter").length
  )

const meanOf = (xs: ReadonlyArray<number>) => xs.reduce((a, b) => a + b, 0) / xs.length
const varianceOf = (xs: ReadonlyArray<number>) => {
  const m = meanOf(xs)
  return xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1)
}
const choose = (n: number, k: number): number => {
  let c = 1
  for (let i = 0; i < k; i++) c = (c * (n - i)) / (i + 1)
  return c
}
const binomial = (n: number, k: number, p: number) => choose(n, k) * p ** k * (1 - p) ** (n - k)

/**
 * The moments E[X^k] (k = 1, 2, 4) of the children a family of size s brings into care: the eldest enters
 * with chance p and M ~ Bin(s - 1, rho) siblings follow them; each of the other s - 1 - M enters on their
 * own with chance p.
 */
const familyMoments = (s: number, rho: number, p: number): { m1: number; m2: number; m4: number } => {
  let m1 = 0
  let m2 = 0
  let m4 = 0
  for (let m = 0; m <= s - 1; m++)
    for (let lead = 0; lead <= 1; lead++)
      for (let y = 0; y <= s - 1 - m; y++) {
        const w = binomial(s - 1, m, rho) * (lead === 1 ? p : 1 - p) * binomial(s - 1 - m, y, p)
        const x = lead * (1 + m) + y
        m1 += w * x
        m2 += w * x * x
        m4 += w * x ** 4
      }
  return { m1, m2, m4 }
}

describe("entries into care over replications (compound Poisson)", () => {
  const RUNS = 400
  /** The law of N = the sum over Poisson(LAMBDA) families of X: mean and variance LAMBDA E[X], LAMBDA E[X^2];
   * the sample variance's standard error from its fourth cumulant LAMBDA E[X^4]. */
  const theory = (rho: number) => {
    const e = SIZES.reduce(
      (a, share, i) => {
        const m = familyMoments(i + 1, rho, P)
        return { m1: a.m1 + share * m.m1, m2: a.m2 + share * m.m2, m4: a.m4 + share * m.m4 }
      },
      { m1: 0, m2: 0, m4: 0 }
    )
    const variance = LAMBDA * e.m2
    return {
      mean: LAMBDA * e.m1,
      variance,
      varianceSe: Math.sqrt((LAMBDA * e.m4 + 2 * variance ** 2) / RUNS)
    }
  }

  it("rho = 1: Var = lambda p E[S^2]; rho = 0 and 0.5 as their mixtures say; the variance rises with rho", () => {
    const seen: Array<number> = []
    for (const rho of [0, 0.5, 1]) {
      const n = entriesOverRuns(frontDoorCare(rho), RUNS)
      const th = theory(rho)
      if (rho === 1) {
        // The compound Poisson law in its textbook form.
        const es2 = SIZES.reduce((a, share, i) => a + share * (i + 1) ** 2, 0)
        expect(th.variance).toBeCloseTo(LAMBDA * P * es2, 10)
      }
      expect(Math.abs(meanOf(n) - th.mean)).toBeLessThan(4 * Math.sqrt(th.variance / RUNS))
      expect(Math.abs(varianceOf(n) - th.variance), `rho ${rho}`).toBeLessThan(4 * th.varianceSe)
      seen.push(varianceOf(n))
    }
    expect(seen[0]).toBeLessThan(seen[1])
    expect(seen[1]).toBeLessThan(seen[2])
  })

  it("a larger family size widens the spread as E[S^2] says (rho = 1)", () => {
    const big = [0.1, 0.2, 0.3, 0.4]
    const n = entriesOverRuns(frontDoorCare(1, big), RUNS)
    const es2 = big.reduce((a, share, i) => a + share * (i + 1) ** 2, 0)
    const es4 = big.reduce((a, share, i) => a + share * (i + 1) ** 4, 0)
    const variance = LAMBDA * P * es2
    const se = Math.sqrt((LAMBDA * P * es4 + 2 * variance ** 2) / RUNS)
    expect(Math.abs(varianceOf(n) - variance)).toBeLessThan(4 * se)
  })
})

// ---------------------------------------------------------------------------------------------------------
// Each child's own law is unchanged

/** Children referred at `perYear` a year, stepping through need and protection into care (no age bands). */
const steps = (f: FamiliesEncoded | undefined): Model =>
  withReferrals(300, {
    years: 1,
    referrals: {
      ageAtReferral: aged(0, 12),
      frontDoor: [
        { to: "child_in_need", probability: 0.5, via: "assessment" },
        { to: "universal", probability: 0.5, reason: "no_further_action" }
      ],
      ...(f === undefined ? {} : { families: f })
    },
    levels: {
      child_in_need: {
        duration: exponential(60),
        outcomes: [
          { to: "looked_after", probability: 0.15 },
          { to: "child_protection", probability: 0.25, via: "s47_enquiry" },
          { to: "universal", probability: 0.6 }
        ]
      },
      child_protection: {
        duration: exponential(90),
        outcomes: [
          { to: "looked_after", probability: 0.3 },
          { to: "child_in_need", probability: 0.7 }
        ]
      },
      looked_after: { duration: fixed(1000) }
    }
  })

describe("each child's own law", () => {
  it("is unchanged: mean entries into care with and without families (the rate counting children)", () => {
    const RUNS = 300
    const alone = entriesOverRuns(steps(undefined), RUNS)
    const fam = entriesOverRuns(
      steps(
        families({
          rateCounts: "children",
          size: SIZES as [number, ...Array<number>],
          correlation: { frontDoor: 0.8, helpLevels: 0.8, lookedAfter: 0.8 },
          placedTogether: 0.5
        })
      ),
      RUNS
    )
    const se = Math.sqrt(varianceOf(alone) / RUNS + varianceOf(fam) / RUNS)
    expect(Math.abs(meanOf(fam) - meanOf(alone))).toBeLessThan(4 * se)
    // ...while the spread widens.
    expect(varianceOf(fam)).toBeGreaterThan(1.5 * varianceOf(alone))
  })

  it("the rate counts children (families arrive at rate / mean size) or families, as the scenario says", () => {
    const referred = (rateCounts: "children" | "families") => {
      const model = withReferrals(500, {
        years: 1,
        referrals: { families: families({ rateCounts, size: [0.5, 0.5] }) }
      })
      const runs = 40
      let children = 0
      let siblings = 0
      for (let r = 0; r < runs; r++)
        for (const e of runEvents(model, SEED, r).events) {
          if (e._tag === "ChildReferred" && !e.reReferral) children++
          if (e._tag === "SiblingReferred") siblings++
        }
      return { children: children / runs, families: (children - siblings) / runs }
    }
    // 500 a year: as children, 333 families of 1.5 on average; as families, 750 children.
    const c = referred("children")
    expect(Math.abs(c.children - 500)).toBeLessThan(4 * Math.sqrt((333.3 * 2.5) / 40))
    const f = referred("families")
    expect(Math.abs(f.families - 500)).toBeLessThan(4 * Math.sqrt(500 / 40))
    expect(Math.abs(f.children - 750)).toBeLessThan(4 * Math.sqrt((500 * 2.5) / 40))
    // The run's size, checked before a run against the limit, counts the children families bring.
    const size = (rateCounts: "children" | "families") =>
      estimateRunSize(
        withReferrals(500, { referrals: { families: families({ rateCounts, size: [0.5, 0.5] }) } }).scenario,
        1
      )
    expect(size("families").referrals / size("children").referrals).toBeCloseTo(1.5, 12)
  })
})

// ---------------------------------------------------------------------------------------------------------
// The state check

describe("the state check on sibling groups", () => {
  const model = intoCare({})
  const { events } = runEvents(model, SEED)
  const sib = events.findIndex((e) => e._tag === "SiblingReferred" && e.child === 2)
  const at = (i: number, e: CaseEvent) => [...events.slice(0, i), e, ...events.slice(i + 1)]

  it("passes the engine's log", () => {
    expect(firstRefused(model, events)).toBeNull()
  })

  it("refuses a sibling group in a scenario without one, a family that is not an eldest, or a late event", () => {
    const e = events[sib] as SiblingReferred
    expect(firstRefused(tinyModel({ population: { children: 10_000 } }), events.slice(0, sib + 1))).toContain(
      "the scenario has none (referrals.families)"
    )
    expect(firstRefused(model, at(sib, { ...e, family: 1 }))).toBe(
      "child 1 is a sibling in child 0's family, not a family's eldest"
    )
    expect(firstRefused(model, at(sib, { ...e, family: 2 }))).toBe(
      "child 2's family is child 2: a family's eldest is referred before the siblings"
    )
    // Moved after the child's front-door decision.
    const later = [...events.slice(0, sib), events[sib + 1], e, ...events.slice(sib + 2)]
    expect(events[sib + 1]._tag).toBe("LevelChanged")
    expect(firstRefused(model, later)).toBe(
      "child 2's SiblingReferred does not come right after their own first referral or opening"
    )
    // A sibling older than the eldest (a day older: still under 18 when referred).
    const eldest = events.find((x) => x._tag === "ChildReferred" && x.child === e.family) as ChildReferred
    const born = eldest.dateOfBirth - 1
    const older = at(sib - 1, { ...(events[sib - 1] as ChildReferred), dateOfBirth: born })
    expect(firstRefused(model, older)).toMatch(
      new RegExp(`^child 2 \\(born day ${born}\\) is older than their family's eldest`)
    )
  })
})

// ---------------------------------------------------------------------------------------------------------
// Bad input

describe("families in a scenario file", () => {
  const withFamilies = (block: string) => small.replace("  reReferral:", `  families:\n${block}  reReferral:`)

  it("names each problem with its path and line", () => {
    const e = errorOf(
      withFamilies(`    rateCounts: children
    size: [0.5, 0.3]
    spacing: { type: gamma, shape: 2, mean: 2.5, unit: years }
    correlation: 0.8
    placedTogether: 0.7
`)
    )
    expect(e.problems.map((p) => [p.path, p.message])).toEqual([
      ["referrals.families.size", "expected the family size shares to add up to 1, found 0.8"]
    ])
  })

  it("refuses what is not a family: an unknown count, a chance above 1, too many sizes, a missing field", () => {
    const e = errorOf(
      withFamilies(`    rateCounts: households
    size: [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.05, 0.03, 0.01, 0.01]
    spacing: { type: gamma, shape: 2, mean: 2.5, unit: years }
    correlation: { frontDoor: 1.5, helpLevels: 0.5, lookedAfter: 0.5 }
`)
    )
    const text = e.problems.map((p) => `${p.path}: ${p.message}`).join("\n")
    expect(text).toContain("referrals.families.rateCounts")
    expect(text).toContain('"households"')
    expect(text).toContain("expected shares of family sizes 1 to at most 12")
    expect(text).toContain("referrals.families.correlation")
    expect(text).toContain("referrals.families.placedTogether")
  })
})

// ---------------------------------------------------------------------------------------------------------
// Teams that count families

describe("a team that counts families", () => {
  it("holds each family once, however many of its children are at its levels (an independent count)", async () => {
    const loaded = await load(fixture("families.yaml"))
    if (Either.isLeft(loaded)) throw new Error(loaded.left.message)
    const model = compileModel(loaded.right.central, 2)
    const { events, totals } = runWithLedger(model, 3)
    const teams = workforceOf(totals)
    expect(teams.map((t) => t.team.name)).toEqual(["IFS team", "Early help workers", "Early help casework (children)"])
    // Each month end: the families (and children) with a child at the team's levels, from the log alone.
    const family = new Map<number, number>()
    const state = new Map<number, string>()
    const months = model.calendar.months
    let m = 0
    const counted = (levels: ReadonlyArray<string>) => {
      const fams = new Set<number>()
      let children = 0
      for (const [c, s] of state)
        if (levels.includes(s)) {
          fams.add(family.get(c) ?? c)
          children++
        }
      return { families: fams.size, children }
    }
    const check = () => {
      const ifs = counted(["intensive_family_support"])
      const eh = counted(["early_help", "intensive_family_support"])
      expect(teams[0].monthEndChildren[m], `month ${m}`).toBe(ifs.families)
      expect(teams[1].monthEndChildren[m], `month ${m}`).toBe(eh.families)
      expect(teams[2].monthEndChildren[m], `month ${m}`).toBe(eh.children)
    }
    for (const e of events) {
      while (m < months.length && e.time >= months[m].end) {
        check()
        m++
      }
      if (e._tag === "SiblingReferred") family.set(e.child, e.family)
      const move = transitionOf(e)
      if (move !== null) state.set(e.child, move.to)
    }
    while (m < months.length) {
      check()
      m++
    }
    // Siblings do share the team: fewer families than children, and FTE needed = families / 8.
    const last = months.length - 1
    expect(teams[1].monthEndChildren[last]).toBeLessThan(teams[2].monthEndChildren[last])
    expect(teams[0].fteNeeded[last]).toBeCloseTo(teams[0].children[last] / 8, 12)
    // The average over a month is family-days / days: between the fewest and most families in it.
    expect(teams[1].children[last]).toBeLessThan(teams[2].children[last])
  })

  it("needs sibling groups in the scenario", () => {
    const e = errorOf(
      small +
        `workforce:
  - name: IFS team
    budgetLine: Early help
    levels: [intensive_family_support]
    counts: families
    targetCaseload: 8
    establishment: 4
    permanentPerWeek: 800
    agencyPerWeek: 1100
`
    )
    expect(e.problems.map((p) => [p.path, p.message])).toEqual([
      [
        "workforce[0].counts",
        "expected children: a team counts families only in a scenario with sibling groups (referrals.families)"
      ]
    ])
  })
})

describe("caseflow run with sibling groups", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "caseflow-families-"))
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

  it("logs SiblingReferred events; replay checks the log and rebuilds every file byte for byte", async () => {
    const out = path.join(dir, "run")
    const log = path.join(dir, "run.ndjson")
    const r = await cli(["run", fixture("families.yaml"), "--seed", "5", "--years", "2", "--out", out, "--events", log])
    expect(r.code, r.stderr).toBe(0)
    expect(fs.readFileSync(log, "utf8")).toContain('"_tag":"SiblingReferred"')
    const again = path.join(dir, "replayed")
    const p = await cli(["replay", log, "--out", again])
    expect(p.code, p.stderr).toBe(0)
    const files = fs.readdirSync(out).sort()
    expect(files).toContain("workforce.csv")
    for (const f of files)
      expect(fs.readFileSync(path.join(again, f), "utf8"), f).toBe(fs.readFileSync(path.join(out, f), "utf8"))
  })
})

// ---------------------------------------------------------------------------------------------------------
// Services that count families

describe("a service that counts families", () => {
  /** Families of three referred to a 10-place IFS service (waiting when full), counting families or children. */
  const ifs = (counts: "families" | "children") =>
    withReferrals(60, {
      years: 2,
      referrals: {
        ageAtReferral: aged(5, 12),
        frontDoor: [{ to: "intensive_family_support", probability: 1 }],
        families: families({ correlation: { frontDoor: 1, helpLevels: 0.5, lookedAfter: 1 } })
      },
      levels: {
        intensive_family_support: { duration: exponential(120), outcomes: [{ to: "universal", probability: 1 }] }
      },
      services: [
        { name: "IFS places", level: "intensive_family_support", places: 10, whenFull: { action: "wait" }, counts }
      ]
    })

  /** The most families and children at IFS at once, and whether a sibling ever waited while their family
   * held a place, from the log alone. */
  const peaks = (events: ReadonlyArray<CaseEvent>) => {
    const family = new Map<number, number>()
    const at = new Set<number>()
    let families = 0
    let children = 0
    let siblingWaited = 0
    const waiting = new Set<number>()
    const familiesAt = () => new Set([...at].map((c) => family.get(c) ?? c))
    let last = -1
    const settle = () => {
      // At the end of each instant: nobody waits whose family holds a place.
      const held = familiesAt()
      for (const c of waiting) if (held.has(family.get(c) ?? c)) siblingWaited++
    }
    for (const e of events) {
      if (e.time !== last) settle()
      last = e.time
      if (e._tag === "SiblingReferred") family.set(e.child, e.family)
      if (e._tag === "WaitingListJoined") waiting.add(e.child)
      if (e._tag === "WaitingListLeft") waiting.delete(e.child)
      const move = transitionOf(e)
      if (move === null) continue
      if (move.to === "intensive_family_support") at.add(e.child)
      else at.delete(e.child)
      families = Math.max(families, familiesAt().size)
      children = Math.max(children, at.size)
    }
    settle()
    return { families, children, siblingWaited }
  }

  it("gives a family one place: at most 10 families at once, and more than 10 children", () => {
    const { events, totals } = runWithLedger(ifs("families"), SEED)
    const p = peaks(events)
    expect(p.families).toBe(10)
    expect(p.children).toBeGreaterThan(10)
    expect(events.some((e) => e._tag === "WaitingListJoined")).toBe(true)
    // A sibling is admitted with their family (a place the family holds), not left waiting.
    expect(p.siblingWaited).toBe(0)
    // services.csv's place-days used count families: never more than the place-days there are.
    const svc = totals.services.services.find((s) => s.name === "IFS places")!
    for (let m = 0; m < 24; m++) {
      const period = servicePeriod(totals, svc, m, m + 1)
      expect(period.usedDays).toBeLessThanOrEqual(period.placeDays + 1e-6)
    }
    const whole = servicePeriod(totals, svc, 0, 24)
    expect(whole.usedDays).toBeGreaterThan(0.8 * whole.placeDays)
  })

  it("counting children, the same service holds at most 10 children", () => {
    const p = peaks(runEvents(ifs("children"), SEED).events)
    expect(p.children).toBe(10)
  })

  it("needs sibling groups in the scenario", () => {
    const e = errorOf(
      small +
        `services:
  - { name: IFS places, level: intensive_family_support, places: 30, whenFull: { action: wait }, counts: families }
`
    )
    expect(e.problems.map((p) => [p.path, p.message])).toEqual([
      [
        "services[0].counts",
        "expected children: a service counts families only in a scenario with sibling groups (referrals.families)"
      ]
    ])
  })
})
