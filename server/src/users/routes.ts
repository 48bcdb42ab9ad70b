/** Administration of accounts and invitations (admins only). */
import { Router } from 'express';
import {
  CreateInvitationRequestSchema,
  CreateUserRequestSchema,
  IdSchema,
  UpdateUserRequestSchema,
  type AdminUser,
  type AdminUsersResponse,
  type Invitation,
  type InvitationResponse,
  type InvitationsResponse,
  type UserResponse,
} from '@jane/shared';
import type { AppContext } from '../context.js';
import { BadRequestError, ConflictError, NotFoundError } from '../errors.js';
import { hashSecret, newId, newSecret } from '../ids.js';
import { requireAdmin } from '../auth/requestUser.js';
import { hashPassword } from '../auth/passwords.js';
import type { InvitationRecord, UserPatch } from '../storage/port.js';
import { createAccount } from './createAccount.js';
import { parseOrThrow } from '../validation.js';
import { presentUser } from './present.js';

function presentInvitation(record: InvitationRecord, url?: string): Invitation {
  return {
    id: record.id,
    email: record.email,
    name: record.name,
    memberships: record.memberships,
    createdAt: record.createdAt,
    expiresAt: record.expiresAt,
    acceptedAt: record.acceptedAt,
    ...(url ? { url } : {}),
  };
}

export function userAdminRoutes(ctx: AppContext): Router {
  const router = Router();
  const { store } = ctx;

  async function checkWorkspaces(ids: string[]): Promise<void> {
    for (const id of ids) {
      if (!(await store.workspaces.findById(id))) throw new BadRequestError(`Unknown workspace ${id}.`);
    }
  }

  router.get('/admin/users', async (req, res) => {
    requireAdmin(req);
    const users = await store.users.list();
    const withMemberships = await Promise.all(
      users.map(async (u): Promise<AdminUser> => ({
        ...presentUser(u),
        memberships: (await store.memberships.listForUser(u.id)).map((m) => ({ workspaceId: m.workspaceId, role: m.role })),
      })),
    );
    res.json({ users: withMemberships } satisfies AdminUsersResponse);
  });

  router.post('/admin/users', async (req, res) => {
    requireAdmin(req);
    const body = parseOrThrow(CreateUserRequestSchema, req.body);
    await checkWorkspaces((body.memberships ?? []).map((m) => m.workspaceId));
    const user = await createAccount(ctx, body, `An account for ${body.email} already exists.`);
    for (const membership of body.memberships ?? []) {
      await store.memberships.upsert({ ...membership, userId: user.id, createdAt: user.createdAt });
    }
    res.status(201).json({ user: presentUser(user) } satisfies UserResponse);
  });

  router.patch('/admin/users/:userId', async (req, res) => {
    const admin = requireAdmin(req);
    const userId = parseOrThrow(IdSchema, req.params.userId, 'user id');
    const body = parseOrThrow(UpdateUserRequestSchema, req.body);
    if (userId === admin.id && (body.active === false || body.isAdmin === false)) {
      throw new BadRequestError('You cannot deactivate yourself or remove your own administrator rights.');
    }
    const { password, ...rest } = body;
    const patch: UserPatch = { ...rest };
    if (password) patch.passwordHash = await hashPassword(password, ctx.config.scryptCost);
    const before = await store.users.findById(userId);
    const user = await store.users.update(userId, patch);
    if (!user) throw new NotFoundError('There is no such account.');
    if (before && before.isAdmin !== user.isAdmin) {
      // Administrators are in every workspace: open connections gain or lose them now.
      for (const workspace of await store.workspaces.list()) ctx.accessEvents.emit('membershipChanged', { workspaceId: workspace.id, userId });
    }
    if (body.active === false || password) {
      await store.sessions.deleteForUser(userId);
      ctx.accessEvents.emit('userSignedOut', { userId });
    }
    if (password) ctx.accessEvents.emit('passwordReset', { email: user.email });
    res.json({ user: presentUser(user) } satisfies UserResponse);
  });

  router.get('/admin/invitations', async (req, res) => {
    requireAdmin(req);
    res.json({ invitations: (await store.invitations.list()).map((i) => presentInvitation(i)) } satisfies InvitationsResponse);
  });

  router.post('/admin/invitations', async (req, res) => {
    const admin = requireAdmin(req);
    const body = parseOrThrow(CreateInvitationRequestSchema, req.body);
    await checkWorkspaces(body.memberships.map((m) => m.workspaceId));
    if (await store.users.findByEmail(body.email)) throw new ConflictError(`${body.email} already has an account; add them to workspaces instead.`);
    const token = newSecret();
    const now = new Date();
    const record: InvitationRecord = {
      id: newId(),
      tokenHash: hashSecret(token),
      email: body.email,
      name: body.name,
      memberships: body.memberships,
      createdBy: admin.id,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + body.expiresInDays * 86_400_000).toISOString(),
      acceptedAt: null,
    };
    await store.invitations.create(record);
    const base = ctx.config.publicUrl ?? `${req.protocol}://${req.get('host')}`;
    res.status(201).json({ invitation: presentInvitation(record, `${base}/invite/${token}`) } satisfies InvitationResponse);
  });

  router.delete('/admin/invitations/:invitationId', async (req, res) => {
    requireAdmin(req);
    const id = parseOrThrow(IdSchema, req.params.invitationId, 'invitation id');
    if (!(await store.invitations.delete(id))) throw new NotFoundError('There is no such invitation.');
    res.status(204).end();
  });

  return router;
}
