/**
 * Nothing typed is lost: across restarts, a kill -9, store failures and long histories.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { buildTemplateUpdate, CloseCode } from '@jane/shared';
import { startServer } from '../src/app.js';
import { openSqliteStore } from '../src/storage/sqlite/sqliteStore.js';
import type { Store } from '../src/storage/port.js';
import { hashPassword } from '../src/auth/passwords.js';
import { ApiClient } from './helpers/api.js';
import { addParagraph, connectClient, nextClose, textOf, trackSaved, typeInto, waitFor, waitForSync, type TestClient } from './helpers/collab.js';
import { createPerson, TEST_PASSWORD } from './helpers/people.js';
import { startTestServer, testConfig, type TestServer } from './helpers/server.js';
import { makeTempDir } from './helpers/tempDir.js';
import { pino } from 'pino';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function storedText(store: Store, documentId: string): Promise<string> {
  const state = await store.content.load(documentId);
  const doc = new Y.Doc();
  if (state.snapshot) Y.applyUpdate(doc, state.snapshot);
  for (const update of state.updates) Y.applyUpdate(doc, update);
  return textOf(doc);
}

async function setUpDocument(server: TestServer | { url: string; store: Store }): Promise<{ api: ApiClient; documentId: string }> {
  const [workspace] = await server.store.workspaces.list();
  const person = await createPerson(server as TestServer, { roles: { [workspace!.id]: 'contributor' } });
  const created = await person.api.post(`/api/workspaces/${workspace!.id}/documents`, { title: 'Plan', template: 'blank' });
  return { api: person.api, documentId: created.body.document.id };
}

describe('persistence across restarts', () => {
  it('keeps every character through a normal restart of the server', async () => {
    const { config, cleanup } = testConfig();
    cleanups.push(cleanup);
    let server = await startServer(config, { logger: pino({ level: 'silent' }) });
    const { api, documentId } = await setUpDocument(server as TestServer);
    const writer = connectClient(server.url, documentId, api.cookie, { acks: true, connect: false });
    const saved = trackSaved(writer);
    writer.provider.connect();
    await waitForSync(writer);
    addParagraph(writer.doc, 'Mission and scope of the network');
    await waitFor(() => saved.sent() > 0 && saved.saved() === saved.sent(), 5000, 'saved');
    writer.destroy();
    await server.close();

    server = await startServer(config, { logger: pino({ level: 'silent' }) });
    cleanups.push(() => server.close());
    const reader = connectClient(server.url, documentId, api.cookie);
    cleanups.push(() => reader.destroy());
    await waitForSync(reader);
    expect(reader.text()).toBe('Plan\n\nMission and scope of the network');
  });

  it('loses nothing that was reported saved when the server process is killed with SIGKILL mid-typing', async () => {
    const temp = makeTempDir('jane-kill-');
    cleanups.push(temp.remove);
    // Prepare an account and a document in the data directory the child will use.
    const seedStore = openSqliteStore({ dataDir: temp.dir });
    const userId = 'killtestuser';
    const now = new Date().toISOString();
    await seedStore.workspaces.create({ id: 'ws1', kind: 'network', title: 'Survivorship', createdAt: now });
    await seedStore.users.create({
      id: userId, email: 'typist@example.eu', name: 'Typist', country: 'IE', organisation: 'TCD',
      passwordHash: await hashPassword(TEST_PASSWORD, 10), isAdmin: false, active: true, createdAt: now,
    });
    await seedStore.memberships.upsert({ workspaceId: 'ws1', userId, role: 'contributor', createdAt: now });
    await seedStore.documents.create({
      id: 'doc1', workspaceId: 'ws1', title: 'Plan', template: 'blank', archived: false, createdAt: now, createdBy: userId, updatedAt: now, updatedBy: null,
    });
    await seedStore.content.append([{ docId: 'doc1', data: buildTemplateUpdate('blank', 'Plan'), userId }], now);
    await seedStore.close();

    const first = await spawnServer(temp.dir);
    const api = new ApiClient(first.url);
    expect((await api.post('/api/auth/login', { email: 'typist@example.eu', password: TEST_PASSWORD })).status).toBe(200);
    const writer = connectClient(first.url, 'doc1', api.cookie, { acks: true, connect: false });
    cleanups.push(() => writer.destroy());
    const saved = trackSaved(writer);
    // What the document looked like when each change frame was sent.
    const textAtFrame: string[] = [];
    writer.doc.on('update', () => {
      textAtFrame[saved.sent()] = writer.text();
    });
    writer.provider.connect();
    await waitForSync(writer);
    addParagraph(writer.doc, '');

    let typed = 0;
    const typing = setInterval(() => {
      typeInto(writer.doc, 2, typed, String.fromCharCode(97 + (typed % 26)));
      typed++;
    }, 2);
    cleanups.push(() => clearInterval(typing));
    await waitFor(() => saved.saved() >= 60, 15_000, '60 saved acknowledgements');
    const acknowledged = saved.saved();
    first.child.kill('SIGKILL');
    clearInterval(typing);
    await new Promise((resolve) => first.child.once('exit', resolve));
    writer.provider.disconnect();

    const confirmed = textAtFrame[acknowledged]!;
    expect(confirmed.length).toBeGreaterThan('Plan\n\n'.length + 20);
    const second = await spawnServer(temp.dir);
    const reader = connectClient(second.url, 'doc1', (await login(second.url)).cookie);
    cleanups.push(() => reader.destroy());
    await waitForSync(reader);
    // Everything acknowledged before the kill is there (and maybe a little more).
    expect(reader.text().startsWith(confirmed)).toBe(true);
  });
});

async function login(url: string): Promise<ApiClient> {
  const api = new ApiClient(url);
  const response = await api.post('/api/auth/login', { email: 'typist@example.eu', password: TEST_PASSWORD });
  if (response.status !== 200) throw new Error(`login failed: ${response.status}`);
  return api;
}

/** Runs the real server entry point (src/main.ts) as a child process that can be killed. */
async function spawnServer(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, SCRYPT_COST: '10', LOG_LEVEL: 'info', CLIENT_DIST: '', CI: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${output}`)), 30_000);
    const onData = (data: Buffer) => {
      output += data.toString();
      const match = /"url":"(http:\/\/[^"]+)"/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${output}`));
    });
  });
  return { child, url };
}

