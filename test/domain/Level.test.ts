/**
 * The level graph and the event schema agree: every move an event type can state is one the graph allows,
 * and the cells (one per state outside care, one per placement in care) are distinct.
 */
import * as Schema from "effect/Schema"
import { describe, expect, it } from "vitest"
import { CaseEvent, ChildBecameLookedAfter, ChildLeftCare, LevelChanged } from "../../src/domain/Event.js"
import {
  ALLOWED_MOVES,
  CELL_COUNT,
  HELP_LEVELS,
  PLACEMENTS,
  STATES,
  cellOf,
  isAllowedMove,
  placementCell,
  stateIndex,
  type ChildState
} from "../../src/domain/Level.js"

/** The literal values a Schema.Literal field accepts. */
const literals = (s: Schema.Schema.Any): ReadonlyArray<string> => {
  const ast = s.ast
  if (ast._tag === "Literal") return [String(ast.literal)]
  if (ast._tag === "Union") return ast.types.flatMap((t) => (t._tag === "Literal" ? [String(t.literal)] : []))
  throw new Error(`not a literal: ${ast._tag}`)
}

describe("the level graph", () => {
  it("exited is final and care leavers can only exit", () => {
    expect(ALLOWED_MOVES.exited).toEqual([])
    expect(ALLOWED_MOVES.care_leaver).toEqual(["exited"])
  })

  it("no level moves to itself except a front-door closure (universal -> universal)", () => {
    for (const s of STATES) expect(isAllowedMove(s, s)).toBe(s === "universal")
  })

  it("only care leads to care-leaver support, and a closed case never exits the model directly", () => {
    for (const s of STATES) expect(isAllowedMove(s, "care_leaver")).toBe(s === "looked_after")
    expect(isAllowedMove("universal", "exited")).toBe(false)
  })

  it("every move an event can state is one the graph allows", () => {
    for (const from of literals(LevelChanged.fields.from))
      for (const to of literals(LevelChanged.fields.to))
        if (from !== "looked_after")
          expect(isAllowedMove(from as ChildState, to as ChildState), `${from} -> ${to}`).toBe(from !== to)
    for (const from of literals(ChildBecameLookedAfter.fields.from))
      expect(isAllowedMove(from as ChildState, "looked_after")).toBe(true)
    for (const to of literals(ChildLeftCare.fields.to))
      expect(isAllowedMove("looked_after", to as ChildState), to).toBe(true)
  })

  it("cells: one per state outside care and one per placement, all distinct", () => {
    const cells = [
      ...STATES.filter((s) => s !== "looked_after").map((s) => cellOf(stateIndex[s], -1)),
      ...PLACEMENTS.map((_, p) => cellOf(stateIndex.looked_after, p))
    ]
    expect(new Set(cells).size).toBe(cells.length)
    expect(Math.max(...cells)).toBeLessThan(CELL_COUNT)
    PLACEMENTS.forEach((_, p) => expect(placementCell(p)).toBe(cellOf(stateIndex.looked_after, p)))
    for (const l of HELP_LEVELS) expect(cellOf(stateIndex[l], -1)).toBe(stateIndex[l])
  })
})

describe("the event schema", () => {
  const decode = Schema.decodeUnknownEither(CaseEvent)
  const examples: ReadonlyArray<CaseEvent> = [
    {
      _tag: "CaseOpenAtStart",
      time: 0,
      child: 0,
      dateOfBirth: -4000,
      level: "looked_after",
      placement: "kinship",
      since: -12.5
    },
    { _tag: "ChildReferred", time: 1.25, child: 1, dateOfBirth: -100.5, reReferral: false },
    { _tag: "LevelChanged", time: 2, child: 1, from: "universal", to: "early_help", via: null },
    {
      _tag: "ChildBecameLookedAfter",
      time: 3,
      child: 1,
      from: "early_help",
      placement: "secure",
      via: "care_proceedings"
    },
    { _tag: "PlacementChanged", time: 4, child: 1, from: "secure", to: "ifa_foster" },
    {
      _tag: "ChildLeftCare",
      time: 5,
      child: 1,
      placement: "ifa_foster",
      reason: "turned_18",
      to: "care_leaver",
      via: null
    },
    { _tag: "CaseClosed", time: 6, child: 2, from: "child_in_need", reason: "stepped_down", to: "universal", via: "x" },
    { _tag: "CareLeaverSupportEnded", time: 7, child: 1, reason: "age_limit" }
  ]

  it("every event type survives a round trip through JSON", () => {
    for (const e of examples) {
      const back = decode(JSON.parse(JSON.stringify(e)))
      expect(back._tag === "Right" ? back.right : back.left.message).toEqual(e)
    }
  })

  it("rejects a negative time, a fractional child number and an unknown state", () => {
    expect(decode({ ...examples[1], time: -1 })._tag).toBe("Left")
    expect(decode({ ...examples[1], child: 1.5 })._tag).toBe("Left")
    expect(decode({ ...examples[2], to: "looked_after" })._tag).toBe("Left")
    expect(decode({ ...examples[2], to: "nowhere" })._tag).toBe("Left")
  })
})
