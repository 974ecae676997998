// Runs caseflow's CommonJS bundle (dist/caseflow.cjs) with V8's code cache beside it, if it has one:
// compiling 1.4 MB of JavaScript at every start is most of the start-up otherwise (scripts/build.mjs makes
// the cache). With CASEFLOW_MAKE_CODE_CACHE=<file> set, the cache is written to that file at exit, after the
// run (the build runs a small scenario this way). Used by bin/caseflow.js, and by the build as
// `node bin/load.cjs <bundle> <caseflow's arguments...>`.
"use strict"
const fs = require("node:fs")
const path = require("node:path")
const vm = require("node:vm")
const Module = require("node:module")

/** Runs the bundle at `file` as a CommonJS module, compiled with its code cache when it has a valid one. */
const load = (file) => {
  const source = fs.readFileSync(file, "utf8")
  let cachedData
  try {
    cachedData = fs.readFileSync(`${file}.cache`)
  } catch {
    cachedData = undefined
  }
  const script = new vm.Script(Module.wrap(source), {
    filename: file,
    cachedData,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER
  })
  const make = process.env.CASEFLOW_MAKE_CODE_CACHE
  if (make !== undefined && make !== "") {
    delete process.env.CASEFLOW_MAKE_CODE_CACHE
    process.once("exit", () => fs.writeFileSync(make, script.createCachedData()))
  }
  const module = { exports: {}, id: file, filename: file, loaded: false }
  script
    .runInThisContext()
    .call(module.exports, module.exports, Module.createRequire(file), module, file, path.dirname(file))
}

module.exports = { load }

if (require.main === module) {
  const file = path.resolve(process.argv[2])
  process.argv.splice(2, 1)
  load(file)
}
