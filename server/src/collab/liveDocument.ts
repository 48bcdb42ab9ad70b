/**
 * One document loaded in memory: its `Y.Doc`, its awareness, the connections editing
 * it, and the bookkeeping that ties accepted updates to their durable acknowledgement.
 */
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Logger } from 'pino';
import { sanitizeAwarenessUpdate, type AwarenessIdentity, type AwarenessVerdict } from './awarenessGuard.js';
import type { BusMessageKind } from './documentBus.js';
import type { CommitEntry, GroupCommitWriter } from './groupCommit.js';
import { encodeAwarenessMessage, encodeSyncStep1, encodeUpdateMessage } from './messages.js';
import { checkUpdate, inspectUpdate, isSyncGap } from './updateGuard.js';
import { applyRespectingLocks } from './sectionLocks.js';
import { can, type Actor } from '@jane/shared';
import type { Metrics } from '../observability/metrics.js';

/** What a document needs from a connection. */
export interface DocumentPeer {
  readonly userId: string;
  /** Who the peer acts as (agreed sections are checked against it); absent: the server itself, bound by no lock. */
  readonly actor?: Actor;
  readonly identity: AwarenessIdentity;
  /** Awareness client ids this connection owns. */
  readonly awarenessClients: Set<number>;
  send(message: Uint8Array): void;
  close(code: number, reason: string): void;
  /** Everything this peer sent up to change frame `count` is durable. */
  acknowledgeDurable(count: number): void;
}

/**
 * `gap`: the update builds on changes this document does not have (yet): not applied,
 * nothing stored or relayed; the connection asks its client for what is missing.
 */
export type ApplyResult = 'applied' | 'rejected' | 'gap' | 'document-reloaded';

/** What a message from another instance meant for this document. */
export type RemoteResult = 'applied' | 'behind';

/** Awareness changes within this window after a relay are sent together. */
const AWARENESS_WINDOW_MS = 30;

/** Transaction origin of changes that another server instance accepted (and stores). */
export const REMOTE_ORIGIN = Symbol('remote instance');

export interface LiveDocumentDeps {
  writer: GroupCommitWriter;
  logger: Logger;
  /** Called as stored log entries accumulate (compaction). */
  onLogGrew: (doc: LiveDocument) => void;
  /**
   * Sends changes to the other server instances (scale-out); absent with one instance.
   * Updates are handed over only once they are durable in the shared store.
   */
  publish?: (kind: BusMessageKind, payload: Uint8Array) => void;
  metrics?: Metrics | null;
}

/** Whether `remote` (a state vector) has changes `doc` lacks. */
function isBehind(doc: Y.Doc, remote: Map<number, number>): boolean {
  for (const [client, clock] of remote) {
    if (clock > Y.getState(doc.store, client)) return true;
  }
  return false;
}

/** Acknowledges the peer's change frame once the last entry it produced is durable. */
function acknowledgeEntry(entry: CommitEntry): void {
  if (entry.last && entry.peer && entry.changeCount !== undefined) entry.peer.acknowledgeDurable(entry.changeCount);
}

function hasPendingState(doc: Y.Doc): boolean {
  return doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
}

export class LiveDocument {
  readonly awareness: awarenessProtocol.Awareness;
  readonly peers = new Set<DocumentPeer>();
  /** Updates in the store's log after its snapshot; drives compaction. */
  logLength: number;
  /** Set when a corrupt update got into the in-memory doc: it must be reloaded from the store. */
  broken = false;
  private captured: Uint8Array[] | null = null;
  /** Agreed sections (id → owner): changed only by those the policy lets reopen them. */
  private agreed = new Map<string, { ownerId: string | null }>();
  /** Awareness client ids of people connected to other instances. */
  private readonly remoteClients = new Set<number>();
  /** Awareness changes waiting for the next coalesced frame (see scheduleAwarenessFlush). */
  private readonly awarenessToSend = new Set<number>();
  private readonly awarenessToPublish = new Set<number>();
  private awarenessTimer: NodeJS.Timeout | null = null;
  private lastAwarenessFlush = -Infinity;
  private readonly writer: GroupCommitWriter;
  private readonly logger: Logger;
  private readonly onLogGrew: (doc: LiveDocument) => void;
  private readonly publish: LiveDocumentDeps['publish'];
  private readonly metrics: Metrics | null;

  constructor(
    readonly id: string,
    readonly doc: Y.Doc,
    storedUpdates: number,
    deps: LiveDocumentDeps,
  ) {
    this.writer = deps.writer;
    this.logger = deps.logger;
    this.onLogGrew = deps.onLogGrew;
    this.publish = deps.publish;
    this.metrics = deps.metrics ?? null;
    this.logLength = storedUpdates;
    if (hasPendingState(doc)) {
      this.logger.warn({ docId: id }, 'stored document has pending structs; serving what can be integrated');
    }
    this.awareness = new awarenessProtocol.Awareness(doc);
    this.awareness.setLocalState(null);
    this.awareness.on('update', this.onAwarenessUpdate);
  }

