/**
 * Operations: backups taken while people type restore everything that was acknowledged
 * before the backup began (SQLite and MongoDB), a SQLite store moves to MongoDB whole,
 * retention removes what is past its time and keeps counts, and an administrator can
 * export and anonymise a person's data.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ApiClient } from './helpers/api.js';
import { addParagraph, connectClient, nextClose, trackSaved, typeInto, waitFor, waitForSync, type TestClient } from './helpers/collab.js';
import { startTestMongo } from './helpers/mongo.js';
import { createPerson, TEST_PASSWORD, type TestPerson } from './helpers/people.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { makeTempDir } from './helpers/tempDir.js';
import { backup, migrateSqliteToMongo, restore } from '../src/operations/transfer.js';
import { applyRetention } from '../src/operations/retention.js';
import { anonymisedName } from '../src/operations/privacy.js';
import { openSqliteStore } from '../src/storage/sqlite/sqliteStore.js';
import { openMongoStore } from '../src/storage/mongo/mongoStore.js';
import { DOCUMENT_FIELD } from '@jane/shared';
import { MongoClient } from 'mongodb';
import type { Store } from '../src/storage/port.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A URI for another database on the same MongoDB server. */
function otherDatabase(uri: string, name: string): string {
  const url = new URL(uri);
  url.pathname = `/${name}`;
  return url.toString();
}

async function serverWithDocument(env: Record<string, string> = {}): Promise<{ server: TestServer; person: TestPerson; workspaceId: string; documentId: string }> {
  const server = await startTestServer({ env });
  cleanups.push(() => server.stop());
  const [workspace] = await server.store.workspaces.list();
  const person = await createPerson(server, { name: 'Ana Typist', roles: { [workspace!.id]: 'contributor' } });
  const created = await person.api.post(`/api/workspaces/${workspace!.id}/documents`, { title: 'Plan', template: 'blank' });
  expect(created.status).toBe(201);
  return { server, person, workspaceId: workspace!.id, documentId: created.body.document.id };
}

/** Signs in on another server with the same account (the store was copied). */
async function signIn(url: string, email: string): Promise<ApiClient> {
  const api = new ApiClient(url);
  const login = await api.post('/api/auth/login', { email, password: TEST_PASSWORD });
  expect(login.status).toBe(200);
  return api;
}

/**
 * Types into the last paragraph without stopping; `pause()` waits until everything typed
 * so far is acknowledged as saved and returns the text at that moment, `resume()` goes on.
 */
function startTyping(client: TestClient, saved: { sent(): number; saved(): number }) {
  let paused = false;
  let stopped = false;
  const lastParagraph = () => client.doc.getXmlFragment(DOCUMENT_FIELD).length - 1;
  const paragraphText = () => ((client.doc.getXmlFragment(DOCUMENT_FIELD).get(lastParagraph()) as Y.XmlElement).get(0) as Y.XmlText).length;
  let n = 0;
  const loop = (async () => {
    while (!stopped) {
      if (!paused) typeInto(client.doc, lastParagraph(), paragraphText(), String.fromCharCode(97 + (n++ % 26)));
      await sleep(2);
    }
  })();
  return {
    async pause(): Promise<string> {
      paused = true;
      await waitFor(() => saved.sent() > 0 && saved.saved() === saved.sent(), 10_000, 'everything typed saved');
      return client.text();
    },
    resume() {
      paused = false;
    },
    async stop() {
      stopped = true;
      await loop;
    },
    typed: () => n,
  };
}

async function typeDuringBackup(server: TestServer, person: TestPerson, documentId: string, takeBackup: () => Promise<unknown>): Promise<string> {
  const writer = connectClient(server.url, documentId, person.api.cookie, { acks: true, connect: false });
  cleanups.push(() => writer.destroy());
  const saved = trackSaved(writer);
  writer.provider.connect();
  await waitForSync(writer);
  addParagraph(writer.doc, 'Typed during the backup: ');
  const typist = startTyping(writer, saved);
  await sleep(300);
  const acknowledged = await typist.pause();
  typist.resume();
  const typedBefore = typist.typed();
  await takeBackup();
  await sleep(100);
  await typist.stop();
  // The typing really went on while the backup ran.
  expect(typist.typed()).toBeGreaterThan(typedBefore);
  return acknowledged;
}

