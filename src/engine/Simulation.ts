/**
 * The discrete-event engine: individual children moving through the levels of need in continuous time.
 *
 * Pure and synchronous: it reads a compiled `Model`, draws from `StreamFactory` streams and hands every
 * event to a sink, in time order. Nothing here touches a clock, a file or Effect; the Effect layer
 * (`src/run`) drives it in chunks.
 *
 * Scheduled actions and ties. The queue orders actions by (time, priority, sequence). At one instant:
 *   0 AGE_LIMIT      an 18th (or 21st / 25th) birthday ends the status first, whatever else is due;
 *   1 EPISODE_END    a duration at a level runs out and the child moves on;
 *   2 PLACEMENT_MOVE a looked-after child changes placement;
 *   3 RE_REFERRAL    a closed case comes back to the front door;
 *   4 REFERRAL       a new child is referred.
 * then first scheduled, first served. A child has at most one pending level action (the earlier of the
 * episode's end and the age limit) and one pending placement move; each change of level bumps the child's
 * epoch, and actions scheduled under an older epoch are dropped when popped.
 *
 * Three more action kinds serve capacity-limited services and interventions (src/scenario/interventions.ts):
 *   CAPACITY          a service's number of places changes (after every other class at that instant);
 *   INTERVENTION_END  a child's place on an intervention ends (its own epoch: the level can change meanwhile);
 *   ESCALATE          a child waiting for a place steps up instead (with the episode-end class).
 * Children who need a place in a full service wait where they are (on a waiting list, first come first
 * served or by priority), escalate, or take the alternative route; a place freed by one action is offered
 * to the waiting list before the next action is taken.
 *
 * Common random numbers. Everything a child does is drawn from the child's own stream; what interventions
 * decide (take-up, the chance an intercepted move still happens, how long the effect lasts) is drawn from a
 * second per-child stream that is only touched for children an intervention intercepts. So a child no
 * intervention intercepts draws the same numbers in a baseline and a variant.
 *
 * `run` simulates [0, horizon): actions at exactly the horizon are not taken.
 */
import { birthday, ageOn } from "../domain/Calendar.js"
import type { CaseEvent } from "../domain/Event.js"
import { ALLOWED_MOVES, LEVELS, PLACEMENTS, STATES, stateIndex, type LevelOfNeed } from "../domain/Level.js"
import { equilibriumAge, sampleBeyond, type Distribution } from "../random/Distribution.js"
import { ChildStreams, type StreamFactory, type Uniform } from "../random/Streams.js"
import {
  ALTERNATIVE,
  ESCALATE as ESCALATES,
  placesAt,
  type InterventionModel,
  type ServiceModel
} from "../model/Policy.js"
import { ageInDays, type Model } from "../model/Model.js"
import { atAge, choose, type ByAge, type Choice, type Destination, type ReReferralModel } from "../model/Tables.js"
import { EventQueue } from "./EventQueue.js"
import { WaitingList } from "./WaitingList.js"

export type EventSink = (event: CaseEvent) => void

const AGE_LIMIT = 0
const EPISODE_END = 1
const PLACEMENT_MOVE = 2
const RE_REFERRAL = 3
const REFERRAL = 4
const CAPACITY = 5
const INTERVENTION_END = 6
const ESCALATE = 7

const UNIVERSAL = stateIndex.universal
const LOOKED_AFTER = stateIndex.looked_after
const CARE_LEAVER = stateIndex.care_leaver
const EXITED = stateIndex.exited

type HelpOrUniversal = "universal" | "early_help" | "intensive_family_support" | "child_in_need" | "child_protection"

/** Per-child state, as growable parallel arrays indexed by child number. */
class Children {
  count = 0
  state = new Uint8Array(1024)
  placement = new Int8Array(1024)
  dob = new Float64Array(1024)
  careSince = new Float64Array(1024)
  /** Time of the pending level action (episode end or age limit). */
  dueAt = new Float64Array(1024)
  epoch = new Uint32Array(1024)
  // Services and interventions
  /** The intervention whose effect the child is under (until `treatedUntil`), or -1. */
  treated = new Int16Array(1024).fill(-1)
  treatedUntil = new Float64Array(1024)
  /** The intervention service whose place the child holds, or -1; its end action's epoch. */
  holding = new Int16Array(1024).fill(-1)
  holdEpoch = new Uint32Array(1024)
  /** The level service the child waits for, or -1; the ticket of their place in its queue. */
  waitingFor = new Int16Array(1024).fill(-1)
  /** The intervention service the child waits for, or -1. */
  waitingForIntervention = new Int16Array(1024).fill(-1)
  ticket = new Uint32Array(1024)
  /** The ticket of the child's place in an intervention's queue (apart from `ticket`: a child can be on
   * one list of each kind at once, and leaving one must not void the other). */
  ivTicket = new Uint32Array(1024)
  /** Whether the child's intervention stream has been seeded. */
  ivSeeded = new Uint8Array(1024)

