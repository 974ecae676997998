// The DfE-shaped tables counted as DfE counts them, on hand-made events: children, not episodes; a child
// ceasing twice in a year counted once, at the last cessation; CP plans by length; CIN episodes (CIN, CP and
// looked after); then, on a real run, agreement with the stocks at each 31 March, and UASC apart.
import * as fs from "node:fs"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as Effect from "effect/Effect"
import { parse } from "yaml"
import { describe, expect, it } from "vitest"
import { makeCalendar } from "../../src/domain/Calendar.js"
import { Names, recordOf, type CaseEvent } from "../../src/domain/Event.js"
import { levelCount, CELL_COUNT } from "../../src/domain/Level.js"
import { compileModel } from "../../src/model/Model.js"
import { claCsv, claRows, cinCsv, cpCsv, DfeFold, populationCount } from "../../src/report/Dfe.js"
import { simulate } from "../../src/run/Run.js"
import { loadScenario } from "../../src/scenario/Load.js"
import { makeStreams } from "../../src/random/Streams.js"
import { decodeValid } from "../support/arbitraries.js"

const YEAR = 365.25

const fold = (events: ReadonlyArray<CaseEvent>) => {
  const cal = makeCalendar("2025-04-01", 2)
  const f = new DfeFold(cal, "Testshire")
  const names = new Names()
  for (const e of events) f.take(recordOf(e, names))
  return f.finish()
}

const EVENTS: ReadonlyArray<CaseEvent> = [
  {
    _tag: "CaseOpenAtStart",
    time: 0,
    child: 0,
    dateOfBirth: -10 * YEAR - 30,
    level: "looked_after",
    placement: "ifa_foster",
    since: -100
  },
  { _tag: "ChildReferred", time: 10, child: 1, dateOfBirth: -0.5 * YEAR, reReferral: false },
  { _tag: "LevelChanged", time: 20, child: 1, from: "universal", to: "child_protection", via: "s47_enquiry" },
  {
    _tag: "ChildLeftCare",
    time: 30,
    child: 0,
    placement: "ifa_foster",
    reason: "returned_home",
    to: "child_in_need",
    via: null
  },
  {
    _tag: "ChildBecameLookedAfter",
    time: 60,
    child: 0,
    from: "child_in_need",
    placement: "in_house_foster",
    via: "care_proceedings"
  },
  {
    _tag: "ChildLeftCare",
    time: 200,
    child: 0,
    placement: "in_house_foster",
    reason: "adopted",
    to: "exited",
    via: null
  },
  // Child 2 starts to be looked after twice in 2025/26 and is looked after on 31 March 2026.
  { _tag: "ChildReferred", time: 90, child: 2, dateOfBirth: -16.5 * YEAR, reReferral: false },
  { _tag: "ChildBecameLookedAfter", time: 100, child: 2, from: "universal", placement: "secure", via: null },
  {
    _tag: "ChildLeftCare",
    time: 150,
    child: 2,
    placement: "secure",
    reason: "returned_home",
    to: "universal",
    via: null
  },
  {
    _tag: "ChildBecameLookedAfter",
    time: 250,
    child: 2,
    from: "universal",
    placement: "supported_16_plus",
    via: null
  },
  {
    _tag: "ChildBecameLookedAfter",
    time: 400,
    child: 1,
    from: "child_protection",
    placement: "kinship",
    via: "care_proceedings"
  }
]

describe("the DfE tables, counted as DfE counts", () => {
  const t = fold(EVENTS)

  it("count children, not episodes: starting twice is one child, ceasing twice one, with the last reason", () => {
    expect(t.cla.map((y) => y.timePeriod)).toEqual(["2026", "2027"])
    const rows = claRows(t).filter((r) => r.timePeriod === "2026")
    const get = (population: string, characteristic: string, breakdown: string) =>
      rows.find((r) => r.population === population && r.characteristic === characteristic && r.breakdown === breakdown)
    // Child 0 (in care at the start) starts once, child 2 twice: two children starting, at their first start.
    expect(get("starting", "Age on starting", "Total")?.count).toBe(2)
    expect(get("starting", "Age on starting", "16 years and over")?.count).toBe(1)
    // Child 0 ceases twice (home, then adopted), child 2 once: two children, child 0 at the last cessation.
    expect(get("ceasing", "Age on ceasing", "Total")?.count).toBe(2)
    expect(get("ceasing", "Reason episode ceased", "Adopted")?.count).toBe(1)
    expect(get("ceasing", "Reason episode ceased", "Adopted")?.percent).toBe(50)
    expect(get("ceasing", "Age on ceasing", "10 to 15 years")?.count).toBe(1)
    expect(get("ceasing", "Age on ceasing", "16 years")?.count).toBe(1)
    expect(get("on_31_march", "Age group", "Total")?.count).toBe(1)
    expect(get("on_31_march", "Age group", "16 years and over")?.count).toBe(1)
    expect(
      get("on_31_march", "Placement", "Independent and semi-independent living arrangements/supported accommodation")
        ?.count
    ).toBe(1)
    expect(get("on_31_march", "Placement", "Foster placements")?.count).toBe(0)
    // 2026/27: child 1 came into care in kinship care, aged 1 on 31 March 2027.
    const next = claRows(t).filter((r) => r.timePeriod === "2027")
    const on31 = (c: string, b: string) =>
      next.find((r) => r.population === "on_31_march" && r.characteristic === c && r.breakdown === b)?.count
    expect(on31("Age group", "Total")).toBe(2)
    expect(on31("Age group", "1 to 4 years")).toBe(1)
    expect(on31("Placement", "Foster placements")).toBe(1)
  })

  it("count CIN episodes (CIN, CP and looked after) and CP plans at 31 March by length", () => {
    // Child 0: one episode open at the start, ended on adoption (care to CIN and back is one episode);
    // child 1: one started (CP); child 2: two started (into care from universal twice), one ended.
    expect(t.cin[0]).toEqual({
      timePeriod: "2026",
      anypointEpisodes: 4,
      anypointChildren: 3,
      startedEpisodes: 3,
      startedChildren: 2,
      endedEpisodes: 2,
      endedChildren: 2,
      at31Episodes: 2
    })
    // Child 1's plan began on day 20: 345 days by 31 March 2026, between 6 months and a year.
    expect(t.cp[0].byBand).toEqual([0, 0, 1, 0, 0])
    expect(t.cp[1].byBand).toEqual([0, 0, 0, 0, 0])
  })

  it("write the 2025 release's columns, with the geography block first", () => {
    const cla = claCsv(t).split("\n")
    expect(cla[0]).toBe(
      "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name," +
        "old_la_code,new_la_code,la_name,population_type,characteristic,breakdown,children_count,children_percent"
    )
    expect(cla[1]).toBe(
      "2026,Reporting year,Local authority,E92000001,England,,,,,Testshire," +
        "Children looked after on 31 March each year,Age group,Total,1,100"
    )
    expect(cinCsv(t).split("\n")[0]).toContain(
      "category,Anypoint_episodes,Anypoint_child,Started_episodes,Started_child,Ended_episodes,Ended_child," +
        "At31_episodes,awaiting_assessment"
    )
    expect(cpCsv(t).split("\n")[1]).toContain(",Child Protection Plans by length of time,1,0,0,0,0,1,100,0,0,0,0")
  })
})

