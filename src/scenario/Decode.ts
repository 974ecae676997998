/**
 * Parsed scenario data to a `Scenario`: Schema decoding (each field's type and range; unknown fields are
 * errors), then the checks that span fields (`Validate.ts`). The one place a scenario is decoded.
 *
 * When decoding fails, the cross-field checks still run on the parts that did decode (each section,
 * each level, each entry of a list decoded on its own), so one pass reports every problem it can find.
 */
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { describeKind } from "../domain/Show.js"
import { formatPath, type Locate, ScenarioError, type ScenarioProblem, schemaProblems } from "./Problems.js"
import {
  BudgetLine,
  CareLeaverSpec,
  FixedCost,
  HelpLevelSpec,
  History,
  Intervention,
  LookedAfterSpec,
  OneOffCost,
  Population,
  Referrals,
  Scenario,
  Service,
  StartingGroup,
  Team,
  DatedChange,
  Uasc,
  WeeklyCost
} from "./Scenario.js"
import { type Holes, type ScenarioParts, validateScenario } from "./Validate.js"

/** Problems have no line (data that came from no file, e.g. a log header or a worker's message). */
export const noLines: Locate = () => ({})

const OPTIONS = { errors: "all", onExcessProperty: "error" } as const
const decode = Schema.decodeUnknownEither(Scenario, OPTIONS)

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v)

/** A value decoded on its own; undefined if it does not decode. */
const one = <A, I>(schema: Schema.Schema<A, I>, v: unknown): A | undefined => {
  const r = Schema.decodeUnknownEither(schema, OPTIONS)(v)
  return Either.isRight(r) ? r.right : undefined
}

/** One field of a struct decoded on its own (its default if absent); undefined if it does not decode. */
const field = <A, I, K extends keyof A & keyof I & string>(
  struct: Schema.Schema<A, I>,
  key: K,
  raw: Record<string, unknown>
): A[K] | undefined => {
  const r = Schema.decodeUnknownEither(
    struct.pipe(Schema.pick(key)),
    OPTIONS
  )(Object.hasOwn(raw, key) ? { [key]: raw[key] } : {})
  return Either.isRight(r) ? (r.right as Pick<A, K>)[key] : undefined
}

/** A list decoded entry by entry (absent: empty; not a list: undefined). */
const list = <A, I>(item: Schema.Schema<A, I>, v: unknown): Holes<A> | undefined =>
  v === undefined ? [] : Array.isArray(v) ? v.map((x) => one(item, x)) : undefined

const helpLevel = (v: unknown): Partial<HelpLevelSpec> | undefined =>
  isRecord(v)
    ? {
        duration: field(HelpLevelSpec, "duration", v),
        outcomes: field(HelpLevelSpec, "outcomes", v),
        reReferral: field(HelpLevelSpec, "reReferral", v)
      }
    : undefined

/** The parts of a scenario that decode, for the cross-field checks of one that does not decode whole. */
export const scenarioParts = (raw: Record<string, unknown>): ScenarioParts => {
  const r = raw.referrals
  const levels = isRecord(raw.levels) ? raw.levels : undefined
  const la = levels?.looked_after
  const placements = isRecord(la) && isRecord(la.placements) ? la.placements : undefined
  const costs = isRecord(raw.costs) ? raw.costs : undefined
  return {
    start: typeof raw.start === "string" ? raw.start : undefined,
    referrals: isRecord(r)
      ? {
          ageAtReferral: field(Referrals, "ageAtReferral", r),
          frontDoor: field(Referrals, "frontDoor", r),
          reReferral: field(Referrals, "reReferral", r),
          seasonality: field(Referrals, "seasonality", r),
          changes: field(Referrals, "changes", r),
          preBirth: field(Referrals, "preBirth", r),
          contacts: field(Referrals, "contacts", r),
          families: field(Referrals, "families", r),
          ratePer10kGiven: r.ratePer10k !== undefined,
          contactsGiven: r.contacts !== undefined
        }
      : undefined,
    population: isRecord(raw.population)
      ? {
          children: field(Population, "children", raw.population),
          growthPerYear: field(Population, "growthPerYear", raw.population),
          byAge: field(Population, "byAge", raw.population),
          projection: field(Population, "projection", raw.population)
        }
      : undefined,
    levels:
      levels === undefined
        ? undefined
        : {
            early_help: helpLevel(levels.early_help),
            intensive_family_support: helpLevel(levels.intensive_family_support),
            child_in_need: helpLevel(levels.child_in_need),
            child_protection: helpLevel(levels.child_protection),
            looked_after: isRecord(la)
              ? {
                  duration: field(LookedAfterSpec, "duration", la),
                  outcomes: field(LookedAfterSpec, "outcomes", la),
                  reReferral: field(LookedAfterSpec, "reReferral", la),
                  legalStatus: field(LookedAfterSpec, "legalStatus", la),
                  ageOnEntry: field(LookedAfterSpec, "ageOnEntry", la),
                  legalStatusGiven: Object.hasOwn(la, "legalStatus"),
                  placements:
                    placements === undefined
                      ? undefined
                      : {
                          onEntry: field(LookedAfterSpec.fields.placements, "onEntry", placements),
                          moves: field(LookedAfterSpec.fields.placements, "moves", placements),
                          atAge: field(LookedAfterSpec.fields.placements, "atAge", placements)
                        }
                }
              : undefined,
            care_leaver: one(CareLeaverSpec, levels.care_leaver)
          },
    uasc: raw.uasc === undefined ? undefined : one(Uasc, raw.uasc),
    startingCaseload: list(StartingGroup, raw.startingCaseload),
    budgetLines: list(BudgetLine, raw.budgetLines),
    costs:
      costs === undefined
        ? undefined
        : {
            weekly: list(WeeklyCost, costs.weekly),
            oneOff: list(OneOffCost, costs.oneOff),
            fixed: list(FixedCost, costs.fixed)
          },
    services: list(Service, raw.services),
    interventions: list(Intervention, raw.interventions),
    workforce: list(Team, raw.workforce),
    changes: list(DatedChange, raw.changes),
    history: raw.history === undefined ? undefined : one(History, raw.history)
  }
}

