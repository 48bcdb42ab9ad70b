/**
 * The collaboration endpoint: WebSocket upgrades on `/collab/<documentId>`, speaking the
 * y-websocket protocol. The upgrade is refused with an HTTP status (401/403/404) before
 * any document is loaded when the session, the Origin or the user's access is wrong.
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { CloseCode, COLLAB_ACK_PARAM, COLLAB_PATH_PREFIX, colorForUser, IdSchema, REALTIME_PATH } from '@jane/shared';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { isOriginAllowed } from '../auth/origin.js';
import { requireDocumentAccess } from '../policies/authorize.js';
import type { UserRecord } from '../storage/port.js';
import { CollabConnection, type ConnectionInfo } from './connection.js';
import { RedisDocumentBus } from './documentBus.js';
import { DocumentRegistry } from './documentRegistry.js';
import { GroupCommitWriter } from './groupCommit.js';
import { LiveDocuments } from './liveDocuments.js';
import { SectionIdKeeper } from './sectionIds.js';
import { ConnectionCounter } from '../limits/budgets.js';
import { LogBudget } from '../limits/logBudget.js';
import { newId } from '../ids.js';
import type { Metrics } from '../observability/metrics.js';

/** Upgrades being authenticated at once; more are refused with 503 (bounds pre-auth work). */
const MAX_PENDING_UPGRADES = 512;
const PING_INTERVAL_MS = 30_000;

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};

function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  if (socket.destroyed) return;
  const body = `${message}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\n` +
      'Connection: close\r\nContent-Type: text/plain; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

export interface CollabServer {
  readonly registry: DocumentRegistry;
  readonly writer: GroupCommitWriter;
  /** The Redis fan-out, when configured. */
  readonly bus: RedisDocumentBus | null;
  /** The server's write path into documents (restore, templates, migrations, imports). */
  readonly liveDocuments: LiveDocuments;
  connectionCount(): number;
  /** Calls `listener` whenever a person's connection to a document closes (their visit ends: version history remembers what they saw). */
  onLeave(listener: (documentId: string, userId: string) => void): void;
  /** Closes every connection and flushes; gives up waiting for the store after `timeoutMs`. */
  close(timeoutMs?: number): Promise<void>;
}

