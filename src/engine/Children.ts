/**
 * The children of a run: each child's state, kept by child number in typed arrays that grow as children
 * are referred, and the ages and birthdays the engine asks for on every move.
 *
 * What every child has sits together, 40 bytes a child in one buffer, so that an action on a child reads
 * one or two cache lines however many children the run has (a national run has millions):
 *   doubles  0: dueAt (the time of the pending level action)
 *   ints     2: the child's care slot + 1 (0: none, see below), 4-7: the child's own random stream (SFC32
 *            state), 8: epoch, 9: the rest, packed: placement + 1 (0 outside care; bits 0-3), state (bits
 *            4-6), birth day (bits 7-15), birth year (bits 16-25)
 *   bytes    12: child protection plans so far, 13: care episodes so far (with histories, at most 255),
 *            14: 1 for an unaccompanied asylum-seeking child, 15: 1 for a care leaver staying put
 * What only a care episode has (when it began, the legal status, when the status next changes, when the
 * pending placement move is due) is kept in a care slot of 32 bytes, taken when the episode begins and given
 * back when it ends: a national run has a hundred thousand children in care at a time among millions.
 * What only services and interventions use (places held, waiting lists, an intervention's effect) is kept
 * in arrays of its own, made only when the model has services or interventions; so are sibling groups
 * (`FamilyState`), made only when the model has them.
 *
 * Birthdays are worked out from a table of 1 March dates: a child's birth is kept as the year of the
 * "March year" (1 March to the end of February) they were born in and the day within it, so the k-th
 * birthday is the 1 March of k years later plus that day. A 29 February birthday (day 365 of a leap March
 * year) falls on 1 March in other years, as `addYears` in src/domain/Calendar.ts has it.
 */
import { daysFromCivil, type Calendar } from "../domain/Calendar.js"
import { atAge, type ByAge } from "../model/Tables.js"
import { sfc32Next, sfc32Seed, type Uniform } from "../random/Streams.js"
import { MAX_CHILDREN } from "./EventQueue.js"

const STRIDE_BYTES = 40
const D = STRIDE_BYTES / 8 // doubles a child
const I = STRIDE_BYTES / 4 // ints a child
const DUE_AT = 0
const CARE_SLOT = 2
const RNG = 4
const EPOCH = 8
const PACKED = 9
/** The packed word: placement + 1, state, birth day, birth year. */
const CELL_BITS = 0x7f
const DAY_SHIFT = 7
const YEAR_SHIFT = 16
/** The bytes of the row (see above). */
const CP_PLANS = 12
const CARE_EPISODES = 13
const UASC = 14
const STAYING_PUT = 15
/** A care slot: doubles 0 careSince, 1 changeAt (of the legal status), 2 moveAt (the pending placement move);
 * int 6 the legal status (-1: none). */
const SLOT_DOUBLES = 4
const SINCE = 0
const CHANGE_AT = 1
const MOVE_AT = 2
const STATUS = 6

/** Years of 1 March dates kept either side of the run: ages and birthdays up to 150 years (far more than
 * any child's) can be read off the table for children born from 150 years before the start to its end. */
const YEARS_AROUND = 150

/** What services and interventions keep per child (see `Children.services`). */
export class ServiceState {
  /** The intervention whose effect the child is under (until `treatedUntil`), or -1. */
  treated: Int16Array
  treatedUntil: Float64Array
  /** The intervention service whose place the child holds, or -1; its end action's epoch. */
  holding: Int16Array
  holdEpoch: Int32Array
  /** The level service the child waits for, or -1; the ticket of their place in its queue. */
  waitingFor: Int16Array
  ticket: Int32Array
  /** The intervention service the child waits for, or -1; the ticket of their place in its queue (apart
   * from `ticket`: a child can be on one list of each kind at once, and leaving one must not void the other). */
  waitingForIntervention: Int16Array
  ivTicket: Int32Array
  /** Whether the child's interventions stream has been seeded. */
  ivSeeded: Uint8Array
  /** When the child's current episode at a help level began (quotas' time at the level); in care, see
   * `Children.careSince`. */
  levelSince: Float64Array
  /** When the child's pending placement move is due (Infinity: none), so a review that shortens a stay can
   * schedule it again. */
  moveAt: Float64Array

