/**
 * Loads the report renderers (`render/index.ts`: Vega, Vega-Lite, the xlsx writer) when they are first
 * needed, so that a command writing no report starts without them. From source this is a dynamic import;
 * the build (scripts/build.mjs) maps it to its own bundle beside the command line's, dist/report.cjs.
 */
export type Renderers = typeof import("./render/index.js")

let loaded: Promise<Renderers> | null = null

export const loadRenderers = (): Promise<Renderers> => (loaded ??= import("./render/index.js"))
