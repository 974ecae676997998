/**
 * The ledger: one fold over the event log that every report is read from.
 *
 * It folds events in log order and keeps, per calendar month: the stock in each cell (state, or placement
 * for looked-after children) at the month end, child-days in each cell, starts and ends by level,
 * referrals, reasons for leaving care and closing, placement moves and one-off costs. Spend is derived
 * from these at the end (child-days x daily unit cost + one-off costs + fixed costs), so the same fold
 * serves a live run and a saved log (replay), and the two give identical figures.
 *
 * The fold reads each event's record (`EventRecord`, src/domain/Event.ts), which says the state change
 * the event makes: a live run hands it the engine's records (`take`), a replay the record of each decoded
 * event (`evolve`), and both go through `take`.
 *
 * Month ends: before an event at or after a month's end is applied, that month is closed (child-days
 * integrated to the boundary, stock snapshotted). The fold needs no per-child state: every event says
 * where the child came from and went to.
 */
import type { Calendar } from "../domain/Calendar.js"
import {
  EVENT_TAG_INDEX,
  EVENT_TAGS,
  EventRecord,
  Names,
  recordOf,
  type CaseEvent,
  type RecordSink
} from "../domain/Event.js"
import {
  CELL_COUNT,
  CLOSURE_REASONS,
  LEFT_CARE_REASONS,
  PLACEMENTS,
  STATES,
  SUPPORT_END_REASONS,
  cellOf,
  placementCell
} from "../domain/Level.js"
import { ANY, incurs, oneOffMatchers, type CostModel, type OneOffMatcher } from "../model/Costs.js"
import type { QuotaModel, ServiceModel } from "../model/Policy.js"
import { FamilyFold, type FamilyTotals } from "./Families.js"
import { LegalStatusFold, type LegalStatusTotals } from "./LegalStatus.js"
import { ReviewFold, type ReviewTotals } from "./Reviews.js"
import { StayingPutFold, type StayingPutTotals } from "./StayingPut.js"
import { UascFold, type UascTotals } from "./Uasc.js"
import { SERVICE_EVENT_TAGS, ServiceFold, type ServiceTotals } from "./Services.js"

const S = STATES.length
const P = PLACEMENTS.length
const LC = LEFT_CARE_REASONS.length
const CR = CLOSURE_REASONS.length
const SE = SUPPORT_END_REASONS.length
const T = EVENT_TAG_INDEX
const OPEN_AT_START = T.CaseOpenAtStart
const CLOSED_BEFORE_START = T.CaseClosedBeforeStart
const REFERRED = T.ChildReferred
const PLACEMENT_CHANGED = T.PlacementChanged
const LEFT_CARE = T.ChildLeftCare
const CASE_CLOSED = T.CaseClosed
const SUPPORT_ENDED = T.CareLeaverSupportEnded
const STATUS_CHANGED = T.LegalStatusChanged
const BECAME_LOOKED_AFTER = T.ChildBecameLookedAfter
const STAYING_PUT_BEGAN = T.StayingPutBegan
const STAYING_PUT_ENDED = T.StayingPutEnded
const CONTACT = T.ContactReceived
const REVIEWED = T.ChildReviewed
const HISTORY = T.HistoryBeforeRun
/** A sibling's family: at a referral (the referral opened the run already) or in the opening caseload. */
const SIBLING = T.SiblingReferred
/** The event types about services, waiting lists and interventions, which have their own fold. */
const SERVICE_EVENT = Uint8Array.from(EVENT_TAGS, (tag) => (SERVICE_EVENT_TAGS.includes(tag) ? 1 : 0))
/** What an event type is folded into beyond stocks and flows (bits of `Ledger.routes`, by tag): most events
 * need one or two of these, and one table read says which, rather than a score of comparisons an event. */
const COUNTED = 1
const SERVICES = 2
const LEGAL = 4
const UASC = 8
const STAYING_PUT = 16
const REVIEWS = 32
const FAMILIES = 64
const COUNTED_TAGS: ReadonlyArray<number> = [
  REFERRED,
  CONTACT,
  LEFT_CARE,
  CASE_CLOSED,
  SUPPORT_ENDED,
  PLACEMENT_CHANGED
]
const UASC_TAGS: ReadonlyArray<number> = [BECAME_LOOKED_AFTER, LEFT_CARE, SUPPORT_ENDED, OPEN_AT_START, HISTORY]

