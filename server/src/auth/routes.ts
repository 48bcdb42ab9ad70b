/** Routes for first-run setup, sign-in/out, the current user, and accepting invitations. */
import { Router, type Request, type Response } from 'express';
import {
  AcceptInvitationRequestSchema,
  LoginRequestSchema,
  SetupRequestSchema,
  type InvitationPreview,
  type InvitationPreviewResponse,
  type SetupStatusResponse,
  type UserResponse,
} from '@jane/shared';
import type { AppContext } from '../context.js';
import { ConflictError, GoneError, NotFoundError, UnauthorizedError } from '../errors.js';
import { hashSecret, newSecret } from '../ids.js';
import type { UserRecord } from '../storage/port.js';
import { createAccount } from '../users/createAccount.js';
import { presentUser } from '../users/present.js';
import { parseOrThrow } from '../validation.js';
import { DEVICE_COOKIE, LoginThrottle } from './loginThrottle.js';
import { readCookie } from './sessions.js';
import { decoyPasswordHash, verifyPassword } from './passwords.js';
import { requireUser } from './requestUser.js';

export function authRoutes(ctx: AppContext): Router {
  const router = Router();
  const throttle = new LoginThrottle();
  ctx.accessEvents.on('passwordReset', ({ email }) => void throttle.clear(email));
  let setupInProgress = false;

  const isSecure = (req: Request) => req.secure || Boolean(ctx.config.publicUrl?.startsWith('https://'));

  async function signIn(req: Request, res: Response, user: UserRecord): Promise<void> {
    const { token, expiresAt } = await ctx.sessions.create(user.id);
    res.append('Set-Cookie', ctx.sessions.cookie(token, expiresAt, isSecure(req)));
  }

  /** A long-lived, sign-in-only cookie naming this browser (see loginThrottle.ts). */
  const deviceCookie = (device: string, secure: boolean) =>
    `${DEVICE_COOKIE}=${device}; Path=/api/auth; HttpOnly; SameSite=Lax; Max-Age=${365 * 86_400}${secure ? '; Secure' : ''}`;

  router.get('/setup', async (_req, res) => {
    res.json({ needsSetup: (await ctx.store.users.count()) === 0 } satisfies SetupStatusResponse);
  });

  router.post('/setup', async (req, res) => {
    const body = parseOrThrow(SetupRequestSchema, req.body);
    if (setupInProgress || (await ctx.store.users.count()) > 0) {
      throw new ConflictError('This workspace is already set up. Sign in instead.');
    }
    setupInProgress = true;
    try {
      const admin = await createAccount(ctx, { ...body, isAdmin: true }, 'This workspace is already set up. Sign in instead.');
      ctx.logger.info({ userId: admin.id }, 'first-run setup created the administrator');
      await signIn(req, res, admin);
      res.status(201).json({ user: presentUser(admin) } satisfies UserResponse);
    } finally {
      setupInProgress = false;
    }
  });

  router.post('/auth/login', async (req, res) => {
    const body = parseOrThrow(LoginRequestSchema, req.body);
    const context = { email: body.email, address: req.ip ?? 'unknown', device: readCookie(req.headers.cookie, DEVICE_COOKIE) };
    await throttle.check(context);
    const user = await ctx.store.users.findByEmail(body.email);
    const valid = await verifyPassword(body.password, user?.passwordHash ?? (await decoyPasswordHash(ctx.config.scryptCost)));
    if (!user || !valid || !user.active) {
      await throttle.recordFailure(context);
      // The same answer for a deactivated account, whatever the password: it must not
      // tell a guesser whether the password was right.
      throw new UnauthorizedError('Wrong email or password.');
    }
    // This browser becomes a known device for the account: guessing elsewhere never locks it out.
    const device = context.device && /^[A-Za-z0-9_-]{20,100}$/.test(context.device) ? context.device : newSecret();
    throttle.recordSuccess({ ...context, device });
    res.append('Set-Cookie', deviceCookie(device, isSecure(req)));
    await signIn(req, res, user);
    res.json({ user: presentUser(user) } satisfies UserResponse);
  });

  router.post('/auth/logout', async (req, res) => {
    if (req.sessionToken) {
      const tokenHash = await ctx.sessions.destroy(req.sessionToken);
      // Every tab, every instance: its /collab sockets close with 4401, socket.io disconnects.
      ctx.accessEvents.emit('sessionEnded', { tokenHash });
    }
    res.setHeader('Set-Cookie', ctx.sessions.clearCookie(isSecure(req)));
    res.status(204).end();
  });

  router.get('/auth/me', (req, res) => {
    res.json({ user: presentUser(requireUser(req)) } satisfies UserResponse);
  });

  async function findOpenInvitation(token: string) {
    const invitation = await ctx.store.invitations.findByTokenHash(hashSecret(token));
    if (!invitation) throw new NotFoundError('This invitation link is not valid. Ask for a new one.');
    if (invitation.acceptedAt) throw new GoneError('This invitation was already used. Sign in instead.');
    if (invitation.expiresAt <= new Date().toISOString()) throw new GoneError('This invitation has expired. Ask for a new one.');
    return invitation;
  }

  router.get('/invitations/:token', async (req, res) => {
    const invitation = await findOpenInvitation(req.params.token);
    const workspaces = await Promise.all(
      invitation.memberships.map(async (m) => ({ title: (await ctx.store.workspaces.findById(m.workspaceId))?.title ?? '', role: m.role })),
    );
    const preview: InvitationPreview = {
      email: invitation.email,
      name: invitation.name,
      workspaces: workspaces.filter((w) => w.title),
      expiresAt: invitation.expiresAt,
    };
    res.json({ invitation: preview } satisfies InvitationPreviewResponse);
  });

  router.post('/invitations/:token/accept', async (req, res) => {
    const body = parseOrThrow(AcceptInvitationRequestSchema, req.body);
    const invitation = await findOpenInvitation(req.params.token);
    if (!(await ctx.store.invitations.markAccepted(invitation.id, new Date().toISOString()))) {
      throw new GoneError('This invitation was already used. Sign in instead.');
    }
    const user = await createAccount(ctx, { ...body, email: invitation.email }, 'An account with this email already exists. Sign in instead.');
    for (const membership of invitation.memberships) {
      if (!(await ctx.store.workspaces.findById(membership.workspaceId))) continue;
      await ctx.store.memberships.upsert({ ...membership, userId: user.id, createdAt: user.createdAt });
    }
    await signIn(req, res, user);
    res.status(201).json({ user: presentUser(user) } satisfies UserResponse);
  });

  return router;
}
