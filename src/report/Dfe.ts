/**
 * DfE-shaped year-end tables, folded from a run's events (the engine's records), in the shape of Explore
 * Education Statistics' local-authority files, so a run's figures sit beside a council's published ones:
 *
 * dfe_cla.csv    children looked after: on 31 March, starting and ceasing during the year, by characteristic,
 *                with the 2025 release's column names (`population_type, characteristic, breakdown,
 *                children_count, children_percent`; the 2024 release called the last four `cla_group,
 *                characteristic, number, percentage`)
 * dfe_cin_b1.csv the children in need census table B1: `category, Anypoint_episodes, Anypoint_child,
 *                Started_episodes, Started_child, Ended_episodes, Ended_child, At31_episodes,
 *                awaiting_assessment` (children in need here include child protection and looked after)
 * dfe_cp_d5.csv  table D5: child protection plans at 31 March by how long the plan has lasted
 *
 * Every file starts with the geography and time block: `time_period` (the year ending 31 March, e.g. 2026),
 * `time_identifier` "Reporting year", `geographic_level` "Local authority", England's codes, and the
 * scenario's name as `la_name` (the LA codes are left empty: a scenario is not a real authority).
 *
 * Counted as DfE counts: children, not episodes (a child starting care twice in a year is one child
 * starting; a child ceasing twice is counted once, at the last cessation in the year, with its reason and
 * age); characteristics at the time counted (age and placement on 31 March; age on starting or ceasing).
 * Only whole years ending on 31 March within the run are reported. What the model does not have (category
 * of need, sex, ethnicity, legal status, children awaiting assessment) is not invented: absent, or "x" (not
 * available, EES's symbol) where the table has the column. CP plan lengths: 3 months = 365.25 / 4 days.
 *
 * Characteristics are listed in one place, `CHARACTERISTICS`: each names its breakdowns and how a child's
 * facts map onto one. A characteristic the model gains is one more entry there, and one more field of
 * `ChildFacts`. Unaccompanied asylum-seeking children (UASC, DfE's "UASC" / "Non-UASC") are shown only for a
 * scenario with UASC (a child is UASC from entering care by the UASC route): for one without, the model
 * has none, and "every child is Non-UASC" would be a figure it did not make.
 */
import type { Calendar } from "../domain/Calendar.js"
import { ageOn } from "../domain/Calendar.js"
import { EVENT_TAG_INDEX, type EventRecord, type RecordSink } from "../domain/Event.js"
import { LEFT_CARE_REASONS, PLACEMENTS, stateIndex, type LeftCareReason, type Placement } from "../domain/Level.js"
import type { Block } from "./Document.js"
import { count, csv, percent } from "./Format.js"
import type { Sheet } from "./Workbook.js"

/** What is known of a child when counted: enough for every characteristic. */
export interface ChildFacts {
  readonly age: number
  readonly placement: Placement | null
  readonly reason: LeftCareReason | null
  /** An unaccompanied asylum-seeking child (entered care by the scenario's UASC route). */
  readonly uasc: boolean
}

export type Population = "on_31_march" | "starting" | "ceasing"

export const POPULATION_TYPE: Readonly<Record<Population, string>> = {
  on_31_march: "Children looked after on 31 March each year",
  starting: "Children starting to be looked after each year",
  ceasing: "Children ceasing to be looked after each year"
}

export interface Characteristic {
  /** DfE's name (`characteristic` in the 2025 release). */
  readonly name: (population: Population) => string
  readonly populations: ReadonlyArray<Population>
  /** Every breakdown, in DfE's order ("Total" is added). */
  readonly breakdowns: (population: Population) => ReadonlyArray<string>
  readonly of: (c: ChildFacts, population: Population) => string | null
  /** Shown only for a scenario with UASC. */
  readonly needsUasc?: boolean
}

const AGE_GROUPS = ["Under 1 year", "1 to 4 years", "5 to 9 years", "10 to 15 years", "16 years and over"]
const CEASED_AGE_GROUPS = [...AGE_GROUPS.slice(0, 4), "16 years", "17 years", "18 years and over"]
const ageGroup = (age: number): string =>
  age < 1
    ? AGE_GROUPS[0]
    : age < 5
      ? AGE_GROUPS[1]
      : age < 10
        ? AGE_GROUPS[2]
        : age < 16
          ? AGE_GROUPS[3]
          : AGE_GROUPS[4]

