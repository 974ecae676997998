/**
 * The scenario file: one local authority's children, demand, flows, durations, placements and costs.
 *
 * This module is the file format, as an Effect Schema. Decoding checks each field's type and range and
 * rejects unknown fields (a misspelt key is an error, not a silent default); `validate.ts` then checks what
 * spans fields (shares that sum to 1, age bands that cover every age, moves the level graph allows).
 * Durations are in days unless a distribution says `unit: weeks | months | years`.
 */
import * as Schema from "effect/Schema"
import { calendarDateProblem, MAX_RUN_YEARS } from "../domain/Calendar.js"
import { EVENT_TAGS } from "../domain/Event.js"
import { SEED_MAX, SEED_MIN } from "../random/Streams.js"
import {
  BelowCare,
  ChildState,
  CLOSURE_REASONS,
  ClosureReason,
  DecidingState,
  EpisodeLevel,
  LEFT_CARE_REASONS,
  HelpLevel,
  LeftCareReason,
  LegalStatus,
  OpenLevel,
  Placement,
  STATES,
  type ChildState as ChildStateName
} from "../domain/Level.js"

// ---------------------------------------------------------------------------------------------------------
// Numbers, texts and dates. Every number has a stated range: a value outside it is a mistake (a cost of
// 1e308 would overflow to Infinity in a year's spend; a growth of 1e300 to an infinite population), and
// every range is far wider than any council's figures.

// Each says what it expects whatever was found (a text, a fraction, a number out of range).
const says = (message: string) => ({ message: () => ({ message, override: true }) })
const finiteIn = (lo: number, hi: number, message: string) =>
  Schema.Number.pipe(Schema.finite(), Schema.between(lo, hi)).annotations(says(message))
const positiveUpTo = (hi: number, message: string) =>
  Schema.Number.pipe(Schema.finite(), Schema.positive(), Schema.lessThanOrEqualTo(hi)).annotations(says(message))
const wholeIn = (lo: number, hi: number, message: string) =>
  Schema.Number.pipe(Schema.int(), Schema.between(lo, hi)).annotations(says(message))

/** The largest amount of money (in pounds) a scenario states: a trillion, far above England's spend. */
export const MAX_POUNDS = 1e12
/** The largest time (in a distribution's unit): far beyond any run. */
export const MAX_TIME = 1e6
/** The largest multiplier (of a rate, a chance or a time). */
export const MAX_MULTIPLIER = 1000
/** The most children aged 0-17 (England has about 12 million). */
export const MAX_CHILDREN = 100_000_000
/** The largest whole count (children in a starting group, places). */
export const MAX_COUNT = 1_000_000_000

/** A number above 0 (and at most a million). */
export const PositiveNumber = positiveUpTo(1e6, "expected a positive number (at most 1,000,000)")
/** A number of at least 0 (and at most a million). */
export const NonNegativeNumber = finiteIn(0, 1e6, "expected a number >= 0 (at most 1,000,000)")
export const Probability = Schema.Number.pipe(Schema.finite(), Schema.between(0, 1)).annotations({
  message: () => "expected a probability between 0 and 1"
})
/** A yearly rate of change: above -1 (-100%) and at most 1 (+100% a year). */
export const Rate = Schema.Number.pipe(
  Schema.finite(),
  Schema.greaterThan(-1),
  Schema.lessThanOrEqualTo(1)
).annotations({
  message: () => "expected a yearly rate as a fraction above -1 and at most 1 (0.03 = 3%)"
})
export const WholeCount = wholeIn(0, MAX_COUNT, "expected a whole number >= 0 (at most 1,000,000,000)")
/** An amount of money in pounds, 0 to a trillion. */
export const Pounds = finiteIn(0, MAX_POUNDS, "expected an amount in pounds from 0 to 1,000,000,000,000")
/** An amount of money that may be negative (a fixed line, a budget), within a trillion either way. */
export const SignedPounds = finiteIn(
  -MAX_POUNDS,
  MAX_POUNDS,
  "expected an amount in pounds within 1,000,000,000,000 either side of 0"
)
/** A multiplier of a rate, a chance or a share, 0 to 1,000. */
export const Multiplier = finiteIn(0, MAX_MULTIPLIER, "expected a multiplier from 0 to 1,000")
/** A time in a distribution's unit. */
export const Time = positiveUpTo(MAX_TIME, "expected a time above 0 (at most 1,000,000 in the distribution's unit)")
export const TimeOrZero = finiteIn(0, MAX_TIME, "expected a time of at least 0 (at most 1,000,000 in its unit)")
/** A distribution's shape parameter. */
export const Shape = finiteIn(0.01, 1000, "expected a shape from 0.01 to 1,000")
/** Full-time equivalent posts. */
export const Fte = finiteIn(0, 1e6, "expected a number of full-time posts from 0 to 1,000,000")

/** Characters a text may not hold: control characters (they can drive a terminal), the Unicode line and
 * bidirectional-override characters. A long text may hold line breaks and tabs. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/
// eslint-disable-next-line no-control-regex
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/

/** A name or label: one line of text, at most 200 characters, no control characters. */
export const Name = Schema.String.pipe(
  Schema.filter((s) =>
    s.length > 200
      ? "expected a name of at most 200 characters"
      : CONTROL.test(s)
        ? "expected a name without control characters (escape sequences, tabs, line breaks)"
        : true
  )
)
/** A longer text (a description, the evidence for an intervention): at most 10,000 characters. */
export const LongText = Schema.String.pipe(
  Schema.filter((s) =>
    s.length > 10_000
      ? "expected a text of at most 10,000 characters"
      : CONTROL_BUT_LINES.test(s)
        ? "expected a text without control characters (other than line breaks and tabs)"
        : true
  )
)

/** The years a date may fall in: wide enough for any history or projection, narrow enough to be a date. */
export const FIRST_YEAR = 1900
export const LAST_YEAR = 2199

