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
 * `run` simulates [0, horizon): actions at exactly the horizon are not taken.
 */
import { birthday, ageOn } from "../domain/Calendar.js"
import type { CaseEvent } from "../domain/Event.js"
import { LEVELS, PLACEMENTS, STATES, stateIndex, type LevelOfNeed } from "../domain/Level.js"
import { equilibriumAge, sampleBeyond, type Distribution } from "../random/Distribution.js"
import { ChildStreams, type StreamFactory, type Uniform } from "../random/Streams.js"
import { ageInDays, atAge, choose, type ByAge, type Destination, type Model, type ReReferralModel } from "../scenario/Model.js"
import { EventQueue } from "./EventQueue.js"

export type EventSink = (event: CaseEvent) => void

const AGE_LIMIT = 0
const EPISODE_END = 1
const PLACEMENT_MOVE = 2
const RE_REFERRAL = 3
const REFERRAL = 4

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

  add(): number {
    if (this.count === this.state.length) {
      const cap = this.count * 2
      const grow = <T extends Uint8Array | Int8Array | Float64Array | Uint32Array>(a: T, make: (n: number) => T): T => {
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

  constructor(
    private readonly model: Model,
    private readonly streams: StreamFactory,
    private readonly sink: EventSink
  ) {
    this.arrivalRng = streams("referrals")
    this.childStreams = new ChildStreams(streams.childKey, 4096)
    this.horizon = model.calendar.horizon
  }

  get stats(): SimulationStats {
    return { events: this.eventCount, actions: this.actionCount, staleActions: this.staleCount, children: this.children.count }
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
      if (kind === REFERRAL) {
        this.referNewChild(t)
        continue
      }
      const c = q.poppedChild
      if (ch.epoch[c] !== q.poppedEpoch) {
        this.staleCount++
        continue
      }
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
      }
    }
    return this.done
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
        if (g.levelIndex === CARE_LEAVER) this.enterCareLeaver(c, 0, remaining, this.age(c, 0) >= this.model.careLeaver.supportEndsAt)
        else if (g.levelIndex === LOOKED_AFTER) {
          ch.careSince[c] = -elapsed
          this.enterCare(c, 0, g.placement, remaining, true)
        } else this.enterHelpLevel(c, 0, g.levelIndex, remaining)
      }
    }
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
    const dest = choose(this.atAgeOf(this.model.frontDoor, c, t), rng())
    this.moveTo(c, t, "universal", dest, null)
  }

  // -------------------------------------------------------------------------------------------------------
  // Moves

  /** Applies a destination chosen for a child leaving `from` (a help level, or universal at the front door). */
  private moveTo(c: number, t: number, from: HelpOrUniversal, dest: Destination, closedBy: ReReferralModel | null): void {
    const ch = this.children
    const rng = this.rngOf(c)
    const to = dest.toIndex
    if (to === UNIVERSAL || to === EXITED) {
      this.emit({ _tag: "CaseClosed", time: t, child: c, from, reason: dest.closure, to: dest.to as "universal" | "exited", via: dest.via })
      if (to === UNIVERSAL) this.closeCase(c, t, closedBy ?? this.model.defaultReReferral)
      else this.exit(c)
    } else if (to === LOOKED_AFTER) {
      const placement = choose(this.atAgeOf(this.model.lookedAfter.onEntry, c, t), rng())
      this.emit({ _tag: "ChildBecameLookedAfter", time: t, child: c, from, placement: PLACEMENTS[placement], via: dest.via })
      ch.careSince[c] = t
      this.enterCare(c, t, placement, -1, false)
    } else {
      this.emit({ _tag: "LevelChanged", time: t, child: c, from, to: dest.to as Exclude<HelpOrUniversal, "universal">, via: dest.via })
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
    ch.state[c] = level
    ch.placement[c] = -1
    ch.epoch[c]++
    const rng = this.rngOf(c)
    const d = remaining >= 0 ? remaining : this.atAgeOf(this.model.levels[level]!.duration, c, t).sample(rng)
    this.scheduleLevelAction(c, t + d, birthday(this.model.calendar, ch.dob[c], 18))
  }

  private enterCare(c: number, t: number, placement: number, remaining: number, atStart: boolean): void {
    const ch = this.children
    ch.state[c] = LOOKED_AFTER
    ch.placement[c] = placement
    ch.epoch[c]++
    const rng = this.rngOf(c)
    const d = remaining >= 0 ? remaining : this.atAgeOf(this.model.lookedAfter.duration, c, t).sample(rng)
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
    ch.state[c] = CARE_LEAVER
    ch.placement[c] = -1
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
    ch.state[c] = UNIVERSAL
    ch.placement[c] = -1
    ch.epoch[c]++
    const rng = this.rngOf(c)
    const back = rng() < reReferral.probability
    const at = t + reReferral.after.sample(rng)
    if (back && at < birthday(this.model.calendar, ch.dob[c], 18) && at < this.horizon) {
      this.queue.push(at, RE_REFERRAL, RE_REFERRAL, c, ch.epoch[c])
    }
  }

  private exit(c: number): void {
    const ch = this.children
    ch.state[c] = EXITED
    ch.placement[c] = -1
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
      this.exit(c)
      return
    }
    if (state === LOOKED_AFTER) {
      const la = this.model.lookedAfter
      const dest = choose(this.atAgeOf(la.outcomes, c, t), rng())
      this.leaveCare(c, t, dest)
      return
    }
    const level = this.model.levels[state]!
    const dest = choose(this.atAgeOf(level.outcomes, c, t), rng())
    this.moveTo(c, t, LEVELS[state] as HelpOrUniversal, dest, level.reReferral)
  }

  private leaveCare(c: number, t: number, dest: Destination): void {
    const ch = this.children
    const placement = PLACEMENTS[ch.placement[c]]
    let to = dest.toIndex
    if (to === CARE_LEAVER && !this.eligibleCareLeaver(c, t)) to = EXITED
    this.emit({ _tag: "ChildLeftCare", time: t, child: c, placement, reason: dest.leftCare, to: STATES[to] as Exclude<typeof STATES[number], "looked_after">, via: dest.via })
    this.afterCare(c, t, to)
  }

  private afterCare(c: number, t: number, to: number): void {
    if (to === CARE_LEAVER) this.enterCareLeaver(c, t, -1, false)
    else if (to === EXITED) this.exit(c)
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
    if (state === LOOKED_AFTER) {
      const to = this.eligibleCareLeaver(c, t) ? CARE_LEAVER : EXITED
      this.emit({ _tag: "ChildLeftCare", time: t, child: c, placement: PLACEMENTS[ch.placement[c]], reason: "turned_18", to: to === CARE_LEAVER ? "care_leaver" : "exited", via: null })
      this.afterCare(c, t, to)
    } else if (state === CARE_LEAVER) {
      this.emit({ _tag: "CareLeaverSupportEnded", time: t, child: c, reason: "age_limit" })
      this.exit(c)
    } else {
      this.emit({ _tag: "CaseClosed", time: t, child: c, from: LEVELS[state], reason: "turned_18", to: "exited", via: null })
      this.exit(c)
    }
  }

  private movePlacement(c: number, t: number): void {
    const ch = this.children
    const from = ch.placement[c]
    const move = this.model.lookedAfter.moves[from]!
    const to = choose(move.to, this.rngOf(c)())
    this.emit({ _tag: "PlacementChanged", time: t, child: c, from: PLACEMENTS[from], to: PLACEMENTS[to] })
    ch.placement[c] = to
    this.scheduleMove(c, t, to, false)
  }
}
