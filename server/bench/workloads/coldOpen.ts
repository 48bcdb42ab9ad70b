/**
 * (c) Opening a document with a long history. One client applies N single-character
 * updates through the server (each its own frame, in chunks closed by a sync round trip).
 * Ours: we wait for the durable "saved" count; the anchors: for their persistence to
 * drain (y-leveldb's write chain, Hocuspocus's debounced store). Then the server process
 * is restarted so that the document is loaded from storage, and we time a new client
 * from `new WebSocket` to having the full text. Repeated with a restart each time; the
 * first open is reported separately (y-leveldb folds its log on the first load).
 * In-memory servers cannot do a cold open: their warm open is measured and labelled.
 */
import type { ServerHandle } from '../lib/servers.js';
import { waitForQuiet } from '../lib/proc.js';
import { median, round, sleep } from '../lib/stats.js';
import { WireClient, withTimeout } from '../lib/wire.js';

export interface ColdOpenResult {
  historyUpdates: number;
  /** 'cold' (restarted, loaded from storage) or 'warm' (in-memory server, doc still loaded). */
  kind: 'cold' | 'warm';
  buildSeconds: number;
  /** Updates per second through the server while building the history (until applied). */
  buildRate: number;
  /** After the last update was applied: how long until it was durable (ours: acked; anchors: persistence drained). */
  persistLagMs: number | null;
  openMs: number[];
  firstOpenMs: number;
  medianOpenMs: number;
  /** Persistent servers: opens of the document after it was unloaded, in a process that stayed up (no restart). */
  unloadedOpenMs: number[];
  medianUnloadedOpenMs: number | null;
  /** Ours: updates left in the stored log (the rest folded into the snapshot by compaction). */
  storedLogLength: number | null;
  notes: string[];
}

const FIELD = 'bench';
const CHUNK = 1_000;

export async function runColdOpen(server: ServerHandle, options: { updates: number; opens: number }): Promise<ColdOpenResult> {
  const notes: string[] = [];
  const [name] = await server.createDocs(1);
  const wantsAcks = server.spec.id === 'jane';
  const endpoint = server.endpoint(name!);
  if (wantsAcks) endpoint.url += '?ack=1';
  const writer = new WireClient(endpoint);
  await writer.open();
  await withTimeout(writer.synced, 10_000, 'writer sync');
  const text = writer.doc.getText(FIELD);
  const buildStart = performance.now();
  for (let i = 0; i < options.updates; i++) {
    text.insert(text.length, String.fromCharCode(97 + (i % 26)));
    if ((i + 1) % CHUNK === 0 || i + 1 === options.updates) await writer.barrier(120_000);
  }
  const applied = performance.now();
  const buildSeconds = (applied - buildStart) / 1000;
  let persistLagMs: number | null = null;
  if (wantsAcks) {
    await writer.waitSaved(writer.sentChangeFrames, 120_000);
    persistLagMs = performance.now() - applied;
  } else if (server.spec.persistent) {
    await server.request('flush', {}, 300_000);
    persistLagMs = performance.now() - applied;
  }
  const expected = text.toString();
  writer.close();

  let storedLogLength: number | null = null;
  if (server.spec.id === 'jane') {
    await server.request('flush');
    storedLogLength = (await server.request<{ storedUpdates: number }>('stats', { docId: name })).storedUpdates;
  }

  const kind = server.spec.persistent ? 'cold' : 'warm';
  if (kind === 'warm') notes.push('in-memory: no cold open possible; warm open of the loaded document');
  const openOnce = async (): Promise<number> => {
    const reader = new WireClient(server.endpoint(name!));
    const full = new Promise<number>((resolve) => {
      const check = () => {
        if (reader.doc.getText(FIELD).length >= expected.length) resolve(performance.now());
      };
      reader.onRemoteUpdate = check;
    });
    const start = performance.now();
    try {
      await reader.open(30_000);
      const end = await withTimeout(full, 120_000, `full content of a ${options.updates}-update document`);
      if (reader.doc.getText(FIELD).toString() !== expected) notes.push('an open returned content that differs from what was written');
      return end - start;
    } finally {
      reader.close();
    }
  };

  const openMs: number[] = [];
  await waitForQuiet();
  for (let i = 0; i < options.opens; i++) {
    if (kind === 'cold') await server.restart();
    openMs.push(await openOnce());
  }
  // Same process, document unloaded after its last client left (ours: DOC_UNLOAD_DELAY_MS).
  const unloadedOpenMs: number[] = [];
  if (kind === 'cold') {
    for (let i = 0; i < options.opens; i++) {
      await waitUnloaded(server);
      unloadedOpenMs.push(await openOnce());
    }
  }
  return {
    historyUpdates: options.updates,
    kind,
    buildSeconds: round(buildSeconds, 2),
    buildRate: round(options.updates / buildSeconds, 0),
    persistLagMs: persistLagMs === null ? null : round(persistLagMs, 1),
    openMs: openMs.map((ms) => round(ms, 2)),
    firstOpenMs: round(openMs[0]!, 2),
    medianOpenMs: round(median(openMs), 2),
    unloadedOpenMs: unloadedOpenMs.map((ms) => round(ms, 2)),
    medianUnloadedOpenMs: unloadedOpenMs.length > 0 ? round(median(unloadedOpenMs), 2) : null,
    storedLogLength,
    notes,
  };
}

/** Waits until the server holds no document in memory (it unloads after the last client left). */
async function waitUnloaded(server: ServerHandle, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const { loadedDocuments } = await server.request<{ loadedDocuments: number }>('stats');
    if (loadedDocuments === 0) return;
    if (performance.now() > deadline) throw new Error(`${server.spec.id} still holds ${loadedDocuments} document(s) after ${timeoutMs} ms`);
    await sleep(50);
  }
}
