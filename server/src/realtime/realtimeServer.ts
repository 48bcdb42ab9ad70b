/**
 * socket.io on the same HTTP server, for everything that is not document content.
 * Connections authenticate with the session cookie (and the Origin allowlist), join the
 * rooms of their own workspaces only, and are typed end to end by `@jane/shared`.
 * With REDIS_URL, the Redis adapter shares rooms, broadcasts and `fetchSockets` across
 * server instances.
 */
import type { Server as HttpServer } from 'node:http';
import { Redis } from 'ioredis';
import { createAdapter } from '@socket.io/redis-adapter';
import { Server } from 'socket.io';
import { can, colorForUser, REALTIME_PATH } from '@jane/shared';
import type { AppContext } from '../context.js';
import { isOriginAllowed } from '../auth/origin.js';
import type { CommentService } from '../comments/service.js';
import type { MeetingService } from '../meetings/service.js';
import type { UserRecord } from '../storage/port.js';
import { registerDocumentThreads, relayCommentEvents, relayNotificationEvents } from './documentThreads.js';
import type { NotificationService } from '../notifications/service.js';
import { AttendanceTracker } from './attendanceTracker.js';
import { MeetingEvents } from './meetingEvents.js';
import { PresenceService } from './presence.js';
import { relayAccessEvents } from './clusterEvents.js';
import type { LiveSession } from '../auth/liveSessions.js';
import { workspaceActor } from '../policies/authorize.js';
import { ConnectionCounter, inWords, MAX_REALTIME_CONNECTIONS_PER_ACCOUNT, RefusalCounter, SOCKET_EVENT_COSTS } from '../limits/budgets.js';
import { FrameMeter, SOCKET_EVENT_BUDGET } from '../limits/frameMeter.js';
import { documentRoom, userRoom, workspaceRoom, type RealtimeIO, type RealtimeSocket } from './types.js';
import { bindSocketLog } from './acks.js';
import type { Metrics } from '../observability/metrics.js';

const KNOWN_EVENTS = new Set([
  'presence:update',
  'presence:snapshot',
  'meeting:start',
  'meeting:update',
  'meeting:end',
  'meeting:join',
  'meeting:leave',
  'document:watch',
  'document:unwatch',
]);

export interface RealtimeServer {
  readonly io: RealtimeIO;
  connectionCount(): number;
  close(): Promise<void>;
}

export interface RealtimeOptions {
  meetingGraceMs: number;
  metrics?: Metrics | null;
}

/**
 * Redis clients for the socket.io adapter that survive Redis outages: they connect in the
 * background and retry for ever; while Redis is away, events still reach this instance's
 * own sockets, publishing to other instances fails at once (the adapter does not handle a
 * failed publish, which would otherwise be an unhandled rejection), and subscriptions
 * wait for the connection and are renewed after it.
 */
function adapterClients(url: string, log: AppContext['logger']): { pub: Redis; sub: Redis } {
  const retryStrategy = (attempt: number) => Math.min(1_000, 50 * attempt);
  const pub = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy });
  const sub = new Redis(url, { maxRetriesPerRequest: null, retryStrategy });
  let lastWarning = 0;
  const warn = (error: unknown, message: string) => {
    if (Date.now() - lastWarning < 10_000) return;
    lastWarning = Date.now();
    log.warn({ err: error }, message);
  };
  pub.on('error', (error) => warn(error, 'socket.io redis publisher error'));
  sub.on('error', (error) => warn(error, 'socket.io redis subscriber error'));
  const publish = pub.publish.bind(pub) as (channel: string | Buffer, message: string | Buffer) => Promise<number>;
  pub.publish = ((channel: string | Buffer, message: string | Buffer) =>
    publish(channel, message).catch((error: unknown) => {
      warn(error, 'socket.io redis publish failed; other instances miss this event');
      return 0;
    })) as typeof pub.publish;
  return { pub, sub };
}

/** The workspaces whose rooms a connection joins: those the policy lets the user see. */
async function workspaceIdsOf(ctx: AppContext, user: UserRecord): Promise<string[]> {
  const roles = new Map((await ctx.store.memberships.listForUser(user.id)).map((m) => [m.workspaceId, m.role]));
  const all = user.isAdmin ? (await ctx.store.workspaces.list()).map((w) => w.id) : [...roles.keys()];
  return all.filter((workspaceId) => can(workspaceActor(user, roles.get(workspaceId) ?? null), 'workspace.view'));
}