  constructor(capacity: number) {
    this.treated = new Int16Array(capacity).fill(-1)
    this.treatedUntil = new Float64Array(capacity)
    this.holding = new Int16Array(capacity).fill(-1)
    this.holdEpoch = new Int32Array(capacity)
    this.waitingFor = new Int16Array(capacity).fill(-1)
    this.ticket = new Int32Array(capacity)
    this.waitingForIntervention = new Int16Array(capacity).fill(-1)
    this.ivTicket = new Int32Array(capacity)
    this.ivSeeded = new Uint8Array(capacity)
    this.levelSince = new Float64Array(capacity)
    this.moveAt = new Float64Array(capacity).fill(Infinity)
  }

  grow(capacity: number): void {
    const grown = new ServiceState(capacity)
    grown.treated.set(this.treated)
    this.treated = grown.treated
    grown.treatedUntil.set(this.treatedUntil)
    this.treatedUntil = grown.treatedUntil
    grown.holding.set(this.holding)
    this.holding = grown.holding
    grown.holdEpoch.set(this.holdEpoch)
    this.holdEpoch = grown.holdEpoch
    grown.waitingFor.set(this.waitingFor)
    this.waitingFor = grown.waitingFor
    grown.ticket.set(this.ticket)
    this.ticket = grown.ticket
    grown.waitingForIntervention.set(this.waitingForIntervention)
    this.waitingForIntervention = grown.waitingForIntervention
    grown.ivTicket.set(this.ivTicket)
    this.ivTicket = grown.ivTicket
    grown.ivSeeded.set(this.ivSeeded)
    this.ivSeeded = grown.ivSeeded
    grown.levelSince.set(this.levelSince)
    this.levelSince = grown.levelSince
    grown.moveAt.set(this.moveAt)
    this.moveAt = grown.moveAt
  }
}

/**
 * What sibling groups keep per child (see `Children.families` and src/engine/Families.ts), by child number:
 * each child's family (its eldest), and what each eldest last decided, so that a sibling deciding at the
 * same instant from the same state can follow. Times are -1 (before any time of the run) when unset.
 */
export class FamilyState {
  /** The child's family: the child number of its eldest (the child's own number for an eldest, or a child
   * on their own). */
  family: Int32Array
  /** An eldest's last decision: when, from which state, and the uniform it was chosen with. */
  decidedAt: Float64Array
  decidedFrom: Int8Array
  decidedU: Float64Array
  /** An eldest's last stay drawn (before any intervention's effect): when, at which level, and its length. */
  stayAt: Float64Array
  stayLevel: Int8Array
  stay: Float64Array
  /** An eldest's last entry into care: when, and the uniform its placement was chosen with. */
  placedAt: Float64Array
  placedU: Float64Array
  /** An eldest's last closure: when, the uniform of whether the case comes back, and the delay (-1: none). */
  closedAt: Float64Array
  backU: Float64Array
  backAfter: Float64Array
  /** The number of the delay's law (see `Families.reReferral`). */
  backLaw: Int32Array
  /** When a sibling last followed their eldest's decision. */
  followedAt: Float64Array

  constructor(capacity: number) {
    this.family = new Int32Array(capacity)
    this.decidedAt = new Float64Array(capacity).fill(-1)
    this.decidedFrom = new Int8Array(capacity).fill(-1)
    this.decidedU = new Float64Array(capacity)
    this.stayAt = new Float64Array(capacity).fill(-1)
    this.stayLevel = new Int8Array(capacity).fill(-1)
    this.stay = new Float64Array(capacity)
    this.placedAt = new Float64Array(capacity).fill(-1)
    this.placedU = new Float64Array(capacity)
    this.closedAt = new Float64Array(capacity).fill(-1)
    this.backU = new Float64Array(capacity)
    this.backAfter = new Float64Array(capacity)
    this.backLaw = new Int32Array(capacity)
    this.followedAt = new Float64Array(capacity).fill(-1)
  }

