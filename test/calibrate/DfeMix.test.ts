/**
 * The looked-after children's own mix (src/calibrate/DfeMix.ts) on generated EES-shaped tables of the 31
 * March stock by characteristic: the council's margins read (not its neighbour's), a suppressed cell or a
 * year the table does not reach keeping the template's margin with the reason, and the template's groups
 * raked to the margins with the total kept; the legal-status rows setting the groups' legal-status shares
 * (the council's mix, the template's pattern kept) and the UASC rows the UASC groups' count.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import * as Either from "effect/Either"
import { describe, expect, it } from "vitest"
import { dfeCalibration, dfeEstimates, wilsonInterval } from "../../src/calibrate/DfeEstimates.js"
import { apportion, dfeScenario } from "../../src/calibrate/DfeScenario.js"
import { fitLegalStatus, fitMix, lacMargins, type MixGroup } from "../../src/calibrate/DfeMix.js"
import { DfeError, POPULATION_TYPES, readDfeTables } from "../../src/calibrate/DfeTables.js"
import { scenarioFromPlainText } from "../../src/scenario/Load.js"
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

/** A council's 31 March table with the legal-status and UASC rows (far from the default borough's mix). */
const LEGAL: ReadonlyArray<readonly [string, number | string]> = [
  ["Full care order", 300],
  ["Interim care order", 100],
  ["Placement order granted", 40],
  ["Voluntary agreements under S20 CA 1989", 60],
  ["Detained for child protection", 0],
  ["Youth justice legal statuses", 0],
  ["Total", 500]
]
const COUNCIL_SHARES: Readonly<Record<string, number>> = { C2: 0.6, C1: 0.2, E1: 0.08, V2: 0.12 }

const fullTable = (legal: (cat: string, n: number | string) => number | string): string => {
  const rows: Array<TableRow> = []
  const put = (group: string, cat: string, n: number | string) =>
    rows.push({ year: 2021, council: A, values: { cla_group: group, characteristic: cat, cla_31_march_number: n } })
  for (const [cat, n] of PLACEMENTS) put("Placement", cat, n)
  for (const [cat, n] of AGES) put("Age group", cat, n)
  for (const [cat, n] of LEGAL) put("Legal status", cat, legal(cat, n))
  for (const [cat, n] of [
    ["UASC", 20],
    ["Non-UASC", 487],
    ["Total", 507]
  ] as const)
    put("Unaccompanied asylum-seeking children", cat, n)
  const stock = [{ year: 2021, council: A, values: { population_type: POPULATION_TYPES.stock, children_count: 507 } }]
  const b1 = [{ year: 2021, council: A, values: { At31_episodes: 2500, Started_episodes: 3000 } }]
  const d5 = [{ year: 2021, council: A, values: { CPP_At31: 300 } }]
  return [eesTable("cla31", rows), eesTable("cla", stock), eesTable("b1", b1), eesTable("d5", d5)].join("\u0000")
}

const defaultBorough = (() => {
  const file = path.join(path.resolve(import.meta.dirname, "../.."), "scenarios/default.yaml")
  const loaded = scenarioFromPlainText(file, fs.readFileSync(file, "utf8"))
  if (Either.isLeft(loaded)) throw new Error(loaded.left.message)
  return loaded.right.raw
})()

type Group = {
  level: string
  count: number
  ages: [number, number]
  uasc?: boolean
  legalStatus?: Record<string, number>
}

/** The looked-after starting groups `calibrate --dfe` writes from the tables (the pilot run aside). */
const written = (text: string) => {
  const files = text.split("\u0000").map((t, i) => ({ file: `t${i}.csv`, text: t }))
  const t = readDfeTables(files, "Northshire")
  if (t instanceof DfeError) throw new Error(t.message)
  const calibration = dfeCalibration(t, 2021, "none")
  const s = dfeScenario({ calibration, template: defaultBorough, templateLabel: "default.yaml", command: "test" })
  const groups = ((s.data as { startingCaseload: Array<Group> }).startingCaseload ?? []).filter(
    (g) => g.level === "looked_after"
  )
  return { groups, text: s.text, notes: s.notes, rows: dfeEstimates(calibration) }
}

/** The groups' legal-status mix: children by code over all children. */
const mixOf = (groups: ReadonlyArray<Group>): Record<string, number> => {
  const out: Record<string, number> = {}
  const total = groups.reduce((a, g) => a + g.count, 0)
  for (const g of groups)
    for (const [code, p] of Object.entries(g.legalStatus ?? {})) out[code] = (out[code] ?? 0) + (g.count * p) / total
  return out
}

