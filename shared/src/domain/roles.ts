/** Roles a person can hold in one workspace, from most to least powerful. */
export const ROLES = ['chair', 'lead', 'contributor', 'observer'] as const;
export type Role = (typeof ROLES)[number];

/** What a role may do in its workspace (see PRODUCT.md, "Roles"). */
export interface RoleAbilities {
  editDrafts: boolean;
  /** Archive and restore documents (the workspace's deliverables); also comment on archived ones. */
  archiveDocuments: boolean;
  comment: boolean;
  manageMembers: boolean;
  runMeetings: boolean;
}

const ABILITIES: Record<Role, RoleAbilities> = {
  chair: { editDrafts: true, archiveDocuments: true, comment: true, manageMembers: true, runMeetings: true },
  lead: { editDrafts: true, archiveDocuments: true, comment: true, manageMembers: false, runMeetings: false },
  contributor: { editDrafts: true, archiveDocuments: false, comment: true, manageMembers: false, runMeetings: false },
  observer: { editDrafts: false, archiveDocuments: false, comment: true, manageMembers: false, runMeetings: false },
};

/** Abilities of a role; `null` (not a member) can do nothing. */
export function abilitiesOf(role: Role | null): RoleAbilities {
  if (!role) return { editDrafts: false, archiveDocuments: false, comment: false, manageMembers: false, runMeetings: false };
  return ABILITIES[role];
}

export function canEditDrafts(role: Role | null): boolean {
  return abilitiesOf(role).editDrafts;
}