/** DfE's placement groups for caseflow's placement types. */
export const DFE_PLACEMENT: Readonly<Record<Placement, string>> = {
  in_house_foster: "Foster placements",
  ifa_foster: "Foster placements",
  kinship: "Foster placements",
  placed_for_adoption: "Placed for adoption",
  placed_with_parents: "Placed with parents or other person with parental responsibility",
  in_house_residential: "Secure homes and children's homes",
  external_residential: "Secure homes and children's homes",
  secure: "Secure homes and children's homes",
  supported_16_plus: "Independent and semi-independent living arrangements/supported accommodation"
}

/** DfE's reasons an episode ceased for caseflow's (the nearest published one). */
export const DFE_REASON: Readonly<Record<LeftCareReason, string>> = {
  returned_home:
    "Returned home to live with parents or other person with parental responsibility which was part of the care " +
    "planning process",
  adopted: "Adopted",
  special_guardianship: "Special guardianship order",
  turned_18: "Aged 18 (caseflow: not one of DfE's reasons; where the young person went is not modelled)",
  independent_living: "Moved into independent living (with supportive accommodation)",
  other: "Care ceased for any other reason"
}

const unique = (xs: ReadonlyArray<string>): Array<string> => [...new Set(xs)]

/** The characteristics of the CLA tables, in the order they are written. Add one here. */
export const CHARACTERISTICS: ReadonlyArray<Characteristic> = [
  {
    name: (p) => (p === "ceasing" ? "Age on ceasing" : p === "starting" ? "Age on starting" : "Age group"),
    populations: ["on_31_march", "starting", "ceasing"],
    breakdowns: (p) => (p === "ceasing" ? CEASED_AGE_GROUPS : AGE_GROUPS),
    of: (c, p) =>
      p === "ceasing" && c.age >= 16 ? (c.age >= 18 ? "18 years and over" : `${c.age} years`) : ageGroup(c.age)
  },
  {
    name: () => "Placement",
    populations: ["on_31_march"],
    breakdowns: () => unique(PLACEMENTS.map((p) => DFE_PLACEMENT[p])),
    of: (c) => (c.placement === null ? null : DFE_PLACEMENT[c.placement])
  },
  {
    name: () => "Unaccompanied asylum-seeking children",
    populations: ["on_31_march", "starting", "ceasing"],
    breakdowns: () => ["Non-UASC", "UASC"],
    of: (c) => (c.uasc ? "UASC" : "Non-UASC"),
    needsUasc: true
  },
  {
    name: () => "Reason episode ceased",
    populations: ["ceasing"],
    breakdowns: () => unique(LEFT_CARE_REASONS.map((r) => DFE_REASON[r])),
    of: (c) => (c.reason === null ? null : DFE_REASON[c.reason])
  }
]

/** Children with the same facts, and how many. */
export interface FactsGroup {
  readonly facts: ChildFacts
  readonly count: number
}

export interface ClaYear {
  readonly timePeriod: string
  /** The children counted in each population, grouped by their facts (a national run counts 100,000s). */
  readonly groups: Readonly<Record<Population, ReadonlyArray<FactsGroup>>>
}

/** How many children a year's population holds. */
export const populationCount = (y: ClaYear, p: Population): number => y.groups[p].reduce((a, g) => a + g.count, 0)

export interface CinYear {
  readonly timePeriod: string
  readonly anypointEpisodes: number
  readonly anypointChildren: number
  readonly startedEpisodes: number
  readonly startedChildren: number
  readonly endedEpisodes: number
  readonly endedChildren: number
  readonly at31Episodes: number
}

/** CP plans at 31 March by length (DfE's bands). */
export const CP_BANDS = [
  "3_months_or_less",
  "more_than_3_months_6_months",
  "more_than_6_months_less_than_1_year",
  "1_year_less_than_2_years",
  "2_years_or_more"
] as const

export interface CpYear {
  readonly timePeriod: string
  readonly byBand: ReadonlyArray<number>
  /** Plans started in the year, and of them second or subsequent plans (table D3). */
  readonly started: number
  readonly subsequent: number
}

export interface DfeTables {
  readonly laName: string
  /** Whether the scenario has UASC (then the UASC characteristic is shown). */
  readonly uasc: boolean
  readonly cla: ReadonlyArray<ClaYear>
  readonly cin: ReadonlyArray<CinYear>
  readonly cp: ReadonlyArray<CpYear>
}

