/**
 * The page's files: the platform `FileSystem` over texts held in memory (the shipped scenarios inlined in
 * the page, and the files the analyst opened), so the scenario loader (scenario/Load.ts) reads a scenario
 * and its `extends` chain in the browser exactly as it reads them from disk, with the same checks and the
 * same messages. Only what the loader uses is provided (stat, stream, readFileString); everything else is
 * the platform's no-op file system, which fails.
 */
import { SystemError } from "@effect/platform/Error"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"

/** Texts by path: paths are relative and use `/` ("scenarios/default.yaml"), as the loader joins them. */
export type Files = ReadonlyMap<string, string>

/** A path as the map holds it: `./` and empty segments dropped, `a/../` folded. */
export const normalisePath = (file: string): string => {
  const out: Array<string> = []
  for (const part of file.split("/")) {
    if (part === "" || part === ".") continue
    if (part === ".." && out.length > 0 && out[out.length - 1] !== "..") out.pop()
    else out.push(part)
  }
  return out.join("/")
}

const notFound = (method: string, file: string) =>
  new SystemError({ reason: "NotFound", module: "FileSystem", method, pathOrDescriptor: file })

const info = (bytes: number): FileSystem.File.Info => ({
  type: "File",
  mtime: Option.none(),
  atime: Option.none(),
  birthtime: Option.none(),
  dev: 0,
  ino: Option.none(),
  mode: 0o444,
  nlink: Option.none(),
  uid: Option.none(),
  gid: Option.none(),
  rdev: Option.none(),
  size: FileSystem.Size(bytes),
  blksize: Option.none(),
  blocks: Option.none()
})

/** The file system of `files` (read-only). */
export const memoryFileSystem = (files: Files): Layer.Layer<FileSystem.FileSystem> => {
  const encoder = new TextEncoder()
  const bytesOf = new Map<string, Uint8Array>()
  for (const [file, text] of files) bytesOf.set(normalisePath(file), encoder.encode(text))
  const get = (file: string) => bytesOf.get(normalisePath(file))
  return FileSystem.layerNoop({
    stat: (file) => {
      const b = get(file)
      return b === undefined ? Effect.fail(notFound("stat", file)) : Effect.succeed(info(b.length))
    },
    stream: (file) => {
      const b = get(file)
      return b === undefined ? Stream.fail(notFound("stream", file)) : Stream.succeed(b)
    },
    readFileString: (file) => {
      const b = get(file)
      return b === undefined
        ? Effect.fail(notFound("readFileString", file))
        : Effect.succeed(new TextDecoder().decode(b))
    }
  })
}
