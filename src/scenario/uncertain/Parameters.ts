/**
 * A scenario with uncertain parameters: the file as written, with some numbers replaced by
 * `{ uncertain: { type, ... } }`, and how to turn it into an ordinary `Scenario` for one replication.
 *
 * The work happens on the raw (encoded) scenario, before Schema decoding:
 * 1. find every `{ uncertain: ... }` node and decode it with its own schema, so a mistake is reported at
 *    its path (`referrals.ratePer10k.uncertain.sd: expected a positive number, found -3`);
 * 2. for a replication, draw one uniform quantile per *factor* (a share name, or an unshared parameter)
 *    from its own stream, `makeStreams(seed, replication)("parameters:<factor>")`, and map it through each
 *    parameter's quantile function;
 * 3. put the values in place, rescale every list that must add up to 1 and holds an uncertain value
 *    (outcome probabilities, placement mixes, age shares at referral, empirical bin shares) by dividing it
 *    by its sum, then decode, validate and compile as usual.
 *
 * At load time the scenario is checked with every parameter at its central value (as written, without
 * rescaling, so the lists must add up to 1 there), and again with each factor at its lowest and highest
 * possible draw (others central) and with all at their lowest and all at their highest, so that a
 * distribution that can reach an invalid value (a negative rate, a probability above 1, a fractional count)
 * is reported before any run rather than in replication 713. Values that are only invalid in combination
 * (two independent draws that cross) can still stop a run; the error then names the replication.
 *
 * Overlays (`extends: <base file>`, see `Overlay.ts`) are resolved first, by the loader (`Load.ts`): the
 * uncertain parameters are found in the merged scenario, so an uncertain overlay can vary a plain baseline
 * and a plain overlay can fix some of an uncertain base's parameters.
 */
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { HELP_LEVELS } from "../../domain/Level.js"
import { show } from "../../domain/Show.js"
import type { StreamFactory } from "../../random/Streams.js"
import { decodeScenarioAt, decodeScenarioChanged } from "../Decode.js"
import { formatPath, type Locate, ScenarioError, schemaProblems, type ScenarioProblem } from "../Problems.js"
import type { Scenario } from "../Scenario.js"
import {
  compileSpec,
  HIGHEST_QUANTILE,
  LOWEST_QUANTILE,
  type ParameterDistribution,
  specProblems,
  toOpenUnit,
  UNCERTAIN_TYPES,
  type UncertainSpec,
  type UncertainType
} from "./Uncertain.js"

export type Path = ReadonlyArray<string | number>

/** One uncertain number in the scenario. */
export interface Parameter {
  readonly path: Path
  /** `referrals.ratePer10k` */
  readonly label: string
  readonly spec: UncertainSpec
  readonly distribution: ParameterDistribution
  /** Index of the factor (the draw) it uses. */
  readonly factor: number
}

/** One independent draw per replication: a share name, or a parameter of its own. */
export interface Factor {
  /** Stream key: `share:<name>` or `path:<label>`. */
  readonly key: string
  /** The share name, or the parameter's path. */
  readonly label: string
  /** Indices of the parameters that use it. */
  readonly members: ReadonlyArray<number>
}

/** A list whose values must add up to 1 and which holds at least one uncertain value. */
export interface SumGroup {
  readonly path: Path
  readonly members: ReadonlyArray<Path>
}

export interface Uncertainty {
  /** The scenario as written (with the uncertain nodes). */
  readonly raw: unknown
  readonly parameters: ReadonlyArray<Parameter>
  readonly factors: ReadonlyArray<Factor>
  readonly groups: ReadonlyArray<SumGroup>
}

// ---------------------------------------------------------------------------------------------------------
// Finding the nodes

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v)

/** Top-level fields that fix the run's shape or identity, and budgets (what spend is compared against). */
const FIXED_FIELDS = new Set(["name", "description", "start", "years", "seed", "budgetLines"])

/**
 * Every `{ uncertain: ... }` node, in document order (uncertain nodes are not searched inside). A YAML
 * alias (`*name`) shares its anchor's node, so a node reached twice is one parameter, at its first path:
 * every place the alias is used gets the same draw.
 */
