/**
 * The house rules, checked: imports inside `src/` point one way, down the layers listed in the README
 * ("Architecture"), and there is no import cycle anywhere. The imports are read with TypeScript's own
 * pre-processor (`ts.preProcessFile`), which sees static imports, re-exports, `import()` and `import type`.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import ts from "typescript"
import { describe, expect, it } from "vitest"

const SRC = path.resolve(import.meta.dirname, "../src")

/** Layers, lowest first. A module may import from its own layer or any lower one. */
export const LAYERS: ReadonlyArray<ReadonlyArray<string>> = [
  ["version.ts", "domain"],
  ["io"],
  ["ssda903"],
  ["random"],
  ["scenario"],
  ["model"],
  ["engine"],
  ["projections"],
  ["run"],
  ["log"],
  ["report"],
  ["replication"],
  ["montecarlo", "compare", "forecast"],
  ["calibrate"],
  ["backtest"],
  ["cli"],
  ["web"]
]

const layerOf = (file: string): number => {
  const top = path.relative(SRC, file).split(path.sep)[0]
  const i = LAYERS.findIndex((l) => l.includes(top))
  if (i < 0) throw new Error(`${path.relative(SRC, file)} is in no layer: add its folder to LAYERS and the README`)
  return i
}

const sources = (): Array<string> =>
  fs
    .readdirSync(SRC, { recursive: true, encoding: "utf8" })
    .map((f) => path.join(SRC, f))
    .filter((f) => /\.(ts|mjs)$/.test(f) && fs.statSync(f).isFile())

/** Each source file's imports of other source files (resolved to their paths). */
const importGraph = (): Map<string, Array<string>> => {
  const graph = new Map<string, Array<string>>()
  for (const file of sources()) {
    const info = ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true)
    const targets: Array<string> = []
    for (const ref of info.importedFiles) {
      if (!ref.fileName.startsWith(".")) continue
      let target = path.resolve(path.dirname(file), ref.fileName)
      if (target.endsWith(".js") && !fs.existsSync(target)) target = target.slice(0, -3) + ".ts"
      targets.push(target)
    }
    graph.set(file, targets)
  }
  return graph
}

const rel = (f: string) => path.relative(SRC, f)

describe("the import graph of src/", () => {
  const graph = importGraph()

  it("has every import pointing to a file that exists", () => {
    const missing = [...graph].flatMap(([f, ts]) =>
      ts.filter((t) => !fs.existsSync(t)).map((t) => `${rel(f)} -> ${rel(t)}`)
    )
    expect(missing).toEqual([])
  })

  it("points down the layers: no module imports from a higher layer", () => {
    const upward = [...graph].flatMap(([f, targets]) =>
      targets.filter((t) => fs.existsSync(t) && layerOf(t) > layerOf(f)).map((t) => `${rel(f)} -> ${rel(t)}`)
    )
    expect(upward).toEqual([])
  })

  it("has no cycles", () => {
    // Tarjan's strongly connected components: any component of more than one file is a cycle.
    let index = 0
    const idx = new Map<string, number>()
    const low = new Map<string, number>()
    const stack: Array<string> = []
    const on = new Set<string>()
    const cycles: Array<string> = []
    const visit = (v: string) => {
      idx.set(v, index)
      low.set(v, index++)
      stack.push(v)
      on.add(v)
      for (const w of graph.get(v) ?? []) {
        if (!graph.has(w)) continue
        if (!idx.has(w)) {
          visit(w)
          low.set(v, Math.min(low.get(v)!, low.get(w)!))
        } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!))
      }
      if (low.get(v) === idx.get(v)) {
        const scc: Array<string> = []
        let w: string
        do {
          w = stack.pop()!
          on.delete(w)
          scc.push(w)
        } while (w !== v)
        if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(scc.map(rel).sort().join(" <-> "))
      }
    }
    for (const v of graph.keys()) if (!idx.has(v)) visit(v)
    expect(cycles).toEqual([])
  })
})
