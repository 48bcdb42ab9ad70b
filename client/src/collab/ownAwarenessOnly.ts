/**
 * The stock y-websocket provider sends every awareness change it sees — other people's
 * caret moves it has just received included — back to the server. In a meeting of 50
 * each caret move then comes back 49 times: the server parses and drops them (it only
 * accepts a connection's own states), and every browser spends the encoding and the
 * send on it.
 *
 * This makes the provider send only this tab's own awareness state (set, renewed,
 * removed on close); the server relays it to the others as before.
 */
import type { WebsocketProvider } from 'y-websocket';

/** What an awareness 'update' or 'change' event reports. */
export interface AwarenessChanges {
  added: number[];
  updated: number[];
  removed: number[];
}

export function sendOwnAwarenessOnly(provider: WebsocketProvider): void {
  const own = provider.awareness.clientID;
  const sendAll = provider._awarenessUpdateHandler;
  const mine = (id: number) => id === own;
  const sendOwn = (changes: AwarenessChanges, origin: unknown) => {
    if (!changes.added.some(mine) && !changes.updated.some(mine) && !changes.removed.some(mine)) return;
    sendAll({ added: changes.added.filter(mine), updated: changes.updated.filter(mine), removed: changes.removed.filter(mine) }, origin);
  };
  provider.awareness.off('update', sendAll);
  provider.awareness.on('update', sendOwn);
  // The provider removes its handler by this name when it is destroyed.
  provider._awarenessUpdateHandler = sendOwn;
}
