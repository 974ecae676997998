/**
 * Events as NDJSON lines, exactly as JSON.stringify writes them (a test checks that every event of a run,
 * and any event the schema allows, encodes to JSON.stringify's text).
 *
 * The log is written once per event, and JSON.stringify (or a template string per event, joined into a
 * large string, then converted to UTF-8 to be written) costs several times the rest of an event's
 * handling. So `NdjsonLines` writes each line's bytes straight into one buffer that is written out as it
 * is, from the event's record (src/domain/Event.ts): all the text between an event's numbers and names
 * comes from tables made once (per event type and values of its fields, e.g. `,"from":"universal","to":
 * "early_help","via":`), written 8 bytes at a time, whole numbers are written digit by digit, a time shared
 * by consecutive events (the events of one action) is formatted once, and each name is encoded once. `add`
 * takes a `CaseEvent` (through its record), `addRecord` the record itself.
 *
 * `encodeEvent` gives one event's line as a string, written out per event type (quicker than JSON.stringify,
 * for a caller that wants strings; the tests hold both encoders to JSON.stringify's text).
 */
import {
  EVENT_TAG_INDEX,
  EVENT_TAGS,
  EventRecord,
  Names,
  REASONS,
  recordOf,
  type CaseEvent,
  type CaseEventTag
} from "../domain/Event.js"
import { LEGAL_STATUSES, PLACEMENTS, STATES } from "../domain/Level.js"

const utf8 = new TextEncoder()
const S = STATES.length
const P = PLACEMENTS.length
const T = EVENT_TAG_INDEX
const q = (s: string) => JSON.stringify(s)
const state = (i: number) => q(STATES[i])
const placement = (i: number) => q(PLACEMENTS[i])
const reason = (tag: CaseEventTag, i: number) => q(REASONS[tag][i])

/**
 * Text as 8-byte words (little-endian doubles, the last one padded), which `NdjsonLines` writes a word at a
 * time through a DataView: a line is a dozen pieces of text, and a call to copy bytes, or a loop over them,
 * costs several times that. A word's bits pass through a double untouched unless they are a NaN, i.e.
 * unless its last byte is 0x7F or 0xFF and the one before it 0xF0 or above: never in UTF-8 (0xFF is never
 * in it, and a byte from 0xF0 up is followed by one from 0x80 to 0xBF).
 */
const wordsOf = (bytes: Uint8Array): Array<number> => {
  const padded = new Uint8Array(Math.ceil(bytes.length / 8) * 8)
  padded.set(bytes)
  const view = new DataView(padded.buffer)
  const words = Array.from({ length: padded.length / 8 }, (_, i) => view.getFloat64(8 * i, true))
  if (words.some(Number.isNaN)) throw new Error("not UTF-8")
  return words
}

/**
 * All the fixed text, one piece after another in one array of words (the pieces a line needs are then a
 * few cache lines, not objects scattered in the heap). A piece is a number: its first word * 256 + its
 * length in bytes (below 256).
 */
const dictionary: Array<number> = []
const text = (s: string): number => {
  const bytes = utf8.encode(s)
  if (bytes.length > 255) throw new Error("a piece of fixed text longer than 255 bytes")
  const piece = dictionary.length * 256 + bytes.length
  dictionary.push(...wordsOf(bytes))
  return piece
}

/** The text for every combination of values: table[((a * nb) + b) * nc + c]. */
const table = (na: number, nb: number, nc: number, f: (a: number, b: number, c: number) => string) =>
  Int32Array.from({ length: na * nb * nc }, (_, k) =>
    text(f(Math.floor(k / (nb * nc)), Math.floor(k / nc) % nb, k % nc))
  )

