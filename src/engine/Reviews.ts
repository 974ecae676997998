/**
 * Count targets: an intervention with a `quota` reviews so many open cases a month (src/model/Policy.ts
 * `QuotaModel`), e.g. "safely de-LAC one child a month" by reviewing every section 20 placement, longest in
 * care first.
 *
 * Each round (the month's first working day, or spread through the month) takes the children then eligible:
 * at the quota's level (in care: in one of its placements, with one of its legal statuses), of its ages and
 * time at the level so far, not waiting for a place, not unborn, not holding or waiting for an intervention
 * place, not already under this intervention's effect. It orders them by the quota's rule (ties by child
 * number) and reviews the first, at most the round's count, and never more than the intervention has places
 * free: a child chosen when none is free is logged `no_place`. A review starts the intervention for the
 * child (its effects then apply as to any child it takes) and then ends the stay under way with the chance
 * `endStay` gives, or scales what remains of it (`shortenStay`).
 *
 * Common random numbers: a review draws from the child's interventions stream (seeded the first time an
 * intervention looks at the child) and the random rule from the quota's own stream; nothing is drawn from
 * the child's own stream, so a child no review touches has the same history with and without the quota.
 */
import { REVIEW_OUTCOMES, stateIndex } from "../domain/Level.js"
import type { Model } from "../model/Model.js"
import {
  LONGEST_FIRST,
  OLDEST_FIRST,
  RANDOM,
  SHORTEST_FIRST,
  type InterventionModel,
  type QuotaModel
} from "../model/Policy.js"
import type { StreamFactory, Uniform } from "../random/Streams.js"
import { Action, Priority } from "./Actions.js"
import type { Children } from "./Children.js"
import type { EventQueue } from "./EventQueue.js"
import type { Interventions } from "./Interventions.js"
import type { LifeCycle } from "./LifeCycle.js"
import type { Output } from "./Output.js"
import type { Places } from "./Places.js"

const LOOKED_AFTER = stateIndex.looked_after
const ENDED = REVIEW_OUTCOMES.indexOf("ended")
const SHORTENED = REVIEW_OUTCOMES.indexOf("shortened")
const UNCHANGED = REVIEW_OUTCOMES.indexOf("unchanged")
const NO_PLACE = REVIEW_OUTCOMES.indexOf("no_place")

export class Reviews {
  private readonly quotas: ReadonlyArray<QuotaModel>
  /** The random rule's stream of each quota (null for the other rules). */
  private readonly pick: ReadonlyArray<Uniform | null>

  constructor(
    model: Model,
    streams: StreamFactory,
    private readonly children: Children,
    private readonly queue: EventQueue,
    private readonly out: Output,
    private readonly places: Places,
    private readonly interventions: Interventions,
    private readonly life: LifeCycle
  ) {
    this.quotas = model.policy.quotas
    this.pick = this.quotas.map((q) => (q.rule === RANDOM ? streams(`quota:${q.name}`) : null))
  }

  /** Schedules each quota's first round. */
  open(): void {
    this.quotas.forEach((q, i) => this.schedule(i, 0))
  }

  private schedule(i: number, k: number): void {
    const q = this.quotas[i]
    if (k < q.roundAt.length) this.queue.push(q.roundAt[k], Priority.Capacity, Action.Review, i, k)
  }

  /** When child c's stay at their level began (in care: the care episode). */
  private since(c: number): number {
    const ch = this.children
    return ch.state(c) === LOOKED_AFTER ? ch.careSince(c) : ch.services!.levelSince[c]
  }

  private eligible(q: QuotaModel, iv: InterventionModel, c: number, t: number): boolean {
    const ch = this.children
    if (ch.state(c) !== q.level || t < ch.dob(c)) return false
    const st = ch.services!
    if (st.waitingFor[c] >= 0) return false
    if (q.placementMask !== 0 && (q.placementMask & (1 << ch.placement(c))) === 0) return false
    const d = t - this.since(c)
    if (d < q.atLeast || d > q.atMost) return false
    return this.interventions.takes(iv, c, t)
  }

  /** The eligible children in the order the quota's rule takes them (ties: by child number). */
  private ordered(i: number, q: QuotaModel, iv: InterventionModel, t: number, n: number): Array<number> {
    const ch = this.children
    const list: Array<number> = []
    for (let c = 0; c < ch.count; c++) if (this.eligible(q, iv, c, t)) list.push(c)
    const rule = q.rule
    if (rule === RANDOM) {
      // The first n of a random order (a partial Fisher-Yates shuffle of the list by child number).
      const u = this.pick[i]!
      for (let j = 0; j < Math.min(n, list.length); j++) {
        const r = j + Math.floor(u() * (list.length - j))
        const x = list[j]
        list[j] = list[r]
        list[r] = x
      }
      return list
    }
    const key = new Float64Array(ch.count)
    for (const c of list)
      key[c] =
        rule === LONGEST_FIRST
          ? this.since(c)
          : rule === SHORTEST_FIRST
            ? -this.since(c)
            : rule === OLDEST_FIRST
              ? ch.dob(c)
              : -ch.dob(c)
    return list.sort((a, b) => key[a] - key[b] || a - b)
  }

  /** Round k of quota i, at t. */
  round(i: number, k: number, t: number): void {
    this.schedule(i, k + 1)
    const q = this.quotas[i]
    const iv = this.interventions.list[q.intervention]
    const svc = iv.service.index
    const places = this.places
    // An intervention with no places yet (ramping up) reviews nobody: whoever it chooses has no place.
    const n = q.roundCount[k]
    const list = this.ordered(i, q, iv, t, n)
    const eligible = list.length
    for (let j = 0; j < Math.min(n, eligible); j++) {
      const c = list[j]
      if (!places.hasRoom(svc)) this.out.childReviewed(t, c, q.nameId, q.level, NO_PLACE, eligible)
      else this.review(q, iv, c, t, eligible)
    }
  }

  private review(q: QuotaModel, iv: InterventionModel, c: number, t: number, eligible: number): void {
    const ch = this.children
    const ivs = this.interventions
    ivs.start(c, t, iv, q.level, false)
    const ends = q.endTo !== null && ivs.draw(c) < q.endProbability && this.life.canEndStay(c, t, q.endTo)
    const shortens = !ends && q.shorten < 1 && ch.dueAt(c) > t
    this.out.childReviewed(t, c, q.nameId, q.level, ends ? ENDED : shortens ? SHORTENED : UNCHANGED, eligible)
    if (ends) this.life.endStayByReview(c, t, q.endTo!)
    else if (shortens) this.life.shortenStay(c, t, q.shorten)
  }
}
