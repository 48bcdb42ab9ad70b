/**
 * The column lists against the schema the migrations build: a column missing from a
 * list, or listed but not in the table, shows up here rather than at the first insert.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../test/helpers/tempDir.js';
import { openMigratedDatabase } from './database.js';
import { DOCUMENTS } from './documents.js';
import { INVITATIONS } from './invitations.js';
import { ATTENDEES, INTERVALS, MEETINGS } from './meetings.js';
import { MEMBERSHIPS } from './memberships.js';
import { NOTIFICATIONS } from './notifications.js';
import { SESSIONS } from './sessions.js';
import { boolean, json, table, text } from './table.js';
import { COMMENTS, THREADS } from './threads.js';
import { SECTION_EVENTS, SECTIONS } from './sections.js';
import { USERS } from './users.js';
import { WORKSPACES } from './workspaces.js';

/** Columns that are deliberately not part of the record. */
const NOT_IN_RECORD: Record<string, string[]> = {
  // Autoincrement: orders intervals that start at the same time.
  meeting_intervals: ['id'],
};

describe('sqlite column lists', () => {
  const temp = makeTempDir();
  const { db } = openMigratedDatabase(temp.dir);
  afterAll(() => {
    db.close();
    temp.remove();
  });

  it.each([USERS, SESSIONS, INVITATIONS, WORKSPACES, MEMBERSHIPS, DOCUMENTS, MEETINGS, ATTENDEES, INTERVALS, THREADS, COMMENTS, NOTIFICATIONS, SECTIONS, SECTION_EVENTS])(
    'lists every column of $name',
    (declared) => {
      const schema = (db.pragma(`table_info(${declared.name})`) as { name: string }[]).map((column) => column.name);
      const expected = schema.filter((column) => !(NOT_IN_RECORD[declared.name] ?? []).includes(column));
      expect([...declared.columns].sort()).toEqual(expected.sort());
    },
  );

  it('derives the insert, the mapper and the patch from one list', () => {
    interface Item {
      id: string;
      workspaceId: string;
      done: boolean;
      tags: string[];
      note: string | null;
    }
    const items = table<Item>('items', { id: text, workspaceId: text('workspace_id'), done: boolean, tags: json<string[]>(), note: text.nullable });
    expect(items.insertSql).toBe('INSERT INTO items (id, workspace_id, done, tags, note) VALUES (@id, @workspaceId, @done, @tags, @note)');
    const item: Item = { id: 'i1', workspaceId: 'w1', done: true, tags: ['a'], note: null };
    expect(items.params(item)).toEqual({ id: 'i1', workspaceId: 'w1', done: 1, tags: '["a"]', note: null });
    expect(items.record({ id: 'i1', workspace_id: 'w1', done: 1, tags: '["a"]', note: null, extra: 'ignored' })).toEqual(item);
    // Undefined fields and the key's own fields are left alone; null is written.
    expect(items.patchSql({ id: 'i1' }, { id: 'other', done: false, tags: undefined, note: null })).toEqual({
      sql: 'UPDATE items SET done = @done, note = @note WHERE id = @key_id',
      params: { key_id: 'i1', done: 0, note: null },
    });
    expect(items.patchSql({ id: 'i1' }, { tags: undefined })).toBeNull();
  });
});
