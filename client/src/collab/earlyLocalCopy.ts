/**
 * Opening a document page starts reading this device's copy of the document (IndexedDB)
 * as soon as the address is known — while the session is checked and the page's code
 * loads — so that the editor is built with the text already in it instead of empty and
 * filled a moment later, and the server, told what the copy holds, sends only what it
 * lacks. The page takes the copy once; one not taken within a few seconds is closed.
 *
 * Nothing is shown from it before the page is allowed to open: it is the same copy the
 * page would read itself, read earlier.
 */
import * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';
import { localCopyDatabase, takeEarlyCopyRead } from './localCopies';

export interface LocalCopy {
  doc: Y.Doc;
  persistence: IndexeddbPersistence;
  /** Resolves once what the copy held is in `doc`: read early, or read by y-indexeddb. */
  inDocument: Promise<void>;
}

const KEEP_MS = 5000;
let early: { documentId: string; copy: LocalCopy; timer: ReturnType<typeof setTimeout> } | null = null;

function openLocalCopy(documentId: string): LocalCopy {
  const doc = new Y.Doc();
  const persistence = new IndexeddbPersistence(localCopyDatabase(documentId), doc);
  // Read early (localCopies.ts): applied as soon as it is here, and y-indexeddb, once
  // its database is open, reads only what was stored after it. If y-indexeddb has begun
  // its own read already, that read brings everything and the early one is dropped.
  let readEarly: () => void = () => undefined;
  const inDocument = Promise.race([persistence.whenSynced.then(() => undefined), new Promise<void>((resolve) => (readEarly = resolve))]);
  takeEarlyCopyRead(documentId, (read) => {
    if (persistence.db !== null || persistence._destroyed) return;
    Y.transact(doc, () => read.updates.forEach((update) => Y.applyUpdate(doc, update)), persistence, false);
    persistence._dbref = read.lastKey + 1;
    performance.mark('jane:local-copy-read-early');
    readEarly();
  });
  return { doc, persistence, inDocument };
}

function dropEarlyCopy(): void {
  if (!early) return;
  clearTimeout(early.timer);
  void early.copy.persistence.destroy();
  early.copy.doc.destroy();
  early = null;
}

/** Starts loading the copy of this document (see router.ts: only for a document this device has a copy of). */
export function loadLocalCopyEarly(documentId: string): void {
  if (early?.documentId === documentId) return;
  dropEarlyCopy();
  early = { documentId, copy: openLocalCopy(documentId), timer: setTimeout(dropEarlyCopy, KEEP_MS) };
}

/** The document page's copy: the one loading already, or a new one. */
export function takeLocalCopy(documentId: string): LocalCopy {
  if (early?.documentId !== documentId) return openLocalCopy(documentId);
  const { copy, timer } = early;
  clearTimeout(timer);
  early = null;
  return copy;
}
