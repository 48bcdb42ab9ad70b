/** Workspaces and their members. */
import { Router } from 'express';
import {
  CreateWorkspaceRequestSchema,
  IdSchema,
  SetMemberRequestSchema,
  UpdateWorkspaceRequestSchema,
  memberAbilities,
  workspaceAbilities,
  type Member,
  type MemberResponse,
  type PeopleResponse,
  type WorkspaceChangedResponse,
  type WorkspaceDetail,
  type WorkspaceResponse,
  type WorkspacesResponse,
  type WorkspaceSummary,
} from '@jane/shared';
import type { AppContext } from '../context.js';
import { BadRequestError, ForbiddenError, NotFoundError } from '../errors.js';
import { newId } from '../ids.js';
import { requireAdmin, requireUser } from '../auth/requestUser.js';
import type { UserRecord, WorkspaceRecord } from '../storage/port.js';
import { presentPublicUser } from '../users/present.js';
import { parseOrThrow } from '../validation.js';
import { accountActor, authorize, requireWorkspaceAccess, workspaceActor } from '../policies/authorize.js';

export function workspaceRoutes(ctx: AppContext): Router {
  const router = Router();
  const { store } = ctx;

  /** Workspaces as `user` sees them: their role (null: an administrator's access) and abilities. */
  async function summaries(user: UserRecord, records: WorkspaceRecord[], roles: Map<string, WorkspaceSummary['myRole']>): Promise<WorkspaceSummary[]> {
    const [members, documents] = await Promise.all([store.memberships.countByWorkspace(), store.documents.countByWorkspace()]);
    return records.map((w) => {
      const myRole = roles.get(w.id) ?? null;
      return {
        ...w,
        myRole,
        memberCount: members.get(w.id) ?? 0,
        documentCount: documents.get(w.id) ?? 0,
        abilities: workspaceAbilities(workspaceActor(user, myRole)),
      };
    });
  }

  router.get('/workspaces', async (req, res) => {
    const user = requireUser(req);
    const memberships = await store.memberships.listForUser(user.id);
    const roles = new Map(memberships.map((m) => [m.workspaceId, m.role]));
    const all = await store.workspaces.list();
    const visible = user.isAdmin ? all : all.filter((w) => roles.has(w.id));
    res.json({ workspaces: await summaries(user, visible, roles) } satisfies WorkspacesResponse);
  });

  /** People directory for adding members: administrators and chairs only. */
  router.get('/people', async (req, res) => {
    const user = requireUser(req);
    const roles = (await store.memberships.listForUser(user.id)).map((m) => m.role);
    authorize(accountActor(user, roles.includes('chair') ? 'chair' : null), 'people.browse');
    const people = (await store.users.list()).filter((u) => u.active).map(presentPublicUser);
    res.json({ people } satisfies PeopleResponse);
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
    res.status(201).json({ workspace } satisfies WorkspaceChangedResponse);
  });

  router.get('/workspaces/:workspaceId', async (req, res) => {
    const user = requireUser(req);
    const workspaceId = parseOrThrow(IdSchema, req.params.workspaceId, 'workspace id');
    const access = await requireWorkspaceAccess(store, user, workspaceId);
    const memberships = await store.memberships.listForWorkspace(workspaceId);
    const users = new Map((await store.users.findManyByIds(memberships.map((m) => m.userId))).map((u) => [u.id, u]));
    const members: Member[] = memberships
      .filter((m) => users.get(m.userId)?.active)
      .map((m) => ({ ...presentPublicUser(users.get(m.userId)!), role: m.role, abilities: memberAbilities(access.actor, { userId: m.userId, role: m.role }) }))
      .sort((a, b) => a.name.localeCompare(b.name));
    const [summary] = await summaries(user, [access.workspace], new Map([[workspaceId, access.memberRole]]));
    const detail: WorkspaceDetail = { ...summary!, members };
    res.json({ workspace: detail, myRole: access.role, abilities: workspaceAbilities(access.actor) } satisfies WorkspaceResponse);
  });

  router.patch('/workspaces/:workspaceId', async (req, res) => {
    requireAdmin(req);
    const workspaceId = parseOrThrow(IdSchema, req.params.workspaceId, 'workspace id');
    const body = parseOrThrow(UpdateWorkspaceRequestSchema, req.body);
    const workspace = await store.workspaces.update(workspaceId, body);
    if (!workspace) throw new NotFoundError('This workspace does not exist.');
    res.json({ workspace } satisfies WorkspaceChangedResponse);
  });

  router.put('/workspaces/:workspaceId/members/:userId', async (req, res) => {
    const user = requireUser(req);
    const workspaceId = parseOrThrow(IdSchema, req.params.workspaceId, 'workspace id');
    const userId = parseOrThrow(IdSchema, req.params.userId, 'user id');
    const body = parseOrThrow(SetMemberRequestSchema, req.body);
    const { actor } = await requireWorkspaceAccess(store, user, workspaceId);
    authorize(actor, 'member.change', { userId });
    const member = await store.users.findById(userId);
    if (!member || !member.active) throw new BadRequestError('There is no active account with this id.');
    await store.memberships.upsert({ workspaceId, userId, role: body.role, createdAt: new Date().toISOString() });
    ctx.accessEvents.emit('membershipChanged', { workspaceId, userId });
    res.json({ member: { ...presentPublicUser(member), role: body.role, abilities: memberAbilities(actor, { userId, role: body.role }) } } satisfies MemberResponse);
  });

  router.delete('/workspaces/:workspaceId/members/:userId', async (req, res) => {
    const user = requireUser(req);
    const workspaceId = parseOrThrow(IdSchema, req.params.workspaceId, 'workspace id');
    const userId = parseOrThrow(IdSchema, req.params.userId, 'user id');
    authorize((await requireWorkspaceAccess(store, user, workspaceId)).actor, 'member.change', { userId });
    if (!(await store.memberships.remove(workspaceId, userId))) throw new NotFoundError('This person is not a member of the workspace.');
    ctx.accessEvents.emit('membershipChanged', { workspaceId, userId });
    res.status(204).end();
  });

  return router;
}