/** A real calendar date, `YYYY-MM-DD` (29 February only in leap years), from 1900 to 2199. */
export const IsoDate = Schema.String.pipe(
  Schema.filter((s) => {
    const problem = calendarDateProblem(s)
    if (problem !== null)
      return problem.startsWith("expected") ? problem : `expected a real date written YYYY-MM-DD (${problem})`
    const year = Number(s.slice(0, 4))
    return year >= FIRST_YEAR && year <= LAST_YEAR ? true : `expected a date from ${FIRST_YEAR} to ${LAST_YEAR}`
  })
)
/** Why a text is not a UK financial year label such as `2025/26` (null: it is one, from 1900/01 to 2199/00). */
export const financialYearProblem = (s: string): string | null => {
  const m = /^(\d{4})\/(\d{2})$/.exec(s)
  if (m === null) return "expected a financial year like 2025/26"
  const year = Number(m[1])
  const label = (y: number) => `${y}/${String((y + 1) % 100).padStart(2, "0")}`
  if (Number(m[2]) !== (year + 1) % 100)
    return `expected a financial year like 2025/26, whose second year follows the first (${label(year)})`
  return year >= FIRST_YEAR && year <= LAST_YEAR
    ? null
    : `expected a financial year from ${label(FIRST_YEAR)} to ${label(LAST_YEAR)}`
}
/** A UK financial year, `2025/26` (the second year follows the first). */
export const FinancialYearLabel = Schema.String.pipe(Schema.filter((s) => financialYearProblem(s) ?? true))
const Age = Schema.Number.pipe(Schema.int(), Schema.between(0, 25)).annotations({
  message: () => "expected an age in whole years from 0 to 25"
})

/** Levels a child can go to on leaving care (every state but looked_after itself). */
const CARE_EXIT_STATES = STATES.filter(
  (s): s is Exclude<ChildStateName, "looked_after"> => s !== "looked_after"
) as unknown as readonly [Exclude<ChildStateName, "looked_after">, ...Array<Exclude<ChildStateName, "looked_after">>]
/** An inclusive band of whole years of age, e.g. [10, 15]. */
export const AgeBand = Schema.Tuple(Age, Age)
export type AgeBand = typeof AgeBand.Type

// ---------------------------------------------------------------------------------------------------------
// Distributions

export const TimeUnit = Schema.Literal("days", "weeks", "months", "years")
export type TimeUnit = typeof TimeUnit.Type
const unit = Schema.optional(TimeUnit)

export const ExponentialSpec = Schema.Struct({ type: Schema.Literal("exponential"), mean: Time, unit })
export const GammaSpec = Schema.Struct({
  type: Schema.Literal("gamma"),
  shape: Shape,
  mean: Time,
  unit
})
export const WeibullSpec = Schema.Struct({
  type: Schema.Literal("weibull"),
  shape: Shape,
  scale: Time,
  unit
})
export const LognormalSpec = Schema.Struct({
  type: Schema.Literal("lognormal"),
  mean: Time,
  sd: Time,
  unit
})
export const FixedSpec = Schema.Struct({ type: Schema.Literal("fixed"), value: TimeOrZero, unit })
export const EmpiricalBin = Schema.Struct({ upTo: Time, share: NonNegativeNumber })
export const EmpiricalSpec = Schema.Struct({
  type: Schema.Literal("empirical"),
  from: Schema.optional(TimeOrZero),
  bins: Schema.NonEmptyArray(EmpiricalBin),
  unit
})
export const DistributionSpec = Schema.Union(
  ExponentialSpec,
  GammaSpec,
  WeibullSpec,
  LognormalSpec,
  FixedSpec,
  EmpiricalSpec
).annotations({
  identifier: "a distribution { type: exponential | gamma | weibull | lognormal | fixed | empirical, ... }"
})
export type DistributionSpec = typeof DistributionSpec.Type

export const DurationSpec = Schema.Union(
  DistributionSpec,
  Schema.Struct({
    byAge: Schema.NonEmptyArray(Schema.Struct({ ages: AgeBand, duration: DistributionSpec }))
  })
).annotations({ identifier: "a distribution, or { byAge: [{ ages, duration }] }" })
export type DurationSpec = typeof DurationSpec.Type

// ---------------------------------------------------------------------------------------------------------
// Outcomes: where a child goes when an episode ends (competing outcomes with probabilities)

/** A front-door decision or the end of a help/protection episode. */
export const Outcome = Schema.Struct({
  to: ChildState,
  probability: Probability,
  /** The route, e.g. "assessment", "s47_enquiry": what one-off costs attach to. */
  via: Schema.optional(Name),
  /** Why the case closed, when `to` is universal or exited. */
  reason: Schema.optional(ClosureReason)
})
export type Outcome = typeof Outcome.Type

export const OutcomeTable = Schema.Union(
  Schema.NonEmptyArray(Outcome),
  Schema.Struct({
    byAge: Schema.NonEmptyArray(Schema.Struct({ ages: AgeBand, outcomes: Schema.NonEmptyArray(Outcome) }))
  })
).annotations({ identifier: "a list of outcomes, or { byAge: [{ ages, outcomes }] }" })
export type OutcomeTable = typeof OutcomeTable.Type

/** How a care episode ends. */
export const CareExit = Schema.Struct({
  reason: LeftCareReason,
  to: Schema.Literal(...CARE_EXIT_STATES),
  probability: Probability,
  via: Schema.optional(Name)
})
export type CareExit = typeof CareExit.Type
export const CareExitTable = Schema.Union(
  Schema.NonEmptyArray(CareExit),
  Schema.Struct({
    byAge: Schema.NonEmptyArray(Schema.Struct({ ages: AgeBand, outcomes: Schema.NonEmptyArray(CareExit) }))
  })
).annotations({ identifier: "a list of care exits, or { byAge: [{ ages, outcomes }] }" })
export type CareExitTable = typeof CareExitTable.Type

/** Shares by placement type (need not name every type; must sum to 1). */
export const PlacementMix = Schema.partial(Schema.Record({ key: Placement, value: NonNegativeNumber }))
export type PlacementMix = typeof PlacementMix.Type
// The byAge form comes first: a plain mix (a record) would otherwise also match it when encoding.
export const PlacementMixTable = Schema.Union(
  Schema.Struct({ byAge: Schema.NonEmptyArray(Schema.Struct({ ages: AgeBand, mix: PlacementMix })) }),
  PlacementMix
).annotations({ identifier: "placement shares, or { byAge: [{ ages, mix }] }" })
export type PlacementMixTable = typeof PlacementMixTable.Type

