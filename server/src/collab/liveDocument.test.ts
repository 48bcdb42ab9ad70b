/**
 * The document room and the connection with fake peers and a fake socket (the way
 * tldraw tests its room): fast logic tests over a real group commit on a real SQLite
 * file. The real-server tests in test/ cover the same behaviour end to end.
 */
import { EventEmitter } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { pino } from 'pino';
import { CloseCode, DOCUMENT_FIELD, MESSAGE_AWARENESS, MESSAGE_SAVED, MESSAGE_SYNC, SYNC_STEP_1, SYNC_STEP_2, SYNC_UPDATE } from '@jane/shared';
import { openSqliteStore } from '../storage/sqlite/sqliteStore.js';
import { makeTempDir } from '../../test/helpers/tempDir.js';
import { LogBudget } from '../limits/logBudget.js';
import { GroupCommitWriter } from './groupCommit.js';
import { LiveDocument, type DocumentPeer } from './liveDocument.js';
import { CollabConnection, type ConnectionInfo } from './connection.js';
import type { BusMessageKind } from './documentBus.js';

const temp = makeTempDir();
const store = openSqliteStore({ dataDir: temp.dir });
const logger = pino({ level: 'silent' });
const writer = new GroupCommitWriter(store, logger);
afterAll(async () => {
  await writer.whenDurable();
  await store.close();
  temp.remove();
});

let sequence = 0;
const identity = (name: string) => ({ id: name, name, color: '#1f6feb', country: 'IT', organisation: 'X', readOnly: false });

/** A peer that records what the document sends it and what it acknowledges. */
function fakePeer(name: string): DocumentPeer & { received: Uint8Array[]; acked: number } {
  return {
    userId: name,
    identity: identity(name),
    awarenessClients: new Set(),
    received: [],
    acked: 0,
    send(message) {
      this.received.push(message);
    },
    close() {},
    acknowledgeDurable(count) {
      this.acked = Math.max(this.acked, count);
    },
  };
}

function room(options: { publish?: (kind: BusMessageKind, payload: Uint8Array) => void } = {}): LiveDocument {
  return new LiveDocument(`doc-${++sequence}`, new Y.Doc(), 0, { writer, logger, onLogGrew: () => {}, publish: options.publish });
}

/** An update that adds a paragraph to `base` (a client's copy). */
function paragraphUpdate(base: Y.Doc, text: string): Uint8Array {
  const updates: Uint8Array[] = [];
  const record = (u: Uint8Array) => updates.push(u);
  base.on('update', record);
  const paragraph = new Y.XmlElement('paragraph');
  const content = new Y.XmlText();
  content.insert(0, text);
  paragraph.insert(0, [content]);
  base.getXmlFragment(DOCUMENT_FIELD).push([paragraph]);
  base.off('update', record);
  return Y.mergeUpdates(updates);
}

const typeOf = (frame: Uint8Array) => {
  const decoder = decoding.createDecoder(frame);
  const message = decoding.readVarUint(decoder);
  return message === MESSAGE_SYNC ? `sync-${decoding.readVarUint(decoder)}` : message === MESSAGE_AWARENESS ? 'awareness' : `message-${message}`;
};

