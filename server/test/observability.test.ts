/**
 * Observability against real servers: /metrics (off, token, separate port), what it
 * reports after a stock y-websocket client edits, request ids in responses and log
 * lines, and a wrong configuration stopping `src/main.ts` with every problem and exit 2.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../src/app.js';
import { createLogger } from '../src/observability/logger.js';
import { openMongoStore } from '../src/storage/mongo/mongoStore.js';
import { CloseCode } from '@jane/shared';
import { closeCodeOf, openOrThrow } from './helpers/rawSocket.js';
import { addParagraph, connectClient, waitFor, waitForSync, type TestClient } from './helpers/collab.js';
import { startTestMongo, type TestMongo } from './helpers/mongo.js';
import { createPerson, type TestPerson } from './helpers/people.js';
import { requireRedis } from './helpers/redis.js';
import { startTestServer, testConfig, type TestServer } from './helpers/server.js';

const TOKEN = 'metrics-token-for-tests-0123456789';
const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Log lines written by a server, parsed. */
function logCapture(): { stream: Writable; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { stream, lines };
}

async function scrape(baseUrl: string, token: string | null = TOKEN): Promise<{ status: number; body: string; type: string | null }> {
  const response = await fetch(`${baseUrl}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, body: await response.text(), type: response.headers.get('content-type') };
}

/** The value of one series (`name{labels}`), or null when absent. */
function valueOf(body: string, series: string): number | null {
  const line = body.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : null;
}

function withToken(token: string | null = TOKEN): TestServerFactory {
  return () => startTestServer({ env: token ? { METRICS_TOKEN: token } : {} });
}
type TestServerFactory = () => Promise<TestServer>;

describe('/metrics', () => {
  let server: TestServer;
  let logs: ReturnType<typeof logCapture>;
  let chair: TestPerson;
  let observer: TestPerson;
  let workspaceId: string;
  let stopServer: () => Promise<void>;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    logs = logCapture();
    const { config, cleanup } = testConfig({ METRICS_TOKEN: TOKEN, LOG_LEVEL: 'debug' });
    const started = await startServer(config, { logger: createLogger('debug', logs.stream) });
    server = Object.assign(started, { config, stop: async () => undefined });
    stopServer = async () => {
      await started.close();
      cleanup();
    };
    workspaceId = (await server.store.workspaces.list())[0]!.id;
    chair = await createPerson(server, { roles: { [workspaceId]: 'chair' } });
    observer = await createPerson(server, { roles: { [workspaceId]: 'observer' } });
  });

  afterAll(async () => {
    for (const client of clients) client.destroy();
    await stopServer?.();
  });

  it('refuses a scrape without the token or with a wrong one (401)', async () => {
    const missing = await scrape(server.url, null);
    expect(missing.status).toBe(401);
    expect(missing.body).not.toContain('jane_');
    expect((await scrape(server.url, `${TOKEN}x`)).status).toBe(401);
    const basic = await fetch(`${server.url}/metrics`, { headers: { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` } });
    expect(basic.status).toBe(401);
  });

  it('after a stock y-websocket client edits: accepted updates, documents loaded, commits, and HTTP durations by route pattern', async () => {
    const before = await scrape(server.url);
    expect(before.status).toBe(200);
    expect(before.type).toContain('text/plain');
    const acceptedBefore = valueOf(before.body, 'jane_updates_accepted_total') ?? 0;

    const created = await chair.api.post(`/api/workspaces/${workspaceId}/documents`, { title: 'Metrics plan', template: 'blank' });
    expect(created.status).toBe(201);
    const documentId: string = created.body.document.id;
    expect((await chair.api.get(`/api/documents/${documentId}`)).status).toBe(200);

    const editor = connectClient(server.url, documentId, chair.api.cookie);
    clients.push(editor);
    await waitForSync(editor);
    addParagraph(editor.doc, 'Measured, not guessed.');
    await waitFor(async () => (valueOf((await scrape(server.url)).body, 'jane_updates_accepted_total') ?? 0) > acceptedBefore, 5_000, 'accepted update counted');
    await server.collab.writer.whenDurable(documentId);

    // An observer's edit is dropped on the server, and counted by reason.
    const reader = connectClient(server.url, documentId, observer.api.cookie);
    clients.push(reader);
    await waitForSync(reader);
    addParagraph(reader.doc, 'Observers cannot write.');
    await waitFor(async () => (valueOf((await scrape(server.url)).body, 'jane_updates_rejected_total{reason="read_only"}') ?? 0) >= 1, 5_000, 'read-only refusal counted');

    const { body } = await scrape(server.url);
    expect(valueOf(body, 'jane_documents_loaded')).toBeGreaterThanOrEqual(1);
    expect(valueOf(body, 'jane_connections{kind="collab"}')).toBe(2);
    expect(valueOf(body, 'jane_connections{kind="socketio"}')).toBe(0);
    expect(valueOf(body, 'jane_commit_duration_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(valueOf(body, 'jane_commit_batch_size_count')).toBeGreaterThanOrEqual(1);
    expect(valueOf(body, 'jane_pending_updates')).toBe(0);
    expect(valueOf(body, 'jane_http_request_duration_seconds_count{method="GET",route="/api/documents/:documentId",status_class="2xx"}')).toBeGreaterThanOrEqual(1);
    expect(valueOf(body, 'jane_http_request_duration_seconds_count{method="POST",route="/api/workspaces/:workspaceId/documents",status_class="2xx"}')).toBe(1);
    // Route patterns only: no id ever becomes a label value.
    expect(body).not.toContain(documentId);
    expect(body).not.toContain(workspaceId);
    // Default metrics with the prefix, event-loop lag among them; no Redis without REDIS_URL.
    expect(body).toMatch(/^jane_nodejs_eventloop_lag_seconds \d/m);
    expect(body).toMatch(/^jane_process_resident_memory_bytes \d/m);
    expect(body).not.toMatch(/^jane_redis_connected\{/m);
  });

  it('echoes a sane X-Request-Id and puts it in the log lines about the request; replaces an insane one', async () => {
    const id = `trace-${randomUUID()}`;
    const response = await chair.api.request('GET', `/api/workspaces/${workspaceId}/documents`, undefined, { 'x-request-id': id });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe(id);
    await waitFor(() => logs.lines.some((line) => line.reqId === id), 2_000, 'log line with the request id');
    const line = logs.lines.find((l) => l.reqId === id)!;
    expect(line).toMatchObject({ route: '/api/workspaces/:workspaceId/documents', status: 200, userId: chair.id });
    // Nothing personal: account ids, never e-mail addresses or names.
    const text = JSON.stringify(logs.lines);
    expect(text).not.toContain(chair.email);
    expect(text).not.toContain(chair.name);

    const insane = await fetch(`${server.url}/api/health`, { headers: { 'x-request-id': 'no spaces <script>' } });
    const generated = insane.headers.get('x-request-id');
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    const plain = await fetch(`${server.url}/api/health`);
    expect(plain.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(plain.headers.get('x-request-id')).not.toBe(generated);
  });

  it('binds a connection id to the log lines about a collab connection', async () => {
    const created = await chair.api.post(`/api/workspaces/${workspaceId}/documents`, { title: 'Connection ids', template: 'blank' });
    const documentId: string = created.body.document.id;
    const ws = await openOrThrow(server.url, documentId, { cookie: chair.api.cookie! });
    const closed = closeCodeOf(ws);
    // A sync message cut short cannot be decoded: the connection is closed and one line says why.
    ws.send(new Uint8Array([0]));
    expect(await closed).toBe(CloseCode.MalformedMessage);
    await waitFor(() => logs.lines.some((l) => l.docId === documentId && typeof l.connId === 'string' && l.userId === chair.id), 3_000, 'connection log line');
  });
});

describe('readiness', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('is ready with a reachable store, off while draining, and off when the store does not answer within 2 s', async () => {
    const ready = await fetch(`${server.url}/api/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', store: 'sqlite', redis: 'not-configured' });

    server.context.health.draining = true;
    const draining = await fetch(`${server.url}/api/ready`);
    expect(draining.status).toBe(503);
    expect(((await draining.json()) as { status: string }).status).toBe('draining');
    // Liveness stays on: the process is fine, it just takes no new clients.
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    server.context.health.draining = false;

    // A store that hangs (a stalled disk, a partitioned database): readiness gives up after 2 s.
    const ping = server.store.ping.bind(server.store);
    server.store.ping = () => new Promise<void>(() => undefined);
    try {
      const started = Date.now();
      const stalled = await fetch(`${server.url}/api/ready`);
      expect(stalled.status).toBe(503);
      expect(((await stalled.json()) as { status: string }).status).toBe('store-unavailable');
      expect(Date.now() - started).toBeLessThan(4_000);
    } finally {
      server.store.ping = ping;
    }
    expect((await fetch(`${server.url}/api/ready`)).status).toBe(200);
  });
});

describe('/metrics when not configured, and on its own port', () => {
  let plain: TestServer;
  let separate: TestServer;

  beforeAll(async () => {
    plain = await withToken(null)();
    separate = await startTestServer({ env: { METRICS_TOKEN: TOKEN, METRICS_PORT: '0' } });
  });

  afterAll(async () => {
    await plain?.stop();
    await separate?.stop();
  });

  it('answers 404 without METRICS_TOKEN, with or without a token', async () => {
    expect((await scrape(plain.url, null)).status).toBe(404);
    expect((await scrape(plain.url, TOKEN)).status).toBe(404);
    expect(plain.metricsPort).toBeNull();
  });

  it('with METRICS_PORT, serves /metrics there (loopback, token required) and not on the main port', async () => {
    expect(separate.metricsPort).toBeGreaterThan(0);
    const metricsUrl = `http://127.0.0.1:${separate.metricsPort}`;
    expect((await scrape(separate.url, TOKEN)).status).toBe(404);
    expect((await scrape(metricsUrl, null)).status).toBe(401);
    const scraped = await scrape(metricsUrl, TOKEN);
    expect(scraped.status).toBe(200);
    expect(scraped.body).toContain('jane_updates_accepted_total');
    expect((await fetch(`${metricsUrl}/api/health`)).status).toBe(404);
  });
});

describe('two instances with Redis', () => {
  let mongo: TestMongo;
  let first: TestServer;
  let second: TestServer;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    const redisUrl = await requireRedis();
    mongo = await startTestMongo();
    const env = { REDIS_URL: redisUrl, REDIS_PREFIX: `jane-metrics-${randomUUID()}`, METRICS_TOKEN: TOKEN };
    first = await startTestServer({ env, store: await openMongoStore({ uri: mongo.uri }) });
    second = await startTestServer({ env, store: await openMongoStore({ uri: mongo.uri }) });
  });

  afterAll(async () => {
    for (const client of clients) client.destroy();
    await first?.stop();
    await second?.stop();
    await mongo?.stop();
  });

  it('reports Redis connected and the bus lag of updates published on the other instance', async () => {
    const workspaceId = (await first.store.workspaces.list())[0]!.id;
    const chair = await createPerson(first, { roles: { [workspaceId]: 'chair' } });
    const created = await chair.api.post(`/api/workspaces/${workspaceId}/documents`, { title: 'Across instances', template: 'blank' });
    const documentId: string = created.body.document.id;
    const onA = connectClient(first.url, documentId, chair.api.cookie);
    const onB = connectClient(second.url, documentId, chair.api.cookie);
    clients.push(onA, onB);
    await waitForSync(onA);
    await waitForSync(onB);
    await waitFor(async () => valueOf((await scrape(second.url)).body, 'jane_redis_connected{client="documents"}') === 1, 5_000, 'redis connected on B');
    addParagraph(onA.doc, 'Typed on A, seen on B.');
    await waitFor(() => onB.text().includes('Typed on A'), 5_000, 'update relayed');
    const { body } = await scrape(second.url);
    expect(valueOf(body, 'jane_redis_bus_lag_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(valueOf(body, 'jane_redis_bus_lag_seconds_sum')).toBeLessThan(5);
    expect(valueOf(body, 'jane_redis_connected{client="socketio"}')).toBe(1);
  });
});

describe('a wrong configuration', () => {
  it('stops src/main.ts with every problem in one message each, exit code 2 and no stack trace', async () => {
    const child = spawn(path.join(serverDir, 'node_modules', '.bin', 'tsx'), ['src/main.ts'], {
      cwd: serverDir,
      env: { PATH: process.env.PATH, PORT: 'abc', LOG_LEVEL: 'loud', METRICS_TOKEN: 'short secret', REDIS_URL: 'localhost:6379' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('PORT must be a whole number between 0 and 65535 (got "abc")');
    expect(stderr).toContain('LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")');
    expect(stderr).toContain('REDIS_URL must be a Redis URL starting with redis:// or rediss:// (got "localhost:6379")');
    expect(stderr).toContain('METRICS_TOKEN must be at least 16 characters');
    expect(stderr).not.toContain('short secret');
    expect(stderr).not.toMatch(/^\s+at /m);
  });
});
