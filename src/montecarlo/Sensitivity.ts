/**
 * Which uncertain parameters drive the spread of spend: tornado-chart data from the replications' parameter
 * draws and total spend.
 *
 * For each factor (a share group, or an unshared parameter) and each output (total spend in a financial
 * year, or over the whole run):
 * - the partial rank correlation coefficient (PRCC): the correlation between the ranks of the factor and
 *   of spend once the (linear) effect of the other factors' ranks is removed. It measures a monotone
 *   effect, whatever its shape, and is the ranking used;
 * - Spearman's rank correlation, without that adjustment;
 * - the standardised regression coefficient (SRC) of a linear regression of spend on all factors, with
 *   its R² (how much of the spread a linear model explains; the rest is process noise and non-linearity);
 * - the tornado bar: spend predicted by that regression with the factor at its 10th and at its 90th
 *   percentile and every other factor at its mean.
 *
 * Parameters that share a draw are one factor (their ranks are identical), represented by the first
 * member's values. Computed from the records sorted by replication, so the figures do not depend on
 * workers or shards. Needs more replications than factors + 2; otherwise the figures are NaN.
 */

export interface SensitivityRow {
  readonly factor: number
  readonly prcc: number
  readonly spearman: number
  readonly src: number
  /** Predicted spend (same unit as y) with the factor at its 10th / 90th percentile. */
  readonly atP10: number
  readonly atP90: number
}

export interface SensitivityResult {
  readonly rows: ReadonlyArray<SensitivityRow>
  readonly rSquared: number
}

/** Ranks 1..n, ties sharing their average rank. */
export const ranks = (xs: ReadonlyArray<number>): Float64Array => {
  const idx = xs.map((_, i) => i).sort((a, b) => xs[a] - xs[b] || a - b)
  const r = new Float64Array(xs.length)
  let i = 0
  while (i < idx.length) {
    let j = i
    while (j + 1 < idx.length && xs[idx[j + 1]] === xs[idx[i]]) j++
    const avg = (i + j) / 2 + 1
    for (let k = i; k <= j; k++) r[idx[k]] = avg
    i = j + 1
  }
  return r
}

const mean = (xs: ArrayLike<number>): number => {
  let s = 0
  for (let i = 0; i < xs.length; i++) s += xs[i]
  return s / xs.length
}

/** Standardised copy (mean 0, sum of squares n - 1); null if constant. */
const standardise = (xs: ArrayLike<number>): Float64Array | null => {
  const m = mean(xs)
  let ss = 0
  for (let i = 0; i < xs.length; i++) ss += (xs[i] - m) ** 2
  const sd = Math.sqrt(ss / (xs.length - 1))
  if (!(sd > 0)) return null
  return Float64Array.from(xs, (x) => (x - m) / sd)
}

/** Correlation matrix of columns (each standardised). */
const correlations = (cols: ReadonlyArray<Float64Array>): Array<Array<number>> => {
  const n = cols[0].length
  return cols.map((a) =>
    cols.map((b) => {
      let s = 0
      for (let i = 0; i < n; i++) s += a[i] * b[i]
      return s / (n - 1)
    })
  )
}

/** Inverse of a small symmetric matrix by Gauss-Jordan elimination with partial pivoting; null if singular. */
export const invert = (m: ReadonlyArray<ReadonlyArray<number>>): Array<Array<number>> | null => {
  const n = m.length
  const a = m.map((row, i) => [...row, ...row.map((_, j) => (i === j ? 1 : 0))])
  for (let c = 0; c < n; c++) {
    let p = c
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r
    if (Math.abs(a[p][c]) < 1e-12) return null
    ;[a[c], a[p]] = [a[p], a[c]]
    const d = a[c][c]
    for (let j = 0; j < 2 * n; j++) a[c][j] /= d
    for (let r = 0; r < n; r++) {
      if (r === c) continue
      const f = a[r][c]
      if (f !== 0) for (let j = 0; j < 2 * n; j++) a[r][j] -= f * a[c][j]
    }
  }
  return a.map((row) => row.slice(n))
}