async function textOnServer(url: string, api: ApiClient, documentId: string): Promise<string> {
  const reader = connectClient(url, documentId, api.cookie);
  cleanups.push(() => reader.destroy());
  await waitForSync(reader);
  return reader.text();
}

describe('backup and restore while people type', () => {
  it('SQLite: a backup taken during typing restores into a new data directory with every acknowledged edit', async () => {
    const { server, person, documentId } = await serverWithDocument();
    const dir = makeTempDir('jane-backup-');
    cleanups.push(dir.remove);
    const file = path.join(dir.dir, 'jane.sqlite');
    const acknowledged = await typeDuringBackup(server, person, documentId, () => backup(server.config, file));
    expect(fs.statSync(file).size).toBeGreaterThan(0);

    const restoredDir = path.join(dir.dir, 'restored');
    const result = await restore({ dataDir: restoredDir, mongodbUri: null }, file);
    expect(result.counts.users).toBeGreaterThan(0);
    // A second restore into the same directory is refused: it is not empty any more.
    await expect(restore({ dataDir: restoredDir, mongodbUri: null }, file)).rejects.toThrow(/not empty/);

    const restored = await startTestServer({ env: { DATA_DIR: restoredDir } });
    cleanups.push(() => restored.stop());
    const api = await signIn(restored.url, person.email);
    const text = await textOnServer(restored.url, api, documentId);
    expect(acknowledged).toMatch(/^Plan\n\nTyped during the backup: [a-z]+/);
    expect(text.startsWith(acknowledged)).toBe(true);
  });

  it('SQLite: the portable dump (--dump) restores too', async () => {
    const { server, person, documentId } = await serverWithDocument();
    const dir = makeTempDir('jane-dump-');
    cleanups.push(dir.remove);
    const file = path.join(dir.dir, 'jane.jsonl.gz');
    const acknowledged = await typeDuringBackup(server, person, documentId, () => backup(server.config, file, { dump: true }));
    const restoredDir = path.join(dir.dir, 'restored');
    await restore({ dataDir: restoredDir, mongodbUri: null }, file);
    const restored = await startTestServer({ env: { DATA_DIR: restoredDir } });
    cleanups.push(() => restored.stop());
    const api = await signIn(restored.url, person.email);
    expect((await textOnServer(restored.url, api, documentId)).startsWith(acknowledged)).toBe(true);
  });

  it('MongoDB: a dump taken during typing restores into an empty database with every acknowledged edit', async () => {
    const mongo = await startTestMongo();
    cleanups.push(() => mongo.stop());
    const { server, person, documentId } = await serverWithDocument({ MONGODB_URI: mongo.uri });
    const dir = makeTempDir('jane-mongo-backup-');
    cleanups.push(dir.remove);
    const file = path.join(dir.dir, 'jane.jsonl.gz');
    const acknowledged = await typeDuringBackup(server, person, documentId, () => backup(server.config, file));
    const header = JSON.parse((await import('node:zlib')).gunzipSync(fs.readFileSync(file)).toString().split('\n')[0]!);
    expect(header).toMatchObject({ format: 'jane-dump', version: 1, source: 'mongo' });

    const target = otherDatabase(mongo.uri, `restored_${Date.now()}`);
    await restore({ dataDir: dir.dir, mongodbUri: target }, file);
    await expect(restore({ dataDir: dir.dir, mongodbUri: target }, file)).rejects.toThrow(/not empty/);
    const restored = await startTestServer({ env: { MONGODB_URI: target } });
    cleanups.push(() => restored.stop());
    const api = await signIn(restored.url, person.email);
    expect((await textOnServer(restored.url, api, documentId)).startsWith(acknowledged)).toBe(true);
  });
});

