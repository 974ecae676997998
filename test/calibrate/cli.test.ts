/**
 * `caseflow calibrate` through the command line, in this process: synthetic returns calibrated with both
 * outputs written (the same bytes every time, CRLF and a byte-order mark read the same as LF), and bad files
 * and flags of every kind refused with exit 2, one message naming the file (and line) or the flag, and
 * nothing written.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { cli, filesUnder } from "../support/cli.js"
import { DEFAULT_TRUTH, synthetic } from "../support/ssda903.js"

let base: string
let n = 0
beforeAll(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), "caseflow-calibrate-"))
})
afterAll(() => fs.rmSync(base, { recursive: true, force: true }))

const small = { ...DEFAULT_TRUTH, entriesPerYear: 60, years: [2020, 2021, 2022], seed: "cli" }

/** A folder with the files (text or bytes) given; returns its path. */
const folder = (files: ReadonlyArray<readonly [string, string | Uint8Array]>): string => {
  const dir = path.join(base, `case-${++n}`)
  fs.mkdirSync(dir)
  for (const [name, content] of files) fs.writeFileSync(path.join(dir, name), content)
  return dir
}

/** The synthetic returns' files in a folder, and the arguments naming them (several after one flag). */
const returns = (options: Parameters<typeof synthetic>[1] = {}, truth = small) => {
  const s = synthetic(truth, options)
  const dir = folder(s.files)
  const of = (role: string) => s.files.filter(([f]) => f.includes(role)).map(([f]) => path.join(dir, f))
  return { dir, s, args: ["--episodes", ...of("episodes"), "--header", ...of("header"), "--uasc", ...of("uasc")] }
}

describe("caseflow calibrate", () => {
  it("writes the calibration table and the problems, prints both, and gives the same bytes every time", async () => {
    const { dir, args } = returns()
    const out = path.join(dir, "out")
    const r = await cli([
      "calibrate",
      ...args,
      "--table",
      path.join(out, "table.csv"),
      "--problems",
      path.join(out, "p.csv")
    ])
    expect(r.stderr).toBe("")
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/collection years 2020 to 2022/)
    expect(r.stdout).toMatch(/Dirty data: none found/)
    expect(r.stdout).toMatch(/Calibration table/)
    expect(r.stdout).toMatch(/time in care: median \(days\)/)
    const table = fs.readFileSync(path.join(out, "table.csv"), "utf8")
    expect(table.split("\n")[0]).toBe("measure,breakdown,value,lower_95,upper_95,observations,unit,method,source")
    expect(fs.readFileSync(path.join(out, "p.csv"), "utf8")).toBe(
      "file,line,child,rule,field,value,handling,rule_title\n"
    )
    const again = path.join(dir, "again")
    expect((await cli(["calibrate", ...args, "--table", path.join(again, "table.csv")])).code).toBe(0)
    expect(fs.readFileSync(path.join(again, "table.csv"), "utf8")).toBe(table)
  })

  it("reads CRLF line endings and a byte-order mark as it reads plain LF files", async () => {
    const plain = returns()
    const crlf = returns({ eol: "\r\n" })
    for (const f of filesUnder(crlf.dir)) {
      const p = path.join(crlf.dir, f)
      fs.writeFileSync(p, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), fs.readFileSync(p)]))
    }
    const a = await cli(["calibrate", ...plain.args, "--table", path.join(plain.dir, "t.csv")])
    const b = await cli(["calibrate", ...crlf.args, "--table", path.join(crlf.dir, "t.csv")])
    expect([a.code, b.code]).toEqual([0, 0])
    const strip = (t: string) => t.replace(/case-\d+\//g, "")
    expect(strip(fs.readFileSync(path.join(crlf.dir, "t.csv"), "utf8"))).toBe(
      strip(fs.readFileSync(path.join(plain.dir, "t.csv"), "utf8"))
    )
  })

  it("writes the problems and the children in care to other folders together with the table", async () => {
    const { dir, args, s } = returns()
    const r = await cli([
      "calibrate",
      ...args,
      "--table",
      path.join(dir, "a", "t.csv"),
      "--problems",
      path.join(dir, "b", "p.csv"),
      "--children",
      path.join(dir, "c", "children.csv")
    ])
    expect(r.code).toBe(0)
    expect(filesUnder(path.join(dir, "a"))).toEqual(["t.csv"])
    expect(filesUnder(path.join(dir, "b"))).toEqual(["p.csv"])
    expect(filesUnder(path.join(dir, "c"))).toEqual(["children.csv"])
    // One row per child in care on 31 March 2022, as the synthetic returns hold them.
    const last = s.end - 1
    const inCare = s.children.filter((c) => c.episodes.some((e) => e.start <= last && (e.end === null || e.end > last)))
    const rows = fs
      .readFileSync(path.join(dir, "c", "children.csv"), "utf8")
      .trim()
      .split("\n")
    expect(rows[0].split(",")).toEqual([
      "child",
      "date_of_birth",
      "age",
      "sex",
      "uasc",
      "placement",
      "legal_status",
      "period_start",
      "period_start_known",
      "days_in_care",
      "episode_start"
    ])
    expect(rows.slice(1).map((l) => l.split(",")[0])).toEqual(inCare.map((c) => c.child).sort())
  })

  it("reads one council of a multi-LA extract with --la", async () => {
    const { dir, args } = returns({ shape: "iso", las: ["E1", "E2"] })
    const r = await cli(["calibrate", ...args, "--la", "E2", "--table", path.join(dir, "t.csv")])
    expect(r.stderr).toBe("")
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/the multi-LA shape/)
    // The council named in another case and spacing gives the same table.
    const again = await cli(["calibrate", ...args, "--la", " e2 ", "--table", path.join(dir, "t2.csv")])
    expect(again.code, again.stderr).toBe(0)
    expect(fs.readFileSync(path.join(dir, "t2.csv"), "utf8")).toBe(fs.readFileSync(path.join(dir, "t.csv"), "utf8"))
  })

  it("takes an LA column's values that differ only in case and spacing as one council", async () => {
    const { dir, args, s } = returns({ shape: "iso", las: ["Tameside"] })
    // Half of each file's rows with the council written otherwise, as one extract's sources may write it.
    for (const [f] of s.files) {
      const file = path.join(dir, f)
      const lines = fs.readFileSync(file, "utf8").split("\n")
      const out = lines.map((l, i) => (i > 0 && i % 2 === 0 ? l.replace(/\bTameside\b/, " TAMESIDE") : l))
      fs.writeFileSync(file, out.join("\n"))
    }
    const r = await cli(["calibrate", ...args, "--table", path.join(dir, "t.csv")])
    expect(r.code, r.stderr).toBe(0)
    const named = await cli(["calibrate", ...args, "--la", "tameside", "--table", path.join(dir, "t2.csv")])
    expect(named.code, named.stderr).toBe(0)
    expect(fs.readFileSync(path.join(dir, "t2.csv"), "utf8")).toBe(fs.readFileSync(path.join(dir, "t.csv"), "utf8"))
  })
})

