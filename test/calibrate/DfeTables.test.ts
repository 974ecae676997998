/**
 * The DfE table reader and the estimates on generated EES-shaped tables (test/support/dfe.ts): files found
 * by their columns, EES's symbols, councils by name or code with near matches, bad cells named by file, line
 * and column; and the estimates worked out by hand.
 */
import { describe, expect, it } from "vitest"
import {
  D5_EDGES,
  dfeCalibration,
  fitCpShape,
  gammaEquilibriumCdf,
  linearFit,
  poissonInterval,
  wilsonInterval
} from "../../src/calibrate/DfeEstimates.js"
import { DfeError, readDfeTables, SUPPRESSION, valueIn } from "../../src/calibrate/DfeTables.js"
import { type Council, eesTable, type TableRow } from "../support/dfe.js"

const A: Council = { name: "Northshire", newCode: "E06000099", oldCode: "901" }
const B: Council = { name: "Southshire", newCode: "E06000098", oldCode: "902" }
const YEARS = [2015, 2016, 2017, 2018, 2019]

/** Northshire: known figures; Southshire: other figures (never to leak into Northshire's). */
const files = (): Array<{ file: string; text: string }> => {
  const rows = (f: (c: Council, y: number) => Record<string, string | number>): Array<TableRow> => [
    ...YEARS.map((year) => ({ year, council: null, values: f(A, year) })),
    ...YEARS.flatMap((year) => [A, B].map((council) => ({ year, council, values: f(council, year) })))
  ]
  const a = (c: Council) => (c === A ? 1 : 3)
  return [
    {
      file: "one.csv",
      text: eesTable(
        "b1",
        rows((c, y) => ({ At31_episodes: 1000 * a(c), Started_episodes: y === 2016 ? "c" : 1200 * a(c) }))
      )
    },
    {
      file: "two.csv",
      text: eesTable(
        "c1",
        rows((c, y) => ({
          referral_count: (1000 + 100 * (y - 2015)) * a(c),
          rereferral_count: 200 * a(c),
          no_further_action_count: y === 2019 ? "x" : 50 * a(c),
          not_in_need_count: 300 * a(c)
        }))
      )
    },
    {
      file: "three.csv",
      text: eesTable(
        "d3",
        rows((c) => ({ CPP_start: 200 * a(c), CPP_subsequent: 40 * a(c) }))
      )
    },
    {
      file: "four.csv",
      text: eesTable(
        "d5",
        rows((c) => ({
          CPP_At31: 150 * a(c),
          "3_months_or_less": 45 * a(c),
          more_than_3_months_6_months: 35 * a(c),
          more_than_6_months_less_than_1_year: 40 * a(c),
          "1_year_less_than_2_years": 25 * a(c),
          "2_years_or_more": 5 * a(c)
        }))
      )
    },
    {
      file: "five.csv",
      text: eesTable(
        "ons",
        [2013, 2014, ...YEARS].flatMap((year) =>
          [A, B].map((council) => ({ year, council, values: { population_estimate: 20000 * a(council) } }))
        )
      )
    },
    { file: "notes.csv", text: "title,body\nREADME,nothing\n" }
  ]
}

const read = (la: string) => {
  const t = readDfeTables(files(), la)
  if (t instanceof DfeError) throw new Error(t.message)
  return t
}

