import { z } from 'zod';
import { optionalSingleLine, singleLine } from './text.js';
import { DOCUMENT_TEMPLATES, WORKSPACE_KINDS, type DocumentTemplate, type WorkspaceKind } from '../domain/workspaces.js';
import type { Role } from '../domain/roles.js';
import type { DocumentAbilities, MemberAbilities, WorkspaceAbilities } from '../policy/policy.js';
import { CountrySchema } from './countries.js';
import { RoleSchema } from './roles.js';

export type { DocumentTemplate, WorkspaceKind };

/* ------------------------------------------------------------------ entities */

export const WorkspaceKindSchema = z.enum(WORKSPACE_KINDS);
export const DocumentTemplateSchema = z.enum(DOCUMENT_TEMPLATES);

/** A person as every other member may see them. */
export interface PublicUser {
  id: string;
  name: string;
  email: string;
  country: string;
  organisation: string;
}

/** The signed-in user (and what an admin sees of an account). */
export interface User extends PublicUser {
  isAdmin: boolean;
  active: boolean;
  createdAt: string;
}

export interface Workspace {
  id: string;
  kind: WorkspaceKind;
  title: string;
  createdAt: string;
}

/** A workspace as listed for the signed-in user. */
export interface WorkspaceSummary extends Workspace {
  /** The user's role, or `null` for an admin who is not a member. */
  myRole: Role | null;
  memberCount: number;
  documentCount: number;
  /** What the user may do here (the client shows only these actions). */
  abilities: WorkspaceAbilities;
}

export interface Member extends PublicUser {
  role: Role;
  /** What the user asking may do with this member. */
  abilities: MemberAbilities;
}

export interface WorkspaceDetail extends WorkspaceSummary {
  members: Member[];
}

export interface DocumentMeta {
  id: string;
  workspaceId: string;
  title: string;
  template: DocumentTemplate;
  archived: boolean;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  /** Display name of the last person whose edit was saved, if any. */
  updatedByName: string | null;
  /** What the person asking may do with it (the client shows only these actions). */
  abilities: DocumentAbilities;
}


export interface InvitationMembership {
  workspaceId: string;
  role: Role;
}

export interface Invitation {
  id: string;
  email: string;
  name: string;
  memberships: InvitationMembership[];
  createdAt: string;
  expiresAt: string;
  acceptedAt: string | null;
  /** Only present in the response that created it: the link to send. */
  url?: string;
}

/** What an invitee sees before accepting. */
export interface InvitationPreview {
  email: string;
  name: string;
  workspaces: { title: string; role: Role }[];
  expiresAt: string;
}

export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/* ------------------------------------------------------------------ requests */

const name = singleLine(120, 'Enter a name');
const email = z.string().trim().toLowerCase().email('Enter a valid email address').max(254);
const organisation = singleLine(200, 'Enter an organisation');
/** At least 10 characters; long passphrases welcome. */
export const PasswordSchema = z.string().min(10, 'Use at least 10 characters').max(1024);

export const SetupRequestSchema = z.strictObject({
  name,
  email,
  country: CountrySchema,
  organisation,
  password: PasswordSchema,
});
export type SetupRequest = z.input<typeof SetupRequestSchema>;

export const LoginRequestSchema = z.strictObject({
  email,
  password: z.string().min(1, 'Enter your password').max(1024),
});
export type LoginRequest = z.input<typeof LoginRequestSchema>;

const membershipInput = z.strictObject({ workspaceId: z.string().min(1).max(64), role: RoleSchema });

export const CreateUserRequestSchema = z.strictObject({
  name,
  email,
  country: CountrySchema,
  organisation,
  password: PasswordSchema,
  isAdmin: z.boolean().optional(),
  memberships: z.array(membershipInput).max(50).optional(),
});
export type CreateUserRequest = z.input<typeof CreateUserRequestSchema>;

export const UpdateUserRequestSchema = z
  .strictObject({
    name: name.optional(),
    country: CountrySchema.optional(),
    organisation: organisation.optional(),
    isAdmin: z.boolean().optional(),
    active: z.boolean().optional(),
    password: PasswordSchema.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'Nothing to change' });
export type UpdateUserRequest = z.input<typeof UpdateUserRequestSchema>;

export const CreateInvitationRequestSchema = z.strictObject({
  email,
  name: optionalSingleLine(120).default(''),
  memberships: z.array(membershipInput).max(50).default([]),
  /** Days until the link expires (default 14). */
  expiresInDays: z.number().int().min(1).max(90).default(14),
});
export type CreateInvitationRequest = z.input<typeof CreateInvitationRequestSchema>;

export const AcceptInvitationRequestSchema = z.strictObject({
  name,
  country: CountrySchema,
  organisation,
  password: PasswordSchema,
});
export type AcceptInvitationRequest = z.input<typeof AcceptInvitationRequestSchema>;

export const CreateWorkspaceRequestSchema = z.strictObject({
  kind: WorkspaceKindSchema,
  title: singleLine(200, 'Enter a title'),
});
export type CreateWorkspaceRequest = z.input<typeof CreateWorkspaceRequestSchema>;

export const UpdateWorkspaceRequestSchema = z
  .strictObject({
    kind: WorkspaceKindSchema.optional(),
    title: singleLine(200, 'Enter a title').optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'Nothing to change' });
export type UpdateWorkspaceRequest = z.input<typeof UpdateWorkspaceRequestSchema>;

export const SetMemberRequestSchema = z.strictObject({ role: RoleSchema });
export type SetMemberRequest = z.input<typeof SetMemberRequestSchema>;

export const CreateDocumentRequestSchema = z.strictObject({
  title: singleLine(200, 'Enter a title'),
  template: DocumentTemplateSchema.default('blank'),
});
export type CreateDocumentRequest = z.input<typeof CreateDocumentRequestSchema>;

export const UpdateDocumentRequestSchema = z
  .strictObject({
    title: singleLine(200, 'Enter a title').optional(),
    archived: z.boolean().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'Nothing to change' });
export type UpdateDocumentRequest = z.input<typeof UpdateDocumentRequestSchema>;

/** Route parameter ids: our ids are URL-safe random strings. */
export const IdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Malformed id');
