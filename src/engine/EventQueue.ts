/**
 * The future event list: scheduled actions, taken in (time, priority, sequence) order.
 *
 * Ties at one instant are broken first by the priority class (lower first; see `Priority` in
 * `Actions.ts`), then by the sequence number stamped when the action was scheduled (first scheduled,
 * first served). Times are never nudged to break ties.
 *
 * A calendar of days in front of a binary heap: an action due on a later day than the one being taken is
 * only put on that day's list (a constant-time append); when the run reaches a day, its list goes into the
 * heap, which so only ever holds one day's actions (a few thousand in a national run, where the calendar
 * holds hundreds of thousands). The order is exactly the heap's: every action of an earlier day comes
 * before every action of a later one, and within a day the heap orders by (time, order).
 *
 * An action is an entry of 32 bytes: its time, its order (priority x 2^44 + sequence, exact in a double while
 * there are fewer than 2^44 pushes and 2^8 classes), its kind and child packed in one 32-bit word (child x 16
 * + kind: a kind below 16, a child from -1 below 2^27) and its epoch. A day's list is a chain of blocks of
 * entries, each block filled one entry after the other: putting a day into the heap reads its blocks in order
 * (a national run's half a million pending actions are spread over megabytes, and a list that linked one
 * entry to the next cost a dependent cache miss an action). The day's actions are copied into entries of
 * their own, few and reused first-freed first, so the heap can be dense times and entry numbers (sifting
 * moves a double and an int a level and reads an order only on a tie) while what it reads of an entry is
 * in cache. Blocks and entries are reused: scheduling allocates nothing once the buffers have grown.
 *
 * Actions due at or after the queue's horizon (the end of the run) are not kept: they would never be
 * taken. Without a horizon there is no calendar, and every action goes straight into the heap.
 *
 * One action can be kept beside the calendar and the heap (`pushAside`): an action of which at most one
 * is ever pending, such as the next referral. It is stamped and ordered like any other, so the order of
 * the actions taken is the same as if it were in the heap.
 */
const ORDER_SCALE = 17_592_186_044_416 // 2^44
/** An entry's doubles (32 bytes: time, order) and where its ints are (after its two doubles). */
const ENTRY_DOUBLES = 4
const ENTRY_INTS = 8
const PACKED = 4
const EPOCH = 5
/** Entries in a block of a day's list. */
const BLOCK = 16

/** The largest child number (exclusive) an action can carry. */
export const MAX_CHILDREN = 1 << 27

export class EventQueue {
  // The current day's actions: entry e is doubles 4e (time) and 4e + 1 (order) of `ef`, ints 8e + 4 (packed
  // kind and child) and 8e + 5 (epoch) of `ei`, the same bytes; the entries given back, to take again.
  private ef: Float64Array
  private ei: Int32Array
  private entries: number
  private freeEntries: Int32Array
  private freeEntryCount = 0
  private usedEntries = 0
  // The heap of the current day's actions: their times and entries (its size is the number of entries taken).
  private heapTime: Float64Array
  private heapEntry: Int32Array
  private n = 0
  // The calendar's blocks: block b holds entries BLOCK b .. BLOCK (b + 1) - 1 of `bf` / `bi` (laid out as the
  // day's), `fill[b]` of them used, and `nextBlock[b]` the next block of its day's list (-1: the last).
  private bf: Float64Array
  private bi: Int32Array
  private fill: Int32Array
  private nextBlock: Int32Array
  private blocks: number
  private freeBlocks: Int32Array
  private freeCount = 0
  private usedBlocks = 0
  // The calendar: the block being filled of each day's list (-1: none), the day the heap holds, actions listed.
  private readonly head: Int32Array
  private day = 0
  private listed = 0
  private seq = 0
  /** The action kept aside: its time (Infinity: none), order, packed kind and child, epoch. */
  private asideTime = Infinity
  private asideOrder = NaN
  private asidePacked = 0
  private asideEpoch = 0