/** What each event type's line starts with: `{"_tag":"<type>","time":`. */
const PREFIX = Int32Array.from(EVENT_TAGS, (t) => text(`{"_tag":"${t}","time":`))
const CHILD_KEY = text(`,"child":`)
const DATE_OF_BIRTH = text(`,"dateOfBirth":`)
const CLOSED_ON = text(`,"closedOn":`)
const INTERVENTION = text(`,"intervention":`)
const SERVICE = text(`,"service":`)
const FAMILY = text(`,"family":`)
const NULL = text("null")
const NULL_END = text("null}\n")
const END = text("}\n")
const RE_REFERRAL = Int32Array.of(text(`,"reReferral":false}\n`), text(`,"reReferral":true}\n`))
// The text between the numbers and names of each event type, by the values of its other fields.
const OPEN_LEVEL_SINCE = table(
  S,
  P + 1,
  1,
  (l, p) => `,"level":${state(l)},"placement":${p === 0 ? "null" : placement(p - 1)},"since":`
)
const LEVEL_CHANGED = table(S, S, 1, (f, t) => `,"from":${state(f)},"to":${state(t)},"via":`)
const BECAME_LOOKED_AFTER = table(S, P, 1, (f, p) => `,"from":${state(f)},"placement":${placement(p)},"via":`)
const PLACEMENT_CHANGED = table(P, P, 1, (f, t) => `,"from":${placement(f)},"to":${placement(t)}}\n`)
const LEFT_CARE = table(
  P,
  REASONS.ChildLeftCare.length,
  S,
  (p, r, t) => `,"placement":${placement(p)},"reason":${reason("ChildLeftCare", r)},"to":${state(t)},"via":`
)
const CLOSED = table(
  S,
  REASONS.CaseClosed.length,
  S,
  (f, r, t) => `,"from":${state(f)},"reason":${reason("CaseClosed", r)},"to":${state(t)},"via":`
)
const SUPPORT_ENDED = table(
  REASONS.CareLeaverSupportEnded.length,
  1,
  1,
  (r) => `,"reason":${reason("CareLeaverSupportEnded", r)}}\n`
)
const STARTED = table(
  S,
  S + 1,
  2,
  (a, r, h) => `,"at":${state(a)},"redirectedTo":${r === 0 ? "null" : state(r - 1)},"heldPlace":${h === 1}}\n`
)
const ENDED = table(REASONS.InterventionEnded.length, 1, 1, (r) => `,"reason":${reason("InterventionEnded", r)}}\n`)
const JOINED = table(S, 1, 1, (a) => `,"at":${state(a)}}\n`)
const LEFT = table(REASONS.WaitingListLeft.length, 1, 1, (r) => `,"outcome":${reason("WaitingListLeft", r)}}\n`)
const LS = LEGAL_STATUSES.length
const STATUS_CHANGED = table(
  LS + 1,
  LS,
  1,
  (f, t) => `,"from":${f === 0 ? "null" : q(LEGAL_STATUSES[f - 1])},"to":${q(LEGAL_STATUSES[t])}}\n`
)
const STAYING_PUT = table(P, 1, 1, (p) => `,"placement":${placement(p)}}\n`)
const STAYING_PUT_ENDED = table(
  REASONS.StayingPutEnded.length,
  1,
  1,
  (r) => `,"reason":${reason("StayingPutEnded", r)}}\n`
)
const CONTACT = Int32Array.of(text(`,"referred":false}\n`), text(`,"referred":true}\n`))
const REVIEWED = table(
  S,
  REASONS.ChildReviewed.length,
  1,
  (a, o) => `,"at":${state(a)},"outcome":${reason("ChildReviewed", o)},"eligible":`
)
const PREVIOUS_CP_PLANS = text(`,"previousCpPlans":`)
const PREVIOUS_CARE_EPISODES = text(`,"previousCareEpisodes":`)
const HISTORY_UASC = Int32Array.of(text(`,"uasc":false}\n`), text(`,"uasc":true}\n`))
const OVERFLOWED = table(P, P, 1, (w, p) => `,"wanted":${placement(w)},"placedIn":${placement(p)}}\n`)
const WORDS = Float64Array.from(dictionary)

