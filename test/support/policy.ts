/**
 * fast-check arbitraries of capacity-limited services and interventions, added to the generated scenarios
 * of test/support/arbitraries.ts (encoded, as a YAML file would give them; every one must validate).
 *
 * Services: some help levels and some placement types get a service of a few places (0 sometimes), with
 * changes of places during the run, a fifo or priority queue, and each of wait / escalate / alternative
 * (level services) or overflow to another placement (placement services). Alternatives and overflows are
 * drawn along a random order of the services (a service's alternative is a state without a service, or a
 * service later in the order), so they never go round in a circle.
 *
 * Interventions: a start a little before or during the run, sometimes an end, a ramp-up, an eligibility
 * (from / to / via / ages / uptake, any of them), a capacity (places, or workers x cases) with a duration,
 * whenFull alternative or wait, and effects: a redirect, move multipliers (0 sometimes), duration
 * multipliers, a placement-mix multiplier, places added to services, and how long the effect lasts.
 * Sometimes also a quota (a count target on open cases, `quotaArb`): reviews that end or shorten stays.
 */
import * as fc from "fast-check"
import { epochDay, isoOfEpochDay } from "../../src/domain/Calendar.js"
import {
  ALLOWED_MOVES,
  CLOSURE_REASONS,
  EPISODE_LEVELS,
  HELP_LEVELS,
  LEGAL_STATUSES,
  OPEN_LEVELS,
  PLACEMENTS,
  type EpisodeLevel,
  type LegalStatus,
  STATES,
  type ChildState,
  type HelpLevel,
  type Placement
} from "../../src/domain/Level.js"
import { compileModel } from "../../src/model/Model.js"
import { QUOTA_RULES, QUOTA_TIMINGS, type ScenarioEncoded } from "../../src/scenario/Scenario.js"
import { anyDistribution, decodeValid, scenarioEncoded, type GeneratedCase } from "./arbitraries.js"

export type ServiceEncoded = NonNullable<ScenarioEncoded["services"]>[number]
export type InterventionEncoded = NonNullable<ScenarioEncoded["interventions"]>[number]

/** `arb` with weight `given`, undefined with weight `absent`. */
const maybe = <T>(arb: fc.Arbitrary<T>, given = 1, absent = 1): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: absent, arbitrary: fc.constant(undefined) }, { weight: given, arbitrary: arb })

/** Drops keys whose value is undefined, as a YAML mapping would not have them. */
const compact = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T

/** States a level service's alternative or escalation may go to (Validate.ts: not itself, care leaver or exited). */
const ROUTES: ReadonlyArray<ChildState> = ["universal", ...HELP_LEVELS, "looked_after"]

const placesArb = fc.oneof(
  { weight: 1, arbitrary: fc.constant(0) },
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 15 }) }
)

const changesArb = (startDay: number, days: number) =>
  fc
    .array(fc.record({ offset: fc.integer({ min: -30, max: days }), places: fc.integer({ min: 0, max: 15 }) }), {
      maxLength: 3
    })
    .map((cs) => cs.map((c) => ({ from: isoOfEpochDay(startDay + c.offset), places: c.places })))

interface PolicyContext {
  readonly start: string
  readonly years: number
  readonly budgetLine: string
}