export const ReReferral = Schema.Struct({
  /** Chance that a closed case is referred again. */
  probability: Probability,
  /** Time from closure to the re-referral. */
  after: DistributionSpec
})
export type ReReferral = typeof ReReferral.Type

// ---------------------------------------------------------------------------------------------------------
// Levels

export const HelpLevelSpec = Schema.Struct({
  duration: DurationSpec,
  outcomes: OutcomeTable,
  reReferral: Schema.optional(ReReferral)
})
export type HelpLevelSpec = typeof HelpLevelSpec.Type

export const PlacementMove = Schema.Struct({
  /** Time in a placement of this type before a move (if the care episode has not ended first). */
  after: DistributionSpec,
  to: PlacementMix
})

/** Shares by legal status (SSDA903 codes; need not name every code; must sum to 1). */
export const LegalStatusMix = Schema.partial(Schema.Record({ key: LegalStatus, value: NonNegativeNumber }))
export type LegalStatusMix = typeof LegalStatusMix.Type

/** The legal status a child enters care with, for the children this row matches (the first that matches). */
export const LegalStatusOnEntry = Schema.Struct({
  /** The level the child came into care from. */
  from: Schema.optional(BelowCare),
  /** The route into care (the front door's or the level's outcome `via`, e.g. care_proceedings). */
  via: Schema.optional(Name),
  /** Ages on entry. */
  ages: Schema.optional(AgeBand),
  mix: LegalStatusMix
})
export type LegalStatusOnEntry = typeof LegalStatusOnEntry.Type

/** How a status changes during the episode: after a time in it, to one of `to` (e.g. C1 -> C2 or E1). */
export const LegalStatusChange = Schema.Struct({ after: DistributionSpec, to: LegalStatusMix })
export type LegalStatusChange = typeof LegalStatusChange.Type

/** What a status changes for a child who has it. */
export const LegalStatusRule = Schema.Struct({
  /** Time in care from entry with this status, or from the change to it (replaces looked_after.duration). */
  duration: Schema.optional(DurationSpec),
  /** How an episode that ends in this status ends (replaces looked_after.outcomes). */
  outcomes: Schema.optional(CareExitTable),
  /** A placement move on the change to this status: with `probability`, to one of `to` (E1: placed for
   * adoption). */
  placement: Schema.optional(Schema.Struct({ probability: Probability, to: PlacementMix }))
})
export type LegalStatusRule = typeof LegalStatusRule.Type

export const LegalStatusSpec = Schema.Struct({
  onEntry: Schema.NonEmptyArray(LegalStatusOnEntry),
  changes: Schema.optional(Schema.partial(Schema.Record({ key: LegalStatus, value: LegalStatusChange }))),
  byStatus: Schema.optional(Schema.partial(Schema.Record({ key: LegalStatus, value: LegalStatusRule })))
})
export type LegalStatusSpec = typeof LegalStatusSpec.Type

export const LookedAfterSpec = Schema.Struct({
  /** Time in care (one care episode). */
  duration: DurationSpec,
  outcomes: CareExitTable,
  placements: Schema.Struct({
    onEntry: PlacementMixTable,
    moves: Schema.optional(Schema.partial(Schema.Record({ key: Placement, value: PlacementMove }))),
    /** Moves at a birthday: a child in care in one of `from` (default: any placement) moves with `probability`
     * to one of `to` (e.g. to supported accommodation at 16). */
    atAge: Schema.optional(
      Schema.NonEmptyArray(
        Schema.Struct({
          age: Schema.Number.pipe(Schema.int(), Schema.between(1, 17)).annotations({
            message: () => "expected a birthday from 1 to 17"
          }),
          from: Schema.optional(Schema.Array(Placement)),
          probability: Probability,
          to: PlacementMix
        })
      )
    )
  }),
  reReferral: Schema.optional(ReReferral),
  /** Legal statuses (SSDA903 codes): on entry, changes during the episode, what each changes. */
  legalStatus: Schema.optional(LegalStatusSpec),
  /** The ages children come into care at (e.g. DfE's "age on starting" shares): the law a starting group in care
   * without elapsed or since draws its ages and times in care from, unless it gives its own `ageOnEntry`;
   * default referrals.ageAtReferral. */
  // (AgeShare is declared with the referrals, below.)
  ageOnEntry: Schema.optional(Schema.NonEmptyArray(Schema.suspend((): typeof AgeShare => AgeShare)))
})
export type LookedAfterSpec = typeof LookedAfterSpec.Type

export const CareLeaverSpec = Schema.Struct({
  /** Age at which support ends (21 by default). */
  supportEndsAt: Schema.optionalWith(Age, { default: () => 21 }),
  /** Age to which support runs for those who ask for it (25 by default). */
  extendedTo: Schema.optionalWith(Age, { default: () => 25 }),
  /** Share of care leavers who ask for support to `extendedTo`. */
  extendedShare: Schema.optionalWith(Probability, { default: () => 0 }),
  /** Optional time to support ending early (disengaged, moved away); otherwise support runs to the limit. */
  endsEarly: Schema.optional(DistributionSpec),
  /** Weeks in care needed to be eligible for care-leaver support (13 by the regulations, simplified). */
  minWeeksInCare: Schema.optionalWith(finiteIn(0, 5200, "expected a number of weeks from 0 to 5,200"), {
    default: () => 13
  }),
  /** Staying put: care leavers who stay on with their foster carers after 18 (none by default). */
  stayingPut: Schema.optional(
    Schema.Struct({
      /** Share of those leaving care at 18 from one of `from` (default: foster and kinship placements) who stay. */
      share: Probability,
      from: Schema.optional(Schema.Array(Placement)),
      /** Age the arrangement ends at (21 by default, as the duty has it). */
      untilAge: Schema.optionalWith(Age, { default: () => 21 }),
      /** Optional time to an earlier end. */
      endsEarly: Schema.optional(DistributionSpec),
      /** Weekly costs of each staying-put arrangement (the carers' allowance), with their budget lines. */
      costs: Schema.optionalWith(
        Schema.Array(
          Schema.Struct({ name: Name, budgetLine: Name, perWeek: Pounds, inflation: Schema.optional(Rate) })
        ),
        { default: () => [] }
      )
    })
  )
})
export type CareLeaverSpec = typeof CareLeaverSpec.Type

