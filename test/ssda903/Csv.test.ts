/**
 * The CSV reader: what it accepts as files are written in practice, what it refuses and where, and a
 * property: any table written by caseflow's own CSV writer (`report/Format.ts`) reads back field for field,
 * with the physical line of each record, whatever the line endings.
 */
import * as Either from "effect/Either"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { csv } from "../../src/report/Format.js"
import { decodeCsvBytes, MAX_FIELDS, MAX_RECORD_CHARS, parseCsv, sniffBytes } from "../../src/ssda903/Csv.js"

const parsed = (text: string) => {
  const r = parseCsv(text)
  if (Either.isLeft(r)) throw new Error(`line ${r.left.line}: ${r.left.detail}`)
  return r.right
}
const problem = (text: string) => {
  const r = parseCsv(text)
  if (Either.isRight(r)) throw new Error("parsed")
  return r.left
}

describe("parseCsv", () => {
  it("reads quoted fields with commas, quotes and line breaks, and gives each record its first line", () => {
    const t = parsed('A,B\n"x, y","say ""hi"""\n"two\nlines",z\n\nlast,row')
    expect(t.header).toEqual(["A", "B"])
    expect(t.records).toEqual([
      { line: 2, fields: ["x, y", 'say "hi"'] },
      { line: 3, fields: ["two\nlines", "z"] },
      { line: 6, fields: ["last", "row"] }
    ])
  })

  it("reads CRLF, lone CR and LF alike, and skips Excel's sep=, line", () => {
    expect(parsed("A,B\r\n1,2\r\n").records).toEqual([{ line: 2, fields: ["1", "2"] }])
    expect(parsed("A,B\r1,2\r").records).toEqual([{ line: 2, fields: ["1", "2"] }])
    expect(parsed("sep=,\nA,B\n1,2\n").header).toEqual(["A", "B"])
  })

  it("refuses, with the line: a short row, an open quote, a quote inside a field, text after a quote", () => {
    expect(problem("A,B\n1\n")).toEqual({ line: 2, detail: "1 field where the header has 2" })
    expect(problem('A,B\n1,"2\n3\n').line).toBe(2)
    expect(problem('A,B\n1,2"3\n').detail).toBe("a quote inside an unquoted field")
    expect(problem('A,B\n1,"2"3\n').detail).toBe("text after the closing quote of a quoted field")
    expect(problem("A,A\n").detail).toBe("column A appears twice")
    expect(problem("A,,C\n").detail).toBe("column 2 of the header has no name")
    expect(problem("sep=;\nA;B\n").detail).toMatch(/not comma separated/)
  })

  it("refuses a row of more fields than any return has as it reads it, not after keeping them all", () => {
    expect(problem(`A,B\n1,2\n${",".repeat(MAX_FIELDS)}\n`)).toEqual({
      line: 3,
      detail: "expected at most 4,096 fields in a row, found more"
    })
    const widest = Array.from({ length: MAX_FIELDS }, (_, i) => `C${i}`).join(",")
    expect(parsed(`${widest}\n`).header).toHaveLength(MAX_FIELDS)
  })

  it("refuses a row longer than any return has (a 50 MB field was kept, and copied into the problems file)", () => {
    const long = "x".repeat(MAX_RECORD_CHARS)
    for (const field of [long, `"${long}"`, `"${long.slice(10)}\n${long.slice(0, 10)}"`])
      expect(problem(`A,B\n1,2\n3,${field}\n`)).toEqual({
        line: 3,
        detail: "expected a row of at most 1,048,576 characters, found a longer one"
      })
    expect(parsed(`A,B\n1,${"x".repeat(MAX_RECORD_CHARS - 2)}\n`).records).toHaveLength(1)
  })

  it("reads back what caseflow's CSV writer writes, with LF or CRLF", () => {
    const field = fc.string({ unit: fc.constantFrom("a", "1", ",", '"', "\n", " ", "é", "/") })
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 5 })
          .chain((n) =>
            fc.tuple(
              fc.constant(n),
              fc.array(fc.array(field, { minLength: n, maxLength: n }), { maxLength: 8 }),
              fc.boolean()
            )
          ),
        ([n, rows, crlf]) => {
          const header = Array.from({ length: n }, (_, i) => `C${i}`)
          // A record of one empty field is a blank line, which is skipped: leave those out.
          const kept = rows.filter((r) => !(r.length === 1 && r[0].trim() === ""))
          let text = csv(header, kept)
          if (crlf) text = text.replace(/\n(?=(?:[^"]*"[^"]*")*[^"]*$)/g, "\r\n")
          const t = parsed(text)
          expect(t.records.map((r) => r.fields)).toEqual(kept)
        }
      ),
      { numRuns: 300 }
    )
  })
})

describe("the bytes of a file", () => {
  it("are refused when they are a workbook, UTF-16 or binary, and decoded without a byte-order mark", () => {
    expect(sniffBytes(new Uint8Array([0x50, 0x4b, 0x03, 0x04]))).toMatch(/xlsx/)
    expect(sniffBytes(new Uint8Array([0x41, 0x00, 0x42]))).toMatch(/zero byte at offset 1/)
    expect(decodeCsvBytes(new Uint8Array([0xef, 0xbb, 0xbf, 0x41]))).toEqual(Either.right("A"))
    const bad = decodeCsvBytes(new Uint8Array([0x41, 0x0a, 0x42, 0xe9, 0x0a]))
    expect(Either.isLeft(bad) && bad.left).toEqual({
      line: 2,
      detail: "not UTF-8 text: byte 0xe9 at offset 3 (perhaps Windows-1252 from an older Excel: save it as CSV UTF-8)"
    })
  })
})
