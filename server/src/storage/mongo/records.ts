/**
 * A collection of port records, declared once per collection: a stored document is the
 * record as it is, plus `_id` (the record's key, from the one `key` function declared
 * with the collection) and any fields only the adapter uses (`internal`, e.g. the order
 * of comments written in the same millisecond). Reading removes exactly those, so a
 * record comes back as it was given:
 *
 *   const COMMENTS = records<CommentRecord, { seq: number }>('comments', { key: (c) => c.id, internal: { seq: true } });
 *   const comments = COMMENTS.on(db);
 *   await comments.insert(comment, { seq });
 *   await comments.findById(id); // CommentRecord | null, without _id and seq
 *
 * A field added later is declared with its value for older documents (`defaults`), so
 * that those read back complete.
 *
 * Queries that are more than insert, find by filter and patch use `collection` directly.
 */
import type { Collection, Db, Document, Filter, OptionalUnlessRequiredId, Sort, UpdateFilter } from 'mongodb';
import { defined } from './util.js';

/** A record as stored. */
export type Stored<R, Internal = NoInternal> = R & Internal & { _id: string };

/** Records of most collections are stored with nothing but their `_id` added. */
export type NoInternal = Record<never, never>;

/** The internal fields' values, when the collection has any (`insert(record)` otherwise). */
type InternalArgument<Internal> = keyof Internal extends never ? [] : [internal: Internal];

export interface RecordCollection<R extends Document, Internal extends Document = NoInternal> {
  readonly name: string;
  /** The `_id` of a record. */
  key(record: R): string;
  /** The record as stored. */
  toDoc(record: R, ...internal: InternalArgument<Internal>): Stored<R, Internal>;
  /** The stored document as the record: `_id` and the internal fields removed. */
  fromDoc(doc: Stored<R, Internal>): R;
  on(db: Db): RecordOperations<R, Internal>;
}

export interface RecordOperations<R extends Document, Internal extends Document> {
  readonly collection: Collection<Stored<R, Internal>>;
  insert(record: R, ...internal: InternalArgument<Internal>): Promise<void>;
  /** Inserts the record unless one with its key is stored (then the stored one is kept). */
  insertIfAbsent(record: R, ...internal: InternalArgument<Internal>): Promise<void>;
  findById(id: string): Promise<R | null>;
  findOne(filter: Filter<Stored<R, Internal>>): Promise<R | null>;
  find(filter?: Filter<Stored<R, Internal>>, sort?: Sort): Promise<R[]>;
  /** Sets the fields present in `changes` (undefined ones are skipped) on the record with this key. */
  patch(id: string, changes: Partial<R>): Promise<void>;
}

/** Declares a collection of records (see the top of this file). */
export function records<R extends Document, Internal extends Document = NoInternal>(
  name: string,
  spec: {
    key: (record: R) => string;
    internal?: { [K in keyof Internal]-?: true };
    /** Values of fields added after records were first stored, for documents that lack them. */
    defaults?: Partial<R>;
  },
): RecordCollection<R, Internal> {
  const internalFields = Object.keys(spec.internal ?? {});
  const defaults = Object.entries(spec.defaults ?? {});
  const toDoc = (record: R, ...internal: InternalArgument<Internal>): Stored<R, Internal> =>
    ({ _id: spec.key(record), ...record, ...internal[0] }) as Stored<R, Internal>;
  const fromDoc = (doc: Stored<R, Internal>): R => {
    const { _id, ...rest } = doc as Record<string, unknown>;
    for (const field of internalFields) delete rest[field];
    for (const [field, value] of defaults) if (!(field in rest)) rest[field] = value;
    return rest as R;
  };
  const byId = (id: string) => ({ _id: id }) as Filter<Stored<R, Internal>>;

  const self: RecordCollection<R, Internal> = {
    name,
    key: spec.key,
    toDoc,
    fromDoc,
    on(db) {
      const collection = db.collection<Stored<R, Internal>>(name);
      const findOne = async (filter: Filter<Stored<R, Internal>>) => {
        const doc = (await collection.findOne(filter)) as Stored<R, Internal> | null;
        return doc ? fromDoc(doc) : null;
      };
      return {
        collection,
        async insert(record, ...internal) {
          await collection.insertOne(toDoc(record, ...internal) as OptionalUnlessRequiredId<Stored<R, Internal>>);
        },
        async insertIfAbsent(record, ...internal) {
          const { _id, ...fields } = toDoc(record, ...internal) as Record<string, unknown>;
          await collection.updateOne(byId(spec.key(record)), { $setOnInsert: fields } as UpdateFilter<Stored<R, Internal>>, { upsert: true });
        },
        findById: (id) => findOne(byId(id)),
        findOne,
        async find(filter = {}, sort) {
          const cursor = collection.find(filter);
          if (sort) cursor.sort(sort);
          return ((await cursor.toArray()) as Stored<R, Internal>[]).map(fromDoc);
        },
        async patch(id, changes) {
          const set = defined(changes);
          if (Object.keys(set).length > 0) await collection.updateOne(byId(id), { $set: set } as UpdateFilter<Stored<R, Internal>>);
        },
      };
    },
  };
  return self;
}
