/**
 * Checks that span fields, after the Schema has checked each field on its own: shares and probabilities
 * that add up to 1, age bands that cover every age a child can have, moves the level graph allows,
 * budget lines that exist. Each problem names the field's path, what was expected and what was found.
 *
 * The checks run on whatever parts of a scenario decoded (`ScenarioParts`): a type error in one part does
 * not hide the cross-field problems of the others, so `validate` reports every problem in one pass. A check
 * that needs a whole list (every budget line, every service's name) runs only when that list decoded whole.
 */
import {
  ALLOWED_MOVES,
  CLOSURE_REASONS,
  HELP_LEVELS,
  LEFT_CARE_REASONS,
  PLACEMENTS,
  STATES,
  type ChildState
} from "../domain/Level.js"
import type {
  AgeBand,
  CareExit,
  CareExitTable,
  CareLeaverSpec,
  DatedChange,
  DistributionSpec,
  DurationSpec,
  FixedCost,
  LegalStatusMix,
  HelpLevelSpec,
  Intervention,
  LookedAfterSpec,
  OneOffCost,
  Outcome,
  OutcomeTable,
  PlacementMix,
  Population,
  PopulationByAge,
  PlacementMixTable,
  Referrals,
  Service,
  StartingGroup,
  Team,
  AgeShare,
  History,
  PreviousHistory,
  Uasc,
  WeeklyCost
} from "./Scenario.js"
import { addYears, epochDay, isCalendarDate } from "../domain/Calendar.js"
import { show } from "../domain/Show.js"
import { closest } from "./Problems.js"
import { type BudgetLine, financialYearProblem, staffLineNames } from "./Scenario.js"

/** A list of which some entries did not decode (undefined, at their own index). */
export type Holes<T> = ReadonlyArray<T | undefined>

/** The parts of a scenario that decoded; a whole `Scenario` is one (with every part). */
export interface ScenarioParts {
  readonly start?: string
  readonly population?: Partial<Population>
  /** Whether the scenario gives `referrals.ratePer10k` and `referrals.contacts` (each may be there but not
   * decode). */
  readonly referrals?: Partial<Referrals> & { readonly ratePer10kGiven?: boolean; readonly contactsGiven?: boolean }
  readonly uasc?: Uasc
  readonly levels?: {
    readonly early_help?: Partial<HelpLevelSpec>
    readonly intensive_family_support?: Partial<HelpLevelSpec>
    readonly child_in_need?: Partial<HelpLevelSpec>
    readonly child_protection?: Partial<HelpLevelSpec>
    readonly looked_after?: Partial<Omit<LookedAfterSpec, "placements">> & {
      readonly placements?: Partial<LookedAfterSpec["placements"]>
      /** Whether the scenario gives legalStatus at all (it may be there but not decode). */
      readonly legalStatusGiven?: boolean
    }
    readonly care_leaver?: CareLeaverSpec
  }
  readonly startingCaseload?: Holes<StartingGroup>
  readonly budgetLines?: Holes<typeof BudgetLine.Type>
  readonly costs?: {
    readonly weekly?: Holes<WeeklyCost>
    readonly oneOff?: Holes<OneOffCost>
    readonly fixed?: Holes<FixedCost>
  }
  readonly services?: Holes<Service>
  readonly interventions?: Holes<Intervention>
  readonly workforce?: Holes<Team>
  readonly changes?: Holes<DatedChange>
  readonly history?: History
}

/** Levels an intervention can be offered at to children already there (`openCases`). */
const OPEN_CASE_LEVELS: ReadonlyArray<ChildState> = [...HELP_LEVELS, "looked_after"]

/** Whether every entry of a list decoded. */
const whole = <T>(xs: Holes<T> | undefined): xs is ReadonlyArray<T> =>
  xs !== undefined && xs.every((x) => x !== undefined)

/** Each entry that decoded, with its index. */
const each = <T>(xs: Holes<T> | undefined, f: (x: T, i: number) => void): void =>
  xs?.forEach((x, i) => {
    if (x !== undefined) f(x, i)
  })

export interface Problem {
  readonly path: ReadonlyArray<string | number>
  readonly message: string
}

/** Shares may be rounded in a council's papers: this much slack either side of 1 is accepted. */
export const SUM_TOLERANCE = 0.005

const fmt = (x: number): string => String(Math.round(x * 1e6) / 1e6)

