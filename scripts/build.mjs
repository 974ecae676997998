// The build that `caseflow` runs from: two self-contained ES module bundles in dist/, made by esbuild.
//
//   dist/caseflow.js   the command line (src/cli/main.ts), run by bin/caseflow.js
//   dist/worker.js     a replication worker thread (src/replication/worker.ts), started by the pool
//                      from beside the bundle that starts it
//
// `npm ci` (and `npm install`) runs it as the package's `prepare` script; `npm run build` runs it by hand.
// Bundling makes start-up fast: Node reads one file instead of hundreds of modules, and nothing is
// transpiled at start (tsx stays for development: `npm run caseflow`, tests, benchmarks).
import * as esbuild from "esbuild"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")

/** Builds both bundles into `outdir` (default dist/ of the repository); resolves when written. */
export const build = async (outdir = path.join(root, "dist")) => {
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: { caseflow: "src/cli/main.ts", worker: "src/replication/worker.ts" },
    outdir,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    // Whitespace and syntax only: names stay readable in the stack of an internal error.
    minifyWhitespace: true,
    minifySyntax: true,
    // Some dependencies are CommonJS that `require` Node's built-ins; an ES module has no `require`.
    banner: {
      js:
        'import { createRequire as __caseflowRequire } from "node:module"; ' +
        "const require = __caseflowRequire(import.meta.url);"
    },
    logLevel: "warning"
  })
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await build()