describe("the looked-after legal-status mix and UASC count from the CLA table by characteristic", () => {
  it("fits the groups' legal-status shares to the council's mix, keeping the template's pattern", () => {
    const w = written(fullTable((_c, n) => n))
    const mix = mixOf(w.groups)
    // Each status within half a point of the council's (shares over 500, rounded to 4 decimals in each group).
    for (const [code, share] of Object.entries(COUNCIL_SHARES)) expect(mix[code], code).toBeCloseTo(share, 2)
    // The template's pattern: no placement orders at 10 and over, none made up there.
    for (const g of w.groups.filter((x) => x.ages[0] >= 10)) expect(g.legalStatus?.E1 ?? 0).toBe(0)
    for (const g of w.groups.filter((x) => x.uasc === true)) expect(g.legalStatus).toEqual({ V2: 1 })
    // Each group's shares add up to 1, and every share says where it came from.
    for (const g of w.groups) expect(Object.values(g.legalStatus!).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9)
    expect(w.text).toMatch(
      new RegExp(
        "C2: [\\d.]+ # the template's shares for this group, fitted .* the council's legal status mix, .*t0\\.csv, " +
          "Legal status, 31 March 2021 \\(lines \\d+-\\d+\\)"
      )
    )
    // The UASC groups hold the council's 20 unaccompanied children exactly, of the 507.
    expect(w.groups.filter((g) => g.uasc === true).reduce((a, g) => a + g.count, 0)).toBe(20)
    expect(w.groups.reduce((a, g) => a + g.count, 0)).toBe(507)
    // The calibration table: each share with its Wilson interval and count, and the UASC count.
    const row = w.rows.find((r) => r.breakdown === "legal status at 31 March 2021: Full care order")!
    const [lo, hi] = wilsonInterval(300, 500)
    expect(row).toMatchObject({
      value: 0.6,
      observations: 500,
      lower: Number(lo.toFixed(4)),
      upper: Number(hi.toFixed(4))
    })
    expect(w.rows.find((r) => r.breakdown === "UASC at 31 March 2021")).toMatchObject({ value: 20, unit: "children" })
  })

  it("a suppressed order keeps the template's shares, stated; a suppressed small status is left out, stated", () => {
    const template = mixOf(written(fullTable((_c, n) => n).replace(/Legal status/g, "Not read")).groups)
    const suppressed = written(fullTable((c, n) => (c === "Interim care order" ? "c" : n)))
    expect(mixOf(suppressed.groups)).toEqual(template)
    expect(suppressed.notes.join("\n")).toContain(
      "looked-after legal status mix: the children looked after at 31 March by characteristic, t0.csv by legal " +
        'status, 31 March 2021: "Interim care order" "c" ' +
        "(suppressed or not available): the template's legal status mix"
    )
    const small = written(fullTable((c, n) => (c === "Youth justice legal statuses" ? "c" : n)))
    expect(mixOf(small.groups).C2).toBeCloseTo(0.6, 2)
    expect(small.text).toContain(
      '"Youth justice legal statuses" "c": a few children, left out; the shares over the rest'
    )
  })

  it("fitLegalStatus: each category takes its share of the children and each group keeps its count", () => {
    const groups = [
      {
        count: 10,
        shares: new Map([
          ["C1", 0.5],
          ["E1", 0.25],
          ["D1", 0.25]
        ])
      },
      {
        count: 30,
        shares: new Map([
          ["C1", 0.5],
          ["C2", 0.5]
        ])
      }
    ]
    const margin = {
      dimension: "legal status" as const,
      shares: new Map([
        ["Interim care order", 0.45],
        ["Full care order", 0.35],
        ["Placement order granted", 0.2]
      ]),
      counts: new Map<string, number>(),
      note: "",
      read: true
    }
    const fit = fitLegalStatus(groups, margin)
    const children = (code: string) => fit.shares.reduce((a, s, i) => a + groups[i].count * (s.get(code) ?? 0), 0)
    expect(children("C1")).toBeCloseTo(18, 6)
    expect(children("C2")).toBeCloseTo(14, 6)
    expect(children("E1") + children("D1")).toBeCloseTo(8, 6)
    // E1 and D1 keep their ratio in the group; the second group gets no placement order (it had none).
    expect(fit.shares[0].get("E1")).toBeCloseTo(fit.shares[0].get("D1")!, 12)
    expect(fit.shares[1].has("E1")).toBe(false)
    for (const [i, s] of fit.shares.entries())
      expect(
        [...s.values()].reduce((a, b) => a + b, 0),
        `group ${i}`
      ).toBeCloseTo(1, 12)
  })
})
