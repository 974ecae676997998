/**
 * A command's outputs, all or nothing, through the platform `FileSystem`.
 *
 * Before anything runs, `checkOutputs` refuses an output that is one of the command's inputs (the same
 * file, by device and inode, whatever the path) or another of its outputs, and `probeFolder` makes sure
 * the output folder can be created and written (then leaves nothing behind), so a bad `--out` fails in a
 * moment rather than after the simulation.
 *
 * At the end, `commit` writes every file under a temporary folder inside the output folder, then moves
 * them into place together: each existing file it replaces, and each of the command's own earlier files
 * it did not produce this time (its `names`), is first moved aside; if any move fails, everything moved
 * is put back as it was. The output folder then holds exactly what this command produced, beside
 * whatever else was in it, untouched. Files it hands over already written (the event log, staged by its
 * layer) are moved in the same transaction. The commit cannot be interrupted: a signal waits the few
 * milliseconds it takes.
 */
import type { PlatformError } from "@effect/platform/Error"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import type * as Scope from "effect/Scope"
import * as path from "node:path"
import { excerpt } from "../domain/Show.js"
import type { StagedFile } from "../run/Services.js"
import { BadFlag, OutputIsInput, WriteFailed } from "./errors.js"

/** Why a file-system call failed, in a user's words. */
export const failureOf = (e: PlatformError): string => {
  const cause = e._tag === "SystemError" ? e.cause : undefined
  const code =
    cause !== null && typeof cause === "object" && "code" in cause && typeof cause.code === "string" ? cause.code : ""
  const said: Record<string, string> = {
    ENOENT: "no such file or folder",
    EACCES: "permission denied",
    EPERM: "operation not permitted",
    EROFS: "the file system is read-only",
    ENOSPC: "no space left on the device",
    EDQUOT: "over the disk quota",
    EISDIR: "a folder is in the way",
    ENOTDIR: "a file is in the way of a folder",
    EEXIST: "it already exists",
    ENAMETOOLONG: "the name is too long",
    EXDEV: "it is on another file system",
    EIO: "an input/output error"
  }
  if (code in said) return said[code]
  return e._tag === "SystemError" ? `${e.reason}${code === "" ? "" : ` (${code})`}` : "bad argument"
}

/** One of a command's inputs, and what it is (for the message when an output would overwrite it). */
export interface Input {
  readonly file: string
  /** e.g. "the scenario", "a base scenario it extends", "the event log being replayed". */
  readonly role: string
}

/** One of a command's outputs and the flag that names it. */
export interface Target {
  readonly file: string
  readonly flag: string
}

const identity = (
  fs: FileSystem.FileSystem,
  file: string
): Effect.Effect<Option.Option<{ dev: number; ino: number }>> =>
  fs.stat(file).pipe(
    Effect.map((i) => Option.map(i.ino, (ino) => ({ dev: i.dev, ino }))),
    Effect.orElseSucceed(() => Option.none())
  )

/**
 * Refuses an output that is one of the inputs (an event log written over the scenario, a result CSV over
 * a base the scenario extends) or two outputs that are the same file.
 */
export const checkOutputs = (
  targets: ReadonlyArray<Target>,
  inputs: ReadonlyArray<Input>
): Effect.Effect<void, OutputIsInput | BadFlag, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const ins = yield* Effect.forEach(inputs, (i) => Effect.map(identity(fs, i.file), (id) => ({ ...i, id })))
    const seen = new Map<string, Target>()
    for (const t of targets) {
      const resolved = path.resolve(t.file)
      const before = seen.get(resolved)
      if (before !== undefined && before.flag !== t.flag)
        return yield* Effect.fail(
          new BadFlag({ detail: `${t.flag} ${excerpt(t.file)}: the same file as one of the ${before.flag} files` })
        )
      seen.set(resolved, t)
      const id = yield* identity(fs, t.file)
      for (const i of ins) {
        const same =
          path.resolve(i.file) === resolved ||
          (Option.isSome(id) &&
            Option.isSome(i.id) &&
            id.value.dev === i.id.value.dev &&
            id.value.ino === i.id.value.ino)
        if (same)
          return yield* Effect.fail(new OutputIsInput({ flag: t.flag, output: t.file, input: i.file, role: i.role }))
      }
    }
  })

/** The folders from `dir` up to (not including) the first that exists, deepest first; and that one. */
const missingFolders = (
  fs: FileSystem.FileSystem,
  dir: string
): Effect.Effect<{ missing: Array<string>; existing: string; info: FileSystem.File.Info }, WriteFailed> =>
  Effect.gen(function* () {
    const missing: Array<string> = []
    let at = path.resolve(dir)
    for (;;) {
      const info = yield* fs.stat(at).pipe(
        Effect.map(Option.some),
        Effect.catchAll((e) =>
          // Not there, or a file in the way of a folder (ENOTDIR): look further up.
          e._tag === "SystemError" && (e.reason === "NotFound" || e.reason === "BadResource")
            ? Effect.succeed(Option.none<FileSystem.File.Info>())
            : Effect.fail(new WriteFailed({ file: dir, detail: `cannot use this folder: ${failureOf(e)}` }))
        )
      )
      if (Option.isSome(info)) return { missing, existing: at, info: info.value }
      missing.push(at)
      const up = path.dirname(at)
      if (up === at) return yield* Effect.fail(new WriteFailed({ file: dir, detail: "no such file system" }))
      at = up
    }
  })