const EPISODES = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC\n"
const HEADER = "CHILD,SEX,DOB\nA,1,01/01/2010\n"

/** Runs calibrate on one episodes file (content given) and a good header; expects exit 2 and nothing written. */
const refused = async (
  episodes: string | Uint8Array,
  message: RegExp,
  extra: ReadonlyArray<string> = [],
  name = "2020-episodes.csv"
) => {
  const dir = folder([
    [name, episodes],
    ["2020-header.csv", HEADER]
  ])
  const out = path.join(dir, "out")
  const r = await cli([
    "calibrate",
    "--episodes",
    path.join(dir, name),
    "--header",
    path.join(dir, "2020-header.csv"),
    "--table",
    path.join(out, "t.csv"),
    ...extra
  ])
  expect(r.stderr).toMatch(message)
  expect(r.stderr.trim().split("\n")).toHaveLength(1)
  expect(r.code).toBe(2)
  expect(filesUnder(out)).toEqual([])
  expect(fs.existsSync(out)).toBe(false)
}

describe("bad files: exit 2, the file (and line) named, nothing written", () => {
  it("an Excel workbook", async () => {
    await refused(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), /2020-episodes\.csv: an Excel workbook \(\.xlsx\)/)
    await refused(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1]), /an Excel 97-2003 workbook \(\.xls\)/)
  })

  it("UTF-16 text, and text in another encoding than UTF-8 (with its line)", async () => {
    await refused(new Uint8Array([0xff, 0xfe, 0x43, 0x00, 0x48, 0x00]), /UTF-16 text/)
    const latin1 = Buffer.concat([Buffer.from(`${EPISODES}A,01/05/2020,S,C2,N1,U4,PR1,,\nA,`), Buffer.from([0xa3])])
    await refused(latin1, /2020-episodes\.csv, line 3: not UTF-8 text: byte 0xa3/)
  })

  it("start dates in a format the return does not use: the first one shown, with its line", async () => {
    await refused(
      `${EPISODES}A,01-05-2020,S,C2,N1,U4,PR1,,\n`,
      new RegExp(
        "2020-episodes\\.csv, line 2: no episode has a valid start date \\(DECOM\\), so the collection year " +
          'cannot be told: expected a date as DD/MM/YYYY, found "01-05-2020"'
      )
    )
  })

  it("missing columns, named", async () => {
    await refused("CHILD,DECOM,RNE\nA,01/05/2020,S\n", /line 1: not an SSDA903 episodes file: missing columns LS, CIN/)
  })

  it("a row of the wrong length, a quote left open, semicolons between fields", async () => {
    await refused(`${EPISODES}A,01/05/2020,S,C2\n`, /line 2: 4 fields where the header has 9/)
    await refused(`${EPISODES}A,"01/05/2020,S,C2,N1,U4,PR1,,\n`, /line 2: a quoted field is never closed/)
    await refused(
      "CHILD;DECOM;RNE;LS;CIN;PLACE;PLACE_PROVIDER;DEC;REC\nA;01/05/2020;S;C2;N1;U4;PR1;;\n",
      /missing columns .*semicolons or tabs between the fields\? caseflow reads comma-separated files/
    )
  })

  it("dates in two formats, or ISO dates without the multi-LA columns", async () => {
    await refused(
      `${EPISODES}A,01/05/2020,S,C2,N1,U4,PR1,,\nA,2020-06-01,P,C2,N1,U4,PR1,,\n`,
      /line 3: the file mixes date formats: dd\/mm\/yyyy on line 2, yyyy-mm-dd on line 3/
    )
    await refused(`${EPISODES}A,2020-05-01,S,C2,N1,U4,PR1,,\n`, /yyyy-mm-dd dates without LA and YEAR columns/)
  })

  it("no such file, a folder, an empty file", async () => {
    const dir = folder([["2020-header.csv", HEADER]])
    const r = await cli([
      "calibrate",
      "--episodes",
      path.join(dir, "nope.csv"),
      "--header",
      path.join(dir, "2020-header.csv"),
      "--table",
      path.join(dir, "out", "t.csv")
    ])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/nope\.csv/)
    await refused("", /the file is empty/)
  })

  it("--la with a raw return; a multi-LA extract of several councils without --la", async () => {
    await refused(`${EPISODES}A,01/05/2020,S,C2,N1,U4,PR1,,\n`, /--la picks a council in the multi-LA shape/, [
      "--la",
      "X"
    ])
    const { dir, args } = returns({ shape: "iso", las: ["E1", "E2"] })
    const r = await cli(["calibrate", ...args, "--table", path.join(dir, "out", "t.csv")])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/rows of 2 councils \(E1, E2\): choose one with --la/)
    expect(fs.existsSync(path.join(dir, "out"))).toBe(false)
  })

  it("returns with a year missing between them", async () => {
    const { dir, s } = returns()
    const keep = s.files.filter(([f]) => !f.startsWith("2020-")).map(([f]) => path.join(dir, f))
    const r = await cli([
      "calibrate",
      "--episodes",
      ...keep.filter((f) => f.includes("episodes")),
      "--header",
      ...keep.filter((f) => f.includes("header")),
      "--table",
      path.join(dir, "out", "t.csv")
    ])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/no episodes for collection year 2021 \(2020 and 2022 are given\)/)
  })
})