export const validateScenario = (s: ScenarioParts): ReadonlyArray<Problem> => {
  const problems: Array<Problem> = []
  const add = (path: ReadonlyArray<string | number>, message: string) => problems.push({ path, message })

  const sumsToOne = (path: ReadonlyArray<string | number>, values: ReadonlyArray<number>, what: string) => {
    const total = values.reduce((a, b) => a + b, 0)
    if (Math.abs(total - 1) > SUM_TOLERANCE) add(path, `expected the ${what} to add up to 1, found ${fmt(total)}`)
  }

  const bandsCover = (path: ReadonlyArray<string | number>, bands: ReadonlyArray<AgeBand>, lo: number, hi: number) => {
    const seen = new Map<number, number>()
    bands.forEach(([a, b], i) => {
      if (a > b) add([...path, i, "ages"], `expected [youngest, oldest], found [${a}, ${b}]`)
      for (let age = a; age <= b; age++) {
        const first = seen.get(age)
        if (first !== undefined)
          add([...path, i, "ages"], `expected age bands that do not overlap; age ${age} is also in band ${first}`)
        else seen.set(age, i)
      }
    })
    const missing: Array<number> = []
    for (let age = lo; age <= hi; age++) if (!seen.has(age)) missing.push(age)
    if (missing.length > 0) add(path, `expected age bands covering ages ${lo}-${hi}; missing ${missing.join(", ")}`)
  }

  /** A starting group known child by child: born before the start, aged within `ages` on it, the episode
   * begun between birth and the start, and either `since` or `elapsed`, not both. */
  const knownChild = (path: ReadonlyArray<string | number>, g: StartingGroup, lo: number, hi: number) => {
    const start = s.start
    if (start === undefined || !isCalendarDate(start)) return
    const startDay = epochDay(start)
    const born = g.dateOfBirth !== undefined && isCalendarDate(g.dateOfBirth) ? epochDay(g.dateOfBirth) : null
    if (born !== null) {
      if (born >= startDay)
        add([...path, "dateOfBirth"], `expected a date before the start (${start}), found ${g.dateOfBirth}`)
      else {
        let age = Math.floor((startDay - born) / 365.25)
        if (addYears(born, age + 1) <= startDay) age += 1
        else if (age > 0 && addYears(born, age) > startDay) age -= 1
        if (age < lo || age > hi)
          add(
            [...path, "dateOfBirth"],
            `expected a child aged within ages [${lo}, ${hi}] on the start (${start}), found ${g.dateOfBirth} ` +
              `(aged ${age})`
          )
      }
    }
    if (g.since === undefined || !isCalendarDate(g.since)) return
    if (g.elapsed !== undefined)
      add([...path, "since"], "expected since or elapsed, not both (since is the day the episode began)")
    const since = epochDay(g.since)
    if (since > startDay)
      add([...path, "since"], `expected a date no later than the start (${start}), found ${g.since}`)
    else if (born !== null && since < born)
      add([...path, "since"], `expected a date no earlier than dateOfBirth (${g.dateOfBirth}), found ${g.since}`)
  }

  /** `stay`: a time at a level or in a placement, which must be above 0 (zero-length stays could cycle
   * forever at one instant). */
  const distribution = (path: ReadonlyArray<string | number>, d: DistributionSpec, stay = false) => {
    if (stay && d.type === "fixed" && d.value <= 0)
      add([...path, "value"], `expected a time above 0 for a stay, found ${d.value}`)
    if (d.type === "lognormal" && d.sd > 1000 * d.mean)
      add([...path, "sd"], `expected an sd at most 1,000 times the mean (${fmt(d.mean)}), found ${fmt(d.sd)}`)
    if (d.type === "empirical") {
      let prev = d.from ?? 0
      d.bins.forEach((b, i) => {
        if (b.upTo <= prev)
          add(
            [...path, "bins", i, "upTo"],
            `expected bin edges that increase, found ${b.upTo} after ${prev} ` +
              `(${i === 0 ? "from" : `bins[${i - 1}].upTo`})`
          )
        prev = b.upTo
      })
      sumsToOne(
        [...path, "bins"],
        d.bins.map((b) => b.share),
        "bin shares"
      )
    }
  }

  /** An age within a band: a law that gives the band some chance (its quantiles are cut at the band's end). */
  const previousHistory = (path: ReadonlyArray<string | number>, h: PreviousHistory) => {
    for (const key of ["previousCpPlans", "previousCareEpisodes"] as const) {
      const shares = h[key]
      if (shares !== undefined)
        sumsToOne([...path, key], [shares.none, shares.one, shares.twoOrMore], "shares of none, one and two or more")
    }
  }
  const withinBand = (path: ReadonlyArray<string | number>, d: DistributionSpec, band: AgeBand) => {
    distribution(path, d)
    const years = band[1] - band[0] + 1
    const days = { days: 1, weeks: 7, months: 365.25 / 12, years: 365.25 }[d.unit ?? "days"]
    // The continuous laws start at 0; a fixed value or an empirical law's first edge may lie past the band.
    const first = d.type === "fixed" ? d.value : d.type === "empirical" ? (d.from ?? 0) : 0
    if (first * days >= years * 365.25 - 3)
      add(
        path,
        `expected an age within the band's ${years} year${years === 1 ? "" : "s"} ` +
          `(at most ${fmt((years * 365.25 - 3) / days)} ${d.unit ?? "days"} past its youngest birthday), ` +
          `found ${fmt(first)}`
      )
  }

  const duration = (path: ReadonlyArray<string | number>, d: DurationSpec, lo: number, hi: number) => {
    if ("byAge" in d) {
      bandsCover(
        [...path, "byAge"],
        d.byAge.map((b) => b.ages),
        lo,
        hi
      )
      d.byAge.forEach((b, i) => distribution([...path, "byAge", i, "duration"], b.duration, true))
    } else distribution(path, d, true)
  }

  const outcomes = (
    path: ReadonlyArray<string | number>,
    from: ChildState,
    table: OutcomeTable,
    lo: number,
    hi: number
  ) => {
    const check = (p: ReadonlyArray<string | number>, list: ReadonlyArray<Outcome>) => {
      sumsToOne(
        p,
        list.map((o) => o.probability),
        "outcome probabilities"
      )
      list.forEach((o, i) => {
        if (!ALLOWED_MOVES[from].includes(o.to))
          add(
            [...p, i, "to"],
            `expected one of ${ALLOWED_MOVES[from].join(", ")} (moves allowed from ${from}), found ${o.to}`
          )
        if (o.reason !== undefined && o.to !== "universal" && o.to !== "exited")
          add([...p, i, "reason"], `a closure reason applies only when to is universal or exited, found to: ${o.to}`)
        if (o.reason === "turned_18")
          add([...p, i, "reason"], "turned_18 happens by itself at the 18th birthday; expected another reason")
      })
    }
    if ("byAge" in table) {
      bandsCover(
        [...path, "byAge"],
        table.byAge.map((b) => b.ages),
        lo,
        hi
      )
      table.byAge.forEach((b, i) => check([...path, "byAge", i, "outcomes"], b.outcomes))
    } else check(path, table)
  }

  const careExits = (path: ReadonlyArray<string | number>, table: CareExitTable) => {
    const check = (p: ReadonlyArray<string | number>, list: ReadonlyArray<CareExit>) => {
      sumsToOne(
        p,
        list.map((o) => o.probability),
        "outcome probabilities"
      )
      list.forEach((o, i) => {
        if (o.reason === "turned_18")
          add([...p, i, "reason"], "turned_18 happens by itself at the 18th birthday; expected another reason")
        if ((o.reason === "adopted" || o.reason === "special_guardianship") && o.to !== "exited")
          add(
            [...p, i, "to"],
            `a child who leaves care by ${o.reason} leaves the model; expected exited, found ${o.to}`
          )
      })
    }
    if ("byAge" in table) {
      bandsCover(
        [...path, "byAge"],
        table.byAge.map((b) => b.ages),
        0,
        17
      )
      table.byAge.forEach((b, i) => check([...path, "byAge", i, "outcomes"], b.outcomes))
    } else check(path, table)
  }

  const mix = (path: ReadonlyArray<string | number>, m: PlacementMix) =>
    sumsToOne(
      path,
      Object.values(m).map((v) => v ?? 0),
      "placement shares"
    )
  const mixTable = (path: ReadonlyArray<string | number>, t: PlacementMixTable) => {
    if ("byAge" in t && Array.isArray(t.byAge)) {
      const bands = t.byAge as ReadonlyArray<{ readonly ages: AgeBand; readonly mix: PlacementMix }>
      bandsCover(
        [...path, "byAge"],
        bands.map((b) => b.ages),
        0,
        17
      )
      bands.forEach((b, i) => mix([...path, "byAge", i, "mix"], b.mix))
    } else mix(path, t as PlacementMix)
  }

  // Referrals
  const r = s.referrals ?? {}
  if (r.ageAtReferral !== undefined) {
    bandsCover(
      ["referrals", "ageAtReferral"],
      r.ageAtReferral.map((b) => b.ages),
      0,
      17
    )
    sumsToOne(
      ["referrals", "ageAtReferral"],
      r.ageAtReferral.map((b) => b.share),
      "age shares"
    )
    r.ageAtReferral.forEach((b, i) => {
      if (b.within !== undefined) withinBand(["referrals", "ageAtReferral", i, "within"], b.within, b.ages)
    })
  }
  if (r.frontDoor !== undefined) outcomes(["referrals", "frontDoor"], "universal", r.frontDoor, 0, 17)
  if (r.preBirth !== undefined) {
    const d = r.preBirth.before
    distribution(["referrals", "preBirth", "before"], d)
    const days = { days: 1, weeks: 7, months: 365.25 / 12, years: 365.25 }[d.unit ?? "days"]
    const first = d.type === "fixed" ? d.value : d.type === "empirical" ? (d.from ?? 0) : 0
    if (first * days > 280)
      add(
        ["referrals", "preBirth", "before"],
        `expected a time before birth of at most 40 weeks (280 days), found ${fmt(first)} ${d.unit ?? "days"}`
      )
  }
  if (r.reReferral !== undefined) distribution(["referrals", "reReferral", "after"], r.reReferral.after)
  if (r.families !== undefined) {
    sumsToOne(["referrals", "families", "size"], r.families.size, "family size shares")
    distribution(["referrals", "families", "spacing"], r.families.spacing)
  }
  r.changes?.forEach((c, i) => {
    if (c.until !== undefined && c.until <= c.from)
      add(["referrals", "changes", i, "until"], `expected an end after the change's date (${c.from}), found ${c.until}`)
  })
  if (r.seasonality !== undefined && r.seasonality.every((x) => x === 0))
    add(["referrals", "seasonality"], "expected at least one month with a weight above 0")
  demand(s, add, bandsCover)

  // Unaccompanied asylum-seeking children
  const u = s.uasc
  if (u !== undefined) {
    const path = ["uasc"]
    sumsToOne(
      [...path, "ageAtArrival"],
      u.ageAtArrival.map((b) => b.share),
      "age shares"
    )
    const seen = new Map<number, number>()
    u.ageAtArrival.forEach((b, i) => {
      const [lo, hi] = b.ages
      if (lo > hi) add([...path, "ageAtArrival", i, "ages"], `expected [youngest, oldest], found [${lo}, ${hi}]`)
      else if (hi > 17)
        add([...path, "ageAtArrival", i, "ages"], `expected ages of children (0-17), found [${lo}, ${hi}]`)
      for (let a = lo; a <= hi; a++) {
        if (seen.has(a))
          add(
            [...path, "ageAtArrival", i, "ages"],
            `expected age bands that do not overlap; age ${a} is also in band ${seen.get(a)}`
          )
        seen.set(a, i)
      }
      if (b.within !== undefined) withinBand([...path, "ageAtArrival", i, "within"], b.within, b.ages)
    })
    u.changes.forEach((c, i) => {
      if (c.until !== undefined && c.until <= c.from)
        add([...path, "changes", i, "until"], `expected an end after the change's date (${c.from}), found ${c.until}`)
    })
    mixTable([...path, "placements"], u.placements)
    if (u.duration !== undefined) duration([...path, "duration"], u.duration, 0, 17)
    if (u.outcomes !== undefined) careExits([...path, "outcomes"], u.outcomes)
  }

  // Levels
  for (const level of HELP_LEVELS) {
    const l = s.levels?.[level]
    if (l === undefined) continue
    if (l.duration !== undefined) duration(["levels", level, "duration"], l.duration, 0, 17)
    if (l.outcomes !== undefined) outcomes(["levels", level, "outcomes"], level, l.outcomes, 0, 17)
    if (l.reReferral) distribution(["levels", level, "reReferral", "after"], l.reReferral.after)
  }
  const la = s.levels?.looked_after
  if (la?.duration !== undefined) duration(["levels", "looked_after", "duration"], la.duration, 0, 17)
  if (la?.outcomes !== undefined) careExits(["levels", "looked_after", "outcomes"], la.outcomes)
  if (la?.placements?.onEntry !== undefined)
    mixTable(["levels", "looked_after", "placements", "onEntry"], la.placements.onEntry)
  for (const [placement, move] of Object.entries(la?.placements?.moves ?? {})) {
    if (move === undefined) continue
    distribution(["levels", "looked_after", "placements", "moves", placement, "after"], move.after, true)
    mix(["levels", "looked_after", "placements", "moves", placement, "to"], move.to)
  }
  const ages = new Map<number, number>()
  la?.placements?.atAge?.forEach((rule, i) => {
    const p = ["levels", "looked_after", "placements", "atAge", i]
    mix([...p, "to"], rule.to)
    const prior = ages.get(rule.age)
    if (prior !== undefined) add([...p, "age"], `expected one move rule per age; ${rule.age} is also atAge[${prior}]`)
    ages.set(rule.age, i)
  })
  const legal = la?.legalStatus
  if (legal !== undefined) {
    const path = ["levels", "looked_after", "legalStatus"]
    const statusMix = (p: ReadonlyArray<string | number>, m: LegalStatusMix) =>
      sumsToOne(
        p,
        Object.values(m).map((v) => v ?? 0),
        "legal status shares"
      )
    const last = legal.onEntry.length - 1
    legal.onEntry.forEach((row, i) => {
      const p = [...path, "onEntry", i]
      statusMix([...p, "mix"], row.mix)
      if (row.ages !== undefined && row.ages[0] > row.ages[1])
        add([...p, "ages"], `expected [youngest, oldest], found [${row.ages[0]}, ${row.ages[1]}]`)
      const conditions = (["from", "via", "ages"] as const).filter((k) => row[k] !== undefined)
      if (i === last && conditions.length > 0)
        add(
          p,
          `expected the last row to match every child coming into care (no from, via or ages: the status of ` +
            `children no earlier row matches), found ${conditions.join(", ")}`
        )
    })
    for (const [code, change] of Object.entries(legal.changes ?? {})) {
      if (change === undefined) continue
      const p = [...path, "changes", code]
      distribution([...p, "after"], change.after, true)
      statusMix([...p, "to"], change.to)
      if ((change.to[code as keyof LegalStatusMix] ?? 0) > 0)
        add([...p, "to", code], `expected a change to another status than ${code} itself`)
    }
    for (const [code, rule] of Object.entries(legal.byStatus ?? {})) {
      if (rule === undefined) continue
      const p = [...path, "byStatus", code]
      if (rule.duration !== undefined) duration([...p, "duration"], rule.duration, 0, 17)
      if (rule.outcomes !== undefined) careExits([...p, "outcomes"], rule.outcomes)
      if (rule.placement !== undefined) mix([...p, "placement", "to"], rule.placement.to)
    }
  }
  const cl = s.levels?.care_leaver
  if (cl !== undefined) {
    if (cl.supportEndsAt < 18)
      add(["levels", "care_leaver", "supportEndsAt"], `expected an age of 18 or more, found ${cl.supportEndsAt}`)
    if (cl.extendedTo < cl.supportEndsAt)
      add(
        ["levels", "care_leaver", "extendedTo"],
        `expected an age no lower than supportEndsAt (${cl.supportEndsAt}), found ${cl.extendedTo}`
      )
    if (cl.endsEarly) distribution(["levels", "care_leaver", "endsEarly"], cl.endsEarly)
    const sp = cl.stayingPut
    if (sp !== undefined) {
      if (sp.untilAge < 18 || sp.untilAge > cl.extendedTo)
        add(
          ["levels", "care_leaver", "stayingPut", "untilAge"],
          `expected an age from 18 to extendedTo (${cl.extendedTo}), found ${sp.untilAge}`
        )
      if (sp.endsEarly) distribution(["levels", "care_leaver", "stayingPut", "endsEarly"], sp.endsEarly, true)
    }
  }

  const entryAges = (path: ReadonlyArray<string | number>, bands: ReadonlyArray<AgeShare>) => {
    bands.forEach((b, k) => {
      if (b.ages[0] > b.ages[1] || b.ages[1] > 17)
        add([...path, k, "ages"], `expected [youngest, oldest] within 0-17, found [${b.ages.join(", ")}]`)
      else if (b.within !== undefined) withinBand([...path, k, "within"], b.within, b.ages)
    })
    sumsToOne(
      path,
      bands.map((b) => b.share),
      "age on entry shares"
    )
  }
  if (la?.ageOnEntry !== undefined) entryAges(["levels", "looked_after", "ageOnEntry"], la.ageOnEntry)

  // Starting caseload
  each(s.startingCaseload, (g, i) => {
    const path = ["startingCaseload", i]
    if (g.level === "looked_after" && g.placement === undefined)
      add([...path, "placement"], "expected a placement type for looked-after children, found none")
    if (g.level !== "looked_after" && g.placement !== undefined)
      add([...path, "placement"], `a placement applies only to looked_after, found level ${g.level}`)
    const [lo, hi] = g.ages
    // A care leaver's oldest age depends on care_leaver.extendedTo: unknown if that did not decode.
    const maxAge = g.level === "care_leaver" ? (cl === undefined ? 25 : cl.extendedTo - 1) : 17
    const minAge = g.level === "care_leaver" ? 16 : 0
    if (lo > hi) add([...path, "ages"], `expected [youngest, oldest], found [${lo}, ${hi}]`)
    else if (lo < minAge || hi > maxAge)
      add([...path, "ages"], `expected ages within ${minAge}-${maxAge} for ${g.level}, found [${lo}, ${hi}]`)
    if (g.elapsed) distribution([...path, "elapsed"], g.elapsed)
    knownChild(path, g, lo, hi)
    if (g.within !== undefined) withinBand([...path, "within"], g.within, g.ages)
    if (g.legalStatus !== undefined) {
      if (g.level !== "looked_after")
        add([...path, "legalStatus"], `a legal status applies only to looked_after, found level ${g.level}`)
      else if (
        s.levels !== undefined &&
        la !== undefined &&
        la.legalStatus === undefined &&
        la.legalStatusGiven !== true
      )
        add(
          [...path, "legalStatus"],
          "a legal status needs levels.looked_after.legalStatus (the statuses' changes and rules), found none"
        )
      sumsToOne(
        [...path, "legalStatus"],
        Object.values(g.legalStatus).map((v) => v ?? 0),
        "legal status shares"
      )
    }
    if (g.history !== undefined) previousHistory([...path, "history"], g.history)
    if (g.uasc === true) {
      if (g.level !== "looked_after" && g.level !== "care_leaver")
        add([...path, "uasc"], `UASC applies only to looked_after and care_leaver, found level ${g.level}`)
      else if (s.uasc === undefined)
        add([...path, "uasc"], "a starting group of UASC needs uasc (their arrivals, placements and costs), found none")
    }
    if (g.ageOnEntry !== undefined) {
      if (g.level !== "looked_after")
        add([...path, "ageOnEntry"], `an age on entry into care applies only to looked_after, found level ${g.level}`)
      else if (g.elapsed !== undefined || g.since !== undefined)
        add(
          [...path, "ageOnEntry"],
          "an age on entry is for drawing the time already in care: give it, or elapsed / since, not both"
        )
      entryAges([...path, "ageOnEntry"], g.ageOnEntry)
    }
    if (g.families === true) {
      if (g.level === "universal")
        add([...path, "families"], "sibling groups open at the start are at a level: closed cases have none")
      else if (g.uasc === true) add([...path, "families"], "unaccompanied asylum-seeking children have no families")
      else if (s.referrals !== undefined && s.referrals.families === undefined)
        add(
          [...path, "families"],
          "sibling groups in the opening caseload take their sizes from referrals.families, found none"
        )
    }
  })
  if (s.history?.newReferrals !== undefined) previousHistory(["history", "newReferrals"], s.history.newReferrals)

  // Budgets by financial year
  each(s.budgetLines, (b, i) => {
    for (const label of Object.keys(b.budget ?? {})) {
      const problem = financialYearProblem(label)
      if (problem !== null) add(["budgetLines", i, "budget", label], `${problem}, found ${show(label)}`)
    }
  })

  // Costs
  const declared = whole(s.budgetLines) ? new Set(s.budgetLines.map((b) => b.name)) : new Set<string>()
  const budgetLine = (path: ReadonlyArray<string | number>, name: string) => {
    if (declared.size > 0 && !declared.has(name)) {
      const near = closest(name, [...declared])
      add(
        path,
        `expected one of the budget lines declared in budgetLines (${[...declared].join("; ")}), found "${name}"` +
          (near !== undefined ? ` (did you mean "${near}"?)` : "")
      )
    }
  }
  each(s.costs?.weekly, (c, i) => {
    const path = ["costs", "weekly", i]
    budgetLine([...path, "budgetLine"], c.budgetLine)
    if (c.legalStatus !== undefined) {
      // A line by legal status: looked-after children holding one of the statuses, in any placement.
      if (c.placement !== undefined || (c.level !== undefined && c.level !== "looked_after"))
        add(
          [...path, "legalStatus"],
          "a weekly cost by legal status applies to looked-after children in any placement: give no placement, " +
            "and no level or level: looked_after"
        )
      else if (la !== undefined && la.legalStatus === undefined && la.legalStatusGiven !== true)
        add(
          [...path, "legalStatus"],
          "a weekly cost by legal status needs levels.looked_after.legalStatus (the statuses), found none"
        )
    } else if ((c.level === undefined) === (c.placement === undefined))
      add(path, "expected exactly one of level or placement (a placement cost applies to looked-after children in it)")
  })
  each(s.costs?.oneOff, (c, i) => {
    budgetLine(["costs", "oneOff", i, "budgetLine"], c.budgetLine)
    if (c.on.legalStatus !== undefined && c.on.event !== undefined && c.on.event !== "LegalStatusChanged")
      add(
        ["costs", "oneOff", i, "on", "legalStatus"],
        `a legal status is set by LegalStatusChanged events only; expected event: LegalStatusChanged or no event, ` +
          `found event: ${c.on.event}`
      )
    if (
      c.on.legalStatus !== undefined &&
      la !== undefined &&
      la.legalStatus === undefined &&
      la.legalStatusGiven !== true
    )
      add(["costs", "oneOff", i, "on", "legalStatus"], NO_LEGAL_STATUS)
  })
  each(s.costs?.fixed, (c, i) => budgetLine(["costs", "fixed", i, "budgetLine"], c.budgetLine))
  s.levels?.care_leaver?.stayingPut?.costs.forEach((c, i) =>
    budgetLine(["levels", "care_leaver", "stayingPut", "costs", i, "budgetLine"], c.budgetLine)
  )
  s.uasc?.costs.forEach((c, i) => budgetLine(["uasc", "costs", i, "budgetLine"], c.budgetLine))
  s.uasc?.grants.forEach((c, i) => budgetLine(["uasc", "grants", i, "budgetLine"], c.budgetLine))
  const names = new Map<string, string>()
  for (const [kind, list] of [
    ["weekly", s.costs?.weekly],
    ["oneOff", s.costs?.oneOff],
    ["fixed", s.costs?.fixed]
  ] as const) {
    each<{ readonly name: string }>(list, (c, i) => {
      const prior = names.get(c.name)
      if (prior !== undefined)
        add(["costs", kind, i, "name"], `expected a unique cost line name; "${c.name}" is also ${prior}`)
      else names.set(c.name, `costs.${kind}[${i}]`)
    })
  }
  services(s, add, budgetLine, distribution)
  problems.push(...validateWorkforce(s))
  changes(s, add)
  return problems
}

