/**
 * The browser build's record of its inputs (scripts/build-web.mjs): `currentWeb` takes a built page as
 * current only while the page is as written and every file it was built from is unchanged; the browser
 * tests rely on it to skip a build `npm ci` has just made.
 */
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { currentWeb, digestOf } from "../../scripts/build-web.mjs"

const root = path.resolve(import.meta.dirname, "../..")
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "caseflow-web-build-"))
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

const sha256 = (data: string) => createHash("sha256").update(data).digest("hex")

describe("currentWeb", () => {
  const page = path.join(tmp, "caseflow.html")
  const input = path.join(tmp, "input.ts")
  const record = path.join(tmp, "caseflow.html.inputs.json")
  const inputs = ["package.json", path.relative(root, input)]
  const write = (html: string, digest: string | null, files = inputs) => {
    fs.writeFileSync(page, html)
    fs.writeFileSync(record, JSON.stringify({ page: sha256("<html>built</html>"), inputs: files, digest }))
  }

  it("is the page while it and its inputs are as built; null once either changes", () => {
    fs.writeFileSync(input, "export const a = 1\n")
    const digest = digestOf(inputs)
    expect(digest).toMatch(/^[0-9a-f]{64}$/)
    write("<html>built</html>", digest)
    expect(currentWeb(tmp)).toEqual({ file: page, bytes: Buffer.byteLength("<html>built</html>") })
    // An input edited (and back again).
    fs.writeFileSync(input, "export const a = 2\n")
    expect(currentWeb(tmp)).toBeNull()
    fs.writeFileSync(input, "export const a = 1\n")
    expect(currentWeb(tmp)).not.toBeNull()
    // The page edited.
    write("<html>edited</html>", digest)
    expect(currentWeb(tmp)).toBeNull()
  })

  it("is null when an input is gone, the record is damaged, or there is no record", () => {
    fs.writeFileSync(input, "export const a = 1\n")
    write("<html>built</html>", digestOf(inputs))
    fs.rmSync(input)
    expect(currentWeb(tmp)).toBeNull()
    write("<html>built</html>", "0".repeat(64))
    expect(currentWeb(tmp)).toBeNull()
    write("<html>built</html>", digestOf([]), [])
    expect(currentWeb(tmp)).toBeNull()
    fs.writeFileSync(record, "{")
    expect(currentWeb(tmp)).toBeNull()
    fs.rmSync(record)
    expect(currentWeb(tmp)).toBeNull()
  })
})
