/**
 * caseflow's messages for what @effect/cli refuses while parsing a command line: a bad value blamed on
 * its flag (with what the flag expects: @effect/cli's own "'abc' is not a integer" names no flag), a path
 * of the wrong kind said for what it is, a mistyped flag with the nearest real one; anything else is
 * @effect/cli's text, each line at most 200 characters, escaped when printed.
 */
import type * as FileSystem from "@effect/platform/FileSystem"
import * as HelpDoc from "@effect/cli/HelpDoc"
import type * as ValidationError from "@effect/cli/ValidationError"
import * as Effect from "effect/Effect"
import { excerpt, show } from "../domain/Show.js"
import { checkInputFile } from "../io/InputFile.js"
import type { RawCheck } from "./flags.js"

// eslint-disable-next-line no-control-regex
export const ANSI = /\u001b\[[0-9;]*m/g

/** A command, its flags' names and their checks. */
export interface CommandFlags {
  readonly name: string
  readonly names: ReadonlyArray<string>
  readonly checks: ReadonlyArray<RawCheck>
}

/** The value a flag was given on the command line (`--name value` or `--name=value`), for each use. */
const flagValues = (argv: ReadonlyArray<string>): Array<{ name: string; raw: string }> => {
  const found: Array<{ name: string; raw: string }> = []
  for (let i = 0; i < argv.length; i++) {
    const t = argv[i]
    if (!t.startsWith("--")) continue
    const eq = t.indexOf("=")
    if (eq >= 0) found.push({ name: t.slice(2, eq).toLowerCase(), raw: t.slice(eq + 1) })
    else if (i + 1 < argv.length) found.push({ name: t.slice(2).toLowerCase(), raw: argv[i + 1] })
  }
  return found
}

/** Edit distance (Levenshtein) between two short strings. */
const distance = (a: string, b: string): number => {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const next = [i]
    for (let j = 1; j <= b.length; j++)
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    row = next
  }
  return row[b.length]
}

/** The name nearest to `typed`, if it is within two edits (a typo), else null. */
const closest = (typed: string, names: ReadonlyArray<string>): string | null => {
  if (typed.length > 40) return null
  let best: string | null = null
  let bestDistance = 3
  for (const n of names) {
    const d = distance(typed, n)
    if (d < bestDistance) [best, bestDistance] = [n, d]
  }
  return best
}

/** The first flag whose value fails its check, with the check's message; null if none does. */
export const explainFlags = (argv: ReadonlyArray<string>, checks: ReadonlyArray<RawCheck>): string | null => {
  for (const { name, raw } of flagValues(argv)) {
    const check = checks.find((c) => c.name === name)
    const message = check === undefined ? null : check.check(raw)
    if (message !== null) return message
  }
  return null
}

/**
 * A flag that takes a value given none (at the end, or just before another flag) or an empty one: the
 * message for the first, or null. @effect/cli drops such a value of a repeatable flag as if the flag were
 * not there (`--budget ""` ran with no budget) and calls a single one at the end an unknown flag.
 */
export const missingValue = (argv: ReadonlyArray<string>, checks: ReadonlyArray<RawCheck>): string | null => {
  for (let i = 0; i < argv.length; i++) {
    const t = argv[i]
    if (t.startsWith("--") && t.includes("=")) {
      // --name=value: only the checks made before parsing apply (the value is there).
      const eq = t.indexOf("=")
      const c = checks.find((x) => x.first === true && x.name === t.slice(2, eq).toLowerCase())
      const problem = c === undefined ? null : c.check(t.slice(eq + 1))
      if (problem !== null) return problem
      continue
    }
    if (!t.startsWith("--")) continue
    const check = checks.find((c) => c.name === t.slice(2).toLowerCase())
    if (check === undefined) continue
    const next = argv[i + 1]
    if (next === undefined || next.startsWith("--"))
      return `--${check.name}: expected a value, found ${next === undefined ? "none" : `the flag ${show(next)}`}`
    if (next === "") return check.check(next) ?? `--${check.name}: expected a value, found ""`
    if (check.first === true) {
      const problem = check.check(next)
      if (problem !== null) return problem
    }
  }
  return null
}

/**
 * A parse error of @effect/cli as caseflow's message: a bad value is blamed on its flag, with what the flag
 * expects; a path of the wrong kind says what it is; anything else is @effect/cli's text.
 */
export const usageMessage = (
  e: ValidationError.ValidationError,
  argv: ReadonlyArray<string>,
  command: CommandFlags | null
): Effect.Effect<string, never, FileSystem.FileSystem> => {
  const text = HelpDoc.toAnsiText(e.error)
    .replace(ANSI, "")
    .trim()
    .replace(/\n\s*\n/g, "\n")
  const plain = text
    .split("\n")
    .map((l) => excerpt(l, 200))
    .join("\n")
  return Effect.gen(function* () {
    if (e._tag === "InvalidValue" && command !== null) {
      const blamed = explainFlags(argv.slice(1), command.checks)
      if (blamed !== null) return blamed
    }
    const wrongKind = /^Expected path '(.*)' to be a (regular file|directory)$/s.exec(text)
    if (wrongKind !== null) {
      const file = wrongKind[1]
      const flag = flagValues(argv.slice(1)).find((f) => f.raw === file)
      // What it is instead, as the input-file check says it ("a folder", "a named pipe (FIFO)", "a device").
      const kind = yield* Effect.match(checkInputFile(file, Number.MAX_SAFE_INTEGER), {
        onSuccess: () => "a file",
        onFailure: (e) => e.detail.replace(/^expected a regular file, found /, "")
      })
      const named = `${flag === undefined ? "" : `--${flag.name} `}${excerpt(file)}`
      return `${named}: expected ${wrongKind[2] === "directory" ? "a folder" : "a regular file"}, found ${kind}`
    }
    const help = command === null ? "" : ` (caseflow ${command.name} --help lists its arguments and flags)`
    const unknown = /^Received unknown argument: '(.*)'$/s.exec(text)
    if (unknown !== null) {
      const arg = unknown[1]
      // A flag of the command that takes one value, given again: @effect/cli calls the second unknown.
      const given = arg.startsWith("--") ? arg.slice(2).split("=")[0].toLowerCase() : ""
      if (command !== null && command.names.includes(given))
        return `--${given}: given more than once; give it once${help}`
      const names = command === null ? ["help", "version"] : [...command.names, "help"]
      const near = arg.startsWith("--") ? closest(arg.slice(2).split("=")[0].toLowerCase(), names) : null
      const suggestion = near === null ? "" : ` (did you mean --${near}?)`
      return `unknown ${arg.startsWith("-") ? "flag" : "argument"} ${show(arg)}${suggestion}${help}`
    }
    return `${plain}${e._tag === "MissingValue" ? help : ""}`
  }).pipe(Effect.orElseSucceed(() => plain))
}