export async function attachRealtime(
  ctx: AppContext,
  httpServer: HttpServer,
  services: { meetings: MeetingService; comments: CommentService; notifications: NotificationService },
  options: RealtimeOptions,
): Promise<RealtimeServer> {
  const log = ctx.logger.child({ module: 'realtime' });
  const { meetings, comments } = services;
  const metrics = options.metrics ?? null;
  const io: RealtimeIO = new Server(httpServer, {
    path: REALTIME_PATH,
    serveClient: false,
    // Bounded frames: presence and meeting events are small.
    maxHttpBufferSize: 64 * 1024,
    // Leave other upgrade paths (/collab) to their own handler.
    destroyUpgrade: false,
    allowRequest: (req, callback) => callback(null, isOriginAllowed(req, ctx.config)),
  });

  let redis: { pub: Redis; sub: Redis } | null = null;
  if (ctx.config.redisUrl) {
    redis = adapterClients(ctx.config.redisUrl, log);
    const clients = redis;
    metrics?.probes.redis.set('socketio', () => clients.pub.status === 'ready' && clients.sub.status === 'ready');
    io.adapter(createAdapter(redis.pub, redis.sub, { key: `${ctx.config.redisPrefix}:socket.io`, requestsTimeout: 3000 }));
    log.info('socket.io uses the Redis adapter');
  }

  const presence = new PresenceService(io, ctx.store, meetings, log);
  const attendance = new AttendanceTracker(io, ctx.store, meetings, options.meetingGraceMs, log);
  const meetingEvents = new MeetingEvents(ctx.store, meetings, attendance, log);

  /** Open socket.io connections per account on this instance. */
  const realtimeConnections = new ConnectionCounter(MAX_REALTIME_CONNECTIONS_PER_ACCOUNT);
  /** Sessions of sockets between the handshake and the connection event. */
  const handshakeSessions = new Map<string, LiveSession>();
  io.use(async (socket, next) => {
    try {
      const session = await ctx.sessions.fromRequest(socket.request);
      if (!session) {
        metrics?.connectionRefused('socketio', 401);
        return next(new Error('unauthenticated'));
      }
      const user = session.user;
      if ((await ctx.budgets.realtimeConnects.spend(user.id)) > 0 || !realtimeConnections.tryOpen(user.id)) {
        metrics?.connectionRefused('socketio', 429);
        return next(new Error('too_many_connections'));
      }
      handshakeSessions.set(socket.id, session.session);
      const now = new Date().toISOString();
      socket.data = {
        userId: user.id,
        name: user.name,
        country: user.country,
        organisation: user.organisation,
        color: colorForUser(user.id),
        isAdmin: user.isAdmin,
        workspaceIds: await workspaceIdsOf(ctx, user),
        presence: {
          workspaceId: null,
          documentId: null,
          documentTitle: null,
          sectionId: null,
          sectionTitle: null,
          activity: 'active',
          hidden: socket.handshake.auth?.hidden === true,
          activeAt: now,
          connectedAt: now,
        },
        meetingIds: [],
        watched: {},
      };
      next();
    } catch (error) {
      metrics?.connectionRefused('socketio', 503);
      log.error({ err: error }, 'socket authentication failed');
      next(new Error('unavailable'));
    }
  });

  io.on('connection', (socket: RealtimeSocket) => {
    const session = handshakeSessions.get(socket.id);
    handshakeSessions.delete(socket.id);
    if (!session) {
      socket.disconnect(true);
      return;
    }
    // Every line about this socket carries its id (socket.id, as the client and the adapter know it).
    const socketLogger = bindSocketLog(socket, log.child({ socketId: socket.id, userId: socket.data.userId }));
    // Disconnected when its session ends (sign-out anywhere, deactivation, expiry).
    const stopWatching = ctx.liveSessions.register(session, () => socket.disconnect(true));
    socket.on('disconnect', () => {
      stopWatching();
      realtimeConnections.close(socket.data.userId);
    });
    spendOnEvents(socket, socketLogger);
    socket.join([userRoom(socket.data.userId), ...socket.data.workspaceIds.map(workspaceRoom)]);
    presence.register(socket);
    meetingEvents.register(socket);
    registerDocumentThreads(socket, ctx.store, comments, socketLogger);
    socket.onAny((event: string, ...args: unknown[]) => {
      if (KNOWN_EVENTS.has(event)) return;
      const ack = args.at(-1);
      if (typeof ack === 'function') ack({ ok: false, error: { code: 'unknown_event', message: `Unknown event "${event}".` } });
    });
    socket.on('disconnect', () => presence.publish(socket.id, socket.data, { gone: true }));
    presence.publish(socket.id, socket.data);
  });

  /**
   * Every client→server event spends from the connection's and the account's budget
   * before any handler runs. A refused event gets a `rate_limited` acknowledgement; a
   * connection that keeps flooding is disconnected. Refusing costs almost nothing, so a
   * flood from one account cannot slow anyone else down.
   */
  function spendOnEvents(socket: RealtimeSocket, socketLogger: AppContext['logger']): void {
    const refusals = new RefusalCounter();
    const meter = new FrameMeter(SOCKET_EVENT_BUDGET);
    /** Set once the connection is cut off: whatever it already sent is dropped unread. */
    let cut = false;
    const refuse = (packet: unknown[], waitMs: number) => {
      metrics?.socketEventsRefused.inc();
      const ack = packet.at(-1);
      if (typeof ack === 'function') ack({ ok: false, error: { code: 'rate_limited', message: `Too many requests; wait ${inWords(waitMs)}.` } });
      if (!cut && refusals.refuse()) {
        cut = true;
        socketLogger.warn('socket.io connection keeps flooding; disconnected');
        socket.disconnect(true);
      }
    };
    socket.use((packet, next) => {
      if (cut) return;
      const cost = SOCKET_EVENT_COSTS[String(packet[0])] ?? 1;
      // Judged at once, in order: a burst already in the socket is refused for almost nothing.
      if (!meter.spend(0, cost)) return refuse(packet, 1_000);
      ctx.budgets.socketEventsPerAccount.spend(socket.data.userId, cost).then(
        (waitMs) => (waitMs === 0 ? next() : refuse(packet, waitMs)),
        (error: unknown) => next(error instanceof Error ? error : new Error(String(error))),
      );
    });
  }

  relayCommentEvents(io, comments);
  relayNotificationEvents(io, services.notifications);
  meetings.on('changed', ({ workspaceId, meetingId, state }) => {
    io.to(workspaceRoom(workspaceId)).emit('meeting:changed', { workspaceId, meetingId, state });
  });

  /** Applies a membership change to this instance's connections of that user. */
  async function applyMembership(workspaceId: string, userId: string, isMember: boolean): Promise<void> {
    const sockets = await io.in(userRoom(userId)).local.fetchSockets();
    for (const remote of sockets) {
      const socket = io.sockets.sockets.get(remote.id);
      if (!socket) continue;
      const has = socket.data.workspaceIds.includes(workspaceId);
      if (isMember && !has) {
        socket.data.workspaceIds.push(workspaceId);
        socket.join(workspaceRoom(workspaceId));
        presence.publish(socket.id, socket.data, { resend: workspaceId });
      } else if (!isMember && has) {
        io.to(workspaceRoom(workspaceId)).emit('presence:left', { workspaceId, connectionId: socket.id });
        presence.forget(socket.id, workspaceId);
        socket.leave(workspaceRoom(workspaceId));
        socket.data.workspaceIds = socket.data.workspaceIds.filter((id) => id !== workspaceId);
        for (const [documentId, documentWorkspace] of Object.entries(socket.data.watched)) {
          if (documentWorkspace !== workspaceId) continue;
          socket.leave(documentRoom(documentId));
          delete socket.data.watched[documentId];
        }
      }
      socket.emit('access:changed', { workspaceId });
    }
  }
  // Raised here or relayed from another instance: each instance updates its own sockets.
  ctx.accessEvents.on('membershipChanged', ({ workspaceId, userId }) => {
    void (async () => {
      const user = await ctx.store.users.findById(userId);
      const membership = await ctx.store.memberships.find(workspaceId, userId);
      const isMember = user !== null && can(workspaceActor(user, membership?.role ?? null), 'workspace.view');
      await applyMembership(workspaceId, userId, isMember);
    })().catch((error) => log.error({ err: error }, 'applying a membership change failed'));
  });
  relayAccessEvents(io, ctx.accessEvents, log);
  // Raised here: the adapter carries it to every instance's sockets (a relayed copy would repeat it).
  ctx.accessEvents.on('sectionsChanged', ({ documentId, workspaceId, fromCluster }) => {
    if (!fromCluster) io.to([documentRoom(documentId), workspaceRoom(workspaceId)]).emit('sections:changed', { workspaceId, documentId });
  });

  await attendance.recoverAfterRestart();

  return {
    io,
    connectionCount: () => io.engine.clientsCount,
    async close() {
      // Not io.close(): that would also close the HTTP server, which app.ts owns.
      io.local.disconnectSockets(true);
      io.engine.close();
      attendance.close();
      if (redis) {
        for (const client of [redis.pub, redis.sub]) {
          if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
          else client.disconnect();
        }
      }
    },
  };
}
