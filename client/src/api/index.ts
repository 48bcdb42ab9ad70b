/**
 * Typed calls to the REST API (the routes in server/src, one function each). Every
 * request the client makes goes through here; the answers are typed once for both sides in
 * shared/src/schemas/responses.ts.
 */
import type {
  AcceptInvitationRequest,
  AdminUsersResponse,
  ChangesResponse,
  CommentDeletedResponse,
  CreateDocumentRequest,
  CreateInvitationRequest,
  CreateThreadRequest,
  CreateUserRequest,
  CreateVersionRequest,
  CreateWorkspaceRequest,
  DocumentChangedResponse,
  DocumentResponse,
  DocumentsResponse,
  DocumentThreadsResponse,
  ImportDocumentResponse,
  InvitationPreviewResponse,
  InvitationResponse,
  InvitationsResponse,
  LoginRequest,
  MeetingResponse,
  MeetingsResponse,
  MemberResponse,
  MinutesResponse,
  MySectionsResponse,
  NotificationsResponse,
  PeopleResponse,
  RestoreResponse,
  Role,
  SectionActivityResponse,
  SectionProgressResponse,
  SectionResponse,
  SectionsResponse,
  SetupRequest,
  SetupStatusResponse,
  ThreadResponse,
  ThreadStatusFilter,
  UnreadCountResponse,
  UpdateDocumentRequest,
  UpdateSectionRequest,
  UpdateUserRequest,
  UpdateWorkspaceRequest,
  UserResponse,
  VersionResponse,
  VersionsResponse,
  WorkspaceChangedResponse,
  WorkspaceResponse,
  WorkspacesResponse,
  WorkspaceThreadsResponse,
} from '@jane/shared/core';
import { http, type RequestOptions } from './http';

export { ApiError, errorMessage } from './http';
/** What each route answers (declared in shared/src/schemas/responses.ts), for the stores and views. */
export type {
  AdminUser,
  AdminUsersResponse,
  ChangesResponse,
  CommentDeletedResponse,
  DocumentChangedResponse,
  DocumentResponse,
  DocumentsResponse,
  DocumentThreadsResponse,
  ImportDocumentResponse,
  InvitationPreviewResponse,
  InvitationResponse,
  InvitationsResponse,
  MeetingResponse,
  MeetingsResponse,
  MemberResponse,
  MinutesResponse,
  MySectionsResponse,
  NotificationsResponse,
  PeopleResponse,
  RestoreResponse,
  SectionActivityResponse,
  SectionProgressResponse,
  SectionResponse,
  SectionsResponse,
  SetupStatusResponse,
  ThreadResponse,
  ThreadStatusFilter,
  UnreadCountResponse,
  UserResponse,
  VersionResponse,
  VersionsResponse,
  WorkspaceChangedResponse,
  WorkspaceResponse,
  WorkspacesResponse,
  WorkspaceThreadsResponse,
} from '@jane/shared/core';

const id = encodeURIComponent;

