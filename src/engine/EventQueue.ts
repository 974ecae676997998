/**
 * The future event list: a binary min-heap ordered by (time, priority, sequence).
 *
 * Ties at one instant are broken first by the priority class (lower first; see `Priority` in
 * `Simulation.ts`), then by the sequence number stamped when the event was scheduled (first scheduled,
 * first served). Times are never nudged to break ties. The heap keeps its fields in parallel typed arrays,
 * so scheduling allocates nothing once the arrays have grown to the run's size.
 */
export class EventQueue {
  private time: Float64Array
  /** priority * 2^44 + sequence: exact in a double while sequence < 2^44 and priority < 2^8. */
  private order: Float64Array
  private child: Int32Array
  private kind: Uint8Array
  private epoch: Uint32Array
  private n = 0
  private seq = 0

  constructor(capacity = 1024) {
    this.time = new Float64Array(capacity)
    this.order = new Float64Array(capacity)
    this.child = new Int32Array(capacity)
    this.kind = new Uint8Array(capacity)
    this.epoch = new Uint32Array(capacity)
  }

  get size(): number {
    return this.n
  }

  /** Schedules an action; `epoch` lets the engine discard actions made stale by a later change. */
  push(time: number, priority: number, kind: number, child: number, epoch: number): void {
    if (this.n === this.time.length) this.grow()
    const order = priority * 17_592_186_044_416 + this.seq++
    // sift up
    let i = this.n++
    while (i > 0) {
      const p = (i - 1) >> 1
      const pt = this.time[p]
      if (pt < time || (pt === time && this.order[p] < order)) break
      this.move(p, i)
      i = p
    }
    this.time[i] = time
    this.order[i] = order
    this.child[i] = child
    this.kind[i] = kind
    this.epoch[i] = epoch
  }

  /** Time of the next action (Infinity when empty). */
  peekTime(): number {
    return this.n > 0 ? this.time[0] : Infinity
  }

  // The fields of the action just popped.
  poppedTime = 0
  poppedKind = 0
  poppedChild = 0
  poppedEpoch = 0

  /** Removes the next action, leaving its fields in `popped*`. Returns false when empty. */
  pop(): boolean {
    if (this.n === 0) return false
    this.poppedTime = this.time[0]
    this.poppedKind = this.kind[0]
    this.poppedChild = this.child[0]
    this.poppedEpoch = this.epoch[0]
    const last = --this.n
    if (last === 0) return true
    const t = this.time[last]
    const o = this.order[last]
    const c = this.child[last]
    const k = this.kind[last]
    const e = this.epoch[last]
    // sift down
    let i = 0
    for (;;) {
      let m = 2 * i + 1
      if (m >= last) break
      const r = m + 1
      if (r < last && (this.time[r] < this.time[m] || (this.time[r] === this.time[m] && this.order[r] < this.order[m])))
        m = r
      if (t < this.time[m] || (t === this.time[m] && o < this.order[m])) break
      this.move(m, i)
      i = m
    }
    this.time[i] = t
    this.order[i] = o
    this.child[i] = c
    this.kind[i] = k
    this.epoch[i] = e
    return true
  }

  private move(from: number, to: number): void {
    this.time[to] = this.time[from]
    this.order[to] = this.order[from]
    this.child[to] = this.child[from]
    this.kind[to] = this.kind[from]
    this.epoch[to] = this.epoch[from]
  }

  private grow(): void {
    const cap = this.time.length * 2
    const t = new Float64Array(cap)
    t.set(this.time)
    this.time = t
    const o = new Float64Array(cap)
    o.set(this.order)
    this.order = o
    const c = new Int32Array(cap)
    c.set(this.child)
    this.child = c
    const k = new Uint8Array(cap)
    k.set(this.kind)
    this.kind = k
    const e = new Uint32Array(cap)
    e.set(this.epoch)
    this.epoch = e
  }
}
