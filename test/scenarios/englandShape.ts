/**
 * The England check's shape figures (scenarios/england.yaml), folded from a run's DfE tables and ledger:
 * under-1 and 16+ shares of children in care, the supported-accommodation share, leaving care at 18 and by
 * SGO or adoption, the UASC share of starters, second or subsequent CP plans, and care leavers at 31 March;
 * with DfE's national figures for the year ending 31 March 2021: DfE, "Children looked after in England
 * including adoptions", 2021 (children looked after on 31 March, starting and ceasing; care leavers' activity
 * for care leavers aged 17 to 21) and DfE, "Characteristics of children in need", 2021 (table D3, second or
 * subsequent child protection plans).
 */
import { CELL_COUNT, levelCount } from "../../src/domain/Level.js"
import type { LedgerTotals } from "../../src/projections/Ledger.js"
import { claRows, type DfeTables } from "../../src/report/Dfe.js"

export interface Shape {
  readonly measure: string
  readonly simulated: number
  readonly published: number
  /** Where the published figure comes from. */
  readonly source: string
}

/** DfE's national figures for the year ending 31 March 2021. */
export const PUBLISHED_2021 = {
  under1: 3930 / 80780, // CLA on 31 March 2021 aged under 1
  sixteenPlus: 18880 / 80780, // aged 16 and over
  supported: 6070 / 80780, // independent and semi-independent living / supported accommodation
  ceasedAt18: 10830 / 28120, // ceasing aged 18 and over
  adoptedOrSgo: (2890 + 3820) / 28120, // ceasing: adopted, special guardianship order
  uascStarters: 2800 / 28470, // starting: UASC
  subsequentCp: 0.221 // CP plans that are a second or subsequent plan (CPP_subsequent_percent 22.1)
}

const share = (y: DfeTables, population: string, characteristic: string, breakdown: string): number => {
  const rows = claRows(y).filter(
    (r) => r.timePeriod === "2021" && r.population === population && r.characteristic === characteristic
  )
  const total = rows.find((r) => r.breakdown === "Total")!.count
  const n = rows.filter((r) => breakdown.split("|").includes(r.breakdown)).reduce((a, r) => a + r.count, 0)
  return n / total
}

/** The shape figures of the run's year ending 31 March 2021. */
export const shapes = (t: DfeTables): Array<Shape> => {
  const cp = t.cp.find((y) => y.timePeriod === "2021")!
  const cla = "DfE, Children looked after in England including adoptions 2021"
  return [
    {
      measure: "Under 1 (of CLA, 31 March)",
      simulated: share(t, "on_31_march", "Age group", "Under 1 year"),
      published: PUBLISHED_2021.under1,
      source: cla
    },
    {
      measure: "16 and over (of CLA, 31 March)",
      simulated: share(t, "on_31_march", "Age group", "16 years and over"),
      published: PUBLISHED_2021.sixteenPlus,
      source: cla
    },
    {
      measure: "Supported accommodation (of CLA, 31 March)",
      simulated: share(
        t,
        "on_31_march",
        "Placement",
        "Independent and semi-independent living arrangements/supported accommodation"
      ),
      published: PUBLISHED_2021.supported,
      source: cla
    },
    {
      measure: "Ceasing aged 18 and over",
      simulated: share(t, "ceasing", "Age on ceasing", "18 years and over"),
      published: PUBLISHED_2021.ceasedAt18,
      source: cla
    },
    {
      measure: "Ceasing by adoption or SGO",
      simulated: share(t, "ceasing", "Reason episode ceased", "Adopted|Special guardianship order"),
      published: PUBLISHED_2021.adoptedOrSgo,
      source: cla
    },
    {
      measure: "UASC (of starters)",
      simulated: share(t, "starting", "Unaccompanied asylum-seeking children", "UASC"),
      published: PUBLISHED_2021.uascStarters,
      source: cla
    },
    {
      measure: "Second or subsequent CP plans",
      simulated: cp.subsequent / cp.started,
      published: PUBLISHED_2021.subsequentCp,
      source: "DfE, Characteristics of children in need 2021 (table D3)"
    }
  ]
}

/**
 * Care leavers on 31 March 2021 against DfE's care leavers aged 17 to 21 in 2021 (12,040 aged 17-18 and
 * 32,460 aged 19-21, by the birthday in the year) less one year's cohort of 21-year-olds (32,460 / 3), whose
 * support ends at 21 in the model: 33,680.
 */
export const CARE_LEAVERS_2021 = 12040 + 32460 - Math.round(32460 / 3)

export const careLeaversOn31March2021 = (t: LedgerTotals): number => {
  const i = t.calendar.months.findIndex((m) => m.endDate === "2021-03-31")
  return levelCount(t.monthEndStock, i * CELL_COUNT, "care_leaver")
}
