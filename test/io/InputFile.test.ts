// Reading input files safely: only regular files, never more than a stated number of bytes, UTF-8 only; a
// FIFO, a device or a folder is refused without reading a byte (so nothing blocks or fills memory).
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { checkInputFile, type InputFileError, readInputText } from "../../src/io/InputFile.js"

let dir = ""
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "caseflow-input-"))
})
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const read = (file: string, maxBytes = 1024): Promise<Either.Either<string, InputFileError>> =>
  Effect.runPromise(Effect.either(readInputText(file, maxBytes)).pipe(Effect.provide(NodeContext.layer)))
const refused = async (file: string, maxBytes = 1024): Promise<InputFileError> => {
  const r = await read(file, maxBytes)
  if (Either.isRight(r)) throw new Error(`${file} was read, but should not have been`)
  return r.left
}
const write = (name: string, content: string | Uint8Array): string => {
  const file = path.join(dir, name)
  fs.writeFileSync(file, content)
  return file
}

describe("readInputText", () => {
  it("reads a regular UTF-8 file, without its byte-order mark", async () => {
    expect(await read(write("plain.yaml", "name: x\n"))).toEqual(Either.right("name: x\n"))
    expect(await read(write("bom.yaml", "\ufeffname: £5\n"))).toEqual(Either.right("name: £5\n"))
  })

  it("refuses a file over the limit by its size, without reading it", async () => {
    const e = await refused(write("big.yaml", "x".repeat(3 * 1024 * 1024)), 2 * 1024 * 1024)
    expect(e.detail).toBe("the file is 3.0 MiB; the limit is 2.0 MiB")
    expect(e.message).toBe(`${path.join(dir, "big.yaml")}: the file is 3.0 MiB; the limit is 2.0 MiB`)
  })

  it("bounds the read itself for files that report no size (those under /proc)", async () => {
    expect(fs.statSync("/proc/self/status").size).toBe(0)
    const e = await refused("/proc/self/status", 16)
    expect(e.detail).toBe("the file is over the limit of 0.00 MiB")
  })

  it("refuses bytes that are not UTF-8, giving the offset of the first", async () => {
    const e = await refused(write("latin1.yaml", Uint8Array.from([0x6e, 0x3a, 0x20, 0xa3, 0x35])))
    expect(e.detail).toBe("expected UTF-8 text, found a byte that is not UTF-8 at offset 3")
  })

  it("refuses a folder, a device and a named pipe without reading (nothing blocks)", async () => {
    expect((await refused(dir)).detail).toBe("expected a regular file, found a folder")
    for (const device of ["/dev/zero", "/dev/urandom", "/dev/null"])
      expect((await refused(device)).detail).toBe("expected a regular file, found a device")
    const fifo = path.join(dir, "pipe")
    execFileSync("mkfifo", [fifo])
    // Opening a FIFO with no writer would block forever: it is refused from its type alone.
    expect((await refused(fifo)).detail).toBe("expected a regular file, found a named pipe (FIFO)")
  })

  it("names a missing file, short and escaped", async () => {
    expect((await refused(path.join(dir, "nope.yaml"))).detail).toBe("no such file")
    const hostile = path.join(dir, `\u001b[2J${"x".repeat(240)}.yaml`)
    const m = (await refused(hostile)).message
    expect(m).toMatch(/\\u001b\[2Jx+\.\.\.: no such file$/)
    expect(m.length).toBeLessThan(300)
  })

  it("checks a file's type and size without reading it", async () => {
    const file = write("small.yaml", "name: x\n")
    const info = await Effect.runPromise(checkInputFile(file, 100).pipe(Effect.provide(NodeContext.layer)))
    expect(info.type).toBe("File")
  })
})
