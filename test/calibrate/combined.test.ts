/**
 * `caseflow calibrate --episodes ... --header ... --dfe DIR --la X --out S --template T`: the two sources
 * combined. On generated returns and EES tables, the children in care (levels.looked_after, the children in
 * care at the start) are those of the returns alone and the front door, children in need, child protection and
 * the population those of the tables alone: each half checked against the run that reads only that source,
 * so ignoring either source fails. Then the refusals (exit 2, one line, nothing written), and the shared data
 * (DfE's tables with the public synthetic SSDA903 sample) when it is there.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as YAML from "yaml"
import { cli, filesUnder } from "../support/cli.js"
import { syntheticTables } from "../support/dfe.js"
import { DEFAULT_TRUTH, synthetic } from "../support/ssda903.js"
import { sampleFlags, sharedData } from "../support/sharedData.js"

const root = path.resolve(import.meta.dirname, "../..")
const template = path.join(root, "test/fixtures/small.yaml")
const council = { name: "Northshire", newCode: "E06000099", oldCode: "901" }
const small = { ...DEFAULT_TRUTH, entriesPerYear: 60, years: [2020, 2021, 2022], seed: "combined" }

let base = ""
let n = 0
let args: Array<string> = []
beforeAll(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), "caseflow-combined-"))
  const s = synthetic(small, {})
  const dir = path.join(base, "returns")
  fs.mkdirSync(dir)
  for (const [f, content] of s.files) fs.writeFileSync(path.join(dir, f), content)
  const of = (role: string) => s.files.filter(([f]) => f.includes(role)).map(([f]) => path.join(dir, f))
  args = ["--episodes", ...of("episodes"), "--header", ...of("header"), "--uasc", ...of("uasc")]
  syntheticTables(path.join(base, "dfe"), council, [2016, 2017, 2018, 2019, 2020, 2021, 2022])
  syntheticTables(path.join(base, "dfe-to-2019"), council, [2013, 2014, 2015, 2016, 2017, 2018, 2019])
})
afterAll(() => fs.rmSync(base, { recursive: true, force: true }))

const folder = (): string => {
  const dir = path.join(base, `case-${++n}`)
  fs.mkdirSync(dir)
  return dir
}

type Obj = Record<string, unknown>
const read = (file: string): Obj => YAML.parse(fs.readFileSync(file, "utf8")) as Obj
const levels = (s: Obj): Obj => s.levels as Obj
const caseload = (s: Obj, care: boolean): Array<Obj> =>
  (s.startingCaseload as Array<Obj>).filter((g) => (g.level === "looked_after") === care)
/** The front door's outcomes for a child referred at `age` (a table for all ages, or `byAge`). */
const frontDoorAt = (s: Obj, age: number): Array<Obj> => {
  const fd = (s.referrals as Obj).frontDoor
  if (Array.isArray(fd)) return fd as Array<Obj>
  const band = ((fd as Obj).byAge as Array<Obj>).find((b) => {
    const [lo, hi] = b.ages as [number, number]
    return lo <= age && age <= hi
  })
  return (band?.outcomes ?? []) as Array<Obj>
}
const without = (o: Obj, key: string): Obj => Object.fromEntries(Object.entries(o).filter(([k]) => k !== key))