export const findUncertainNodes = (
  raw: unknown
): Array<{ readonly path: Path; readonly node: Record<string, unknown> }> => {
  const out: Array<{ path: Path; node: Record<string, unknown> }> = []
  const seen = new Set<object>()
  const walk = (v: unknown, path: Array<string | number>) => {
    if (v === null || typeof v !== "object" || seen.has(v)) return
    seen.add(v)
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]))
    else if (isRecord(v)) {
      if ("uncertain" in v) out.push({ path, node: v })
      else for (const k of Object.keys(v)) walk(v[k], [...path, k])
    }
  }
  walk(raw, [])
  return out
}

const valueAt = (root: unknown, path: Path): unknown => {
  let v: unknown = root
  for (const k of path) {
    if (v === null || typeof v !== "object") return undefined
    v = (v as Record<string | number, unknown>)[k]
  }
  return v
}

const setAt = (root: unknown, path: Path, value: unknown): void => {
  let v: unknown = root
  for (let i = 0; i < path.length - 1; i++) v = (v as Record<string | number, unknown>)[path[i]]
  ;(v as Record<string | number, unknown>)[path[path.length - 1]] = value
}

/**
 * The lists that must add up to 1: age shares at referral, outcome probabilities (front door, each level,
 * by age band), placement mixes (on entry, by age band, and each move's destinations), and the bin shares
 * of every empirical distribution.
 */
export const sumToOneLists = (raw: unknown): Array<SumGroup> => {
  const out: Array<SumGroup> = []
  // A list shared through a YAML alias is one list (rescaled once).
  const lists = new Set<object>()
  const arrayOf = (path: Path, key: string) => {
    const list = valueAt(raw, path)
    if (Array.isArray(list) && !lists.has(list)) {
      lists.add(list)
      out.push({ path, members: list.map((_, i) => [...path, i, key]) })
    }
  }
  const recordOf = (path: Path) => {
    const rec = valueAt(raw, path)
    if (isRecord(rec) && !lists.has(rec)) {
      lists.add(rec)
      out.push({ path, members: Object.keys(rec).map((k) => [...path, k]) })
    }
  }
  const outcomeTable = (path: Path) => {
    const t = valueAt(raw, path)
    if (Array.isArray(t)) arrayOf(path, "probability")
    else if (isRecord(t) && Array.isArray(t.byAge))
      t.byAge.forEach((_, i) => arrayOf([...path, "byAge", i, "outcomes"], "probability"))
  }
  arrayOf(["referrals", "ageAtReferral"], "share")
  outcomeTable(["referrals", "frontDoor"])
  for (const level of [...HELP_LEVELS, "looked_after"]) outcomeTable(["levels", level, "outcomes"])
  const onEntry: Path = ["levels", "looked_after", "placements", "onEntry"]
  const mix = valueAt(raw, onEntry)
  if (isRecord(mix) && Array.isArray(mix.byAge)) mix.byAge.forEach((_, i) => recordOf([...onEntry, "byAge", i, "mix"]))
  else recordOf(onEntry)
  const moves = valueAt(raw, ["levels", "looked_after", "placements", "moves"])
  if (isRecord(moves))
    for (const p of Object.keys(moves)) recordOf(["levels", "looked_after", "placements", "moves", p, "to"])
  const visited = new Set<object>()
  const walk = (v: unknown, path: Array<string | number>) => {
    if (v === null || typeof v !== "object" || visited.has(v)) return
    visited.add(v)
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]))
    else if (isRecord(v)) {
      if ("uncertain" in v) return
      if (v.type === "empirical" && Array.isArray(v.bins)) arrayOf([...path, "bins"], "share")
      for (const k of Object.keys(v)) walk(v[k], [...path, k])
    }
  }
  walk(raw, [])
  return out
}

// ---------------------------------------------------------------------------------------------------------
// Decoding the nodes

const TYPE_NAMES = Object.keys(UNCERTAIN_TYPES) as Array<UncertainType>