describe('migrate:store, SQLite to MongoDB', () => {
  it('serves the same documents, accounts, threads, meetings and versions from MongoDB', async () => {
    const mongo = await startTestMongo();
    cleanups.push(() => mongo.stop());
    const { server, person, workspaceId, documentId } = await serverWithDocument();
    const chair = await createPerson(server, { name: 'Chiara Chair', roles: { [workspaceId]: 'chair' } });
    const writer = connectClient(server.url, documentId, person.api.cookie, { acks: true, connect: false });
    cleanups.push(() => writer.destroy());
    const saved = trackSaved(writer);
    writer.provider.connect();
    await waitForSync(writer);
    addParagraph(writer.doc, 'Mission and scope of the network');
    await waitFor(() => saved.sent() > 0 && saved.saved() === saved.sent(), 5_000, 'saved');
    const text = writer.text();
    const now = new Date().toISOString();
    await server.store.threads.create(
      { id: 'thread1', workspaceId, documentId, anchor: { kind: 'text', start: 'AA==', end: 'AA==', quote: 'Mission' }, sectionId: null, sectionTitle: null, createdBy: person.id, createdAt: now, resolvedAt: null, resolvedBy: null, lastActivityAt: now },
      { id: 'comment1', threadId: 'thread1', authorId: person.id, body: 'Should we say "across Europe"?', mentions: [], createdAt: now, editedAt: null, deletedAt: null },
    );
    await server.store.meetings.start({ id: 'meeting1', workspaceId, title: 'Monthly call', agenda: [], quorumCountries: null, startedAt: now, startedBy: chair.id, endedAt: null, minutesDocumentId: null });
    await server.store.meetings.recordJoin({ meetingId: 'meeting1', userId: person.id, name: person.name, email: person.email, country: 'IT', organisation: 'Test Institute', role: 'contributor', firstJoinedAt: now }, now);
    await server.store.meetings.end('meeting1', new Date(Date.now() + 60_000).toISOString());
    const named = await person.api.post(`/api/documents/${documentId}/versions`, { name: 'Before the call' });
    expect(named.status).toBeLessThan(300);
    const threadsBefore = (await person.api.get(`/api/documents/${documentId}/threads`)).body;
    const meetingBefore = (await chair.api.get('/api/meetings/meeting1')).body;
    const versionsBefore = (await person.api.get(`/api/documents/${documentId}/versions`)).body;
    const changesBefore = (await person.api.get(`/api/documents/${documentId}/changes?from=${named.body.version.id}&to=current`)).body;
    writer.destroy();
    await server.close();

    const counts = await migrateSqliteToMongo(server.config.dataDir, mongo.uri);
    expect(counts).toMatchObject({ threads: 1, comments: 1, meetings: 1, attendees: 1, intervals: 1 });
    expect(counts.history).toBeGreaterThan(0);
    expect(counts.versions).toBeGreaterThan(0);
    await expect(migrateSqliteToMongo(server.config.dataDir, mongo.uri)).rejects.toThrow(/not empty/);

    const migrated = await startTestServer({ env: { MONGODB_URI: mongo.uri } });
    cleanups.push(() => migrated.stop());
    expect(migrated.store.kind).toBe('mongo');
    const api = await signIn(migrated.url, person.email);
    const chairApi = await signIn(migrated.url, chair.email);
    expect(await textOnServer(migrated.url, api, documentId)).toBe(text);
    expect((await api.get(`/api/documents/${documentId}/threads`)).body).toEqual(threadsBefore);
    expect((await chairApi.get('/api/meetings/meeting1')).body).toEqual(meetingBefore);
    const versionsAfter = (await api.get(`/api/documents/${documentId}/versions`)).body;
    expect(versionsAfter).toEqual(versionsBefore);
    expect(JSON.stringify(versionsAfter)).toContain('Before the call');
    // The history still reads (cursors mapped): the changes since the named version are computed from it.
    const version = (versionsAfter.versions as { id: string; name: string }[]).find((v) => v.name === 'Before the call')!;
    const changesPath = `/api/documents/${documentId}/changes?from=${version.id}&to=current`;
    expect((await api.get(changesPath)).status).toBe(200);
    expect((await api.get(changesPath)).body).toEqual(changesBefore);
  });
});

