// The command line as a new user meets it: run, validate, replay; bad input gives exit code 2, a message
// naming the file and field, no stack trace and no output files.
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { caseflow, fixture } from "../support/cli.js"

let dir = ""
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "caseflow-cli-"))
})
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const write = (name: string, text: string): string => {
  const file = path.join(dir, name)
  fs.writeFileSync(file, text)
  return file
}
const small = fs.readFileSync(fixture("small.yaml"), "utf8")

describe("caseflow run and replay", () => {
  it("writes the four CSVs and an event log, and replay rebuilds byte-identical CSVs", () => {
    const out = path.join(dir, "run1")
    const log = path.join(dir, "run1.ndjson")
    const r = caseflow("run", fixture("small.yaml"), "--seed", "7", "--years", "2", "--out", out, "--events", log)
    expect(r.code).toBe(0)
    expect(r.stdout).toContain("Children open to services")
    expect(r.stdout).toContain("Spend by budget line and financial year")
    const header = JSON.parse(fs.readFileSync(log, "utf8").split("\n")[0]) as Record<string, unknown>
    expect(header).toMatchObject({
      format: "caseflow-events/2",
      seed: 7,
      years: 2,
      scenario: { name: "Small test authority" }
    })
    expect((header.scenario as { sha256: string }).sha256).toMatch(/^[0-9a-f]{64}$/)
    const replayed = path.join(dir, "replay1")
    const rr = caseflow("replay", log, "--out", replayed)
    expect(rr.code).toBe(0)
    for (const f of ["stocks.csv", "placements.csv", "flows.csv", "costs.csv"]) {
      expect(fs.readFileSync(path.join(replayed, f), "utf8")).toBe(fs.readFileSync(path.join(out, f), "utf8"))
    }
    expect(rr.stdout).toBe(r.stdout.replace(`Event log: ${log}\n`, "").replaceAll(out, replayed))
  })

  it("gives a byte-identical log and results for the same seed, and a different log for another seed", () => {
    const runOnce = (seed: string, name: string) => {
      const out = path.join(dir, name)
      const log = path.join(dir, `${name}.ndjson`)
      expect(
        caseflow("run", fixture("small.yaml"), "--seed", seed, "--years", "1", "--out", out, "--events", log).code
      ).toBe(0)
      return { log: fs.readFileSync(log, "utf8"), costs: fs.readFileSync(path.join(out, "costs.csv"), "utf8") }
    }
    const a = runOnce("3", "a")
    const b = runOnce("3", "b")
    const c = runOnce("4", "c")
    expect(b.log).toBe(a.log)
    expect(b.costs).toBe(a.costs)
    expect(c.log).not.toBe(a.log)
  })

  it("validate accepts a good scenario", () => {
    const r = caseflow("validate", fixture("small.yaml"))
    expect(r.code).toBe(0)
    expect(r.stdout).toContain("valid")
  })
})

