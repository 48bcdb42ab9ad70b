/** A section's place in the review workflow: draft → in review → agreed, and back (reopen). */
export const SECTION_STATUSES = ['draft', 'in-review', 'agreed'] as const;
export type SectionStatus = (typeof SECTION_STATUSES)[number];

/** The moves the workflow has; anything else (e.g. draft straight to agreed) does not exist. */
export const SECTION_TRANSITIONS: readonly (readonly [SectionStatus, SectionStatus])[] = [
  ['draft', 'in-review'],
  ['in-review', 'draft'],
  ['in-review', 'agreed'],
  ['agreed', 'in-review'],
  ['agreed', 'draft'],
];

export function isSectionTransition(from: SectionStatus, to: SectionStatus): boolean {
  return SECTION_TRANSITIONS.some(([a, b]) => a === from && b === to);
}
