/**
 * How changes reach this device's copy of a document (IndexedDB, y-indexeddb).
 *
 * y-indexeddb writes every change in its own IndexedDB transaction. In a meeting, where a
 * few colleagues type and every keystroke of theirs arrives here, that was a transaction
 * per keystroke on the main thread (about 1 ms each in a 50-page draft). What arrives
 * from the server is already stored there, so it is written here in one transaction a
 * moment later instead; what is typed here is written at once, as before.
 *
 * One rule keeps the copy whole: before a change typed here is written, everything
 * received before it is written first (in an earlier transaction, which IndexedDB
 * completes first). A local change always builds on what was received before it; without
 * its base in the copy, an offline reopen could not show it. The held changes are also
 * written when the page is hidden or left, and when the document closes.
 */
import * as Y from 'yjs';
import type { IndexeddbPersistence } from 'y-indexeddb';
import { UPDATES_STORE } from './localCopies';

/** How long received changes wait to be written together. */
const RECEIVED_WRITE_DELAY_MS = 1000;

/** Transaction origin given to the held changes when they are written (not `persistence`: that origin is never stored). */
const HELD_CHANGES = Symbol('received changes');

/**
 * Takes over the persistence's writes: changes whose transaction origin is `receivedOrigin`
 * (the WebSocket provider) are held and written together. Returns a function that writes
 * what is held and stops (call it before destroying the persistence).
 */
export function writeReceivedChangesTogether(persistence: IndexeddbPersistence, doc: Y.Doc, receivedOrigin: unknown): () => void {
  const storeUpdate = persistence._storeUpdate;
  let held: Uint8Array[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;

  const takeHeld = (): Uint8Array | null => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (held.length === 0) return null;
    const update = held.length === 1 ? held[0]! : Y.mergeUpdates(held);
    held = [];
    return update;
  };

  const writeHeld = () => {
    const update = takeHeld();
    if (update) storeUpdate(update, HELD_CHANGES);
  };

  // Leaving the page: a transaction still open when the document unloads is aborted, so
  // this one is committed at once (y-indexeddb's own writes wait for the next task).
  const writeHeldBeforeLeaving = () => {
    const update = takeHeld();
    if (!update || !persistence.db) return;
    const transaction = persistence.db.transaction([UPDATES_STORE], 'readwrite');
    transaction.objectStore(UPDATES_STORE).add(update);
    transaction.commit();
  };

  const onUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === persistence) return; // read from the copy itself
    if (origin === receivedOrigin) {
      held.push(update);
      timer ??= setTimeout(writeHeld, RECEIVED_WRITE_DELAY_MS);
      return;
    }
    writeHeld();
    storeUpdate(update, origin);
  };

  const onHidden = () => {
    if (document.visibilityState === 'hidden') writeHeldBeforeLeaving();
  };

  doc.off('update', storeUpdate);
  doc.on('update', onUpdate);
  window.addEventListener('pagehide', writeHeldBeforeLeaving);
  document.addEventListener('visibilitychange', onHidden);

  return () => {
    writeHeld();
    doc.off('update', onUpdate);
    window.removeEventListener('pagehide', writeHeldBeforeLeaving);
    document.removeEventListener('visibilitychange', onHidden);
  };
}
