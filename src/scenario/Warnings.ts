/**
 * Warnings about a valid scenario: dated values that fall outside the run, so have no effect or a
 * different one from what the file seems to say (a referral change after the run ends, a budget for a
 * financial year the run does not reach, an intervention that starts before the run so its set-up cost is
 * never counted). They depend on the run's length, which a command's `--years` can change, so they are
 * computed for a given number of years; `validate` and `run` print them and carry on.
 */
import { epochDay, isoOfEpochDay, makeCalendar } from "../domain/Calendar.js"
import { noLines } from "./Decode.js"
import { formatPath, type Locate, type ScenarioProblem } from "./Problems.js"
import type { Scenario } from "./Scenario.js"
import { grouped } from "../domain/Show.js"

const days = (n: number): string => `${grouped(n)} day${n === 1 ? "" : "s"}`

/**
 * Dated values outside a run of `years` years from the scenario's start: referral changes, changes of a
 * service's places and of a team's establishment, intervention start and end dates, budgets by financial
 * year (and budgets for a year the run covers only in part), and the price base.
 */
export const scenarioWarnings = (
  s: Scenario,
  years: number,
  locate: Locate = noLines
): ReadonlyArray<ScenarioProblem> => {
  const cal = makeCalendar(s.start, years)
  const start = cal.startDate
  const last = isoOfEpochDay(epochDay(cal.endDate) - 1)
  const run = `the run is ${start} to ${last}`
  const out: Array<ScenarioProblem> = []
  const warn = (path: ReadonlyArray<string | number>, message: string) =>
    out.push({ path: formatPath(path), message, ...locate(path) })
  /** A date from which something changes: before the run it applies from the first day; after, never. */
  const change = (path: ReadonlyArray<string | number>, iso: string, what: string) => {
    if (iso < start) warn(path, `${iso} is before the run starts (${start}): ${what} applies from the first day`)
    else if (iso > last) warn(path, `${iso} is after the run ends (${run}): ${what} has no effect`)
  }
  s.referrals.changes.forEach((c, i) => change(["referrals", "changes", i, "from"], c.from, "this change of the rate"))
  s.changes.forEach((c, i) => {
    if (c.until !== undefined && c.until < start)
      warn(["changes", i, "until"], `${c.until} is before the run starts (${start}): this dated change has no effect`)
    else change(["changes", i, "from"], c.from, "this dated change")
  })
  const contacts = s.referrals.contacts
  contacts?.changes.forEach((c, i) =>
    change(["referrals", "contacts", "changes", i, "from"], c.from, "this change of the contact rate")
  )
  contacts?.toReferralChanges.forEach((c, i) =>
    change(["referrals", "contacts", "toReferralChanges", i, "from"], c.from, "this change of the share")
  )
  const projection = s.population.projection
  if (projection !== undefined) {
    const dated = projection.map((p) => p.date ?? `${String(p.year ?? 0).padStart(4, "0")}-06-30`)
    dated.forEach((d, i) => {
      if (d <= start)
        warn(
          ["population", "projection", i],
          `${d} is not after the run starts (${start}): the start's population is population.children` +
            `${s.population.byAge !== undefined ? " and byAge" : ""}, so this point is not used`
        )
    })
    const lastPoint = dated.reduce((a, b) => (b > a ? b : a))
    if (lastPoint < last)
      warn(
        ["population", "projection"],
        `the projection ends on ${lastPoint}, before the run does (${run}): from then on the population stays ` +
          "as at its last point"
      )
  }
  s.services.forEach((sv, i) =>
    sv.changes.forEach((c, j) => change(["services", i, "changes", j, "from"], c.from, "this change of places"))
  )
  s.workforce.forEach((t, i) =>
    t.establishmentChanges.forEach((c, j) =>
      change(["workforce", i, "establishmentChanges", j, "from"], c.from, "this change of establishment")
    )
  )
  s.interventions.forEach((iv, i) => {
    const path = ["interventions", i]
    if (iv.start > last) warn([...path, "start"], `${iv.start} is after the run ends (${run}): it has no effect`)
    else if (iv.end !== undefined && iv.end < start)
      warn([...path, "end"], `${iv.end} is before the run starts (${start}): it has no effect`)
    else if (iv.start < start)
      warn(
        [...path, "start"],
        `${iv.start} is before the run starts (${start}): it runs from the first day, ramped up as from its start` +
          (iv.costs.setUp > 0 ? ", and its set-up cost (charged in the month it starts) is not counted" : "")
      )
  })
  const runYears = cal.financialYears.map((fy) => fy.label)
  const covered = `${runYears[0]}${runYears.length > 1 ? ` to ${runYears[runYears.length - 1]}` : ""}`
  s.budgetLines.forEach((b, i) => {
    for (const label of Object.keys(b.budget ?? {})) {
      const path = ["budgetLines", i, "budget", label]
      const fy = cal.financialYears.find((f) => f.label === label)
      if (fy === undefined) {
        warn(path, `no part of ${label} is simulated (the run covers ${covered}): this budget is not used`)
        continue
      }
      const fyStart = Number(label.slice(0, 4))
      const full = epochDay(`${fyStart + 1}-04-01`) - epochDay(`${fyStart}-04-01`)
      const simulated = fy.end - fy.start
      if (simulated < full)
        warn(
          path,
          `the run covers ${days(simulated)} of the ${days(full)} of ${label} (${cal.dateOf(fy.start)} to ` +
            `${cal.dateOf(fy.end - 1)}): its budget is compared pro-rated by days`
        )
    }
  })
  const base = s.costs.priceBase
  if (base !== undefined && !runYears.includes(base)) {
    const n = Number(runYears[0].slice(0, 4)) - Number(base.slice(0, 4))
    warn(
      ["costs", "priceBase"],
      n > 0
        ? `prices are in ${base}, before the run (${covered}): every price is uprated by ${n} ` +
            `year${n === 1 ? "" : "s"} of inflation to ${runYears[0]}`
        : `prices are in ${base}, after the run (${covered}): every price is deflated by ${-n} ` +
            `year${n === -1 ? "" : "s"} of inflation to ${runYears[0]}`
    )
  }
  inflationWarnings(s, years, warn)
  return out
}

