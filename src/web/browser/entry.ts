/**
 * The page's one script (scripts/build-web.mjs bundles it): in the page it runs the page; started as a Web
 * Worker from a blob: URL of its own text, it runs the worker (src/web/worker.ts). One bundle serves both,
 * so the page carries the code once.
 */
import { startWorker } from "../worker.js"
import { startPage } from "./main.js"

if (typeof document === "undefined") startWorker()
else startPage()