describe("reading DfE's EES tables", () => {
  it("finds each table by its columns, keeps one council's rows, reads symbols as no figure", () => {
    const t = read("Northshire")
    expect([...t.files].sort()).toEqual([
      ["b1", "one.csv"],
      ["c1", "two.csv"],
      ["d3", "three.csv"],
      ["d5", "four.csv"],
      ["ons", "five.csv"]
    ])
    expect(t.unused).toEqual([{ file: "notes.csv", why: "not one of the tables read (its columns match none)" }])
    expect(valueIn(t, "b1.at31", 2019)).toBe(1000)
    expect(valueIn(t, "b1.started", 2016)).toBeNull()
    expect(valueIn(t, "c1.nfa", 2019)).toBeNull()
    expect([...t.symbols].sort()).toEqual([
      ["c", 1],
      ["x", 1]
    ])
    expect(Object.keys(SUPPRESSION)).toEqual(["c", "x", "z", "k", "low", "u", ".", ":"])
  })

  it("matches a council by its name in any case and spacing, or by either code", () => {
    for (const la of ["northshire", " NORTH SHIRE ", "E06000099", "901"]) expect(read(la).name).toBe("Northshire")
    expect(read("902").name).toBe("Southshire")
  })

  it("refuses an unknown council with the nearest names", () => {
    const t = readDfeTables(files(), "Northshore")
    expect(t).toBeInstanceOf(DfeError)
    expect((t as DfeError).message).toBe(
      '--la "Northshore": no such local authority in the tables (2 councils); did you mean "Northshire"?'
    )
  })

  it("names the file, line and column of a cell that is neither a number nor a symbol", () => {
    const given = files()
    // Line 7: Northshire's 2015 row (the National rows are not read).
    const lines = given[0].text.split("\n")
    expect(lines[6]).toContain("Northshire")
    lines[6] = lines[6].replace(/,1000,/, ",ten,")
    given[0] = { file: "one.csv", text: lines.join("\n") }
    const t = readDfeTables(given, "Northshire")
    expect((t as DfeError).message).toBe(
      "one.csv, line 7, column At31_episodes: expected a number or one of EES's symbols " +
        '(c, x, z, k, low, u, ., :), found "ten"'
    )
  })

  it("refuses a binary file and a folder with no table", () => {
    expect((readDfeTables([{ file: "book.xlsx.csv", text: "PK\u0003\u0004\u0000" }], "x") as DfeError).message).toBe(
      "book.xlsx.csv: not a CSV file (it holds NUL bytes: a workbook or a binary file?)"
    )
    expect((readDfeTables([files()[5]], "x") as DfeError).message).toMatch(/^no DfE table found among 1 file: /)
  })

  it("uses the copy with fewer columns when two files are the same table", () => {
    const given = files()
    const wider = given[2].text
      .split("\n")
      .map((l, i) => (l === "" ? l : `${l},${i === 0 ? "extra" : "1"}`))
      .join("\n")
    const t = readDfeTables([{ file: "a-wide.csv", text: wider }, ...given], "Northshire") as ReturnType<typeof read>
    expect(t.files.get("d3")).toBe("three.csv")
    expect(t.unused.find((u) => u.file === "a-wide.csv")).toEqual({
      file: "a-wide.csv",
      why: "the same table as three.csv (child protection plans started (CIN census table D3))"
    })
  })
})

