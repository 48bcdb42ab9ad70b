import type { Server, Socket } from 'socket.io';
import type { Activity, ClientToServerEvents, ServerToClientEvents } from '@jane/shared';
import type { RelayedAccessEvent } from './clusterEvents.js';

/** What the server knows about one connection; shared across instances through the adapter. */
export interface SocketData {
  userId: string;
  name: string;
  country: string;
  organisation: string;
  color: string;
  isAdmin: boolean;
  /** Workspaces whose rooms this connection is in (the user's memberships; all for admins). */
  workspaceIds: string[];
  presence: {
    workspaceId: string | null;
    documentId: string | null;
    documentTitle: string | null;
    sectionId: string | null;
    sectionTitle: string | null;
    activity: Activity;
    hidden: boolean;
    activeAt: string;
    connectedAt: string;
  };
  /** Meetings this connection joined. */
  meetingIds: string[];
  /** Documents whose threads this connection watches (document id → workspace id). */
  watched: Record<string, string>;
}

/** Events between server instances (through the Redis adapter). */
export interface InterServerEvents {
  'access:event': (event: RelayedAccessEvent) => void;
}

export type RealtimeIO = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type RealtimeSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export const workspaceRoom = (workspaceId: string) => `workspace:${workspaceId}`;
export const userRoom = (userId: string) => `user:${userId}`;
export const meetingRoom = (meetingId: string) => `meeting:${meetingId}`;
export const documentRoom = (documentId: string) => `document:${documentId}`;