export async function attachCollabServer(ctx: Omit<AppContext, 'liveDocuments'>, httpServer: HttpServer, metrics: Metrics | null = null): Promise<CollabServer> {
  const { config, store, logger } = ctx;
  const log = logger.child({ module: 'collab' });
  const writer = new GroupCommitWriter(store, log, undefined, metrics);
  let bus: RedisDocumentBus | null = null;
  if (config.redisUrl) {
    bus = new RedisDocumentBus(config.redisUrl, config.redisPrefix, log, metrics);
    // In the background: an unreachable Redis never stops the server from starting.
    bus.connect();
  }
  const registry = new DocumentRegistry(
    store,
    writer,
    log,
    { unloadDelayMs: config.docUnloadDelayMs, compactAfterUpdates: config.compactAfterUpdates, metrics },
    bus,
  );
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.collabMaxMessageBytes, perMessageDeflate: false });
  const connections = new Set<CollabConnection>();
  let pendingUpgrades = 0;
  let closing = false;

  /** Lines logged because of what clients send are budgeted. */
  const clientLog = new LogBudget(log);
  /** Open /collab sockets per account on this instance (tabs × documents). */
  const collabConnections = new ConnectionCounter(config.collabMaxSocketsPerAccount);
  /** Per connection: stops watching its session. */
  const sessionWatches = new Map<CollabConnection, () => void>();
  const leaveListeners: ((documentId: string, userId: string) => void)[] = [];
  const hooks = {
    onDocumentBroken: (doc: Parameters<DocumentRegistry['reload']>[0]) => registry.reload(doc),
    onClose: (connection: CollabConnection) => {
      if (connections.delete(connection)) collabConnections.close(connection.info.userId);
      sessionWatches.get(connection)?.();
      sessionWatches.delete(connection);
      const doc = connection.document;
      if (doc) {
        registry.release(doc, connection);
        for (const listener of leaveListeners) listener(connection.info.documentId, connection.info.userId);
      }
    },
  };

  function onConnection(ws: WebSocket, info: ConnectionInfo): void {
    // Every line about this connection carries its id (its lines name the document and account too).
    const connectionLog = log.child({ connId: newId() });
    const connection = new CollabConnection(ws, info, hooks, connectionLog, clientLog, metrics);
    connections.add(connection);
    sessionWatches.set(connection, ctx.liveSessions.register(info.session, () => connection.close(CloseCode.Unauthorized, 'signed out')));
    registry.acquire(info.documentId, connection).then(
      (doc) => {
        if (ws.readyState !== ws.OPEN) {
          registry.release(doc, connection);
          return;
        }
        connection.attach(doc);
      },
      () => connection.close(CloseCode.Unavailable, 'document unavailable, retrying'),
    );
  }

  async function authorise(req: IncomingMessage, documentId: string): Promise<{ user: UserRecord; info: ConnectionInfo }> {
    const session = await ctx.sessions.fromRequest(req);
    if (!session) throw new AppError(401, 'unauthenticated', 'Sign in to open documents.');
    const access = await requireDocumentAccess(store, session.user, documentId);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const user = session.user;
    return {
      user,
      info: {
        documentId,
        workspaceId: access.workspace.id,
        userId: user.id,
        canEdit: access.canEdit,
        wantsAcks: url.searchParams.get(COLLAB_ACK_PARAM) === '1',
        session: session.session,
        actor: access.actor,
        identity: {
          id: user.id,
          name: user.name,
          color: colorForUser(user.id),
          country: user.country,
          organisation: user.organisation,
          readOnly: !access.canEdit,
        },
      },
    };
  }

  /** Refuses an upgrade, counted by status (a flood of refusals is a metric, not log lines). */
  const refuse = (socket: Duplex, status: number, message: string): void => {
    metrics?.connectionRefused('collab', status);
    refuseUpgrade(socket, status, message);
  };

  async function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, path: string): Promise<void> {
    socket.on('error', () => socket.destroy());
    if (closing) return refuse(socket, 503, 'Server is restarting');
    let documentId: string;
    try {
      documentId = IdSchema.parse(decodeURIComponent(path.slice(COLLAB_PATH_PREFIX.length)));
    } catch {
      return refuse(socket, 404, 'No such document');
    }
    if (!isOriginAllowed(req, config)) return refuse(socket, 403, 'Origin not allowed');
    if (pendingUpgrades >= MAX_PENDING_UPGRADES) return refuse(socket, 503, 'Too many connections being opened');
    pendingUpgrades++;
    let authorised: Awaited<ReturnType<typeof authorise>>;
    try {
      authorised = await authorise(req, documentId);
    } catch (error) {
      if (error instanceof AppError) return refuse(socket, error.status, error.message);
      clientLog.error('upgrade-failed', { err: error }, 'collab upgrade failed');
      return refuse(socket, 503, 'Try again');
    } finally {
      pendingUpgrades--;
    }
    if (socket.destroyed) return;
    if (closing) return refuse(socket, 503, 'Server is restarting');
    const { userId } = authorised.info;
    if ((await ctx.budgets.collabUpgrades.spend(userId)) > 0) return refuse(socket, 429, 'Too many connections opened in a short time');
    if (socket.destroyed) return;
    if (!collabConnections.tryOpen(userId)) return refuse(socket, 429, 'Too many open connections for this account');
    let upgraded = false;
    // A handshake that fails never becomes a connection: give its place back.
    socket.once('close', () => {
      if (!upgraded) collabConnections.close(userId);
    });
    wss.handleUpgrade(req, socket, head, (ws) => {
      upgraded = true;
      onConnection(ws, authorised.info);
    });
  }

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (!path.startsWith(COLLAB_PATH_PREFIX)) {
      // socket.io handles its own path; nothing else upgrades here.
      if (!path.startsWith(`${REALTIME_PATH}/`)) refuseUpgrade(socket, 404, 'Not found');
      return;
    }
    handleUpgrade(req, socket, head, path).catch((error) => {
      log.error({ err: error }, 'collab upgrade crashed');
      socket.destroy();
    });
  };
  httpServer.on('upgrade', onUpgrade);

  const ping = setInterval(() => {
    for (const connection of connections) {
      if (!connection.alive) {
        connection.ws.terminate();
        continue;
      }
      connection.alive = false;
      connection.ws.ping();
    }
  }, PING_INTERVAL_MS);
  ping.unref();

  /** Re-checks live connections of a user after their access changed. */
  async function recheck(filter: (c: CollabConnection) => boolean): Promise<void> {
    for (const connection of [...connections].filter(filter)) {
      try {
        const user = await store.users.findById(connection.info.userId);
        if (!user || !user.active) {
          connection.close(CloseCode.Unauthorized, 'signed out');
          continue;
        }
        const access = await requireDocumentAccess(store, user, connection.info.documentId);
        if (access.canEdit !== connection.info.canEdit) connection.close(CloseCode.DocumentReloaded, 'permissions changed');
      } catch (error) {
        if (error instanceof AppError && error.status === 404) connection.close(CloseCode.NotFound, 'document deleted');
        else if (error instanceof AppError) connection.close(CloseCode.Forbidden, 'access removed');
        else log.error({ err: error }, 'access re-check failed');
      }
    }
  }
  ctx.accessEvents.on('membershipChanged', ({ workspaceId, userId }) => {
    void recheck((c) => c.info.workspaceId === workspaceId && c.info.userId === userId);
  });
  ctx.accessEvents.on('documentChanged', ({ documentId }) => {
    void recheck((c) => c.info.documentId === documentId);
  });

  const liveDocuments = new LiveDocuments(registry, store);
  const sectionIds = new SectionIdKeeper(liveDocuments, log);
  registry.onLoaded = (doc) => sectionIds.watch(doc);
  // A section agreed or reopened here or on another instance: its locks apply at once.
  ctx.accessEvents.on('sectionsChanged', ({ documentId }) => {
    registry.refreshLocks(documentId).catch((error) => log.error({ err: error, documentId }, 'could not refresh section locks'));
  });

  return {
    registry,
    writer,
    bus,
    liveDocuments,
    connectionCount: () => connections.size,
    onLeave: (listener) => void leaveListeners.push(listener),
    async close(timeoutMs?: number) {
      closing = true;
      clearInterval(ping);
      sectionIds.close();
      httpServer.off('upgrade', onUpgrade);
      // Tells every client to reconnect (4503: elsewhere, or here after a restart), then
      // waits until what they sent is durable.
      await registry.close(timeoutMs);
      // Sockets still in the close handshake would keep the HTTP server from closing.
      for (const ws of wss.clients) ws.terminate();
      writer.stop();
      wss.close();
      await bus?.close();
    },
  };
}
