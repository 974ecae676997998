// Overlays are predictable and safe: a distribution is replaced whole (and a partial one is explained at the
// overlay's line), problems name the overlay's line, forbidden keys are refused in any file, and `extends`
// can point at nothing that hangs, fills memory or is echoed (FIFOs, devices, folders, private files).
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { fixture, loadError, RAW_CONTROL, tempDir } from "./helpers.js"

let t: ReturnType<typeof tempDir>
beforeAll(() => {
  t = tempDir()
  fs.writeFileSync(
    path.join(t.dir, "base.yaml"),
    fs
      .readFileSync(fixture("small.yaml"), "utf8")
      .replace("{ type: gamma, shape: 2, mean: 120 }", "{ type: gamma, shape: 2, mean: 6, unit: months }")
  )
})
afterAll(() => fs.rmSync(t.dir, { recursive: true, force: true }))

const overlay = (name: string, body: string) => t.write(name, `extends: base.yaml\nname: Overlay\n${body}`)

describe("a distribution in an overlay is replaced whole", () => {
  it("refuses { mean: 110 } over a gamma in months, at the overlay's line, saying what the base had", async () => {
    const file = overlay("partial.yaml", "levels:\n  early_help:\n    duration: { mean: 110 }\n")
    const e = await loadError(file)
    expect(e.problems).toHaveLength(1)
    expect(e.problems[0]).toMatchObject({ path: "levels.early_help.duration", file, line: 5 })
    expect(e.problems[0].message).toBe(
      "expected a distribution { type: exponential | gamma | weibull | lognormal | fixed | empirical, ... }, " +
        'found {"mean":110}, which has no type (an overlay replaces a distribution whole, so it needs every ' +
        `field: this one has no type, shape, unit; the base's, in ${path.join(t.dir, "base.yaml")} line 28, is ` +
        '{"type":"gamma","shape":2,"mean":6,"unit":"months"})'
    )
  })

  it("replaces a placement mix whole, and says so when the overlay's shares do not add up to 1", async () => {
    const file = overlay("mix.yaml", "levels:\n  looked_after:\n    placements:\n      onEntry: { kinship: 0.5 }\n")
    const e = await loadError(file)
    expect(e.problems).toHaveLength(1)
    expect(e.problems[0]).toMatchObject({ path: "levels.looked_after.placements.onEntry", file, line: 6 })
    expect(e.problems[0].message).toMatch(
      /^expected the placement shares to add up to 1, found 0\.5 \(an overlay replaces a table by age whole/
    )
  })

  it("names only the overlay's line for a typo inside its distribution, never the base's fields", async () => {
    const file = overlay("typo.yaml", "levels:\n  early_help:\n    duration: { type: gamma, shape: 2, maen: 6 }\n")
    const e = await loadError(file)
    expect(e.problems).toEqual([
      {
        path: "levels.early_help.duration.maen",
        file,
        line: 5,
        message: expect.stringMatching(/^unknown field; did you mean mean\? \(expected: type, shape, mean, unit\)/)
      }
    ])
  })
})

describe("forbidden keys in overlays", () => {
  it("refuses __proto__ in a YAML or JSON overlay, at its line", async () => {
    const yaml = await loadError(overlay("proto.yaml", "referrals:\n  __proto__: { ratePer10k: 1 }\n"))
    expect(yaml.problems).toMatchObject([{ path: "referrals.__proto__", line: 4 }])
    const json = t.write("proto.json", '{ "extends": "base.yaml", "name": "J",\n "constructor": { "x": 1 } }')
    expect((await loadError(json)).problems).toMatchObject([{ path: "constructor", line: 2 }])
  })
})

describe("extends can point at nothing dangerous", () => {
  it("refuses a FIFO, a device or a folder without reading it", async () => {
    const fifo = path.join(t.dir, "fifo.yaml")
    execFileSync("mkfifo", [fifo])
    for (const [target, kind] of [
      [fifo, "a named pipe (FIFO)"],
      ["/dev/zero", "a device"],
      ["/dev/urandom", "a device"],
      [t.dir, "a folder"]
    ]) {
      const file = t.write("special.yaml", `extends: ${target}\nname: S\n`)
      const e = await loadError(file)
      expect(e.problems).toEqual([
        {
          path: "extends",
          file,
          line: 1,
          message: `cannot read the base scenario ${target}: expected a regular file, found ${kind}`
        }
      ])
    }
  })

  it("never echoes the content of a file that is not a scenario", async () => {
    const env = Object.values(process.env).filter((v): v is string => v !== undefined && v.length >= 8)
    for (const target of ["/etc/passwd", "/proc/self/environ", "/etc/hostname"]) {
      if (!fs.existsSync(target)) continue
      const e = await loadError(t.write("private.yaml", `extends: ${target}\nname: P\n`))
      expect(e.message).toContain(`the base scenario ${target} is not a scenario`)
      // What is left once the file names are taken out holds nothing of the file's content.
      const said = e.message.split(t.dir).join("").split(target).join("")
      expect(said).not.toMatch(/root:|bin\/|nologin/)
      for (const v of env) expect(said).not.toContain(v)
    }
    // A private mapping: said to have no scenario field, without listing its keys or values.
    const secrets = t.write("secrets.yaml", "api_token: s3cr3t-hunter2\npassword: hunter2\n")
    const e = await loadError(t.write("mapping.yaml", `extends: ${secrets}\nname: M\n`))
    expect(e.message).not.toMatch(/hunter2|api_token|password/)
  })

  it("keeps a hostile extends path short and escaped", async () => {
    const target = `\u001b]0;x\u0007${"d/".repeat(50_000)}x.yaml`
    const e = await loadError(t.write("long.yaml", `extends: ${JSON.stringify(target)}\nname: L\n`))
    expect(e.message).not.toMatch(RAW_CONTROL)
    expect(e.message.length).toBeLessThan(2000)
  })
})