export const Levels = Schema.Struct({
  early_help: HelpLevelSpec,
  intensive_family_support: HelpLevelSpec,
  child_in_need: HelpLevelSpec,
  child_protection: HelpLevelSpec,
  looked_after: LookedAfterSpec,
  care_leaver: CareLeaverSpec
})
export type Levels = typeof Levels.Type

// ---------------------------------------------------------------------------------------------------------
// Population, referrals, starting caseload

const ChildCount = wholeIn(0, MAX_CHILDREN, "expected a whole number of children from 0 to 100,000,000")

/** Children by age: 18 counts, for each single year of age 0 to 17, or bands of whole years covering 0-17
 * (a band's children spread evenly over its years). */
export const PopulationByAge = Schema.Array(
  Schema.Union(ChildCount, Schema.Struct({ ages: AgeBand, children: ChildCount }))
)
export type PopulationByAge = typeof PopulationByAge.Type

/** The population projected at a date (ONS-style projected counts by year): by age, in total, or as a
 * multiple of the start's. Between two points the population changes linearly; after the last, it stays. */
export const PopulationPoint = Schema.Struct({
  /** A year's mid-year population (30 June, as ONS publishes), or at `date`. */
  year: Schema.optional(wholeIn(FIRST_YEAR, LAST_YEAR, `expected a year from ${FIRST_YEAR} to ${LAST_YEAR}`)),
  date: Schema.optional(IsoDate),
  byAge: Schema.optional(PopulationByAge),
  children: Schema.optional(ChildCount),
  multiplier: Schema.optional(Multiplier),
  label: Schema.optional(Name)
})
export type PopulationPoint = typeof PopulationPoint.Type

export const Population = Schema.Struct({
  /** Children aged 0-17 on the start date. */
  children: ChildCount,
  growthPerYear: Schema.optionalWith(Rate, { default: () => 0 }),
  /** Children by single year of age (or bands) on the start date; they add up to `children`. With it,
   * referrals by age follow the population's age structure. */
  byAge: Schema.optional(PopulationByAge),
  /** The population projected over the run (instead of `growthPerYear`). */
  projection: Schema.optional(Schema.NonEmptyArray(PopulationPoint))
})
export type Population = typeof Population.Type

export const RateChange = Schema.Struct({
  from: IsoDate,
  multiplier: Multiplier,
  /** The last day but one it applies: from this date the rate is as if it had not happened. */
  until: Schema.optional(IsoDate),
  /** The multiplier's excess over 1 halves every so many months (a shock that wears off). */
  halfLifeMonths: Schema.optional(positiveUpTo(1200, "expected a half-life in months above 0 (at most 1,200)")),
  label: Schema.optional(Name)
})

export const AgeShare = Schema.Struct({
  ages: AgeBand,
  share: NonNegativeNumber,
  /** How old within the band: the time past the band's youngest birthday (e.g. for [0, 0], the age in days or
   * weeks of a child under 1); default uniform over the band. */
  within: Schema.optional(DistributionSpec)
})
export type AgeShare = typeof AgeShare.Type

/** A change of the share of contacts that become referrals, from a date. */
export const ShareChange = Schema.Struct({ from: IsoDate, share: Probability, label: Schema.optional(Name) })

/**
 * Contacts at the front door (instead of `ratePer10k`): contacts about children not currently known arrive
 * as the process (seasonality, trend, changes), and a share of them become referrals; the others are counted.
 */
export const Contacts = Schema.Struct({
  /** Contacts a year (not scaled by the population), or per 10,000 children a year (scaled by it). */
  perYear: Schema.optional(finiteIn(0, 1e8, "expected a number of contacts a year from 0 to 100,000,000")),
  per10k: Schema.optional(
    finiteIn(0, 1e6, "expected a number >= 0 (contacts per 10,000 children a year, at most 1,000,000)")
  ),
  /** Changes of the contact rate from a date, as referral changes (steps, ends, half-lives). */
  changes: Schema.optionalWith(Schema.Array(RateChange), { default: () => [] }),
  /** The share of contacts that become referrals, and its changes over time. */
  toReferral: Probability,
  toReferralChanges: Schema.optionalWith(Schema.Array(ShareChange), { default: () => [] })
})
export type Contacts = typeof Contacts.Type

// Sibling groups (families): referrals arriving as families, with decisions shared within a family

/** How strongly siblings follow the eldest's decisions: one chance for every decision, or one per decision. */
export const FamilyCorrelation = Schema.Union(
  Probability,
  Schema.Struct({
    /** The front door's decision on the family's referral (and a re-referral's). */
    frontDoor: Probability,
    /** The decision at the end of an episode below care: stepped up or down, into care, closed. */
    helpLevels: Probability,
    /** The decision at the end of a care episode: leaving care together. */
    lookedAfter: Probability
  })
).annotations({ identifier: "a chance from 0 to 1, or { frontDoor, helpLevels, lookedAfter }" })
export type FamilyCorrelation = typeof FamilyCorrelation.Type

export const Families = Schema.Struct({
  /** What `referrals.ratePer10k` counts: children referred (families then arrive at that rate divided by the
   * mean family size), or families referred. */
  rateCounts: Schema.Literal("children", "families"),
  /** Shares of families of 1, 2, 3, ... children (at most 12). */
  size: Schema.NonEmptyArray(NonNegativeNumber).pipe(
    Schema.maxItems(12, { message: () => "expected shares of family sizes 1 to at most 12" })
  ),
  /** The time between one sibling's birth and the next younger one's (cut so no sibling is born after the
   * referral). */
  spacing: DistributionSpec,
  /** The chance that a sibling follows the eldest's decision (same destination, same time). */
  correlation: FamilyCorrelation,
  /** The chance that a sibling who comes into care with the eldest is placed with them (same placement). */
  placedTogether: Probability
})
export type Families = typeof Families.Type

