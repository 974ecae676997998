/**
 * The scenarios shipped with caseflow, found from the package's own folder rather than the working
 * directory: a default such as backtest's template must be found wherever the command is run from.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

/** The folder holding caseflow's package.json: up from this module (src/cli/ from source, dist/ built). */
const packageRoot = (): string | null => {
  let dir = path.dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const manifest = path.join(dir, "package.json")
    try {
      if ((JSON.parse(fs.readFileSync(manifest, "utf8")) as { name?: unknown }).name === "caseflow") return dir
    } catch {
      // no package.json here, or not one that parses: look further up
    }
    const up = path.dirname(dir)
    if (up === dir) return null
    dir = up
  }
}

/**
 * The path to read for a shipped scenario named as in the repository ("scenarios/default.yaml"): that file in
 * the package (or the name itself, relative to the working directory, if the package cannot be found).
 */
export const shippedScenario = (name: string): string => {
  const root = packageRoot()
  return root === null ? name : path.join(root, name)
}
