/**
 * Events as NDJSON lines, exactly as JSON.stringify writes them (a test checks that every event of a run
 * encodes to JSON.stringify's text and decodes back to itself).
 *
 * The log is written once per event, and JSON.stringify (or a template string per event, joined into a
 * large string, then converted to UTF-8 to be written) costs several times the rest of an event's
 * handling. So `NdjsonLines` writes each line's bytes straight into one buffer that is written out as it
 * is: the fixed text of each event type is encoded once, whole numbers are written digit by digit, a time
 * shared by consecutive events (the events of one action) is formatted once, and names are encoded once.
 * `encodeEvent` gives one event's line as a string, by the same code.
 */
import type { CaseEvent, CaseEventTag } from "../domain/Event.js"

const utf8 = new TextEncoder()
const text = new TextDecoder()

/** What each event type's line starts with: `{"_tag":"<type>","time":`. */
const PREFIX: Readonly<Record<CaseEventTag, Uint8Array>> = {
  CaseOpenAtStart: utf8.encode(`{"_tag":"CaseOpenAtStart","time":`),
  CaseClosedBeforeStart: utf8.encode(`{"_tag":"CaseClosedBeforeStart","time":`),
  ChildReferred: utf8.encode(`{"_tag":"ChildReferred","time":`),
  LevelChanged: utf8.encode(`{"_tag":"LevelChanged","time":`),
  ChildBecameLookedAfter: utf8.encode(`{"_tag":"ChildBecameLookedAfter","time":`),
  PlacementChanged: utf8.encode(`{"_tag":"PlacementChanged","time":`),
  ChildLeftCare: utf8.encode(`{"_tag":"ChildLeftCare","time":`),
  CaseClosed: utf8.encode(`{"_tag":"CaseClosed","time":`),
  CareLeaverSupportEnded: utf8.encode(`{"_tag":"CareLeaverSupportEnded","time":`),
  InterventionStarted: utf8.encode(`{"_tag":"InterventionStarted","time":`),
  InterventionEnded: utf8.encode(`{"_tag":"InterventionEnded","time":`),
  WaitingListJoined: utf8.encode(`{"_tag":"WaitingListJoined","time":`),
  WaitingListLeft: utf8.encode(`{"_tag":"WaitingListLeft","time":`),
  PlacementOverflowed: utf8.encode(`{"_tag":"PlacementOverflowed","time":`)
}
/** `,"<field>":` for every field after `time`, and the quoted forms where the value is a literal. */
const key = (name: string): Uint8Array => utf8.encode(`,"${name}":`)
const CHILD = key("child")
const DATE_OF_BIRTH = key("dateOfBirth")
const LEVEL = key("level")
const PLACEMENT = key("placement")
const SINCE = key("since")
const CLOSED_ON = key("closedOn")
const RE_REFERRAL = key("reReferral")
const FROM = key("from")
const TO = key("to")
const VIA = key("via")
const REASON = key("reason")
const INTERVENTION = key("intervention")
const AT = key("at")
const REDIRECTED_TO = key("redirectedTo")
const HELD_PLACE = key("heldPlace")
const SERVICE = key("service")
const OUTCOME = key("outcome")
const WANTED = key("wanted")
const PLACED_IN = key("placedIn")
const NULL = utf8.encode("null")
const TRUE = utf8.encode("true")
const FALSE = utf8.encode("false")
const END = utf8.encode("}\n")
/** More than a line's fixed text: every field name, literal and whole number after any one variable part. */
const SLACK = 512

/** A buffer of NDJSON lines, one `add` an event, ready to be written out as bytes. */
export class NdjsonLines {
  private buf: Uint8Array
  private n = 0
  private lastTime = Number.NaN
  private lastTimeText = ""
  /** JSON strings of the names seen (routes, services, interventions), as UTF-8. */
  private readonly names = new Map<string, Uint8Array>()

