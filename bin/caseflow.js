#!/usr/bin/env node
// Entry point of `npx caseflow` and `npm start`: runs the build of the command line (dist/caseflow.cjs,
// with its code cache: bin/load.cjs), which `npm ci` makes (the `prepare` script). From source, without a
// build: `npm run caseflow -- ...`.
import * as fs from "node:fs"
import { createRequire } from "node:module"
import { fileURLToPath } from "node:url"

const built = fileURLToPath(new globalThis.URL("../dist/caseflow.cjs", import.meta.url))
const source = new globalThis.URL("../src/", import.meta.url)

if (!fs.existsSync(built)) {
  process.stderr.write(
    "caseflow: the build is missing (dist/caseflow.cjs): run `npm run build` (`npm ci` runs it), " +
      "or run from source with `npm run caseflow -- <command> ...`\n"
  )
  process.exit(1)
}

// In a checkout, a build older than the source it was made from is said so (a few milliseconds).
try {
  const builtAt = fs.statSync(built).mtimeMs
  const stale = fs
    .readdirSync(source, { recursive: true, encoding: "utf8" })
    .some((f) => fs.statSync(new globalThis.URL(f, source)).mtimeMs > builtAt)
  if (stale) process.stderr.write("caseflow: note: dist/ is older than src/; `npm run build` rebuilds it\n")
} catch {
  // No source beside the build (nothing to compare).
}

createRequire(import.meta.url)("./load.cjs").load(built)
