// Lint: typescript-eslint's recommended rules (syntax only, so `npm test` stays fast), no `any`, and
// lines of at most 120 characters (the formatter, oxfmt, wraps code; this catches long strings and comments).
import js from "@eslint/js"
import tseslint from "typescript-eslint"

// Globals of a browser's window or worker that Node 20 does not define.
const domOnlyGlobals = [
  ...["window", "document", "navigator", "self", "location", "history", "localStorage", "sessionStorage"],
  ...["indexedDB", "caches", "screen", "frames", "parent", "top", "opener", "name", "status", "origin"],
  ...["open", "close", "print", "alert", "confirm", "prompt", "postMessage", "importScripts", "onmessage"],
  ...["addEventListener", "removeEventListener", "dispatchEvent", "getComputedStyle", "matchMedia"],
  ...["requestAnimationFrame", "cancelAnimationFrame", "customElements", "innerWidth", "innerHeight"],
  ...["Element", "HTMLElement", "HTMLInputElement", "HTMLSelectElement", "HTMLCanvasElement", "Node"],
  ...["NodeList", "DOMParser", "FileReader", "FileList", "XMLHttpRequest", "Worker", "SVGElement"]
]

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", "out/", "coverage/", "scratch/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: "module", globals: { process: "readonly", console: "readonly" } },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "max-len": ["error", { code: 120, ignoreUrls: true }],
      "no-constant-condition": ["error", { checkLoops: false }]
    }
  },
  {
    // The type check has the DOM's types for the page's code (tsconfig.json), so the DOM's globals, which
    // Node does not have, are refused here everywhere else: in Node they would fail only when run.
    files: ["**/*.{ts,mts,mjs,js,cjs}"],
    ignores: ["src/web/browser/**", "test/web/page.test.ts"],
    rules: {
      "no-restricted-globals": [
        "error",
        ...domOnlyGlobals.map((name) => ({ name, message: "a DOM global: only src/web/browser/ runs in a page" }))
      ]
    }
  },
  {
    // bin/load.cjs is CommonJS: it runs the CommonJS bundle with V8's code cache.
    files: ["**/*.cjs"],
    languageOptions: {
      sourceType: "commonjs",
      globals: { require: "readonly", module: "writable", process: "readonly", __dirname: "readonly" }
    },
    rules: { "@typescript-eslint/no-require-imports": "off" }
  }
)
