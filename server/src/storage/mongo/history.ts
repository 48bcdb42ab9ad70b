/**
 * Authored history in MongoDB (`docHistory`): one record per accepted update, written by
 * `content.append` before the update log (content.ts), so that a crash in between only
 * writes history twice when the batch is retried — harmless, Yjs updates are idempotent.
 * Compaction never touches it. The cursor is the record's ObjectId as hex; a document's
 * entries are ordered by `_id`.
 *
 * Plain `new ObjectId()` values do not always grow: after the 4-byte timestamp come 5
 * random bytes per process and a 3-byte counter that starts at a random value and wraps.
 * So within one second a wrapped counter, or a restarted server (new random bytes), could
 * give an entry a smaller id than one written before it. {@link historyIds} therefore
 * hands out ids that always grow: at least the last one written (read at start-up) plus 1.
 *
 * That holds per instance. With several instances writing one database (scale-out), ids of
 * different instances interleave within a second (each has its own random bytes), and an
 * id is given before its write lands, so an entry can sort behind a cursor that a reader
 * already took as `latest`. Readers that must not miss such an entry (versions, changes)
 * ask for `late` entries: everything up to {@link LATE_WINDOW_SECONDS} before `after`.
 */
import { createHash } from 'node:crypto';
import { Binary, ObjectId, type Collection, type Db } from 'mongodb';
import { SERVER_AUTHOR, type HistoryEntry, type HistoryRepository } from '../port.js';
import { bytes, isDuplicateKey } from './util.js';

export const HISTORY_COLLECTION = 'docHistory';

export interface HistoryDoc {
  _id: ObjectId;
  docId: string;
  userId: string;
  at: string;
  data: Binary;
}

export function historyCollection(db: Db): Collection<HistoryDoc> {
  return db.collection<HistoryDoc>(HISTORY_COLLECTION);
}

/**
 * How far behind a cursor an entry can land: the second the ids share, the time a write
 * takes to land (seconds when the database is slow), and clock differences between the
 * instances' machines (kept within seconds by NTP). Generous, because reading a minute of
 * extra entries costs little and missing one loses it from a version.
 */
export const LATE_WINDOW_SECONDS = 60;

const asBigInt = (id: ObjectId) => BigInt(`0x${id.toHexString()}`);
const fromBigInt = (value: bigint) => new ObjectId(value.toString(16).padStart(24, '0'));

/**
 * A source of history ids that only grow, from above the greatest id stored (one writing
 * process per database is assumed, as everywhere in this adapter).
 */
export async function historyIds(collection: Collection<HistoryDoc>): Promise<() => ObjectId> {
  const [greatest] = await collection.find({}, { projection: { _id: 1 } }).sort({ _id: -1 }).limit(1).toArray();
  let last = greatest ? asBigInt(greatest._id) : 0n;
  return () => {
    let next = asBigInt(new ObjectId());
    if (next <= last) next = last + 1n;
    last = next;
    return fromBigInt(next);
  };
}

/**
 * The baseline's id: timestamp 0, so it sorts before every id {@link historyIds} hands out,
 * and unique per document, so that a second baseline is a duplicate key.
 */
export function baselineId(docId: string): ObjectId {
  return new ObjectId(`00000000${createHash('sha256').update(docId).digest('hex').slice(0, 16)}`);
}

function objectId(cursor: string): ObjectId {
  if (!/^[0-9a-f]{24}$/i.test(cursor)) throw new Error(`Not a history cursor: ${cursor}`);
  return new ObjectId(cursor);
}

function entry(doc: HistoryDoc): HistoryEntry {
  return { cursor: doc._id.toHexString(), docId: doc.docId, userId: doc.userId, at: doc.at, data: bytes(doc.data) };
}

export async function mongoHistory(db: Db): Promise<HistoryRepository> {
  const history = historyCollection(db);
  await history.createIndex({ docId: 1, _id: 1 });
  return {
    async list(docId, range = {}) {
      const ids: { $gt?: ObjectId; $gte?: ObjectId; $lte?: ObjectId } = {};
      if (range.after != null) {
        const after = objectId(range.after);
        if (range.late) ids.$gte = ObjectId.createFromTime(Math.max(0, after.getTimestamp().getTime() / 1000 - LATE_WINDOW_SECONDS));
        else ids.$gt = after;
      }
      if (range.upTo != null) ids.$lte = objectId(range.upTo);
      const filter = Object.keys(ids).length > 0 ? { docId, _id: ids } : { docId };
      return (await history.find(filter).sort({ _id: 1 }).toArray()).map(entry);
    },
    async latest(docId) {
      const doc = await history.findOne({ docId }, { sort: { _id: -1 }, projection: { _id: 1 } });
      return doc ? doc._id.toHexString() : null;
    },
    async ensureBaseline(docId, state, at) {
      if (await history.findOne({ docId }, { projection: { _id: 1 } })) return false;
      try {
        await history.insertOne({ _id: baselineId(docId), docId, userId: SERVER_AUTHOR, at, data: new Binary(state) });
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    },
    async documentsWithoutHistory() {
      const [logged, snapshotted, withHistory] = await Promise.all([
        db.collection('docUpdates').distinct('docId'),
        db.collection('docHeads').distinct('_id'),
        history.distinct('docId'),
      ]);
      const known = new Set<unknown>(withHistory);
      const ids = new Set<string>();
      for (const id of [...logged, ...snapshotted]) if (typeof id === 'string' && !known.has(id)) ids.add(id);
      return [...ids].sort();
    },
    async bytes(docId) {
      let total = 0;
      for await (const doc of history.find({ docId }, { projection: { data: 1 } })) total += doc.data.length();
      return total;
    },
  };
}
