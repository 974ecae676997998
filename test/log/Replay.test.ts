/**
 * `replayEventLog` on real logs (the small test authority over a year, written by the real writer) and on
 * damaged ones: cut at a byte or between lines, a line deleted, lines swapped, a value edited, the header
 * or the trailer edited, text appended, another format, a file that is not a log. Each is refused, naming
 * the line: exactly where the damage is self-evident, else within the block of lines (between two
 * checkpoints) the damage is in.
 */
import * as Either from "effect/Either"
import * as fc from "fast-check"
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { LOG_FORMAT, makeHeader } from "../../src/log/Header.js"
import { VERSION } from "../../src/version.js"
import { MAX_LINE_BYTES } from "../../src/log/Replay.js"
import { resultFiles } from "../../src/report/Tables.js"
import type { EventLogError } from "../../src/run/Services.js"
import { fixture } from "../support/cli.js"
import {
  blockOf,
  contentOf,
  forge,
  linesOf,
  loadSource,
  markLines,
  replayFile,
  tempDir,
  writeLogOf
} from "./support.js"
import { runs } from "../support/runs.js"

const EVERY = 100
let dir = ""
let good = ""
let text = ""
let lines: Array<string> = []
let events = 0
let liveFiles: ReadonlyArray<readonly [string, string]> = []
let counter = 0

beforeAll(async () => {
  dir = tempDir()
  good = path.join(dir, "good.ndjson")
  const w = await writeLogOf(await loadSource(fixture("small.yaml")), 1, 5, good, EVERY)
  text = w.text
  lines = linesOf(text)
  events = w.run.stats.events
  liveFiles = resultFiles(w.run.totals, w.run.spend)
})
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const writeText = (content: string | Uint8Array): string => {
  const file = path.join(dir, `damaged-${counter++}.ndjson`)
  fs.writeFileSync(file, content)
  return file
}
const fromLines = (ls: ReadonlyArray<string>): string => ls.map((l) => l + "\n").join("")

/** Replays `content` and returns the error it must fail with. */
const refused = async (content: string | Uint8Array): Promise<EventLogError> => {
  const file = writeText(content)
  const r = await replayFile(file)
  fs.rmSync(file)
  if (Either.isRight(r)) throw new Error("expected the log to be refused, but it replayed")
  const e = r.left
  expect(e.message.length).toBeLessThan(1000)
  expect(e.message.startsWith(file)).toBe(true)
  return e
}

const inBlock = (e: EventLogError, line: number) => {
  const b = blockOf(text, line)
  expect(e.line, e.message).toBeGreaterThanOrEqual(b.first)
  expect(e.line, e.message).toBeLessThanOrEqual(b.last)
}

describe("replay of a good log", () => {
  it("gives the run's figures, byte for byte, and the trailer's count and hash", async () => {
    const r = await replayFile(good)
    if (Either.isLeft(r)) throw new Error(r.left.message)
    const files = resultFiles(r.right.totals, r.right.spend)
    expect(files.map(([f]) => f)).toEqual(liveFiles.map(([f]) => f))
    files.forEach(([f, t], i) => expect(t, f).toBe(liveFiles[i][1]))
    expect(r.right.trailer.events).toBe(events)
    expect(r.right.trailer.line).toBe(lines.length)
    expect(lines[0]).toContain(`"format":"${LOG_FORMAT}"`)
    // A checkpoint after the header and after every EVERY events, then the trailer.
    expect(markLines(text)).toEqual([
      2,
      ...Array.from({ length: Math.floor(events / EVERY) }, (_, k) => 2 + (k + 1) * (EVERY + 1)),
      lines.length
    ])
  })
})

describe("replay of a log of no events", () => {
  it("gives the run's opening figures with a trailer of 0 events", async () => {
    const file = writeText(forge([lines[0]], EVERY))
    const r = await replayFile(file)
    if (Either.isLeft(r)) throw new Error(r.left.message)
    expect(r.right.trailer).toMatchObject({ line: 3, events: 0 })
  })
})

