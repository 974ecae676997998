/**
 * Legal statuses of looked-after children (SSDA903 codes, src/domain/Level.ts `LEGAL_STATUSES`): the status
 * a child comes into care with (by the level they came from, the route and their age), its changes during
 * the episode (an interim care order becoming a full care order, then a placement order), and what a status
 * changes for the child (their time in care, how the episode ends, a placement move on the change).
 *
 * Only a model with legal statuses makes one of these (`Simulation`); without one the engine draws and
 * logs nothing about legal status, so a scenario without them runs exactly as before. Every draw comes from
 * the child's own stream, after the draws the child makes on entry to care.
 *
 * The status is set with a LegalStatusChanged event (`from` null) right after the child's entry into care
 * (ChildBecameLookedAfter, or CaseOpenAtStart for the starting caseload) and changes with further ones.
 * What follows a change (rescheduling the episode's end, a placement move) is the life cycle's
 * (src/engine/LifeCycle.ts `changeLegalStatus`).
 */
import type { LegalStatusModel } from "../model/Model.js"
import { ANY_ROW } from "../model/Model.js"
import type { ByAge } from "../model/Tables.js"
import { choose } from "../model/Tables.js"
import { equilibriumAge, type Distribution } from "../random/Distribution.js"
import { Action, Priority } from "./Actions.js"
import type { Children } from "./Children.js"
import type { EventQueue } from "./EventQueue.js"
import type { Output } from "./Output.js"

export class LegalStatuses {
  /** The forward recurrence time of each status's change (the time left in a status held since an unknown
   * time, for the starting caseload), made when first needed. */
  private readonly residual: Array<Distribution | null>

  constructor(
    readonly model: LegalStatusModel,
    private readonly children: Children,
    private readonly queue: EventQueue,
    private readonly out: Output
  ) {
    this.residual = model.changes.map(() => null)
  }

  /** The child's status (-1: none). */
  status(c: number): number {
    return this.children.legalStatus(c)
  }

  /**
   * Child c comes into care on day t from `from` by route `via`: their status, from the first row of
   * `onEntry` that matches (validation makes the last row match every child), and when it will change.
   */
  enter(c: number, t: number, from: number, via: number): void {
    const rows = this.model.onEntry
    let row = rows[rows.length - 1]
    let age = -1
    for (let i = 0; i < rows.length - 1; i++) {
      const r = rows[i]
      if (r.from !== ANY_ROW && r.from !== from) continue
      if (r.via !== ANY_ROW && r.via !== via) continue
      if (r.agesLo > 0 || r.agesHi < 200) {
        if (age < 0) age = this.children.age(c, t)
        if (age < r.agesLo || age > r.agesHi) continue
      }
      row = r
      break
    }
    this.set(c, t, -1, choose(row.mix, this.children.rng(c)()), false)
  }

  /** The status changes (or is first set, `from` = -1) to `to` on day t; its own change is drawn (for a
   * child of the starting caseload, `atStart`, who has held it an unknown while: the forward recurrence
   * time of the change's law). */
  set(c: number, t: number, from: number, to: number, atStart: boolean): void {
    const ch = this.children
    this.out.legalStatusChanged(t, c, from, to)
    ch.setLegalStatus(c, to)
    const change = this.model.changes[to]
    if (change === null) {
      ch.setChangeAt(c, Infinity)
      return
    }
    const rng = ch.rng(c)
    const after = atStart ? this.residualOf(to, change.after).sample(rng) : change.after.sample(rng)
    ch.setChangeAt(c, t + after)
  }

  private residualOf(status: number, after: Distribution): Distribution {
    let d = this.residual[status]
    if (d === null) d = this.residual[status] = equilibriumAge(after)
    return d
  }

  /** The status the pending change goes to (drawn now). */
  nextStatus(c: number): number {
    return choose(this.model.changes[this.children.legalStatus(c)]!.to, this.children.rng(c)())
  }

  /** The time-in-care table for child c: their status's own, or `fallback` (looked_after's duration). */
  duration(c: number, fallback: ByAge<Distribution>): ByAge<Distribution> {
    const s = this.children.legalStatus(c)
    const own = s >= 0 ? this.model.duration[s] : null
    return own ?? fallback
  }

  /** Schedules the pending change, if it comes before the child's next level action. */
  schedule(c: number): void {
    const ch = this.children
    const at = ch.changeAt(c)
    if (at < ch.dueAt(c)) this.queue.push(at, Priority.LegalStatus, Action.LegalStatus, c, ch.epoch(c))
  }
}
