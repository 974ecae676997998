/**
 * A progress bar with an ETA, drawn on stderr when stderr is a terminal (and nothing otherwise):
 *
 *   Monte Carlo  412/1,000 [########............]  41%  17.3 runs/s  ETA 0:34
 *
 * Redrawn at most ten times a second; `clear` removes it, so what follows starts on a clean line.
 * Timing uses `performance.now()` (a monotonic clock for the display only; results never see it).
 */
import { grouped } from "../domain/Show.js"

export interface Progress {
  /** One more replication done. */
  readonly tick: () => void
  /** Removes the bar. */
  readonly clear: () => void
}

export const noProgress: Progress = { tick: () => {}, clear: () => {} }

const clock = (seconds: number): string => {
  if (!Number.isFinite(seconds)) return "-:--"
  const s = Math.round(seconds)
  const h = Math.floor(s / 3600)
  const mm = Math.floor((s % 3600) / 60)
  const ss = String(s % 60).padStart(2, "0")
  return h > 0 ? `${h}:${String(mm).padStart(2, "0")}:${ss}` : `${mm}:${ss}`
}

/** A bar for `total` replications on `out`, if it is a terminal. */
export const terminalProgress = (total: number, out: NodeJS.WriteStream = process.stderr): Progress => {
  if (!out.isTTY || total <= 0) return noProgress
  const started = performance.now()
  let done = 0
  let lastDraw = -Infinity
  let drawn = false
  const draw = () => {
    const now = performance.now()
    if (done < total && now - lastDraw < 100) return
    lastDraw = now
    const elapsed = (now - started) / 1000
    const rate = done / Math.max(elapsed, 1e-9)
    const width = 20
    const filled = Math.floor((done / total) * width)
    const bar = "#".repeat(filled) + ".".repeat(width - filled)
    const eta = done > 0 ? clock((total - done) / rate) : "-:--"
    const percent = String(Math.floor((done / total) * 100)).padStart(3)
    const line =
      `Monte Carlo  ${grouped(done)}/${grouped(total)} [${bar}] ${percent}%  ` + `${rate.toFixed(1)} runs/s  ETA ${eta}`
    const columns = out.columns !== undefined && out.columns > 0 ? out.columns : 100
    out.write(`\r${line.slice(0, Math.max(20, columns - 1))}\x1b[K`)
    drawn = true
  }
  draw()
  return {
    tick: () => {
      done++
      draw()
    },
    clear: () => {
      if (drawn) out.write("\r\x1b[K")
      drawn = false
    }
  }
}