/** Wraps a real store so that loads or appends fail on demand: failures we cannot otherwise cause. */
function storeWithInjectedFailures(base: Store) {
  const faults = { load: false, append: false, appendAttempts: 0 };
  const store: Store = {
    ...base,
    content: {
      ...base.content,
      load: async (docId) => {
        if (faults.load) throw new Error('injected load failure');
        return base.content.load(docId);
      },
      append: async (batch, at) => {
        faults.appendAttempts++;
        if (faults.append) throw new Error('injected write failure');
        return base.content.append(batch, at);
      },
    },
  };
  return { store, faults };
}

describe('store failures (injected)', () => {
  it('refuses to open a document whose load fails, creates nothing, and opens it once the store is back', async () => {
    const temp = makeTempDir();
    cleanups.push(temp.remove);
    const base = openSqliteStore({ dataDir: temp.dir });
    const { store, faults } = storeWithInjectedFailures(base);
    const server = await startTestServer({ store });
    cleanups.push(() => server.stop());
    const { api, documentId } = await setUpDocument(server);
    const before = await base.content.load(documentId);
    await waitFor(() => server.collab.registry.get(documentId) === null, 5000, 'the new document unloaded');

    faults.load = true;
    const client = connectClient(server.url, documentId, api.cookie);
    cleanups.push(() => client.destroy());
    expect(await nextClose(client)).toBe(CloseCode.Unavailable);
    expect(client.text()).toBe('');
    expect(server.collab.registry.get(documentId)).toBeNull();
    expect(await base.content.load(documentId)).toEqual(before);

    faults.load = false;
    await waitForSync(client, 10_000);
    expect(client.text()).toBe('Plan\n');
  });

  it('keeps "Saving…" while writes fail and saves everything once the store recovers', async () => {
    const temp = makeTempDir();
    cleanups.push(temp.remove);
    const { store, faults } = storeWithInjectedFailures(openSqliteStore({ dataDir: temp.dir }));
    const server = await startTestServer({ store });
    cleanups.push(() => server.stop());
    const { api, documentId } = await setUpDocument(server);
    const writer: TestClient = connectClient(server.url, documentId, api.cookie, { acks: true, connect: false });
    cleanups.push(() => writer.destroy());
    const saved = trackSaved(writer);
    writer.provider.connect();
    await waitForSync(writer);
    await waitFor(() => saved.saved() === saved.sent(), 5000, 'initial sync saved');

    faults.append = true;
    const attemptsBefore = faults.appendAttempts;
    addParagraph(writer.doc, 'Written while the database is down');
    await waitFor(() => faults.appendAttempts >= attemptsBefore + 3, 5000, 'retries');
    expect(saved.saved()).toBeLessThan(saved.sent());
    expect(await storedText(store, documentId)).not.toContain('database is down');

    faults.append = false;
    await waitFor(() => saved.saved() === saved.sent(), 10_000, 'saved after recovery');
    expect(await storedText(store, documentId)).toContain('Written while the database is down');
  });
});

describe('long histories', () => {
  it('compacts the update log as people type, and a cold open of the document is fast and complete', async () => {
    const server = await startTestServer({ env: { COMPACT_AFTER_UPDATES: '100' } });
    cleanups.push(() => server.stop());
    const { api, documentId } = await setUpDocument(server);
    const writer = connectClient(server.url, documentId, api.cookie, { acks: true, connect: false });
    const saved = trackSaved(writer);
    writer.provider.connect();
    await waitForSync(writer);
    addParagraph(writer.doc, '');
    const sentence = 'The network pools expertise across Member States. ';
    for (let i = 0; i < 1000; i++) typeInto(writer.doc, 2, i, sentence[i % sentence.length]!);
    await waitFor(() => saved.saved() === saved.sent(), 10_000, 'all saved');
    const expected = writer.text();
    writer.destroy();
    await waitFor(() => server.collab.registry.get(documentId) === null, 5000, 'unloaded');
    await waitFor(async () => (await server.store.content.countUpdates(documentId)) < 100, 5000, 'compacted');

    const started = performance.now();
    const reader = connectClient(server.url, documentId, api.cookie);
    cleanups.push(() => reader.destroy());
    await waitForSync(reader);
    const openMs = performance.now() - started;
    expect(reader.text()).toBe(expected);
    expect(openMs).toBeLessThan(1000);
  });
});
