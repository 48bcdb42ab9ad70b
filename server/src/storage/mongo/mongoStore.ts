/**
 * The production store: MongoDB through the official driver. Every write uses
 * `w: 'majority', j: true`, so "saved" means acknowledged by a majority, on disk.
 *
 * Document content is an update log (`docUpdates`) plus a snapshot split into chunks
 * under the 16 MB record limit (`docSnapshotChunks`), selected by a head record
 * (`docHeads`) that names the current chunk generation. No multi-document
 * transactions are needed (a standalone server has none): writes are ordered so that a
 * crash at any point leaves a loadable state, and Yjs updates are idempotent.
 */
import { Binary, MongoClient, MongoServerError, ObjectId, type Db } from 'mongodb';
import { randomUUID } from 'node:crypto';
import {
  DuplicateKeyError,
  type CompactionResult,
  type DocumentContentRepository,
  type DocumentRecord,
  type DocumentRepository,
  type InvitationRecord,
  type InvitationRepository,
  type MembershipRecord,
  type MembershipRepository,
  type SessionRecord,
  type SessionRepository,
  type Store,
  type StoredDocState,
  type UserRecord,
  type UserRepository,
  type WorkspaceRecord,
  type WorkspaceRepository,
} from '../port.js';
import { foldDocState } from '../docState.js';
import { mongoMeetings } from './meetings.js';
import { mongoNotifications, mongoThreads } from './threads.js';
import { bytes, defined, isDuplicateKey, strip } from './util.js';

/** Snapshot chunk size: well below MongoDB's 16 MB document limit. */
export const SNAPSHOT_CHUNK_BYTES = 8 * 1024 * 1024;
const LOAD_ATTEMPTS = 5;

type WithId<T> = T & { _id: string };
interface UpdateDoc {
  _id: ObjectId;
  docId: string;
  data: Binary;
}
interface HeadDoc {
  _id: string;
  gen: string;
  chunks: number;
  bytes: number;
}
interface ChunkDoc {
  _id: string;
  docId: string;
  gen: string;
  index: number;
  data: Binary;
}

export interface MongoStoreOptions {
  uri: string;
  /** Database name; default: the one in the URI, else `jane`. */
  dbName?: string;
}

