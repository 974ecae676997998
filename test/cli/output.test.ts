// Outputs all or nothing: whichever move of a commit fails, the folder and the staged file are left exactly
// as they were; when none fails, the folder holds the new files, the command's stale files are gone and
// nothing else changed. Outputs that are inputs (by path or by inode) are refused.
import * as FileSystem from "@effect/platform/FileSystem"
import { SystemError } from "@effect/platform/Error"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { checkOutputs, commit, probeFolder } from "../../src/cli/output.js"
import { filesUnder } from "../support/cli.js"

const root = fs.mkdtempSync(path.join(os.tmpdir(), "caseflow-output-"))
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

/** The platform file system, except that the n-th rename fails (n from 1; 0: none fails). */
const failingRename = (n: number) =>
  Layer.effect(
    FileSystem.FileSystem,
    Effect.map(FileSystem.FileSystem, (f) => {
      let calls = 0
      return FileSystem.FileSystem.of({
        ...f,
        rename: (from, to) =>
          ++calls === n
            ? Effect.fail(
                new SystemError({
                  reason: "Unknown",
                  module: "FileSystem",
                  method: "rename",
                  pathOrDescriptor: from,
                  cause: Object.assign(new Error("input/output error"), { code: "EIO" })
                })
              )
            : f.rename(from, to)
      })
    })
  ).pipe(Layer.provide(NodeFileSystem.layer))

const snapshot = (dir: string) =>
  Object.fromEntries(filesUnder(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), "utf8")]))

/** A folder with the command's earlier a.csv, b.csv and c.csv, someone's notes.txt, and an event log elsewhere. */
const setUp = (name: string) => {
  const dir = path.join(root, name, "out")
  const logs = path.join(root, name, "logs")
  fs.mkdirSync(dir, { recursive: true })
  fs.mkdirSync(logs, { recursive: true })
  for (const f of ["a.csv", "b.csv", "c.csv"]) fs.writeFileSync(path.join(dir, f), `old ${f}`)
  fs.writeFileSync(path.join(dir, "notes.txt"), "not caseflow's")
  fs.writeFileSync(path.join(logs, "run.ndjson"), "old log")
  fs.writeFileSync(path.join(logs, "run.ndjson.partial"), "new log")
  return { dir, logs }
}

const commitTo = (dir: string, logs: string) =>
  commit({
    dir,
    flag: "--out",
    names: ["a.csv", "b.csv", "c.csv", "d.csv"],
    files: [
      ["a.csv", "new a.csv"],
      ["b.csv", "new b.csv"],
      ["d.csv", "new d.csv"]
    ],
    staged: [{ partial: path.join(logs, "run.ndjson.partial"), target: path.join(logs, "run.ndjson") }]
  })

describe("commit", () => {
  it("moves everything in, removes the stale c.csv, keeps notes.txt, leaves nothing temporary", async () => {
    const { dir, logs } = setUp("ok")
    const written = await Effect.runPromise(commitTo(dir, logs).pipe(Effect.provide(failingRename(0))))
    expect(written).toEqual([
      ...["a.csv", "b.csv", "d.csv"].map((f) => path.join(dir, f)),
      path.join(logs, "run.ndjson")
    ])
    expect(snapshot(dir)).toEqual({
      "a.csv": "new a.csv",
      "b.csv": "new b.csv",
      "d.csv": "new d.csv",
      "notes.txt": "not caseflow's"
    })
    expect(snapshot(logs)).toEqual({ "run.ndjson": "new log" })
  })

  // Eight moves: a, b, c, the old log aside; a, b, d, the new log in.
  it.each([1, 2, 3, 4, 5, 6, 7, 8])("leaves everything as it was when move %i fails", async (n) => {
    const { dir, logs } = setUp(`fail-${n}`)
    const before = { dir: snapshot(dir), logs: snapshot(logs) }
    const r = await Effect.runPromise(Effect.either(commitTo(dir, logs)).pipe(Effect.provide(failingRename(n))))
    expect(Either.isLeft(r)).toBe(true)
    if (Either.isLeft(r)) {
      expect(r.left._tag).toBe("WriteFailed")
      expect(r.left.message).toMatch(/: cannot (write|replace) it: an input\/output error; no results written$/)
    }
    expect({ dir: snapshot(dir), logs: snapshot(logs) }).toEqual(before)
  })

  it("creates a missing folder, and removes it again if the commit fails", async () => {
    const dir = path.join(root, "fresh", "deep", "out")
    const logs = path.join(root, "fresh-logs")
    fs.mkdirSync(logs)
    fs.writeFileSync(path.join(logs, "run.ndjson.partial"), "new log")
    const r = await Effect.runPromise(Effect.either(commitTo(dir, logs)).pipe(Effect.provide(failingRename(2))))
    expect(Either.isLeft(r)).toBe(true)
    expect(fs.existsSync(path.join(root, "fresh"))).toBe(false)
    await Effect.runPromise(commitTo(dir, logs).pipe(Effect.provide(failingRename(0))))
    expect(filesUnder(dir)).toEqual(["a.csv", "b.csv", "d.csv"])
  })
})

describe("probeFolder and checkOutputs", () => {
  const run = <A, E>(e: Effect.Effect<A, E, FileSystem.FileSystem>) =>
    Effect.runPromise(Effect.either(e).pipe(Effect.provide(NodeFileSystem.layer)))

  it("probes a new folder without leaving it, and refuses one under a file or /proc", async () => {
    const dir = path.join(root, "probe", "a", "b")
    expect(Either.isRight(await run(probeFolder(dir, "--out")))).toBe(true)
    expect(fs.existsSync(path.join(root, "probe"))).toBe(false)
    fs.writeFileSync(path.join(root, "plain"), "x")
    const underFile = await run(probeFolder(path.join(root, "plain", "x"), "--out"))
    expect(Either.isLeft(underFile) && underFile.left.message).toBe(
      `--out ${path.join(root, "plain", "x")}: ${path.join(root, "plain")} is a file, not a folder`
    )
    const proc = await run(probeFolder("/proc/caseflow-probe/x", "--out"))
    expect(Either.isLeft(proc) && proc.left._tag).toBe("WriteFailed")
  })

  it("refuses an output that is an input by inode, and two outputs that are one file", async () => {
    const input = path.join(root, "input.yaml")
    fs.writeFileSync(input, "x")
    fs.mkdirSync(path.join(root, "links"))
    fs.linkSync(input, path.join(root, "links", "costs.csv"))
    const r = await run(
      checkOutputs(
        [{ file: path.join(root, "links", "costs.csv"), flag: "--out" }],
        [{ file: input, role: "the scenario" }]
      )
    )
    expect(Either.isLeft(r) && r.left.message).toBe(
      `--out: ${path.join(root, "links", "costs.csv")} would overwrite the scenario, ${input}; ` +
        "caseflow never writes over its inputs"
    )
    const twice = await run(
      checkOutputs(
        [
          { file: path.join(root, "x", "costs.csv"), flag: "--out" },
          { file: path.join(root, "x", ".", "costs.csv"), flag: "--events" }
        ],
        []
      )
    )
    expect(Either.isLeft(twice) && twice.left._tag).toBe("BadFlag")
    expect(Either.isRight(await run(checkOutputs([{ file: path.join(root, "new.csv"), flag: "--out" }], [])))).toBe(
      true
    )
  })
})
