import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { escapeControl, excerpt, grouped, show } from "../../src/domain/Show.js"

describe("showing values in messages", () => {
  it("groups whole numbers as toLocaleString('en-GB') does", () => {
    fc.assert(
      fc.property(fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (n) => {
        expect(grouped(n)).toBe(n.toLocaleString("en-GB"))
      }),
      { numRuns: 2000 }
    )
    expect(grouped(0)).toBe("0")
    expect(grouped(999)).toBe("999")
    expect(grouped(1000)).toBe("1,000")
    expect(grouped(-1234567)).toBe("-1,234,567")
    expect(grouped(1.5)).toBe((1.5).toLocaleString("en-GB"))
  })

  it("escapes control characters and cuts long values", () => {
    expect(escapeControl("a\u001b[31mb\nc")).toBe("a\\u001b[31mb\\nc")
    expect(excerpt("x".repeat(100), 10)).toBe("xxxxxxxxxx... (100 characters)")
    expect(show("y".repeat(500))).toMatch(/^"y+\.\.\. \(500 characters\)$/)
    expect(show(Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, i])))).toBe(
      "a mapping of 200 fields"
    )
  })
})
