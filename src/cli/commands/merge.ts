/** `caseflow merge <shard files...>`: adds up the shards of a Monte Carlo run into the result of the whole. */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as path from "node:path"
import { mergeShards, readShard } from "../../montecarlo/Partial.js"
import {
  montecarloDocument,
  montecarloWorkbook,
  SPEND_PERCENTILES_FILE,
  spendPercentilesCsv
} from "../../montecarlo/Document.js"
import { reportFiles, reportText, MONTECARLO_FILES } from "../../montecarlo/Report.js"
import { percent } from "../../report/Format.js"
import { scenarioFact } from "../../report/Reporting.js"
import { VERSION } from "../../version.js"
import { show } from "../../domain/Show.js"
import { BadFlag, BadInput } from "../errors.js"
import * as Flags from "../flags.js"
import { Io, say } from "../io.js"
import { checkOutputs, commit, probeFolder } from "../output.js"
import { parametersOf, renderReports, reportTargets, wantsReport } from "../reports.js"
import { inputsOf, load, writtenLines } from "./shared.js"

const flags = Flags.flagSet({
  out: Flags.out("folder for the CSV results"),
  scenario: Flags.scenarioFile,
  report: Flags.report,
  xlsx: Flags.xlsx
})

export const checks = flags.checks
export const names = flags.names

export const command = Command.make(
  "merge",
  {
    shards: Args.file({ name: "shard file" }).pipe(
      Args.withDescription("the montecarlo_shard_<i>_of_<n>.json files of one run"),
      Args.atLeast(1)
    ),
    ...flags.options
  },
  ({ shards, out, scenario, report, xlsx }) =>
    Effect.gen(function* () {
      // @effect/cli takes a mistyped flag among the files for a file name; it is a flag if no such file.
      const fs = yield* FileSystem.FileSystem
      for (const file of shards)
        if (file.startsWith("--") && !(yield* fs.exists(file).pipe(Effect.orElseSucceed(() => false))))
          return yield* Effect.fail(
            new BadFlag({ detail: `unknown flag ${show(file)} (caseflow merge --help lists its arguments and flags)` })
          )
      const reports = { report, xlsx }
      const names = [...MONTECARLO_FILES, SPEND_PERCENTILES_FILE]
      // A report's assumptions come from the scenario the shards were run from (a shard carries only its hash).
      if (wantsReport(reports) && Option.isNone(scenario))
        return yield* Effect.fail(
          new BadFlag({
            detail:
              `${reportTargets(reports)[0].flag}: merge needs --scenario FILE, ` +
              "the scenario the shards were run from"
          })
        )
      const source = Option.isSome(scenario) ? yield* load(scenario.value) : null
      yield* checkOutputs(
        [...names.map((name) => ({ file: path.join(out, name), flag: "--out" })), ...reportTargets(reports)],
        [
          ...shards.map((file) => ({ file, role: "a shard file being merged" })),
          ...(source === null ? [] : inputsOf(source, "the scenario"))
        ]
      )
      yield* probeFolder(out, "--out")
      // Reading and checking the shards writes nothing: a signal meanwhile ends the process at once.
      const io = yield* Io
      const read = yield* io.unguarded(
        Effect.forEach(shards, (file) => Effect.map(readShard(file, VERSION), (shard) => ({ file, shard })))
      )
      const merged = mergeShards(read)
      if (Either.isLeft(merged)) return yield* Effect.fail(merged.left)
      const { plan, summary } = merged.right
      if (source !== null && source.id !== plan.scenario.sha256)
        return yield* Effect.fail(
          new BadFlag({
            detail:
              `--scenario ${show(scenario.pipe(Option.getOrElse(() => "")))}: not the scenario the shards were run ` +
              `from (its SHA-256 is ${source.id.slice(0, 12)}..., the shards' ${plan.scenario.sha256.slice(0, 12)}...)`
          })
        )
      const extra =
        source === null
          ? []
          : yield* Effect.gen(function* () {
              const input = {
                facts: {
                  kind: "montecarlo" as const,
                  scenarios: [scenarioFact("Scenario", source)],
                  seed: plan.seed,
                  runs: plan.runs,
                  years: plan.years,
                  start: plan.startDate,
                  end: plan.endDate,
                  version: VERSION,
                  more: [
                    ["Overspend tolerance", percent(plan.tolerance, 1)] as const,
                    ["Shards merged", String(shards.length)] as const
                  ]
                },
                scenario: source.central,
                plan,
                summary,
                parameters: wantsReport(reports) ? yield* parametersOf(source) : []
              }
              return yield* renderReports(
                reports,
                () => montecarloDocument(input),
                () => montecarloWorkbook(input)
              )
            })
      const written = yield* commit({
        dir: out,
        flag: "--out",
        names,
        files: [
          ...reportFiles(plan, summary),
          ...(Option.isSome(report) ? [[SPEND_PERCENTILES_FILE, spendPercentilesCsv(plan, summary)] as const] : [])
        ],
        extra
      })
      yield* say(reportText(plan, summary))
      yield* say("")
      for (const line of writtenLines(written, extra)) yield* say(line)
    }).pipe(Effect.catchTag("MergeError", (e) => Effect.fail(new BadInput({ detail: e.message }))))
).pipe(Command.withDescription("combine the shard files of a Monte Carlo run into the result of the whole run"))
