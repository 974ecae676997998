/**
 * Spend, recomputed independently from the event log: for every child, the days in each state (and
 * placement) x that line's daily unit cost in each financial year, plus the one-off costs of the events
 * that match, plus fixed costs pro rata; compared with `spendOf(ledger.finish())` per financial year and
 * budget line.
 */
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { CaseEvent } from "../../src/domain/Event.js"
import { makeCalendar } from "../../src/domain/Calendar.js"
import { MAX_EXACT_SPEND, spendOf, spendProblem, type Spend } from "../../src/projections/Spend.js"
import type { Scenario } from "../../src/scenario/Scenario.js"
import { generatedCase } from "../support/arbitraries.js"
import { replay } from "../support/replay.js"
import { runWithLedger } from "../support/run.js"

const DAY_MS = 86_400_000

interface Fy {
  readonly label: string
  readonly year: number
  readonly start: number // simulation day, clipped to the run
  readonly end: number
  readonly fullDays: number
}

/** UK financial years (1 April - 31 March) overlapping [0, horizon), worked out from the start date. */
const financialYears = (startIso: string, horizon: number): Array<Fy> => {
  const startMs = Date.parse(`${startIso}T00:00:00Z`)
  const day = (y: number) => (Date.UTC(y, 3, 1) - startMs) / DAY_MS
  const d = new Date(startMs)
  let y = d.getUTCMonth() >= 3 ? d.getUTCFullYear() : d.getUTCFullYear() - 1
  const out: Array<Fy> = []
  while (day(y) < horizon) {
    out.push({
      label: `${y}/${String((y + 1) % 100).padStart(2, "0")}`,
      year: y,
      start: Math.max(0, day(y)),
      end: Math.min(horizon, day(y + 1)),
      fullDays: day(y + 1) - day(y)
    })
    y++
  }
  return out
}

/** What a one-off cost's `on` can match, read off an event. */
const fieldsOf = (e: CaseEvent): Record<"from" | "to" | "reason" | "placement" | "via", string | null> => {
  switch (e._tag) {
    case "CaseOpenAtStart":
      return { from: null, to: e.level, reason: null, placement: e.placement, via: null }
    case "CaseClosedBeforeStart":
      return { from: null, to: "universal", reason: null, placement: null, via: null }
    case "ChildReferred":
      return { from: "universal", to: null, reason: e.reReferral ? "re_referral" : "new", placement: null, via: null }
    case "LevelChanged":
      return { from: e.from, to: e.to, reason: null, placement: null, via: e.via }
    case "ChildBecameLookedAfter":
      return { from: e.from, to: "looked_after", reason: null, placement: e.placement, via: e.via }
    case "PlacementChanged":
      return { from: "looked_after", to: "looked_after", reason: null, placement: e.to, via: null }
    case "ChildLeftCare":
      return { from: "looked_after", to: e.to, reason: e.reason, placement: e.placement, via: e.via }
    case "CaseClosed":
      return { from: e.from, to: e.to, reason: e.reason, placement: null, via: e.via }
    case "CareLeaverSupportEnded":
      return { from: "care_leaver", to: "exited", reason: e.reason, placement: null, via: null }
    case "InterventionStarted":
      return { from: e.at, to: e.redirectedTo, reason: null, placement: null, via: e.intervention }
    case "InterventionEnded":
      return { from: null, to: null, reason: e.reason, placement: null, via: e.intervention }
    case "WaitingListJoined":
      return { from: e.at, to: null, reason: null, placement: null, via: e.service }
    case "WaitingListLeft":
      return { from: null, to: null, reason: e.outcome, placement: null, via: e.service }
    case "ContactReceived":
      return { from: null, to: null, reason: e.referred ? "referred" : "not_referred", placement: null, via: null }
    case "PlacementOverflowed":
      return { from: null, to: null, reason: null, placement: e.placedIn, via: e.service }
    case "LegalStatusChanged":
      return { from: "looked_after", to: null, reason: null, placement: null, via: null }
    case "StayingPutBegan":
      return { from: "care_leaver", to: null, reason: null, placement: e.placement, via: null }
    case "ChildReviewed":
      return { from: e.at, to: null, reason: e.outcome, placement: null, via: e.intervention }
    case "StayingPutEnded":
      return { from: "care_leaver", to: null, reason: e.reason, placement: null, via: null }
    case "SiblingReferred":
    case "HistoryBeforeRun":
      return { from: null, to: null, reason: null, placement: null, via: null }
  }
}

/** `opening`: the event is part of the opening caseload (its cases, their histories, families and legal statuses). */
const matches = (on: Scenario["costs"]["oneOff"][number]["on"], e: CaseEvent, opening: boolean): boolean => {
  if (on.event !== undefined && on.event !== e._tag) return false
  // The caseload known at the start was costed before the run: only a cost naming its event applies.
  if (on.event === undefined && opening) return false
  // So are contacts (about no child): only a cost naming ContactReceived.
  if (on.event === undefined && e._tag === "ContactReceived") return false
  // A sibling's referral is costed by their ChildReferred: only a cost naming SiblingReferred applies to it.
  if (on.event === undefined && e._tag === "SiblingReferred") return false
  // A child's history before the run (logged when a child with one is referred during the run, as well as at
  // the start) is no event of the run: only a cost naming HistoryBeforeRun applies to it.
  if (on.event === undefined && e._tag === "HistoryBeforeRun") return false
  if (on.legalStatus !== undefined && (e._tag !== "LegalStatusChanged" || e.to !== on.legalStatus)) return false
  const f = fieldsOf(e)
  return (["from", "to", "reason", "placement", "via"] as const).every((k) => on[k] === undefined || on[k] === f[k])
}

