/**
 * Builds the whole server on one HTTP port: REST under /api, the collaboration
 * WebSocket under /collab, and the built client for everything else.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import express, { type ErrorRequestHandler, type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { ApiErrorBody } from '@jane/shared';
import type { Config } from './config.js';
import { AccessEvents, type AppContext } from './context.js';
import { AppError, ForbiddenError, NotFoundError, TooManyRequestsError } from './errors.js';
import { isOriginAllowed } from './auth/origin.js';
import { authRoutes } from './auth/routes.js';
import { SESSION_COOKIE, SessionService, readCookie } from './auth/sessions.js';
import { LiveSessions } from './auth/liveSessions.js';
import { Budgets, inWords } from './limits/budgets.js';
import { attachCollabServer, type CollabServer } from './collab/collabServer.js';
import { clientAssets } from './web/clientAssets.js';
import { commentRoutes } from './comments/routes.js';
import { CommentService } from './comments/service.js';
import { notificationRoutes } from './notifications/routes.js';
import { NotificationService } from './notifications/service.js';
import { sectionRoutes } from './sections/routes.js';
import { SectionService } from './sections/service.js';
import { migrateSectionReferences } from './sections/migrateReferences.js';
import { HistoryService } from './history/service.js';
import { historyRoutes } from './history/routes.js';
import { exportRoutes } from './export/document/routes.js';
import { recordHistoryBaselines } from './storage/historyBaseline.js';
import { documentRoutes } from './documents/routes.js';
import { importRoutes } from './import/routes.js';
import { meetingRoutes } from './meetings/routes.js';
import { MeetingService } from './meetings/service.js';
import { attachRealtime, type RealtimeServer } from './realtime/realtimeServer.js';
import { openStore, type Store } from './storage/index.js';
import { userAdminRoutes } from './users/routes.js';
import { workspaceRoutes } from './workspaces/routes.js';
import { privacyRoutes } from './operations/privacyRoutes.js';
import { scheduleRetention } from './operations/retention.js';
import { seedJaneWorkspaces } from './workspaces/seed.js';
import { LogBudget } from './limits/logBudget.js';
import { Metrics } from './observability/metrics.js';
import { createLogger } from './observability/logger.js';
import { httpMetrics, metricsHandler, requestContext, routeOf, startMetricsServer } from './observability/http.js';

export interface JaneServer {
  readonly url: string;
  readonly port: number;
  readonly httpServer: http.Server;
  readonly store: Store;
  readonly collab: CollabServer;
  readonly realtime: RealtimeServer;
  readonly meetings: MeetingService;
  readonly comments: CommentService;
  readonly context: AppContext;
  /** This server's Prometheus registry and instruments. */
  readonly metrics: Metrics;
  /** The separate metrics listener's port (METRICS_PORT), or null. */
  readonly metricsPort: number | null;
  /**
   * Drains and stops: readiness off, every connection told to reconnect elsewhere,
   * everything received flushed to the store (waiting at most `timeoutMs` for it).
   */
  close(timeoutMs?: number): Promise<void>;
}

export interface ServerOptions {
  /** Use this store instead of opening one from the configuration (it is closed with the server). */
  store?: Store;
  logger?: Logger;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error('timed out')), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

function errorBody(code: string, message: string, details?: unknown): ApiErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

const errorHandler =
  (logger: Logger, budget: LogBudget): ErrorRequestHandler =>
  (error: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return;
    if (error instanceof AppError) {
      if (error instanceof TooManyRequestsError) res.setHeader('Retry-After', String(error.retryAfterSeconds));
      res.status(error.status).json(errorBody(error.code, error.message, error.details));
      return;
    }
    const status = typeof error === 'object' && error !== null && 'status' in error ? Number(error.status) : 500;
    const type = typeof error === 'object' && error !== null && 'type' in error ? String(error.type) : '';
    if (type === 'entity.parse.failed') {
      res.status(400).json(errorBody('invalid_json', 'The request body is not valid JSON.'));
      return;
    }
    if (type === 'entity.too.large') {
      res.status(413).json(errorBody('too_large', 'The request body is too large.'));
      return;
    }
    if (status >= 400 && status < 500) {
      res.status(status).json(errorBody('invalid_request', error instanceof Error ? error.message : 'Invalid request.'));
      return;
    }
    // The route pattern, not the URL (paths carry invitation tokens); budgeted: a failing
    // store must not turn every request into a stack trace.
    budget.error('request-failed', { err: error, method: req.method, route: routeOf(req), userId: req.user?.id }, 'request failed', req.requestLog ?? logger);
    res.status(500).json(errorBody('internal', 'Something went wrong on the server. Try again; if it persists, tell an administrator.'));
  };

