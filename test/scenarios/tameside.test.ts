/**
 * The Tameside demand-shock example (scenarios/examples/tameside-demand-shock.yaml): an overlay of the
 * default borough that changes only its front door (contacts instead of a referral rate), whose contacts
 * without the shock give the default's referrals (the same rate, and counts within Poisson noise), and whose
 * shock puts its first year's contacts 25% above that. And the guard for everyone else: scenarios without
 * contacts or a population by age give the event logs and results they gave before these existed (their
 * SHA-256, recorded from the code before contacts: 67ae7e9 with the history work, whose stationary
 * opening caseload and dfe_cp_d3.csv changed them on purpose).
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as Effect from "effect/Effect"
import { createHash } from "node:crypto"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import type { CaseEvent } from "../../src/domain/Event.js"
import { encodeEvent } from "../../src/log/encode.js"
import { compileModel } from "../../src/model/Model.js"
import { resultFiles } from "../../src/report/Tables.js"
import { loadScenario, type ScenarioSource } from "../../src/scenario/Load.js"
import type { Scenario } from "../../src/scenario/Scenario.js"
import { runWithLedger } from "../support/run.js"
import { spendOf } from "../../src/projections/Spend.js"

const root = path.resolve(import.meta.dirname, "../..")
const source = (f: string): Promise<ScenarioSource> =>
  Effect.runPromise(loadScenario(path.join(root, f)).pipe(Effect.provide(NodeContext.layer)))
const sha = (s: string) => createHash("sha256").update(s).digest("hex")

const newReferrals = (events: ReadonlyArray<CaseEvent>, from: number, to: number) =>
  events.filter((e) => e._tag === "ChildReferred" && !e.reReferral && e.time >= from && e.time < to).length
const contacts = (events: ReadonlyArray<CaseEvent>, from: number, to: number) =>
  events.filter((e) => e._tag === "ContactReceived" && e.time >= from && e.time < to).length

describe("the Tameside demand-shock example", () => {
  it("changes only the default's front door: contacts whose referred share is the default's rate", async () => {
    const base = (await source("scenarios/default.yaml")).central
    const s = (await source("scenarios/examples/tameside-demand-shock.yaml")).central
    const c = s.referrals.contacts!
    expect(s.referrals.ratePer10k).toBeUndefined()
    // 9,343 contacts a year x 13.07%, each a family of 1.67 children on average (a contact is about a family)
    // = the default's 408 referrals of children per 10,000 of its 50,000 children.
    const size = base.referrals.families?.size ?? [1]
    const meanFamily = size.reduce((m, share, i) => m + share * (i + 1), 0) / size.reduce((a, b) => a + b, 0)
    const perTenThousand = ((c.perYear! * c.toReferral * meanFamily) / s.population.children) * 10_000
    expect(Math.abs(perTenThousand / base.referrals.ratePer10k! - 1)).toBeLessThan(0.001)
    const { contacts: _contacts, ...referrals } = s.referrals
    expect({ ...s, name: base.name, referrals: { ...referrals, ratePer10k: base.referrals.ratePer10k } }).toEqual(base)
  })

  it("without its shock gives the default's referrals; with it, 25% more contacts in its first year", async () => {
    const base = (await source("scenarios/default.yaml")).central
    const s = (await source("scenarios/examples/tameside-demand-shock.yaml")).central
    const noShock: Scenario = {
      ...s,
      referrals: { ...s.referrals, contacts: { ...s.referrals.contacts!, changes: [] } }
    }
    const years = 2
    const cal = compileModel(base, years).calendar
    const [y1, y2] = cal.financialYears
    const runOf = (x: Scenario) => runWithLedger(compileModel(x, years), 7).events
    const b = runOf(base)
    const n = runOf(noShock)
    const shock = runOf(s)
    const nb = newReferrals(b, 0, cal.horizon)
    const nn = newReferrals(n, 0, cal.horizon)
    // Two independent Poisson counts with the same mean: their difference has variance about nb + nn.
    expect(Math.abs(nb - nn) / Math.sqrt(nb + nn), `${nb} against ${nn}`).toBeLessThan(4.5)
    const c0 = contacts(n, y1.start, y1.end)
    const c1 = contacts(shock, y1.start, y1.end)
    expect(Math.abs(c1 / c0 - 1.25), `${c1} against ${c0}`).toBeLessThan(4.5 * 1.25 * Math.sqrt(2 / c0))
    // In the second year the excess wears off: between none and the first year's.
    const d0 = contacts(n, y2.start, y2.end)
    const d1 = contacts(shock, y2.start, y2.end)
    expect(d1 / d0).toBeGreaterThan(1)
    expect(d1 / d0).toBeLessThan(1.25)
  }, 120_000)
})

describe("scenarios without contacts or a population by age", () => {
  // Recorded from the code before contacts existed (67ae7e9 + the history work): the event log (as
  // encoded) and every result file of a run, seed 1. A change that alters them alters every shipped
  // result: say so, and re-record.
  const GOLDEN: Record<string, { readonly events: string; readonly results: string }> = {
    "test/fixtures/small.yaml": {
      events: "9e4c3c0977118c05bc6a203475199e10e9b480fe55860479a6d7ea510120fcfd",
      results: "4bf011acdc47302ef72d759e9fec5a3521b93591aaa7924f2e8e832fabe82235"
    },
    "test/fixtures/uasc.yaml": {
      events: "34cd41257fcedd47eea1850a365ebcbb8c2d4b64c250f7480b5e1ebe012c4fda",
      results: "c1c860cacca977adeb95cd7f753262b01451dbd5297fb3e1387b0a3674d9fe92"
    }
  }
  for (const [file, golden] of Object.entries(GOLDEN))
    it(`run as before, byte for byte: ${file}`, async () => {
      const s = (await source(file)).central
      const model = compileModel(s)
      const { events, totals } = runWithLedger(model, 1)
      expect(sha(events.map(encodeEvent).join("\n"))).toBe(golden.events)
      const files = resultFiles(totals, spendOf(totals))
      expect(sha(files.map(([name, text]) => `${name}\n${text}`).join("\n"))).toBe(golden.results)
    })
})
