/**
 * Main-thread side of the embedded store's writer thread: sends appends and
 * compactions, resolves each when the thread answers. If the thread dies, pending
 * requests fail (the group commit retries them) and the next request starts a new one.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CompactionResult, PendingUpdate } from '../port.js';

/**
 * A batch as it crosses to the writer thread: the updates' bytes in one buffer that is
 * moved, not copied, and the rest in flat arrays (cheap to clone), instead of one cloned
 * object per update.
 */
export interface PackedBatch {
  docIds: string[];
  userIds: string[];
  /** End offset of each update in `bytes`. */
  ends: Uint32Array;
  bytes: Uint8Array<ArrayBuffer>;
}

export function packBatch(batch: readonly PendingUpdate[]): PackedBatch {
  let total = 0;
  for (const update of batch) total += update.data.byteLength;
  const bytes = new Uint8Array(total);
  const ends = new Uint32Array(batch.length);
  const docIds = new Array<string>(batch.length);
  const userIds = new Array<string>(batch.length);
  let offset = 0;
  batch.forEach((update, i) => {
    bytes.set(update.data, offset);
    offset += update.data.byteLength;
    ends[i] = offset;
    docIds[i] = update.docId;
    userIds[i] = update.userId;
  });
  return { docIds, userIds, ends, bytes };
}

export function unpackBatch({ docIds, userIds, ends, bytes }: PackedBatch): PendingUpdate[] {
  const batch = new Array<PendingUpdate>(docIds.length);
  let start = 0;
  for (let i = 0; i < docIds.length; i++) {
    batch[i] = { docId: docIds[i]!, userId: userIds[i]!, data: bytes.subarray(start, ends[i]) };
    start = ends[i]!;
  }
  return batch;
}

export type WriterRequest =
  | { id: number; op: 'append'; packed: PackedBatch; at: string }
  | { id: number; op: 'compact'; docId: string }
  | { id: number; op: 'close' };

export type WriterReply = { id: number; ok: true; result: CompactionResult | null } | { id: number; ok: false; message: string };

/** A request before it gets its id (distributes over the union). */
type Unsent<T> = T extends unknown ? Omit<T, 'id'> : never;

type Pending = { resolve: (result: CompactionResult | null) => void; reject: (error: Error) => void };

/**
 * Built (`pnpm build`: dist/main.js beside dist/contentWorker.js), the worker is the
 * compiled file. From the TypeScript sources (tsx, vitest, the benchmark), it runs our
 * TypeScript through tsx's loader, registered inside the thread.
 */
function startWorker(file: string): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./contentWorker.js', import.meta.url), { workerData: { file } });
  const require = createRequire(import.meta.url);
  // The ES module build of tsx's API (resolving through `require` would give the CommonJS one).
  const tsxApi = pathToFileURL(path.join(path.dirname(require.resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
  const entry = new URL('./contentWorker.ts', import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: { file } });
}

export class ContentWriter {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private closed = false;

  constructor(private readonly file: string) {}

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = startWorker(this.file);
    worker.on('message', (reply: WriterReply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if (reply.ok) waiting.resolve(reply.result);
      else waiting.reject(new Error(reply.message));
    });
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
    };
    worker.on('error', (error) => fail(error));
    worker.on('exit', (code) => fail(new Error(`the store's writer thread exited (${code})`)));
    this.worker = worker;
    return worker;
  }

  private send(request: Unsent<WriterRequest>): Promise<CompactionResult | null> {
    if (this.closed) return Promise.reject(new Error('the store is closed'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.thread().postMessage({ ...request, id }, request.op === 'append' ? [request.packed.bytes.buffer] : []);
    });
  }

  async append(batch: readonly PendingUpdate[], at: string): Promise<void> {
    if (batch.length > 0) await this.send({ op: 'append', packed: packBatch(batch), at });
  }

  async compact(docId: string): Promise<CompactionResult> {
    return (await this.send({ op: 'compact', docId }))!;
  }

  /** Finishes what was sent, closes the thread's connection and stops the thread. */
  async close(): Promise<void> {
    if (this.closed) return;
    const worker = this.worker;
    if (worker) await this.send({ op: 'close' }).catch(() => undefined);
    this.closed = true;
    await worker?.terminate();
  }
}
