/**
 * `pnpm migrate:store`: copies everything from the SQLite store (DATA_DIR) to MongoDB
 * (MONGODB_URI), which must be empty, and checks the counts per collection afterwards.
 * It reads one consistent snapshot of SQLite, so the server may keep running, but changes
 * made after the copy began stay behind: stop the server (or take it off the network)
 * first, then start it with MONGODB_URI set.
 */
import { loadConfig } from '../src/config.js';
import { describeCounts, migrateSqliteToMongo } from '../src/operations/transfer.js';
import { run } from './cli.js';

run(async () => {
  const config = loadConfig();
  if (!config.mongodbUri) throw new Error('Set MONGODB_URI to the (empty) MongoDB database to copy into, and DATA_DIR to the SQLite store to copy from.');
  const started = Date.now();
  const counts = await migrateSqliteToMongo(config.dataDir, config.mongodbUri);
  process.stdout.write(`Copied the SQLite store in ${config.dataDir} to MongoDB in ${Date.now() - started} ms; counts verified: ${describeCounts(counts)}.\n`);
});