describe("a log cut short", () => {
  it("is refused when cut at any byte, naming the line it is cut in", async () => {
    const bytes = Buffer.from(text)
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: bytes.length - 1 }), async (at) => {
        const cut = bytes.subarray(0, at)
        const e = await refused(cut)
        let newlines = 0
        for (const b of cut) if (b === 10) newlines++
        expect(e.line, e.message).toBe(newlines + 1)
        expect(e.message).toMatch(cut[at - 1] === 10 ? /without its trailer/ : /cut short/)
      }),
      { numRuns: runs(20) }
    )
  })

  it("is refused when cut between lines, with or without the trailer, naming the first missing line", async () => {
    for (const keep of [1, 2, 3, EVERY + 2, EVERY + 3, lines.length - 1]) {
      const e = await refused(fromLines(lines.slice(0, keep)))
      expect(e.line, e.message).toBe(keep + 1)
      expect(e.message).toContain(`ends after line ${keep.toLocaleString("en-GB")} without its trailer`)
    }
    expect((await refused("")).message).toContain("the event log is empty")
  })
})

describe("a log with lines missing, moved or edited", () => {
  it("is refused when any line is deleted, naming a line of the block it was in", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: lines.length }), async (line) => {
        const e = await refused(fromLines(lines.filter((_, i) => i !== line - 1)))
        inBlock(e, line)
      }),
      { numRuns: runs(20) }
    )
  })

  it("is refused when two lines are swapped, naming a line of the first block changed", async () => {
    const pair = fc
      .tuple(fc.integer({ min: 1, max: lines.length }), fc.integer({ min: 1, max: lines.length }))
      .filter(([a, b]) => a < b && lines[a - 1] !== lines[b - 1])
    await fc.assert(
      fc.asyncProperty(pair, async ([a, b]) => {
        const swapped = [...lines]
        ;[swapped[a - 1], swapped[b - 1]] = [swapped[b - 1], swapped[a - 1]]
        inBlock(await refused(fromLines(swapped)), a)
      }),
      { numRuns: runs(20) }
    )
  })

  it("is refused when a digit anywhere after the header is changed, naming a line of its block", async () => {
    const digits = [...text.matchAll(/\d/g)].map((m) => m.index).filter((i) => i > text.indexOf("\n"))
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...digits), fc.integer({ min: 1, max: 9 }), async (at, plus) => {
        const d = String((Number(text[at]) + plus) % 10)
        const e = await refused(text.slice(0, at) + d + text.slice(at + 1))
        inBlock(e, text.slice(0, at).split("\n").length)
      }),
      { numRuns: runs(20) }
    )
  })

  it("names an untrue edited line: a self-move, a move from where the child is not, another child", async () => {
    const at = lines.findIndex(
      (l) => l.includes('"_tag":"LevelChanged","time":') && l.includes('"from":"child_in_need"')
    )
    expect(at).toBeGreaterThan(2)
    const edit = async (line: string, pattern: RegExp) => {
      const e = await refused(fromLines(lines.map((l, i) => (i === at ? line : l))))
      expect(e.line, e.message).toBe(at + 1)
      expect(e.message).toMatch(pattern)
      expect(e.message).toContain("the log has been edited or damaged")
    }
    const ev = JSON.parse(lines[at]) as { to: string; child: number }
    await edit(lines[at].replace(`"to":"${ev.to}"`, '"to":"child_in_need"'), /a move from child_in_need to itself/)
    const other = ev.to === "early_help" ? "child_protection" : "early_help"
    await edit(lines[at].replace('"from":"child_in_need"', `"from":"${other}"`), /not .*from where the child is not/)
    await edit(lines[at].replace(`"child":${ev.child},`, '"child":987654,'), /child 987654 is not known/)
  })

  it("is refused when a referral is deleted", async () => {
    const at = lines.findIndex((l, i) => i > EVERY && l.includes('"reReferral":false'))
    inBlock(await refused(fromLines(lines.filter((_, i) => i !== at))), at + 1)
  })
})

