/**
 * The ledger: one fold over the event log that every report is read from.
 *
 * `evolve` takes events in log order and keeps, per calendar month: the stock in each cell (state, or
 * placement for looked-after children) at the month end, child-days in each cell, starts and ends by
 * level, referrals, reasons for leaving care and closing, placement moves and one-off costs. Spend is
 * derived from these at the end (child-days x daily unit cost + one-off costs + fixed costs), so the same
 * fold serves a live run (as the event sink) and a saved log (replay), and the two give identical figures.
 *
 * Month ends: before an event at or after a month's end is applied, that month is closed (child-days
 * integrated to the boundary, stock snapshotted). The fold needs no per-child state: every event says
 * where the child came from and went to.
 */
import type { Calendar } from "../domain/Calendar.js"
import type { CaseEvent } from "../domain/Event.js"
import {
  CELL_COUNT,
  CLOSURE_REASONS,
  LEFT_CARE_REASONS,
  PLACEMENTS,
  STATES,
  SUPPORT_END_REASONS,
  cellOf,
  placementIndex,
  stateIndex
} from "../domain/Level.js"
import type { CostModel } from "../model/Costs.js"
import type { ServiceModel } from "../model/Policy.js"
import { ServiceFold, type ServiceTotals } from "./Services.js"

const S = STATES.length
const P = PLACEMENTS.length
const UNIVERSAL = stateIndex.universal
const LOOKED_AFTER = stateIndex.looked_after
const CARE_LEAVER = stateIndex.care_leaver
const EXITED = stateIndex.exited
const leftCareIndex = Object.fromEntries(LEFT_CARE_REASONS.map((r, i) => [r, i])) as Record<string, number>
const closureIndex = Object.fromEntries(CLOSURE_REASONS.map((r, i) => [r, i])) as Record<string, number>
const supportIndex = Object.fromEntries(SUPPORT_END_REASONS.map((r, i) => [r, i])) as Record<string, number>

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
}

export class Ledger {
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
  private readonly leftCare: Int32Array
  private readonly closed: Int32Array
  private readonly supportEnded: Int32Array
  private readonly placementChanges: Int32Array
  private readonly oneOffAmount: Float64Array
  private readonly oneOffCount: Int32Array
  private readonly nOneOff: number
  private m = 0
  private events = 0
  private opened = false
  private finished = false
  private readonly serviceFold: ServiceFold

  constructor(
    private readonly calendar: Calendar,
    private readonly costs: CostModel,
    services: ReadonlyArray<ServiceModel> = []
  ) {
    const n = calendar.months.length
    this.months = n
    this.monthEnd = Float64Array.from(calendar.months.map((m) => m.end))
    this.monthFy = Int32Array.from(calendar.months.map((m) => m.fy))
    this.monthEndStock = new Int32Array(n * CELL_COUNT)
    this.childDays = new Float64Array(n * CELL_COUNT)
    this.starts = new Int32Array(n * S * S)
    this.ends = new Int32Array(n * S * S)
    this.referrals = new Int32Array(n * 2)
    this.leftCare = new Int32Array(n * LEFT_CARE_REASONS.length)
    this.closed = new Int32Array(n * S * CLOSURE_REASONS.length)
    this.supportEnded = new Int32Array(n * SUPPORT_END_REASONS.length)
    this.placementChanges = new Int32Array(n * P * P)
    this.nOneOff = costs.oneOff.length
    this.oneOffAmount = new Float64Array(n * this.nOneOff)
    this.oneOffCount = new Int32Array(n * this.nOneOff)
    this.serviceFold = new ServiceFold(calendar, services)
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
    const t = e.time
    if (e._tag !== "CaseOpenAtStart" && e._tag !== "CaseClosedBeforeStart" && !this.opened) this.open()
    this.advanceTo(t)
    this.events++
    const m = this.m
    switch (e._tag) {
      case "CaseOpenAtStart": {
        const cell = cellOf(stateIndex[e.level], e.placement === null ? -1 : placementIndex[e.placement])
        this.move(t, -1, cell)
        break
      }
      case "CaseClosedBeforeStart":
        this.move(t, -1, UNIVERSAL)
        break
      case "ChildReferred":
        this.referrals[m * 2 + (e.reReferral ? 1 : 0)]++
        if (!e.reReferral) this.move(t, -1, UNIVERSAL)
        break
      case "LevelChanged": {
        const from = stateIndex[e.from]
        const to = stateIndex[e.to]
        this.move(t, from, to)
        this.flow(from, to)
        break
      }
      case "ChildBecameLookedAfter": {
        const from = stateIndex[e.from]
        this.move(t, from, cellOf(LOOKED_AFTER, placementIndex[e.placement]))
        this.flow(from, LOOKED_AFTER)
        break
      }
      case "PlacementChanged": {
        const from = placementIndex[e.from]
        const to = placementIndex[e.to]
        this.move(t, cellOf(LOOKED_AFTER, from), cellOf(LOOKED_AFTER, to))
        this.placementChanges[m * P * P + from * P + to]++
        break
      }
      case "ChildLeftCare": {
        const to = stateIndex[e.to]
        this.move(t, cellOf(LOOKED_AFTER, placementIndex[e.placement]), to)
        this.flow(LOOKED_AFTER, to)
        this.leftCare[m * LEFT_CARE_REASONS.length + leftCareIndex[e.reason]]++
        break
      }
      case "CaseClosed": {
        const from = stateIndex[e.from]
        const to = stateIndex[e.to]
        if (from !== to) this.move(t, from, to)
        this.flow(from, to)
        this.closed[m * S * CLOSURE_REASONS.length + from * CLOSURE_REASONS.length + closureIndex[e.reason]]++
        break
      }
      case "CareLeaverSupportEnded":
        this.move(t, CARE_LEAVER, EXITED)
        this.flow(CARE_LEAVER, EXITED)
        this.supportEnded[m * SUPPORT_END_REASONS.length + supportIndex[e.reason]]++
        break
      case "InterventionStarted":
      case "InterventionEnded":
      case "WaitingListJoined":
      case "WaitingListLeft":
      case "PlacementOverflowed":
        // No change of level or placement: services and interventions have their own fold.
        this.serviceFold.evolve(e)
        break
      default: {
        const never: never = e
        throw new Error(`unknown event ${JSON.stringify(never)}`)
      }
    }
    const lines = this.costs.oneOffByTag[e._tag]
    if (lines.length > 0 && m < this.months) {
      const fy = this.monthFy[m]
      for (const i of lines) {
        const line = this.costs.oneOff[i]
        if (line.matches(e)) {
          this.oneOffAmount[m * this.nOneOff + i] += line.amountByFy[fy]
          this.oneOffCount[m * this.nOneOff + i]++
        }
      }
    }
  }

  /** Marks the end of the opening caseload: the stock at that moment is the opening stock. */
  private open(): void {
    this.opened = true
    for (let c = 0; c < CELL_COUNT; c++) this.openingStock[c] = this.count[c]
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
      leftCare: this.leftCare,
      closed: this.closed,
      supportEnded: this.supportEnded,
      placementChanges: this.placementChanges,
      oneOffAmount: this.oneOffAmount,
      oneOffCount: this.oneOffCount,
      services: this.serviceFold.finish()
    }
  }
}
