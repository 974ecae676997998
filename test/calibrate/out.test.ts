/**
 * `caseflow calibrate --out scenario.yaml --template FILE` and `caseflow run --ssda903 DIR` through the
 * command line, in this process: the scenario written from the project's own synthetic returns validates
 * and runs and is the same bytes every time, every number in its care part carries a comment; a run's
 * SSDA903 files are read back with no dirty-data problem and calibrated again; bad flags are refused with
 * exit 2 and nothing written. And, when the shared data folder is there, the same on the public synthetic
 * SSDA903 sample (skipped, with a message, elsewhere).
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { cli, filesUnder } from "../support/cli.js"
import { DEFAULT_TRUTH, synthetic } from "../support/ssda903.js"
import { sampleFlags, sharedData } from "../support/sharedData.js"

const root = path.resolve(import.meta.dirname, "../..")
const template = path.join(root, "test/fixtures/small.yaml")
let base: string
let n = 0
beforeAll(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), "caseflow-calibrate-out-"))
})
afterAll(() => fs.rmSync(base, { recursive: true, force: true }))

const folder = (): string => {
  const dir = path.join(base, `case-${++n}`)
  fs.mkdirSync(dir)
  return dir
}

/** The project's own synthetic returns (known rates) in a folder, and the flags naming them. */
const returns = () => {
  const s = synthetic({ ...DEFAULT_TRUTH, entriesPerYear: 80, years: [2020, 2021, 2022], seed: "out" })
  const dir = folder()
  for (const [name, text] of s.files) fs.writeFileSync(path.join(dir, name), text)
  const of = (role: string) => s.files.filter(([f]) => f.includes(role)).map(([f]) => path.join(dir, f))
  return { dir, args: ["--episodes", ...of("episodes"), "--header", ...of("header"), "--uasc", ...of("uasc")] }
}