  constructor(
    capacity = 1024,
    private readonly horizon = Infinity
  ) {
    const c = Math.max(1, capacity)
    this.entries = c
    this.ef = new Float64Array(c * ENTRY_DOUBLES)
    this.ei = new Int32Array(this.ef.buffer)
    this.freeEntries = new Int32Array(c)
    this.heapTime = new Float64Array(c)
    this.heapEntry = new Int32Array(c)
    this.blocks = Math.max(1, Math.ceil(c / BLOCK))
    this.bf = new Float64Array(this.blocks * BLOCK * ENTRY_DOUBLES)
    this.bi = new Int32Array(this.bf.buffer)
    this.fill = new Int32Array(this.blocks)
    this.nextBlock = new Int32Array(this.blocks)
    this.freeBlocks = new Int32Array(this.blocks)
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
    const order = priority * ORDER_SCALE + this.seq++
    const packed = child * 16 + kind
    const d = this.head.length > 1 && time > 0 ? Math.floor(time) : 0
    if (d <= this.day) {
      this.heapPush(time, order, packed, epoch)
      return
    }
    let b = this.head[d]
    if (b < 0 || this.fill[b] === BLOCK) b = this.newBlock(d, b)
    const e = b * BLOCK + this.fill[b]++
    this.bf[e * ENTRY_DOUBLES] = time
    this.bf[e * ENTRY_DOUBLES + 1] = order
    this.bi[e * ENTRY_INTS + PACKED] = packed
    this.bi[e * ENTRY_INTS + EPOCH] = epoch
    this.listed++
  }

  /** A new block at the front of day d's list, whose block being filled was `before` (-1: none). */
  private newBlock(d: number, before: number): number {
    if (this.freeCount === 0 && this.usedBlocks === this.blocks) this.growBlocks()
    const b = this.freeCount > 0 ? this.freeBlocks[--this.freeCount] : this.usedBlocks++
    this.fill[b] = 0
    this.nextBlock[b] = before
    this.head[d] = b
    return b
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

  // The fields of the action just popped (NaN: a double from the start, the time's kind, so that the queue
  // keeps one shape when the first fractional time is popped).
  poppedTime = NaN
  poppedKind = 0
  poppedChild = 0
  poppedEpoch = 0

  /**
   * Calls `visit` with the kind, child and epoch of each action pending in the heap (the current day's, in no
   * particular order): a look at what a run is busy with, for a message. Not for the hot path.
   */
  forEachToday(visit: (kind: number, child: number, epoch: number) => void): void {
    for (let i = 0; i < this.n; i++) {
      const e = this.heapEntry[i] * ENTRY_INTS
      const packed = this.ei[e + PACKED]
      visit(packed & 15, packed >> 4, this.ei[e + EPOCH])
    }
  }

  /** Removes the next action, leaving its fields in `popped*`. Returns false when empty. */
  pop(): boolean {
    if (this.n === 0 && this.listed > 0) this.nextDay()
    const ht = this.heapTime
    const hs = this.heapEntry
    const f = this.ef
    const aside = this.asideTime
    if (
      aside < Infinity &&
      (this.n === 0 || aside < ht[0] || (aside === ht[0] && this.asideOrder < f[hs[0] * ENTRY_DOUBLES + 1]))
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
    const packed = this.ei[top * ENTRY_INTS + PACKED]
    this.poppedKind = packed & 15
    this.poppedChild = packed >> 4
    this.poppedEpoch = this.ei[top * ENTRY_INTS + EPOCH]
    this.freeEntries[this.freeEntryCount++] = top
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
        if (rt < mt || (rt === mt && f[hs[r] * ENTRY_DOUBLES + 1] < f[hs[m] * ENTRY_DOUBLES + 1])) m = r
      }
      ht[k] = ht[m]
      hs[k] = hs[m]
      k = m
    }
    this.siftUp(k, ht[last], hs[last])
    return true
  }

