/**
 * The synthetic SSDA903 sample of data-to-insight's cs-demand-model (MIT; five raw yearly returns,
 * 2017-18 to 2021-22, named by the year each begins) read end to end, when the shared data folder is
 * there: `../shared/data` beside the project (resolved from its root), or /work/shared/data. It is never
 * part of the project: elsewhere (a fresh clone) this test is skipped, with a message saying why.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as Effect from "effect/Effect"
import { afterAll, describe, expect, it } from "vitest"
import { cleanReturns } from "../../src/ssda903/Clean.js"
import { readReturns, type GivenFile } from "../../src/ssda903/Read.js"
import { summaryByRule } from "../../src/ssda903/Rules.js"
import { cli } from "../support/cli.js"
import { sharedData } from "../support/sharedData.js"

const sample = sharedData(
  "903-sample",
  "2017-episodes.csv",
  "test/ssda903/sample.test.ts",
  "the synthetic SSDA903 sample"
)
const years = [2017, 2018, 2019, 2020, 2021]
const given = (dir: string): Array<GivenFile> =>
  (["episodes", "header", "uasc"] as const).flatMap((role) =>
    years.map((y) => ({ file: path.join(dir, `${y}-${role}.csv`), role }))
  )
const out = fs.mkdtempSync(path.join(os.tmpdir(), "caseflow-sample-"))
afterAll(() => fs.rmSync(out, { recursive: true, force: true }))

describe.skipIf(sample === undefined)("the synthetic SSDA903 sample (cs-demand-model)", () => {
  const dir = sample ?? ""
  const read = () => Effect.runPromise(readReturns(given(dir), null).pipe(Effect.provide(NodeFileSystem.layer)))

  it("is read as collection years 2018 to 2022, every episode row accounted for", async () => {
    const returns = await read()
    expect(returns.years).toEqual([2018, 2019, 2020, 2021, 2022])
    const h = cleanReturns(returns)
    const rows = returns.episodes.reduce((n, f) => n + f.rows.length, 0)
    expect(rows).toBe(3737)
    // DATA.md of the shared data: the 3,737 rows hold 2,827 distinct (CHILD, DECOM).
    const keys = new Set(
      returns.episodes.flatMap((f) => Array.from(f.rows, (r) => `${r.get("CHILD")}|${r.get("DECOM")}`))
    )
    expect(keys.size).toBe(2827)
    // Each distinct episode is in a period, in a period of short breaks only, or left out by a named rule.
    const count = (rule: string) => h.problems.filter((p) => p.rule === rule).length
    const inPeriods = h.children.reduce((n, c) => n + c.periods.reduce((m, p) => m + p.episodes.length, 0), 0)
    const dropped = ["141", "356", "302", "352", "437", "CF05", "CF10"].reduce((n, r) => n + count(r), 0)
    expect(inPeriods + h.shortBreakEpisodes + dropped).toBe(keys.size)
    // Each problem names an existing line of its file.
    for (const p of h.problems.slice(0, 200)) {
      const lines = fs.readFileSync(p.file, "utf8").split("\n")
      expect(lines[p.line - 1]).toContain(p.child)
    }
    expect(summaryByRule(h.problems).map((s) => s.rule.code)).toContain("148")
  })

  it("calibrates through the command line", async () => {
    const args = given(dir).flatMap((g) => [`--${g.role}`, g.file])
    const r = await cli([
      "calibrate",
      ...args,
      "--table",
      path.join(out, "t.csv"),
      "--problems",
      path.join(out, "p.csv")
    ])
    expect(r.stderr).toBe("")
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/820 children/)
    const problems = fs.readFileSync(path.join(out, "p.csv"), "utf8").trim().split("\n")
    expect(r.stdout).toMatch(new RegExp(`Dirty data: ${(problems.length - 1).toLocaleString("en-GB")} problems`))
  })
})
