/**
 * The server side of the policy (`@jane/shared` policy.ts decides): who the actor is in
 * a workspace, and `authorize()`, which every route, socket handler and the `/collab`
 * upgrade call before acting. A refusal is a ForbiddenError with a message that says
 * who may do it.
 */
import { can, type Action, type ActionSubjects, type Actor, type DocumentAbilities, documentAbilities, type Role } from '@jane/shared';
import { ForbiddenError, NotFoundError } from '../errors.js';
import type { DocumentRecord, Store, UserRecord, WorkspaceRecord } from '../storage/port.js';

const REFUSALS: Record<Action, string> = {
  'workspace.view': 'You are not a member of this workspace. Ask its chair to add you.',
  'workspace.manageMembers': 'Only a chair can manage members.',
  'workspace.createDocument': 'Observers cannot create documents.',
  'workspace.runMeetings': 'Only a chair of this workspace can run meetings.',
  'member.change': 'Only a chair can change members, and not their own role: ask another chair or an administrator.',
  'document.view': 'You are not a member of this workspace. Ask its chair to add you.',
  'document.edit': 'You may only read this document.',
  'document.rename': 'Observers cannot rename documents, and an archived document is renamed only by chairs and leads.',
  'document.archive': 'Only chairs and leads can archive or restore documents.',
  'document.comment': 'This document is archived: only chairs and leads can comment on it. Ask one of them to restore it.',
  'section.setOwner': 'Only a chair can choose who owns a section.',
  'version.create': 'Only members who edit the draft can name a version of it.',
  'version.restore': 'Only a chair can restore a whole version of a document.',
  'version.restoreSection': 'Only a chair, or the section’s owner if a lead, can restore a section.',
  'section.own': 'Observers cannot own sections: only members who edit drafts can.',
  'section.setStatus': 'Chairs move any section; its owner sends it to review and back, and a lead owner agrees or reopens it.',
  'section.editAgreed': 'This section is agreed: only a chair, or its owner if a lead, can change it. Ask them to reopen it.',
  'thread.resolve': 'Only the person who started this thread, leads and chairs can resolve or reopen it.',
  'comment.edit': 'You can only edit your own comments.',
  'comment.delete': 'You can only delete your own comments.',
  'meeting.join': 'You are not a member of this workspace.',
  'meeting.run': 'Only a chair of this workspace can run meetings.',
  'meeting.exportAttendance': 'Only a chair of this workspace can export attendance.',
  'meeting.writeMinutes': 'Only a chair of this workspace can create the minutes of a meeting.',
  'people.browse': 'Only chairs and administrators can browse the people directory.',
  'admin.accounts': 'Only an administrator can do this.',
  'admin.workspaces': 'Only an administrator can do this.',
};

/** Throws ForbiddenError unless the policy allows it. */
export function authorize<A extends Action>(actor: Actor, action: A, ...subject: ActionSubjects[A] extends null ? [] : [ActionSubjects[A]]): void {
  if (!can(actor, action, ...subject)) throw new ForbiddenError(REFUSALS[action]);
}

/** The actor outside any workspace (administration, the people directory). */
export function accountActor(user: UserRecord, bestRole: Role | null = null): Actor {
  return { userId: user.id, isAdmin: user.isAdmin, role: bestRole };
}

/** The role an account acts with in a workspace: its membership, else chair for an administrator. */
export function effectiveRole(user: Pick<UserRecord, 'isAdmin'>, membershipRole: Role | null): Role | null {
  return membershipRole ?? (user.isAdmin ? 'chair' : null);
}

/** The actor for a workspace in which the account has `membershipRole` (null: not a member). */
export function workspaceActor(user: Pick<UserRecord, 'id' | 'isAdmin'>, membershipRole: Role | null): Actor {
  return { userId: user.id, isAdmin: user.isAdmin, role: effectiveRole(user, membershipRole) };
}

export interface WorkspaceAccess {
  workspace: WorkspaceRecord;
  actor: Actor;
  /** Shorthand for `actor.role` (never null: access was granted). */
  role: Role;
  /** The membership role itself (null for an administrator who is not a member). */
  memberRole: Role | null;
}

/** 404 when the workspace does not exist, 403 when the user may not see it. */
export async function requireWorkspaceAccess(store: Store, user: UserRecord, workspaceId: string): Promise<WorkspaceAccess> {
  const workspace = await store.workspaces.findById(workspaceId);
  if (!workspace) throw new NotFoundError('This workspace does not exist.');
  const membership = await store.memberships.find(workspaceId, user.id);
  const actor = workspaceActor(user, membership?.role ?? null);
  authorize(actor, 'workspace.view');
  return { workspace, actor, role: actor.role!, memberRole: membership?.role ?? null };
}

export interface DocumentAccess extends WorkspaceAccess {
  document: DocumentRecord;
  /** Whether the person's edits are accepted (observers and everyone on an archived document only read). */
  canEdit: boolean;
  abilities: DocumentAbilities;
}

/** 404 for an unknown document, 403 for a user outside its workspace. */
export async function requireDocumentAccess(store: Store, user: UserRecord, documentId: string): Promise<DocumentAccess> {
  const document = await store.documents.findById(documentId);
  if (!document) throw new NotFoundError('This document does not exist.');
  const access = await requireWorkspaceAccess(store, user, document.workspaceId);
  const abilities = documentAbilities(access.actor, document);
  return { ...access, document, canEdit: abilities.edit, abilities };
}
