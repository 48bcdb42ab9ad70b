/**
 * Two server instances behind (imaginary) load balancing, sharing MongoDB and Redis:
 * people on different instances see each other in presence and in a meeting.
 */
import { randomUUID } from 'node:crypto';
import { Binary, MongoClient, ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ChangesView, MeetingState, VersionView } from '@jane/shared';
import { HistoryService } from '../src/history/service.js';
import { docFromState } from '../src/storage/docState.js';
import { SERVER_AUTHOR } from '../src/storage/port.js';
import { openMongoStore } from '../src/storage/mongo/mongoStore.js';
import { addParagraph, connectClient, textOf, typeInto, waitFor, waitForSync, type TestClient } from './helpers/collab.js';
import { startTestMongo, type TestMongo } from './helpers/mongo.js';
import { createPerson, type TestPerson } from './helpers/people.js';
import { call, connectRealtime, type RealtimeClient } from './helpers/realtime.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { requireRedis } from './helpers/redis.js';

let mongo: TestMongo;
let first: TestServer;
let second: TestServer;
let workspaceId: string;
let chair: TestPerson;
let member: TestPerson;
const sockets: RealtimeClient[] = [];
const clients: TestClient[] = [];

beforeAll(async () => {
  const redisUrl = await requireRedis();
  mongo = await startTestMongo();
  const env = { REDIS_URL: redisUrl, REDIS_PREFIX: `jane-test-${randomUUID()}`, MONGODB_URI: mongo.uri };
  first = await startTestServer({ env, store: await openMongoStore({ uri: mongo.uri }) });
  second = await startTestServer({ env, store: await openMongoStore({ uri: mongo.uri }) });
  workspaceId = (await first.store.workspaces.list())[0]!.id;
  chair = await createPerson(first, { name: 'Chair on A', country: 'NL', roles: { [workspaceId]: 'chair' } });
  member = await createPerson(second, { name: 'Member on B', country: 'AT', roles: { [workspaceId]: 'contributor' } });
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  for (const client of clients) client.destroy();
  await first?.stop();
  await second?.stop();
  await mongo?.stop();
});

/** A blank document in the workspace, created by the chair through instance A. */
async function createDocument(title: string): Promise<string> {
  const created = await chair.api.post(`/api/workspaces/${workspaceId}/documents`, { title, template: 'blank' });
  return created.body.document.id as string;
}

/** The chair on instance A and the member on instance B, both synced to the document. */
async function openOnBoth(documentId: string): Promise<{ onA: TestClient; onB: TestClient }> {
  const onA = connectClient(first.url, documentId, chair.api.cookie);
  const onB = connectClient(second.url, documentId, member.api.cookie);
  clients.push(onA, onB);
  await Promise.all([waitForSync(onA), waitForSync(onB)]);
  return { onA, onB };
}

