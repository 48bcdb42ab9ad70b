/**
 * The SQL of document content (update log + snapshot), used by the writer thread and for
 * reads. An append also writes each update to the document's history (`doc_history`, read
 * by history.ts) in the same transaction; compaction touches only the log and the snapshot.
 */
import type Database from 'better-sqlite3';
import { foldDocState } from '../docState.js';
import { SERVER_AUTHOR, type CompactionResult, type PendingUpdate, type StoredDocState } from '../port.js';

export interface ContentSql {
  append(batch: readonly PendingUpdate[], at: string): void;
  load(docId: string): StoredDocState;
  countUpdates(docId: string): number;
  compact(docId: string): CompactionResult;
}

export function contentSql(db: Database.Database): ContentSql {
  const insertUpdate = db.prepare('INSERT INTO doc_updates (doc_id, data) VALUES (?, ?)');
  const insertHistory = db.prepare('INSERT INTO doc_history (doc_id, user_id, at, data) VALUES (?, ?, ?, ?)');
  const touchDocument = db.prepare('UPDATE documents SET updated_at = ?, updated_by = ? WHERE id = ?');
  const selectSnapshot = db.prepare('SELECT data FROM doc_snapshots WHERE doc_id = ?');
  const selectUpdates = db.prepare('SELECT seq, data FROM doc_updates WHERE doc_id = ? ORDER BY seq');
  const countStatement = db.prepare('SELECT COUNT(*) AS n FROM doc_updates WHERE doc_id = ?');
  const upsertSnapshot = db.prepare(
    `INSERT INTO doc_snapshots (doc_id, data, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (doc_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`,
  );
  const deleteFolded = db.prepare('DELETE FROM doc_updates WHERE doc_id = ? AND seq <= ?');

  function readState(docId: string): { state: StoredDocState; lastSeq: number } {
    const snapshotRow = selectSnapshot.get(docId) as { data: Buffer } | undefined;
    const rows = selectUpdates.all(docId) as { seq: number; data: Buffer }[];
    return {
      state: {
        snapshot: snapshotRow ? new Uint8Array(snapshotRow.data) : null,
        updates: rows.map((row) => new Uint8Array(row.data)),
      },
      lastSeq: rows.length > 0 ? rows[rows.length - 1]!.seq : 0,
    };
  }

  const appendBatch = db.transaction((batch: readonly PendingUpdate[], at: string) => {
    const lastAuthor = new Map<string, string>();
    for (const update of batch) {
      insertUpdate.run(update.docId, update.data);
      insertHistory.run(update.docId, update.userId, at, update.data);
      if (update.userId !== SERVER_AUTHOR) lastAuthor.set(update.docId, update.userId);
    }
    for (const [docId, userId] of lastAuthor) touchDocument.run(at, userId, docId);
  });

  // One immediate transaction: nothing can be appended between reading and deleting, so
  // exactly the folded rows are removed.
  const compactDoc = db.transaction((docId: string): CompactionResult => {
    const { state, lastSeq } = readState(docId);
    if (state.updates.length === 0) return { foldedUpdates: 0, snapshotBytes: state.snapshot?.byteLength ?? 0 };
    const snapshot = foldDocState(state);
    upsertSnapshot.run(docId, snapshot, new Date().toISOString());
    deleteFolded.run(docId, lastSeq);
    return { foldedUpdates: state.updates.length, snapshotBytes: snapshot.byteLength };
  });

  return {
    append(batch, at) {
      if (batch.length > 0) appendBatch(batch, at);
    },
    load(docId) {
      return db.transaction(() => readState(docId).state)();
    },
    countUpdates(docId) {
      return Number((countStatement.get(docId) as { n: number }).n);
    },
    compact(docId) {
      return compactDoc.immediate(docId);
    },
  };
}
