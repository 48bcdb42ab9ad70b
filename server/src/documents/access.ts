import { canEditDrafts, type Role } from '@jane/shared';
import { NotFoundError } from '../errors.js';
import type { DocumentRecord, Store, UserRecord, WorkspaceRecord } from '../storage/port.js';
import { requireWorkspaceAccess } from '../workspaces/access.js';

export interface DocumentAccess {
  document: DocumentRecord;
  workspace: WorkspaceRecord;
  role: Role;
  /** Observers and everyone on an archived document may only read. */
  canEdit: boolean;
}

/** 404 for an unknown document, 403 for a user outside its workspace. */
export async function requireDocumentAccess(store: Store, user: UserRecord, documentId: string): Promise<DocumentAccess> {
  const document = await store.documents.findById(documentId);
  if (!document) throw new NotFoundError('This document does not exist.');
  const { workspace, role } = await requireWorkspaceAccess(store, user, document.workspaceId);
  return { document, workspace, role, canEdit: canEditDrafts(role) && !document.archived };
}