async function seedRetention(store: Store, now: Date): Promise<void> {
  const daysAgo = (days: number, extraMs = 0) => new Date(now.getTime() - days * 86_400_000 + extraMs).toISOString();
  await store.workspaces.create({ id: 'ws', kind: 'network', title: 'Survivorship', createdAt: daysAgo(1000) });
  const notification = (id: string, createdAt: string) => ({
    id, userId: 'u1', kind: 'reply' as const, workspaceId: 'ws', documentId: 'd1', threadId: 't1', commentId: 'c1', sectionId: null, sectionTitle: null, actorId: 'u2', createdAt, readAt: null,
  });
  await store.notifications.createMany([notification('old', daysAgo(200)), notification('new', daysAgo(10))]);
  for (const [id, days] of [['oldMeeting', 800], ['recentMeeting', 100]] as const) {
    await store.meetings.start({ id, workspaceId: 'ws', title: id, agenda: [], quorumCountries: 2, startedAt: daysAgo(days), startedBy: 'u1', endedAt: null, minutesDocumentId: null });
    for (const [userId, country] of [['u1', 'IT'], ['u2', 'DE']] as const) {
      await store.meetings.recordJoin({ meetingId: id, userId, name: `Name ${userId}`, email: `${userId}@example.eu`, country, organisation: 'Org', role: 'contributor', firstJoinedAt: daysAgo(days) }, daysAgo(days));
    }
    await store.meetings.end(id, daysAgo(days, 3_600_000));
  }
  await store.users.create({ id: 'u1', email: 'u1@example.eu', name: 'Name u1', country: 'IT', organisation: 'Org', passwordHash: 'x', isAdmin: false, active: true, createdAt: daysAgo(1000) });
  await store.sessions.create({ tokenHash: 'expired', userId: 'u1', createdAt: daysAgo(30), expiresAt: daysAgo(16) });
  await store.sessions.create({ tokenHash: 'current', userId: 'u1', createdAt: daysAgo(1), expiresAt: daysAgo(-13) });
}

async function checkRetention(store: Store): Promise<void> {
  const now = new Date();
  await seedRetention(store, now);
  const result = await applyRetention(store, { retentionNotificationsDays: 180, retentionAttendanceDetailsDays: 730 }, now);
  expect(result).toEqual({ notificationsDeleted: 1, attendanceDetailsRemoved: 4, sessionsDeleted: 1, unreferencedVersionContentDeleted: 0 });
  expect((await store.notifications.listForUser('u1', 10)).map((n) => n.id)).toEqual(['new']);
  const old = await store.meetings.attendance('oldMeeting');
  expect(old.attendees.map((a) => [a.name, a.country, a.email]).sort()).toEqual([['Name u1', 'IT', ''], ['Name u2', 'DE', '']]);
  expect(old.intervals).toEqual([]);
  const recent = await store.meetings.attendance('recentMeeting');
  expect(recent.attendees.map((a) => a.email).sort()).toEqual(['u1@example.eu', 'u2@example.eu']);
  expect(recent.intervals).toHaveLength(2);
  expect(await store.sessions.find('expired')).toBeNull();
  expect(await store.sessions.find('current')).not.toBeNull();
  // Running it again changes nothing.
  expect(await applyRetention(store, { retentionNotificationsDays: 180, retentionAttendanceDetailsDays: 730 }, now)).toEqual({
    notificationsDeleted: 0,
    attendanceDetailsRemoved: 0,
    sessionsDeleted: 0,
    unreferencedVersionContentDeleted: 0,
  });
}

