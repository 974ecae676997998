/**
 * Each dirty-data rule on a small hand-made return: the problem named (file, line, child, rule) and the
 * handling the rule documents applied to the child's history. Files are named as the public sample names
 * them, by the year a return begins: 2020-episodes.csv is collection year 2021 (1 April 2020 to 31 March
 * 2021); a second return, 2021-episodes.csv, follows it where a rule looks across years.
 */
import * as Either from "effect/Either"
import { describe, expect, it } from "vitest"
import { daysFromCivil } from "../../src/domain/Calendar.js"
import { type ChildHistory, cleanReturns, type Histories } from "../../src/ssda903/Clean.js"
import { combineReturns, readFileBytes, type Role } from "../../src/ssda903/Read.js"
import type { RuleCode } from "../../src/ssda903/Rules.js"

const EPISODES = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC"
const HEADER = "CHILD,SEX,DOB"

/** Returns from files given as [name, rows]; the role is in the name. */
const clean = (...files: ReadonlyArray<readonly [string, ReadonlyArray<string>]>): Histories => {
  const read = files.map(([name, rows]) => {
    const role: Role = name.includes("episodes") ? "episodes" : name.includes("header") ? "header" : "uasc"
    const head = role === "episodes" ? EPISODES : role === "header" ? HEADER : "CHILD,SEX,DOB,DUC"
    const r = readFileBytes(name, role, new TextEncoder().encode([head, ...rows].join("\n") + "\n"))
    if (Either.isLeft(r)) throw new Error(r.left.message)
    return r.right
  })
  const c = combineReturns(read, null)
  if (Either.isLeft(c)) throw new Error(c.left.message)
  return cleanReturns(c.right)
}

/** One year's return: episodes and a header of children born 1 January 2010 unless given. */
const year2021 = (episodes: ReadonlyArray<string>, header: ReadonlyArray<string> = ["A,1,01/01/2010"]) =>
  clean(["2020-episodes.csv", episodes], ["2020-header.csv", header])

const rules = (h: Histories) => h.problems.map((p) => [p.rule, p.line, p.child] as const)
const child = (h: Histories, id = "A"): ChildHistory => {
  const c = h.children.find((x) => x.child === id)
  if (c === undefined) throw new Error(`no child ${id}`)
  return c
}
const d = (y: number, m: number, day: number) => daysFromCivil(y, m, day)
const only = (h: Histories, rule: RuleCode) => expect(h.problems.map((p) => p.rule)).toEqual([rule])

describe("a clean return", () => {
  it("gives one period per stay, chained through X1, with its exit route", () => {
    const h = year2021([
      "A,01/05/2020,S,C2,N1,U4,PR1,01/07/2020,X1",
      "A,01/07/2020,P,C2,N1,K2,PR4,01/09/2020,E4A",
      "A,01/10/2020,S,V2,N1,U1,PR1,,"
    ])
    expect(h.problems).toEqual([])
    const c = child(h)
    expect(c.dob).toBe(d(2010, 1, 1))
    expect(c.periods.map((p) => [p.start, p.end, p.episodes.map((e) => e.placement)])).toEqual([
      [
        d(2020, 5, 1),
        { _tag: "Ceased", day: d(2020, 9, 1), route: "returned_home" },
        ["in_house_foster", "external_residential"]
      ],
      [d(2020, 10, 1), { _tag: "Open", day: d(2021, 4, 1) }, ["kinship"]]
    ])
  })
})

