/**
 * `pnpm restore FILE`: restores a backup (a SQLite file from `pnpm backup`, or a dump)
 * into the configured store — DATA_DIR, or MONGODB_URI when set — which must be empty.
 * Stop the server first, or point it at the new store only after the restore.
 */
import { loadConfig } from '../src/config.js';
import { describeCounts, restore } from '../src/operations/transfer.js';
import { fromInvocation, run } from './cli.js';

run(async () => {
  const file = process.argv.slice(2).find((arg) => !arg.startsWith('--'));
  if (!file) throw new Error('Usage: pnpm restore FILE   (a .sqlite backup or a .jsonl.gz dump; the configured store must be empty)');
  const config = loadConfig();
  const result = await restore(config, fromInvocation(file));
  const target = result.store === 'mongo' ? 'MongoDB (MONGODB_URI)' : `SQLite in ${config.dataDir}`;
  process.stdout.write(`Restored ${fromInvocation(file)} into ${target}: ${describeCounts(result.counts)}.\n`);
});
