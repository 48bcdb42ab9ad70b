/**
 * y-indexeddb writes every change to this device's copy as it happens: one IndexedDB
 * transaction each, on the main thread — in a meeting, more than a millisecond for every
 * colleague's keystroke. Colleagues' changes came from the server, which has them
 * already, so they are written together at most {@link COLLEAGUES_WRITE_DELAY_MS} later
 * (merged into one update), and at once when the page is hidden, left or reloaded, or the
 * document closed. Leaving writes from `beforeunload`: a write started in `pagehide` does
 * not finish before a reload (seen in offline-reload.spec).
 *
 * Our own changes are written at once, as before: the copy is what keeps them when the
 * connection or the tab goes. Colleagues' changes waiting to be written go first, so the
 * copy never holds a change of ours without what it was typed into.
 */
import * as Y from 'yjs';
import type { IndexeddbPersistence } from 'y-indexeddb';

export const COLLEAGUES_WRITE_DELAY_MS = 1000;

type StoreUpdate = (update: Uint8Array, origin: unknown) => void;

/** Rewires `persistence` as above; `fromServer` tells an update's origin. Returns the flush. */
export function writeColleaguesChangesTogether(persistence: IndexeddbPersistence, fromServer: (origin: unknown) => boolean): () => void {
  const holder = persistence as unknown as { _storeUpdate: StoreUpdate };
  const store = holder._storeUpdate;
  const doc = persistence.doc;
  let waiting: Uint8Array[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;

  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (!waiting.length) return;
    const updates = waiting;
    waiting = [];
    store(updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates), null);
  };
  const onUpdate: StoreUpdate = (update, origin) => {
    if (origin === persistence) return; // read from the copy itself
    if (!fromServer(origin)) {
      flush();
      store(update, origin);
      return;
    }
    waiting.push(update);
    timer ??= setTimeout(flush, COLLEAGUES_WRITE_DELAY_MS);
  };
  const onHidden = () => {
    if (document.visibilityState === 'hidden') flush();
  };

  doc.off('update', store);
  doc.on('update', onUpdate);
  // y-indexeddb removes its listener by this name when it is destroyed.
  holder._storeUpdate = onUpdate;
  document.addEventListener('visibilitychange', onHidden);
  window.addEventListener('pagehide', flush);
  window.addEventListener('beforeunload', flush);
  const stop = () => {
    document.removeEventListener('visibilitychange', onHidden);
    window.removeEventListener('pagehide', flush);
    window.removeEventListener('beforeunload', flush);
  };
  doc.once('destroy', stop);
  return () => {
    flush();
    stop();
  };
}