  /** Sends the opening of the sync handshake and the current awareness to a new peer. */
  addPeer(peer: DocumentPeer): void {
    this.peers.add(peer);
    peer.send(encodeSyncStep1(this.doc));
    const states = [...this.awareness.getStates().keys()];
    if (states.length > 0) peer.send(encodeAwarenessMessage(this.awareness, states));
  }

  removePeer(peer: DocumentPeer): void {
    if (!this.peers.delete(peer)) return;
    const owned = [...peer.awarenessClients].filter((id) => this.awareness.getStates().has(id));
    if (owned.length > 0) awarenessProtocol.removeAwarenessStates(this.awareness, owned, peer);
  }

  /**
   * Applies an update from an editing peer. The update is checked first; if it still
   * leaves the document with pending state or throws, the document is marked broken:
   * nothing of that update is broadcast or stored, and the registry reloads the
   * document from the store, which holds only accepted updates.
   */
  applyPeerUpdate(peer: DocumentPeer, update: Uint8Array, changeCount: number): ApplyResult {
    const { rejection, onlyNewInsertions } = inspectUpdate(this.doc, update);
    if (rejection) {
      if (isSyncGap(rejection)) return 'gap';
      // The connection closes and logs (budgeted): a flood of bad updates costs few lines.
      this.logger.debug({ docId: this.id, userId: peer.userId, rejection }, 'rejected update');
      return 'rejected';
    }
    const pendingBefore = hasPendingState(this.doc);
    const locked = this.lockedFor(peer);
    const stateBefore = locked.size > 0 ? Y.encodeStateVector(this.doc) : null;
    // Only new insertions (a keystroke) change the document by exactly their own bytes:
    // those are stored and relayed as they came. Anything else is re-encoded from what
    // the transaction changed (Yjs encodes only while someone listens for 'update').
    const asSent = onlyNewInsertions && locked.size === 0;
    this.captured = asSent ? null : [];
    if (!asSent) this.doc.on('update', this.onDocUpdate);
    let threw = false;
    let refused = false;
    try {
      if (locked.size > 0) refused = applyRespectingLocks(this.doc, update, peer, locked).refused;
      else Y.applyUpdate(this.doc, update, peer);
    } catch (error) {
      threw = true;
      this.logger.debug({ docId: this.id, userId: peer.userId, err: error }, 'update threw while applying');
    } finally {
      if (!asSent) this.doc.off('update', this.onDocUpdate);
    }
    if (refused) this.metrics?.updateRejected('section_lock');
    // A refused part was undone: everyone, the sender too, gets the net result instead.
    const produced = refused && stateBefore ? [Y.encodeStateAsUpdate(this.doc, stateBefore)] : asSent ? [update] : this.captured!;
    this.captured = null;
    if (threw || (!pendingBefore && hasPendingState(this.doc))) {
      this.broken = true;
      return 'document-reloaded';
    }
    if (produced.length === 0) {
      // Nothing new (e.g. an empty sync step 2): acknowledge after what is already queued.
      this.writer.enqueue({ docId: this.id, data: null, userId: peer.userId, onDurable: acknowledgeEntry, peer, changeCount, last: true });
      return 'applied';
    }
    for (let index = 0; index < produced.length; index++) {
      const change = produced[index]!;
      this.writer.enqueue({
        docId: this.id,
        data: change,
        userId: peer.userId,
        onDurable: this.changeDurable,
        peer,
        changeCount,
        last: index === produced.length - 1,
      });
      this.broadcast(encodeUpdateMessage(change), refused ? undefined : peer);
    }
    return 'applied';
  }

  /** A peer's change is durable (one function for every entry; see CommitEntry.onDurable). */
  private readonly changeDurable = (entry: CommitEntry): void => {
    this.logLength++;
    this.onLogGrew(this);
    // Other instances get it only now: what they serve and build on must survive
    // the death of this process (their clients never resend what they did not type).
    if (entry.data) this.publish?.('update', entry.data);
    acknowledgeEntry(entry);
  };

  /** Sets the agreed sections (from the store; changed by the sections service). */
  setAgreedSections(agreed: ReadonlyMap<string, { ownerId: string | null }>): void {
    this.agreed = new Map(agreed);
  }

  /** The agreed sections this peer may not change (none for the server itself). */
  private lockedFor(peer: DocumentPeer): Set<string> {
    const locked = new Set<string>();
    if (!peer.actor || this.agreed.size === 0) return locked;
    for (const [id, section] of this.agreed) if (!can(peer.actor, 'section.editAgreed', section)) locked.add(id);
    return locked;
  }