/** Spend by "fy label|budget line", with the sum of absolute contributions (the scale of rounding error). */
const independentSpend = (s: Scenario, horizon: number, events: ReadonlyArray<CaseEvent>) => {
  const fys = financialYears(s.start, horizon)
  const base = s.costs.priceBase !== undefined ? Number(s.costs.priceBase.slice(0, 4)) : fys[0].year
  const factor = (inflation: number | undefined, fy: Fy) =>
    Math.pow(1 + (inflation ?? s.costs.inflation), fy.year - base)
  const total = new Map<string, number>()
  const scale = new Map<string, number>()
  const add = (fy: Fy, line: string, amount: number) => {
    const k = `${fy.label}|${line}`
    total.set(k, (total.get(k) ?? 0) + amount)
    scale.set(k, (scale.get(k) ?? 0) + Math.abs(amount))
  }
  const fyAt = (t: number) => fys.find((f) => t >= f.start && t < f.end)!

  // Weekly: per child, per spell, per financial year.
  for (const child of replay(events, horizon).children.values())
    for (const spell of child.spells)
      for (const w of s.costs.weekly) {
        const applies =
          w.placement !== undefined
            ? spell.state === "looked_after" && spell.placement === w.placement
            : spell.state === w.level
        if (!applies) continue
        for (const fy of fys) {
          const days = Math.min(spell.to, fy.end) - Math.max(spell.from, fy.start)
          if (days > 0) add(fy, w.budgetLine, days * (w.perWeek / 7) * factor(w.inflation, fy))
        }
      }
  // One-off: each event that matches, at the price of its financial year.
  let opening = true
  for (const e of events) {
    // The opening caseload's lines: its cases, and with them their histories, families and legal statuses.
    if (
      e._tag !== "CaseOpenAtStart" &&
      e._tag !== "CaseClosedBeforeStart" &&
      e._tag !== "LegalStatusChanged" &&
      e._tag !== "HistoryBeforeRun" &&
      e._tag !== "SiblingReferred"
    )
      opening = false
    for (const o of s.costs.oneOff)
      if (matches(o.on, e, opening)) add(fyAt(e.time), o.budgetLine, o.amount * factor(o.inflation, fyAt(e.time)))
  }
  // Fixed: the year's amount x the share of the (whole) financial year inside the run.
  for (const f of s.costs.fixed)
    for (const fy of fys)
      add(fy, f.budgetLine, (f.perYear * factor(f.inflation, fy) * (fy.end - fy.start)) / fy.fullDays)
  return { fys, total, scale }
}

describe("spend", () => {
  it("spend = days in each state x unit cost + one-off + fixed costs, by financial year and budget line", () => {
    fc.assert(
      fc.property(generatedCase, (g) => {
        const { events, totals } = runWithLedger(g.model, g.seed)
        const spend = spendOf(totals)
        const mine = independentSpend(g.scenario, g.model.calendar.horizon, events)
        const cal = g.model.calendar
        expect(cal.financialYears.map((f) => f.label)).toEqual(mine.fys.map((f) => f.label))
        const b = spend.budgetLines.length
        const mismatches: Array<string> = []
        cal.financialYears.forEach((fy, i) =>
          spend.budgetLines.forEach((line, j) => {
            const k = `${fy.label}|${line}`
            const expected = mine.total.get(k) ?? 0
            const actual = spend.byBudgetLineFy[i * b + j]
            // Each cost line's year is rounded to the penny before the budget line adds them up.
            const rounding = 0.005 * spend.lines.filter((x) => spend.budgetLines[x.budgetLine] === line).length
            if (Math.abs(actual - expected) > rounding + 1e-9 * Math.max(1, mine.scale.get(k) ?? 0))
              mismatches.push(`${k}: expected ${expected}, got ${actual}`)
          })
        )
        // Every budget line the independent computation charged is one the spend knows.
        for (const k of mine.total.keys())
          if (!spend.budgetLines.includes(k.split("|")[1])) mismatches.push(`unknown line ${k}`)
        expect(mismatches).toEqual([])
      })
    )
  })
})

describe("spend beyond exact pennies", () => {
  const calendar = makeCalendar("2025-04-01", 2)
  /** A spend of one cost line per amount, each amount spread evenly over the run's months. */
  const spendWith = (...amounts: ReadonlyArray<number>): Spend => {
    const n = calendar.months.length
    return {
      lines: amounts.map((a, i) => ({
        name: `line ${i}`,
        kind: "weekly",
        budgetLine: 0,
        intervention: null,
        quantity: new Float64Array(n),
        amount: new Float64Array(n).fill(a / n)
      })),
      budgetLines: ["Budget"],
      byBudgetLineMonth: new Float64Array(n),
      byBudgetLineFy: new Float64Array(2)
    }
  }

  it("allows a run's spend up to the limit, counting income (negative amounts) as spend", () => {
    expect(spendProblem(spendWith(MAX_EXACT_SPEND / 2, -MAX_EXACT_SPEND / 2), calendar)).toBeNull()
    expect(spendProblem(spendWith(), calendar)).toBeNull()
  })

  it("refuses past it (or a figure that is not a number), naming the largest line and year", () => {
    const over = spendProblem(spendWith(MAX_EXACT_SPEND / 4, -MAX_EXACT_SPEND * 0.8), calendar)
    expect(over).toContain("£10,000,000,000,000 up to which caseflow adds pennies exactly")
    expect(over).toContain('the largest is the cost line "line 1" (weekly), -£4,000,000,000,000 in 2025/26')
    expect(over).toContain("check its perWeek")
    const huge = spendProblem(spendWith(1e40), calendar)
    expect(huge).toContain("the run's spend would be £1.00e40 in all")
    expect(spendProblem(spendWith(Number.NaN), calendar)).toContain("beyond any number in all")
  })
})
