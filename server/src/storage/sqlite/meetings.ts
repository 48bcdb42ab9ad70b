import type Database from 'better-sqlite3';
import type { Role } from '@jane/shared';
import { DuplicateKeyError, type AttendeeRecord, type IntervalRecord, type MeetingRecord, type MeetingRepository } from '../port.js';
import { isUniqueViolation, setClause, statementCache, type Row } from './util.js';

function toMeeting(row: Row): MeetingRecord {
  return {
    id: String(row.id),
    workspaceId: String(row.workspace_id),
    title: String(row.title),
    agenda: JSON.parse(String(row.agenda)) as MeetingRecord['agenda'],
    quorumCountries: row.quorum_countries === null ? null : Number(row.quorum_countries),
    startedAt: String(row.started_at),
    startedBy: String(row.started_by),
    endedAt: row.ended_at === null ? null : String(row.ended_at),
  };
}

export function sqliteMeetings(db: Database.Database): MeetingRepository {
  const statement = statementCache(db);
  const findById = (id: string) => {
    const row = statement('SELECT * FROM meetings WHERE id = ?').get(id) as Row | undefined;
    return row ? toMeeting(row) : null;
  };

  const join = db.transaction((attendee: AttendeeRecord, at: string): boolean => {
    statement(
      `INSERT INTO meeting_attendees (meeting_id, user_id, name, email, country, organisation, role, first_joined_at)
       VALUES (@meetingId, @userId, @name, @email, @country, @organisation, @role, @firstJoinedAt)
       ON CONFLICT (meeting_id, user_id) DO NOTHING`,
    ).run(attendee);
    const reconnected = statement('UPDATE meeting_intervals SET disconnected_at = NULL WHERE meeting_id = ? AND user_id = ? AND left_at IS NULL').run(attendee.meetingId, attendee.userId);
    if (reconnected.changes > 0) return false;
    statement('INSERT INTO meeting_intervals (meeting_id, user_id, joined_at) VALUES (?, ?, ?)').run(attendee.meetingId, attendee.userId, at);
    return true;
  });

  const end = db.transaction((id: string, at: string): boolean => {
    const changed = statement('UPDATE meetings SET ended_at = ? WHERE id = ? AND ended_at IS NULL').run(at, id).changes;
    if (changed === 0) return false;
    statement('UPDATE meeting_intervals SET left_at = COALESCE(disconnected_at, ?), disconnected_at = NULL WHERE meeting_id = ? AND left_at IS NULL').run(at, id);
    return true;
  });

  return {
    async start(meeting) {
      try {
        statement(
          `INSERT INTO meetings (id, workspace_id, title, agenda, quorum_countries, started_at, started_by, ended_at)
           VALUES (@id, @workspaceId, @title, @agenda, @quorumCountries, @startedAt, @startedBy, @endedAt)`,
        ).run({ ...meeting, agenda: JSON.stringify(meeting.agenda) });
      } catch (error) {
        if (isUniqueViolation(error)) throw new DuplicateKeyError('running meeting');
        throw error;
      }
    },
    async findById(id) {
      return findById(id);
    },
    async findRunning(workspaceId) {
      const row = statement('SELECT * FROM meetings WHERE workspace_id = ? AND ended_at IS NULL').get(workspaceId) as Row | undefined;
      return row ? toMeeting(row) : null;
    },
    async listRunning() {
      return (statement('SELECT * FROM meetings WHERE ended_at IS NULL').all() as Row[]).map(toMeeting);
    },
    async listForWorkspace(workspaceId) {
      return (statement('SELECT * FROM meetings WHERE workspace_id = ? ORDER BY started_at DESC').all(workspaceId) as Row[]).map(toMeeting);
    },
    async update(id, patch) {
      const values: Record<string, unknown> = { ...patch };
      if (patch.agenda) values.agenda = JSON.stringify(patch.agenda);
      const { sql, values: bound } = setClause(values, { title: 'title', agenda: 'agenda', quorumCountries: 'quorum_countries' });
      if (sql) statement(`UPDATE meetings SET ${sql} WHERE id = @id`).run({ ...bound, id });
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
      const attendees = (statement('SELECT * FROM meeting_attendees WHERE meeting_id = ? ORDER BY first_joined_at').all(meetingId) as Row[]).map(
        (row): AttendeeRecord => ({
          meetingId,
          userId: String(row.user_id),
          name: String(row.name),
          email: String(row.email),
          country: String(row.country),
          organisation: String(row.organisation),
          role: row.role as Role,
          firstJoinedAt: String(row.first_joined_at),
        }),
      );
      const intervals = (statement('SELECT * FROM meeting_intervals WHERE meeting_id = ? ORDER BY joined_at, id').all(meetingId) as Row[]).map(
        (row): IntervalRecord => ({
          meetingId,
          userId: String(row.user_id),
          joinedAt: String(row.joined_at),
          leftAt: row.left_at === null ? null : String(row.left_at),
          disconnectedAt: row.disconnected_at === null || row.disconnected_at === undefined ? null : String(row.disconnected_at),
        }),
      );
      return { attendees, intervals };
    },
  };
}
