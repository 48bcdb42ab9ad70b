/**
 * What outside testing found in the first screens, the way the app is served and the
 * input it takes: the CSP over plain HTTP, precompressed assets, private source maps,
 * where a relative DATA_DIR lands, control characters in names, who may archive, comments
 * on archived documents, and agenda items pointing outside their workspace.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import * as Y from 'yjs';
import type { MeetingState } from '@jane/shared';
import { createPerson, type TestPerson } from './helpers/people.js';
import { call, connectRealtime, emitWithAck } from './helpers/realtime.js';
import { startServer, type JaneServer } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { startTestServer, testConfig, type TestServer } from './helpers/server.js';
import { makeTempDir } from './helpers/tempDir.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** A built client as `vite build` leaves it: an app shell, a hashed asset with precompressed copies, and a source map. */
function fakeClientBuild(): string {
  const temp = makeTempDir('jane-dist-');
  cleanups.push(temp.remove);
  const assets = path.join(temp.dir, 'assets');
  fs.mkdirSync(assets);
  fs.writeFileSync(path.join(temp.dir, 'index.html'), '<!doctype html><title>JANE</title><script type="module" src="/assets/app-1234.js"></script>');
  const script = `console.log(${JSON.stringify('JANE Workspace '.repeat(400))});\n`;
  fs.writeFileSync(path.join(assets, 'app-1234.js'), script);
  fs.writeFileSync(path.join(assets, 'app-1234.js.br'), zlib.brotliCompressSync(script));
  fs.writeFileSync(path.join(assets, 'app-1234.js.gz'), zlib.gzipSync(script));
  fs.writeFileSync(path.join(assets, 'app-1234.js.map'), '{"sources":["secret.ts"]}');
  fs.writeFileSync(path.join(temp.dir, 'sw.js'), 'self.addEventListener("fetch", () => {});');
  fs.writeFileSync(path.join(temp.dir, 'workbox-5f52ac45.js'), '/* workbox */');
  return temp.dir;
}

async function serve(env: Record<string, string>, clientDist: string | null = null): Promise<JaneServer> {
  const { config, cleanup } = testConfig(env);
  cleanups.push(cleanup);
  const server = await startServer({ ...config, clientDist }, { logger: pino({ level: 'silent' }) });
  cleanups.push(() => server.close());
  return server;
}

describe('serving the app', () => {
  it('asks browsers to upgrade requests to https only when the public address is https', async () => {
    const plain = await serve({});
    const csp = (await fetch(`${plain.url}/api/health`)).headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    const secure = await serve({ PUBLIC_URL: 'https://workspace.jane-project.eu' });
    expect((await fetch(`${secure.url}/api/health`)).headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
  });

  it('serves precompressed brotli or gzip copies to browsers that accept them, the plain file otherwise, and never a source map', async () => {
    const dist = fakeClientBuild();
    const server = await serve({}, dist);
    const original = fs.readFileSync(path.join(dist, 'assets', 'app-1234.js'));
    const get = (encoding: string) => fetch(`${server.url}/assets/app-1234.js`, { headers: { 'accept-encoding': encoding } });

    const br = await get('gzip, deflate, br');
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('content-type')).toMatch(/javascript/);
    expect(br.headers.get('cache-control')).toContain('immutable');
    expect(br.headers.get('vary')).toMatch(/Accept-Encoding/i);
    expect(Number(br.headers.get('content-length'))).toBeLessThan(original.byteLength / 5);
    // fetch decodes it: the browser gets exactly the built script.
    expect(Buffer.from(await br.arrayBuffer()).equals(original)).toBe(true);

    const gzip = await get('gzip');
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    expect(Buffer.from(await gzip.arrayBuffer()).equals(original)).toBe(true);

    const identity = await get('identity');
    expect(identity.headers.get('content-encoding')).toBeNull();
    expect(Number(identity.headers.get('content-length'))).toBe(original.byteLength);

    expect((await fetch(`${server.url}/assets/app-1234.js.map`)).status).toBe(404);
    // The service worker is revalidated on every load (a deploy must reach everyone); its hashed runtime is not.
    expect((await fetch(`${server.url}/sw.js`)).headers.get('cache-control')).toBe('no-cache');
    expect((await fetch(`${server.url}/workbox-5f52ac45.js`)).headers.get('cache-control')).toContain('immutable');
    const shell = await fetch(`${server.url}/w/some-workspace`);
    expect(shell.status).toBe(200);
    expect(shell.headers.get('cache-control')).toBe('no-cache');
    expect(await shell.text()).toContain('<title>JANE</title>');
  });
});