describe('retention', () => {
  it('SQLite: deletes old notifications and expired sessions, keeps old attendance counts without intervals and emails', async () => {
    const dir = makeTempDir('jane-retention-');
    cleanups.push(dir.remove);
    const store = openSqliteStore({ dataDir: dir.dir });
    cleanups.push(() => store.close());
    await checkRetention(store);
  });

  it('MongoDB: the same', async () => {
    const mongo = await startTestMongo();
    cleanups.push(() => mongo.stop());
    const store = await openMongoStore({ uri: mongo.uri });
    cleanups.push(() => store.close());
    await checkRetention(store);
  });

  it("MongoDB: a version create that crashed before its record (its chunks stored as such a crash leaves them) loses them after an hour; a version's own content and a create under way keep theirs", async () => {
    const mongo = await startTestMongo();
    cleanups.push(() => mongo.stop());
    const store = await openMongoStore({ uri: mongo.uri });
    cleanups.push(() => store.close());
    const raw = new MongoClient(mongo.uri);
    cleanups.push(() => raw.close());
    const chunks = raw.db().collection<{ _id: string; versionId: string; gen: string; index: number; data: Buffer; pendingSince?: Date }>('docVersionChunks');
    const now = new Date();
    const content = (text: string) => {
      const doc = new Y.Doc();
      doc.getText('t').insert(0, text);
      return Y.encodeStateAsUpdate(doc);
    };
    const version = { id: 'kept', docId: 'd1', kind: 'named' as const, name: 'Agreed with the Member States', note: null, createdAt: now.toISOString(), createdBy: 'u1', cursor: null, meetingId: null, authors: ['u1'] };
    await store.versions.create(version, content('agreed text'));
    const crashed = (id: string, since: Date) => ({ _id: `${id}:g:0`, versionId: id, gen: 'g', index: 0, data: Buffer.from(content('never listed')), pendingSince: since });
    await chunks.insertMany([crashed('crashed-yesterday', new Date(now.getTime() - 86_400_000)), crashed('being-written', new Date(now.getTime() - 60_000))]);
    // The record went in but the crash came before the chunks were unmarked.
    await chunks.updateOne({ versionId: 'kept' }, { $set: { pendingSince: new Date(now.getTime() - 86_400_000) } });

    const result = await applyRetention(store, { retentionNotificationsDays: 180, retentionAttendanceDetailsDays: 730 }, now);
    expect(result.unreferencedVersionContentDeleted).toBe(1);
    expect((await chunks.find({}).toArray()).map((chunk) => chunk.versionId).sort()).toEqual(['being-written', 'kept']);
    const agreed = new Y.Doc();
    Y.applyUpdate(agreed, (await store.versions.state('d1', 'kept'))!);
    expect(agreed.getText('t').toString()).toBe('agreed text');
    expect((await chunks.findOne({ versionId: 'kept' }))?.pendingSince).toBeUndefined();
    // An hour later the create under way is one that crashed too.
    expect((await applyRetention(store, { retentionNotificationsDays: 180, retentionAttendanceDetailsDays: 730 }, new Date(now.getTime() + 3_600_000))).unreferencedVersionContentDeleted).toBe(1);
    expect((await chunks.find({}).toArray()).map((chunk) => chunk.versionId)).toEqual(['kept']);
  });

  it('0 days keeps everything', async () => {
    const dir = makeTempDir('jane-retention-');
    cleanups.push(dir.remove);
    const store = openSqliteStore({ dataDir: dir.dir });
    cleanups.push(() => store.close());
    const now = new Date();
    await seedRetention(store, now);
    expect(await applyRetention(store, { retentionNotificationsDays: 0, retentionAttendanceDetailsDays: 0 }, now)).toMatchObject({ notificationsDeleted: 0, attendanceDetailsRemoved: 0 });
  });
});

