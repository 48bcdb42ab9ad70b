import type { DocumentTemplate } from '@jane/shared';
import type { DocumentRecord, DocumentRepository } from '../port.js';
import { boolean, table, text } from './table.js';
import type { Connection, Row } from './util.js';

/** Also written by the content writer (`updated_at`, `updated_by` on appends, at most every 2 s per person: contentSql.ts). */
export const DOCUMENTS = table<DocumentRecord>('documents', {
  id: text,
  workspaceId: text('workspace_id'),
  title: text,
  template: text<DocumentTemplate>(),
  archived: boolean,
  createdAt: text('created_at'),
  createdBy: text('created_by'),
  updatedAt: text('updated_at'),
  updatedBy: text.nullable('updated_by'),
});

export function sqliteDocuments({ statement }: Connection): DocumentRepository {
  const documents = DOCUMENTS.on(statement);
  const findById = (id: string) => documents.get('SELECT * FROM documents WHERE id = ?', id);
  return {
    async create(document) {
      documents.insert(document);
    },
    async findById(id) {
      return findById(id);
    },
    async findManyByIds(ids) {
      if (ids.length === 0) return [];
      return documents.all('SELECT * FROM documents WHERE id IN (SELECT value FROM json_each(?))', JSON.stringify(ids));
    },
    async listForWorkspace(workspaceId) {
      return documents.all('SELECT * FROM documents WHERE workspace_id = ? ORDER BY updated_at DESC', workspaceId);
    },
    async countByWorkspace() {
      const rows = statement('SELECT workspace_id, COUNT(*) AS n FROM documents WHERE archived = 0 GROUP BY workspace_id').all() as Row[];
      return new Map(rows.map((row) => [String(row.workspace_id), Number(row.n)]));
    },
    async update(id, patch) {
      documents.patch({ id }, patch);
      return findById(id);
    },
  };
}