const decodeNode = (
  path: Path,
  node: Record<string, unknown>
): Either.Either<UncertainSpec, Array<{ path: Path; message: string }>> => {
  const at = [...path, "uncertain"]
  const extra = Object.keys(node).filter((k) => k !== "uncertain")
  if (extra.length > 0)
    return Either.left([
      {
        path,
        message: `an uncertain value is { uncertain: { type, ... } } and nothing else; found also ${extra.join(", ")}`
      }
    ])
  if (path.length > 0 && typeof path[0] === "string" && FIXED_FIELDS.has(path[0]))
    return Either.left([
      {
        path: at,
        message:
          `${path[0]} cannot be uncertain (it fixes the run's shape, identity or the budget spend is ` +
          `compared with)`
      }
    ])
  const spec = node.uncertain
  if (!isRecord(spec))
    return Either.left([
      { path: at, message: `expected { type: ${TYPE_NAMES.join(" | ")}, ... }, found ${show(spec)}` }
    ])
  const type = spec.type
  if (typeof type !== "string" || !(TYPE_NAMES as Array<string>).includes(type))
    return Either.left([
      { path: [...at, "type"], message: `expected one of ${TYPE_NAMES.join(", ")}, found ${show(type)}` }
    ])
  const decoded = Schema.decodeUnknownEither(
    UNCERTAIN_TYPES[type as UncertainType] as Schema.Schema<UncertainSpec, unknown>,
    {
      errors: "all",
      onExcessProperty: "error"
    }
  )(spec)
  if (Either.isLeft(decoded))
    return Either.left(
      schemaProblems(spec, decoded.left).map((p) => ({ path: [...at, ...(p.path as Path)], message: p.message }))
    )
  const problems = specProblems(decoded.right)
  if (problems.length > 0) return Either.left(problems.map((p) => ({ path: [...at, ...p.path], message: p.message })))
  return Either.right(decoded.right)
}

// ---------------------------------------------------------------------------------------------------------
// Substituting values

/**
 * The raw scenario with each parameter set to `values[i]` and, if `rescale`, every list that must add up
 * to 1 and holds an uncertain value divided by its sum. Returns the problems of lists that cannot be
 * rescaled (a sum of 0).
 */
const substitute = (
  u: Uncertainty,
  values: ArrayLike<number>,
  rescale: boolean
): { raw: unknown; problems: Array<{ path: Path; message: string }> } => {
  const raw = structuredClone(u.raw)
  u.parameters.forEach((p, i) => setAt(raw, p.path, values[i]))
  const problems: Array<{ path: Path; message: string }> = []
  if (rescale) {
    for (const g of u.groups) {
      const xs = g.members.map((m) => valueAt(raw, m))
      if (!xs.every((x): x is number => typeof x === "number" && Number.isFinite(x))) continue
      const sum = xs.reduce((a, b) => a + b, 0)
      if (!(sum > 0)) {
        problems.push({
          path: g.path,
          message: `expected shares that add up to more than 0 before rescaling, found ${sum}`
        })
        continue
      }
      g.members.forEach((m, i) => setAt(raw, m, xs[i] / sum))
    }
  }
  return { raw, problems }
}

/** The values of every parameter when factor f is at quantile `q[f]`. */
export const parameterValues = (u: Uncertainty, quantiles: ArrayLike<number>): Float64Array =>
  Float64Array.from(u.parameters.map((p) => p.distribution.quantile(quantiles[p.factor])))

const centralValues = (u: Uncertainty): Float64Array =>
  Float64Array.from(u.parameters.map((p) => p.distribution.central))

/** The scenario data with every uncertain parameter at its central value (as written: lists not rescaled). */
export const centralData = (u: Uncertainty): unknown => substitute(u, centralValues(u), false).raw

/** One uniform quantile per factor for a replication, each from its own stream. */
export const drawQuantiles = (u: Uncertainty, streams: StreamFactory): Float64Array =>
  Float64Array.from(u.factors.map((f) => toOpenUnit(streams(`parameters:${f.key}`)())))

/** What a scenario of one replication is decoded from. */
export interface Decodable {
  readonly label: string
  readonly central: Scenario
  readonly uncertainty: Uncertainty | null
  readonly locate: Locate
}

/**
 * The top-level fields whose data substituting values can change: those holding an object that a value is
 * set in (a parameter's or a rescaled list member's parent). Found by identity, so a YAML alias that shares
 * such an object under another field (the clone shares it too) counts that field as well.
 */