describe("each dirty-data rule, reported by row and handled as documented", () => {
  it("141: a start that is not a date drops the episode", () => {
    const h = year2021(["A,31/02/2021,S,C2,N1,U4,PR1,,", "A,01/03/2021,S,C2,N1,U4,PR1,,"])
    expect(rules(h)).toEqual([["141", 2, "A"]])
    expect(child(h).periods.map((p) => p.start)).toEqual([d(2021, 3, 1)])
  })

  it("147: an end that is not a date reads as open", () => {
    const h = year2021(["A,01/05/2020,S,C2,N1,U4,PR1,1st June,E4A"])
    expect(rules(h)).toEqual([["147", 2, "A"]])
    expect(child(h).periods[0].end).toEqual({ _tag: "Open", day: d(2021, 4, 1) })
  })

  it("356: an end before the start drops the episode", () => {
    only(year2021(["A,01/05/2020,S,C2,N1,U4,PR1,01/04/2020,E4A", "A,01/06/2020,S,C2,N1,U4,PR1,,"]), "356")
  })

  it("148: a reason without an end is ignored; an end without a reason ends with an unknown route", () => {
    const open = year2021(["A,01/05/2020,S,C2,N1,U4,PR1,,E11"])
    only(open, "148")
    expect(child(open).periods[0].end._tag).toBe("Open")
    const ended = year2021(["A,01/05/2020,S,C2,N1,U4,PR1,01/06/2020,"])
    only(ended, "148")
    expect(child(ended).periods[0].end).toEqual({ _tag: "Ceased", day: d(2020, 6, 1), route: "unknown" })
  })

  it("142: an episode left open before the next closes at the next start, in the same period", () => {
    const h = year2021(["A,01/05/2020,S,C2,N1,U4,PR1,,", "A,01/06/2020,P,C2,N1,U4,PR4,,"])
    expect(rules(h)).toEqual([["142", 2, "A"]])
    const p = child(h).periods
    expect(p).toHaveLength(1)
    expect(p[0].episodes.map((e) => [e.start, e.end])).toEqual([
      [d(2020, 5, 1), d(2020, 6, 1)],
      [d(2020, 6, 1), null]
    ])
  })

  it("501: an overlap cuts the earlier episode short at the next start", () => {
    const h = year2021(["A,01/05/2020,S,C2,N1,U4,PR1,01/07/2020,X1", "A,01/06/2020,P,C2,N1,U4,PR4,,"])
    expect(rules(h)).toEqual([["501", 3, "A"]])
    expect(child(h).periods[0].episodes[0].end).toBe(d(2020, 6, 1))
  })

  it("302: an episode before birth is dropped", () => {
    const h = year2021(["A,01/05/2020,S,C2,N1,U4,PR1,,"], ["A,1,01/06/2020"])
    expect(rules(h)).toEqual([["302", 2, "A"]])
    expect(child(h).periods).toEqual([])
  })

  it("352: a period starting at 18 or over is dropped; CF03: a period running on past 18 ends at 18", () => {
    const late = year2021(["A,01/05/2020,S,V2,N1,H5,PR4,,"], ["A,1,01/01/2002"])
    expect(rules(late)).toEqual([["352", 2, "A"]])
    expect(child(late).periods).toEqual([])
    const past = year2021(
      ["A,01/05/2020,S,V2,N1,U4,PR1,01/02/2021,X1", "A,01/02/2021,P,V2,N1,H5,PR4,,"],
      ["A,1,01/01/2003"]
    )
    // The 18th birthday is 1 January 2021: the first episode runs past it, the second starts after it.
    expect(rules(past)).toEqual([
      ["CF03", 2, "A"],
      ["CF10", 3, "A"]
    ])
    const p = child(past).periods[0]
    expect(p.end).toEqual({ _tag: "Ceased", day: d(2021, 1, 1), route: "turned_18" })
    expect(p.episodes.map((e) => e.end)).toEqual([d(2021, 1, 1)])
  })

  it("437: episodes after death (E2) are dropped", () => {
    const h = year2021(["A,01/05/2020,S,C2,N1,U4,PR1,01/06/2020,E2", "A,01/07/2020,S,C2,N1,U4,PR1,,"])
    expect(rules(h)).toEqual([["437", 3, "A"]])
    expect(child(h).periods).toHaveLength(1)
  })

  it("102 and 301: a date of birth missing, not a date, or after the year's end is unknown", () => {
    const h = year2021(
      ["A,01/05/2020,S,C2,N1,U4,PR1,,", "B,01/05/2020,S,C2,N1,U4,PR1,,", "C,01/05/2020,S,C2,N1,U4,PR1,,"],
      ["A,1,", "B,1,30/02/2010", "C,1,01/05/2021"]
    )
    expect(rules(h)).toEqual([
      ["102", 2, "A"],
      ["102", 3, "B"],
      ["301", 4, "C"]
    ])
    expect(h.children.map((c) => c.dob)).toEqual([null, null, null])
  })

  it("101: sex coded for another year is unknown (1/2 to 2023-24, M/F/U from 2024-25)", () => {
    const h = year2021(["A,01/05/2020,S,C2,N1,U4,PR1,,"], ["A,M,01/01/2010"])
    only(h, "101")
    expect(child(h).sex).toBe("unknown")
    const later = clean(
      ["2024-episodes.csv", ["A,01/05/2024,S,C2,N1,U4,PR1,,"]],
      ["2024-header.csv", ["A,M,01/01/2010"]]
    )
    expect(later.problems).toEqual([])
    expect(child(later).sex).toBe("male")
  })

  it("143, 144, 146, 149, 178: codes not valid for the year map to unknown; K3 is valid from 2024-25", () => {
    const h = year2021(["A,01/05/2020,Q,C9,N1,K3,PR9,01/06/2020,E99"])
    expect(h.problems.map((p) => [p.rule, p.field, p.value])).toEqual([
      ["143", "RNE", "Q"],
      ["144", "LS", "C9"],
      ["146", "PLACE", "K3"],
      ["178", "PLACE_PROVIDER", "PR9"],
      ["149", "REC", "E99"],
      ["CF07", "RNE", ""]
    ])
    const e = child(h).periods[0].episodes[0]
    expect([e.rne, e.ls, e.place, e.provider, e.rec, e.placement]).toEqual(["", "", "", "", "", "other"])
    const k3 = clean(["2024-episodes.csv", ["A,01/05/2024,S,C2,N1,K3,PR4,,"]], ["2024-header.csv", ["A,M,01/01/2008"]])
    expect(k3.problems).toEqual([])
    expect(child(k3).periods[0].episodes[0].placement).toBe("supported_16_plus")
  })

  it("CF01: the same episode twice in one return keeps the one with an end", () => {
    const h = year2021(["A,01/05/2020,S,C2,N1,U4,PR1,,", "A,01/05/2020,S,C2,N1,U4,PR1,01/06/2020,E4A"])
    expect(rules(h)).toEqual([["CF01", 2, "A"]])
    expect(child(h).periods[0].end._tag).toBe("Ceased")
  })

  it("CF02: an episode that changed between years takes the latest return's record", () => {
    const h = clean(
      ["2020-episodes.csv", ["A,01/05/2020,S,C1,N1,U4,PR1,,"]],
      ["2021-episodes.csv", ["A,01/05/2020,S,C2,N1,U4,PR1,01/06/2021,E11"]],
      ["2020-header.csv", ["A,1,01/01/2010"]],
      ["2021-header.csv", ["A,1,01/01/2010"]]
    )
    expect(h.problems.map((p) => [p.rule, p.file, p.field])).toEqual([["CF02", "2020-episodes.csv", "LS"]])
    expect(child(h).periods[0].episodes[0].ls).toBe("C2")
    expect(child(h).periods[0].end).toEqual({ _tag: "Ceased", day: d(2021, 6, 1), route: "adopted" })
  })

  it("a header value mistyped in the latest return: the earlier returns' valid one stands in", () => {
    const h = clean(
      ["2020-episodes.csv", ["A,01/05/2019,S,C2,N1,U4,PR1,,"]],
      ["2021-episodes.csv", ["A,01/05/2019,S,C2,N1,U4,PR1,,"]],
      ["2020-header.csv", ["A,1,01/01/2010"]],
      ["2021-header.csv", ["A,7,18/03/10x"]]
    )
    expect(child(h).dob).toBe(d(2010, 1, 1))
    expect(child(h).sex).toBe("male")
    // The bad values are reported where they are; no cross-year mismatch (one side is no value).
    expect(h.problems.map((p) => [p.rule, p.file, p.field])).toEqual([
      ["102", "2021-header.csv", "DOB"],
      ["101", "2021-header.csv", "SEX"]
    ])
  })

  it("an episode open at a year's end and closed in the next return is no problem", () => {
    const h = clean(
      ["2020-episodes.csv", ["A,01/05/2020,S,C2,N1,U4,PR1,,"]],
      ["2021-episodes.csv", ["A,01/05/2020,S,C2,N1,U4,PR1,01/06/2021,E11"]],
      ["2020-header.csv", ["A,1,01/01/2010"]],
      ["2021-header.csv", ["A,1,01/01/2010"]]
    )
    expect(h.problems).toEqual([])
  })

  it("502: an episode open at a year's end but missing from the next return is censored at that end", () => {
    const h = clean(
      ["2020-episodes.csv", ["A,01/05/2020,S,C2,N1,U4,PR1,,", "B,01/05/2020,S,C2,N1,U4,PR1,,"]],
      ["2021-episodes.csv", ["B,01/05/2020,S,C2,N1,U4,PR1,,"]],
      ["2020-header.csv", ["A,1,01/01/2010", "B,1,01/01/2010"]],
      ["2021-header.csv", ["B,1,01/01/2010"]]
    )
    expect(rules(h)).toEqual([["502", 2, "A"]])
    expect(child(h, "A").periods[0].end).toEqual({ _tag: "Open", day: d(2021, 4, 1) })
    expect(child(h, "B").periods[0].end).toEqual({ _tag: "Open", day: d(2022, 4, 1) })
  })

  it("CF04: a child without a header row has an unknown date of birth; CF08: a header row without episodes", () => {
    const h = year2021(["B,01/05/2020,S,C2,N1,U4,PR1,,"], ["A,1,01/01/2010"])
    expect(rules(h)).toEqual([
      ["CF04", 2, "B"],
      ["CF08", 2, "A"]
    ])
    expect(child(h, "B").dob).toBeNull()
  })

  it("CF05: a row without CHILD is dropped", () => {
    const h = year2021([",01/05/2020,S,C2,N1,U4,PR1,,", "A,01/05/2020,S,C2,N1,U4,PR1,,"])
    expect(rules(h)).toEqual([["CF05", 2, ""]])
  })

  it("CF06: X1 with no episode starting that day ends the period with an unknown route", () => {
    const h = year2021(["A,01/05/2020,S,C2,N1,U4,PR1,01/06/2020,X1", "A,01/08/2020,S,C2,N1,U4,PR1,,"])
    expect(rules(h)).toEqual([["CF06", 2, "A"]])
    expect(child(h).periods[0].end).toEqual({ _tag: "Ceased", day: d(2020, 6, 1), route: "unknown" })
  })

  it("CF07: a period beginning in the data with an episode that is not S has an unknown start", () => {
    const h = year2021(["A,01/05/2020,P,C2,N1,U4,PR1,,"])
    expect(rules(h)).toEqual([["CF07", 2, "A"]])
    expect(child(h).periods[0].startKnown).toBe(false)
    // Begun before the data: the S may be in an earlier return. Unknown too, but no fault of the data.
    const early = year2021(
      ["A,01/05/2019,P,C2,N1,U4,PR1,,", "B,01/05/2020,S,C2,N1,U4,PR1,,"],
      ["A,1,01/01/2010", "B,1,01/01/2010"]
    )
    expect(early.problems).toEqual([])
    expect(child(early).periods[0].startKnown).toBe(false)
  })

  it("CF09: an end after the year's end reads as open at the year's end", () => {
    const h = year2021(["A,01/05/2020,S,C2,N1,U4,PR1,01/04/2021,E4A"])
    expect(rules(h)).toEqual([["CF09", 2, "A"]])
    expect(child(h).periods[0].end._tag).toBe("Open")
  })

  it("short breaks (V3, V4) only: the period is set apart, as DfE counts children looked after", () => {
    const h = year2021(["A,01/05/2020,S,V3,N1,U4,PR1,02/05/2020,E8", "A,01/06/2020,S,C2,N1,U4,PR1,,"])
    expect(h.problems).toEqual([])
    expect(h.shortBreakPeriods).toBe(1)
    expect(child(h).periods.map((p) => p.start)).toEqual([d(2020, 6, 1)])
  })
})

