/**
 * The caseload on the start date: each starting group's children, with the time they have already spent
 * at their level and the time they have left, and the closed cases that may be re-referred.
 *
 * Given the time already spent (`elapsed`), the remaining time follows the law for the child's age when
 * the episode began (durations are drawn by age at entry). Not given, the pair (time spent, time
 * remaining) is the equilibrium of the law for the child's current age band: the age of an episode in
 * progress, then D | D > it. Time spent is never longer than the child has been alive (for care leavers:
 * than since their 16th birthday).
 */
import { stateIndex } from "../domain/Level.js"
import { ageInDays, type Model, type StartingGroupModel } from "../model/Model.js"
import { choose } from "../model/Tables.js"
import { equilibriumAge, sampleBeyond, skipBeyond, type Distribution } from "../random/Distribution.js"
import { Action, Priority } from "./Actions.js"
import type { Children } from "./Children.js"
import type { EventQueue } from "./EventQueue.js"
import type { LifeCycle } from "./LifeCycle.js"
import type { Output } from "./Output.js"

const UNIVERSAL = stateIndex.universal
const LOOKED_AFTER = stateIndex.looked_after
const CARE_LEAVER = stateIndex.care_leaver

export class StartingCaseload {
  constructor(
    private readonly model: Model,
    private readonly children: Children,
    private readonly queue: EventQueue,
    private readonly out: Output,
    private readonly life: LifeCycle,
    private readonly horizon: number
  ) {}

  /** The next group to open, and the next child of it. */
  private group = 0
  private k = 0

  /**
   * Opens the starting groups' children, in the scenario's order, until `maxEvents` events have been written
   * or every child is open (a national caseload is hundreds of thousands of children: opening it in slices
   * lets the run be interrupted meanwhile). Returns true when every child is open.
   */
  open(maxEvents: number): boolean {
    const groups = this.model.starting
    const target = this.out.count + maxEvents
    while (this.group < groups.length) {
      const g = groups[this.group]
      while (this.k < g.count) {
        if (this.out.count >= target) return false
        this.child(g)
        this.k++
      }
      this.group++
      this.k = 0
    }
    return true
  }

  private child(g: StartingGroupModel): void {
    const ch = this.children
    const c = ch.add()
    const rng = ch.rng(c)
    // A child known by date of birth (and episode start) draws neither.
    const ageDays = g.dob === null ? ageInDays(g.ages, rng, g.within) : -g.dob
    const dob = g.dob === null ? Math.floor(-ageDays) : g.dob
    ch.setBirth(c, dob)
    const known = g.since === null ? null : 0 - g.since
    if (g.levelIndex === UNIVERSAL) {
      this.closedBeforeStart(c, g.elapsed!, ageDays, known)
      return
    }
    let elapsed: number
    let remaining: number
    if (g.levelIndex === CARE_LEAVER) {
      const early = this.model.careLeaver.endsEarly
      const spent = g.elapsed ?? (early ? equilibriumAge(early) : null)
      const cap = Math.max(0, -ch.birthday(c, 16))
      elapsed = known ?? (spent ? Math.min(spent.quantile(rng() * spent.cdf(cap)), cap) : 0)
      remaining = early ? sampleBeyond(early, elapsed, rng) : Infinity
    } else {
      const level = this.model.levels[g.levelIndex]!
      // A looked-after child's legal status first: a status with a time in care of its own sets it.
      const legal = this.life.legal
      const status = g.legalStatus !== null && legal !== null ? choose(g.legalStatus, rng()) : -1
      const own = status >= 0 ? legal!.model.duration[status] : null
      const duration = own ?? level.duration
      const current = ch.valueAt(duration, c, 0)
      if (known === null) {
        const spent = g.elapsed ?? equilibriumAge(current)
        elapsed = Math.min(spent.quantile(rng() * spent.cdf(ageDays)), ageDays)
      } else elapsed = known
      const d = g.elapsed || known !== null ? ch.valueAt(duration, c, -elapsed) : current
      remaining = sampleBeyond(d, elapsed, rng)
      if (status >= 0) {
        // 0 - elapsed, not -elapsed: -0 would not survive a round trip through JSON.
        this.out.openAtStart(c, dob, g.levelIndex, g.placement, 0 - elapsed)
        legal!.set(c, 0, -1, status, true)
        ch.setCareSince(c, -elapsed)
        this.life.enterCare(c, 0, g.placement, remaining, true)
        return
      }
    }
    // 0 - elapsed, not -elapsed: -0 would not survive a round trip through JSON.
    this.out.openAtStart(c, dob, g.levelIndex, g.placement, 0 - elapsed)
    if (g.levelIndex === CARE_LEAVER)
      this.life.enterCareLeaver(c, 0, remaining, ch.age(c, 0) >= this.model.careLeaver.supportEndsAt)
    else if (g.levelIndex === LOOKED_AFTER) {
      ch.setCareSince(c, -elapsed)
      this.life.enterCare(c, 0, g.placement, remaining, true)
    } else {
      this.life.enterHelpLevel(c, 0, g.levelIndex, remaining)
      if (ch.services !== null) ch.services.levelSince[c] = 0 - elapsed
    }
  }

  /**
   * A case closed `elapsed` days before the start. It is re-referred with the chance that a closed case
   * comes back given that it has not come back yet, p (1 - F(a)) / (1 - p F(a)), after D | D > a.
   */
  private closedBeforeStart(c: number, since: Distribution, ageDays: number, known: number | null): void {
    const ch = this.children
    const rng = ch.rng(c)
    const elapsed = known ?? Math.min(since.quantile(rng() * since.cdf(ageDays)), ageDays)
    this.out.closedBeforeStart(c, ch.dob(c), 0 - elapsed)
    ch.setCell(c, UNIVERSAL, -1)
    const epoch = ch.bumpEpoch(c)
    const rr = this.model.defaultReReferral
    const f = rr.after.cdf(elapsed)
    const back = rng() < (rr.probability * (1 - f)) / (1 - rr.probability * f)
    // The delay is drawn either way (see LifeCycle's closeCase), but only worked out if the case comes back.
    if (!back) {
      skipBeyond(rr.after, elapsed, rng)
      return
    }
    const at = sampleBeyond(rr.after, elapsed, rng)
    if (at < ch.birthday(c, 18) && at < this.horizon)
      this.queue.push(at, Priority.ReReferral, Action.ReReferral, c, epoch)
  }

  /** The children the starting caseload has. */
  static size(model: Model): number {
    return model.starting.reduce((n, g) => n + g.count, 0)
  }
}
