/**
 * Signing out ends the session everywhere, live: every `/collab` socket opened with it
 * (on any instance) closes with 4401, its socket.io connections are disconnected, and
 * nothing sent afterwards is stored — while the same person's other sessions (another
 * device) go on. A connection also never outlives its session's expiry.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from '@jane/shared';
import * as Y from 'yjs';
import { SESSION_COOKIE } from '../src/auth/sessions.js';
import { hashSecret, newSecret } from '../src/ids.js';
import { openMongoStore } from '../src/storage/mongo/mongoStore.js';
import { ApiClient } from './helpers/api.js';
import { addParagraph, connectClient, nextClose, textOf, waitFor, waitForSync, type TestClient } from './helpers/collab.js';
import { startTestMongo, type TestMongo } from './helpers/mongo.js';
import { createPerson, TEST_PASSWORD, type TestPerson } from './helpers/people.js';
import { connectRealtime, type RealtimeClient } from './helpers/realtime.js';
import { requireRedis } from './helpers/redis.js';
import { startTestServer, type TestServer } from './helpers/server.js';

let mongo: TestMongo;
let first: TestServer;
let second: TestServer;
let workspaceId: string;
let person: TestPerson;
const clients: TestClient[] = [];
const sockets: RealtimeClient[] = [];

beforeAll(async () => {
  const redisUrl = await requireRedis();
  mongo = await startTestMongo();
  const env = { REDIS_URL: redisUrl, REDIS_PREFIX: `jane-signout-${randomUUID()}` };
  first = await startTestServer({ env, store: await openMongoStore({ uri: mongo.uri }) });
  second = await startTestServer({ env, store: await openMongoStore({ uri: mongo.uri }) });
  workspaceId = (await first.store.workspaces.list())[0]!.id;
  person = await createPerson(first, { name: 'Sofia Andersson', country: 'SE', roles: { [workspaceId]: 'contributor' } });
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  for (const client of clients) client.destroy();
  await first?.stop();
  await second?.stop();
  await mongo?.stop();
});

async function storedText(documentId: string): Promise<string> {
  const state = await first.store.content.load(documentId);
  const doc = new Y.Doc();
  if (state.snapshot) Y.applyUpdate(doc, state.snapshot);
  for (const update of state.updates) Y.applyUpdate(doc, update);
  return textOf(doc);
}

function disconnected(socket: RealtimeClient): Promise<string> {
  return new Promise((resolve) => socket.once('disconnect', (reason) => resolve(String(reason))));
}

describe('signing out', () => {
  it('closes every connection of that session on every instance at once, keeps the other device connected, and stores nothing sent afterwards', async () => {
    const created = await person.api.post(`/api/workspaces/${workspaceId}/documents`, { title: 'Survivorship plan', template: 'blank' });
    const documentId: string = created.body.document.id;
    // The laptop (this session) has two tabs, one routed to each instance; the phone is another session.
    const laptop = person.api;
    const phone = new ApiClient(first.url);
    expect((await phone.post('/api/auth/login', { email: person.email, password: TEST_PASSWORD })).status).toBe(200);
    const tabOnFirst = connectClient(first.url, documentId, laptop.cookie);
    const tabOnSecond = connectClient(second.url, documentId, laptop.cookie);
    const onPhone = connectClient(first.url, documentId, phone.cookie);
    clients.push(tabOnFirst, tabOnSecond, onPhone);
    await Promise.all([tabOnFirst, tabOnSecond, onPhone].map((c) => waitForSync(c)));
    const realtimeOnSecond = await connectRealtime(second.url, laptop.cookie);
    const phoneRealtime = await connectRealtime(first.url, phone.cookie);
    sockets.push(realtimeOnSecond, phoneRealtime);

    const closes = [nextClose(tabOnFirst), nextClose(tabOnSecond)];
    const gone = disconnected(realtimeOnSecond);
    const cookieBefore = laptop.cookie;
    expect((await laptop.post('/api/auth/logout')).status).toBe(204);
    expect(await Promise.all(closes)).toEqual([CloseCode.Unauthorized, CloseCode.Unauthorized]);
    expect(await gone).toBe('io server disconnect');

    // Typed in the signed-out tabs afterwards: it stays on the laptop and is never stored.
    addParagraph(tabOnFirst.doc, 'Typed after signing out');
    addParagraph(tabOnSecond.doc, 'Also typed after signing out');
    // Barrier: the phone's edit, made later, reaches the store.
    addParagraph(onPhone.doc, 'Typed on the phone');
    await waitFor(async () => (await storedText(documentId)).includes('Typed on the phone'), 5000, 'the phone edit stored');
    expect(await storedText(documentId)).not.toContain('after signing out');
    expect(onPhone.provider.wsconnected).toBe(true);
    expect(phoneRealtime.connected).toBe(true);

    // The old cookie opens nothing any more.
    await expect(connectRealtime(second.url, cookieBefore)).rejects.toThrow(/unauthenticated/);
    const reopened = connectClient(second.url, documentId, cookieBefore);
    clients.push(reopened);
    const refused = await new Promise<number>((resolve) => reopened.provider.once('connection-error', () => resolve(401)));
    expect(refused).toBe(401);
  });

  it('closes connections when their session expires', async () => {
    const api = new ApiClient(first.url);
    expect((await api.post('/api/auth/login', { email: person.email, password: TEST_PASSWORD })).status).toBe(200);
    const created = await api.post(`/api/workspaces/${workspaceId}/documents`, { title: 'Short session', template: 'blank' });
    const documentId: string = created.body.document.id;
    const token = newSecret();
    await first.store.sessions.create({
      tokenHash: hashSecret(token),
      userId: person.id,
      createdAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + 1_500).toISOString(),
    });
    const cookie = `${SESSION_COOKIE}=${encodeURIComponent(token)}`;
    const client = connectClient(second.url, documentId, cookie);
    clients.push(client);
    await waitForSync(client);
    const realtime = await connectRealtime(first.url, cookie);
    sockets.push(realtime);
    const started = Date.now();
    const [code, reason] = await Promise.all([nextClose(client), disconnected(realtime)]);
    expect(code).toBe(CloseCode.Unauthorized);
    expect(reason).toBe('io server disconnect');
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});
