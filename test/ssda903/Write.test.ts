/**
 * The SSDA903 writer (`ssda903/Write.ts`) on hand-made events, where every row can be worked out by hand:
 * episodes split at placement and legal-status changes (RNE P, L, B; REC X1), changes on an episode's first
 * day amending it, a child in care at the start from the day their period began, a same-day return to care
 * kept in one period, the model's reasons as REC codes, files per whole collection year with the episodes
 * open at its end written without DEC and REC, and the UASC file.
 */
import { describe, expect, it } from "vitest"
import { addYears, epochDay } from "../../src/domain/Calendar.js"
import { LEFT_CARE_REASONS, PLACEMENTS } from "../../src/domain/Level.js"
import { exitRoute, placementGroup, validCodes } from "../../src/ssda903/Codes.js"
import { type CaseEvent, Names, recordOf } from "../../src/domain/Event.js"
import { dmy, placeCodes, REC_OF_REASON, Ssda903Fold } from "../../src/ssda903/Write.js"

const START = epochDay("2025-04-01")
const d = (t: number) => dmy(START + Math.floor(t))

const fold = (events: ReadonlyArray<CaseEvent>, years = 2, uasc: string | null = null) => {
  const names = new Names()
  const f = new Ssda903Fold(START, epochDay(`${2025 + years}-04-01`) - START, uasc === null ? -1 : names.id(uasc))
  for (const e of events) f.take(recordOf(e, names))
  return new Map(f.finish())
}

const rows = (text: string | undefined) => (text ?? "").trimEnd().split("\n").slice(1)