describe('configuration', () => {
  it('resolves a relative DATA_DIR against the directory the command was run in, not server/', () => {
    const config = loadConfig({ DATA_DIR: './my-data', INIT_CWD: '/srv/jane' });
    expect(config.dataDir).toBe('/srv/jane/my-data');
    expect(loadConfig({ DATA_DIR: '/var/lib/jane' }).dataDir).toBe('/var/lib/jane');
  });
});

describe('input and permissions', () => {
  let server: TestServer;
  let workspaceId: string;
  let otherWorkspaceId: string;
  let admin: TestPerson;
  let chair: TestPerson;
  let lead: TestPerson;
  let contributor: TestPerson;
  let observer: TestPerson;

  /** A section anchor on the document's first heading, as the outline button makes it. */
  const sectionAnchor = () => {
    const position = Buffer.from(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(new Y.Doc().getText('t'), 0))).toString('base64');
    return { kind: 'section' as const, start: position, end: position, quote: 'Plan' };
  };

  beforeAll(async () => {
    server = await startTestServer();
    const workspaces = await server.store.workspaces.list();
    workspaceId = workspaces[0]!.id;
    otherWorkspaceId = workspaces[1]!.id;
    admin = await createPerson(server, { name: 'Ada Admin', isAdmin: true });
    chair = await createPerson(server, { name: 'Chiara', roles: { [workspaceId]: 'chair', [otherWorkspaceId]: 'chair' } });
    lead = await createPerson(server, { name: 'Lena', roles: { [workspaceId]: 'lead' } });
    contributor = await createPerson(server, { name: 'Carlo', roles: { [workspaceId]: 'contributor' } });
    observer = await createPerson(server, { name: 'Olga', roles: { [workspaceId]: 'observer' } });
  });
  afterAll(() => server?.stop());

  it('refuses line breaks, tabs and invisible direction overrides in names, organisations and titles, with a clear message', async () => {
    const base = { email: 'newline@example.eu', country: 'BE', organisation: 'Sciensano', password: 'a long enough passphrase' };
    for (const name of ['Anna\nRossi', 'Anna\tRossi', 'Anna\u202eissoR', 'Anna\u0000']) {
      const created = await admin.api.post('/api/admin/users', { ...base, name });
      expect(created.status, JSON.stringify(name)).toBe(400);
      expect(JSON.stringify(created.body)).toContain('no line breaks, tabs or control characters');
    }
    expect((await admin.api.post('/api/admin/users', { ...base, name: 'Anna Rossi', organisation: 'ISS\r\n| evil |' })).status).toBe(400);
    expect((await admin.api.patch(`/api/admin/users/${contributor.id}`, { name: 'Carlo\nBianchi' })).status).toBe(400);
    expect((await chair.api.post(`/api/workspaces/${workspaceId}/documents`, { title: 'Plan\n# injected', template: 'blank' })).status).toBe(400);
    // Ordinary names with accents, apostrophes and hyphens are fine.
    expect((await admin.api.post('/api/admin/users', { ...base, name: "Zoë O'Brien-Łukasik" })).status).toBe(201);
  });

  it('lets only chairs and leads archive and restore documents; everyone who may edit renames; the list says who may do what', async () => {
    const created = await contributor.api.post(`/api/workspaces/${workspaceId}/documents`, { title: 'Deliverable', template: 'blank' });
    expect(created.status).toBe(201);
    const documentId: string = created.body.document.id;
    expect(created.body.document.abilities).toMatchObject({ edit: true, rename: true, archive: false, comment: true, resolveAnyThread: false, resolveOwnThreads: true });
    expect((await contributor.api.patch(`/api/documents/${documentId}`, { archived: true })).status).toBe(403);
    expect((await contributor.api.patch(`/api/documents/${documentId}`, { title: 'Deliverable v2' })).status).toBe(200);
    expect((await observer.api.patch(`/api/documents/${documentId}`, { title: 'Observer was here' })).status).toBe(403);
    const archived = await lead.api.patch(`/api/documents/${documentId}`, { archived: true });
    expect(archived.status).toBe(200);
    expect(archived.body.document.abilities).toMatchObject({ edit: false, rename: true, archive: true, comment: true, resolveAnyThread: true });
    const seenByContributor = (await contributor.api.get(`/api/workspaces/${workspaceId}/documents`)).body.documents.find((d: { id: string }) => d.id === documentId);
    expect(seenByContributor.abilities).toMatchObject({ edit: false, rename: false, archive: false, comment: false });
    expect((await contributor.api.patch(`/api/documents/${documentId}`, { archived: false })).status).toBe(403);
    expect((await chair.api.patch(`/api/documents/${documentId}`, { archived: false })).status).toBe(200);
  });

  it('keeps contributors from starting threads on (or replying in) an archived document; chairs and leads still can', async () => {
    const created = await chair.api.post(`/api/workspaces/${workspaceId}/documents`, { title: 'Old plan', template: 'blank' });
    const documentId: string = created.body.document.id;
    const thread = await contributor.api.post(`/api/documents/${documentId}/threads`, { anchor: sectionAnchor(), sectionTitle: 'Plan', body: 'Before archiving' });
    expect(thread.status).toBe(201);
    await chair.api.patch(`/api/documents/${documentId}`, { archived: true });
    const refused = await contributor.api.post(`/api/documents/${documentId}/threads`, { anchor: sectionAnchor(), sectionTitle: 'Plan', body: 'After archiving' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('archived');
    expect((await contributor.api.post(`/api/threads/${thread.body.thread.id}/comments`, { body: 'A late reply' })).status).toBe(403);
    expect((await lead.api.post(`/api/threads/${thread.body.thread.id}/comments`, { body: 'Noted for the next version' })).status).toBe(201);
    const threads = (await chair.api.get(`/api/documents/${documentId}/threads`)).body.threads;
    expect(threads).toHaveLength(1);
    expect(threads[0].comments.map((c: { body: string }) => c.body)).toEqual(['Before archiving', 'Noted for the next version']);
  });

  it('refuses a meeting agenda item that points to a document of another workspace, over REST and socket.io', async () => {
    const foreign = await chair.api.post(`/api/workspaces/${otherWorkspaceId}/documents`, { title: 'Foreign plan', template: 'blank' });
    const own = await chair.api.post(`/api/workspaces/${workspaceId}/documents`, { title: 'Own plan', template: 'blank' });
    const agenda = (documentId: string) => [{ title: 'Scope', documentId, sectionTitle: null }];
    const rest = await chair.api.post(`/api/workspaces/${workspaceId}/meetings`, { title: 'Review', agenda: agenda(foreign.body.document.id) });
    expect(rest.status).toBe(400);
    expect(rest.body.error.message).toContain('not in this workspace');
    const socket = await connectRealtime(server.url, chair.api.cookie);
    try {
      const refused = await emitWithAck(socket, 'meeting:start', { workspaceId, title: 'Review', agenda: agenda('no-such-document') });
      expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
      const started = await call<MeetingState>(socket, 'meeting:start', { workspaceId, title: 'Review', agenda: agenda(own.body.document.id) });
      expect(started.meeting.agenda[0]!.documentId).toBe(own.body.document.id);
      const changed = await emitWithAck(socket, 'meeting:update', { meetingId: started.meeting.id, agenda: agenda(foreign.body.document.id) });
      expect(changed).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
      await call(socket, 'meeting:end', { meetingId: started.meeting.id });
    } finally {
      socket.disconnect();
    }
  });
});
