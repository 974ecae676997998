// The build that `caseflow` runs from, made by esbuild into dist/:
//
//   dist/caseflow.cjs        the command line (src/cli/main.ts) as one CommonJS bundle, run by bin/caseflow.js
//   dist/caseflow.cjs.cache  V8's code cache of it (see below)
//   dist/worker.js           a replication worker thread (src/replication/worker.ts, an ES module bundle),
//                            started by the pool from beside the bundle that starts it
//   dist/report.cjs          the report renderers (src/report/render/index.ts: Vega, Vega-Lite, the xlsx
//                            writer), required by the command line only when --report or --xlsx is given
//
// `npm ci` (and `npm install`) runs it as the package's `prepare` script; `npm run build` runs it by hand.
// Bundling makes start-up fast: Node reads one file instead of hundreds of modules, and nothing is
// transpiled at start (tsx stays for development: `npm run caseflow`, tests, benchmarks).
//
// The code cache: Node 20 compiles a 1.4 MB bundle at every start (about 90 ms here), then each function
// the first time it runs. bin/caseflow.js compiles the bundle with `vm.Script` and V8's cached data, made
// here by running a small scenario once (so the functions a run uses are in the cache too). The cache
// belongs to this Node and V8: another Node rejects it and simply compiles (no harm, only slower).
import * as esbuild from "esbuild"
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: "node",
  target: "node20",
  // Whitespace and syntax only: names stay readable in the stack of an internal error.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: "warning"
}

/**
 * The command line loads the renderers with `import("./render/index.js")` (src/report/Renderer.ts): in the
 * bundle that import is of dist/report.cjs, beside it, so Vega is neither in the start-up bundle nor in its
 * code cache.
 */
const renderersApart = {
  name: "renderers-apart",
  setup(b) {
    b.onResolve({ filter: /^\.\/render\/index\.js$/ }, (args) =>
      args.importer.endsWith(path.join("src", "report", "Renderer.ts"))
        ? { path: "report", namespace: "renderers" }
        : null
    )
    // A CommonJS stub that requires the renderers' own bundle at run time (Node 20's vm.Script, which runs the
    // bundle with its code cache, has no loader for import()).
    b.onLoad({ filter: /.*/, namespace: "renderers" }, () => ({
      contents: 'module.exports = require("./report.cjs")',
      loader: "js"
    }))
    b.onResolve({ filter: /^\.\/report\.cjs$/ }, () => ({ path: "./report.cjs", external: true }))
  }
}

/**
 * vega-canvas's Node build looks for the optional `canvas` package with a top-level await, which a CommonJS
 * bundle cannot hold; caseflow renders SVG without a canvas (`renderer: "none"`), so the bundle takes the
 * build that finds none (in Node: no `document`), as a run from source does without `canvas` installed.
 */
const noCanvas = {
  name: "no-canvas",
  setup(b) {
    b.onResolve({ filter: /^vega-canvas$/ }, () => ({
      path: path.join(root, "node_modules/vega-canvas/build/vega-canvas.browser.js")
    }))
  }
}

/** Builds the bundles and the code cache into `outdir` (default dist/ of the repository). */
export const build = async (outdir = path.join(root, "dist")) => {
  fs.mkdirSync(outdir, { recursive: true })
  await esbuild.build({
    ...common,
    entryPoints: { caseflow: "src/cli/main.ts" },
    outdir,
    outExtension: { ".js": ".cjs" },
    format: "cjs",
    // The pool finds the worker beside this bundle: `import.meta.url` is this file's URL.
    define: { "import.meta.url": "__caseflowUrl" },
    banner: { js: 'const __caseflowUrl = require("node:url").pathToFileURL(__filename).href;' },
    plugins: [renderersApart]
  })
  await esbuild.build({
    ...common,
    entryPoints: { report: "src/report/render/index.ts" },
    outdir,
    outExtension: { ".js": ".cjs" },
    format: "cjs",
    plugins: [noCanvas]
  })
  await buildWorker(outdir)
  makeCodeCache(outdir)
}

/** Builds the replication worker alone, `outdir`/worker.js (the tests start their pools' workers from it). */
export const buildWorker = (outdir) =>
  esbuild.build({
    ...common,
    entryPoints: { worker: "src/replication/worker.ts" },
    outdir,
    format: "esm",
    // Some dependencies are CommonJS that `require` Node's built-ins; an ES module has no `require`.
    banner: {
      js:
        'import { createRequire as __caseflowRequire } from "node:module"; ' +
        "const require = __caseflowRequire(import.meta.url);"
    }
  })

/** Runs a small scenario once through the bundle, then keeps V8's code cache of it beside the bundle. */
const makeCodeCache = (outdir) => {
  const bundle = path.join(outdir, "caseflow.cjs")
  const cache = `${bundle}.cache`
  fs.rmSync(cache, { force: true })
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "caseflow-cache-"))
  try {
    execFileSync(
      process.execPath,
      [path.join(root, "bin/load.cjs"), bundle, "run", path.join(root, "test/fixtures/small.yaml"), "--years", "2"],
      {
        cwd: out,
        stdio: ["ignore", "ignore", "pipe"],
        env: { ...process.env, CASEFLOW_MAKE_CODE_CACHE: cache }
      }
    )
  } catch (e) {
    // No cache is no failure: caseflow compiles its bundle at start instead.
    process.stderr.write(`build: no code cache (${String(e.message).split("\n")[0]})\n`)
  } finally {
    fs.rmSync(out, { recursive: true, force: true })
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await build()