/** Problems in the order of the files (as first met) and lines they are at; those without a line last. */
const inDocumentOrder = (problems: ReadonlyArray<ScenarioProblem>): Array<ScenarioProblem> => {
  const files = [...new Set(problems.map((p) => p.file ?? ""))]
  return problems
    .map((p, i) => ({ p, i }))
    .sort(
      (a, b) =>
        files.indexOf(a.p.file ?? "") - files.indexOf(b.p.file ?? "") ||
        (a.p.line ?? Infinity) - (b.p.line ?? Infinity) ||
        a.i - b.i
    )
    .map((x) => x.p)
}

/**
 * Decodes and validates already-parsed scenario data, locating problems with `locate` (`file` names the
 * scenario in the error; an overlay's problems also name the file each value came from).
 */
export const decodeScenarioAt = (
  file: string,
  raw: unknown,
  locate: Locate
): Either.Either<Scenario, ScenarioError> => {
  const problem = (path: ReadonlyArray<PropertyKey>, message: string): ScenarioProblem => ({
    path: formatPath(path),
    message,
    ...locate(path)
  })
  if (!isRecord(raw))
    return Either.left(
      new ScenarioError({
        file,
        problems: [{ path: "", message: `expected a scenario (a mapping of fields), found ${describeKind(raw)}` }]
      })
    )
  // A mapping with none of a scenario's fields is some other file (perhaps a private one named by mistake):
  // said without listing what it holds.
  if (!Object.keys(raw).some((k) => Object.hasOwn(Scenario.fields, k)))
    return Either.left(
      new ScenarioError({
        file,
        problems: [
          {
            path: "",
            message:
              `expected a scenario, found a mapping with none of a scenario's fields ` +
              `(${Object.keys(Scenario.fields).join(", ")}): is it a scenario file?`
          }
        ]
      })
    )
  const decoded = decode(raw)
  if (Either.isLeft(decoded)) {
    const types = schemaProblems(raw, decoded.left).map((p) => problem(p.path, p.message))
    const cross = validateScenario(scenarioParts(raw)).map((p) => problem(p.path, p.message))
    return Either.left(new ScenarioError({ file, problems: inDocumentOrder([...types, ...cross]) }))
  }
  const problems = validateScenario(decoded.right)
  if (problems.length > 0)
    return Either.left(
      new ScenarioError({ file, problems: inDocumentOrder(problems.map((p) => problem(p.path, p.message))) })
    )
  return Either.right(decoded.right)
}

/** A single top-level field's decoder (a scenario is a struct of its fields, each decoded on its own). */
const fieldDecoders = new Map(
  Object.entries(Scenario.fields).map(([k, field]) => [
    k,
    Schema.decodeUnknownEither(Schema.Struct({ [k]: field }), OPTIONS) as (
      u: unknown
    ) => Either.Either<Record<string, unknown>, unknown>
  ])
)

/**
 * The same as `decodeScenarioAt(file, raw, locate)`, for data that differs from the data `base` was decoded
 * from only in the top-level fields `changed`: only those are decoded again, the others are `base`'s (a
 * replication of an uncertain scenario changes a few numbers in a scenario that takes milliseconds to
 * decode whole). The result is validated as a whole; data with any problem is decoded whole, so its
 * error is exactly `decodeScenarioAt`'s.
 */
export const decodeScenarioChanged = (
  file: string,
  raw: Readonly<Record<string, unknown>>,
  locate: Locate,
  base: Scenario,
  changed: ReadonlySet<string>
): Either.Either<Scenario, ScenarioError> => {
  const out: Record<string, unknown> = {}
  for (const [k, decodeField] of fieldDecoders) {
    if (!changed.has(k)) {
      if (Object.hasOwn(base, k)) out[k] = base[k as keyof Scenario]
      continue
    }
    const d = decodeField(Object.hasOwn(raw, k) ? { [k]: raw[k] } : {})
    if (Either.isLeft(d)) return decodeScenarioAt(file, raw, locate)
    if (Object.hasOwn(d.right, k)) out[k] = d.right[k]
  }
  const scenario = out as Scenario
  return validateScenario(scenario).length > 0 ? decodeScenarioAt(file, raw, locate) : Either.right(scenario)
}

/** Decodes and validates data from no file (generated scenarios in tests). */
export const decodeScenario = (label: string, raw: unknown): Either.Either<Scenario, ScenarioError> =>
  decodeScenarioAt(label, raw, noLines)
