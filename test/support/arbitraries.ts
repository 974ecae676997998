/**
 * fast-check arbitraries of valid scenarios, as a YAML file would give them (the encoded form), so that the
 * property tests exercise decoding, validation, compilation and the engine together.
 *
 * Every generated scenario uses every level (with a starting caseload at each, and sometimes cases closed
 * before the start), every distribution type somewhere, outcome tables that respect `ALLOWED_MOVES`
 * (sometimes by age), placement mixes and moves, care-leaver settings and costs of each kind. Sizes are kept
 * small (a few hundred referrals a year at most, level durations of a month or more) so that one run is
 * hundreds to a few thousand events.
 */
import * as Either from "effect/Either"
import * as fc from "fast-check"
import { EVENT_TAGS } from "../../src/domain/Event.js"
import {
  ALLOWED_MOVES,
  BELOW_CARE,
  CLOSURE_REASONS,
  HELP_LEVELS,
  LEFT_CARE_REASONS,
  LEGAL_STATUSES,
  type LegalStatus,
  PLACEMENTS,
  STATES,
  type ChildState,
  type HelpLevel,
  type Placement
} from "../../src/domain/Level.js"
import { isoOfEpochDay, epochDay } from "../../src/domain/Calendar.js"
import { decodeScenario } from "../../src/scenario/Decode.js"
import { compileModel, type Model } from "../../src/model/Model.js"
import type {
  DistributionSpec,
  DurationSpec,
  OutcomeTable,
  CareExitTable,
  PlacementMix,
  PlacementMixTable,
  Scenario,
  ScenarioEncoded,
  StartingGroup
} from "../../src/scenario/Scenario.js"

export type DistributionEncoded = typeof DistributionSpec.Encoded
export type DurationEncoded = typeof DurationSpec.Encoded
export type OutcomeTableEncoded = typeof OutcomeTable.Encoded
export type CareExitTableEncoded = typeof CareExitTable.Encoded
export type PlacementMixEncoded = typeof PlacementMix.Encoded
export type PlacementMixTableEncoded = typeof PlacementMixTable.Encoded
export type StartingGroupEncoded = typeof StartingGroup.Encoded
type Mutable<T> = { -readonly [K in keyof T]: T[K] }
type NonEmpty<T> = readonly [T, ...Array<T>]

const nonEmpty = <T>(a: ReadonlyArray<T>): NonEmpty<T> => {
  if (a.length === 0) throw new Error("expected a non-empty array")
  return a as unknown as NonEmpty<T>
}

/** Drops keys whose value is undefined, as a YAML mapping would not have them. */
const compact = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T

const maybe = <T>(arb: fc.Arbitrary<T>, freq = 2): fc.Arbitrary<T | undefined> =>
  fc.option(arb, { nil: undefined, freq })

/** Weights (at least one positive) normalised to shares that sum to 1. */
export const shares = (n: number): fc.Arbitrary<Array<number>> =>
  fc
    .array(fc.integer({ min: 0, max: 10 }), { minLength: n, maxLength: n })
    .filter((w) => w.some((x) => x > 0))
    .map((w) => {
      const total = w.reduce((a, b) => a + b, 0)
      return w.map((x) => x / total)
    })

/** A partition of ages 0..hi (inclusive) into contiguous bands. */
export const ageBands = (hi = 17, maxCuts = 3): fc.Arbitrary<Array<readonly [number, number]>> =>
  fc.uniqueArray(fc.integer({ min: 1, max: hi }), { maxLength: maxCuts }).map((cuts) => {
    const sorted = [...cuts].sort((a, b) => a - b)
    const starts = [0, ...sorted]
    return starts.map((s, i) => [s, i + 1 < starts.length ? starts[i + 1] - 1 : hi] as const)
  })

/** An inclusive sub-band [lo, hi] of [min, max]. */
const band = (min: number, max: number): fc.Arbitrary<readonly [number, number]> =>
  fc
    .tuple(fc.integer({ min, max }), fc.integer({ min, max }))
    .map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const)

const UNITS = { days: 1, weeks: 7, months: 365.25 / 12, years: 365.25 } as const
const unitArb = fc.constantFrom<keyof typeof UNITS | undefined>(undefined, "days", "weeks", "months", "years")

export type DistributionKind = DistributionEncoded["type"]
export const DISTRIBUTION_KINDS: ReadonlyArray<DistributionKind> = [
  "exponential",
  "gamma",
  "weibull",
  "lognormal",
  "fixed",
  "empirical"
]