/** The p-quantile of a sample by linear interpolation between order statistics (type 7). */
const sampleQuantile = (xs: ReadonlyArray<number>, p: number): number => {
  const s = [...xs].sort((a, b) => a - b)
  const h = (s.length - 1) * p
  const lo = Math.floor(h)
  return s[lo] + (h - lo) * ((s[Math.min(lo + 1, s.length - 1)] ?? s[lo]) - s[lo])
}

/**
 * Sensitivity of y to each factor. `x[j]` holds factor j's values, `y` the output, both in replication
 * order.
 */
export const sensitivity = (x: ReadonlyArray<ReadonlyArray<number>>, y: ReadonlyArray<number>): SensitivityResult => {
  const k = x.length
  const n = y.length
  const none = (j: number): SensitivityRow => ({
    factor: j,
    prcc: NaN,
    spearman: NaN,
    src: NaN,
    atP10: NaN,
    atP90: NaN
  })
  if (k === 0) return { rows: [], rSquared: NaN }
  if (n < k + 3) return { rows: x.map((_, j) => none(j)), rSquared: NaN }
  // Rank-based: PRCC and Spearman.
  const rankCols = [...x.map((c) => standardise(ranks(c))), standardise(ranks(y))]
  const usable = rankCols.map((c) => c !== null)
  const spearman = x.map((_, j) => {
    const a = rankCols[j]
    const b = rankCols[k]
    if (a === null || b === null) return NaN
    let s = 0
    for (let i = 0; i < n; i++) s += a[i] * b[i]
    return s / (n - 1)
  })
  let prcc: Array<number> = x.map(() => NaN)
  if (usable.every((u) => u)) {
    const p = invert(correlations(rankCols as Array<Float64Array>))
    if (p !== null) prcc = x.map((_, j) => -p[j][k] / Math.sqrt(p[j][j] * p[k][k]))
  }
  // Value-based: SRC and the tornado bars.
  const valueCols = [...x.map((c) => standardise(c)), standardise(y)]
  let src: Array<number> = x.map(() => NaN)
  let rSquared = NaN
  if (valueCols.every((c) => c !== null)) {
    const r = correlations(valueCols as Array<Float64Array>)
    const rxx = r.slice(0, k).map((row) => row.slice(0, k))
    const inv = invert(rxx)
    if (inv !== null) {
      src = inv.map((row) => row.reduce((s, v, j) => s + v * r[j][k], 0))
      rSquared = src.reduce((s, b, j) => s + b * r[j][k], 0)
    }
  }
  const my = mean(y)
  const sdOf = (xs: ReadonlyArray<number>) => {
    const m = mean(xs)
    return Math.sqrt(xs.reduce((s, v) => s + (v - m) ** 2, 0) / (xs.length - 1))
  }
  const sy = sdOf(y)
  const rows = x.map((col, j) => {
    const sx = sdOf(col)
    const slope = Number.isFinite(src[j]) && sx > 0 ? (src[j] * sy) / sx : NaN
    const m = mean(col)
    return {
      factor: j,
      prcc: prcc[j],
      spearman: spearman[j],
      src: src[j],
      atP10: my + slope * (sampleQuantile(col, 0.1) - m),
      atP90: my + slope * (sampleQuantile(col, 0.9) - m)
    }
  })
  return { rows, rSquared }
}

/** Rows ranked by |PRCC| (largest first; NaN last; ties by factor order). */
export const ranked = (rows: ReadonlyArray<SensitivityRow>): Array<SensitivityRow> =>
  [...rows].sort((a, b) => {
    const x = Number.isNaN(a.prcc) ? -1 : Math.abs(a.prcc)
    const y = Number.isNaN(b.prcc) ? -1 : Math.abs(b.prcc)
    return y - x || a.factor - b.factor
  })