  grow(capacity: number): void {
    const grown = new FamilyState(capacity)
    grown.family.set(this.family)
    grown.decidedAt.set(this.decidedAt)
    grown.decidedFrom.set(this.decidedFrom)
    grown.decidedU.set(this.decidedU)
    grown.stayAt.set(this.stayAt)
    grown.stayLevel.set(this.stayLevel)
    grown.stay.set(this.stay)
    grown.placedAt.set(this.placedAt)
    grown.placedU.set(this.placedU)
    grown.closedAt.set(this.closedAt)
    grown.backU.set(this.backU)
    grown.backAfter.set(this.backAfter)
    grown.backLaw.set(this.backLaw)
    grown.followedAt.set(this.followedAt)
    this.family = grown.family
    this.decidedAt = grown.decidedAt
    this.decidedFrom = grown.decidedFrom
    this.decidedU = grown.decidedU
    this.stayAt = grown.stayAt
    this.stayLevel = grown.stayLevel
    this.stay = grown.stay
    this.placedAt = grown.placedAt
    this.placedU = grown.placedU
    this.closedAt = grown.closedAt
    this.backU = grown.backU
    this.backAfter = grown.backAfter
    this.backLaw = grown.backLaw
    this.followedAt = grown.followedAt
  }
}

export class Children {
  count = 0
  private capacity: number
  private f: Float64Array
  private i: Int32Array
  private b: Uint8Array
  /** The care slots (see above), as doubles and ints of one buffer; the slots given back, to take again. */
  private slotF = new Float64Array(256 * SLOT_DOUBLES)
  private slotI = new Int32Array(this.slotF.buffer)
  private slotFree = new Int32Array(256)
  private freeSlots = 0
  private slotsUsed = 0
  /** Services' and interventions' per-child state; null when the model has neither. */
  readonly services: ServiceState | null
  /** Sibling groups; null when the model has none. */
  readonly families: FamilyState | null
  /** Simulation day of 1 March of each year from `firstYear`. */
  private readonly march1: Int32Array
  private readonly firstYear: number
  /** The child whose stream `u` draws from (set by `rng`). */
  private current = 0
  /** Uniform draws from the current child's stream (one closure for the whole run). */
  private readonly u: Uniform = () => sfc32Next(this.i, this.current * I + RNG)

  constructor(
    calendar: Calendar,
    private readonly streamKey: Int32Array,
    capacity: number,
    withServices: boolean,
    withFamilies = false
  ) {
    this.capacity = Math.max(16, Math.ceil(capacity))
    this.f = new Float64Array(this.capacity * D)
    this.i = new Int32Array(this.f.buffer)
    this.b = new Uint8Array(this.f.buffer)
    this.services = withServices ? new ServiceState(this.capacity) : null
    this.families = withFamilies ? new FamilyState(this.capacity) : null
    const startYear = Number(calendar.startDate.slice(0, 4))
    this.firstYear = startYear - YEARS_AROUND
    const years = Math.ceil(calendar.horizon / 365) + 2 * YEARS_AROUND + 2
    // A birth year is kept in 10 bits.
    if (years > 1024) throw new Error(`a run of more than ${1024 - 2 * YEARS_AROUND - 2} years`)
    this.march1 = Int32Array.from(
      { length: years },
      (_, k) => daysFromCivil(this.firstYear + k, 3, 1) - calendar.startEpochDay
    )
  }

  /** A new child, with their random stream seeded (their birth is set, once drawn, by `setBirth`). */
  add(): number {
    if (this.count === this.capacity) this.grow()
    const c = this.count++
    this.i[c * I + PACKED] = 0
    if (this.families !== null) this.families.family[c] = c
    sfc32Seed(this.i, c * I + RNG, this.streamKey, c)
    return c
  }

  /** Child c was born on simulation day `dob` (a whole number). */
  setBirth(c: number, dob: number): void {
    const m = this.march1
    // The March year of the birth: estimated, then corrected against the table.
    let y = Math.floor((dob - m[0]) / 365.2425)
    while (y + 1 < m.length && m[y + 1] <= dob) y++
    while (y > 0 && m[y] > dob) y--
    if (y <= 0 || y + YEARS_AROUND >= m.length) throw new Error(`a date of birth out of range: day ${dob}`)
    const k = c * I + PACKED
    this.i[k] = (this.i[k] & CELL_BITS) | ((dob - m[y]) << DAY_SHIFT) | (y << YEAR_SHIFT)
  }

