/**
 * The page's Replicator: the Effect platform's serialised worker pool (as the command line's, in
 * replication/Pool.ts) over the browser's Web Workers, started from the worker bundle the page carries
 * (a blob: URL). Replications are folded by the same code as on the command line, in whatever order they
 * come back, so the results do not depend on the number of workers.
 *
 * Cancelling interrupts the run; the pool's scope then closes and every worker is terminated at once (a
 * worker in the middle of a replication does not read the platform's "close" message until it is done).
 *
 * One worker is kept started ahead of need (`warmUp`): a task takes it and another is started in its place,
 * so a single run does not wait for a worker to compile the page's script, nor a report for its renderer.
 */
import * as Worker from "@effect/platform/Worker"
import * as BrowserWorker from "@effect/platform-browser/BrowserWorker"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { InitialMessage, RunReplication } from "../../replication/protocol.js"
import { Replicator, WorkerFailed } from "../../replication/Pool.js"
import type { Job } from "../../replication/Replication.js"
import type { ReportDocument } from "../../report/Document.js"
import type { Workbook } from "../../report/Workbook.js"
import { CalibrateFailed } from "../Calibrate.js"
import {
  Calibrate,
  type CalibrateResult,
  Render,
  SingleRun,
  type SingleRunResult,
  type WebRequest
} from "../protocol.js"
import { type Rendered, TaskFailed } from "../Tasks.js"

const initial = (job: Job) =>
  new InitialMessage({ arms: job.arms.map((a) => ({ label: a.label, raw: a.raw })), years: job.years, seed: job.seed })

/**
 * A Web Worker started ahead of need (its script compiled, its runner listening), so that a task does not
 * wait for that. The runner's first message ("ready") comes before anyone listens: it is kept, and
 * dispatched again once the platform's pool has added its own listener. A worker that failed to start is
 * not handed over. (Not a subclass of Worker: this module is also evaluated inside the workers.)
 */
interface Warm {
  readonly url: string
  readonly worker: globalThis.Worker
  failed: boolean
}

const startWarm = (url: string): Warm => {
  const worker = new globalThis.Worker(url, { name: "caseflow" })
  const warm: Warm = { url, worker, failed: false }
  let early: Array<unknown> | null = []
  const keep = (e: MessageEvent): void => {
    early?.push(e.data)
  }
  worker.addEventListener("message", keep)
  worker.addEventListener("error", () => (warm.failed = true))
  const add = worker.addEventListener.bind(worker)
  const listen = (
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: boolean | AddEventListenerOptions
  ): void => {
    add(type, listener, options)
    if (type !== "message" || early === null) return
    const kept = early
    early = null
    worker.removeEventListener("message", keep)
    // After the caller has finished adding its listener (a message is a task: none can come in between).
    queueMicrotask(() => kept.forEach((data) => worker.dispatchEvent(new MessageEvent("message", { data }))))
  }
  worker.addEventListener = listen
  return warm
}

/** The worker kept ready for the next task (at most one: each is a copy of the page's code in memory). */
let spare: Warm | null = null

/** Starts a worker from `url` ahead of need, unless one is ready already. */
export const warmUp = (url: string): void => {
  if (spare === null || spare.failed || spare.url !== url) {
    spare?.worker.terminate()
    spare = startWarm(url)
  }
}

/** The ready worker (and another started in its place), or a new one. */
const takeWorker = (url: string): globalThis.Worker => {
  const w = spare
  spare = null
  if (w !== null && !w.failed && w.url === url) {
    warmUp(url)
    return w.worker
  }
  w?.worker.terminate()
  return new globalThis.Worker(url, { name: "caseflow" })
}

/** Web Workers from `url` (the ready one first), terminated when the scope closes. */
const spawner = (url: string) =>
  Layer.unwrapScoped(
    Effect.gen(function* () {
      const live = new Set<globalThis.Worker>()
      yield* Effect.addFinalizer(() => Effect.sync(() => live.forEach((w) => w.terminate())))
      return BrowserWorker.layer(() => {
        const w = takeWorker(url)
        live.add(w)
        return w
      })
    })
  )

