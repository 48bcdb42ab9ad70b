/**
 * Listening to server events on the tab's socket, for stores and pages that follow
 * something live (threads, notifications, presence, meetings).
 *
 * The socket is replaced after a sign-out and a new sign-in, and a listener registered
 * twice on one socket would run twice per event; so the listeners are registered once
 * per socket instance, on its first connect, moved to the new socket when there is one,
 * and removed from it by the returned stop.
 */
import type { ServerToClientEvents } from '@jane/shared/core';
import { onRealtimeConnect, type RealtimeSocket } from './socket';

export type RealtimeListeners = { [E in keyof ServerToClientEvents]?: ServerToClientEvents[E] };

/** `on`/`off` without the per-event typing (the listeners were typed by {@link RealtimeListeners}). */
interface UntypedEmitter {
  on(event: string, listener: (...args: never[]) => void): unknown;
  off(event: string, listener: (...args: never[]) => void): unknown;
}

/**
 * Keeps `listeners` registered on the tab's socket until the returned function is
 * called. `onConnect` runs after every (re)connect, with the listeners in place: the
 * place to ask again for what the server forgot (watched documents, a fresh snapshot,
 * what was missed while disconnected).
 */
export function subscribeRealtime(listeners: RealtimeListeners, onConnect?: (socket: RealtimeSocket) => void): () => void {
  const entries = Object.entries(listeners) as [string, (...args: never[]) => void][];
  let registeredOn: UntypedEmitter | null = null;

  function unregister(): void {
    if (!registeredOn) return;
    for (const [event, listener] of entries) registeredOn.off(event, listener);
    registeredOn = null;
  }

  function registerOn(socket: RealtimeSocket): void {
    const emitter = socket as unknown as UntypedEmitter;
    if (registeredOn === emitter) return;
    unregister();
    for (const [event, listener] of entries) emitter.on(event, listener);
    registeredOn = emitter;
  }

  const stopConnect = onRealtimeConnect((socket) => {
    registerOn(socket);
    onConnect?.(socket);
  });
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    stopConnect();
    unregister();
  };
}
