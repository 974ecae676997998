// Lint: typescript-eslint's recommended rules (syntax only, so `npm test` stays fast), no `any`, and
// lines of at most 120 characters (prettier wraps code; this catches long strings and comments).
import js from "@eslint/js"
import tseslint from "typescript-eslint"

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
    // bin/load.cjs is CommonJS: it runs the CommonJS bundle with V8's code cache.
    files: ["**/*.cjs"],
    languageOptions: {
      sourceType: "commonjs",
      globals: { require: "readonly", module: "writable", process: "readonly", __dirname: "readonly" }
    },
    rules: { "@typescript-eslint/no-require-imports": "off" }
  }
)