describe("a person's data: export and anonymisation", () => {
  it('lets only administrators export and anonymise; afterwards the name is gone from threads, meetings and attendance, counts and documents unchanged', async () => {
    const { server, person: colleague, workspaceId, documentId } = await serverWithDocument();
    const admin = await createPerson(server, { name: 'Ada Admin', isAdmin: true });
    const leaving = await createPerson(server, { name: 'Giulia Leavingsworth', organisation: 'Istituto Leavingsworth', roles: { [workspaceId]: 'contributor' } });
    const now = new Date().toISOString();
    await server.store.threads.create(
      { id: 'thread1', workspaceId, documentId, anchor: { kind: 'text', start: 'AA==', end: 'AA==', quote: 'Plan' }, sectionId: null, sectionTitle: null, createdBy: leaving.id, createdAt: now, resolvedAt: null, resolvedBy: null, lastActivityAt: now },
      { id: 'comment1', threadId: 'thread1', authorId: leaving.id, body: 'A first remark.', mentions: [], createdAt: now, editedAt: null, deletedAt: null },
    );
    await server.store.threads.addComment({ id: 'comment2', threadId: 'thread1', authorId: colleague.id, body: 'A reply.', mentions: [leaving.id], createdAt: now, editedAt: null, deletedAt: null });
    await server.store.meetings.start({ id: 'meeting1', workspaceId, title: 'Monthly call', agenda: [], quorumCountries: 1, startedAt: now, startedBy: leaving.id, endedAt: null, minutesDocumentId: null });
    for (const p of [leaving, colleague]) {
      await server.store.meetings.recordJoin({ meetingId: 'meeting1', userId: p.id, name: p.name, email: p.email, country: p.country, organisation: p === leaving ? 'Istituto Leavingsworth' : 'Test Institute', role: 'contributor', firstJoinedAt: now }, now);
    }
    await server.store.meetings.end('meeting1', new Date(Date.now() + 60_000).toISOString());
    await server.store.notifications.createMany([{ id: 'n1', userId: leaving.id, kind: 'reply', workspaceId, documentId, threadId: 'thread1', commentId: 'comment2', sectionId: null, sectionTitle: null, actorId: colleague.id, createdAt: now, readAt: null }]);
    await server.store.sections.save({ documentId, sectionId: 'sec1', ownerId: leaving.id, status: 'draft', updatedAt: now, updatedBy: leaving.id }, { id: 'ev1', documentId, sectionId: 'sec1', kind: 'owner', from: null, to: leaving.id, at: now, by: leaving.id });
    const doc = new Y.Doc();
    await server.store.versions.create({ id: 'v1', docId: documentId, kind: 'named', name: 'First draft', note: null, createdAt: now, createdBy: leaving.id, cursor: null, meetingId: null, authors: [leaving.id] }, Y.encodeStateAsUpdate(doc));

    expect((await colleague.api.get(`/api/admin/users/${leaving.id}/export`)).status).toBe(403);
    expect((await colleague.api.post(`/api/admin/users/${leaving.id}/anonymise`)).status).toBe(403);
    expect((await leaving.api.get(`/api/admin/users/${leaving.id}/export`)).status).toBe(403);

    const exported = await admin.api.get(`/api/admin/users/${leaving.id}/export`);
    expect(exported.status).toBe(200);
    expect(exported.body.account).toMatchObject({ id: leaving.id, name: 'Giulia Leavingsworth', email: leaving.email });
    expect(JSON.stringify(exported.body)).not.toMatch(/passwordHash|tokenHash|scrypt/);
    expect(exported.body.memberships).toEqual([expect.objectContaining({ workspaceId, role: 'contributor' })]);
    expect(exported.body.comments.map((c: { id: string }) => c.id)).toEqual(['comment1']);
    expect(exported.body.threadsStarted.map((t: { id: string }) => t.id)).toEqual(['thread1']);
    expect(exported.body.attendance).toHaveLength(1);
    expect(exported.body.attendance[0].intervals).toHaveLength(1);
    expect(exported.body.notifications.map((n: { id: string }) => n.id)).toEqual(['n1']);
    expect(exported.body.sectionsOwned.map((s: { sectionId: string }) => s.sectionId)).toEqual(['sec1']);
    expect(exported.body.versionsNamed.map((v: { id: string }) => v.id)).toEqual(['v1']);

    // Before: the name shows in the thread, the meeting and the attendance CSV.
    const threadsBefore = (await admin.api.get(`/api/documents/${documentId}/threads`)).body;
    expect(JSON.stringify(threadsBefore)).toContain('Giulia Leavingsworth');
    const meetingBefore = (await admin.api.get('/api/meetings/meeting1')).body;
    const textBefore = await textOnServer(server.url, colleague.api, documentId);

    // Their open document connection is closed when the account is anonymised.
    const socket = connectClient(server.url, documentId, leaving.api.cookie);
    cleanups.push(() => socket.destroy());
    await waitForSync(socket);
    const closed = nextClose(socket);

    expect((await colleague.api.post(`/api/admin/users/${leaving.id}/anonymise`)).status).toBe(403);
    expect((await admin.api.post(`/api/admin/users/${admin.id}/anonymise`)).status).toBe(400);
    const anonymised = await admin.api.post(`/api/admin/users/${leaving.id}/anonymise`);
    expect(anonymised.status).toBe(200);
    expect(anonymised.body.user).toMatchObject({ name: anonymisedName(leaving.id), organisation: '', active: false });
    expect(anonymised.body.user.email).not.toBe(leaving.email);
    await closed;
    expect((await leaving.api.get('/api/auth/me')).status).toBe(401);
    expect((await new ApiClient(server.url).post('/api/auth/login', { email: leaving.email, password: TEST_PASSWORD })).status).not.toBe(200);

    const answers = [
      (await admin.api.get(`/api/documents/${documentId}/threads`)).body,
      (await admin.api.get(`/api/workspaces/${workspaceId}/threads`)).body,
      (await admin.api.get('/api/meetings/meeting1')).body,
      (await admin.api.get(`/api/workspaces/${workspaceId}/meetings`)).body,
      (await admin.api.get('/api/meetings/meeting1/attendance.csv')).body,
      (await admin.api.get('/api/meetings/meeting1/attendance.md')).body,
      (await admin.api.get('/api/admin/users')).body,
      (await admin.api.get(`/api/documents/${documentId}/versions`)).body,
    ].map((body) => (typeof body === 'string' ? body : JSON.stringify(body)));
    for (const answer of answers) {
      expect(answer).not.toContain('Giulia');
      expect(answer).not.toContain('Leavingsworth');
      expect(answer).not.toContain(leaving.email);
    }
    expect(answers[0]).toContain(anonymisedName(leaving.id));
    expect(answers[4]).toContain(anonymisedName(leaving.id));
    // Counts unchanged: the comments, the attendees, the document.
    const threadsAfter = (await admin.api.get(`/api/documents/${documentId}/threads`)).body;
    expect(threadsAfter.threads[0].comments).toHaveLength(threadsBefore.threads[0].comments.length);
    const meetingAfter = (await admin.api.get('/api/meetings/meeting1')).body;
    expect(JSON.stringify(meetingAfter).length).toBeGreaterThan(0);
    expect(countAttendees(meetingAfter)).toBe(countAttendees(meetingBefore));
    expect(await textOnServer(server.url, colleague.api, documentId)).toBe(textBefore);
  });
});

function countAttendees(body: unknown): number {
  const state = (body as { meeting?: { attendees?: unknown[] }; attendees?: unknown[] });
  return (state.attendees ?? state.meeting?.attendees ?? []).length;
}

