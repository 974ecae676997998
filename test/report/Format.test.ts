// Printed figures: money in the unit its size calls for (at the boundaries, and as a property: the text
// reads back to the figure within half its last digit, to at least three significant figures), whole counts;
// figures no run makes (from £1,000,000bn, up to the largest double) in three figures and a power of ten.
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { count, decimal, MISSING, money, percent, pounds, poundsPer } from "../../src/report/Format.js"

/** The pounds a printed money figure stands for, and half its last digit (its rounding error), both divided
 * by `scale` (a power of ten: so "£1.80e308" reads back, as 1.80, with scale 1e308). */
const readBack = (text: string): { readonly value: number; readonly half: number; readonly scale: number } => {
  const huge = /^(-?)£(\d\.\d\d)e(\d+)$/.exec(text)
  if (huge !== null) {
    const value = Number(huge[2])
    return { value: huge[1] === "-" ? -value : value, half: 0.005, scale: 10 ** Number(huge[3]) }
  }
  const m = /^(-?)£([\d,]+)(?:\.(\d+))?(k|m|bn)?$/.exec(text)
  if (m === null) throw new Error(`not printed money: ${text}`)
  const scale = m[4] === undefined ? 1 : { k: 1e3, m: 1e6, bn: 1e9 }[m[4] as "k" | "m" | "bn"]
  const decimals = m[3]?.length ?? 0
  const value = Number(`${m[2].replace(/,/g, "")}.${m[3] ?? "0"}`) * scale
  return { value: m[1] === "-" ? -value : value, half: (0.5 * scale) / 10 ** decimals, scale: 1 }
}

/** Any figure, with the unit boundaries and their neighbours (a random double seldom lands on one). */
const BOUNDARIES = [9_999.5, 99_950, 999_500, 999_995_000].flatMap((b) => [b, -b, b - 0.01, b + 0.01, b - 1, b + 1])
/** Figures spread evenly over the orders of magnitude, from pennies to £10,000bn, either sign. */
const anySize = fc
  .tuple(fc.integer({ min: 100_000, max: 999_999 }), fc.integer({ min: -7, max: 8 }), fc.boolean())
  .map(([digits, e, negative]) => (negative ? -1 : 1) * digits * 10 ** e)
/** Any finite double at all, most of them far beyond any spend (as a damaged or forged shard may hold). */
const anyDouble = fc.double({ noNaN: true, noDefaultInfinity: true })
const figures = fc.oneof(anySize, fc.constantFrom(...BOUNDARIES), anyDouble)

describe("money for people", () => {
  it("changes unit where a figure would round to 1,000 of the smaller one", () => {
    const cases: ReadonlyArray<readonly [number, string]> = [
      [0, "£0"],
      [0.4, "£0"],
      [-0.4, "£0"],
      [850, "£850"],
      [999.5, "£1,000"],
      [9_999.49, "£9,999"],
      [9_999.5, "£10.0k"],
      [12_345, "£12.3k"],
      [99_949, "£99.9k"],
      [99_950, "£100k"],
      [432_100, "£432k"],
      [999_499, "£999k"],
      [999_500, "£1.00m"],
      [999_999, "£1.00m"],
      [1_000_000, "£1.00m"],
      [-6_441_620, "-£6.44m"],
      [53_510_000, "£53.51m"],
      [999_994_999, "£999.99m"],
      [999_995_000, "£1.00bn"],
      [1_397_560_000, "£1.40bn"],
      [6_040_790_000, "£6.04bn"],
      [1_234_500_000_000, "£1,234.50bn"]
    ]
    for (const [x, text] of cases) expect(money(x), String(x)).toBe(text)
  })

  it("writes a figure from £1,000,000bn in three figures and a power of ten, up to the largest double", () => {
    const cases: ReadonlyArray<readonly [number, string]> = [
      [999_999_990_000_000, "£999,999.99bn"],
      [999_999_995_000_000, "£1.00e15"],
      [1e21, "£1.00e21"],
      [-1.234e22, "-£1.23e22"],
      [1e295, "£1.00e295"],
      [-Number.MAX_VALUE, "-£1.80e308"]
    ]
    for (const [x, text] of cases) expect(money(x), String(x)).toBe(text)
  })

  it("prints a dash for a missing or infinite figure", () => {
    expect([money(null), money(NaN), money(Infinity), money(-Infinity)]).toEqual(["-", "-", "-", "-"])
  })

  it("reads back to the figure within half its last digit, to three significant figures or more", () => {
    fc.assert(
      fc.property(figures, (x) => {
        const text = money(x)
        const { value, half, scale } = readBack(text)
        // A little slack for the binary representation of the figure itself.
        expect(Math.abs(value - x / scale)).toBeLessThanOrEqual(half * (1 + 1e-9) + 1e-9)
        if (Math.abs(x) >= 100) expect(half / Math.abs(value)).toBeLessThanOrEqual(0.005)
        expect(text.startsWith("-")).toBe(value < 0)
      })
    )
  })
})

