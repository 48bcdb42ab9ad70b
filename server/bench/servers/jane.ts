/**
 * Child process: our server exactly as users run it (SQLite in WAL mode, synchronous =
 * FULL, group commit), on loopback, port 0, with a temp DATA_DIR given by the parent.
 * One member account and session are created on first start and kept in the data
 * directory, so restarts (cold opens) reuse the same cookie.
 *
 * IPC: {id, type: 'createDocs' | 'presencePeople' | 'meetingPeople' | 'mem' | 'flush' | 'stats'} → {id, ok, result | error}.
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildTemplateUpdate, DOCUMENT_TEMPLATES, type DocumentTemplate } from '@jane/shared';
import { startServer } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { newId } from '../../src/ids.js';
import { SESSION_COOKIE } from '../../src/auth/sessions.js';
import { handleRequests, memorySnapshot } from './ipc.js';

const dataDir = process.env.BENCH_DATA_DIR;
if (!dataDir) throw new Error('BENCH_DATA_DIR is required');

/** BENCH_JANE_ENV="KEY=VALUE,KEY=VALUE": extra configuration for diagnostic runs (e.g. COMPACT_AFTER_UPDATES). */
const extraEnv = Object.fromEntries(
  (process.env.BENCH_JANE_ENV ?? '')
    .split(',')
    .map((pair) => pair.trim())
    .filter(Boolean)
    .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
);
const config = loadConfig({
  PORT: '0',
  HOST: '127.0.0.1',
  DATA_DIR: dataDir,
  LOG_LEVEL: 'warn',
  CLIENT_DIST: '',
  SCRYPT_COST: '10',
  // One bench account drives hundreds of connections; people are limited to 100 sockets
  // and 120 connections a minute each (COLLAB_MAX_SOCKETS_PER_ACCOUNT, COLLAB_UPGRADES_PER_MINUTE).
  COLLAB_MAX_SOCKETS_PER_ACCOUNT: '1000000',
  COLLAB_UPGRADES_PER_MINUTE: '1000000',
  DOC_UNLOAD_DELAY_MS: process.env.BENCH_DOC_UNLOAD_DELAY_MS ?? '30000',
  // Scale-out workload (x): instances share a MongoDB and a Redis.
  ...(process.env.BENCH_MONGODB_URI ? { MONGODB_URI: process.env.BENCH_MONGODB_URI } : {}),
  ...(process.env.BENCH_REDIS_URL ? { REDIS_URL: process.env.BENCH_REDIS_URL, REDIS_PREFIX: process.env.BENCH_REDIS_PREFIX ?? 'jane-bench' } : {}),
  ...extraEnv,
});
const server = await startServer({ ...config, clientDist: null });
const { store } = server;

interface Identity {
  userId: string;
  workspaceId: string;
  cookie: string;
}

/** The bench member: created once, then read back on restarts. */
async function identity(): Promise<Identity> {
  // Instances sharing one store (scale-out workload) share one identity file.
  const file = process.env.BENCH_IDENTITY_FILE ?? path.join(dataDir!, 'bench-identity.json');
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as Identity;
  const [workspace] = await store.workspaces.list();
  if (!workspace) throw new Error('no seeded workspace');
  const userId = newId();
  const now = new Date().toISOString();
  await store.users.create({
    id: userId,
    email: `bench-${userId.slice(0, 8).toLowerCase()}@example.eu`,
    name: 'Bench Writer',
    country: 'IT',
    organisation: 'Bench',
    passwordHash: 'not-used-sessions-are-created-directly',
    isAdmin: false,
    active: true,
    createdAt: now,
  });
  await store.memberships.upsert({ workspaceId: workspace.id, userId, role: 'contributor', createdAt: now });
  const session = await server.context.sessions.create(userId);
  const created = { userId, workspaceId: workspace.id, cookie: `${SESSION_COOKIE}=${encodeURIComponent(session.token)}` };
  fs.writeFileSync(file, JSON.stringify(created));
  return created;
}

const me = await identity();

/**
 * Instrumentation (bench only, no behaviour change): the SQLite adapter is synchronous, so
 * the time spent inside append (group commit) and compact is time the event loop is
 * blocked. We wrap both methods of this process's store object to measure it.
 */
const blocking = {
  append: { calls: 0, ms: 0, maxMs: 0 },
  compact: { calls: 0, ms: 0, maxMs: 0 },
};
function timed<A extends unknown[], R>(name: keyof typeof blocking, fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return (...args: A) => {
    const started = performance.now();
    const result = fn(...args);
    const ms = performance.now() - started; // the synchronous part: the event loop was blocked this long
    const entry = blocking[name];
    entry.calls++;
    entry.ms += ms;
    entry.maxMs = Math.max(entry.maxMs, ms);
    return result;
  };
}
store.content.append = timed('append', store.content.append.bind(store.content));
store.content.compact = timed('compact', store.content.compact.bind(store.content));

