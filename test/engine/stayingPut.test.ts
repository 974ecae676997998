/**
 * Staying put (`levels.care_leaver.stayingPut`): a care leaver who turns 18 in foster care stays on with the
 * carers (an exact trace to the arrangement's age limit, and to the end of support), its cost line is paid on
 * the arrangement's days, children in other placements do not stay put, the state check follows it and the
 * share that stays is the scenario's.
 */
import { describe, expect, it } from "vitest"
import { birthday } from "../../src/domain/Calendar.js"
import type { CaseEvent } from "../../src/domain/Event.js"
import { StateCheck } from "../../src/log/StateCheck.js"
import { spendOf } from "../../src/projections/Spend.js"
import { runEvents, runWithLedger } from "../support/run.js"
import { tinyModel } from "../support/tiny.js"

const SEED = 5
const model = (share: number, count: number, untilAge: number) =>
  tinyModel({
    years: 4,
    levels: {
      looked_after: {
        duration: { type: "fixed", value: 5000 },
        outcomes: [{ reason: "returned_home", to: "universal", probability: 1 }],
        placements: { onEntry: { in_house_foster: 1 } }
      },
      care_leaver: {
        supportEndsAt: 21,
        stayingPut: {
          share,
          untilAge,
          costs: [{ name: "Staying put allowance", budgetLine: "Care leavers", perWeek: 300 }]
        }
      }
    },
    budgetLines: [{ name: "Care leavers" }],
    startingCaseload: [
      { level: "looked_after", placement: "ifa_foster", count, ages: [17, 17], elapsed: { type: "fixed", value: 400 } },
      {
        level: "looked_after",
        placement: "external_residential",
        count,
        ages: [17, 17],
        elapsed: { type: "fixed", value: 400 }
      }
    ]
  })

const dob = (events: ReadonlyArray<CaseEvent>, c: number) =>
  (events.find((e) => e._tag === "CaseOpenAtStart" && e.child === c) as CaseEvent & { _tag: "CaseOpenAtStart" })
    .dateOfBirth

describe("staying put", () => {
  it("stays on with the foster carers from 18 to the arrangement's age limit, paid for on its days", () => {
    const m = model(1, 1, 20)
    const { events, totals } = runWithLedger(m, SEED)
    const b = (c: number, k: number) => birthday(m.calendar, dob(events, c), k)
    const own = (c: number) => events.filter((e) => e.child === c && e._tag !== "CaseOpenAtStart")
    // (then support ends at 21, if inside the run)
    expect(own(0).slice(0, 3)).toEqual([
      {
        _tag: "ChildLeftCare",
        time: b(0, 18),
        child: 0,
        placement: "ifa_foster",
        reason: "turned_18",
        to: "care_leaver",
        via: null
      },
      { _tag: "StayingPutBegan", time: b(0, 18), child: 0, placement: "ifa_foster" },
      { _tag: "StayingPutEnded", time: b(0, 20), child: 0, reason: "age_limit" }
    ])
    // From residential care: no staying put.
    expect(own(1).filter((e) => e._tag === "StayingPutBegan")).toEqual([])
    const check = new StateCheck(m)
    for (const e of events) expect(check.check(e)).toBeNull()
    const line = spendOf(totals).lines.find((l) => l.name === "Staying put allowance")!
    const days = b(0, 20) - b(0, 18)
    expect(line.quantity.reduce((a, x) => a + x, 0)).toBeCloseTo(days, 6)
    expect(line.amount.reduce((a, x) => a + x, 0)).toBeCloseTo((300 / 7) * days, 4)
  })

  it("ends with care-leaver support when that comes first", () => {
    const m = model(1, 1, 21)
    const events = runEvents(m, SEED).events
    const b21 = birthday(m.calendar, dob(events, 0), 21)
    if (b21 >= m.calendar.horizon) return
    expect(events.filter((e) => e.child === 0 && e.time === b21)).toEqual([
      { _tag: "StayingPutEnded", time: b21, child: 0, reason: "support_ended" },
      { _tag: "CareLeaverSupportEnded", time: b21, child: 0, reason: "age_limit" }
    ])
  })

  it("keeps the scenario's share", () => {
    const n = 3000
    const events = runEvents(model(0.25, n, 21), SEED).events
    const stayed = events.filter((e) => e._tag === "StayingPutBegan").length
    expect(Math.abs(stayed - 0.25 * n)).toBeLessThan(4.5 * Math.sqrt(n * 0.25 * 0.75))
  })
})
