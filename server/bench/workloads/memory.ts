/**
 * (d) Memory per loaded document: a fresh server process; documents are created first
 * (so that creating them is not counted), then a baseline is taken after GC; then N
 * documents are opened, one client each, with a little content typed (10 edits of 10
 * characters); after GC again, (after − baseline) / N for V8 heap and for RSS.
 */
import type { ServerHandle } from '../lib/servers.js';
import { round, sleep } from '../lib/stats.js';
import { openAll, WireClient } from '../lib/wire.js';

export interface MemoryResult {
  documents: number;
  heapBytesPerDoc: number;
  rssBytesPerDoc: number;
  externalBytesPerDoc: number;
  baseline: { heapUsed: number; rss: number };
  loaded: { heapUsed: number; rss: number; loadedDocuments: number | null };
  gcAvailable: boolean;
}

interface MemorySnapshot {
  rss: number;
  heapUsed: number;
  external: number;
  gcAvailable: boolean;
  loadedDocuments?: number;
}

const FIELD = 'bench';

export async function runMemory(server: ServerHandle, options: { documents: number }): Promise<MemoryResult> {
  // Warm up lazily loaded code paths with one throwaway document.
  const [warmName, ...names] = await server.createDocs(options.documents + 1);
  const warm = new WireClient(server.endpoint(warmName!));
  await openAll([warm]);
  warm.edit((doc) => doc.getText(FIELD).insert(0, 'warm-up'));
  await warm.barrier();
  warm.close();
  await sleep(300);

  const baseline = await server.request<MemorySnapshot>('mem');
  const clients = names.map((name) => new WireClient(server.endpoint(name)));
  try {
    await openAll(clients, 32, 30_000);
    for (let round = 0; round < 10; round++) {
      for (const client of clients) client.edit((doc) => doc.getText(FIELD).insert(doc.getText(FIELD).length, 'lorem ipsu'));
    }
    await Promise.all(clients.map((client) => client.barrier()));
    if (server.spec.persistent) await server.request('flush', {}, 120_000);
    await sleep(300);
    const loaded = await server.request<MemorySnapshot>('mem');
    const n = options.documents;
    return {
      documents: n,
      heapBytesPerDoc: round((loaded.heapUsed - baseline.heapUsed) / n, 0),
      rssBytesPerDoc: round((loaded.rss - baseline.rss) / n, 0),
      externalBytesPerDoc: round((loaded.external - baseline.external) / n, 0),
      baseline: { heapUsed: baseline.heapUsed, rss: baseline.rss },
      loaded: { heapUsed: loaded.heapUsed, rss: loaded.rss, loadedDocuments: loaded.loadedDocuments ?? null },
      gcAvailable: loaded.gcAvailable,
    };
  } finally {
    for (const client of clients) client.close();
  }
}