const OPEN_AT_START = EVENT_TAG_INDEX.CaseOpenAtStart
const CLOSED_BEFORE_START = EVENT_TAG_INDEX.CaseClosedBeforeStart
const REFERRED = EVENT_TAG_INDEX.ChildReferred
const LEFT_CARE = EVENT_TAG_INDEX.ChildLeftCare
const BECAME_LOOKED_AFTER = EVENT_TAG_INDEX.ChildBecameLookedAfter
const STATUS_CHANGED = EVENT_TAG_INDEX.LegalStatusChanged
const HISTORY = EVENT_TAG_INDEX.HistoryBeforeRun
const SIBLING = EVENT_TAG_INDEX.SiblingReferred
const UNIVERSAL = stateIndex.universal
const CIN = stateIndex.child_in_need
const CP = stateIndex.child_protection
const LA = stateIndex.looked_after
const isCin = (s: number): boolean => s === CIN || s === CP || s === LA
const QUARTER = 365.25 / 4

const bandOf = (days: number): number =>
  days <= QUARTER ? 0 : days <= 2 * QUARTER ? 1 : days < 4 * QUARTER ? 2 : days < 8 * QUARTER ? 3 : 4

/** Placements and reasons numbered from 1 (0: none), for the number that stands for a set of facts. */
const PLACEMENT_NUMBER = new Map<string, number>(PLACEMENTS.map((p, k) => [p, k + 1]))
const REASON_NUMBER = new Map<string, number>(LEFT_CARE_REASONS.map((r, k) => [r, k + 1]))

/** Counts of children by their facts: one entry per distinct set of facts, in the order first seen. */
class Groups {
  private readonly byKey = new Map<number, { facts: ChildFacts; count: number }>()
  add(f: ChildFacts): void {
    // One number for the facts (a national run adds hundreds of thousands of children: no key text each).
    const p = f.placement === null ? 0 : PLACEMENT_NUMBER.get(f.placement)!
    const r = f.reason === null ? 0 : REASON_NUMBER.get(f.reason)!
    const key = ((f.age * (PLACEMENTS.length + 1) + p) * (LEFT_CARE_REASONS.length + 1) + r) * 2 + (f.uasc ? 1 : 0)
    const g = this.byKey.get(key)
    if (g === undefined) this.byKey.set(key, { facts: f, count: 1 })
    else g.count++
  }
  list(): Array<FactsGroup> {
    return [...this.byKey.values()]
  }
}

const NONE = -1

/**
 * Each child's row of the fold: 16 bytes of one buffer, so that an event reads one row (never across two
 * cache lines) rather than a dozen arrays (a national run has millions of children, and each array read is a
 * cache miss of its own).
 *   double 0   since: the day the child's current level began
 *   int 2      dob: day of birth (a whole day, as the engine draws it)
 *   byte 12    the child's state + 1 (bits 0-3; 0: none) and placement + 1 (bits 4-7; 0: none)
 *   byte 13    flags: counted this year as starting care, a CIN episode started, ended, at any point, ceased
 *              care (all cleared as each year opens); an unaccompanied asylum-seeking child; has had a child
 *              protection plan (before the run or since)
 *   u16 at 14  the last cessation this year: age (bits 0-6, at most 127), placement + 1 (bits 7-10), reason
 *              (bits 11-13)
 */
const ROW = 16
const CELL = 12
const FLAGS = 13
/** The u16 of the cessation, in 16-bit units. */
const CEASED = 7
const STARTED_CARE = 1
const CIN_STARTED = 2
const CIN_ENDED = 4
const CIN_ANYPOINT = 8
const CEASED_THIS_YEAR = 16
const YEAR_MARKS = STARTED_CARE | CIN_STARTED | CIN_ENDED | CIN_ANYPOINT | CEASED_THIS_YEAR
const UASC = 32
const HAD_CP_PLAN = 64
/** The state (-1: none) and placement (-1: none) of a row's cell byte. */
const stateOf = (cell: number): number => (cell & 15) - 1
const placementOf = (cell: number): number => (cell >> 4) - 1
const cellByte = (state: number, placement: number): number => (state + 1) | ((placement + 1) << 4)

/**
 * Folds a run's records (in time order) into the DfE year-end tables. Per child it keeps a row of 16 bytes
 * (state, placement, date of birth, since when at the level, what the child was counted in this year), so a
 * national run of millions of children costs tens of megabytes, not objects per child.
 */
