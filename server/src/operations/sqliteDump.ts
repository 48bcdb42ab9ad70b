/**
 * The embedded store as a dump and back: reads every table of a SQLite file inside one
 * read transaction (WAL gives it a snapshot: the server may keep writing meanwhile), and
 * writes a dump into an empty data directory.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { foldDocState } from '../storage/docState.js';
import { contentSql } from '../storage/sqlite/contentSql.js';
import { DATABASE_FILE, openMigratedDatabase } from '../storage/sqlite/database.js';
import { SQLITE_MIGRATIONS } from '../storage/sqlite/migrations.js';
import { DOCUMENTS } from '../storage/sqlite/documents.js';
import { INVITATIONS } from '../storage/sqlite/invitations.js';
import { ATTENDEES, INTERVALS, MEETINGS } from '../storage/sqlite/meetings.js';
import { MEMBERSHIPS } from '../storage/sqlite/memberships.js';
import { NOTIFICATIONS } from '../storage/sqlite/notifications.js';
import { SECTION_EVENTS, SECTIONS } from '../storage/sqlite/sections.js';
import { SESSIONS } from '../storage/sqlite/sessions.js';
import { COMMENTS, THREADS } from '../storage/sqlite/threads.js';
import { USERS } from '../storage/sqlite/users.js';
import { VERSIONS } from '../storage/sqlite/versions.js';
import { VISITS } from '../storage/sqlite/visits.js';
import { WORKSPACES } from '../storage/sqlite/workspaces.js';
import type { Table } from '../storage/sqlite/table.js';
import type { Row } from '../storage/sqlite/util.js';
import { emptyCounts, type DumpCounts, type DumpEntry, type DumpKind } from './dumpFormat.js';

/** Documents with content: a snapshot, a log from before the log was the history's tail, or history. */
const DOCUMENTS_WITH_CONTENT = 'SELECT doc_id FROM doc_snapshots UNION SELECT doc_id FROM doc_updates UNION SELECT doc_id FROM doc_history';

/** Every table, for the emptiness check and the counts. */
export const SQLITE_TABLES = [
  'users', 'sessions', 'invitations', 'workspaces', 'memberships', 'documents', 'doc_updates', 'doc_snapshots', 'doc_log_start', 'doc_history',
  'doc_versions', 'doc_version_states', 'doc_visits', 'meetings', 'meeting_attendees', 'meeting_intervals', 'threads', 'comments',
  'notifications', 'sections', 'section_events',
] as const;

/** Plain record tables in dump order, with the order rows are read in. */
const RECORD_TABLES: [DumpKind, Table<never>, string][] = [
  ['users', USERS as Table<never>, 'rowid'],
  ['sessions', SESSIONS as Table<never>, 'rowid'],
  ['invitations', INVITATIONS as Table<never>, 'rowid'],
  ['workspaces', WORKSPACES as Table<never>, 'created_at, rowid'],
  ['memberships', MEMBERSHIPS as Table<never>, 'rowid'],
  ['documents', DOCUMENTS as Table<never>, 'rowid'],
  ['meetings', MEETINGS as Table<never>, 'rowid'],
  ['attendees', ATTENDEES as Table<never>, 'rowid'],
  ['intervals', INTERVALS as Table<never>, 'id'],
  ['threads', THREADS as Table<never>, 'created_at, rowid'],
  ['comments', COMMENTS as Table<never>, 'created_at, rowid'],
  ['notifications', NOTIFICATIONS as Table<never>, 'created_at, rowid'],
  ['sections', SECTIONS as Table<never>, 'rowid'],
  ['sectionEvents', SECTION_EVENTS as Table<never>, 'at, rowid'],
];

function checkSchema(db: Database.Database, file: string): void {
  const version = Number(db.pragma('user_version', { simple: true }));
  if (version !== SQLITE_MIGRATIONS.length) {
    throw new Error(`${file} has schema version ${version}, this server ${SQLITE_MIGRATIONS.length}: start the server once on it (it migrates the schema), then try again.`);
  }
}

/**
 * Every record of the SQLite file, in dump order, from one read transaction: a consistent
 * snapshot of the store even while a server writes to it.
 */