const changedFields = new WeakMap<Uncertainty, ReadonlySet<string>>()
const fieldsChangedBy = (u: Uncertainty): ReadonlySet<string> => {
  let fields = changedFields.get(u)
  if (fields !== undefined) return fields
  const root = u.raw as Record<string, unknown>
  const paths = [...u.parameters.map((p) => p.path), ...u.groups.flatMap((g) => g.members)]
  // A value set at the top level replaces its field; one set deeper changes the object it is set in.
  const parents = new Set(paths.filter((path) => path.length > 1).map((path) => valueAt(root, path.slice(0, -1))))
  const holds = (v: unknown, seen: Set<object>): boolean => {
    if (v === null || typeof v !== "object" || seen.has(v)) return false
    if (parents.has(v)) return true
    seen.add(v)
    return Object.values(v).some((x) => holds(x, seen))
  }
  const top = new Set(paths.filter((path) => path.length === 1).map((path) => String(path[0])))
  fields = new Set(Object.keys(root).filter((k) => top.has(k) || holds(root[k], new Set())))
  changedFields.set(u, fields)
  return fields
}

/** The scenario data of one replication (lists rescaled), or the lists that cannot be rescaled. */
const dataWith = (
  source: Decodable,
  u: Uncertainty,
  values: ArrayLike<number>
): Either.Either<Record<string, unknown>, ScenarioError> => {
  const { raw, problems } = substitute(u, values, true)
  return problems.length > 0
    ? Either.left(
        new ScenarioError({
          file: source.label,
          problems: problems.map((p) => ({ path: formatPath(p.path), message: p.message }))
        })
      )
    : Either.right(raw as Record<string, unknown>)
}

/** The scenario of one replication, given its parameter values (lists rescaled). */
export const scenarioWith = (source: Decodable, values: ArrayLike<number>): Either.Either<Scenario, ScenarioError> => {
  const u = source.uncertainty
  if (u === null) return Either.right(source.central)
  // Only the fields the values are in are decoded again; the rest are the central scenario's.
  return Either.flatMap(dataWith(source, u, values), (raw) =>
    decodeScenarioChanged(source.label, raw, source.locate, source.central, fieldsChangedBy(u))
  )
}

/** The same, its data decoded whole (what `scenarioWith` must equal; tests). */
export const decodedWhole = (source: Decodable, values: ArrayLike<number>): Either.Either<Scenario, ScenarioError> => {
  const u = source.uncertainty
  if (u === null) return Either.right(source.central)
  return Either.flatMap(dataWith(source, u, values), (raw) => decodeScenarioAt(source.label, raw, source.locate))
}

// ---------------------------------------------------------------------------------------------------------
// Preparing a scenario

const quantileText = (q: number): string => (q < 0.5 ? q.toExponential(1) : `1 - ${(1 - q).toExponential(1)}`)

/** A scenario decoded at its central values, with its uncertainty (null: none). */
export interface Analysed {
  readonly central: Scenario
  readonly uncertainty: Uncertainty | null
}

/**
 * Finds and checks a scenario's uncertain parameters, and decodes it at their central values (a scenario
 * without any is simply decoded). `checkExtremes` (on by default) also checks the scenario at each factor's
 * most extreme possible draws; a worker given an already checked scenario skips it.
 */
