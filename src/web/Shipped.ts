/**
 * The shipped scenarios the page carries (inlined by scripts/build-web.mjs) and how the page names them.
 * The examples that the form switches on are overlays of the default borough; they are applied to the
 * chosen scenario by Edit.ts.
 */
import type { Example } from "./Edit.js"

/** The files the build inlines, relative to the repository (their paths in the page's file system). */
export const SHIPPED_FILES: ReadonlyArray<string> = [
  "scenarios/default.yaml",
  "scenarios/default-uncertain.yaml",
  "scenarios/england.yaml",
  "scenarios/examples/ifs-team.yaml",
  "scenarios/examples/fgc-pre-proceedings.yaml",
  "scenarios/examples/foster-carer-recruitment.yaml",
  "scenarios/examples/rebase-80k.yaml"
]

/** The examples the form can switch on. */
export const EXAMPLES: ReadonlyArray<Example & { readonly id: string; readonly label: string }> = [
  {
    id: "ifs",
    path: "scenarios/examples/ifs-team.yaml",
    title: "an IFS team",
    label: "Intensive family support team (Trafford's 'Investing in Children')"
  },
  {
    id: "fgc",
    path: "scenarios/examples/fgc-pre-proceedings.yaml",
    title: "FGC at pre-proceedings",
    label: "Family group conferences at pre-proceedings (Foundations RCT, 2023)"
  }
]

/** The scenario the page opens with. */
export const DEFAULT_SCENARIO = "scenarios/default.yaml"