export const Referrals = Schema.Struct({
  /** Referrals of children not currently known, per 10,000 children per year (re-referrals come on top);
   * or `contacts`. */
  ratePer10k: Schema.optional(
    finiteIn(0, 1e6, "expected a number >= 0 (referrals per 10,000 children a year, at most 1,000,000)")
  ),
  contacts: Schema.optional(Contacts),
  /** Relative weight of each calendar month, January first; normalised to average 1. */
  seasonality: Schema.optional(Schema.Array(NonNegativeNumber).pipe(Schema.itemsCount(12))),
  /** Compound yearly change in the rate. */
  trendPerYear: Schema.optionalWith(Rate, { default: () => 0 }),
  /** Step changes: from each date the rate is multiplied (changes compound). */
  changes: Schema.optionalWith(Schema.Array(RateChange), { default: () => [] }),
  ageAtReferral: Schema.NonEmptyArray(AgeShare),
  /** Referrals of unborn children: this share of new referrals, made `before` the birth (at most 40 weeks);
   * a child the front door or a plan takes into care before birth comes into care at birth. */
  preBirth: Schema.optional(Schema.Struct({ share: Probability, before: DistributionSpec })),
  frontDoor: OutcomeTable,
  reReferral: ReReferral,
  /** Referrals as sibling groups; absent: every referral is one child on their own. */
  families: Schema.optional(Families)
})
export type Referrals = typeof Referrals.Type

/** A weekly amount for each UASC child in care or supported as a care leaver (a cost, or a grant received). */
export const UascWeekly = Schema.Struct({
  name: Name,
  budgetLine: Name,
  perWeek: Pounds,
  level: Schema.Literal("looked_after", "care_leaver"),
  inflation: Schema.optional(Rate)
})
export type UascWeekly = typeof UascWeekly.Type

/**
 * Unaccompanied asylum-seeking children: a stream of arrivals of their own, straight into care (by the route
 * `via`), with their own ages, placements, time in care and ways out, their own cost lines and the Home
 * Office grant as income.
 */
export const Uasc = Schema.Struct({
  /** Arrivals a year (spontaneous arrivals and transfers under the National Transfer Scheme together). */
  perYear: finiteIn(0, 1e6, "expected a number of arrivals a year from 0 to 1,000,000"),
  /** Changes of the arrival rate from a date (e.g. the National Transfer Scheme made mandatory). */
  changes: Schema.optionalWith(Schema.Array(RateChange), { default: () => [] }),
  ageAtArrival: Schema.NonEmptyArray(AgeShare),
  /** The route their entry into care is logged with (what one-off costs and legal-status rows can name). */
  via: Schema.optionalWith(Name, { default: () => "uasc" }),
  placements: PlacementMixTable,
  /** Time in care (default: looked_after.duration); most stay until 18. */
  duration: Schema.optional(DurationSpec),
  /** How a care episode ends before 18 (default: looked_after.outcomes). */
  outcomes: Schema.optional(CareExitTable),
  /** Weekly costs of their own (on top of the placement's), and grants received (income). */
  costs: Schema.optionalWith(Schema.Array(UascWeekly), { default: () => [] }),
  grants: Schema.optionalWith(Schema.Array(UascWeekly), { default: () => [] })
})
export type Uasc = typeof Uasc.Type

// ---------------------------------------------------------------------------------------------------------
// History before the run: previous child protection plans and care episodes

/** Shares of children by how many times before: none, one, two or more (must sum to 1). */
export const PreviousShares = Schema.Struct({
  none: Schema.optionalWith(NonNegativeNumber, { default: () => 0 }),
  one: Schema.optionalWith(NonNegativeNumber, { default: () => 0 }),
  twoOrMore: Schema.optionalWith(NonNegativeNumber, { default: () => 0 })
})
export type PreviousShares = typeof PreviousShares.Type

/** How many child protection plans and care episodes children had had before (each drawn on its own). */
export const PreviousHistory = Schema.Struct({
  previousCpPlans: Schema.optional(PreviousShares),
  previousCareEpisodes: Schema.optional(PreviousShares)
})
export type PreviousHistory = typeof PreviousHistory.Type

/** A relative risk: how many times as likely (1: no change). */
export const RelativeRisk = finiteIn(0, 100, "expected a relative risk from 0 to 100 (1: no change)")

/**
 * Children's histories, and what a previous plan or care episode changes. A relative risk multiplies the
 * weight of the moves into child protection (or into care) among a decision's outcomes, which are then
 * renormalised, and the chance that a closed case is re-referred (capped at 1).
 */
export const History = Schema.Struct({
  /** New referrals (children not known during the run) who have had plans or care episodes before it. */
  newReferrals: Schema.optional(PreviousHistory),
  /** For a child who has had a child protection plan before (before the run or during it). */
  previousCpPlan: Schema.optionalWith(
    Schema.Struct({
      toChildProtection: Schema.optionalWith(RelativeRisk, { default: () => 1 }),
      reReferral: Schema.optionalWith(RelativeRisk, { default: () => 1 })
    }),
    { default: () => ({ toChildProtection: 1, reReferral: 1 }) }
  ),
  /** For a child who has been looked after before. */
  previousCareEpisode: Schema.optionalWith(
    Schema.Struct({
      toLookedAfter: Schema.optionalWith(RelativeRisk, { default: () => 1 }),
      reReferral: Schema.optionalWith(RelativeRisk, { default: () => 1 })
    }),
    { default: () => ({ toLookedAfter: 1, reReferral: 1 }) }
  )
})
export type History = typeof History.Type