  add(): number {
    if (this.count === this.state.length) {
      const cap = this.count * 2
      const grow = <T extends Uint8Array | Int8Array | Int16Array | Float64Array | Uint32Array>(
        a: T,
        make: (n: number) => T
      ): T => {
        const b = make(cap)
        b.set(a)
        return b
      }
      this.state = grow(this.state, (n) => new Uint8Array(n))
      this.placement = grow(this.placement, (n) => new Int8Array(n))
      this.dob = grow(this.dob, (n) => new Float64Array(n))
      this.careSince = grow(this.careSince, (n) => new Float64Array(n))
      this.dueAt = grow(this.dueAt, (n) => new Float64Array(n))
      this.epoch = grow(this.epoch, (n) => new Uint32Array(n))
      this.treated = grow(this.treated, (n) => new Int16Array(n).fill(-1))
      this.treatedUntil = grow(this.treatedUntil, (n) => new Float64Array(n))
      this.holding = grow(this.holding, (n) => new Int16Array(n).fill(-1))
      this.holdEpoch = grow(this.holdEpoch, (n) => new Uint32Array(n))
      this.waitingFor = grow(this.waitingFor, (n) => new Int16Array(n).fill(-1))
      this.waitingForIntervention = grow(this.waitingForIntervention, (n) => new Int16Array(n).fill(-1))
      this.ticket = grow(this.ticket, (n) => new Uint32Array(n))
      this.ivTicket = grow(this.ivTicket, (n) => new Uint32Array(n))
      this.ivSeeded = grow(this.ivSeeded, (n) => new Uint8Array(n))
    }
    const c = this.count++
    this.placement[c] = -1
    return c
  }
}

export interface SimulationStats {
  readonly events: number
  readonly actions: number
  readonly staleActions: number
  readonly children: number
}

export class Simulation {
  private readonly queue = new EventQueue(4096)
  private readonly children = new Children()
  private readonly arrivalRng: Uniform
  private readonly childStreams: ChildStreams
  /** The child whose stream `u` draws from: set by `rngOf` before any draw for a child. */
  private current = 0
  /** Uniform draws from the current child's stream (one closure for the whole run). */
  private readonly u: Uniform = () => this.childStreams.next(this.current)
  private readonly horizon: number
  private segment = 0
  private started = false
  private eventCount = 0
  private actionCount = 0
  private staleCount = 0
  // Services and interventions
  private readonly services: ReadonlyArray<ServiceModel>
  private readonly interventions: ReadonlyArray<InterventionModel>
  private readonly serviceOfLevel: Int32Array
  private readonly serviceOfPlacement: Int32Array
  private readonly occupied: Float64Array
  private readonly places: Float64Array
  private readonly waiting: Int32Array
  private readonly lists: ReadonlyArray<WaitingList>
  /** Where each waiting child is going once given a place, and the re-referral rule if that closes it. */
  private readonly waitDest = new Map<number, { dest: Destination; closedBy: ReReferralModel | null }>()
  /** Set when a place may have come free for someone waiting. */
  private dirty = false
  /** A stay fixed in advance for the child about to enter a level (a redirect's course), within one action. */
  private stayChild = -1
  /** Interventions already offered to open cases (once, when they start). */
  private readonly offered: Uint8Array
  private stayDays = 0
  private readonly ivStreams: ChildStreams
  private readonly iu: Uniform = () => this.ivStreams.next(this.current)

  constructor(
    private readonly model: Model,
    private readonly streams: StreamFactory,
    private readonly sink: EventSink
  ) {
    this.arrivalRng = streams("referrals")
    this.childStreams = new ChildStreams(streams.childKey, 4096)
    this.horizon = model.calendar.horizon
    const policy = model.policy
    this.services = policy.services
    this.interventions = policy.interventions
    this.serviceOfLevel = policy.serviceOfLevel
    this.serviceOfPlacement = policy.serviceOfPlacement
    const n = this.services.length
    this.occupied = new Float64Array(n)
    this.places = new Float64Array(n)
    this.waiting = new Int32Array(n)
    this.lists = this.services.map(() => new WaitingList(STATES.length + 1))
    this.offered = new Uint8Array(this.interventions.length)
    // The interventions' stream of each child: the child's key with every word changed, so it is
    // independent of the child's own stream.
    const k = streams.childKey
    this.ivStreams = new ChildStreams(
      Int32Array.of(k[0] ^ 0x2545f491, k[1] ^ 0x4f6cdd1d, k[2] ^ 0x9e3779b9, k[3] ^ 0x7f4a7c15),
      64
    )
  }

  get stats(): SimulationStats {
    return {
      events: this.eventCount,
      actions: this.actionCount,
      staleActions: this.staleCount,
      children: this.children.count
    }
  }

  get done(): boolean {
    return this.started && !(this.queue.peekTime() < this.horizon)
  }

  /** Runs to the horizon. */
  run(): SimulationStats {
    while (!this.done) this.advance(1 << 30)
    return this.stats
  }

  /**
   * Takes scheduled actions until at least `maxEvents` more events have been emitted or the run is over.
   * Returns true when the run is over.
   */
  advance(maxEvents: number): boolean {
    if (!this.started) this.start()
    const target = this.eventCount + maxEvents
    const q = this.queue
    const ch = this.children
    while (this.eventCount < target && q.peekTime() < this.horizon) {
      q.pop()
      this.actionCount++
      const t = q.poppedTime
      const kind = q.poppedKind
      const c = q.poppedChild
      if (kind === REFERRAL) this.referNewChild(t)
      else if (kind === CAPACITY) this.changeCapacity(c, t)
      else if (kind === INTERVENTION_END) {
        if (ch.holdEpoch[c] === q.poppedEpoch && ch.holding[c] >= 0) this.endIntervention(c, t, "completed")
        else this.staleCount++
      } else if (ch.epoch[c] !== q.poppedEpoch) this.staleCount++
      else this.act(kind, c, t)
      this.stayChild = -1
      if (this.dirty) this.admitWaiting(t)
    }
    return this.done
  }

