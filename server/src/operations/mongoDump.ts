/**
 * The MongoDB store as a dump and back, through the driver. Reading goes collection by
 * collection in dump order (there is no snapshot across collections without a replica-set
 * transaction), which is consistent enough for what matters: document content is read
 * per document the way the adapter loads it (log first, then the snapshot it was folded
 * into), so every update acknowledged before the dump began is in it; history is read
 * after content and versions after history, so every cursor they need is there.
 */
import { Binary, MongoClient, ObjectId, type Db, type Document } from 'mongodb';
import { foldDocState } from '../storage/docState.js';
import { mongoContent, SNAPSHOT_CHUNK_BYTES } from '../storage/mongo/content.js';
import { DOCUMENTS } from '../storage/mongo/documents.js';
import { HISTORY_COLLECTION, historyCollection } from '../storage/mongo/history.js';
import { INVITATIONS } from '../storage/mongo/invitations.js';
import { ATTENDEES, CLOSED_INTERVALS, MEETINGS } from '../storage/mongo/meetings.js';
import { MEMBERSHIPS } from '../storage/mongo/memberships.js';
import { NOTIFICATIONS } from '../storage/mongo/notifications.js';
import { SECTION_EVENTS, SECTIONS } from '../storage/mongo/sections.js';
import { SESSIONS } from '../storage/mongo/sessions.js';
import { COMMENTS, THREADS } from '../storage/mongo/threads.js';
import { USERS } from '../storage/mongo/users.js';
import { VERSION_CHUNK_BYTES, VERSIONS, mongoVersions } from '../storage/mongo/versions.js';
import { VISITS } from '../storage/mongo/visits.js';
import { WORKSPACES } from '../storage/mongo/workspaces.js';
import type { RecordCollection } from '../storage/mongo/records.js';
import { bytes } from '../storage/mongo/util.js';
import type { IntervalRecord } from '../storage/port.js';
import { emptyCounts, type DumpCounts, type DumpEntry, type DumpKind } from './dumpFormat.js';
import { describeNonEmpty } from './sqliteDump.js';

/** Every collection the adapter writes. */
export const MONGO_COLLECTIONS = [
  'users', 'sessions', 'invitations', 'workspaces', 'memberships', 'documents', 'docUpdates', 'docHeads', 'docSnapshotChunks',
  HISTORY_COLLECTION, 'docVersions', 'docVersionChunks', 'docVisits', 'meetings', 'runningMeetings', 'meetingAttendees',
  'openIntervals', 'closedIntervals', 'threads', 'comments', 'notifications', 'sections', 'sectionEvents',
] as const;

/** Internal fields (comments' `seq`) are stripped by `fromDoc` and given by hand on writing. */
type AnyRecords = RecordCollection<Document>;

/** Plain record collections in dump order, with their sort. */
const RECORD_COLLECTIONS: [DumpKind, AnyRecords, Record<string, 1>][] = [
  ['users', USERS as unknown as AnyRecords, { createdAt: 1, _id: 1 }],
  ['sessions', SESSIONS as unknown as AnyRecords, { createdAt: 1, _id: 1 }],
  ['invitations', INVITATIONS as unknown as AnyRecords, { createdAt: 1, _id: 1 }],
  ['workspaces', WORKSPACES as unknown as AnyRecords, { createdAt: 1, _id: 1 }],
  ['memberships', MEMBERSHIPS as unknown as AnyRecords, { createdAt: 1, _id: 1 }],
  ['documents', DOCUMENTS as unknown as AnyRecords, { createdAt: 1, _id: 1 }],
  ['meetings', MEETINGS as unknown as AnyRecords, { startedAt: 1, _id: 1 }],
  ['attendees', ATTENDEES as unknown as AnyRecords, { firstJoinedAt: 1, _id: 1 }],
];
const LATER_RECORD_COLLECTIONS: [DumpKind, AnyRecords, Record<string, 1>][] = [
  ['threads', THREADS as unknown as AnyRecords, { createdAt: 1, _id: 1 }],
  ['comments', COMMENTS as unknown as AnyRecords, { createdAt: 1, seq: 1 }],
  ['notifications', NOTIFICATIONS as unknown as AnyRecords, { createdAt: 1, _id: 1 }],
  ['sections', SECTIONS as unknown as AnyRecords, { _id: 1 }],
  ['sectionEvents', SECTION_EVENTS as unknown as AnyRecords, { at: 1, _id: 1 }],
];

async function* records(db: Db, list: [DumpKind, AnyRecords, Record<string, 1>][]): AsyncGenerator<DumpEntry> {
  for (const [kind, spec, sort] of list) {
    for await (const doc of db.collection(spec.name).find({}).sort(sort)) yield { kind, record: spec.fromDoc(doc as never) } as DumpEntry;
  }
}

