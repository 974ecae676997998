/**
 * What every report says about itself, whatever the command: the facts of the run (scenario, seed, number
 * of runs, caseflow version, scenario hash), the assumptions (every scenario parameter with the comment that
 * sources it), and a description of the model under the headings of the STRESS-DES checklist for reporting
 * discrete-event simulation studies (Monks et al., "Strengthening the reporting of empirical simulation
 * studies: Introducing the STRESS guidelines", Journal of Simulation, 2019): objectives, logic, data,
 * experimentation, implementation, code access. The same facts are the workbook's "Run" sheet.
 */
import type { Scenario } from "../scenario/Scenario.js"
import type { Parameter } from "./Assumptions.js"
import { definitions, list, paragraph, type Block, type Section } from "./Document.js"
import { count } from "./Format.js"
import type { Sheet } from "./Workbook.js"

export interface ReportFacts {
  /** What was run: "one run", "Monte Carlo", "comparison". */
  readonly kind: "run" | "montecarlo" | "compare" | "forecast"
  /** Each scenario's name, file (as given) and SHA-256 identity. */
  readonly scenarios: ReadonlyArray<{
    readonly role: string
    readonly name: string
    readonly file: string
    readonly hash: string
  }>
  readonly seed: number
  readonly runs: number
  readonly years: number
  readonly start: string
  readonly end: string
  readonly version: string
  /** Further facts of the command (budgets given, tolerance, optimism bias...). */
  readonly more?: ReadonlyArray<readonly [string, string]>
}

/** A scenario as the report's facts name it: its role, name, file (as given) and identity. */
export const scenarioFact = (
  role: string,
  source: { readonly central: { readonly name: string }; readonly label: string; readonly id: string }
): ReportFacts["scenarios"][number] => ({ role, name: source.central.name, file: source.label, hash: source.id })

export const factRows = (f: ReportFacts): Array<readonly [string, string]> => [
  ...f.scenarios.flatMap((s) => [
    [`${s.role}`, s.name] as const,
    [`${s.role}: file`, s.file] as const,
    [`${s.role}: SHA-256`, s.hash] as const
  ]),
  ["Period", `${f.start} to ${f.end} (${f.years} year${f.years === 1 ? "" : "s"})`],
  ["Seed", String(f.seed)],
  ["Runs", f.kind === "run" ? "1 (one random draw)" : count(f.runs)],
  ["caseflow version", f.version],
  ...(f.more ?? [])
]

/** The workbook's "Run" sheet. */
export const runSheet = (f: ReportFacts): Sheet => ({
  name: "Run",
  columns: [
    { header: "item", kind: "text", width: 28 },
    { header: "value", kind: "text", width: 80 }
  ],
  rows: factRows(f).map(([k, v]) => [k, v])
})

/** The assumptions: the run's facts, then every parameter with its source. */
export const assumptionsSection = (f: ReportFacts, parameters: ReadonlyArray<Parameter>): Section => {
  const files = new Set(parameters.map((p) => p.file))
  const blocks: Array<Block> = [
    definitions(factRows(f)),
    paragraph(
      `Every parameter of the scenario as run (${count(parameters.length)}), with the comment that sources it in ` +
        "the scenario file. A parameter without a comment has no source stated in the file."
    ),
    {
      kind: "table",
      caption: "Scenario parameters and their sources",
      columns: [
        { header: "parameter" },
        { header: "value" },
        { header: "source (the comment in the file)" },
        ...(files.size > 1 ? [{ header: "file" }] : [])
      ],
      rows: parameters.map((p) => [p.path, p.value, p.source, ...(files.size > 1 ? [p.file] : [])])
    }
  ]
  return { title: "Assumptions", blocks }
}

/** The parameters as a sheet. */
export const assumptionsSheet = (parameters: ReadonlyArray<Parameter>): Sheet => ({
  name: "Assumptions",
  columns: [
    { header: "parameter", kind: "text", width: 40 },
    { header: "value", kind: "text", width: 50 },
    { header: "source", kind: "text", width: 100 },
    { header: "file", kind: "text", width: 30 }
  ],
  rows: parameters.map((p) => [p.path, p.value, p.source, p.file])
})

