/**
 * The future event list: scheduled actions, taken in (time, priority, sequence) order.
 *
 * Ties at one instant are broken first by the priority class (lower first; see `Priority` in
 * `Actions.ts`), then by the sequence number stamped when the action was scheduled (first scheduled,
 * first served). Times are never nudged to break ties.
 *
 * A calendar of days in front of a binary heap: an action due on a later day than the one being taken is
 * only put on that day's list (a constant-time link); when the run reaches a day, its list goes into the
 * heap, which so only ever holds one day's actions (a few thousand in a national run, where the calendar
 * holds hundreds of thousands). The order is exactly the heap's: every action of an earlier day comes
 * before every action of a later one, and within a day the heap orders by (time, order).
 *
 * Each action has a slot: its time, its order (priority x 2^44 + sequence, exact in a double while there
 * are fewer than 2^44 pushes and 2^8 classes), its kind and child packed in one 32-bit word (child x 16 +
 * kind: a kind below 16, a child from -1 below 2^27), its epoch, and the next slot on its day's list, all
 * in 32 bytes of one buffer: a national run holds half a million slots, scattered as they are reused, and
 * fields in arrays of their own cost a cache miss each when a day is put into the heap and when an action
 * is taken; in one slot they cost one. The heap is dense times and slots, so sifting moves a double and an
 * int a level and reads the order only on a tie. Slots are reused as actions are taken: scheduling
 * allocates nothing once the buffer has grown.
 *
 * Actions due at or after the queue's horizon (the end of the run) are not kept: they would never be
 * taken. Without a horizon there is no calendar, and every action goes straight into the heap.
 *
 * One action can be kept beside the calendar and the heap (`pushAside`): an action of which at most one
 * is ever pending, such as the next referral. It is stamped and ordered like any other, so the order of
 * the actions taken is the same as if it were in the heap.
 */
const ORDER_SCALE = 17_592_186_044_416 // 2^44
/** A slot's doubles and ints (32 bytes), and where its ints are (after its two doubles). */
const SLOT_DOUBLES = 4
const SLOT_INTS = 8
const PACKED = 4
const EPOCH = 5
const NEXT = 6

/** The largest child number (exclusive) an action can carry. */
export const MAX_CHILDREN = 1 << 27

export class EventQueue {
  // Slots: slot s is doubles 4s (time) and 4s + 1 (order) of `f`, ints 8s + 4 (packed kind and child),
  // 8s + 5 (epoch) and 8s + 6 (the next slot on its day's list) of `i`, the same bytes.
  private slots: number
  private f: Float64Array
  private i: Int32Array
  private free: Int32Array
  private freeCount = 0
  private used = 0
  // The heap of the current day's actions: their times and slots.
  private heapTime: Float64Array
  private heapSlot: Int32Array
  private heapCapacity: number
  private n = 0
  // The calendar: the first slot of each day's list (-1: none), the day the heap holds, actions listed.
  private readonly head: Int32Array
  private day = 0
  private listed = 0
  private seq = 0
  /** The action kept aside: its time (Infinity: none), order, packed kind and child, epoch. */
  private asideTime = Infinity
  private asideOrder = 0
  private asidePacked = 0
  private asideEpoch = 0

  constructor(
    capacity = 1024,
    private readonly horizon = Infinity
  ) {
    const c = Math.max(1, capacity)
    this.slots = c
    this.f = new Float64Array(c * SLOT_DOUBLES)
    this.i = new Int32Array(this.f.buffer)
    this.free = new Int32Array(c)
    this.heapCapacity = c
    this.heapTime = new Float64Array(c)
    this.heapSlot = new Int32Array(c)
    this.head = new Int32Array(Number.isFinite(horizon) && horizon > 0 ? Math.ceil(horizon) + 1 : 1).fill(-1)
  }

  get size(): number {
    return this.n + this.listed + (this.asideTime < Infinity ? 1 : 0)
  }

  /**
   * Schedules an action of `kind` (0-15) for `child` (-1 to 2^27 - 1) in class `priority`; `epoch` (a
   * 32-bit integer, given back as a signed one) lets the engine discard actions made stale by a later change.
   */
  push(time: number, priority: number, kind: number, child: number, epoch: number): void {
    if (!(time < this.horizon)) return
    if (this.freeCount === 0 && this.used === this.slots) this.grow()
    const s = this.freeCount > 0 ? this.free[--this.freeCount] : this.used++
    const f = this.f
    const i = this.i
    f[s * SLOT_DOUBLES] = time
    f[s * SLOT_DOUBLES + 1] = priority * ORDER_SCALE + this.seq++
    i[s * SLOT_INTS + PACKED] = child * 16 + kind
    i[s * SLOT_INTS + EPOCH] = epoch
    const d = this.head.length > 1 && time > 0 ? Math.floor(time) : 0
    if (d <= this.day) this.heapPush(s, time)
    else {
      i[s * SLOT_INTS + NEXT] = this.head[d]
      this.head[d] = s
      this.listed++
    }
  }

