/**
 * The server's write path into documents (`LiveDocuments.change`): a change the server
 * makes for someone reaches every connected client on every instance at once, is stored
 * and attributed to that person, works whether the document is loaded or not, never
 * races with loading or unloading, changes nothing when the edit fails, and survives
 * kill -9 once it has resolved.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMongoStore } from '../src/storage/mongo/mongoStore.js';
import { docFromState } from '../src/storage/docState.js';
import { ApiClient } from './helpers/api.js';
import { addParagraph, connectClient, textOf, waitFor, waitForSync, type TestClient } from './helpers/collab.js';
import { ServerInstance } from './helpers/instances.js';
import { startTestMongo, type TestMongo } from './helpers/mongo.js';
import { createPerson, TEST_PASSWORD, type TestPerson } from './helpers/people.js';
import { requireRedis } from './helpers/redis.js';
import { startTestServer, type TestServer } from './helpers/server.js';

let mongo: TestMongo;
let first: TestServer;
let second: TestServer;
let workspaceId: string;
let chair: TestPerson;
let member: TestPerson;
const clients: TestClient[] = [];

beforeAll(async () => {
  const redisUrl = await requireRedis();
  mongo = await startTestMongo();
  const env = { REDIS_URL: redisUrl, REDIS_PREFIX: `jane-write-${randomUUID()}`, DOC_UNLOAD_DELAY_MS: '50' };
  first = await startTestServer({ env, store: await openMongoStore({ uri: mongo.uri }) });
  second = await startTestServer({ env, store: await openMongoStore({ uri: mongo.uri }) });
  workspaceId = (await first.store.workspaces.list())[0]!.id;
  chair = await createPerson(first, { name: 'Chiara Chair', roles: { [workspaceId]: 'chair' } });
  member = await createPerson(first, { name: 'Mats Member', roles: { [workspaceId]: 'contributor' } });
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  await first?.stop();
  await second?.stop();
  await mongo?.stop();
});

async function newDocument(title: string): Promise<string> {
  const created = await chair.api.post(`/api/workspaces/${workspaceId}/documents`, { title, template: 'blank' });
  expect(created.status).toBe(201);
  return created.body.document.id;
}

async function storedText(documentId: string): Promise<string> {
  const doc = docFromState(await first.store.content.load(documentId));
  const text = textOf(doc);
  doc.destroy();
  return text;
}

describe('the server write path', () => {
  it('reaches stock clients on two instances live, is stored, and is attributed to the person it acts for', async () => {
    const documentId = await newDocument('Minutes');
    const onFirst = connectClient(first.url, documentId, member.api.cookie);
    const onSecond = connectClient(second.url, documentId, member.api.cookie);
    clients.push(onFirst, onSecond);
    await Promise.all([waitForSync(onFirst), waitForSync(onSecond)]);
    const result = await first.collab.liveDocuments.change(documentId, chair.id, (doc) => addParagraph(doc, 'Decisions: the scope is agreed.'));
    expect(result.changed).toBe(true);
    // Durable when it resolves.
    expect(await storedText(documentId)).toContain('Decisions: the scope is agreed.');
    await waitFor(() => onFirst.text().includes('Decisions') && onSecond.text().includes('Decisions'), 5000, 'both instances');
    expect((await first.store.documents.findById(documentId))!.updatedBy).toBe(chair.id);
    // People keep typing on top of it.
    addParagraph(onSecond.doc, 'Action items');
    await waitFor(() => onFirst.text().endsWith('Action items'), 5000, 'a person edits after the server');
  });

  it('works on a document nobody has open, and on one that is unloading, without losing a change', async () => {
    const documentId = await newDocument('Quiet draft');
    await waitFor(() => first.collab.registry.get(documentId) === null, 5000, 'unloaded');
    await first.collab.liveDocuments.change(documentId, chair.id, (doc) => addParagraph(doc, 'one'));
    // Changes racing the unload of a document (its last client leaves, 50 ms delay).
    for (let i = 0; i < 8; i++) {
      const visitor = connectClient(first.url, documentId, member.api.cookie);
      await waitForSync(visitor);
      visitor.destroy();
      await new Promise((resolve) => setTimeout(resolve, 40 + i * 5));
      await first.collab.liveDocuments.change(documentId, chair.id, (doc) => addParagraph(doc, `change ${i}`));
    }
    const reader = connectClient(second.url, documentId, member.api.cookie);
    clients.push(reader);
    await waitForSync(reader);
    expect(reader.text().split('\n').slice(-9)).toEqual(['one', ...Array.from({ length: 8 }, (_, i) => `change ${i}`)]);
  });

  it('changes nothing when the edit fails half-way', async () => {
    const documentId = await newDocument('Careful');
    const watcher = connectClient(first.url, documentId, member.api.cookie);
    clients.push(watcher);
    await waitForSync(watcher);
    const before = watcher.text();
    await expect(
      first.collab.liveDocuments.change(documentId, chair.id, (doc) => {
        addParagraph(doc, 'half');
        throw new Error('the import found a broken table');
      }),
    ).rejects.toThrow('broken table');
    // Barrier: a later change arrives; the failed one never does.
    await first.collab.liveDocuments.change(documentId, chair.id, (doc) => addParagraph(doc, 'whole'));
    await waitFor(() => watcher.text().endsWith('whole'), 5000, 'the later change');
    expect(watcher.text()).toBe(`${before}\nwhole`);
    expect(await storedText(documentId)).toBe(`${before}\nwhole`);
  });
});

describe('the write path and kill -9', () => {
  it('keeps a change that resolved (a new document’s template) through a SIGKILL right after', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jane-write-kill-'));
    const instance = new ServerInstance({ name: 'write path', env: { DATA_DIR: dataDir }, logFile: path.join(dataDir, 'server.log') });
    try {
      await instance.start();
      const admin = new ApiClient(instance.url);
      expect((await admin.post('/api/setup', { name: 'Ada Admin', email: 'ada@example.eu', country: 'BE', organisation: 'JANE', password: TEST_PASSWORD })).status).toBe(201);
      const ws = (await admin.get('/api/workspaces')).body.workspaces[0].id;
      const created = await admin.post(`/api/workspaces/${ws}/documents`, { title: 'Written then killed', template: 'call-for-expressions-of-interest' });
      expect(created.status).toBe(201);
      await instance.kill();
      await instance.start();
      const fresh = connectClient(instance.url, created.body.document.id, admin.cookie);
      clients.push(fresh);
      await waitForSync(fresh);
      expect(fresh.text()).toContain('Written then killed');
      expect(fresh.text()).toContain('Eligibility and selection criteria');
    } finally {
      await instance.kill();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