describe("DfE tables as councils' downloads vary", () => {
  it("reads headers in any case, and says which file nearly is a table and what it lacks", () => {
    const given = files()
    const [head, ...rest] = given[0].text.split("\n")
    given[0] = { file: "one.csv", text: [head.toLowerCase(), ...rest].join("\n") }
    expect(valueIn(readDfeTables(given, "Northshire") as ReturnType<typeof read>, "b1.at31", 2019)).toBe(1000)
    given[0] = { file: "one.csv", text: [head.replace("At31_episodes", "At31_children"), ...rest].join("\n") }
    const t = readDfeTables(given, "Northshire") as ReturnType<typeof read>
    expect(t.files.has("b1")).toBe(false)
    expect(t.unused).toContainEqual({
      file: "one.csv",
      why: "it looks like children in need (CIN census table B1) but has no column At31_episodes"
    })
  })

  it("uses the release that reaches the latest year when a folder holds two of one table", () => {
    const given = files()
    const later = eesTable("d3", [
      ...[...YEARS, 2020].map((year) => ({ year, council: A, values: { CPP_start: 7, CPP_subsequent: 1 } }))
    ])
    const t = readDfeTables([...given, { file: "d3-later.csv", text: later }], "Northshire") as ReturnType<typeof read>
    expect(t.files.get("d3")).toBe("d3-later.csv")
    expect(valueIn(t, "d3.started", 2019)).toBe(7)
    expect(t.unused).toContainEqual({
      file: "three.csv",
      why:
        "the same table as d3-later.csv (child protection plans started (CIN census table D3), to 2019 where it " +
        "reaches 2020)"
    })
    // A release is as late as its councils' rows: a stray National row of a later year does not make it newer.
    const stray = eesTable("d3", [
      { year: 2021, council: null, values: { CPP_start: 9, CPP_subsequent: 1 } },
      ...YEARS.map((year) => ({ year, council: A, values: { CPP_start: 5, CPP_subsequent: 1 } }))
    ])
    const both = [...given, { file: "d3-later.csv", text: later }, { file: "d3-stray.csv", text: stray }]
    const withStray = readDfeTables(both, "Northshire") as ReturnType<typeof read>
    expect(withStray.files.get("d3")).toBe("d3-later.csv")
    const national = eesTable("d3", [{ year: 2021, council: null, values: { CPP_start: 9, CPP_subsequent: 1 } }])
    const nationalOnly = readDfeTables([...given, { file: "d3-national.csv", text: national }], "Northshire")
    expect((nationalOnly as ReturnType<typeof read>).unused).toContainEqual({
      file: "d3-national.csv",
      why: "the same table as three.csv (child protection plans started (CIN census table D3), with no council's rows)"
    })
  })

  it("refuses a row shorter than the header, and two different figures for one council and year", () => {
    const given = files()
    const lines = given[0].text.split("\n")
    lines[6] = lines[6].split(",").slice(0, -3).join(",")
    expect(
      (readDfeTables([{ file: "one.csv", text: lines.join("\n") }, ...given.slice(1)], "Northshire") as DfeError)
        .message
    ).toBe(
      "one.csv, line 7: expected a value in every column of the header, found none for At31_episodes (the row has " +
        "fewer fields than the header)"
    )
    const again = given[0].text.split("\n")[6].replace(",1000,", ",2000,")
    const twice = { file: "one.csv", text: `${given[0].text}${again}\n` }
    const refused = readDfeTables([twice, ...given.slice(1)], "Northshire") as DfeError
    expect(refused.message).toBe(
      "one.csv, line 17, column At31_episodes: expected one figure for Northshire in 2015, found 2000 here and " +
        "1000 at line 7"
    )
    // The same figure twice (a table by characteristic repeats its totals) is read once.
    const same = { file: "one.csv", text: `${given[0].text}${given[0].text.split("\n")[6]}\n` }
    expect(
      valueIn(readDfeTables([same, ...given.slice(1)], "Northshire") as ReturnType<typeof read>, "b1.at31", 2015)
    ).toBe(1000)
  })

  it("refuses a row longer than its header, a year out of range, a figure not decimal or beyond any council's", () => {
    const given = files()
    const lines = given[0].text.split("\n")
    const alter = (i: number, f: (l: string) => string) => {
      const copy = [...lines]
      copy[i] = f(copy[i])
      return readDfeTables([{ file: "one.csv", text: copy.join("\n") }, ...given.slice(1)], "Northshire") as DfeError
    }
    expect(alter(6, (l) => l.replace(",1000,", ",1,000,")).message).toBe(
      "one.csv, line 7: expected 19 fields as the header has, found 20 (a comma in a figure or a name must be " +
        "inside quotes)"
    )
    expect(alter(6, (l) => l.replace(/^2015/, "9999")).message).toBe(
      'one.csv, line 7, column time_period: expected a year from 1900 to 2199, found "9999"'
    )
    for (const bad of ["0x3E8", "1e3", "0b11"])
      expect(alter(6, (l) => l.replace(",1000,", `,${bad},`)).message).toMatch(
        /column At31_episodes: expected a number/
      )
    // A part above its whole in the council's row: re-referrals above referrals.
    const c1 = given[1].text.split("\n")
    const row = c1.findIndex((l) => l.includes("Northshire") && l.includes(",1000,200,"))
    c1[row] = c1[row].replace(",1000,200,", ",1000,3000,")
    const over = readDfeTables([given[0], { file: "two.csv", text: c1.join("\n") }, ...given.slice(2)], "Northshire")
    expect((over as DfeError).message).toBe(
      `two.csv, line ${row + 1}, column rereferral_count: expected at most the row's referral_count (1,000), of ` +
        "which it is a part, found 3,000"
    )
    expect(alter(6, (l) => l.replace(",1000,", ",99999999999,")).message).toBe(
      "one.csv, line 7, column At31_episodes: expected a count of at most 20,000,000 (England has about 12 " +
        'million children), found "99999999999"'
    )
  })

  it("reads only ONS's 0-17 age group, and names rows of another name read by the council's code", () => {
    const given = files()
    const ons = eesTable("ons", [
      ...YEARS.map((year) => ({ year, council: A, values: { age_group: "All ages", population_estimate: 99999 } })),
      ...YEARS.map((year) => ({
        year,
        council: A,
        values: { age_group: "Children aged 0 to 17 years", population_estimate: 20000 }
      }))
    ])
    given[4] = { file: "five.csv", text: ons }
    expect(valueIn(readDfeTables(given, "Northshire") as ReturnType<typeof read>, "ons.population", 2019)).toBe(20000)
    const other = eesTable("d3", [
      { year: 2020, council: { ...A, name: "Fooshire" }, values: { CPP_start: 9, CPP_subsequent: 1 } }
    ])
    const t = readDfeTables([...files(), { file: "six.csv", text: other }], "Northshire") as ReturnType<typeof read>
    expect(t.otherNames).toEqual(["Fooshire"])
  })

  it("reads a council recoded (a county made unitary) as one, by either code, and says so", () => {
    const recoded: Council = { name: "Northshire", newCode: "E06000100", oldCode: "901" }
    const given = files()
    const b1 = eesTable("b1", [
      ...YEARS.map((year) => ({ year, council: A, values: { At31_episodes: 1000, Started_episodes: 1200 } })),
      { year: 2020, council: recoded, values: { At31_episodes: 1100, Started_episodes: 1300 } }
    ])
    given[0] = { file: "one.csv", text: b1 }
    for (const la of ["Northshire", "E06000099", "E06000100"]) {
      const t = readDfeTables(given, la) as ReturnType<typeof read>
      expect([t.name, t.newCode, valueIn(t, "b1.at31", 2019), valueIn(t, "b1.at31", 2020)]).toEqual([
        "Northshire",
        "E06000100",
        1000,
        1100
      ])
      expect(t.codes).toEqual([
        { newCode: "E06000099", oldCode: "901", from: 2013, to: 2019 },
        { newCode: "E06000100", oldCode: "901", from: 2020, to: 2020 }
      ])
    }
  })
})

