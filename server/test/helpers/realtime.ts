import { io as connect, type Socket } from 'socket.io-client';
import {
  aggregatePresence,
  type Ack,
  type ClientToServerEvents,
  type ConnectionPresence,
  type MeetingState,
  type PersonPresence,
  type ServerToClientEvents,
} from '@jane/shared';

export type RealtimeClient = Socket<ServerToClientEvents, ClientToServerEvents> & {
  /** Live view of each workspace's connections, from the snapshot plus events. */
  presence: Map<string, Map<string, ConnectionPresence>>;
  meetings: Map<string, MeetingState>;
  people(workspaceId: string): PersonPresence[];
};

/** A real socket.io client with the user's session cookie, keeping presence like the app does. */
export async function connectRealtime(baseUrl: string, cookie: string | null, options: { hidden?: boolean; origin?: string } = {}): Promise<RealtimeClient> {
  const headers: Record<string, string> = {};
  if (cookie) headers.cookie = cookie;
  if (options.origin) headers.origin = options.origin;
  const socket = connect(baseUrl, {
    path: '/socket.io',
    transports: ['websocket'],
    extraHeaders: headers,
    auth: { hidden: options.hidden ?? false },
    reconnection: true,
    reconnectionDelay: 50,
    reconnectionDelayMax: 200,
    forceNew: true,
  }) as RealtimeClient;
  socket.presence = new Map();
  socket.meetings = new Map();
  socket.people = (workspaceId) => aggregatePresence(socket.presence.get(workspaceId)?.values() ?? []);
  socket.on('presence:changed', ({ workspaceId, connection }) => {
    if (!socket.presence.has(workspaceId)) socket.presence.set(workspaceId, new Map());
    socket.presence.get(workspaceId)!.set(connection.connectionId, connection);
  });
  socket.on('presence:left', ({ workspaceId, connectionId }) => {
    socket.presence.get(workspaceId)?.delete(connectionId);
  });
  socket.on('meeting:changed', ({ workspaceId, state }) => {
    if (state.meeting.endedAt) socket.meetings.delete(workspaceId);
    else socket.meetings.set(workspaceId, state);
  });
  const refresh = async () => {
    const snapshot = await call<{ workspaces: Record<string, ConnectionPresence[]>; meetings: Record<string, MeetingState> }>(socket, 'presence:snapshot');
    for (const [workspaceId, connections] of Object.entries(snapshot.workspaces)) {
      socket.presence.set(workspaceId, new Map(connections.map((c) => [c.connectionId, c])));
    }
    socket.meetings = new Map(Object.entries(snapshot.meetings));
  };
  socket.on('connect', () => void refresh().catch(() => undefined));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(error));
  });
  await refresh();
  return socket;
}

/** Emits an event and resolves with its acknowledgement (ok or error). */
export function emitWithAck<T>(socket: Socket, event: string, ...args: unknown[]): Promise<Ack<T>> {
  return new Promise((resolve) => socket.emit(event, ...args, (result: Ack<T>) => resolve(result)));
}

/** Emits an event and resolves with its data, or throws the server's error message. */
export async function call<T>(socket: Socket, event: string, ...args: unknown[]): Promise<T> {
  const result = await emitWithAck<T>(socket, event, ...args);
  if (!result.ok) throw new Error(`${event}: ${result.error.code}: ${result.error.message}`);
  return result.data;
}