export async function* readSqliteDump(file: string): AsyncGenerator<DumpEntry> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    checkSchema(db, file);
    db.exec('BEGIN');
    for (const [kind, table, order] of RECORD_TABLES) {
      for (const row of db.prepare(`SELECT * FROM ${table.name} ORDER BY ${order}`).all() as Row[]) {
        yield { kind, record: table.record(row) } as DumpEntry;
      }
    }
    const docIds = db.prepare(`${DOCUMENTS_WITH_CONTENT} ORDER BY doc_id`).pluck().all() as string[];
    const content = contentSql(db);
    for (const docId of docIds) yield { kind: 'content', record: { docId, state: foldDocState(content.load(docId)) } };
    const history = db.prepare('SELECT id, doc_id, user_id, at, data FROM doc_history ORDER BY id').all() as { id: number; doc_id: string; user_id: string; at: string; data: Buffer }[];
    for (const row of history) {
      yield { kind: 'history', record: { cursor: String(row.id), docId: row.doc_id, userId: row.user_id, at: row.at, data: new Uint8Array(row.data) } };
    }
    const versionIds = db.prepare('SELECT id FROM doc_versions ORDER BY created_at, id').pluck().all() as string[];
    const version = db.prepare('SELECT * FROM doc_versions WHERE id = ?');
    const versionState = db.prepare('SELECT data FROM doc_version_states WHERE version_id = ?').pluck();
    for (const id of versionIds) {
      const state = versionState.get(id) as Buffer | undefined;
      if (!state) continue; // cannot happen (written together); a version without content is not restorable
      yield { kind: 'versions', record: { record: VERSIONS.record(version.get(id) as Row), state: new Uint8Array(state) } };
    }
    for (const row of db.prepare('SELECT * FROM doc_visits ORDER BY rowid').all() as Row[]) yield { kind: 'visits', record: VISITS.record(row) };
    db.exec('COMMIT');
  } finally {
    db.close();
  }
}

/** Rows per table (the emptiness check, and the check after a restore). */
export function countSqliteTables(db: Database.Database): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(SQLITE_TABLES.map((name) => [name, Number(db.prepare(`SELECT COUNT(*) FROM ${name}`).pluck().get())]));
  // Documents with content: a snapshot, or only an update log (never compacted yet).
  counts.documents_with_content = Number(db.prepare(`SELECT COUNT(*) FROM (${DOCUMENTS_WITH_CONTENT})`).pluck().get());
  return counts;
}

export function describeNonEmpty(counts: Record<string, number>): string | null {
  const filled = Object.entries(counts).filter(([, n]) => n > 0);
  return filled.length === 0 ? null : filled.map(([name, n]) => `${name}: ${n}`).join(', ');
}

/** Refuses a data directory whose database holds anything. */
export function assertEmptySqlite(dataDir: string): void {
  const file = path.join(dataDir, DATABASE_FILE);
  if (!fs.existsSync(file)) return;
  const db = new Database(file, { readonly: true });
  try {
    const tables = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);
    const counts = Object.fromEntries(SQLITE_TABLES.filter((t) => tables.has(t)).map((t) => [t, Number(db.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get())]));
    const filled = describeNonEmpty(counts);
    if (filled) throw new Error(`The SQLite store in ${dataDir} is not empty (${filled}). Restore only into an empty store: point DATA_DIR at a new directory.`);
  } finally {
    db.close();
  }
}

/** The counts a dump's kinds should have in SQLite tables, to verify a restore. */
export function sqliteCountsAsDump(counts: Record<string, number>): Partial<DumpCounts> {
  return {
    users: counts.users, sessions: counts.sessions, invitations: counts.invitations, workspaces: counts.workspaces,
    memberships: counts.memberships, documents: counts.documents, meetings: counts.meetings, attendees: counts.meeting_attendees,
    intervals: counts.meeting_intervals, threads: counts.threads, comments: counts.comments, notifications: counts.notifications,
    sections: counts.sections, sectionEvents: counts.section_events, content: counts.documents_with_content, history: counts.doc_history,
    versions: counts.doc_versions, visits: counts.doc_visits,
  };
}

const RECORD_TABLE_BY_KIND = new Map(RECORD_TABLES.map(([kind, table]) => [kind, table]));

/**
 * Writes a dump into `dataDir` (which must hold no data), in one transaction: a failed
 * restore leaves the directory as empty as it was. History cursors from SQLite are kept;
 * cursors from MongoDB become new row ids in the same order.
 */
