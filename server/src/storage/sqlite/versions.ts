/**
 * Versions of documents (`doc_versions`) and their content (`doc_version_states`, a table
 * of its own so that listing versions never reads a whole document per row).
 */
import type { VersionKind, VersionRecord, VersionRepository } from '../port.js';
import { json, table, text } from './table.js';
import type { Connection } from './util.js';

export const VERSIONS = table<VersionRecord>('doc_versions', {
  id: text,
  docId: text('doc_id'),
  kind: text<VersionKind>(),
  name: text,
  note: text.nullable(),
  createdAt: text('created_at'),
  createdBy: text('created_by'),
  cursor: text.nullable('history_cursor'),
  meetingId: text.nullable('meeting_id'),
  authors: json<string[]>(),
});

export function sqliteVersions({ db, statement }: Connection): VersionRepository {
  const versions = VERSIONS.on(statement);
  const create = db.transaction((version: VersionRecord, state: Uint8Array) => {
    versions.insert(version);
    statement('INSERT INTO doc_version_states (version_id, data) VALUES (?, ?)').run(version.id, state);
  });
  return {
    async create(version, state) {
      create(version, state);
    },
    async list(docId) {
      return versions.all('SELECT * FROM doc_versions WHERE doc_id = ? ORDER BY created_at DESC, id DESC', docId);
    },
    async find(docId, id) {
      return versions.get('SELECT * FROM doc_versions WHERE id = ? AND doc_id = ?', id, docId);
    },
    async state(docId, id) {
      const row = statement(
        'SELECT s.data FROM doc_version_states s JOIN doc_versions v ON v.id = s.version_id WHERE v.id = ? AND v.doc_id = ?',
      ).get(id, docId) as { data: Buffer } | undefined;
      return row ? new Uint8Array(row.data) : null;
    },
    // A version and its content are written in one transaction: nothing is ever left over.
    async deleteUnreferencedContent() {
      return 0;
    },
  };
}