describe('two instances with Redis', () => {
  it('share presence: someone connected to one instance sees someone on the other', async () => {
    const onA = await connectRealtime(first.url, chair.api.cookie);
    const onB = await connectRealtime(second.url, member.api.cookie);
    sockets.push(onA, onB);
    await call(onB, 'presence:update', { workspaceId, documentId: null, sectionTitle: null, activity: 'active', hidden: false });
    await waitFor(() => onA.people(workspaceId).some((p) => p.name === 'Member on B' && p.location.kind === 'workspace'), 2000, 'B seen on A');
    await waitFor(() => onB.people(workspaceId).some((p) => p.name === 'Chair on A'), 2000, 'A seen on B');
    // A fresh snapshot on A gathers connections from both instances.
    const late = await connectRealtime(first.url, chair.api.cookie);
    sockets.push(late);
    expect(late.people(workspaceId).map((p) => p.name).sort()).toEqual(['Chair on A', 'Member on B']);
  });

  it('share meetings: a meeting started on one instance is joined from the other, and the chair sees the attendee', async () => {
    const onA = await connectRealtime(first.url, chair.api.cookie);
    const onB = await connectRealtime(second.url, member.api.cookie);
    sockets.push(onA, onB);
    const started = await call<MeetingState>(onA, 'meeting:start', { workspaceId, title: 'Cross-instance call' });
    await waitFor(() => onB.meetings.get(workspaceId)?.meeting.id === started.meeting.id, 2000, 'banner on B');
    await call(onB, 'meeting:join', { meetingId: started.meeting.id });
    await waitFor(
      () => onA.meetings.get(workspaceId)?.attendees.some((a) => a.name === 'Member on B' && a.country === 'AT' && a.present) ?? false,
      2000,
      'attendee seen on A',
    );
    await call(onA, 'meeting:end', { meetingId: started.meeting.id });
  });

  it('share live documents: people typing through different instances see each other’s text and cursors', async () => {
    const documentId = await createDocument('Shared draft');
    const { onA, onB } = await openOnBoth(documentId);
    addParagraph(onA.doc, 'Typed on instance A.');
    addParagraph(onB.doc, 'Typed on instance B.');
    await waitFor(() => onA.text() === onB.text() && onA.text().includes('instance A') && onA.text().includes('instance B'), 3000, 'convergence across instances');
    onB.provider.awareness.setLocalStateField('section', 'Scope');
    await waitFor(
      () => [...onA.provider.awareness.getStates().values()].some((s) => s.user?.name === 'Member on B' && s.section === 'Scope'),
      3000,
      'awareness across instances',
    );
    // Both instances stored their own clients' changes; a cold open elsewhere has everything.
    onA.destroy();
    onB.destroy();
    await waitFor(() => first.collab.registry.get(documentId) === null && second.collab.registry.get(documentId) === null, 5000, 'unloaded');
    const later = connectClient(second.url, documentId, member.api.cookie);
    clients.push(later);
    await waitForSync(later);
    expect(later.text()).toContain('Typed on instance A.');
    expect(later.text()).toContain('Typed on instance B.');
  });

  it('puts into the next version an edit another instance stored behind the cursor of the previous one (its lower id in the same second made by a raw insert)', async () => {
    const documentId = await createDocument('Late entries');
    const onA = connectClient(first.url, documentId, chair.api.cookie);
    clients.push(onA);
    await waitForSync(onA);
    addParagraph(onA.doc, 'Written before the first version.');
    await waitFor(async () => (await first.store.history.list(documentId)).some((e) => e.userId === chair.id), 5000, 'stored');
    const firstVersion = await chair.api.post(`/api/documents/${documentId}/versions`, { name: 'First' });
    expect(firstVersion.status).toBe(201);
    const cursor = (await first.store.history.latest(documentId))!;

    // Instance B's ids sort below A's within a second, and its write landed only now: an
    // entry in the same second as the first version's cursor, ordered before it.
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(onA.doc));
    const before = Y.encodeStateVector(other);
    addParagraph(other, 'Stored late by instance B.');
    const update = Y.encodeStateAsUpdate(other, before);
    const lateId = new ObjectId(`${cursor.slice(0, 8)}0000000000${cursor.slice(18)}`);
    expect(lateId.toHexString() < cursor).toBe(true);
    const raw = new MongoClient(mongo.uri);
    try {
      await raw.db().collection('docHistory').insertOne({ _id: lateId, docId: documentId, userId: member.id, at: new Date().toISOString(), data: new Binary(update) });
    } finally {
      await raw.close();
    }

    const secondVersion = await chair.api.post(`/api/documents/${documentId}/versions`, { name: 'Second' });
    expect(secondVersion.status).toBe(201);
    const version: VersionView = secondVersion.body.version;
    const state = await second.store.versions.state(documentId, version.id);
    const inVersion = new Y.Doc();
    Y.applyUpdate(inVersion, state!);
    expect(textOf(inVersion)).toContain('Written before the first version.');
    expect(textOf(inVersion)).toContain('Stored late by instance B.');
    expect(version.authors.map((a) => a.userId)).toEqual([member.id]);
    // The changes between the two versions show it, credited to who sent it — and nothing
    // the first version held already.
    const changes = await chair.api.get(`/api/documents/${documentId}/changes?from=${firstVersion.body.version.id}&to=${version.id}`);
    expect(changes.status).toBe(200);
    const inserted = (changes.body as ChangesView).sections.flatMap((s) => s.inserted);
    expect(inserted.map((c) => c.text.trim())).toEqual(['Stored late by instance B.']);
    expect(inserted.map((c) => c.userId)).toEqual([member.id]);
  });

  it('takes one automatic version when both instances finish their quiet time at once', async () => {
    const documentId = await createDocument('Quiet on both');
    const { onA, onB } = await openOnBoth(documentId);
    addParagraph(onA.doc, 'Stored by instance A.');
    addParagraph(onB.doc, 'Stored by instance B.');
    await waitFor(async () => {
      const authors = new Set((await first.store.history.list(documentId)).map((e) => e.userId));
      return authors.has(chair.id) && authors.has(member.id);
    }, 5000, 'both stored');
    // Each instance's history service, as its quiet timer would call it.
    const services = [first, second].map((s) => new HistoryService(s.store, s.context.liveDocuments, s.context.logger, { pauseMs: 600_000 }));
    const auto = { kind: 'auto' as const, name: 'Automatic version', createdBy: SERVER_AUTHOR, onlyIfChanged: true };
    const taken = await Promise.all(services.map((service) => service.createVersion(documentId, auto)));
    expect(taken.filter((v) => v !== null)).toHaveLength(1);
    const versions = (await chair.api.get(`/api/documents/${documentId}/versions`)).body.versions as VersionView[];
    expect(versions.filter((v) => v.kind === 'auto')).toHaveLength(1);
    const state = await first.store.versions.state(documentId, versions.find((v) => v.kind === 'auto')!.id);
    const inVersion = new Y.Doc();
    Y.applyUpdate(inVersion, state!);
    expect(textOf(inVersion)).toContain('Stored by instance A.');
    expect(textOf(inVersion)).toContain('Stored by instance B.');
    // The refused second create left none of its content behind (it wrote it before its record).
    const raw = new MongoClient(mongo.uri);
    try {
      const chunks = await raw.db().collection('docVersionChunks').find({ versionId: versions.find((v) => v.kind === 'auto')!.id }).toArray();
      expect(chunks).toHaveLength(1);
    } finally {
      await raw.close();
    }
  });

  it('takes the automatic version only once nobody has typed for the quiet time, whichever instance stored the typing', async () => {
    const documentId = await createDocument('Typing on A');
    const onA = connectClient(first.url, documentId, chair.api.cookie);
    clients.push(onA);
    await waitForSync(onA);
    // Instance B waits for a quiet time of 400 ms (as after a restart), while instance A
    // stores typing every 100 ms for 1.5 s.
    const onB = new HistoryService(second.store, second.context.liveDocuments, second.context.logger, { pauseMs: 400 });
    onB.noteEdited(documentId);
    const typedUntil = Date.now() + 1500;
    let words = 0;
    while (Date.now() < typedUntil) {
      addParagraph(onA.doc, `word${words++}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const last = `word${words - 1}`;
    await waitFor(async () => textOf(docFromState(await first.store.content.load(documentId))).includes(last), 5000, 'typing stored');
    const list = async () => ((await chair.api.get(`/api/documents/${documentId}/versions`)).body.versions as VersionView[]).filter((v) => v.kind === 'auto');
    await waitFor(async () => (await list()).length > 0, 5000, 'the automatic version after the typing');
    onB.stop();
    const versions = await list();
    expect(versions).toHaveLength(1);
    expect(Date.parse(versions[0]!.createdAt)).toBeGreaterThanOrEqual(typedUntil);
    const inVersion = new Y.Doc();
    Y.applyUpdate(inVersion, (await second.store.versions.state(documentId, versions[0]!.id))!);
    expect(textOf(inVersion)).toContain(last);
  });

  it('serves stock clients of y-websocket 1.x, 2.x and 3.x together on one document across instances', async () => {
    const documentId = await createDocument('Mixed clients');
    const v1 = connectClient(first.url, documentId, chair.api.cookie, { version: 1 });
    const v2 = connectClient(second.url, documentId, member.api.cookie, { version: 2 });
    const v3 = connectClient(first.url, documentId, member.api.cookie, { version: 3 });
    const v3b = connectClient(second.url, documentId, chair.api.cookie, { version: 3 });
    const all = [v1, v2, v3, v3b];
    clients.push(...all);
    await Promise.all(all.map((c) => waitForSync(c)));
    addParagraph(v1.doc, 'From y-websocket 1 on A.');
    addParagraph(v2.doc, 'From y-websocket 2 on B.');
    addParagraph(v3.doc, 'From y-websocket 3 on A.');
    typeInto(v3b.doc, 0, 0, 'Edited: ');
    const expected = ['y-websocket 1 on A', 'y-websocket 2 on B', 'y-websocket 3 on A', 'Edited: '];
    await waitFor(() => all.every((c) => c.text() === v1.text()) && expected.every((part) => v1.text().includes(part)), 5000, 'all versions converge');
    // Awareness crosses versions and instances too.
    v1.provider.awareness.setLocalStateField('section', 'Eligibility');
    await waitFor(() => [...v2.provider.awareness.getStates().values()].some((s) => s.user?.name === 'Chair on A' && s.section === 'Eligibility'), 5000, 'v1 awareness seen by v2 on B');
    // A reconnection of the oldest client (its copy unchanged) merges again without a refusal.
    v1.provider.disconnect();
    addParagraph(v1.doc, 'Offline in y-websocket 1.');
    v1.provider.connect();
    await waitFor(() => all.every((c) => c.text() === v1.text()) && v2.text().includes('Offline in y-websocket 1.'), 5000, 'offline edit of v1 reaches everyone');
  });
});