  private act(kind: number, c: number, t: number): void {
    const ch = this.children
    {
      switch (kind) {
        case AGE_LIMIT:
          this.reachAgeLimit(c, t)
          break
        case EPISODE_END:
          this.endEpisode(c, t)
          break
        case PLACEMENT_MOVE:
          this.movePlacement(c, t)
          break
        case RE_REFERRAL:
          this.emit({ _tag: "ChildReferred", time: t, child: c, dateOfBirth: ch.dob[c], reReferral: true })
          this.frontDoor(c, t)
          break
        case ESCALATE:
          this.escalate(c, t)
          break
      }
    }
  }

  private emit(e: CaseEvent): void {
    this.eventCount++
    this.sink(e)
  }

  private age(c: number, t: number): number {
    return ageOn(this.model.calendar, this.children.dob[c], t)
  }

  /** A table's value for child c at time t; the age is only worked out when the table has age bands. */
  private atAgeOf<T>(table: ByAge<T>, c: number, t: number): T {
    return table.banded ? atAge(table, this.age(c, t)) : table.values[0]
  }

  /** Child c's stream, made current. */
  private rngOf(c: number): Uniform {
    this.current = c
    return this.u
  }

  /** A new child: seeds their stream. */
  private newChild(): number {
    const c = this.children.add()
    this.childStreams.seed(c)
    return c
  }

  private equilibriumOf(d: Distribution): Distribution {
    return equilibriumAge(d)
  }

  // -------------------------------------------------------------------------------------------------------
  // Start: today's caseload, then the first referral

  private start(): void {
    this.started = true
    const ch = this.children
    for (const svc of this.services) {
      this.places[svc.index] = placesAt(svc, 0)
      for (const at of svc.capAt) if (at > 0 && at < this.horizon) this.queue.push(at, CAPACITY, CAPACITY, svc.index, 0)
    }
    for (const g of this.model.starting) {
      for (let k = 0; k < g.count; k++) {
        const c = this.newChild()
        const rng = this.rngOf(c)
        const ageDays = ageInDays(g.ages, rng)
        const dob = Math.floor(-ageDays)
        ch.dob[c] = dob
        if (g.levelIndex === UNIVERSAL) {
          this.closedBeforeStart(c, g.elapsed!, ageDays)
          continue
        }
        let elapsed: number
        let remaining: number
        if (g.levelIndex === CARE_LEAVER) {
          // Time as a care leaver: no longer than since the 16th birthday (drawn as for the levels below).
          const early = this.model.careLeaver.endsEarly
          const spent = g.elapsed ?? (early ? this.equilibriumOf(early) : null)
          const cap = Math.max(0, -birthday(this.model.calendar, dob, 16))
          elapsed = spent ? Math.min(spent.quantile(rng() * spent.cdf(cap)), cap) : 0
          remaining = early ? sampleBeyond(early, elapsed, rng) : Infinity
        } else {
          // Time already spent, never longer than the child has been alive. Given (`elapsed`), the
          // remaining time follows the law for the child's age when the episode began (durations are
          // drawn by age at entry). Not given, the pair (time spent, time remaining) is the equilibrium of
          // the law for the child's current age band: the age of an episode in progress, then D | D > it.
          const level = this.model.levels[g.levelIndex]!
          const current = this.atAgeOf(level.duration, c, 0)
          const spent = g.elapsed ?? this.equilibriumOf(current)
          elapsed = Math.min(spent.quantile(rng() * spent.cdf(ageDays)), ageDays)
          const d = g.elapsed ? this.atAgeOf(level.duration, c, -elapsed) : current
          remaining = sampleBeyond(d, elapsed, rng)
        }
        const level = STATES[g.levelIndex] as Exclude<LevelOfNeed, "universal">
        this.emit({
          _tag: "CaseOpenAtStart",
          time: 0,
          child: c,
          dateOfBirth: dob,
          level,
          placement: g.placement >= 0 ? PLACEMENTS[g.placement] : null,
          since: 0 - elapsed // not -elapsed: -0 would not survive a round trip through JSON
        })
        if (g.levelIndex === CARE_LEAVER)
          this.enterCareLeaver(c, 0, remaining, this.age(c, 0) >= this.model.careLeaver.supportEndsAt)
        else if (g.levelIndex === LOOKED_AFTER) {
          ch.careSince[c] = -elapsed
          this.enterCare(c, 0, g.placement, remaining, true)
        } else this.enterHelpLevel(c, 0, g.levelIndex, remaining)
      }
    }
    for (const iv of this.interventions) if (this.places[iv.service.index] > 0) this.offerToOpenCases(iv, 0)
    this.scheduleNextReferral(0)
  }

  /**
   * A case closed `elapsed` days before the start. It is re-referred with the chance that a closed case
   * comes back given that it has not come back yet, p (1 - F(a)) / (1 - p F(a)), after D | D > a.
   */
  private closedBeforeStart(c: number, since: Distribution, ageDays: number): void {
    const ch = this.children
    const rng = this.rngOf(c)
    const elapsed = Math.min(since.quantile(rng() * since.cdf(ageDays)), ageDays)
    this.emit({ _tag: "CaseClosedBeforeStart", time: 0, child: c, dateOfBirth: ch.dob[c], closedOn: 0 - elapsed })
    ch.state[c] = UNIVERSAL
    ch.epoch[c]++
    const rr = this.model.defaultReReferral
    const f = rr.after.cdf(elapsed)
    const back = rng() < (rr.probability * (1 - f)) / (1 - rr.probability * f)
    const at = sampleBeyond(rr.after, elapsed, rng)
    if (back && at < birthday(this.model.calendar, ch.dob[c], 18) && at < this.horizon) {
      this.queue.push(at, RE_REFERRAL, RE_REFERRAL, c, ch.epoch[c])
    }
  }

  // -------------------------------------------------------------------------------------------------------
  // Referrals

