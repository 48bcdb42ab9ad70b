/**
 * `pnpm backup [FILE] [--dump]`: a consistent backup of the configured store while the
 * server runs. SQLite (DATA_DIR): a copy of jane.sqlite through SQLite's online backup API;
 * `--dump` writes the portable dump instead. MongoDB (MONGODB_URI): the portable dump, a
 * gzip'd JSON-lines file. Restore with `pnpm restore FILE`.
 */
import { loadConfig } from '../src/config.js';
import { backup, defaultBackupName, describeCounts } from '../src/operations/transfer.js';
import { fromInvocation, run } from './cli.js';

run(async () => {
  const args = process.argv.slice(2);
  const dump = args.includes('--dump');
  const file = args.find((arg) => !arg.startsWith('--'));
  const config = loadConfig();
  const started = Date.now();
  const result = await backup(config, fromInvocation(file ?? defaultBackupName(config.mongodbUri || dump ? 'dump' : 'sqlite')), { dump });
  const what = result.counts ? ` (${describeCounts(result.counts)})` : '';
  process.stdout.write(`Backup of the ${config.mongodbUri ? 'MongoDB' : 'SQLite'} store written to ${result.file} in ${Date.now() - started} ms${what}.\n`);

});