/** A distribution of the given kind whose scale is about `meanDays` (at least 1 day for `fixed`). */
export const distributionOf = (
  kind: DistributionKind,
  minDays: number,
  maxDays: number
): fc.Arbitrary<DistributionEncoded> =>
  fc
    .tuple(fc.double({ min: minDays, max: maxDays, noNaN: true }), unitArb)
    .chain(([days, unit]): fc.Arbitrary<DistributionEncoded> => {
      const k = UNITS[unit ?? "days"]
      const v = days / k
      switch (kind) {
        case "exponential":
          return fc.constant(compact({ type: "exponential" as const, mean: v, unit }))
        case "gamma":
          return fc
            .double({ min: 0.3, max: 5, noNaN: true })
            .map((shape) => compact({ type: "gamma" as const, shape, mean: v, unit }))
        case "weibull":
          return fc
            .double({ min: 0.5, max: 3, noNaN: true })
            .map((shape) => compact({ type: "weibull" as const, shape, scale: v, unit }))
        case "lognormal":
          return fc
            .double({ min: 0.2, max: 2, noNaN: true })
            .map((cv) => compact({ type: "lognormal" as const, mean: v, sd: cv * v, unit }))
        case "fixed":
          return fc.constant(compact({ type: "fixed" as const, value: Math.max(v, 1 / k), unit }))
        case "empirical":
          return fc
            .record({
              from: maybe(fc.double({ min: 0, max: 0.5, noNaN: true })),
              widths: fc.array(fc.double({ min: 0.05, max: 1, noNaN: true }), { minLength: 1, maxLength: 5 })
            })
            .chain(({ from, widths }) =>
              shares(widths.length).map((sh) => {
                // Edges scaled so the top edge is about twice `days`; `from` a fraction of the first bin.
                const total = widths.reduce((a, b) => a + b, 0)
                const scale = (2 * v) / total
                const start = from === undefined ? undefined : from * widths[0] * scale
                let edge = start ?? 0
                const bins = widths.map((w, i) => {
                  edge += w * scale
                  return { upTo: edge, share: sh[i] }
                })
                return compact({ type: "empirical" as const, from: start, bins: nonEmpty(bins), unit })
              })
            )
      }
    })

export const anyDistribution = (minDays: number, maxDays: number): fc.Arbitrary<DistributionEncoded> =>
  fc.constantFrom(...DISTRIBUTION_KINDS).chain((k) => distributionOf(k, minDays, maxDays))

/** A level's duration: one distribution of `kind`, or (sometimes) by age with `kind` in the first band. */
const durationOf = (kind: DistributionKind, minDays: number, maxDays: number): fc.Arbitrary<DurationEncoded> =>
  fc.oneof(
    { weight: 3, arbitrary: distributionOf(kind, minDays, maxDays) },
    {
      weight: 1,
      arbitrary: ageBands(17, 2).chain((bands) =>
        fc
          .tuple(
            distributionOf(kind, minDays, maxDays),
            fc.array(anyDistribution(minDays, maxDays), { minLength: bands.length, maxLength: bands.length })
          )
          .map(([first, rest]) => ({
            byAge: nonEmpty(bands.map((ages, i) => ({ ages, duration: i === 0 ? first : rest[i] })))
          }))
      )
    }
  )

const VIAS = ["assessment", "s47_enquiry", "care_proceedings", "step_up"] as const
const viaArb = maybe(fc.constantFrom(...VIAS))
const closureReasonArb = fc.constantFrom(...CLOSURE_REASONS.filter((r) => r !== "turned_18"))

type OutcomeEncoded = {
  readonly to: ChildState
  readonly probability: number
  readonly via?: string
  readonly reason?: (typeof CLOSURE_REASONS)[number]
}

/** Competing outcomes from `from`, each to a state the level graph allows, probabilities summing to 1. */
const outcomeList = (from: ChildState): fc.Arbitrary<NonEmpty<OutcomeEncoded>> =>
  fc
    .array(fc.record({ to: fc.constantFrom(...ALLOWED_MOVES[from]), via: viaArb, reason: maybe(closureReasonArb) }), {
      minLength: 1,
      maxLength: 4
    })
    .chain((items) =>
      shares(items.length).map((p) =>
        nonEmpty(
          items.map((o, i) =>
            compact({
              to: o.to,
              probability: p[i],
              via: o.via,
              reason: o.to === "universal" || o.to === "exited" ? o.reason : undefined
            })
          )
        )
      )
    )