  /** Next arrival of the non-homogeneous Poisson process after `from`, by thinning within segments. */
  private scheduleNextReferral(from: number): void {
    const a = this.model.arrivals
    const u = this.arrivalRng
    const n = a.segmentStart.length
    let s = this.segment
    let t = from
    while (s < n) {
      if (t < a.segmentStart[s]) t = a.segmentStart[s]
      const bound = a.segmentBound[s]
      if (bound > 0) {
        t += -Math.log(1 - u()) / bound
        if (t < a.segmentEnd[s]) {
          const rate = a.segmentFactor[s] * a.base * Math.exp(a.growthPerDay * t)
          if (u() * bound <= rate) {
            this.segment = s
            this.queue.push(t, REFERRAL, REFERRAL, -1, 0)
            return
          }
          continue
        }
        // Past the segment's end: restart the (memoryless) clock there, not at the overshoot, or the
        // time between the next segment's start and the overshoot would get no arrivals.
        t = a.segmentEnd[s]
      }
      s++
    }
    this.segment = n
  }

  private referNewChild(t: number): void {
    const ch = this.children
    const c = this.newChild()
    const rng = this.rngOf(c)
    const band = choose(this.model.referralAge, rng())
    const dob = Math.floor(t - ageInDays(band, rng))
    ch.dob[c] = dob
    ch.state[c] = UNIVERSAL
    this.emit({ _tag: "ChildReferred", time: t, child: c, dateOfBirth: dob, reReferral: false })
    this.frontDoor(c, t)
    this.scheduleNextReferral(t)
  }

  /** The front door's decision on a referral: closed again, or opened at a level. */
  private frontDoor(c: number, t: number): void {
    const rng = this.rngOf(c)
    const dest = choose(this.atAgeOf(this.outcomeTable(c, t, UNIVERSAL), c, t), rng())
    this.moveTo(c, t, "universal", this.intercept(c, t, UNIVERSAL, dest), null)
  }

  // -------------------------------------------------------------------------------------------------------
  // Moves

  /** Applies a destination chosen for a child leaving `from` (a help level, or universal at the front door). */
  private moveTo(
    c: number,
    t: number,
    from: HelpOrUniversal,
    dest: Destination,
    closedBy: ReReferralModel | null,
    placed = false
  ): void {
    const ch = this.children
    const to = dest.toIndex
    const svc = this.serviceOfLevel[to]
    if (svc >= 0 && !placed && !(this.occupied[svc] < this.places[svc])) {
      this.serviceFull(c, t, stateIndex[from], dest, closedBy, this.services[svc])
      return
    }
    const rng = this.rngOf(c)
    if (to === UNIVERSAL || to === EXITED) {
      this.emit({
        _tag: "CaseClosed",
        time: t,
        child: c,
        from,
        reason: dest.closure,
        to: dest.to as "universal" | "exited",
        via: dest.via
      })
      if (to === UNIVERSAL) this.closeCase(c, t, closedBy ?? this.model.defaultReReferral)
      else this.exit(c, t)
    } else if (to === LOOKED_AFTER) {
      const placement = this.placeIn(c, t, choose(this.atAgeOf(this.entryMix(c, t), c, t), rng()))
      this.emit({
        _tag: "ChildBecameLookedAfter",
        time: t,
        child: c,
        from,
        placement: PLACEMENTS[placement],
        via: dest.via
      })
      ch.careSince[c] = t
      this.enterCare(c, t, placement, -1, false)
    } else {
      this.emit({
        _tag: "LevelChanged",
        time: t,
        child: c,
        from,
        to: dest.to as Exclude<HelpOrUniversal, "universal">,
        via: dest.via
      })
      this.enterHelpLevel(c, t, to, -1)
    }
  }

  /** Schedules the child's next level action: the episode's end or the age limit, whichever is first. */
  private scheduleLevelAction(c: number, endAt: number, limitAt: number): void {
    const ch = this.children
    if (limitAt <= endAt) {
      ch.dueAt[c] = limitAt
      this.queue.push(limitAt, AGE_LIMIT, AGE_LIMIT, c, ch.epoch[c])
    } else {
      ch.dueAt[c] = endAt
      this.queue.push(endAt, EPISODE_END, EPISODE_END, c, ch.epoch[c])
    }
  }

  /** `remaining` < 0: draw a fresh duration. */
  private enterHelpLevel(c: number, t: number, level: number, remaining: number): void {
    const ch = this.children
    this.setCell(c, level, -1)
    ch.epoch[c]++
    const rng = this.rngOf(c)
    let d: number
    if (remaining >= 0) d = remaining
    else if (this.stayChild === c) {
      d = this.stayDays
      this.stayChild = -1
    } else d = this.atAgeOf(this.model.levels[level]!.duration, c, t).sample(rng) * this.durationEffect(c, t, level)
    this.scheduleLevelAction(c, t + d, birthday(this.model.calendar, ch.dob[c], 18))
  }

  private enterCare(c: number, t: number, placement: number, remaining: number, atStart: boolean): void {
    const ch = this.children
    this.setCell(c, LOOKED_AFTER, placement)
    ch.epoch[c]++
    const rng = this.rngOf(c)
    const d =
      remaining >= 0
        ? remaining
        : this.atAgeOf(this.model.lookedAfter.duration, c, t).sample(rng) * this.durationEffect(c, t, LOOKED_AFTER)
    this.scheduleLevelAction(c, t + d, birthday(this.model.calendar, ch.dob[c], 18))
    this.scheduleMove(c, t, placement, atStart)
  }

