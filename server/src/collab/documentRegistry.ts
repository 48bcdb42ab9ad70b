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
 *
 * With other instances (Redis), each loaded document also takes part in anti-entropy:
 * whenever it may have missed something — a message with a gap, a state vector showing
 * another instance ahead, Redis coming back — it catches up from the store, which holds
 * everything any instance has published (updates are published only once durable).
 */
import type { Logger } from 'pino';
import { CloseCode } from '@jane/shared';
import type { SectionRecord, Store } from '../storage/port.js';
import type { RedisDocumentBus } from './documentBus.js';
import type { GroupCommitWriter } from './groupCommit.js';
import { docFromState } from '../storage/docState.js';
import { LiveDocument, type DocumentPeer } from './liveDocument.js';
import * as Y from 'yjs';
import type { BusMessageKind } from './documentBus.js';
import type { Metrics } from '../observability/metrics.js';

export interface RegistryOptions {
  unloadDelayMs: number;
  compactAfterUpdates: number;
  /** How often loaded documents announce their state vector to other instances (anti-entropy). */
  antiEntropyMs?: number;
  metrics?: Metrics | null;
}

/** A document announces its state vector at least this often, changed or not. */
const ANNOUNCE_UNCHANGED_EVERY_MS = 30_000;
/** Catch-ups of one document are at least this far apart (bounds store reads under a burst of gaps). */
const MIN_CATCH_UP_INTERVAL_MS = 200;
/** After a failed store read, the next attempt waits this long. */
const CATCH_UP_RETRY_MS = 2_000;

interface CatchUpState {
  running: boolean;
  /** Asked again while running: run once more afterwards. */
  again: boolean;
  lastAt: number;
}

interface Announcement {
  vector: Uint8Array;
  at: number;
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
  private readonly catchUps = new Map<string, CatchUpState>();
  /** Called with each document once it is loaded (the section id keeper watches it). */
  onLoaded: ((doc: LiveDocument) => void) | null = null;
  private readonly announced = new WeakMap<LiveDocument, Announcement>();
  private readonly antiEntropyTimer: NodeJS.Timeout | null = null;
  /** Catch-ups from the store, for tests and metrics. */
  readonly stats = { catchUps: 0, catchUpFailures: 0 };

  constructor(
    private readonly store: Store,
    private readonly writer: GroupCommitWriter,
    private readonly logger: Logger,
    private readonly options: RegistryOptions,
    private readonly bus: RedisDocumentBus | null = null,
  ) {
    if (bus) {
      bus.onReconnect(() => this.onBusReconnected());
      this.antiEntropyTimer = setInterval(() => this.announceStates(false), options.antiEntropyMs ?? 3_000);
      this.antiEntropyTimer.unref();
    }
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
          if (live) this.onRemote(live, kind, payload);
          else early?.push([kind, Uint8Array.from(payload)]);
        });
      }
      // The locks of agreed sections come with the document: nothing is accepted before them.
      const [state, sections] = await Promise.all([this.store.content.load(docId), this.store.sections.listForDocument(docId)]);
      const doc = new LiveDocument(docId, docFromState(state), state.updates.length, {
        writer: this.writer,
        logger: this.logger,
        onLogGrew: (d) => this.maybeCompact(d),
        publish: this.bus ? (kind, payload) => this.bus!.publish(docId, kind, payload) : undefined,
        metrics: this.options.metrics,
      });
      doc.setAgreedSections(agreedOf(sections));
      for (const [kind, payload] of early ?? []) this.onRemote(doc, kind, payload);
      early = null;
      live = doc;
      entry.doc = doc;
      this.onLoaded?.(doc);
      this.maybeCompact(doc);
      return doc;
    } catch (error) {
      // Forget the failed attempt so that the next connection tries again.
      if (this.entries.get(docId) === entry) this.entries.delete(docId);
      await this.bus?.unsubscribe(docId);
      this.options.metrics?.storeError('load');
      this.logger.error({ err: error, docId }, 'loading document failed; refusing connections');
      throw error;
    }
  }

  private onRemote(doc: LiveDocument, kind: BusMessageKind, payload: Uint8Array): void {
    if (doc.applyRemote(kind, payload) === 'behind') this.requestCatchUp(doc.id);
  }

  /** Redis is back (or reachable for the first time): repair what was missed, both ways. */
  private onBusReconnected(): void {
    for (const doc of this.loadedDocuments()) this.requestCatchUp(doc.id);
    this.announceStates(true);
  }

  /**
   * Tells the other instances how far each loaded document is, so that one that missed
   * something notices and catches up. Only documents with nothing waiting to be stored:
   * then everything in memory is durable, and whoever is behind finds it in the store.
   */
  private announceStates(all: boolean): void {
    if (!this.bus?.ready) return;
    const now = Date.now();
    for (const doc of this.loadedDocuments()) {
      if (this.writer.pendingCount(doc.id) > 0) continue;
      const vector = Y.encodeStateVector(doc.doc);
      const last = this.announced.get(doc);
      if (!all && last && now - last.at < ANNOUNCE_UNCHANGED_EVERY_MS && sameBytes(last.vector, vector)) continue;
      this.announced.set(doc, { vector, at: now });
      this.bus.publish(doc.id, 'state', vector);
    }
  }

  /** A section's owner or status changed (here or on another instance): reload its document's locks. */
  async refreshLocks(docId: string): Promise<void> {
    const doc = this.get(docId);
    if (!doc) return;
    const sections = await this.store.sections.listForDocument(docId);
    if (this.get(docId) === doc) doc.setAgreedSections(agreedOf(sections));
  }

  /** Merges what the store has beyond the loaded document; at most one read in flight per document. */
  requestCatchUp(docId: string): void {
    let state = this.catchUps.get(docId);
    if (!state) this.catchUps.set(docId, (state = { running: false, again: false, lastAt: 0 }));
    if (state.running) {
      state.again = true;
      return;
    }
    state.running = true;
    void this.runCatchUp(docId, state);
  }

  private async runCatchUp(docId: string, state: CatchUpState): Promise<void> {
    try {
      do {
        state.again = false;
        const wait = state.lastAt + MIN_CATCH_UP_INTERVAL_MS - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        state.lastAt = Date.now();
        const doc = this.get(docId);
        if (!doc || this.closed) return;
        try {
          const stored = docFromState(await this.store.content.load(docId));
          const missing = Y.encodeStateAsUpdate(stored, Y.encodeStateVector(doc.doc));
          stored.destroy();
          if (this.get(docId) === doc) doc.applyStored(missing);
          this.stats.catchUps++;
        } catch (error) {
          this.stats.catchUpFailures++;
          this.options.metrics?.storeError('catch_up');
          this.logger.error({ err: error, docId }, 'catching up from the store failed; will retry');
          state.again = true;
          await new Promise((resolve) => setTimeout(resolve, CATCH_UP_RETRY_MS));
        }
      } while (state.again);
    } finally {
      state.running = false;
      this.catchUps.delete(docId);
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
          this.options.metrics?.storeError('compact');
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
    if (this.antiEntropyTimer) clearInterval(this.antiEntropyTimer);
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

/** The agreed sections among a document's section records, as the live document's locks. */
function agreedOf(sections: readonly SectionRecord[]): Map<string, { ownerId: string | null }> {
  return new Map(sections.filter((s) => s.status === 'agreed').map((s) => [s.sectionId, { ownerId: s.ownerId }]));
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}