/** Creates documents the way POST /api/workspaces/:id/documents does (blank template unless told). */
async function createDocs(count: number, template: DocumentTemplate = 'blank'): Promise<string[]> {
  if (!DOCUMENT_TEMPLATES.includes(template)) throw new Error(`unknown template ${template}`);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const now = new Date().toISOString();
    const id = newId();
    await store.content.append([{ docId: id, data: buildTemplateUpdate(template, `Bench ${i}`), userId: me.userId }], now);
    await store.documents.create({
      id,
      workspaceId: me.workspaceId,
      title: `Bench ${i}`,
      template,
      archived: false,
      createdAt: now,
      createdBy: me.userId,
      updatedAt: now,
      updatedBy: me.userId,
    });
    ids.push(id);
  }
  return ids;
}

/**
 * People for the presence workload: members of the twelve JANE workspaces (each in one,
 * a third also in a second), one draft per workspace, and a session each.
 */
async function presencePeople(count: number): Promise<{ cookie: string; workspaceIds: string[]; documentIds: Record<string, string> }[]> {
  const workspaces = await store.workspaces.list();
  const drafts: Record<string, string> = {};
  for (const workspace of workspaces) {
    const id = newId();
    const now = new Date().toISOString();
    await store.content.append([{ docId: id, data: buildTemplateUpdate('network-plan', 'Network plan'), userId: me.userId }], now);
    await store.documents.create({
      id, workspaceId: workspace.id, title: 'Network plan', template: 'network-plan', archived: false,
      createdAt: now, createdBy: me.userId, updatedAt: now, updatedBy: me.userId,
    });
    drafts[workspace.id] = id;
  }
  const people = [];
  for (let i = 0; i < count; i++) {
    const userId = newId();
    const now = new Date().toISOString();
    await store.users.create({
      id: userId, email: `presence-${i}-${userId.slice(0, 6).toLowerCase()}@example.eu`, name: `Person ${i}`, country: 'BE',
      organisation: 'Bench', passwordHash: 'not-used', isAdmin: false, active: true, createdAt: now,
    });
    const workspaceIds = [workspaces[i % workspaces.length]!.id];
    if (i % 3 === 0) workspaceIds.push(workspaces[(i + 5) % workspaces.length]!.id);
    for (const workspaceId of workspaceIds) await store.memberships.upsert({ workspaceId, userId, role: 'contributor', createdAt: now });
    const session = await server.context.sessions.create(userId);
    people.push({
      cookie: `${SESSION_COOKIE}=${encodeURIComponent(session.token)}`,
      workspaceIds,
      documentIds: Object.fromEntries(workspaceIds.map((w) => [w, drafts[w]!])),
    });
  }
  return people;
}

/**
 * People for the meeting workload: `count` contributors of the bench member's workspace
 * (where createDocs puts documents), a session each.
 */
async function meetingPeople(count: number): Promise<{ workspaceId: string; cookies: string[] }> {
  const cookies: string[] = [];
  for (let i = 0; i < count; i++) {
    const userId = newId();
    const now = new Date().toISOString();
    await store.users.create({
      id: userId, email: `meeting-${i}-${userId.slice(0, 6).toLowerCase()}@example.eu`, name: `Participant ${i}`, country: 'NL',
      organisation: 'Bench', passwordHash: 'not-used', isAdmin: false, active: true, createdAt: now,
    });
    await store.memberships.upsert({ workspaceId: me.workspaceId, userId, role: 'contributor', createdAt: now });
    const session = await server.context.sessions.create(userId);
    cookies.push(`${SESSION_COOKIE}=${encodeURIComponent(session.token)}`);
  }
  return { workspaceId: me.workspaceId, cookies };
}

handleRequests(async (request) => {
  switch (request.type) {
    case 'meetingPeople':
      return meetingPeople(Number(request.count));
    case 'presencePeople':
      return presencePeople(Number(request.count));
    case 'createDocs':
      return createDocs(Number(request.count), typeof request.template === 'string' ? (request.template as DocumentTemplate) : undefined);
    case 'mem':
      return memorySnapshot({ loadedDocuments: server.collab.registry.size, connections: server.collab.connectionCount() });
    case 'flush':
      await server.collab.writer.whenDurable();
      return null;
    case 'stats': {
      const docId = typeof request.docId === 'string' ? request.docId : null;
      const snapshot = JSON.parse(JSON.stringify(blocking)) as typeof blocking;
      blocking.append.maxMs = 0;
      blocking.compact.maxMs = 0;
      return {
        blocking: snapshot,
        groupCommit: { ...server.collab.writer.stats },
        loadedDocuments: server.collab.registry.size,
        storedUpdates: docId ? await store.content.countUpdates(docId) : null,
      };
    }
    default:
      throw new Error(`unknown request ${request.type}`);
  }
});

let stopping = false;
process.on('SIGTERM', () => {
  if (stopping) return;
  stopping = true;
  server.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
process.on('disconnect', () => process.exit(0));

process.send?.({ type: 'ready', port: server.port, cookie: me.cookie, pid: process.pid });