const KINDS = ["price", "duration", "outcome", "placementMix"] as const

/** Dated changes: one thing each, a multiplier where it takes one, a window, lines that exist. */
const changes = (s: ScenarioParts, add: Add) => {
  const lines = new Set<string>()
  each(s.costs?.weekly, (c) => lines.add(c.name))
  each(s.costs?.oneOff, (c) => lines.add(c.name))
  const linesWhole = whole(s.costs?.weekly) && whole(s.costs?.oneOff)
  each(s.changes, (c, i) => {
    const path = ["changes", i]
    const given = KINDS.filter((k) => c[k] !== undefined)
    if (given.length !== 1) {
      add(
        path,
        `expected exactly one of price, duration, outcome or placementMix (what changes), found ` +
          (given.length === 0 ? "none" : given.join(", "))
      )
      return
    }
    const kind = given[0]
    if (kind === "placementMix") {
      if (c.multiplier !== undefined)
        add([...path, "multiplier"], "placementMix gives a multiplier per placement type: expected no multiplier")
    } else if (c.multiplier === undefined) add(path, `expected a multiplier for the ${kind} change`)
    if (c.until !== undefined && c.until < c.from)
      add([...path, "until"], `expected until on or after from (${c.from}), found ${c.until}`)
    if (kind === "price") {
      const p = c.price!
      const which = (["line", "placement", "level"] as const).filter((k) => p[k] !== undefined)
      if (which.length !== 1)
        add(
          [...path, "price"],
          "expected exactly one of line (a weekly or one-off cost line by name), placement or level (the weekly " +
            `lines of a placement type or a level), found ${which.length === 0 ? "none" : which.join(", ")}`
        )
      else if (p.line !== undefined && linesWhole && !lines.has(p.line))
        add(
          [...path, "price", "line"],
          `expected the name of a weekly or one-off cost line (${[...lines].join("; ") || "none declared"}), ` +
            `found "${p.line}"`
        )
      // Prices are by month: a change runs for whole months.
      if (!c.from.endsWith("-01"))
        add(
          [...path, "from"],
          `a price changes from the first day of a month: expected a date like 2026-04-01, found ${c.from}`
        )
      if (c.until !== undefined && isCalendarDate(c.until) && !isLastDayOfMonth(c.until))
        add(
          [...path, "until"],
          `a price change runs to the last day of a month: expected a date like 2027-03-31, found ${c.until}`
        )
    }
    if (kind === "outcome") {
      const o = c.outcome!
      const allowed = ALLOWED_MOVES[o.level].filter((x) => x !== o.level)
      if (!allowed.includes(o.to))
        add(
          [...path, "outcome", "to"],
          `expected a move allowed from ${o.level} (${allowed.join(", ")}), found ${o.to}`
        )
    }
  })
}