/**
 * Creates `dir` and any missing folders above it, one at a time (a recursive mkdir can loop for ever
 * under /proc); returns the folders it created, deepest first. A file in the way is bad input (`flag`).
 */
const makeFolders = (
  fs: FileSystem.FileSystem,
  dir: string,
  flag: string
): Effect.Effect<Array<string>, WriteFailed | BadFlag> =>
  Effect.gen(function* () {
    const { missing, existing, info } = yield* missingFolders(fs, dir)
    if (info.type !== "Directory")
      return yield* Effect.fail(
        new BadFlag({
          detail:
            existing === path.resolve(dir)
              ? `${flag} ${excerpt(dir)}: expected a folder, found a file`
              : `${flag} ${excerpt(dir)}: ${excerpt(existing)} is a file, not a folder`
        })
      )
    const created: Array<string> = []
    for (const d of [...missing].reverse()) {
      const made = yield* Effect.either(fs.makeDirectory(d))
      if (made._tag === "Left") {
        yield* removeFolders(fs, created)
        return yield* Effect.fail(
          new WriteFailed({ file: dir, detail: `cannot create the folder: ${failureOf(made.left)}` })
        )
      }
      created.unshift(d)
    }
    return created
  })

/** Removes folders this command created (deepest first), if they are still empty. */
const removeFolders = (fs: FileSystem.FileSystem, folders: ReadonlyArray<string>): Effect.Effect<void> =>
  Effect.forEach(
    folders,
    (d) =>
      fs.readDirectory(d).pipe(
        Effect.flatMap((entries) => (entries.length === 0 ? fs.remove(d, { recursive: true }) : Effect.void)),
        Effect.ignore
      ),
    { discard: true }
  )

const stagingPrefix = ".caseflow-"

/**
 * Checks, before a command runs, that its output folder `dir` can be created and written: creates it (and
 * any missing folders above it) and a temporary folder inside, then removes all it created.
 */
export const probeFolder = (
  dir: string,
  flag: string
): Effect.Effect<void, WriteFailed | BadFlag, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const created = yield* makeFolders(fs, dir, flag)
    const staging = yield* Effect.either(fs.makeTempDirectory({ directory: dir, prefix: stagingPrefix }))
    if (staging._tag === "Right") yield* Effect.ignore(fs.remove(staging.right, { recursive: true }))
    yield* removeFolders(fs, created)
    if (staging._tag === "Left")
      return yield* Effect.fail(
        new WriteFailed({ file: dir, detail: `cannot write in this folder: ${failureOf(staging.left)}` })
      )
  }).pipe(Effect.uninterruptible)

/**
 * The folder `dir` for the rest of the scope (created if missing, with any folders above it); the folders
 * created are removed again if the scope ends in failure or interruption. For outputs written by other
 * layers (the event log writes beside its own file).
 */
export const folderInScope = (
  dir: string,
  flag: string
): Effect.Effect<void, WriteFailed | BadFlag, FileSystem.FileSystem | Scope.Scope> =>
  Effect.flatMap(FileSystem.FileSystem, (fs) =>
    Effect.acquireRelease(makeFolders(fs, dir, flag), (created, exit) =>
      Exit.isSuccess(exit) ? Effect.void : removeFolders(fs, created)
    )
  ).pipe(Effect.asVoid)

/**
 * The number of files this invocation of the command line has moved into place: a signal that arrives
 * during the (uninterruptible) commit stops the command after it, and the message then says the results
 * were written.
 */
export class Written extends Context.Tag("caseflow/cli/Written")<Written, Ref.Ref<number>>() {}

/** What a command writes into one folder. */
export interface Outputs {
  /** The folder (created if missing). */
  readonly dir: string
  /** The flag that named it, for messages. */
  readonly flag: string
  /** Every name the command, as run, can write in `dir`; one it does not produce this time is removed. */
  readonly names: ReadonlyArray<string>
  /** The files produced, by name, with their text. */
  readonly files: ReadonlyArray<readonly [string, string]>
  /** Files already written under temporary names (the event log), moved into place with the others. */
  readonly staged?: ReadonlyArray<StagedFile>
  /**
   * Files outside `dir`, each named by its own flag (`--report FILE.html`, `--xlsx FILE.xlsx`): written
   * under a temporary name beside their target (its folder created if missing) and moved in with the others.
   */
  readonly extra?: ReadonlyArray<ExtraFile>
  /** The command's own earlier files elsewhere (e.g. a year's SSDA903 file it did not write this time): removed
   * with the others. */
  readonly staleElsewhere?: ReadonlyArray<string>
}

/** A file a command writes at a path of its own (not in its output folder). */
export interface ExtraFile {
  readonly file: string
  readonly flag: string
  readonly data: string | Uint8Array
}

