/**
 * The back-test's parameter uncertainty: how much a council's rates moved from year to year before the
 * cut-off, put on the calibrated scenario as uncertain parameters (README "Uncertain parameters"), so the
 * Monte Carlo bands hold the doubt about next year's rates as well as the process noise of one year.
 *
 * For each of the new-referral rate (C1 / ONS), the CP plans started a year (D3), the CP plan length by
 * Little's law (D5 / D3) and the CIN time by Little's law (B1): its coefficient of variation over the last
 * `TREND_YEARS` yearly values up to the cut-off (sd / mean; none from fewer than three years). Each is a
 * normal around the calibrated value with that relative sd, cut at +-2.5 sd and at half and one and a half
 * times the value, drawn once per replication:
 *
 *   referrals.ratePer10k                       the referral rate's
 *   every outcome into child_protection        the plans started's (one draw for all of them: share
 *                                              "cp-entries"; each outcome table is then divided by its sum)
 *   levels.child_protection.duration.mean      the plan length's
 *   every time in levels.child_in_need.duration  the CIN time's (one draw: share "cin-time", so the law keeps
 *                                              its shape)
 */
import { TREND_YEARS } from "../calibrate/DfeEstimates.js"
import { type CouncilTables, valueIn } from "../calibrate/DfeTables.js"

type Json = null | boolean | number | string | Array<Json> | { [key: string]: Json }
type Obj = { [key: string]: Json }
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v)

/** The coefficient of variation of the values (null: fewer than three). */
export const cv = (values: ReadonlyArray<number>): number | null => {
  if (values.length < 3) return null
  const m = values.reduce((a, b) => a + b, 0) / values.length
  if (m <= 0) return null
  const v = values.reduce((a, b) => a + (b - m) ** 2, 0) / (values.length - 1)
  return Math.sqrt(v) / m
}

const yearly = (t: CouncilTables, cutoff: number, f: (y: number) => number | null): Array<number> => {
  const out: Array<number> = []
  for (let y = cutoff - TREND_YEARS + 1; y <= cutoff; y++) {
    const v = f(y)
    if (v !== null && Number.isFinite(v) && v > 0) out.push(v)
  }
  return out
}

export interface Variation {
  readonly referralRate: number | null
  readonly cpStarts: number | null
  readonly cpLength: number | null
  readonly cinTime: number | null
}

/** The council's year-to-year variation up to the cut-off. */
export const variationOf = (t: CouncilTables, cutoff: number): Variation => {
  const v = (name: string, y: number) => valueIn(t, name, y)
  const pop = (y: number) => v("ons.population", y - 1) ?? v("ons.population", y - 2)
  const ratio = (a: number | null, b: number | null) => (a === null || b === null || b <= 0 ? null : a / b)
  return {
    referralRate: cv(
      yearly(t, cutoff, (y) => {
        const r = v("c1.referrals", y)
        const re = v("c1.rereferrals", y)
        return r === null || re === null ? null : ratio(r - re, pop(y))
      })
    ),
    cpStarts: cv(yearly(t, cutoff, (y) => v("d3.started", y))),
    cpLength: cv(yearly(t, cutoff, (y) => ratio(v("d5.at31", y), v("d3.started", y)))),
    cinTime: cv(
      yearly(t, cutoff, (y) => {
        const at = v("b1.at31", y)
        const cp = v("d5.at31", y)
        return at === null || cp === null ? null : ratio(at - cp, v("b1.started", y))
      })
    )
  }
}

const uncertain = (value: number, c: number, share: string | null, max = Infinity): Json => {
  const sd = value * c
  const body: Obj = {
    type: "normal",
    mean: value,
    sd: Number(sd.toPrecision(6)),
    min: Number(Math.max(value * 0.5, value - 2.5 * sd).toPrecision(6)),
    max: Number(Math.min(max, value * 1.5, value + 2.5 * sd).toPrecision(6))
  }
  if (share !== null) body.share = share
  return { uncertain: body }
}

/** The calibrated scenario's data with the council's variation as uncertain parameters (a copy). */
export const withVariation = (data: unknown, v: Variation): unknown => {
  const d = JSON.parse(JSON.stringify(data)) as Obj
  const referrals = isObj(d.referrals) ? d.referrals : null
  if (referrals !== null && typeof referrals.ratePer10k === "number" && v.referralRate !== null)
    referrals.ratePer10k = uncertain(referrals.ratePer10k, v.referralRate, null)
  const levels = isObj(d.levels) ? d.levels : {}
  const tables: Array<Array<Json>> = []
  const take = (x: Json | undefined) => {
    if (Array.isArray(x)) tables.push(x)
    else if (isObj(x) && Array.isArray(x.byAge))
      for (const b of x.byAge) if (isObj(b) && Array.isArray(b.outcomes)) tables.push(b.outcomes)
  }
  if (referrals !== null) take(referrals.frontDoor)
  for (const [name, level] of Object.entries(levels)) if (isObj(level) && name !== "looked_after") take(level.outcomes)
  if (v.cpStarts !== null)
    for (const t of tables)
      for (const o of t)
        if (isObj(o) && o.to === "child_protection" && typeof o.probability === "number" && o.probability > 0)
          o.probability = uncertain(o.probability, v.cpStarts, "cp-entries", 0.95)
  const cp = isObj(levels.child_protection) ? levels.child_protection : null
  if (cp !== null && isObj(cp.duration) && typeof cp.duration.mean === "number" && v.cpLength !== null)
    cp.duration.mean = uncertain(cp.duration.mean, v.cpLength, null)
  const cin = isObj(levels.child_in_need) ? levels.child_in_need : null
  if (cin !== null && v.cinTime !== null) {
    const c = v.cinTime
    const scale = (law: Json): void => {
      if (!isObj(law)) return
      if (Array.isArray(law.byAge)) {
        for (const b of law.byAge) if (isObj(b)) scale(b.duration)
        return
      }
      for (const k of ["mean", "scale", "value"])
        if (typeof law[k] === "number") law[k] = uncertain(law[k] as number, c, "cin-time")
      if (Array.isArray(law.bins))
        for (const b of law.bins) if (isObj(b) && typeof b.upTo === "number") b.upTo = uncertain(b.upTo, c, "cin-time")
    }
    scale(cin.duration)
  }
  return d
}