  constructor(capacity = 1 << 20) {
    this.buf = new Uint8Array(Math.max(256, capacity))
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
    // Room for a line's fixed text; what varies in length (names, numbers as text) makes room for itself.
    this.room(0)
    this.raw(PREFIX[e._tag])
    this.time(e.time)
    this.raw(CHILD)
    this.num(e.child)
    switch (e._tag) {
      case "CaseOpenAtStart":
        this.raw(DATE_OF_BIRTH)
        this.num(e.dateOfBirth)
        this.raw(LEVEL)
        this.literal(e.level)
        this.raw(PLACEMENT)
        this.literalOrNull(e.placement)
        this.raw(SINCE)
        this.num(e.since)
        break
      case "CaseClosedBeforeStart":
        this.raw(DATE_OF_BIRTH)
        this.num(e.dateOfBirth)
        this.raw(CLOSED_ON)
        this.num(e.closedOn)
        break
      case "ChildReferred":
        this.raw(DATE_OF_BIRTH)
        this.num(e.dateOfBirth)
        this.raw(RE_REFERRAL)
        this.raw(e.reReferral ? TRUE : FALSE)
        break
      case "LevelChanged":
        this.raw(FROM)
        this.literal(e.from)
        this.raw(TO)
        this.literal(e.to)
        this.raw(VIA)
        this.name(e.via)
        break
      case "ChildBecameLookedAfter":
        this.raw(FROM)
        this.literal(e.from)
        this.raw(PLACEMENT)
        this.literal(e.placement)
        this.raw(VIA)
        this.name(e.via)
        break
      case "PlacementChanged":
        this.raw(FROM)
        this.literal(e.from)
        this.raw(TO)
        this.literal(e.to)
        break
      case "ChildLeftCare":
        this.raw(PLACEMENT)
        this.literal(e.placement)
        this.raw(REASON)
        this.literal(e.reason)
        this.raw(TO)
        this.literal(e.to)
        this.raw(VIA)
        this.name(e.via)
        break
      case "CaseClosed":
        this.raw(FROM)
        this.literal(e.from)
        this.raw(REASON)
        this.literal(e.reason)
        this.raw(TO)
        this.literal(e.to)
        this.raw(VIA)
        this.name(e.via)
        break
      case "CareLeaverSupportEnded":
        this.raw(REASON)
        this.literal(e.reason)
        break
      case "InterventionStarted":
        this.raw(INTERVENTION)
        this.name(e.intervention)
        this.raw(AT)
        this.literal(e.at)
        this.raw(REDIRECTED_TO)
        this.literalOrNull(e.redirectedTo)
        this.raw(HELD_PLACE)
        this.raw(e.heldPlace ? TRUE : FALSE)
        break
      case "InterventionEnded":
        this.raw(INTERVENTION)
        this.name(e.intervention)
        this.raw(REASON)
        this.literal(e.reason)
        break
      case "WaitingListJoined":
        this.raw(SERVICE)
        this.name(e.service)
        this.raw(AT)
        this.literal(e.at)
        break
      case "WaitingListLeft":
        this.raw(SERVICE)
        this.name(e.service)
        this.raw(OUTCOME)
        this.literal(e.outcome)
        break
      case "PlacementOverflowed":
        this.raw(SERVICE)
        this.name(e.service)
        this.raw(WANTED)
        this.literal(e.wanted)
        this.raw(PLACED_IN)
        this.literal(e.placedIn)
        break
    }
    this.raw(END)
  }

  /** Makes room for `k` more bytes, and the fixed text of a line (field names, digits of whole numbers). */
  private room(k: number): void {
    if (this.n + k + SLACK <= this.buf.length) return
    const grown = new Uint8Array(Math.max(this.buf.length * 2, this.n + k + SLACK))
    grown.set(this.buf.subarray(0, this.n))
    this.buf = grown
  }

  private raw(b: Uint8Array): void {
    const buf = this.buf
    let n = this.n
    for (let i = 0; i < b.length; i++) buf[n++] = b[i]
    this.n = n
  }

  /** Text known to be ASCII (a number's digits, a literal value). */
  private ascii(s: string): void {
    this.room(s.length + 2)
    const buf = this.buf
    let n = this.n
    for (let i = 0; i < s.length; i++) buf[n++] = s.charCodeAt(i)
    this.n = n
  }

  /** A literal value of the schema (a level, placement, reason: ASCII letters and underscores), quoted. */
  private literal(s: string): void {
    this.room(s.length + 2)
    const buf = this.buf
    let n = this.n
    buf[n++] = 34
    for (let i = 0; i < s.length; i++) buf[n++] = s.charCodeAt(i)
    buf[n++] = 34
    this.n = n
  }

  private literalOrNull(s: string | null): void {
    if (s === null) this.raw(NULL)
    else this.literal(s)
  }

  /** A name (route, service, intervention) as a JSON string, or null. */
  private name(s: string | null): void {
    if (s === null) {
      this.raw(NULL)
      return
    }
    let b = this.names.get(s)
    if (b === undefined) {
      b = utf8.encode(JSON.stringify(s))
      this.names.set(s, b)
    }
    this.room(b.length)
    this.raw(b)
  }

  /** A number as JSON writes it: whole numbers of up to 9 digits digit by digit, others as JavaScript
   * prints them (the shortest text that reads back as the same number). */
  private num(x: number): void {
    if (Number.isInteger(x) && x > -1e9 && x < 1e9) this.whole(x)
    else this.ascii(Number.isFinite(x) ? String(x) : "null")
  }

  /** An event's time: the events of one action share it, so it is formatted once. */
  private time(t: number): void {
    if (t === this.lastTime) this.ascii(this.lastTimeText)
    else if (Number.isInteger(t) && t < 1e9) this.whole(t)
    else {
      this.lastTime = t
      this.lastTimeText = Number.isFinite(t) ? String(t) : "null"
      this.ascii(this.lastTimeText)
    }
  }

  /** A whole number of at most 9 digits (-0 written as 0, as JSON does). */
  private whole(x: number): void {
    const buf = this.buf
    let n = this.n
    if (x < 0) {
      buf[n++] = 45
      x = -x
    }
    let d = 1
    while (d * 10 <= x) d *= 10
    for (; d >= 1; d /= 10) {
      const q = Math.floor(x / d)
      buf[n++] = 48 + q
      x -= q * d
    }
    this.n = n
  }
}

const one = new NdjsonLines(1024)

/** One event as one NDJSON line (without the newline): JSON.stringify's text. */
export const encodeEvent = (e: CaseEvent): string => {
  one.clear()
  one.add(e)
  const b = one.bytes
  return text.decode(b.subarray(0, b.length - 1))
}
