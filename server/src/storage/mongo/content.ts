/**
 * Document content in MongoDB: an update log (`docUpdates`) plus a snapshot split into
 * chunks under the 16 MB record limit (`docSnapshotChunks`), selected by a head record
 * (`docHeads`) that names the current chunk generation. No multi-document transactions
 * are needed (a standalone server has none): writes are ordered so that a crash at any
 * point leaves a loadable state, and Yjs updates are idempotent. An append writes the
 * document's history (`docHistory`, history.ts) first and the update log second.
 */
import { Binary, ObjectId, type Db } from 'mongodb';
import { randomUUID } from 'node:crypto';
import { foldDocState } from '../docState.js';
import { SERVER_AUTHOR, type CompactionResult, type DocumentContentRepository, type StoredDocState } from '../port.js';
import { DOCUMENTS } from './documents.js';
import { historyCollection, historyIds } from './history.js';
import { bytes, isDuplicateKey } from './util.js';

/** Snapshot chunk size: well below MongoDB's 16 MB document limit. */
export const SNAPSHOT_CHUNK_BYTES = 8 * 1024 * 1024;
const LOAD_ATTEMPTS = 5;

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

export async function mongoContent(db: Db): Promise<DocumentContentRepository> {
  const documents = DOCUMENTS.on(db).collection;
  const updatesCol = db.collection<UpdateDoc>('docUpdates');
  const headsCol = db.collection<HeadDoc>('docHeads');
  const chunksCol = db.collection<ChunkDoc>('docSnapshotChunks');
  const historyCol = historyCollection(db);
  await Promise.all([updatesCol.createIndex({ docId: 1, _id: 1 }), chunksCol.createIndex({ docId: 1, gen: 1, index: 1 })]);
  const nextHistoryId = await historyIds(historyCol);

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

  return {
    async append(batch, at) {
      if (batch.length === 0) return;
      // History first: a crash before the log is written leaves history the retry repeats
      // (harmless), never a logged update missing from history.
      await historyCol.insertMany(
        batch.map((update) => ({ _id: nextHistoryId(), docId: update.docId, userId: update.userId, at, data: new Binary(update.data) })),
        { ordered: true },
      );
      await updatesCol.insertMany(
        batch.map((update) => ({ _id: new ObjectId(), docId: update.docId, data: new Binary(update.data) })),
        { ordered: true },
      );
      const lastAuthor = new Map<string, string>();
      for (const update of batch) if (update.userId !== SERVER_AUTHOR) lastAuthor.set(update.docId, update.userId);
      if (lastAuthor.size > 0) await documents.bulkWrite(
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
}
