/**
 * Interventions: which children they take, what they change, and the places they hold.
 *
 * A move about to be made is offered to each intervention that intercepts it (its eligibility: from, to,
 * via, ages, take-up), in the scenario's order. The first that takes the child (running, a place free, or
 * a waiting list to join) starts, and may change the move: redirect it (to a help level, for as long as
 * the child holds its place when it has a course), or let it go ahead only with the chance its multiplier
 * gives (otherwise another outcome is drawn in proportion). While its effect lasts, the child's outcomes,
 * durations and placement mix are the intervention's.
 *
 * Common random numbers: what interventions decide is drawn from a second stream per child, seeded the
 * first time an intervention looks at the child, so a child no intervention looks at draws the same
 * numbers from their own stream in a baseline and a variant.
 */
import { INTERVENTION_END_REASONS, STATES, stateIndex, WAITING_LIST_OUTCOMES } from "../domain/Level.js"
import type { Model } from "../model/Model.js"
import { mapByAge, mixWith, segmentOf, type DatedModel } from "../model/Changes.js"
import { placesAt, reweight, type InterventionModel } from "../model/Policy.js"
import type { ByAge, Choice, Destination } from "../model/Tables.js"
import { ChildStreams, type StreamFactory, type Uniform } from "../random/Streams.js"
import { Action, Priority } from "./Actions.js"
import type { Children, ServiceState } from "./Children.js"
import type { EventQueue } from "./EventQueue.js"
import type { Output } from "./Output.js"
import type { Places } from "./Places.js"

const UNIVERSAL = stateIndex.universal
const STATE_COUNT = STATES.length
const LOOKED_AFTER = stateIndex.looked_after
const CASE_CLOSED = INTERVENTION_END_REASONS.indexOf("case_closed")
const LEFT_CASE_CLOSED = WAITING_LIST_OUTCOMES.indexOf("case_closed")
const LEFT_SERVICE_ENDED = WAITING_LIST_OUTCOMES.indexOf("service_ended")

export class Interventions {
  readonly list: ReadonlyArray<InterventionModel>
  /** Whether the model has any intervention (if not, nothing here draws or changes anything). */
  readonly any: boolean
  /** Interventions already offered to open cases (once, when they start). */
  private readonly offered: Uint8Array
  private readonly streams: ChildStreams
  private current = 0
  private readonly iu: Uniform = () => this.streams.next(this.current)
  /** Dated changes to outcomes, durations and the placement mix (null: none), and the tables they make, by
   * segment (keyed by the table they change). */
  private readonly dated: DatedModel | null
  private readonly datedCache: ReadonlyArray<Map<object, object>>

  constructor(
    private readonly model: Model,
    streams: StreamFactory,
    private readonly children: Children,
    private readonly queue: EventQueue,
    private readonly out: Output,
    private readonly places: Places
  ) {
    this.list = model.policy.interventions
    this.any = this.list.length > 0
    this.offered = new Uint8Array(this.list.length)
    this.dated = model.dated
    this.datedCache = Array.from({ length: model.dated?.at.length ?? 0 }, () => new Map<object, object>())
    // The interventions' stream of each child: the child's key with every word changed, so it is
    // independent of the child's own stream.
    const k = streams.childKey
    this.streams = new ChildStreams(
      Int32Array.of(k[0] ^ 0x2545f491, k[1] ^ 0x4f6cdd1d, k[2] ^ 0x9e3779b9, k[3] ^ 0x7f4a7c15),
      64
    )
  }

  private get state(): ServiceState {
    return this.children.services!
  }

  /** The child's interventions stream, made current (seeded the first time an intervention looks at them). */
  private rng(c: number): Uniform {
    const st = this.state
    if (st.ivSeeded[c] === 0) {
      this.streams.seed(c)
      st.ivSeeded[c] = 1
    }
    this.current = c
    return this.iu
  }

  /** The intervention whose effect child c is under at t, or null. */
  private effectOn(c: number, t: number): InterventionModel | null {
    const st = this.state
    const j = st.treated[c]
    return j >= 0 && t < st.treatedUntil[c] ? this.list[j] : null
  }

  /**
   * The outcomes table a decision on child c at `state` (the front door: universal) is drawn from: in care,
   * the table of the child's legal status when it has one of its own.
   */
  outcomeTable(c: number, t: number, state: number): ByAge<Choice<Destination>> {
    const table = this.ownOutcomeTable(c, t, state)
    return this.dated === null ? table : this.datedOutcomes(table, state, t)
  }

  /** A table with the dated changes in force at t applied (src/model/Changes.ts), made once per segment. */
  private datedOutcomes(table: ByAge<Choice<Destination>>, state: number, t: number): ByAge<Choice<Destination>> {
    const d = this.dated!
    const k = segmentOf(d, t)
    const moves = d.moves[k]
    if (moves.length === 0) return table
    const cache = this.datedCache[k]
    let x = cache.get(table) as ByAge<Choice<Destination>> | undefined
    if (x === undefined) {
      x = mapByAge(table, (ch) => reweight(ch, state, moves))
      cache.set(table, x)
    }
    return x
  }