/** Yearly inflation outside this range is taken to be a slip (5 written as 0.5, a fall meant as a rise). */
const INFLATION_SEEN = { low: -0.1, high: 0.25 } as const

/**
 * Every `inflation` in the scenario (the default, a cost line's, a team's, an intervention's ...) far outside
 * price inflation as it has been (UK CPI peaked at 11.1% in October 2022): valid, as a stress
 * test may want it, but said, with what it does to prices over the run.
 */
const inflationWarnings = (
  s: Scenario,
  years: number,
  warn: (path: ReadonlyArray<string | number>, message: string) => void
): void => {
  const pct = (x: number): string => `${Number((x * 100).toFixed(2))}%`
  const visit = (value: unknown, path: ReadonlyArray<string | number>): void => {
    if (Array.isArray(value)) value.forEach((v, i) => visit(v, [...path, i]))
    else if (typeof value === "object" && value !== null)
      for (const [key, v] of Object.entries(value)) {
        if (key === "inflation" && typeof v === "number" && (v < INFLATION_SEEN.low || v > INFLATION_SEEN.high)) {
          const factor = (1 + v) ** years
          warn(
            [...path, key],
            `${v} is ${pct(v)} a year, far from price inflation as it has been (${pct(INFLATION_SEEN.low)} to ` +
              `${pct(INFLATION_SEEN.high)} taken as plausible): prices end the ${years}-year run at ` +
              `${Number(factor.toPrecision(3))} times their start (0.05 is 5%)`
          )
        } else visit(v, [...path, key])
      }
  }
  visit(s, [])
}