describe("calibrate with SSDA903 returns and --dfe together", () => {
  it("takes children in care from the returns and the rest from DfE's tables, and says so", async () => {
    const dir = folder()
    const both = path.join(dir, "both.yaml")
    const only903 = path.join(dir, "903.yaml")
    const onlyDfe = path.join(dir, "dfe.yaml")
    const dfe = path.join(base, "dfe")
    const r = await cli([
      "calibrate",
      ...args,
      "--dfe",
      dfe,
      "--la",
      "Northshire",
      "--out",
      both,
      "--template",
      template
    ])
    expect(r.stderr).toBe("")
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/Calibration table\n/)
    expect(r.stdout).toMatch(/Calibration table \(from DfE tables\)/)
    expect(r.stdout).toMatch(/Northshire \(E06000099, 901\), to 31 March 2022/)
    const a = await cli(["calibrate", ...args, "--out", only903, "--template", template])
    const c = await cli([
      "calibrate",
      "--dfe",
      dfe,
      "--la",
      "Northshire",
      "--to",
      "2022",
      "--costs",
      template,
      "--out",
      onlyDfe
    ])
    expect([a.code, c.code]).toEqual([0, 0])
    const [s, s903, sDfe, tpl] = [read(both), read(only903), read(onlyDfe), read(template)]

    // Care from the returns: as calibrating the returns alone makes it, not as the tables do.
    expect(levels(s).looked_after).toEqual(levels(s903).looked_after)
    expect(levels(s).looked_after).not.toEqual(levels(sDfe).looked_after)
    expect(caseload(s, true)).toEqual(caseload(s903, true))
    expect(caseload(s, true).length).toBeGreaterThan(20)
    expect(s.uasc).toEqual(s903.uasc)
    expect(s.start).toBe("2022-04-01")

    // The front door, levels below care and the population from the tables, not the template.
    expect(s.population).toEqual(sDfe.population)
    expect((s.population as Obj).children).not.toBe((tpl.population as Obj).children)
    const front = (x: Obj) => without(x.referrals as Obj, "frontDoor")
    expect(front(s)).toEqual(front(sDfe))
    // The front door's outcomes are the tables', but for the chance of going into care (scaled to the returns'
    // entries by age band, the others sharing the rest in the tables' proportions).
    for (let age = 0; age < 18; age++) {
      const [mine, theirs] = [frontDoorAt(s, age), frontDoorAt(sDfe, age)]
      const rest = (rows: Array<Obj>) => {
        const others = rows.filter((o) => o.to !== "looked_after")
        const sum = others.reduce((t, o) => t + Number(o.probability), 0)
        return others.map((o) => [o.to, o.reason ?? null, Number(o.probability) / sum] as const)
      }
      const [a, b] = [rest(mine), rest(theirs)]
      expect(a.map(([to, reason]) => [to, reason])).toEqual(b.map(([to, reason]) => [to, reason]))
      a.forEach(([, , p], i) => expect(p).toBeCloseTo(b[i][2], 4))
    }
    expect((s.referrals as Obj).ratePer10k).not.toBe((s903.referrals as Obj).ratePer10k)
    for (const level of ["child_in_need", "child_protection"]) {
      const duration = (x: Obj) => (levels(x)[level] as Obj).duration
      expect(duration(s)).toEqual(duration(sDfe))
      expect(duration(s)).not.toEqual(duration(s903))
    }
    expect(caseload(s, false)).toEqual(caseload(sDfe, false))
    expect(caseload(s, false)).not.toEqual(caseload(s903, false))

    // Each number's comment names its source: the returns for care, the DfE table rows for the rest.
    const text = fs.readFileSync(both, "utf8")
    expect(text).toMatch(/ratePer10k: [\d.]+ # new referrals per 10,000: .*\(CIN census table C1\)/)
    expect(text).toMatch(/children: 20000 # ONS 0-17 population/)
    expect(text).toMatch(
      /trendPerYear: 0 # --trend none: no trend; the returns' trend of entries to care is a yearly ratio of [\d.]+ /
    )
    expect(text).toMatch(/# SSDA903 2019-04-01 to 2022-03-31: /)
    expect(text).toMatch(/The template is caseflow calibrate --dfe .* --la "Northshire" --to 2022/)
    // The calibration table lists both sources' estimates.
    const table = fs.readFileSync(path.join(dir, "both-calibration.csv"), "utf8")
    expect(table).toMatch(/\nentries to care per year,all,.*episodes\.csv/)
    expect(table).toMatch(/\nchild protection,plans started a year,.*\(CIN census table D3\)/)
    expect(table).toMatch(/\nreferrals,all referrals,/)
    // And it validates.
    expect((await cli(["validate", both])).code).toBe(0)
  })

  it("refuses --dfe without --la, --out or --template, a --to not on 31 March or past the tables", async () => {
    const dir = folder()
    const out = path.join(dir, "s.yaml")
    const dfe = ["--dfe", path.join(base, "dfe")]
    const cases: Array<[Array<string>, string]> = [
      [[...dfe, "--out", out, "--template", template], "--la: with --dfe, name the council (its name or LA code)"],
      [
        [...dfe, "--la", "Northshire", "--table", path.join(dir, "t.csv")],
        "--out: with --dfe, give the scenario file to write"
      ],
      [
        [...dfe, "--la", "Northshire", "--out", out],
        "--template: with --dfe, give the template scenario for unit costs (e.g. scenarios/default.yaml)"
      ],
      [
        [...dfe, "--la", "Northshire", "--out", out, "--template", template, "--to", "2021-06-30"],
        "--to 2021-06-30: with --dfe, give a year ending 31 March (e.g. --to 2021)"
      ],
      [
        ["--dfe", path.join(base, "dfe-to-2019"), "--la", "Northshire", "--out", out, "--template", template],
        "--to 2022: the tables give Northshire no children in need (B1) or CP plans (D5) at 31 March 2022 " +
          "(they cover 2013 to 2019)"
      ],
      [
        [...dfe, "--la", "Southshire", "--out", out, "--template", template],
        "--la" // the tables' own message, naming the councils they hold
      ]
    ]
    for (const [more, message] of cases) {
      const r = await cli(["calibrate", ...args, ...more])
      expect(r.code, message).toBe(2)
      expect(r.stdout).toBe("")
      expect(r.stderr.startsWith(`caseflow: ${message}`), r.stderr).toBe(true)
      expect(r.stderr.trim().split("\n")).toHaveLength(1)
    }
    expect(filesUnder(dir)).toEqual([])
  })
})

const sample = sharedData(
  "903-sample",
  "2017-episodes.csv",
  "test/calibrate/combined.test.ts",
  "the public SSDA903 sample with DfE's tables"
)
const dfeShared = sharedData(
  "dfe",
  "b1_children_in_need_2013_to_2021.csv",
  "test/calibrate/combined.test.ts",
  "the public SSDA903 sample with DfE's tables"
)

describe.skipIf(sample === undefined || dfeShared === undefined)("the SSDA903 sample with DfE's tables", () => {
  it("writes a scenario for Tameside's front door around the sample's children in care that validates", async () => {
    const dir = folder()
    const out = path.join(dir, "sample.yaml")
    const r = await cli([
      "calibrate",
      ...sampleFlags(sample ?? ""),
      "--dfe",
      dfeShared ?? "",
      "--la",
      "357",
      "--to",
      "2021",
      "--out",
      out,
      "--template",
      template
    ])
    expect(r.stderr).toBe("")
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/Tameside \(E08000008, 357\), to 31 March 2021/)
    const text = fs.readFileSync(out, "utf8")
    expect(text).toMatch(/\n {2}children: \d+ # ONS 0-17 population/)
    expect(text).toMatch(/# SSDA903 2017-04-01 to 2021-03-31: /)
    expect((await cli(["validate", out])).code).toBe(0)
  })
})