const outcomeTable = (from: ChildState): fc.Arbitrary<OutcomeTableEncoded> =>
  fc.oneof(
    { weight: 3, arbitrary: outcomeList(from) },
    {
      weight: 1,
      arbitrary: ageBands(17, 2).chain((bands) =>
        fc
          .array(outcomeList(from), { minLength: bands.length, maxLength: bands.length })
          .map((lists) => ({ byAge: nonEmpty(bands.map((ages, i) => ({ ages, outcomes: lists[i] }))) }))
      )
    }
  )

type CareExitEncoded = {
  readonly reason: (typeof LEFT_CARE_REASONS)[number]
  readonly to: Exclude<ChildState, "looked_after">
  readonly probability: number
  readonly via?: string
}
const CARE_EXIT_TO = ALLOWED_MOVES.looked_after as ReadonlyArray<Exclude<ChildState, "looked_after">>

const careExitList: fc.Arbitrary<NonEmpty<CareExitEncoded>> = fc
  .array(
    fc.record({
      reason: fc.constantFrom(...LEFT_CARE_REASONS.filter((r) => r !== "turned_18")),
      to: fc.constantFrom(...CARE_EXIT_TO),
      via: viaArb
    }),
    { minLength: 1, maxLength: 5 }
  )
  .chain((items) =>
    shares(items.length).map((p) =>
      nonEmpty(
        items.map((o, i) =>
          compact({
            reason: o.reason,
            // Adoption and special guardianship take the child out of the model.
            to: o.reason === "adopted" || o.reason === "special_guardianship" ? ("exited" as const) : o.to,
            probability: p[i],
            via: o.via
          })
        )
      )
    )
  )

const careExitTable: fc.Arbitrary<CareExitTableEncoded> = fc.oneof(
  { weight: 3, arbitrary: careExitList },
  {
    weight: 1,
    arbitrary: ageBands(17, 2).chain((bands) =>
      fc
        .array(careExitList, { minLength: bands.length, maxLength: bands.length })
        .map((lists) => ({ byAge: nonEmpty(bands.map((ages, i) => ({ ages, outcomes: lists[i] }))) }))
    )
  }
)

export const placementMix: fc.Arbitrary<PlacementMixEncoded> = fc
  .uniqueArray(fc.constantFrom(...PLACEMENTS), { minLength: 1, maxLength: 4 })
  .chain((ps) => shares(ps.length).map((sh) => Object.fromEntries(ps.map((p, i) => [p, sh[i]])) as PlacementMixEncoded))

const placementMixTable: fc.Arbitrary<PlacementMixTableEncoded> = fc.oneof(
  { weight: 3, arbitrary: placementMix },
  {
    weight: 1,
    arbitrary: ageBands(17, 2).chain((bands) =>
      fc
        .array(placementMix, { minLength: bands.length, maxLength: bands.length })
        .map((mixes) => ({ byAge: nonEmpty(bands.map((ages, i) => ({ ages, mix: mixes[i] }))) }))
    )
  }
)

const reReferral = (maxProbability: number) =>
  fc.record({ probability: fc.double({ min: 0, max: maxProbability, noNaN: true }), after: anyDistribution(30, 365) })

const FIRST_DAY = epochDay("2015-01-01")
const LAST_DAY = epochDay("2030-12-31")

const fyLabelOf = (iso: string): string => {
  const y = Number(iso.slice(0, 4))
  const m = Number(iso.slice(5, 7))
  const start = m >= 4 ? y : y - 1
  return `${start}/${String((start + 1) % 100).padStart(2, "0")}`
}

/** Shares by legal status over a few codes. */
const statusMix = (
  codes: ReadonlyArray<LegalStatus> = LEGAL_STATUSES
): fc.Arbitrary<Partial<Record<LegalStatus, number>>> =>
  fc
    .uniqueArray(fc.constantFrom(...codes), { minLength: 1, maxLength: 3 })
    .chain((cs) => shares(cs.length).map((sh) => Object.fromEntries(cs.map((c, i) => [c, sh[i]]))))

/** Legal statuses: entry rows (by level, route or ages, then the catch-all), changes, rules by status; and a
 * mix for the starting caseload (or none: the catch-all row's). */
