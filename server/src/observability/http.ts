/**
 * HTTP observability: a request id on every request (and in every log line about it),
 * request durations by route pattern, and the `/metrics` endpoint.
 */
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { Metrics } from './metrics.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The request id (incoming `X-Request-Id` when sane, else generated); echoed in the response. */
      requestId: string;
      /** The server's logger with `reqId` bound: use it for every line about this request. */
      requestLog: Logger;
    }
  }
}

export const REQUEST_ID_HEADER = 'X-Request-Id';
/** What an incoming id may look like: a UUID, a load balancer's trace id; nothing that could smuggle anything. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** Accepts a sane incoming id (from a proxy or client), else makes one. */
export function requestIdFor(header: string | string[] | undefined): string {
  const incoming = Array.isArray(header) ? header[0] : header;
  return incoming && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

export function requestContext(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const id = requestIdFor(req.headers['x-request-id']);
    req.requestId = id;
    req.requestLog = logger.child({ reqId: id });
    res.setHeader(REQUEST_ID_HEADER, id);
    next();
  };
}

/** The route pattern that answered (`/api/documents/:documentId`), never the raw URL. */
export function routeOf(req: Request): string {
  const route = (req as Request & { route?: { path?: unknown } }).route;
  if (!route || route.path === undefined) return req.originalUrl.startsWith('/api/') ? 'unmatched' : 'other';
  return `${req.baseUrl}${String(route.path)}`;
}

/**
 * Observes each request's duration once it is answered. A request that completes slowly
 * (over `slowMs`) gets a warning line, at most a few per window (`budget`); every other
 * completed request is a debug line.
 */
export function httpMetrics(metrics: Metrics, options: { slowMs?: number; budget?: (kind: string) => boolean } = {}): RequestHandler {
  const slowMs = options.slowMs ?? 5_000;
  return (req, res, next) => {
    const started = performance.now();
    res.once('finish', () => {
      const seconds = (performance.now() - started) / 1000;
      const route = routeOf(req);
      const statusClass = `${Math.floor(res.statusCode / 100)}xx`;
      metrics.httpDuration.observe({ method: req.method, route, status_class: statusClass }, seconds);
      const fields = { method: req.method, route, status: res.statusCode, ms: Math.round(seconds * 1000), userId: req.user?.id };
      if (seconds * 1000 >= slowMs && (options.budget?.('slow-request') ?? true)) req.requestLog?.warn(fields, 'slow request');
      else req.requestLog?.debug(fields, 'request completed');
    });
    next();
  };
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Whether the Authorization header carries the token (compared in constant time). */
export function hasBearerToken(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match !== null && timingSafeEqual(sha256(match[1]!), sha256(token));
}

/**
 * `GET /metrics`: 404 when metrics are off (`token` null and not the metrics port), 401
 * without the right `Authorization: Bearer <token>` when a token is configured.
 */
export function metricsHandler(metrics: Metrics, token: string | null, open = false) {
  return async (req: Request | http.IncomingMessage, res: Response | http.ServerResponse, next?: NextFunction): Promise<void> => {
    const send = (status: number, type: string, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...headers });
      res.end(body);
    };
    try {
      if (!token && !open) return send(404, 'text/plain; charset=utf-8', 'Not found\n');
      if (token && !hasBearerToken(req.headers.authorization, token)) {
        return send(401, 'text/plain; charset=utf-8', 'Send Authorization: Bearer <METRICS_TOKEN>\n', { 'WWW-Authenticate': 'Bearer realm="metrics"' });
      }
      const { contentType, body } = await metrics.exposition();
      send(200, contentType, body);
    } catch (error) {
      if (next) next(error);
      else send(500, 'text/plain; charset=utf-8', 'Metrics unavailable\n');
    }
  };
}

/** A separate listener for `/metrics` only (METRICS_PORT), by default on loopback. */
export async function startMetricsServer(metrics: Metrics, options: { port: number; host: string; token: string | null }): Promise<{ server: http.Server; port: number; close(): Promise<void> }> {
  const handle = metricsHandler(metrics, options.token, true);
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Not found\n');
      return;
    }
    void handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