describe("counts and other figures", () => {
  it("writes counts as whole numbers with thousands separators", () => {
    expect(count(1104)).toBe("1,104")
    expect(count(1104.4)).toBe("1,104")
    expect(count(1334.5)).toBe("1,335")
    expect(count(-2.5)).toBe("-3")
    expect(count(-0.3)).toBe("0")
    expect(count(6_385_613)).toBe("6,385,613")
    expect(count(NaN)).toBe("-")
    expect(count(null)).toBe("-")
  })

  it("writes measured quantities and shares to the decimals asked for", () => {
    expect(decimal(89.14, 1)).toBe("89.1")
    expect(decimal(-0.04, 1)).toBe("0.0")
    expect(decimal(12_345.678, 2)).toBe("12,345.68")
    expect(decimal(NaN, 1)).toBe("-")
    expect(percent(0.8)).toBe("80.0%")
    expect(percent(0.0504, 0)).toBe("5%")
    expect(percent(null)).toBe("-")
  })

  it("keeps CSV money to the penny, never -0.00", () => {
    expect(pounds(1234.5)).toBe("1234.50")
    expect(pounds(-0.001)).toBe("0.00")
    // Past 10^21, where toFixed writes "1e+21": the double's exact digits, still to the penny.
    expect(pounds(1e21)).toBe("1000000000000000000000.00")
    expect(pounds(-1e22)).toBe("-10000000000000000000000.00")
    expect([NaN, Infinity].map(pounds)).toEqual(["NaN", "Infinity"]) // as toFixed writes them
    fc.assert(
      fc.property(anyDouble, (x) => {
        const text = pounds(x)
        expect(text).toMatch(/^-?\d+\.\d\d$/)
        expect(Math.abs(Number(text) - x)).toBeLessThanOrEqual(Math.max(0.005, Math.abs(x) * 1e-15))
      })
    )
  })

  it("write figures no run makes in three figures and a power of ten, never garbled", () => {
    expect([count(1e21), count(-1e297), count(Number.MAX_VALUE)]).toEqual(["1.00e21", "-1.00e297", "1.80e308"])
    expect(count(999_999_999_999_999)).toBe("999,999,999,999,999")
    expect([decimal(1e300, 2), percent(1e300), percent(-1e307)]).toEqual(["1.00e300", "1.00e302%", "-1.00e309%"])
    expect(poundsPer(-1e21)).toBe("-£1.00e21")
    fc.assert(
      fc.property(anyDouble, fc.integer({ min: 0, max: 2 }), (x, digits) => {
        const plain = /^-?(?:\d{1,3}(?:,\d{3})*(?:\.\d+)?|\d\.\d\de\d+)$/
        expect(count(x)).toMatch(plain)
        expect(decimal(x, digits)).toMatch(plain)
        expect(poundsPer(x).replace("£", "")).toMatch(plain)
        expect(percent(x, digits).replace(/%$/, "")).toMatch(plain)
      })
    )
  })
})

describe("thousands separators without ICU", () => {
  it("write counts and decimals exactly as toLocaleString('en-GB') does", () => {
    fc.assert(
      fc.property(fc.double({ min: -1e13, max: 1e13, noNaN: true }), fc.integer({ min: 0, max: 2 }), (x, digits) => {
        const r = Math.round(x * 10 ** digits) / 10 ** digits
        const expected = (r === 0 ? 0 : r).toLocaleString("en-GB", {
          minimumFractionDigits: digits,
          maximumFractionDigits: digits
        })
        expect(digits === 0 ? count(r) : decimal(r, digits)).toBe(expected)
      }),
      { numRuns: 2000 }
    )
  })
})

describe("poundsPer", () => {
  it("puts the sign before the £ and groups thousands, never -£0.00", () => {
    expect([-254.357, 3056738.456, 0.5, -0.001, 0, Number.NaN].map(poundsPer)).toEqual([
      "-£254.36",
      "£3,056,738.46",
      "£0.50",
      "£0.00",
      "£0.00",
      MISSING
    ])
  })
})
