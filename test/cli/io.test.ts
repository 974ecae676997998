import { spawnSync } from "node:child_process"
import * as esbuild from "esbuild"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

// Signals reach only a process's main thread, and vitest runs this file in a worker thread: the real
// `processIo` is bundled into a small script that a child process runs.
let dir = ""
let script = ""
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "caseflow-io-"))
  script = path.join(dir, "guard.cjs")
  const io = path.resolve(import.meta.dirname, "../../src/cli/io.ts")
  // The handlers are in place when SIGINT comes, then the command starts work that runs unguarded at once
  // (as loading a scenario does, straight after the command line is read).
  const entry = `import * as Effect from "effect/Effect"
import { processIo } from ${JSON.stringify(io)}
let handled = false
const onSigint = () => { handled = true }
const guard = {
  pause: () => void process.removeListener("SIGINT", onSigint),
  resume: () => void process.on("SIGINT", onSigint)
}
guard.resume()
const io = processIo(Effect.never, guard)
process.kill(process.pid, "SIGINT")
void Effect.runPromise(io.unguarded(Effect.sync(() => handled))).then((seen) =>
  process.stdout.write(seen ? "handled" : "lost")
)
`
  await esbuild.build({
    stdin: { contents: entry, loader: "ts", resolveDir: import.meta.dirname },
    bundle: true,
    platform: "node",
    format: "cjs",
    outfile: script,
    logLevel: "silent"
  })
})
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

describe("processIo.unguarded", () => {
  it("hands a signal caught just before unguarded work to the handlers, never drops it", () => {
    // Dropped, the command ran on and exited 0 (a race seen under load in the smoke test).
    for (let k = 0; k < 3; k++) {
      const r = spawnSync(process.execPath, [script], { encoding: "utf8" })
      expect({ status: r.status, signal: r.signal, stdout: r.stdout }).toEqual({
        status: 0,
        signal: null,
        stdout: "handled"
      })
    }
  })
})