/** Every record of the MongoDB database at `uri`, in dump order. */
export async function* readMongoDump(uri: string): AsyncGenerator<DumpEntry> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
  await client.connect();
  try {
    const db = client.db();
    yield* records(db, RECORD_COLLECTIONS);
    for await (const doc of db.collection('closedIntervals').find({}).sort({ joinedAt: 1, _id: 1 })) {
      const interval = CLOSED_INTERVALS.fromDoc(doc as never);
      yield { kind: 'intervals', record: { ...interval, disconnectedAt: interval.disconnectedAt ?? null } };
    }
    for await (const doc of db.collection('openIntervals').find({}).sort({ joinedAt: 1, _id: 1 })) {
      const open = doc as unknown as { meetingId: string; userId: string; joinedAt: string; disconnectedAt?: string | null };
      const interval: IntervalRecord = { meetingId: open.meetingId, userId: open.userId, joinedAt: open.joinedAt, leftAt: null, disconnectedAt: open.disconnectedAt ?? null };
      yield { kind: 'intervals', record: interval };
    }
    yield* records(db, LATER_RECORD_COLLECTIONS);
    // The adapter's own load: it retries while a compaction replaces the chunks.
    const content = await mongoContent(db);
    const [logged, snapshotted] = await Promise.all([db.collection('docUpdates').distinct('docId'), db.collection('docHeads').distinct('_id')]);
    const docIds = [...new Set([...logged, ...snapshotted].filter((id): id is string => typeof id === 'string'))].sort();
    for (const docId of docIds) yield { kind: 'content', record: { docId, state: foldDocState(await content.load(docId)) } };
    for await (const doc of historyCollection(db).find({}).sort({ _id: 1 })) {
      yield { kind: 'history', record: { cursor: doc._id.toHexString(), docId: doc.docId, userId: doc.userId, at: doc.at, data: bytes(doc.data) } };
    }
    const versions = await mongoVersions(db);
    for await (const doc of db.collection(VERSIONS.name).find({}).sort({ createdAt: 1, _id: 1 })) {
      const record = VERSIONS.fromDoc(doc as never);
      const state = await versions.state(record.docId, record.id);
      if (state) yield { kind: 'versions', record: { record, state } };
    }
    for await (const doc of db.collection(VISITS.name).find({})) yield { kind: 'visits', record: VISITS.fromDoc(doc as never) };
  } finally {
    await client.close();
  }
}

export async function countMongoCollections(db: Db): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const name of MONGO_COLLECTIONS) counts[name] = await db.collection(name).countDocuments();
  return counts;
}

/** The counts a dump's kinds should have in MongoDB collections, to verify a restore. */
export function mongoCountsAsDump(counts: Record<string, number>): Partial<DumpCounts> {
  return {
    users: counts.users, sessions: counts.sessions, invitations: counts.invitations, workspaces: counts.workspaces,
    memberships: counts.memberships, documents: counts.documents, meetings: counts.meetings, attendees: counts.meetingAttendees,
    intervals: (counts.openIntervals ?? 0) + (counts.closedIntervals ?? 0), threads: counts.threads, comments: counts.comments,
    notifications: counts.notifications, sections: counts.sections, sectionEvents: counts.sectionEvents, content: counts.docHeads,
    history: counts[HISTORY_COLLECTION], versions: counts.docVersions, visits: counts.docVisits,
  };
}

/** A history cursor from SQLite (a row id) as an ObjectId that sorts the same way (timestamp 1: after every baseline id, before any new id). */
function historyObjectId(cursor: string): ObjectId {
  if (/^[0-9a-f]{24}$/i.test(cursor)) return new ObjectId(cursor);
  if (!/^[1-9][0-9]{0,15}$/.test(cursor)) throw new Error(`Not a history cursor: ${cursor}`);
  return new ObjectId(`00000001${BigInt(cursor).toString(16).padStart(16, '0')}`);
}
const mapCursor = (cursor: string | null) => (cursor === null ? null : historyObjectId(cursor).toHexString());

const RECORD_SPEC_BY_KIND = new Map<DumpKind, AnyRecords>([...RECORD_COLLECTIONS, ...LATER_RECORD_COLLECTIONS].map(([kind, spec]) => [kind, spec]));

export interface MongoTarget {
  client: MongoClient;
  db: Db;
}

export async function connectMongo(uri: string): Promise<MongoTarget> {
  const client = new MongoClient(uri, { writeConcern: { w: 'majority', journal: true }, serverSelectionTimeoutMS: 10_000 });
  await client.connect();
  return { client, db: client.db() };
}

