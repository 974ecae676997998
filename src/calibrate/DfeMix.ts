/**
 * The looked-after children's own mix from DfE's table of the 31 March stock by characteristic (the
 * dashboard's combined_cla_31_march_data: "Children looked after in England including adoptions"): the
 * council's shares by placement and by age group, and the template's starting groups fitted to them by
 * iterative proportional fitting (raking), so that the groups keep the template's joint pattern (placements
 * within an age band, legal statuses, time in care) and take the council's margins.
 *
 * The same table's UASC rows rake the groups too (the UASC groups to the council's unaccompanied children),
 * and its legal-status rows set the legal-status shares inside the groups (`fitLegalStatus`: each group keeps
 * its count and the template's pattern, e.g. placement orders among the youngest, and together they take the
 * council's mix).
 *
 * A margin is used only where every category the model has is a figure for that council and year; a
 * suppressed or missing cell (EES's c, x, z ...) keeps the template's margin for that characteristic, stated.
 * The two small legal statuses (detained for child protection, youth justice) are the exception: suppressed,
 * they are left out (a few children) and the shares taken over the others, stated. Categories the model has no
 * place for ("Other placements", "Residential schools", "Other residential settings") are left out and the
 * shares are taken over the others.
 */
import { type CouncilTables, cla31Series } from "./DfeTables.js"

export type MixDimension = "placement" | "age" | "UASC" | "legal status"

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

/** DfE's legal-status categories (cla_group "Legal status") for the model's legal statuses (SSDA903 codes). */
export const LEGAL_CATEGORY: Readonly<Record<string, string>> = {
  C1: "Interim care order",
  C2: "Full care order",
  D1: "Placement order granted", // freeing orders, the placement orders' forerunner
  E1: "Placement order granted",
  V2: "Voluntary agreements under S20 CA 1989",
  L1: "Detained for child protection",
  L2: "Detained for child protection",
  L3: "Detained for child protection",
  J1: "Youth justice legal statuses",
  J2: "Youth justice legal statuses",
  J3: "Youth justice legal statuses"
}

/** Legal-status categories of a few children each: a suppressed cell is left out, not the whole margin. */
const SMALL_CATEGORIES: ReadonlySet<string> = new Set(["Detained for child protection", "Youth justice legal statuses"])

/** The UASC rows (cla_group "Unaccompanied asylum-seeking children"). */
export const UASC_CATEGORIES = ["UASC", "Non-UASC"] as const

/** The age group a starting group's ages fall in (null: none, or they span two). */
export const ageCategory = (ages: readonly [number, number]): string | null =>
  AGE_CATEGORIES.find(([, lo, hi]) => ages[0] >= lo && ages[1] <= hi)?.[0] ?? null

const GROUP: Readonly<Record<MixDimension, string>> = {
  placement: "Placement",
  age: "Age group",
  UASC: "Unaccompanied asylum-seeking children",
  "legal status": "Legal status"
}

const categoriesOf = (d: MixDimension): ReadonlyArray<string> =>
  d === "placement"
    ? [...new Set(Object.values(PLACEMENT_CATEGORY))]
    : d === "age"
      ? AGE_CATEGORIES.map(([c]) => c)
      : d === "UASC"
        ? UASC_CATEGORIES
        : [...new Set(Object.values(LEGAL_CATEGORY))]

/** The margins that rake the groups' counts (the legal statuses are shares inside each group). */
export const COUNT_DIMENSIONS: ReadonlyArray<MixDimension> = ["placement", "age", "UASC"]

/**
 * The council's margins on 31 March `to`: placement, age, UASC and legal status (the table must reach that
 * year, or the template's margins stand).
 */