/** What the ledger holds once the log has been folded. Arrays are indexed [month][...] flattened. */
export interface LedgerTotals {
  readonly calendar: Calendar
  readonly costs: CostModel
  readonly events: number
  /** Children in each cell at the start (after the CaseOpenAtStart events). */
  readonly openingStock: Int32Array
  /** [month * CELL_COUNT + cell] */
  readonly monthEndStock: Int32Array
  /** [month * CELL_COUNT + cell] */
  readonly childDays: Float64Array
  /** [month * S * S + to * S + from]: entries into `to` */
  readonly starts: Int32Array
  /** [month * S * S + from * S + to]: exits from `from` */
  readonly ends: Int32Array
  /** [month * 2 + (0 new | 1 re-referral)] */
  readonly referrals: Int32Array
  /** [month * 2 + (0 not referred | 1 referred)]: contacts at the front door (always folded: a log without
   * them, of a scenario without `referrals.contacts`, gives zeros) */
  readonly contacts: Int32Array
  /** [month * LEFT_CARE_REASONS + reason] */
  readonly leftCare: Int32Array
  /** [month * S * CLOSURE_REASONS + from * CLOSURE_REASONS + reason] */
  readonly closed: Int32Array
  /** [month * SUPPORT_END_REASONS + reason] */
  readonly supportEnded: Int32Array
  /** [month * P * P + from * P + to] */
  readonly placementChanges: Int32Array
  /** [month * nOneOff + line]: amount, and how many times it was incurred */
  readonly oneOffAmount: Float64Array
  readonly oneOffCount: Int32Array
  /** Waiting lists, interventions and placement overflows, by service. */
  readonly services: ServiceTotals
  /** Looked-after children by legal status; null for a scenario that models none. */
  readonly legal: LegalStatusTotals | null
  /** Unaccompanied asylum-seeking children apart; null for a scenario without them. */
  readonly uasc: UascTotals | null
  /** Staying-put arrangements (always folded: a log without them gives zeros). */
  readonly stayingPut: StayingPutTotals
  /** Quotas' targets and reviews; null for a scenario without quotas. */
  readonly reviews: ReviewTotals | null
  /** Siblings beyond the first of their family in each team that counts families (`familyTeams`). */
  readonly families: FamilyTotals
  /** By team (index in `costs.teams`): its group in `families`, or -1 for a team that counts children. */
  readonly familyTeams: Int32Array
  /** By service (its index): its group in `families`, or -1 for a service that counts children. */
  readonly familyServices: Int32Array
}

export class Ledger implements RecordSink {
  private readonly months: number
  private readonly monthEnd: Float64Array
  private readonly monthFy: Int32Array
  private readonly count = new Float64Array(CELL_COUNT)
  private readonly lastT = new Float64Array(CELL_COUNT)
  private readonly openingStock = new Int32Array(CELL_COUNT)
  private readonly monthEndStock: Int32Array
  private readonly childDays: Float64Array
  private readonly starts: Int32Array
  private readonly ends: Int32Array
  private readonly referrals: Int32Array
  private readonly contacts: Int32Array
  private readonly leftCare: Int32Array
  private readonly closed: Int32Array
  private readonly supportEnded: Int32Array
  private readonly placementChanges: Int32Array
  private readonly oneOffAmount: Float64Array
  private readonly oneOffCount: Int32Array
  private readonly nOneOff: number
  /** [fy * nOneOff + line]: a one-off line's amount in each financial year. */
  private readonly oneOffPrice: Float64Array
  private readonly matchers: ReadonlyArray<ReadonlyArray<OneOffMatcher>>
  private readonly names: Names
  private readonly scratch = new EventRecord()
  private m = 0
  private events = 0
  private opened = false
  private finished = false
  private readonly serviceFold: ServiceFold
  private readonly legalFold: LegalStatusFold | null
  private readonly uascFold: UascFold | null
  private readonly stayingPutFold: StayingPutFold
  private readonly reviewFold: ReviewFold | null
  private readonly familyFold: FamilyFold
  private readonly familyTeams: Int32Array
  private readonly familyServices: Int32Array
  /** One-off lines that name LegalStatusChanged, by event type (the only ones the opening caseload's
   * statuses incur). */
  private readonly openingStatusMatchers: ReadonlyArray<OneOffMatcher>
  /** By tag: which of the counts and folds an event of that type goes to (COUNTED, SERVICES, ...). */
  private readonly routes: Uint8Array
  /** [tag * (viaCount + 1) + via + 1]: the tag's one-off lines that can match an event with that via (a
   * number in `names`, -1: none), in the order of `matchers`; a line naming another route is not tried. */
  private readonly linesByVia: ReadonlyArray<ReadonlyArray<OneOffMatcher>>
  private readonly viaCount: number

