/**
 * Authored history (`doc_history`). Entries are written by `content.append`, on the writer
 * thread; their tail is the document's update log (contentSql.ts); this file reads them
 * on the main connection, like `content.load`, and writes only the baseline. The cursor is
 * the row id as a decimal string: ids only grow (AUTOINCREMENT never reuses one), so they
 * order a document's entries, and ranges compare them as numbers.
 */
import { SERVER_AUTHOR, type HistoryEntry, type HistoryRepository } from '../port.js';
import type { Connection } from './util.js';

interface HistoryRow {
  id: number;
  doc_id: string;
  user_id: string;
  at: string;
  data: Buffer;
}

/** The row id of a cursor; anything but one of ours is an error, not an empty range. */
function rowId(cursor: string): number {
  if (!/^[1-9][0-9]{0,15}$/.test(cursor) || !Number.isSafeInteger(Number(cursor))) throw new Error(`Not a history cursor: ${cursor}`);
  return Number(cursor);
}

function entry(row: HistoryRow): HistoryEntry {
  return { cursor: String(row.id), docId: row.doc_id, userId: row.user_id, at: row.at, data: new Uint8Array(row.data) };
}

export function sqliteHistory({ db, statement }: Connection): HistoryRepository {
  const ensureBaseline = db.transaction((docId: string, state: Uint8Array, at: string): boolean => {
    if (statement('SELECT 1 FROM doc_history WHERE doc_id = ? LIMIT 1').get(docId)) return false;
    const { lastInsertRowid } = statement('INSERT INTO doc_history (doc_id, user_id, at, data) VALUES (?, ?, ?, ?)').run(docId, SERVER_AUTHOR, at, state);
    // The baseline is the content itself: the document's log starts after it.
    statement(
      `INSERT INTO doc_log_start (doc_id, history_id) VALUES (?, ?)
       ON CONFLICT (doc_id) DO UPDATE SET history_id = MAX(history_id, excluded.history_id)`,
    ).run(docId, lastInsertRowid);
    return true;
  });
  return {
    async list(docId, range = {}) {
      const after = range.after == null ? 0 : rowId(range.after);
      const upTo = range.upTo == null ? Number.MAX_SAFE_INTEGER : rowId(range.upTo);
      const rows = statement('SELECT id, doc_id, user_id, at, data FROM doc_history WHERE doc_id = ? AND id > ? AND id <= ? ORDER BY id').all(docId, after, upTo);
      return (rows as HistoryRow[]).map(entry);
    },
    async latest(docId) {
      const row = statement('SELECT MAX(id) AS id FROM doc_history WHERE doc_id = ?').get(docId) as { id: number | null };
      return row.id === null ? null : String(row.id);
    },
    async ensureBaseline(docId, state, at) {
      // Immediate: no append can land between the emptiness check and the insert.
      return ensureBaseline.immediate(docId, state, at);
    },
    async documentsWithoutHistory() {
      const rows = statement(
        `SELECT doc_id FROM (SELECT doc_id FROM doc_snapshots UNION SELECT doc_id FROM doc_updates) AS content
         WHERE NOT EXISTS (SELECT 1 FROM doc_history WHERE doc_history.doc_id = content.doc_id)
         ORDER BY doc_id`,
      ).all() as { doc_id: string }[];
      return rows.map((row) => row.doc_id);
    },
    async bytes(docId) {
      const row = statement('SELECT COALESCE(SUM(LENGTH(data)), 0) AS n FROM doc_history WHERE doc_id = ?').get(docId) as { n: number };
      return Number(row.n);
    },
  };
}