const isLastDayOfMonth = (iso: string): boolean => {
  const next = new Date(epochDay(iso) * 86_400_000 + 86_400_000).toISOString()
  return next.slice(8, 10) === "01"
}

const NO_LEGAL_STATUS =
  "a legal status needs levels.looked_after.legalStatus (the statuses children have), found none: no child has one"

type Add = (path: ReadonlyArray<string | number>, message: string) => void

/** Capacity-limited services and interventions. */
const services = (
  s: ScenarioParts,
  add: Add,
  budgetLine: (path: ReadonlyArray<string | number>, name: string) => void,
  distribution: (path: ReadonlyArray<string | number>, d: DistributionSpec, stay?: boolean) => void
) => {
  const serviceNames = new Map<string, number>()
  const byLevel = new Map<string, number>()
  const byPlacement = new Map<string, number>()
  each(s.services, (sv, i) => {
    const path = ["services", i]
    if (serviceNames.has(sv.name))
      add(
        [...path, "name"],
        `expected a unique service name; "${sv.name}" is also services[${serviceNames.get(sv.name)}]`
      )
    serviceNames.set(sv.name, i)
    if ((sv.level === undefined) === (sv.placement === undefined)) {
      add(
        path,
        "expected exactly one of level (children at a level take places) or placement (children in a placement type " +
          "take places)"
      )
      return
    }
    if (sv.counts === "families" && s.referrals !== undefined && s.referrals.families === undefined)
      add(
        [...path, "counts"],
        "expected children: a service counts families only in a scenario with sibling groups (referrals.families)"
      )
    const key = sv.level ?? sv.placement!
    const seen = sv.level !== undefined ? byLevel : byPlacement
    if (seen.has(key))
      add(path, `expected one service per level or placement; ${key} is also services[${seen.get(key)}]`)
    seen.set(key, i)
    const wf = sv.whenFull
    if (sv.placement !== undefined) {
      if (wf.action !== "alternative" || !(PLACEMENTS as ReadonlyArray<string>).includes(wf.to))
        add(
          [...path, "whenFull"],
          "expected { action: alternative, to: <placement type> } for a placement service (a child needing a " +
            "placement is placed elsewhere, not kept waiting)"
        )
      else if (wf.to === sv.placement)
        add([...path, "whenFull", "to"], `expected another placement type than ${sv.placement}`)
    } else {
      if (wf.action !== "wait") {
        if (!(STATES as ReadonlyArray<string>).includes(wf.to))
          add([...path, "whenFull", "to"], `expected a level of need for a level service, found ${wf.to}`)
        else if (wf.to === sv.level) add([...path, "whenFull", "to"], `expected another level than ${sv.level} itself`)
        else if (wf.to === "care_leaver" || wf.to === "exited")
          add([...path, "whenFull", "to"], `expected universal, a help level or looked_after, found ${wf.to}`)
      }
      if (wf.action === "escalate") distribution([...path, "whenFull", "after"], wf.after, true)
    }
    if (sv.queue === "priority" && (sv.priority === undefined || sv.priority.length === 0))
      add([...path, "priority"], "expected the levels in priority order (highest first) for queue: priority")
    if (sv.queue !== "priority" && sv.priority !== undefined)
      add([...path, "priority"], "priority applies only with queue: priority")
  })
  // Overflow between placement services, and alternatives between level services, must end somewhere
  // without a capacity: no cycles.
  const noCycles = (key: "placement" | "level", byKey: Map<string, number>, what: string) =>
    each(s.services, (sv, i) => {
      const own = sv[key]
      if (own === undefined || sv.whenFull.action !== "alternative") return
      const chain: Array<string> = [own]
      let next: string = sv.whenFull.to
      while (byKey.has(next)) {
        if (chain.includes(next)) {
          add(
            ["services", i, "whenFull", "to"],
            `expected ${what} without a capacity; found a cycle ${[...chain, next].join(" -> ")}`
          )
          break
        }
        chain.push(next)
        const w = s.services?.[byKey.get(next)!]?.whenFull
        if (w === undefined || w.action !== "alternative") break
        next = w.to
      }
    })
  noCycles("placement", byPlacement, "overflow that ends in a placement type")
  noCycles("level", byLevel, "alternatives that end at a level")
  const ivNames = new Map<string, number>()
  const servicesWhole = whole(s.services)
  const workforceWhole = whole(s.workforce)
  each(s.interventions, (iv, i) => {
    const path = ["interventions", i]
    if (ivNames.has(iv.name))
      add(
        [...path, "name"],
        `expected a unique intervention name; "${iv.name}" is also interventions[${ivNames.get(iv.name)}]`
      )
    else if (serviceNames.has(iv.name))
      add(
        [...path, "name"],
        `expected a name unlike every service's; "${iv.name}" is also services[${serviceNames.get(iv.name)}]`
      )
    ivNames.set(iv.name, i)
    if (iv.end !== undefined && iv.end < iv.start)
      add([...path, "end"], `expected an end on or after the start (${iv.start}), found ${iv.end}`)
    budgetLine([...path, "costs", "budgetLine"], iv.costs.budgetLine)
    if (iv.capacity !== undefined && iv.duration === undefined)
      add(
        [...path, "duration"],
        "expected how long a child holds a place (duration), since the intervention has a capacity"
      )
    if (iv.duration) distribution([...path, "duration"], iv.duration, true)
    if (iv.whenFull === "wait" && iv.capacity === undefined)
      add([...path, "whenFull"], "a waiting list needs a capacity; expected capacity with whenFull: wait")
    const el = iv.eligibility
    const ef = iv.effects
    if (el !== undefined) {
      if (el.ages !== undefined && el.ages[0] > el.ages[1])
        add([...path, "eligibility", "ages"], `expected [youngest, oldest], found [${el.ages[0]}, ${el.ages[1]}]`)
      if (el.from !== undefined && el.to !== undefined && !ALLOWED_MOVES[el.from].includes(el.to))
        add(
          [...path, "eligibility", "to"],
          `expected a move allowed from ${el.from} (${ALLOWED_MOVES[el.from].join(", ")}), found ${el.to}`
        )
      if (ef.redirectTo !== undefined && el.from !== undefined && !ALLOWED_MOVES[el.from].includes(ef.redirectTo))
        add(
          [...path, "effects", "redirectTo"],
          `expected a level a child can move to from ${el.from}, found ${ef.redirectTo}`
        )
      if (el.openCases && (el.to === undefined || !OPEN_CASE_LEVELS.includes(el.to)))
        add(
          [...path, "eligibility", "openCases"],
          `openCases offers the intervention to children already at \`to\`: expected to: a help level or ` +
            `looked_after, found ${el.to ?? "none"}`
        )
      // An open case has no route: the model does not keep how a child already at a level got there, so
      // offering the intervention to open cases "via s20" or "from child_in_need" would enrol every child at
      // the level. Refused rather than silently widened.
      for (const route of ["via", "from"] as const)
        if (el.openCases && el[route] !== undefined)
          add(
            [...path, "eligibility", route],
            `openCases offers the intervention to every child already at ${el.to ?? "its level"} when it starts, ` +
              `whatever the route that brought them there (an open case has no ` +
              `${route === "via" ? "route" : "level it came from"}); expected no ${route} with openCases: true, ` +
              `found ${route}: ${el[route]}. Remove openCases to offer it only to children making that move, or ` +
              `remove ${route} to offer it to every child at ${el.to ?? "the level"}`
          )
      const la = s.levels?.looked_after
      if (
        el.legalStatus !== undefined &&
        la !== undefined &&
        la.legalStatus === undefined &&
        la.legalStatusGiven !== true
      )
        add([...path, "eligibility", "legalStatus"], NO_LEGAL_STATUS)
      if (el.legalStatus !== undefined && el.from !== undefined && el.from !== "looked_after")
        add(
          [...path, "eligibility", "legalStatus"],
          `a legal status is a looked-after child's: expected from: looked_after (or no from), found from: ${el.from}`
        )
      if (el.legalStatus !== undefined && el.openCases && el.to !== "looked_after")
        add(
          [...path, "eligibility", "legalStatus"],
          "a legal status is a looked-after child's: expected to: looked_after with openCases, found to: " +
            (el.to ?? "none")
        )
      if (ef.redirectTo !== undefined && el.from === "looked_after")
        add([...path, "effects", "redirectTo"], "a redirect applies to moves below care, not to leaving care")
    } else if (
      ef.redirectTo !== undefined ||
      ef.moves.length > 0 ||
      ef.durations.length > 0 ||
      ef.placementMix !== undefined
    )
      add(
        [...path, "eligibility"],
        "expected an eligibility (which moves the intervention intercepts), since it has effects on children"
      )
    quota(iv, path, add)
    ef.places.forEach((p, k) => {
      const j = serviceNames.get(p.service)
      if (j === undefined && servicesWhole)
        add(
          [...path, "effects", "places", k, "service"],
          `expected the name of a service in services (${[...serviceNames.keys()].join("; ") || "none declared"}), ` +
            `found "${p.service}"`
        )
    })
    if (ef.placementMix !== undefined && Object.values(ef.placementMix).every((v) => (v ?? 0) === 0))
      add([...path, "effects", "placementMix"], "expected at least one placement share multiplier above 0")
    if (ef.lasts) distribution([...path, "effects", "lasts"], ef.lasts)
    iv.costs.staff.forEach((r, k) => {
      if (r.team !== undefined && workforceWhole && !s.workforce.some((t) => t.name === r.team))
        add(
          [...path, "costs", "staff", k, "team"],
          `expected the name of a team in workforce ` +
            `(${s.workforce.map((t) => t.name).join("; ") || "none declared"}), found "${r.team}"`
        )
    })
  })
}

