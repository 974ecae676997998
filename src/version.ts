/** caseflow's version, written into every event log header (a test checks it against package.json). */
export const VERSION = "0.1.0"
