/**
 * The SSDA903 code lists, keyed by collection year, and the groups caseflow reads them into.
 *
 * A collection year is named by the year it ends in: 2022 is the return for 1 April 2021 - 31 March 2022
 * (DfE's "2021-22" or "2022" return). The lists follow DfE's "Children looked after return: guide" for each
 * year: SEX is 1/2 up to the 2023-24 return and M/F/U from 2024-25; placement K3 (registered supported
 * accommodation) is valid from 2024-25; from 2025-26 Z1 is replaced by Z11-Z14 and H5 and P2 go. D1 (freeing
 * order, abolished in 2005) stays valid for the old episodes a long history can hold.
 *
 * The groups are the simulator's own words (`domain/Level.ts`): placement types (with "other" for the
 * codes the model has no type for), and reasons for leaving care.
 */
import type { LeftCareReason, Placement } from "../domain/Level.js"

/** The field a code list is for. */
export type CodedField = "SEX" | "RNE" | "LS" | "CIN" | "PLACE" | "PLACE_PROVIDER" | "REC"

/** The first collection year in which K3 is a valid placement (2024-25). */
export const K3_FROM = 2025
/** The first collection year with SEX coded M/F/U rather than 1/2 (2024-25). */
export const SEX_LETTERS_FROM = 2025
/** The first collection year with Z11-Z14 in place of Z1, and without H5 and P2 (2025-26). */
export const Z1_SPLIT_FROM = 2026

const RNE = ["S", "L", "P", "T", "B", "U"] as const
const LS = ["C1", "C2", "D1", "E1", "J1", "J2", "J3", "L1", "L2", "L3", "V2", "V3", "V4"] as const
const CIN = ["N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8"] as const
const PROVIDER = ["PR0", "PR1", "PR2", "PR3", "PR4", "PR5"] as const
const REC = [
  "E11",
  "E12",
  "E13",
  "E14",
  "E15",
  "E16",
  "E17",
  "E2",
  "E3",
  "E41",
  "E45",
  "E46",
  "E47",
  "E48",
  "E4A",
  "E4B",
  "E5",
  "E6",
  "E7",
  "E8",
  "E9",
  "X1"
] as const
const PLACE_ALWAYS = [
  "A3",
  "A4",
  "A5",
  "A6",
  "K1",
  "K2",
  "P1",
  "P3",
  "R1",
  "R2",
  "R3",
  "R5",
  "S1",
  "T0",
  "T1",
  "T2",
  "T3",
  "T4",
  "U1",
  "U2",
  "U3",
  "U4",
  "U5",
  "U6"
] as const

const sets = new Map<string, ReadonlySet<string>>()

/** The valid codes of `field` in collection year `year` (upper case). */
export const validCodes = (field: CodedField, year: number): ReadonlySet<string> => {
  const key = `${field}:${year}`
  const known = sets.get(key)
  if (known !== undefined) return known
  let list: ReadonlyArray<string>
  switch (field) {
    case "SEX":
      list = year >= SEX_LETTERS_FROM ? ["M", "F", "U"] : ["1", "2"]
      break
    case "RNE":
      list = RNE
      break
    case "LS":
      list = LS
      break
    case "CIN":
      list = CIN
      break
    case "PLACE_PROVIDER":
      list = PROVIDER
      break
    case "REC":
      list = REC
      break
    case "PLACE":
      list = [
        ...PLACE_ALWAYS,
        ...(year >= Z1_SPLIT_FROM ? ["Z11", "Z12", "Z13", "Z14"] : ["H5", "P2", "Z1"]),
        ...(year >= K3_FROM ? ["K3"] : [])
      ]
      break
  }
  const set = new Set(list)
  sets.set(key, set)
  return set
}

/** A child's sex as the returns code it (1/2 to 2023-24, M/F/U from 2024-25). */
export type Sex = "male" | "female" | "unknown"

export const sexOf = (code: string): Sex =>
  code === "1" || code === "M" ? "male" : code === "2" || code === "F" ? "female" : "unknown"

