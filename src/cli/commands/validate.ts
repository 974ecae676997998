/** `caseflow validate <scenario>`: checks a scenario and reports every problem in it; writes nothing. */
import * as Command from "@effect/cli/Command"
import * as Effect from "effect/Effect"
import type { RawCheck } from "../flags.js"
import { say } from "../io.js"
import { paragraph } from "../../report/Table.js"
import { checkedDescription } from "../../scenario/Load.js"
import { grouped, load, printable, readyToRun, scenarioArg } from "./shared.js"

export const checks: ReadonlyArray<RawCheck> = []
export const names: ReadonlyArray<string> = []

export const command = Command.make(
  "validate",
  { scenario: scenarioArg("scenario", "scenario file (.yaml, .yml or .json)") },
  ({ scenario: file }) =>
    Effect.gen(function* () {
      const source = yield* load(file)
      const s = source.central
      // The run a plain `caseflow run` would make: too large to finish is a problem; dated values outside it
      // are warnings.
      yield* readyToRun(source, s.years)
      const opening = s.startingCaseload.reduce((n, g) => (g.level === "universal" ? n : n + g.count), 0)
      const costLines = s.costs.weekly.length + s.costs.oneOff.length + s.costs.fixed.length
      yield* say(
        `${printable(file)}: valid. "${printable(s.name)}": ${grouped(s.population.children)} children, ` +
          `${grouped(opening)} open cases at ${s.start}, ${s.years} years, ${costLines} cost lines.`
      )
      yield* say(paragraph(`  (${checkedDescription(source)})`))
    })
).pipe(Command.withDescription("check a scenario file and report every problem in it"))
