/**
 * A run stopped on the way although its scenario is valid field by field, because it could not give honest
 * figures: it would never end (src/engine/Runaway.ts), or its spend is beyond what pennies are added up in
 * exactly (src/projections/Spend.ts). `detail` says what happened and which of the scenario's fields to check;
 * the commands report it as the scenario's problem (exit 2, nothing written).
 */
export class RunRefused extends Error {
  readonly _tag = "RunRefused"
  constructor(readonly detail: string) {
    super(detail)
    this.name = "RunRefused"
  }
}
