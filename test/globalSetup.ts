// Once per test run, before any test file: the replication worker bundled from the current source into a
// temporary folder, for test/setup.ts to point every worker pool at. A worker started from the source boots
// tsx in its own thread, seconds of CPU each; the bundle starts in a fraction of that and is the same code
// (esbuild compiles the TypeScript either way). One Monte Carlo test still starts its workers from the
// source, as `npm run caseflow` does.
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { pathToFileURL } from "node:url"
import type { TestProject } from "vitest/node"

declare module "vitest" {
  export interface ProvidedContext {
    /** The file URL of the replication worker built from the current source. */
    workerScript: string
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const { buildWorker } = await import("../scripts/build.mjs")
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "caseflow-test-worker-"))
  await buildWorker(dir)
  project.provide("workerScript", pathToFileURL(path.join(dir, "worker.js")).href)
  return () => fs.rmSync(dir, { recursive: true, force: true })
}
