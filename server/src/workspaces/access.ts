/**
 * Who may do what in a workspace. Every REST route, the collaboration socket and the
 * realtime socket ask here; nothing else decides access.
 */
import type { Role } from '@jane/shared';
import { ForbiddenError, NotFoundError } from '../errors.js';
import type { Store, UserRecord, WorkspaceRecord } from '../storage/port.js';

export interface WorkspaceAccess {
  workspace: WorkspaceRecord;
  role: Role;
  /** The membership role itself (null for an administrator who is not a member). */
  memberRole: Role | null;
}

/** 404 when the workspace does not exist, 403 when the user is not in it or `allowed` says no. */
export async function requireWorkspaceAccess(
  store: Store,
  user: UserRecord,
  workspaceId: string,
  allowed: (role: Role) => boolean = () => true,
  refusal = 'Your role in this workspace does not allow this.',
): Promise<WorkspaceAccess> {
  const workspace = await store.workspaces.findById(workspaceId);
  if (!workspace) throw new NotFoundError('This workspace does not exist.');
  const membership = await store.memberships.find(workspaceId, user.id);
  // Administrators manage every workspace: as chair where they are not a member.
  const role = membership?.role ?? (user.isAdmin ? 'chair' : null);
  if (!role) throw new ForbiddenError('You are not a member of this workspace. Ask its chair to add you.');
  if (!allowed(role)) throw new ForbiddenError(refusal);
  return { workspace, role, memberRole: membership?.role ?? null };
}
