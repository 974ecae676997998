/**
 * From the rows of SSDA903 returns to each child's clean history: periods of care made of episodes, with
 * every dirty-data problem reported by file, line and rule (`Rules.ts`) and handled as that rule says.
 *
 * In order: header and UASC rows (the latest year's row of a child wins); each episode row's dates and
 * codes checked against its collection year's code lists; the same episode (CHILD, DECOM) across years
 * joined (the latest year's record wins, a record that changed other than by ending is a cross-year
 * mismatch; one still open at a year's end but missing from the next year's return is censored there);
 * then each child's episodes in date order: episodes before birth, after death, overlapping or left open
 * before a new one; chained into periods (an episode starting the day the previous ended with X1 continues
 * the period); a period still running on the 18th birthday ended there. Periods of short breaks only
 * (V3/V4) are set apart, as DfE leaves them out of counts of children looked after.
 *
 * Days are whole days since 1970-01-01. A period is in care from its `start` up to its end day: the day
 * DEC gives (a child who left on 5 May was in care 4 May, not 5 May).
 */
import { addYears } from "../domain/Calendar.js"
import {
  type CodedField,
  type ExitRoute,
  exitRoute,
  isShortBreak,
  placementGroup,
  type PlacementGroup,
  type Sex,
  sexOf,
  validCodes
} from "./Codes.js"
import type { DateValue, Returns, Row } from "./Read.js"
import { yearEnd, yearStart } from "./Read.js"
import type { Problem, RuleCode } from "./Rules.js"

/** Where a record came from. */
export interface Source {
  readonly file: string
  readonly line: number
  readonly year: number
}

export interface Episode {
  readonly start: number
  /** The day it ceased; null if open at the end of the data (or of the return that last held it). */
  readonly end: number | null
  /** Codes as given, upper case; "" where blank or not a valid code (the problem is reported). */
  readonly rne: string
  readonly ls: string
  readonly cin: string
  readonly place: string
  readonly provider: string
  readonly rec: string
  readonly placement: PlacementGroup
  readonly source: Source
}

/** How a period of care ended, or that it was still running when observation stopped. */
export type PeriodEnd =
  | { readonly _tag: "Ceased"; readonly day: number; readonly route: ExitRoute }
  | {
      readonly _tag: "Open"
      /** The day observation stopped (the end of the data, or of the last return holding it: rule 502). */
      readonly day: number
    }

export interface Period {
  readonly start: number
  /** Whether `start` is the period's real start (its first episode has RNE S; else rule CF07). */
  readonly startKnown: boolean
  readonly end: PeriodEnd
  readonly episodes: ReadonlyArray<Episode>
}

export interface ChildHistory {
  readonly child: string
  /** Date of birth (day), or null when unknown. */
  readonly dob: number | null
  readonly sex: Sex
  /** Whether the child was an unaccompanied asylum-seeking child (in a UASC file). */
  readonly uasc: boolean
  /** The day UASC status ceased (DUC), when given. */
  readonly uascCeased: number | null
  readonly periods: ReadonlyArray<Period>
}

export interface Histories {
  readonly children: ReadonlyArray<ChildHistory>
  /** Days of the data: from 1 April of the first collection year up to 1 April after the last. */
  readonly from: number
  readonly to: number
  readonly years: ReadonlyArray<number>
  readonly problems: ReadonlyArray<Problem>
  /** Periods of short breaks only (V3/V4), left out, and their episodes. */
  readonly shortBreakPeriods: number
  readonly shortBreakEpisodes: number
  /** Rows read, by file (for the calibration table's sources). */
  readonly rowsRead: ReadonlyArray<{ readonly file: string; readonly rows: number }>
}

interface Draft {
  start: number
  end: number | null
  rne: string
  ls: string
  cin: string
  place: string
  provider: string
  rec: string
  source: Source
  /** The last day the episode was observed open, when its return series stopped before the data did (502). */
  censoredAt: number | null
  /** Whether its end was set by a rule (142): the next episode's RNE is then not checked against it (431). */
  closedByRule: boolean
}

const CODED: ReadonlyArray<readonly [CodedField, RuleCode]> = [
  ["RNE", "143"],
  ["LS", "144"],
  ["CIN", "145"],
  ["PLACE", "146"],
  ["PLACE_PROVIDER", "178"],
  ["REC", "149"]
]

