/**
 * The shared data beside the project (`../shared/data`: DfE's published tables and the synthetic SSDA903
 * sample), never part of it: a test that reads it finds it there (from the project's root, or at
 * /work/shared/data, where a worktree elsewhere sees it) or is skipped, saying so.
 */
import * as fs from "node:fs"
import * as path from "node:path"

const root = path.resolve(import.meta.dirname, "../..")

/** The folder `sub` of the shared data holding `probe`, or undefined (with a warning naming `test` and `what`). */
export const sharedData = (sub: string, probe: string, test: string, what: string): string | undefined => {
  const dir = [path.resolve(root, "../shared/data", sub), path.join("/work/shared/data", sub)].find((d) =>
    fs.existsSync(path.join(d, probe))
  )
  if (dir === undefined)
    console.warn(
      `${test}: ${what} skipped: it is not at ../shared/data/${sub} (beside the project) nor /work/shared/data/${sub}`
    )
  return dir
}

/** The synthetic SSDA903 sample's returns of one kind ("episodes", "header", "uasc"), 2017 to 2021, in `dir`. */
export const sampleReturns = (dir: string, role: string): Array<string> =>
  [2017, 2018, 2019, 2020, 2021].map((y) => path.join(dir, `${y}-${role}.csv`))

/** The command line's flags giving all of the sample's returns in `dir` (episodes, header, UASC). */
export const sampleFlags = (dir: string): Array<string> => [
  "--episodes",
  ...sampleReturns(dir, "episodes"),
  "--header",
  ...sampleReturns(dir, "header"),
  "--uasc",
  ...sampleReturns(dir, "uasc")
]