  private scheduleMove(c: number, t: number, placement: number, atStart: boolean): void {
    const move = this.model.lookedAfter.moves[placement]
    if (move === null) return
    const ch = this.children
    const rng = this.rngOf(c)
    // A child already in placement at the start has been there an unknown while: use the forward
    // recurrence time, which has the same law as the equilibrium age.
    const after = atStart ? this.equilibriumOf(move.after).sample(rng) : move.after.sample(rng)
    const at = t + after
    if (at < ch.dueAt[c]) this.queue.push(at, PLACEMENT_MOVE, PLACEMENT_MOVE, c, ch.epoch[c])
  }

  private enterCareLeaver(c: number, t: number, remaining: number, mustBeExtended: boolean): void {
    const ch = this.children
    const cl = this.model.careLeaver
    this.setCell(c, CARE_LEAVER, -1)
    ch.epoch[c]++
    const rng = this.rngOf(c)
    const extended = rng() < cl.extendedShare || mustBeExtended
    const limitAt = birthday(this.model.calendar, ch.dob[c], extended ? cl.extendedTo : cl.supportEndsAt)
    const d = remaining >= 0 ? remaining : cl.endsEarly ? cl.endsEarly.sample(rng) : Infinity
    this.scheduleLevelAction(c, t + d, limitAt)
  }

  /** The case is closed: the child may be re-referred before turning 18. */
  private closeCase(c: number, t: number, reReferral: ReReferralModel): void {
    const ch = this.children
    this.setCell(c, UNIVERSAL, -1)
    this.caseEnded(c, t)
    ch.epoch[c]++
    const rng = this.rngOf(c)
    const back = rng() < reReferral.probability
    const at = t + reReferral.after.sample(rng)
    if (back && at < birthday(this.model.calendar, ch.dob[c], 18) && at < this.horizon) {
      this.queue.push(at, RE_REFERRAL, RE_REFERRAL, c, ch.epoch[c])
    }
  }

  private exit(c: number, t: number): void {
    const ch = this.children
    this.setCell(c, EXITED, -1)
    this.caseEnded(c, t)
    ch.epoch[c]++
  }

  // -------------------------------------------------------------------------------------------------------
  // Actions

  private endEpisode(c: number, t: number): void {
    const ch = this.children
    const state = ch.state[c]
    const rng = this.rngOf(c)
    if (state === CARE_LEAVER) {
      this.emit({ _tag: "CareLeaverSupportEnded", time: t, child: c, reason: "ended_early" })
      this.exit(c, t)
      return
    }
    const level = this.model.levels[state]!
    const dest = this.intercept(c, t, state, choose(this.atAgeOf(this.outcomeTable(c, t, state), c, t), rng()))
    if (state === LOOKED_AFTER) this.leaveCare(c, t, dest)
    else this.moveTo(c, t, LEVELS[state] as HelpOrUniversal, dest, level.reReferral)
  }

  private leaveCare(c: number, t: number, dest: Destination, placed = false): void {
    const ch = this.children
    const placement = PLACEMENTS[ch.placement[c]]
    let to = dest.toIndex
    if (to === CARE_LEAVER && !this.eligibleCareLeaver(c, t)) to = EXITED
    const svc = this.serviceOfLevel[to]
    if (svc >= 0 && !placed && !(this.occupied[svc] < this.places[svc])) {
      this.serviceFull(c, t, LOOKED_AFTER, dest, this.model.lookedAfter.reReferral, this.services[svc])
      return
    }
    this.emit({
      _tag: "ChildLeftCare",
      time: t,
      child: c,
      placement,
      reason: dest.leftCare,
      to: STATES[to] as Exclude<(typeof STATES)[number], "looked_after">,
      via: dest.via
    })
    this.afterCare(c, t, to)
  }

  private afterCare(c: number, t: number, to: number): void {
    if (to === CARE_LEAVER) this.enterCareLeaver(c, t, -1, false)
    else if (to === EXITED) this.exit(c, t)
    else if (to === UNIVERSAL) this.closeCase(c, t, this.model.lookedAfter.reReferral)
    else this.enterHelpLevel(c, t, to, -1)
  }

  /** Care-leaver support needs 16 or over and at least the scenario's minimum time in care (13 weeks). */
  private eligibleCareLeaver(c: number, t: number): boolean {
    const ch = this.children
    return t - ch.careSince[c] >= this.model.careLeaver.minDaysInCare && this.age(c, t) >= 16
  }

  private reachAgeLimit(c: number, t: number): void {
    const ch = this.children
    const state = ch.state[c]
    if (ch.waitingFor[c] >= 0) this.leaveWaitingList(c, t, "turned_18")
    if (state === UNIVERSAL) {
      // Waiting, unopened, for a place: the referral lapses at 18 (the case was never opened), and with it
      // any intervention place or waiting list the referral led to.
      this.caseEnded(c, t)
      ch.epoch[c]++
      return
    }
    if (state === LOOKED_AFTER) {
      const to = this.eligibleCareLeaver(c, t) ? CARE_LEAVER : EXITED
      this.emit({
        _tag: "ChildLeftCare",
        time: t,
        child: c,
        placement: PLACEMENTS[ch.placement[c]],
        reason: "turned_18",
        to: to === CARE_LEAVER ? "care_leaver" : "exited",
        via: null
      })
      this.afterCare(c, t, to)
    } else if (state === CARE_LEAVER) {
      this.emit({ _tag: "CareLeaverSupportEnded", time: t, child: c, reason: "age_limit" })
      this.exit(c, t)
    } else {
      this.emit({
        _tag: "CaseClosed",
        time: t,
        child: c,
        from: LEVELS[state],
        reason: "turned_18",
        to: "exited",
        via: null
      })
      this.exit(c, t)
    }
  }