// The shortest decimal that reads back as a double (what String(x) prints), worked out exactly for the
// times of a run: doubles of 10 to 2^21 that are not whole. Printing a number costs more than the rest of a
// line, and a run's times are mostly such doubles, with 16 or 17 significant digits. Such an x is I + F / 2^s
// (I its whole part, F < 2^s an integer, s = 52 - the binary exponent of x). A decimal with k digits after
// the point, I + D / 10^k, reads back as x when it lies within half a unit in the last place of x, i.e. when
// 2 |R| < 10^k, where D is the integer nearest N = F 10^k / 2^s and R = N - D 2^s... exactly: N is worked
// out in 26-bit limbs, so every step is exact in doubles. The digits are the least k that read back (if k
// do, so do k + 1), and D, the nearest such decimal. A tie (N exactly halfway between two decimals that
// read back, or a decimal exactly half a unit away) is left to String, as are numbers outside that range.
const POW10 = Float64Array.from({ length: 16 }, (_, k) => 10 ** k)
const POW2 = Float64Array.from({ length: 64 }, (_, k) => 2 ** k)
const INV_POW2 = Float64Array.from({ length: 64 }, (_, k) => 2 ** -k)
const LIMB = 2 ** 26
const INV_LIMB = 2 ** -26
const TWO52 = 2 ** 52

/**
 * Writes the shortest decimal of x (as String(x) prints it) at `at` in `out` and returns where it ends, or
 * -1 when it leaves x to String (outside 10 to 2^21, a whole number, or a tie).
 */
export const writeShortest = (x: number, out: Uint8Array, at: number): number => {
  const whole = Math.floor(x)
  if (!(whole >= 10 && whole < 2097152) || whole === x) return -1
  const s = 52 - (31 - Math.clz32(whole))
  const F = (x - whole) * POW2[s]
  const Fh = Math.floor(F * INV_LIMB)
  const Fl = F - Fh * LIMB
  const len = whole < 100 ? 2 : whole < 1e3 ? 3 : whole < 1e4 ? 4 : whole < 1e5 ? 5 : whole < 1e6 ? 6 : 7
  const kmax = 17 - len
  if (kmax > 15) return -1
  const half = POW2[s - 1]
  // Most times need kmax or kmax - 1 digits: try kmax - 1, then fewer while they do, or kmax if they do not.
  let best = -1
  let bestD = 0
  let k = kmax - 1
  for (;;) {
    const p = POW10[k]
    const Ph = Math.floor(p * INV_LIMB)
    const Pl = p - Ph * LIMB
    // N + 2^(s-1) = n2 2^52 + low, from the limbs of F and 10^k.
    const c0 = Fl * Pl
    const h0 = Math.floor(c0 * INV_LIMB)
    const c1 = Fh * Pl + Fl * Ph + h0
    const h1 = Math.floor(c1 * INV_LIMB)
    let n2 = Fh * Ph + h1
    let low = (c1 - h1 * LIMB) * LIMB + (c0 - h0 * LIMB) + half
    if (low >= TWO52) {
      low -= TWO52
      n2 += 1
    }
    const q = Math.floor(low * INV_POW2[s])
    const rest = low - q * POW2[s]
    const twoR = 2 * Math.abs(rest - half)
    // N halfway between two decimals that would both read back, or a decimal exactly at the bound: a tie.
    if ((rest === 0 && twoR < p) || twoR === p) return -1
    if (twoR < p) {
      best = k
      bestD = n2 * POW2[52 - s] + q
      if (k === 1) break
      k--
    } else if (best >= 0) break
    else if (k === kmax) return -1
    else k = kmax
  }
  // The whole part, the point, then D's `best` digits (D < 10^15, written as two halves below 10^8).
  let v = whole | 0
  for (let i = at + len - 1; i >= at; i--) {
    const d = (v / 10) | 0
    out[i] = 48 + v - d * 10
    v = d
  }
  let n = at + len
  out[n++] = 46
  const high = Math.floor(bestD / 1e8)
  let lo8 = (bestD - high * 1e8) | 0
  let hi8 = high | 0
  let i = n + best - 1
  const split = n + best - Math.min(best, 8)
  for (; i >= split; i--) {
    const d = (lo8 / 10) | 0
    out[i] = 48 + lo8 - d * 10
    lo8 = d
  }
  for (; i >= n; i--) {
    const d = (hi8 / 10) | 0
    out[i] = 48 + hi8 - d * 10
    hi8 = d
  }
  return n + best
}

/** More than any line's text but its names and numbers written as text (which make room for themselves). */
const SLACK = 512