/** Level services on some help levels, placement services on some placement types. */
export const servicesArb = (ctx: PolicyContext): fc.Arbitrary<Array<ServiceEncoded>> => {
  const startDay = epochDay(ctx.start)
  const days = Math.round(ctx.years * 365.25)
  const levelServices = fc
    .shuffledSubarray([...HELP_LEVELS], { minLength: 0, maxLength: 4 })
    .chain((levels) =>
      fc.tuple(
        ...levels.map((level, k) => {
          // A later service in the order, or a state with no service.
          const routes = ROUTES.filter((s) => s !== level && !levels.slice(0, k + 1).includes(s as HelpLevel))
          return fc.record({
            level: fc.constant(level),
            places: placesArb,
            changes: maybe(changesArb(startDay, days)),
            queue: fc.constantFrom<"fifo" | "priority" | undefined>(undefined, "fifo", "priority"),
            priority: fc.shuffledSubarray([...STATES], { minLength: 1, maxLength: 5 }),
            whenFull: fc.oneof(
              fc.constant({ action: "wait" as const }),
              fc.record({
                action: fc.constant("escalate" as const),
                to: fc.constantFrom(...ROUTES.filter((s) => s !== level)),
                after: anyDistribution(5, 200)
              }),
              fc.record({ action: fc.constant("alternative" as const), to: fc.constantFrom(...routes) })
            )
          })
        })
      )
    )
    .map((ss) =>
      ss.map((s): ServiceEncoded =>
        compact({
          name: `${s.level} service`,
          level: s.level,
          places: s.places,
          changes: s.changes,
          queue: s.queue,
          priority: s.queue === "priority" ? s.priority : undefined,
          whenFull: s.whenFull
        })
      )
    )
  const placementServices = fc
    .shuffledSubarray([...PLACEMENTS], { minLength: 0, maxLength: 3 })
    .chain((ps) =>
      fc.tuple(
        ...ps.map((placement, k) => {
          const routes = PLACEMENTS.filter((p) => p !== placement && !ps.slice(0, k + 1).includes(p))
          return fc.record({
            placement: fc.constant(placement),
            places: placesArb,
            changes: maybe(changesArb(startDay, days)),
            to: fc.constantFrom(...routes)
          })
        })
      )
    )
    .map((ss) =>
      ss.map((s): ServiceEncoded =>
        compact({
          name: `${s.placement} places`,
          placement: s.placement,
          places: s.places,
          changes: s.changes,
          whenFull: { action: "alternative" as const, to: s.to }
        })
      )
    )
  return fc.tuple(levelServices, placementServices).map(([a, b]) => [...a, ...b])
}

const VIAS = ["assessment", "s47_enquiry", "care_proceedings", "step_up"] as const
const REDIRECTS = ["early_help", "intensive_family_support", "child_in_need", "child_protection"] as const

export interface InterventionOptions {
  /** Names of services whose places an intervention may add to. */
  readonly services: ReadonlyArray<string>
  /** Always give an eligibility (default: sometimes none). */
  readonly eligible?: boolean
  /** Force an age band on the eligibility. */
  readonly ages?: readonly [number, number]
  /** Never add places to services. */
  readonly noPlaces?: boolean
}

