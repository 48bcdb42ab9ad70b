/**
 * The embedded store: one SQLite file (`<DATA_DIR>/jane.sqlite`) through better-sqlite3,
 * in WAL mode with `synchronous = FULL` so that a committed transaction survives a
 * power cut, not just a process crash. better-sqlite3 is synchronous; the adapter keeps
 * the async port so callers cannot tell it from the MongoDB adapter.
 *
 * One file per repository; each table's columns are declared once there (see table.ts).
 */
import type { Store } from '../port.js';
import { sqliteContent } from './content.js';
import { openMigratedDatabase } from './database.js';
import { sqliteDocuments } from './documents.js';
import { sqliteHistory } from './history.js';
import { sqliteInvitations } from './invitations.js';
import { sqliteMeetings } from './meetings.js';
import { sqliteMemberships } from './memberships.js';
import { sqliteNotifications } from './notifications.js';
import { sqliteSections } from './sections.js';
import { sqliteSessions } from './sessions.js';
import { sqliteThreads } from './threads.js';
import { sqliteUsers } from './users.js';
import { statementCache, type Connection } from './util.js';
import { sqliteVersions } from './versions.js';
import { sqliteVisits } from './visits.js';
import { sqliteWorkspaces } from './workspaces.js';

export interface SqliteStoreOptions {
  /** Directory for `jane.sqlite`; created if missing. */
  dataDir: string;
}

export function openSqliteStore(options: SqliteStoreOptions): Store {
  const { db, file } = openMigratedDatabase(options.dataDir);
  // One statement cache for the connection: every repository's SQL is prepared once.
  const connection: Connection = { db, statement: statementCache(db) };
  const content = sqliteContent(connection, file);

  return {
    kind: 'sqlite',
    users: sqliteUsers(connection),
    sessions: sqliteSessions(connection),
    invitations: sqliteInvitations(connection),
    workspaces: sqliteWorkspaces(connection),
    memberships: sqliteMemberships(connection),
    documents: sqliteDocuments(connection),
    content: content.content,
    meetings: sqliteMeetings(connection),
    threads: sqliteThreads(connection),
    notifications: sqliteNotifications(connection),
    sections: sqliteSections(connection),
    history: sqliteHistory(connection),
    versions: sqliteVersions(connection),
    visits: sqliteVisits(connection),
    async ping() {
      connection.statement('SELECT 1').get();
    },
    async close() {
      await content.close();
      if (db.open) db.close();
    },
  };
}
