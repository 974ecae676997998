/**
 * The future event list: a binary min-heap of scheduled actions ordered by (time, priority, sequence).
 *
 * Ties at one instant are broken first by the priority class (lower first; see `Priority` in
 * `Actions.ts`), then by the sequence number stamped when the action was scheduled (first scheduled,
 * first served). Times are never nudged to break ties.
 *
 * The heap itself is two dense arrays, the actions' times and their slots, so sifting an action up or down
 * moves a double and an int a level and compares times only (the order, priority x 2^44 + sequence, exact
 * in a double while there are fewer than 2^44 pushes and 2^8 classes, is read only on a tie). A slot holds
 * the rest of an action: its order, its kind and child packed in one 32-bit word (child x 8 + kind: a
 * kind below 8, a child from -1 below 2^28) and its epoch; slots are reused as actions are taken.
 * Scheduling allocates nothing once the arrays have grown to the run's size.
 *
 * Actions due at or after the queue's horizon (the end of the run) are not kept: they would never be
 * taken, and leaving them out keeps the heap small. The order of the others is unchanged.
 *
 * One action can be kept beside the heap (`pushAside`): an action of which at most one is ever pending,
 * such as the next referral. It is stamped and ordered like any other, so the order of the actions taken
 * is the same as if it were in the heap; it just costs no heap operations.
 */
const ORDER_SCALE = 17_592_186_044_416 // 2^44

/** The largest child number (exclusive) an action can carry. */
export const MAX_CHILDREN = 1 << 28

export class EventQueue {
  private capacity: number
  /** The heap: times, and the slot of the action at each place. */
  private time: Float64Array
  private slotAt: Int32Array
  /** By slot: order, kind and child packed, epoch; and the slots free for reuse. */
  private order: Float64Array
  private packed: Int32Array
  private epoch: Int32Array
  private free: Int32Array
  private freeCount = 0
  private slotCount = 0
  private n = 0
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
    this.capacity = c
    this.time = new Float64Array(c)
    this.slotAt = new Int32Array(c)
    this.order = new Float64Array(c)
    this.packed = new Int32Array(c)
    this.epoch = new Int32Array(c)
    this.free = new Int32Array(c)
  }

  get size(): number {
    return this.n + (this.asideTime < Infinity ? 1 : 0)
  }

  /**
   * Schedules an action of `kind` (0-7) for `child` (-1 to 2^28 - 1) in class `priority`; `epoch` (a
   * 32-bit integer, given back as a signed one) lets the engine discard actions made stale by a later change.
   */
  push(time: number, priority: number, kind: number, child: number, epoch: number): void {
    if (!(time < this.horizon)) return
    if (this.n === this.capacity) this.grow()
    const s = this.freeCount > 0 ? this.free[--this.freeCount] : this.slotCount++
    const order = priority * ORDER_SCALE + this.seq++
    const orders = this.order
    orders[s] = order
    this.packed[s] = child * 8 + kind
    this.epoch[s] = epoch
    const ht = this.time
    const hs = this.slotAt
    // sift up
    let k = this.n++
    while (k > 0) {
      const p = (k - 1) >> 1
      const pt = ht[p]
      if (pt < time || (pt === time && orders[hs[p]] < order)) break
      ht[k] = pt
      hs[k] = hs[p]
      k = p
    }
    ht[k] = time
    hs[k] = s
  }

  /**
   * Schedules the action kept beside the heap (as `push`), which must not be pending already: at most one
   * action at a time is kept aside.
   */
  pushAside(time: number, priority: number, kind: number, child: number, epoch: number): void {
    if (!(time < this.horizon)) return
    if (this.asideTime < Infinity) throw new Error("an action is already kept aside")
    this.asideTime = time
    this.asideOrder = priority * ORDER_SCALE + this.seq++
    this.asidePacked = child * 8 + kind
    this.asideEpoch = epoch | 0
  }

  /** Time of the next action (Infinity when empty). */
  peekTime(): number {
    const t = this.n > 0 ? this.time[0] : Infinity
    return t < this.asideTime ? t : this.asideTime
  }

  // The fields of the action just popped.
  poppedTime = 0
  poppedKind = 0
  poppedChild = 0
  poppedEpoch = 0

  /** Removes the next action, leaving its fields in `popped*`. Returns false when empty. */
  pop(): boolean {
    const ht = this.time
    const hs = this.slotAt
    const orders = this.order
    const aside = this.asideTime
    if (aside < Infinity && (this.n === 0 || aside < ht[0] || (aside === ht[0] && this.asideOrder < orders[hs[0]]))) {
      this.poppedTime = aside
      this.poppedKind = this.asidePacked & 7
      this.poppedChild = this.asidePacked >> 3
      this.poppedEpoch = this.asideEpoch
      this.asideTime = Infinity
      return true
    }
    if (this.n === 0) return false
    const top = hs[0]
    this.poppedTime = ht[0]
    const packed = this.packed[top]
    this.poppedKind = packed & 7
    this.poppedChild = packed >> 3
    this.poppedEpoch = this.epoch[top]
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
        if (rt < mt || (rt === mt && orders[hs[r]] < orders[hs[m]])) m = r
      }
      ht[k] = ht[m]
      hs[k] = hs[m]
      k = m
    }
    const t = ht[last]
    const s = hs[last]
    const o = orders[s]
    while (k > 0) {
      const p = (k - 1) >> 1
      const pt = ht[p]
      if (pt < t || (pt === t && orders[hs[p]] < o)) break
      ht[k] = pt
      hs[k] = hs[p]
      k = p
    }
    ht[k] = t
    hs[k] = s
    return true
  }

  private grow(): void {
    const c = this.capacity * 2
    const f64 = (a: Float64Array) => {
      const b = new Float64Array(c)
      b.set(a)
      return b
    }
    const i32 = (a: Int32Array) => {
      const b = new Int32Array(c)
      b.set(a)
      return b
    }
    this.time = f64(this.time)
    this.slotAt = i32(this.slotAt)
    this.order = f64(this.order)
    this.packed = i32(this.packed)
    this.epoch = i32(this.epoch)
    this.free = i32(this.free)
    this.capacity = c
  }
}
