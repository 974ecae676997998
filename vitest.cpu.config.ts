// `npm run test:cpu` (scripts/test-cpu.mjs): the suite's configuration, but every file in one forked process,
// one after another, with test/support/cpuProbe.ts noting each file's CPU seconds.
import { defineConfig, mergeConfig } from "vitest/config"
import suite from "./vitest.config.js"

export default mergeConfig(
  suite,
  defineConfig({
    test: {
      setupFiles: ["test/support/cpuProbe.ts"],
      pool: "forks",
      maxWorkers: 1
    }
  })
)
