/**
 * The caseload on the start date: each starting group's children, with the time they have already spent
 * at their level and the time they have left, and the closed cases that may be re-referred.
 *
 * Given the time already spent (`elapsed`), the remaining time follows the law for the child's age when
 * the episode began (durations are drawn by age at entry). Not given, the pair (time spent, time
 * remaining) is the equilibrium of the law for the child's current age band: the age of an episode in
 * progress, then D | D > it. Time spent is never longer than the child has been alive (for care leavers:
 * than since their 16th birthday).
 *
 * A group in sibling groups (`families`) opens family by family: the eldest's stream draws the family's size
 * (from referrals.families.size, cut to the children the group has left) and every member's age from the
 * group's law, the oldest going to the eldest; so the group's ages are those of a group without families.
 * Each sibling is logged as the eldest's family right after their own opening (SiblingReferred at time 0).
 * Their times at the level are their own draws, so teams and services counting families count them once
 * from the start, and they move on in their own time.
 */
import { stateIndex } from "../domain/Level.js"
import { ageInDays, ENTRY_GRID_DAYS, type EntryAgeLaw, type Model, type StartingGroupModel } from "../model/Model.js"
import { atAge, choose, type ByAge } from "../model/Tables.js"
import { equilibriumAge, sampleBeyond, skipBeyond, type Distribution } from "../random/Distribution.js"
import { Action, Priority } from "./Actions.js"
import type { Uniform } from "../random/Streams.js"
import type { Children } from "./Children.js"
import type { EventQueue } from "./EventQueue.js"
import type { LifeCycle } from "./LifeCycle.js"
import type { Output } from "./Output.js"

const UNIVERSAL = stateIndex.universal
const GRID = ENTRY_GRID_DAYS

/** Survival tables on the grid, by duration law (kept while the compiled model lives). */
const survivalTables = new WeakMap<Distribution, Float64Array>()
const survivalOn = (d: Distribution, cells: number): Float64Array => {
  let s = survivalTables.get(d)
  if (s === undefined || s.length < cells) {
    s = Float64Array.from({ length: cells }, (_, k) => 1 - d.cdf((k + 0.5) * GRID))
    survivalTables.set(d, s)
  }
  return s
}

/** The survival tables by whole year of age at entry (0-17), for a duration law by age. */
const byYearTables = new WeakMap<ByAge<Distribution>, ReadonlyArray<Float64Array>>()
const survivalByYear = (duration: ByAge<Distribution>, cells: number): ReadonlyArray<Float64Array> => {
  let t = byYearTables.get(duration)
  if (t === undefined || t[0].length < cells) {
    t = Array.from({ length: 18 }, (_, y) => survivalOn(atAge(duration, y), cells))
    byYearTables.set(duration, t)
  }
  return t
}

/** The cumulative weights of the grid's cells (one buffer for every child). */
let scratch = new Float64Array(1024)

/**
 * The time already in care of a child aged `ageDays` now, from the stationary joint law of age on entry and
 * time in care: entries at age x with density e(x) that stay at least t (S(t | x), the duration law for
 * their age at entry) give children in care now at age x + t, so given the age a now the time in care t has
 * density proportional to e(a - t) S(t | a - t) on [0, a]. Worked out on a grid of `ENTRY_GRID_DAYS` (uniform
 * within a cell), with one uniform `u`.
 */