describe("an episode start after its return's year", () => {
  it("is refused at its line (a typo of 9999 read the whole file as the return of year 10000)", async () => {
    const { dir, s, args } = returns()
    const name = s.files.map(([f]) => f).find((f) => f.includes("2021") && f.includes("episodes"))!
    const file = path.join(dir, name)
    const lines = fs.readFileSync(file, "utf8").split("\n")
    lines[3] = lines[3].replace(/^([^,]*),[^,]*,/, "$1,31/12/9999,")
    fs.writeFileSync(file, lines.join("\n"))
    const r = await cli(["calibrate", ...args, "--table", path.join(dir, "out", "t.csv")])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`${file}, line 4: column DECOM: 9999-12-31 is after 31 March 2022, the end of`)
    expect(fs.existsSync(path.join(dir, "out"))).toBe(false)
  })

  it("a single header file goes with episodes files whose names give no year", async () => {
    const { dir, s } = returns()
    const latest = (role: string) =>
      s.files
        .map(([f]) => f)
        .filter((f) => f.includes(role))
        .sort()[2]
    fs.copyFileSync(path.join(dir, latest("episodes")), path.join(dir, "eps.csv"))
    const r = await cli([
      "calibrate",
      ...["--episodes", path.join(dir, "eps.csv"), "--header", path.join(dir, latest("header"))],
      ...["--table", path.join(dir, "out", "t.csv")]
    ])
    expect(r.stderr).toBe("")
    expect(r.code).toBe(0)
  })
})

