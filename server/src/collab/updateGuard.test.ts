/**
 * Corrupted updates never leave pending state in a live document, never reach other
 * people, and never reach the store. Randomised (seeded) corruption of real updates.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { pino } from 'pino';
import { DOCUMENT_FIELD } from '@jane/shared';
import { openSqliteStore } from '../storage/sqlite/sqliteStore.js';
import { makeTempDir } from '../../test/helpers/tempDir.js';
import { GroupCommitWriter } from './groupCommit.js';
import { LiveDocument, type DocumentPeer } from './liveDocument.js';
import { checkUpdate } from './updateGuard.js';

const temp = makeTempDir();
const store = openSqliteStore({ dataDir: temp.dir });
const writer = new GroupCommitWriter(store, pino({ level: 'silent' }));
const deps = { writer, logger: pino({ level: 'silent' }), onLogGrew: () => {} };
afterAll(async () => {
  await writer.whenDurable();
  await store.close();
  temp.remove();
});

/** A peer that records what the document sends it (logic test: no socket involved). */
function recordingPeer(name: string): DocumentPeer & { received: Uint8Array[] } {
  return {
    userId: name,
    identity: { id: name, name, color: '#1f6feb', country: 'IT', organisation: 'X', readOnly: false },
    awarenessClients: new Set(),
    received: [],
    send(message) {
      this.received.push(message);
    },
    close() {},
    acknowledgeDurable() {},
  };
}

/** Deterministic pseudo-random numbers, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function paragraphDoc(texts: string[]): { doc: Y.Doc; updates: Uint8Array[] } {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  const fragment = doc.getXmlFragment(DOCUMENT_FIELD);
  for (const text of texts) {
    const paragraph = new Y.XmlElement('paragraph');
    const content = new Y.XmlText();
    content.insert(0, text);
    paragraph.insert(0, [content]);
    fragment.insert(fragment.length, [paragraph]);
  }
  return { doc, updates };
}

function corrupt(update: Uint8Array, next: () => number): Uint8Array {
  const bytes = Uint8Array.from(update);
  const mode = Math.floor(next() * 4);
  if (mode === 0) {
    const flips = 1 + Math.floor(next() * 3);
    for (let i = 0; i < flips; i++) bytes[Math.floor(next() * bytes.length)] = Math.floor(next() * 256);
    return bytes;
  }
  if (mode === 1) return bytes.slice(0, Math.max(1, Math.floor(next() * bytes.length)));
  if (mode === 2) {
    const at = Math.floor(next() * bytes.length);
    return Uint8Array.from([...bytes.slice(0, at), Math.floor(next() * 256), ...bytes.slice(at)]);
  }
  const at = Math.floor(next() * bytes.length);
  bytes[at] = (bytes[at]! + 1) & 0xff;
  return bytes;
}

describe('update guard', () => {
  it('accepts ordinary editing updates in order', () => {
    const { doc, updates } = paragraphDoc(['Scope', 'Criteria']);
    const server = new Y.Doc();
    for (const update of updates) {
      expect(checkUpdate(server, update)).toBeNull();
      Y.applyUpdate(server, update);
    }
    expect(server.getXmlFragment(DOCUMENT_FIELD).toString()).toBe(doc.getXmlFragment(DOCUMENT_FIELD).toString());
  });

  it('refuses an update whose predecessor is missing, and a subdocument', () => {
    const { updates } = paragraphDoc(['a', 'b']);
    expect(checkUpdate(new Y.Doc(), updates[1]!)).toBe('missing-dependency');
    const withSubdoc = new Y.Doc();
    const captured: Uint8Array[] = [];
    withSubdoc.on('update', (u: Uint8Array) => captured.push(u));
    withSubdoc.getMap('m').set('sub', new Y.Doc());
    expect(checkUpdate(new Y.Doc(), captured[0]!)).toBe('subdocument');
    expect(checkUpdate(new Y.Doc(), new Uint8Array([9, 9, 9, 9]))).toBe('undecodable');
  });

  it('keeps the live document free of pending state under 3,000 corrupted updates, and shares none of them', () => {
    const next = random(20261127);
    const base = paragraphDoc(['Background and purpose', 'Who may apply']);
    const author = recordingPeer('author');
    const watcher = recordingPeer('watcher');
    /** A live document holding exactly the base content, as a reload from the store gives. */
    const fresh = (withBase: boolean) => {
      const doc = new Y.Doc();
      if (withBase) Y.applyUpdate(doc, Y.encodeStateAsUpdate(base.doc));
      const created = new LiveDocument('fuzz', doc, 0, deps);
      created.peers.add(author);
      created.peers.add(watcher);
      return created;
    };
    let live = fresh(false);
    for (const update of base.updates) expect(live.applyPeerUpdate(author, update, 1)).toBe('applied');

    // Fresh editing updates that build on the shared content.
    const editor = new Y.Doc();
    Y.applyUpdate(editor, Y.encodeStateAsUpdate(base.doc));
    const candidates: Uint8Array[] = [];
    editor.on('update', (u: Uint8Array) => candidates.push(u));
    const paragraph = editor.getXmlFragment(DOCUMENT_FIELD).get(0) as Y.XmlElement;
    (paragraph.get(0) as Y.XmlText).insert(10, ' of the network');
    (paragraph.get(0) as Y.XmlText).delete(0, 4);
    editor.getXmlFragment(DOCUMENT_FIELD).delete(1, 1);

    const outcomes = { rejected: 0, gap: 0, applied: 0, reloaded: 0 };
    for (let i = 0; i < 3000; i++) {
      const original = candidates[Math.floor(next() * candidates.length)]!;
      const mutated = corrupt(original, next);
      const before = live.doc.getXmlFragment(DOCUMENT_FIELD).toString();
      const stateBefore = Y.encodeStateVector(live.doc);
      watcher.received.length = 0;
      const result = live.applyPeerUpdate(author, mutated, i + 2);
      if (result === 'rejected' || result === 'gap') {
        // A gap (builds on unknown changes) is left out just like garbage; the connection
        // then asks its client to fill it.
        outcomes[result]++;
        expect(live.doc.getXmlFragment(DOCUMENT_FIELD).toString()).toBe(before);
        expect(Y.encodeStateVector(live.doc)).toEqual(stateBefore);
        expect(watcher.received).toHaveLength(0);
      } else if (result === 'applied') {
        outcomes.applied++;
        expect(live.doc.store.pendingStructs).toBeNull();
        expect(live.doc.store.pendingDs).toBeNull();
      } else {
        // Second line of defence: the document is dropped and rebuilt from accepted state.
        outcomes.reloaded++;
        expect(watcher.received).toHaveLength(0);
        live.destroy();
        live = fresh(true);
      }
      // Undo accepted mutations so every round starts from the same state.
      if (result === 'applied' && live.doc.getXmlFragment(DOCUMENT_FIELD).toString() !== before) {
        live.destroy();
        live = fresh(true);
      }
    }
    expect(outcomes.rejected + outcomes.gap + outcomes.applied + outcomes.reloaded).toBe(3000);
    // Most corruption is caught before it touches the document at all.
    expect(outcomes.rejected + outcomes.gap).toBeGreaterThan(outcomes.reloaded * 10);
    live.destroy();
  });
});