export const stationaryElapsed = (
  ageDays: number,
  law: EntryAgeLaw,
  duration: ByAge<Distribution>,
  u: number
): number => {
  const density = law.density
  const cells = Math.ceil(ageDays / GRID)
  if (cells <= 0) return 0
  if (scratch.length < cells) scratch = new Float64Array(cells)
  const weights = scratch
  const survival = survivalByYear(duration, Math.max(cells, density.length))
  const lastEntry = density.length - 1
  const last = cells - 1
  let total = 0
  // Every cell but the last is a whole one, its middle x > 0 days before today: the entry age's cell and
  // year are whole parts (| 0), and the survival table is looked up again only when the year changes (a
  // national caseload is hundreds of cells for each of tens of thousands of children; the same sums).
  let year = -1
  let row = survival[0]
  for (let k = 0; k < last; k++) {
    const x = ageDays - (k + 0.5) * GRID
    const m = (x / GRID) | 0
    const e = density[m < lastEntry ? m : lastEntry]
    if (e > 0) {
      const y = (x / 365.25) | 0
      if (y !== year) {
        year = y
        row = survival[y < 17 ? y : 17]
      }
      total += e * row[k] * GRID
    }
    weights[k] = total
  }
  // The last cell, cut at birth.
  const width = Math.min(GRID, ageDays - last * GRID)
  const x = ageDays - Math.min((last + 0.5) * GRID, ageDays)
  const e = density[Math.min(lastEntry, Math.max(0, Math.floor(x / GRID)))]
  if (e > 0) total += e * survival[Math.min(17, Math.floor(x / 365.25))][last] * width
  weights[last] = total
  if (!(total > 0)) return u * ageDays
  const target = u * total
  // The first cell whose cumulative weight passes the target (the last cell if none does), by bisection:
  // the weights never decrease, and a national caseload has hundreds of cells a child.
  let k = 0
  let hi = cells - 1
  while (k < hi) {
    const mid = (k + hi) >>> 1
    if (weights[mid] <= target) k = mid + 1
    else hi = mid
  }
  const below = k === 0 ? 0 : weights[k - 1]
  const within = weights[k] > below ? (target - below) / (weights[k] - below) : 0.5
  return Math.min(ageDays, (k + within) * GRID)
}
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
  /** The family being opened (a `families` group): its eldest, and its members' ages, oldest first. */
  private eldest = -1
  private familyAges: Array<number> = []
  private member = 0

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
    const ageDays = g.families ? this.familyAge(c, g, rng) : g.dob === null ? ageInDays(g.ages, rng, g.within) : -g.dob
    const dob = g.dob === null ? Math.floor(-ageDays) : g.dob
    ch.setBirth(c, dob)
    const eldest = g.families && this.eldest !== c ? this.eldest : -1
    if (eldest >= 0) ch.families!.family[c] = eldest
    const known = g.since === null ? null : 0 - g.since
    if (g.uasc) ch.setUasc(c)
    if (g.levelIndex === UNIVERSAL) {
      this.closedBeforeStart(c, g, ageDays, known)
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
      const duration = own ?? (g.uasc ? this.model.uasc!.duration : level.duration)
      const current = ch.valueAt(duration, c, 0)
      if (known !== null) elapsed = known
      else if (g.ageOnEntry !== null && g.elapsed === null)
        elapsed = stationaryElapsed(ageDays, g.ageOnEntry, duration, rng())
      else {
        const spent = g.elapsed ?? equilibriumAge(current)
        elapsed = Math.min(spent.quantile(rng() * spent.cdf(ageDays)), ageDays)
      }
      const d = g.elapsed || known !== null || g.ageOnEntry !== null ? ch.valueAt(duration, c, -elapsed) : current
      remaining = sampleBeyond(d, elapsed, rng)
      if (status >= 0) {
        // 0 - elapsed, not -elapsed: -0 would not survive a round trip through JSON.
        this.out.openAtStart(c, dob, g.levelIndex, g.placement, 0 - elapsed)
        if (eldest >= 0) this.out.siblingReferred(0, c, eldest)
        this.begin(c, g)
        legal!.set(c, 0, -1, status, true)
        ch.setCareSince(c, -elapsed)
        this.life.enterCare(c, 0, g.placement, remaining, true)
        return
      }
    }
    // 0 - elapsed, not -elapsed: -0 would not survive a round trip through JSON.
    this.out.openAtStart(c, dob, g.levelIndex, g.placement, 0 - elapsed)
    if (eldest >= 0) this.out.siblingReferred(0, c, eldest)
    this.begin(c, g)
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
   * The age of child c of a `families` group: a family's eldest (no family open, or the last one complete)
   * draws the family's size and all its ages from their own stream; a sibling takes the next age.
   */
  private familyAge(c: number, g: StartingGroupModel, rng: Uniform): number {
    if (this.member < this.familyAges.length) return this.familyAges[this.member++]
    const size = Math.min(choose(this.model.families!.size, rng()), g.count - this.k)
    const ages: Array<number> = []
    for (let i = 0; i < size; i++) ages.push(g.dob === null ? ageInDays(g.ages, rng, g.within) : -g.dob)
    ages.sort((a, b) => b - a)
    this.eldest = c
    this.familyAges = ages
    this.member = 1
    return ages[0]
  }

  /**
   * A case closed `elapsed` days before the start. It is re-referred with the chance that a closed case
   * comes back given that it has not come back yet, p (1 - F(a)) / (1 - p F(a)), after D | D > a.
   */
  private closedBeforeStart(c: number, g: StartingGroupModel, ageDays: number, known: number | null): void {
    const ch = this.children
    const rng = ch.rng(c)
    const since: Distribution = g.elapsed!
    const elapsed = known ?? Math.min(since.quantile(rng() * since.cdf(ageDays)), ageDays)
    this.out.closedBeforeStart(c, ch.dob(c), 0 - elapsed)
    this.begin(c, g)
    ch.setCell(c, UNIVERSAL, -1)
    const epoch = ch.bumpEpoch(c)
    const rr = this.model.defaultReReferral
    const history = this.life.history
    const p = history === null ? rr.probability : history.reReferral(c, rr.probability)
    const f = rr.after.cdf(elapsed)
    const back = rng() < (p * (1 - f)) / (1 - p * f)
    // The delay is drawn either way (see LifeCycle's closeCase), but only worked out if the case comes back.
    if (!back) {
      skipBeyond(rr.after, elapsed, rng)
      return
    }
    const at = sampleBeyond(rr.after, elapsed, rng)
    if (at < ch.birthday(c, 18) && at < this.horizon)
      this.queue.push(at, Priority.ReReferral, Action.ReReferral, c, epoch)
  }

  /** A starting child's history before the run (drawn, when the group gives one) and UASC flag, logged. */
  private begin(c: number, g: StartingGroupModel): void {
    const history = this.life.history
    if (history !== null) history.begin(c, 0, g.history, g.levelIndex, g.uasc)
    else if (g.uasc) this.out.historyBeforeRun(0, c, 0, 0, true)
  }

  /** The children the starting caseload has. */
  static size(model: Model): number {
    return model.starting.reduce((n, g) => n + g.count, 0)
  }
}