function buildApp(ctx: AppContext, meetings: MeetingService, comments: CommentService, notifications: NotificationService, sections: SectionService, history: HistoryService, metrics: Metrics): express.Express {
  const { config } = ctx;
  const app = express();
  app.disable('x-powered-by');
  if (config.trustProxy) app.set('trust proxy', config.trustProxy);
  const requestLogBudget = new LogBudget(ctx.logger);
  // A request id on every request and every line about it; durations by route pattern.
  app.use(requestContext(ctx.logger));
  app.use(httpMetrics(metrics, { budget: (kind) => requestLogBudget.admit(kind) !== null }));
  // On the main port only with a token and no METRICS_PORT (off: 404).
  app.get('/metrics', metricsHandler(metrics, config.metricsPort === null ? config.metricsToken : null));
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          connectSrc: ["'self'", 'ws:', 'wss:'],
          imgSrc: ["'self'", 'data:'],
          styleSrc: ["'self'", "'unsafe-inline'"],
          scriptSrc: ["'self'"],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          // Only behind https: over plain http (an intranet host name) it would ask for
          // every asset over https and leave the page blank.
          upgradeInsecureRequests: config.publicUrl?.startsWith('https://') ? [] : null,
        },
      },
      strictTransportSecurity: Boolean(config.publicUrl?.startsWith('https://')),
    }),
  );

  const api = express.Router();
  api.use(express.json({ limit: '1mb', strict: true }));
  // Resolve the session once per request; routes decide whether one is required.
  api.use(async (req, _res, next) => {
    const token = readCookie(req.headers.cookie, SESSION_COOKIE);
    const user = await ctx.sessions.resolve(token);
    if (user && token) {
      req.user = user;
      req.sessionToken = token;
    }
    next();
  });
  // Cross-site pages cannot make state-changing calls with a member's cookie.
  api.use((req, _res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD' && !isOriginAllowed(req, config)) {
      throw new ForbiddenError('Requests from this origin are not allowed.');
    }
    next();
  });
  // A signed-in person may change things at a human pace (and a script a bit faster),
  // not flood threads and notifications: 300 changes a minute, then 429 for a minute.
  api.use(async (req, _res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD' || !req.user) return next();
    const waitMs = await ctx.budgets.restWrites.spend(req.user.id);
    if (waitMs > 0) throw new TooManyRequestsError(`Too many changes in a short time. Wait ${inWords(waitMs)} and try again.`, Math.ceil(waitMs / 1000));
    next();
  });
  api.get('/health', async (_req, res) => {
    await ctx.store.ping();
    res.json({ status: 'ok', store: ctx.store.kind });
  });
  // Readiness for a load balancer: off as soon as shutdown begins (before connections are
  // closed), and while the store does not answer. Redis is reported but does not decide:
  // every instance keeps serving its own clients through a Redis outage.
  api.get('/ready', async (_req, res) => {
    const redis = ctx.health.redis();
    if (ctx.health.draining) {
      res.status(503).json({ status: 'draining', store: ctx.store.kind, redis });
      return;
    }
    try {
      await withTimeout(ctx.store.ping(), 2_000);
    } catch {
      res.status(503).json({ status: 'store-unavailable', store: ctx.store.kind, redis });
      return;
    }
    res.json({ status: 'ready', store: ctx.store.kind, redis });
  });
  api.use(authRoutes(ctx));
  api.use(workspaceRoutes(ctx));
  api.use(documentRoutes(ctx));
  // Multipart (the JSON parser leaves it alone), after the session, origin and REST-budget checks.
  api.use(importRoutes(ctx));
  api.use(userAdminRoutes(ctx));
  api.use(privacyRoutes(ctx));
  api.use(meetingRoutes(ctx, meetings));
  api.use(commentRoutes(comments));
  api.use(notificationRoutes(notifications));
  api.use(sectionRoutes(sections));
  api.use(historyRoutes(history));
  api.use(exportRoutes(ctx.store));
  api.use((req) => {
    throw new NotFoundError(`There is no API route ${req.method} ${req.path}.`);
  });
  api.use(errorHandler(ctx.logger, requestLogBudget));
  app.use('/api', api);

  const dist = config.clientDist;
  if (dist && fs.existsSync(path.join(dist, 'index.html'))) {
    app.use(clientAssets(path.resolve(dist)));
  } else {
    app.get('/', (_req, res) => {
      res.type('text/plain').send('JANE Workspace API is running. Build the client with `pnpm build` to use the app here.');
    });
  }
  return app;
}