export class DfeFold implements RecordSink {
  private n = 0
  private capacity = 0
  /** The rows: as doubles (since), ints (dob), bytes and 16-bit words (the cessation), the same buffer. */
  private f = new Float64Array(0)
  private i = new Int32Array(0)
  private b = new Uint8Array(0)
  private w = new Uint16Array(0)
  private cpStarted = 0
  private cpSubsequent = 0
  private year = 0
  private opened = false
  /** The first day after the current financial year (events from it on close the year). */
  private yearEnd = -Infinity
  private starting = new Groups()
  private cinStartedEpisodes = 0
  private cinStartedChildren = 0
  private cinEndedEpisodes = 0
  private cinEndedChildren = 0
  private cinAnypointChildren = 0
  private cinOpenAtStart = 0
  private readonly cla: Array<ClaYear> = []
  private readonly cin: Array<CinYear> = []
  private readonly cp: Array<CpYear> = []

  constructor(
    private readonly cal: Calendar,
    private readonly laName: string,
    /** The UASC route's number in the names the records are numbered by; -1: the scenario has no UASC. */
    private readonly uascRoute: number = -1,
    /** Children the run is expected to have (`expectedChildren` of the engine): the rows start that many. */
    expected = 0
  ) {
    this.grow(Math.max(1024, Math.ceil(expected)))
  }

  /** Room for `capacity` children (a new row, all zeros, has no state and no placement). */
  private grow(capacity: number): void {
    const f = new Float64Array(capacity * (ROW / 8))
    f.set(this.f)
    this.f = f
    this.i = new Int32Array(f.buffer)
    this.b = new Uint8Array(f.buffer)
    this.w = new Uint16Array(f.buffer)
    this.capacity = capacity
  }

  private ensure(c: number): void {
    // By half again, not double: a national run's rows are tens of megabytes, and the copy holds both.
    if (c >= this.capacity) this.grow(Math.max(c + 1, Math.ceil(this.capacity * 1.5)))
    if (c >= this.n) this.n = c + 1
  }

  private uascOf(c: number): boolean {
    return this.uascRoute >= 0 && (this.b[c * ROW + FLAGS] & UASC) !== 0
  }

  private facts(child: number, t: number, reason: LeftCareReason | null): ChildFacts {
    const p = placementOf(this.b[child * ROW + CELL])
    return {
      age: ageOn(this.cal, this.i[child * (ROW / 4) + 2], t),
      placement: p >= 0 ? PLACEMENTS[p] : null,
      reason,
      uasc: this.uascOf(child)
    }
  }

  /** A year's figures are taken when the run covers the whole of it, 1 April to 31 March. */
  private endsOn31March(f: number): boolean {
    const fy = this.cal.financialYears[f]
    return (
      fy.start >= 0 &&
      fy.end <= this.cal.horizon &&
      this.cal.dateOf(fy.start).endsWith("-04-01") &&
      this.cal.dateOf(fy.end).endsWith("-04-01")
    )
  }

  private openYear(): void {
    this.starting = new Groups()
    this.cinStartedEpisodes = 0
    this.cinStartedChildren = 0
    this.cinEndedEpisodes = 0
    this.cinEndedChildren = 0
    this.cinAnypointChildren = 0
    this.cinOpenAtStart = 0
    this.cpStarted = 0
    this.cpSubsequent = 0
    const b = this.b
    for (let c = 0; c < this.n; c++) {
      const k = c * ROW
      b[k + FLAGS] &= ~YEAR_MARKS
      if (isCin(stateOf(b[k + CELL]))) {
        this.cinOpenAtStart++
        b[k + FLAGS] |= CIN_ANYPOINT
        this.cinAnypointChildren++
      }
    }
    this.opened = true
  }

