// `npm test`: the type check, the linter and the formatter check run at the same time as the test suite,
// and their output is printed after it. On a 2-core machine the static checks fill the time the suite's
// workers leave idle (starting threads, waiting on spawned processes and the browser) instead of adding
// their own ~25 s before it. The exit code is the first failure's; every check's output is shown.
import { spawn } from "node:child_process"
import * as path from "node:path"
import { performance } from "node:perf_hooks"
import { fileURLToPath } from "node:url"

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
const bin = (name) => path.join(root, "node_modules", ".bin", name)

// Each check keeps what it learnt in node_modules/.cache/caseflow-checks (not committed, and gone with a fresh
// `npm ci`, so CI checks everything): tsc's incremental build info, and eslint's cache of the
// files that passed, keyed by their content and the tools' versions and configuration. A run after a change
// re-checks what the change can affect (tsc still reads the whole program). CASEFLOW_CHECK_CACHE=0 checks
// everything afresh.
const cacheDir = path.join(root, "node_modules", ".cache", "caseflow-checks")
const cached = process.env.CASEFLOW_CHECK_CACHE !== "0"
const tscCache = (name) =>
  cached ? ["--incremental", "--tsBuildInfoFile", path.join(cacheDir, `${name}.tsbuildinfo`)] : []
const toolCache = (name) =>
  cached ? ["--cache", "--cache-location", path.join(cacheDir, name), "--cache-strategy", "content"] : []

// The type check is TypeScript 7's native compiler (the devDependency typescript-7), six times faster than
// TypeScript 5's; TypeScript 5.9 stays for the JavaScript API that typescript-eslint's parser and
// test/architecture.test.ts read, which TypeScript 7 does not offer.
const tsc = path.join(root, "node_modules", "typescript-7", "bin", "tsc")
const checks = [
  // One thread: beside the test suite, which fills both cores, tsc's own threads only add CPU (4 s of it
  // single-threaded against 8 s with its default checkers, for no less wall time).
  {
    name: "type check (tsc --noEmit, TypeScript 7)",
    cmd: tsc,
    args: ["--noEmit", "--singleThreaded", ...tscCache("tsc7")]
  },
  { name: "lint (eslint .)", cmd: bin("eslint"), args: [...toolCache("eslint/"), "."] },
  // oxfmt (Prettier's output, in Rust) checks every file in well under a second, so it keeps no cache.
  { name: "format (oxfmt --check)", cmd: bin("oxfmt"), args: ["--check"] }
]

/** Runs a command, its output kept (or passed through); resolves with its exit code and output. */
const run = (cmd, args, inherit) =>
  new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: inherit ? "inherit" : ["ignore", "pipe", "pipe"] })
    let output = ""
    if (!inherit) {
      child.stdout.on("data", (d) => (output += d))
      child.stderr.on("data", (d) => (output += d))
    }
    child.on("error", (e) => resolve({ code: 1, output: `${output}${e.message}\n` }))
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }))
  })

const started = performance.now()
const statics = checks.map((c) => run(c.cmd, c.args, false).then((r) => ({ ...c, ...r })))
const suite = await run(bin("vitest"), ["run", ...process.argv.slice(2)], true)
const results = await Promise.all(statics)

let failed = suite.code !== 0
for (const r of results) {
  const ok = r.code === 0
  if (!ok) failed = true
  process.stdout.write(`\n${ok ? "ok" : "FAILED"}: ${r.name}\n`)
  if (r.output.trim() !== "") process.stdout.write(r.output.endsWith("\n") ? r.output : `${r.output}\n`)
}
const seconds = ((performance.now() - started) / 1000).toFixed(0)
process.stdout.write(`\nnpm test: ${failed ? "FAILED" : "passed"} in ${seconds} s (tests, type check, lint, format)\n`)
process.exit(failed ? (suite.code !== 0 ? suite.code : 1) : 0)
