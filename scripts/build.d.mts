/** Builds dist/caseflow.js and dist/worker.js (or the same into `outdir`). */
export declare const build: (outdir?: string) => Promise<void>
/** Builds the replication worker alone, `outdir`/worker.js. */
export declare const buildWorker: (outdir: string) => Promise<unknown>
