// Legal statuses in the scenario file: their checks across fields (shares, the catch-all row, a change to
// itself, a status without the model, a cost or an eligibility that needs it), and a run that writes
// legal_status.csv, which replay rebuilds byte for byte.
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { cli, fixture } from "../support/cli.js"
import { errorOf, small } from "./helpers.js"

const LEGAL = `    legalStatus:
      onEntry:
        - { via: care_proceedings, mix: { C1: 0.9, L2: 0.2 } }
        - { ages: [10, 17], mix: { V2: 1 } }
      changes:
        C1: { after: { type: fixed, value: 0 }, to: { C1: 0.5, C2: 0.5 } }
      byStatus:
        E1:
          outcomes:
            - { reason: adopted, to: child_in_need, probability: 1 }
          placement: { probability: 0.5, to: { placed_for_adoption: 0.5 } }
`
const withLegal = (text: string, legal = LEGAL) =>
  text.replace("    placements:\n      onEntry:", `${legal}    placements:\n      onEntry:`)

describe("legal status in a scenario", () => {
  it("names each cross-field problem with its path", () => {
    const problems = errorOf(withLegal(small)).problems.map((p) => [p.path, p.message])
    expect(problems).toEqual([
      ["levels.looked_after.legalStatus.onEntry[0].mix", "expected the legal status shares to add up to 1, found 1.1"],
      [
        "levels.looked_after.legalStatus.onEntry[1]",
        "expected the last row to match every child coming into care (no from, via or ages: the status of children " +
          "no earlier row matches), found ages"
      ],
      ["levels.looked_after.legalStatus.changes.C1.after.value", "expected a time above 0 for a stay, found 0"],
      ["levels.looked_after.legalStatus.changes.C1.to.C1", "expected a change to another status than C1 itself"],
      [
        "levels.looked_after.legalStatus.byStatus.E1.outcomes[0].to",
        "a child who leaves care by adopted leaves the model; expected exited, found child_in_need"
      ],
      [
        "levels.looked_after.legalStatus.byStatus.E1.placement.to",
        "expected the placement shares to add up to 1, found 0.5"
      ]
    ])
  })

  it("refuses an unknown code, naming the codes", () => {
    const text = withLegal(small, "    legalStatus:\n      onEntry:\n        - { mix: { S20: 1 } }\n")
    const [p] = errorOf(text).problems
    expect(p.path).toBe("levels.looked_after.legalStatus.onEntry[0].mix.S20")
    expect(p.message).toContain("V2")
  })

  it("refuses a status where the scenario models none, or outside care", () => {
    const text = small
      .replace(
        "{ level: looked_after, placement: in_house_foster, count: 40",
        "{ level: looked_after, placement: in_house_foster, legalStatus: { C2: 1 }, count: 40"
      )
      .replace(
        "{ level: early_help, count: 200, ages: [0, 17] }",
        "{ level: early_help, legalStatus: { V2: 1 }, count: 200, ages: [0, 17] }"
      )
      .replace(
        "on: { event: ChildBecameLookedAfter, via: care_proceedings }",
        "on: { event: ChildBecameLookedAfter, legalStatus: C1 }"
      )
    const problems = errorOf(text).problems.map((p) => [p.path, p.message])
    expect(problems).toEqual([
      ["startingCaseload[0].legalStatus", "a legal status applies only to looked_after, found level early_help"],
      [
        "startingCaseload[4].legalStatus",
        "a legal status needs levels.looked_after.legalStatus (the statuses' changes and rules), found none"
      ],
      [
        "costs.oneOff[2].on.legalStatus",
        "a legal status is set by LegalStatusChanged events only; expected event: LegalStatusChanged or no event, " +
          "found " +
          "event: ChildBecameLookedAfter"
      ],
      [
        "costs.oneOff[2].on.legalStatus",
        "a legal status needs levels.looked_after.legalStatus (the statuses children have), found none: " +
          "no child has one"
      ]
    ])
  })
})

describe("caseflow run with legal statuses", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "caseflow-legal-"))
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

  it("writes legal_status.csv and legal-status flows; replay rebuilds them byte for byte", async () => {
    const out = path.join(dir, "run")
    const log = path.join(dir, "run.ndjson")
    const r = await cli(["run", fixture("legal.yaml"), "--seed", "3", "--years", "2", "--out", out, "--events", log])
    expect(r.code, r.stderr).toBe(0)
    const csv = fs.readFileSync(path.join(out, "legal_status.csv"), "utf8")
    const lines = csv.trim().split("\n")
    expect(lines[0]).toBe("date,month,financial_year,year_end,legal_status,children")
    // The opening and 24 month ends, 13 codes each.
    expect(lines.length).toBe(1 + 25 * 13)
    // The opening stock by status adds up to the looked-after children at the start (65).
    const opening = lines.filter((l) => l.split(",")[1] === "opening").map((l) => Number(l.split(",")[5]))
    expect(opening.reduce((a, b) => a + b, 0)).toBe(65)
    const flows = fs.readFileSync(path.join(out, "flows.csv"), "utf8")
    for (const flow of ["legal_status_entry", "legal_status_change", "left_care_by_legal_status"])
      expect(flows).toContain(`,${flow},looked_after,`)
    expect(fs.readFileSync(log, "utf8")).toContain('"_tag":"LegalStatusChanged"')
    const again = path.join(dir, "replayed")
    const rr = await cli(["replay", log, "--out", again])
    expect(rr.code, rr.stderr).toBe(0)
    for (const f of fs.readdirSync(out))
      expect(fs.readFileSync(path.join(again, f), "utf8"), f).toBe(fs.readFileSync(path.join(out, f), "utf8"))
    // A run of a scenario without legal statuses into the same folder removes the stale file.
    const plain = await cli(["run", fixture("small.yaml"), "--years", "1", "--out", out])
    expect(plain.code, plain.stderr).toBe(0)
    expect(fs.existsSync(path.join(out, "legal_status.csv"))).toBe(false)
  })
})