/** One intervention, valid for validate.ts. */
export const interventionArb = (
  ctx: PolicyContext,
  name: string,
  o: InterventionOptions
): fc.Arbitrary<InterventionEncoded> => {
  const startDay = epochDay(ctx.start)
  const days = Math.round(ctx.years * 365.25)
  const eligibility = fc
    .record({
      from: maybe(fc.constantFrom(...STATES.filter((s) => s !== "exited" && s !== "care_leaver"))),
      toPick: fc.nat(),
      hasTo: fc.boolean(),
      via: maybe(fc.constantFrom(...VIAS), 1, 4),
      ages: maybe(
        fc
          .tuple(fc.integer({ min: 0, max: 17 }), fc.integer({ min: 0, max: 17 }))
          .map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const)
      ),
      uptake: maybe(fc.double({ min: 0.2, max: 1, noNaN: true }))
    })
    .map((e) => {
      const tos =
        e.from === undefined ? STATES.filter((s) => s !== "care_leaver" && s !== "exited") : ALLOWED_MOVES[e.from]
      return {
        from: e.from,
        to: e.hasTo && tos.length > 0 ? tos[e.toPick % tos.length] : undefined,
        via: e.via,
        ages: o.ages ?? e.ages,
        uptake: e.uptake
      }
    })
  return fc
    .record({
      startOffset: fc.integer({ min: -100, max: Math.min(400, days - 1) }),
      length: maybe(fc.integer({ min: 0, max: 700 })),
      rampUpMonths: maybe(fc.integer({ min: 0, max: 8 })),
      eligibility: o.eligible ? eligibility : maybe(eligibility, 4, 1),
      capacity: maybe(
        fc.oneof(
          fc.record({ places: fc.integer({ min: 0, max: 20 }) }),
          fc.record({
            workers: fc.double({ min: 0, max: 5, noNaN: true }),
            casesPerWorker: fc.double({ min: 0.5, max: 8, noNaN: true })
          })
        ),
        2,
        1
      ),
      duration: maybe(anyDistribution(10, 300)),
      waits: fc.boolean(),
      redirect: maybe(fc.constantFrom(...REDIRECTS)),
      moves: fc.array(
        fc.record({
          from: maybe(fc.constantFrom(...STATES)),
          to: fc.constantFrom(...STATES),
          multiplier: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 3, noNaN: true }))
        }),
        { maxLength: 3 }
      ),
      durations: fc.array(
        fc.record({ level: fc.constantFrom(...OPEN_LEVELS), multiplier: fc.double({ min: 0.2, max: 3, noNaN: true }) }),
        { maxLength: 2 }
      ),
      mix: maybe(
        fc
          .uniqueArray(fc.constantFrom(...PLACEMENTS), { minLength: 1, maxLength: 3 })
          .chain((ps) =>
            fc.tuple(...ps.map((p) => fc.tuple(fc.constant(p), fc.double({ min: 0.1, max: 3, noNaN: true }))))
          )
      ),
      places:
        o.noPlaces || o.services.length === 0
          ? fc.constant([])
          : fc.array(fc.record({ service: fc.constantFrom(...o.services), add: fc.integer({ min: -3, max: 10 }) }), {
              maxLength: 2
            }),
      lasts: maybe(anyDistribution(30, 900)),
      confidence: fc.integer({ min: 1, max: 6 })
    })
    .map((g): InterventionEncoded => {
      const el = g.eligibility
      const duration =
        g.duration ?? (g.capacity !== undefined ? { type: "exponential" as const, mean: 120 } : undefined)
      // A redirect must be a move allowed from the eligibility's `from`, and not out of care.
      const redirectOk =
        el !== undefined &&
        g.redirect !== undefined &&
        el.from !== "looked_after" &&
        (el.from === undefined || ALLOWED_MOVES[el.from].includes(g.redirect))
      const effects =
        el === undefined
          ? compact({ places: g.places.length > 0 ? g.places : undefined })
          : compact({
              redirectTo: redirectOk ? g.redirect : undefined,
              moves: g.moves.map((m) => compact(m)),
              durations: g.durations,
              placementMix:
                g.mix === undefined ? undefined : (Object.fromEntries(g.mix) as Partial<Record<Placement, number>>),
              places: g.places.length > 0 ? g.places : undefined,
              lasts: g.lasts
            })
      return compact({
        name,
        confidence: g.confidence,
        start: isoOfEpochDay(startDay + g.startOffset),
        end: g.length === undefined ? undefined : isoOfEpochDay(startDay + g.startOffset + g.length),
        rampUpMonths: g.rampUpMonths,
        eligibility: el === undefined ? undefined : compact(el),
        capacity: g.capacity,
        duration,
        whenFull: g.capacity !== undefined && g.waits ? ("wait" as const) : undefined,
        effects,
        costs: { budgetLine: ctx.budgetLine, perChild: 100 }
      })
    })
}

/** Where a review may end a stay at each level, with a reason that suits the move (Validate.ts `quota`). */
interface EndStayPick {
  readonly to: ChildState
  readonly reason:
    | (typeof CLOSURE_REASONS)[number]
    | "returned_home"
    | "special_guardianship"
    | "independent_living"
    | undefined
}

const endStayArb = (level: EpisodeLevel): fc.Arbitrary<EndStayPick> => {
  const tos = ALLOWED_MOVES[level].filter((x) => x !== level)
  if (level === "looked_after")
    return fc.constantFrom(
      { to: "child_in_need" as const, reason: "returned_home" as const },
      { to: "universal" as const, reason: "returned_home" as const },
      { to: "exited" as const, reason: "special_guardianship" as const },
      { to: "care_leaver" as const, reason: "independent_living" as const },
      { to: "universal" as const, reason: "other" as const }
    )
  return fc.constantFrom(...tos).chain((to): fc.Arbitrary<EndStayPick> =>
    to === "universal" || to === "exited"
      ? fc.record({
          to: fc.constant(to),
          reason: maybe(fc.constantFrom(...CLOSURE_REASONS.filter((r) => r !== "turned_18")))
        })
      : fc.constant({ to, reason: undefined })
  )
}

