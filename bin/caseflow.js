#!/usr/bin/env node
// Entry point of `npx caseflow` and `npm start`: runs the build of the command line (dist/caseflow.js),
// which `npm ci` makes (the `prepare` script). From source, without a build: `npm run caseflow -- ...`.
const built = new globalThis.URL("../dist/caseflow.js", import.meta.url)
try {
  await import(built.href)
} catch (e) {
  if (
    e === null ||
    typeof e !== "object" ||
    e.code !== "ERR_MODULE_NOT_FOUND" ||
    !String(e.message).includes(`'${built.pathname}'`)
  )
    throw e
  process.stderr.write(
    "caseflow: the build is missing (dist/caseflow.js): run `npm run build` (`npm ci` runs it), " +
      "or run from source with `npm run caseflow -- <command> ...`\n"
  )
  process.exit(1)
}