  private ownOutcomeTable(c: number, t: number, state: number): ByAge<Choice<Destination>> {
    const iv = this.any ? this.effectOn(c, t) : null
    if (state === UNIVERSAL) return iv ? iv.frontDoor : this.model.frontDoor
    if (state === LOOKED_AFTER && this.model.legal !== null) {
      const s = this.children.legalStatus(c)
      const own = s >= 0 ? this.model.legal.outcomes[s] : null
      if (own !== null) return iv ? iv.statusOutcomes[s]! : own
    }
    // An unaccompanied asylum-seeking child leaves care by UASC's own ways out.
    if (state === LOOKED_AFTER && this.model.uasc !== null && this.children.uasc(c) === 1)
      return this.model.uasc.outcomes
    return iv ? iv.outcomes[state]! : this.model.levels[state]!.outcomes
  }

  /** The placement mix child c enters care with. */
  entryMix(c: number, t: number): ByAge<Choice<number>> {
    const iv = this.any ? this.effectOn(c, t) : null
    const table = iv ? iv.onEntry : this.model.lookedAfter.onEntry
    const d = this.dated
    if (d === null) return table
    const k = segmentOf(d, t)
    const mix = d.mix[k]
    if (mix === null) return table
    const cache = this.datedCache[k]
    let x = cache.get(table) as ByAge<Choice<number>> | undefined
    if (x === undefined) {
      x = mapByAge(table, (ch) => mixWith(ch, mix))
      cache.set(table, x)
    }
    return x
  }

  /** The multiplier on the length of child c's next episode at `state` (an intervention's, a dated change's). */
  durationEffect(c: number, t: number, state: number): number {
    const d = this.dated
    const dated = d === null ? 1 : d.duration[segmentOf(d, t) * STATE_COUNT + state]
    if (!this.any) return dated
    const iv = this.effectOn(c, t)
    return iv ? (d === null ? iv.durationMultiplier[state] : dated * iv.durationMultiplier[state]) : dated
  }

  /** A draw from child c's interventions stream (what a review decides). */
  draw(c: number): number {
    return this.rng(c)()
  }

  /** Whether child c, at `at` on day t, is one `iv` may take (its ages, take-up, not already on it). */
  takes(iv: InterventionModel, c: number, t: number): boolean {
    const st = this.state
    if (st.holding[c] >= 0 || st.waitingForIntervention[c] >= 0) return false
    if (st.treated[c] === iv.index && t < st.treatedUntil[c]) return false
    if (iv.agesLo > 0 || iv.agesHi < 200) {
      const a = this.children.age(c, t)
      if (a < iv.agesLo || a > iv.agesHi) return false
    }
    if (iv.legalMask !== 0) {
      const s = this.children.legalStatus(c)
      if (s < 0 || (iv.legalMask & (1 << s)) === 0) return false
    }
    if (iv.uasc >= 0 && this.children.uasc(c) !== iv.uasc) return false
    return true
  }

  /**
   * A move about to be made from `from` to `dest`, offered to each intervention that intercepts it. Returns
   * the move to make: `dest`, or what the intervention that took the child made of it.
   */
  intercept(c: number, t: number, from: number, dest: Destination): Destination {
    if (!this.any) return dest
    const places = this.places
    for (const iv of this.list) {
      // An intervention with a quota takes open cases in its rounds of reviews, not moves.
      if (!iv.eligible || iv.quota !== null) continue
      if ((iv.from >= 0 && iv.from !== from) || (iv.to >= 0 && iv.to !== dest.to)) continue
      if (iv.via >= 0 && iv.via !== dest.via) continue
      // A child already at the level an intervention redirects to is not intercepted by it (the redirect
      // would be a move from the level to itself).
      if (iv.redirectTo === from) continue
      const svc = iv.service.index
      if (!(places.places[svc] > 0)) continue // not running (yet, or any more)
      if (!this.takes(iv, c, t)) continue
      if (iv.uptake < 1 && this.rng(c)() >= iv.uptake) continue
      // A redirect into a level that is itself a full service cannot be delivered now: the child carries
      // on untreated (not onto the intervention's list, which is for want of the intervention's places).
      const into = iv.redirectTo >= 0 && from !== LOOKED_AFTER ? places.serviceOfLevel[iv.redirectTo] : -1
      if (into >= 0 && !places.hasRoom(into)) continue
      if (!places.hasRoom(svc)) {
        if (iv.waits) {
          places.joinInterventionList(c, t, svc, from)
          return dest
        }
        continue
      }
      const stay = this.start(c, t, iv, from, true)
      return this.changedMove(c, t, iv, from, dest, stay)
    }
    return dest
  }

  /**
   * An intervention with `openCases` starting: children already at its level (of its ages, in the order
   * they became known) are offered it as if they had just moved there, while it has places (or join its
   * waiting list). Their stay already under way keeps its length; the effects apply to what follows.
   */
  offerToOpenCases(iv: InterventionModel, t: number): void {
    if (!iv.openCases || this.offered[iv.index] === 1) return
    this.offered[iv.index] = 1
    const ch = this.children
    const places = this.places
    const svc = iv.service.index
    for (let c = 0; c < ch.count; c++) {
      if (ch.state(c) !== iv.to || !this.takes(iv, c, t)) continue
      if (iv.uptake < 1 && this.rng(c)() >= iv.uptake) continue
      if (places.hasRoom(svc)) this.start(c, t, iv, iv.to, false)
      else if (iv.waits) places.joinInterventionList(c, t, svc, iv.to)
      else break
    }
  }