export const StartingGroup = Schema.Struct({
  /** An open level, or `universal` for cases closed before the start that may be re-referred. */
  level: Schema.Literal("universal", ...OpenLevel.literals),
  placement: Schema.optional(Placement),
  /** Looked-after children's legal statuses (default: the last row of legalStatus.onEntry). */
  legalStatus: Schema.optional(LegalStatusMix),
  count: WholeCount,
  ages: AgeBand,
  /** How old within the band (as in referrals.ageAtReferral); default uniform over the band. */
  within: Schema.optional(DistributionSpec),
  /** Time already spent at the level (in care: in this care episode). Default: the equilibrium age of an
   * episode in progress under the level's duration distribution. For `universal`: time since the case
   * closed; default uniform over the last 12 months. */
  elapsed: Schema.optional(DistributionSpec),
  /** For children known one by one (`caseflow forecast --caseload`): the date of birth of every child of the
   * group (`ages` must hold their age on the start date); default: uniform within `ages`. */
  dateOfBirth: Schema.optional(IsoDate),
  /** The day the episode at the level began (in care: the period of care; for `universal`: the day the case
   * closed), instead of `elapsed`. */
  since: Schema.optional(IsoDate),
  /** Child protection plans and care episodes before the current one (default: none). */
  history: Schema.optional(PreviousHistory),
  /** Unaccompanied asylum-seeking children (looked after or care leavers; default: not). */
  uasc: Schema.optional(Schema.Boolean),
  /** Age on entry into care (in care, without `elapsed` or `since`): the law of the age children come into
   * care at, from which ages and times in care are drawn jointly; default: referrals.ageAtReferral. */
  ageOnEntry: Schema.optional(Schema.NonEmptyArray(AgeShare)),
  /** Sibling groups (with referrals.families): the group's children come in families whose sizes are drawn
   * from referrals.families.size, each family's eldest the oldest; default: every child on their own. */
  families: Schema.optional(Schema.Boolean)
})
export type StartingGroup = typeof StartingGroup.Type

// ---------------------------------------------------------------------------------------------------------
// Costs

export const WeeklyCost = Schema.Struct({
  name: Name,
  budgetLine: Name,
  perWeek: Pounds,
  level: Schema.optional(OpenLevel),
  placement: Schema.optional(Placement),
  inflation: Schema.optional(Rate),
  /** Looked-after children holding one of these legal statuses (needs levels.looked_after.legalStatus). */
  legalStatus: Schema.optional(Schema.NonEmptyArray(LegalStatus))
})
export type WeeklyCost = typeof WeeklyCost.Type

export const OneOffCost = Schema.Struct({
  name: Name,
  budgetLine: Name,
  amount: Pounds,
  /** Which events incur it: every field given must match. */
  on: Schema.Struct({
    event: Schema.optional(Schema.Literal(...EVENT_TAGS)),
    from: Schema.optional(ChildState),
    to: Schema.optional(ChildState),
    via: Schema.optional(Name),
    reason: Schema.optional(Name),
    placement: Schema.optional(Placement),
    /** The legal status a LegalStatusChanged event sets (e.g. C1: care proceedings issued). */
    legalStatus: Schema.optional(LegalStatus)
  }),
  inflation: Schema.optional(Rate)
})
export type OneOffCost = typeof OneOffCost.Type

export const FixedCost = Schema.Struct({
  name: Name,
  budgetLine: Name,
  perYear: SignedPounds,
  inflation: Schema.optional(Rate)
})
export type FixedCost = typeof FixedCost.Type

export const Costs = Schema.Struct({
  /** Financial year the unit costs are priced in; default the run's first. */
  priceBase: Schema.optional(FinancialYearLabel),
  /** Default yearly price inflation of every cost line. */
  inflation: Schema.optionalWith(Rate, { default: () => 0 }),
  weekly: Schema.optionalWith(Schema.Array(WeeklyCost), { default: () => [] }),
  oneOff: Schema.optionalWith(Schema.Array(OneOffCost), { default: () => [] }),
  fixed: Schema.optionalWith(Schema.Array(FixedCost), { default: () => [] })
})
export type Costs = typeof Costs.Type

export const BudgetLine = Schema.Struct({
  name: Name,
  /** Budget by financial year, e.g. { "2025/26": 28028770 } (each key checked by `financialYearProblem`). */
  budget: Schema.optional(Schema.Record({ key: Schema.String, value: SignedPounds }))
})

// ---------------------------------------------------------------------------------------------------------
// Capacity-limited services, interventions and the workforce

/** A change in a service's places from a date. */
export const PlacesChange = Schema.Struct({ from: IsoDate, places: WholeCount })

/** What happens to a child who needs a place when the service is full. */
export const WhenFull = Schema.Union(
  /** Join the waiting list and wait for a place (staying where they are meanwhile). */
  Schema.Struct({ action: Schema.Literal("wait") }),
  /** Join the waiting list; while waiting, step up to `to` after a time drawn from `after` (unless a place
   * comes first). */
  Schema.Struct({ action: Schema.Literal("escalate"), to: ChildState, after: DistributionSpec }),
  /** Do not wait: take the alternative route at once (another level, or another placement type). */
  Schema.Struct({ action: Schema.Literal("alternative"), to: Schema.Union(ChildState, Placement) })
).annotations({ identifier: "{ action: wait } | { action: escalate, to, after } | { action: alternative, to }" })
export type WhenFull = typeof WhenFull.Type

/**
 * A service with a limited number of places: children at a level (e.g. an IFS team) or in a placement
 * type (in-house foster carers) each take one place.
 */
export const Service = Schema.Struct({
  name: Name,
  /** The level whose children need a place (exactly one of level / placement). */
  level: Schema.optional(HelpLevel),
  /** The placement type whose children need a place. */
  placement: Schema.optional(Placement),
  places: WholeCount,
  /** Later changes to the number of places (a child already in a place keeps it when places fall). */
  changes: Schema.optionalWith(Schema.Array(PlacesChange), { default: () => [] }),
  /** Who gets a freed place first: the longest waiting (fifo), or by the level the child waits at. */
  queue: Schema.optionalWith(Schema.Literal("fifo", "priority"), { default: () => "fifo" as const }),
  /** For `queue: priority`: levels a waiting child is at, highest priority first (then fifo). */
  priority: Schema.optional(Schema.Array(ChildState)),
  whenFull: WhenFull,
  /** What takes a place: a child, or a family (siblings in the service together take one place); families
   * needs referrals.families. */
  counts: Schema.optionalWith(Schema.Literal("children", "families"), { default: () => "children" as const })
})
export type Service = typeof Service.Type

/** A multiplier on one move: the chance of taking it is multiplied, the other outcomes share the rest. */
export const MoveEffect = Schema.Struct({
  from: Schema.optional(ChildState),
  to: ChildState,
  multiplier: Multiplier
})
export type MoveEffect = typeof MoveEffect.Type

