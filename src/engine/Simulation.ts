/**
 * The discrete-event engine: individual children moving through the levels of need in continuous time.
 *
 * Pure and synchronous: it reads a compiled `Model`, draws from `StreamFactory` streams and writes every
 * event, in time order, as an `EventRecord` handed to a sink (src/domain/Event.ts). Nothing here touches
 * a clock, a file or Effect; the Effect layer (`src/run`) drives it in chunks.
 *
 * This file is the loop: it pops the next scheduled action (src/engine/Actions.ts: the action kinds and
 * the priority classes that order actions due at the same instant), hands it to the concern it belongs
 * to, and offers places that came free to the waiting lists before the next action. The concerns are
 * modules of their own, each called directly:
 *   Children.ts          each child's state in typed arrays, their ages and birthdays, their random stream
 *   StartingCaseload.ts  the caseload on the start date
 *   Referrals.ts         new referrals (the arrival process) and re-referrals
 *   LifeCycle.ts         the front door, episodes, placement moves, leaving care, closure, age limits
 *   Places.ts            services' places and waiting lists
 *   Interventions.ts     which moves interventions intercept, what they change, the places they hold
 *   LegalStatus.ts       looked-after children's legal statuses: on entry, their changes, what they change
 *   Uasc.ts              unaccompanied asylum-seeking children's arrivals
 *   Reviews.ts           count targets: rounds of reviews of open cases that end or shorten stays under way
 *   History.ts           previous child protection plans and care episodes, and what they change
 *   Output.ts            the event records
 *   Runaway.ts           a run that would never end (children moving back and forth in no time), stopped
 *
 * `run` simulates [0, horizon): actions at exactly the horizon are not taken.
 */
import type { RecordSink } from "../domain/Event.js"
import { INTERVENTION_END_REASONS } from "../domain/Level.js"
import type { Model } from "../model/Model.js"
import type { StreamFactory } from "../random/Streams.js"
import { Action } from "./Actions.js"
import { Children } from "./Children.js"
import { EventQueue } from "./EventQueue.js"
import { Families } from "./Families.js"
import { Histories } from "./History.js"
import { Interventions } from "./Interventions.js"
import { LegalStatuses } from "./LegalStatus.js"
import { LifeCycle } from "./LifeCycle.js"
import { Output } from "./Output.js"
import { Places } from "./Places.js"
import { Referrals } from "./Referrals.js"
import { Reviews } from "./Reviews.js"
import { RunawayCheck } from "./Runaway.js"
import { StartingCaseload } from "./StartingCaseload.js"
import { UascArrivals } from "./Uasc.js"

const COMPLETED = INTERVENTION_END_REASONS.indexOf("completed")

export interface SimulationStats {
  readonly events: number
  readonly actions: number
  readonly staleActions: number
  readonly children: number
}

/** Room for every child a run of the model is expected to have (2% over the expected referrals and UASC
 * arrivals), so that arrays kept per child, the engine's and the folds', rarely grow. */
export const expectedChildren = (model: Model): number =>
  StartingCaseload.size(model) +
  1.02 * Referrals.expected(model) +
  (model.uasc === null ? 0 : 1.02 * UascArrivals.expected(model.uasc)) +
  64

/** Children (40 bytes of rows each in the engine, 16 in the DfE fold) from which a day's children are read
 * ahead (see `dayAhead`): 100,000 children are 4 MB of the engine's rows, more than a core's own cache. */
const AHEAD_CHILDREN = 100_000

export class Simulation {
  private readonly queue: EventQueue
  private readonly children: Children
  private readonly out: Output
  private readonly places: Places
  private readonly interventions: Interventions
  private readonly life: LifeCycle
  private readonly referrals: Referrals
  private readonly starting: StartingCaseload
  private readonly uasc: UascArrivals | null
  private readonly reviews: Reviews | null
  private readonly runaway: RunawayCheck
  private readonly horizon: number
  private started = false
  /** Whether the whole starting caseload is open (it opens in slices, see `advance`). */
  private opened = false
  private actionCount = 0
  private staleCount = 0

