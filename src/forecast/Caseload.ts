/**
 * Today's open cases, child by child, as a case management system exports them: one row per child open on
 * the as-of date, which replaces the scenario's opening caseload in a forecast.
 *
 *   child_id,level,placement,date_of_birth,start_date,legal_status
 *   A1001,looked_after,ifa_foster,2011-06-14,2021-03-02,C2
 *   A1002,child_protection,,2019-01-30,2023-08-17,
 *
 * - `level`: an open level (early_help, intensive_family_support, child_in_need, child_protection,
 *   looked_after, care_leaver), also written as the words ("child in need") or the usual short forms (EH,
 *   IFS, CIN, CP, CLA / LAC, CL).
 * - `placement`: for looked-after children only, one of caseflow's placement types.
 * - `date_of_birth` and `start_date` (the day the child started at the level; in care, the day the period
 *   of care began; for a care leaver, the day support began): `YYYY-MM-DD` or `DD/MM/YYYY`.
 * - `legal_status` (optional): the SSDA903 legal status code of a looked-after child (C1, C2, D1, E1, J1, J2,
 *   J3, L1, L2, L3, V2, V3, V4). Codes are checked and counted; in a scenario with legal statuses
 *   (`levels.looked_after.legalStatus`) the child starts in that status (without a code: one drawn as the
 *   scenario's starting caseload draws it).
 * - `child_id` (optional): a child given twice is refused.
 * Other columns are ignored. Each child becomes a starting group of one (`dateOfBirth`, `since`), so the
 * run knows their exact age and how long their episode has lasted; identical rows are grouped.
 */
import { addYears, calendarDateProblem, epochDay, isoOfEpochDay } from "../domain/Calendar.js"
import {
  LEGAL_STATUSES,
  type LegalStatus,
  OPEN_LEVELS,
  type OpenLevel,
  type Placement,
  PLACEMENTS
} from "../domain/Level.js"
import { show } from "../domain/Show.js"
import { closest } from "../scenario/Problems.js"
import { type CsvProblem, readCsv, stopReading } from "./Csv.js"

/** A starting group as the scenario format writes it (plain data, for the scenario sent to workers). */
export interface KnownGroup {
  readonly level: OpenLevel
  readonly placement?: Placement
  readonly count: number
  readonly ages: readonly [number, number]
  readonly dateOfBirth: string
  readonly since: string
  /** A looked-after child's legal status, as a mix of one (only in a scenario with legal statuses). */
  readonly legalStatus?: Readonly<Partial<Record<LegalStatus, number>>>
}

export interface Caseload {
  readonly groups: ReadonlyArray<KnownGroup>
  /** Children by level, in OPEN_LEVELS order. */
  readonly byLevel: ReadonlyArray<number>
  /** Looked-after children by legal status (codes given), and those with none given. */
  readonly legalStatus: ReadonlyMap<string, number>
  readonly children: number
}

export interface CaseloadContext {
  /** The first day simulated. */
  readonly asOf: string
  /** The age care-leaver support ends at the latest (`levels.care_leaver.extendedTo`). */
  readonly careLeaverUpTo: number
  /** Whether the scenario models legal statuses (then a child's code is where the child starts). */
  readonly legalStatus?: boolean
}

const ALIASES: Record<string, OpenLevel> = {
  eh: "early_help",
  ifs: "intensive_family_support",
  cin: "child_in_need",
  cp: "child_protection",
  cpp: "child_protection",
  cla: "looked_after",
  lac: "looked_after",
  "looked after child": "looked_after",
  "child looked after": "looked_after",
  cl: "care_leaver"
}

const key = (s: string): string =>
  s
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, " ")

const levelOf = (text: string): OpenLevel | null => {
  const k = key(text)
  const direct = OPEN_LEVELS.find((l) => key(l) === k)
  return direct ?? ALIASES[k] ?? null
}

/** An ISO date from `YYYY-MM-DD` or `DD/MM/YYYY`, or the problem with it. */
const dateOf = (text: string): { readonly iso: string } | { readonly problem: string } => {
  const t = text.trim()
  const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t)
  const iso = uk === null ? t : `${uk[3]}-${uk[2].padStart(2, "0")}-${uk[1].padStart(2, "0")}`
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso))
    return { problem: `expected a date as YYYY-MM-DD or DD/MM/YYYY, found ${show(text)}` }
  const p = calendarDateProblem(iso)
  return p === null ? { iso } : { problem: `${p}, found ${show(text)}` }
}

const ageOn = (born: number, day: number): number => {
  let age = Math.floor((day - born) / 365.25)
  if (addYears(born, age + 1) <= day) age += 1
  else if (age > 0 && addYears(born, age) > day) age -= 1
  return age
}

