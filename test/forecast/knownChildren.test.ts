// Starting groups known child by child (what `forecast --caseload` writes): each child opens with the date of
// birth and episode start given, exactly, and the dates are checked against the start and the age band.
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { cli, fixture } from "../support/cli.js"

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "caseflow-known-"))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const overlay = (name: string, groups: string): string => {
  const file = path.join(dir, name)
  // The whole list replaced (lists of starting groups otherwise merge with the base's by key).
  fs.writeFileSync(file, `extends: ${JSON.stringify(fixture("small.yaml"))}\nstartingCaseload:\n  replace:\n${groups}`)
  return file
}

describe("starting groups with dateOfBirth and since", () => {
  it("open each child with exactly that date of birth and episode start", async () => {
    const file = overlay(
      "known.yaml",
      "    - { level: looked_after, placement: ifa_foster, count: 2, ages: [10, 10], dateOfBirth: 2015-01-01, " +
        "since: 2024-06-01 }\n" +
        "    - { level: universal, count: 1, ages: [5, 5], dateOfBirth: 2020-03-01, since: 2025-03-01 }\n" +
        "    - { level: care_leaver, count: 1, ages: [19, 19], dateOfBirth: 2006-01-01, since: 2025-04-01 }\n"
    )
    const log = path.join(dir, "known.ndjson")
    const r = await cli(["run", file, "--years", "1", "--events", log, "--out", path.join(dir, "out")])
    expect(r.code, r.stderr).toBe(0)
    const events = fs
      .readFileSync(log, "utf8")
      .split("\n")
      .slice(2, 6)
      .map((l) => JSON.parse(l) as Record<string, unknown>)
    // Days from 2025-04-01: 2015-01-01 is 3,743 days before, 2024-06-01 304, 2025-03-01 31.
    expect(events).toEqual([
      expect.objectContaining({ _tag: "CaseOpenAtStart", child: 0, dateOfBirth: -3743, since: -304 }),
      expect.objectContaining({ _tag: "CaseOpenAtStart", child: 1, dateOfBirth: -3743, since: -304 }),
      expect.objectContaining({ _tag: "CaseClosedBeforeStart", child: 2, dateOfBirth: -1857, closedOn: -31 }),
      expect.objectContaining({ _tag: "CaseOpenAtStart", child: 3, dateOfBirth: -7030, since: 0 })
    ])
    // The log replays (its state check accepts children known this way).
    expect((await cli(["replay", log, "--out", path.join(dir, "replayed")])).code).toBe(0)
  })

  it("are refused when the dates do not fit the start or the age band", async () => {
    const file = overlay(
      "bad.yaml",
      "    - { level: child_in_need, count: 1, ages: [10, 10], dateOfBirth: 2016-01-01 }\n" +
        "    - { level: child_in_need, count: 1, ages: [10, 10], dateOfBirth: 2026-01-01 }\n" +
        "    - { level: child_in_need, count: 1, ages: [9, 9], since: 2025-05-01 }\n" +
        "    - { level: child_in_need, count: 1, ages: [9, 9], dateOfBirth: 2016-01-01, since: 2015-05-01 }\n" +
        "    - { level: child_in_need, count: 1, ages: [9, 9], since: 2025-01-01, " +
        "elapsed: { type: fixed, value: 3 } }\n"
    )
    const r = await cli(["validate", file])
    expect(r.code).toBe(2)
    for (const text of [
      "startingCaseload[0].dateOfBirth",
      "expected a child aged within ages [10, 10] on the start (2025-04-01), found 2016-01-01 (aged 9)",
      "startingCaseload[1].dateOfBirth",
      "expected a date before the start (2025-04-01), found 2026-01-01",
      "startingCaseload[2].since",
      "expected a date no later than the start (2025-04-01), found 2025-05-01",
      "startingCaseload[3].since",
      "expected a date no earlier than dateOfBirth (2016-01-01), found 2015-05-01",
      "startingCaseload[4].since",
      "expected since or elapsed, not both"
    ])
      expect(r.stderr).toContain(text)
  })
})
