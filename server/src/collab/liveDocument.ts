/**
 * One document loaded in memory: its `Y.Doc`, its awareness, the connections editing
 * it, and the bookkeeping that ties accepted updates to their durable acknowledgement.
 */
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Logger } from 'pino';
import { sanitizeAwarenessUpdate, type AwarenessIdentity, type AwarenessVerdict } from './awarenessGuard.js';
import type { BusMessageKind } from './documentBus.js';
import type { GroupCommitWriter } from './groupCommit.js';
import { encodeAwarenessMessage, encodeSyncStep1, encodeUpdateMessage } from './messages.js';
import { checkUpdate } from './updateGuard.js';

/** What a document needs from a connection. */
export interface DocumentPeer {
  readonly userId: string;
  readonly identity: AwarenessIdentity;
  /** Awareness client ids this connection owns. */
  readonly awarenessClients: Set<number>;
  send(message: Uint8Array): void;
  close(code: number, reason: string): void;
  /** Everything this peer sent up to change frame `count` is durable. */
  acknowledgeDurable(count: number): void;
}

export type ApplyResult = 'applied' | 'rejected' | 'document-reloaded';

/** Transaction origin of changes that another server instance accepted (and stores). */
export const REMOTE_ORIGIN = Symbol('remote instance');

export interface LiveDocumentDeps {
  writer: GroupCommitWriter;
  logger: Logger;
  /** Called as stored log entries accumulate (compaction). */
  onLogGrew: (doc: LiveDocument) => void;
  /** Sends accepted changes to the other server instances (scale-out); absent with one instance. */
  publish?: (kind: BusMessageKind, payload: Uint8Array) => void;
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
  /** Awareness client ids of people connected to other instances. */
  private readonly remoteClients = new Set<number>();
  private readonly writer: GroupCommitWriter;
  private readonly logger: Logger;
  private readonly onLogGrew: (doc: LiveDocument) => void;
  private readonly publish: LiveDocumentDeps['publish'];

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
    this.logLength = storedUpdates;
    if (hasPendingState(doc)) {
      this.logger.warn({ docId: id }, 'stored document has pending structs; serving what can be integrated');
    }
    this.awareness = new awarenessProtocol.Awareness(doc);
    this.awareness.setLocalState(null);
    doc.on('update', this.onDocUpdate);
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
    const rejection = checkUpdate(this.doc, update);
    if (rejection) {
      this.logger.warn({ docId: this.id, userId: peer.userId, rejection }, 'rejected update');
      return 'rejected';
    }
    const pendingBefore = hasPendingState(this.doc);
    this.captured = [];
    let threw = false;
    try {
      Y.applyUpdate(this.doc, update, peer);
    } catch (error) {
      threw = true;
      this.logger.warn({ docId: this.id, userId: peer.userId, err: error }, 'update threw while applying');
    }
    const produced = this.captured;
    this.captured = null;
    if (threw || (!pendingBefore && hasPendingState(this.doc))) {
      this.broken = true;
      return 'document-reloaded';
    }
    const ack = () => peer.acknowledgeDurable(changeCount);
    if (produced.length === 0) {
      // Nothing new (e.g. an empty sync step 2): acknowledge after what is already queued.
      this.writer.enqueue({ docId: this.id, data: null, userId: peer.userId, onDurable: ack });
      return 'applied';
    }
    produced.forEach((change, index) => {
      const last = index === produced.length - 1;
      this.writer.enqueue({
        docId: this.id,
        data: change,
        userId: peer.userId,
        onDurable: () => {
          this.logLength++;
          this.onLogGrew(this);
          if (last) ack();
        },
      });
      this.broadcast(encodeUpdateMessage(change), peer);
      this.publish?.('update', change);
    });
    return 'applied';
  }

  /** Applies a change accepted by another instance: passed on to our peers, not stored again. */
  applyRemote(kind: BusMessageKind, payload: Uint8Array): void {
    if (kind === 'update') Y.applyUpdate(this.doc, payload, REMOTE_ORIGIN);
    else awarenessProtocol.applyAwarenessUpdate(this.awareness, payload, REMOTE_ORIGIN);
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
    this.doc.off('update', this.onDocUpdate);
    this.awareness.off('update', this.onAwarenessUpdate);
    this.awareness.destroy();
    this.doc.destroy();
  }

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === REMOTE_ORIGIN) this.broadcast(encodeUpdateMessage(update));
    else if (this.captured) this.captured.push(update);
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
      this.publish('awareness', awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
    }
    // Everyone, the sender included: y-websocket clients treat their own echoed
    // awareness as the sign that the connection is alive.
    this.broadcast(encodeAwarenessMessage(this.awareness, changed));
  };
}

