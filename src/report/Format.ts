/**
 * How figures are written: in CSV files (machine output: fields quoted only when they must be, money to
 * the penny) and in printed tables (for people: money in £k / £m / £bn, counts as whole numbers, both
 * with thousands separators).
 */

/** A CSV field: quoted when it holds a comma, quote or newline. */
const field = (v: string | number): string => {
  const s = String(v)
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}
export const csv = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string | number>>): string =>
  [header, ...rows].map((r) => r.map(field).join(",")).join("\n") + "\n"

/**
 * Money to the penny; avoids "-0.00". From 10^21, where `toFixed` writes "1e+21", the double's exact digits
 * (a whole number there) and ".00", so every finite figure is written as digits to the penny.
 */
export const pounds = (x: number): string => {
  const s = Number.isFinite(x) && Math.abs(x) >= 1e21 ? `${BigInt(x)}.00` : x.toFixed(2)
  return s === "-0.00" ? "0.00" : s
}

// ---------------------------------------------------------------------------------------------------------
// Printed figures

/** What a printed figure shows when there is none (no budget, an empty sample, a division by zero). */
export const MISSING = "-"

/**
 * From this size a printed figure is written in three figures and a power of ten ("1.00e15"): no run spends
 * £1,000,000bn (a run's spend is at most £10,000bn: projections/Spend.ts) nor counts 10^15 of anything, so
 * only a damaged or forged input holds one, and written out it would be 16 to 309 digits (or, past 10^21,
 * `toFixed`'s own exponent form, "1e+21", taken apart by the separators).
 */
const HUGE = 1e15

/** |x| >= HUGE in three significant figures and a power of ten: "1.00e15", "-1.80e308". */
const huge = (x: number): string => x.toPrecision(3).replace("e+", "e")

/**
 * x, already rounded to `digits` decimals, with that many decimals and thousands separators: what
 * `toLocaleString("en-GB", ...)` writes, without starting ICU (tens of milliseconds at the first call).
 * From `HUGE`, three figures and a power of ten.
 */
const grouped = (x: number, digits: number): string => {
  if (Math.abs(x) >= HUGE) return huge(x)
  const text = x.toFixed(digits)
  const sign = text.startsWith("-") ? "-" : ""
  const [whole, fraction] = text.slice(sign.length).split(".")
  let out = ""
  for (let i = 0; i < whole.length; i++) {
    if (i > 0 && (whole.length - i) % 3 === 0) out += ","
    out += whole[i]
  }
  return `${sign}${out}${fraction === undefined ? "" : `.${fraction}`}`
}

/** x rounded to `digits` decimals (half away from zero, as a reader rounds). From 2^52 every double is whole
 * (and x times 10^digits may overflow to infinity): x itself. */
const rounded = (x: number, digits: number): number => {
  if (Math.abs(x) >= 2 ** 52) return x
  const f = 10 ** digits
  return (Math.sign(x) * Math.round(Math.abs(x) * f)) / f
}

/**
 * Money for people, in the unit its size calls for, to at least three significant figures:
 *   under £9,999.50               whole pounds              £850  £9,999
 *   £9,999.50 to £99,950          thousands, 1 decimal      £10.0k  £12.3k  £99.9k
 *   £99,950 to £999,500           thousands, no decimal     £100k  £432k  £999k
 *   £999,500 to £999.995m         millions, 2 decimals      £1.00m  £56.36m  £999.99m
 *   £999.995m to £999,999.995bn   billions, 2 decimals      £1.00bn  £1.40bn  £1,234.50bn
 *   from £999,999.995bn           3 figures, power of ten   £1.00e15  £1.80e308 (no run spends it: HUGE)
 * A figure that rounds up to the next unit's threshold is written in that unit (£999,999 is "£1.00m", not
 * "£1,000k"). Negative figures lead with "-" ("-£6.44m"); a figure that rounds to nothing is "£0" (never
 * "-£0"); a missing or infinite figure is "-".
 */
export const money = (x: number | null): string => {
  if (x === null || !Number.isFinite(x)) return MISSING
  const a = Math.abs(x)
  let text: string
  const whole = rounded(a, 0)
  if (whole < 10_000) text = whole === 0 ? "0" : grouped(whole, 0)
  else {
    const k = a / 1e3
    const kDigits = rounded(k, 1) < 100 ? 1 : 0
    const kRounded = rounded(k, kDigits)
    if (kRounded < 1000) text = `${grouped(kRounded, kDigits)}k`
    else {
      const m = rounded(a / 1e6, 2)
      const bn = rounded(a / 1e9, 2)
      text = m < 1000 ? `${grouped(m, 2)}m` : bn < HUGE / 1e9 ? `${grouped(bn, 2)}bn` : huge(a)
    }
  }
  return x < 0 && text !== "0" ? `-£${text}` : `£${text}`
}

/** A count of children, events, replications: a whole number with thousands separators ("-" if none). */
export const count = (x: number | null): string => {
  if (x === null || !Number.isFinite(x)) return MISSING
  const r = rounded(x, 0)
  return grouped(r === 0 ? 0 : r, 0)
}

/** A measured quantity (FTE, children per worker, a mean difference) to `digits` decimals ("-" if none). */
export const decimal = (x: number | null, digits: number): string => {
  if (x === null || !Number.isFinite(x)) return MISSING
  const r = rounded(x, digits)
  return grouped(r === 0 ? 0 : r, digits)
}

/** Pounds to the penny with thousands separators and the sign before the £ (a return per £1): -£254.36. */
export const poundsPer = (x: number): string =>
  Number.isFinite(x) ? `${x < 0 && decimal(-x, 2) !== "0.00" ? "-" : ""}£${decimal(Math.abs(x), 2)}` : MISSING

/** A share as a percentage to `digits` decimals: 0.8 -> "80.0%" ("-" if none; past 10^306, where x 100
 * overflows, its power of ten raised by two). */
export const percent = (x: number | null, digits = 1): string => {
  if (x === null || !Number.isFinite(x)) return MISSING
  if (Number.isFinite(x * 100)) return `${decimal(x * 100, digits)}%`
  const [mantissa, exponent] = huge(x).split("e")
  return `${mantissa}e${Number(exponent) + 2}%`
}
