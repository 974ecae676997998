/**
 * What the web build maps Node-only modules to that the page's code imports but never calls: the command
 * line's worker-thread pool (replication/Pool.ts `Replicator.workerThreads`, which the page replaces with
 * Web Workers). Anything used from here fails loudly, naming itself.
 */
const fail = (what: string) => () => {
  throw new Error(`${what} is not available in the browser`)
}

export const existsSync = fail("node:fs")
export const Worker = fail("node:worker_threads")
export const layer = fail("@effect/platform-node/NodeWorker")
export default { existsSync, Worker, layer }
