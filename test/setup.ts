// Property suites stay inside CI's budget: a bounded number of runs and a time limit per property.
import * as fc from "fast-check"

fc.configureGlobal({ numRuns: 40, interruptAfterTimeLimit: 60_000, markInterruptAsFailure: false })
