// Child process: Hocuspocus 3.4.4 with @hocuspocus/extension-database on a better-sqlite3
// file (WAL, synchronous = FULL, like ours). Default debounce: a change is stored 2 s after
// the last edit (at most 10 s later under constant editing); clients get a SyncStatus
// acknowledgement as soon as the update is applied in memory, not when it is stored.
import path from 'node:path';
import Database from 'better-sqlite3';
import { Server } from '@hocuspocus/server';
import { Database as DatabaseExtension } from '@hocuspocus/extension-database';
import { handleRequests, memorySnapshot } from './ipc.mjs';

const dataDir = process.env.BENCH_DATA_DIR;
if (!dataDir) throw new Error('BENCH_DATA_DIR is required');
const db = new Database(path.join(dataDir, 'hocuspocus.sqlite'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec('CREATE TABLE IF NOT EXISTS documents (name TEXT PRIMARY KEY, data BLOB NOT NULL)');
const select = db.prepare('SELECT data FROM documents WHERE name = ?');
const upsert = db.prepare('INSERT INTO documents (name, data) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET data = excluded.data');
let stores = 0;

const server = new Server({
  port: 0,
  address: '127.0.0.1',
  quiet: true,
  stopOnSignals: false,
  extensions: [
    new DatabaseExtension({
      fetch: async ({ documentName }) => {
        const row = select.get(documentName);
        return row ? new Uint8Array(row.data) : null;
      },
      store: async ({ documentName, state }) => {
        upsert.run(documentName, state);
        stores++;
      },
    }),
  ],
});
await server.listen();

handleRequests(async (request) => {
  switch (request.type) {
    case 'mem':
      return memorySnapshot({ loadedDocuments: server.hocuspocus.getDocumentsCount() });
    case 'flush': {
      // Wait until no debounced store is pending (what a graceful shutdown would do).
      const started = performance.now();
      for (;;) {
        const pending = [...server.hocuspocus.documents.keys()].some((name) => server.hocuspocus.debouncer.isDebounced(`onStoreDocument-${name}`));
        if (!pending) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return { waitedMs: performance.now() - started };
    }
    case 'stats':
      return { loadedDocuments: server.hocuspocus.getDocumentsCount(), stores };
    default:
      throw new Error(`unknown request ${request.type}`);
  }
});
process.on('SIGTERM', () => {
  server.destroy().finally(() => process.exit(0));
});
process.on('disconnect', () => process.exit(0));
process.send?.({ type: 'ready', port: server.address.port, pid: process.pid });
