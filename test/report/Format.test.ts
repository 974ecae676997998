// Printed figures: money in the unit its size calls for (at the boundaries, and as a property: the text
// reads back to the figure within half its last digit, to at least three significant figures), whole counts.
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { count, decimal, MISSING, money, percent, pounds, poundsPer } from "../../src/report/Format.js"

/** The pounds a printed money figure stands for, and half its last digit (its rounding error). */
const readBack = (text: string): { readonly value: number; readonly half: number } => {
  const m = /^(-?)£([\d,]+)(?:\.(\d+))?(k|m|bn)?$/.exec(text)
  if (m === null) throw new Error(`not printed money: ${text}`)
  const scale = m[4] === undefined ? 1 : { k: 1e3, m: 1e6, bn: 1e9 }[m[4] as "k" | "m" | "bn"]
  const decimals = m[3]?.length ?? 0
  const value = Number(`${m[2].replace(/,/g, "")}.${m[3] ?? "0"}`) * scale
  return { value: m[1] === "-" ? -value : value, half: (0.5 * scale) / 10 ** decimals }
}

/** Any figure, with the unit boundaries and their neighbours (a random double seldom lands on one). */
const BOUNDARIES = [9_999.5, 99_950, 999_500, 999_995_000].flatMap((b) => [b, -b, b - 0.01, b + 0.01, b - 1, b + 1])
/** Figures spread evenly over the orders of magnitude, from pennies to £10,000bn, either sign. */
const anySize = fc
  .tuple(fc.integer({ min: 100_000, max: 999_999 }), fc.integer({ min: -7, max: 8 }), fc.boolean())
  .map(([digits, e, negative]) => (negative ? -1 : 1) * digits * 10 ** e)
const figures = fc.oneof(anySize, fc.constantFrom(...BOUNDARIES))

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

  it("prints a dash for a missing or infinite figure", () => {
    expect([money(null), money(NaN), money(Infinity), money(-Infinity)]).toEqual(["-", "-", "-", "-"])
  })

  it("reads back to the figure within half its last digit, to three significant figures or more", () => {
    fc.assert(
      fc.property(figures, (x) => {
        const text = money(x)
        const { value, half } = readBack(text)
        // A little slack for the binary representation of the figure itself.
        expect(Math.abs(value - x)).toBeLessThanOrEqual(half * (1 + 1e-9) + 1e-9)
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
