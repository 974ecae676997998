/**
 * The future event list: a binary min-heap of scheduled actions ordered by (time, priority, sequence).
 *
 * Ties at one instant are broken first by the priority class (lower first; see `Priority` in
 * `Actions.ts`), then by the sequence number stamped when the action was scheduled (first scheduled,
 * first served). Times are never nudged to break ties.
 *
 * Each entry is 24 bytes of one buffer: its time and its order (priority x 2^44 + sequence, exact in a
 * double while there are fewer than 2^44 pushes and 2^8 classes) as two doubles, then the action's kind
 * and child packed in one 32-bit word (child x 8 + kind: a kind below 8, a child from -1 below 2^28) and
 * its epoch in another. An entry's fields sit together, so moving an entry touches one place in memory,
 * and scheduling allocates nothing once the buffer has grown to the run's size.
 *
 * Actions due at or after the queue's horizon (the end of the run) are not kept: they would never be
 * taken, and leaving them out keeps the heap small. The order of the others is unchanged.
 */
const STRIDE = 3 // doubles per entry; ints per entry: 6
const ORDER_SCALE = 17_592_186_044_416 // 2^44

/** The largest child number (exclusive) an action can carry. */
export const MAX_CHILDREN = 1 << 28

export class EventQueue {
  private f: Float64Array
  private i: Int32Array
  private capacity: number
  private n = 0
  private seq = 0

  constructor(
    capacity = 1024,
    private readonly horizon = Infinity
  ) {
    this.capacity = Math.max(1, capacity)
    this.f = new Float64Array(this.capacity * STRIDE)
    this.i = new Int32Array(this.f.buffer)
  }

  get size(): number {
    return this.n
  }

  /**
   * Schedules an action of `kind` (0-7) for `child` (-1 to 2^28 - 1) in class `priority`; `epoch` (a
   * 32-bit integer, given back as such) lets the engine discard actions made stale by a later change.
   */
  push(time: number, priority: number, kind: number, child: number, epoch: number): void {
    if (!(time < this.horizon)) return
    if (this.n === this.capacity) this.grow()
    const order = priority * ORDER_SCALE + this.seq++
    const f = this.f
    const ints = this.i
    // sift up
    let k = this.n++
    while (k > 0) {
      const p = (k - 1) >> 1
      const pt = f[p * STRIDE]
      if (pt < time || (pt === time && f[p * STRIDE + 1] < order)) break
      f[k * STRIDE] = pt
      f[k * STRIDE + 1] = f[p * STRIDE + 1]
      ints[k * 6 + 4] = ints[p * 6 + 4]
      ints[k * 6 + 5] = ints[p * 6 + 5]
      k = p
    }
    f[k * STRIDE] = time
    f[k * STRIDE + 1] = order
    ints[k * 6 + 4] = child * 8 + kind
    ints[k * 6 + 5] = epoch | 0
  }

  /** Time of the next action (Infinity when empty). */
  peekTime(): number {
    return this.n > 0 ? this.f[0] : Infinity
  }

  // The fields of the action just popped.
  poppedTime = 0
  poppedKind = 0
  poppedChild = 0
  poppedEpoch = 0

  /** Removes the next action, leaving its fields in `popped*`. Returns false when empty. */
  pop(): boolean {
    if (this.n === 0) return false
    const f = this.f
    const ints = this.i
    this.poppedTime = f[0]
    const packed = ints[4]
    this.poppedKind = packed & 7
    this.poppedChild = packed >> 3
    this.poppedEpoch = ints[5]
    const last = --this.n
    if (last === 0) return true
    const t = f[last * STRIDE]
    const o = f[last * STRIDE + 1]
    const pk = ints[last * 6 + 4]
    const e = ints[last * 6 + 5]
    // sift down
    let k = 0
    for (;;) {
      let m = 2 * k + 1
      if (m >= last) break
      const r = m + 1
      let mt = f[m * STRIDE]
      if (r < last) {
        const rt = f[r * STRIDE]
        if (rt < mt || (rt === mt && f[r * STRIDE + 1] < f[m * STRIDE + 1])) {
          m = r
          mt = rt
        }
      }
      if (t < mt || (t === mt && o < f[m * STRIDE + 1])) break
      f[k * STRIDE] = mt
      f[k * STRIDE + 1] = f[m * STRIDE + 1]
      ints[k * 6 + 4] = ints[m * 6 + 4]
      ints[k * 6 + 5] = ints[m * 6 + 5]
      k = m
    }
    f[k * STRIDE] = t
    f[k * STRIDE + 1] = o
    ints[k * 6 + 4] = pk
    ints[k * 6 + 5] = e
    return true
  }

  private grow(): void {
    this.capacity *= 2
    const f = new Float64Array(this.capacity * STRIDE)
    f.set(this.f)
    this.f = f
    this.i = new Int32Array(f.buffer)
  }
}