  private closeYear(): void {
    const f = this.year
    const fy = this.cal.financialYears[f]
    if (this.endsOn31March(f)) {
      const timePeriod = String(Number(fy.label.slice(0, 4)) + 1)
      const on31 = new Groups()
      const ceasing = new Groups()
      const bands = new Array<number>(CP_BANDS.length).fill(0)
      let at31 = 0
      const t = fy.end - 1e-9
      const b = this.b
      for (let c = 0; c < this.n; c++) {
        const k = c * ROW
        const s = stateOf(b[k + CELL])
        if (s === LA) on31.add(this.facts(c, t, null))
        if (s === CP) bands[bandOf(fy.end - this.f[c * (ROW / 8)])]++
        if (isCin(s)) at31++
        if ((b[k + FLAGS] & CEASED_THIS_YEAR) !== 0) {
          const ceased = this.w[c * (ROW / 2) + CEASED]
          const p = ((ceased >> 7) & 15) - 1
          ceasing.add({
            age: ceased & 127,
            placement: p >= 0 ? PLACEMENTS[p] : null,
            reason: LEFT_CARE_REASONS[ceased >> 11] ?? "other",
            uasc: this.uascOf(c)
          })
        }
      }
      this.cla.push({
        timePeriod,
        groups: { on_31_march: on31.list(), starting: this.starting.list(), ceasing: ceasing.list() }
      })
      this.cin.push({
        timePeriod,
        anypointEpisodes: this.cinOpenAtStart + this.cinStartedEpisodes,
        anypointChildren: this.cinAnypointChildren,
        startedEpisodes: this.cinStartedEpisodes,
        startedChildren: this.cinStartedChildren,
        endedEpisodes: this.cinEndedEpisodes,
        endedChildren: this.cinEndedChildren,
        at31Episodes: at31
      })
      this.cp.push({ timePeriod, byBand: bands, started: this.cpStarted, subsequent: this.cpSubsequent })
    }
    this.year++
  }

  private advance(t: number): void {
    if (!this.opened) this.openYear()
    const fys = this.cal.financialYears
    while (this.year < fys.length && t >= fys[this.year].end) {
      this.closeYear()
      this.openYear()
    }
    this.yearEnd = this.year < fys.length ? fys[this.year].end : Infinity
  }

  take(r: EventRecord): void {
    const c = r.child
    // A contact names no child (one that becomes a referral names it in its ChildReferred).
    if (c < 0) return
    // A child the fold has not seen yet has a row of zeros (no state): it need not be read (in a national run
    // a new child's row is a cache miss, and most children are new).
    const fresh = c >= this.n
    this.ensure(c)
    const b = this.b
    const k = c * ROW
    const tag = r.tag
    if (tag === OPEN_AT_START || tag === CLOSED_BEFORE_START) {
      b[k + CELL] = cellByte(r.to, r.toPlacement)
      this.i[c * (ROW / 4) + 2] = r.dateOfBirth
      this.f[c * (ROW / 8)] = r.since
      // A plan in progress at the start is one the child has had.
      b[k + FLAGS] = r.to === CP ? HAD_CP_PLAN : 0
      return
    }
    // Sibling groups are not in DfE's tables (and a family open at the start comes with the opening caseload).
    if (tag === SIBLING) return
    if (tag === HISTORY) {
      if (r.previousCpPlans > 0) b[k + FLAGS] |= HAD_CP_PLAN
      if (r.uasc === 1 && this.uascRoute >= 0) b[k + FLAGS] |= UASC
      return
    }
    // The opening caseload's legal statuses come with it, before the year opens.
    if (tag === STATUS_CHANGED && !this.opened) return
    if (!this.opened || r.time >= this.yearEnd) this.advance(r.time)
    if (tag === REFERRED && (fresh || stateOf(b[k + CELL]) === NONE)) {
      this.i[c * (ROW / 4) + 2] = r.dateOfBirth
      b[k + CELL] = cellByte(UNIVERSAL, NONE)
      this.f[c * (ROW / 8)] = r.time
      // Referred to the front door (or re-referred, which changes no state): nothing more to count.
      if (r.to < 0 || r.to === UNIVERSAL) return
    }
    if (r.to < 0) return
    const cell = b[k + CELL]
    const from = stateOf(cell)
    const to = r.to
    let flags = b[k + FLAGS]
    let placement = placementOf(cell)
    if (tag === BECAME_LOOKED_AFTER && r.name === this.uascRoute && this.uascRoute >= 0) flags |= UASC
    if (to === LA && from !== LA && (flags & STARTED_CARE) === 0) {
      flags |= STARTED_CARE
      placement = r.toPlacement
      b[k + CELL] = cellByte(from, placement)
      b[k + FLAGS] = flags
      this.starting.add(this.facts(c, r.time, null))
    }
    if (from === LA && to !== LA && tag === LEFT_CARE) {
      flags |= CEASED_THIS_YEAR
      const age = Math.max(0, Math.min(127, ageOn(this.cal, this.i[c * (ROW / 4) + 2], r.time)))
      this.w[c * (ROW / 2) + CEASED] = age | ((placement + 1) << 7) | (r.reason << 11)
    }
    if (to === CP && from !== CP) {
      this.cpStarted++
      if ((flags & HAD_CP_PLAN) !== 0) this.cpSubsequent++
      flags |= HAD_CP_PLAN
    }
    if (!isCin(from) && isCin(to)) {
      this.cinStartedEpisodes++
      if ((flags & CIN_STARTED) === 0) {
        flags |= CIN_STARTED
        this.cinStartedChildren++
      }
      if ((flags & CIN_ANYPOINT) === 0) {
        flags |= CIN_ANYPOINT
        this.cinAnypointChildren++
      }
    } else if (isCin(from) && !isCin(to)) {
      this.cinEndedEpisodes++
      if ((flags & CIN_ENDED) === 0) {
        flags |= CIN_ENDED
        this.cinEndedChildren++
      }
    }
    if (to !== from) this.f[c * (ROW / 8)] = r.time
    b[k + CELL] = cellByte(to, r.toPlacement)
    b[k + FLAGS] = flags
  }