  private grow(): void {
    if (this.capacity >= MAX_CHILDREN) throw new Error(`a run of more than ${MAX_CHILDREN} children`)
    this.capacity = Math.min(MAX_CHILDREN, Math.ceil(this.capacity * 1.5))
    const f = new Float64Array(this.capacity * D)
    f.set(this.f)
    this.f = f
    this.i = new Int32Array(f.buffer)
    this.b = new Uint8Array(f.buffer)
    this.services?.grow(this.capacity)
    this.families?.grow(this.capacity)
  }

  /** Child c's stream, made current. */
  rng(c: number): Uniform {
    this.current = c
    return this.u
  }

  state(c: number): number {
    return (this.i[c * I + PACKED] >> 4) & 7
  }
  /** Placement index in care, -1 outside. */
  placement(c: number): number {
    return (this.i[c * I + PACKED] & 15) - 1
  }
  setCell(c: number, state: number, placement: number): void {
    const k = c * I + PACKED
    this.i[k] = (this.i[k] & ~CELL_BITS) | (state << 4) | (placement + 1)
  }

  epoch(c: number): number {
    return this.i[c * I + EPOCH]
  }
  /**
   * Reads a word of each listed child's row, all in one loop: the rows of a day's children come into the
   * cache together (a national run's rows are a hundred megabytes, and each first read of one is a miss
   * that the actions would otherwise wait for one at a time). Returns a sum, that the reads are kept.
   */
  touch(children: Int32Array, size: number): number {
    const i = this.i
    const n = this.count
    let sum = 0
    for (let k = 0; k < size; k++) {
      const c = children[k]
      if (c >= 0 && c < n) sum = (sum + i[c * I + EPOCH]) | 0
    }
    return sum
  }
  /** A new epoch: actions scheduled before are stale. Returns it. */
  bumpEpoch(c: number): number {
    return (this.i[c * I + EPOCH] = (this.i[c * I + EPOCH] + 1) | 0)
  }

  dueAt(c: number): number {
    return this.f[c * D + DUE_AT]
  }
  setDueAt(c: number, t: number): void {
    this.f[c * D + DUE_AT] = t
  }
  /** The child's care slot (taken now if they have none): a care episode begins, or its status is set. */
  private slot(c: number): number {
    const k = this.i[c * I + CARE_SLOT] - 1
    if (k >= 0) return k
    let s: number
    if (this.freeSlots > 0) s = this.slotFree[--this.freeSlots]
    else {
      s = this.slotsUsed++
      if (s * SLOT_DOUBLES === this.slotF.length) {
        const f = new Float64Array(this.slotF.length * 2)
        f.set(this.slotF)
        this.slotF = f
        this.slotI = new Int32Array(f.buffer)
        const free = new Int32Array(this.slotFree.length * 2)
        free.set(this.slotFree)
        this.slotFree = free
      }
    }
    const f = this.slotF
    f[s * SLOT_DOUBLES + SINCE] = 0
    f[s * SLOT_DOUBLES + CHANGE_AT] = Infinity
    f[s * SLOT_DOUBLES + MOVE_AT] = Infinity
    this.slotI[s * 2 * SLOT_DOUBLES + STATUS] = -1
    this.i[c * I + CARE_SLOT] = s + 1
    return s
  }

  /** The care episode is over: its slot is given back (its status, change and move with it). */
  leftCare(c: number): void {
    const k = this.i[c * I + CARE_SLOT] - 1
    if (k < 0) return
    this.i[c * I + CARE_SLOT] = 0
    this.slotFree[this.freeSlots++] = k
  }

  /** When the child's care episode began (0 outside one). */
  careSince(c: number): number {
    const k = this.i[c * I + CARE_SLOT] - 1
    return k < 0 ? 0 : this.slotF[k * SLOT_DOUBLES + SINCE]
  }
  setCareSince(c: number, t: number): void {
    // The slot first: taking one can grow the buffer.
    const k = this.slot(c)
    this.slotF[k * SLOT_DOUBLES + SINCE] = t
  }