/** The Green Book / GMCA confidence grade of the evidence (1 best, 6 weakest). */
export const ConfidenceGrade = Schema.Number.pipe(Schema.int(), Schema.between(1, 6)).annotations({
  message: () => "expected a confidence grade from 1 (best evidence) to 6 (weakest)"
})

/** A quota's reviews in a month, or in a year (spread over its months); from a date, a new count. */
const QuotaCount = {
  perMonth: Schema.optional(wholeIn(0, MAX_COUNT, "expected a whole number of reviews a month >= 0")),
  perYear: Schema.optional(wholeIn(0, MAX_COUNT, "expected a whole number of reviews a year >= 0"))
}

/** How a quota chooses among the eligible open cases. */
export const QUOTA_RULES = ["longest_first", "shortest_first", "oldest_first", "youngest_first", "random"] as const
/** When in each month a quota's reviews happen. */
export const QUOTA_TIMINGS = ["first_working_day", "spread"] as const

export const Quota = Schema.Struct({
  ...QuotaCount,
  /** Later counts, each from a date (a count target that changes over time). */
  changes: Schema.optionalWith(Schema.Array(Schema.Struct({ from: IsoDate, ...QuotaCount })), {
    default: () => []
  }),
  /** longest_first: the longest at the level (in care) so far first; oldest_first: by age; random. */
  choose: Schema.optionalWith(Schema.Literal(...QUOTA_RULES), { default: () => "longest_first" as const }),
  /** first_working_day: all the month's reviews on its first Monday to Friday; spread: evenly through it. */
  when: Schema.optionalWith(Schema.Literal(...QUOTA_TIMINGS), { default: () => "first_working_day" as const })
})
export type Quota = typeof Quota.Type

export const InterventionStaff = Schema.Struct({
  role: Name,
  /** A workforce team these posts join: they hold that team's cases (so less agency cover is needed) but
   * are paid here, as part of the investment. */
  team: Schema.optional(Name),
  fte: Fte,
  perWeek: Pounds
})

export const Intervention = Schema.Struct({
  name: Name,
  /** Where the effect sizes come from (cited in reports). */
  evidence: Schema.optional(LongText),
  /** Confidence grade of the evidence: sets the optimism-bias adjustment unless `optimismBias` is given. */
  confidence: ConfidenceGrade,
  optimismBias: Schema.optional(Probability),
  /** Share of the benefit that would have happened anyway. */
  deadweight: Schema.optionalWith(Probability, { default: () => 0 }),
  /** First day children can start it. */
  start: IsoDate,
  /** Last day children can start it (default: the end of the run); staff costs stop here. */
  end: Schema.optional(IsoDate),
  /** Months over which places and staff build up linearly from the start (0: all at once). */
  rampUpMonths: Schema.optionalWith(wholeIn(0, 600, "expected a whole number of months from 0 to 600"), {
    default: () => 0
  }),
  /** Which children it intercepts: a move about to be made (from / to / via) by a child of the given ages. */
  eligibility: Schema.optional(
    Schema.Struct({
      from: Schema.optional(ChildState),
      to: Schema.optional(ChildState),
      via: Schema.optional(Name),
      ages: Schema.optional(AgeBand),
      /** Looked-after children with one of these legal statuses only (e.g. [V2]: section 20 reviews). */
      legalStatus: Schema.optional(Schema.NonEmptyArray(LegalStatus)),
      /** Unaccompanied asylum-seeking children only (true) or other children only (false); default: both. */
      uasc: Schema.optional(Schema.Boolean),
      /** Share of eligible children (families) who take it up. */
      uptake: Schema.optionalWith(Probability, { default: () => 1 }),
      /** Also offer it, when it starts, to children already at `to` (of the given ages): e.g. "children on
       * CP plans aged 10-15" includes plans that began before the intervention did. */
      openCases: Schema.optionalWith(Schema.Boolean, { default: () => false }),
      /** For a quota: the level the open cases it reviews are at (looked_after: children in care). */
      level: Schema.optional(EpisodeLevel),
      /** For a quota: looked-after children in one of these placement types only. */
      placements: Schema.optional(Schema.NonEmptyArray(Placement)),
      /** For a quota: the time the child has been at the level so far (in care: since the episode began). */
      timeAtLevel: Schema.optional(
        Schema.Struct({ atLeast: Schema.optional(TimeOrZero), atMost: Schema.optional(TimeOrZero), unit })
      )
    })
  ),
  /** A count target: review so many eligible open cases a month (or a year), chosen by a stated rule. */
  quota: Schema.optional(Quota),
  /** Places at once (none: unlimited): fixed, or workers x cases per worker. */
  capacity: Schema.optional(
    Schema.Union(Schema.Struct({ places: WholeCount }), Schema.Struct({ workers: Fte, casesPerWorker: PositiveNumber }))
  ),
  /** How long a child holds a place. */
  duration: Schema.optional(DistributionSpec),
  /** When every place is taken: `alternative` (the child carries on untreated) or `wait`. */
  whenFull: Schema.optionalWith(Schema.Literal("alternative", "wait"), { default: () => "alternative" as const }),
  effects: Schema.optionalWith(
    Schema.Struct({
      /** The intercepted move goes to this level instead (e.g. child_in_need -> intensive_family_support). */
      redirectTo: Schema.optional(HelpLevel),
      /** Multipliers on moves while the effect lasts; on the intercepted move itself, the multiplier is the
       * chance that the move still happens. */
      moves: Schema.optionalWith(Schema.Array(MoveEffect), { default: () => [] }),
      /** Multipliers on time at a level (or in care) for episodes that start while the effect lasts. */
      durations: Schema.optionalWith(
        Schema.Array(
          Schema.Struct({
            level: OpenLevel,
            multiplier: positiveUpTo(MAX_MULTIPLIER, "expected a multiplier above 0 (at most 1,000)")
          })
        ),
        {
          default: () => []
        }
      ),
      /** Multipliers on the placement shares on entry to care while the effect lasts. */
      placementMix: Schema.optional(Schema.partial(Schema.Record({ key: Placement, value: Multiplier }))),
      /** Places added to named services (e.g. in-house foster carers recruited), built up over the ramp-up;
       * they stay after the end (the end stops the spending and new starts, not what was built). */
      places: Schema.optionalWith(
        Schema.Array(
          Schema.Struct({
            service: Name,
            add: wholeIn(
              -MAX_COUNT,
              MAX_COUNT,
              "expected a whole number of places within 1,000,000,000 either side of 0"
            )
          })
        ),
        {
          default: () => []
        }
      ),
      /** How long the effect lasts from the day the child starts (default 2 years). */
      lasts: Schema.optional(DistributionSpec),
      /** For a quota: a review ends the stay under way now with this chance (a step down, a case closed,
       * or leaving care by `reason`). */
      endStay: Schema.optional(
        Schema.Struct({
          probability: Probability,
          to: ChildState,
          reason: Schema.optional(Schema.Literal(...new Set([...LEFT_CARE_REASONS, ...CLOSURE_REASONS])))
        })
      ),
      /** For a quota: a review (that does not end the stay) scales what remains of the stay under way. */
      shortenStay: Schema.optional(Schema.Struct({ multiplier: Multiplier }))
    }),
    { default: () => ({ moves: [], durations: [], places: [] }) }
  ),
  costs: Schema.Struct({
    budgetLine: Name,
    staff: Schema.optionalWith(Schema.Array(InterventionStaff), { default: () => [] }),
    /** One-off set-up cost, charged in the month the intervention starts. */
    setUp: Schema.optionalWith(Pounds, { default: () => 0 }),
    /** Other running costs per year (pro rata from start to end). */
    perYear: Schema.optionalWith(Pounds, { default: () => 0 }),
    /** Cost per child (family) who starts it. */
    perChild: Schema.optionalWith(Pounds, { default: () => 0 }),
    inflation: Schema.optional(Rate)
  })
})
export type Intervention = typeof Intervention.Type

