/**
 * Contacts at the front door (`referrals.contacts`): contacts arrive as the process says (Poisson: within
 * 4.5 standard deviations), the share that become referrals is the scenario's (binomial, each month; and
 * after a dated change of it), every contact that becomes a referral is followed at once by its new child's
 * referral and no other new referral is made, the rolling 12-month contacts are the sum of the months, and
 * the state check refuses logs that say otherwise.
 */
import { describe, expect, it } from "vitest"
import type { CaseEvent } from "../../src/domain/Event.js"
import { StateCheck } from "../../src/log/StateCheck.js"
import { rolling12MonthsCsv } from "../../src/report/Wide.js"
import { runWithLedger } from "../support/run.js"
import { tinyModel } from "../support/tiny.js"

const PER_DAY = 20
const contactsModel = (toReferralChanges: ReadonlyArray<{ from: string; share: number }> = []) =>
  tinyModel({
    years: 2,
    population: { children: 100_000 },
    referrals: {
      ratePer10k: undefined,
      contacts: { perYear: PER_DAY * 365.25, toReferral: 0.3, toReferralChanges: [...toReferralChanges] }
    }
  })

const z = (n: number, mean: number, variance: number) => (n - mean) / Math.sqrt(variance)

describe("contacts at the front door", () => {
  it("arrive as the process says, and the stated share of them become referrals, month by month", () => {
    const model = contactsModel([{ from: "2026-04-01", share: 0.6 }])
    const cal = model.calendar
    const change = cal.dayOf("2026-04-01")
    for (const seed of [1, 2]) {
      const { events } = runWithLedger(model, seed)
      for (const m of cal.months) {
        const inMonth = events.filter((e) => e.time >= m.start && e.time < m.end)
        const contacts = inMonth.filter((e) => e._tag === "ContactReceived")
        const referred = contacts.filter((e) => e._tag === "ContactReceived" && e.referred).length
        const days = m.end - m.start
        expect(Math.abs(z(contacts.length, PER_DAY * days, PER_DAY * days)), m.label).toBeLessThan(4.5)
        const p = m.start >= change ? 0.6 : 0.3
        const n = contacts.length
        expect(Math.abs(z(referred, n * p, n * p * (1 - p))), `${m.label}: ${referred} of ${n}`).toBeLessThan(4.5)
        // Every new referral is a contact's, and every referred contact's child is referred.
        const newReferrals = inMonth.filter((e) => e._tag === "ChildReferred" && !e.reReferral).length
        expect(newReferrals, m.label).toBe(referred)
      }
    }
  })

  it("logs a referred contact right before its new child's referral, at the same time", () => {
    const { events } = runWithLedger(contactsModel(), 3)
    let pending: CaseEvent | null = null
    for (const e of events) {
      if (pending !== null) {
        expect(e._tag === "ChildReferred" && !e.reReferral && e.time === pending.time).toBe(true)
        pending = null
      }
      if (e._tag === "ContactReceived") {
        expect(e.child).toBe(-1)
        if (e.referred) pending = e
      }
    }
  })

  it("counts contacts per month in the ledger, and the rolling 12 months are the sum of the months", () => {
    const model = contactsModel()
    const { events, totals } = runWithLedger(model, 4)
    const months = model.calendar.months
    const perMonth = months.map(
      (m) => events.filter((e) => e._tag === "ContactReceived" && e.time >= m.start && e.time < m.end).length
    )
    months.forEach((_, i) => expect(totals.contacts[i * 2] + totals.contacts[i * 2 + 1]).toBe(perMonth[i]))
    const rows = rolling12MonthsCsv(totals, true).trim().split("\n")
    expect(rows[0].split(",").slice(0, 4)).toEqual(["month_end", "months", "contacts", "referrals"])
    rows.slice(1).forEach((row, i) => {
      const cells = row.split(",")
      const from = Math.max(0, i - 11)
      expect(Number(cells[1])).toBe(i - from + 1)
      expect(Number(cells[2]), cells[0]).toBe(perMonth.slice(from, i + 1).reduce((a, b) => a + b, 0))
    })
    // Without contacts, the file has no contacts column.
    expect(rolling12MonthsCsv(totals).split("\n")[0]).not.toMatch(/contacts/)
  })

  it("scales contacts per 10,000 children with the population, and contacts a year not", () => {
    const count = (o: { perYear?: number; per10k?: number }, growthPerYear: number) => {
      const model = tinyModel({
        years: 3,
        population: { children: 100_000, growthPerYear },
        referrals: { ratePer10k: undefined, contacts: { ...o, toReferral: 0.5 } }
      })
      const last = model.calendar.financialYears[2]
      return runWithLedger(model, 5).events.filter(
        (e) => e._tag === "ContactReceived" && e.time >= last.start && e.time < last.end
      ).length
    }
    // 7,305 contacts a year; in the third year, at 20% growth a year, per 10,000 gives 1.2^2.5 as many.
    const flat = count({ perYear: 7305 }, 0.2)
    const grown = count({ per10k: 730.5 }, 0.2)
    expect(Math.abs(z(flat, 7305, 7305))).toBeLessThan(4.5)
    const expected = 7305 * ((Math.pow(1.2, 3) - Math.pow(1.2, 2)) / Math.log(1.2))
    expect(Math.abs(z(grown, expected, expected))).toBeLessThan(4.5)
  })

  it("the state check refuses a contact in a scenario without contacts, and a referred contact on its own", () => {
    const without = tinyModel({ referrals: { ratePer10k: 100 } })
    const contact = (time: number, referred: boolean): CaseEvent => ({
      _tag: "ContactReceived",
      time,
      child: -1,
      referred
    })
    expect(new StateCheck(without).check(contact(1, false))).toBe(
      "the scenario has no contacts (referrals.contacts): it logs no ContactReceived"
    )
    const check = new StateCheck(contactsModel())
    expect(check.check(contact(1, false))).toBeNull()
    expect(check.check(contact(2, true))).toBeNull()
    expect(check.check(contact(2, false))).toBe(
      "a contact that became a referral is followed at once by the new child's ChildReferred, at its time"
    )
    const ok = new StateCheck(contactsModel())
    expect(ok.check(contact(2, true))).toBeNull()
    expect(ok.check({ _tag: "ChildReferred", time: 2, child: 0, dateOfBirth: -100, reReferral: false })).toBeNull()
  })
})