  /**
   * `names`: the table the records' names are numbered in (a live run: the model's, which this copies;
   * by default a table of the ledger's own, which `evolve` fills as it reads events); `legalStatus`: the
   * scenario models legal status (the totals then count children by it).
   */
  constructor(
    private readonly calendar: Calendar,
    private readonly costs: CostModel,
    services: ReadonlyArray<ServiceModel> = [],
    names: Names = new Names(),
    legalStatus = false,
    /** The route UASC come into care by (`uasc.via`); null: the scenario has no UASC. */
    uascRoute: string | null = null,
    /** The scenario's quotas (interventions' count targets): their targets and reviews are counted. */
    quotas: ReadonlyArray<QuotaModel> = []
  ) {
    const n = calendar.months.length
    this.months = n
    // One more month end, never reached, so `take` can read the current month's end without a bounds check.
    this.monthEnd = Float64Array.from([...calendar.months.map((m) => m.end), Infinity])
    this.monthFy = Int32Array.from(calendar.months.map((m) => m.fy))
    this.monthEndStock = new Int32Array(n * CELL_COUNT)
    this.childDays = new Float64Array(n * CELL_COUNT)
    this.starts = new Int32Array(n * S * S)
    this.ends = new Int32Array(n * S * S)
    this.referrals = new Int32Array(n * 2)
    this.contacts = new Int32Array(n * 2)
    this.leftCare = new Int32Array(n * LEFT_CARE_REASONS.length)
    this.closed = new Int32Array(n * S * CLOSURE_REASONS.length)
    this.supportEnded = new Int32Array(n * SUPPORT_END_REASONS.length)
    this.placementChanges = new Int32Array(n * P * P)
    this.nOneOff = costs.oneOff.length
    this.oneOffAmount = new Float64Array(n * this.nOneOff)
    this.oneOffCount = new Int32Array(n * this.nOneOff)
    this.oneOffPrice = Float64Array.from(
      { length: calendar.financialYears.length * this.nOneOff },
      (_, k) => costs.oneOff[k % this.nOneOff].amountByFy[Math.floor(k / this.nOneOff)]
    )
    this.names = names.copy()
    this.matchers = oneOffMatchers(costs, this.names)
    this.serviceFold = new ServiceFold(calendar, services, this.names)
    this.legalFold = legalStatus ? new LegalStatusFold(n) : null
    this.uascFold = uascRoute === null ? null : new UascFold(n, this.names.id(uascRoute), this.monthEnd)
    this.stayingPutFold = new StayingPutFold(n, this.monthEnd)
    this.reviewFold = quotas.length === 0 ? null : new ReviewFold(n, quotas, this.names)
    // Teams and services that count families: each a group of cells in the family fold.
    let groups = 0
    this.familyTeams = Int32Array.from(costs.teams, (team) => (team.countsFamilies ? groups++ : -1))
    const byFamily = services.filter((s) => s.countsFamilies && (s.level >= 0 || s.placement >= 0))
    this.familyServices = new Int32Array(services.reduce((a, s) => Math.max(a, s.index + 1), 0)).fill(-1)
    for (const s of byFamily) this.familyServices[s.index] = groups++
    this.familyFold = new FamilyFold(n, this.monthEnd, [
      ...costs.teams.filter((team) => team.countsFamilies).map((team) => team.cells),
      ...byFamily.map((s) => [s.level >= 0 ? s.level : placementCell(s.placement)])
    ])
    this.openingStatusMatchers = this.matchers[STATUS_CHANGED].filter(
      (x) => costs.oneOff[x.line].on.event === "LegalStatusChanged"
    )
    const legal = this.legalFold !== null
    const uasc = this.uascFold !== null
    const reviews = this.reviewFold !== null
    const families = this.familyFold.any
    this.routes = Uint8Array.from(
      EVENT_TAGS,
      (_, tag) =>
        (COUNTED_TAGS.includes(tag) ? COUNTED : 0) |
        (SERVICE_EVENT[tag] === 1 ? SERVICES : 0) |
        (legal && (tag === STATUS_CHANGED || tag === LEFT_CARE) ? LEGAL : 0) |
        (uasc && UASC_TAGS.includes(tag) ? UASC : 0) |
        (tag === STAYING_PUT_BEGAN || tag === STAYING_PUT_ENDED ? STAYING_PUT : 0) |
        (reviews && tag === REVIEWED ? REVIEWS : 0) |
        (families ? FAMILIES : 0)
    )
    // Routes numbered after this (a replay's names growing as it reads) match no line that names a route.
    const vias = this.names.size
    this.viaCount = vias
    this.linesByVia = Array.from({ length: EVENT_TAGS.length * (vias + 1) }, (_, k) => {
      const via = (k % (vias + 1)) - 1
      return this.matchers[Math.floor(k / (vias + 1))].filter((x) => x.via === ANY || x.via === via)
    })
  }

