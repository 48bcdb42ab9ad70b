/**
 * The SQL of document content, used by the writer thread and for reads.
 *
 * A document's content is its snapshot plus its update log, and the log is the tail of
 * its authored history: the `doc_history` entries after `doc_log_start.history_id`. An
 * append therefore writes one row per update (the history entry, with its author and
 * time) and compaction folds the log into the snapshot and moves the start, deleting
 * nothing from the history. `doc_updates` holds only what was logged before the log
 * became the history's tail (read, then emptied by the next compaction).
 */
import type Database from 'better-sqlite3';
import { foldDocState } from '../docState.js';
import { SERVER_AUTHOR, type CompactionResult, type PendingUpdate, type StoredDocState } from '../port.js';

/**
 * A document's "last edited" (time and person, shown in the documents list) is written at
 * most this often while one person keeps typing; a change of person is written at once,
 * and what was held back is written by {@link ContentSql.flushTouches}.
 */
export const TOUCH_EVERY_MS = 2_000;

export interface ContentSql {
  append(batch: readonly PendingUpdate[], at: string): void;
  load(docId: string): StoredDocState;
  countUpdates(docId: string): number;
  compact(docId: string): CompactionResult;
  /** Writes the "last edited" times that append held back; returns how many it wrote. */
  flushTouches(): number;
}

interface DocumentRows {
  state: StoredDocState;
  /** Last `doc_updates` seq read (0: none). */
  lastSeq: number;
  /** Where the log now starts: the newest history entry read, or the stored start. */
  logStart: number;
}

export function contentSql(db: Database.Database): ContentSql {
  const insertHistory = db.prepare('INSERT INTO doc_history (doc_id, user_id, at, data) VALUES (?, ?, ?, ?)');
  const touchDocument = db.prepare('UPDATE documents SET updated_at = ?, updated_by = ? WHERE id = ?');
  const selectSnapshot = db.prepare('SELECT data FROM doc_snapshots WHERE doc_id = ?');
  const selectLogStart = db.prepare('SELECT history_id FROM doc_log_start WHERE doc_id = ?').pluck();
  const selectLegacy = db.prepare('SELECT seq, data FROM doc_updates WHERE doc_id = ? ORDER BY seq');
  const selectLog = db.prepare('SELECT id, data FROM doc_history WHERE doc_id = ? AND id > ? ORDER BY id');
  const countLegacy = db.prepare('SELECT COUNT(*) FROM doc_updates WHERE doc_id = ?').pluck();
  const countLog = db.prepare('SELECT COUNT(*) FROM doc_history WHERE doc_id = ? AND id > ?').pluck();
  const upsertSnapshot = db.prepare(
    `INSERT INTO doc_snapshots (doc_id, data, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (doc_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`,
  );
  const upsertLogStart = db.prepare(
    `INSERT INTO doc_log_start (doc_id, history_id) VALUES (?, ?)
     ON CONFLICT (doc_id) DO UPDATE SET history_id = excluded.history_id`,
  );
  const deleteLegacy = db.prepare('DELETE FROM doc_updates WHERE doc_id = ? AND seq <= ?');

  const logStartOf = (docId: string) => Number((selectLogStart.get(docId) as number | undefined) ?? 0);

  function readRows(docId: string): DocumentRows {
    const snapshotRow = selectSnapshot.get(docId) as { data: Buffer } | undefined;
    const legacy = selectLegacy.all(docId) as { seq: number; data: Buffer }[];
    const start = logStartOf(docId);
    const log = selectLog.all(docId, start) as { id: number; data: Buffer }[];
    return {
      state: {
        snapshot: snapshotRow ? new Uint8Array(snapshotRow.data) : null,
        updates: legacy.map((row) => new Uint8Array(row.data)).concat(log.map((row) => new Uint8Array(row.data))),
      },
      lastSeq: legacy.length > 0 ? legacy[legacy.length - 1]!.seq : 0,
      logStart: log.length > 0 ? log[log.length - 1]!.id : start,
    };
  }

  // "Last edited" per document: what was written (when, by whom) and what is held back.
  const touched = new Map<string, { ms: number; userId: string }>();
  const heldTouches = new Map<string, { at: string; userId: string }>();

  function touch(docId: string, userId: string, at: string, nowMs: number): void {
    const last = touched.get(docId);
    if (last && last.userId === userId && nowMs - last.ms < TOUCH_EVERY_MS) {
      heldTouches.set(docId, { at, userId });
      return;
    }
    touchDocument.run(at, userId, docId);
    touched.set(docId, { ms: nowMs, userId });
    heldTouches.delete(docId);
  }

  const appendBatch = db.transaction((batch: readonly PendingUpdate[], at: string) => {
    const lastAuthor = new Map<string, string>();
    for (const update of batch) {
      insertHistory.run(update.docId, update.userId, at, update.data);
      if (update.userId !== SERVER_AUTHOR) lastAuthor.set(update.docId, update.userId);
    }
    const nowMs = Date.now();
    for (const [docId, userId] of lastAuthor) touch(docId, userId, at, nowMs);
  });

  const writeHeldTouches = db.transaction(() => {
    const held = [...heldTouches];
    heldTouches.clear();
    const nowMs = Date.now();
    for (const [docId, { at, userId }] of held) {
      touchDocument.run(at, userId, docId);
      touched.set(docId, { ms: nowMs, userId });
    }
    return held.length;
  });

  // One immediate transaction: nothing can be appended between reading and moving the
  // start, so exactly the folded entries are left behind it.
  const compactDoc = db.transaction((docId: string): CompactionResult => {
    const { state, lastSeq, logStart } = readRows(docId);
    if (state.updates.length === 0) return { foldedUpdates: 0, snapshotBytes: state.snapshot?.byteLength ?? 0 };
    const snapshot = foldDocState(state);
    upsertSnapshot.run(docId, snapshot, new Date().toISOString());
    upsertLogStart.run(docId, logStart);
    if (lastSeq > 0) deleteLegacy.run(docId, lastSeq);
    return { foldedUpdates: state.updates.length, snapshotBytes: snapshot.byteLength };
  });

  return {
    append(batch, at) {
      if (batch.length > 0) appendBatch(batch, at);
    },
    load(docId) {
      return db.transaction(() => readRows(docId).state)();
    },
    countUpdates(docId) {
      return db.transaction(() => Number(countLegacy.get(docId)) + Number(countLog.get(docId, logStartOf(docId))))();
    },
    compact(docId) {
      return compactDoc.immediate(docId);
    },
    flushTouches() {
      return heldTouches.size > 0 ? writeHeldTouches() : 0;
    },
  };
}
