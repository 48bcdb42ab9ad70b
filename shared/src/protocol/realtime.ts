/**
 * socket.io events (everything that is not document content): presence, meetings and,
 * later, comment threads and notifications. Event names and payloads are typed once
 * here for the server and the client. Every client→server event takes an
 * acknowledgement callback answering {@link Ack}.
 */
import { z } from 'zod';
import { singleLine } from '../schemas/text.js';
import { IdSchema } from '../schemas/api.js';
import { ACTIVITIES, type ConnectionPresence } from '../domain/presence.js';
import type { NotificationView, ThreadView } from '../schemas/comments.js';

/* ---------------------------------------------------------------- presence */

export const ActivitySchema = z.enum(ACTIVITIES);

/** Where a client says it is. The server checks it and adds titles itself. */
export const PresenceUpdateSchema = z.strictObject({
  workspaceId: IdSchema.nullable(),
  documentId: IdSchema.nullable(),
  /** The section the caret is in: its id (what follow-the-chair and the agenda use) … */
  sectionId: IdSchema.nullable().default(null),
  /** … and its title, only a label. */
  sectionTitle: z.string().trim().max(300).nullable(),
  activity: ActivitySchema,
  /** Hide me from workspace presence lists (still counted in meetings I joined). */
  hidden: z.boolean(),
});
export type PresenceUpdate = z.input<typeof PresenceUpdateSchema>;

/* ---------------------------------------------------------------- meetings */

export const AgendaItemSchema = z.strictObject({
  title: singleLine(300),
  documentId: IdSchema.nullable().default(null),
  /** The section discussed: its id points at it whatever it is renamed to; the title is a label. */
  sectionId: IdSchema.nullable().default(null),
  sectionTitle: z.string().trim().max(300).nullable().default(null),
});
export type AgendaItem = z.infer<typeof AgendaItemSchema>;

export const StartMeetingRequestSchema = z.strictObject({
  title: singleLine(200, 'Give the meeting a title'),
  agenda: z.array(AgendaItemSchema).max(50).default([]),
  /** Minimum number of countries represented for quorum; null: no quorum rule. */
  quorumCountries: z.number().int().min(1).max(60).nullable().default(null),
});
export type StartMeetingRequest = z.input<typeof StartMeetingRequestSchema>;

export const UpdateMeetingRequestSchema = z
  .strictObject({
    title: singleLine(200).optional(),
    agenda: z.array(AgendaItemSchema).max(50).optional(),
    quorumCountries: z.number().int().min(1).max(60).nullable().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'Nothing to change' });
export type UpdateMeetingRequest = z.input<typeof UpdateMeetingRequestSchema>;

export const CreateMinutesRequestSchema = z.strictObject({
  /** The IANA time zone the minutes' times are written in. */
  timeZone: z.string().max(64).default('UTC'),
});
export type CreateMinutesRequest = z.input<typeof CreateMinutesRequestSchema>;


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
  /** The minutes document created from this meeting, if any. */
  minutesDocumentId: string | null;
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
  /** Still in the meeting when it ended (someone who closed the tab is not). While it runs: present now. */
  presentAtEnd: boolean;
}

/** A member of the workspace who has not joined the meeting (yet). */
export interface Absentee {
  userId: string;
  name: string;
  country: string;
  organisation: string;
  role: string;
}

/** A moment the quorum was reached or lost, with how many countries were present then. */
export interface QuorumChange {
  at: string;
  met: boolean;
  countries: number;
}

export interface MeetingState {
  meeting: Meeting;
  attendees: Attendee[];
  /** Members who have not joined (after the meeting: who never joined). */
  absentees: Absentee[];
  /** Countries of attendees present now (or, after the meeting, of everyone who attended). */
  countriesRepresented: string[];
  /** Countries present now (after the meeting: present at its end). */
  countriesPresent: string[];
  /** Countries of all the workspace's members. */
  workspaceCountries: string[];
  /**
   * `met`: now, or at the end of an ended meeting. `timeline`: every moment it was reached
   * or lost (against the current requirement).
   */
  quorum: { required: number | null; met: boolean | null; timeline: QuorumChange[] };
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
  /**
   * A thread was created or changed (reply, edit, resolve…). Sent to connections watching
   * its document and to every member of its workspace (for the "Open threads" view).
   */
  'thread:changed': (event: { workspaceId: string; documentId: string; thread: ThreadView }) => void;
  /** A thread is gone (all its comments deleted); sent like `thread:changed`. */
  'thread:removed': (event: { workspaceId: string; documentId: string; threadId: string }) => void;
  /** A section's owner or status changed: fetch the document's sections again. */
  'sections:changed': (event: { workspaceId: string; documentId: string }) => void;
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

