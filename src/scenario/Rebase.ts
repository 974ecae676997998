/**
 * Counts written per 10,000 children, so that changing `population.children` re-bases a scenario: a
 * council of 80,000 children is the 50,000-child borough's caseload, places, staff and demand-led fixed
 * costs scaled by 1.6, not only its new referrals.
 *
 *   startingCaseload: [{ level: looked_after, placement: ifa_foster, ages: [10, 15], per10k: 12 }]   -> count
 *   services: [{ name: ..., placesPer10k: 46, changes: [{ from: ..., placesPer10k: 50 }] }]          -> places
 *   workforce: [{ name: ..., establishmentPer10k: 17.9, establishmentChanges: [{ from: ..., ftePer10k: 19 }] }]
 *   costs: { fixed: [{ name: ..., perYearPer10k: 279000 }] }                                          -> perYear
 *
 * Each is worked out once, when the scenario is loaded (after an overlay is merged, from the merged
 * `population.children`), into the absolute field (counts and places rounded to whole numbers, FTE to
 * hundredths, money to the penny): what is checked, hashed and logged is the absolute figure. An entry may
 * instead say `absolute: true`: its figure is meant not to scale (a fixed-size team, a building).
 *
 * Warnings (the scenario still runs):
 * - an overlay sets `population.children` while counts its base wrote as absolute figures stay as they
 *   were (they do not scale): write them per 10,000 children, or mark them `absolute: true`;
 * - so too for contacts a year (`referrals.contacts.perYear`), which do not scale with the population;
 * - an overlay moves `start` while dates its base wrote as dates stay where they were: write them relative
 *   to the start (see RelativeDates.ts).
 */
import { show } from "../domain/Show.js"
import { formatPath, type Locate, type ScenarioProblem } from "./Problems.js"
import { RELATIVE_DATE_FIELDS } from "./RelativeDates.js"

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v)

type Kind = "count" | "fte" | "money"

interface PerTenThousand {
  /** The entries' list ("*": any index). */
  readonly list: ReadonlyArray<string>
  readonly per10k: string
  readonly absolute: string
  readonly kind: Kind
  /** What the entries are, for messages. */
  readonly what: string
  /** Whether `absolute: true` may mark an entry (and a warning names its absolute figures). */
  readonly markable: boolean
}

export const PER_10K_FIELDS: ReadonlyArray<PerTenThousand> = [
  {
    list: ["startingCaseload"],
    per10k: "per10k",
    absolute: "count",
    kind: "count",
    what: "starting groups",
    markable: true
  },
  { list: ["services"], per10k: "placesPer10k", absolute: "places", kind: "count", what: "services", markable: true },
  {
    list: ["services", "*", "changes"],
    per10k: "placesPer10k",
    absolute: "places",
    kind: "count",
    what: "changes of places",
    markable: false
  },
  {
    list: ["workforce"],
    per10k: "establishmentPer10k",
    absolute: "establishment",
    kind: "fte",
    what: "teams' establishments",
    markable: true
  },
  {
    list: ["workforce", "*", "establishmentChanges"],
    per10k: "ftePer10k",
    absolute: "fte",
    kind: "fte",
    what: "establishment changes",
    markable: false
  },
  {
    list: ["costs", "fixed"],
    per10k: "perYearPer10k",
    absolute: "perYear",
    kind: "money",
    what: "fixed costs",
    markable: true
  }
]

const MAX: Record<Kind, number> = { count: 10_000, fte: 10_000, money: 1e12 }
const ABSOLUTE = "absolute"

/** Every entry of a list at `pattern` in `v`, with its path. */
const entriesAt = (
  v: unknown,
  pattern: ReadonlyArray<string>,
  at: ReadonlyArray<string | number> = []
): Array<{ entry: Record<string, unknown>; path: ReadonlyArray<string | number> }> => {
  if (pattern.length === 0)
    return Array.isArray(v) ? v.flatMap((e: unknown, i) => (isRecord(e) ? [{ entry: e, path: [...at, i] }] : [])) : []
  const [head, ...rest] = pattern
  if (head === "*") return Array.isArray(v) ? v.flatMap((x: unknown, i) => entriesAt(x, rest, [...at, i])) : []
  return isRecord(v) && Object.hasOwn(v, head) ? entriesAt(v[head], rest, [...at, head]) : []
}