  /** Reads the listed children's rows together, so that they are in the cache when their events come (see
   * `RecordSink.ahead`). */
  ahead(children: Int32Array, size: number): void {
    const b = this.b
    const n = this.n
    let sum = 0
    for (let k = 0; k < size; k++) {
      const c = children[k]
      if (c >= 0 && c < n) sum = (sum + b[c * ROW + CELL]) | 0
    }
    this.touched = (this.touched + sum) | 0
  }
  /** A sum of what `ahead` read (kept, so that the reads are not optimised away). */
  private touched = 0

  /** The tables, once every event has been taken. */
  finish(): DfeTables {
    this.advance(this.cal.horizon)
    if (this.year < this.cal.financialYears.length) this.closeYear()
    return { laName: this.laName, uasc: this.uascRoute >= 0, cla: this.cla, cin: this.cin, cp: this.cp }
  }
}

// ---------------------------------------------------------------------------------------------------------
// The files

export const DFE_FILES: ReadonlyArray<string> = ["dfe_cla.csv", "dfe_cin_b1.csv", "dfe_cp_d5.csv", "dfe_cp_d3.csv"]

/** The geography block every EES table starts with, in EES's order. */
export const EES_GEOGRAPHY: ReadonlyArray<string> = [
  "time_period",
  "time_identifier",
  "geographic_level",
  "country_code",
  "country_name",
  "region_code",
  "region_name",
  "old_la_code",
  "new_la_code",
  "la_name"
]
const geography = (timePeriod: string, la: string): Array<string> => [
  timePeriod,
  "Reporting year",
  "Local authority",
  "E92000001",
  "England",
  "",
  "",
  "",
  "",
  la
]

/** One CLA row: a population, characteristic and breakdown, with its count and percentage of the total. */
export interface ClaRow {
  readonly timePeriod: string
  readonly population: Population
  readonly characteristic: string
  readonly breakdown: string
  readonly count: number
  /** Of the population's total, 0-100, rounded to whole numbers as DfE publishes (null: no children). */
  readonly percent: number | null
}

export const claRows = (t: DfeTables): Array<ClaRow> =>
  t.cla.flatMap((y) =>
    CHARACTERISTICS.filter((ch) => ch.needsUasc !== true || t.uasc).flatMap((ch) =>
      ch.populations.flatMap((pop) => {
        const total = populationCount(y, pop)
        const name = ch.name(pop)
        const counts = new Map<string, number>(ch.breakdowns(pop).map((b) => [b, 0]))
        for (const g of y.groups[pop]) {
          const b = ch.of(g.facts, pop)
          if (b !== null) counts.set(b, (counts.get(b) ?? 0) + g.count)
        }
        const row = (breakdown: string, n: number): ClaRow => ({
          timePeriod: y.timePeriod,
          population: pop,
          characteristic: name,
          breakdown,
          count: n,
          percent: total === 0 ? null : Math.round((n / total) * 100)
        })
        return [row("Total", total), ...[...counts].map(([b, n]) => row(b, n))]
      })
    )
  )

