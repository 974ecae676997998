/**
 * The dirty-data rules caseflow applies to SSDA903 returns, each with what it does to the data. Where DfE's
 * 903 validator (data-to-insight's csc-validator-be-903) has a rule for the same thing, its code is used
 * (e.g. 356 "date episode ceased is before the date episode started"); caseflow's own rules, for what the
 * validator checks within one year only or not at all (the same episode in two years, a child still in care
 * at 18), have codes starting "CF".
 *
 * Every problem names the file, the line, the child and the rule; nothing is dropped or changed silently.
 */

/** What a rule does with a row it applies to. */
export type Handling =
  | "drop"
  | "truncate"
  | "close at the next start"
  | "map to unknown"
  | "latest year wins"
  | "censor"
  | "ignore"

export interface Rule {
  readonly code: string
  readonly title: string
  readonly handling: Handling
  /** What the handling means for this rule, in a sentence. */
  readonly action: string
}

const rule = (code: string, title: string, handling: Handling, action: string): Rule => ({
  code,
  title,
  handling,
  action
})

/** Every rule. The summary lists them in this order (JavaScript puts the numeric codes first, ascending). */
export const RULES = {
  "102": rule(
    "102",
    "date of birth is missing or not a valid date",
    "map to unknown",
    "the child's age is unknown: left out of estimates by age, kept in all others"
  ),
  "301": rule(
    "301",
    "date of birth is after the end of the collection year",
    "map to unknown",
    "the child's age is unknown: left out of estimates by age, kept in all others"
  ),
  "101": rule("101", "sex is not a valid code for the collection year", "map to unknown", "sex read as unknown"),
  "141": rule("141", "date episode started (DECOM) is missing or not a valid date", "drop", "the episode is left out"),
  "147": rule(
    "147",
    "date episode ceased (DEC) is not a valid date",
    "map to unknown",
    "the episode is read as not ceased (then closed at the next start, or open)"
  ),
  "143": rule("143", "reason for new episode (RNE) is not a valid code", "map to unknown", "RNE read as unknown"),
  "144": rule("144", "legal status (LS) is not a valid code", "map to unknown", "legal status read as unknown"),
  "145": rule(
    "145",
    "category of need (CIN) is not a valid code",
    "map to unknown",
    "category of need read as unknown"
  ),
  "146": rule(
    "146",
    "placement type (PLACE) is not a valid code for the collection year",
    "map to unknown",
    "placement read as other"
  ),
  "149": rule(
    "149",
    "reason episode ceased (REC) is not a valid code",
    "map to unknown",
    "the reason is unknown: a period ending there ends with an unknown exit route"
  ),
  "178": rule(
    "178",
    "placement provider (PLACE_PROVIDER) is not a valid code",
    "map to unknown",
    "provider read as unknown (foster care in-house, residential care external)"
  ),
  "148": rule(
    "148",
    "date episode ceased and reason episode ceased are not both given or both blank",
    "map to unknown",
    "a reason without a date is ignored (the episode is open); a date without a reason has an unknown reason"
  ),
  "356": rule("356", "date episode ceased is before the date episode started", "drop", "the episode is left out"),
  "302": rule("302", "episode started before the child's date of birth", "drop", "the episode is left out"),
  "352": rule(
    "352",
    "child started to be looked after aged 18 or over",
    "drop",
    "the episode is left out (with the rest of its period)"
  ),
  "437": rule(
    "437",
    "further episodes after the child died (E2) or was assessed as 18 or over (E15)",
    "drop",
    "the later episodes are left out"
  ),
  "431": rule(
    "431",
    "reason for new episode is S (started to be looked after) but the previous episode ended the same day",
    "map to unknown",
    "after X1 the RNE is read as a continuation of the period; after a reason ceased, as a new period"
  ),
  "142": rule(
    "142",
    "a new episode started but the previous episode has no end date",
    "close at the next start",
    "the previous episode is read as ending on the day the next began"
  ),
  "501": rule(
    "501",
    "a new episode started before the previous episode ended (an overlap)",
    "truncate",
    "the previous episode is cut short at the start of the next"
  ),
  "502": rule(
    "502",
    "an episode open at the end of last year's return is not in this year's return",
    "censor",
    "the episode is read as open until the end of the last return that holds it (right-censored there)"
  ),
  CF01: rule(
    "CF01",
    "the same episode (CHILD, DECOM) appears twice in one return",
    "drop",
    "one is kept: the one with an end date (the later, if both have one); the others are left out"
  ),
  CF02: rule(
    "CF02",
    "an episode or a child's header differs between collection years",
    "latest year wins",
    "the record in the latest return is used"
  ),
  CF03: rule(
    "CF03",
    "child still in care on or after their 18th birthday",
    "truncate",
    "the period is ended on the 18th birthday, as leaving care at 18"
  ),
  CF04: rule(
    "CF04",
    "episodes of a child with no header row",
    "map to unknown",
    "date of birth and sex unknown: left out of estimates by age"
  ),
  CF05: rule("CF05", "a row without a child identifier (CHILD)", "drop", "the row is left out"),
  CF06: rule(
    "CF06",
    "reason ceased X1 (a new episode the same day) but no episode starts that day",
    "map to unknown",
    "the period of care ends there, with an unknown exit route"
  ),
  CF07: rule(
    "CF07",
    "a period of care whose first episode in the data does not start it (RNE is not S)",
    "map to unknown",
    "its true start is unknown: left out of time-in-care estimates, kept in counts of children in care"
  ),
  CF08: rule(
    "CF08",
    "a header or UASC row for a child with no episodes",
    "ignore",
    "the row is not used (the child has no episode to read)"
  ),
  CF09: rule(
    "CF09",
    "date episode ceased is after the end of the return's collection year",
    "map to unknown",
    "the episode is read as open at the year's end (a later return, if given, says how it ended)"
  ),
  CF10: rule(
    "CF10",
    "an episode starting on or after the child's 18th birthday, in a period that began before it",
    "drop",
    "the episode is left out (the period ended on the 18th birthday: CF03)"
  )
} as const satisfies Record<string, Rule>

export type RuleCode = keyof typeof RULES

/** One problem found in the data: where it is, the rule, and what was found. */
export interface Problem {
  readonly file: string
  /** The physical line in the file (from 1). */
  readonly line: number
  readonly child: string
  readonly rule: RuleCode
  /** The field concerned ("" for a whole row). */
  readonly field: string
  /** The value found (as written; "" when missing). */
  readonly value: string
}

/** Problems counted by rule, in the catalogue's order, with only the rules that apply. */
export const summaryByRule = (
  problems: ReadonlyArray<Problem>
): ReadonlyArray<{ readonly rule: Rule; readonly count: number }> => {
  const counts = new Map<string, number>()
  for (const p of problems) counts.set(p.rule, (counts.get(p.rule) ?? 0) + 1)
  return (Object.keys(RULES) as Array<RuleCode>)
    .filter((c) => counts.has(c))
    .map((c) => ({ rule: RULES[c], count: counts.get(c) ?? 0 }))
}
