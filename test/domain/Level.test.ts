/**
 * The level graph and the event schema agree: every move an event type can state is one the graph allows,
 * and the cells (one per state outside care, one per placement in care) are distinct. The vocabulary is
 * defined once: the level subsets, the event tags (read off the union), and the state change each event
 * makes (its record, which turns back into the same event).
 */
import * as Arbitrary from "effect/Arbitrary"
import * as Schema from "effect/Schema"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  CaseClosed,
  CaseEvent,
  ChildBecameLookedAfter,
  ChildLeftCare,
  EVENT_TAG_INDEX,
  EVENT_TAGS,
  EventRecord,
  LevelChanged,
  Names,
  REASONS,
  eventOf,
  recordOf,
  transitionOf
} from "../../src/domain/Event.js"
import {
  AFTER_CARE,
  ALLOWED_MOVES,
  BELOW_CARE,
  CELL_COUNT,
  CLOSED_STATES,
  DECIDING_STATES,
  EPISODE_LEVELS,
  HELP_LEVELS,
  LEVELS,
  OPEN_LEVELS,
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

/** One event of most types, by hand. */
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

describe("the event schema", () => {
  const decode = Schema.decodeUnknownEither(CaseEvent)

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

describe("the level subsets", () => {
  it("are the sets the level graph and the event types name", () => {
    expect([...EPISODE_LEVELS]).toEqual([...HELP_LEVELS, "looked_after"])
    expect([...OPEN_LEVELS]).toEqual([...EPISODE_LEVELS, "care_leaver"])
    expect([...LEVELS]).toEqual(["universal", ...OPEN_LEVELS])
    // Where a referral's decision can send a child, and where leaving care can: the graph's own lists.
    expect(new Set(ALLOWED_MOVES.universal)).toEqual(new Set([...BELOW_CARE, "looked_after"]))
    expect(new Set(ALLOWED_MOVES.looked_after)).toEqual(new Set(AFTER_CARE))
    // A help level can go to any other state below care, into care, or out at 18.
    for (const l of HELP_LEVELS)
      expect(new Set(ALLOWED_MOVES[l])).toEqual(
        new Set([...BELOW_CARE.filter((s) => s !== l), "looked_after", "exited"])
      )
    // The states a decision is taken in are those with outcomes (the front door and the episode levels).
    expect(STATES.filter((s) => HELP_LEVELS.some((h) => isAllowedMove(s, h)) && s !== "care_leaver")).toEqual([
      ...DECIDING_STATES
    ])
    expect([...CLOSED_STATES].every((s) => HELP_LEVELS.every((h) => isAllowedMove(h, s)))).toBe(true)
  })

  it("are the literals of the event fields built from them", () => {
    expect(literals(LevelChanged.fields.from)).toEqual([...DECIDING_STATES])
    expect(literals(ChildBecameLookedAfter.fields.from)).toEqual([...BELOW_CARE])
    expect(literals(ChildLeftCare.fields.to)).toEqual([...AFTER_CARE])
    expect(literals(CaseClosed.fields.to)).toEqual([...CLOSED_STATES])
  })
})

describe("the event vocabulary", () => {
  /** Any event the schema allows. */
  const anyEvent = Arbitrary.make(CaseEvent) as unknown as fc.Arbitrary<CaseEvent>

  it("EVENT_TAGS are the union's tags, in order, numbered by EVENT_TAG_INDEX", () => {
    expect(EVENT_TAGS.length).toBe(CaseEvent.members.length)
    CaseEvent.members.forEach((m, i) => {
      const member = m as unknown as Schema.Schema<CaseEvent>
      const [one] = fc.sample(Arbitrary.make(member) as unknown as fc.Arbitrary<CaseEvent>, 1)
      expect(one._tag).toBe(EVENT_TAGS[i])
    })
    EVENT_TAGS.forEach((t, i) => expect(EVENT_TAG_INDEX[t]).toBe(i))
  })

  it("an event's record turns back into the same event, with the names numbered in the table", () => {
    fc.assert(
      fc.property(fc.array(anyEvent, { maxLength: 20 }), (events) => {
        const names = new Names()
        const records = events.map((e) => recordOf(e, names))
        records.forEach((r, i) => expect(eventOf(r, names)).toEqual(events[i]))
        // Reasons are numbered in their event type's list.
        for (const r of records) if (r.reason >= 0) expect(REASONS[EVENT_TAGS[r.tag]][r.reason]).toBeDefined()
      })
    )
  })

  it("a record is the same whoever wrote it: every unused field is reset", () => {
    fc.assert(
      fc.property(anyEvent, anyEvent, (a, b) => {
        const names = new Names()
        const reused = recordOf(b, names, recordOf(a, names, new EventRecord()))
        expect({ ...reused }).toEqual({ ...recordOf(b, names, new EventRecord()) })
      })
    )
  })

  it("says the state change each event makes", () => {
    const changes = (e: CaseEvent) => transitionOf(e)
    expect(changes(examples[0])).toEqual({
      from: null,
      fromPlacement: null,
      to: "looked_after",
      toPlacement: "kinship"
    })
    expect(changes(examples[1])).toEqual({ from: null, fromPlacement: null, to: "universal", toPlacement: null })
    expect(changes({ ...examples[1], _tag: "ChildReferred", reReferral: true } as CaseEvent)).toBeNull()
    expect(changes(examples[4])).toEqual({
      from: "looked_after",
      fromPlacement: "secure",
      to: "looked_after",
      toPlacement: "ifa_foster"
    })
    expect(changes(examples[5])).toEqual({
      from: "looked_after",
      fromPlacement: "ifa_foster",
      to: "care_leaver",
      toPlacement: null
    })
    expect(changes(examples[7])).toEqual({ from: "care_leaver", fromPlacement: null, to: "exited", toPlacement: null })
    expect(changes({ _tag: "WaitingListJoined", time: 1, child: 2, service: "IFS", at: "child_in_need" })).toBeNull()
  })
})