export interface QuotaOptions {
  /** The scenario models legal status (a quota may then choose by it). */
  readonly legal: boolean
  /** Only what a review does to the stay under way: no effects on later moves or durations, no capacity. */
  readonly pure?: boolean
}

/**
 * An intervention with a quota (a count target on open cases), valid for Validate.ts: a level, maybe
 * placements and legal statuses (in care), ages and time at the level; a monthly or yearly count, maybe
 * changing; any rule and timing; maybe a capacity; a review that ends the stay with a chance, or shortens it.
 */
export const quotaArb = (ctx: PolicyContext, name: string, o: QuotaOptions): fc.Arbitrary<InterventionEncoded> => {
  const startDay = epochDay(ctx.start)
  const days = Math.round(ctx.years * 365.25)
  const count = fc.oneof(
    fc.record({ perMonth: fc.integer({ min: 0, max: 4 }) }),
    fc.record({ perYear: fc.integer({ min: 0, max: 30 }) })
  )
  return fc.constantFrom(...EPISODE_LEVELS).chain((level) =>
    fc
      .record({
        startOffset: fc.integer({ min: -100, max: Math.min(400, days - 1) }),
        length: maybe(fc.integer({ min: 0, max: 700 })),
        count,
        changes: fc
          .uniqueArray(fc.integer({ min: -30, max: days }), { maxLength: 2 })
          .chain((offsets) =>
            fc.tuple(
              ...[...offsets]
                .sort((a, b) => a - b)
                .map((k) => count.map((c) => ({ from: isoOfEpochDay(startDay + k), ...c })))
            )
          ),
        choose: maybe(fc.constantFrom(...QUOTA_RULES)),
        when: maybe(fc.constantFrom(...QUOTA_TIMINGS)),
        placements: maybe(
          fc
            .uniqueArray(fc.constantFrom(...PLACEMENTS), { minLength: 1, maxLength: 4 })
            .map((ps) => ps as unknown as readonly [Placement, ...Array<Placement>]),
          1,
          2
        ),
        legalStatus: maybe(
          fc
            .uniqueArray(fc.constantFrom(...LEGAL_STATUSES), { minLength: 1, maxLength: 4 })
            .map((ls) => ls as unknown as readonly [LegalStatus, ...Array<LegalStatus>])
        ),
        ages: maybe(
          fc
            .tuple(fc.integer({ min: 0, max: 17 }), fc.integer({ min: 0, max: 17 }))
            .map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const)
        ),
        timeAtLevel: maybe(
          fc
            .tuple(maybe(fc.integer({ min: 0, max: 24 })), maybe(fc.integer({ min: 0, max: 48 })))
            .map(([a, b]) => (a !== undefined && b !== undefined && a > b ? [b, a] : [a, b]))
            .map(([a, b]) => compact({ atLeast: a, atMost: b, unit: "months" as const }))
        ),
        capacity: o.pure ? fc.constant(undefined) : maybe(fc.record({ places: fc.integer({ min: 0, max: 6 }) })),
        duration: anyDistribution(10, 300),
        endStay: maybe(
          fc
            .tuple(endStayArb(level), fc.double({ min: o.pure ? 0.3 : 0, max: 1, noNaN: true }))
            .map(([d, probability]) => compact({ probability, to: d.to, reason: d.reason })),
          3,
          1
        ),
        shortenStay: maybe(fc.record({ multiplier: fc.double({ min: 0, max: 1, noNaN: true }) })),
        lasts: maybe(anyDistribution(30, 900)),
        durations: o.pure
          ? fc.constant([])
          : fc.array(
              fc.record({
                level: fc.constantFrom(...OPEN_LEVELS),
                multiplier: fc.double({ min: 0.2, max: 3, noNaN: true })
              }),
              { maxLength: 1 }
            )
      })
      .map((g): InterventionEncoded =>
        compact({
          name,
          confidence: 3,
          start: isoOfEpochDay(startDay + g.startOffset),
          end: g.length === undefined ? undefined : isoOfEpochDay(startDay + g.startOffset + g.length),
          eligibility: compact({
            level,
            placements: level === "looked_after" ? g.placements : undefined,
            legalStatus: level === "looked_after" && o.legal ? g.legalStatus : undefined,
            ages: g.ages,
            timeAtLevel: g.timeAtLevel
          }),
          quota: compact({
            ...g.count,
            changes: g.changes.length > 0 ? g.changes : undefined,
            choose: g.choose,
            when: g.when
          }),
          capacity: g.capacity,
          duration: g.capacity !== undefined ? g.duration : undefined,
          effects: compact({
            endStay: g.endStay,
            shortenStay: g.shortenStay,
            lasts: g.lasts,
            durations: g.durations.length > 0 ? g.durations : undefined
          }),
          costs: { budgetLine: ctx.budgetLine, perChild: 50 }
        })
      )
  )
}

