import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { readCsv } from "../../src/forecast/Csv.js"

const COLUMNS = ["a", "b", "c"].map((name) => ({ name, required: name === "a" }))

/** A field as a spreadsheet writes it: quoted (its quotes doubled) when it holds a comma, quote or line break. */
const written = (field: string, forceQuotes: boolean): string =>
  forceQuotes || /[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field

const field = fc.string({ unit: fc.constantFrom("x", "7", " ", ",", '"', "\n", "\r\n", "é"), maxLength: 6 })
const record = fc.record({
  fields: fc.array(field, { minLength: 1, maxLength: 3 }),
  quoted: fc.boolean(),
  blankBefore: fc.nat(2),
  ending: fc.constantFrom("\n", "\r\n")
})

describe("readCsv", () => {
  it("gives each record the physical line it starts on, and its fields, whatever quotes and blank lines hold", () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 12 }), fc.boolean(), (records, finalEnding) => {
        let text = "a,b,c\n"
        let line = 2
        const expected: Array<{ line: number; fields: Array<string> }> = []
        records.forEach((r, k) => {
          text += r.ending.repeat(r.blankBefore)
          line += r.blankBefore
          // A lone empty first field would be a blank line (no record): quote it.
          const cells = r.fields.map((f, i) => written(f, r.quoted || (i === 0 && r.fields.length === 1 && f === "")))
          const body = cells.join(",")
          expected.push({ line, fields: r.fields.map((f) => f.replace(/\r\n?/g, "\n")) })
          text += body + (k < records.length - 1 || finalEnding ? r.ending : "")
          line += (body.match(/\r\n|\r|\n/g)?.length ?? 0) + 1
        })
        const { rows, problems } = readCsv(text, COLUMNS)
        expect(problems).toEqual([])
        expect(rows.map((row) => ({ line: row.line, fields: ["a", "b", "c"].map((c) => row.get(c)) }))).toEqual(
          expected.map((e) => ({ line: e.line, fields: [0, 1, 2].map((i) => e.fields[i]) }))
        )
      }),
      { numRuns: 300 }
    )
  })

  it("names the line of a record after a quoted field that spans lines", () => {
    const { problems } = readCsv('a,b\n"one\ntwo",1\n\n3,4,5\n', COLUMNS)
    expect(problems.map((p) => p.line)).toEqual([5])
  })

  it("counts lines as csv-parse does where a byte-order mark stands alone on the first line", () => {
    const { rows, problems } = readCsv("\uFEFF\na,b\n1,2\n\n3,4\n", COLUMNS)
    expect(problems).toEqual([])
    expect(rows.map((r) => [r.line, r.get("a")])).toEqual([
      [3, "1"],
      [5, "3"]
    ])
  })
})
