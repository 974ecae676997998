/** Builds dist/caseflow.js and dist/worker.js (or the same into `outdir`). */
export declare const build: (outdir?: string) => Promise<void>