  private movePlacement(c: number, t: number): void {
    const ch = this.children
    const from = ch.placement[c]
    const move = this.model.lookedAfter.moves[from]!
    const to = choose(move.to, this.rngOf(c)())
    const placed = to === from ? to : this.placeIn(c, t, to)
    this.emit({ _tag: "PlacementChanged", time: t, child: c, from: PLACEMENTS[from], to: PLACEMENTS[placed] })
    this.setCell(c, LOOKED_AFTER, placed)
    this.scheduleMove(c, t, placed, false)
  }

  // -------------------------------------------------------------------------------------------------------
  // Services: places, waiting lists

  /** Moves a child between cells, keeping the places taken in level and placement services up to date. */
  private setCell(c: number, state: number, placement: number): void {
    const ch = this.children
    if (this.services.length > 0) {
      const oldLevel = this.serviceOfLevel[ch.state[c]]
      const newLevel = this.serviceOfLevel[state]
      if (oldLevel !== newLevel) {
        if (oldLevel >= 0) this.vacate(oldLevel)
        if (newLevel >= 0) this.occupied[newLevel]++
      }
      const oldPlacement = ch.placement[c] >= 0 ? this.serviceOfPlacement[ch.placement[c]] : -1
      const newPlacement = placement >= 0 ? this.serviceOfPlacement[placement] : -1
      if (oldPlacement !== newPlacement) {
        if (oldPlacement >= 0) this.vacate(oldPlacement)
        if (newPlacement >= 0) this.occupied[newPlacement]++
      }
    }
    ch.state[c] = state
    ch.placement[c] = placement
  }

  private vacate(svc: number): void {
    this.occupied[svc]--
    if (this.waiting[svc] > 0) this.dirty = true
  }

  /** The placement a child gets: the one chosen, or where a full placement service overflows to. */
  private placeIn(c: number, t: number, wanted: number): number {
    let p = wanted
    // Validation rules out overflow cycles; the bound is a guard, not a rule.
    for (let k = 0; k < PLACEMENTS.length; k++) {
      const svc = this.serviceOfPlacement[p]
      if (svc < 0 || this.occupied[svc] < this.places[svc]) return p
      const next = this.services[svc].to
      this.emit({
        _tag: "PlacementOverflowed",
        time: t,
        child: c,
        service: this.services[svc].name,
        wanted: PLACEMENTS[p],
        placedIn: PLACEMENTS[next]
      })
      p = next
    }
    return p
  }

  /**
   * A child whose next level is a full service: the alternative route, or the waiting list (staying
   * where they are, `at`, meanwhile; escalating after a while if the service says so).
   */
  private serviceFull(
    c: number,
    t: number,
    at: number,
    dest: Destination,
    closedBy: ReReferralModel | null,
    svc: ServiceModel
  ): void {
    const ch = this.children
    if (svc.whenFull === ALTERNATIVE) {
      const alt: Destination = { ...dest, to: STATES[svc.to], toIndex: svc.to }
      if (svc.to === at && at !== UNIVERSAL) {
        // The alternative is to stay: another episode at the same level.
        if (at === LOOKED_AFTER) this.enterCare(c, t, ch.placement[c], -1, false)
        else this.enterHelpLevel(c, t, at, -1)
      } else if (at === LOOKED_AFTER) this.leaveCare(c, t, alt)
      else this.moveTo(c, t, STATES[at] as HelpOrUniversal, alt, closedBy)
      return
    }
    this.emit({ _tag: "WaitingListJoined", time: t, child: c, service: svc.name, at: STATES[at] })
    this.waiting[svc.index]++
    ch.waitingFor[c] = svc.index
    ch.ticket[c]++
    this.lists[svc.index].push(svc.priorityQueue ? svc.rank[at] : 0, c, ch.ticket[c])
    this.waitDest.set(c, { dest, closedBy })
    // The action that brought the child here has been used: while waiting, only the 18th birthday (and an
    // escalation) can move them. A child in care keeps their placement and its pending move.
    if (at !== LOOKED_AFTER) ch.epoch[c]++
    const limit = birthday(this.model.calendar, ch.dob[c], 18)
    ch.dueAt[c] = limit
    if (limit < this.horizon) this.queue.push(limit, AGE_LIMIT, AGE_LIMIT, c, ch.epoch[c])
    if (svc.whenFull === ESCALATES && at !== LOOKED_AFTER) {
      const after = svc.escalateAfter!.sample(this.rngOf(c))
      if (t + after < limit) this.queue.push(t + after, EPISODE_END, ESCALATE, c, ch.epoch[c])
    }
  }

  private leaveWaitingList(
    c: number,
    t: number,
    outcome: "place" | "escalated" | "turned_18" | "service_ended" | "case_closed"
  ): void {
    const ch = this.children
    const svc = ch.waitingFor[c]
    this.emit({ _tag: "WaitingListLeft", time: t, child: c, service: this.services[svc].name, outcome })
    this.waiting[svc]--
    ch.waitingFor[c] = -1
    ch.ticket[c]++
    this.waitDest.delete(c)
  }

  /** A waiting child steps up (e.g. to child protection) before a place comes free. */
  private escalate(c: number, t: number): void {
    const ch = this.children
    const svc = ch.waitingFor[c]
    if (svc < 0) return
    const to = this.services[svc].to
    const at = ch.state[c]
    const closedBy = this.waitDest.get(c)?.closedBy ?? null
    if (to === at || !ALLOWED_MOVES[STATES[at]].includes(STATES[to])) return
    this.leaveWaitingList(c, t, "escalated")
    const dest: Destination = { to: STATES[to], toIndex: to, via: null, closure: "other", leftCare: "other" }
    this.moveTo(c, t, STATES[at] as HelpOrUniversal, dest, closedBy)
  }