  /** The looked-after child's legal status (index in LEGAL_STATUSES), -1 outside care or without one. */
  legalStatus(c: number): number {
    const k = this.i[c * I + CARE_SLOT] - 1
    return k < 0 ? -1 : this.slotI[k * 2 * SLOT_DOUBLES + STATUS]
  }
  setLegalStatus(c: number, status: number): void {
    const k = this.slot(c)
    this.slotI[k * 2 * SLOT_DOUBLES + STATUS] = status
  }
  /** When the legal status next changes (Infinity: not in this episode). */
  changeAt(c: number): number {
    const k = this.i[c * I + CARE_SLOT] - 1
    return k < 0 ? Infinity : this.slotF[k * SLOT_DOUBLES + CHANGE_AT]
  }
  setChangeAt(c: number, t: number): void {
    // The slot first: taking one can grow the buffer.
    const k = this.slot(c)
    this.slotF[k * SLOT_DOUBLES + CHANGE_AT] = t
  }
  /** When the child's pending placement move is due (Infinity: none), so it can be scheduled again when a
   * change of legal status reschedules the child's actions. */
  moveAt(c: number): number {
    const k = this.i[c * I + CARE_SLOT] - 1
    return k < 0 ? Infinity : this.slotF[k * SLOT_DOUBLES + MOVE_AT]
  }
  setMoveAt(c: number, t: number): void {
    // The slot first: taking one can grow the buffer.
    const k = this.slot(c)
    this.slotF[k * SLOT_DOUBLES + MOVE_AT] = t
  }

  /** 1 for an unaccompanied asylum-seeking child, else 0. */
  uasc(c: number): number {
    return this.b[c * STRIDE_BYTES + UASC]
  }
  setUasc(c: number): void {
    this.b[c * STRIDE_BYTES + UASC] = 1
  }
  /** 1 for a care leaver staying put with their foster carers, else 0. */
  stayingPut(c: number): number {
    return this.b[c * STRIDE_BYTES + STAYING_PUT]
  }
  setStayingPut(c: number, v: number): void {
    this.b[c * STRIDE_BYTES + STAYING_PUT] = v
  }
  /** Child protection plans and care episodes so far (before the run and during it, at most 255), kept when
   * the model gives histories. */
  cpPlans(c: number): number {
    return this.b[c * STRIDE_BYTES + CP_PLANS]
  }
  setCpPlans(c: number, n: number): void {
    this.b[c * STRIDE_BYTES + CP_PLANS] = n
  }
  careEpisodes(c: number): number {
    return this.b[c * STRIDE_BYTES + CARE_EPISODES]
  }
  setCareEpisodes(c: number, n: number): void {
    this.b[c * STRIDE_BYTES + CARE_EPISODES] = n
  }

  /** Simulation day of the child's birth. */
  dob(c: number): number {
    const w = this.i[c * I + PACKED]
    return this.march1[w >>> YEAR_SHIFT] + ((w >> DAY_SHIFT) & 511)
  }

  /** Simulation day of the child's `years`-th birthday (as `birthday` in src/domain/Calendar.ts). */
  birthday(c: number, years: number): number {
    const w = this.i[c * I + PACKED]
    return this.march1[(w >>> YEAR_SHIFT) + years] + ((w >> DAY_SHIFT) & 511)
  }

  /** Age in whole years on day t (as `ageOn` in src/domain/Calendar.ts); 0 before birth (an unborn child
   * referred before birth is treated as under 1). */
  age(c: number, t: number): number {
    const w = this.i[c * I + PACKED]
    const y = w >>> YEAR_SHIFT
    const day = (w >> DAY_SHIFT) & 511
    const m = this.march1
    let age = Math.floor((t - (m[y] + day)) / 365.25)
    if (m[y + age + 1] + day <= t) age += 1
    else if (age > 0 && m[y + age] + day > t) age -= 1
    return age < 0 ? 0 : age
  }

  /** A table's value for child c at time t; the age is only worked out when the table has age bands. */
  valueAt<T>(table: ByAge<T>, c: number, t: number): T {
    return table.banded ? atAge(table, this.age(c, t)) : table.values[0]
  }
}