  constructor(
    private readonly model: Model,
    streams: StreamFactory,
    private readonly sink: RecordSink,
    /** Expected children from which each day's are read ahead (see `dayAhead`; tests set it lower). */
    aheadFrom = AHEAD_CHILDREN
  ) {
    const horizon = model.calendar.horizon
    const policy = model.policy
    this.horizon = horizon
    this.queue = new EventQueue(4096, horizon)
    this.children = new Children(
      model.calendar,
      streams.childKey,
      expectedChildren(model),
      policy.services.length > 0 || policy.interventions.length > 0,
      model.families !== null
    )
    this.out = new Output(sink)
    this.places = new Places(policy, this.children, this.queue, this.out)
    this.interventions = new Interventions(model, streams, this.children, this.queue, this.out, this.places)
    const legal = model.legal === null ? null : new LegalStatuses(model.legal, this.children, this.queue, this.out)
    const families = model.families === null ? null : new Families(model.families, this.children, this.out)
    const history = model.history === null ? null : new Histories(model.history, this.children, this.out)
    this.life = new LifeCycle(
      model,
      this.children,
      this.queue,
      this.out,
      this.places,
      this.interventions,
      horizon,
      legal,
      families,
      history
    )
    this.referrals = new Referrals(
      model,
      streams("referrals"),
      this.children,
      this.queue,
      this.out,
      this.life,
      families
    )
    this.starting = new StartingCaseload(model, this.children, this.queue, this.out, this.life, horizon)
    this.uasc =
      model.uasc === null
        ? null
        : new UascArrivals(model.uasc, streams("uasc"), this.children, this.queue, this.out, this.life)
    this.reviews =
      policy.quotas.length === 0
        ? null
        : new Reviews(model, streams, this.children, this.queue, this.out, this.places, this.interventions, this.life)
    this.runaway = new RunawayCheck(model.calendar, this.queue, this.children, this.referrals)
    // Only where the children's rows are far more than a core's cache holds. A borough's rows are in cache
    // anyway, and there the day's extra pass cost more than it reads (the default borough's replications
    // were 7% slower on one worker and 17% on two, likely the loop's code compiled less tightly around it).
    if (expectedChildren(model) >= aheadFrom) this.queue.onDay = () => this.dayAhead()
  }

  /** A sum of what `dayAhead` read (kept, so that the reads are not optimised away). */
  private touched = 0

  /** A day's actions are in the heap: their children's rows (the engine's and the sink's) are brought into
   * the cache together. */
  private dayAhead(): void {
    const { children, size } = this.queue.childrenToday()
    this.touched = (this.touched + this.children.touch(children, size)) | 0
    if (this.sink.ahead !== undefined) this.sink.ahead(children, size)
  }

  get stats(): SimulationStats {
    return {
      events: this.out.count,
      actions: this.actionCount,
      staleActions: this.staleCount,
      children: this.children.count
    }
  }

  get done(): boolean {
    return this.opened && !(this.queue.peekTime() < this.horizon)
  }

  /** Runs to the horizon (in chunks, so that a runaway run is caught). */
  run(): SimulationStats {
    while (!this.done) this.advance(1 << 18)
    return this.stats
  }

  /**
   * Today's caseload (up to `maxEvents` more of it; true once all of it is open), then the interventions
   * already running are offered to it and the first referral is scheduled.
   */
  private start(maxEvents: number): boolean {
    if (!this.started) {
      this.started = true
      this.places.open(this.horizon)
    }
    if (!this.starting.open(maxEvents)) return false
    this.opened = true
    const iv = this.interventions
    for (const i of iv.list) if (this.places.places[i.service.index] > 0) iv.offerToOpenCases(i, 0)
    this.referrals.scheduleNext(0)
    if (this.uasc !== null) this.uasc.scheduleNext(0)
    if (this.reviews !== null) this.reviews.open()
    return true
  }

  /**
   * Takes scheduled actions until at least `maxEvents` more events have been emitted, `maxEvents` actions
   * have been taken or the run is over. Returns true when the run is over; throws `RunRefused` (Runaway.ts)
   * when the run has taken far more actions than its children could need.
   */
  advance(maxEvents: number): boolean {
    if (!this.opened && !this.start(maxEvents)) return false
    const out = this.out
    const target = out.count + maxEvents
    let actions = this.actionCount
    const actionTarget = actions + maxEvents
    const q = this.queue
    const ch = this.children
    const life = this.life
    const places = this.places
    while (out.count < target && actions < actionTarget && q.peekTime() < this.horizon) {
      q.pop()
      actions++
      const t = q.poppedTime
      const kind = q.poppedKind
      const c = q.poppedChild
      if (kind === Action.Referral) this.referrals.referNewChild(t)
      else if (kind === Action.UascArrival) this.uasc!.arrive(t)
      else if (kind === Action.Capacity) this.interventions.capacityChanged(c, t)
      else if (kind === Action.Review) this.reviews!.round(c, q.poppedEpoch, t)
      else if (kind === Action.InterventionEnd) {
        const st = ch.services!
        if (st.holdEpoch[c] === q.poppedEpoch && st.holding[c] >= 0) this.interventions.end(c, t, COMPLETED)
        else this.staleCount++
      } else if (ch.epoch(c) !== q.poppedEpoch) this.staleCount++
      else if (kind === Action.EpisodeEnd) life.endEpisode(c, t)
      else if (kind === Action.AgeLimit) life.reachAgeLimit(c, t)
      else if (kind === Action.PlacementMove) life.movePlacement(c, t)
      else if (kind === Action.ReReferral) this.referrals.reRefer(c, t)
      else if (kind === Action.Escalate) life.escalate(c, t)
      else if (kind === Action.LegalStatus) life.changeLegalStatus(c, t)
      else if (kind === Action.Birth) life.born(c, t)
      else if (kind === Action.AgeMove) life.moveAtAge(c, t)
      else if (kind === Action.StayingPutEnd) life.endStayingPut(c, t)
      if (places.dirty) life.admitWaiting(t)
    }
    this.actionCount = actions
    this.runaway.check(actions, q.poppedTime)
    return this.done
  }
}
