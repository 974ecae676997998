/**
 * A run's looked-after children as SSDA903 returns: the episodes, header and UASC files of each whole
 * collection year (1 April to 31 March) inside the run, in the DfE's raw format (one file per collection
 * year, dates dd/mm/yyyy, the return's columns in its order), folded from the run's event records, so that
 * caseflow's own reader (and a council's 903 tools) can read what the model did. Not a second simulation:
 * a fold over the same records as the ledger, in a run or a replay alike.
 *
 * An episode is a stretch of a period of care with one placement and one legal status: a period begins with
 * RNE S (`ChildBecameLookedAfter`, or a child in care at the start from the day their period began); a
 * placement move closes the episode with REC X1 and opens one with RNE P, a legal-status change with RNE L,
 * both on one day RNE B (changes on the day an episode began amend it instead: 903 counts whole days; a child
 * leaving care and coming back the same day stays in one period); leaving care closes the last with REC from
 * the model's reason:
 *
 *   returned_home E4A (returned home as part of the care plan)   adopted E11
 *   special_guardianship E46 (special guardianship order)        independent_living E5
 *   turned_18 E17 (aged 18: the one code that says so)           other E8 (any other reason)
 *
 * Placements are coded PLACE / PLACE_PROVIDER so that `Codes.placementGroup` reads each back as itself:
 * in_house_foster U4/PR1, ifa_foster U4/PR4, kinship U3/PR1, in_house_residential K2/PR1,
 * external_residential K2/PR4, supported_16_plus H5/PR4 (K3/PR4 for an episode whose first return is 2024-25
 * or later: K3 came in then, and H5 went in 2025-26; an H5 episode still open in 2025-26 is refused there,
 * rule 146), placed_with_parents P1/PR0, secure K1/PR1, placed_for_adoption A5/PR1.
 *
 * What the model does not have is not invented as a figure: REASON_PLACE_CHANGE, HOME_POST, PL_POST, URN,
 * ETHNIC, UPN, MOTHER and MC_DOB are blank. Three required codes are written as fixed placeholders, so that
 * the files pass the return's checks, and must not be read as model output: CIN (category of need) N1, SEX 1
 * (M from 2024-25) for even child numbers and 2 (F) for odd, and, for a scenario without legal statuses, LS
 * C2. A child is UASC from entering care by the scenario's UASC route; the UASC file's DUC (the date UASC
 * status ceased) is the 18th birthday.
 */
import { addYears, isoOfEpochDay } from "../domain/Calendar.js"
import { EVENT_TAG_INDEX, type EventRecord, type RecordSink } from "../domain/Event.js"
import { LEFT_CARE_REASONS, LEGAL_STATUSES, PLACEMENTS, stateIndex, type Placement } from "../domain/Level.js"
import { K3_FROM, SEX_LETTERS_FROM } from "./Codes.js"
import { collectionYearOf, yearEnd, yearStart } from "./Read.js"

export const EPISODE_COLUMNS = [
  "CHILD",
  "DECOM",
  "RNE",
  "LS",
  "CIN",
  "PLACE",
  "PLACE_PROVIDER",
  "DEC",
  "REC",
  "REASON_PLACE_CHANGE",
  "HOME_POST",
  "PL_POST",
  "URN"
] as const
export const HEADER_COLUMNS = ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"] as const
export const UASC_COLUMNS = ["CHILD", "SEX", "DOB", "DUC"] as const

/** REC for each of the model's reasons for leaving care. */
export const REC_OF_REASON: Readonly<Record<(typeof LEFT_CARE_REASONS)[number], string>> = {
  returned_home: "E4A",
  adopted: "E11",
  special_guardianship: "E46",
  turned_18: "E17",
  independent_living: "E5",
  other: "E8"
}

/** PLACE and PLACE_PROVIDER of each placement type (`year`: the collection year the episode began in). */
export const placeCodes = (p: Placement, year: number): readonly [string, string] => {
  switch (p) {
    case "in_house_foster":
      return ["U4", "PR1"]
    case "ifa_foster":
      return ["U4", "PR4"]
    case "kinship":
      return ["U3", "PR1"]
    case "in_house_residential":
      return ["K2", "PR1"]
    case "external_residential":
      return ["K2", "PR4"]
    case "supported_16_plus":
      return [year >= K3_FROM ? "K3" : "H5", "PR4"]
    case "placed_with_parents":
      return ["P1", "PR0"]
    case "secure":
      return ["K1", "PR1"]
    case "placed_for_adoption":
      return ["A5", "PR1"]
  }
}