/** Reads a caseload CSV; returns the caseload or every problem found. */
export const readCaseload = (
  text: string,
  ctx: CaseloadContext
): { readonly caseload: Caseload; readonly problems: ReadonlyArray<CsvProblem> } => {
  const csv = readCsv(text, [
    { name: "child_id", required: false, aliases: ["child id", "id"] },
    { name: "level", required: true, aliases: ["level of need"] },
    { name: "placement", required: false, aliases: ["placement type"] },
    { name: "date_of_birth", required: true, aliases: ["dob", "date of birth"] },
    { name: "start_date", required: true, aliases: ["since", "start"] },
    { name: "legal_status", required: false, aliases: ["legal status", "ls"] }
  ])
  const byLevel = OPEN_LEVELS.map(() => 0)
  const legalStatus = new Map<string, number>()
  const empty: Caseload = { groups: [], byLevel, legalStatus, children: 0 }
  if (csv.problems.length > 0) return { caseload: empty, problems: csv.problems }
  const asOfDay = epochDay(ctx.asOf)
  const problems: Array<CsvProblem> = []
  const groups = new Map<string, { group: KnownGroup; count: number }>()
  const ids = new Map<string, number>()
  let children = 0
  for (const row of csv.rows) {
    if (stopReading(problems, row.line)) break
    const cells = ["child_id", "level", "placement", "date_of_birth", "start_date", "legal_status"].map(
      (c) => row.get(c) ?? ""
    )
    if (cells.every((c) => c.trim() === "")) continue
    const before = problems.length
    const at = (column: string, message: string) => problems.push({ line: row.line, column, message })
    const [id, levelText, placementText, dobText, startText, lsText] = cells
    if (id.trim() !== "") {
      const first = ids.get(id.trim())
      if (first !== undefined) at("child_id", `the child ${show(id)} is also on line ${first}`)
      else ids.set(id.trim(), row.line)
    }
    const level = levelOf(levelText)
    if (level === null) {
      const near = closest(levelText.trim(), [...OPEN_LEVELS])
      at(
        "level",
        `expected an open level (${OPEN_LEVELS.join(", ")}; or EH, IFS, CIN, CP, CLA, CL), found ${show(levelText)}` +
          (near !== undefined ? ` (did you mean ${near}?)` : "")
      )
    }
    let placement: Placement | undefined
    if (placementText.trim() !== "") {
      const k = key(placementText)
      placement = PLACEMENTS.find((p) => key(p) === k)
      if (placement === undefined) {
        const near = closest(placementText.trim(), [...PLACEMENTS])
        at(
          "placement",
          `expected a placement type (${PLACEMENTS.join(", ")}), found ${show(placementText)}` +
            (near !== undefined ? ` (did you mean ${near}?)` : "")
        )
      } else if (level !== null && level !== "looked_after")
        at("placement", `a placement applies only to looked-after children, found one for ${level}`)
    } else if (level === "looked_after")
      at("placement", "expected a placement type for a looked-after child, found none")
    let ls: string | null = null
    if (lsText.trim() !== "") {
      const code = lsText.trim().toUpperCase()
      if (!(LEGAL_STATUSES as ReadonlyArray<string>).includes(code))
        at(
          "legal_status",
          `expected an SSDA903 legal status code (${LEGAL_STATUSES.join(", ")}), found ${show(lsText)}`
        )
      else if (level !== null && level !== "looked_after")
        at("legal_status", `a legal status applies only to looked-after children, found ${code} for ${level}`)
      else ls = code
    }
    const dob = dateOf(dobText)
    const start = dateOf(startText)
    if ("problem" in dob) at("date_of_birth", dob.problem)
    if ("problem" in start) at("start_date", start.problem)
    if ("iso" in dob && level !== null) {
      const born = epochDay(dob.iso)
      const age = born < asOfDay ? ageOn(born, asOfDay) : -1
      const [lo, hi] = level === "care_leaver" ? [16, ctx.careLeaverUpTo - 1] : [0, 17]
      if (born >= asOfDay)
        at("date_of_birth", `expected a date before the as-of date ${ctx.asOf}, found ${show(dobText)}`)
      else if (age < lo || age > hi)
        at(
          "date_of_birth",
          `expected a child aged ${lo} to ${hi} on ${ctx.asOf} (${level}), found ${show(dobText)} (aged ${age})`
        )
      if ("iso" in start) {
        const since = epochDay(start.iso)
        if (since > asOfDay)
          at("start_date", `expected a date no later than the as-of date ${ctx.asOf}, found ${show(startText)}`)
        else if (since < born)
          at("start_date", `expected a date no earlier than the date of birth ${dob.iso}, found ${show(startText)}`)
      }
      if (problems.length === before && "iso" in start) {
        const group: KnownGroup = {
          level,
          ...(placement !== undefined ? { placement } : {}),
          count: 1,
          ages: [age, age],
          dateOfBirth: dob.iso,
          since: isoOfEpochDay(epochDay(start.iso)),
          ...(ctx.legalStatus === true && ls !== null && level === "looked_after"
            ? { legalStatus: { [ls]: 1 } as Partial<Record<LegalStatus, number>> }
            : {})
        }
        const k = JSON.stringify(group)
        const g = groups.get(k)
        if (g === undefined) groups.set(k, { group, count: 1 })
        else g.count++
        byLevel[OPEN_LEVELS.indexOf(level)]++
        if (level === "looked_after") legalStatus.set(ls ?? "not given", (legalStatus.get(ls ?? "not given") ?? 0) + 1)
        children++
      }
    }
  }
  const list = [...groups.values()].map((g) => ({ ...g.group, count: g.count }))
  return { caseload: { groups: list, byLevel, legalStatus, children }, problems }
}