export const claCsv = (t: DfeTables): string =>
  csv(
    [...EES_GEOGRAPHY, "population_type", "characteristic", "breakdown", "children_count", "children_percent"],
    claRows(t).map((r) => [
      ...geography(r.timePeriod, t.laName),
      POPULATION_TYPE[r.population],
      r.characteristic,
      r.breakdown,
      r.count,
      r.percent === null ? "z" : r.percent
    ])
  )

export const cinCsv = (t: DfeTables): string =>
  csv(
    [
      ...EES_GEOGRAPHY,
      "category",
      "Anypoint_episodes",
      "Anypoint_child",
      "Started_episodes",
      "Started_child",
      "Ended_episodes",
      "Ended_child",
      "At31_episodes",
      "awaiting_assessment"
    ],
    t.cin.map((y) => [
      ...geography(y.timePeriod, t.laName),
      "Children in Need",
      y.anypointEpisodes,
      y.anypointChildren,
      y.startedEpisodes,
      y.startedChildren,
      y.endedEpisodes,
      y.endedChildren,
      y.at31Episodes,
      "x"
    ])
  )

const pct1 = (n: number, total: number): string | number => (total === 0 ? "z" : Math.round((n / total) * 1000) / 10)

export const cpCsv = (t: DfeTables): string =>
  csv(
    [...EES_GEOGRAPHY, "category", "CPP_At31", ...CP_BANDS.flatMap((b) => [b, `${b}_percent`])],
    t.cp.map((y) => {
      const total = y.byBand.reduce((a, b) => a + b, 0)
      return [
        ...geography(y.timePeriod, t.laName),
        "Child Protection Plans by length of time",
        total,
        ...y.byBand.flatMap((n) => [n, pct1(n, total)])
      ]
    })
  )

/** Table D3: child protection plans started in the year, and how many were second or subsequent plans. */
export const cpSubsequentCsv = (t: DfeTables): string =>
  csv(
    [...EES_GEOGRAPHY, "category", "CPP_start", "CPP_subsequent", "CPP_subsequent_percent"],
    t.cp.map((y) => [
      ...geography(y.timePeriod, t.laName),
      "Child Protection Plans which are a second or subsequent plan",
      y.started,
      y.subsequent,
      pct1(y.subsequent, y.started)
    ])
  )

export const dfeFiles = (t: DfeTables): ReadonlyArray<readonly [string, string]> => [
  ["dfe_cla.csv", claCsv(t)],
  ["dfe_cin_b1.csv", cinCsv(t)],
  ["dfe_cp_d5.csv", cpCsv(t)],
  ["dfe_cp_d3.csv", cpSubsequentCsv(t)]
]

// ---------------------------------------------------------------------------------------------------------
// In the report and the workbook

const BAND_LABEL = ["3 months or less", "3 to 6 months", "6 months to 1 year", "1 to 2 years", "2 years or more"]

