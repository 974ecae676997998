/**
 * The page's form as scenario files: what the analyst changes (population, referral rate, a shock from a
 * date, the shipped intervention examples on or off) becomes overlays of the scenario they chose, written
 * in the scenario format and merged by the same loader as `extends` on the command line (scenario/Overlay.ts).
 * Nothing is edited in place, so the scenario the form describes is exactly what a file of those overlays
 * would be, and it is checked, hashed and run the same way.
 *
 *   baseline: the chosen scenario <- the levers
 *   variant:  the chosen scenario <- each example ticked (its own file, `extends` pointed down the chain) <- the levers
 *
 * A comparison runs the baseline against the variant; a single run and a Monte Carlo run the variant (the
 * baseline when no example is ticked).
 */
import { stringify } from "yaml"
import { type Files, normalisePath } from "./MemoryFiles.js"

export interface Shock {
  /** A date, YYYY-MM-DD. */
  readonly from: string
  readonly multiplier: number
}

export interface Levers {
  /** null: as the scenario has it. */
  readonly children: number | null
  readonly ratePer10k: number | null
  readonly shock: Shock | null
}

export interface Example {
  /** Its path among the files (a shipped example: "scenarios/examples/ifs-team.yaml"). */
  readonly path: string
  /** A short name for the variant's name ("IFS team"). */
  readonly title: string
}

export interface Edited {
  /** The files, with the overlays added (and the examples' `extends` pointed down the chain). */
  readonly files: Files
  readonly baseline: string
  /** Equal to `baseline` when no example is ticked. */
  readonly variant: string
}

export const noLevers: Levers = { children: null, ratePer10k: null, shock: null }

const hasLevers = (l: Levers): boolean => l.children !== null || l.ratePer10k !== null || l.shock !== null

const dirOf = (file: string): string => {
  const i = file.lastIndexOf("/")
  return i < 0 ? "" : file.slice(0, i)
}
const baseOf = (file: string): string => file.slice(file.lastIndexOf("/") + 1)
const stemOf = (file: string): string => baseOf(file).replace(/\.(ya?ml|json)$/i, "")

/** `to` relative to the folder `from` (both normalised paths). */
export const relativePath = (from: string, to: string): string => {
  const a = from === "" ? [] : from.split("/")
  const b = to.split("/")
  let i = 0
  while (i < a.length && i < b.length - 1 && a[i] === b[i]) i++
  return [...a.slice(i).map(() => ".."), ...b.slice(i)].join("/")
}

/** An example's text with its `extends` pointed at `base` (relative to the example's own folder). */
const rebased = (text: string, path: string, base: string): string => {
  const line = `extends: ${JSON.stringify(relativePath(dirOf(path), base))}`
  return /^extends:.*$/m.test(text) ? text.replace(/^extends:.*$/m, line) : `${line}\n${text}`
}

/** The levers as an overlay of `base` (a YAML text), named `name`. */
export const leverOverlay = (path: string, base: string, levers: Levers, name: string): string => {
  const overlay: Record<string, unknown> = { extends: relativePath(dirOf(path), base), name }
  if (levers.children !== null) overlay.population = { children: levers.children }
  const referrals: Record<string, unknown> = {}
  if (levers.ratePer10k !== null) referrals.ratePer10k = levers.ratePer10k
  if (levers.shock !== null) referrals.changes = [{ from: levers.shock.from, multiplier: levers.shock.multiplier }]
  if (Object.keys(referrals).length > 0) overlay.referrals = referrals
  return `# The levers set in caseflow's page, as an overlay of ${base}.\n${stringify(overlay)}`
}

/**
 * The baseline and variant of `entry` (named `name`) with `levers` and `examples`. An example that is the
 * entry itself, or already in its chain, is left out (it is in already).
 */
export const editScenario = (
  files: Files,
  entry: string,
  name: string,
  levers: Levers,
  examples: ReadonlyArray<Example>
): Edited => {
  const out = new Map(files)
  const top = normalisePath(entry)
  const stem = `${dirOf(top) === "" ? "" : `${dirOf(top)}/`}${stemOf(top)}`
  const edited = hasLevers(levers)
  const baseline = edited ? `${stem}-edited.yaml` : top
  if (edited) out.set(baseline, leverOverlay(baseline, top, levers, `${name} (edited)`))
  let below = top
  const used: Array<Example> = []
  for (const ex of examples) {
    const p = normalisePath(ex.path)
    const text = files.get(p)
    if (text === undefined || p === top) continue
    out.set(p, rebased(text, p, below))
    below = p
    used.push(ex)
  }
  if (used.length === 0) return { files: out, baseline, variant: baseline }
  if (!edited && used.length === 1) return { files: out, baseline, variant: below }
  const variant = `${stem}-edited-variant.yaml`
  const title = `${name}${edited ? " (edited)" : ""} with ${used.map((e) => e.title).join(" and ")}`
  out.set(variant, leverOverlay(variant, below, levers, title))
  return { files: out, baseline, variant }
}

/** The scenario as one self-contained YAML file (no `extends`): what the page offers to download. */
export const scenarioYaml = (raw: unknown, label: string): string =>
  `# Written by caseflow's page from ${label.replace(/[\r\n]/g, " ")}: the scenario as resolved (overlays\n` +
  `# merged, figures per 10,000 children worked out). \`caseflow run\` of this file gives the page's results.\n` +
  stringify(raw, { lineWidth: 0 })
