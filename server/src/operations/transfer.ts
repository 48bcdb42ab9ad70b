/**
 * Backup, restore and migration between stores, on top of the dump (dumpFormat.ts) and
 * the SQLite file backup. The scripts in server/scripts/ are thin command lines over these.
 *
 * - SQLite store: a backup is a copy of the database file made with SQLite's online backup
 *   API (`<name>.sqlite`); `--dump` gives the portable dump instead.
 * - MongoDB store: a backup is the portable dump (`<name>.jsonl.gz`).
 * - A restore takes either kind of file into the configured store, which must be empty:
 *   a SQLite file into SQLite is copied as it is; anything else goes through the dump.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Config } from '../config.js';
import { DATABASE_FILE, openMigratedDatabase } from '../storage/sqlite/database.js';
import { DUMP_KINDS, isDumpFile, readDumpFile, writeDumpFile, type DumpCounts, type DumpEntry } from './dumpFormat.js';
import { connectMongo, countMongoCollections, mongoCountsAsDump, readMongoDump, writeMongoDump } from './mongoDump.js';
import { backupSqlite, countSqliteTables, readSqliteDump, restoreSqliteFile, sqliteCountsAsDump, writeSqliteDump } from './sqliteDump.js';

type StoreConfig = Pick<Config, 'dataDir' | 'mongodbUri'>;

export interface BackupResult {
  file: string;
  format: 'sqlite' | 'dump';
  counts: DumpCounts | null;
}

/** A file name for a backup taken now, e.g. `jane-backup-2026-12-01T17-20-00Z.jsonl.gz`. */
export function defaultBackupName(format: 'sqlite' | 'dump'): string {
  const stamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z').replaceAll(':', '-');
  return `jane-backup-${stamp}.${format === 'sqlite' ? 'sqlite' : 'jsonl.gz'}`;
}

/** The configured store's records in dump order. */
export function readStore(config: StoreConfig): AsyncGenerator<DumpEntry> {
  if (config.mongodbUri) return readMongoDump(config.mongodbUri);
  return readSqliteDump(path.join(config.dataDir, DATABASE_FILE));
}

/** Backs up the configured store while the server runs (see the top of this file). */
export async function backup(config: StoreConfig, file: string | null, options: { dump?: boolean } = {}): Promise<BackupResult> {
  const format = config.mongodbUri || options.dump ? 'dump' : 'sqlite';
  const target = path.resolve(file ?? defaultBackupName(format));
  if (fs.existsSync(target)) throw new Error(`${target} exists already; choose a new file name.`);
  if (format === 'sqlite') {
    await backupSqlite(config.dataDir, target);
    return { file: target, format, counts: null };
  }
  try {
    const counts = await writeDumpFile(target, config.mongodbUri ? 'mongo' : 'sqlite', readStore(config));
    return { file: target, format, counts };
  } catch (error) {
    fs.rmSync(target, { force: true });
    throw error;
  }
}

/** Counts of the configured store per dump kind (the check after a restore or migration). */
export async function countStore(config: StoreConfig): Promise<Partial<DumpCounts>> {
  if (config.mongodbUri) {
    const { client, db } = await connectMongo(config.mongodbUri);
    try {
      return mongoCountsAsDump(await countMongoCollections(db));
    } finally {
      await client.close();
    }
  }
  const { db } = openMigratedDatabase(config.dataDir);
  try {
    return sqliteCountsAsDump(countSqliteTables(db));
  } finally {
    db.close();
  }
}

/** Throws with every difference listed when the store does not hold what was written. */
export function verifyCounts(expected: DumpCounts, actual: Partial<DumpCounts>): void {
  const wrong = DUMP_KINDS.filter((kind) => (actual[kind] ?? 0) !== expected[kind]).map((kind) => `${kind}: wrote ${expected[kind]}, found ${actual[kind] ?? 0}`);
  if (wrong.length > 0) throw new Error(`The target store does not hold what was copied (${wrong.join('; ')}).`);
}

async function writeStore(config: StoreConfig, entries: AsyncIterable<DumpEntry>): Promise<DumpCounts> {
  const counts = config.mongodbUri ? await writeMongoDump(config.mongodbUri, entries) : await writeSqliteDump(config.dataDir, entries);
  verifyCounts(counts, await countStore(config));
  return counts;
}

export interface RestoreResult {
  store: 'sqlite' | 'mongo';
  counts: Partial<DumpCounts>;
}

/** Restores a backup file (SQLite file or dump) into the configured store, which must be empty. */
export async function restore(config: StoreConfig, file: string): Promise<RestoreResult> {
  if (!fs.existsSync(file)) throw new Error(`There is no file ${file}.`);
  const store = config.mongodbUri ? 'mongo' : 'sqlite';
  if (isDumpFile(file)) {
    const { entries } = await readDumpFile(file);
    return { store, counts: await writeStore(config, entries) };
  }
  if (store === 'sqlite') return { store, counts: sqliteCountsAsDump(restoreSqliteFile(file, config.dataDir)) };
  // A SQLite backup into MongoDB: a migration from a scratch copy (brought to the current schema).
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'jane-restore-'));
  try {
    restoreSqliteFile(file, scratch);
    return { store, counts: await writeStore(config, readSqliteDump(path.join(scratch, DATABASE_FILE))) };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Copies everything from the SQLite store in `dataDir` to the (empty) MongoDB at
 * `mongodbUri`, then checks the counts per collection against what was read.
 */
export async function migrateSqliteToMongo(dataDir: string, mongodbUri: string): Promise<DumpCounts> {
  const file = path.join(dataDir, DATABASE_FILE);
  if (!fs.existsSync(file)) throw new Error(`There is no SQLite store at ${file}: set DATA_DIR to the directory that holds jane.sqlite.`);
  return writeStore({ dataDir, mongodbUri }, readSqliteDump(file));
}

/** "users 3, documents 2, …" for the command line. */
export function describeCounts(counts: Partial<DumpCounts>): string {
  return DUMP_KINDS.map((kind) => `${kind} ${counts[kind] ?? 0}`).join(', ');
}