describe("estimates from the tables, by hand", () => {
  it("pools the last three years, with DfE's population denominator", () => {
    const c = dfeCalibration(read("Northshire"), 2019, "none")
    // Referrals 2017-2019: 1200 + 1300 + 1400 = 3900 over 3 x 20,000 children (mid-2016 to mid-2018).
    expect(c.referralRate!.value).toBeCloseTo((3900 / 60000) * 10000, 9)
    expect(c.newReferralRate!.value).toBeCloseTo(((3900 - 600) / 60000) * 10000, 9)
    // NFA has no 2019 figure ("x"): 2016-2018, 150 of 1100 + 1200 + 1300.
    expect(c.nfaShare!.value).toBeCloseTo(150 / 3600, 12)
    expect(c.nfaShare!.source).toContain("2016-2018")
    // CP plans: 3 x 150 at 31 March / 3 x 200 started a year = 0.75 years.
    expect(c.cpMeanDays!.value).toBeCloseTo(0.75 * 365.25, 9)
    const h = 1.959963984540054 * Math.sqrt(1 / 450 + 1 / 600)
    expect(c.cpMeanDays!.lower!).toBeCloseTo(0.75 * 365.25 * Math.exp(-h), 9)
    // CIN started has no 2016 figure ("c"); CIN less CP: (3 x 1000 - 3 x 150) / (3 x 1200), 2017-2019.
    expect(c.cinMeanDays!.value).toBeCloseTo((2550 / 3600) * 365.25, 9)
    expect(c.repeatPlanShare!.value).toBeCloseTo(0.2, 12)
    expect(c.cpAt31!.value).toBe(150)
    expect(c.population.value).toBe(20000)
    expect(c.populationGrowth).toBeNull()
    expect(c.referralTrend).toBeNull()
  })

  it("pools a suppressed count (c) as the 1 to 5 it is, not by leaving its year out", () => {
    const given = files().map((f) => {
      const lines = f.text.split("\n")
      const row = lines.findIndex((l, i) => i > 0 && l.startsWith("2018,") && l.includes(",Northshire,"))
      if (row < 0) return f
      // C1's re-referrals and D3's plans started, 2018: suppressed.
      if (f.file === "two.csv") lines[row] = lines[row].replace(",1300,200,", ",1300,c,")
      if (f.file === "three.csv") lines[row] = lines[row].replace(",,200,40,", ",,c,40,")
      return { ...f, text: lines.join("\n") }
    })
    const t = readDfeTables(given, "Northshire")
    if (t instanceof DfeError) throw new Error(t.message)
    const c = dfeCalibration(t, 2019, "none")
    // 2017-2019 still: 200 + 3 + 200 re-referrals of 1200 + 1300 + 1400 (leaving 2018 out gave 600 / 3700).
    expect(c.reReferralShare!.value).toBeCloseTo(403 / 3900, 12)
    expect(c.reReferralShare!.lower).toBeCloseTo(wilsonInterval(401, 3900)[0], 12)
    expect(c.reReferralShare!.upper).toBeCloseTo(wilsonInterval(405, 3900)[1], 12)
    expect(c.reReferralShare!.source).toContain("2017-2019; 1 suppressed count (c: 1 to 5) taken as 3")
    expect(c.newReferralRate!.value).toBeCloseTo(((3900 - 403) / 60000) * 10000, 9)
    expect(c.cpStarts!.value).toBeCloseTo(403 / 3, 12)
    expect(c.cpStarts!.lower).toBeCloseTo(poissonInterval(401)[0] / 3, 12)
    // CP plans' mean time: 450 open at 31 March over 403 started, the bounds from 401 and 405.
    expect(c.cpMeanDays!.value).toBeCloseTo((450 / 403) * 365.25, 9)
    expect(c.cpMeanDays!.upper!).toBeGreaterThan((450 / 401) * 365.25)
    // A figure not available (x) still leaves its year out: NFA's 2019.
    expect(c.nfaShare!.source).toContain("2016-2018")
  })

  it("gives D5's suppressed bands the rest of their year's total, and a suppressed stock 1 to 5", () => {
    const given = files().map((f) => {
      if (f.file !== "four.csv") return f
      const lines = f.text.split("\n").map((l) => {
        if (!l.includes(",Northshire,")) return l
        // 2019: the last two bands (25 and 5 plans) suppressed; 2018: CPP_At31 itself suppressed.
        if (l.startsWith("2019,")) return l.replace(/,40,,25,,5,$/, ",40,,c,,c,")
        if (l.startsWith("2018,")) return l.replace(",,150,45,", ",,c,45,")
        return l
      })
      return { ...f, text: lines.join("\n") }
    })
    const t = readDfeTables(given, "Northshire")
    if (t instanceof DfeError) throw new Error(t.message)
    const c = dfeCalibration(t, 2019, "none")
    // 2019's 30 hidden plans split 25 : 5 as 2017's and 2018's bands show them: the shares are unchanged.
    expect(c.d5Shares![3]).toBeCloseTo(25 / 150, 12)
    expect(c.d5Shares![4]).toBeCloseTo(5 / 150, 12)
    expect(c.cpShape!.source).toContain("2 suppressed bands (c) given the rest of their year's CPP_At31")
    expect(c.cpShape!.value).toBeLessThanOrEqual(8)
    // A 31 March stock suppressed is 3 (1 to 5), not no figure.
    const stockC = readDfeTables(
      files().map((f) =>
        f.file === "four.csv" ? { ...f, text: f.text.replace(/^(2019,.*,Northshire,),150,/m, "$1,c,") } : f
      ),
      "Northshire"
    )
    if (stockC instanceof DfeError) throw new Error(stockC.message)
    const cp = dfeCalibration(stockC, 2019, "none").cpAt31!
    expect([cp.value, cp.lower, cp.upper]).toEqual([3, poissonInterval(1)[0], poissonInterval(5)[1]])
    expect(cp.source).toContain("(suppressed, c: 1 to 5; taken as 3)")
    // The fitted shape stays within 0.2 to 8 however the bands fall.
    expect(fitCpShape(300, [0.01, 0.02, 0.07, 0.6, 0.3]).shape).toBeLessThanOrEqual(8)
  })

  it("a linear trend: the least-squares slope through the last five years over the line at --to", () => {
    const c = dfeCalibration(read("Northshire"), 2019, "linear")
    // Rates 500, 550, ..., 700 per 10,000: slope 50, line at 2019 = 700.
    expect(c.referralTrend!.value).toBeCloseTo(50 / 700, 12)
    expect(c.populationGrowth!.value).toBeCloseTo(0, 12)
    const fit = linearFit([1, 2, 3, 4], [2, 4, 5, 9], 4)
    expect(fit.slope).toBeCloseTo(2.2, 12)
    expect(fit.value).toBeCloseTo(5 + 2.2 * 1.5, 12)
  })

  it("Poisson and Wilson intervals", () => {
    const [lo, hi] = poissonInterval(100)
    expect(lo).toBeCloseTo(81.36, 1) // exact: 81.36, 121.63
    expect(hi).toBeCloseTo(121.63, 1)
    const [a, b] = wilsonInterval(30, 100)
    expect(a).toBeCloseTo(0.2189, 4)
    expect(b).toBeCloseTo(0.3958, 4)
  })

  it("the CP gamma shape fitted to D5's bands recovers the law the bands were made from", () => {
    for (const [shape, mean] of [
      [2, 300],
      [0.7, 250],
      [4, 400]
    ]) {
      let prev = 0
      const shares = [...D5_EDGES, Infinity].map((x) => {
        const g = x === Infinity ? 1 : gammaEquilibriumCdf(shape, mean, x)
        const s = g - prev
        prev = g
        return s
      })
      expect(fitCpShape(mean, shares).shape).toBeCloseTo(shape, 1)
    }
  })
})
