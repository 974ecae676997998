/**
 * Reading an input file safely: only a regular file is read (a FIFO, a device such as /dev/zero, a
 * directory or a socket is refused without reading a byte), and never more than a stated number of bytes
 * (a file that grows past the limit while being read is refused too). Every input a command reads (a
 * scenario and its bases, an event log, a shard) comes through here, through the platform `FileSystem`.
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { escapeControl, excerpt } from "../domain/Show.js"

/** An input file that cannot be read: `detail` says why in a user's words. */
export class InputFileError extends Schema.TaggedError<InputFileError>()("InputFileError", {
  file: Schema.String,
  detail: Schema.String,
  /** The file is larger than the reader's limit (a caller with an allowance of its own may say so its way). */
  overLimit: Schema.optionalWith(Schema.Boolean, { default: () => false })
}) {
  /** The file name short and escaped (it may come from a hostile `extends`), as the detail. */
  override get message(): string {
    return `${excerpt(this.file, 200)}: ${escapeControl(this.detail)}`
  }
}

const KIND: Record<string, string> = {
  Directory: "a folder",
  FIFO: "a named pipe (FIFO)",
  CharacterDevice: "a device",
  BlockDevice: "a device",
  Socket: "a socket",
  SymbolicLink: "a symbolic link",
  Unknown: "not a regular file"
}

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(bytes < 2 ** 20 ? 2 : 1)} MiB`

/** Checks that `file` is a regular file of at most `maxBytes` (by its size on disk), without reading it. */
export const checkInputFile = (
  file: string,
  maxBytes: number
): Effect.Effect<FileSystem.File.Info, InputFileError, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const info = yield* fs.stat(file).pipe(
      Effect.mapError(
        (e) =>
          new InputFileError({
            file,
            detail:
              e._tag === "SystemError" && e.reason === "NotFound"
                ? "no such file"
                : e._tag === "SystemError" && e.reason === "PermissionDenied"
                  ? "permission denied"
                  : `cannot read it (${e._tag === "SystemError" ? e.reason : "bad argument"})`
          })
      )
    )
    if (info.type !== "File")
      return yield* Effect.fail(
        new InputFileError({
          file,
          detail: `expected a regular file, found ${KIND[info.type] ?? "not a regular file"}`
        })
      )
    const size = Number(info.size)
    if (size > maxBytes)
      return yield* Effect.fail(
        new InputFileError({ file, detail: `the file is ${mib(size)}; the limit is ${mib(maxBytes)}`, overLimit: true })
      )
    return info
  })

/**
 * The bytes of a regular file of at most `maxBytes`. The read itself is bounded too: some files report a
 * size of 0 (those under /proc) and a file can grow while it is read.
 */
export const readInputBytes = (
  file: string,
  maxBytes: number
): Effect.Effect<Uint8Array, InputFileError, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    yield* checkInputFile(file, maxBytes)
    const fs = yield* FileSystem.FileSystem
    const chunks = yield* fs.stream(file, { bytesToRead: maxBytes + 1 }).pipe(
      Stream.runCollect,
      Effect.mapError((e) => new InputFileError({ file, detail: `cannot read it: ${e.message}` }))
    )
    let n = 0
    for (const c of chunks) n += c.length
    if (n > maxBytes)
      return yield* Effect.fail(
        new InputFileError({ file, detail: `the file is over the limit of ${mib(maxBytes)}`, overLimit: true })
      )
    const out = new Uint8Array(n)
    let at = 0
    for (const c of Chunk.toReadonlyArray(chunks)) {
      out.set(c, at)
      at += c.length
    }
    return out
  })

/**
 * The text of a regular UTF-8 file of at most `maxBytes`, without a byte-order mark. Bytes that are not
 * UTF-8 are refused with the byte offset of the first (a binary file, a file in another encoding).
 */
export const readInputText = (
  file: string,
  maxBytes: number
): Effect.Effect<string, InputFileError, FileSystem.FileSystem> =>
  Effect.flatMap(readInputBytes(file, maxBytes), (bytes) => {
    try {
      const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes)
      return Effect.succeed(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text)
    } catch {
      return Effect.fail(
        new InputFileError({
          file,
          detail: `expected UTF-8 text, found a byte that is not UTF-8 at offset ${firstInvalidUtf8(bytes)}`
        })
      )
    }
  })

/** The offset of the first byte that does not begin or continue a well-formed UTF-8 sequence. */
const firstInvalidUtf8 = (b: Uint8Array): number => {
  let i = 0
  while (i < b.length) {
    const x = b[i]
    const n = x < 0x80 ? 0 : x >= 0xc2 && x <= 0xdf ? 1 : x >= 0xe0 && x <= 0xef ? 2 : x >= 0xf0 && x <= 0xf4 ? 3 : -1
    if (n < 0) return i
    for (let k = 1; k <= n; k++) if (i + k >= b.length || (b[i + k] & 0xc0) !== 0x80) return i
    i += n + 1
  }
  return i
}