/** The clean histories of the children in `returns`. */
export const cleanReturns = (returns: Returns): Histories => {
  const problems: Array<Problem> = []
  const report = (where: Source, child: string, rule: RuleCode, field: string, value: string) =>
    problems.push({ file: where.file, line: where.line, child, rule, field, value })
  const from = yearStart(returns.years[0])
  const to = yearEnd(returns.years[returns.years.length - 1])
  const lastYear = returns.years[returns.years.length - 1]

  // 1. Children: the latest year's header row wins, field by field: where its value is invalid (reported),
  // the latest earlier year's valid value stands in (a date of birth mistyped in this year's return does not
  // undo four earlier returns' right one).
  interface Person {
    /** Null: no valid date of birth (reported). */
    dob: number | null
    sex: Sex
    sexValid: boolean
    year: number
    row: Row
  }
  const people = new Map<string, Person>()
  const headerRows = returns.header.flatMap((f) => [...f.rows]).sort((a, b) => b.year - a.year || a.line - b.line)
  for (const r of headerRows) {
    const child = r.get("CHILD")
    if (child === "") {
      report(r, child, "CF05", "CHILD", "")
      continue
    }
    const d = r.date("DOB")
    let dob: number | null = typeof d === "number" ? d : null
    if (typeof d !== "number") report(r, child, "102", "DOB", r.get("DOB"))
    else if (d >= yearEnd(r.year)) {
      report(r, child, "301", "DOB", r.get("DOB"))
      dob = null
    }
    const sexCode = r.get("SEX").toUpperCase()
    const sexValid = validCodes("SEX", r.year).has(sexCode)
    if (!sexValid) report(r, child, "101", "SEX", r.get("SEX"))
    const sex = sexValid ? sexOf(sexCode) : "unknown"
    const known = people.get(child)
    if (known === undefined) {
      people.set(child, { dob, sex, sexValid, year: r.year, row: r })
      continue
    }
    if (known.year === r.year) {
      report(r, child, "CF01", "", "")
      continue
    }
    // An earlier year: it fills in what the later ones gave no valid value for, and differs (CF02) only where
    // both are valid.
    const dobDiffers = known.dob !== null && dob !== null && known.dob !== dob
    const sexDiffers = known.sexValid && sexValid && known.sex !== sex
    if (dobDiffers || sexDiffers)
      report(r, child, "CF02", dobDiffers ? "DOB" : "SEX", dobDiffers ? r.get("DOB") : r.get("SEX"))
    if (known.dob === null) known.dob = dob
    if (!known.sexValid && sexValid) Object.assign(known, { sex, sexValid })
  }
  const uascOf = new Map<string, { ceased: number | null; row: Row }>()
  for (const r of returns.uasc.flatMap((f) => [...f.rows]).sort((a, b) => b.year - a.year || a.line - b.line)) {
    const child = r.get("CHILD")
    if (child === "") {
      report(r, child, "CF05", "CHILD", "")
      continue
    }
    if (!uascOf.has(child)) {
      const d = r.date("DUC")
      uascOf.set(child, { ceased: typeof d === "number" ? d : null, row: r })
    }
  }

  // 2. Episode rows, each child's together (in the order read), the children in order of CHILD. A child's
  // history is made from its rows before the next child's, so only one child's drafts are held at a time
  // (drafts of every episode at once took more memory than the histories). The rows are counted by child,
  // then placed in one list by file and place (an array of row objects for each child took as much as the rows).
  const placed = new Map<string, number>()
  for (const f of returns.episodes)
    for (const r of f.rows) {
      const child = r.get("CHILD")
      if (child === "") report(r, child, "CF05", "CHILD", "")
      else placed.set(child, (placed.get(child) ?? 0) + 1)
    }
  const childIds = [...placed.keys()].sort()
  // Each child's first place, then (as its rows are placed) the place after its last.
  let places = 0
  for (const child of childIds) {
    const count = placed.get(child) ?? 0
    placed.set(child, places)
    places += count
  }
  const fileOf = new Int32Array(places)
  const rowOf = new Int32Array(places)
  returns.episodes.forEach((f, k) => {
    for (let i = 0; i < f.rows.length; i++) {
      const child = f.rows.at(i).get("CHILD")
      const at = placed.get(child)
      if (at === undefined) continue
      fileOf[at] = k
      rowOf[at] = i
      placed.set(child, at + 1)
    }
  })
  const rowsAt = (first: number, after: number): Array<Row> => {
    const rows: Array<Row> = []
    for (let at = first; at < after; at++) rows.push(returns.episodes[fileOf[at]].rows.at(rowOf[at]))
    return rows
  }

  // A child's episode rows: dates and codes.
  const drafted = (child: string, rows: ReadonlyArray<Row>): Array<Draft> => {
    const drafts: Array<Draft> = []
    for (const r of rows) {
      const source = { file: r.file, line: r.line, year: r.year }
      const start = r.date("DECOM")
      if (typeof start !== "number") {
        report(source, child, "141", "DECOM", r.get("DECOM"))
        continue
      }
      let endValue: DateValue = r.date("DEC")
      // An end read as missing (147, CF09) leaves its reason unused, without a second problem (148).
      let endMapped = false
      if (endValue === "invalid") {
        report(source, child, "147", "DEC", r.get("DEC"))
        endValue = "blank"
        endMapped = true
      }
      const codes: Record<string, string> = {}
      for (const [field, rule] of CODED) {
        const v = r.get(field).toUpperCase()
        if (v === "") {
          // A blank REC is rule 148's; a blank RNE, LS or PLACE is not a valid code.
          if (field !== "REC" && field !== "CIN" && field !== "PLACE_PROVIDER") report(source, child, rule, field, "")
          codes[field] = ""
        } else if (!validCodes(field, r.year).has(v)) {
          report(source, child, rule, field, r.get(field))
          codes[field] = ""
        } else codes[field] = v
      }
      if (typeof endValue === "number" && endValue >= yearEnd(r.year)) {
        report(source, child, "CF09", "DEC", r.get("DEC"))
        endValue = "blank"
        endMapped = true
      }
      const end = typeof endValue === "number" ? endValue : null
      const recGiven = r.get("REC") !== ""
      if (end === null && recGiven) {
        if (!endMapped) report(source, child, "148", "REC", r.get("REC"))
        codes.REC = ""
      } else if (end !== null && !recGiven) report(source, child, "148", "REC", "")
      if (end !== null && end < start) {
        report(source, child, "356", "DEC", r.get("DEC"))
        continue
      }
      drafts.push({
        start,
        end,
        rne: codes.RNE,
        ls: codes.LS,
        cin: codes.CIN,
        place: codes.PLACE,
        provider: codes.PLACE_PROVIDER,
        rec: codes.REC,
        source,
        censoredAt: null,
        closedByRule: false
      })
    }
    return drafts
  }

  // 3. The same episode (CHILD, DECOM) in several rows: one per return, the latest return's record wins. A
  // child's episodes, one each, in order of start.
  const oneEach = (child: string, drafts: Array<Draft>): Array<Draft> => {
    // By start; each start's rows the latest return's first, then by line.
    drafts.sort((a, b) => a.start - b.start || b.source.year - a.source.year || a.source.line - b.source.line)
    const episodes: Array<Draft> = []
    for (let from = 0; from < drafts.length;) {
      let to = from + 1
      while (to < drafts.length && drafts[to].start === drafts[from].start) to++
      const list = drafts.slice(from, to)
      from = to
      const latestYear = list[0].source.year
      // Within the latest return: keep the one with an end date (the later end).
      const same = list.filter((d) => d.source.year === latestYear)
      same.sort((a, b) => (b.end ?? -Infinity) - (a.end ?? -Infinity) || a.source.line - b.source.line)
      const winner = same[0]
      for (const d of list) {
        if (d === winner) continue
        if (d.source.year === winner.source.year) {
          report(d.source, child, "CF01", "", "")
          continue
        }
        // An earlier return's record: ending since is expected; anything else changed is a mismatch.
        const changed =
          d.rne !== winner.rne
            ? "RNE"
            : d.ls !== winner.ls
              ? "LS"
              : d.place !== winner.place
                ? "PLACE"
                : d.provider !== winner.provider
                  ? "PLACE_PROVIDER"
                  : d.end !== null && d.end !== winner.end
                    ? "DEC"
                    : d.end !== null && d.rec !== winner.rec
                      ? "REC"
                      : null
        if (changed !== null) report(d.source, child, "CF02", changed, "")
      }
      // Still open in its latest return, which is not the last year's: missing from the next return (502).
      if (winner.end === null && winner.source.year < lastYear) {
        report(winner.source, child, "502", "DEC", "")
        winner.censoredAt = yearEnd(winner.source.year)
      }
      episodes.push(winner)
    }
    return episodes
  }

  // 4. Each child's episodes in order, then periods.
  const children: Array<ChildHistory> = []
  let shortBreakPeriods = 0
  let shortBreakEpisodes = 0
  let first = 0
  for (const child of childIds) {
    const after = placed.get(child) ?? first
    const drafts = oneEach(child, drafted(child, rowsAt(first, after)))
    first = after
    if (drafts.length === 0) continue
    const person = people.get(child)
    if (person === undefined) report(drafts[0].source, child, "CF04", "", "")
    const dob = person?.dob ?? null
    const eighteen = dob === null ? null : addYears(dob, 18)
    // Before birth (302), after death or assessed 18+ (437).
    const kept: Array<Draft> = []
    let final = false
    for (const d of drafts) {
      if (final) {
        report(d.source, child, "437", "DECOM", "")
        continue
      }
      if (dob !== null && d.start < dob) {
        report(d.source, child, "302", "DECOM", "")
        continue
      }
      kept.push(d)
      if (d.rec === "E2" || d.rec === "E15") final = true
    }
    // Open before a new one (142), overlapping (501).
    for (let i = 0; i + 1 < kept.length; i++) {
      const d = kept[i]
      const next = kept[i + 1]
      if (d.end === null) {
        report(d.source, child, "142", "DEC", "")
        d.end = next.start
        d.censoredAt = null
        d.closedByRule = true
        if (d.rec === "" && next.rne !== "S") d.rec = "X1"
      } else if (next.start < d.end) {
        report(next.source, child, "501", "DECOM", "")
        d.end = next.start
      }
    }
    // Periods: an episode continues the period when it starts the day the previous ended with X1 (or with
    // no reason: a reason unknown is read as X1 when the next episode starts that very day).
    const periods: Array<Period> = []
    let current: Array<Draft> = []
    const close = (episodes: Array<Draft>, last: Draft, route: ExitRoute | null) => {
      const first = episodes[0]
      const startKnown = first.rne === "S"
      // Before the data began, the episode that started the period may be in an earlier, absent return: its
      // start is unknown, which is no fault of the data. From the data's start on, it is (CF07).
      if (!startKnown && first.start >= from) report(first.source, child, "CF07", "RNE", first.rne)
      const endDay = last.end ?? last.censoredAt ?? to
      const end: PeriodEnd =
        last.end !== null && route !== null ? { _tag: "Ceased", day: last.end, route } : { _tag: "Open", day: endDay }
      if (episodes.every((e) => isShortBreak(e.ls))) {
        shortBreakPeriods++
        shortBreakEpisodes += episodes.length
        return
      }
      periods.push({
        start: first.start,
        startKnown,
        end,
        episodes: episodes.map((e) => ({
          start: e.start,
          end: e.end,
          rne: e.rne,
          ls: e.ls,
          cin: e.cin,
          place: e.place,
          provider: e.provider,
          rec: e.rec,
          placement: placementGroup(e.place, e.provider),
          source: e.source
        }))
      })
    }
    for (let i = 0; i < kept.length; i++) {
      const d = kept[i]
      current.push(d)
      const next = i + 1 < kept.length ? kept[i + 1] : null
      if (d.end === null) {
        close(current, d, null)
        current = []
        continue
      }
      // An S the day the previous episode ended (431): after X1 the period goes on; after a reason, a new one.
      if (next !== null && next.start === d.end && next.rne === "S" && !d.closedByRule)
        report(next.source, child, "431", "RNE", "S")
      const continues = next !== null && next.start === d.end && (d.rec === "X1" || (d.rec === "" && next.rne !== "S"))
      if (continues) continue
      if (d.rec === "X1") report(d.source, child, "CF06", "REC", "X1")
      close(current, d, d.rec === "X1" || d.rec === "" ? "unknown" : exitRoute(d.rec))
      current = []
    }
    // Started aged 18 or over (352): the period is left out; still in care at 18 (CF03): ended there.
    const aged: Array<Period> = []
    for (const p of periods) {
      if (eighteen !== null && p.start >= eighteen) {
        for (const e of p.episodes) report(e.source, child, "352", "DECOM", "")
        continue
      }
      const endDay = p.end.day
      if (eighteen !== null && endDay > eighteen) {
        const last = p.episodes.find((e) => e.end === null || e.end > eighteen) ?? p.episodes[p.episodes.length - 1]
        report(last.source, child, "CF03", "DEC", "")
        for (const e of p.episodes) if (e.start >= eighteen) report(e.source, child, "CF10", "DECOM", "")
        const within = p.episodes
          .filter((e) => e.start < eighteen)
          .map((e) => (e.end === null || e.end > eighteen ? { ...e, end: eighteen } : e))
        aged.push({ ...p, end: { _tag: "Ceased", day: eighteen, route: "turned_18" }, episodes: within })
      } else aged.push(p)
    }
    const uasc = uascOf.get(child)
    children.push({
      child,
      dob,
      sex: person?.sex ?? "unknown",
      uasc: uasc !== undefined,
      uascCeased: uasc?.ceased ?? null,
      // A copy of its own length: an array grown by push keeps room for 16 more, for each child.
      periods: aged.slice()
    })
    // The child's header and UASC rows are used: those left are of children with no episodes.
    people.delete(child)
    uascOf.delete(child)
  }
  for (const [child, p] of people) report(p.row, child, "CF08", "", "")
  for (const [child, u] of uascOf) report(u.row, child, "CF08", "", "")
  problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line))
  const rowsRead = [...returns.episodes, ...returns.header, ...returns.uasc].map((f) => ({
    file: f.file,
    rows: f.rows.length
  }))
  return { children, from, to, years: returns.years, problems, shortBreakPeriods, shortBreakEpisodes, rowsRead }
}
