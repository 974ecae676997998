/**
 * The page's Web Worker (the page's own bundle, started from a blob: URL of its text): the command
 * line's replication worker (replication/worker.ts) on the browser's worker runner, which also runs a
 * whole single run (its report is rendered by another worker, so the results can be shown first) and renders
 * reports, and calibrates from SSDA903 files (Calibrate.ts). It prepares the job once, from the initial
 * message, exactly as a worker thread does.
 */
import * as BrowserRuntime from "@effect/platform-browser/BrowserRuntime"
import * as BrowserWorkerRunner from "@effect/platform-browser/BrowserWorkerRunner"
import * as Runner from "@effect/platform/WorkerRunner"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import { makeReplicator, type Job, type ReplicationError, type ReplicationOutcome } from "../replication/Replication.js"
import { scenarioParameters } from "../report/Assumptions.js"
import { scenarioFromData } from "../scenario/Load.js"
import { WebRequest } from "./protocol.js"
import { renderHere } from "./Render.js"
import { runResults } from "./Tasks.js"
import { calibrate } from "./Calibrate.js"
import type { ReportDocument } from "../report/Document.js"
import type { Workbook } from "../report/Workbook.js"

class Prepared extends Context.Tag("caseflow/web/worker/Prepared")<
  Prepared,
  { readonly job: Job; readonly replicate: (r: number) => Either.Either<ReplicationOutcome, ReplicationError> }
>() {}

const handlers = Runner.layerSerialized(WebRequest, {
  InitialMessage: ({ arms, years, seed }) =>
    Layer.sync(Prepared, () => {
      const job: Job = {
        // The page has already checked every arm; a failure here is a broken invariant.
        arms: arms.map((a) => Either.getOrThrow(scenarioFromData(a.label, a.raw, { checkExtremes: false }))),
        years,
        seed
      }
      return { job, replicate: makeReplicator(job) }
    }),
  RunReplication: ({ replication }) => Effect.flatMap(Prepared, (p) => Effect.suspend(() => p.replicate(replication))),
  SingleRun: ({ texts }) =>
    Effect.flatMap(Prepared, ({ job }) => {
      const source = job.arms[0]
      const t0 = performance.now()
      const results = runResults(source, scenarioParameters(texts, source.raw), job.seed, job.years)
      return Either.map(results, (r) => ({ ...r, workerMs: performance.now() - t0 }))
    }),
  // Made by the page from the command line's document builders; only rendered here.
  Render: ({ doc, book }) => renderHere(doc as ReportDocument, book as Workbook),
  Calibrate: ({ files, from, to, la, template }) =>
    Effect.suspend(() => {
      // The page has already loaded the template; a failure here is a broken invariant.
      const t = Either.getOrThrow(scenarioFromData(template.label, template.raw, { checkExtremes: false }))
      return calibrate(files, { from, to, la, template: { label: t.label, raw: t.raw, scenario: t.central } })
    })
})

/** Runs this thread as the page's worker (the page's one bundle is also its workers'). */
export const startWorker = (): void =>
  BrowserRuntime.runMain(Runner.launch(Layer.provide(handlers, BrowserWorkerRunner.layer)), {
    disableErrorReporting: true
  })