describe("returns without UASC files, on a template with a UASC stream", () => {
  it("write a valid scenario, the template's former UASC care leavers taken as other care leavers", async () => {
    const { dir, args } = returns()
    const withoutUasc = args.slice(0, args.indexOf("--uasc"))
    const out = path.join(dir, "s.yaml")
    const r = await cli(["calibrate", ...withoutUasc, "--template", "scenarios/default.yaml", "--out", out])
    expect(r.stderr).toBe("")
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/the template's \d+ former UASC children in its starting caseload are taken as other/)
    const text = fs.readFileSync(out, "utf8")
    expect(text).not.toMatch(/^uasc:/m)
    expect(text).not.toMatch(/uasc: true/) // and it is valid: calibrate checks the scenario it writes
  })
})

describe("--to that is no date at all", () => {
  it("says what --to takes once, not twice", async () => {
    const { dir, args } = returns()
    const r = await cli(["calibrate", ...args, "--to", "0", "--table", path.join(dir, "t.csv")])
    expect([r.code, r.stderr]).toEqual([
      2,
      'caseflow: --to: expected a date written YYYY-MM-DD or a year such as 2021, found "0"\n'
    ])
  })
})

describe("bad flags: exit 2, the flag named, nothing written", () => {
  it("a flag without its files, an empty file name, a missing --table", async () => {
    const dir = folder([["2020-header.csv", HEADER]])
    const h = path.join(dir, "2020-header.csv")
    const none = await cli(["calibrate", "--episodes", "--header", h, "--table", path.join(dir, "t.csv")])
    expect([none.code, none.stderr]).toEqual([2, 'caseflow: --episodes: expected a value, found the flag "--header"\n'])
    const empty = await cli(["calibrate", "--episodes", h, "--header", h, "--table", ""])
    expect([empty.code, empty.stderr]).toEqual([2, 'caseflow: --table: expected a file, found ""\n'])
    const table = await cli(["calibrate", "--episodes", h, "--header", h])
    expect(table.code).toBe(2)
    expect(table.stderr).toMatch(/--table/)
    expect(filesUnder(dir)).toEqual(["2020-header.csv"])
  })

  it("--help names --out and --template", async () => {
    const r = await cli(["calibrate", "--help"])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/with --out, a scenario \(care from the returns, the rest from --template\)/)
    expect(r.stdout).toMatch(/--template/)
  })

  it("dates that are not dates, or outside the data, or the wrong way round", async () => {
    const good = `${EPISODES}A,01/05/2020,S,C2,N1,U4,PR1,,\n`
    await refused(good, /--from: expected a date written YYYY-MM-DD \(February 2021 has 28 days/, [
      "--from",
      "2021-02-29"
    ])
    await refused(good, /--from 2019-01-01: the data cover 2020-04-01 to 2021-03-31/, ["--from", "2019-01-01"])
    await refused(good, /--to 2020-05-01 is before --from 2020-06-01/, ["--from", "2020-06-01", "--to", "2020-05-01"])
  })

  it("an output that is an input, and one file for both outputs", async () => {
    const dir = folder([
      ["2020-episodes.csv", `${EPISODES}A,01/05/2020,S,C2,N1,U4,PR1,,\n`],
      ["2020-header.csv", HEADER]
    ])
    const ep = path.join(dir, "2020-episodes.csv")
    const before = fs.readFileSync(ep, "utf8")
    const r = await cli(["calibrate", "--episodes", ep, "--header", path.join(dir, "2020-header.csv"), "--table", ep])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/--table: .*2020-episodes\.csv would overwrite an episodes file being read/)
    expect(fs.readFileSync(ep, "utf8")).toBe(before)
    const hd = path.join(dir, "2020-header.csv")
    const t0 = path.join(dir, "t0.csv")
    const onHeader = await cli(["calibrate", "--episodes", ep, "--header", hd, "--table", t0, "--problems", hd])
    expect(onHeader.stderr).toMatch(/--problems: .*2020-header\.csv would overwrite a header file being read/)
    const t = path.join(dir, "t.csv")
    const both = await cli([
      "calibrate",
      "--episodes",
      ep,
      "--header",
      path.join(dir, "2020-header.csv"),
      "--table",
      t,
      "--problems",
      t
    ])
    expect(both.code).toBe(2)
    expect(both.stderr).toMatch(/--problems .*t\.csv: the same file as one of the --table files/)
    expect(fs.existsSync(t)).toBe(false)
  })
})
