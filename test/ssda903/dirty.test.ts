/**
 * Dirty data never disappears silently: synthetic returns damaged at random (fields blanked or garbled,
 * dates swapped or moved, rows duplicated or deleted, codes from another year, header rows lost) are read
 * without failing, every distinct episode ends in a period, in a period of short breaks only, or is left out
 * by a rule that names its row, every problem names a real line of its file with its child, and each
 * child's history is in order (no overlaps, no episode ending before it starts).
 */
import * as Either from "effect/Either"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { cleanReturns } from "../../src/ssda903/Clean.js"
import { combineReturns, readFileBytes, type Role } from "../../src/ssda903/Read.js"
import { DEFAULT_TRUTH, synthetic } from "../support/ssda903.js"

const base = synthetic({ ...DEFAULT_TRUTH, entriesPerYear: 25, years: [2020, 2021, 2022], seed: "dirty" })

type Damage = (fields: Array<string>, u: number) => Array<string> | null

/** Ways a row of an episodes file goes wrong (fields: CHILD, DECOM, RNE, LS, CIN, PLACE, PROVIDER, DEC, REC, ...). */
const DAMAGE: ReadonlyArray<Damage> = [
  (f, u) => f.map((x, i) => (i === Math.floor(u * 9) ? "" : x)), // a field blanked
  (f) => [f[0], f[7] === "" ? f[1] : f[7], ...f.slice(2, 7), f[1], ...f.slice(8)], // DECOM and DEC swapped
  (f) => [f[0], "31/02/2021", ...f.slice(2)], // an impossible start
  (f) => [...f.slice(0, 7), "not a date", ...f.slice(8)], // an end that is not a date
  (f, u) => [...f.slice(0, 3), u < 0.5 ? "V3" : "Q9", ...f.slice(4)], // a short break, or no legal status
  (f) => [...f.slice(0, 5), "K3", ...f.slice(6)], // a placement of a later year
  (f) => [...f.slice(0, 8), f[8] === "" ? "E11" : "", ...f.slice(9)], // a reason without an end, or none
  (f) => [...f.slice(0, 8), "E2", ...f.slice(9)], // died
  () => null // the row deleted
]

const damaged = (plan: ReadonlyArray<readonly [number, number, number, boolean]>) =>
  base.files.map(([name, text]) => {
    if (!name.includes("episodes") && !name.includes("header")) return [name, text] as const
    const lines = text.split("\n")
    const out = [lines[0]]
    for (let i = 1; i < lines.length; i++) {
      if (lines[i] === "") continue
      const hit = plan.find(([row]) => row % (lines.length - 1) === i - 1)
      if (hit === undefined) {
        out.push(lines[i])
        continue
      }
      const [, kind, u, twice] = hit
      if (name.includes("header")) {
        // A header row lost, or its date of birth garbled.
        if (kind % 2 === 0) out.push(lines[i].replace(/\d\d\/\d\d\/\d{4}/, "00/00/0000"))
        continue
      }
      const row = DAMAGE[kind % DAMAGE.length](lines[i].split(","), u)
      if (row !== null) out.push(row.join(","))
      if (twice) out.push(lines[i])
    }
    return [name, out.join("\n") + "\n"] as const
  })

const roleOf = (n: string): Role => (n.includes("episodes") ? "episodes" : n.includes("header") ? "header" : "uasc")

describe("dirty data", () => {
  it("is each accounted for by a rule naming its row, and the histories stay in order", () => {
    const rulesSeen = new Set<string>()
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean()), {
          minLength: 1,
          maxLength: 40
        }),
        (plan) => {
          const files = damaged(plan)
          const read = files.map(([n, t]) => {
            const r = readFileBytes(n, roleOf(n), new TextEncoder().encode(t))
            if (Either.isLeft(r)) throw new Error(r.left.message)
            return r.right
          })
          const c = combineReturns(read, null)
          if (Either.isLeft(c)) throw new Error(c.left.message)
          const h = cleanReturns(c.right)
          for (const p of h.problems) rulesSeen.add(p.rule)
          const count = (rule: string) => h.problems.filter((p) => p.rule === rule).length
          // Distinct episodes with a child, a valid start and an end not before it.
          const keys = new Set<string>()
          for (const f of c.right.episodes)
            for (const r of f.rows) {
              const child = r.get("CHILD")
              const start = r.date("DECOM")
              const end = r.date("DEC")
              if (child === "" || typeof start !== "number") continue
              if (typeof end === "number" && end < start) continue
              keys.add(`${child}|${start}`)
            }
          const kept = h.children.reduce((n, ch) => n + ch.periods.reduce((m, p) => m + p.episodes.length, 0), 0)
          const dropped = ["302", "352", "437", "CF10"].reduce((n, r) => n + count(r), 0)
          expect(kept + h.shortBreakEpisodes + dropped).toBe(keys.size)
          // Every problem names a real line of its file, holding its child.
          const text = new Map(files.map(([n, t]) => [n, t.split("\n")]))
          for (const p of h.problems) expect(text.get(p.file)?.[p.line - 1]?.split(",")[0]).toBe(p.child)
          // Each history in order.
          for (const ch of h.children) {
            let at = -Infinity
            for (const p of ch.periods) {
              expect(p.start).toBeGreaterThanOrEqual(at)
              expect(p.end.day).toBeGreaterThanOrEqual(p.start)
              p.episodes.forEach((e, i) => {
                expect(e.start).toBeGreaterThanOrEqual(at)
                if (e.end === null) expect(i).toBe(p.episodes.length - 1)
                else expect(e.end).toBeGreaterThanOrEqual(e.start)
                at = e.end ?? e.start
              })
              at = Math.max(at, p.end.day)
            }
          }
        }
      )
    )
    // The damage reaches many rules (a property that never met dirty data would prove nothing).
    expect(rulesSeen.size).toBeGreaterThan(8)
  })
})