/** Short breaks (V3, V4): left out of counts of children looked after, as DfE counts them. */
export const isShortBreak = (ls: string): boolean => ls === "V3" || ls === "V4"

/** Where a child lives, in the model's placement types; "other" for codes the model has none for. */
export type PlacementGroup = Placement | "other"

export const PLACEMENT_GROUPS: ReadonlyArray<PlacementGroup> = [
  "in_house_foster",
  "ifa_foster",
  "kinship",
  "in_house_residential",
  "external_residential",
  "supported_16_plus",
  "placed_with_parents",
  "secure",
  "placed_for_adoption",
  "other"
]

/**
 * The placement type of a PLACE code and its provider: foster care with the council's own carers (PR1, or
 * another public body: PR2, PR3) or an agency (PR4, PR5); residential care (K2, R1, S1) in-house (PR1-PR3)
 * or external (PR4, PR5). An unknown provider counts as in-house for foster care and external for
 * residential care (the more common in each, nationally). R2, R3, R5, P3, T0-T4, Z1 and Z11-Z14: "other".
 */
export const placementGroup = (place: string, provider: string): PlacementGroup => {
  const external = provider === "PR4" || provider === "PR5"
  const publicProvider = provider === "PR1" || provider === "PR2" || provider === "PR3"
  switch (place) {
    case "U1":
    case "U2":
    case "U3":
      return "kinship"
    case "U4":
    case "U5":
    case "U6":
      return external ? "ifa_foster" : "in_house_foster"
    case "K2":
    case "R1":
    case "S1":
      return publicProvider ? "in_house_residential" : "external_residential"
    case "H5":
    case "P2":
    case "K3":
      return "supported_16_plus"
    case "P1":
      return "placed_with_parents"
    case "K1":
      return "secure"
    case "A3":
    case "A4":
    case "A5":
    case "A6":
      return "placed_for_adoption"
    default:
      return "other"
  }
}

/** Why a child left care, in the model's reasons; "unknown" when the return does not say. */
export type ExitRoute = LeftCareReason | "unknown"

export const EXIT_ROUTES: ReadonlyArray<ExitRoute> = [
  "returned_home",
  "adopted",
  "special_guardianship",
  "turned_18",
  "independent_living",
  "other",
  "unknown"
]

/**
 * The reason a period of care ended, from the REC of its last episode: E11/E12 adopted; E41 and E45-E48
 * (residence, child arrangements and special guardianship orders) special guardianship; E4A, E4B and E13
 * returned home; E5/E6 independent living; E15 (age assessed as 18 or over) and E17 (aged 18, stayed with
 * the carers) turned 18; the rest (died, transferred, adult social care, custody, remand ended, moved
 * abroad, other) other.
 */
export const exitRoute = (rec: string): ExitRoute => {
  switch (rec) {
    case "E11":
    case "E12":
      return "adopted"
    case "E41":
    case "E45":
    case "E46":
    case "E47":
    case "E48":
      return "special_guardianship"
    case "E4A":
    case "E4B":
    case "E13":
      return "returned_home"
    case "E5":
    case "E6":
      return "independent_living"
    case "E15":
    case "E17":
      return "turned_18"
    case "E2":
    case "E3":
    case "E7":
    case "E8":
    case "E9":
    case "E14":
    case "E16":
      return "other"
    default:
      return "unknown"
  }
}

/** The legal status groups estimates are broken down by (codes as in the return). */
export const legalStatusGroup = (ls: string): string => {
  switch (ls) {
    case "C1":
      return "interim care order (C1)"
    case "C2":
      return "full care order (C2)"
    case "D1":
    case "E1":
      return "placement order (E1, D1)"
    case "V2":
      return "section 20 (V2)"
    case "L1":
    case "L2":
    case "L3":
      return "police or emergency protection (L1-L3)"
    case "J1":
    case "J2":
    case "J3":
      return "youth justice (J1-J3)"
    case "V3":
    case "V4":
      return "short breaks (V3, V4)"
    default:
      return "unknown"
  }
}