  /**
   * Applies a message from another instance: a durable update (passed on to our peers,
   * not stored again), an awareness change, or a state vector. `behind`: the other
   * instance has changes we lack (a missed message): the caller catches up from the store.
   */
  applyRemote(kind: BusMessageKind, payload: Uint8Array): RemoteResult {
    if (kind === 'awareness') {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, payload, REMOTE_ORIGIN);
      return 'applied';
    }
    if (kind === 'state') return isBehind(this.doc, Y.decodeStateVector(payload)) ? 'behind' : 'applied';
    // Never integrate a remote update with missing dependencies: pending structs would be
    // sent on to every client. The store has it and what it depends on.
    if (checkUpdate(this.doc, payload)) return 'behind';
    this.applyAndRelay(payload);
    return 'applied';
  }

  /** Merges what the store holds beyond this document (catch-up); our peers receive the difference. */
  applyStored(update: Uint8Array): void {
    this.applyAndRelay(update);
  }

  /** Applies a change that is already durable and sends our peers what it added. */
  private applyAndRelay(update: Uint8Array): void {
    this.captured = [];
    this.doc.on('update', this.onDocUpdate);
    try {
      Y.applyUpdate(this.doc, update, REMOTE_ORIGIN);
    } finally {
      this.doc.off('update', this.onDocUpdate);
    }
    const changes = this.captured;
    this.captured = null;
    for (const change of changes) this.broadcast(encodeUpdateMessage(change));
  }

  /** Applies an awareness frame after the guard rewrote it; returns the guard's verdict. */
  applyPeerAwareness(peer: DocumentPeer, update: Uint8Array): AwarenessVerdict {
    const verdict = sanitizeAwarenessUpdate(
      update,
      {
        owned: peer.awarenessClients,
        ownedElsewhere: (clientId) =>
          this.remoteClients.has(clientId) || [...this.peers].some((other) => other !== peer && other.awarenessClients.has(clientId)),
      },
      peer.identity,
    );
    if (verdict.kind === 'apply') awarenessProtocol.applyAwarenessUpdate(this.awareness, verdict.update, peer);
    return verdict;
  }

  /** Sends a frame to every peer except `except`; the bytes are encoded once. */
  broadcast(message: Uint8Array, except?: DocumentPeer): void {
    for (const peer of this.peers) {
      if (peer !== except) peer.send(message);
    }
  }

  closeAll(code: number, reason: string): void {
    for (const peer of [...this.peers]) peer.close(code, reason);
  }

  destroy(): void {
    if (this.awarenessTimer) clearTimeout(this.awarenessTimer);
    this.awareness.off('update', this.onAwarenessUpdate);
    this.awareness.destroy();
    this.doc.destroy();
  }

  /** Listens for 'update' only while a change is applied (see applyPeerUpdate, applyAndRelay). */
  private readonly onDocUpdate = (update: Uint8Array): void => {
    this.captured?.push(update);
  };

  private readonly onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const changed = added.concat(updated, removed);
    if (changed.length === 0) return;
    if (origin === REMOTE_ORIGIN) {
      for (const id of added.concat(updated)) this.remoteClients.add(id);
      for (const id of removed) this.remoteClients.delete(id);
    } else if (this.publish) {
      for (const id of changed) this.awarenessToPublish.add(id);
    }
    for (const id of changed) this.awarenessToSend.add(id);
    this.scheduleAwarenessFlush();
  };

  /**
   * Awareness is coalesced: the first change after a quiet spell goes out at once, later
   * ones within {@link AWARENESS_WINDOW_MS} go out together with each client's latest
   * state — fifty carets moving twice a second cost a few frames per window, not a
   * hundred relays a second to every peer.
   */
  private scheduleAwarenessFlush(): void {
    if (this.awarenessTimer) return;
    const wait = this.lastAwarenessFlush + AWARENESS_WINDOW_MS - performance.now();
    if (wait <= 0) {
      this.flushAwareness();
      return;
    }
    this.awarenessTimer = setTimeout(() => this.flushAwareness(), wait);
  }

  private flushAwareness(): void {
    this.awarenessTimer = null;
    this.lastAwarenessFlush = performance.now();
    const known = (ids: Set<number>) => [...ids].filter((id) => this.awareness.meta.has(id));
    const toSend = known(this.awarenessToSend);
    const toPublish = known(this.awarenessToPublish);
    this.awarenessToSend.clear();
    this.awarenessToPublish.clear();
    if (toPublish.length > 0) this.publish?.('awareness', awarenessProtocol.encodeAwarenessUpdate(this.awareness, toPublish));
    // Everyone, the sender included: y-websocket clients treat their own echoed
    // awareness as the sign that the connection is alive.
    if (toSend.length > 0) this.broadcast(encodeAwarenessMessage(this.awareness, toSend));
  }
}