describe('the document room', () => {
  it('relays an update to everyone but its sender, as the same bytes, and acknowledges it only once stored', async () => {
    const live = room();
    const [author, a, b] = [fakePeer('author'), fakePeer('a'), fakePeer('b')];
    for (const peer of [author, a, b]) live.addPeer(peer);
    const before = { a: a.received.length, b: b.received.length, author: author.received.length };
    expect(live.applyPeerUpdate(author, paragraphUpdate(new Y.Doc(), 'Scope'), 1)).toBe('applied');
    const toA = a.received.slice(before.a);
    const toB = b.received.slice(before.b);
    expect(toA).toHaveLength(1);
    expect(toB[0]).toBe(toA[0]); // encoded once
    expect(author.received.length).toBe(before.author); // no echo
    expect(author.acked).toBe(0);
    await writer.whenDurable(live.id);
    expect(author.acked).toBe(1);
    live.destroy();
  });

  it('acknowledges an empty sync step 2 only after what was queued before it', async () => {
    const live = room();
    const [author, other] = [fakePeer('author'), fakePeer('other')];
    live.addPeer(author);
    live.addPeer(other);
    live.applyPeerUpdate(author, paragraphUpdate(new Y.Doc(), 'queued first'), 1);
    live.applyPeerUpdate(other, Y.encodeStateAsUpdate(live.doc), 1); // nothing new
    expect(other.acked).toBe(0);
    await writer.whenDurable(live.id);
    expect([author.acked, other.acked]).toEqual([1, 1]);
    live.destroy();
  });

  it('hands an update to other instances only once it is durable', async () => {
    const published: BusMessageKind[] = [];
    const live = room({ publish: (kind) => published.push(kind) });
    const author = fakePeer('author');
    live.addPeer(author);
    live.applyPeerUpdate(author, paragraphUpdate(new Y.Doc(), 'not yet'), 1);
    expect(published.filter((k) => k === 'update')).toHaveLength(0);
    await writer.whenDurable(live.id);
    expect(published.filter((k) => k === 'update')).toHaveLength(1);
    live.destroy();
  });

  it('leaves out a peer update that builds on unknown changes (a gap), and a remote one too, without touching the document', () => {
    const live = room();
    const author = fakePeer('author');
    live.addPeer(author);
    const client = new Y.Doc();
    paragraphUpdate(client, 'first');
    const second = paragraphUpdate(client, 'second');
    expect(live.applyPeerUpdate(author, second, 1)).toBe('gap');
    expect(live.applyRemote('update', second)).toBe('behind');
    expect(live.doc.getXmlFragment(DOCUMENT_FIELD).length).toBe(0);
    expect(live.doc.store.pendingStructs).toBeNull();
    // Another instance announcing more than we have: we are behind.
    expect(live.applyRemote('state', Y.encodeStateVector(client))).toBe('behind');
    expect(live.applyRemote('state', Y.encodeStateVector(live.doc))).toBe('applied');
    live.destroy();
  });

  it('coalesces awareness: rapid changes go out together with the latest state, the first one at once', async () => {
    const live = room();
    const [a, watcher] = [fakePeer('a'), fakePeer('watcher')];
    live.addPeer(a);
    live.addPeer(watcher);
    const awareness = (clock: number, cursor: number) => {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 1);
      encoding.writeVarUint(encoder, 77);
      encoding.writeVarUint(encoder, clock);
      encoding.writeVarString(encoder, JSON.stringify({ cursor }));
      return encoding.toUint8Array(encoder);
    };
    const base = watcher.received.length;
    live.applyPeerAwareness(a, awareness(1, 1));
    expect(watcher.received.slice(base).map(typeOf)).toEqual(['awareness']);
    for (let i = 2; i <= 10; i++) live.applyPeerAwareness(a, awareness(i, i));
    expect(watcher.received.slice(base)).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(watcher.received.slice(base)).toHaveLength(2);
    expect(live.awareness.getStates().get(77)).toMatchObject({ cursor: 10, user: { name: 'a' } });
    live.removePeer(a);
    expect(live.awareness.getStates().has(77)).toBe(false);
    live.destroy();
  });
});

/** A stand-in for a `ws` socket: what the connection sends, and how it closed. */
class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  sent: Uint8Array[] = [];
  closedWith: number | null = null;
  send(data: Uint8Array): void {
    this.sent.push(data);
  }
  close(code: number): void {
    this.closedWith = code;
    this.readyState = 3;
  }
  terminate(): void {
    this.readyState = 3;
  }
  frame(bytes: Uint8Array): void {
    this.emit('message', Buffer.from(bytes), true);
  }
}

function syncFrame(type: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, type);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

function connection(options: { canEdit?: boolean } = {}): { socket: FakeSocket; connection: CollabConnection; live: LiveDocument } {
  const socket = new FakeSocket();
  const info: ConnectionInfo = {
    documentId: `doc-${++sequence}`,
    workspaceId: 'w',
    userId: 'u',
    identity: identity('u'),
    canEdit: options.canEdit ?? true,
    wantsAcks: true,
    session: { tokenHash: 't', userId: 'u', expiresAt: new Date(Date.now() + 60_000).toISOString() },
    actor: { userId: 'u', isAdmin: false, role: 'contributor' },
  };
  const conn = new CollabConnection(socket as never, info, { onDocumentBroken: () => {}, onClose: () => {} }, logger, new LogBudget(logger));
  const live = new LiveDocument(info.documentId, new Y.Doc(), 0, { writer, logger, onLogGrew: () => {} });
  return { socket, connection: conn, live };
}

