/**
 * socket.io events (everything that is not document content): presence, meetings and,
 * later, comment threads and notifications. Event names and payloads are typed once
 * here for the server and the client. Every client→server event takes an
 * acknowledgement callback answering {@link Ack}.
 */
import { z } from 'zod';
import { IdSchema } from '../schemas/api.js';
import type { NotificationView, ThreadView } from '../schemas/comments.js';

/* ---------------------------------------------------------------- presence */

export const ACTIVITIES = ['active', 'idle', 'away'] as const;
export const ActivitySchema = z.enum(ACTIVITIES);
export type Activity = z.infer<typeof ActivitySchema>;

/** Minutes without input after which a client reports itself idle. */
export const IDLE_AFTER_MINUTES = 3;

/** Where a client says it is. The server checks it and adds titles itself. */
export const PresenceUpdateSchema = z.strictObject({
  workspaceId: IdSchema.nullable(),
  documentId: IdSchema.nullable(),
  /** Title of the heading the caret is under. */
  sectionTitle: z.string().trim().max(300).nullable(),
  activity: ActivitySchema,
  /** Hide me from workspace presence lists (still counted in meetings I joined). */
  hidden: z.boolean(),
});
export type PresenceUpdate = z.infer<typeof PresenceUpdateSchema>;

/** Where a person is, as members of one workspace may see it. */
export type PresenceLocation =
  | { kind: 'workspace' }
  | { kind: 'document'; documentId: string; documentTitle: string; sectionTitle: string | null }
  /** Online, but not in this workspace (we do not reveal where). */
  | { kind: 'elsewhere' };

/** One connection (browser tab) as seen from one workspace. */
export interface ConnectionPresence {
  connectionId: string;
  userId: string;
  name: string;
  country: string;
  organisation: string;
  color: string;
  activity: Activity;
  location: PresenceLocation;
  /** When this connection last reported activity (ISO). */
  activeAt: string;
  connectedAt: string;
}

/** One person, all their tabs folded into one. */
export interface PersonPresence {
  userId: string;
  name: string;
  country: string;
  organisation: string;
  color: string;
  activity: Activity;
  location: PresenceLocation;
  connections: number;
  connectedAt: string;
}

const ACTIVITY_RANK: Record<Activity, number> = { active: 0, idle: 1, away: 2 };
const LOCATION_RANK: Record<PresenceLocation['kind'], number> = { document: 0, workspace: 1, elsewhere: 2 };

/**
 * Several tabs of one person count as one person: the most active tab decides the
 * activity, the most recently active tab in this workspace decides the location.
 */
export function aggregatePresence(connections: Iterable<ConnectionPresence>): PersonPresence[] {
  const byUser = new Map<string, ConnectionPresence[]>();
  for (const connection of connections) {
    const list = byUser.get(connection.userId);
    if (list) list.push(connection);
    else byUser.set(connection.userId, [connection]);
  }
  const people: PersonPresence[] = [];
  for (const [userId, list] of byUser) {
    const best = [...list].sort(
      (a, b) =>
        ACTIVITY_RANK[a.activity] - ACTIVITY_RANK[b.activity] ||
        LOCATION_RANK[a.location.kind] - LOCATION_RANK[b.location.kind] ||
        b.activeAt.localeCompare(a.activeAt),
    )[0]!;
    people.push({
      userId,
      name: best.name,
      country: best.country,
      organisation: best.organisation,
      color: best.color,
      activity: best.activity,
      location: best.location,
      connections: list.length,
      connectedAt: list.map((c) => c.connectedAt).sort()[0]!,
    });
  }
  return people.sort((a, b) => a.name.localeCompare(b.name));
}

/* ---------------------------------------------------------------- meetings */

export const AgendaItemSchema = z.strictObject({
  title: z.string().trim().min(1).max(300),
  documentId: IdSchema.nullable().default(null),
  sectionTitle: z.string().trim().max(300).nullable().default(null),
});
export type AgendaItem = z.infer<typeof AgendaItemSchema>;

export const StartMeetingRequestSchema = z.strictObject({
  title: z.string().trim().min(1, 'Give the meeting a title').max(200),
  agenda: z.array(AgendaItemSchema).max(50).default([]),
  /** Minimum number of countries represented for quorum; null: no quorum rule. */
  quorumCountries: z.number().int().min(1).max(60).nullable().default(null),
});
export type StartMeetingRequest = z.input<typeof StartMeetingRequestSchema>;

