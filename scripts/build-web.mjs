// The browser build (`npm run build:web`, also run by the install's `prepare`): dist/caseflow.html, one
// self-contained file to open from disk, with nothing to install and no network.
//
//   - one script (src/web/browser/entry.ts, bundled by esbuild for the browser), inlined; it is also every
//     Web Worker's script (started from a blob: URL of its own text);
//   - the styles and the shipped scenarios (src/web/Shipped.ts) inlined;
//   - a Content-Security-Policy that forbids every request (default-src 'none', connect-src 'none'): the
//     script is allowed by its SHA-256, workers only from blob:, styles inline.
//
// The modules are the command line's; the build maps the few Node-only ones (src/web/shims/): node:path
// (the loader's `extends`) to POSIX paths over the page's files, the xlsx writer to its browser build, and
// the worker-thread pool's Node imports, which the page never calls, to stubs that fail if called. Any
// other Node built-in reaching the bundle fails the build.
import * as esbuild from "esbuild"
import { Buffer } from "node:buffer"
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")

/** The page's limit (issue 14): it must stay a file that can be e-mailed and opened on a locked-down laptop. */
const MAX_BYTES = 5 * 1024 * 1024

const shim = (name) => path.join(root, "src/web/shims", name)

const browserOnly = {
  name: "browser-only",
  setup(b) {
    const map = {
      "node:path": shim("path.ts"),
      path: shim("path.ts"),
      "node:fs": shim("unavailable.ts"),
      "node:worker_threads": shim("unavailable.ts"),
      "@effect/platform-node/NodeWorker": shim("unavailable.ts"),
      "write-excel-file/node": shim("write-excel-file.ts"),
      // vega-canvas looks for the optional `canvas` package; reports are SVG, rendered without a canvas.
      "vega-canvas": path.join(root, "node_modules/vega-canvas/build/vega-canvas.browser.js")
    }
    // @stdlib's special functions pick their generator-based code when `eval('(function* () {})')` succeeds;
    // the page forbids eval (no 'unsafe-eval'), where that probe would be refused (a CSP error in the
    // console) and the functions would take their other code path. Every browser the page targets has
    // generators, so the answer is given: the same code as the command line runs.
    b.onResolve({ filter: /^@stdlib\/assert-has-generator-support$/ }, () => ({
      path: "has-generator-support",
      namespace: "caseflow-shim"
    }))
    b.onLoad({ filter: /.*/, namespace: "caseflow-shim" }, () => ({
      contents: "module.exports = function hasGeneratorSupport() { return true }",
      loader: "js"
    }))
    b.onResolve({ filter: /.*/ }, (args) => {
      if (Object.hasOwn(map, args.path)) return { path: map[args.path] }
      if (args.path.startsWith("node:"))
        return {
          errors: [{ text: `${args.path} (imported by ${path.relative(root, args.importer)}) has no browser seam` }]
        }
      return null
    })
  }
}

/** Text for an inline <script>: `</script` and `<!--` cannot end or bend it. */
const inlineScript = (text) => text.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--")