describe('the connection', () => {
  it('keeps frames that arrive while the document loads and replays them in order', async () => {
    const { socket, connection: conn, live } = connection();
    const client = new Y.Doc();
    socket.frame(syncFrame(SYNC_UPDATE, paragraphUpdate(client, 'early')));
    live.addPeer(conn);
    conn.attach(live);
    expect(live.doc.getXmlFragment(DOCUMENT_FIELD).length).toBe(1);
    await writer.whenDurable(live.id);
    expect(socket.sent.map(typeOf)).toContain('message-100');
    live.destroy();
  });

  it('fills a sync gap: asks with a step 1, holds the acknowledgement until the answer is stored', async () => {
    const { socket, connection: conn, live } = connection();
    live.addPeer(conn);
    conn.attach(live);
    const client = new Y.Doc();
    const first = paragraphUpdate(client, 'first');
    const second = paragraphUpdate(client, 'second');
    // The opening step 1 is answered first (nothing new), then a gap arrives.
    socket.frame(syncFrame(SYNC_STEP_2, Y.encodeStateAsUpdate(new Y.Doc())));
    socket.frame(syncFrame(SYNC_UPDATE, second));
    expect(socket.sent.map(typeOf).filter((t) => t === `sync-${SYNC_STEP_1}`)).toHaveLength(2);
    expect(socket.closedWith).toBeNull();
    await writer.whenDurable(live.id);
    const acks = () => socket.sent.filter((f) => typeOf(f) === `message-${MESSAGE_SAVED}`).map((f) => decoding.readVarUint(decoding.createDecoder(f.subarray(1))));
    expect(Math.max(0, ...acks())).toBeLessThan(2); // the dropped frame is not acknowledged yet
    socket.frame(syncFrame(SYNC_STEP_2, Y.mergeUpdates([first, second])));
    await writer.whenDurable(live.id);
    expect(Math.max(...acks())).toBe(3);
    expect(live.doc.getXmlFragment(DOCUMENT_FIELD).length).toBe(2);
    live.destroy();
  });

  it('drops every change from a read-only connection and never acknowledges it', async () => {
    const { socket, connection: conn, live } = connection({ canEdit: false });
    live.addPeer(conn);
    conn.attach(live);
    socket.frame(syncFrame(SYNC_UPDATE, paragraphUpdate(new Y.Doc(), 'observer')));
    await writer.whenDurable(live.id);
    expect(live.doc.getXmlFragment(DOCUMENT_FIELD).length).toBe(0);
    expect(socket.sent.map(typeOf)).not.toContain(`message-${MESSAGE_SAVED}`);
    live.destroy();
  });

  it('closes with 4400 on a text frame or an unknown message, and with 4429 on oversized awareness', () => {
    for (const send of [
      (s: FakeSocket) => s.emit('message', Buffer.from('hello'), false),
      (s: FakeSocket) => s.frame(new Uint8Array([42, 0])),
    ]) {
      const { socket, connection: conn, live } = connection();
      live.addPeer(conn);
      conn.attach(live);
      send(socket);
      expect(socket.closedWith).toBe(CloseCode.MalformedMessage);
      live.destroy();
    }
    const { socket, connection: conn, live } = connection();
    live.addPeer(conn);
    conn.attach(live);
    const big = encoding.createEncoder();
    encoding.writeVarUint(big, 1);
    encoding.writeVarUint(big, 5);
    encoding.writeVarUint(big, 1);
    encoding.writeVarString(big, JSON.stringify({ cursor: 'x'.repeat(60_000) }));
    for (let i = 0; i < 3 && socket.closedWith === null; i++) {
      const frame = encoding.createEncoder();
      encoding.writeVarUint(frame, MESSAGE_AWARENESS);
      encoding.writeVarUint8Array(frame, encoding.toUint8Array(big));
      socket.frame(encoding.toUint8Array(frame));
    }
    expect(socket.closedWith).toBe(CloseCode.AwarenessViolation);
    live.destroy();
  });
});