const legalStatusSpec = fc
  .record({
    rows: fc.array(
      fc.record({
        from: maybe(fc.constantFrom(...BELOW_CARE)),
        via: maybe(fc.constantFrom(...VIAS)),
        ages: maybe(band(0, 17)),
        mix: statusMix()
      }),
      { maxLength: 2 }
    ),
    last: statusMix(),
    changes: fc.array(
      fc.constantFrom(...LEGAL_STATUSES).chain((code) =>
        fc.record({
          code: fc.constant(code),
          after: anyDistribution(20, 500),
          to: statusMix(LEGAL_STATUSES.filter((c) => c !== code))
        })
      ),
      { maxLength: 4 }
    ),
    rules: fc.array(
      fc.record({
        code: fc.constantFrom(...LEGAL_STATUSES),
        duration: maybe(anyDistribution(30, 900)),
        outcomes: maybe(careExitTable),
        placement: maybe(fc.record({ probability: fc.double({ min: 0, max: 1, noNaN: true }), to: placementMix }))
      }),
      { maxLength: 3 }
    ),
    starting: maybe(statusMix())
  })
  .map((l) => ({
    spec: compact({
      onEntry: nonEmpty([...l.rows.map((r) => compact(r)), { mix: l.last }]),
      changes:
        l.changes.length > 0
          ? Object.fromEntries(l.changes.map((c) => [c.code, { after: c.after, to: c.to }]))
          : undefined,
      byStatus:
        l.rules.length > 0
          ? Object.fromEntries(
              l.rules.map((r) => [
                r.code,
                compact({ duration: r.duration, outcomes: r.outcomes, placement: r.placement })
              ])
            )
          : undefined
    }),
    starting: l.starting
  }))