describe("bad input", () => {
  const expectBadInput = (r: { code: number; stderr: string; stdout: string }, ...needles: ReadonlyArray<string>) => {
    expect(r.code).toBe(2)
    for (const n of needles) expect(r.stderr).toContain(n)
    expect(r.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/) // no stack trace
  }

  it("names the file, the field's path, what was expected and what was found", () => {
    const file = write("negative.yaml", small.replace("ratePer10k: 500", "ratePer10k: -5"))
    const out = path.join(dir, "neg-out")
    const r = caseflow("run", file, "--out", out)
    expectBadInput(r, file, "referrals.ratePer10k", "expected a number >= 0", "found -5")
    expect(fs.existsSync(out)).toBe(false)
  })

  it("rejects a misspelt field instead of ignoring it", () => {
    const file = write("typo.yaml", small.replace("ratePer10k: 500", "ratePer10K: 500"))
    expectBadInput(caseflow("validate", file), "referrals.ratePer10K", "unknown field")
  })

  it("checks that outcome probabilities add up to 1", () => {
    const file = write(
      "sum.yaml",
      small.replace("{ to: early_help, probability: 0.25 }", "{ to: early_help, probability: 0.35 }")
    )
    expectBadInput(caseflow("validate", file), "referrals.frontDoor", "add up to 1, found 1.1")
  })

  it("rejects a move the level graph does not allow", () => {
    const file = write(
      "move.yaml",
      small.replace(
        "- { to: child_in_need, probability: 0.15 }\n  intensive",
        "- { to: care_leaver, probability: 0.15 }\n  intensive"
      )
    )
    expectBadInput(caseflow("validate", file), "levels.early_help.outcomes[1].to", "found care_leaver")
  })

  it("reports YAML syntax errors with a line number", () => {
    const file = write("syntax.yaml", "name: x\nstart: [2025-04-01\n")
    expectBadInput(caseflow("validate", file), file, "not valid YAML", "line")
  })

  it("reads JSON scenarios too, and reports their errors", () => {
    const file = write("bad.json", '{"name": "x", "start": "2025-04-01", "years": "five"}')
    expectBadInput(caseflow("validate", file), "years", "expected number", 'found "five"')
  })

  it("reports a missing scenario file", () => {
    expectBadInput(caseflow("run", path.join(dir, "nope.yaml")), "nope.yaml", "no such file")
  })

  it("rejects bad flags by name, writing nothing", () => {
    const out = path.join(dir, "flag-out")
    expectBadInput(caseflow("run", fixture("small.yaml"), "--years", "0", "--out", out), "--years", 'found "0"')
    expectBadInput(caseflow("run", fixture("small.yaml"), "--seed", "abc", "--out", out), "--seed", 'found "abc"')
    expect(fs.existsSync(out)).toBe(false)
    expect(caseflow("run", fixture("small.yaml"), "--bogus").code).toBe(2)
  })

  it("rejects a corrupt event log with its line number, writing nothing", () => {
    const log = path.join(dir, "good.ndjson")
    expect(
      caseflow("run", fixture("small.yaml"), "--years", "1", "--out", path.join(dir, "g"), "--events", log).code
    ).toBe(0)
    const lines = fs.readFileSync(log, "utf8").split("\n")
    const out = path.join(dir, "corrupt-out")

    const badEvent = write(
      "bad-event.ndjson",
      [...lines.slice(0, 5), '{"_tag":"ChildReferred","time":"soon","child":1}', ...lines.slice(5)].join("\n")
    )
    expectBadInput(caseflow("replay", badEvent, "--out", out), `${badEvent}:6`, "time")

    const notJson = write("not-json.ndjson", [...lines.slice(0, 3), "{oops", ...lines.slice(3)].join("\n"))
    expectBadInput(caseflow("replay", notJson, "--out", out), `${notJson}:4`, "not JSON")

    const swapped = [...lines]
    const last = lines.filter((l) => l.length > 0).length - 1
    ;[swapped[2], swapped[last]] = [swapped[last], swapped[2]]
    const disordered = write("disordered.ndjson", swapped.join("\n"))
    expectBadInput(caseflow("replay", disordered, "--out", out), `${disordered}:3`, "the trailer says line")

    const edited = write(
      "edited.ndjson",
      [lines[0].replace('"ratePer10k":500', '"ratePer10k":900'), ...lines.slice(1)].join("\n")
    )
    expectBadInput(caseflow("replay", edited, "--out", out), `${edited}:1`, "does not match its checksum")

    expectBadInput(caseflow("replay", path.join(dir, "missing.ndjson"), "--out", out), "no such file")
    expect(fs.existsSync(out)).toBe(false)
  })

  it("leaves no event log behind when a run fails after it started", () => {
    // The output folder is a file, so writing the CSVs fails after the simulation has run.
    const blocker = write("blocker", "not a folder")
    const log = path.join(dir, "failed.ndjson")
    const r = caseflow("run", fixture("small.yaml"), "--years", "1", "--out", blocker, "--events", log)
    expectBadInput(r, blocker)
    expect(fs.existsSync(log)).toBe(false)
    expect(fs.existsSync(`${log}.partial`)).toBe(false)
  })
})
