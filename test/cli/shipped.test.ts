import * as fs from "node:fs"
import * as path from "node:path"
import { expect, it } from "vitest"
import { shippedScenario } from "../../src/cli/shipped.js"

it("finds a shipped scenario in the package's own folder, not the working directory's", () => {
  const file = shippedScenario("scenarios/default.yaml")
  expect(path.isAbsolute(file)).toBe(true)
  expect(file).toBe(path.join(path.dirname(path.dirname(import.meta.dirname)), "scenarios", "default.yaml"))
  expect(fs.existsSync(file)).toBe(true)
})
