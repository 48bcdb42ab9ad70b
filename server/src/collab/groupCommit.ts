/**
 * Group commit of accepted document updates.
 *
 * Updates are queued as they are accepted; a single writer takes everything queued
 * (across all documents) and appends it to the store in one write. While a write is in
 * flight, new updates wait and form the next batch, so durability costs one write per
 * round trip to the store rather than one per keystroke, and an idle store adds no delay.
 *
 * Nothing is ever dropped: when the store fails, the batch goes back to the head of the
 * queue and is retried with backoff; callers keep waiting for their acknowledgement
 * ("Saving…") and the document stays in memory until it is durable.
 */
import type { Logger } from 'pino';
import { SERVER_AUTHOR, type PendingUpdate, type Store } from '../storage/port.js';
import type { Metrics } from '../observability/metrics.js';

export interface CommitEntry {
  docId: string;
  /** `null`: nothing to store, but the acknowledgement must wait for earlier entries. */
  data: Uint8Array | null;
  userId: string;
  /**
   * Called with the entry once it (and every entry queued before it) is durable: one
   * function for many entries (what it needs travels in the entry), not a closure made per
   * update.
   */
  onDurable?: (entry: CommitEntry) => void;
  /** For `onDurable`: the peer to acknowledge, and up to which of its change frames. */
  peer?: { acknowledgeDurable(count: number): void };
  changeCount?: number;
  /** For `onDurable`: this is the last entry of its change frame. */
  last?: boolean;
}

export interface GroupCommitStats {
  batches: number;
  updates: number;
  failures: number;
}

/** How long the first update of an idle writer waits for company before it is written. */
const GATHER_MS = 1;
/**
 * While updates keep coming, a write starts at most this often: at a few thousand
 * updates a second, writing every 2–3 ms costs more per update (one transaction, one
 * fsync, the hand-over to the writer thread each time) than the edits themselves. The
 * relay to people on this instance does not wait for it; "saved" and the relay to other
 * instances wait up to this much longer.
 */
const COMMIT_INTERVAL_MS = 6;
const MAX_BATCH_ENTRIES = 10_000;
const MAX_BATCH_BYTES = 32 * 1024 * 1024;

function countFor(list: readonly CommitEntry[], docId: string | undefined): number {
  if (docId === undefined) return list.length;
  let count = 0;
  for (const entry of list) if (entry.docId === docId) count++;
  return count;
}

export class GroupCommitWriter {
  private queue: CommitEntry[] = [];
  private inFlight: CommitEntry[] = [];
  private running = false;
  private retryDelayMs = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private idleWaiters: { docId: string | null; resolve: () => void }[] = [];
  readonly stats: GroupCommitStats = { batches: 0, updates: 0, failures: 0 };
  private readonly committedListeners: ((docIds: ReadonlySet<string>) => void)[] = [];

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
    private readonly retry = { minMs: 50, maxMs: 5_000 },
    private readonly metrics: Metrics | null = null,
  ) {}

  /** Calls `listener` after each durable write with the documents that people (not the server itself) changed in it. */
  onCommitted(listener: (docIds: ReadonlySet<string>) => void): void {
    this.committedListeners.push(listener);
  }

  enqueue(entry: CommitEntry): void {
    this.queue.push(entry);
    if (!this.running && !this.retryTimer) {
      this.running = true;
      // Gather for a millisecond: frames arriving together commit together, and the
      // relay to the other people (already sent) is not competing with the disk write.
      setTimeout(() => void this.drain(), GATHER_MS);
    }
  }

  /** Entries not yet durable (queued or being written), for one document or all. */
  pendingCount(docId?: string): number {
    return countFor(this.queue, docId) + countFor(this.inFlight, docId);
  }

  /** Resolves once nothing for `docId` (or nothing at all) is waiting to be written. */
  whenDurable(docId?: string): Promise<void> {
    if (this.pendingCount(docId) === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push({ docId: docId ?? null, resolve }));
  }

  private takeBatch(): CommitEntry[] {
    let bytes = 0;
    let size = 0;
    while (size < this.queue.length && size < MAX_BATCH_ENTRIES) {
      bytes += this.queue[size]!.data?.byteLength ?? 0;
      size++;
      if (bytes >= MAX_BATCH_BYTES) break;
    }
    return this.queue.splice(0, size);
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.takeBatch();
      this.inFlight = batch;
      const writes: PendingUpdate[] = [];
      for (const entry of batch) {
        if (entry.data) writes.push({ docId: entry.docId, data: entry.data, userId: entry.userId });
      }
      const started = performance.now();
      try {
        await this.store.content.append(writes, new Date().toISOString());
      } catch (error) {
        this.stats.failures++;
        this.metrics?.storeError('append');
        this.queue = batch.concat(this.queue);
        this.inFlight = [];
        this.retryDelayMs = Math.min(this.retry.maxMs, Math.max(this.retry.minMs, this.retryDelayMs * 2));
        this.logger.error({ err: error, pending: this.queue.length, retryInMs: this.retryDelayMs }, 'storing updates failed; will retry');
        this.running = false;
        this.retryTimer = setTimeout(() => {
          this.retryTimer = null;
          this.metrics?.storeRetries.inc();
          this.running = true;
          void this.drain();
        }, this.retryDelayMs);
        return;
      }
      if (this.metrics) {
        this.metrics.commitSeconds.observe((performance.now() - started) / 1000);
        if (writes.length > 0) this.metrics.commitBatchSize.observe(writes.length);
      }
      this.retryDelayMs = 0;
      this.inFlight = [];
      if (this.committedListeners.length > 0) {
        const edited = new Set(writes.filter((w) => w.userId !== SERVER_AUTHOR).map((w) => w.docId));
        if (edited.size > 0) for (const listener of this.committedListeners) listener(edited);
      }
      this.stats.batches++;
      this.stats.updates += writes.length;
      for (const entry of batch) {
        try {
          entry.onDurable?.(entry);
        } catch (error) {
          this.logger.error({ err: error }, 'durable callback failed');
        }
      }
      this.notifyIdle();
      const wait = COMMIT_INTERVAL_MS - (performance.now() - started);
      if (wait > 0 && this.queue.length > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    this.running = false;
  }

  private notifyIdle(): void {
    if (this.idleWaiters.length === 0) return;
    const waiting = this.idleWaiters;
    this.idleWaiters = [];
    for (const waiter of waiting) {
      if (this.pendingCount(waiter.docId ?? undefined) === 0) waiter.resolve();
      else this.idleWaiters.push(waiter);
    }
  }

  /** Stops retrying (shutdown); whatever is still queued is reported by the caller. */
  stop(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }
}
