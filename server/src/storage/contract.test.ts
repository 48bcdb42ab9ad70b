/**
 * One contract, two adapters: SQLite on a temp file, MongoDB on jongodb (or the real
 * MongoDB in MONGODB_URI). Every behaviour the server relies on is asserted here.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { recordHistoryBaselines } from './historyBaseline.js';
import { DuplicateKeyError, SERVER_AUTHOR, type HistoryEntry, type Store, type StoredDocState, type VersionRecord } from './port.js';
import { DATABASE_FILE, openDatabase } from './sqlite/database.js';
import { openSqliteStore } from './sqlite/sqliteStore.js';
import { openMongoStore } from './mongo/mongoStore.js';
import { startTestMongo, type TestMongo } from '../../test/helpers/mongo.js';
import { makeTempDir } from '../../test/helpers/tempDir.js';

const now = () => new Date().toISOString();
let counter = 0;
const uid = (prefix: string) => `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}`;

function textOf(state: StoredDocState): string {
  const doc = new Y.Doc();
  if (state.snapshot) Y.applyUpdate(doc, state.snapshot);
  for (const update of state.updates) Y.applyUpdate(doc, update);
  return doc.getText('t').toString();
}

/** Yjs updates typing `text` one character at a time, as an editor would. */
function typingUpdates(text: string, doc = new Y.Doc()): Uint8Array[] {
  const updates: Uint8Array[] = [];
  const onUpdate = (update: Uint8Array) => updates.push(update);
  doc.on('update', onUpdate);
  for (const char of text) doc.getText('t').insert(doc.getText('t').length, char);
  doc.off('update', onUpdate);
  return updates;
}

function user(overrides: Partial<Parameters<Store['users']['create']>[0]> = {}) {
  return {
    id: uid('u'),
    email: `${uid('e')}@example.eu`,
    name: 'Anna Rossi',
    country: 'IT',
    organisation: 'Istituto Nazionale Tumori',
    passwordHash: 'scrypt$x',
    isAdmin: false,
    active: true,
    createdAt: now(),
    ...overrides,
  };
}

/** The text of a document rebuilt from its history entries. */
function textOfHistory(entries: readonly HistoryEntry[]): string {
  return textOf({ snapshot: null, updates: entries.map((entry) => entry.data) });
}

/**
 * What an opened adapter gives the tests: the store, and `writeLegacyLog`, which appends
 * to the update log behind the store's back, as the store did before it kept history.
 */
interface OpenedAdapter {
  store: Store;
  writeLegacyLog: (docId: string, updates: readonly Uint8Array[]) => Promise<void>;
  cleanup: () => Promise<void>;
}

const adapters: { name: string; open: () => Promise<OpenedAdapter> }[] = [
  {
    name: 'sqlite',
    open: async () => {
      const temp = makeTempDir();
      const store = openSqliteStore({ dataDir: temp.dir });
      const raw = openDatabase(path.join(temp.dir, DATABASE_FILE));
      return {
        store,
        writeLegacyLog: async (docId, updates) => {
          for (const data of updates) raw.prepare('INSERT INTO doc_updates (doc_id, data) VALUES (?, ?)').run(docId, data);
        },
        cleanup: async () => { raw.close(); await store.close(); temp.remove(); },
      };
    },
  },
  {
    name: 'mongo',
    open: async () => {
      const mongo: TestMongo = await startTestMongo();
      const store = await openMongoStore({ uri: mongo.uri });
      const raw = new MongoClient(mongo.uri);
      await raw.connect();
      return {
        store,
        writeLegacyLog: async (docId, updates) => {
          // The store's database: openMongoStore without dbName uses the driver's default, as here.
          await raw.db().collection('docUpdates').insertMany(updates.map((data) => ({ docId, data: Buffer.from(data) })), { ordered: true });
        },
        cleanup: async () => { await raw.close(); await store.close(); await mongo.stop(); },
      };
    },
  },
];

