// Property suites stay inside CI's budget by the number of runs, not by the clock: a property that is cut
// short by the time limit (a safety net for a hung run) fails rather than passing on fewer runs.
import * as fc from "fast-check"
import { inject } from "vitest"
import { setWorkerScript } from "../src/replication/Pool.js"
import { runs } from "./support/runs.js"

fc.configureGlobal({ numRuns: runs(30), interruptAfterTimeLimit: 60_000, markInterruptAsFailure: true })

// Worker pools start from the bundle test/globalSetup.ts built of the current source, not from the source.
setWorkerScript(new URL(inject("workerScript")))