/** Builds dist/caseflow.html (or into `outdir`); returns its path and size. */
export const buildWeb = async (outdir = path.join(root, "dist")) => {
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: ["src/web/browser/entry.ts"],
    bundle: true,
    write: false,
    platform: "browser",
    format: "iife",
    target: ["chrome120", "firefox115", "safari16"],
    minify: true,
    legalComments: "none",
    charset: "utf8",
    logLevel: "warning",
    mainFields: ["browser", "module", "main"],
    conditions: ["browser"],
    // The command line's worker-thread pool finds its worker file from import.meta.url; the page never starts it.
    define: { "process.env.NODE_ENV": '"production"', "import.meta.url": '"about:blank"' },
    plugins: [browserOnly],
    metafile: true
  })
  const script = inlineScript(result.outputFiles[0].text)
  const scenarios = Object.fromEntries(shippedFiles().map((f) => [f, fs.readFileSync(path.join(root, f), "utf8")]))
  const json = JSON.stringify(scenarios).replace(/</g, "\\u003c")
  const style = fs.readFileSync(path.join(root, "src/web/page.css"), "utf8")
  const version = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).version
  const template = fs.readFileSync(path.join(root, "src/web/page.html"), "utf8")
  const fill = { VERSION: version, STYLE: style, SCENARIOS: json, SCRIPT: script }
  const filled = template.replace(/%(VERSION|STYLE|SCENARIOS|SCRIPT)%/g, (_, k) => fill[k])
  // The hash of the script element's text exactly as the page holds it (whitespace around it included).
  const inline = /<script id="caseflow-app">([\s\S]*?)<\/script>/.exec(filled)
  if (inline === null) throw new Error('src/web/page.html: no <script id="caseflow-app">')
  const hash = createHash("sha256").update(inline[1]).digest("base64")
  const csp = [
    "default-src 'none'",
    "connect-src 'none'",
    // The one script must match its hash; nothing may be compiled from a string (no 'unsafe-eval': Vega's
    // chart expressions run on its interpreter, see src/report/render/Html.ts).
    `script-src 'sha256-${hash}'`,
    "worker-src blob:",
    "style-src 'unsafe-inline'",
    "img-src data: blob:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-src 'none'",
    "object-src 'none'"
  ].join("; ")
  const html = filled.replace("%CSP%", () => csp)
  fs.mkdirSync(outdir, { recursive: true })
  const file = path.join(outdir, "caseflow.html")
  fs.writeFileSync(file, html)
  const bytes = Buffer.byteLength(html)
  if (bytes > MAX_BYTES) throw new Error(`${file} is ${(bytes / 2 ** 20).toFixed(2)} MiB: over the 5 MiB limit`)
  // What the page was built from (every file the bundle read, the template, the styles, the scenarios, the
  // version, the lockfile, this script), with their digest: `currentWeb` tells from it whether the page is
  // still current.
  const inputs = [
    ...Object.keys(result.metafile.inputs).filter((f) => !f.includes(":")),
    "src/web/page.html",
    "src/web/page.css",
    "src/web/Shipped.ts",
    "package.json",
    "package-lock.json",
    "tsconfig.json",
    "scripts/build-web.mjs",
    ...shippedFiles()
  ]
  fs.writeFileSync(inputsFile(file), JSON.stringify({ page: sha256(html), inputs, digest: digestOf(inputs) }))
  return { file, bytes }
}

const sha256 = (data) => createHash("sha256").update(data).digest("hex")
const inputsFile = (file) => `${file}.inputs.json`

/** One digest of the files' names and contents (paths from the project's root; null when one cannot be read). */
export const digestOf = (files) => {
  const h = createHash("sha256")
  for (const f of [...new Set(files)].sort()) {
    let text
    try {
      text = fs.readFileSync(path.join(root, f))
    } catch {
      return null
    }
    h.update(`${f}\0${sha256(text)}\0`)
  }
  return h.digest("hex")
}

/**
 * The page built in `outdir` (dist/ by default) when it is still what a build would make now: every file
 * it was built from unchanged (a new import can only come from a changed file), and the page itself as
 * written. Otherwise null. The browser tests use it to skip a build `npm ci` has just made.
 */
export const currentWeb = (outdir = path.join(root, "dist")) => {
  const file = path.join(outdir, "caseflow.html")
  let record, html
  try {
    record = JSON.parse(fs.readFileSync(inputsFile(file), "utf8"))
    html = fs.readFileSync(file)
  } catch {
    return null
  }
  if (!Array.isArray(record.inputs) || record.inputs.length === 0 || sha256(html) !== record.page) return null
  if (digestOf(record.inputs) !== record.digest) return null
  return { file, bytes: html.length }
}

/** The shipped files' list, read from src/web/Shipped.ts's text (plain Node cannot import TypeScript). */
const shippedFiles = () => {
  const text = fs.readFileSync(path.join(root, "src/web/Shipped.ts"), "utf8")
  const block = /SHIPPED_FILES[^=]*=\s*\[([^\]]*)\]/.exec(text)
  if (block === null) throw new Error("src/web/Shipped.ts: no SHIPPED_FILES")
  return [...block[1].matchAll(/"([^"]+)"/g)].map((m) => m[1])
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { file, bytes } = await buildWeb()
  process.stdout.write(`${path.relative(process.cwd(), file)}: ${(bytes / 2 ** 20).toFixed(2)} MiB (${bytes} bytes)\n`)
}