  /** A service's places change: new places go to those waiting; an intervention that has ended lets its
   * waiting list go. */
  private changeCapacity(svc: number, t: number): void {
    const service = this.services[svc]
    const before = this.places[svc]
    this.places[svc] = placesAt(service, t)
    if (before <= 0 && this.places[svc] > 0 && service.intervention >= 0)
      this.offerToOpenCases(this.interventions[service.intervention], t)
    if (this.places[svc] <= 0 && service.intervention >= 0) {
      const ch = this.children
      for (const c of this.lists[svc].drain((c, k) => ch.waitingForIntervention[c] === svc && ch.ivTicket[c] === k)) {
        this.leaveInterventionList(c, t, "service_ended")
      }
    }
    this.dirty = true
  }

  /** Offers free places to waiting children, first in line first, until no service can admit anyone. */
  private admitWaiting(t: number): void {
    this.dirty = false
    const ch = this.children
    let admitted = true
    while (admitted) {
      admitted = false
      for (const svc of this.services) {
        const s = svc.index
        while (this.waiting[s] > 0 && this.occupied[s] < this.places[s]) {
          const isIntervention = svc.intervention >= 0
          const c = this.lists[s].pop((c, k) =>
            isIntervention
              ? ch.waitingForIntervention[c] === s && ch.ivTicket[c] === k
              : ch.waitingFor[c] === s && ch.ticket[c] === k
          )
          if (c < 0) break
          admitted = true
          if (isIntervention) {
            this.leaveInterventionList(c, t, "place")
            // From the waiting list: the move that made the child eligible has been made, not redirected.
            this.startIntervention(c, t, this.interventions[svc.intervention], ch.state[c], false)
            continue
          }
          const { dest, closedBy } = this.waitDest.get(c)!
          this.leaveWaitingList(c, t, "place")
          if (ch.state[c] === LOOKED_AFTER) this.leaveCare(c, t, dest, true)
          else this.moveTo(c, t, STATES[ch.state[c]] as HelpOrUniversal, dest, closedBy, true)
        }
      }
    }
    this.dirty = false
  }

  // -------------------------------------------------------------------------------------------------------
  // Interventions

  /** The child's intervention stream, made current (seeded the first time an intervention looks at them). */
  private ivRngOf(c: number): Uniform {
    const ch = this.children
    if (ch.ivSeeded[c] === 0) {
      this.ivStreams.seed(c)
      ch.ivSeeded[c] = 1
    }
    this.current = c
    return this.iu
  }

  /** The intervention whose effect child c is under at t, or null. */
  private effectOn(c: number, t: number): InterventionModel | null {
    const j = this.children.treated[c]
    return j >= 0 && t < this.children.treatedUntil[c] ? this.interventions[j] : null
  }

  private outcomeTable(c: number, t: number, state: number): ByAge<Choice<Destination>> {
    const iv = this.interventions.length > 0 ? this.effectOn(c, t) : null
    if (state === UNIVERSAL) return iv ? iv.frontDoor : this.model.frontDoor
    return iv ? iv.outcomes[state]! : this.model.levels[state]!.outcomes
  }

  private entryMix(c: number, t: number): ByAge<Choice<number>> {
    const iv = this.interventions.length > 0 ? this.effectOn(c, t) : null
    return iv ? iv.onEntry : this.model.lookedAfter.onEntry
  }

  private durationEffect(c: number, t: number, state: number): number {
    if (this.interventions.length === 0) return 1
    const iv = this.effectOn(c, t)
    return iv ? iv.durationMultiplier[state] : 1
  }

  /**
   * A move about to be made, offered to each intervention that intercepts it. The first that takes the
   * child (eligible, taken up, a place free) starts, and may change the move: redirect it, or let it go
   * ahead only with the chance its multiplier gives (otherwise another outcome is drawn in proportion).
   */
  private intercept(c: number, t: number, from: number, dest: Destination): Destination {
    const ivs = this.interventions
    if (ivs.length === 0) return dest
    const ch = this.children
    for (const iv of ivs) {
      if (!iv.eligible) continue
      if ((iv.from >= 0 && iv.from !== from) || (iv.to >= 0 && iv.to !== dest.toIndex)) continue
      if (iv.via !== null && iv.via !== dest.via) continue
      // A child already at the level an intervention redirects to is not intercepted by it (the redirect
      // would be a move from the level to itself).
      if (iv.redirectTo === from) continue
      const svc = iv.service.index
      if (!(this.places[svc] > 0)) continue // not running (yet, or any more)
      if (ch.holding[c] >= 0 || ch.waitingForIntervention[c] >= 0) continue
      if (ch.treated[c] === iv.index && t < ch.treatedUntil[c]) continue
      if (iv.agesLo > 0 || iv.agesHi < 200) {
        const a = this.age(c, t)
        if (a < iv.agesLo || a > iv.agesHi) continue
      }
      if (iv.uptake < 1 && this.ivRngOf(c)() >= iv.uptake) continue
      // A redirect into a level that is itself a full service cannot be delivered now: the child carries
      // on untreated (not onto the intervention's list, which is for want of the intervention's places).
      const into = iv.redirectTo >= 0 && from !== LOOKED_AFTER ? this.serviceOfLevel[iv.redirectTo] : -1
      if (into >= 0 && !(this.occupied[into] < this.places[into])) continue
      if (!(this.occupied[svc] < this.places[svc])) {
        if (iv.waits) {
          this.joinInterventionList(c, t, svc, from)
          return dest
        }
        continue
      }
      this.startIntervention(c, t, iv, from, true)
      return this.changedMove(c, t, iv, from, dest)
    }
    return dest
  }