  /** Closes every month that ends at or before t. */
  private advanceTo(t: number): void {
    while (this.m < this.months && t >= this.monthEnd[this.m]) {
      const end = this.monthEnd[this.m]
      const base = this.m * CELL_COUNT
      for (let c = 0; c < CELL_COUNT; c++) {
        this.childDays[base + c] += this.count[c] * (end - this.lastT[c])
        this.lastT[c] = end
        this.monthEndStock[base + c] = this.count[c]
      }
      if (this.legalFold !== null) this.legalFold.monthEnd(this.m, end)
      if (this.uascFold !== null) this.uascFold.monthEndOf(this.m)
      this.stayingPutFold.monthEndOf(this.m)
      if (this.familyFold.any) this.familyFold.monthEndOf(this.m)
      this.m++
    }
  }

  private move(t: number, from: number, to: number): void {
    const base = this.m * CELL_COUNT
    if (from >= 0) {
      this.childDays[base + from] += this.count[from] * (t - this.lastT[from])
      this.lastT[from] = t
      this.count[from]--
    }
    this.childDays[base + to] += this.count[to] * (t - this.lastT[to])
    this.lastT[to] = t
    this.count[to]++
  }

  private flow(from: number, to: number): void {
    const base = this.m * S * S
    this.starts[base + to * S + from]++
    this.ends[base + from * S + to]++
  }

  /** Folds one event. Events must come in log order (non-decreasing time, inside the run). */
  readonly evolve = (e: CaseEvent): void => {
    this.take(recordOf(e, this.names, this.scratch))
  }