export const analyseScenario = (
  label: string,
  raw: unknown,
  locate: Locate,
  options: { readonly checkExtremes?: boolean } = {}
): Either.Either<Analysed, ScenarioError> =>
  Either.gen(function* () {
    const nodes = isRecord(raw) ? findUncertainNodes(raw) : []
    if (nodes.length === 0) {
      const central = yield* decodeScenarioAt(label, raw, locate)
      return { central, uncertainty: null }
    }
    const problem = (path: Path, message: string): ScenarioProblem => ({
      path: formatPath(path),
      message,
      ...locate(path)
    })
    // 1. Each node on its own.
    const problems: Array<ScenarioProblem> = []
    const specs: Array<{ path: Path; spec: UncertainSpec }> = []
    for (const { path, node } of nodes) {
      const d = decodeNode(path, node)
      if (Either.isLeft(d)) problems.push(...d.left.map((p) => problem(p.path, p.message)))
      else specs.push({ path, spec: d.right })
    }
    if (problems.length > 0) return yield* Either.left(new ScenarioError({ file: label, problems }))
    // 2. Factors: one per share name (in order of first use), one per unshared parameter.
    const factors: Array<{ key: string; label: string; members: Array<number> }> = []
    const byKey = new Map<string, number>()
    const parameters: Array<Parameter> = specs.map(({ path, spec }, i) => {
      const label = formatPath(path)
      const key = spec.share !== undefined ? `share:${spec.share}` : `path:${label}`
      let f = byKey.get(key)
      if (f === undefined) {
        f = factors.length
        byKey.set(key, f)
        factors.push({ key, label: spec.share ?? label, members: [] })
      }
      factors[f].members.push(i)
      return { path, label, spec, distribution: compileSpec(spec), factor: f }
    })
    const paramPaths = new Set(parameters.map((p) => JSON.stringify(p.path)))
    const groups = sumToOneLists(raw).filter((g) => g.members.some((m) => paramPaths.has(JSON.stringify(m))))
    const u: Uncertainty = { raw, parameters, factors, groups }
    // 3. The scenario at its central values, as written (lists must add up to 1 there).
    const atCentral = decodeScenarioAt(label, substitute(u, centralValues(u), false).raw, locate)
    if (Either.isLeft(atCentral)) {
      const labels = new Set(parameters.map((p) => p.label))
      return yield* Either.left(
        new ScenarioError({
          file: label,
          problems: atCentral.left.problems.map((p) =>
            labels.has(p.path) ? { ...p, message: `${p.message} (the central value of its uncertain distribution)` } : p
          )
        })
      )
    }
    const source: Analysed & Decodable = { label, central: atCentral.right, uncertainty: u, locate }
    if (options.checkExtremes === false) return source
    // 4. Each factor at its extremes, then all at once.
    const seen = new Set<string>()
    const extremes: Array<ScenarioProblem> = []
    const check = (quantiles: ArrayLike<number>, describe: (p: ScenarioProblem) => { path: Path; message: string }) => {
      const r = scenarioWith(source, parameterValues(u, quantiles))
      if (Either.isRight(r)) return
      for (const p of r.left.problems) {
        const d = describe(p)
        const key = `${formatPath(d.path)}|${d.message}`
        if (!seen.has(key)) {
          seen.add(key)
          extremes.push(problem(d.path, d.message))
        }
      }
    }
    factors.forEach((f, fi) => {
      for (const [q, side] of [
        [LOWEST_QUANTILE, "lowest"],
        [HIGHEST_QUANTILE, "highest"]
      ] as const) {
        // This factor at its extreme, every other parameter at its central value.
        const values = parameters.map((p) => (p.factor === fi ? p.distribution.quantile(q) : p.distribution.central))
        const r = scenarioWith(source, values)
        if (Either.isRight(r)) continue
        const drawn = f.members.map((m) => `${parameters[m].label} = ${show(values[m])}`).join(", ")
        for (const p of r.left.problems) {
          // Reported at the parameter whose value is at fault, if the problem is at one; else the factor's first.
          const atIndex = f.members.find((m) => parameters[m].label === p.path) ?? f.members[0]
          const at = parameters[atIndex]
          const integer =
            /whole number|integer/.test(p.message) && at.spec.round !== true && !Number.isInteger(values[atIndex])
          const advice = integer
            ? "add round: true to draw whole numbers"
            : at.spec.type === "normal"
              ? "bound it (normal takes min / max) or narrow it (a smaller sd)"
              : at.spec.type === "lognormal"
                ? "narrow it (a smaller sd)"
                : "narrow its range (min / max)"
          const message =
            p.path === at.label
              ? `its ${side} possible draw (quantile ` +
                `${quantileText(q)}${f.members.length > 1 ? `, with share ${f.label}` : ""}) is not a valid value ` +
                `here: ${p.message}; ${advice}`
              : `with ${f.members.length > 1 ? `share ${f.label}` : "this parameter"} at its ${side} possible draw ` +
                `(${drawn}; quantile ${quantileText(q)}): ${p.path === "" ? "" : `${p.path}: `}${p.message}`
          const key = `${at.label}|${message}`
          if (!seen.has(key)) {
            seen.add(key)
            extremes.push(problem([...at.path, "uncertain"], message))
          }
        }
      }
    })
    if (extremes.length === 0 && factors.length > 1) {
      for (const [q, side] of [
        [LOWEST_QUANTILE, "lowest"],
        [HIGHEST_QUANTILE, "highest"]
      ] as const)
        check(
          factors.map(() => q),
          (p) => ({
            path: [],
            message:
              `with every uncertain parameter at its ${side} possible draw (quantile ${quantileText(q)}): ` +
              `${p.path === "" ? "" : `${p.path}: `}${p.message}`
          })
        )
    }
    if (extremes.length > 0) return yield* Either.left(new ScenarioError({ file: label, problems: extremes }))
    return source
  })
