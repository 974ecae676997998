/** Runs the real `caseflow` CLI in a child process, as a user would. */
import { spawnSync } from "node:child_process"
import * as path from "node:path"

const root = path.resolve(import.meta.dirname, "../..")

export interface CliResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

export const caseflow = (...args: ReadonlyArray<string>): CliResult => {
  const r = spawnSync(process.execPath, ["--import", "tsx", path.join(root, "src/cli/main.ts"), ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" }
  })
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr }
}

export const fixture = (name: string): string => path.join(root, "test/fixtures", name)
