/** Prices by financial year: every cost line, team and intervention is priced the same way. */
import type { Calendar } from "../domain/Calendar.js"
import type { Scenario } from "../scenario/Scenario.js"

const fyStartYear = (label: string): number => Number(label.slice(0, 4))

/**
 * A line's price factor by financial year: (1 + inflation) ^ (years since the price base), with the
 * line's own inflation or else the scenario's.
 */
export const priceFactors = (s: Scenario, cal: Calendar) => {
  const base = fyStartYear(s.costs.priceBase ?? cal.financialYears[0].label)
  return (inflation: number | undefined): Float64Array => {
    const r = inflation ?? s.costs.inflation
    return Float64Array.from(cal.financialYears.map((fy) => Math.pow(1 + r, fyStartYear(fy.label) - base)))
  }
}
