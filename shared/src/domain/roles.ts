/** Roles a person can hold in one workspace, from most to least powerful. */
export const ROLES = ['chair', 'lead', 'contributor', 'observer'] as const;
export type Role = (typeof ROLES)[number];