describe("collection years", () => {
  it("come from the names, read as the year a return begins or ends in, whichever fits the starts", () => {
    // Named by the year it ends in: a start in May 2020 fits only collection year 2021.
    const h = clean(["episodes-2021.csv", ["A,01/05/2020,S,C2,N1,U4,PR1,,"]], ["header-2021.csv", ["A,1,01/01/2010"]])
    expect(h.years).toEqual([2021])
    // Named by the year it begins in, as the public sample is.
    const s = clean(["2020-episodes.csv", ["A,01/05/2020,S,C2,N1,U4,PR1,,"]], ["2020-header.csv", ["A,1,01/01/2010"]])
    expect(s.years).toEqual([2021])
  })

  it("come from the latest start when the names give none", () => {
    const h = clean(["episodes.csv", ["A,01/05/2020,S,C2,N1,U4,PR1,,"]], ["header.csv", ["A,1,01/01/2010"]])
    expect(h.years).toEqual([2021])
  })
})

describe("rule 431", () => {
  it("an S the day the previous ended with X1 continues the period; after a reason ceased it starts a new one", () => {
    const x1 = year2021(["A,01/05/2020,S,C2,N1,U4,PR1,01/06/2020,X1", "A,01/06/2020,S,C2,N1,U4,PR4,,"])
    expect(rules(x1)).toEqual([["431", 3, "A"]])
    expect(child(x1).periods).toHaveLength(1)
    const left = year2021(["A,01/05/2020,S,C2,N1,U4,PR1,01/06/2020,E4A", "A,01/06/2020,S,C2,N1,U4,PR4,,"])
    expect(rules(left)).toEqual([["431", 3, "A"]])
    expect(child(left).periods).toHaveLength(2)
  })
})
