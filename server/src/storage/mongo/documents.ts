import type { Db } from 'mongodb';
import type { DocumentRecord, DocumentRepository } from '../port.js';
import { records } from './records.js';

/** Also written by content appends (`updatedAt`, `updatedBy`: content.ts). */
export const DOCUMENTS = records<DocumentRecord>('documents', { key: (document) => document.id });

export async function mongoDocuments(db: Db): Promise<DocumentRepository> {
  const documents = DOCUMENTS.on(db);
  await documents.collection.createIndex({ workspaceId: 1, updatedAt: -1 });
  return {
    async create(document) {
      await documents.insert(document);
    },
    findById: (id) => documents.findById(id),
    async findManyByIds(ids) {
      if (ids.length === 0) return [];
      return documents.find({ _id: { $in: [...ids] } });
    },
    listForWorkspace: (workspaceId) => documents.find({ workspaceId }, { updatedAt: -1 }),
    async countByWorkspace() {
      const rows = await documents.collection
        .aggregate<{ _id: string; n: number }>([{ $match: { archived: false } }, { $group: { _id: '$workspaceId', n: { $sum: 1 } } }])
        .toArray();
      return new Map(rows.map((row) => [row._id, row.n]));
    },
    async update(id, patch) {
      await documents.patch(id, patch);
      return documents.findById(id);
    },
  };
}
