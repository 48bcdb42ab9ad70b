/**
 * The one way the server changes a document: restoring a version, writing minutes or a
 * template, migrating section ids, importing a file. `change(docId, userId, edit)` drives
 * the document the way a person's edit does — the same checks, the same group commit, the
 * same broadcast to every connected client, the same hand-over to other instances once
 * durable, attributed to the acting account — whether the document is loaded or not.
 * (Hocuspocus' `DirectConnection.transact` and tldraw's `TLSocketRoom.updateStore` are
 * the models.) Nothing writes document content to the store behind a loaded document's
 * back.
 *
 * `edit` runs on a private copy of the current state; only the update it produces
 * reaches the live document. So an `edit` that throws half-way changes nothing.
 */
import * as Y from 'yjs';
import type { Store } from '../storage/port.js';
import { docFromState } from '../storage/docState.js';
import type { AwarenessIdentity } from './awarenessGuard.js';
import type { DocumentRegistry } from './documentRegistry.js';
import type { DocumentPeer } from './liveDocument.js';

export interface ServerChange {
  /** Whether the edit changed anything (an edit that finds nothing to do is fine). */
  changed: boolean;
}

/** A peer that is the server acting for an account: it receives nothing, and learns when its change is durable. */
class ServerPeer implements DocumentPeer {
  readonly awarenessClients = new Set<number>();
  readonly identity: AwarenessIdentity;
  private resolveDurable: () => void = () => undefined;
  readonly durable = new Promise<void>((resolve) => (this.resolveDurable = resolve));

  constructor(readonly userId: string) {
    this.identity = { id: userId, name: 'server', color: '#000000', country: '', organisation: '', readOnly: false };
  }

  send(): void {}
  close(): void {}
  acknowledgeDurable(): void {
    this.resolveDurable();
  }
}

export class LiveDocuments {
  constructor(
    private readonly registry: DocumentRegistry,
    private readonly store: Store,
  ) {}

  /**
   * Applies `edit` to the document as a change by `userId`; resolves once it is durable
   * (and has reached everyone connected). Rejects when the document cannot be loaded or
   * the edit throws — nothing is changed then.
   */
  async change(docId: string, userId: string, edit: (doc: Y.Doc) => void): Promise<ServerChange> {
    const peer = new ServerPeer(userId);
    const live = await this.registry.acquire(docId, peer);
    try {
      const scratch = new Y.Doc({ gc: false });
      Y.applyUpdate(scratch, Y.encodeStateAsUpdate(live.doc));
      const updates: Uint8Array[] = [];
      scratch.on('update', (update: Uint8Array) => updates.push(update));
      try {
        edit(scratch);
      } finally {
        scratch.destroy();
      }
      if (updates.length === 0) return { changed: false };
      const result = live.applyPeerUpdate(peer, Y.mergeUpdates(updates), 1);
      if (result !== 'applied') throw new Error(`the server's own change was refused (${result})`);
      await peer.durable;
      return { changed: true };
    } finally {
      this.registry.release(live, peer);
    }
  }

  /** The document as it is now: the live copy when loaded (it may hold changes still being stored), else the store's. */
  async currentState(docId: string): Promise<Uint8Array> {
    const live = this.registry.get(docId);
    if (live) return Y.encodeStateAsUpdate(live.doc);
    const doc = docFromState(await this.store.content.load(docId));
    try {
      return Y.encodeStateAsUpdate(doc);
    } finally {
      doc.destroy();
    }
  }
}