/** Valid scenarios, encoded (as parsed from YAML). */
export const scenarioEncoded: fc.Arbitrary<ScenarioEncoded> = fc
  .record({
    startDay: fc.integer({ min: FIRST_DAY, max: LAST_DAY }),
    years: fc.integer({ min: 1, max: 3 }),
    seed: maybe(fc.integer({ min: -1000, max: 1000 })),
    children: fc.integer({ min: 1000, max: 20000 }),
    growthPerYear: maybe(fc.double({ min: -0.05, max: 0.05, noNaN: true })),
    // Expected new referrals a year, turned into a rate per 10,000 below (0 sometimes).
    referralsPerYear: fc.oneof(
      { weight: 1, arbitrary: fc.constant(0) },
      { weight: 6, arbitrary: fc.double({ min: 1, max: 600, noNaN: true }) }
    ),
    seasonality: maybe(
      fc
        .array(fc.double({ min: 0, max: 2, noNaN: true }), { minLength: 12, maxLength: 12 })
        .filter((s) => s.some((x) => x > 0))
    ),
    trendPerYear: maybe(fc.double({ min: -0.1, max: 0.1, noNaN: true })),
    changes: maybe(
      fc.array(
        fc.record({
          offset: fc.integer({ min: -200, max: 1200 }),
          multiplier: fc.double({ min: 0, max: 2, noNaN: true }),
          lasts: maybe(fc.integer({ min: 1, max: 600 })),
          halfLifeMonths: maybe(fc.double({ min: 0.5, max: 24, noNaN: true })),
          label: maybe(fc.string({ maxLength: 8 }))
        }),
        { maxLength: 2 }
      )
    ),
    ageBands: ageBands(17, 4),
    // Contacts at the front door instead of a referral rate: the share that become referrals (with a dated
    // change of it), contacts a year or per 10,000 children, a change of their own.
    contacts: maybe(
      fc.record({
        share: fc.double({ min: 0.2, max: 1, noNaN: true }),
        perYear: fc.boolean(),
        shareChange: maybe(
          fc.record({
            offset: fc.integer({ min: -100, max: 1000 }),
            share: fc.double({ min: 0, max: 1, noNaN: true })
          })
        ),
        change: maybe(
          fc.record({
            offset: fc.integer({ min: -100, max: 900 }),
            multiplier: fc.double({ min: 0, max: 2, noNaN: true }),
            halfLifeMonths: maybe(fc.double({ min: 0.5, max: 24, noNaN: true }))
          })
        )
      })
    ),
    // The population by single year of age, and its projection: by age, in total or as a multiple.
    byAge: maybe(
      fc.record({
        counts: fc.array(fc.integer({ min: 1, max: 1500 }), { minLength: 18, maxLength: 18 }),
        projection: maybe(
          fc.uniqueArray(
            fc.record({
              offset: fc.integer({ min: -50, max: 1200 }),
              kind: fc.constantFrom("byAge", "children", "multiplier"),
              // Each age's projected count as a multiple of its count now (up to 3, as the whole may be): counts
              // drawn apart from it made 2 seventeen-year-olds 1,497, and a run of 7.9 million events.
              factors: fc.array(fc.double({ min: 0, max: 3, noNaN: true }), { minLength: 18, maxLength: 18 }),
              multiplier: fc.double({ min: 0, max: 3, noNaN: true })
            }),
            { minLength: 1, maxLength: 3, selector: (p) => p.offset }
          )
        )
      })
    ),
    preBirth: maybe(
      fc.record({ share: fc.double({ min: 0, max: 0.3, noNaN: true }), before: anyDistribution(1, 250) })
    ),
    frontDoor: outcomeTable("universal"),
    defaultReReferral: reReferral(0.5),
    families: maybe(
      fc.record({
        rateCounts: fc.constantFrom("children" as const, "families" as const),
        size: fc.integer({ min: 1, max: 6 }).chain((n) => shares(n)),
        spacing: anyDistribution(200, 1500),
        correlation: fc.oneof(
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.record({
            frontDoor: fc.double({ min: 0, max: 1, noNaN: true }),
            helpLevels: fc.double({ min: 0, max: 1, noNaN: true }),
            lookedAfter: fc.double({ min: 0, max: 1, noNaN: true })
          })
        ),
        placedTogether: fc.double({ min: 0, max: 1, noNaN: true })
      })
    ),
    // Each help level gets its own distribution type, and so does looked after: every type appears
    // across the generated scenarios, several in each.
    kinds: fc.array(fc.constantFrom(...DISTRIBUTION_KINDS), { minLength: 5, maxLength: 5 }),
    helpOutcomes: fc.tuple(...HELP_LEVELS.map((l) => outcomeTable(l))),
    helpReReferral: fc.tuple(...HELP_LEVELS.map(() => maybe(reReferral(0.5)))),
    careExits: careExitTable,
    onEntry: placementMixTable,
    moves: fc.array(
      fc.record({ from: fc.constantFrom(...PLACEMENTS), after: anyDistribution(60, 700), to: placementMix }),
      { maxLength: 4 }
    ),
    laReReferral: maybe(reReferral(0.5)),
    atAge: maybe(
      fc.uniqueArray(
        fc.record({
          age: fc.integer({ min: 1, max: 17 }),
          from: maybe(fc.uniqueArray(fc.constantFrom(...PLACEMENTS), { minLength: 1, maxLength: 4 })),
          probability: fc.double({ min: 0, max: 1, noNaN: true }),
          to: placementMix
        }),
        { minLength: 1, maxLength: 2, selector: (r) => r.age }
      )
    ),
    legal: maybe(legalStatusSpec),
    uasc: maybe(
      fc.record({
        perYear: fc.double({ min: 1, max: 40, noNaN: true }),
        from: fc.integer({ min: 14, max: 16 }),
        onEntry: placementMixTable,
        duration: maybe(anyDistribution(60, 1500)),
        outcomes: maybe(careExitTable)
      })
    ),
    // Histories before the run: shares of none, one, two or more previous plans and care episodes, and the
    // relative risks they carry; and whether the first group in care is UASC (with a UASC stream).
    history: maybe(
      fc.record({
        cp: shares(3),
        care: shares(3),
        newReferrals: fc.boolean(),
        risks: fc.tuple(...[0, 1, 2, 3].map(() => fc.double({ min: 0, max: 4, noNaN: true })))
      })
    ),
    uascAtStart: fc.boolean(),
    supportEndsAt: maybe(fc.integer({ min: 18, max: 21 })),
    extendedBy: fc.integer({ min: 0, max: 4 }),
    extendedToGiven: fc.boolean(),
    extendedShare: maybe(fc.double({ min: 0, max: 1, noNaN: true })),
    endsEarly: maybe(anyDistribution(180, 1500)),
    minWeeksInCare: maybe(fc.double({ min: 0, max: 30, noNaN: true })),
    stayingPut: maybe(
      fc.record({
        share: fc.double({ min: 0, max: 1, noNaN: true }),
        from: maybe(fc.uniqueArray(fc.constantFrom(...PLACEMENTS), { minLength: 1, maxLength: 4 })),
        endsEarly: maybe(anyDistribution(30, 900))
      })
    ),
    starting: fc.record({
      help: fc.tuple(
        ...HELP_LEVELS.map((l) =>
          fc.record({
            level: fc.constant(l),
            count: fc.integer({ min: 0, max: 25 }),
            ages: band(0, 17),
            elapsed: maybe(anyDistribution(1, 500))
          })
        )
      ),
      care: fc.array(
        fc.record({
          placement: fc.constantFrom(...PLACEMENTS),
          count: fc.integer({ min: 0, max: 15 }),
          ages: band(0, 17),
          elapsed: maybe(anyDistribution(1, 1000))
        }),
        { minLength: 1, maxLength: 3 }
      ),
      leavers: fc.record({
        count: fc.integer({ min: 0, max: 15 }),
        lo: fc.integer({ min: 16, max: 25 }),
        hi: fc.integer({ min: 16, max: 25 }),
        elapsed: maybe(anyDistribution(1, 700))
      }),
      // Cases closed before the start, liable to be re-referred.
      closed: maybe(
        fc.record({
          count: fc.integer({ min: 0, max: 40 }),
          ages: band(0, 17),
          elapsed: maybe(anyDistribution(1, 400))
        })
      )
    }),
    budget: fc.record({
      names: fc.uniqueArray(
        fc.constantFrom("Early help", "CP and CIN", "Placements", "Care leavers", "Management, other"),
        { minLength: 1, maxLength: 4 }
      ),
      declare: fc.boolean(),
      priceBaseShift: maybe(fc.integer({ min: -1, max: 1 })),
      inflation: maybe(fc.double({ min: -0.02, max: 0.1, noNaN: true }))
    }),
    weekly: fc.array(
      fc.record({
        target: fc.oneof(
          fc.record({
            level: fc.constantFrom(
              "early_help",
              "intensive_family_support",
              "child_in_need",
              "child_protection",
              "looked_after",
              "care_leaver" as const
            )
          }),
          fc.record({ placement: fc.constantFrom(...PLACEMENTS) })
        ),
        perWeek: fc.double({ min: 0, max: 6000, noNaN: true }),
        inflation: maybe(fc.double({ min: -0.02, max: 0.1, noNaN: true })),
        line: fc.nat()
      }),
      { minLength: 1, maxLength: 8 }
    ),
    oneOff: fc.array(
      fc.record({
        event: maybe(fc.constantFrom(...EVENT_TAGS)),
        from: maybe(fc.constantFrom(...STATES)),
        to: maybe(fc.constantFrom(...STATES)),
        via: maybe(fc.constantFrom(...VIAS)),
        reason: maybe(
          fc.constantFrom(
            "new",
            "re_referral",
            "returned_home",
            "turned_18",
            "stepped_down",
            "no_further_action",
            "age_limit"
          )
        ),
        placement: maybe(fc.constantFrom(...PLACEMENTS)),
        amount: fc.double({ min: 0, max: 20000, noNaN: true }),
        inflation: maybe(fc.double({ min: -0.02, max: 0.1, noNaN: true })),
        line: fc.nat()
      }),
      { maxLength: 4 }
    ),
    fixed: fc.array(
      fc.record({
        perYear: fc.double({ min: -1e5, max: 1e6, noNaN: true }),
        inflation: maybe(fc.double({ min: -0.02, max: 0.1, noNaN: true })),
        line: fc.nat()
      }),
      { maxLength: 2 }
    )
  })
  .chain((g) =>
    fc
      .tuple(fc.tuple(...g.kinds.slice(0, 4).map((k) => durationOf(k, 30, 400))), durationOf(g.kinds[4], 60, 900))
      .map(([helpDurations, laDuration]) => ({ g, helpDurations, laDuration }))
  )
  .chain(({ g, helpDurations, laDuration }) =>
    shares(g.ageBands.length).map((ageShares): ScenarioEncoded => {
      const start = isoOfEpochDay(g.startDay)
      // With the population by age, the children are its total.
      const children = g.byAge === undefined ? g.children : g.byAge.counts.reduce((a, b) => a + b, 0)
      const supportEndsAt = g.supportEndsAt ?? 21
      const extendedTo = Math.min(25, supportEndsAt + g.extendedBy)
      const leaverLo = Math.min(g.starting.leavers.lo, g.starting.leavers.hi, extendedTo - 1)
      const leaverHi = Math.min(Math.max(g.starting.leavers.lo, g.starting.leavers.hi), extendedTo - 1)
      const lineName = (i: number) => g.budget.names[i % g.budget.names.length]
      const levels = {} as Mutable<ScenarioEncoded["levels"]>
      HELP_LEVELS.forEach((l: HelpLevel, i) => {
        levels[l] = compact({
          duration: helpDurations[i],
          outcomes: g.helpOutcomes[i],
          reReferral: g.helpReReferral[i]
        })
      })
      const moves: Partial<Record<Placement, { after: DistributionEncoded; to: PlacementMixEncoded }>> = {}
      for (const m of g.moves) moves[m.from] = { after: m.after, to: m.to }
      levels.looked_after = compact({
        duration: laDuration,
        outcomes: g.careExits,
        placements: compact({
          onEntry: g.onEntry,
          moves: g.moves.length > 0 ? moves : undefined,
          atAge: g.atAge === undefined ? undefined : nonEmpty(g.atAge.map((r) => compact(r)))
        }),
        reReferral: g.laReReferral,
        legalStatus: g.legal?.spec
      })
      levels.care_leaver = compact({
        supportEndsAt: g.supportEndsAt,
        extendedTo: g.extendedToGiven || extendedTo !== 25 ? extendedTo : undefined,
        extendedShare: g.extendedShare,
        endsEarly: g.endsEarly,
        minWeeksInCare: g.minWeeksInCare,
        stayingPut:
          g.stayingPut === undefined ? undefined : compact({ ...g.stayingPut, untilAge: Math.min(21, extendedTo) })
      })
      const h = g.history
      const previous =
        h === undefined
          ? undefined
          : {
              previousCpPlans: { none: h.cp[0], one: h.cp[1], twoOrMore: h.cp[2] },
              previousCareEpisodes: { none: h.care[0], one: h.care[1], twoOrMore: h.care[2] }
            }
      const startingCaseload: Array<StartingGroupEncoded> = [
        // With sibling groups, every other group opens in families (no draw of its own: the cases stay as they were).
        ...g.starting.help.map((x, i) =>
          compact({
            level: x.level,
            count: x.count,
            ages: x.ages,
            elapsed: x.elapsed,
            history: previous,
            families: g.families !== undefined && i % 2 === 0 ? true : undefined
          })
        ),
        ...g.starting.care.map((c, i) =>
          compact({
            level: "looked_after" as const,
            placement: c.placement,
            legalStatus: g.legal?.starting,
            count: c.count,
            ages: c.ages,
            elapsed: c.elapsed,
            history: previous,
            uasc: g.uascAtStart && g.uasc !== undefined && i === 0 ? true : undefined,
            families: g.families !== undefined && i % 2 === 1 ? true : undefined
          })
        ),
        compact({
          level: "care_leaver" as const,
          count: g.starting.leavers.count,
          ages: [leaverLo, leaverHi] as const,
          elapsed: g.starting.leavers.elapsed
        }),
        ...(g.starting.closed === undefined
          ? []
          : [compact({ level: "universal" as const, ...g.starting.closed, history: previous })])
      ]
      const priceBase =
        g.budget.priceBaseShift === undefined
          ? undefined
          : (() => {
              const y = Number(fyLabelOf(start).slice(0, 4)) + g.budget.priceBaseShift
              return `${y}/${String((y + 1) % 100).padStart(2, "0")}`
            })()
      return compact({
        name: "generated",
        start,
        years: g.years,
        seed: g.seed,
        population: compact({
          children,
          growthPerYear: g.byAge?.projection === undefined ? g.growthPerYear : undefined,
          byAge: g.byAge?.counts,
          projection:
            g.byAge?.projection === undefined
              ? undefined
              : nonEmpty(
                  g.byAge.projection.map((p) =>
                    p.kind === "byAge"
                      ? {
                          date: isoOfEpochDay(g.startDay + p.offset),
                          byAge: g.byAge!.counts.map((c, i) => Math.round(c * p.factors[i]))
                        }
                      : p.kind === "children"
                        ? { date: isoOfEpochDay(g.startDay + p.offset), children: Math.round(children * p.multiplier) }
                        : { date: isoOfEpochDay(g.startDay + p.offset), multiplier: p.multiplier }
                  )
                )
        }),
        referrals: compact({
          ratePer10k: g.contacts === undefined ? (g.referralsPerYear * 10_000) / children : undefined,
          contacts:
            g.contacts === undefined
              ? undefined
              : compact({
                  perYear: g.contacts.perYear ? g.referralsPerYear / g.contacts.share : undefined,
                  per10k: g.contacts.perYear ? undefined : (g.referralsPerYear * 10_000) / children / g.contacts.share,
                  toReferral: g.contacts.share,
                  toReferralChanges:
                    g.contacts.shareChange === undefined
                      ? undefined
                      : [
                          {
                            from: isoOfEpochDay(g.startDay + g.contacts.shareChange.offset),
                            share: g.contacts.shareChange.share
                          }
                        ],
                  changes:
                    g.contacts.change === undefined
                      ? undefined
                      : [
                          compact({
                            from: isoOfEpochDay(g.startDay + g.contacts.change.offset),
                            multiplier: g.contacts.change.multiplier,
                            halfLifeMonths: g.contacts.change.halfLifeMonths
                          })
                        ]
                }),
          seasonality: g.seasonality,
          trendPerYear: g.trendPerYear,
          changes: g.changes?.map((c) =>
            compact({
              from: isoOfEpochDay(g.startDay + c.offset),
              multiplier: c.multiplier,
              until: c.lasts === undefined ? undefined : isoOfEpochDay(g.startDay + c.offset + c.lasts),
              halfLifeMonths: c.halfLifeMonths,
              label: c.label
            })
          ),
          ageAtReferral: nonEmpty(g.ageBands.map((ages, i) => ({ ages, share: ageShares[i] }))),
          preBirth: g.preBirth,
          frontDoor: g.frontDoor,
          reReferral: g.defaultReReferral,
          families: g.families === undefined ? undefined : { ...g.families, size: nonEmpty(g.families.size) }
        }),
        uasc:
          g.uasc === undefined
            ? undefined
            : compact({
                perYear: g.uasc.perYear,
                ageAtArrival: nonEmpty([{ ages: [g.uasc.from, 17] as const, share: 1 }]),
                placements: g.uasc.onEntry,
                duration: g.uasc.duration,
                outcomes: g.uasc.outcomes
              }),
        levels: levels as ScenarioEncoded["levels"],
        startingCaseload,
        history:
          h === undefined
            ? undefined
            : compact({
                newReferrals: h.newReferrals ? previous : undefined,
                previousCpPlan: { toChildProtection: h.risks[0], reReferral: h.risks[1] },
                previousCareEpisode: { toLookedAfter: h.risks[2], reReferral: h.risks[3] }
              }),
        budgetLines: g.budget.declare
          ? g.budget.names.map((name, i) =>
              compact({ name, budget: i === 0 ? { [fyLabelOf(start)]: 1_000_000 } : undefined })
            )
          : undefined,
        costs: compact({
          priceBase,
          inflation: g.budget.inflation,
          weekly: g.weekly.map((w, i) =>
            compact({
              name: `weekly ${i}`,
              budgetLine: lineName(w.line),
              perWeek: w.perWeek,
              ...w.target,
              inflation: w.inflation
            })
          ),
          oneOff: g.oneOff.map((o, i) =>
            compact({
              name: `one-off ${i}`,
              budgetLine: lineName(o.line),
              amount: o.amount,
              on: compact({
                event: o.event,
                from: o.from,
                to: o.to,
                via: o.via,
                reason: o.reason,
                placement: o.placement
              }),
              inflation: o.inflation
            })
          ),
          fixed: g.fixed.map((f, i) =>
            compact({ name: `fixed ${i}`, budgetLine: lineName(f.line), perYear: f.perYear, inflation: f.inflation })
          )
        })
      })
    })
  )

/** Decodes and validates an encoded scenario, failing loudly (with every problem) if it is not valid. */
export const decodeValid = (encoded: unknown): Scenario => {
  const r = decodeScenario("generated.yaml", encoded)
  if (Either.isLeft(r))
    throw new Error(
      `the arbitrary generated an invalid scenario:\n${r.left.message}\n${JSON.stringify(encoded, null, 1)}`
    )
  return r.right
}

export interface GeneratedCase {
  readonly encoded: ScenarioEncoded
  readonly scenario: Scenario
  readonly model: Model
  readonly seed: number
}

/** A valid scenario, decoded and compiled, with a seed to run it with. */
export const generatedCase: fc.Arbitrary<GeneratedCase> = fc
  .tuple(scenarioEncoded, fc.integer({ min: 0, max: 2 ** 31 - 1 }))
  .map(([encoded, seed]) => {
    const scenario = decodeValid(encoded)
    return {
      encoded,
      scenario,
      model: compileModel(scenario),
      seed,
      // Counterexamples print as the scenario file and seed, not the compiled model.
      [fc.toStringMethod]: () => `seed ${seed}, scenario ${JSON.stringify(encoded)}`
    }
  })
