/**
 * The documents loaded in memory, keyed by id: loads each at most once however many
 * connections arrive together, compacts long logs in the background, and flushes and
 * unloads a document some time after its last connection left.
 *
 * Data-loss guards:
 * - a failed load rejects every waiting connection and leaves nothing behind; we never
 *   serve an empty document that could later overwrite the stored one;
 * - a document is unloaded only after everything accepted for it is durable;
 * - a document marked broken (a corrupt update slipped into memory) is dropped and its
 *   connections are told to reconnect, which reloads it from the store.
 */
import type { Logger } from 'pino';
import { CloseCode } from '@jane/shared';
import type { Store } from '../storage/port.js';
import type { RedisDocumentBus } from './documentBus.js';
import type { GroupCommitWriter } from './groupCommit.js';
import { docFromState } from '../storage/docState.js';
import { LiveDocument, REMOTE_ORIGIN, type DocumentPeer } from './liveDocument.js';
import * as Y from 'yjs';
import type { BusMessageKind } from './documentBus.js';

export interface RegistryOptions {
  unloadDelayMs: number;
  compactAfterUpdates: number;
}

interface Entry {
  /** Resolves to the live document, or rejects when loading failed. */
  ready: Promise<LiveDocument>;
  doc: LiveDocument | null;
  unloadTimer: NodeJS.Timeout | null;
  /** Waiting for or undergoing compaction. */
  compactionQueued: boolean;
  /**
   * Log length that triggers compaction: the configured value ±25 %, so that documents
   * edited together do not all compact in the same moment.
   */
  compactAt: number;
}