interface Move {
  readonly from: string
  readonly to: string
}

/**
 * Writes `files` into `dir` and moves `staged` into place, all or nothing; removes the command's own
 * earlier files it did not produce. Returns the paths written (the folder's files, then the staged ones).
 */
export const commit = (
  o: Outputs
): Effect.Effect<ReadonlyArray<string>, WriteFailed | BadFlag, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const created = yield* makeFolders(fs, o.dir, o.flag)
    const fail = (file: string, doing: string) => (e: PlatformError) =>
      new WriteFailed({ file, detail: `${doing}: ${failureOf(e)}` })
    const staging = yield* fs
      .makeTempDirectory({ directory: o.dir, prefix: stagingPrefix })
      .pipe(Effect.mapError(fail(o.dir, "cannot write in this folder")))
    const token = path.basename(staging)
    const extras = (o.extra ?? []).map((x) => ({
      ...x,
      partial: path.join(path.dirname(x.file), `.${path.basename(x.file)}.${token}.new`)
    }))
    const extraFolders: Array<string> = []
    const done = Effect.gen(function* () {
      // 1. Every file written in full under the temporary folder (or, for an extra file, beside its target).
      for (const [name, text] of o.files)
        yield* fs
          .writeFileString(path.join(staging, name), text)
          .pipe(Effect.mapError(fail(path.join(o.dir, name), "cannot write it")))
      for (const x of extras) {
        extraFolders.push(...(yield* makeFolders(fs, path.dirname(x.file), x.flag)))
        const write =
          typeof x.data === "string" ? fs.writeFileString(x.partial, x.data) : fs.writeFile(x.partial, x.data)
        yield* write.pipe(Effect.mapError(fail(x.file, "cannot write it")))
      }
      // 2. What goes where; what is in the way must be a file (never replace a folder someone made).
      const placing: Array<Move> = [
        ...o.files.map(([name]) => ({ from: path.join(staging, name), to: path.join(o.dir, name) })),
        ...(o.staged ?? []).map((s) => ({ from: s.partial, to: s.target })),
        ...extras.map((x) => ({ from: x.partial, to: x.file }))
      ]
      const produced = new Set(o.files.map(([name]) => name))
      const stale = [
        ...o.names.filter((n) => !produced.has(n)).map((n) => path.join(o.dir, n)),
        ...(o.staleElsewhere ?? [])
      ]
      const aside: Array<Move> = []
      const besideOf = (file: string) =>
        path.resolve(path.dirname(file)) === path.resolve(o.dir)
          ? path.join(staging, `old-${path.basename(file)}`)
          : path.join(path.dirname(file), `.${path.basename(file)}.${token}.old`)
      for (const m of placing) {
        const info = yield* Effect.option(fs.stat(m.to))
        if (Option.isNone(info)) continue
        if (info.value.type !== "File")
          return yield* Effect.fail(
            new WriteFailed({ file: m.to, detail: "cannot write it: something other than a file is in the way" })
          )
        aside.push({ from: m.to, to: besideOf(m.to) })
      }
      for (const file of stale) {
        const info = yield* Effect.option(fs.stat(file))
        // Only a file by that name is the command's own; anything else there is left alone.
        if (Option.isSome(info) && info.value.type === "File") aside.push({ from: file, to: besideOf(file) })
      }
      // 3. The transaction: move aside, move in; on failure undo in reverse.
      const movedAside: Array<Move> = []
      const placed: Array<Move> = []
      const undo = Effect.gen(function* () {
        for (const m of [...placed].reverse()) yield* Effect.ignore(fs.rename(m.to, m.from))
        for (const m of [...movedAside].reverse()) yield* Effect.ignore(fs.rename(m.to, m.from))
      })
      const moves = Effect.gen(function* () {
        for (const m of aside) {
          yield* fs.rename(m.from, m.to).pipe(Effect.mapError(fail(m.from, "cannot replace it")))
          movedAside.push(m)
        }
        for (const m of placing) {
          yield* fs.rename(m.from, m.to).pipe(Effect.mapError(fail(m.to, "cannot write it")))
          placed.push(m)
        }
      })
      yield* Effect.tapError(moves, () => undo)
      // 4. Committed: what was moved aside goes (beside the folder; inside it, with the temporary folder).
      const written = yield* Effect.serviceOption(Written)
      if (Option.isSome(written)) yield* Ref.update(written.value, (n) => n + placing.length)
      for (const m of movedAside) yield* Effect.ignore(fs.remove(m.to))
      return placing.map((m) => m.to)
    })
    return yield* done.pipe(
      Effect.ensuring(Effect.ignore(fs.remove(staging, { recursive: true }))),
      // An extra file not moved into place (the command failed first) is removed; one moved in is not there.
      Effect.ensuring(Effect.forEach(extras, (x) => Effect.ignore(fs.remove(x.partial)), { discard: true })),
      Effect.tapError(() => removeFolders(fs, extraFolders).pipe(Effect.zipRight(removeFolders(fs, created))))
    )
  }).pipe(Effect.uninterruptible)