/** A buffer of NDJSON lines, one an event, ready to be written out as bytes. */
export class NdjsonLines {
  private buf: Uint8Array
  /** The same bytes, to write 8 at a time. */
  private view: DataView
  private n = 0
  /** The last time written, and where its text (followed by the child's key) is in the buffer. */
  private lastTime = Number.NaN
  private lastAt = 0
  private lastEnd = 0
  /** The names `add` has seen (for events given as `CaseEvent`s), and a record to read them into. */
  private readonly ownNames = new Names()
  private readonly scratch = new EventRecord()
  /** Each name's JSON string as UTF-8, by its number, for the table `names` (re-read if another is given). */
  private names: Names | null = null
  /**
   * Each name's text as words, like the fixed text's, alone (at 2 * its number) and followed by the line's
   * end (at 2 * its number + 1: a route ends the line of the events that have one): where its words start
   * in `nameWords` (-1: not made yet) and its length in bytes.
   */
  private nameWords = new Float64Array(64)
  private nameWordsUsed = 0
  private nameFirst = new Int32Array(0)
  private nameLength = new Int32Array(0)

  constructor(capacity = 1 << 20) {
    this.buf = new Uint8Array(Math.max(SLACK * 2, capacity))
    this.view = new DataView(this.buf.buffer)
  }

  /** Bytes written since the last `clear` (a view into the buffer: valid until the next `add`). */
  get bytes(): Uint8Array {
    return this.buf.subarray(0, this.n)
  }

  /** How many bytes have been written since the last `clear`. */
  get length(): number {
    return this.n
  }

  clear(): void {
    this.n = 0
    this.lastTime = Number.NaN
  }

  /**
   * The bytes written since the last `clear` or `take`, handed over (no copy); writing goes on in `next` (a
   * buffer whose bytes have been written out, to reuse) or in a new buffer of the same size.
   */
  take(next?: Uint8Array): Uint8Array {
    const out = this.buf.subarray(0, this.n)
    this.buf =
      next !== undefined && next.buffer.byteLength >= this.buf.length
        ? new Uint8Array(next.buffer)
        : new Uint8Array(this.buf.length)
    this.view = new DataView(this.buf.buffer)
    this.clear()
    return out
  }

  /** Appends a line of text as it is (a header), then a newline. */
  addText(line: string): void {
    const b = utf8.encode(line)
    this.room(b.length + 1)
    this.buf.set(b, this.n)
    this.n += b.length
    this.buf[this.n++] = 10
  }

  /** Appends the event's line (JSON.stringify's text), then a newline. */
  add(e: CaseEvent): void {
    this.addRecord(recordOf(e, this.ownNames, this.scratch), this.ownNames)
  }

