/**
 * The looked-after children's own mix (src/calibrate/DfeMix.ts) on generated EES-shaped tables of the 31
 * March stock by characteristic: the council's margins read (not its neighbour's), a suppressed cell or a
 * year the table does not reach keeping the template's margin with the reason, and the template's groups
 * raked to the margins with the total kept.
 */
import { describe, expect, it } from "vitest"
import { apportion } from "../../src/calibrate/DfeScenario.js"
import { fitMix, lacMargins, type MixGroup } from "../../src/calibrate/DfeMix.js"
import { DfeError, readDfeTables } from "../../src/calibrate/DfeTables.js"
import { type Council, eesTable, type TableRow } from "../support/dfe.js"

const A: Council = { name: "Northshire", newCode: "E06000099", oldCode: "901" }
const B: Council = { name: "Southshire", newCode: "E06000098", oldCode: "902" }

const PLACEMENTS: ReadonlyArray<readonly [string, number | string]> = [
  ["Foster placements", 300],
  ["Placed with parents or other person with parental responsibility", 50],
  ["Secure homes and children's homes", 100],
  ["Independent and semi-independent living arrangements/supported accommodation", 50],
  ["Placed for adoption", 0],
  ["Other placements", 7],
  ["Total", 507]
]
const AGES: ReadonlyArray<readonly [string, number | string]> = [
  ["Under 1 year", 25],
  ["1 to 4 years", 75],
  ["5 to 9 years", 100],
  ["10 to 15 years", 200],
  ["16 years and over", 107],
  ["Total", 507]
]

const table = (placementOf: (c: Council, cat: string, n: number | string) => number | string): string => {
  const rows: Array<TableRow> = []
  for (const council of [A, B]) {
    for (const [cat, n] of PLACEMENTS)
      rows.push({
        year: 2021,
        council,
        values: { cla_group: "Placement", characteristic: cat, cla_31_march_number: placementOf(council, cat, n) }
      })
    for (const [cat, n] of AGES)
      rows.push({
        year: 2021,
        council,
        values: { cla_group: "Age group", characteristic: cat, cla_31_march_number: council === A ? n : 1 }
      })
  }
  return eesTable("cla31", rows)
}

const read = (text: string) => {
  const t = readDfeTables([{ file: "mix.csv", text }], "Northshire")
  if (t instanceof DfeError) throw new Error(t.message)
  return t
}

/** Template groups: placements within age bands, and one group spanning bands (held on the age margin). */
const GROUPS: ReadonlyArray<MixGroup> = [
  { count: 10, placement: "in_house_foster", ages: [0, 0] },
  { count: 5, placement: "kinship", ages: [0, 0] },
  { count: 20, placement: "in_house_foster", ages: [1, 4] },
  { count: 10, placement: "placed_with_parents", ages: [1, 4] },
  { count: 30, placement: "ifa_foster", ages: [5, 9] },
  { count: 40, placement: "in_house_foster", ages: [10, 15] },
  { count: 20, placement: "external_residential", ages: [10, 15] },
  { count: 15, placement: "supported_16_plus", ages: [16, 17] },
  { count: 5, placement: "external_residential", ages: [16, 17] },
  { count: 5, placement: "in_house_residential", ages: [5, 17] }
]

const FOSTER = new Set(["in_house_foster", "ifa_foster", "kinship"])

describe("the looked-after mix from the CLA table by characteristic", () => {
  it("reads the council's own placement and age margins, over the categories the model has", () => {
    const [placement, age] = lacMargins(read(table((_c, _k, n) => (_c === A ? n : 1))), 2021, "mix.csv")
    expect(placement.read).toBe(true)
    expect(placement.shares).not.toBeNull()
    // "Other placements" (7) has no model placement: left out, shares over the other 500.
    expect(placement.shares!.get("Foster placements")).toBeCloseTo(300 / 500, 12)
    expect(placement.shares!.has("Other placements")).toBe(false)
    expect(age.shares!.get("10 to 15 years")).toBeCloseTo(200 / 507, 12)
    expect(placement.note).toMatch(/the council's placement mix, mix.csv, Placement, 31 March 2021 \(lines \d+-\d+\)/)
  })

  it("rakes the template's groups to both margins and keeps the headline total exactly", () => {
    const margins = lacMargins(read(table((c, _k, n) => (c === A ? n : 1))), 2021, "mix.csv")
    const w = fitMix(GROUPS, margins)
    const counts = apportion(w, 507)
    expect(counts.reduce((a, b) => a + b, 0)).toBe(507)
    const sum = (f: (g: MixGroup) => boolean) => GROUPS.reduce((a, g, i) => (f(g) ? a + w[i] : a), 0)
    const total = w.reduce((a, b) => a + b, 0)
    // Placement margin (no group is placed for adoption: shares over foster, parents, residential, supported).
    expect(sum((g) => FOSTER.has(g.placement)) / total).toBeCloseTo(300 / 500, 6)
    expect(sum((g) => g.placement === "placed_with_parents") / total).toBeCloseTo(50 / 500, 6)
    expect(sum((g) => g.placement.endsWith("residential")) / total).toBeCloseTo(100 / 500, 6)
    // Age margin over the groups inside one band (the 5-17 group is held at its share).
    const banded = total - w[9]
    expect(sum((g) => g.ages[1] === 0) / banded).toBeCloseTo(25 / 507, 6)
    expect(sum((g) => g.ages[0] === 10) / banded).toBeCloseTo(200 / 507, 6)
    // Both margins moved the groups: at 10-15, in-house foster over residential is no longer the template's 2:1.
    expect(w[5] / w[6]).not.toBeCloseTo(GROUPS[5].count / GROUPS[6].count, 3)
    expect(counts.every((n) => n >= 0)).toBe(true)
  })

  it("a suppressed cell keeps the template's margin for that characteristic, and says which", () => {
    const t = read(
      table((c, cat, n) =>
        c === A && cat === "Placed with parents or other person with parental responsibility" ? "c" : n
      )
    )
    const [placement, age] = lacMargins(t, 2021, "mix.csv")
    expect(placement.shares).toBeNull()
    expect(placement.note).toContain('"Placed with parents or other person with parental responsibility" "c"')
    expect(placement.note).toContain("the template's placement mix")
    expect(age.shares).not.toBeNull()
    // Only the age margin moves the groups: the placement split within each band stays the template's.
    const w = fitMix(GROUPS, [placement, age])
    expect(w[0] / w[1]).toBeCloseTo(10 / 5, 9)
    expect(w[5] / w[6]).toBeCloseTo(40 / 20, 9)
  })

  it("a year the table does not reach keeps the template's mix, stated; no table: nothing said", () => {
    const [placement] = lacMargins(read(table((_c, _k, n) => n)), 2019, "mix.csv")
    expect(placement.shares).toBeNull()
    expect(placement.note).toBe(
      "the mix.csv by placement does not reach 31 March 2019 (it has 2021): the template's placement mix"
    )
    expect(fitMix(GROUPS, [placement])).toEqual(GROUPS.map((g) => g.count))
    const none = readDfeTables([{ file: "b1.csv", text: eesTable("b1", []) }], "Northshire")
    expect(none instanceof DfeError).toBe(true) // no council rows at all
  })
})
