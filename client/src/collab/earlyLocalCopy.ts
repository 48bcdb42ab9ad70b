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
import { localCopyDatabase } from './localCopies';

export interface LocalCopy {
  doc: Y.Doc;
  persistence: IndexeddbPersistence;
}

const KEEP_MS = 5000;
let early: { documentId: string; copy: LocalCopy; timer: ReturnType<typeof setTimeout> } | null = null;

function openLocalCopy(documentId: string): LocalCopy {
  const doc = new Y.Doc();
  return { doc, persistence: new IndexeddbPersistence(localCopyDatabase(documentId), doc) };
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