  /**
   * An intervention with `openCases` starting: children already at its level (of its ages, in the order
   * they became known) are offered it as if they had just moved there, while it has places (or join its
   * waiting list). Their stay already under way keeps its length; the effects apply to what follows.
   */
  private offerToOpenCases(iv: InterventionModel, t: number): void {
    if (!iv.openCases || this.offered[iv.index] === 1) return
    this.offered[iv.index] = 1
    const ch = this.children
    const svc = iv.service.index
    for (let c = 0; c < ch.count; c++) {
      if (ch.state[c] !== iv.to || ch.holding[c] >= 0 || ch.waitingForIntervention[c] >= 0) continue
      if (ch.treated[c] === iv.index && t < ch.treatedUntil[c]) continue
      if (iv.agesLo > 0 || iv.agesHi < 200) {
        const a = this.age(c, t)
        if (a < iv.agesLo || a > iv.agesHi) continue
      }
      if (iv.uptake < 1 && this.ivRngOf(c)() >= iv.uptake) continue
      if (this.occupied[svc] < this.places[svc]) this.startIntervention(c, t, iv, iv.to, false)
      else if (iv.waits) this.joinInterventionList(c, t, svc, iv.to)
      else break
    }
  }

  private joinInterventionList(c: number, t: number, svc: number, at: number): void {
    const ch = this.children
    this.emit({ _tag: "WaitingListJoined", time: t, child: c, service: this.services[svc].name, at: STATES[at] })
    this.waiting[svc]++
    ch.waitingForIntervention[c] = svc
    ch.ivTicket[c]++
    this.lists[svc].push(0, c, ch.ivTicket[c])
  }

  private startIntervention(c: number, t: number, iv: InterventionModel, at: number, intercepted: boolean): void {
    const ch = this.children
    const rng = this.ivRngOf(c)
    this.emit({
      _tag: "InterventionStarted",
      time: t,
      child: c,
      intervention: iv.name,
      at: STATES[at],
      redirectedTo:
        intercepted && iv.redirectTo >= 0 && at !== LOOKED_AFTER ? (STATES[iv.redirectTo] as "early_help") : null,
      heldPlace: iv.duration !== null
    })
    ch.treated[c] = iv.index
    ch.treatedUntil[c] = t + iv.lasts.sample(rng)
    if (iv.duration !== null) {
      const svc = iv.service.index
      this.occupied[svc]++
      ch.holding[c] = svc
      ch.holdEpoch[c]++
      const held = iv.duration.sample(rng)
      this.queue.push(t + held, EPISODE_END, INTERVENTION_END, c, ch.holdEpoch[c])
      // A redirected child's stay at the new level is the time they hold the place (the team's course).
      if (intercepted && iv.redirectTo >= 0 && at !== LOOKED_AFTER) {
        this.stayChild = c
        this.stayDays = held
      }
    }
  }

  private changedMove(c: number, t: number, iv: InterventionModel, from: number, dest: Destination): Destination {
    if (iv.redirectTo >= 0 && from !== LOOKED_AFTER)
      return {
        to: STATES[iv.redirectTo],
        toIndex: iv.redirectTo,
        via: iv.name,
        closure: dest.closure,
        leftCare: dest.leftCare
      }
    let m = 1
    for (const e of iv.moves) if ((e.from < 0 || e.from === from) && e.to === dest.toIndex) m = e.multiplier
    const rng = this.ivRngOf(c)
    if (m >= 1 || rng() < m) return dest
    // The move does not happen: another outcome, in proportion to the treated table's other chances.
    const table = this.atAgeOf(from === UNIVERSAL ? iv.frontDoor : iv.outcomes[from]!, c, t)
    let rest = 0
    for (let i = 0; i < table.items.length; i++)
      if (table.items[i].toIndex !== dest.toIndex) rest += table.cum[i] - (i > 0 ? table.cum[i - 1] : 0)
    if (rest <= 0) return dest
    let u = rng() * rest
    let last = dest
    for (let i = 0; i < table.items.length; i++) {
      if (table.items[i].toIndex === dest.toIndex) continue
      last = table.items[i]
      u -= table.cum[i] - (i > 0 ? table.cum[i - 1] : 0)
      if (u < 0) return last
    }
    return last
  }

  private endIntervention(c: number, t: number, reason: "completed" | "case_closed"): void {
    const ch = this.children
    const svc = ch.holding[c]
    this.emit({ _tag: "InterventionEnded", time: t, child: c, intervention: this.services[svc].name, reason })
    ch.holding[c] = -1
    ch.holdEpoch[c]++
    this.vacate(svc)
  }

  private leaveInterventionList(c: number, t: number, outcome: "place" | "service_ended" | "case_closed"): void {
    const ch = this.children
    const svc = ch.waitingForIntervention[c]
    this.emit({ _tag: "WaitingListLeft", time: t, child: c, service: this.services[svc].name, outcome })
    this.waiting[svc]--
    ch.waitingForIntervention[c] = -1
    ch.ivTicket[c]++
  }

  /** The case closed or the child left: places and waiting lists held for interventions are let go. */
  private caseEnded(c: number, t: number): void {
    if (this.interventions.length === 0) return
    const ch = this.children
    if (ch.holding[c] >= 0) this.endIntervention(c, t, "case_closed")
    if (ch.waitingForIntervention[c] >= 0) this.leaveInterventionList(c, t, "case_closed")
  }
}