/** A quota's reviews of open cases: its count, its eligibility (a level, not a move) and what a review does. */
const quota = (iv: Intervention, path: ReadonlyArray<string | number>, add: Add) => {
  const q = iv.quota
  const el = iv.eligibility
  const ef = iv.effects
  const ep = [...path, "eligibility"]
  if (q === undefined) {
    for (const field of ["level", "placements", "timeAtLevel"] as const)
      if (el?.[field] !== undefined)
        add([...ep, field], `${field} chooses the open cases a quota reviews; expected a quota with ${field}`)
    for (const field of ["endStay", "shortenStay"] as const)
      if (ef[field] !== undefined)
        add(
          [...path, "effects", field],
          `${field} is what a quota's review does to a stay under way; expected a quota with ${field}`
        )
    return
  }
  q.changes.forEach((c, k) => {
    if ((c.perMonth === undefined) === (c.perYear === undefined))
      add([...path, "quota", "changes", k], "expected exactly one of perMonth or perYear")
    if (k > 0 && c.from <= q.changes[k - 1].from)
      add(
        [...path, "quota", "changes", k, "from"],
        `expected quota changes in date order, one per date; found ${c.from} after ${q.changes[k - 1].from}`
      )
  })
  if ((q.perMonth === undefined) === (q.perYear === undefined))
    add([...path, "quota"], "expected exactly one of perMonth (reviews a month) or perYear (reviews a year)")
  if (el === undefined || el.level === undefined) {
    add(ep, "expected eligibility with a level (the level of the open cases the quota reviews, e.g. looked_after)")
    return
  }
  for (const field of ["from", "to", "via"] as const)
    if (el[field] !== undefined)
      add(
        [...ep, field],
        `a quota reviews open cases at a level, not moves; expected no ${field} with a quota (eligibility.level ` +
          `says which cases), found ${field}: ${el[field]}`
      )
  if (el.openCases) add([...ep, "openCases"], "a quota reviews open cases in its rounds; expected no openCases")
  if (el.uptake !== 1)
    add([...ep, "uptake"], `a quota's review is not declined; expected no uptake with a quota, found ${el.uptake}`)
  if (ef.redirectTo !== undefined)
    add([...path, "effects", "redirectTo"], "a redirect applies to intercepted moves; expected endStay with a quota")
  const inCare = el.level === "looked_after"
  if (!inCare)
    for (const field of ["placements", "legalStatus"] as const)
      if (el[field] !== undefined)
        add(
          [...ep, field],
          `${field === "placements" ? "a placement" : "a legal status"} is a looked-after child's: expected ` +
            `level: looked_after, found level: ${el.level}`
        )
  const span = el.timeAtLevel
  if (span?.atLeast !== undefined && span.atMost !== undefined && span.atLeast > span.atMost)
    add(
      [...ep, "timeAtLevel"],
      `expected atLeast at most atMost, found atLeast: ${span.atLeast}, atMost: ${span.atMost}`
    )
  const end = ef.endStay
  if (end !== undefined) {
    const at = [...path, "effects", "endStay"]
    const allowed = ALLOWED_MOVES[el.level].filter((x) => x !== el.level)
    if (!allowed.includes(end.to))
      add([...at, "to"], `expected where a stay at ${el.level} can end (${allowed.join(", ")}), found ${end.to}`)
    const leftCare = (LEFT_CARE_REASONS as ReadonlyArray<string>).includes(end.reason ?? "")
    const closure = (CLOSURE_REASONS as ReadonlyArray<string>).includes(end.reason ?? "")
    if (end.reason === "turned_18")
      add([...at, "reason"], "turned_18 is the age limit's, not a review's: expected another reason")
    else if (inCare && end.reason === undefined)
      add(
        [...at, "reason"],
        `expected why the care episode ends (${LEFT_CARE_REASONS.join(", ")}), e.g. reason: returned_home`
      )
    else if (inCare && !leftCare)
      add(
        [...at, "reason"],
        `expected a reason a care episode ends (${LEFT_CARE_REASONS.join(", ")}), found ${end.reason}`
      )
    else if (inCare && (end.reason === "adopted" || end.reason === "special_guardianship") && end.to !== "exited")
      add([...at, "to"], `${end.reason} leaves the model: expected to: exited, found ${end.to}`)
    else if (!inCare && end.reason !== undefined && !(end.to === "universal" || end.to === "exited"))
      add([...at, "reason"], `a reason says why a case closes: expected no reason for a move to ${end.to}`)
    else if (!inCare && end.reason !== undefined && !closure)
      add([...at, "reason"], `expected a reason a case closes (${CLOSURE_REASONS.join(", ")}), found ${end.reason}`)
  }
  if (ef.shortenStay !== undefined && ef.shortenStay.multiplier > 1)
    add(
      [...path, "effects", "shortenStay", "multiplier"],
      `a review shortens what remains of a stay: expected a multiplier from 0 to 1, found ${ef.shortenStay.multiplier}`
    )
}