describe("a log whose header or trailer is edited", () => {
  const header = () => JSON.parse(lines[0]) as Record<string, unknown>
  const withHeader = (h: unknown) => fromLines([JSON.stringify(h), ...lines.slice(1)])

  it("refuses an edited seed, years, replication, version, checkpoint interval or definition at line 1", async () => {
    const h = header()
    const def = h.definition as Record<string, unknown>
    for (const edited of [
      { ...h, seed: 6 },
      { ...h, years: 2 },
      { ...h, replication: 1 },
      { ...h, caseflow: "9.9.9" },
      { ...h, checkpointEvery: 50 },
      { ...h, definition: { ...def, years: Number(def.years) + 1 } },
      { ...h, definition: { extends: "/etc/passwd", ...def } }
    ]) {
      const e = await refused(withHeader(edited))
      expect(e.line, e.message).toBe(1)
      expect(e.message).toContain("the header does not match its checksum on line 2")
    }
  })

  it("refuses a header with `extends` or a wrong identity even with its checksums made afresh", async () => {
    const h = header()
    const def = h.definition as Record<string, unknown>
    const forged = async (edited: unknown, message: string) => {
      const e = await refused(forge([JSON.stringify(edited), ...contentOf(text).slice(1)], EVERY))
      expect(e.line, e.message).toBe(1)
      expect(e.message).toContain(message)
    }
    await forged({ ...h, definition: { extends: "base.yaml", ...def } }, "extends nothing")
    await forged({ ...h, definition: { ...def, years: Number(def.years) + 1 } }, "does not match its sha256")
    await forged({ ...h, years: 0 }, "a damaged log header: years")
    for (const seed of [2 ** 60, 1.5, -(2 ** 53)])
      await forged({ ...h, seed }, "seed: expected a whole number (at most 2^53 - 1 either side of 0)")
    await forged({ ...h, definition: [1, 2] }, "not a scenario")
  })

  it("refuses a header whose scenario, its identity made afresh, spends beyond exact pennies", async () => {
    const h = header() as { definition: { costs: Record<string, unknown> }; seed: number; years: number }
    const costs = {
      ...h.definition.costs,
      weekly: [{ name: "Huge", budgetLine: "CP and CIN", perWeek: 1e12, level: "child_in_need" }]
    }
    const definition = { ...h.definition, costs }
    const edited = makeHeader("Small test authority", definition, h.seed, 0, h.years, VERSION, EVERY)
    const e = await refused(forge([JSON.stringify(edited), ...contentOf(text).slice(1)], EVERY))
    expect(e.line, e.message).toBe(1)
    expect(e.message).toContain("the scenario in the header: the run's spend would be")
    expect(e.message).toContain('the largest is the cost line "Huge" (weekly)')
  })

  it("refuses a log whose trailer is removed, edited or followed by anything", async () => {
    const last = lines.length
    const trailer = lines[last - 1]
    const body = lines.slice(0, -1)
    const without = await refused(fromLines(body))
    expect([without.line, without.message.includes("without its trailer")]).toEqual([last, true])

    const count = await refused(fromLines([...body, trailer.replace(`"events":${events}`, `"events":${events + 1}`)]))
    expect(count.line, count.message).toBe(last)
    expect(count.message).toContain(`says line ${last.toLocaleString("en-GB")} after`)

    const hash = await refused(fromLines([...body, trailer.replace(/"sha256":"./, '"sha256":"x')]))
    expect(hash.line, hash.message).toBe(last)
    expect(hash.message).toContain("a damaged trailer line")

    const sum = trailer.match(/"sha256":"([0-9a-f])/)![1]
    const other = await refused(
      fromLines([...body, trailer.replace(`"sha256":"${sum}`, `"sha256":"${sum === "0" ? "1" : "0"}`)])
    )
    expect(other.line, other.message).toBe(markLines(text).at(-2)! + 1)
    expect(other.message).toContain(`do not pass the check at line ${last.toLocaleString("en-GB")}`)

    for (const tail of ["\n", "more\n", "more", JSON.stringify({ _tag: "ChildReferred" }) + "\n", trailer + "\n"]) {
      const e = await refused(text + tail)
      expect(e.line, e.message).toBe(last + 1)
      expect(e.message).toContain(`text after the trailer (line ${last.toLocaleString("en-GB")})`)
    }
  })
})

describe("files that are not caseflow-events/4 logs", () => {
  it("refuses an older log with a clear message", async () => {
    const old = fromLines([lines[0].replace(LOG_FORMAT, "caseflow-events/1"), ...contentOf(text).slice(1)])
    const e = await refused(old)
    expect(e.line).toBe(1)
    expect(e.message).toContain("a log in the older format caseflow-events/1, which carries no checksums")
  })

  it("refuses a header opening more mappings and lists than a scenario may hold, before parsing it", async () => {
    const e = await refused(`{"format":"${LOG_FORMAT}","definition":[${"[],".repeat(1_000_100)}[]]}\n`)
    expect(e.line).toBe(1)
    expect(e.message).toContain("a damaged log header: more mappings and lists than a scenario may have")
  })

  it("refuses any other file without quoting it", async () => {
    for (const content of ["SECRET=hunter2\nPATH=/bin\n", '{"format":"SECRET hunter2"}\n', "\u001b[31mred\n", "\n"]) {
      const e = await refused(content)
      expect(e.line).toBe(1)
      expect(e.message).toContain("not a caseflow event log")
      expect(e.message).not.toContain("hunter2")
      expect(e.message).not.toContain("\u001b")
    }
  })

  it("refuses CRLF line endings, bad UTF-8 and over-long lines", async () => {
    const crlf = await refused(text.replaceAll("\n", "\r\n"))
    expect([crlf.line, crlf.message.includes("carriage return")]).toEqual([1, true])

    const content = contentOf(text)
    const bad = Buffer.from(forge(content, EVERY))
    const at = bad.indexOf(Buffer.from('"CaseClosed"'), bad.indexOf(10) + 1)
    bad[at + 1] = 0xff
    const utf = await refused(bad)
    expect(utf.message).toContain("not UTF-8")
    expect(utf.line).toBe(bad.subarray(0, at).filter((b) => b === 10).length + 1)

    const long = await refused(lines.slice(0, 2).join("\n") + "\n" + "x".repeat(MAX_LINE_BYTES + 10))
    expect([long.line, long.message.includes("longer than 1 MiB")]).toEqual([3, true])
  })

  it("quotes at most a short escaped excerpt of a hostile line", async () => {
    const content = contentOf(text)
    const hostile = "\u001b]0;pwned\u0007" + "A".repeat(100_000)
    const e = await refused(forge([...content.slice(0, 5), hostile, ...content.slice(5)], EVERY))
    expect(e.line).toBe(7)
    expect(e.message).toContain("not JSON: \\u001b]0;pwned\\u0007AAA")
    // eslint-disable-next-line no-control-regex
    expect(e.message).not.toMatch(/[\u0000-\u001f]/)
    expect(e.message.length).toBeLessThan(400)
  })

  it("says in a short line what a line that is JSON but no event is", async () => {
    const content = contentOf(text)
    for (const [line, expected] of [
      ["[]", "not a caseflow event: expected a JSON object (an event), found a list"],
      ["7", "not a caseflow event: expected a JSON object (an event), found a number"],
      ["null", "not a caseflow event: expected a JSON object (an event), found null"],
      ['{"time":1}', "not a caseflow event: expected _tag, the event's kind (one of CaseOpenAtStart, "],
      ['{"_tag":"Nope","time":1}', "not a caseflow event: expected _tag, the event's kind (one of CaseOpenAtStart, "]
    ] as const) {
      const e = await refused(forge([...content.slice(0, 5), line, ...content.slice(5)], EVERY))
      expect(e.line).toBe(7)
      expect(e.message).toContain(expected)
      expect(e.message.length, e.message).toBeLessThan(600)
    }
  })

  it("refuses a FIFO or a device without reading it", async () => {
    const fifo = path.join(dir, "fifo.ndjson")
    execFileSync("mkfifo", [fifo])
    const started = Date.now()
    const r = await replayFile(fifo)
    expect(Either.isLeft(r) && r.left.message).toContain("expected a regular file, found a named pipe (FIFO)")
    const z = await replayFile("/dev/zero")
    expect(Either.isLeft(z) && z.left.message).toContain("expected a regular file, found a device")
    // A hang guard, not a timing (reading /dev/zero or a FIFO would never end).
    expect(Date.now() - started).toBeLessThan(30_000)
    const missing = await replayFile(path.join(dir, "missing.ndjson"))
    expect(Either.isLeft(missing) && missing.left.message).toContain("no such file")
  })
})
