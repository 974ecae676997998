/**
 * `--ssda903 DIR` (run, replay): the SSDA903 files a run's fold (`ssda903/Write.ts`) makes, written into
 * their folder with the command's other outputs, all or nothing. The folder holds the files of this run
 * only: files of the same pattern (`episodes_2025-26.csv`, `header_...`, `uasc_...`) from an earlier run
 * that this one did not write are removed in the same step; any other file is left alone.
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import * as path from "node:path"
import { returnFileName, type ReturnFile } from "../ssda903/Write.js"
import type { ExtraFile } from "./output.js"

const OWN = /^(episodes|header|uasc)_\d{4}-\d{2}\.csv$/

/** Every file the returns of these years can hold in `dir` (for the output-is-input check). */
export const returnTargets = (dir: string, years: ReadonlyArray<number>): Array<string> =>
  years.flatMap((y) => (["episodes", "header", "uasc"] as const).map((r) => path.join(dir, returnFileName(r, y))))

/** The returns' files as extra outputs of the command. */
export const returnExtras = (dir: string, files: ReadonlyArray<ReturnFile>): Array<ExtraFile> =>
  files.map(([name, data]) => ({ file: path.join(dir, name), flag: "--ssda903", data }))

/** The files in `dir` named as the returns' files are (none if the folder is not there yet). */
export const ownReturnFiles = (dir: string): Effect.Effect<Array<string>, never, FileSystem.FileSystem> =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const names = yield* Effect.orElseSucceed(fs.readDirectory(dir), () => [] as Array<string>)
    return names
      .filter((n) => OWN.test(n))
      .sort()
      .map((n) => path.join(dir, n))
  })