/**
 * Cross-field checks of `workforce` : unique team names, staff line names
 * that no other cost line uses, budget lines that are declared (when any are), a level at most once per
 * team, establishment changes in date order. A level in two teams is allowed (see the module comment).
 */
export const validateWorkforce = (s: ScenarioParts): ReadonlyArray<Problem> => {
  const problems: Array<Problem> = []
  const add = (path: ReadonlyArray<string | number>, message: string) => problems.push({ path, message })
  const declared = whole(s.budgetLines) ? new Set(s.budgetLines.map((b) => b.name)) : new Set<string>()
  const costNames = new Set<string>()
  const lists: ReadonlyArray<Holes<{ readonly name: string }> | undefined> = [
    s.costs?.weekly,
    s.costs?.oneOff,
    s.costs?.fixed
  ]
  for (const list of lists) each(list, (c) => costNames.add(c.name))
  const seen = new Map<string, number>()
  each(s.workforce, (t, i) => {
    const path = ["workforce", i]
    const prior = seen.get(t.name)
    if (prior !== undefined)
      add([...path, "name"], `expected a unique team name; "${t.name}" is also workforce[${prior}]`)
    else seen.set(t.name, i)
    const lines = staffLineNames(t.name)
    for (const line of [lines.permanent, lines.agency])
      if (costNames.has(line))
        add([...path, "name"], `expected the staff cost line "${line}" not to be the name of another cost line`)
    if (declared.size > 0 && !declared.has(t.budgetLine))
      add(
        [...path, "budgetLine"],
        `expected one of the budget lines declared in budgetLines (${[...declared].join("; ")}), found ` +
          `"${t.budgetLine}"`
      )
    if (t.counts === "families" && s.referrals !== undefined && s.referrals.families === undefined)
      add(
        [...path, "counts"],
        "expected children: a team counts families only in a scenario with sibling groups (referrals.families)"
      )
    const levels = new Set<string>()
    t.levels.forEach((level, j) => {
      if (levels.has(level)) add([...path, "levels", j], `expected each level once in a team; ${level} is listed twice`)
      levels.add(level)
    })
    let previous: string | null = null
    t.establishmentChanges.forEach((c, j) => {
      if (previous !== null && c.from <= previous)
        add(
          [...path, "establishmentChanges", j, "from"],
          `expected establishment changes in date order, one per date; found ${c.from} after ${previous}`
        )
      previous = c.from
    })
  })
  return problems
}