describe.each(adapters)('storage contract: $name', ({ open }) => {
  let store: Store;
  let writeLegacyLog: OpenedAdapter['writeLegacyLog'];
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ store, writeLegacyLog, cleanup } = await open());
  });
  afterAll(async () => {
    await cleanup?.();
  });

  it('creates users, finds them by id and email, and refuses a second account for one email', async () => {
    const anna = user();
    await store.users.create(anna);
    expect(await store.users.findById(anna.id)).toEqual(anna);
    expect(await store.users.findByEmail(anna.email)).toEqual(anna);
    await expect(store.users.create(user({ email: anna.email }))).rejects.toBeInstanceOf(DuplicateKeyError);
    expect(await store.users.findByEmail('nobody@example.eu')).toBeNull();
  });

  it('updates a user, lists users by name and finds several by id', async () => {
    const bea = user({ name: 'Beatriz Costa', country: 'PT' });
    const carl = user({ name: 'carl Meyer', country: 'DE' });
    await store.users.create(bea);
    await store.users.create(carl);
    const updated = await store.users.update(carl.id, { active: false, organisation: 'DKFZ' });
    expect(updated).toMatchObject({ active: false, organisation: 'DKFZ', name: 'carl Meyer' });
    const names = (await store.users.list()).map((u) => u.name);
    expect(names.indexOf('Beatriz Costa')).toBeLessThan(names.indexOf('carl Meyer'));
    const many = await store.users.findManyByIds([bea.id, carl.id, 'missing']);
    expect(many.map((u) => u.id).sort()).toEqual([bea.id, carl.id].sort());
    expect(await store.users.count()).toBeGreaterThanOrEqual(3);
  });

  it('keeps sessions until deleted or expired', async () => {
    const owner = user();
    await store.users.create(owner);
    const past = new Date(Date.now() - 1000).toISOString();
    const future = new Date(Date.now() + 3_600_000).toISOString();
    await store.sessions.create({ tokenHash: 'live', userId: owner.id, createdAt: now(), expiresAt: future });
    await store.sessions.create({ tokenHash: 'old', userId: owner.id, createdAt: now(), expiresAt: past });
    expect(await store.sessions.find('live')).toMatchObject({ userId: owner.id, expiresAt: future });
    expect(await store.sessions.deleteExpired(now())).toBe(1);
    expect(await store.sessions.find('old')).toBeNull();
    await store.sessions.deleteForUser(owner.id);
    expect(await store.sessions.find('live')).toBeNull();
  });

  it('accepts an invitation exactly once', async () => {
    const invitation = {
      id: uid('i'),
      tokenHash: uid('h'),
      email: 'invitee@example.eu',
      name: 'Invitee',
      memberships: [{ workspaceId: 'w1', role: 'lead' as const }],
      createdBy: 'admin',
      createdAt: now(),
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      acceptedAt: null,
    };
    await store.invitations.create(invitation);
    expect(await store.invitations.findByTokenHash(invitation.tokenHash)).toEqual(invitation);
    expect(await store.invitations.markAccepted(invitation.id, now())).toBe(true);
    expect(await store.invitations.markAccepted(invitation.id, now())).toBe(false);
    expect((await store.invitations.list()).some((i) => i.id === invitation.id && i.acceptedAt)).toBe(true);
    expect(await store.invitations.delete(invitation.id)).toBe(true);
    expect(await store.invitations.findByTokenHash(invitation.tokenHash)).toBeNull();
  });

  it('keeps workspaces in creation order, memberships with one role each, and counts them', async () => {
    const before = await store.workspaces.count();
    const first = { id: uid('w'), kind: 'network' as const, title: 'Survivorship', createdAt: '2026-01-01T00:00:00.000Z' };
    const second = { id: uid('w'), kind: 'task-force' as const, title: 'Sustainability', createdAt: '2026-01-01T00:00:00.001Z' };
    await store.workspaces.create(first);
    await store.workspaces.create(second);
    expect(await store.workspaces.count()).toBe(before + 2);
    const ids = (await store.workspaces.list()).map((w) => w.id);
    expect(ids.indexOf(first.id)).toBeLessThan(ids.indexOf(second.id));
    expect(await store.workspaces.update(first.id, { title: 'Survivorship network' })).toMatchObject({ title: 'Survivorship network', kind: 'network' });

    const member = user();
    await store.users.create(member);
    await store.memberships.upsert({ workspaceId: first.id, userId: member.id, role: 'contributor', createdAt: now() });
    await store.memberships.upsert({ workspaceId: first.id, userId: member.id, role: 'lead', createdAt: now() });
    await store.memberships.upsert({ workspaceId: second.id, userId: member.id, role: 'observer', createdAt: now() });
    expect(await store.memberships.find(first.id, member.id)).toMatchObject({ role: 'lead' });
    expect((await store.memberships.listForWorkspace(first.id)).length).toBe(1);
    expect((await store.memberships.listForUser(member.id)).map((m) => m.role).sort()).toEqual(['lead', 'observer']);
    expect((await store.memberships.countByWorkspace()).get(first.id)).toBe(1);
    expect(await store.memberships.remove(second.id, member.id)).toBe(true);
    expect(await store.memberships.find(second.id, member.id)).toBeNull();
  });

  it('stores document metadata, renames and archives, and counts only live documents', async () => {
    const workspace = { id: uid('w'), kind: 'network' as const, title: 'Palliative care', createdAt: now() };
    await store.workspaces.create(workspace);
    const doc = {
      id: uid('d'),
      workspaceId: workspace.id,
      title: 'Network plan',
      template: 'network-plan' as const,
      archived: false,
      createdAt: now(),
      createdBy: 'u1',
      updatedAt: now(),
      updatedBy: null,
    };
    await store.documents.create(doc);
    await store.documents.create({ ...doc, id: uid('d'), title: 'Old draft' });
    expect(await store.documents.findById(doc.id)).toEqual(doc);
    expect(await store.documents.update(doc.id, { title: 'Network plan v2' })).toMatchObject({ title: 'Network plan v2' });
    const other = (await store.documents.listForWorkspace(workspace.id)).find((d) => d.id !== doc.id)!;
    await store.documents.update(other.id, { archived: true });
    expect((await store.documents.countByWorkspace()).get(workspace.id)).toBe(1);
    expect((await store.documents.listForWorkspace(workspace.id)).length).toBe(2);
  });

  it('appends a group-committed batch for several documents and loads each one back', async () => {
    const docA = uid('d');
    const docB = uid('d');
    const a = typingUpdates('Scope');
    const b = typingUpdates('Criteria');
    const batch = [...a.map((data) => ({ docId: docA, data, userId: 'ua' })), ...b.map((data) => ({ docId: docB, data, userId: 'ub' }))];
    await store.content.append(batch, now());
    expect(textOf(await store.content.load(docA))).toBe('Scope');
    expect(textOf(await store.content.load(docB))).toBe('Criteria');
    expect(await store.content.countUpdates(docA)).toBe(5);
    const empty = await store.content.load(uid('d'));
    expect(empty).toEqual({ snapshot: null, updates: [] });
  });

  it('records who edited a document last when their updates are stored', async () => {
    const workspace = { id: uid('w'), kind: 'network' as const, title: 'OMICS', createdAt: now() };
    await store.workspaces.create(workspace);
    const docId = uid('d');
    const created = '2026-01-01T00:00:00.000Z';
    await store.documents.create({
      id: docId, workspaceId: workspace.id, title: 'Plan', template: 'blank', archived: false,
      createdAt: created, createdBy: 'ua', updatedAt: created, updatedBy: null,
    });
    const at = now();
    await store.content.append(typingUpdates('Hi').map((data) => ({ docId, data, userId: 'editor-1' })), at);
    expect(await store.documents.findById(docId)).toMatchObject({ updatedAt: at, updatedBy: 'editor-1' });
  });

  it('compacts a long log into a snapshot without losing a character, and keeps appending after it', async () => {
    const docId = uid('d');
    const doc = new Y.Doc();
    await store.content.append(typingUpdates('Background and purpose. ', doc).map((data) => ({ docId, data, userId: 'u' })), now());
    const result = await store.content.compact(docId);
    expect(result.foldedUpdates).toBe(24);
    expect(await store.content.countUpdates(docId)).toBe(0);
    await store.content.append(typingUpdates('Scope.', doc).map((data) => ({ docId, data, userId: 'u' })), now());
    const state = await store.content.load(docId);
    expect(state.snapshot).not.toBeNull();
    expect(state.updates.length).toBe(6);
    expect(textOf(state)).toBe('Background and purpose. Scope.');
    expect((await store.content.compact(docId)).foldedUpdates).toBe(6);
    expect(textOf(await store.content.load(docId))).toBe('Background and purpose. Scope.');
    expect((await store.content.compact(docId)).foldedUpdates).toBe(0);
  });

  it('never loses an update appended while a compaction runs', async () => {
    const docId = uid('d');
    const doc = new Y.Doc();
    await store.content.append(typingUpdates('abc', doc).map((data) => ({ docId, data, userId: 'u' })), now());
    const late = typingUpdates('XYZ', doc);
    // Appends race the compaction: each lands before, during or after it.
    await Promise.all([
      store.content.compact(docId),
      ...late.map((data) => store.content.append([{ docId, data, userId: 'u' }], now())),
    ]);
    expect(textOf(await store.content.load(docId))).toBe('abcXYZ');
    await store.content.compact(docId);
    expect(textOf(await store.content.load(docId))).toBe('abcXYZ');
  });

  it('folds every log entry exactly once when two compactions race, and loses nothing', async () => {
    const docId = uid('d');
    const doc = new Y.Doc();
    await store.content.append(typingUpdates('racing', doc).map((data) => ({ docId, data, userId: 'u' })), now());
    const results = await Promise.all([store.content.compact(docId), store.content.compact(docId)]);
    // Each log entry is folded exactly once, whichever of the two does it.
    expect(results[0]!.foldedUpdates + results[1]!.foldedUpdates).toBe(6);
    expect(await store.content.countUpdates(docId)).toBe(0);
    expect(textOf(await store.content.load(docId))).toBe('racing');
  });

  it('appends every update to the document’s history with its author and time, and reads ranges of it', async () => {
    const docId = uid('d');
    const other = uid('d');
    const doc = new Y.Doc();
    const first = typingUpdates('abc', doc);
    const second = typingUpdates('de', doc);
    const t1 = '2026-10-01T10:00:00.000Z';
    const t2 = '2026-10-01T10:00:01.000Z';
    expect(await store.history.latest(docId)).toBeNull();
    expect(await store.history.list(docId)).toEqual([]);
    await store.content.append(
      [...first.map((data) => ({ docId, data, userId: 'ua' })), ...typingUpdates('zz').map((data) => ({ docId: other, data, userId: 'ub' }))],
      t1,
    );
    await store.content.append(second.map((data) => ({ docId, data, userId: 'ub' })), t2);

    const entries = await store.history.list(docId);
    expect(entries.map(({ cursor: _cursor, ...rest }) => rest)).toEqual([
      ...first.map((data) => ({ docId, userId: 'ua', at: t1, data })),
      ...second.map((data) => ({ docId, userId: 'ub', at: t2, data })),
    ]);
    expect(textOfHistory(entries)).toBe('abcde');
    const cursors = entries.map((entry) => entry.cursor);
    expect(new Set(cursors).size).toBe(5);
    expect(await store.history.latest(docId)).toBe(cursors[4]);
    expect((await store.history.list(other)).map((entry) => entry.userId)).toEqual(['ub', 'ub']);

    const range = async (after: string | null | undefined, upTo: string | null | undefined) =>
      (await store.history.list(docId, { after, upTo })).map((entry) => entry.cursor);
    expect(await range(cursors[1], undefined)).toEqual(cursors.slice(2));
    expect(await range(null, cursors[2])).toEqual(cursors.slice(0, 3));
    expect(await range(cursors[0], cursors[3])).toEqual(cursors.slice(1, 4));
    expect(await range(cursors[4], null)).toEqual([]);
    expect(await range(cursors[2], cursors[2])).toEqual([]);
    expect(await range(null, null)).toEqual(cursors);
    // `late` adds entries at or before `after` that may have landed after it was read
    // (MongoDB with several writers; none with SQLite), never any outside the history
    // and never out of order: the exact range is always its tail.
    for (const at of [0, 2, 4]) {
      const late = (await store.history.list(docId, { after: cursors[at], late: true })).map((entry) => entry.cursor);
      expect(late.slice(late.length - (4 - at))).toEqual(cursors.slice(at + 1));
      expect(cursors.slice(cursors.length - late.length)).toEqual(late);
    }
    expect(await store.history.bytes(docId)).toBe([...first, ...second].reduce((sum, data) => sum + data.byteLength, 0));
    expect(await store.history.bytes(uid('d'))).toBe(0);
  });

  it('keeps the history whole when the update log is compacted', async () => {
    const docId = uid('d');
    const doc = new Y.Doc();
    await store.content.append(typingUpdates('Aims. ', doc).map((data) => ({ docId, data, userId: 'ua' })), now());
    const before = await store.history.list(docId);
    const latest = await store.history.latest(docId);
    expect(before.length).toBe(6);
    expect((await store.content.compact(docId)).foldedUpdates).toBe(6);
    expect(await store.history.list(docId)).toEqual(before);
    expect(await store.history.latest(docId)).toBe(latest);
    await store.content.append(typingUpdates('Scope.', doc).map((data) => ({ docId, data, userId: 'ub' })), now());
    await store.content.compact(docId);
    const after = await store.history.list(docId);
    expect(after.slice(0, 6)).toEqual(before);
    expect(after.length).toBe(12);
    expect(textOfHistory(after)).toBe('Aims. Scope.');
    expect((await store.history.list(docId, { after: latest })).map((entry) => entry.userId)).toEqual(Array(6).fill('ub'));
  });

  it('writes a history baseline once, before everything appended after it', async () => {
    const docId = uid('d');
    const doc = new Y.Doc();
    const legacy = Y.encodeStateAsUpdate((() => { const d = new Y.Doc(); d.getText('t').insert(0, 'old '); return d; })());
    Y.applyUpdate(doc, legacy);
    const at = '2025-12-31T00:00:00.000Z';
    expect(await store.history.ensureBaseline(docId, legacy, at)).toBe(true);
    expect(await store.history.ensureBaseline(docId, new Uint8Array([1, 2, 3]), now())).toBe(false);
    await store.content.append(typingUpdates('new', doc).map((data) => ({ docId, data, userId: 'ua' })), now());
    const entries = await store.history.list(docId);
    expect(entries.length).toBe(4);
    expect(entries[0]).toMatchObject({ docId, userId: SERVER_AUTHOR, at, data: legacy });
    expect(entries.slice(1).map((entry) => entry.userId)).toEqual(['ua', 'ua', 'ua']);
    expect(textOfHistory(entries)).toBe('old new');
    expect((await store.history.list(docId, { after: entries[0]!.cursor })).length).toBe(3);
    expect(await store.history.list(docId, { upTo: entries[0]!.cursor })).toEqual([entries[0]]);
    expect(await store.history.ensureBaseline(docId, legacy, now())).toBe(false);

    // A document that has history already gets no baseline.
    const edited = uid('d');
    await store.content.append(typingUpdates('x').map((data) => ({ docId: edited, data, userId: 'ua' })), now());
    expect(await store.history.ensureBaseline(edited, legacy, now())).toBe(false);
    expect((await store.history.list(edited)).map((entry) => entry.userId)).toEqual(['ua']);
  });

  it('finds documents with content but no history, and records their baselines once', async () => {
    const workspace = { id: uid('w'), kind: 'network' as const, title: 'Legacy', createdAt: now() };
    await store.workspaces.create(workspace);
    const logOnly = uid('d');
    const snapshotOnly = uid('d');
    const withHistory = uid('d');
    const updatedAt = '2025-11-01T08:00:00.000Z';
    await store.documents.create({
      id: logOnly, workspaceId: workspace.id, title: 'Old plan', template: 'blank', archived: false,
      createdAt: updatedAt, createdBy: 'ua', updatedAt, updatedBy: 'ua',
    });
    await writeLegacyLog(logOnly, typingUpdates('legacy'));
    await writeLegacyLog(snapshotOnly, typingUpdates('folded'));
    await store.content.compact(snapshotOnly);
    await store.content.append(typingUpdates('new').map((data) => ({ docId: withHistory, data, userId: 'ua' })), now());
    await store.history.ensureBaseline(uid('d'), new Uint8Array([0, 0]), now()); // history without content

    expect((await store.history.documentsWithoutHistory()).sort()).toEqual([logOnly, snapshotOnly].sort());
    expect(await recordHistoryBaselines(store)).toBe(2);
    expect(await store.history.documentsWithoutHistory()).toEqual([]);
    expect(await recordHistoryBaselines(store)).toBe(0);
    const [baseline, ...rest] = await store.history.list(logOnly);
    expect(rest).toEqual([]);
    expect(baseline).toMatchObject({ docId: logOnly, userId: SERVER_AUTHOR, at: updatedAt });
    expect(textOfHistory([baseline!])).toBe('legacy');
    expect(textOfHistory(await store.history.list(snapshotOnly))).toBe('folded');
    // Edits after the baseline come after it.
    await store.content.append(typingUpdates('!').map((data) => ({ docId: logOnly, data, userId: 'ub' })), now());
    expect((await store.history.list(logOnly)).map((entry) => entry.userId)).toEqual([SERVER_AUTHOR, 'ub']);
  });

  it('keeps versions with their content, lists them newest first, and never finds one through another document', async () => {
    const docId = uid('d');
    const other = uid('d');
    const version = (createdAt: string, kind: VersionRecord['kind'] = 'named'): VersionRecord => ({
      id: uid('v'), docId, kind, name: `Version of ${createdAt}`, note: null, createdAt, createdBy: 'chair', cursor: null, meetingId: null, authors: [],
    });
    const v1 = version('2026-11-01T10:00:00.000Z', 'auto');
    const v2 = version('2026-11-02T10:00:00.000Z');
    const v3 = version('2026-11-02T10:00:00.000Z', 'restore'); // same time as v2, later id
    const elsewhere = { ...version('2026-11-03T10:00:00.000Z'), docId: other };
    const state = (text: string) => {
      const d = new Y.Doc();
      d.getText('t').insert(0, text);
      return Y.encodeStateAsUpdate(d);
    };
    await store.versions.create(v2, state('two'));
    await store.versions.create(v1, state('one'));
    const three = state('three');
    await store.versions.create(v3, three);
    await store.versions.create(elsewhere, state('other'));
    expect(await store.versions.list(docId)).toEqual([v3, v2, v1]);
    expect(await store.versions.list(other)).toEqual([elsewhere]);
    expect(await store.versions.list(uid('d'))).toEqual([]);
    expect(await store.versions.find(docId, v2.id)).toEqual(v2);
    expect(await store.versions.find(other, v2.id)).toBeNull();
    expect(await store.versions.find(docId, uid('missing'))).toBeNull();
    expect(textOf({ snapshot: (await store.versions.state(docId, v1.id))!, updates: [] })).toBe('one');
    expect(await store.versions.state(docId, v3.id)).toEqual(three);
    expect(await store.versions.state(other, v1.id)).toBeNull();
    expect(await store.versions.state(docId, uid('missing'))).toBeNull();
    // A second create of an existing id (two instances taking the same automatic version)
    // is refused and leaves the first one's record and content as they were.
    await expect(store.versions.create({ ...v1, name: 'Twice' }, state('a longer second content'))).rejects.toThrow();
    expect(await store.versions.find(docId, v1.id)).toEqual(v1);
    expect(textOf({ snapshot: (await store.versions.state(docId, v1.id))!, updates: [] })).toBe('one');
  });

  it('keeps a version’s content larger than one record may be (9 MB)', { timeout: 60_000 }, async () => {
    const docId = uid('d');
    const big = new Uint8Array(randomBytes(9 * 1024 * 1024));
    const version: VersionRecord = {
      id: uid('v'), docId, kind: 'named', name: 'Big', note: null, createdAt: now(), createdBy: 'chair', cursor: null, meetingId: null, authors: [],
    };
    await store.versions.create(version, big);
    const empty = { ...version, id: uid('v') };
    await store.versions.create(empty, new Uint8Array(0));
    const back = await store.versions.state(docId, version.id);
    expect(back?.byteLength).toBe(big.byteLength);
    expect(Buffer.from(back!).equals(Buffer.from(big))).toBe(true);
    expect(await store.versions.state(docId, empty.id)).toEqual(new Uint8Array(0));
    expect((await store.versions.list(docId)).map((v) => v.id).sort()).toEqual([version.id, empty.id].sort());
  });

  it('remembers each person’s last visit of each document, replacing the one before', async () => {
    const docId = uid('d');
    expect(await store.visits.find(docId, 'ua')).toBeNull();
    await store.visits.record({ docId, userId: 'ua', cursor: null, at: '2026-12-01T10:00:00.000Z' });
    await store.visits.record({ docId, userId: 'ub', cursor: '7', at: '2026-12-01T10:30:00.000Z' });
    await store.visits.record({ docId, userId: 'ua', cursor: '42', at: '2026-12-01T11:00:00.000Z' });
    expect(await store.visits.find(docId, 'ua')).toEqual({ docId, userId: 'ua', cursor: '42', at: '2026-12-01T11:00:00.000Z' });
    expect(await store.visits.find(docId, 'ub')).toEqual({ docId, userId: 'ub', cursor: '7', at: '2026-12-01T10:30:00.000Z' });
    expect(await store.visits.find(uid('d'), 'ua')).toBeNull();
  });

  it('runs one meeting per workspace at a time and lists past meetings newest first', async () => {
    const workspace = { id: uid('w'), kind: 'task-force' as const, title: 'The ERN model', createdAt: now() };
    await store.workspaces.create(workspace);
    const meeting = (id: string, startedAt: string) => ({
      id, workspaceId: workspace.id, title: 'Monthly call', agenda: [{ title: 'Scope', documentId: null, sectionId: null, sectionTitle: null }],
      quorumCountries: 3, startedAt, startedBy: 'chair', endedAt: null, minutesDocumentId: null,
    });
    const first = meeting(uid('m'), '2026-03-01T10:00:00.000Z');
    await store.meetings.start(first);
    await expect(store.meetings.start(meeting(uid('m'), '2026-03-01T10:05:00.000Z'))).rejects.toBeInstanceOf(DuplicateKeyError);
    expect(await store.meetings.findRunning(workspace.id)).toEqual(first);
    expect((await store.meetings.listRunning()).map((m) => m.id)).toContain(first.id);
    expect(await store.meetings.update(first.id, { quorumCountries: 4 })).toMatchObject({ quorumCountries: 4, title: 'Monthly call' });

    expect(await store.meetings.end(first.id, '2026-03-01T11:00:00.000Z')).toBe(true);
    expect(await store.meetings.end(first.id, '2026-03-01T11:01:00.000Z')).toBe(false);
    expect(await store.meetings.findRunning(workspace.id)).toBeNull();
    const second = meeting(uid('m'), '2026-04-01T10:00:00.000Z');
    await store.meetings.start(second);
    expect((await store.meetings.listForWorkspace(workspace.id)).map((m) => m.id)).toEqual([second.id, first.id]);
    expect((await store.meetings.findById(first.id))!.endedAt).toBe('2026-03-01T11:00:00.000Z');
  });

  it('remembers when an attendee disconnected: a reconnection clears it, and ending closes their interval at that time', async () => {
    const workspace = { id: uid('w'), kind: 'network' as const, title: 'Palliative care', createdAt: now() };
    await store.workspaces.create(workspace);
    const meetingId = uid('m');
    await store.meetings.start({
      id: meetingId, workspaceId: workspace.id, title: 'Review', agenda: [], quorumCountries: null,
      startedAt: '2026-05-01T09:00:00.000Z', startedBy: 'chair', endedAt: null, minutesDocumentId: null,
    });
    const person = (userId: string) => ({
      meetingId, userId, name: userId, email: `${userId}@example.eu`, country: 'BE', organisation: 'Org', role: 'lead' as const,
      firstJoinedAt: '2026-05-01T09:01:00.000Z',
    });
    await store.meetings.recordJoin(person('stays'), '2026-05-01T09:01:00.000Z');
    await store.meetings.recordJoin(person('reloads'), '2026-05-01T09:01:00.000Z');
    await store.meetings.recordJoin(person('closes-tab'), '2026-05-01T09:01:00.000Z');
    expect(await store.meetings.recordDisconnect(meetingId, 'reloads', '2026-05-01T09:10:00.000Z')).toBe(true);
    expect(await store.meetings.recordJoin(person('reloads'), '2026-05-01T09:10:02.000Z')).toBe(false);
    expect(await store.meetings.recordDisconnect(meetingId, 'closes-tab', '2026-05-01T09:50:00.000Z')).toBe(true);
    // A second mark keeps the first time.
    expect(await store.meetings.recordDisconnect(meetingId, 'closes-tab', '2026-05-01T09:55:00.000Z')).toBe(false);
    expect((await store.meetings.attendance(meetingId)).intervals.find((i) => i.userId === 'closes-tab')!.disconnectedAt).toBe('2026-05-01T09:50:00.000Z');
    expect(await store.meetings.end(meetingId, '2026-05-01T10:00:00.000Z')).toBe(true);
    const { intervals } = await store.meetings.attendance(meetingId);
    const leftAt = Object.fromEntries(intervals.map((i) => [i.userId, i.leftAt]));
    expect(leftAt).toEqual({ stays: '2026-05-01T10:00:00.000Z', reloads: '2026-05-01T10:00:00.000Z', 'closes-tab': '2026-05-01T09:50:00.000Z' });
    expect(intervals.every((i) => i.disconnectedAt === null)).toBe(true);
  });

  it('records attendance intervals: a rejoin while present opens nothing, ending closes what is open', async () => {
    const workspace = { id: uid('w'), kind: 'network' as const, title: 'Survivorship', createdAt: now() };
    await store.workspaces.create(workspace);
    const meetingId = uid('m');
    await store.meetings.start({
      id: meetingId, workspaceId: workspace.id, title: 'Kick-off', agenda: [], quorumCountries: null,
      startedAt: '2026-05-01T09:00:00.000Z', startedBy: 'chair', endedAt: null, minutesDocumentId: null,
    });
    const person = (userId: string, country: string) => ({
      meetingId, userId, name: `Name ${userId}`, email: `${userId}@example.eu`, country, organisation: 'Org', role: 'contributor' as const,
      firstJoinedAt: '2026-05-01T09:01:00.000Z',
    });
    expect(await store.meetings.recordJoin(person('u1', 'IT'), '2026-05-01T09:01:00.000Z')).toBe(true);
    expect(await store.meetings.recordJoin(person('u1', 'IT'), '2026-05-01T09:02:00.000Z')).toBe(false);
    expect(await store.meetings.recordJoin(person('u2', 'DE'), '2026-05-01T09:03:00.000Z')).toBe(true);
    expect(await store.meetings.recordLeave(meetingId, 'u2', '2026-05-01T09:20:00.000Z')).toBe(true);
    expect(await store.meetings.recordLeave(meetingId, 'u2', '2026-05-01T09:21:00.000Z')).toBe(false);
    expect(await store.meetings.recordJoin({ ...person('u2', 'DE'), name: 'Renamed' }, '2026-05-01T09:30:00.000Z')).toBe(true);
    expect(await store.meetings.end(meetingId, '2026-05-01T10:00:00.000Z')).toBe(true);

    const { attendees, intervals } = await store.meetings.attendance(meetingId);
    expect(attendees.map((a) => [a.userId, a.name, a.country])).toEqual([['u1', 'Name u1', 'IT'], ['u2', 'Name u2', 'DE']]);
    expect(intervals.map((i) => [i.userId, i.joinedAt.slice(11, 16), i.leftAt?.slice(11, 16)])).toEqual([
      ['u1', '09:01', '10:00'],
      ['u2', '09:03', '09:20'],
      ['u2', '09:30', '10:00'],
    ]);
  });

  it('keeps threads with their comments in order, resolves and reopens them, and lists a workspace’s open threads oldest first', async () => {
    const workspaceId = uid('w');
    const documentId = uid('d');
    const anchor = { kind: 'text' as const, start: 'AQID', end: 'BAUG', quote: 'selection criteria' };
    const thread = (id: string, createdAt: string) => ({
      id, workspaceId, documentId, anchor, sectionId: 'eligibility', sectionTitle: 'Eligibility', createdBy: 'lead', createdAt,
      resolvedAt: null, resolvedBy: null, lastActivityAt: createdAt,
    });
    const comment = (id: string, threadId: string, createdAt: string, body: string) => ({
      id, threadId, authorId: 'lead', body, mentions: ['u2'], createdAt, editedAt: null, deletedAt: null,
    });
    const older = thread(uid('t'), '2026-06-01T10:00:00.000Z');
    const newer = thread(uid('t'), '2026-06-02T10:00:00.000Z');
    await store.threads.create(newer, comment(uid('c'), newer.id, newer.createdAt, 'Second thread'));
    await store.threads.create(older, comment(uid('c'), older.id, older.createdAt, 'Is 5 years of activity enough?'));
    const replyId = uid('c');
    await store.threads.addComment({ ...comment(replyId, older.id, '2026-06-01T11:00:00.000Z', 'Yes, see annex'), authorId: 'u2', mentions: [] });
    expect((await store.threads.findById(older.id))!.lastActivityAt).toBe('2026-06-01T11:00:00.000Z');
    expect((await store.threads.findById(older.id))!.anchor).toEqual(anchor);
    expect((await store.threads.listComments([older.id])).map((c) => c.body)).toEqual(['Is 5 years of activity enough?', 'Yes, see annex']);
    expect((await store.threads.listForDocument(documentId)).map((t) => t.id)).toEqual([older.id, newer.id]);

    expect(await store.threads.updateComment(replyId, { body: 'Yes, see annex 2', editedAt: '2026-06-01T11:05:00.000Z' })).toMatchObject({
      body: 'Yes, see annex 2', editedAt: '2026-06-01T11:05:00.000Z', mentions: [],
    });
    expect(await store.threads.setResolved(older.id, '2026-06-03T09:00:00.000Z', 'chair')).toMatchObject({ resolvedBy: 'chair' });
    expect((await store.threads.listForWorkspace(workspaceId, false)).map((t) => t.id)).toEqual([newer.id]);
    expect((await store.threads.listForWorkspace(workspaceId, true)).map((t) => t.id)).toEqual([older.id]);
    expect(await store.threads.setResolved(older.id, null, null)).toMatchObject({ resolvedAt: null });
    expect((await store.threads.listForWorkspace(workspaceId)).map((t) => t.id)).toEqual([older.id, newer.id]);
    await store.threads.delete(newer.id);
    expect(await store.threads.findById(newer.id)).toBeNull();
    expect(await store.threads.listComments([newer.id])).toEqual([]);
  });

  it('keeps notifications per person, newest first, and marks some or all read', async () => {
    const userId = uid('u');
    const note = (id: string, createdAt: string) => ({
      id, userId, kind: 'mention' as const, workspaceId: 'w', documentId: 'd', threadId: 't', commentId: 'c', sectionId: null, sectionTitle: null, actorId: 'a', createdAt, readAt: null,
    });
    const ids = [uid('n'), uid('n'), uid('n')];
    await store.notifications.createMany(ids.map((id, i) => note(id, `2026-06-0${i + 1}T10:00:00.000Z`)));
    await store.notifications.createMany([{ ...note(uid('n'), '2026-06-09T10:00:00.000Z'), userId: uid('other') }]);
    expect((await store.notifications.listForUser(userId, 2)).map((n) => n.id)).toEqual([ids[2], ids[1]]);
    expect(await store.notifications.countUnread(userId)).toBe(3);
    expect(await store.notifications.markRead(userId, [ids[0]!], now())).toBe(1);
    expect(await store.notifications.countUnread(userId)).toBe(2);
    expect(await store.notifications.markRead(userId, null, now())).toBe(2);
    expect(await store.notifications.countUnread(userId)).toBe(0);
  });

  // Every field of every record, as given and as patched: the adapters map each table or
  // collection in one place, and these catch a field that is lost, renamed or retyped there.
  describe('keeps every field as given', () => {
    it('users: all fields, every patchable field, and batch lookups', async () => {
      const dora = user({ name: 'Dora Nowak', country: 'PL', isAdmin: true, active: true });
      await store.users.create(dora);
      const patch = { name: 'Dora Nowak-Kowalska', country: 'CZ', organisation: 'Masaryk University', passwordHash: 'scrypt$y', isAdmin: false, active: false };
      expect(await store.users.update(dora.id, patch)).toEqual({ ...dora, ...patch });
      expect(await store.users.update(dora.id, {})).toEqual({ ...dora, ...patch });
      expect(await store.users.update(uid('missing'), { name: 'Nobody' })).toBeNull();
      const emil = user({ name: 'Emil Berg' });
      await store.users.create(emil);
      const many = await store.users.findManyByIds([dora.id, emil.id]);
      expect(many.sort((a, b) => a.name.localeCompare(b.name))).toEqual([{ ...dora, ...patch }, emil]);
      expect(await store.users.findManyByIds([])).toEqual([]);
    });

    it('sessions: all fields, and deleting one leaves the others', async () => {
      const owner = user();
      await store.users.create(owner);
      const future = new Date(Date.now() + 3_600_000).toISOString();
      const first = { tokenHash: uid('s'), userId: owner.id, createdAt: now(), expiresAt: future };
      const second = { ...first, tokenHash: uid('s') };
      await store.sessions.create(first);
      await store.sessions.create(second);
      expect(await store.sessions.find(first.tokenHash)).toEqual(first);
      await store.sessions.delete(first.tokenHash);
      expect(await store.sessions.find(first.tokenHash)).toBeNull();
      expect(await store.sessions.find(second.tokenHash)).toEqual(second);
    });

    it('invitations: all fields, newest first, and the time of acceptance', async () => {
      const invitation = (createdAt: string) => ({
        id: uid('i'),
        tokenHash: uid('h'),
        email: `${uid('x')}@example.eu`,
        name: 'Invitee',
        memberships: [{ workspaceId: 'w1', role: 'chair' as const }, { workspaceId: 'w2', role: 'observer' as const }],
        createdBy: 'admin',
        createdAt,
        expiresAt: '2030-01-01T00:00:00.000Z',
        acceptedAt: null,
      });
      const older = invitation('2026-02-01T00:00:00.000Z');
      const newer = invitation('2026-02-02T00:00:00.000Z');
      await store.invitations.create(older);
      await store.invitations.create(newer);
      const listed = (await store.invitations.list()).filter((i) => i.id === older.id || i.id === newer.id);
      expect(listed).toEqual([newer, older]);
      expect(await store.invitations.markAccepted(older.id, '2026-02-03T00:00:00.000Z')).toBe(true);
      expect(await store.invitations.findByTokenHash(older.tokenHash)).toEqual({ ...older, acceptedAt: '2026-02-03T00:00:00.000Z' });
      expect(await store.invitations.delete(older.id)).toBe(true);
      expect(await store.invitations.delete(older.id)).toBe(false);
    });

    it('workspaces and memberships: all fields; a second upsert changes the role only', async () => {
      const workspace = { id: uid('w'), kind: 'work-package' as const, title: 'WP3', createdAt: now() };
      await store.workspaces.create(workspace);
      expect(await store.workspaces.findById(workspace.id)).toEqual(workspace);
      expect(await store.workspaces.update(workspace.id, { kind: 'task-force', title: 'WP3 task force' })).toEqual({
        ...workspace, kind: 'task-force', title: 'WP3 task force',
      });
      expect(await store.workspaces.update(uid('missing'), { title: 'x' })).toBeNull();
      const member = user();
      await store.users.create(member);
      const membership = { workspaceId: workspace.id, userId: member.id, role: 'observer' as const, createdAt: '2026-01-01T00:00:00.000Z' };
      await store.memberships.upsert(membership);
      await store.memberships.upsert({ ...membership, role: 'chair', createdAt: '2026-01-02T00:00:00.000Z' });
      expect(await store.memberships.find(workspace.id, member.id)).toEqual({ ...membership, role: 'chair' });
      expect(await store.memberships.listForWorkspace(workspace.id)).toEqual([{ ...membership, role: 'chair' }]);
      expect(await store.memberships.listForUser(member.id)).toEqual([{ ...membership, role: 'chair' }]);
      expect(await store.memberships.remove(workspace.id, member.id)).toBe(true);
      expect(await store.memberships.remove(workspace.id, member.id)).toBe(false);
    });

    it('documents: all fields, both patchable fields at once, batch lookups, most recently updated first', async () => {
      const workspace = { id: uid('w'), kind: 'network' as const, title: 'Rare cancers', createdAt: now() };
      await store.workspaces.create(workspace);
      const doc = (updatedAt: string) => ({
        id: uid('d'), workspaceId: workspace.id, title: 'Call', template: 'call-for-expressions-of-interest' as const, archived: true,
        createdAt: '2026-01-01T00:00:00.000Z', createdBy: 'u1', updatedAt, updatedBy: 'u2',
      });
      const older = doc('2026-01-02T00:00:00.000Z');
      const newer = { ...doc('2026-01-03T00:00:00.000Z'), archived: false, updatedBy: null };
      await store.documents.create(older);
      await store.documents.create(newer);
      expect(await store.documents.listForWorkspace(workspace.id)).toEqual([newer, older]);
      const many = await store.documents.findManyByIds([older.id, newer.id, 'missing']);
      expect(many.sort((a, b) => a.updatedAt.localeCompare(b.updatedAt))).toEqual([older, newer]);
      expect(await store.documents.findManyByIds([])).toEqual([]);
      expect(await store.documents.update(older.id, { title: 'Call 2026', archived: false })).toEqual({ ...older, title: 'Call 2026', archived: false });
      expect(await store.documents.update(uid('missing'), { title: 'x' })).toBeNull();
      expect((await store.documents.countByWorkspace()).get(workspace.id)).toBe(2);
    });

    it('meetings: all fields, every patchable field, and attendance records', async () => {
      const workspace = { id: uid('w'), kind: 'network' as const, title: 'Haematology', createdAt: now() };
      await store.workspaces.create(workspace);
      const meeting = {
        id: uid('m'), workspaceId: workspace.id, title: 'Plenary', agenda: [], quorumCountries: 5,
        startedAt: '2026-07-01T09:00:00.000Z', startedBy: 'chair', endedAt: null, minutesDocumentId: null,
      };
      await store.meetings.start(meeting);
      expect(await store.meetings.findById(meeting.id)).toEqual(meeting);
      const agenda = [
        { title: 'Scope', documentId: 'd1', sectionId: null, sectionTitle: 'Background' },
        { title: 'AOB', documentId: null, sectionId: null, sectionTitle: null },
      ];
      expect(await store.meetings.update(meeting.id, { title: 'Plenary 2026', agenda, quorumCountries: null })).toEqual({
        ...meeting, title: 'Plenary 2026', agenda, quorumCountries: null,
      });
      expect(await store.meetings.update(uid('missing'), { title: 'x' })).toBeNull();
      // The minutes are recorded once: a second document does not replace the first.
      expect(await store.meetings.setMinutes(meeting.id, 'minutes-1')).toBe(true);
      expect(await store.meetings.setMinutes(meeting.id, 'minutes-2')).toBe(false);
      expect(await store.meetings.findById(meeting.id)).toMatchObject({ minutesDocumentId: 'minutes-1' });
      const attendee = {
        meetingId: meeting.id, userId: 'u1', name: 'Ines Duarte', email: 'ines@example.eu', country: 'PT', organisation: 'IPO Porto',
        role: 'observer' as const, firstJoinedAt: '2026-07-01T09:01:00.000Z',
      };
      await store.meetings.recordJoin(attendee, '2026-07-01T09:01:00.000Z');
      expect(await store.meetings.attendance(meeting.id)).toEqual({
        attendees: [attendee],
        intervals: [{ meetingId: meeting.id, userId: 'u1', joinedAt: '2026-07-01T09:01:00.000Z', leftAt: null, disconnectedAt: null }],
      });
      await store.meetings.recordLeave(meeting.id, 'u1', '2026-07-01T09:30:00.000Z');
      expect(await store.meetings.end(meeting.id, '2026-07-01T10:00:00.000Z')).toBe(true);
      expect(await store.meetings.attendance(meeting.id)).toEqual({
        attendees: [attendee],
        intervals: [{ meetingId: meeting.id, userId: 'u1', joinedAt: '2026-07-01T09:01:00.000Z', leftAt: '2026-07-01T09:30:00.000Z', disconnectedAt: null }],
      });
      expect(await store.meetings.findById(meeting.id)).toEqual({
        ...meeting, title: 'Plenary 2026', agenda, quorumCountries: null, endedAt: '2026-07-01T10:00:00.000Z', minutesDocumentId: 'minutes-1',
      });
    });

    it('threads and comments: all fields, every patchable comment field, and batch lookups', async () => {
      const workspaceA = uid('w');
      const workspaceB = uid('w');
      const thread = (workspaceId: string, createdAt: string) => ({
        id: uid('t'), workspaceId, documentId: uid('d'), anchor: { kind: 'section' as const, start: 'AQ==', end: 'Ag==', quote: 'Scope' },
        sectionId: null,
        sectionTitle: null, createdBy: 'lead', createdAt, resolvedAt: null, resolvedBy: null, lastActivityAt: createdAt,
      });
      const comment = (threadId: string, createdAt: string) => ({
        id: uid('c'), threadId, authorId: 'lead', body: 'See @[u2]', mentions: ['u2', 'u3'], createdAt, editedAt: null, deletedAt: null,
      });
      const inA = thread(workspaceA, '2026-08-01T10:00:00.000Z');
      const inB = thread(workspaceB, '2026-08-02T10:00:00.000Z');
      const resolvedInB = thread(workspaceB, '2026-08-03T10:00:00.000Z');
      const firstA = comment(inA.id, inA.createdAt);
      const firstB = comment(inB.id, inB.createdAt);
      await store.threads.create(inA, firstA);
      await store.threads.create(inB, firstB);
      await store.threads.create(resolvedInB, comment(resolvedInB.id, resolvedInB.createdAt));
      const resolved = await store.threads.setResolved(resolvedInB.id, '2026-08-04T10:00:00.000Z', 'chair');
      expect(resolved).toEqual({ ...resolvedInB, resolvedAt: '2026-08-04T10:00:00.000Z', resolvedBy: 'chair', lastActivityAt: '2026-08-04T10:00:00.000Z' });
      expect(await store.threads.findById(inA.id)).toEqual(inA);
      expect(await store.threads.listForWorkspaces([workspaceA, workspaceB])).toEqual([inA, inB, resolved]);
      expect(await store.threads.listForWorkspaces([workspaceA, workspaceB], false)).toEqual([inA, inB]);
      expect(await store.threads.listForWorkspaces([workspaceB], true)).toEqual([resolved]);
      expect(await store.threads.listForWorkspaces([])).toEqual([]);

      expect(await store.threads.findComment(firstA.id)).toEqual(firstA);
      const found = await store.threads.findComments([firstA.id, firstB.id, 'missing']);
      expect(found.sort((a, b) => a.createdAt.localeCompare(b.createdAt))).toEqual([firstA, firstB]);
      expect(await store.threads.findComments([])).toEqual([]);
      const deleted = { body: '', mentions: [], editedAt: '2026-08-01T10:05:00.000Z', deletedAt: '2026-08-01T10:06:00.000Z' };
      expect(await store.threads.updateComment(firstA.id, deleted)).toEqual({ ...firstA, ...deleted });
      expect(await store.threads.listComments([inA.id, inB.id])).toEqual([{ ...firstA, ...deleted }, firstB]);
      expect(await store.threads.updateComment(uid('missing'), { body: 'x' })).toBeNull();
    });

    it('notifications: all fields, and the time they were read', async () => {
      const userId = uid('u');
      const note = {
        id: uid('n'), userId, kind: 'reply' as const, workspaceId: 'w', documentId: 'd', threadId: 't', commentId: 'c', sectionId: 's', sectionTitle: 'Scope',
        actorId: 'a', createdAt: '2026-09-01T10:00:00.000Z', readAt: null,
      };
      const aboutSection = { ...note, id: uid('n'), kind: 'section-review' as const, threadId: null, commentId: null, createdAt: '2026-08-01T10:00:00.000Z' };
      await store.notifications.createMany([note, aboutSection]);
      await store.notifications.createMany([]);
      expect(await store.notifications.listForUser(userId, 10)).toEqual([note, aboutSection]);
      await store.notifications.markRead(userId, [aboutSection.id], '2026-09-01T09:00:00.000Z');
      expect(await store.notifications.markRead(userId, [note.id], '2026-09-01T11:00:00.000Z')).toBe(1);
      expect(await store.notifications.markRead(userId, [note.id], '2026-09-01T12:00:00.000Z')).toBe(0);
      expect(await store.notifications.listForUser(userId, 10)).toEqual([
        { ...note, readAt: '2026-09-01T11:00:00.000Z' },
        { ...aboutSection, readAt: '2026-09-01T09:00:00.000Z' },
      ]);
    });

    it('versions: all fields, with and without the nullable ones', async () => {
      const docId = uid('d');
      const full: VersionRecord = {
        id: uid('v'), docId, kind: 'meeting', name: 'After the plenary', note: 'Agreed: scope and criteria', createdAt: '2026-07-01T10:00:00.000Z',
        createdBy: 'chair', cursor: (await store.history.latest(docId)) ?? 'c-1', meetingId: 'm-1', authors: ['u2', 'u1', SERVER_AUTHOR],
      };
      const bare: VersionRecord = {
        id: uid('v'), docId, kind: 'auto', name: '', note: null, createdAt: '2026-07-01T09:00:00.000Z', createdBy: SERVER_AUTHOR,
        cursor: null, meetingId: null, authors: [],
      };
      await store.versions.create(full, new Uint8Array([1, 2, 3]));
      await store.versions.create(bare, new Uint8Array([4]));
      expect(await store.versions.find(docId, full.id)).toEqual(full);
      expect(await store.versions.find(docId, bare.id)).toEqual(bare);
      expect(await store.versions.list(docId)).toEqual([full, bare]);
    });

    it('visits: all fields, with and without a cursor', async () => {
      const withCursor = { docId: uid('d'), userId: uid('u'), cursor: '65f0c0ffee0000000000abcd', at: '2026-07-02T10:00:00.000Z' };
      const without = { docId: uid('d'), userId: uid('u'), cursor: null, at: '2026-07-02T11:00:00.000Z' };
      await store.visits.record(withCursor);
      await store.visits.record(without);
      expect(await store.visits.find(withCursor.docId, withCursor.userId)).toEqual(withCursor);
      expect(await store.visits.find(without.docId, without.userId)).toEqual(without);
    });
  });

  it('keeps sections’ owner and status with their history, per document and per owner', async () => {
    const documentId = uid('d');
    const other = uid('d');
    const event = (sectionId: string, kind: 'owner' | 'status', from: string | null, to: string | null, at: string) => ({
      id: uid('e'), documentId, sectionId, kind, from, to, at, by: 'chair',
    });
    expect(await store.sections.find(documentId, 'scope')).toBeNull();
    await store.sections.save({ documentId, sectionId: 'scope', ownerId: 'lena', status: 'draft', updatedAt: '2026-06-01T10:00:00.000Z', updatedBy: 'chair' }, event('scope', 'owner', null, 'lena', '2026-06-01T10:00:00.000Z'));
    await store.sections.save({ documentId, sectionId: 'scope', ownerId: 'lena', status: 'in-review', updatedAt: '2026-06-01T11:00:00.000Z', updatedBy: 'lena' }, { ...event('scope', 'status', 'draft', 'in-review', '2026-06-01T11:00:00.000Z'), by: 'lena' });
    await store.sections.save({ documentId, sectionId: 'criteria', ownerId: null, status: 'agreed', updatedAt: '2026-06-01T12:00:00.000Z', updatedBy: 'chair' }, event('criteria', 'status', 'in-review', 'agreed', '2026-06-01T12:00:00.000Z'));
    await store.sections.save({ documentId: other, sectionId: 'x', ownerId: 'lena', status: 'draft', updatedAt: '2026-06-01T12:00:00.000Z', updatedBy: 'chair' }, { ...event('x', 'owner', null, 'lena', '2026-06-01T12:00:00.000Z'), documentId: other });

    expect(await store.sections.find(documentId, 'scope')).toEqual({ documentId, sectionId: 'scope', ownerId: 'lena', status: 'in-review', updatedAt: '2026-06-01T11:00:00.000Z', updatedBy: 'lena' });
    expect((await store.sections.listForDocument(documentId)).map((r) => [r.sectionId, r.status]).sort()).toEqual([['criteria', 'agreed'], ['scope', 'in-review']]);
    expect((await store.sections.listForDocuments([documentId, other])).length).toBe(3);
    expect((await store.sections.listOwnedBy('lena')).map((r) => r.sectionId).sort()).toEqual(['scope', 'x']);
    expect((await store.sections.events(documentId, 'scope')).map((e) => [e.kind, e.from, e.to, e.by])).toEqual([['owner', null, 'lena', 'chair'], ['status', 'draft', 'in-review', 'lena']]);
    expect((await store.sections.events(documentId)).map((e) => e.sectionId)).toEqual(['scope', 'scope', 'criteria']);
  });

  it('answers a liveness ping', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });
});
