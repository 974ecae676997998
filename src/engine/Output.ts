/**
 * What the engine emits: every event is written into one `EventRecord` (src/domain/Event.ts), in time
 * order, and handed to the sink, which folds it (the ledger) or turns it into a `CaseEvent` (the event
 * log, tests). One record serves the whole run, so emitting an event allocates nothing; a sink that keeps
 * an event must copy it (`eventOf`).
 *
 * One method per event type, taking the event's fields as the record's numbers: states and placements
 * as indices, reasons as indices into the type's `REASONS`, names as numbers in the model's `Names`.
 */
import { EVENT_TAG_INDEX, EventRecord, type RecordSink } from "../domain/Event.js"
import { stateIndex } from "../domain/Level.js"

const T = EVENT_TAG_INDEX
const LOOKED_AFTER = stateIndex.looked_after

export class Output {
  /** Events emitted so far. */
  count = 0
  private readonly r = new EventRecord()

  constructor(private readonly sink: RecordSink) {}

  private emit(): void {
    this.count++
    this.sink.take(this.r)
  }

  openAtStart(c: number, dob: number, level: number, placement: number, since: number): void {
    const r = this.r.reset(T.CaseOpenAtStart, 0, c)
    r.to = level
    r.toPlacement = placement
    r.dateOfBirth = dob
    r.since = since
    this.emit()
  }

  closedBeforeStart(c: number, dob: number, closedOn: number): void {
    const r = this.r.reset(T.CaseClosedBeforeStart, 0, c)
    r.to = stateIndex.universal
    r.dateOfBirth = dob
    r.since = closedOn
    this.emit()
  }

  /** A contact at the front door (about no child the run follows yet): whether it became a referral. */
  contact(t: number, referred: boolean): void {
    const r = this.r.reset(T.ContactReceived, t, -1)
    r.reason = referred ? 1 : 0
    this.emit()
  }

  referred(t: number, c: number, dob: number, reReferral: boolean): void {
    const r = this.r.reset(T.ChildReferred, t, c)
    if (!reReferral) r.to = stateIndex.universal
    r.reason = reReferral ? 1 : 0
    r.dateOfBirth = dob
    this.emit()
  }

  levelChanged(t: number, c: number, from: number, to: number, via: number): void {
    const r = this.r.reset(T.LevelChanged, t, c)
    r.from = from
    r.to = to
    r.name = via
    this.emit()
  }

  becameLookedAfter(t: number, c: number, from: number, placement: number, via: number): void {
    const r = this.r.reset(T.ChildBecameLookedAfter, t, c)
    r.from = from
    r.to = LOOKED_AFTER
    r.toPlacement = placement
    r.name = via
    this.emit()
  }

  placementChanged(t: number, c: number, from: number, to: number): void {
    const r = this.r.reset(T.PlacementChanged, t, c)
    r.from = LOOKED_AFTER
    r.fromPlacement = from
    r.to = LOOKED_AFTER
    r.toPlacement = to
    this.emit()
  }

  leftCare(t: number, c: number, placement: number, reason: number, to: number, via: number): void {
    const r = this.r.reset(T.ChildLeftCare, t, c)
    r.from = LOOKED_AFTER
    r.fromPlacement = placement
    r.to = to
    r.reason = reason
    r.name = via
    this.emit()
  }

  caseClosed(t: number, c: number, from: number, reason: number, to: number, via: number): void {
    const r = this.r.reset(T.CaseClosed, t, c)
    r.from = from
    r.to = to
    r.reason = reason
    r.name = via
    this.emit()
  }

  supportEnded(t: number, c: number, reason: number): void {
    const r = this.r.reset(T.CareLeaverSupportEnded, t, c)
    r.from = stateIndex.care_leaver
    r.to = stateIndex.exited
    r.reason = reason
    this.emit()
  }

  interventionStarted(t: number, c: number, name: number, at: number, redirectedTo: number, held: boolean): void {
    const r = this.r.reset(T.InterventionStarted, t, c)
    r.at = at
    r.redirectedTo = redirectedTo
    r.heldPlace = held ? 1 : 0
    r.name = name
    this.emit()
  }

  interventionEnded(t: number, c: number, name: number, reason: number): void {
    const r = this.r.reset(T.InterventionEnded, t, c)
    r.reason = reason
    r.name = name
    this.emit()
  }

  waitingListJoined(t: number, c: number, service: number, at: number): void {
    const r = this.r.reset(T.WaitingListJoined, t, c)
    r.at = at
    r.name = service
    this.emit()
  }

  waitingListLeft(t: number, c: number, service: number, outcome: number): void {
    const r = this.r.reset(T.WaitingListLeft, t, c)
    r.reason = outcome
    r.name = service
    this.emit()
  }

  placementOverflowed(t: number, c: number, service: number, wanted: number, placedIn: number): void {
    const r = this.r.reset(T.PlacementOverflowed, t, c)
    r.fromPlacement = wanted
    r.toPlacement = placedIn
    r.name = service
    this.emit()
  }

  legalStatusChanged(t: number, c: number, from: number, to: number): void {
    const r = this.r.reset(T.LegalStatusChanged, t, c)
    r.at = LOOKED_AFTER
    r.fromStatus = from
    r.status = to
    this.emit()
  }

  stayingPutBegan(t: number, c: number, placement: number): void {
    const r = this.r.reset(T.StayingPutBegan, t, c)
    r.at = stateIndex.care_leaver
    r.fromPlacement = placement
    this.emit()
  }

  childReviewed(t: number, c: number, name: number, at: number, outcome: number, eligible: number): void {
    const r = this.r.reset(T.ChildReviewed, t, c)
    r.at = at
    r.reason = outcome
    r.name = name
    r.since = eligible
    this.emit()
  }

  siblingReferred(t: number, c: number, family: number): void {
    const r = this.r.reset(T.SiblingReferred, t, c)
    r.family = family
    this.emit()
  }

  historyBeforeRun(t: number, c: number, cpPlans: number, careEpisodes: number, uasc: boolean): void {
    const r = this.r.reset(T.HistoryBeforeRun, t, c)
    r.previousCpPlans = cpPlans
    r.previousCareEpisodes = careEpisodes
    r.uasc = uasc ? 1 : 0
    this.emit()
  }

  stayingPutEnded(t: number, c: number, reason: number): void {
    const r = this.r.reset(T.StayingPutEnded, t, c)
    r.at = stateIndex.care_leaver
    r.reason = reason
    this.emit()
  }
}
