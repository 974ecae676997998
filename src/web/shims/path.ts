/**
 * `node:path` in the page (the web build maps it here): POSIX paths relative to the page's in-memory
 * files, for the scenario loader's `extends` (scenario/Overlay.ts: dirname, join, normalize, isAbsolute,
 * resolve). The working folder is the root of those files.
 */
import { normalisePath } from "../MemoryFiles.js"

export const sep = "/"
export const isAbsolute = (p: string): boolean => p.startsWith("/")
const keepRoot = (p: string, n: string): string => (isAbsolute(p) ? `/${n}` : n === "" ? "." : n)
export const normalize = (p: string): string => keepRoot(p, normalisePath(p))
export const join = (...parts: ReadonlyArray<string>): string => normalize(parts.filter((p) => p !== "").join("/"))
export const dirname = (p: string): string => {
  const n = normalize(p)
  const i = n.lastIndexOf("/")
  return i < 0 ? "." : i === 0 ? "/" : n.slice(0, i)
}
export const basename = (p: string): string => p.slice(p.lastIndexOf("/") + 1)
export const resolve = (...parts: ReadonlyArray<string>): string => {
  let out = ""
  for (const p of parts) out = isAbsolute(p) ? p : out === "" ? p : `${out}/${p}`
  return `/${normalisePath(out)}`
}
export default { sep, isAbsolute, normalize, join, dirname, basename, resolve }
