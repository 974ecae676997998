/**
 * The `caseflow` process: runs the command line (`cli.ts`) on the process's arguments, stdout and stderr,
 * turns SIGINT and SIGTERM into a request to stop, and exits with the command's code. `bin/caseflow.js`
 * runs the build of this module (`dist/caseflow.cjs`); `npm run caseflow` runs it from source with tsx.
 *
 * A stopped command normally winds down in milliseconds (its scopes remove what it staged). If it has not
 * within `GRACE_MS` (a worker thread busy with a long replication does not answer at once), the process
 * exits anyway with the signal's code; nothing is staged outside the final commit, which takes
 * milliseconds and is not interrupted. A second signal exits at once.
 */
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as FiberId from "effect/FiberId"
import { runCli } from "./cli.js"
import { EXIT, Interrupted, type StopSignal } from "./errors.js"
import { processIo } from "./io.js"

const GRACE_MS = 750

const main = async (): Promise<void> => {
  const stop = Deferred.unsafeMake<never, Interrupted>(FiberId.none)
  let stopping = false
  const onSignal = (signal: StopSignal) => () => {
    if (stopping) process.exit(EXIT[signal])
    stopping = true
    Deferred.unsafeDone(stop, Effect.fail(new Interrupted({ signal })))
    setTimeout(() => {
      process.stderr.write(`caseflow: ${new Interrupted({ signal }).message}\n`)
      process.exit(EXIT[signal])
    }, GRACE_MS).unref()
  }
  const handlers = { SIGINT: onSignal("SIGINT"), SIGTERM: onSignal("SIGTERM") }
  const guard = {
    pause: () => {
      process.removeListener("SIGINT", handlers.SIGINT)
      process.removeListener("SIGTERM", handlers.SIGTERM)
    },
    resume: () => {
      process.on("SIGINT", handlers.SIGINT)
      process.on("SIGTERM", handlers.SIGTERM)
    }
  }
  guard.resume()
  const code = await runCli(process.argv.slice(2), processIo(Deferred.await(stop), guard))
  process.exit(code)
}

void main()
