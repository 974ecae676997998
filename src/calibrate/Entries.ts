/**
 * How many children a scenario takes into care a year, by age band at entry: measured by simulating it
 * (seeded runs of its own length, from its own starting caseload), as the flows into care come from the
 * front door and every level below care, which no closed formula adds up. Children of the UASC stream are
 * not counted (they are a stream of their own, not a route to scale). Deterministic: the same scenario and
 * runs give the same counts.
 */
import * as Either from "effect/Either"
import { ageOn } from "../domain/Calendar.js"
import { EVENT_TAG_INDEX, type EventRecord, type RecordSink } from "../domain/Event.js"
import { compileModel } from "../model/Model.js"
import { makeStreams } from "../random/Streams.js"
import type { RunRefused } from "../domain/RunRefused.js"
import { simulateOrRefused } from "../run/Run.js"
import { scenarioFromData } from "../scenario/Load.js"
import type { ScenarioError } from "../scenario/Problems.js"
import { bandIndex, MODEL_BANDS } from "./Fit903.js"
import type { MeasuredEntries } from "./Scenario903.js"

const BECAME_LOOKED_AFTER = EVENT_TAG_INDEX.ChildBecameLookedAfter
const OPEN_AT_START = EVENT_TAG_INDEX.CaseOpenAtStart
const CLOSED_BEFORE_START = EVENT_TAG_INDEX.CaseClosedBeforeStart
const REFERRED = EVENT_TAG_INDEX.ChildReferred

/** Seeded runs: 1 to `runs` (replication 0 of each seed). */
export const DEFAULT_RUNS = 4

/**
 * Entries to care a year by `MODEL_BANDS` in `runs` seeded runs of the scenario (`raw`: scenario data, as
 * written), or the scenario's problems when it does not decode (or a run of it is refused: `RunRefused`).
 */
export const measureCareEntries = (
  raw: unknown,
  runs: number = DEFAULT_RUNS
): Either.Either<MeasuredEntries, ScenarioError | RunRefused> =>
  Either.flatMap(scenarioFromData("the calibrated scenario", raw, { checkExtremes: false }), (source) => {
    const scenario = source.central
    const model = compileModel(scenario, scenario.years)
    const uascRoute = scenario.uasc === undefined ? -1 : model.names.id(scenario.uasc.via)
    const counts = MODEL_BANDS.map(() => 0)
    for (let seed = 1; seed <= runs; seed++) {
      const dob = new Map<number, number>()
      const sink: RecordSink = {
        take(r: EventRecord): void {
          if (r.tag === OPEN_AT_START || r.tag === CLOSED_BEFORE_START || (r.tag === REFERRED && r.to >= 0))
            dob.set(r.child, r.dateOfBirth)
          else if (r.tag === BECAME_LOOKED_AFTER && (uascRoute < 0 || r.name !== uascRoute)) {
            const d = dob.get(r.child)
            if (d !== undefined) counts[bandIndex(Math.min(17, ageOn(model.calendar, d, r.time)))]++
          }
        }
      }
      const ran = simulateOrRefused(model, makeStreams(seed, 0), sink)
      if (Either.isLeft(ran)) return Either.left(ran.left)
    }
    const years = (model.calendar.horizon / 365.25) * runs
    return Either.right({
      perYear: counts.map((n) => n / years),
      how:
        `${runs} seeded runs (seeds 1 to ${runs}) of ${scenario.years} years, ` +
        `${counts.reduce((a, b) => a + b, 0)} entries`
    })
  })

/**
 * `measureCareEntries` as `scenarioFrom903`'s `careEntries`: a scenario that does not decode measures none,
 * and the first such problem is kept for `failed()`, which the caller reports once the scenario is written.
 */
export const careEntriesMeasure = (): {
  readonly careEntries: (raw: unknown) => MeasuredEntries
  readonly failed: () => string | null
} => {
  let failed: string | null = null
  return {
    careEntries: (raw) => {
      const m = measureCareEntries(raw)
      if (Either.isRight(m)) return m.right
      failed ??= m.left.message
      return { perYear: MODEL_BANDS.map(() => 0), how: "not measured: the scenario does not decode or run" }
    },
    failed: () => failed
  }
}