export const dfeBlocks = (t: DfeTables): Array<Block> => {
  if (t.cla.length === 0)
    return [{ kind: "paragraph", text: "The run has no whole year ending on 31 March, so there are no DfE tables." }]
  const years = t.cla.map((y) => y.timePeriod)
  const rows = claRows(t)
  const lines = unique(rows.map((r) => `${r.population}|${r.characteristic}|${r.breakdown}`))
  const byKey = new Map(rows.map((r) => [`${r.population}|${r.characteristic}|${r.breakdown}|${r.timePeriod}`, r]))
  return [
    {
      kind: "paragraph",
      text:
        "In the shape of DfE's local-authority tables (Explore Education Statistics, 2025 release names), counted as " +
        "DfE counts: children, not episodes, and a child ceasing twice in a year once, at the last cessation. " +
        "Years are the years ending 31 March. Files: dfe_cla.csv, dfe_cin_b1.csv, dfe_cp_d5.csv, dfe_cp_d3.csv."
    },
    {
      kind: "table",
      caption: "Children looked after (children_count, with children_percent of each total)",
      columns: [
        { header: "population" },
        { header: "characteristic" },
        { header: "breakdown" },
        ...years.map((y) => ({ header: y, numeric: true }))
      ],
      rows: lines.map((k, n) => {
        const [pop, ch, b] = k.split("|")
        const [prevPop, prevCh] = n === 0 ? ["", ""] : lines[n - 1].split("|")
        // A population and a characteristic are named on their first row only.
        return [
          pop === prevPop ? "" : POPULATION_TYPE[pop as Population].replace(" each year", ""),
          pop === prevPop && ch === prevCh ? "" : ch,
          b,
          ...years.map((y) => {
            const r = byKey.get(`${k}|${y}`)
            return r === undefined ? "" : b === "Total" ? count(r.count) : `${count(r.count)} (${r.percent ?? "-"}%)`
          })
        ]
      }),
      totals: lines.flatMap((k, n) => (k.endsWith("|Total") ? [n] : []))
    },
    {
      kind: "table",
      caption: "Children in need, census table B1 (including child protection and looked after)",
      columns: [
        { header: "year" },
        { header: "episodes at any point", numeric: true },
        { header: "children at any point", numeric: true },
        { header: "episodes started", numeric: true },
        { header: "children starting", numeric: true },
        { header: "episodes ended", numeric: true },
        { header: "children ending", numeric: true },
        { header: "episodes at 31 March", numeric: true }
      ],
      rows: t.cin.map((y) => [
        y.timePeriod,
        count(y.anypointEpisodes),
        count(y.anypointChildren),
        count(y.startedEpisodes),
        count(y.startedChildren),
        count(y.endedEpisodes),
        count(y.endedChildren),
        count(y.at31Episodes)
      ])
    },
    {
      kind: "table",
      caption: "Child protection plans at 31 March by length of time, table D5",
      columns: [
        { header: "year" },
        { header: "plans", numeric: true },
        ...BAND_LABEL.map((b) => ({ header: b, numeric: true }))
      ],
      rows: t.cp.map((y) => {
        const total = y.byBand.reduce((a, b) => a + b, 0)
        return [
          y.timePeriod,
          count(total),
          ...y.byBand.map((n) => `${count(n)} (${percent(total === 0 ? null : n / total, 0)})`)
        ]
      })
    },
    {
      kind: "table",
      caption: "Child protection plans started, and second or subsequent plans, table D3",
      columns: [
        { header: "year" },
        { header: "plans started", numeric: true },
        { header: "second or subsequent", numeric: true },
        { header: "share", numeric: true }
      ],
      rows: t.cp.map((y) => [
        y.timePeriod,
        count(y.started),
        count(y.subsequent),
        percent(y.started === 0 ? null : y.subsequent / y.started, 1)
      ])
    }
  ]
}

export const dfeSheets = (t: DfeTables): Array<Sheet> => [
  {
    name: "DfE CLA",
    columns: [
      { header: "time_period", kind: "text" },
      { header: "population_type", kind: "text", width: 46 },
      { header: "characteristic", kind: "text", width: 24 },
      { header: "breakdown", kind: "text", width: 60 },
      { header: "children_count", kind: "count" },
      { header: "children_percent", kind: "count" }
    ],
    rows: claRows(t).map((r) => [
      r.timePeriod,
      POPULATION_TYPE[r.population],
      r.characteristic,
      r.breakdown,
      r.count,
      r.percent
    ])
  },
  {
    name: "DfE CIN B1",
    columns: [
      { header: "time_period", kind: "text" },
      { header: "Anypoint_episodes", kind: "count" },
      { header: "Anypoint_child", kind: "count" },
      { header: "Started_episodes", kind: "count" },
      { header: "Started_child", kind: "count" },
      { header: "Ended_episodes", kind: "count" },
      { header: "Ended_child", kind: "count" },
      { header: "At31_episodes", kind: "count" }
    ],
    rows: t.cin.map((y) => [
      y.timePeriod,
      y.anypointEpisodes,
      y.anypointChildren,
      y.startedEpisodes,
      y.startedChildren,
      y.endedEpisodes,
      y.endedChildren,
      y.at31Episodes
    ])
  },
  {
    name: "DfE CP D5",
    columns: [
      { header: "time_period", kind: "text" },
      { header: "CPP_At31", kind: "count" },
      ...CP_BANDS.map((b) => ({ header: b, kind: "count" as const }))
    ],
    rows: t.cp.map((y) => [y.timePeriod, y.byBand.reduce((a, b) => a + b, 0), ...y.byBand])
  },
  {
    name: "DfE CP D3",
    columns: [
      { header: "time_period", kind: "text" },
      { header: "CPP_start", kind: "count" },
      { header: "CPP_subsequent", kind: "count" },
      { header: "CPP_subsequent_percent", kind: "text" }
    ],
    rows: t.cp.map((y) => [y.timePeriod, y.started, y.subsequent, String(pct1(y.subsequent, y.started))])
  }
]
