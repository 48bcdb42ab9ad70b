/**
 * What each REST route answers, declared once: the client's calls (client/src/api) are
 * typed with these, and the server's routes check their answers against them with
 * `satisfies`. Plain interfaces (no zod): answers are ours, so they need no validation.
 */
import type { Role } from '../domain/roles.js';
import type { ThreadStatus } from '../domain/comments.js';
import type { WorkspaceAbilities } from '../policy/policy.js';
import type { MeetingState } from '../protocol/realtime.js';
import type {
  DocumentMeta,
  Invitation,
  InvitationPreview,
  Member,
  PublicUser,
  User,
  Workspace,
  WorkspaceDetail,
  WorkspaceSummary,
} from './api.js';
import type { NotificationView, ThreadView, WorkspaceThread } from './comments.js';
import type { MySectionView, SectionEventView, SectionProgressView, SectionView } from './sections.js';
import type { ChangesView, VersionView } from './history.js';

/* ---------------------------------------------------------------- accounts */

/** `GET /api/setup`. */
export interface SetupStatusResponse {
  needsSetup: boolean;
}

/** Setup, sign-in, "who am I", accepting an invitation, and the admin's account changes. */
export interface UserResponse {
  user: User;
}

/** An account as the administration lists it, with its workspaces. */
export interface AdminUser extends User {
  memberships: { workspaceId: string; role: Role }[];
}

/** `GET /api/admin/users`. */
export interface AdminUsersResponse {
  users: AdminUser[];
}

/** `GET /api/invitations/:token` (public). */
export interface InvitationPreviewResponse {
  invitation: InvitationPreview;
}

/** `POST /api/admin/invitations` (with its `url`). */
export interface InvitationResponse {
  invitation: Invitation;
}

/** `GET /api/admin/invitations`. */
export interface InvitationsResponse {
  invitations: Invitation[];
}

/** `GET /api/people`: whom a chair can add. */
export interface PeopleResponse {
  people: PublicUser[];
}

/* ---------------------------------------------------------------- workspaces */

/** `GET /api/workspaces`. */
export interface WorkspacesResponse {
  workspaces: WorkspaceSummary[];
}

/** `POST /api/workspaces`, `PATCH /api/workspaces/:id`. */
export interface WorkspaceChangedResponse {
  workspace: Workspace;
}

/** `GET /api/workspaces/:id`. */
export interface WorkspaceResponse {
  workspace: WorkspaceDetail;
  myRole: Role;
  abilities: WorkspaceAbilities;
}

/** `PUT /api/workspaces/:id/members/:userId`. */
export interface MemberResponse {
  member: Member;
}

/* ---------------------------------------------------------------- documents */

/** `GET /api/workspaces/:id/documents`. */
export interface DocumentsResponse {
  documents: DocumentMeta[];
}

/** `POST /api/workspaces/:id/documents`, `PATCH /api/documents/:id`. */
export interface DocumentChangedResponse {
  document: DocumentMeta;
}

/** `GET /api/documents/:id`: the document, its workspace and what the caller may do. */
export interface DocumentResponse {
  document: DocumentMeta;
  workspace: Workspace;
  myRole: Role;
  canEdit: boolean;
}

/* ---------------------------------------------------------------- threads */

/** `GET /api/documents/:id/threads`. */
export interface DocumentThreadsResponse {
  threads: ThreadView[];
}

/** Creating, replying, editing, resolving or reopening: the thread as it is now. */
export interface ThreadResponse {
  thread: ThreadView;
}

/** `DELETE /api/comments/:id`: the thread, or null when its last comment went. */
export interface CommentDeletedResponse {
  thread: ThreadView | null;
}

/** Which of a workspace's threads to list: the `status` of `GET /api/workspaces/:id/threads` (default `open`). */
export type ThreadStatusFilter = ThreadStatus | 'all';

/** `GET /api/workspaces/:id/threads?status=`, `GET /api/me/threads`. */
export interface WorkspaceThreadsResponse {
  threads: WorkspaceThread[];
}

/* ---------------------------------------------------------------- notifications */

/** `GET /api/notifications`. */
export interface NotificationsResponse {
  notifications: NotificationView[];
  unreadCount: number;
}

/** `POST /api/notifications/read`. */
export interface UnreadCountResponse {
  unreadCount: number;
}

/* ---------------------------------------------------------------- meetings */

/** `GET /api/meetings/:id`; starting (`POST /api/workspaces/:id/meetings`), changing (`PATCH /api/meetings/:id`) or ending one (`POST /api/meetings/:id/end`). */
export interface MeetingResponse {
  meeting: MeetingState;
}

/** `GET /api/workspaces/:id/meetings`. */
export interface MeetingsResponse {
  meetings: MeetingState[];
}

/* ---------------------------------------------------------------- sections */

/** `GET /api/documents/:id/sections`. */
export interface SectionsResponse {
  sections: SectionView[];
}

/** `PATCH /api/documents/:id/sections/:sectionId`. */
export interface SectionResponse {
  section: SectionView;
}

/** `GET /api/documents/:id/sections/:sectionId/activity`. */
export interface SectionActivityResponse {
  activity: SectionEventView[];
}

/** `GET /api/workspaces/:id/sections/progress`. */
export interface SectionProgressResponse {
  documents: SectionProgressView[];
}

/** `GET /api/me/sections`. */
export interface MySectionsResponse {
  mine: MySectionView[];
  waitingForMe: MySectionView[];
}

/** `POST /api/meetings/:id/minutes`. */
export interface MinutesResponse {
  document: DocumentMeta;
}

/* ---------------------------------------------------------------- history */

/** `GET /api/documents/:id/versions`. */
export interface VersionsResponse {
  versions: VersionView[];
}

/** `POST /api/documents/:id/versions` (201), and `POST …/versions/:versionId/restore` (the restore's own version). */
export interface VersionResponse {
  version: VersionView;
}

/** `POST /api/documents/:id/versions/:versionId/restore`. */
export interface RestoreResponse {
  /** The version recording the restore. */
  version: VersionView;
  /** Whether the document changed (false: it already equalled the version). */
  changed: boolean;
}

/** `GET /api/documents/:id/changes`. */
export type ChangesResponse = ChangesView;
