import { availableParallelism } from "node:os"
import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup.ts"],
    // The replication worker, bundled once from the current source for the worker pools (see the file).
    globalSetup: ["test/globalSetup.ts"],
    // Every core (vitest's default leaves one idle, which on a 2-core machine runs the files one at a
    // time), in worker threads, which start faster than forked processes.
    pool: "threads",
    isolate: false,
    maxWorkers: availableParallelism(),
    testTimeout: 120_000,
    hookTimeout: 120_000
  }
})
