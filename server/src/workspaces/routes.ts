/** Workspaces and their members. */
import { Router } from 'express';
import {
  abilitiesOf,
  CreateWorkspaceRequestSchema,
  IdSchema,
  SetMemberRequestSchema,
  UpdateWorkspaceRequestSchema,
  type Member,
  type WorkspaceDetail,
  type WorkspaceSummary,
} from '@jane/shared';
import type { AppContext } from '../context.js';
import { BadRequestError, ForbiddenError, NotFoundError } from '../errors.js';
import { newId } from '../ids.js';
import { requireAdmin, requireUser } from '../auth/requestUser.js';
import type { WorkspaceRecord } from '../storage/port.js';
import { presentPublicUser } from '../users/present.js';
import { parseOrThrow } from '../validation.js';
import { requireWorkspaceAccess } from './access.js';

export function workspaceRoutes(ctx: AppContext): Router {
  const router = Router();
  const { store } = ctx;

  async function summaries(records: WorkspaceRecord[], roles: Map<string, WorkspaceSummary['myRole']>): Promise<WorkspaceSummary[]> {
    const [members, documents] = await Promise.all([store.memberships.countByWorkspace(), store.documents.countByWorkspace()]);
    return records.map((w) => ({
      ...w,
      myRole: roles.get(w.id) ?? null,
      memberCount: members.get(w.id) ?? 0,
      documentCount: documents.get(w.id) ?? 0,
    }));
  }

  router.get('/workspaces', async (req, res) => {
    const user = requireUser(req);
    const memberships = await store.memberships.listForUser(user.id);
    const roles = new Map(memberships.map((m) => [m.workspaceId, m.role]));
    const all = await store.workspaces.list();
    const visible = user.isAdmin ? all : all.filter((w) => roles.has(w.id));
    res.json({ workspaces: await summaries(visible, roles) });
  });

  /** People directory for adding members: administrators and chairs only. */
  router.get('/people', async (req, res) => {
    const user = requireUser(req);
    if (!user.isAdmin) {
      const chairs = (await store.memberships.listForUser(user.id)).some((m) => abilitiesOf(m.role).manageMembers);
      if (!chairs) throw new ForbiddenError('Only chairs and administrators can browse the people directory.');
    }
    const people = (await store.users.list()).filter((u) => u.active).map(presentPublicUser);
    res.json({ people });
  });

  router.post('/workspaces', async (req, res) => {
    requireAdmin(req);
    const body = parseOrThrow(CreateWorkspaceRequestSchema, req.body);
    const workspace: WorkspaceRecord = { id: newId(), ...body, createdAt: new Date().toISOString() };
    await store.workspaces.create(workspace);
    // Administrators are members of every workspace: their open connections join it.
    for (const admin of (await store.users.list()).filter((u) => u.isAdmin && u.active)) {
      ctx.accessEvents.emit('membershipChanged', { workspaceId: workspace.id, userId: admin.id });
    }
    res.status(201).json({ workspace });
  });

  router.get('/workspaces/:workspaceId', async (req, res) => {
    const user = requireUser(req);
    const workspaceId = parseOrThrow(IdSchema, req.params.workspaceId, 'workspace id');
    const access = await requireWorkspaceAccess(store, user, workspaceId);
    const memberships = await store.memberships.listForWorkspace(workspaceId);
    const users = new Map((await store.users.findManyByIds(memberships.map((m) => m.userId))).map((u) => [u.id, u]));
    const members: Member[] = memberships
      .filter((m) => users.get(m.userId)?.active)
      .map((m) => ({ ...presentPublicUser(users.get(m.userId)!), role: m.role }))
      .sort((a, b) => a.name.localeCompare(b.name));
    const [summary] = await summaries([access.workspace], new Map([[workspaceId, access.memberRole]]));
    const detail: WorkspaceDetail = { ...summary!, members };
    res.json({ workspace: detail, myRole: access.role, abilities: abilitiesOf(access.role) });
  });

  router.patch('/workspaces/:workspaceId', async (req, res) => {
    requireAdmin(req);
    const workspaceId = parseOrThrow(IdSchema, req.params.workspaceId, 'workspace id');
    const body = parseOrThrow(UpdateWorkspaceRequestSchema, req.body);
    const workspace = await store.workspaces.update(workspaceId, body);
    if (!workspace) throw new NotFoundError('This workspace does not exist.');
    res.json({ workspace });
  });

  router.put('/workspaces/:workspaceId/members/:userId', async (req, res) => {
    const user = requireUser(req);
    const workspaceId = parseOrThrow(IdSchema, req.params.workspaceId, 'workspace id');
    const userId = parseOrThrow(IdSchema, req.params.userId, 'user id');
    const body = parseOrThrow(SetMemberRequestSchema, req.body);
    await requireWorkspaceAccess(store, user, workspaceId, (role) => abilitiesOf(role).manageMembers, 'Only a chair can manage members.');
    if (userId === user.id && !user.isAdmin) throw new ForbiddenError('You cannot change your own role. Ask another chair or an administrator.');
    const member = await store.users.findById(userId);
    if (!member || !member.active) throw new BadRequestError('There is no active account with this id.');
    await store.memberships.upsert({ workspaceId, userId, role: body.role, createdAt: new Date().toISOString() });
    ctx.accessEvents.emit('membershipChanged', { workspaceId, userId });
    res.json({ member: { ...presentPublicUser(member), role: body.role } satisfies Member });
  });

  router.delete('/workspaces/:workspaceId/members/:userId', async (req, res) => {
    const user = requireUser(req);
    const workspaceId = parseOrThrow(IdSchema, req.params.workspaceId, 'workspace id');
    const userId = parseOrThrow(IdSchema, req.params.userId, 'user id');
    await requireWorkspaceAccess(store, user, workspaceId, (role) => abilitiesOf(role).manageMembers, 'Only a chair can manage members.');
    if (userId === user.id && !user.isAdmin) throw new ForbiddenError('You cannot remove yourself. Ask another chair or an administrator.');
    if (!(await store.memberships.remove(workspaceId, userId))) throw new NotFoundError('This person is not a member of the workspace.');
    ctx.accessEvents.emit('membershipChanged', { workspaceId, userId });
    res.status(204).end();
  });

  return router;
}