  /**
   * Child c starts `iv` at `at`. Returns the days the child holds its place when the start redirects a
   * move (`intercepted`) onto the intervention's course: the stay at the level redirected to; else -1.
   */
  start(c: number, t: number, iv: InterventionModel, at: number, intercepted: boolean): number {
    const st = this.state
    const rng = this.rng(c)
    const redirects = intercepted && iv.redirectTo >= 0 && at !== LOOKED_AFTER
    this.out.interventionStarted(t, c, iv.service.nameId, at, redirects ? iv.redirectTo : -1, iv.duration !== null)
    st.treated[c] = iv.index
    st.treatedUntil[c] = t + iv.lasts.sample(rng)
    if (iv.duration === null) return -1
    const svc = iv.service.index
    this.places.occupied[svc]++
    st.holding[c] = svc
    st.holdEpoch[c]++
    const held = iv.duration.sample(rng)
    this.queue.push(t + held, Priority.EpisodeEnd, Action.InterventionEnd, c, st.holdEpoch[c])
    return redirects ? held : -1
  }

  /** The move an intervention that has just taken the child makes of `dest` (`stay`: see `start`). */
  private changedMove(
    c: number,
    t: number,
    iv: InterventionModel,
    from: number,
    dest: Destination,
    stay: number
  ): Destination {
    if (iv.redirectTo >= 0 && from !== LOOKED_AFTER)
      return { to: iv.redirectTo, via: iv.service.nameId, closure: dest.closure, leftCare: dest.leftCare, stay }
    let m = 1
    for (const e of iv.moves) if ((e.from < 0 || e.from === from) && e.to === dest.to) m = e.multiplier
    const rng = this.rng(c)
    if (m >= 1 || rng() < m) return dest
    // The move does not happen: another outcome, in proportion to the treated table's other chances.
    const treated = this.treatedTable(iv, c, from)
    const table = this.children.valueAt(this.dated === null ? treated : this.datedOutcomes(treated, from, t), c, t)
    let rest = 0
    for (let i = 0; i < table.items.length; i++)
      if (table.items[i].to !== dest.to) rest += table.cum[i] - (i > 0 ? table.cum[i - 1] : 0)
    if (rest <= 0) return dest
    let u = rng() * rest
    let last = dest
    for (let i = 0; i < table.items.length; i++) {
      if (table.items[i].to === dest.to) continue
      last = table.items[i]
      u -= table.cum[i] - (i > 0 ? table.cum[i - 1] : 0)
      if (u < 0) return last
    }
    return last
  }

  /** The outcomes table of child c at `from` under `iv` (in care: their legal status's, if it has one). */
  private treatedTable(iv: InterventionModel, c: number, from: number): ByAge<Choice<Destination>> {
    if (from === UNIVERSAL) return iv.frontDoor
    if (from === LOOKED_AFTER && this.model.legal !== null) {
      const s = this.children.legalStatus(c)
      if (s >= 0 && iv.statusOutcomes[s] !== null) return iv.statusOutcomes[s]!
    }
    return iv.outcomes[from]!
  }

  /** The child's place on an intervention ends (`reason`: index in INTERVENTION_END_REASONS). */
  end(c: number, t: number, reason: number): void {
    const st = this.state
    const svc = st.holding[c]
    this.out.interventionEnded(t, c, this.places.services[svc].nameId, reason)
    st.holding[c] = -1
    st.holdEpoch[c]++
    this.places.vacate(svc)
  }

  /** The case closed or the child left: places and waiting lists held for interventions are let go. */
  caseEnded(c: number, t: number): void {
    if (!this.any) return
    const st = this.state
    if (st.holding[c] >= 0) this.end(c, t, CASE_CLOSED)
    if (st.waitingForIntervention[c] >= 0) this.places.leaveInterventionList(c, t, LEFT_CASE_CLOSED)
  }

  /**
   * A service's places change: new places go to those waiting (the loop admits them); an intervention
   * that opens is offered to open cases, and one that closes lets its waiting list go.
   */
  capacityChanged(svc: number, t: number): void {
    const places = this.places
    const service = places.services[svc]
    const before = places.places[svc]
    places.places[svc] = placesAt(service, t)
    if (before <= 0 && places.places[svc] > 0 && service.intervention >= 0)
      this.offerToOpenCases(this.list[service.intervention], t)
    if (places.places[svc] <= 0 && service.intervention >= 0) {
      const st = this.state
      for (const c of places.lists[svc].drain((c, k) => st.waitingForIntervention[c] === svc && st.ivTicket[c] === k))
        places.leaveInterventionList(c, t, LEFT_SERVICE_ENDED)
    }
    places.dirty = true
  }
}
