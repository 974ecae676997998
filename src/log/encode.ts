/**
 * One event as one NDJSON line. Equivalent to JSON.stringify (a test checks that every event decodes back
 * to itself), written out per event type because the log is written once per event and JSON.stringify
 * costs several times the rest of an event's handling.
 */
import type { CaseEvent } from "../domain/Event.js"

const str = (s: string | null): string => (s === null ? "null" : JSON.stringify(s))

export const encodeEvent = (e: CaseEvent): string => {
  switch (e._tag) {
    case "CaseOpenAtStart":
      return `{"_tag":"CaseOpenAtStart","time":${e.time},"child":${e.child},"dateOfBirth":${e.dateOfBirth},"level":"${e.level}","placement":${str(e.placement)},"since":${e.since}}`
    case "CaseClosedBeforeStart":
      return `{"_tag":"CaseClosedBeforeStart","time":${e.time},"child":${e.child},"dateOfBirth":${e.dateOfBirth},"closedOn":${e.closedOn}}`
    case "ChildReferred":
      return `{"_tag":"ChildReferred","time":${e.time},"child":${e.child},"dateOfBirth":${e.dateOfBirth},"reReferral":${e.reReferral}}`
    case "LevelChanged":
      return `{"_tag":"LevelChanged","time":${e.time},"child":${e.child},"from":"${e.from}","to":"${e.to}","via":${str(e.via)}}`
    case "ChildBecameLookedAfter":
      return `{"_tag":"ChildBecameLookedAfter","time":${e.time},"child":${e.child},"from":"${e.from}","placement":"${e.placement}","via":${str(e.via)}}`
    case "PlacementChanged":
      return `{"_tag":"PlacementChanged","time":${e.time},"child":${e.child},"from":"${e.from}","to":"${e.to}"}`
    case "ChildLeftCare":
      return `{"_tag":"ChildLeftCare","time":${e.time},"child":${e.child},"placement":"${e.placement}","reason":"${e.reason}","to":"${e.to}","via":${str(e.via)}}`
    case "CaseClosed":
      return `{"_tag":"CaseClosed","time":${e.time},"child":${e.child},"from":"${e.from}","reason":"${e.reason}","to":"${e.to}","via":${str(e.via)}}`
    case "CareLeaverSupportEnded":
      return `{"_tag":"CareLeaverSupportEnded","time":${e.time},"child":${e.child},"reason":"${e.reason}"}`
    case "InterventionStarted":
      return `{"_tag":"InterventionStarted","time":${e.time},"child":${e.child},"intervention":${str(e.intervention)},"at":"${e.at}","redirectedTo":${str(e.redirectedTo)},"heldPlace":${e.heldPlace}}`
    case "InterventionEnded":
      return `{"_tag":"InterventionEnded","time":${e.time},"child":${e.child},"intervention":${str(e.intervention)},"reason":"${e.reason}"}`
    case "WaitingListJoined":
      return `{"_tag":"WaitingListJoined","time":${e.time},"child":${e.child},"service":${str(e.service)},"at":"${e.at}"}`
    case "WaitingListLeft":
      return `{"_tag":"WaitingListLeft","time":${e.time},"child":${e.child},"service":${str(e.service)},"outcome":"${e.outcome}"}`
    case "PlacementOverflowed":
      return `{"_tag":"PlacementOverflowed","time":${e.time},"child":${e.child},"service":${str(e.service)},"wanted":"${e.wanted}","placedIn":"${e.placedIn}"}`
  }
}
