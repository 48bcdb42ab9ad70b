import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SQLITE_MIGRATIONS } from './migrations.js';

export const DATABASE_FILE = 'jane.sqlite';

/**
 * Opens the database with the settings every connection needs: WAL (readers never wait
 * for the writer) and `synchronous = FULL` (a committed transaction survives a power cut).
 */
export function openDatabase(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}

/** Opens (creating if needed) `<dataDir>/jane.sqlite` and brings its schema up to date. */
export function openMigratedDatabase(dataDir: string): { db: Database.Database; file: string } {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, DATABASE_FILE);
  const db = openDatabase(file);
  const current = Number(db.pragma('user_version', { simple: true }));
  for (let version = current; version < SQLITE_MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(SQLITE_MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
  return { db, file };
}