  /** Folds one event's record (numbered in this ledger's `names`). Records must come in log order. */
  take(r: EventRecord): void {
    const t = r.time
    const tag = r.tag
    // The opening caseload: its cases, the legal statuses of its looked-after children, histories, families.
    if (
      !this.opened &&
      tag !== OPEN_AT_START &&
      tag !== CLOSED_BEFORE_START &&
      tag !== STATUS_CHANGED &&
      tag !== HISTORY &&
      tag !== SIBLING
    )
      this.open()
    if (t >= this.monthEnd[this.m]) this.advanceTo(t)
    this.events++
    const m = this.m
    const to = r.to
    if (to >= 0) {
      // The child's state changes: its stock moves (a new child appears), and a move from one level to
      // another (or a front-door decision to close) is a flow; a change of placement is not.
      const from = r.from
      const toCell = cellOf(to, r.toPlacement)
      if (from < 0) this.move(t, -1, toCell)
      else {
        const fromCell = cellOf(from, r.fromPlacement)
        if (fromCell !== toCell) this.move(t, fromCell, toCell)
        if (tag !== PLACEMENT_CHANGED) this.flow(from, to)
      }
    }
    const routes = this.routes[tag]
    if ((routes & COUNTED) !== 0) this.countEvent(r, tag, m)
    else if ((routes & SERVICES) !== 0) this.serviceFold.take(r)
    if (routes > SERVICES && m < this.months) {
      if ((routes & LEGAL) !== 0) this.legalFold!.take(r, m, this.opened)
      if ((routes & STAYING_PUT) !== 0) this.stayingPutFold.take(r, m)
      if ((routes & REVIEWS) !== 0) this.reviewFold!.take(r, m)
      if ((routes & FAMILIES) !== 0) this.familyFold.take(r, m)
    }
    if ((routes & UASC) !== 0) this.uascFold!.take(r, m)
    // The opening caseload incurred its one-off costs before the run: a line applies to its legal statuses
    // only when it names LegalStatusChanged (as to CaseOpenAtStart only when it names that).
    const via = r.name
    const lines =
      tag === STATUS_CHANGED && !this.opened
        ? this.openingStatusMatchers
        : this.linesByVia[tag * (this.viaCount + 1) + (via < this.viaCount ? via + 1 : 0)]
    if (lines.length > 0 && m < this.months) {
      const n = this.nOneOff
      const fy = this.monthFy[m]
      for (let k = 0; k < lines.length; k++) {
        const matcher = lines[k]
        if (incurs(matcher, r)) {
          const i = matcher.line
          const f = this.costs.oneOff[i].monthFactor
          this.oneOffAmount[m * n + i] += f ? this.oneOffPrice[fy * n + i] * f[m] : this.oneOffPrice[fy * n + i]
          this.oneOffCount[m * n + i]++
        }
      }
    }
  }

  /** The event types counted by month: referrals, contacts, leaving care, closures, support ended, moves. */
  private countEvent(r: EventRecord, tag: number, m: number): void {
    if (tag === REFERRED) this.referrals[m * 2 + r.reason]++
    else if (tag === CONTACT) this.contacts[m * 2 + r.reason]++
    else if (tag === LEFT_CARE) this.leftCare[m * LC + r.reason]++
    else if (tag === CASE_CLOSED) this.closed[m * S * CR + r.from * CR + r.reason]++
    else if (tag === SUPPORT_ENDED) this.supportEnded[m * SE + r.reason]++
    else this.placementChanges[m * P * P + r.fromPlacement * P + r.toPlacement]++
  }

  /** Marks the end of the opening caseload: the stock at that moment is the opening stock. */
  private open(): void {
    this.opened = true
    for (let c = 0; c < CELL_COUNT; c++) this.openingStock[c] = this.count[c]
    if (this.legalFold !== null) this.legalFold.open()
  }

  /** Closes the remaining months up to the end of the run and returns the totals. */
  finish(): LedgerTotals {
    if (!this.finished) {
      if (!this.opened) this.open()
      this.advanceTo(this.calendar.horizon)
      this.finished = true
    }
    return {
      calendar: this.calendar,
      costs: this.costs,
      events: this.events,
      openingStock: this.openingStock,
      monthEndStock: this.monthEndStock,
      childDays: this.childDays,
      starts: this.starts,
      ends: this.ends,
      referrals: this.referrals,
      contacts: this.contacts,
      leftCare: this.leftCare,
      closed: this.closed,
      supportEnded: this.supportEnded,
      placementChanges: this.placementChanges,
      oneOffAmount: this.oneOffAmount,
      oneOffCount: this.oneOffCount,
      services: this.serviceFold.finish(),
      legal: this.legalFold === null ? null : this.legalFold.finish(),
      uasc: this.uascFold === null ? null : this.uascFold.finish(),
      stayingPut: this.stayingPutFold.finish(),
      reviews: this.reviewFold === null ? null : this.reviewFold.finish(),
      families: this.familyFold.finish(),
      familyTeams: this.familyTeams,
      familyServices: this.familyServices
    }
  }
}
