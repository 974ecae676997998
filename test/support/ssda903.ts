/**
 * Synthetic SSDA903 returns from known rates, for round-trip tests of `caseflow calibrate`: children enter
 * care as a Poisson process (a known rate per year, ages at entry from known shares), stay for an
 * exponential time (a known mean), move placement at a known rate, and leave by routes with known shares
 * (constant competing hazards, so route k's cumulative incidence by t is share_k (1 - exp(-t / mean))).
 * A child still in care at 18 leaves then (E17), which shortens a few in a thousand periods (the rates'
 * formulas ignore it: far inside the tolerances). Entries begin ten years before the first return, so the
 * first returns hold children who came into care long before (left truncation), and the last holds
 * children still in care (right censoring).
 *
 * The files are written as the DfE return is: one per collection year, the episodes open at any time in the
 * year, those still open at its end without DEC and REC; or, with `shape: "iso"`, one multi-LA file of
 * several councils (LA and YEAR columns, ISO dates). Seeded (seedrandom): the same options give the same
 * bytes.
 */
import seedrandom from "seedrandom"
import * as Either from "effect/Either"
import { addYears, daysFromCivil, isoOfEpochDay } from "../../src/domain/Calendar.js"
import { cleanReturns, type Histories } from "../../src/ssda903/Clean.js"
import { combineReturns, readFileBytes, type ReadFile, type Role } from "../../src/ssda903/Read.js"

export interface Truth {
  /** Collection years (ending 31 March) of the returns. */
  readonly years: ReadonlyArray<number>
  /** Entries to care per year. */
  readonly entriesPerYear: number
  /** Shares of entries by age at entry (whole years); ages 0 to 12 keep the 18th birthday out of reach. */
  readonly ageShares: ReadonlyArray<readonly [number, number]>
  /** Mean time in care in days (exponential). */
  readonly meanDays: number
  /** Exit routes by REC code and share. */
  readonly routes: ReadonlyArray<readonly [string, number]>
  /** Placement moves per child-year (to another of the placements, chosen evenly). */
  readonly movesPerYear: number
  /** Share of children who are UASC. */
  readonly uascShare: number
  readonly seed: string
}

export const DEFAULT_TRUTH: Truth = {
  years: [2018, 2019, 2020, 2021, 2022],
  entriesPerYear: 400,
  ageShares: [
    [0, 0.2],
    [3, 0.2],
    [7, 0.3],
    [11, 0.3]
  ],
  meanDays: 500,
  routes: [
    ["E4A", 0.5],
    ["E11", 0.2],
    ["E45", 0.2],
    ["E8", 0.1]
  ],
  movesPerYear: 0.8,
  uascShare: 0.1,
  seed: "ssda903-synthetic"
}

/** Placements a child moves between: (PLACE, PLACE_PROVIDER). */
const PLACEMENTS: ReadonlyArray<readonly [string, string]> = [
  ["U4", "PR1"],
  ["U4", "PR4"],
  ["U1", "PR1"],
  ["K2", "PR4"]
]

export interface SyntheticEpisode {
  readonly child: string
  readonly start: number
  readonly end: number | null
  readonly rne: string
  readonly ls: string
  readonly place: string
  readonly provider: string
  readonly rec: string
}

export interface SyntheticChild {
  readonly child: string
  readonly dob: number
  readonly sex: "1" | "2"
  readonly uasc: boolean
  readonly la: string
  readonly episodes: ReadonlyArray<SyntheticEpisode>
}

export interface Synthetic {
  readonly truth: Truth
  readonly children: ReadonlyArray<SyntheticChild>
  /** The day after the last return's year (1 April). */
  readonly end: number
  /** Files by name: `<year>-episodes.csv` and the like (raw), or `episodes.csv`, `header.csv`, `uasc.csv`. */
  readonly files: ReadonlyArray<readonly [string, string]>
}