const hasLegalStatus = (s: ScenarioEncoded): boolean => s.levels.looked_after.legalStatus !== undefined

const contextOf = (s: ScenarioEncoded): PolicyContext => ({
  start: s.start,
  years: s.years,
  budgetLine: s.budgetLines?.[0]?.name ?? s.costs.weekly?.[0]?.budgetLine ?? "Early help"
})

/** A generated scenario with services and interventions. */
export const policyScenarioEncoded: fc.Arbitrary<ScenarioEncoded> = scenarioEncoded.chain((s) => {
  const ctx = contextOf(s)
  return servicesArb(ctx).chain((services) =>
    fc
      .integer({ min: 0, max: 2 })
      .chain((n) =>
        fc.tuple(
          ...Array.from({ length: n }, (_, j) =>
            interventionArb(ctx, `intervention ${j}`, { services: services.map((x) => x.name) })
          ),
          maybe(quotaArb(ctx, "quota", { legal: hasLegalStatus(s) }), 1, 2)
        )
      )
      .map((ivs): ScenarioEncoded => {
        const interventions = ivs.filter((iv): iv is InterventionEncoded => iv !== undefined)
        return { ...s, services, interventions }
      })
  )
})

const caseOf = (encoded: ScenarioEncoded, seed: number): GeneratedCase => {
  const scenario = decodeValid(encoded)
  const g: GeneratedCase = { encoded, scenario, model: compileModel(scenario), seed }
  // Counterexamples print as the scenario file and seed, not the compiled model.
  return Object.assign(g, { [fc.toStringMethod]: () => `seed ${seed}, scenario ${JSON.stringify(encoded)}` })
}

/** A scenario with services and interventions, decoded and compiled, with a seed to run it with. */
export const policyCase: fc.Arbitrary<GeneratedCase> = fc
  .tuple(policyScenarioEncoded, fc.integer({ min: 0, max: 2 ** 31 - 1 }))
  .map(([encoded, seed]) => caseOf(encoded, seed))

/**
 * A baseline with no services and a variant of it with one or two interventions whose eligibility has the
 * age band [10, 15] (and sometimes take-up below 1, a capacity, a waiting list), as a pair of compiled
 * cases with the same seed. No services, and no places added to any: a
 * capacity-limited level or placement shared by treated and untreated children would let a treated child's
 * freed (or taken) place change an untreated child's path.
 */
export interface ArmsCase {
  readonly baseline: GeneratedCase
  readonly variant: GeneratedCase
}

export const armsCase: fc.Arbitrary<ArmsCase> = fc
  .tuple(scenarioEncoded, fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 2 }))
  .chain(([s, seed, n]) =>
    fc
      .tuple(
        ...Array.from({ length: n }, (_, j) =>
          interventionArb(contextOf(s), `intervention ${j}`, {
            services: [],
            eligible: true,
            ages: [10, 15],
            noPlaces: true
          })
        )
      )
      .map((interventions): ArmsCase => {
        const base: ScenarioEncoded = { ...s, services: [], interventions: [] }
        return { baseline: caseOf(base, seed), variant: caseOf({ ...base, interventions }, seed) }
      })
  )
