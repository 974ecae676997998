/**
 * A service's waiting list: first come first served within each priority lane, lowest lane first.
 *
 * Children leave a list in other ways too (they step up, turn 18, their case closes); rather than search
 * the list, each entry carries the ticket the child was given on joining, and an entry whose ticket no
 * longer matches the child's is skipped when it reaches the front.
 */
export class WaitingList {
  private readonly child: Array<Array<number>>
  private readonly ticket: Array<Array<number>>
  private readonly head: Array<number>

  constructor(lanes: number) {
    this.child = Array.from({ length: lanes }, () => [])
    this.ticket = Array.from({ length: lanes }, () => [])
    this.head = new Array<number>(lanes).fill(0)
  }

  push(lane: number, child: number, ticket: number): void {
    this.child[lane].push(child)
    this.ticket[lane].push(ticket)
  }

  /** Takes the first entry still valid (`valid(child, ticket)`), or returns -1 when there is none. */
  pop(valid: (child: number, ticket: number) => boolean): number {
    for (let lane = 0; lane < this.child.length; lane++) {
      const cs = this.child[lane]
      const ts = this.ticket[lane]
      let h = this.head[lane]
      while (h < cs.length) {
        const c = cs[h]
        const k = ts[h]
        h++
        if (valid(c, k)) {
          this.compact(lane, h)
          return c
        }
      }
      this.compact(lane, h)
    }
    return -1
  }

  /** The first entry still valid, left on the list (entries no longer valid before it are dropped); -1: none. */
  peek(valid: (child: number, ticket: number) => boolean): number {
    for (let lane = 0; lane < this.child.length; lane++) {
      const cs = this.child[lane]
      const ts = this.ticket[lane]
      let h = this.head[lane]
      while (h < cs.length && !valid(cs[h], ts[h])) h++
      this.compact(lane, h)
      if (h < cs.length) return cs[h]
    }
    return -1
  }

  /** Every child still validly waiting, in order (used when a service closes). */
  drain(valid: (child: number, ticket: number) => boolean): Array<number> {
    const out: Array<number> = []
    for (;;) {
      const c = this.pop(valid)
      if (c < 0) return out
      out.push(c)
    }
  }

  private compact(lane: number, h: number): void {
    // Drop the consumed front once it is a large share of the lane, so memory stays in proportion to the
    // children actually waiting.
    if (h > 1024 && h * 2 > this.child[lane].length) {
      this.child[lane] = this.child[lane].slice(h)
      this.ticket[lane] = this.ticket[lane].slice(h)
      this.head[lane] = 0
    } else this.head[lane] = h
  }
}