export async function writeSqliteDump(dataDir: string, entries: AsyncIterable<DumpEntry>): Promise<DumpCounts> {
  assertEmptySqlite(dataDir);
  const { db } = openMigratedDatabase(dataDir);
  const counts = emptyCounts();
  try {
    const filled = describeNonEmpty(countSqliteTables(db));
    if (filled) throw new Error(`The SQLite store in ${dataDir} is not empty (${filled}).`);
    // A faithful copy: MongoDB has no foreign keys, and a dump of a live store may hold a
    // session of an account created a moment after the accounts were read.
    db.pragma('foreign_keys = OFF');
    const cursors = new Map<string, string>();
    const latestByDoc = new Map<string, string>();
    const mapCursor = (docId: string, cursor: string | null) => (cursor === null ? null : (cursors.get(cursor) ?? latestByDoc.get(docId) ?? null));
    const insertSnapshot = db.prepare('INSERT INTO doc_snapshots (doc_id, data, updated_at) VALUES (?, ?, ?)');
    const insertHistory = db.prepare('INSERT INTO doc_history (id, doc_id, user_id, at, data) VALUES (?, ?, ?, ?, ?)');
    const insertVersionState = db.prepare('INSERT INTO doc_version_states (version_id, data) VALUES (?, ?)');
    const now = new Date().toISOString();
    db.exec('BEGIN');
    try {
      for await (const entry of entries) {
        counts[entry.kind]++;
        switch (entry.kind) {
          case 'content':
            insertSnapshot.run(entry.record.docId, entry.record.state, now);
            break;
          case 'history': {
            const { cursor, docId, userId, at, data } = entry.record;
            const id = /^[1-9][0-9]{0,15}$/.test(cursor) ? Number(cursor) : null;
            const result = insertHistory.run(id, docId, userId, at, data);
            const mapped = String(result.lastInsertRowid);
            cursors.set(cursor, mapped);
            latestByDoc.set(docId, mapped);
            break;
          }
          case 'versions': {
            const record = { ...entry.record.record, cursor: mapCursor(entry.record.record.docId, entry.record.record.cursor) };
            db.prepare(VERSIONS.insertSql).run(VERSIONS.params(record));
            insertVersionState.run(record.id, entry.record.state);
            break;
          }
          case 'visits': {
            const record = { ...entry.record, cursor: mapCursor(entry.record.docId, entry.record.cursor) };
            db.prepare(VISITS.insertSql).run(VISITS.params(record));
            break;
          }
          default: {
            const table = RECORD_TABLE_BY_KIND.get(entry.kind)!;
            db.prepare(table.insertSql).run(table.params(entry.record as never));
          }
        }
      }
      // Every restored history entry is in the restored content: each log starts after them.
      db.exec('INSERT INTO doc_log_start (doc_id, history_id) SELECT doc_id, MAX(id) FROM doc_history GROUP BY doc_id');
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
    return counts;
  } finally {
    db.close();
  }
}

/**
 * A consistent copy of the live database file through SQLite's online backup API: pages
 * are copied from one read snapshot, so it is consistent with WAL while the server writes.
 */
export async function backupSqlite(dataDir: string, target: string): Promise<void> {
  const file = path.join(dataDir, DATABASE_FILE);
  if (!fs.existsSync(file)) throw new Error(`There is no database at ${file}: is DATA_DIR right?`);
  if (fs.existsSync(target)) throw new Error(`${target} exists already; choose a new file name.`);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    // A write by another connection (the server) between two steps restarts the copy; after
    // the first step, copy every remaining page in one step, from one read snapshot (WAL
    // lets the server write meanwhile), so that typing cannot keep restarting it.
    await db.backup(target, { progress: ({ totalPages }) => Math.max(totalPages, 100) });
  } finally {
    db.close();
  }
  const copy = new Database(target, { readonly: true });
  try {
    const check = copy.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`The backup ${target} failed its integrity check: ${String(check)}`);
  } finally {
    copy.close();
  }
}

/** Restores a SQLite backup file as the database of an empty data directory. */
export function restoreSqliteFile(backup: string, dataDir: string): Record<string, number> {
  assertEmptySqlite(dataDir);
  const source = new Database(backup, { readonly: true, fileMustExist: true });
  try {
    const check = source.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new Error(`${backup} failed SQLite's integrity check: ${String(check)}`);
  } finally {
    source.close();
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, DATABASE_FILE);
  // The empty database a server may have created (and its WAL) gives way to the backup.
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
  fs.copyFileSync(backup, file);
  const { db } = openMigratedDatabase(dataDir);
  try {
    return countSqliteTables(db);
  } finally {
    db.close();
  }
}
