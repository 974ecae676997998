/**
 * How many generated cases a property test runs: its count for `npm test` (chosen so the whole suite stays
 * inside two minutes on a quiet 2-core machine), times CASEFLOW_PROPERTY_SCALE when set, e.g. 10 for a
 * longer search before a release (fast-check's seed is random on every run, so CI also searches anew).
 */
export const PROPERTY_SCALE = Math.max(0.01, Number(process.env.CASEFLOW_PROPERTY_SCALE ?? 1) || 1)

export const runs = (n: number): number => Math.max(1, Math.round(n * PROPERTY_SCALE))
