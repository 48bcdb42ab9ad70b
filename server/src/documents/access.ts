import { abilitiesOf, type DocumentAbilities, type Role } from '@jane/shared';
import { NotFoundError } from '../errors.js';
import type { DocumentRecord, Store, UserRecord, WorkspaceRecord } from '../storage/port.js';
import { requireWorkspaceAccess } from '../workspaces/access.js';

export interface DocumentAccess {
  document: DocumentRecord;
  workspace: WorkspaceRecord;
  role: Role;
  /** Observers and everyone on an archived document may only read. */
  canEdit: boolean;
  abilities: DocumentAbilities;
}

/**
 * What a role may do with a document: editors edit and rename live drafts; chairs and
 * leads archive and restore the workspace's deliverables, and are the only ones who may
 * still rename or comment once a document is archived.
 */
export function documentAbilities(role: Role | null, document: Pick<DocumentRecord, 'archived'>): DocumentAbilities {
  const can = abilitiesOf(role);
  return {
    edit: can.editDrafts && !document.archived,
    rename: can.editDrafts && (!document.archived || can.archiveDocuments),
    archive: can.archiveDocuments,
    comment: can.comment && (!document.archived || can.archiveDocuments),
  };
}

/** 404 for an unknown document, 403 for a user outside its workspace. */
export async function requireDocumentAccess(store: Store, user: UserRecord, documentId: string): Promise<DocumentAccess> {
  const document = await store.documents.findById(documentId);
  if (!document) throw new NotFoundError('This document does not exist.');
  const { workspace, role } = await requireWorkspaceAccess(store, user, document.workspaceId);
  const abilities = documentAbilities(role, document);
  return { document, workspace, role, canEdit: abilities.edit, abilities };
}