  /** Appends the line of the event whose record this is (its names numbered in `names`), then a newline. */
  addRecord(r: EventRecord, names: Names): void {
    if (names !== this.names) {
      this.names = names
      this.nameWordsUsed = 0
      this.nameFirst = new Int32Array(2 * names.size + 16).fill(-1)
      this.nameLength = new Int32Array(this.nameFirst.length)
    }
    this.room(0)
    const tag = r.tag
    this.put(PREFIX[tag])
    this.timeAndChildKey(r.time)
    this.num(r.child)
    switch (tag) {
      case T.CaseOpenAtStart:
        this.put(DATE_OF_BIRTH)
        this.num(r.dateOfBirth)
        this.put(OPEN_LEVEL_SINCE[r.to * (P + 1) + r.toPlacement + 1])
        this.num(r.since)
        this.put(END)
        return
      case T.CaseClosedBeforeStart:
        this.put(DATE_OF_BIRTH)
        this.num(r.dateOfBirth)
        this.put(CLOSED_ON)
        this.num(r.since)
        this.put(END)
        return
      case T.ChildReferred:
        this.put(DATE_OF_BIRTH)
        this.num(r.dateOfBirth)
        this.put(RE_REFERRAL[r.reason])
        return
      case T.LevelChanged:
        this.put(LEVEL_CHANGED[r.from * S + r.to])
        this.nameEnd(r.name)
        return
      case T.ChildBecameLookedAfter:
        this.put(BECAME_LOOKED_AFTER[r.from * P + r.toPlacement])
        this.nameEnd(r.name)
        return
      case T.PlacementChanged:
        this.put(PLACEMENT_CHANGED[r.fromPlacement * P + r.toPlacement])
        return
      case T.ChildLeftCare:
        this.put(LEFT_CARE[(r.fromPlacement * REASONS.ChildLeftCare.length + r.reason) * S + r.to])
        this.nameEnd(r.name)
        return
      case T.CaseClosed:
        this.put(CLOSED[(r.from * REASONS.CaseClosed.length + r.reason) * S + r.to])
        this.nameEnd(r.name)
        return
      case T.CareLeaverSupportEnded:
        this.put(SUPPORT_ENDED[r.reason])
        return
      case T.InterventionStarted:
        this.put(INTERVENTION)
        this.name(r.name)
        this.put(STARTED[(r.at * (S + 1) + r.redirectedTo + 1) * 2 + r.heldPlace])
        return
      case T.InterventionEnded:
        this.put(INTERVENTION)
        this.name(r.name)
        this.put(ENDED[r.reason])
        return
      case T.WaitingListJoined:
        this.put(SERVICE)
        this.name(r.name)
        this.put(JOINED[r.at])
        return
      case T.WaitingListLeft:
        this.put(SERVICE)
        this.name(r.name)
        this.put(LEFT[r.reason])
        return
      case T.PlacementOverflowed:
        this.put(SERVICE)
        this.name(r.name)
        this.put(OVERFLOWED[r.fromPlacement * P + r.toPlacement])
        return
      case T.LegalStatusChanged:
        this.put(STATUS_CHANGED[(r.fromStatus + 1) * LS + r.status])
        return
      case T.StayingPutBegan:
        this.put(STAYING_PUT[r.fromPlacement])
        return
      case T.StayingPutEnded:
        this.put(STAYING_PUT_ENDED[r.reason])
        return
      case T.ContactReceived:
        this.put(CONTACT[r.reason])
        return
      case T.ChildReviewed:
        this.put(INTERVENTION)
        this.name(r.name)
        this.put(REVIEWED[r.at * REASONS.ChildReviewed.length + r.reason])
        this.num(r.since)
        this.put(END)
        return
      case T.SiblingReferred:
        this.put(FAMILY)
        this.num(r.family)
        this.put(END)
        return
      case T.HistoryBeforeRun:
        this.put(PREVIOUS_CP_PLANS)
        this.num(r.previousCpPlans)
        this.put(PREVIOUS_CARE_EPISODES)
        this.num(r.previousCareEpisodes)
        this.put(HISTORY_UASC[r.uasc])
        return
    }
  }

  /** Makes room for `k` more bytes, and the rest of a line's fixed text. */
  private room(k: number): void {
    if (this.n + k + SLACK <= this.buf.length) return
    const grown = new Uint8Array(Math.max(this.buf.length * 2, this.n + k + SLACK))
    grown.set(this.buf.subarray(0, this.n))
    this.buf = grown
    this.view = new DataView(grown.buffer)
  }

  /** Fixed text, 8 bytes at a time (the last word's padding lands in the room made, and is written over). */
  private put(piece: number): void {
    this.putWords(WORDS, piece >>> 8, piece & 255)
  }

  /** `length` bytes of text held as words from `words[first]` on, 8 bytes at a time. */
  private putWords(words: Float64Array, first: number, length: number): void {
    const n = this.n
    const view = this.view
    for (let i = 0; i < length; i += 8) view.setFloat64(n + i, words[first + (i >>> 3)], true)
    this.n = n + length
  }

  /** Text known to be ASCII (a number as JavaScript prints it). */
  private ascii(s: string): void {
    this.room(s.length)
    const buf = this.buf
    let n = this.n
    for (let i = 0; i < s.length; i++) buf[n++] = s.charCodeAt(i)
    this.n = n
  }

  /** A name (route, service, intervention) as a JSON string, or null. */
  private name(id: number): void {
    if (id < 0) this.put(NULL)
    else this.nameText(2 * id)
  }

  /** A name or null, then the line's end. */
  private nameEnd(id: number): void {
    if (id < 0) this.put(NULL_END)
    else this.nameText(2 * id + 1)
  }