/** The placeholder legal status of a scenario without legal statuses. */
export const PLACEHOLDER_LS = "C2"
export const PLACEHOLDER_CIN = "N1"

interface Ep {
  /** Days (epoch) the episode began and ceased (null: open at the end of the run). */
  readonly start: number
  end: number | null
  rne: string
  placement: number
  /** Index in LEGAL_STATUSES; -1: not set (yet). */
  ls: number
  rec: string
}

interface Child {
  readonly id: number
  /** Date of birth (epoch day). */
  dob: number
  uasc: boolean
  readonly episodes: Array<Ep>
  open: Ep | null
}

const T = EVENT_TAG_INDEX
const LOOKED_AFTER = stateIndex.looked_after

/** dd/mm/yyyy of an epoch day. */
export const dmy = (day: number): string => {
  const iso = isoOfEpochDay(day)
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`
}

/** A file of a return: its name and text. */
export type ReturnFile = readonly [string, string]

/** The name of a file of collection year `year` (ending 31 March `year`): `episodes_2025-26.csv`. */
export const returnFileName = (role: "episodes" | "header" | "uasc", year: number): string =>
  `${role}_${year - 1}-${String(year % 100).padStart(2, "0")}.csv`

export class Ssda903Fold implements RecordSink {
  private readonly children = new Map<number, Child>()
  private readonly dob = new Map<number, number>()

  constructor(
    /** The run's first day (epoch day): simulated day 0. */
    private readonly startDay: number,
    /** Days simulated. */
    private readonly horizon: number,
    /** The UASC route's number in the records' names; -1: none. */
    private readonly uascRoute: number = -1
  ) {}

  private day(t: number): number {
    return this.startDay + Math.floor(t)
  }

  private child(c: number): Child {
    let ch = this.children.get(c)
    if (ch === undefined) {
      ch = { id: c, dob: this.dob.get(c) ?? this.startDay, uasc: false, episodes: [], open: null }
      this.children.set(c, ch)
    }
    return ch
  }

  private begin(ch: Child, day: number, placement: number): void {
    const ep: Ep = { start: day, end: null, rne: "S", placement, ls: -1, rec: "" }
    ch.episodes.push(ep)
    ch.open = ep
  }

  /** A change of placement (P) or legal status (L) on `day`. */
  private change(ch: Child, day: number, kind: "P" | "L", placement: number, ls: number): void {
    const open = ch.open
    if (open === null) return
    if (open.start === day) {
      open.placement = placement
      open.ls = ls
      if (open.rne !== "S" && open.rne !== kind) open.rne = "B"
      return
    }
    open.end = day
    open.rec = "X1"
    const ep: Ep = { start: day, end: null, rne: kind, placement, ls, rec: "" }
    ch.episodes.push(ep)
    ch.open = ep
  }

  take(r: EventRecord): void {
    const c = r.child
    switch (r.tag) {
      case T.CaseOpenAtStart:
        this.dob.set(c, this.day(r.dateOfBirth))
        if (r.to === LOOKED_AFTER) this.begin(this.child(c), this.day(r.since), r.toPlacement)
        return
      case T.CaseClosedBeforeStart:
        this.dob.set(c, this.day(r.dateOfBirth))
        return
      case T.ChildReferred:
        if (r.to >= 0) this.dob.set(c, this.day(r.dateOfBirth))
        return
      case T.ChildBecameLookedAfter: {
        const ch = this.child(c)
        ch.dob = this.dob.get(c) ?? ch.dob
        if (r.name >= 0 && r.name === this.uascRoute) ch.uasc = true
        this.begin(ch, this.day(r.time), r.toPlacement)
        return
      }
      case T.LegalStatusChanged: {
        const ch = this.children.get(c)
        if (ch === undefined || ch.open === null) return
        if (r.fromStatus < 0) ch.open.ls = r.status
        else this.change(ch, this.day(r.time), "L", ch.open.placement, r.status)
        return
      }
      case T.PlacementChanged: {
        const ch = this.children.get(c)
        if (ch === undefined || ch.open === null) return
        this.change(ch, this.day(r.time), "P", r.toPlacement, ch.open.ls)
        return
      }
      case T.ChildLeftCare: {
        const ch = this.children.get(c)
        if (ch === undefined || ch.open === null) return
        ch.open.end = this.day(r.time)
        ch.open.rec = REC_OF_REASON[LEFT_CARE_REASONS[r.reason]]
        ch.open = null
        return
      }
      default:
        return
    }
  }

  /**
   * A child who left care and came back on the same day was looked after on every day: in 903 terms one
   * period, not two (a new period's RNE S the day the last one ended is rule 431). The return goes on with
   * the same episode if neither placement nor legal status changed, else closes it with X1 and opens one with
   * RNE P, L or B.
   */
  private static sameDayReturns(eps: Array<Ep>): Array<Ep> {
    const out: Array<Ep> = []
    for (const e of eps) {
      const prev = out[out.length - 1]
      if (prev === undefined || e.rne !== "S" || prev.end !== e.start || prev.rec === "X1") {
        out.push(e)
        continue
      }
      const placed = prev.placement !== e.placement
      const status = prev.ls !== e.ls
      if (!placed && !status) {
        prev.end = e.end
        prev.rec = e.rec
        continue
      }
      prev.rec = "X1"
      e.rne = placed && status ? "B" : placed ? "P" : "L"
      out.push(e)
    }
    return out
  }

  /** The whole collection years inside the run (ending 31 March), in order. */
  years(): Array<number> {
    const out: Array<number> = []
    const end = this.startDay + this.horizon
    for (let y = collectionYearOf(this.startDay); yearStart(y) < end; y++)
      if (yearStart(y) >= this.startDay && yearEnd(y) <= end) out.push(y)
    return out
  }

  /** The episodes, header and (for a run with UASC children) UASC files of each whole collection year. */
  finish(): Array<ReturnFile> {
    const kids = [...this.children.values()]
      .sort((a, b) => a.id - b.id)
      .map((k) => ({ ...k, all: Ssda903Fold.sameDayReturns(k.episodes.map((e) => ({ ...e }))) }))
    const files: Array<ReturnFile> = []
    const anyUasc = kids.some((k) => k.uasc)
    const years = this.years()
    // A code is chosen by the first return an episode is in, so that every return gives it the same code.
    const first = years[0] ?? 0
    for (const y of years) {
      const from = yearStart(y)
      const to = yearEnd(y)
      const episodes: Array<string> = [EPISODE_COLUMNS.join(",")]
      const header: Array<string> = [HEADER_COLUMNS.join(",")]
      const uasc: Array<string> = [UASC_COLUMNS.join(",")]
      for (const k of kids) {
        const eps = k.all.filter((e) => e.start < to && (e.end === null || e.end >= from))
        if (eps.length === 0) continue
        for (const e of eps) {
          const ended = e.end !== null && e.end < to
          const [place, provider] = placeCodes(PLACEMENTS[e.placement], Math.max(first, collectionYearOf(e.start)))
          episodes.push(
            [
              String(k.id),
              dmy(e.start),
              e.rne,
              e.ls < 0 ? PLACEHOLDER_LS : LEGAL_STATUSES[e.ls],
              PLACEHOLDER_CIN,
              place,
              provider,
              ended ? dmy(e.end!) : "",
              ended ? e.rec : "",
              "",
              "",
              "",
              ""
            ].join(",")
          )
        }
        const sex = k.id % 2 === 0 ? (y >= SEX_LETTERS_FROM ? "M" : "1") : y >= SEX_LETTERS_FROM ? "F" : "2"
        header.push([String(k.id), sex, dmy(k.dob), "", "", "", ""].join(","))
        if (k.uasc) uasc.push([String(k.id), sex, dmy(k.dob), dmy(addYears(k.dob, 18))].join(","))
      }
      files.push([returnFileName("episodes", y), episodes.join("\n") + "\n"])
      files.push([returnFileName("header", y), header.join("\n") + "\n"])
      if (anyUasc) files.push([returnFileName("uasc", y), uasc.join("\n") + "\n"])
    }
    return files
  }
}
