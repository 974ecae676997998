// For `npm run test:cpu` only (vitest.cpu.config.ts): appends this test file's CPU seconds (its import, its
// tests and hooks; not the processes it spawns) and wall seconds to the file CASEFLOW_CPU_PROBE names.
import * as fs from "node:fs"
import { afterAll, expect } from "vitest"

const out = process.env.CASEFLOW_CPU_PROBE
const start = process.cpuUsage()
const t0 = performance.now()
const file = expect.getState().testPath ?? "?"
afterAll(() => {
  if (out === undefined) return
  const cpu = process.cpuUsage(start)
  const seconds = (x: number) => x.toFixed(2)
  fs.appendFileSync(
    out,
    `${seconds((cpu.user + cpu.system) / 1e6)}\t${seconds((performance.now() - t0) / 1000)}\t${file}\n`
  )
})
