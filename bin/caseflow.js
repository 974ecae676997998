#!/usr/bin/env node
// Entry point of `npx caseflow` and `npm start`: runs the build of the command line (dist/caseflow.js),
// which `npm ci` makes (the `prepare` script). From source, without a build: `npm run caseflow -- ...`.
import * as fs from "node:fs"

const built = new globalThis.URL("../dist/caseflow.js", import.meta.url)
const source = new globalThis.URL("../src/", import.meta.url)

// In a checkout, a build older than the source it was made from is said so (a few milliseconds).
try {
  const builtAt = fs.statSync(built).mtimeMs
  const stale = fs
    .readdirSync(source, { recursive: true, encoding: "utf8" })
    .some((f) => fs.statSync(new globalThis.URL(f, source)).mtimeMs > builtAt)
  if (stale) process.stderr.write("caseflow: note: dist/ is older than src/; `npm run build` rebuilds it\n")
} catch {
  // No build (said below) or no source beside it (nothing to compare).
}

try {
  await import(built.href)
} catch (e) {
  const missing = e !== null && typeof e === "object" && e.code === "ERR_MODULE_NOT_FOUND"
  if (!missing || !String(e.message).includes(`'${built.pathname}'`)) throw e
  process.stderr.write(
    "caseflow: the build is missing (dist/caseflow.js): run `npm run build` (`npm ci` runs it), " +
      "or run from source with `npm run caseflow -- <command> ...`\n"
  )
  process.exit(1)
}
