/** The state check (src/log/StateCheck.ts) run over a whole log, for tests of what it refuses. */
import type { CaseEvent } from "../../src/domain/Event.js"
import { StateCheck } from "../../src/log/StateCheck.js"
import type { Model } from "../../src/model/Model.js"

/** The first problem the state check finds in `events`, or null when it passes them all. */
export const firstRefused = (model: Model, events: ReadonlyArray<CaseEvent>): string | null => {
  const check = new StateCheck(model)
  for (const e of events) {
    const problem = check.check(e)
    if (problem !== null) return problem
  }
  return null
}