export const api = {
  setupStatus: () => http.get<SetupStatusResponse>('/api/setup', { allowUnauthorized: true }),
  setup: (body: SetupRequest) => http.post<UserResponse>('/api/setup', body, { allowUnauthorized: true }),
  login: (body: LoginRequest) => http.post<UserResponse>('/api/auth/login', body, { allowUnauthorized: true }),
  logout: () => http.post<void>('/api/auth/logout', {}, { allowUnauthorized: true }),
  me: () => http.get<UserResponse>('/api/auth/me', { allowUnauthorized: true }),

  invitation: (token: string) => http.get<InvitationPreviewResponse>(`/api/invitations/${id(token)}`, { allowUnauthorized: true }),
  acceptInvitation: (token: string, body: AcceptInvitationRequest) =>
    http.post<UserResponse>(`/api/invitations/${id(token)}/accept`, body, { allowUnauthorized: true }),

  workspaces: () => http.get<WorkspacesResponse>('/api/workspaces'),
  workspace: (workspaceId: string) => http.get<WorkspaceResponse>(`/api/workspaces/${id(workspaceId)}`),
  createWorkspace: (body: CreateWorkspaceRequest) => http.post<WorkspaceChangedResponse>('/api/workspaces', body),
  updateWorkspace: (workspaceId: string, body: UpdateWorkspaceRequest) =>
    http.patch<WorkspaceChangedResponse>(`/api/workspaces/${id(workspaceId)}`, body),
  setMember: (workspaceId: string, userId: string, role: Role) =>
    http.put<MemberResponse>(`/api/workspaces/${id(workspaceId)}/members/${id(userId)}`, { role }),
  removeMember: (workspaceId: string, userId: string) => http.delete(`/api/workspaces/${id(workspaceId)}/members/${id(userId)}`),
  people: () => http.get<PeopleResponse>('/api/people'),

  documents: (workspaceId: string) => http.get<DocumentsResponse>(`/api/workspaces/${id(workspaceId)}/documents`),
  createDocument: (workspaceId: string, body: CreateDocumentRequest) =>
    http.post<DocumentChangedResponse>(`/api/workspaces/${id(workspaceId)}/documents`, body),
  /** A new document from a Word (.docx) or Markdown (.md) file, with the report of what was kept and dropped. */
  importDocument: (workspaceId: string, file: File, title?: string) => {
    const form = new FormData();
    form.append('file', file, file.name);
    if (title?.trim()) form.append('title', title.trim());
    return http.post<ImportDocumentResponse>(`/api/workspaces/${id(workspaceId)}/documents/import`, form);
  },
  document: (documentId: string, options?: RequestOptions) => http.get<DocumentResponse>(`/api/documents/${id(documentId)}`, options),
  updateDocument: (documentId: string, body: UpdateDocumentRequest) =>
    http.patch<DocumentChangedResponse>(`/api/documents/${id(documentId)}`, body),

  sections: (documentId: string) => http.get<SectionsResponse>(`/api/documents/${id(documentId)}/sections`),
  updateSection: (documentId: string, sectionId: string, body: UpdateSectionRequest) =>
    http.patch<SectionResponse>(`/api/documents/${id(documentId)}/sections/${id(sectionId)}`, body),
  sectionActivity: (documentId: string, sectionId: string) =>
    http.get<SectionActivityResponse>(`/api/documents/${id(documentId)}/sections/${id(sectionId)}/activity`),
  sectionProgress: (workspaceId: string) => http.get<SectionProgressResponse>(`/api/workspaces/${id(workspaceId)}/sections/progress`),
  mySections: () => http.get<MySectionsResponse>('/api/me/sections'),

  /** The document's versions, newest first. */
  versions: (documentId: string) => http.get<VersionsResponse>(`/api/documents/${id(documentId)}/versions`),
  createVersion: (documentId: string, body: CreateVersionRequest) => http.post<VersionResponse>(`/api/documents/${id(documentId)}/versions`, body),
  /** Who changed what, per section, from `from` (a version id, `last-visit` or `start`) to `to` (a version id or `current`). */
  changes: (documentId: string, from: string, to: string = 'current') =>
    http.get<ChangesResponse>(`/api/documents/${id(documentId)}/changes?from=${id(from)}&to=${id(to)}`),
  /** Restores a whole version, or only one section of it. */
  restoreVersion: (documentId: string, versionId: string, sectionId?: string) =>
    http.post<RestoreResponse>(`/api/documents/${id(documentId)}/versions/${id(versionId)}/restore`, sectionId ? { sectionId } : {}),

  documentThreads: (documentId: string) => http.get<DocumentThreadsResponse>(`/api/documents/${id(documentId)}/threads`),
  createThread: (documentId: string, body: CreateThreadRequest) => http.post<ThreadResponse>(`/api/documents/${id(documentId)}/threads`, body),
  reply: (threadId: string, body: string) => http.post<ThreadResponse>(`/api/threads/${id(threadId)}/comments`, { body }),
  editComment: (commentId: string, body: string) => http.patch<ThreadResponse>(`/api/comments/${id(commentId)}`, { body }),
  deleteComment: (commentId: string) => http.delete<CommentDeletedResponse>(`/api/comments/${id(commentId)}`),
  setThreadResolved: (threadId: string, resolved: boolean) =>
    http.post<ThreadResponse>(`/api/threads/${id(threadId)}/${resolved ? 'resolve' : 'reopen'}`),
  workspaceThreads: (workspaceId: string, status: ThreadStatusFilter) =>
    http.get<WorkspaceThreadsResponse>(`/api/workspaces/${id(workspaceId)}/threads?status=${id(status)}`),
  myThreads: () => http.get<WorkspaceThreadsResponse>('/api/me/threads'),

  notifications: () => http.get<NotificationsResponse>('/api/notifications'),
  /** Marks these notifications read, or all of them without ids. */
  markNotificationsRead: (ids?: string[]) => http.post<UnreadCountResponse>('/api/notifications/read', ids ? { ids } : {}),

  meeting: (meetingId: string) => http.get<MeetingResponse>(`/api/meetings/${id(meetingId)}`),
  workspaceMeetings: (workspaceId: string) => http.get<MeetingsResponse>(`/api/workspaces/${id(workspaceId)}/meetings`),
  /** The meeting's minutes document: created the first time (times in `timeZone`), the same one after. */
  createMinutes: (meetingId: string, timeZone: string) => http.post<MinutesResponse>(`/api/meetings/${id(meetingId)}/minutes`, { timeZone }),
  /** Where the server writes a meeting's attendance: a plain link (the session cookie goes along), times in `timeZone`. */
  attendanceUrl: (meetingId: string, format: 'csv' | 'md', timeZone: string) =>
    `/api/meetings/${id(meetingId)}/attendance.${format}?tz=${id(timeZone)}`,

  adminUsers: () => http.get<AdminUsersResponse>('/api/admin/users'),
  createUser: (body: CreateUserRequest) => http.post<UserResponse>('/api/admin/users', body),
  updateUser: (userId: string, body: UpdateUserRequest) => http.patch<UserResponse>(`/api/admin/users/${id(userId)}`, body),
  invitations: () => http.get<InvitationsResponse>('/api/admin/invitations'),
  createInvitation: (body: CreateInvitationRequest) => http.post<InvitationResponse>('/api/admin/invitations', body),
  revokeInvitation: (invitationId: string) => http.delete(`/api/admin/invitations/${id(invitationId)}`),
};