const dmy = (day: number): string => {
  const iso = isoOfEpochDay(day)
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`
}

const pick = <A>(u: number, shares: ReadonlyArray<readonly [A, number]>): A => {
  let acc = 0
  for (const [a, p] of shares) {
    acc += p
    if (u < acc) return a
  }
  return shares[shares.length - 1][0]
}

/** Simulates one council's children over the burn-in and the returns' years. */
const simulate = (truth: Truth, la: string, rng: () => number): Array<SyntheticChild> => {
  const first = truth.years[0]
  const last = truth.years[truth.years.length - 1]
  const from = daysFromCivil(first - 11, 4, 1)
  const end = daysFromCivil(last, 4, 1)
  const exp = (mean: number) => -mean * Math.log(1 - rng())
  const children: Array<SyntheticChild> = []
  let t = from
  let id = 0
  for (;;) {
    t += exp(365.25 / truth.entriesPerYear)
    if (t >= end) break
    const start = Math.floor(t)
    const age = pick(rng(), truth.ageShares)
    const dob = addYears(start, -age) - Math.floor(rng() * 365)
    const length = Math.max(1, Math.round(exp(truth.meanDays)))
    // A child still in care at 18 leaves then (E17: stayed with the carers): a few in a thousand here.
    const eighteen = addYears(dob, 18)
    const leaves = Math.min(start + length, eighteen)
    const drawn = pick(rng(), truth.routes)
    const route = leaves === eighteen ? "E17" : drawn
    const ls = rng() < 0.6 ? "C2" : "V2"
    const episodes: Array<SyntheticEpisode> = []
    const child = `${la}${String(++id).padStart(6, "0")}`
    let at = start
    let place = Math.floor(rng() * PLACEMENTS.length)
    let rne = "S"
    for (;;) {
      const move = at + Math.max(1, Math.round(exp(365.25 / truth.movesPerYear)))
      const ends = Math.min(move, leaves)
      const [p, provider] = PLACEMENTS[place]
      const last = ends === leaves
      episodes.push({ child, start: at, end: ends, rne, ls, place: p, provider, rec: last ? route : "X1" })
      if (last) break
      at = ends
      place = (place + 1 + Math.floor(rng() * (PLACEMENTS.length - 1))) % PLACEMENTS.length
      rne = "P"
    }
    children.push({
      child,
      dob,
      sex: rng() < 0.5 ? "1" : "2",
      uasc: rng() < truth.uascShare,
      la,
      episodes
    })
  }
  return children
}

const yearStart = (y: number) => daysFromCivil(y - 1, 4, 1)
const yearEnd = (y: number) => daysFromCivil(y, 4, 1)

/** The episodes of a child in collection year `y`, as that year's return has them. */
const inYear = (c: SyntheticChild, y: number): Array<SyntheticEpisode> =>
  c.episodes
    .filter((e) => e.start < yearEnd(y) && (e.end === null || e.end >= yearStart(y)))
    .map((e) => (e.end !== null && e.end >= yearEnd(y) ? { ...e, end: null, rec: "" } : e))

const EPISODE_COLUMNS = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN"

/** Synthetic returns for the councils `las` (one unless the shape is iso). */
export const synthetic = (
  truth: Truth = DEFAULT_TRUTH,
  options: { readonly shape?: "raw" | "iso"; readonly las?: ReadonlyArray<string>; readonly eol?: string } = {}
): Synthetic => {
  const rng = seedrandom(`${truth.seed}\u0000`)
  const las = options.las ?? ["A"]
  const eol = options.eol ?? "\n"
  const children = las.flatMap((la) => simulate(truth, la, rng))
  const last = truth.years[truth.years.length - 1]
  const files: Array<readonly [string, string]> = []
  if ((options.shape ?? "raw") === "raw") {
    for (const y of truth.years) {
      const episodes = [EPISODE_COLUMNS]
      const header = ["CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"]
      const uasc = ["CHILD,SEX,DOB,DUC"]
      for (const c of children) {
        const eps = inYear(c, y)
        if (eps.length === 0) continue
        for (const e of eps)
          episodes.push(
            [c.child, dmy(e.start), e.rne, e.ls, "N1", e.place, e.provider, e.end === null ? "" : dmy(e.end), e.rec]
              .concat(["", "", "", ""])
              .join(",")
          )
        header.push([c.child, c.sex, dmy(c.dob), "WBRI", "", "", ""].join(","))
        if (c.uasc) uasc.push([c.child, c.sex, dmy(c.dob), dmy(addYears(c.dob, 18))].join(","))
      }
      // Named as the public sample is: by the year the return begins.
      files.push([`${y - 1}-episodes.csv`, episodes.join(eol) + eol])
      files.push([`${y - 1}-header.csv`, header.join(eol) + eol])
      files.push([`${y - 1}-uasc.csv`, uasc.join(eol) + eol])
    }
  } else {
    const episodes = [`LA,YEAR,${EPISODE_COLUMNS}`]
    const header = ["LA,YEAR,CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"]
    const uasc = ["LA,YEAR,CHILD,SEX,DOB,DUC"]
    for (const y of truth.years)
      for (const c of children) {
        const eps = inYear(c, y)
        if (eps.length === 0) continue
        for (const e of eps)
          episodes.push(
            [c.la, y, c.child, isoOfEpochDay(e.start), e.rne, e.ls, "N1", e.place, e.provider]
              .concat([e.end === null ? "" : isoOfEpochDay(e.end), e.rec, "", "", "", ""])
              .join(",")
          )
        header.push([c.la, y, c.child, c.sex, isoOfEpochDay(c.dob), "WBRI", "", "", ""].join(","))
        if (c.uasc)
          uasc.push([c.la, y, c.child, c.sex, isoOfEpochDay(c.dob), isoOfEpochDay(addYears(c.dob, 18))].join(","))
      }
    files.push(["episodes.csv", episodes.join(eol) + eol])
    files.push(["header.csv", header.join(eol) + eol])
    files.push(["uasc.csv", uasc.join(eol) + eol])
  }
  return { truth, children, end: yearEnd(last), files }
}

const roleOf = (name: string): Role =>
  name.includes("episodes") ? "episodes" : name.includes("header") ? "header" : "uasc"

/** Returns given as (name, text) pairs, read, joined (`la`: a multi-LA file's council) and cleaned as calibrate
 * does; a file it refuses throws. */
export const readReturnFiles = (
  returns: ReadonlyArray<readonly [string, string]>,
  la: string | null = null
): Histories => {
  const files: Array<ReadFile> = returns.map(([name, text]) => {
    const r = readFileBytes(name, roleOf(name), new TextEncoder().encode(text))
    if (Either.isLeft(r)) throw new Error(r.left.message)
    return r.right
  })
  const c = combineReturns(files, la)
  if (Either.isLeft(c)) throw new Error(c.left.message)
  return cleanReturns(c.right)
}