/** `v` with the value at `path` (which exists) replaced by `f` of it; copies only along the path. */
const update = (v: unknown, path: ReadonlyArray<string | number>, f: (x: unknown) => unknown): unknown => {
  if (path.length === 0) return f(v)
  const [head, ...rest] = path
  if (Array.isArray(v) && typeof head === "number") {
    const out = [...v]
    out[head] = update(v[head], rest, f)
    return out
  }
  if (isRecord(v) && typeof head === "string") return { ...v, [head]: update(v[head], rest, f) }
  return v
}

const rounded = (x: number, kind: Kind): number =>
  kind === "count" ? Math.round(x) : kind === "fte" ? Math.round(x * 100) / 100 : Math.round(x * 100) / 100

export interface RebaseResult {
  readonly raw: unknown
  readonly problems: ReadonlyArray<{ readonly path: ReadonlyArray<string | number>; readonly message: string }>
}

/**
 * The scenario with every per-10,000 figure worked out from `population.children` and `absolute` marks
 * removed. Where an entry has both a per-10,000 and an absolute figure, the one written by the more derived
 * file wins (an overlay's `per10k` over its base's `count`, and the other way round); `rank` orders files
 * (0: the overlay asked for); in one file, both is an error.
 */
export const resolvePer10k = (
  raw: unknown,
  rank: (path: ReadonlyArray<string | number>) => number = () => 0
): RebaseResult => {
  if (!isRecord(raw)) return { raw, problems: [] }
  const population = isRecord(raw.population) ? raw.population.children : undefined
  const problems: Array<{ path: ReadonlyArray<string | number>; message: string }> = []
  let out: unknown = raw
  for (const f of PER_10K_FIELDS)
    for (const { entry, path } of entriesAt(raw, f.list)) {
      const given = entry[f.per10k]
      const mark = entry[ABSOLUTE]
      if (mark !== undefined && (!f.markable || typeof mark !== "boolean")) {
        problems.push({
          path: [...path, ABSOLUTE],
          message: f.markable
            ? `expected true (this entry's ${f.absolute} is not to scale with the population) or false, ` +
              `found ${show(mark)}`
            : `unknown field (absolute marks a whole entry of ${f.list[0]}, not one of its changes)`
        })
        continue
      }
      if (given === undefined) {
        if (mark !== undefined) out = update(out, path, (e) => withoutKey(e, ABSOLUTE))
        continue
      }
      const where = [...path, f.per10k]
      if (mark === true) {
        problems.push({ path: where, message: `expected ${f.per10k} or absolute: true, not both` })
        continue
      }
      if (entry[f.absolute] !== undefined) {
        const mine = rank(where)
        const theirs = rank([...path, f.absolute])
        if (theirs < mine) {
          // The absolute figure is the more derived file's: it replaces the base's per-10,000 one.
          out = update(out, path, (e) => withoutKey(e, f.per10k))
          continue
        }
        if (theirs === mine) {
          problems.push({
            path: where,
            message: `expected ${f.per10k} (per 10,000 children) or ${f.absolute}, not both`
          })
          continue
        }
      }
      if (
        typeof given !== "number" ||
        !Number.isFinite(given) ||
        given < (f.kind === "money" ? -MAX.money : 0) ||
        given > MAX[f.kind]
      ) {
        problems.push({
          path: where,
          message:
            `expected a number from ${f.kind === "money" ? "-1e12" : 0} to ${f.kind === "money" ? "1e12" : "10,000"} ` +
            `per 10,000 children, found ${show(given)}`
        })
        continue
      }
      if (typeof population !== "number" || !Number.isFinite(population) || population < 0) {
        problems.push({
          path: where,
          message: `a figure per 10,000 children needs population.children as a plain number, found ${show(population)}`
        })
        continue
      }
      const value = rounded((given * population) / 10_000, f.kind)
      out = update(out, path, (e) => {
        const rest = withoutKey(withoutKey(e, f.per10k), ABSOLUTE) as Record<string, unknown>
        return { ...rest, [f.absolute]: value }
      })
    }
  return { raw: out, problems }
}

