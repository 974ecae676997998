/**
 * The looked-after children's own mix from DfE's table of the 31 March stock by characteristic (the
 * dashboard's combined_cla_31_march_data: "Children looked after in England including adoptions"): the
 * council's shares by placement and by age group, and the template's starting groups fitted to them by
 * iterative proportional fitting (raking), so that the groups keep the template's joint pattern (placements
 * within an age band, legal statuses, time in care) and take the council's margins.
 *
 * A margin is used only where every category the model has is a figure for that council and year; a
 * suppressed or missing cell (EES's c, x, z ...) keeps the template's margin for that characteristic, stated.
 * Categories the model has no place for ("Other placements", "Residential schools", "Other residential
 * settings") are left out and the shares are taken over the others.
 */
import { type CouncilTables, cla31Series } from "./DfeTables.js"

export type MixDimension = "placement" | "age"

/** One margin: the council's shares by category, or why the template's margin stands. */
export interface MixMargin {
  readonly dimension: MixDimension
  /** Shares by DfE category (adding up to 1), or null: the template's margin. */
  readonly shares: ReadonlyMap<string, number> | null
  /** Counts by DfE category as published (for the comment). */
  readonly counts: ReadonlyMap<string, number>
  readonly note: string
  /** Whether the table was among the files (false: nothing is said of the mix, as before the table was read). */
  readonly read: boolean
}

/** DfE's placement categories (cla_group "Placement") for the model's placements. */
export const PLACEMENT_CATEGORY: Readonly<Record<string, string>> = {
  in_house_foster: "Foster placements",
  ifa_foster: "Foster placements",
  kinship: "Foster placements",
  placed_with_parents: "Placed with parents or other person with parental responsibility",
  in_house_residential: "Secure homes and children's homes",
  external_residential: "Secure homes and children's homes",
  secure: "Secure homes and children's homes",
  supported_16_plus: "Independent and semi-independent living arrangements/supported accommodation",
  placed_for_adoption: "Placed for adoption"
}

/** DfE's age groups (cla_group "Age group") with their ages in whole years. */
export const AGE_CATEGORIES: ReadonlyArray<readonly [string, number, number]> = [
  ["Under 1 year", 0, 0],
  ["1 to 4 years", 1, 4],
  ["5 to 9 years", 5, 9],
  ["10 to 15 years", 10, 15],
  ["16 years and over", 16, 17]
]

/** The age group a starting group's ages fall in (null: none, or they span two). */
export const ageCategory = (ages: readonly [number, number]): string | null =>
  AGE_CATEGORIES.find(([, lo, hi]) => ages[0] >= lo && ages[1] <= hi)?.[0] ?? null

const GROUP: Readonly<Record<MixDimension, string>> = { placement: "Placement", age: "Age group" }

const categoriesOf = (d: MixDimension): ReadonlyArray<string> =>
  d === "placement" ? [...new Set(Object.values(PLACEMENT_CATEGORY))] : AGE_CATEGORIES.map(([c]) => c)

/** The council's margins on 31 March `to` (the table must reach that year, or the template's margins stand). */
export const lacMargins = (t: CouncilTables, to: number, table: string): ReadonlyArray<MixMargin> =>
  (["placement", "age"] as const).map((dimension) => ({
    ...margin(t, to, table, dimension),
    read: t.files.has("cla31")
  }))

const margin = (t: CouncilTables, to: number, table: string, dimension: MixDimension): Omit<MixMargin, "read"> => {
  const group = GROUP[dimension]
  const cats = categoriesOf(dimension)
  const cells = cats.map((cat) => ({ cat, cell: t.series.get(cla31Series(group, cat))?.get(to) }))
  const years = [...(t.series.get(cla31Series(group, cats[0]))?.keys() ?? [])].sort((a, b) => a - b)
  const counts = new Map(cells.flatMap(({ cat, cell }) => (cell?.value == null ? [] : [[cat, cell.value] as const])))
  if (cells.every(({ cell }) => cell === undefined))
    return {
      dimension,
      shares: null,
      counts,
      note:
        years.length === 0
          ? `no ${dimension} mix of the looked-after children in the tables: the template's`
          : `the ${table} by ${group.toLowerCase()} does not reach 31 March ${to} (it has ${years.join(", ")}): ` +
            `the template's ${dimension} mix`
    }
  const missing = cells.filter(({ cell }) => cell?.value == null)
  if (missing.length > 0)
    return {
      dimension,
      shares: null,
      counts,
      note:
        `the ${table} by ${group.toLowerCase()}, 31 March ${to}: ` +
        missing.map(({ cat, cell }) => `"${cat}" ${cell === undefined ? "missing" : `"${cell.symbol}"`}`).join(", ") +
        ` (suppressed or not available): the template's ${dimension} mix`
    }
  const sum = [...counts.values()].reduce((a, b) => a + b, 0)
  if (sum <= 0)
    return { dimension, shares: null, counts, note: `no looked-after children by ${dimension}: the template's mix` }
  const line = cells.map(({ cell }) => cell?.line ?? 0)
  return {
    dimension,
    shares: new Map([...counts].map(([c, n]) => [c, n / sum])),
    counts,
    note:
      `the council's ${dimension} mix, ${table}, ${group}, 31 March ${to} (lines ${Math.min(...line)}-` +
      `${Math.max(...line)}): ${[...counts].map(([c, n]) => `${c} ${n}`).join(", ")}`
  }
}

/** A starting group of looked-after children: its template count, placement and ages. */
export interface MixGroup {
  readonly count: number
  readonly placement: string
  readonly ages: readonly [number, number]
}

/**
 * Iterative proportional fitting of the groups' counts to the margins given (shares over the categories the
 * groups reach; groups outside every category of a margin are held at their share), 100 sweeps or until no
 * margin is off by more than 1e-9. Returns the fitted weights (to be apportioned to the headline stock).
 */
export const fitMix = (groups: ReadonlyArray<MixGroup>, margins: ReadonlyArray<MixMargin>): Array<number> => {
  const w = groups.map((g) => g.count)
  const catOf = (g: MixGroup, d: MixDimension): string | null =>
    d === "placement" ? (PLACEMENT_CATEGORY[g.placement] ?? null) : ageCategory(g.ages)
  // Each group's category in each margin: fixed, whatever the weights.
  const categories = margins.map((m) => groups.map((g) => catOf(g, m.dimension)))
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0
    for (const [k, m] of margins.entries()) {
      if (m.shares === null) continue
      const shares = m.shares
      const inCat = categories[k]
      // Shares over the categories that have groups with weight, taken out of the weight those groups hold.
      const reached = [...shares.keys()].filter((c) => inCat.some((x, i) => x === c && w[i] > 0))
      const shareSum = reached.reduce((a, c) => a + (shares.get(c) ?? 0), 0)
      const held = inCat.reduce((a, x, i) => (x !== null && reached.includes(x) ? a + w[i] : a), 0)
      if (shareSum <= 0 || held <= 0) continue
      for (const c of reached) {
        const now = inCat.reduce((a, x, i) => (x === c ? a + w[i] : a), 0)
        const want = ((shares.get(c) ?? 0) / shareSum) * held
        off = Math.max(off, Math.abs(now - want) / held)
        const f = now > 0 ? want / now : 1
        inCat.forEach((x, i) => {
          if (x === c) w[i] *= f
        })
      }
    }
    if (off < 1e-9) break
  }
  return w
}