/** A team whose workers hold the cases at some levels (or placements), at a target caseload. */
export const Team = Schema.Struct({
  name: Name,
  budgetLine: Name,
  /** Levels whose children count in this team's caseload (looked_after: every placement). */
  levels: Schema.NonEmptyArray(OpenLevel),
  /** Target cases (children) per full-time worker, e.g. 18. */
  targetCaseload: PositiveNumber,
  /** Permanent posts (FTE) in the establishment; a change from a date is allowed. */
  establishment: Fte,
  establishmentChanges: Schema.optionalWith(Schema.Array(Schema.Struct({ from: IsoDate, fte: Fte })), {
    default: () => []
  }),
  /** Share of permanent posts vacant (covered by agency staff when the caseload needs them). */
  vacancyRate: Schema.optionalWith(Probability, { default: () => 0 }),
  permanentPerWeek: Pounds,
  agencyPerWeek: Pounds,
  inflation: Schema.optional(Rate),
  /** What a case is: a child, or a family (siblings at the team's levels together count once, e.g. an IFS
   * worker holding 8 families); families needs referrals.families. */
  counts: Schema.optionalWith(Schema.Literal("children", "families"), { default: () => "children" as const })
})
export type Team = typeof Team.Type

/** The names of a team's two spend lines. */
export const staffLineNames = (team: string) => ({
  permanent: `${team}: permanent staff`,
  agency: `${team}: agency staff`
})

// ---------------------------------------------------------------------------------------------------------
// Dated changes: a price, a duration, an outcome's chance or the placement mix, multiplied from a date

/**
 * A change from a date (to `until`, inclusive, or the end of the run), outside any intervention: exactly one
 * of `price` (weekly and one-off cost lines, from the first of a month), `duration` (stays at a level that
 * begin in the window), `outcome` (the chance of one move, for decisions in the window; the other outcomes
 * share the rest) with its `multiplier`, or `placementMix` (multipliers on the shares of first placements).
 */
export const DatedChange = Schema.Struct({
  /** A label for the change (e.g. "External residential prices +8%"). */
  name: Schema.optional(Name),
  from: IsoDate,
  until: Schema.optional(IsoDate),
  /** Which cost lines: one line by name, or the weekly lines of a placement type or a level. */
  price: Schema.optional(
    Schema.Struct({
      line: Schema.optional(Name),
      placement: Schema.optional(Placement),
      level: Schema.optional(OpenLevel)
    })
  ),
  duration: Schema.optional(Schema.Struct({ level: EpisodeLevel })),
  outcome: Schema.optional(Schema.Struct({ level: DecidingState, to: ChildState })),
  multiplier: Schema.optional(Multiplier),
  placementMix: Schema.optional(Schema.partial(Schema.Record({ key: Placement, value: Multiplier })))
})
export type DatedChange = typeof DatedChange.Type

// ---------------------------------------------------------------------------------------------------------

export const Scenario = Schema.Struct({
  name: Name,
  description: Schema.optional(LongText),
  /** First day simulated (a financial year starts on 1 April). */
  start: IsoDate,
  /** Default run length in calendar years. */
  years: Schema.Number.pipe(Schema.int(), Schema.between(1, MAX_RUN_YEARS)).annotations({
    message: () => `expected a whole number of years from 1 to ${MAX_RUN_YEARS}`
  }),
  seed: Schema.optionalWith(
    wholeIn(SEED_MIN, SEED_MAX, "expected a whole number (at most 2^53 - 1 either side of 0)"),
    { default: () => 1 }
  ),
  population: Population,
  referrals: Referrals,
  /** Unaccompanied asylum-seeking children (none by default). */
  uasc: Schema.optional(Uasc),
  levels: Levels,
  startingCaseload: Schema.optionalWith(Schema.Array(StartingGroup), { default: () => [] }),
  budgetLines: Schema.optionalWith(Schema.Array(BudgetLine), { default: () => [] }),
  costs: Costs,
  services: Schema.optionalWith(Schema.Array(Service), { default: () => [] }),
  interventions: Schema.optionalWith(Schema.Array(Intervention), { default: () => [] }),
  workforce: Schema.optionalWith(Schema.Array(Team), { default: () => [] }),
  /** Dated changes to prices, durations, outcomes and the placement mix (none by default). */
  changes: Schema.optionalWith(Schema.Array(DatedChange), { default: () => [] }),
  /** Previous child protection plans and care episodes, and what they change (none by default). */
  history: Schema.optional(History)
})
export type Scenario = typeof Scenario.Type
export type ScenarioEncoded = typeof Scenario.Encoded
