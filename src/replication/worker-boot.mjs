// Entry point of a replication worker thread: registers tsx's TypeScript loader in this thread (a worker
// does not inherit the loader of the thread that started it), then loads the worker itself.
import { register } from "tsx/esm/api"
register()
await import("./worker.ts")