export async function assertEmptyMongo(db: Db): Promise<void> {
  const filled = describeNonEmpty(await countMongoCollections(db));
  if (filled) throw new Error(`The MongoDB database "${db.databaseName}" is not empty (${filled}). Restore and migrate only into an empty database: use a new database name in MONGODB_URI.`);
}

/**
 * Writes a dump into an empty MongoDB database in the adapter's own layout (the record
 * declarations of storage/mongo/ make every document), in batches. The server creates
 * the indexes when it opens the store.
 */
export async function writeMongoDump(uri: string, entries: AsyncIterable<DumpEntry>): Promise<DumpCounts> {
  const { client, db } = await connectMongo(uri);
  try {
    await assertEmptyMongo(db);
    const counts = emptyCounts();
    const pending = new Map<string, Document[]>();
    let pendingBytes = 0;
    const flush = async () => {
      for (const [name, docs] of pending) if (docs.length > 0) await db.collection(name).insertMany(docs, { ordered: true });
      pending.clear();
      pendingBytes = 0;
    };
    const add = async (name: string, doc: Document, size = 1024) => {
      let list = pending.get(name);
      if (!list) pending.set(name, (list = []));
      list.push(doc);
      pendingBytes += size;
      if (pendingBytes > 8 * 1024 * 1024 || list.length >= 1000) await flush();
    };
    let commentSeq = 0;
    for await (const entry of entries) {
      counts[entry.kind]++;
      switch (entry.kind) {
        case 'meetings':
          await add(MEETINGS.name, MEETINGS.toDoc(entry.record));
          if (entry.record.endedAt === null) await add('runningMeetings', { _id: entry.record.workspaceId, meetingId: entry.record.id });
          break;
        case 'intervals': {
          const interval = entry.record;
          if (interval.leftAt === null) {
            await add('openIntervals', { _id: `${interval.meetingId}:${interval.userId}`, meetingId: interval.meetingId, userId: interval.userId, joinedAt: interval.joinedAt, disconnectedAt: interval.disconnectedAt });
          } else {
            await add(CLOSED_INTERVALS.name, CLOSED_INTERVALS.toDoc(interval));
          }
          break;
        }
        case 'comments':
          await add(COMMENTS.name, COMMENTS.toDoc(entry.record, { seq: ++commentSeq }));
          break;
        case 'content': {
          const { docId, state } = entry.record;
          const gen = 'restored';
          const chunks = Math.max(1, Math.ceil(state.byteLength / SNAPSHOT_CHUNK_BYTES));
          // Chunks before the head, as the adapter writes them: a head always has its chunks.
          await flush();
          for (let index = 0; index < chunks; index++) {
            const part = state.subarray(index * SNAPSHOT_CHUNK_BYTES, (index + 1) * SNAPSHOT_CHUNK_BYTES);
            await db.collection('docSnapshotChunks').insertOne({ _id: `${docId}:${gen}:${index}` as never, docId, gen, index, data: new Binary(part) });
          }
          await add('docHeads', { _id: docId, gen, chunks, bytes: state.byteLength });
          break;
        }
        case 'history': {
          const { cursor, docId, userId, at, data } = entry.record;
          await add(HISTORY_COLLECTION, { _id: historyObjectId(cursor), docId, userId, at, data: new Binary(data) }, data.byteLength + 100);
          break;
        }
        case 'versions': {
          const { record, state } = entry.record;
          const chunks = Math.max(1, Math.ceil(state.byteLength / VERSION_CHUNK_BYTES));
          const gen = 'restored';
          await flush();
          for (let index = 0; index < chunks; index++) {
            const part = state.subarray(index * VERSION_CHUNK_BYTES, (index + 1) * VERSION_CHUNK_BYTES);
            await db.collection('docVersionChunks').insertOne({ _id: `${record.id}:${gen}:${index}` as never, versionId: record.id, gen, index, data: new Binary(part) });
          }
          await add(VERSIONS.name, VERSIONS.toDoc({ ...record, cursor: mapCursor(record.cursor) }, { chunks, bytes: state.byteLength, gen }));
          break;
        }
        case 'visits':
          await add(VISITS.name, VISITS.toDoc({ ...entry.record, cursor: mapCursor(entry.record.cursor) }));
          break;
        default: {
          const spec = RECORD_SPEC_BY_KIND.get(entry.kind)!;
          await add(spec.name, spec.toDoc(entry.record as never));
        }
      }
    }
    await flush();
    return counts;
  } finally {
    await client.close();
  }
}