  /** The text of a name (k = 2 * its number, + 1 with the line's end), 8 bytes at a time. */
  private nameText(k: number): void {
    if (k >= this.nameFirst.length || this.nameFirst[k] < 0) this.makeName(k)
    const length = this.nameLength[k]
    this.room(length)
    this.putWords(this.nameWords, this.nameFirst[k], length)
  }

  private makeName(k: number): void {
    if (k >= this.nameFirst.length) {
      const first = new Int32Array(2 * k + 2).fill(-1)
      first.set(this.nameFirst)
      const length = new Int32Array(first.length)
      length.set(this.nameLength)
      this.nameFirst = first
      this.nameLength = length
    }
    const json = JSON.stringify(this.names!.name(k >> 1))
    const bytes = utf8.encode(k & 1 ? `${json}}\n` : json)
    const words = wordsOf(bytes)
    if (this.nameWordsUsed + words.length > this.nameWords.length) {
      const grown = new Float64Array(2 * (this.nameWordsUsed + words.length))
      grown.set(this.nameWords)
      this.nameWords = grown
    }
    this.nameWords.set(words, this.nameWordsUsed)
    this.nameFirst[k] = this.nameWordsUsed
    this.nameLength[k] = bytes.length
    this.nameWordsUsed += words.length
  }

  /** A number as JSON writes it: whole numbers of up to 9 digits digit by digit, others as JavaScript
   * prints them (the shortest text that reads back as the same number; null if not finite). */
  private num(x: number): void {
    if (x > -1e9 && x < 1e9 && Number.isInteger(x)) this.whole(x)
    else {
      const end = writeShortest(x, this.buf, this.n)
      if (end >= 0) this.n = end
      else this.ascii(Number.isFinite(x) ? String(x) : "null")
    }
  }

  /**
   * An event's time and the child's key: the events of one action share the time, so it is worked out once,
   * then copied 8 bytes at a time (its text and the key are ASCII, so no word of it is NaN as a double).
   */
  private timeAndChildKey(t: number): void {
    const at = this.n
    if (t === this.lastTime) {
      const view = this.view
      const from = this.lastAt
      const len = this.lastEnd - from
      // At least 10 bytes (a digit and the key): whole words, then the last 8 bytes (overlapping the one before).
      for (let i = 0; i < len - 8; i += 8) view.setFloat64(at + i, view.getFloat64(from + i, true), true)
      view.setFloat64(at + len - 8, view.getFloat64(from + len - 8, true), true)
      this.n = at + len
    } else {
      const end = writeShortest(t, this.buf, at)
      if (end >= 0) this.n = end
      else this.num(t)
      this.put(CHILD_KEY)
      this.lastTime = t
    }
    this.lastAt = at
    this.lastEnd = this.n
  }

  /** A whole number of at most 9 digits (-0 written as 0, as JSON does). */
  private whole(x: number): void {
    const buf = this.buf
    let v = x | 0
    if (v < 0) {
      buf[this.n++] = 45
      v = -v
    }
    const digits =
      v < 10 ? 1 : v < 100 ? 2 : v < 1e3 ? 3 : v < 1e4 ? 4 : v < 1e5 ? 5 : v < 1e6 ? 6 : v < 1e7 ? 7 : v < 1e8 ? 8 : 9
    let p = this.n + digits - 1
    do {
      const d = (v / 10) | 0
      buf[p--] = 48 + v - d * 10
      v = d
    } while (v > 0)
    this.n += digits
  }
}

/** A number that may not be finite (the schema allows any number), as JSON writes it. */
const num = (x: number): number | string => (Number.isFinite(x) ? x : "null")
/** A name as a JSON string, or null. */
const str = (s: string | null): string => (s === null ? "null" : JSON.stringify(s))

