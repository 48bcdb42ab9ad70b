/**
 * Versions in MongoDB (`docVersions`) with their content in chunks (`docVersionChunks`),
 * each at most 8 MB, so that no record nears the 16 MB limit. The chunks are written
 * before the version record: a listed version always has its content, and a crash in
 * between leaves only chunks nothing points at. Each create writes chunks of a generation
 * of its own, named in the record: a second create of the same id (two instances taking
 * the same automatic version) fails on the record, cannot touch the first one's chunks, and
 * removes its own. Chunks are written marked `pendingSince` and unmarked once their record
 * is in; what a crash leaves marked and unreferenced is deleted by the hourly housekeeping
 * ({@link VersionRepository.deleteUnreferencedContent}).
 */
import { randomUUID } from 'node:crypto';
import { Binary, type Db } from 'mongodb';
import type { VersionRecord, VersionRepository } from '../port.js';
import { records, type Stored } from './records.js';
import { bytes, isDuplicateKey } from './util.js';

/** Version content chunk size: well below MongoDB's 16 MB document limit. */
export const VERSION_CHUNK_BYTES = 8 * 1024 * 1024;

/** Stored with the record (never returned): how its content was chunked, to check it is all there. */
interface VersionInternal {
  chunks: number;
  bytes: number;
  /** The chunks' generation; absent on versions stored before generations were kept. */
  gen?: string;
}

export const VERSIONS = records<VersionRecord, VersionInternal>('docVersions', { key: (version) => version.id, internal: { chunks: true, bytes: true, gen: true } });

interface ChunkDoc {
  _id: string;
  versionId: string;
  gen?: string;
  index: number;
  data: Binary;
  /** Written by a create whose record was not known to be in yet (absent on chunks from before this mark). */
  pendingSince?: Date;
}

export async function mongoVersions(db: Db): Promise<VersionRepository> {
  const versions = VERSIONS.on(db);
  const chunksCol = db.collection<ChunkDoc>('docVersionChunks');
  await Promise.all([
    versions.collection.createIndex({ docId: 1, createdAt: -1, _id: -1 }),
    chunksCol.createIndex({ versionId: 1, index: 1 }),
    // The housekeeping's question: only chunks of creates not known to be finished carry it.
    chunksCol.createIndex({ pendingSince: 1 }, { sparse: true }),
  ]);
  return {
    async create(version, state) {
      const count = Math.max(1, Math.ceil(state.byteLength / VERSION_CHUNK_BYTES));
      const gen = randomUUID();
      // One at a time (a chunk may fill a batch).
      for (let index = 0; index < count; index++) {
        const part = state.subarray(index * VERSION_CHUNK_BYTES, (index + 1) * VERSION_CHUNK_BYTES);
        await chunksCol.insertOne({ _id: `${version.id}:${gen}:${index}`, versionId: version.id, gen, index, data: new Binary(part), pendingSince: new Date() });
      }
      try {
        await versions.insert(version, { chunks: count, bytes: state.byteLength, gen });
      } catch (error) {
        // Refused because the id is taken (the other instance took this automatic version
        // first): this create's chunks would never be read. Only then, as after any other
        // failure the record may have been written after all and point at them.
        if (isDuplicateKey(error)) await chunksCol.deleteMany({ versionId: version.id, gen }).catch(() => undefined);
        throw error;
      }
      // Referenced now. Should this fail, the housekeeping finds the record and unmarks them.
      await chunksCol.updateMany({ versionId: version.id, gen }, { $unset: { pendingSince: '' } }).catch(() => undefined);
    },
    list: (docId) => versions.find({ docId }, { createdAt: -1, _id: -1 }),
    find: (docId, id) => versions.findOne({ _id: id, docId }),
    async state(docId, id) {
      const version = (await versions.collection.findOne({ _id: id, docId })) as Stored<VersionRecord, VersionInternal> | null;
      if (!version) return null;
      const chunks = await chunksCol.find({ versionId: id, gen: version.gen ?? { $exists: false } }).sort({ index: 1 }).toArray();
      if (chunks.length !== version.chunks) throw new Error(`Version ${id} has ${chunks.length} of its ${version.chunks} chunks`);
      const state = new Uint8Array(version.bytes);
      let offset = 0;
      for (const chunk of chunks) {
        const part = bytes(chunk.data);
        if (offset + part.byteLength > state.byteLength) throw new Error(`Version ${id} has more content than recorded`);
        state.set(part, offset);
        offset += part.byteLength;
      }
      if (offset !== version.bytes) throw new Error(`Version ${id} has ${offset} of its ${version.bytes} bytes`);
      return state;
    },
    async deleteUnreferencedContent(writtenBefore) {
      const marked = await chunksCol.find({ pendingSince: { $lt: new Date(writtenBefore) } }, { projection: { versionId: 1, gen: 1 } }).toArray();
      const creates = new Map(marked.map((chunk) => [`${chunk.versionId}:${chunk.gen}`, { versionId: chunk.versionId, gen: chunk.gen }]));
      let deleted = 0;
      for (const { versionId, gen } of creates.values()) {
        const record = await versions.collection.findOne({ _id: versionId, gen }, { projection: { _id: 1 } });
        if (record) await chunksCol.updateMany({ versionId, gen }, { $unset: { pendingSince: '' } });
        else deleted += (await chunksCol.deleteMany({ versionId, gen, pendingSince: { $exists: true } })).deletedCount;
      }
      return deleted;
    },
  };
}