export const lacMargins = (t: CouncilTables, to: number, table: string): ReadonlyArray<MixMargin> =>
  (["placement", "age", "UASC", "legal status"] as const).map((dimension) => ({
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
  const absent = cells.filter(({ cell }) => cell?.value == null)
  const describe = (xs: typeof cells) =>
    xs.map(({ cat, cell }) => `"${cat}" ${cell === undefined ? "missing" : `"${cell.symbol}"`}`).join(", ")
  const missing = absent.filter(({ cat }) => dimension !== "legal status" || !SMALL_CATEGORIES.has(cat))
  if (missing.length > 0)
    return {
      dimension,
      shares: null,
      counts,
      note:
        `the ${table} by ${group.toLowerCase()}, 31 March ${to}: ${describe(missing)} (suppressed or not ` +
        `available): the template's ${dimension} mix`
    }
  const sum = [...counts.values()].reduce((a, b) => a + b, 0)
  if (sum <= 0)
    return { dimension, shares: null, counts, note: `no looked-after children by ${dimension}: the template's mix` }
  const line = cells.flatMap(({ cell }) => (cell === undefined ? [] : [cell.line]))
  const left = absent.length === 0 ? "" : ` (${describe(absent)}: a few children, left out; the shares over the rest)`
  return {
    dimension,
    shares: new Map([...counts].map(([c, n]) => [c, n / sum])),
    counts,
    note:
      `the council's ${dimension} mix, ${table}, ${group}, 31 March ${to} (lines ${Math.min(...line)}-` +
      `${Math.max(...line)}): ${[...counts].map(([c, n]) => `${c} ${n}`).join(", ")}${left}`
  }
}

/** A starting group of looked-after children: its template count, placement and ages. */
export interface MixGroup {
  readonly count: number
  readonly placement: string
  readonly ages: readonly [number, number]
  /** Whether the group is of unaccompanied asylum-seeking children (absent: not). */
  readonly uasc?: boolean
}

/**
 * Iterative proportional fitting of the groups' counts to the margins given (shares over the categories the
 * groups reach; groups outside every category of a margin are held at their share), 100 sweeps or until no
 * margin is off by more than 1e-9. Returns the fitted weights (to be apportioned to the headline stock).
 */
export const fitMix = (groups: ReadonlyArray<MixGroup>, margins: ReadonlyArray<MixMargin>): Array<number> => {
  const w = groups.map((g) => g.count)
  const catOf = (g: MixGroup, d: MixDimension): string | null =>
    d === "placement"
      ? (PLACEMENT_CATEGORY[g.placement] ?? null)
      : d === "age"
        ? ageCategory(g.ages)
        : d === "UASC"
          ? g.uasc === true
            ? "UASC"
            : "Non-UASC"
          : null
  // Each group's category in each margin: fixed, whatever the weights.
  const categories = margins.map((m) => groups.map((g) => catOf(g, m.dimension)))
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0
    for (const [k, m] of margins.entries()) {
      if (m.shares === null || !COUNT_DIMENSIONS.includes(m.dimension)) continue
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

/** A group's legal statuses: its count (as apportioned) and the template's shares by SSDA903 code. */
export interface LegalGroup {
  readonly count: number
  readonly shares: ReadonlyMap<string, number>
}

/**
 * The groups' legal-status shares fitted to the council's legal-status margin by iterative proportional
 * fitting of the children-by-status table (count x share): each category of the margin the groups reach takes
 * its share of the children (the shares taken over the reached categories), each group keeps its count, and a
 * status the template gives a group none of stays at none (the template's pattern: placement orders among the
 * young, none at 16). Statuses of one category (E1 and D1) keep their ratio within a group. 100 sweeps or until
 * no category is off by more than 1e-9 of the children. Returns each group's new shares (a group of none keeps
 * its own), and the mix the groups then hold by category.
 */
export const fitLegalStatus = (
  groups: ReadonlyArray<LegalGroup>,
  margin: MixMargin
): { readonly shares: Array<Map<string, number>>; readonly fitted: Map<string, number> } => {
  const w = groups.map((g) => new Map([...g.shares].map(([s, p]) => [s, g.count * p] as const)))
  const target = margin.shares ?? new Map<string, number>()
  const catMass = (c: string) =>
    w.reduce((a, row) => a + [...row].reduce((b, [s, x]) => (LEGAL_CATEGORY[s] === c ? b + x : b), 0), 0)
  const reached = [...target.keys()].filter((c) => catMass(c) > 0)
  const shareSum = reached.reduce((a, c) => a + (target.get(c) ?? 0), 0)
  for (let sweep = 0; sweep < 100 && shareSum > 0; sweep++) {
    const held = reached.reduce((a, c) => a + catMass(c), 0)
    let off = 0
    for (const c of reached) {
      const now = catMass(c)
      const want = ((target.get(c) ?? 0) / shareSum) * held
      off = Math.max(off, Math.abs(now - want) / held)
      const f = now > 0 ? want / now : 1
      for (const row of w) for (const [s, x] of row) if (LEGAL_CATEGORY[s] === c) row.set(s, x * f)
    }
    groups.forEach((g, i) => {
      const sum = [...w[i].values()].reduce((a, b) => a + b, 0)
      if (sum > 0) for (const [s, x] of w[i]) w[i].set(s, (x * g.count) / sum)
    })
    if (off < 1e-9) break
  }
  const total = w.reduce((a, row) => a + [...row.values()].reduce((b, x) => b + x, 0), 0)
  const fitted = new Map(reached.map((c) => [c, total > 0 ? catMass(c) / total : 0] as const))
  const shares = groups.map((g, i) =>
    g.count > 0 ? new Map([...w[i]].map(([s, x]) => [s, x / g.count] as const)) : new Map(g.shares)
  )
  return { shares, fitted }
}
