import type { CaseEvent } from "../../src/domain/Event.js"

/**
 * Sibling groups in a run's events: each child's family (the eldest's child number, from SiblingReferred; a
 * child referred alone is a family of their own), and when a family first met something (an intercept, a
 * review). Siblings follow the eldest on the eldest's draws, so from then on the whole family may differ
 * from a baseline: paired properties compare a family up to that time.
 */
export const familyFirsts = (events: ReadonlyArray<CaseEvent>, marks: (e: CaseEvent) => boolean) => {
  const eldest = new Map<number, number>()
  for (const e of events) if (e._tag === "SiblingReferred") eldest.set(e.child, e.family)
  const familyOf = (child: number): number => eldest.get(child) ?? child
  const first = new Map<number, number>()
  for (const e of events)
    if (marks(e)) {
      const f = familyOf(e.child)
      first.set(f, Math.min(first.get(f) ?? Infinity, e.time))
    }
  /** The time the child's family first met it, or undefined if it never did. */
  return (child: number): number | undefined => first.get(familyOf(child))
}
