import type { AgendaItem, Role } from '@jane/shared';
import { DuplicateKeyError, type AttendeeRecord, type IntervalRecord, type MeetingRecord, type MeetingRepository } from '../port.js';
import { integer, json, table, text } from './table.js';
import { isUniqueViolation, type Connection } from './util.js';

/** A unique partial index (`meetings_running`) allows one meeting with `ended_at IS NULL` per workspace. */
export const MEETINGS = table<MeetingRecord>('meetings', {
  id: text,
  workspaceId: text('workspace_id'),
  title: text,
  agenda: json<AgendaItem[]>(),
  quorumCountries: integer.nullable('quorum_countries'),
  startedAt: text('started_at'),
  startedBy: text('started_by'),
  endedAt: text.nullable('ended_at'),
  minutesDocumentId: text.nullable('minutes_document_id'),
});

export const ATTENDEES = table<AttendeeRecord>('meeting_attendees', {
  meetingId: text('meeting_id'),
  userId: text('user_id'),
  name: text,
  email: text,
  country: text,
  organisation: text,
  role: text<Role>(),
  firstJoinedAt: text('first_joined_at'),
});

/**
 * The table also has `id` (autoincrement: the order of intervals that start together).
 * A unique partial index (`meeting_intervals_open`) allows one open interval per person.
 */
export const INTERVALS = table<IntervalRecord>('meeting_intervals', {
  meetingId: text('meeting_id'),
  userId: text('user_id'),
  joinedAt: text('joined_at'),
  leftAt: text.nullable('left_at'),
  disconnectedAt: text.nullable('disconnected_at'),
});

export function sqliteMeetings({ db, statement }: Connection): MeetingRepository {
  const meetings = MEETINGS.on(statement);
  const attendees = ATTENDEES.on(statement);
  const intervals = INTERVALS.on(statement);
  const findById = (id: string) => meetings.get('SELECT * FROM meetings WHERE id = ?', id);

  const join = db.transaction((attendee: AttendeeRecord, at: string): boolean => {
    // The first join's name, role and organisation are kept: attendance shows who came as they were then.
    attendees.insert(attendee, 'ON CONFLICT (meeting_id, user_id) DO NOTHING');
    const reconnected = statement('UPDATE meeting_intervals SET disconnected_at = NULL WHERE meeting_id = ? AND user_id = ? AND left_at IS NULL').run(attendee.meetingId, attendee.userId);
    if (reconnected.changes > 0) return false;
    intervals.insert({ meetingId: attendee.meetingId, userId: attendee.userId, joinedAt: at, leftAt: null, disconnectedAt: null });
    return true;
  });

  const end = db.transaction((id: string, at: string): boolean => {
    const changed = statement('UPDATE meetings SET ended_at = ? WHERE id = ? AND ended_at IS NULL').run(at, id).changes;
    if (changed === 0) return false;
    statement('UPDATE meeting_intervals SET left_at = COALESCE(disconnected_at, ?), disconnected_at = NULL WHERE meeting_id = ? AND left_at IS NULL').run(at, id);
    return true;
  });

  const pruneAttendanceDetails = db.transaction((endedBefore: string): number => {
    const ended = "SELECT id FROM meetings WHERE ended_at IS NOT NULL AND ended_at < ?";
    const intervalsRemoved = statement(`DELETE FROM meeting_intervals WHERE meeting_id IN (${ended})`).run(endedBefore).changes;
    const emailsRemoved = statement(`UPDATE meeting_attendees SET email = '' WHERE email <> '' AND meeting_id IN (${ended})`).run(endedBefore).changes;
    return intervalsRemoved + emailsRemoved;
  });

  return {
    async pruneAttendanceDetails(endedBefore) {
      return pruneAttendanceDetails(endedBefore);
    },
    async renameAttendee(userId, name, email) {
      return statement("UPDATE meeting_attendees SET name = ?, email = ?, organisation = '' WHERE user_id = ?").run(name, email, userId).changes;
    },
    async start(meeting) {
      try {
        meetings.insert(meeting);
      } catch (error) {
        if (isUniqueViolation(error)) throw new DuplicateKeyError('running meeting');
        throw error;
      }
    },
    async findById(id) {
      return findById(id);
    },
    async setMinutes(id, documentId) {
      return statement('UPDATE meetings SET minutes_document_id = ? WHERE id = ? AND minutes_document_id IS NULL').run(documentId, id).changes === 1;
    },
    async findRunning(workspaceId) {
      return meetings.get('SELECT * FROM meetings WHERE workspace_id = ? AND ended_at IS NULL', workspaceId);
    },
    async listRunning() {
      return meetings.all('SELECT * FROM meetings WHERE ended_at IS NULL');
    },
    async listForWorkspace(workspaceId) {
      return meetings.all('SELECT * FROM meetings WHERE workspace_id = ? ORDER BY started_at DESC', workspaceId);
    },
    async update(id, patch) {
      meetings.patch({ id }, patch);
      return findById(id);
    },
    async end(id, at) {
      return end(id, at);
    },
    async recordJoin(attendee, at) {
      return join(attendee, at);
    },
    async recordDisconnect(meetingId, userId, at) {
      return (
        statement('UPDATE meeting_intervals SET disconnected_at = ? WHERE meeting_id = ? AND user_id = ? AND left_at IS NULL AND disconnected_at IS NULL').run(at, meetingId, userId)
          .changes > 0
      );
    },
    async recordReconnect(meetingId, userId) {
      statement('UPDATE meeting_intervals SET disconnected_at = NULL WHERE meeting_id = ? AND user_id = ? AND left_at IS NULL').run(meetingId, userId);
    },
    async recordLeave(meetingId, userId, at) {
      return (
        statement('UPDATE meeting_intervals SET left_at = ?, disconnected_at = NULL WHERE meeting_id = ? AND user_id = ? AND left_at IS NULL').run(at, meetingId, userId).changes > 0
      );
    },
    async attendance(meetingId) {
      return {
        attendees: attendees.all('SELECT * FROM meeting_attendees WHERE meeting_id = ? ORDER BY first_joined_at', meetingId),
        intervals: intervals.all('SELECT * FROM meeting_intervals WHERE meeting_id = ? ORDER BY joined_at, id', meetingId),
      };
    },
  };
}