/** Children of each age 0-17 in a `byAge` field (null if it is not 18 counts or bands within 0-17). */
const byAgeCounts = (b: PopulationByAge): Array<number> | null => {
  const out = new Array<number>(18).fill(0)
  for (let i = 0; i < b.length; i++) {
    const x = b[i]
    if (typeof x === "number") {
      if (b.length !== 18) return null
      out[i] = x
    } else for (let a = x.ages[0]; a <= Math.min(17, x.ages[1]); a++) out[a] += x.children / (x.ages[1] - x.ages[0] + 1)
  }
  return out
}

/**
 * Contacts at the front door and the population by age: one way to give the referral rate (`ratePer10k`
 * or `contacts`), and one of `perYear` or `per10k`; the population's ages as 18 counts or bands covering
 * 0-17 that add up to `children`; projection points each dated once (a `year` or a `date`) and giving
 * one of `byAge`, `children` or `multiplier`, by age only where the start's ages are given, with no
 * `growthPerYear` beside them; and no referral age band with a share but no children.
 */
const demand = (
  s: ScenarioParts,
  add: (path: ReadonlyArray<string | number>, message: string) => void,
  bandsCover: (path: ReadonlyArray<string | number>, bands: ReadonlyArray<AgeBand>, lo: number, hi: number) => void
): void => {
  const r = s.referrals
  if (r !== undefined) {
    const rateGiven = r.ratePer10kGiven ?? r.ratePer10k !== undefined
    const contactsGiven = r.contactsGiven ?? r.contacts !== undefined
    if (rateGiven && contactsGiven)
      add(
        ["referrals", "contacts"],
        "expected ratePer10k or contacts, not both: with contacts, referrals are the share of contacts that " +
          "become referrals (contacts.toReferral)"
      )
    else if (!rateGiven && !contactsGiven)
      add(
        ["referrals", "ratePer10k"],
        "expected a referral rate: ratePer10k (referrals per 10,000 children a year) or contacts (contacts at " +
          "the front door, and the share that become referrals)"
      )
    const c = r.contacts
    if (c !== undefined) {
      if ((c.perYear === undefined) === (c.per10k === undefined))
        add(
          ["referrals", "contacts"],
          c.perYear === undefined
            ? "expected perYear (contacts a year) or per10k (contacts per 10,000 children a year)"
            : "expected perYear or per10k, not both"
        )
      c.changes.forEach((x, i) => {
        if (x.until !== undefined && x.until <= x.from)
          add(
            ["referrals", "contacts", "changes", i, "until"],
            `expected an end after the change's date (${x.from}), found ${x.until}`
          )
      })
      const seen = new Map<string, number>()
      c.toReferralChanges.forEach((x, i) => {
        const first = seen.get(x.from)
        if (first !== undefined)
          add(
            ["referrals", "contacts", "toReferralChanges", i, "from"],
            `expected one change of the share on each date; ${x.from} is also change ${first}'s`
          )
        else seen.set(x.from, i)
      })
    }
  }
  const p = s.population
  if (p === undefined) return
  const ages = (path: ReadonlyArray<string | number>, b: PopulationByAge): Array<number> | null => {
    const counts = b.filter((x) => typeof x === "number").length
    if (counts > 0 && counts < b.length) {
      add(path, "expected 18 counts (ages 0 to 17) or bands ({ ages: [0, 4], children: 15000 }), not both")
      return null
    }
    if (counts > 0) {
      if (b.length !== 18) {
        add(path, `expected 18 counts, one for each age 0 to 17, found ${b.length}`)
        return null
      }
    } else if (b.length > 0) {
      const bands = b.flatMap((x) => (typeof x === "number" ? [] : [x.ages]))
      bandsCover(path, bands, 0, 17)
      let ok = true
      const seen = new Array<number>(26).fill(0)
      bands.forEach(([lo, hi], i) => {
        if (hi > 17) add([...path, i, "ages"], `expected ages of children, 0 to 17, found [${lo}, ${hi}]`)
        for (let a = lo; a <= hi; a++) seen[a]++
      })
      for (let a = 0; a < seen.length; a++) if (seen[a] !== (a <= 17 ? 1 : 0)) ok = false
      if (!ok) return null
    } else {
      add(path, "expected 18 counts, one for each age 0 to 17, found none")
      return null
    }
    return byAgeCounts(b)
  }
  const start = p.byAge === undefined ? null : ages(["population", "byAge"], p.byAge)
  if (start !== null && p.children !== undefined) {
    const total = Math.round(start.reduce((a, b) => a + b, 0))
    if (total !== p.children)
      add(
        ["population", "byAge"],
        `expected children by age adding up to population.children (${p.children.toLocaleString("en-GB")}), ` +
          `found ${total.toLocaleString("en-GB")}`
      )
  }
  if (p.projection !== undefined) {
    if (p.growthPerYear !== undefined && p.growthPerYear !== 0)
      add(
        ["population", "growthPerYear"],
        `expected no growthPerYear beside a projection (the projection is the population's growth), found ` +
          `${fmt(p.growthPerYear)}: remove one (in an overlay, growthPerYear: null)`
      )
    const dates = new Map<string, number>()
    p.projection.forEach((x, i) => {
      const path = ["population", "projection", i]
      if ((x.year === undefined) === (x.date === undefined))
        add(
          path,
          x.year === undefined
            ? "expected year (its mid-year population, 30 June) or date (the population on that day)"
            : "expected year or date, not both"
        )
      else {
        const d = x.date ?? `${x.year}-06-30`
        const first = dates.get(d)
        if (first !== undefined) add(path, `expected one point for each date; ${d} is also point ${first}'s`)
        else dates.set(d, i)
      }
      const given = [x.byAge, x.children, x.multiplier].filter((v) => v !== undefined).length
      if (given !== 1)
        add(
          path,
          given === 0
            ? "expected byAge (children by age), children (in all) or multiplier (of the start's population)"
            : "expected one of byAge, children and multiplier"
        )
      if (x.byAge !== undefined) {
        if (p.byAge === undefined)
          add([...path, "byAge"], "expected population.byAge beside a projection by age (the start's children by age)")
        else ages([...path, "byAge"], x.byAge)
      }
    })
  }
  const bands = r?.ageAtReferral
  if (start !== null && bands !== undefined)
    bands.forEach((b, i) => {
      let n = 0
      for (let a = b.ages[0]; a <= Math.min(17, b.ages[1]); a++) n += start[a]
      if (b.share > 0 && n === 0)
        add(
          ["referrals", "ageAtReferral", i, "share"],
          `expected no share of referrals aged ${b.ages[0]}-${b.ages[1]}: population.byAge has no children of ` +
            "those ages"
        )
    })
}
