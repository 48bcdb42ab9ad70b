/** Typed calls to the REST API (the routes in server/src, one function each). */
import type {
  AcceptInvitationRequest,
  CreateDocumentRequest,
  CreateInvitationRequest,
  CreateUserRequest,
  CreateWorkspaceRequest,
  DocumentMeta,
  Invitation,
  InvitationPreview,
  LoginRequest,
  Member,
  PublicUser,
  Role,
  WorkspaceAbilities,
  SetupRequest,
  UpdateDocumentRequest,
  UpdateUserRequest,
  UpdateWorkspaceRequest,
  User,
  Workspace,
  WorkspaceDetail,
  WorkspaceSummary,
} from '@jane/shared/core';
import { http } from './http';

export { ApiError, errorMessage } from './http';

export interface AdminUser extends User {
  memberships: { workspaceId: string; role: Role }[];
}

export interface WorkspaceResponse {
  workspace: WorkspaceDetail;
  myRole: Role;
  abilities: WorkspaceAbilities;
}

export interface DocumentResponse {
  document: DocumentMeta;
  workspace: Workspace;
  myRole: Role;
  canEdit: boolean;
}

const id = encodeURIComponent;

export const api = {
  setupStatus: () => http.get<{ needsSetup: boolean }>('/api/setup', { allowUnauthorized: true }),
  setup: (body: SetupRequest) => http.post<{ user: User }>('/api/setup', body, { allowUnauthorized: true }),
  login: (body: LoginRequest) => http.post<{ user: User }>('/api/auth/login', body, { allowUnauthorized: true }),
  logout: () => http.post<void>('/api/auth/logout', {}, { allowUnauthorized: true }),
  me: () => http.get<{ user: User }>('/api/auth/me', { allowUnauthorized: true }),

  invitation: (token: string) => http.get<{ invitation: InvitationPreview }>(`/api/invitations/${id(token)}`, { allowUnauthorized: true }),
  acceptInvitation: (token: string, body: AcceptInvitationRequest) =>
    http.post<{ user: User }>(`/api/invitations/${id(token)}/accept`, body, { allowUnauthorized: true }),

  workspaces: () => http.get<{ workspaces: WorkspaceSummary[] }>('/api/workspaces'),
  workspace: (workspaceId: string) => http.get<WorkspaceResponse>(`/api/workspaces/${id(workspaceId)}`),
  createWorkspace: (body: CreateWorkspaceRequest) => http.post<{ workspace: Workspace }>('/api/workspaces', body),
  updateWorkspace: (workspaceId: string, body: UpdateWorkspaceRequest) =>
    http.patch<{ workspace: Workspace }>(`/api/workspaces/${id(workspaceId)}`, body),
  setMember: (workspaceId: string, userId: string, role: Role) =>
    http.put<{ member: Member }>(`/api/workspaces/${id(workspaceId)}/members/${id(userId)}`, { role }),
  removeMember: (workspaceId: string, userId: string) => http.delete(`/api/workspaces/${id(workspaceId)}/members/${id(userId)}`),
  people: () => http.get<{ people: PublicUser[] }>('/api/people'),

  documents: (workspaceId: string) => http.get<{ documents: DocumentMeta[] }>(`/api/workspaces/${id(workspaceId)}/documents`),
  createDocument: (workspaceId: string, body: CreateDocumentRequest) =>
    http.post<{ document: DocumentMeta }>(`/api/workspaces/${id(workspaceId)}/documents`, body),
  document: (documentId: string) => http.get<DocumentResponse>(`/api/documents/${id(documentId)}`),
  updateDocument: (documentId: string, body: UpdateDocumentRequest) =>
    http.patch<{ document: DocumentMeta }>(`/api/documents/${id(documentId)}`, body),

  adminUsers: () => http.get<{ users: AdminUser[] }>('/api/admin/users'),
  createUser: (body: CreateUserRequest) => http.post<{ user: User }>('/api/admin/users', body),
  updateUser: (userId: string, body: UpdateUserRequest) => http.patch<{ user: User }>(`/api/admin/users/${id(userId)}`, body),
  invitations: () => http.get<{ invitations: Invitation[] }>('/api/admin/invitations'),
  createInvitation: (body: CreateInvitationRequest) => http.post<{ invitation: Invitation }>('/api/admin/invitations', body),
  revokeInvitation: (invitationId: string) => http.delete(`/api/admin/invitations/${id(invitationId)}`),
};
