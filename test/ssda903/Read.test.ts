/**
 * Reading a multi-LA extract for one council (`--la`): only that council's rows are kept as the file is read,
 * and every other council's row is still checked and its council listed, as when all the rows were kept.
 */
import * as Either from "effect/Either"
import { describe, expect, it } from "vitest"
import {
  councilsKept,
  MAX_COUNCILS,
  type ReadFile,
  readFileBytes,
  type ReadOptions,
  Values
} from "../../src/ssda903/Read.js"

const HEAD = "LA,YEAR,CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC"
const row = (la: string, child: string, start: string) => `${la},2021,${child},${start},S,C2,N1,U4,PR1,,`
const read = (rows: ReadonlyArray<string>, options: ReadOptions): Either.Either<ReadFile, string> =>
  Either.mapLeft(
    readFileBytes("episodes.csv", "episodes", new TextEncoder().encode([HEAD, ...rows].join("\n") + "\n"), options),
    (e) => e.message
  )

describe("reading a multi-LA extract for one council", () => {
  const rows = [row("A", "1", "2020-05-01"), row("B", "2", "2020-06-01"), row(" a ", "3", "2020-07-01")]

  it("keeps only that council's rows (its LA in any case and spacing), and lists every council", () => {
    const file = Either.getOrThrow(read(rows, { kept: councilsKept("A") }))
    expect(Array.from(file.rows, (r) => [r.line, r.get("CHILD"), r.la])).toEqual([
      [2, "1", "A"],
      [4, "3", "a"]
    ])
    expect(file.councils).toEqual(["A", "B", "a"])
    expect(Either.getOrThrow(read(rows, {})).rows.length).toBe(3)
  })

  it("still refuses another council's row that breaks a rule of the file", () => {
    expect(read([...rows, row("B", "4", "2021-05-01")], { kept: councilsKept("A") })).toEqual(
      Either.left(
        "episodes.csv, line 5: column DECOM: 2021-05-01 is after the end of collection year 2021 (31 March 2021); " +
          "caseflow reads YEAR as the year the return ends in"
      )
    )
  })

  it("keeps an extract of one council whole for a council named in DfE's tables, whatever its LA column says", () => {
    const one = [row("X", "1", "2020-05-01"), row("X", "2", "2020-06-01")]
    expect(Either.getOrThrow(read(one, { kept: councilsKept({ names: ["Tameside", "E08000008"] }) })).rows.length).toBe(
      2
    )
    // Of several councils, the first one's rows are kept too (combineReturns then keeps the named council's only).
    const file = Either.getOrThrow(
      read([...one, row("E08000008", "3", "2020-07-01"), row("Y", "4", "2020-07-01")], {
        kept: councilsKept({ names: ["Tameside", "E08000008"] })
      })
    )
    expect(Array.from(file.rows, (r) => r.get("CHILD"))).toEqual(["1", "2", "3"])
  })
})

describe("reading files of more distinct values or councils than any return has", () => {
  it("refuses them at the row that passes the limit, not with an internal error", () => {
    // Each row brings a child and a start date of its own: four rows are 16 distinct values with the codes,
    // the council and the year they share, and the fifth passes a limit of 16.
    const rows = ["1", "2", "3", "4", "5"].map((c) => row("A", c, `2020-05-0${c}`))
    expect(Either.isRight(read(rows.slice(0, 4), { values: new Values(16) }))).toBe(true)
    expect(read(rows, { values: new Values(16) })).toEqual(
      Either.left(
        "episodes.csv, line 6: more than 16 distinct values (children, dates, codes) in the files read; a national " +
          "extract of every council's returns has a few million"
      )
    )
    const councils = Array.from({ length: MAX_COUNCILS + 1 }, (_, k) => row(`LA${k}`, "1", "2020-05-01"))
    expect(read(councils, {})).toEqual(Either.left("episodes.csv, line 10,002: column LA: more than 10,000 councils"))
  })
})