describe("a part year", () => {
  it("is left out: a run from 1 October reports only the whole years after it", () => {
    const cal = makeCalendar("2025-10-01", 2)
    const f = new DfeFold(cal, "Testshire")
    const names = new Names()
    for (const e of EVENTS) f.take(recordOf(e, names))
    const t = f.finish()
    // 2025/26 is half a year (from 1 October), 2027/28 half (to 30 September): only 2026/27 is whole.
    expect(t.cla.map((y) => y.timePeriod)).toEqual(["2027"])
    expect(t.cin.map((y) => y.timePeriod)).toEqual(["2027"])
    expect(t.cp.map((y) => y.timePeriod)).toEqual(["2027"])
  })
})

describe("on a real run", () => {
  it("agree with the month-end stocks at each 31 March", () => {
    const scenario = decodeValid(parse(fs.readFileSync("scenarios/default.yaml", "utf8")))
    const model = compileModel(scenario, 3)
    const cal = model.calendar
    const f = new DfeFold(cal, scenario.name)
    const run = simulate(model, makeStreams(1, 0), f)
    const t = f.finish()
    expect(t.cla.length).toBe(3)
    cal.months.forEach((m, i) => {
      if (!m.endDate.endsWith("-03-31")) return
      const y = t.cla.findIndex((c) => c.timePeriod === m.endDate.slice(0, 4))
      const stock = (level: Parameters<typeof levelCount>[2]) =>
        levelCount(run.totals.monthEndStock, i * CELL_COUNT, level)
      expect(populationCount(t.cla[y], "on_31_march")).toBe(stock("looked_after"))
      expect(t.cp[y].byBand.reduce((a, b) => a + b, 0)).toBe(stock("child_protection"))
      expect(t.cin[y].at31Episodes).toBe(stock("child_in_need") + stock("child_protection") + stock("looked_after"))
      expect(t.cin[y].startedChildren).toBeLessThanOrEqual(t.cin[y].startedEpisodes)
    })
  })

  it("show UASC apart for a scenario with UASC (as uasc.csv counts them on 31 March), not otherwise", async () => {
    const source = await Effect.runPromise(
      loadScenario("test/fixtures/uasc.yaml").pipe(Effect.provide(NodeContext.layer))
    )
    const model = compileModel(source.central, 3)
    const f = new DfeFold(model.calendar, source.central.name, model.names.id(source.central.uasc!.via))
    const run = simulate(model, makeStreams(4, 0), f)
    const t = f.finish()
    const rows = claRows(t).filter((r) => r.characteristic === "Unaccompanied asylum-seeking children")
    expect(rows.length).toBe(t.cla.length * 3 * 3)
    model.calendar.months.forEach((m, i) => {
      if (!m.endDate.endsWith("-03-31")) return
      const at = (b: string) =>
        rows.find((r) => r.timePeriod === m.endDate.slice(0, 4) && r.population === "on_31_march" && r.breakdown === b)!
      expect(at("UASC").count).toBe(run.totals.uasc!.inCare[i])
      expect(at("UASC").count).toBeGreaterThan(0)
      expect(at("UASC").count + at("Non-UASC").count).toBe(at("Total").count)
    })
    // Without UASC in the scenario: no such rows (the model has none to count).
    const plain = new DfeFold(model.calendar, source.central.name)
    simulate(model, makeStreams(4, 0), plain)
    expect(claRows(plain.finish()).some((r) => r.characteristic === "Unaccompanied asylum-seeking children")).toBe(
      false
    )
  })
})
