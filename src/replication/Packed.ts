/**
 * A block of replications' outcomes as one message between a worker thread and the main thread: every
 * number in one `Float64Array` (moved, not copied: its buffer is transferred) and every string once, in a
 * table. Decoding it is one pass over the numbers; an outcome sent as plain objects through a schema costs
 * a check of each of its thousand-odd numbers on each side, and a message of its own costs the pool's
 * round trip, for every replication.
 *
 * Doubles carry every value exactly (pennies and counts are whole numbers below 2^53; a parameter's draw
 * is a double), so an outcome unpacked is equal to the outcome packed, number for number.
 */
import type { ArmOutcome, ReplicationOutcome } from "./Replication.js"

/** Outcomes of consecutive replications: numbers (see `pack`) and the strings they refer to by index. */
export interface PackedOutcomes {
  readonly numbers: Float64Array
  readonly strings: ReadonlyArray<string>
}

class Writer {
  private buffer = new Float64Array(4096)
  private n = 0
  readonly strings: Array<string> = []
  private readonly index = new Map<string, number>()

  number(x: number): void {
    if (this.n === this.buffer.length) {
      const grown = new Float64Array(this.buffer.length * 2)
      grown.set(this.buffer)
      this.buffer = grown
    }
    this.buffer[this.n++] = x
  }

  numbers(xs: ReadonlyArray<number>): void {
    this.number(xs.length)
    for (let i = 0; i < xs.length; i++) this.number(xs[i])
  }

  /** A string by its index in the table (-1: null). */
  string(s: string | null): void {
    if (s === null) return this.number(-1)
    let i = this.index.get(s)
    if (i === undefined) {
      i = this.strings.length
      this.strings.push(s)
      this.index.set(s, i)
    }
    this.number(i)
  }

  done(): PackedOutcomes {
    return { numbers: this.buffer.slice(0, this.n), strings: this.strings }
  }
}

class Reader {
  private i = 0
  constructor(private readonly p: PackedOutcomes) {}

  number(): number {
    if (this.i >= this.p.numbers.length) throw new Error("packed outcomes: ended early")
    return this.p.numbers[this.i++]
  }

  numbers(): Array<number> {
    const n = this.number()
    const out = new Array<number>(n)
    for (let k = 0; k < n; k++) out[k] = this.number()
    return out
  }

  string(): string | null {
    const k = this.number()
    if (k === -1) return null
    const s = this.p.strings[k]
    if (s === undefined) throw new Error(`packed outcomes: no string ${k}`)
    return s
  }

  text(): string {
    const s = this.string()
    if (s === null) throw new Error("packed outcomes: a string is missing")
    return s
  }

  get atEnd(): boolean {
    return this.i === this.p.numbers.length
  }
}

const packArm = (w: Writer, a: ArmOutcome): void => {
  w.numbers(a.stocks)
  w.numbers(a.leftCare)
  w.numbers(a.referrals)
  w.numbers(a.spend)
  w.number(a.lines.length)
  for (const line of a.lines) {
    w.string(line.key)
    w.string(line.name)
    w.string(line.budgetLine)
    w.string(line.intervention)
    w.numbers(line.byFy)
  }
  w.numbers(a.priceIndex)
  w.numbers(a.draws)
  w.number(a.interventions.length)
  for (const iv of a.interventions) {
    w.string(iv.name)
    w.number(iv.started)
    w.number(iv.optimismBias)
    w.number(iv.deadweight)
    w.numbers(iv.reviews)
  }
}

const unpackArm = (r: Reader): ArmOutcome => {
  const stocks = r.numbers()
  const leftCare = r.numbers()
  const referrals = r.numbers()
  const spend = r.numbers()
  const lines = Array.from({ length: r.number() }, () => ({
    key: r.text(),
    name: r.text(),
    budgetLine: r.text(),
    intervention: r.string(),
    byFy: r.numbers()
  }))
  const priceIndex = r.numbers()
  const draws = r.numbers()
  const interventions = Array.from({ length: r.number() }, () => ({
    name: r.text(),
    started: r.number(),
    optimismBias: r.number(),
    deadweight: r.number(),
    reviews: r.numbers()
  }))
  return { stocks, leftCare, referrals, spend, lines, priceIndex, draws, interventions }
}

/** Packs outcomes (in the order given) into one message. */
export const pack = (outcomes: ReadonlyArray<ReplicationOutcome>): PackedOutcomes => {
  const w = new Writer()
  w.number(outcomes.length)
  for (const o of outcomes) {
    w.number(o.replication)
    w.number(o.arms.length)
    for (const a of o.arms) packArm(w, a)
  }
  return w.done()
}

/** The outcomes `pack` was given. Throws on a message that is not one (a broken invariant between threads). */
export const unpack = (p: PackedOutcomes): Array<ReplicationOutcome> => {
  const r = new Reader(p)
  const out = Array.from({ length: r.number() }, () => {
    const replication = r.number()
    const arms = Array.from({ length: r.number() }, () => unpackArm(r))
    return { replication, arms }
  })
  if (!r.atEnd) throw new Error("packed outcomes: numbers left over")
  return out
}