const failed = (e: { readonly message: string }) => new WorkerFailed({ detail: e.message })

/** A pool of `size` Web Workers for `job`. */
export const webWorkers = (url: string, job: Job, size: number): Layer.Layer<Replicator, WorkerFailed> =>
  Layer.scoped(
    Replicator,
    Effect.gen(function* () {
      const pool = yield* Worker.makePoolSerialized<WebRequest>({
        size,
        concurrency: 1,
        initialMessage: () => initial(job)
      })
      return {
        run: (r: number) =>
          pool.executeEffect(new RunReplication({ replication: r })).pipe(
            Effect.catchTags({
              WorkerError: (e) => Effect.fail(failed(e)),
              ParseError: (e) => Effect.fail(failed(e))
            })
          ),
        parallelism: size
      }
    }).pipe(Effect.catchTag("WorkerError", (e) => Effect.fail(failed(e))))
    // The spawner belongs to the layer's scope: its workers live as long as the pool, and end with it.
  ).pipe(Layer.provide(spawner(url)))

/** A whole single run of `job`'s one arm in a Web Worker of its own. */
export const runInWorker = (
  url: string,
  job: Job,
  texts: ReadonlyArray<{ readonly file: string; readonly text: string }>
): Effect.Effect<SingleRunResult, TaskFailed | WorkerFailed> =>
  Effect.scoped(
    Effect.gen(function* () {
      const pool = yield* Worker.makePoolSerialized<WebRequest>({ size: 1, initialMessage: () => initial(job) })
      return yield* pool
        .executeEffect(new SingleRun({ texts }))
        .pipe(
          Effect.catchTags({ WorkerError: (e) => Effect.fail(failed(e)), ParseError: (e) => Effect.fail(failed(e)) })
        )
    }).pipe(
      Effect.catchTag("WorkerError", (e) => Effect.fail(failed(e))),
      Effect.provide(spawner(url))
    )
  )

/** A report and a workbook rendered in a Web Worker of their own (Vega stays out of the page's thread). */
export const renderInWorker = (url: string, doc: ReportDocument, book: Workbook): Effect.Effect<Rendered, TaskFailed> =>
  Effect.scoped(
    Effect.gen(function* () {
      const none: Job = { arms: [], years: 1, seed: 0 }
      const pool = yield* Worker.makePoolSerialized<WebRequest>({ size: 1, initialMessage: () => initial(none) })
      return yield* pool.executeEffect(new Render({ doc, book }))
    }).pipe(Effect.provide(spawner(url)))
  ).pipe(
    Effect.catchTags({
      WorkerError: (e) => Effect.fail(new TaskFailed({ detail: `cannot render the report: ${e.message}` })),
      ParseError: (e) => Effect.fail(new TaskFailed({ detail: `cannot render the report: ${e.message}` }))
    })
  )

/** `caseflow calibrate` of SSDA903 files dropped on the page, in a Web Worker of its own. */
export const calibrateInWorker = (
  url: string,
  request: ConstructorParameters<typeof Calibrate>[0]
): Effect.Effect<CalibrateResult, CalibrateFailed> =>
  Effect.scoped(
    Effect.gen(function* () {
      const none: Job = { arms: [], years: 1, seed: 0 }
      const pool = yield* Worker.makePoolSerialized<WebRequest>({ size: 1, initialMessage: () => initial(none) })
      return yield* pool.executeEffect(new Calibrate(request))
    }).pipe(Effect.provide(spawner(url)))
  ).pipe(
    Effect.catchTags({
      WorkerError: (e) => Effect.fail(new CalibrateFailed({ detail: `cannot calibrate: ${e.message}`, councils: [] })),
      ParseError: (e) => Effect.fail(new CalibrateFailed({ detail: `cannot calibrate: ${e.message}`, councils: [] }))
    })
  )
