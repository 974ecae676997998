/** `caseflow merge <shard files...>`: adds up the shards of a Monte Carlo run into the result of the whole. */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as path from "node:path"
import { mergeShards, readShard } from "../../montecarlo/Partial.js"
import { reportFiles, reportText, MONTECARLO_FILES } from "../../montecarlo/Report.js"
import { show } from "../../domain/Show.js"
import { BadFlag, BadInput } from "../errors.js"
import * as Flags from "../flags.js"
import { Io, say } from "../io.js"
import { checkOutputs, commit, probeFolder } from "../output.js"
import { resultsLine } from "./shared.js"

const flags = Flags.flagSet({ out: Flags.out("folder for the CSV results") })

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
  ({ shards, out }) =>
    Effect.gen(function* () {
      // @effect/cli takes a mistyped flag among the files for a file name; it is a flag if no such file.
      const fs = yield* FileSystem.FileSystem
      for (const file of shards)
        if (file.startsWith("--") && !(yield* fs.exists(file).pipe(Effect.orElseSucceed(() => false))))
          return yield* Effect.fail(
            new BadFlag({ detail: `unknown flag ${show(file)} (caseflow merge --help lists its arguments and flags)` })
          )
      yield* checkOutputs(
        MONTECARLO_FILES.map((name) => ({ file: path.join(out, name), flag: "--out" })),
        shards.map((file) => ({ file, role: "a shard file being merged" }))
      )
      yield* probeFolder(out, "--out")
      // Reading and checking the shards writes nothing: a signal meanwhile ends the process at once.
      const io = yield* Io
      const read = yield* io.unguarded(
        Effect.forEach(shards, (file) => Effect.map(readShard(file), (shard) => ({ file, shard })))
      )
      const merged = mergeShards(read)
      if (Either.isLeft(merged)) return yield* Effect.fail(merged.left)
      const { plan, summary } = merged.right
      const written = yield* commit({
        dir: out,
        flag: "--out",
        names: MONTECARLO_FILES,
        files: reportFiles(plan, summary)
      })
      yield* say(reportText(plan, summary))
      yield* say("")
      yield* say(resultsLine(written))
    }).pipe(Effect.catchTag("MergeError", (e) => Effect.fail(new BadInput({ detail: e.message }))))
).pipe(Command.withDescription("combine the shard files of a Monte Carlo run into the result of the whole run"))