describe("caseflow calibrate --out", () => {
  it("writes a scenario that validates and runs, the same bytes every time, with the table beside it", async () => {
    const { dir, args } = returns()
    const out = path.join(dir, "calibrated.yaml")
    const r = await cli(["calibrate", ...args, "--out", out, "--template", template, "--population", "12000"])
    expect(r.stderr).toBe("")
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/Scenario: .*calibrated\.yaml \(from the returns and /)
    expect(fs.existsSync(path.join(dir, "calibrated-calibration.csv"))).toBe(true)
    const text = fs.readFileSync(out, "utf8")
    // Care from the returns, each number with its source; the start the day after the window.
    expect(text).toMatch(/^start: 2022-04-01 # the day after the window's last day \(2022-03-31\)/m)
    expect(text).toMatch(/children: 12000 # the council's children aged 0-17 \(--population\)/)
    expect(text).toMatch(/# SSDA903 2019-04-01 to 2022-03-31: age at entry under 1: (exponential|Weibull) by maximum/)
    expect(text).toMatch(
      /uasc:\n {2}perYear: [\d.]+ # SSDA903 2019-04-01 to 2022-03-31: \d+ UASC children entering care/
    )
    expect(text).toMatch(/level: looked_after, placement: \w+, count: 1, ages: \[ \d+, \d+ \], dateOfBirth: /)
    const care = text.slice(text.indexOf("  looked_after:"), text.indexOf("  care_leaver:"))
    for (const line of care.split("\n"))
      if (/: \d|probability|mix:|mean:/.test(line) && !/^\s*#/.test(line))
        expect(line.includes("#") || /^\s+- \{ reason/.test(line), line).toBe(true)
    const v = await cli(["validate", out])
    expect([v.code, v.stderr]).toEqual([0, ""])
    const run = await cli(["run", out, "--years", "1", "--out", path.join(dir, "run")])
    // (It warns that the template's later dated changes fall after a one-year run.)
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/Looked after/)
    const again = path.join(dir, "again.yaml")
    const r2 = await cli(["calibrate", ...args, "--out", again, "--template", template, "--population", "12000"])
    expect(r2.code).toBe(0)
    expect(fs.readFileSync(again, "utf8")).toBe(text)
  })

  it("refuses --out without --template, its flags without --out, and the template as the output", async () => {
    const { dir, args } = returns()
    const before = filesUnder(dir)
    const out = path.join(dir, "s.yaml")
    const none = await cli(["calibrate", ...args, "--out", out])
    expect([none.code, none.stderr]).toEqual([
      2,
      "caseflow: --template: give the scenario the parts below care come from (SSDA903 covers only children in " +
        "care), e.g. --template scenarios/default.yaml\n"
    ])
    const alone = await cli(["calibrate", ...args, "--table", path.join(dir, "t.csv"), "--template", template])
    expect([alone.code, alone.stderr]).toEqual([
      2,
      "caseflow: --template: applies only with --out (writing a scenario)\n"
    ])
    const pop = await cli(["calibrate", ...args, "--out", out, "--template", template, "--population", "0"])
    expect(pop.code).toBe(2)
    expect(pop.stderr).toMatch(/--population: expected a whole number of children aged 0-17 from 1 to 100,000,000/)
    const copy = path.join(dir, "template.yaml")
    fs.copyFileSync(template, copy)
    const self = await cli(["calibrate", ...args, "--out", copy, "--template", copy])
    expect(self.code).toBe(2)
    expect(self.stderr).toMatch(/^caseflow: --out: .*template\.yaml would overwrite the template scenario, /)
    expect(filesUnder(dir)).toEqual([...before, "template.yaml"].sort())
  })
})

describe("caseflow run --ssda903", () => {
  it("writes each whole collection year, read back with no problem and calibrated again", async () => {
    const dir = folder()
    const returnsDir = path.join(dir, "903")
    fs.mkdirSync(returnsDir)
    // An earlier run's year that this one does not write goes; a file of the council's own stays.
    fs.writeFileSync(path.join(returnsDir, "episodes_2040-41.csv"), "old\n")
    fs.writeFileSync(path.join(returnsDir, "notes.txt"), "mine\n")
    const r = await cli(["run", template, "--out", path.join(dir, "out"), "--ssda903", returnsDir])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/SSDA903 returns: 6 files in /)
    expect(filesUnder(returnsDir)).toEqual([
      "episodes_2025-26.csv",
      "episodes_2026-27.csv",
      "episodes_2027-28.csv",
      "header_2025-26.csv",
      "header_2026-27.csv",
      "header_2027-28.csv",
      "notes.txt"
    ])
    const episodes = fs.readFileSync(path.join(returnsDir, "episodes_2026-27.csv"), "utf8").split("\n")
    expect(episodes[0]).toBe(
      "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN"
    )
    expect(episodes[1]).toMatch(
      /^\d+,\d\d\/\d\d\/\d{4},[SPLB],C2,N1,[A-Z]\d,PR\d,(\d\d\/\d\d\/\d{4},(X1|E\w+))?,,,,,?$/
    )
    // The same run gives the same files.
    const again = path.join(dir, "again")
    expect((await cli(["run", template, "--out", path.join(dir, "out2"), "--ssda903", again])).code).toBe(0)
    for (const f of filesUnder(again))
      expect(fs.readFileSync(path.join(again, f), "utf8"), f).toBe(fs.readFileSync(path.join(returnsDir, f), "utf8"))
    const of = (role: string) =>
      filesUnder(returnsDir)
        .filter((f) => f.startsWith(role))
        .map((f) => path.join(returnsDir, f))
    const c = await cli([
      "calibrate",
      "--episodes",
      ...of("episodes"),
      "--header",
      ...of("header"),
      "--out",
      path.join(dir, "back.yaml"),
      "--template",
      template
    ])
    expect(c.code).toBe(0)
    expect(c.stdout).toMatch(/Dirty data: none found/)
    expect(c.stdout).toMatch(/collection years 2026 to 2028/)
    expect((await cli(["validate", path.join(dir, "back.yaml")])).code).toBe(0)
  })
})

describe("caseflow replay --ssda903", () => {
  it("folds the same SSDA903 files from the event log as the run wrote", async () => {
    const dir = folder()
    const log = path.join(dir, "events.ndjson")
    const run = await cli([
      "run",
      template,
      "--out",
      path.join(dir, "a"),
      "--events",
      log,
      "--ssda903",
      path.join(dir, "r")
    ])
    expect(run.code).toBe(0)
    const replay = await cli(["replay", log, "--out", path.join(dir, "b"), "--ssda903", path.join(dir, "s")])
    expect(replay.code).toBe(0)
    expect(replay.stdout).toMatch(/SSDA903 returns: 6 files in /)
    expect(filesUnder(path.join(dir, "s"))).toEqual(filesUnder(path.join(dir, "r")))
    for (const f of filesUnder(path.join(dir, "r")))
      expect(fs.readFileSync(path.join(dir, "s", f), "utf8"), f).toBe(fs.readFileSync(path.join(dir, "r", f), "utf8"))
  })
})

const sample = sharedData(
  "903-sample",
  "2017-episodes.csv",
  "test/calibrate/out.test.ts",
  "the public SSDA903 sample part"
)

describe.skipIf(sample === undefined)("calibrate --out on the public synthetic SSDA903 sample", () => {
  it("writes a scenario that validates and runs", async () => {
    const dir = folder()
    const out = path.join(dir, "sample.yaml")
    const r = await cli(["calibrate", ...sampleFlags(sample ?? ""), "--out", out, "--template", template])
    expect(r.code).toBe(0)
    expect((await cli(["validate", out])).code).toBe(0)
    const run = await cli(["run", out, "--years", "1", "--out", path.join(dir, "run")])
    expect(run.code).toBe(0)
  })
})
