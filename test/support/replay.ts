/**
 * A deliberately simple, independent model of the event log, for the property tests: replays the events
 * child by child (a `Map` of small records, no typed arrays, no shared code with the Ledger but the
 * domain's definition of the state change each event makes) and records each child's spells (state,
 * placement, from, to) and every inconsistency it sees.
 */
import { transitionOf, type CaseEvent, type Transition } from "../../src/domain/Event.js"
import type { ChildState, Placement } from "../../src/domain/Level.js"

/** The state change an event makes (the domain's definition, src/domain/Event.ts); null when it makes none. */
export type Move = Transition
export const moveOf = transitionOf

/** A stretch of time a child spent in one state (and placement, in care). `to` is the horizon if still open. */
export interface Spell {
  readonly state: ChildState
  readonly placement: Placement | null
  readonly from: number
  to: number
  /** The event that ended the spell, if any. */
  end: CaseEvent | null
}

export interface ChildHistory {
  readonly child: number
  readonly dob: number
  readonly events: Array<CaseEvent>
  readonly spells: Array<Spell>
}

export interface Replay {
  readonly children: ReadonlyMap<number, ChildHistory>
  readonly violations: ReadonlyArray<string>
}

const dobOf = (e: CaseEvent): number | null =>
  e._tag === "CaseOpenAtStart" || e._tag === "CaseClosedBeforeStart" || e._tag === "ChildReferred"
    ? e.dateOfBirth
    : null

/** Replays a log; spells still open at the end are closed at `horizon`. */
export const replay = (events: ReadonlyArray<CaseEvent>, horizon: number): Replay => {
  const children = new Map<number, ChildHistory>()
  const violations: Array<string> = []
  const bad = (e: CaseEvent, why: string) => {
    if (violations.length < 20) violations.push(`${why}: ${JSON.stringify(e)}`)
  }
  for (const e of events) {
    // A contact names no child (one that becomes a referral names it in the ChildReferred that follows).
    if (e._tag === "ContactReceived") continue
    const known = children.get(e.child)
    const move = moveOf(e)
    if (move !== null && move.from === null) {
      // A new child: exactly once, by CaseOpenAtStart or CaseClosedBeforeStart (at time 0), or a first
      // referral.
      if (known !== undefined) {
        bad(e, "a child appears a second time")
        continue
      }
      if (e._tag === "CaseOpenAtStart") {
        if (e.time !== 0) bad(e, "a starting case opens after time 0")
        if ((e.level === "looked_after") !== (e.placement !== null))
          bad(e, "a placement must be given for, and only for, a looked-after child")
        if (!(e.since <= 0 && e.since >= e.dateOfBirth)) bad(e, "a starting case began after the start or before birth")
      }
      if (e._tag === "CaseClosedBeforeStart") {
        if (e.time !== 0) bad(e, "a case closed before the start appears after time 0")
        if (!(e.closedOn <= 0 && e.closedOn >= e.dateOfBirth)) bad(e, "a case closed after the start or before birth")
      }
      children.set(e.child, {
        child: e.child,
        dob: dobOf(e)!,
        events: [e],
        spells: [{ state: move.to, placement: move.toPlacement, from: e.time, to: horizon, end: null }]
      })
      continue
    }
    if (known === undefined) {
      bad(e, "an event for a child who has not appeared")
      continue
    }
    known.events.push(e)
    const current = known.spells[known.spells.length - 1]
    if (current.state === "exited") {
      bad(e, "an event for a child who has exited")
      continue
    }
    const dob = dobOf(e)
    if (dob !== null && dob !== known.dob) bad(e, `date of birth changed from ${known.dob}`)
    if (move === null && e._tag === "LegalStatusChanged") {
      // A legal status: only a looked-after child has one.
      if (current.state !== "looked_after") bad(e, `a legal status for a child who is ${current.state}`)
      continue
    }
    if (move === null && (e._tag === "StayingPutBegan" || e._tag === "StayingPutEnded")) {
      // Staying put: only a care leaver does.
      if (current.state !== "care_leaver") bad(e, `staying put for a child who is ${current.state}`)
      continue
    }
    if (move === null && e._tag === "SiblingReferred") {
      // A sibling's family: right after the child's first line (a referral, or an opening at the start).
      if (known.events.length !== 2) bad(e, "a sibling's family that is not right after the child's first line")
      continue
    }
    if (move === null && e._tag === "HistoryBeforeRun") {
      // A history before the run: right after the child's first line (and the sibling's family, if any).
      const first = known.events[1]._tag === "SiblingReferred" ? 3 : 2
      if (known.events.length !== first)
        bad(e, "a history before the run that is not right after the child's first line")
      continue
    }
    if (move === null) {
      // A re-referral: the child must be closed (universal).
      if (current.state !== "universal") bad(e, `a re-referral of a child who is ${current.state}`)
      continue
    }
    if (move.from !== current.state) bad(e, `moves from ${move.from} but the child is ${current.state}`)
    if (move.fromPlacement !== null && move.fromPlacement !== current.placement)
      bad(e, `moves from placement ${move.fromPlacement} but the child is in ${current.placement}`)
    current.to = e.time
    current.end = e
    known.spells.push({ state: move.to, placement: move.toPlacement, from: e.time, to: horizon, end: null })
  }
  return { children, violations }
}

/** Spells of every child in `state`. */
export const spellsIn = (
  r: Replay,
  state: ChildState
): Array<{ readonly child: ChildHistory; readonly spell: Spell }> => {
  const out: Array<{ child: ChildHistory; spell: Spell }> = []
  for (const child of r.children.values())
    for (const spell of child.spells) if (spell.state === state) out.push({ child, spell })
  return out
}
