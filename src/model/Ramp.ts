/**
 * How an intervention builds up: a step function of time, 0 before its start, rising in monthly steps to 1
 * over `rampUpMonths`, and 0 again after its end. Places (capacity) and staff both follow it, so a team
 * recruited over six months costs and holds cases in proportion.
 */
import type { Calendar } from "../domain/Calendar.js"

export interface Ramp {
  /** Times at which the fraction changes, ascending. */
  readonly at: Float64Array
  /** Fraction from at[i] until at[i + 1]; 0 before at[0]. */
  readonly fraction: Float64Array
}

const MONTH = 365.25 / 12

export const makeRamp = (cal: Calendar, start: string, end: string | undefined, rampUpMonths: number): Ramp => {
  const s = cal.dayOf(start)
  const e = end === undefined ? Infinity : cal.dayOf(end) + 1
  const at: Array<number> = []
  const fraction: Array<number> = []
  const steps = Math.max(1, rampUpMonths)
  for (let k = 0; k < steps; k++) {
    const t = s + Math.round(k * MONTH)
    if (t >= e) break
    at.push(t)
    fraction.push(rampUpMonths === 0 ? 1 : (k + 1) / rampUpMonths)
  }
  if (Number.isFinite(e)) {
    at.push(e)
    fraction.push(0)
  }
  return { at: Float64Array.from(at), fraction: Float64Array.from(fraction) }
}

export const rampAt = (r: Ramp, t: number): number => {
  let f = 0
  for (let i = 0; i < r.at.length && r.at[i] <= t; i++) f = r.fraction[i]
  return f
}

/** The integral over [a, b) of a step function worth value[i] from at[i] (0 before at[0]). */
export const stepIntegral = (at: Float64Array, value: Float64Array, a: number, b: number): number => {
  let total = 0
  for (let i = 0; i < at.length; i++) {
    const lo = Math.max(a, at[i])
    const hi = Math.min(b, i + 1 < at.length ? at[i + 1] : Infinity)
    if (hi > lo) total += (hi - lo) * value[i]
  }
  return total
}

/** The integral of the ramp over [a, b): days at full strength. */
export const rampDays = (r: Ramp, a: number, b: number): number => stepIntegral(r.at, r.fraction, a, b)