describe("the SSDA903 writer", () => {
  it("splits episodes at changes, amends an episode changed on its first day, and ends with the reason's REC", () => {
    const files = fold([
      { _tag: "ChildReferred", time: 0, child: 1, dateOfBirth: -3000, reReferral: false },
      {
        _tag: "ChildBecameLookedAfter",
        time: 10.5,
        child: 1,
        from: "universal",
        placement: "in_house_foster",
        via: null
      },
      { _tag: "LegalStatusChanged", time: 10.5, child: 1, from: null, to: "C1" },
      { _tag: "PlacementChanged", time: 10.7, child: 1, from: "in_house_foster", to: "ifa_foster" },
      { _tag: "LegalStatusChanged", time: 100.2, child: 1, from: "C1", to: "C2" },
      { _tag: "PlacementChanged", time: 200, child: 1, from: "ifa_foster", to: "kinship" },
      { _tag: "LegalStatusChanged", time: 300, child: 1, from: "C2", to: "E1" },
      { _tag: "PlacementChanged", time: 300.5, child: 1, from: "kinship", to: "placed_for_adoption" },
      {
        _tag: "ChildLeftCare",
        time: 400,
        child: 1,
        placement: "placed_for_adoption",
        reason: "adopted",
        to: "exited",
        via: null
      }
    ])
    expect([...files.keys()]).toEqual([
      "episodes_2025-26.csv",
      "header_2025-26.csv",
      "episodes_2026-27.csv",
      "header_2026-27.csv"
    ])
    expect(rows(files.get("episodes_2025-26.csv"))).toEqual([
      `1,${d(10)},S,C1,N1,U4,PR4,${d(100)},X1,,,,`,
      `1,${d(100)},L,C2,N1,U4,PR4,${d(200)},X1,,,,`,
      `1,${d(200)},P,C2,N1,U3,PR1,${d(300)},X1,,,,`,
      // Both changed on day 300: one episode, RNE B, still open on 31 March 2026 (no DEC, no REC).
      `1,${d(300)},B,E1,N1,A5,PR1,,,,,,`
    ])
    expect(rows(files.get("episodes_2026-27.csv"))).toEqual([`1,${d(300)},B,E1,N1,A5,PR1,${d(400)},E11,,,,`])
    // SEX: a placeholder (the model has none), M/F from 2024-25 (2 = F before).
    expect(rows(files.get("header_2025-26.csv"))).toEqual([`1,F,${d(-3000)},,,,`])
  })

  it("a child in care at the start from their period's start; a same-day return kept in one period", () => {
    const files = fold([
      {
        _tag: "CaseOpenAtStart",
        time: 0,
        child: 2,
        dateOfBirth: -2000,
        level: "looked_after",
        placement: "kinship",
        since: -100
      },
      { _tag: "ChildReferred", time: 0, child: 3, dateOfBirth: -5000, reReferral: false },
      { _tag: "ChildBecameLookedAfter", time: 5, child: 3, from: "child_in_need", placement: "kinship", via: null },
      {
        _tag: "ChildLeftCare",
        time: 50.2,
        child: 3,
        placement: "kinship",
        reason: "returned_home",
        to: "child_in_need",
        via: null
      },
      {
        _tag: "ChildBecameLookedAfter",
        time: 50.9,
        child: 3,
        from: "child_in_need",
        placement: "ifa_foster",
        via: null
      },
      {
        _tag: "ChildLeftCare",
        time: 90,
        child: 3,
        placement: "ifa_foster",
        reason: "turned_18",
        to: "care_leaver",
        via: null
      }
    ])
    expect(rows(files.get("episodes_2025-26.csv"))).toEqual([
      // No legal statuses in the scenario: the placeholder C2.
      `2,${d(-100)},S,C2,N1,U3,PR1,,,,,,`,
      `3,${d(5)},S,C2,N1,U3,PR1,${d(50)},X1,,,,`,
      `3,${d(50)},P,C2,N1,U4,PR4,${d(90)},E17,,,,`
    ])
    expect(rows(files.get("header_2025-26.csv"))).toEqual([`2,M,${d(-2000)},,,,`, `3,F,${d(-5000)},,,,`])
    // Child 3 left in 2025-26: not in the next return; child 2 still is.
    expect(rows(files.get("episodes_2026-27.csv"))).toEqual([`2,${d(-100)},S,C2,N1,U3,PR1,,,,,,`])
    expect(rows(files.get("header_2026-27.csv"))).toEqual([`2,M,${d(-2000)},,,,`])
  })

  it("writes the UASC file for children who came by the UASC route, DUC their 18th birthday", () => {
    const files = fold(
      [
        { _tag: "ChildReferred", time: 3, child: 4, dateOfBirth: -6000, reReferral: false },
        {
          _tag: "ChildBecameLookedAfter",
          time: 3,
          child: 4,
          from: "universal",
          placement: "supported_16_plus",
          via: "uasc"
        }
      ],
      1,
      "uasc"
    )
    expect(rows(files.get("episodes_2025-26.csv"))).toEqual([`4,${d(3)},S,C2,N1,K3,PR4,,,,,,`])
    expect(rows(files.get("uasc_2025-26.csv"))).toEqual([`4,M,${d(-6000)},${dmy(addYears(START - 6000, 18))}`])
  })

  it("only whole collection years; codes every reason and placement as the reader reads them back", () => {
    const part = new Ssda903Fold(epochDay("2025-06-01"), 700, -1)
    expect(part.years()).toEqual([2027])
    for (const reason of LEFT_CARE_REASONS) expect(exitRoute(REC_OF_REASON[reason]), reason).toBe(reason)
    for (const p of PLACEMENTS)
      for (const year of [2020, 2025, 2026]) {
        const [place, provider] = placeCodes(p, year)
        expect(placementGroup(place, provider), p).toBe(p)
        expect(validCodes("PLACE", year).has(place), `${p} ${year}`).toBe(true)
        expect(validCodes("PLACE_PROVIDER", year).has(provider), `${p} ${year}`).toBe(true)
      }
    expect(placeCodes("supported_16_plus", 2024)).toEqual(["H5", "PR4"])
    expect(placeCodes("supported_16_plus", 2025)).toEqual(["K3", "PR4"])
  })
})
