/**
 * Writing result files all-or-nothing: every file's text is computed first, each is written beside its
 * final name and renamed into place; if anything fails, the partial files are removed.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"

export class OutputError extends Schema.TaggedError<OutputError>()("OutputError", {
  target: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `${this.target}: ${this.detail}`
  }
}

export const writeFilesAtomically = (
  dir: string,
  files: ReadonlyArray<readonly [string, string]>
): Effect.Effect<ReadonlyArray<string>, OutputError> =>
  Effect.try({
    try: () => {
      if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) throw new Error("exists and is not a folder")
      fs.mkdirSync(dir, { recursive: true })
      const written: Array<string> = []
      const partials: Array<string> = []
      try {
        for (const [name, text] of files) {
          const partial = path.join(dir, `.${name}.partial`)
          partials.push(partial)
          fs.writeFileSync(partial, text)
        }
        files.forEach(([name], i) => {
          const target = path.join(dir, name)
          fs.renameSync(partials[i], target)
          written.push(target)
        })
      } finally {
        for (const p of partials) fs.rmSync(p, { force: true })
      }
      return written
    },
    catch: (e) => new OutputError({ target: dir, detail: `cannot write the output folder: ${(e as Error).message}` })
  })