export async function openMongoStore(options: MongoStoreOptions): Promise<Store> {
  const client = new MongoClient(options.uri, {
    writeConcern: { w: 'majority', journal: true },
    serverSelectionTimeoutMS: 10_000,
  });
  await client.connect();
  const db: Db = client.db(options.dbName);

  const usersCol = db.collection<WithId<UserRecord>>('users');
  const sessionsCol = db.collection<WithId<SessionRecord>>('sessions');
  const invitationsCol = db.collection<WithId<InvitationRecord>>('invitations');
  const workspacesCol = db.collection<WithId<WorkspaceRecord>>('workspaces');
  const membershipsCol = db.collection<WithId<MembershipRecord>>('memberships');
  const documentsCol = db.collection<WithId<DocumentRecord>>('documents');
  const updatesCol = db.collection<UpdateDoc>('docUpdates');
  const headsCol = db.collection<HeadDoc>('docHeads');
  const chunksCol = db.collection<ChunkDoc>('docSnapshotChunks');

  await Promise.all([
    usersCol.createIndex({ email: 1 }, { unique: true }),
    sessionsCol.createIndex({ userId: 1 }),
    invitationsCol.createIndex({ tokenHash: 1 }, { unique: true }),
    membershipsCol.createIndex({ userId: 1 }),
    membershipsCol.createIndex({ workspaceId: 1 }),
    documentsCol.createIndex({ workspaceId: 1, updatedAt: -1 }),
    updatesCol.createIndex({ docId: 1, _id: 1 }),
    chunksCol.createIndex({ docId: 1, gen: 1, index: 1 }),
  ]);

  const users: UserRepository = {
    async count() {
      return usersCol.countDocuments();
    },
    async create(user) {
      try {
        await usersCol.insertOne({ _id: user.id, ...user });
      } catch (error) {
        if (isDuplicateKey(error)) throw new DuplicateKeyError('email');
        throw error;
      }
    },
    async findById(id) {
      return strip(await usersCol.findOne({ _id: id }));
    },
    async findByEmail(email) {
      return strip(await usersCol.findOne({ email }));
    },
    async findManyByIds(ids) {
      if (ids.length === 0) return [];
      return (await usersCol.find({ _id: { $in: [...ids] } }).toArray()).map((doc) => strip<UserRecord>(doc)!);
    },
    async list() {
      const all = (await usersCol.find().toArray()).map((doc) => strip<UserRecord>(doc)!);
      return all.sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }));
    },
    async update(id, patch) {
      const changes = defined(patch);
      if (Object.keys(changes).length > 0) await usersCol.updateOne({ _id: id }, { $set: changes });
      return users.findById(id);
    },
  };

  const sessions: SessionRepository = {
    async create(session) {
      await sessionsCol.insertOne({ _id: session.tokenHash, ...session });
    },
    async find(tokenHash) {
      return strip(await sessionsCol.findOne({ _id: tokenHash }));
    },
    async delete(tokenHash) {
      await sessionsCol.deleteOne({ _id: tokenHash });
    },
    async deleteForUser(userId) {
      await sessionsCol.deleteMany({ userId });
    },
    async deleteExpired(now) {
      return (await sessionsCol.deleteMany({ expiresAt: { $lte: now } })).deletedCount;
    },
  };

  const invitations: InvitationRepository = {
    async create(invitation) {
      await invitationsCol.insertOne({ _id: invitation.id, ...invitation });
    },
    async findByTokenHash(tokenHash) {
      return strip(await invitationsCol.findOne({ tokenHash }));
    },
    async list() {
      return (await invitationsCol.find().sort({ createdAt: -1 }).toArray()).map((doc) => strip<InvitationRecord>(doc)!);
    },
    async markAccepted(id, at) {
      const result = await invitationsCol.updateOne({ _id: id, acceptedAt: null }, { $set: { acceptedAt: at } });
      return result.modifiedCount === 1;
    },
    async delete(id) {
      return (await invitationsCol.deleteOne({ _id: id })).deletedCount === 1;
    },
  };

  const workspaces: WorkspaceRepository = {
    async count() {
      return workspacesCol.countDocuments();
    },
    async create(workspace) {
      await workspacesCol.insertOne({ _id: workspace.id, ...workspace });
    },
    async findById(id) {
      return strip(await workspacesCol.findOne({ _id: id }));
    },
    async list() {
      const all = await workspacesCol.find().toArray();
      // Seeded workspaces share a creation time; keep their insertion order.
      return all.map((doc) => strip<WorkspaceRecord>(doc)!).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    },
    async update(id, patch) {
      const changes = defined(patch);
      if (Object.keys(changes).length > 0) await workspacesCol.updateOne({ _id: id }, { $set: changes });
      return workspaces.findById(id);
    },
  };

  const membershipKey = (workspaceId: string, userId: string) => `${workspaceId}:${userId}`;
  const memberships: MembershipRepository = {
    async upsert(membership) {
      await membershipsCol.updateOne(
        { _id: membershipKey(membership.workspaceId, membership.userId) },
        {
          $set: { role: membership.role },
          $setOnInsert: { workspaceId: membership.workspaceId, userId: membership.userId, createdAt: membership.createdAt },
        },
        { upsert: true },
      );
    },
    async remove(workspaceId, userId) {
      return (await membershipsCol.deleteOne({ _id: membershipKey(workspaceId, userId) })).deletedCount === 1;
    },
    async find(workspaceId, userId) {
      return strip(await membershipsCol.findOne({ _id: membershipKey(workspaceId, userId) }));
    },
    async listForWorkspace(workspaceId) {
      return (await membershipsCol.find({ workspaceId }).toArray()).map((doc) => strip<MembershipRecord>(doc)!);
    },
    async listForUser(userId) {
      return (await membershipsCol.find({ userId }).toArray()).map((doc) => strip<MembershipRecord>(doc)!);
    },
    async countByWorkspace() {
      const rows = await membershipsCol.aggregate<{ _id: string; n: number }>([{ $group: { _id: '$workspaceId', n: { $sum: 1 } } }]).toArray();
      return new Map(rows.map((row) => [row._id, row.n]));
    },
  };

  const documents: DocumentRepository = {
    async create(document) {
      await documentsCol.insertOne({ _id: document.id, ...document });
    },
    async findById(id) {
      return strip(await documentsCol.findOne({ _id: id }));
    },
    async findManyByIds(ids) {
      if (ids.length === 0) return [];
      return (await documentsCol.find({ _id: { $in: [...ids] } }).toArray()).map((doc) => strip<DocumentRecord>(doc)!);
    },
    async listForWorkspace(workspaceId) {
      return (await documentsCol.find({ workspaceId }).sort({ updatedAt: -1 }).toArray()).map(
        (doc) => strip<DocumentRecord>(doc)!,
      );
    },
    async countByWorkspace() {
      const rows = await documentsCol
        .aggregate<{ _id: string; n: number }>([{ $match: { archived: false } }, { $group: { _id: '$workspaceId', n: { $sum: 1 } } }])
        .toArray();
      return new Map(rows.map((row) => [row._id, row.n]));
    },
    async update(id, patch) {
      const changes = defined(patch);
      if (Object.keys(changes).length > 0) await documentsCol.updateOne({ _id: id }, { $set: changes });
      return documents.findById(id);
    },
  };

  /** Reads the snapshot named by the head; `undefined` when chunks vanished under us. */
  async function readSnapshot(docId: string): Promise<{ head: HeadDoc | null; snapshot: Uint8Array | null } | undefined> {
    const head = await headsCol.findOne({ _id: docId });
    if (!head) return { head: null, snapshot: null };
    const chunks = await chunksCol.find({ docId, gen: head.gen }).sort({ index: 1 }).toArray();
    if (chunks.length !== head.chunks) return undefined;
    const snapshot = new Uint8Array(head.bytes);
    let offset = 0;
    for (const chunk of chunks) {
      const part = bytes(chunk.data);
      snapshot.set(part, offset);
      offset += part.byteLength;
    }
    return offset === head.bytes ? { head, snapshot } : undefined;
  }

  /**
   * Reads log first, snapshot second. An update deleted in between was folded into a
   * snapshot whose head was written before the deletion, so the snapshot read second
   * contains it: nothing can fall between the two reads.
   */
  async function readState(docId: string): Promise<{ state: StoredDocState; head: HeadDoc | null; updateIds: ObjectId[] }> {
    for (let attempt = 0; attempt < LOAD_ATTEMPTS; attempt++) {
      const updateDocs = await updatesCol.find({ docId }).sort({ _id: 1 }).toArray();
      const snapshot = await readSnapshot(docId);
      if (!snapshot) continue; // a compaction replaced the chunks while we read; read again
      return {
        state: { snapshot: snapshot.snapshot, updates: updateDocs.map((doc) => bytes(doc.data)) },
        head: snapshot.head,
        updateIds: updateDocs.map((doc) => doc._id),
      };
    }
    throw new Error(`Document ${docId} kept changing while it was being read`);
  }

  const content: DocumentContentRepository = {
    async append(batch, at) {
      if (batch.length === 0) return;
      await updatesCol.insertMany(
        batch.map((update) => ({ _id: new ObjectId(), docId: update.docId, data: new Binary(update.data) })),
        { ordered: true },
      );
      const lastAuthor = new Map<string, string>();
      for (const update of batch) lastAuthor.set(update.docId, update.userId);
      await documentsCol.bulkWrite(
        [...lastAuthor].map(([docId, userId]) => ({
          updateOne: { filter: { _id: docId }, update: { $set: { updatedAt: at, updatedBy: userId } } },
        })),
        { ordered: false },
      );
    },
    async load(docId) {
      return (await readState(docId)).state;
    },
    async countUpdates(docId) {
      return updatesCol.countDocuments({ docId });
    },
    async compact(docId): Promise<CompactionResult> {
      const { state, head, updateIds } = await readState(docId);
      if (state.updates.length === 0) return { foldedUpdates: 0, snapshotBytes: state.snapshot?.byteLength ?? 0 };
      const snapshot = foldDocState(state);
      const gen = randomUUID();
      const chunkCount = Math.max(1, Math.ceil(snapshot.byteLength / SNAPSHOT_CHUNK_BYTES));
      const chunks: ChunkDoc[] = [];
      for (let index = 0; index < chunkCount; index++) {
        const part = snapshot.subarray(index * SNAPSHOT_CHUNK_BYTES, (index + 1) * SNAPSHOT_CHUNK_BYTES);
        chunks.push({ _id: `${docId}:${gen}:${index}`, docId, gen, index, data: new Binary(part) });
      }
      // Chunks may exceed one batch in size; insert one at a time.
      for (const chunk of chunks) await chunksCol.insertOne(chunk);

      // Compare-and-set the head: of two racing compactions from the same base, one wins.
      let won: boolean;
      const newHead = { gen, chunks: chunkCount, bytes: snapshot.byteLength };
      if (head) {
        won = (await headsCol.updateOne({ _id: docId, gen: head.gen }, { $set: newHead })).modifiedCount === 1;
      } else {
        try {
          await headsCol.insertOne({ _id: docId, ...newHead });
          won = true;
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
          won = false;
        }
      }
      if (!won) {
        await chunksCol.deleteMany({ docId, gen });
        return { foldedUpdates: 0, snapshotBytes: 0 };
      }
      // Only now is it safe to drop what the new snapshot contains.
      if (head) await chunksCol.deleteMany({ docId, gen: head.gen });
      // A compaction that raced with us may have deleted some of them already: count only ours.
      const { deletedCount } = await updatesCol.deleteMany({ _id: { $in: updateIds } });
      return { foldedUpdates: deletedCount, snapshotBytes: snapshot.byteLength };
    },
  };

  return {
    kind: 'mongo',
    users,
    sessions,
    invitations,
    workspaces,
    memberships,
    documents,
    content,
    meetings: await mongoMeetings(db),
    threads: await mongoThreads(db),
    notifications: await mongoNotifications(db),
    async ping() {
      await db.command({ ping: 1 });
    },
    async close() {
      await client.close();
    },
  };
}

