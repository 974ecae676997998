/**
 * The `caseflow` command line for tests. `cli` runs it in this process (milliseconds: use it); `caseflow`
 * spawns it from source with tsx (seconds each: only where a real process is the point); `buildCaseflow`
 * gives a build of the current source (dist/ if fresh, else one made in a temporary folder) whose bin
 * `spawnBuilt` spawns, as a user runs it after `npm ci`.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import type { CapturedIo } from "../../src/cli/io.js"

const root = path.resolve(import.meta.dirname, "../..")

export interface CliResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/**
 * Runs the command line in this process on `args`, with stdout and stderr captured. `cores` stands for
 * the machine's (default: this machine's); `io` lets a test signal the command while it runs.
 */
export const cli = async (
  args: ReadonlyArray<string>,
  options: { readonly cores?: number; readonly io?: CapturedIo } = {}
): Promise<CliResult> => {
  // Imported when first used: the many tests that only want `fixture` do not load the command line.
  const { runCli } = await import("../../src/cli/cli.js")
  const { capturedIo } = await import("../../src/cli/io.js")
  const io = options.io ?? capturedIo({ cores: options.cores })
  const code = await runCli(args, io)
  return { code, stdout: io.out(), stderr: io.err() }
}

/** Runs the real `caseflow` from source in a child process (slow: tsx compiles it at every start). */
export const caseflow = (...args: ReadonlyArray<string>): CliResult => {
  const r = spawnSync(process.execPath, ["--import", "tsx", path.join(root, "src/cli/main.ts"), ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" }
  })
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr }
}

/** What the build is made from (scripts/build.mjs; the code cache runs the small fixture). */
const BUILD_INPUTS = [
  "src",
  "bin",
  "scripts/build.mjs",
  "package.json",
  "package-lock.json",
  "node_modules/.package-lock.json",
  "test/fixtures/small.yaml"
]
const BUILD_OUTPUTS = ["caseflow.cjs", "caseflow.cjs.cache", "report.cjs", "worker.js"]

/** Whether the repository's dist/ is complete and newer than every file it is made from. */
export const distIsFresh = (): boolean => {
  const mtime = (f: string) => fs.statSync(f).mtimeMs
  const outputs = BUILD_OUTPUTS.map((f) => path.join(root, "dist", f))
  if (!outputs.every((f) => fs.existsSync(f))) return false
  const builtAt = Math.min(...outputs.map(mtime))
  return BUILD_INPUTS.every((input) => {
    const p = path.join(root, input)
    if (!fs.existsSync(p)) return true
    if (!fs.statSync(p).isDirectory()) return mtime(p) < builtAt
    return fs.readdirSync(p, { recursive: true, encoding: "utf8" }).every((f) => mtime(path.join(p, f)) < builtAt)
  })
}

/**
 * The build of caseflow to run as a user does: the repository's own (bin/ and dist/, as `npm ci` made it)
 * when dist/ is newer than everything it is made from, else a fresh build of the current source into a
 * temporary folder laid out as the repository is; so a test never runs a stale dist/. `remove` deletes a
 * temporary build.
 */
export const buildCaseflow = async (): Promise<{
  readonly dir: string
  readonly bin: string
  readonly remove: () => void
}> => {
  if (distIsFresh()) return { dir: root, bin: path.join(root, "bin", "caseflow.js"), remove: () => {} }
  const { build } = await import("../../scripts/build.mjs")
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "caseflow-build-"))
  await build(path.join(dir, "dist"))
  fs.mkdirSync(path.join(dir, "bin"))
  const bin = path.join(dir, "bin", "caseflow.js")
  fs.copyFileSync(path.join(root, "bin", "caseflow.js"), bin)
  fs.copyFileSync(path.join(root, "bin", "load.cjs"), path.join(dir, "bin", "load.cjs"))
  return { dir, bin, remove: () => fs.rmSync(dir, { recursive: true, force: true }) }
}

/** A spawned process of the built bin, with its output so far and its end. */
export interface Spawned {
  readonly child: ChildProcess
  readonly stdout: () => string
  readonly stderr: () => string
  /** The exit code (or 128 + the signal's number if killed by one) and when it exited. */
  readonly exited: Promise<{ readonly code: number; readonly at: number }>
}

export const spawnBuilt = (bin: string, args: ReadonlyArray<string>, cwd: string = root): Spawned => {
  const child = spawn(process.execPath, [bin, ...args], { cwd, env: { ...process.env, NO_COLOR: "1" } })
  let stdout = ""
  let stderr = ""
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()))
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()))
  const signals: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGKILL: 137 }
  const exited = new Promise<{ code: number; at: number }>((resolve) =>
    child.on("close", (code, signal) =>
      resolve({ code: code ?? (signal !== null ? (signals[signal] ?? -1) : -1), at: performance.now() })
    )
  )
  return { child, stdout: () => stdout, stderr: () => stderr, exited }
}

export const fixture = (name: string): string => path.join(root, "test/fixtures", name)

/** Every file under `dir` (relative paths, sorted), hidden ones included; [] if it does not exist. */
export const filesUnder = (dir: string): Array<string> =>
  fs.existsSync(dir)
    ? fs
        .readdirSync(dir, { recursive: true, encoding: "utf8" })
        .filter((f) => fs.statSync(path.join(dir, f)).isFile())
        .sort()
    : []