export const encodeEvent = (e: CaseEvent): string => {
  switch (e._tag) {
    case "CaseOpenAtStart":
      return (
        `{"_tag":"CaseOpenAtStart","time":${e.time},"child":${e.child},"dateOfBirth":${num(e.dateOfBirth)},` +
        `"level":"${e.level}","placement":${str(e.placement)},"since":${num(e.since)}}`
      )
    case "CaseClosedBeforeStart":
      return (
        `{"_tag":"CaseClosedBeforeStart","time":${e.time},"child":${e.child},` +
        `"dateOfBirth":${num(e.dateOfBirth)},"closedOn":${num(e.closedOn)}}`
      )
    case "ChildReferred":
      return (
        `{"_tag":"ChildReferred","time":${e.time},"child":${e.child},` +
        `"dateOfBirth":${num(e.dateOfBirth)},"reReferral":${e.reReferral}}`
      )
    case "LevelChanged":
      return (
        `{"_tag":"LevelChanged","time":${e.time},"child":${e.child},` +
        `"from":"${e.from}","to":"${e.to}","via":${str(e.via)}}`
      )
    case "ChildBecameLookedAfter":
      return (
        `{"_tag":"ChildBecameLookedAfter","time":${e.time},"child":${e.child},` +
        `"from":"${e.from}","placement":"${e.placement}","via":${str(e.via)}}`
      )
    case "PlacementChanged":
      return `{"_tag":"PlacementChanged","time":${e.time},"child":${e.child},"from":"${e.from}","to":"${e.to}"}`
    case "ChildLeftCare":
      return (
        `{"_tag":"ChildLeftCare","time":${e.time},"child":${e.child},` +
        `"placement":"${e.placement}","reason":"${e.reason}","to":"${e.to}","via":${str(e.via)}}`
      )
    case "CaseClosed":
      return (
        `{"_tag":"CaseClosed","time":${e.time},"child":${e.child},"from":"${e.from}",` +
        `"reason":"${e.reason}","to":"${e.to}","via":${str(e.via)}}`
      )
    case "CareLeaverSupportEnded":
      return `{"_tag":"CareLeaverSupportEnded","time":${e.time},"child":${e.child},"reason":"${e.reason}"}`
    case "InterventionStarted":
      return (
        `{"_tag":"InterventionStarted","time":${e.time},"child":${e.child},"intervention":${str(e.intervention)},` +
        `"at":"${e.at}","redirectedTo":${str(e.redirectedTo)},"heldPlace":${e.heldPlace}}`
      )
    case "InterventionEnded":
      return (
        `{"_tag":"InterventionEnded","time":${e.time},"child":${e.child},` +
        `"intervention":${str(e.intervention)},"reason":"${e.reason}"}`
      )
    case "WaitingListJoined":
      return (
        `{"_tag":"WaitingListJoined","time":${e.time},` +
        `"child":${e.child},"service":${str(e.service)},"at":"${e.at}"}`
      )
    case "WaitingListLeft":
      return (
        `{"_tag":"WaitingListLeft","time":${e.time},"child":${e.child},` +
        `"service":${str(e.service)},"outcome":"${e.outcome}"}`
      )
    case "PlacementOverflowed":
      return (
        `{"_tag":"PlacementOverflowed","time":${e.time},"child":${e.child},` +
        `"service":${str(e.service)},"wanted":"${e.wanted}","placedIn":"${e.placedIn}"}`
      )
    case "LegalStatusChanged":
      return `{"_tag":"LegalStatusChanged","time":${e.time},"child":${e.child},"from":${str(e.from)},"to":"${e.to}"}`
    case "StayingPutBegan":
      return `{"_tag":"StayingPutBegan","time":${e.time},"child":${e.child},"placement":"${e.placement}"}`
    case "StayingPutEnded":
      return `{"_tag":"StayingPutEnded","time":${e.time},"child":${e.child},"reason":"${e.reason}"}`
    case "ContactReceived":
      return `{"_tag":"ContactReceived","time":${e.time},"child":${e.child},"referred":${e.referred}}`
    case "ChildReviewed":
      return (
        `{"_tag":"ChildReviewed","time":${e.time},"child":${e.child},"intervention":${str(e.intervention)},` +
        `"at":"${e.at}","outcome":"${e.outcome}","eligible":${e.eligible}}`
      )
    case "SiblingReferred":
      return `{"_tag":"SiblingReferred","time":${e.time},"child":${e.child},"family":${e.family}}`
    case "HistoryBeforeRun":
      return (
        `{"_tag":"HistoryBeforeRun","time":${e.time},"child":${e.child},` +
        `"previousCpPlans":${e.previousCpPlans},"previousCareEpisodes":${e.previousCareEpisodes},"uasc":${e.uasc}}`
      )
  }
}