  /** Puts an action into the heap, in an entry of its own. */
  private heapPush(time: number, order: number, packed: number, epoch: number): void {
    if (this.freeEntryCount === 0 && this.usedEntries === this.entries) this.growEntries()
    const e = this.freeEntryCount > 0 ? this.freeEntries[--this.freeEntryCount] : this.usedEntries++
    this.ef[e * ENTRY_DOUBLES] = time
    this.ef[e * ENTRY_DOUBLES + 1] = order
    this.ei[e * ENTRY_INTS + PACKED] = packed
    this.ei[e * ENTRY_INTS + EPOCH] = epoch
    this.siftUp(this.n++, time, e)
  }

  /** Puts entry e (time t) at place k of the heap or above it. */
  private siftUp(k: number, t: number, e: number): void {
    const ht = this.heapTime
    const hs = this.heapEntry
    const f = this.ef
    const o = f[e * ENTRY_DOUBLES + 1]
    while (k > 0) {
      const p = (k - 1) >> 1
      const pt = ht[p]
      if (pt < t || (pt === t && f[hs[p] * ENTRY_DOUBLES + 1] < o)) break
      ht[k] = pt
      hs[k] = hs[p]
      k = p
    }
    ht[k] = t
    hs[k] = e
  }

  /** The heap is empty: the next day with actions listed is put into it, and its blocks given back. */
  private nextDay(): void {
    const head = this.head
    let d = this.day + 1
    while (head[d] < 0) d++
    this.day = d
    const f = this.bf
    const i = this.bi
    for (let b = head[d]; b >= 0; b = this.nextBlock[b]) {
      const end = b * BLOCK + this.fill[b]
      for (let e = b * BLOCK; e < end; e++)
        this.heapPush(
          f[e * ENTRY_DOUBLES],
          f[e * ENTRY_DOUBLES + 1],
          i[e * ENTRY_INTS + PACKED],
          i[e * ENTRY_INTS + EPOCH]
        )
      this.listed -= this.fill[b]
      this.freeBlocks[this.freeCount++] = b
    }
    head[d] = -1
    if (this.onDay !== null) this.onDay()
  }

  /** Called when a day's actions have gone into the heap (see `childrenToday`). */
  onDay: (() => void) | null = null

  /**
   * The children of the actions in the heap (today's; -1 for an action of no child), in no particular order,
   * in the first `size` places of the array returned (the queue's own, valid until the next call).
   */
  childrenToday(): { readonly children: Int32Array; readonly size: number } {
    if (this.today.length < this.n) this.today = new Int32Array(this.heapTime.length)
    const today = this.today
    const ei = this.ei
    const hs = this.heapEntry
    for (let k = 0; k < this.n; k++) today[k] = ei[hs[k] * ENTRY_INTS + PACKED] >> 4
    this.todayView.size = this.n
    this.todayView.children = today
    return this.todayView
  }
  private today = new Int32Array(0)
  private readonly todayView = { children: new Int32Array(0), size: 0 }

  private growBlocks(): void {
    const c = this.blocks * 2
    this.bf = grown(this.bf, c * BLOCK * ENTRY_DOUBLES)
    this.bi = new Int32Array(this.bf.buffer)
    this.fill = grown(this.fill, c)
    this.nextBlock = grown(this.nextBlock, c)
    this.freeBlocks = grown(this.freeBlocks, c)
    this.blocks = c
  }

  /** The day's entries and the heap grow together (the heap holds every entry taken). */
  private growEntries(): void {
    const c = this.entries * 2
    this.ef = grown(this.ef, c * ENTRY_DOUBLES)
    this.ei = new Int32Array(this.ef.buffer)
    this.freeEntries = grown(this.freeEntries, c)
    this.heapTime = grown(this.heapTime, c)
    this.heapEntry = grown(this.heapEntry, c)
    this.entries = c
  }
}

/** `a`'s values at the start of a new array of `n` of the same kind (an array of the queue grown). */
function grown(a: Int32Array, n: number): Int32Array
function grown(a: Float64Array, n: number): Float64Array
function grown(a: Int32Array | Float64Array, n: number): Int32Array | Float64Array {
  const b = a instanceof Float64Array ? new Float64Array(n) : new Int32Array(n)
  b.set(a)
  return b
}