export class DocumentRegistry {
  private readonly entries = new Map<string, Entry>();
  /** Documents being flushed and destroyed; a new acquire waits for it to finish. */
  private readonly unloading = new Map<string, Promise<void>>();
  private readonly compactionQueue: LiveDocument[] = [];
  private compactionRunning = false;
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly writer: GroupCommitWriter,
    private readonly logger: Logger,
    private readonly options: RegistryOptions,
    private readonly bus: RedisDocumentBus | null = null,
  ) {
    bus?.onReconnect(() => void this.catchUp());
  }

  /** Number of documents in memory. */
  get size(): number {
    return this.entries.size;
  }

  get(docId: string): LiveDocument | null {
    return this.entries.get(docId)?.doc ?? null;
  }

  loadedDocuments(): LiveDocument[] {
    return [...this.entries.values()].flatMap((entry) => (entry.doc ? [entry.doc] : []));
  }

  /** Loads the document if needed and adds the peer. Rejects when the store cannot load it. */
  async acquire(docId: string, peer: DocumentPeer): Promise<LiveDocument> {
    for (;;) {
      if (this.closed) throw new Error('collaboration server is shutting down');
      const pendingUnload = this.unloading.get(docId);
      if (pendingUnload) await pendingUnload;
      let entry = this.entries.get(docId);
      if (!entry) {
        const created: Entry = {
          ready: Promise.resolve(null as never),
          doc: null,
          unloadTimer: null,
          compactionQueued: false,
          compactAt: Math.max(1, Math.round(this.options.compactAfterUpdates * (0.75 + Math.random() * 0.5))),
        };
        created.ready = this.load(docId, created);
        this.entries.set(docId, created);
        entry = created;
      }
      const doc = await entry.ready;
      // The document may have been dropped (broken, shut down) while we waited.
      if (this.entries.get(docId) !== entry || doc.broken) continue;
      if (entry.unloadTimer) {
        clearTimeout(entry.unloadTimer);
        entry.unloadTimer = null;
      }
      doc.addPeer(peer);
      return doc;
    }
  }

  private async load(docId: string, entry: Entry): Promise<LiveDocument> {
    // With other instances: subscribe first, so that no update published while we load
    // falls between the stored state and the subscription. Early arrivals wait.
    let early: [BusMessageKind, Uint8Array][] | null = [];
    let live: LiveDocument | null = null;
    try {
      if (this.bus) {
        await this.bus.subscribe(docId, (kind, payload) => {
          if (live) live.applyRemote(kind, payload);
          else early?.push([kind, Uint8Array.from(payload)]);
        });
      }
      const state = await this.store.content.load(docId);
      const doc = new LiveDocument(docId, docFromState(state), state.updates.length, {
        writer: this.writer,
        logger: this.logger,
        onLogGrew: (d) => this.maybeCompact(d),
        publish: this.bus ? (kind, payload) => this.bus!.publish(docId, kind, payload) : undefined,
      });
      for (const [kind, payload] of early ?? []) doc.applyRemote(kind, payload);
      early = null;
      live = doc;
      entry.doc = doc;
      this.maybeCompact(doc);
      return doc;
    } catch (error) {
      // Forget the failed attempt so that the next connection tries again.
      if (this.entries.get(docId) === entry) this.entries.delete(docId);
      await this.bus?.unsubscribe(docId);
      this.logger.error({ err: error, docId }, 'loading document failed; refusing connections');
      throw error;
    }
  }

  /**
   * After the connection to other instances was interrupted, merge in what they stored
   * meanwhile (Yjs merges idempotently); our peers receive the difference.
   */
  private async catchUp(): Promise<void> {
    for (const doc of this.loadedDocuments()) {
      try {
        const state = await this.store.content.load(doc.id);
        doc.doc.transact(() => {
          if (state.snapshot) Y.applyUpdate(doc.doc, state.snapshot, REMOTE_ORIGIN);
          for (const update of state.updates) Y.applyUpdate(doc.doc, update, REMOTE_ORIGIN);
        }, REMOTE_ORIGIN);
      } catch (error) {
        this.logger.error({ err: error, docId: doc.id }, 'catching up after a Redis interruption failed');
      }
    }
  }

  /** Removes a peer; the document unloads after a delay once nobody is connected. */
  release(doc: LiveDocument, peer: DocumentPeer): void {
    doc.removePeer(peer);
    const entry = this.entries.get(doc.id);
    if (!entry || entry.doc !== doc || doc.peers.size > 0 || entry.unloadTimer) return;
    entry.unloadTimer = setTimeout(() => void this.unload(doc.id), this.options.unloadDelayMs);
    entry.unloadTimer.unref?.();
  }

  /**
   * Drops a broken document: its peers reconnect and get a fresh copy from the store.
   * Updates accepted before the corruption are still queued and stay durable.
   */
  reload(doc: LiveDocument): void {
    const entry = this.entries.get(doc.id);
    if (entry?.doc !== doc) return;
    this.logger.warn({ docId: doc.id }, 'reloading document after a rejected update');
    doc.closeAll(CloseCode.DocumentReloaded, 'document reloaded');
    void this.unload(doc.id);
  }

  /** Flushes and unloads a document with no peers (or a broken one). */
  async unload(docId: string): Promise<void> {
    const entry = this.entries.get(docId);
    if (!entry?.doc) return;
    const doc = entry.doc;
    if (doc.peers.size > 0 && !doc.broken) return;
    if (entry.unloadTimer) clearTimeout(entry.unloadTimer);
    this.entries.delete(docId);
    const done = (async () => {
      await this.bus?.unsubscribe(docId);
      await this.writer.whenDurable(docId);
      doc.destroy();
    })();
    this.unloading.set(docId, done);
    try {
      await done;
    } finally {
      this.unloading.delete(docId);
    }
  }

  private maybeCompact(doc: LiveDocument): void {
    const entry = this.entries.get(doc.id);
    if (!entry || entry.compactionQueued || doc.logLength < entry.compactAt) return;
    entry.compactionQueued = true;
    this.compactionQueue.push(doc);
    void this.runCompactions();
  }

  /**
   * One compaction at a time, each in its own turn of the event loop: a burst of
   * documents crossing the threshold together never stalls live editing.
   */
  private async runCompactions(): Promise<void> {
    if (this.compactionRunning) return;
    this.compactionRunning = true;
    try {
      for (let doc = this.compactionQueue.shift(); doc; doc = this.compactionQueue.shift()) {
        const started = Date.now();
        try {
          const result = await this.store.content.compact(doc.id);
          doc.logLength = Math.max(0, doc.logLength - result.foldedUpdates);
          this.logger.debug({ docId: doc.id, ...result, ms: Date.now() - started }, 'compacted document');
        } catch (error) {
          this.logger.error({ err: error, docId: doc.id }, 'compaction failed; the log stays as it is');
        }
        const entry = this.entries.get(doc.id);
        if (entry?.doc === doc) entry.compactionQueued = false;
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      this.compactionRunning = false;
    }
  }

  /** Shutdown: closes every connection (clients reconnect elsewhere), waits for durability. */
  async close(timeoutMs = 10_000): Promise<void> {
    this.closed = true;
    for (const entry of this.entries.values()) {
      if (entry.unloadTimer) clearTimeout(entry.unloadTimer);
      entry.doc?.closeAll(CloseCode.Unavailable, 'server restarting');
    }
    const flushed = this.writer.whenDurable();
    const timedOut = await Promise.race([
      flushed.then(() => false),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(true), timeoutMs).unref()),
    ]);
    if (timedOut) this.logger.error({ pending: this.writer.pendingCount() }, 'shutting down with updates not yet durable');
    for (const entry of this.entries.values()) entry.doc?.destroy();
    this.entries.clear();
  }
}
