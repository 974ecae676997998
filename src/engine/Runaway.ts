/**
 * A run that would never end: a scenario can be valid field by field and still send children back and forth
 * in (almost) no time, e.g. stays of a millionth of a day at two levels whose outcomes lead to each other.
 * Simulated time then hardly moves while actions pile up, and the run would go on for ever.
 *
 * A real run takes a few actions a year for each child it knows (the default borough: about 3 a child a
 * year); `RunawayCheck` allows 250,000, plus 100 for each child known for each day simulated so far (and one
 * for each arrival at the front door: a contact that is not referred adds no child), and the loop asks it
 * after each chunk of actions. Past that the run stops with `RunRefused`, which says when it
 * stopped, how many actions it had taken and what the day's pending actions mostly are (e.g. stays at
 * child_in_need ending), so that the message names the fields to look at.
 */
import type { Calendar } from "../domain/Calendar.js"
import { STATES } from "../domain/Level.js"
import { RunRefused } from "../domain/RunRefused.js"
import { grouped } from "../domain/Show.js"
import { Action } from "./Actions.js"
import type { Children } from "./Children.js"
import type { EventQueue } from "./EventQueue.js"
import type { Referrals } from "./Referrals.js"

/** Actions any run may take, whatever its size. */
const BASE_ACTIONS = 250_000
/** Actions allowed for each child known for each day simulated (a real run takes about 0.01). */
const ACTIONS_PER_CHILD_DAY = 100

/** What a kind of pending action is, and the scenario's fields that set how soon it comes. */
const KINDS: ReadonlyArray<readonly [number, string, string]> = [
  [Action.PlacementMove, "placement moves", "levels.looked_after.placements' moves"],
  [Action.AgeMove, "placement moves at a birthday", "levels.looked_after.placements' moves at an age"],
  [Action.LegalStatus, "changes of legal status", "levels.looked_after.legalStatus"],
  [Action.ReReferral, "re-referrals", "the levels' and referrals' reReferral.after"],
  [Action.Escalate, "children waiting for a place stepping up", "services' escalate after"],
  [Action.InterventionEnd, "places on interventions ending", "interventions' durations"],
  [Action.StayingPutEnd, "staying-put arrangements ending", "levels.care_leaver.stayingPut"],
  [Action.AgeLimit, "age limits", "ages"]
]

/** The most common of the day's pending actions (their words and count, and the fields to check), at most two. */
const busiest = (
  queue: EventQueue,
  children: Children
): ReadonlyArray<{ readonly what: string; readonly n: number; readonly field: string }> => {
  const counts = new Map<string, { what: string; n: number; field: string }>()
  const count = (what: string, field: string) => {
    const c = counts.get(what)
    if (c === undefined) counts.set(what, { what, n: 1, field })
    else c.n++
  }
  queue.forEachToday((kind, child, epoch) => {
    if (child < 0 || child >= children.count) return
    if (kind === Action.EpisodeEnd) {
      if (children.epoch(child) !== epoch) return
      const level = STATES[children.state(child)]
      count(`stays at ${level} ending`, `levels.${level}.duration`)
      return
    }
    const k = KINDS.find(([a]) => a === kind)
    if (k !== undefined) count(k[1], k[2])
  })
  return [...counts.values()].sort((a, b) => b.n - a.n || (a.what < b.what ? -1 : 1)).slice(0, 2)
}

/** Watches a run's actions against the allowance (see the module's comment). */
export class RunawayCheck {
  constructor(
    private readonly calendar: Calendar,
    private readonly queue: EventQueue,
    private readonly children: Children,
    private readonly referrals: Referrals
  ) {}

  /** Throws `RunRefused` if `actions` taken by day `t` are more than the run's children could need. */
  check(actions: number, t: number): void {
    if (actions <= BASE_ACTIONS) return
    const known = this.children.count
    const day = t > 0 ? t : 0
    // A contact that is not referred is an action that adds no child: each is allowed on top.
    const allowed = BASE_ACTIONS + ACTIONS_PER_CHILD_DAY * known * (day + 1) + this.referrals.arrivalsTaken
    if (actions <= allowed) return
    const when = `${this.calendar.dateOf(day)} (day ${day < 1 ? day.toPrecision(2) : grouped(Math.floor(day))})`
    const top = busiest(this.queue, this.children)
    const pending =
      top.length === 0
        ? ""
        : `; what is due next is mostly ${top.map((b) => `${b.what} (${grouped(b.n)})`).join(" and ")}, so ` +
          `check ${[...new Set(top.map((b) => b.field))].join(" and ")} (and their dated changes)`
    throw new RunRefused(
      `the run would never end: by ${when} it had taken ${grouped(actions)} actions for the ` +
        `${grouped(known)} children it knows, where a real run takes a few a year for each child${pending}: ` +
        "children are moving back and forth in almost no time"
    )
  }
}