/** Opens the store, seeds the JANE workspaces, and listens on `config.port` (0 = any free port). */
export async function startServer(config: Config, options: ServerOptions = {}): Promise<JaneServer> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const store = options.store ?? (await openStore(config));
  await seedJaneWorkspaces(store);
  // Documents written before history was kept start theirs with their current content (before serving, so it comes first).
  const baselines = await recordHistoryBaselines(store);
  if (baselines > 0) logger.info({ documents: baselines }, 'history baselines recorded');
  const metrics = new Metrics();
  if (config.metricsToken || config.metricsPort !== null) metrics.enableDefaultMetrics();
  const accessEvents = new AccessEvents();
  const base: Omit<AppContext, 'liveDocuments'> = {
    config,
    store,
    logger,
    sessions: new SessionService(store, config),
    accessEvents,
    liveSessions: new LiveSessions(store, accessEvents, logger.child({ module: 'sessions' })),
    budgets: new Budgets({ collabUpgradesPerMinute: config.collabUpgradesPerMinute }),
    health: { draining: false, redis: () => 'not-configured' },
  };
  const meetings = new MeetingService(store);
  const notifications = new NotificationService(store);
  const httpServer = http.createServer();
  const openSockets = new Set<Duplex>();
  httpServer.on('connection', (socket) => {
    openSockets.add(socket);
    socket.once('close', () => openSockets.delete(socket));
  });
  // The collaboration core first: the routes and realtime handlers change documents through it.
  const collab = await attachCollabServer(base, httpServer, metrics);
  const ctx: AppContext = { ...base, liveDocuments: collab.liveDocuments };
  const comments = new CommentService(store, notifications, ctx.liveDocuments);
  const sections = new SectionService(store, ctx.liveDocuments, ctx.accessEvents, notifications);
  const history = new HistoryService(store, ctx.liveDocuments, logger.child({ module: 'history' }), { pauseMs: config.versionPauseMs });
  collab.onLeave((documentId, userId) => void history.recordVisit(documentId, userId).catch((error: unknown) => logger.warn({ err: error }, 'recording a visit failed')));
  meetings.onMeeting((moment, meeting, by) => void history.meetingVersions(meeting, moment, by));
  collab.writer.onCommitted((documentIds) => {
    for (const documentId of documentIds) history.noteEdited(documentId);
  });
  void history.resumeAutomaticVersions().then(
    (documents) => documents > 0 && logger.info({ documents }, 'automatic versions due before the restart are waited for again'),
    (error: unknown) => logger.warn({ err: error }, 'resuming automatic versions failed'),
  );
  httpServer.on('request', buildApp(ctx, meetings, comments, notifications, sections, history, metrics));
  const bus = collab.bus;
  if (bus) ctx.health.redis = () => (bus.ready ? 'connected' : 'disconnected');
  if (bus) metrics.probes.redis.set('documents', () => bus.ready);
  const realtime = await attachRealtime(ctx, httpServer, { meetings, comments, notifications }, { meetingGraceMs: config.meetingGraceMs, metrics });
  metrics.probes.collabConnections = () => collab.connectionCount();
  metrics.probes.realtimeConnections = () => realtime.connectionCount();
  metrics.probes.documentsLoaded = () => collab.registry.size;
  metrics.probes.pendingUpdates = () => collab.writer.pendingCount();
  const metricsServer =
    config.metricsPort === null ? null : await startMetricsServer(metrics, { port: config.metricsPort, host: config.metricsHost, token: config.metricsToken });
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const { port } = httpServer.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  // Records from before section ids point at sections by title: once, in the background.
  void migrateSectionReferences(store, ctx.liveDocuments, logger).catch((error) => logger.error({ err: error }, 'migrating section references failed'));
  const sessionSweep = setInterval(() => void store.sessions.deleteExpired(new Date().toISOString()).catch(() => undefined), 3_600_000);
  sessionSweep.unref();
  const stopRetention = scheduleRetention(store, config, logger.child({ module: 'retention' }));

  let closing: Promise<void> | null = null;
  return {
    url: `http://${host}:${port}`,
    port,
    httpServer,
    store,
    collab,
    realtime,
    meetings,
    comments,
    context: ctx,
    metrics,
    metricsPort: metricsServer?.port ?? null,
    close(timeoutMs = 8_000) {
      closing ??= (async () => {
        // Readiness goes off first, so that a load balancer stops sending new clients.
        ctx.health.draining = true;
        clearInterval(sessionSweep);
        stopRetention();
        history.stop();
        ctx.liveSessions.close();
        await collab.close(timeoutMs);
        logger.info('shutdown: collaboration closed');
        await realtime.close();
        logger.info('shutdown: realtime closed');
        await new Promise<void>((resolve) => {
          httpServer.close(() => resolve());
          httpServer.closeAllConnections();
          // Upgraded sockets (WebSockets, refused upgrades still being answered) are not
          // HTTP connections any more, but keep the server open until they end.
          if (openSockets.size > 0) logger.info({ sockets: openSockets.size }, 'shutdown: closing remaining sockets');
          for (const socket of openSockets) socket.destroy();
        });
        logger.info('shutdown: http closed');
        await store.close();
        logger.info('shutdown: store closed');
        await metricsServer?.close();
      })();
      return closing;
    },
  };
}