  /**
   * Schedules the action kept aside (as `push`), which must not be pending already: at most one action at
   * a time is kept aside.
   */
  pushAside(time: number, priority: number, kind: number, child: number, epoch: number): void {
    if (!(time < this.horizon)) return
    if (this.asideTime < Infinity) throw new Error("an action is already kept aside")
    this.asideTime = time
    this.asideOrder = priority * ORDER_SCALE + this.seq++
    this.asidePacked = child * 16 + kind
    this.asideEpoch = epoch | 0
  }

  /** Time of the next action (Infinity when empty). */
  peekTime(): number {
    if (this.n === 0 && this.listed > 0) this.nextDay()
    const t = this.n > 0 ? this.heapTime[0] : Infinity
    return t < this.asideTime ? t : this.asideTime
  }

  // The fields of the action just popped.
  poppedTime = 0
  poppedKind = 0
  poppedChild = 0
  poppedEpoch = 0

  /** Removes the next action, leaving its fields in `popped*`. Returns false when empty. */
  pop(): boolean {
    if (this.n === 0 && this.listed > 0) this.nextDay()
    const ht = this.heapTime
    const hs = this.heapSlot
    const f = this.f
    const aside = this.asideTime
    if (
      aside < Infinity &&
      (this.n === 0 || aside < ht[0] || (aside === ht[0] && this.asideOrder < f[hs[0] * SLOT_DOUBLES + 1]))
    ) {
      this.poppedTime = aside
      this.poppedKind = this.asidePacked & 15
      this.poppedChild = this.asidePacked >> 4
      this.poppedEpoch = this.asideEpoch
      this.asideTime = Infinity
      return true
    }
    if (this.n === 0) return false
    const top = hs[0]
    this.poppedTime = ht[0]
    const packed = this.i[top * SLOT_INTS + PACKED]
    this.poppedKind = packed & 15
    this.poppedChild = packed >> 4
    this.poppedEpoch = this.i[top * SLOT_INTS + EPOCH]
    this.free[this.freeCount++] = top
    const last = --this.n
    if (last === 0) return true
    // Floyd's sift-down: move the hole at the root down to a leaf along the smaller children (one
    // comparison a level), then sift the last action up from there (it is late, so it rarely climbs).
    let k = 0
    for (;;) {
      let m = 2 * k + 1
      if (m >= last) break
      const r = m + 1
      if (r < last) {
        const rt = ht[r]
        const mt = ht[m]
        if (rt < mt || (rt === mt && f[hs[r] * SLOT_DOUBLES + 1] < f[hs[m] * SLOT_DOUBLES + 1])) m = r
      }
      ht[k] = ht[m]
      hs[k] = hs[m]
      k = m
    }
    this.siftUp(k, ht[last], hs[last])
    return true
  }

  private heapPush(s: number, t: number): void {
    if (this.n === this.heapCapacity) this.growHeap()
    this.siftUp(this.n++, t, s)
  }

  /** Puts slot s (time t) at place k of the heap or above it. */
  private siftUp(k: number, t: number, s: number): void {
    const ht = this.heapTime
    const hs = this.heapSlot
    const f = this.f
    const o = f[s * SLOT_DOUBLES + 1]
    while (k > 0) {
      const p = (k - 1) >> 1
      const pt = ht[p]
      if (pt < t || (pt === t && f[hs[p] * SLOT_DOUBLES + 1] < o)) break
      ht[k] = pt
      hs[k] = hs[p]
      k = p
    }
    ht[k] = t
    hs[k] = s
  }

  /** The heap is empty: the next day with actions listed is put into it. */
  private nextDay(): void {
    const head = this.head
    let d = this.day + 1
    while (head[d] < 0) d++
    this.day = d
    const f = this.f
    const i = this.i
    for (let s = head[d]; s >= 0; s = i[s * SLOT_INTS + NEXT]) {
      this.heapPush(s, f[s * SLOT_DOUBLES])
      this.listed--
    }
    head[d] = -1
  }

  private grow(): void {
    const c = this.slots * 2
    const f = new Float64Array(c * SLOT_DOUBLES)
    f.set(this.f)
    this.f = f
    this.i = new Int32Array(f.buffer)
    const free = new Int32Array(c)
    free.set(this.free)
    this.free = free
    this.slots = c
  }

  /** The heap holds one day's actions, so it grows apart from the slots (which hold all of them). */
  private growHeap(): void {
    const c = this.heapCapacity * 2
    const t = new Float64Array(c)
    t.set(this.heapTime)
    this.heapTime = t
    const s = new Int32Array(c)
    s.set(this.heapSlot)
    this.heapSlot = s
    this.heapCapacity = c
  }
}