const withoutKey = (e: unknown, key: string): unknown => {
  if (!isRecord(e) || !Object.hasOwn(e, key)) return e
  const { [key]: _, ...rest } = e
  return rest
}

/**
 * Warnings about an overlay that re-bases or moves its base without carrying the base's figures with it.
 * `files` are the files read, most derived first; `raw` is the merged scenario as written (before per-10,000
 * figures and relative dates are worked out).
 */
export const overlayWarnings = (
  raw: unknown,
  files: ReadonlyArray<string>,
  locate: Locate
): ReadonlyArray<ScenarioProblem> => {
  if (!isRecord(raw) || files.length < 2) return []
  const rank = (path: ReadonlyArray<string | number>): number => {
    const file = locate(path).file
    const i = file === undefined ? -1 : files.indexOf(file)
    return i < 0 ? files.length : i
  }
  const out: Array<ScenarioProblem> = []
  const warn = (path: ReadonlyArray<string | number>, message: string) =>
    out.push({ path: formatPath(path), message, ...locate(path) })
  const list = (paths: ReadonlyArray<ReadonlyArray<string | number>>): string =>
    paths.length <= 3
      ? paths.map((p) => formatPath(p)).join(", ")
      : `${paths
          .slice(0, 3)
          .map((p) => formatPath(p))
          .join(", ")} and ${paths.length - 3} more`

  // The population set by a more derived file than absolute counts.
  const population = isRecord(raw.population) ? raw.population.children : undefined
  const popRank = rank(["population", "children"])
  if (population !== undefined && popRank < files.length)
    for (const f of PER_10K_FIELDS.filter((x) => x.markable)) {
      const stale = entriesAt(raw, f.list)
        .filter(({ entry }) => entry[f.per10k] === undefined && entry[ABSOLUTE] !== true)
        .filter(({ entry, path }) => entry[f.absolute] !== undefined && rank([...path, f.absolute]) > popRank)
        .map(({ path }) => [...path, f.absolute])
      if (stale.length > 0)
        warn(
          f.list,
          `population.children is set to ${show(population)} in ${files[popRank]}, but ${stale.length} of the ` +
            `${f.what} (${list(stale)}) keep the absolute figures ${files[rank(stale[0])] ?? "a base"} wrote, which ` +
            `do not scale with it: write them per 10,000 children (${f.per10k}) or mark them absolute: true`
        )
    }

  // Contacts a year (an absolute figure) from a base, under a population set by a more derived file.
  const referrals = isRecord(raw.referrals) ? raw.referrals : {}
  const contacts = isRecord(referrals.contacts) ? referrals.contacts : {}
  const perYear = ["referrals", "contacts", "perYear"]
  if (population !== undefined && popRank < files.length && contacts.perYear !== undefined && rank(perYear) > popRank)
    warn(
      perYear,
      `population.children is set to ${show(population)} in ${files[popRank]}, but referrals.contacts.perYear ` +
        `(${show(contacts.perYear)} contacts a year, from ${files[rank(perYear)] ?? "a base"}) does not scale with ` +
        "it: write contacts per 10,000 children (per10k)"
    )

  // Start moved by a more derived file than absolute dates.
  const startRank = rank(["start"])
  if (startRank < files.length) {
    const stale: Array<ReadonlyArray<string | number>> = []
    for (const pattern of RELATIVE_DATE_FIELDS) {
      // Every pattern is a list's entries ("*") and a field of each.
      const field = pattern[pattern.length - 1]
      for (const { entry, path } of entriesAt(raw, pattern.slice(0, -2)))
        if (typeof entry[field] === "string" && rank([...path, field]) > startRank) stale.push([...path, field])
    }
    const costs = isRecord(raw.costs) ? raw.costs : {}
    if (typeof costs.priceBase === "string" && rank(["costs", "priceBase"]) > startRank)
      stale.push(["costs", "priceBase"])
    if (stale.length > 0)
      warn(
        ["start"],
        `start is moved to ${show(raw.start)} in ${files[startRank]}, but ${stale.length} dated value` +
          `${stale.length === 1 ? "" : "s"} (${list(stale)}) written as dates in ` +
          `${files[rank(stale[0])] ?? "a base"} ` +
          `stay where they are: write them relative to the start ({ year: 2 }, { months: 18 }) to move with it`
      )
  }
  return out
}