const experimentation = (f: ReportFacts): string => {
  switch (f.kind) {
    case "run":
      return (
        `One replication with seed ${f.seed}: one random draw of what may happen, not a forecast. Run ` +
        "`caseflow montecarlo` for intervals over many replications (and over uncertain parameters)."
      )
    case "montecarlo":
      return (
        `${count(f.runs)} replications from seed ${f.seed}, each with its own random streams and its own draw of ` +
        "every uncertain parameter (a nested design: one draw per replication). Percentiles are over the " +
        "replications; the chance of overspending is the share of replications over budget; sensitivity is the " +
        "partial rank correlation of each year's spend with each uncertain parameter."
      )
    case "compare":
      return (
        `${count(f.runs)} paired replications from seed ${f.seed}: replication r of both arms uses the same random ` +
        "streams (common random numbers), so the difference between the arms is the change, not the noise. " +
        "Intervals are 95% confidence intervals of the mean paired difference (t distribution)."
      )
    case "forecast":
      return (
        `${count(f.runs)} replications from seed ${f.seed} of the rest of the financial year from the as-of date, ` +
        "each started from the caseload on that date; the outturn of each replication is the actual spend to " +
        "date plus its simulated spend for the rest of the year. Percentiles are exact (every replication is " +
        "kept); the chance of overspending is the share of replications whose outturn is over the budget."
      )
  }
}

/** The model description, under the STRESS-DES headings. */
export const modelSection = (f: ReportFacts, scenario: Scenario): Section => {
  const services = scenario.services?.length ?? 0
  const interventions = scenario.interventions?.length ?? 0
  const teams = scenario.workforce?.length ?? 0
  const blocks: Array<Block> = [
    paragraph(
      "Under the headings of the STRESS-DES checklist for reporting discrete-event simulation studies (Monks et " +
        'al., "Strengthening the reporting of empirical simulation studies: Introducing the STRESS guidelines", ' +
        "Journal of Simulation, 2019)."
    ),
    { kind: "paragraph", text: "1. Objectives." },
    paragraph(
      `${scenario.description ?? scenario.name}. The model answers how many children will be open to children's ` +
        "social care at each level of need, and in care by placement type, and what they cost by budget line and " +
        "financial year" +
        (f.kind === "compare"
          ? ", and what a change (an intervention) saves against its cost."
          : f.kind === "forecast"
            ? ", and what this financial year will cost in all (its outturn) given what has been spent so far."
            : ".")
    ),
    { kind: "paragraph", text: "2. Logic." },
    list([
      "Entities are children. Each is referred (a non-homogeneous Poisson process per 10,000 children, with " +
        "seasonality, trend and step changes), passes the front door, and moves between exclusive levels: early " +
        "help, intensive family support, child in need, child protection, looked after (by placement type), care " +
        "leaver; a closed case may be re-referred.",
      "At each level a child stays for a duration drawn from the level's distribution (by age band) and then " +
        "moves by one of competing outcomes; at 18 every open case ends, and care-leaver support ends at 21 (or 25).",
      `Resources: ${services} capacity-limited service${services === 1 ? "" : "s"} with waiting lists and ` +
        `overflow, ${teams} workforce team${teams === 1 ? "" : "s"} (FTE needed at a target caseload; vacancies ` +
        `covered by agency staff) and ${interventions} intervention${interventions === 1 ? "" : "s"}.`,
      "Time is continuous, in days; the event queue orders actions by time, a fixed priority and sequence. The " +
        "run starts from the opening caseload (no warm-up period is discarded: the starting caseload is the state " +
        "on the day before the start)."
    ]),
    { kind: "paragraph", text: "3. Data." },
    paragraph(
      "Every input is in the scenario file, each number with the comment that sources it (see Assumptions): " +
        "caseload, referral rates, flows, durations and placement mix from published council papers and DfE " +
        "statistics; unit costs in the scenario's price base, inflated per financial year."
    ),
    { kind: "paragraph", text: "4. Experimentation." },
    paragraph(experimentation(f)),
    { kind: "paragraph", text: "5. Implementation." },
    paragraph(
      `caseflow ${f.version}, a discrete-event simulator in TypeScript on Node.js. Random numbers: seedrandom's ` +
        "Alea for the referral process and one SFC32 stream per child, keyed by seed and replication; the same " +
        "inputs and seed give byte-identical results on any machine and with any number of worker threads. " +
        "Charts rendered with Vega-Lite and Vega when the report was written."
    ),
    { kind: "paragraph", text: "6. Code access." },
    paragraph(
      "caseflow is open source (MIT licence). This report names the scenario by its SHA-256 (of the canonical " +
        "JSON of the scenario as run), so the same file and seed reproduce it: see the run facts above."
    )
  ]
  return { title: "Model description (STRESS-DES)", blocks }
}
