/**
 * The renderers of caseflow's reports, in one module that the command line loads only when `--report` or
 * `--xlsx` is given (`../Renderer.ts`): Vega, Vega-Lite and the xlsx writer are large, and a command that
 * writes no report should not pay for loading them. The build bundles this module on its own
 * (dist/report.cjs).
 */
export { renderHtml, renderChart, CONTENT_SECURITY_POLICY, type RenderedHtml } from "./Html.js"
export { xlsxBytes } from "./Xlsx.js"