export const UpdateMeetingRequestSchema = z
  .strictObject({
    title: z.string().trim().min(1).max(200).optional(),
    agenda: z.array(AgendaItemSchema).max(50).optional(),
    quorumCountries: z.number().int().min(1).max(60).nullable().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'Nothing to change' });
export type UpdateMeetingRequest = z.input<typeof UpdateMeetingRequestSchema>;

/** Minutes after the start after which an attendee counts as a late joiner. */
export const LATE_AFTER_MINUTES = 5;

export interface Meeting {
  id: string;
  workspaceId: string;
  title: string;
  agenda: AgendaItem[];
  quorumCountries: number | null;
  startedAt: string;
  startedBy: string;
  startedByName: string;
  endedAt: string | null;
}

export interface AttendanceInterval {
  joinedAt: string;
  leftAt: string | null;
}

export interface Attendee {
  userId: string;
  name: string;
  email: string;
  country: string;
  organisation: string;
  role: string;
  /** Present in the meeting right now. */
  present: boolean;
  firstJoinedAt: string;
  /** When they last left, if they are not present. */
  leftAt: string | null;
  intervals: AttendanceInterval[];
  minutesPresent: number;
  late: boolean;
}

export interface MeetingState {
  meeting: Meeting;
  attendees: Attendee[];
  /** Countries of attendees present now (or, after the meeting, of everyone who attended). */
  countriesRepresented: string[];
  /** Countries of all the workspace's members. */
  workspaceCountries: string[];
  quorum: { required: number | null; met: boolean | null };
}

/* ---------------------------------------------------------------- events */

export interface AckError {
  code: string;
  message: string;
}
export type Ack<T = null> = { ok: true; data: T } | { ok: false; error: AckError };
export type AckCallback<T = null> = (result: Ack<T>) => void;

export interface PresenceSnapshot {
  /** Connections per workspace the user belongs to (as seen from that workspace). */
  workspaces: Record<string, ConnectionPresence[]>;
  /** Running meetings in those workspaces. */
  meetings: Record<string, MeetingState>;
}

export interface ServerToClientEvents {
  'presence:changed': (event: { workspaceId: string; connection: ConnectionPresence }) => void;
  'presence:left': (event: { workspaceId: string; connectionId: string }) => void;
  /** A meeting started, changed, someone joined or left, or it ended (`state.meeting.endedAt` set). */
  'meeting:changed': (event: { workspaceId: string; meetingId: string; state: MeetingState }) => void;
  /** Your access changed (added to or removed from a workspace): fetch a new snapshot. */
  'access:changed': (event: { workspaceId: string }) => void;
  /** A thread of a watched document was created or changed (reply, edit, resolve…). */
  'thread:changed': (event: { documentId: string; thread: ThreadView }) => void;
  /** A thread of a watched document is gone (all its comments deleted). */
  'thread:removed': (event: { documentId: string; threadId: string }) => void;
  /** A new notification for you. */
  'notification:new': (event: { notification: NotificationView; unreadCount: number }) => void;
  /** Notifications were marked read (in another tab, say); `ids: null` means all. */
  'notifications:read': (event: { ids: string[] | null; unreadCount: number }) => void;
}

export interface ClientToServerEvents {
  'presence:update': (update: PresenceUpdate, ack?: AckCallback) => void;
  'presence:snapshot': (ack: AckCallback<PresenceSnapshot>) => void;
  'meeting:start': (request: { workspaceId: string } & StartMeetingRequest, ack: AckCallback<MeetingState>) => void;
  'meeting:update': (request: { meetingId: string } & UpdateMeetingRequest, ack: AckCallback<MeetingState>) => void;
  'meeting:end': (request: { meetingId: string }, ack: AckCallback<MeetingState>) => void;
  'meeting:join': (request: { meetingId: string }, ack: AckCallback<MeetingState>) => void;
  'meeting:leave': (request: { meetingId: string }, ack: AckCallback<MeetingState>) => void;
  /** Receive `thread:changed`/`thread:removed` for a document (access is checked); answers its threads. */
  'document:watch': (request: { documentId: string }, ack: AckCallback<{ threads: ThreadView[] }>) => void;
  'document:unwatch': (request: { documentId: string }, ack?: AckCallback) => void;
}

/** Path of the socket.io endpoint (the default). */
export const REALTIME_PATH = '/socket.io';
