/**
 * The one socket.io connection of this tab (presence, meetings, comment threads,
 * notifications). Opened while someone is signed in, closed when they sign out. It uses
 * the WebSocket transport only, so several server instances need no sticky sessions.
 * Never put the socket itself in reactive state; `realtimeConnected` mirrors its state.
 */
import { io, type Socket } from 'socket.io-client';
import { ref } from 'vue';
import { REALTIME_PATH, type Ack, type ClientToServerEvents, type ServerToClientEvents } from '@jane/shared/core';

export type RealtimeSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Whether the realtime connection is up (for "reconnecting…" hints). */
export const realtimeConnected = ref(false);

const HIDDEN_KEY = 'jane.presenceHidden';
let socket: RealtimeSocket | null = null;
const connectListeners = new Set<(socket: RealtimeSocket) => void>();

/** The person's choice to hide from presence lists on this device. */
export function presenceHiddenPreference(): boolean {
  try {
    return localStorage.getItem(HIDDEN_KEY) === '1';
  } catch {
    return false;
  }
}

export function setPresenceHiddenPreference(hidden: boolean): void {
  try {
    localStorage.setItem(HIDDEN_KEY, hidden ? '1' : '0');
  } catch {
    // private mode: the choice lasts for this page only
  }
  if (socket) socket.auth = { hidden };
}

/** The tab's socket, connecting it on first use. */
export function realtimeSocket(): RealtimeSocket {
  if (socket) return socket;
  const created: RealtimeSocket = io({
    path: REALTIME_PATH,
    transports: ['websocket'],
    auth: { hidden: presenceHiddenPreference() },
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
  });
  created.on('connect', () => {
    realtimeConnected.value = true;
    for (const listener of connectListeners) listener(created);
  });
  created.on('disconnect', () => {
    realtimeConnected.value = false;
  });
  socket = created;
  return created;
}

/**
 * Runs `listener` now if connected and after every (re)connect — the place to re-send
 * state the server must know after a reconnect (presence, joined meetings, watched
 * documents). Returns a function that stops it.
 */
export function onRealtimeConnect(listener: (socket: RealtimeSocket) => void): () => void {
  connectListeners.add(listener);
  const current = realtimeSocket();
  if (current.connected) listener(current);
  return () => connectListeners.delete(listener);
}

/** Closes the connection (sign-out). */
export function closeRealtime(): void {
  socket?.disconnect();
  socket = null;
  realtimeConnected.value = false;
}

/** An error the server answered an event with (same codes and messages as the REST API). */
export class RealtimeError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RealtimeError';
  }
}

/** The acknowledgement callback of an event (required or optional), or never. */
type AckOf<E extends keyof ClientToServerEvents> = NonNullable<Required<Parameters<ClientToServerEvents[E]>> extends [...infer _A, infer Last] ? Last : never>;

type EventsWithAck = {
  [E in keyof ClientToServerEvents]: AckOf<E> extends (result: Ack<infer _T>) => void ? E : never;
}[keyof ClientToServerEvents];

type AckData<E extends keyof ClientToServerEvents> = AckOf<E> extends (result: Ack<infer T>) => void ? T : never;

/** The event's arguments before its acknowledgement. */
type ArgsOf<E extends keyof ClientToServerEvents> = Required<Parameters<ClientToServerEvents[E]>> extends [...infer A, unknown] ? A : never;

/**
 * Emits an event and resolves with the server's answer, or rejects with a
 * {@link RealtimeError} (or a timeout while the connection is down).
 */
export function request<E extends EventsWithAck>(
  event: E,
  ...args: ArgsOf<E>
): Promise<AckData<E>> {
  const target = realtimeSocket();
  return new Promise((resolve, reject) => {
    // Bound: `emit` needs its socket as `this` (a detached call throws before sending).
    const timed = target.timeout(10_000);
    const emit = timed.emit.bind(timed) as unknown as (name: string, ...rest: unknown[]) => void;
    emit(event, ...args, (error: Error | null, result: Ack<AckData<E>>) => {
      if (error) reject(new RealtimeError('timeout', 'The server did not answer. Check your connection and try again.'));
      else if (result.ok) resolve(result.data);
      else reject(new RealtimeError(result.error.code, result.error.message));
    });
  });
}
