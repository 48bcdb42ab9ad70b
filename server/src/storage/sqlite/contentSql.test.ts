/**
 * The embedded store's content SQL on a real SQLite file: the log is the history's tail
 * (one row per update), a store from before that keeps its content through the
 * migration, and "last edited" is written at most every TOUCH_EVERY_MS per person.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { makeTempDir } from '../../../test/helpers/tempDir.js';
import { foldDocState } from '../docState.js';
import { contentSql } from './contentSql.js';
import { DATABASE_FILE, openDatabase, openMigratedDatabase } from './database.js';
import { SQLITE_MIGRATIONS } from './migrations.js';

const temps: { remove(): void }[] = [];
afterEach(() => {
  for (const temp of temps.splice(0)) temp.remove();
});

function typed(doc: Y.Doc, text: string): Uint8Array[] {
  const updates: Uint8Array[] = [];
  const collect = (update: Uint8Array) => updates.push(update);
  doc.on('update', collect);
  for (const char of text) doc.getText('t').insert(doc.getText('t').length, char);
  doc.off('update', collect);
  return updates;
}

function textOf(state: Uint8Array): string {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc.getText('t').toString();
}

function addDocument(db: Database.Database, id: string, at: string): void {
  db.prepare(
    `INSERT INTO workspaces (id, kind, title, created_at) VALUES ('w', 'network', 'W', ?) ON CONFLICT DO NOTHING`,
  ).run(at);
  db.prepare(`INSERT INTO documents (id, workspace_id, title, template, created_at, created_by, updated_at, updated_by) VALUES (?, 'w', 'T', 'blank', ?, 'ua', ?, NULL)`).run(id, at, at);
}

describe('SQLite content: the log is the tail of the history', () => {
  it('writes one row per update, loads snapshot + tail, and compaction moves the start without deleting history', () => {
    const temp = makeTempDir();
    temps.push(temp);
    const { db } = openMigratedDatabase(temp.dir);
    const sql = contentSql(db);
    const doc = new Y.Doc();
    const first = typed(doc, 'abc');
    sql.append(first.map((data) => ({ docId: 'd1', data, userId: 'u1' })), '2026-12-01T10:00:00.000Z');
    expect(Number(db.prepare('SELECT COUNT(*) FROM doc_history').pluck().get())).toBe(3);
    expect(Number(db.prepare('SELECT COUNT(*) FROM doc_updates').pluck().get())).toBe(0);
    expect(sql.countUpdates('d1')).toBe(3);

    expect(sql.compact('d1').foldedUpdates).toBe(3);
    expect(sql.countUpdates('d1')).toBe(0);
    sql.append(typed(doc, 'de').map((data) => ({ docId: 'd1', data, userId: 'u2' })), '2026-12-01T10:01:00.000Z');
    expect(sql.countUpdates('d1')).toBe(2);
    const loaded = sql.load('d1');
    expect(loaded.updates).toHaveLength(2);
    expect(textOf(foldDocState(loaded))).toBe('abcde');
    // The history keeps every authored update.
    expect(Number(db.prepare('SELECT COUNT(*) FROM doc_history WHERE doc_id = ?').pluck().get('d1'))).toBe(5);
    db.close();
  });

  it('a store from before (log in doc_updates, history beside it) keeps its content through the migration and compacts it away', () => {
    const temp = makeTempDir();
    temps.push(temp);
    const file = path.join(temp.dir, DATABASE_FILE);
    // The schema of the previous version, and content written the way it wrote it.
    const old = openDatabase(file);
    for (let version = 0; version < SQLITE_MIGRATIONS.length - 1; version++) old.exec(SQLITE_MIGRATIONS[version]!);
    old.pragma(`user_version = ${SQLITE_MIGRATIONS.length - 1}`);
    const doc = new Y.Doc();
    for (const data of typed(doc, 'old text')) {
      old.prepare('INSERT INTO doc_updates (doc_id, data) VALUES (?, ?)').run('d1', data);
      old.prepare('INSERT INTO doc_history (doc_id, user_id, at, data) VALUES (?, ?, ?, ?)').run('d1', 'u1', '2026-11-01T00:00:00.000Z', data);
    }
    old.close();

    const { db } = openMigratedDatabase(temp.dir);
    const sql = contentSql(db);
    // The old log is the log; its history entries are not counted twice.
    expect(sql.countUpdates('d1')).toBe(8);
    sql.append(typed(doc, '!').map((data) => ({ docId: 'd1', data, userId: 'u2' })), '2026-12-01T10:00:00.000Z');
    expect(sql.countUpdates('d1')).toBe(9);
    expect(textOf(foldDocState(sql.load('d1')))).toBe('old text!');
    expect(sql.compact('d1').foldedUpdates).toBe(9);
    expect(Number(db.prepare('SELECT COUNT(*) FROM doc_updates').pluck().get())).toBe(0);
    expect(textOf(foldDocState(sql.load('d1')))).toBe('old text!');
    db.close();
  });

  it('"last edited" follows a typist at most every 2 s, a new person at once, and what was held back on flush', () => {
    const temp = makeTempDir();
    temps.push(temp);
    const { db } = openMigratedDatabase(temp.dir);
    addDocument(db, 'd1', '2026-12-01T09:00:00.000Z');
    const sql = contentSql(db);
    const doc = new Y.Doc();
    const lastEdited = () => db.prepare('SELECT updated_at AS at, updated_by AS by FROM documents WHERE id = ?').get('d1');
    const [a, b, c, d] = typed(doc, 'abcd');
    sql.append([{ docId: 'd1', data: a!, userId: 'u1' }], '2026-12-01T10:00:00.000Z');
    expect(lastEdited()).toEqual({ at: '2026-12-01T10:00:00.000Z', by: 'u1' });
    sql.append([{ docId: 'd1', data: b!, userId: 'u1' }], '2026-12-01T10:00:00.500Z');
    expect(lastEdited()).toEqual({ at: '2026-12-01T10:00:00.000Z', by: 'u1' });
    sql.append([{ docId: 'd1', data: c!, userId: 'u2' }], '2026-12-01T10:00:00.600Z');
    expect(lastEdited()).toEqual({ at: '2026-12-01T10:00:00.600Z', by: 'u2' });
    sql.append([{ docId: 'd1', data: d!, userId: 'u2' }], '2026-12-01T10:00:00.700Z');
    expect(sql.flushTouches()).toBe(1);
    expect(lastEdited()).toEqual({ at: '2026-12-01T10:00:00.700Z', by: 'u2' });
    expect(sql.flushTouches()).toBe(0);
    db.close();
  });
});
